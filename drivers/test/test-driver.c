/* Temporary: the test driver's registration; the driver is being written. */
#include <config.h>
#include <string.h>
#include "api/driver.h"

static int test_claims(const evirt_uri *uri)
{
    return strcmp(uri->scheme, "test") == 0;
}

static void test_open(evirt_op *op, evirt_conn *conn, const evirt_uri *uri,
                      evirt_auth *auth)
{
    (void)uri; (void)auth;
    conn->driver_data = conn;
    evirt_op_return_void(op);
}

static void test_close(evirt_conn *conn) { conn->driver_data = NULL; }

static void test_get_hostname(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_string(op, strdup("test-host"));
}

const evirt_driver evirt_test_driver = {
    .name = "Test",
    .claims = test_claims,
    .open = test_open,
    .close = test_close,
    .ops = {
        .conn_get_hostname = test_get_hostname,
    },
};
