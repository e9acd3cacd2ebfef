/*
 * api/domain.c - domain handles: identity plus a connection reference.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/driver.h"
#include "api/error-private.h"

evirt_domain *evirt_domain_new_handle(evirt_conn *conn, const char *name,
                                      const unsigned char *uuid, int id)
{
    evirt_domain *dom = calloc(1, sizeof(*dom));
    if (!dom || !(dom->name = strdup(name))) {
        free(dom);
        return NULL;
    }
    atomic_init(&dom->refs, 1);
    dom->conn = evirt_conn_ref(conn);
    memcpy(dom->uuid, uuid, 16);
    dom->id = id;
    return dom;
}

evirt_domain *evirt_domain_ref(evirt_domain *dom)
{
    if (dom)
        atomic_fetch_add(&dom->refs, 1);
    return dom;
}

void evirt_domain_unref(evirt_domain *dom)
{
    if (!dom || atomic_fetch_sub(&dom->refs, 1) != 1)
        return;
    evirt_conn *conn = dom->conn;
    free(dom->name);
    free(dom);
    evirt_conn_close(conn);
}

void evirt_domain_list_free(evirt_domain **doms, int n)
{
    if (!doms)
        return;
    for (int i = 0; i < n; i++)
        evirt_domain_unref(doms[i]);
    free(doms);
}

evirt_conn *evirt_domain_get_conn(evirt_domain *dom)
{
    return dom ? dom->conn : NULL;
}

const char *evirt_domain_get_name(evirt_domain *dom)
{
    return dom ? dom->name : NULL;
}

int evirt_domain_get_id(evirt_domain *dom)
{
    return dom ? dom->id : -1;
}

int evirt_domain_get_uuid(evirt_domain *dom, unsigned char *uuid)
{
    if (!dom || !uuid) {
        evirt_error_report(EVIRT_FROM_DOM, EVIRT_ERR_INVALID_ARG,
                           "a domain and a buffer are required");
        return -1;
    }
    memcpy(uuid, dom->uuid, 16);
    return 0;
}

int evirt_domain_get_uuid_string(evirt_domain *dom, char *buf)
{
    if (!dom || !buf) {
        evirt_error_report(EVIRT_FROM_DOM, EVIRT_ERR_INVALID_ARG,
                           "a domain and a buffer are required");
        return -1;
    }
    const unsigned char *u = dom->uuid;
    snprintf(buf, EVIRT_UUID_STRING_BUFLEN,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
             u[11], u[12], u[13], u[14], u[15]);
    return 0;
}
