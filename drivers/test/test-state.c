/*
 * drivers/test/test-state.c - the per-connection state of the test driver
 * and the helpers its operation files share.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "drivers/test/test-state.h"
#include "drivers/test/test-index.h"
#include "drivers/test/test-storage.h"
#include "drivers/test/test-network.h"
#include "drivers/test/test-interface.h"
#include "drivers/test/test-nodedev.h"

test_state *test_state_new(evirt_conn *conn)
{
    test_state *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    st->next_id = 1;
    st->by_name = test_index_new();
    st->by_uuid = test_index_new();
    if (!st->by_name || !st->by_uuid || test_state_attach(st, conn) < 0) {
        free(st->conns);
        test_index_free(st->by_name);
        test_index_free(st->by_uuid);
        free(st);
        return NULL;
    }
    return st;
}

static void test_domain_free(test_domain *dom)
{
    if (!dom)
        return;
    evirt_domain_def_free(dom->def);
    evirt_domain_def_free(dom->new_def);
    test_block_jobs_free(dom->block_jobs);
    free(dom);
}

void test_state_free(test_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->ndomains; i++)
        test_domain_free(st->domains[i]);
    free(st->domains);
    test_index_free(st->by_name);
    test_index_free(st->by_uuid);
    test_storage_free(st->storage);
    test_networks_free(st->networks);
    test_interfaces_free(st->ifaces);
    test_nodedevs_free(st->nodedevs);
    free(st->config_dir);
    free(st->conns);
    free(st);
}

int test_state_attach(test_state *st, evirt_conn *conn)
{
    if (st->nconns == st->aconns) {
        size_t n = st->aconns ? st->aconns * 2 : 4;
        evirt_conn **p = realloc(st->conns, n * sizeof(*p));
        if (!p)
            return -1;
        st->conns = p;
        st->aconns = n;
    }
    st->conns[st->nconns++] = conn;
    return 0;
}

size_t test_state_detach(test_state *st, evirt_conn *conn)
{
    for (size_t i = 0; i < st->nconns; i++) {
        if (st->conns[i] == conn) {
            memmove(&st->conns[i], &st->conns[i + 1],
                    (st->nconns - i - 1) * sizeof(*st->conns));
            st->nconns--;
            break;
        }
    }
    return st->nconns;
}

void test_state_emit_event(test_state *st, int family, const char *name,
                           const unsigned char *uuid, int id, int event_id,
                           int a, int b)
{
    for (size_t i = 0; i < st->nconns; i++)
        evirt_conn_emit_event(st->conns[i], family, name, uuid, id, event_id,
                              a, b);
}

test_state *test_state_of(evirt_conn *conn)
{
    return conn->driver_data;
}

test_domain *test_state_find_by_name(test_state *st, const char *name)
{
    return test_index_get(st->by_name, name, strlen(name));
}

test_domain *test_state_find_by_uuid(test_state *st, const unsigned char *uuid)
{
    return test_index_get(st->by_uuid, uuid, 16);
}

test_domain *test_state_find_by_id(test_state *st, int id)
{
    if (id < 0)
        return NULL;
    for (size_t i = 0; i < st->ndomains; i++)
        if (st->domains[i]->id == id)
            return st->domains[i];
    return NULL;
}

test_domain *test_state_add_domain(test_state *st, evirt_domain_def *def)
{
    if (st->ndomains == st->adomains) {
        size_t n = st->adomains ? st->adomains * 2 : 8;
        test_domain **p = realloc(st->domains, n * sizeof(*p));
        if (!p)
            return NULL;
        st->domains = p;
        st->adomains = n;
    }
    test_domain *dom = calloc(1, sizeof(*dom));
    if (!dom)
        return NULL;
    dom->def = def;
    dom->id = -1;
    def->id = -1;
    dom->state = EVIRT_DOMAIN_SHUTOFF;
    dom->reason = EVIRT_DOMAIN_SHUTOFF_UNKNOWN;
    if (test_index_put(st->by_name, def->name, strlen(def->name), dom) < 0 ||
        test_index_put(st->by_uuid, def->uuid, 16, dom) < 0) {
        test_index_remove(st->by_name, def->name, strlen(def->name));
        free(dom);
        return NULL;
    }
    st->domains[st->ndomains++] = dom;
    return dom;
}

void test_state_remove_domain(test_state *st, test_domain *dom)
{
    for (size_t i = 0; i < st->ndomains; i++) {
        if (st->domains[i] != dom)
            continue;
        memmove(&st->domains[i], &st->domains[i + 1],
                (st->ndomains - i - 1) * sizeof(*st->domains));
        st->ndomains--;
        test_index_remove(st->by_name, dom->def->name, strlen(dom->def->name));
        test_index_remove(st->by_uuid, dom->def->uuid, 16);
        test_domain_free(dom);
        return;
    }
}

void test_domain_start(test_state *st, test_domain *dom, int state, int reason)
{
    dom->id = st->next_id++;
    dom->def->id = dom->id;
    dom->state = state;
    dom->reason = reason;
}

bool test_domain_stop(test_state *st, test_domain *dom, int reason)
{
    dom->id = -1;
    dom->state = EVIRT_DOMAIN_SHUTOFF;
    dom->reason = reason;
    test_block_jobs_free(dom->block_jobs);
    dom->block_jobs = NULL;
    if (dom->new_def) {
        evirt_domain_def_free(dom->def);
        dom->def = dom->new_def;
        dom->new_def = NULL;
    }
    dom->def->id = -1;
    if (!dom->persistent) {
        test_state_remove_domain(st, dom);
        return true;
    }
    return false;
}

void test_block_jobs_free(test_block_job *jobs)
{
    while (jobs) {
        test_block_job *next = jobs->next;
        free(jobs->disk);
        free(jobs);
        jobs = next;
    }
}

evirt_domain *test_domain_handle(evirt_conn *conn, test_domain *dom)
{
    return evirt_domain_new_handle(conn, dom->def->name, dom->def->uuid,
                                   dom->id);
}

test_domain *test_domain_from_handle(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_state_find_by_uuid(test_state_of(d->conn), d->uuid);
    if (!dom) {
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(d->uuid, uuid);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_DOMAIN,
                      "no domain with matching uuid '%s' (%s)", uuid, d->name);
    }
    return dom;
}

test_domain *test_domain_running(evirt_op *op, evirt_domain *d)
{
    test_domain *dom = test_domain_from_handle(op, d);
    if (dom && !test_domain_is_active(dom)) {
        test_fail_not_running(op);
        return NULL;
    }
    return dom;
}

/* State checks report from the domain error domain, as libvirt's do
 * (applications see the same numbers whatever the driver). */
void test_fail_not_running(evirt_op *op)
{
    evirt_op_fail(op, EVIRT_FROM_DOMAIN, EVIRT_ERR_OPERATION_INVALID,
                  "domain is not running");
}

void test_fail_running(evirt_op *op)
{
    evirt_op_fail(op, EVIRT_FROM_DOMAIN, EVIRT_ERR_OPERATION_INVALID,
                  "domain is already running");
}

void test_fail_oom(evirt_op *op)
{
    evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
}

void test_emit_lifecycle(test_state *st, test_domain *dom, int event, int detail)
{
    test_state_emit_event(st, EVIRT_EVENT_FAMILY_DOMAIN, dom->def->name,
                          dom->def->uuid, dom->id,
                          EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, event, detail);
}
