/*
 * tests/test-driver-shared.c - the test driver's shared mode (what evirtd
 * turns on): connections to test:///default on one loop share one host,
 * each keeps its own read-only flag, every attached connection receives
 * the events of changes made through any of them, and the host starts
 * afresh once the last connection is gone.  Without shared mode every
 * open gets a fresh host, as in-process libvirt does.
 *
 * Over the wire (tests/run-over-wire.sh --shared) the first test runs
 * against evirtd's shared test:///default, each connection a client of
 * its own; the second is about the in-process switch and loops and is
 * skipped there.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "drivers/test/test-driver.h"
#include "tests/test-uri-helper.h"

#define URI test_uri("test:///default")

static const char new_dom_xml[] =
    "<domain type='test'><name>shared-new</name><memory>8192</memory>"
    "<os><type>hvm</type></os></domain>";

typedef struct listener {
    int lifecycle[8];   /* events received, in order */
    int nlifecycle;
    int net_events;
} listener;

static void on_lifecycle(evirt_conn *conn, evirt_domain *dom, int event,
                         int detail, void *opaque)
{
    (void)conn; (void)dom; (void)detail;
    listener *l = opaque;
    if (l->nlifecycle < 8)
        l->lifecycle[l->nlifecycle++] = event;
}

static void on_net(evirt_conn *conn, evirt_network *net, int event,
                   int detail, void *opaque)
{
    (void)conn; (void)net; (void)event; (void)detail;
    ((listener *)opaque)->net_events++;
}

static void flag_timer(int timer, void *opaque)
{
    (void)timer;
    *(int *)opaque = 1;
}

static void spin(evirt_loop *loop, int ms)
{
    int fired = 0;
    int t = evirt_loop_add_timeout(loop, ms, flag_timer, &fired, NULL);
    assert_true(t > 0);
    while (!fired)
        evirt_loop_run_once(loop);
    evirt_loop_remove_timeout(loop, t);
}

static int domain_state(evirt_conn *conn, const char *name)
{
    evirt_domain *d = evirt_domain_lookup_by_name(conn, name);
    evirt_domain_state_info st;
    assert_non_null(d);
    assert_int_equal(evirt_domain_get_state(d, 0, &st), 0);
    evirt_domain_unref(d);
    return st.state;
}

static int has_domain(evirt_conn *conn, const char *name)
{
    evirt_domain *d = evirt_domain_lookup_by_name(conn, name);
    if (!d) {
        assert_int_equal(evirt_last_error()->code, EVIRT_ERR_NO_DOMAIN);
        return 0;
    }
    evirt_domain_unref(d);
    return 1;
}

static int setup(void **state)
{
    (void)state;
    evirt_test_driver_set_shared(1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    evirt_test_driver_set_shared(0);
    return 0;
}

/* Two read-write and one read-only connection on one host. */
static void test_changes_and_events_reach_everyone(void **state)
{
    (void)state;
    evirt_loop *loop = evirt_loop_new(NULL);
    assert_non_null(loop);
    evirt_conn *a = evirt_conn_open_on(loop, URI, NULL, 0);
    evirt_conn *b = evirt_conn_open_on(loop, URI, NULL, 0);
    evirt_conn *ro = evirt_conn_open_on(loop, URI, NULL, EVIRT_CONNECT_RO);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(ro);

    listener la = { 0 }, lb = { 0 }, lro = { 0 };
    int ida = evirt_conn_domain_event_register_any(a, NULL,
        EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle),
        &la, NULL);
    int idb = evirt_conn_domain_event_register_any(b, NULL,
        EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle),
        &lb, NULL);
    int idro = evirt_conn_domain_event_register_any(ro, NULL,
        EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle),
        &lro, NULL);
    int idnet = evirt_conn_network_event_register_any(ro, NULL,
        EVIRT_NETWORK_EVENT_ID_LIFECYCLE, EVIRT_NETWORK_EVENT_CALLBACK(on_net),
        &lro, NULL);
    assert_true(ida > 0 && idb > 0 && idro > 0 && idnet > 0);

    /* a pauses "test": b and the read-only one see it paused... */
    evirt_domain *da = evirt_domain_lookup_by_name(a, "test");
    assert_non_null(da);
    assert_int_equal(evirt_domain_suspend(da), 0);
    assert_int_equal(domain_state(b, "test"), EVIRT_DOMAIN_PAUSED);
    assert_int_equal(domain_state(ro, "test"), EVIRT_DOMAIN_PAUSED);
    /* ...and all three get the event, once each. */
    spin(loop, 30);
    assert_int_equal(la.nlifecycle, 1);
    assert_int_equal(lb.nlifecycle, 1);
    assert_int_equal(lro.nlifecycle, 1);
    assert_int_equal(la.lifecycle[0], EVIRT_DOMAIN_EVENT_SUSPENDED);
    assert_int_equal(lb.lifecycle[0], EVIRT_DOMAIN_EVENT_SUSPENDED);
    assert_int_equal(lro.lifecycle[0], EVIRT_DOMAIN_EVENT_SUSPENDED);

    /* The read-only connection reads the shared host but changes nothing. */
    evirt_domain *dro = evirt_domain_lookup_by_name(ro, "test");
    assert_non_null(dro);
    assert_int_equal(evirt_domain_resume(dro), -1);
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_OPERATION_DENIED);
    assert_null(evirt_domain_define_xml(ro, new_dom_xml));
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_OPERATION_DENIED);
    assert_int_equal(domain_state(a, "test"), EVIRT_DOMAIN_PAUSED);
    spin(loop, 20);
    assert_int_equal(la.nlifecycle, 1);

    /* b defines a domain: a finds it, and a's event says DEFINED. */
    evirt_domain *nd = evirt_domain_define_xml(b, new_dom_xml);
    assert_non_null(nd);
    assert_true(has_domain(a, "shared-new"));
    assert_true(has_domain(ro, "shared-new"));
    spin(loop, 30);
    assert_int_equal(la.nlifecycle, 2);
    assert_int_equal(la.lifecycle[1], EVIRT_DOMAIN_EVENT_DEFINED);
    assert_int_equal(lro.nlifecycle, 2);
    evirt_domain_unref(nd);

    /* Network events go to every connection too. */
    evirt_network *net = evirt_network_lookup_by_name(b, "default");
    assert_non_null(net);
    assert_int_equal(evirt_network_destroy(net), 0);
    spin(loop, 30);
    assert_int_equal(lro.net_events, 1);
    evirt_network_unref(net);

    /* a leaves: the others keep the host and still get events. */
    evirt_conn_domain_event_deregister_any(a, ida);
    evirt_domain_unref(da);
    evirt_conn_close(a);
    spin(loop, 20);
    assert_int_equal(evirt_domain_resume(dro), -1);     /* still read-only */
    evirt_domain *db = evirt_domain_lookup_by_name(b, "test");
    assert_non_null(db);
    assert_int_equal(evirt_domain_resume(db), 0);
    assert_int_equal(domain_state(ro, "test"), EVIRT_DOMAIN_RUNNING);
    spin(loop, 30);
    assert_int_equal(lb.nlifecycle, 3);
    assert_int_equal(lb.lifecycle[2], EVIRT_DOMAIN_EVENT_RESUMED);
    assert_int_equal(lro.nlifecycle, 3);
    evirt_domain_unref(db);
    evirt_domain_unref(dro);

    /* Everybody leaves: the next open gets a fresh host. */
    evirt_conn_domain_event_deregister_any(b, idb);
    evirt_conn_domain_event_deregister_any(ro, idro);
    evirt_conn_network_event_deregister_any(ro, idnet);
    evirt_conn_close(b);
    evirt_conn_close(ro);
    /* Over the wire the daemon lets go of the host once it has read both
     * CONNECT_CLOSEs, which travel on other sockets than the next open:
     * give them time to get there. */
    spin(loop, test_over_wire() ? 300 : 20);
    evirt_conn *c = evirt_conn_open_on(loop, URI, NULL, 0);
    assert_non_null(c);
    assert_false(has_domain(c, "shared-new"));
    assert_int_equal(domain_state(c, "test"), EVIRT_DOMAIN_RUNNING);
    evirt_conn_close(c);
    spin(loop, 20);
    evirt_loop_free(loop);
}

/*
 * A sync program (default loop, which nothing runs between its calls)
 * that closes its last connection leaves the host at once: a connection
 * made next on another loop gets a fresh host.  Over the wire this needs
 * the CONNECT_CLOSE answered before evirt_conn_close returns.
 */
static void test_sync_close_then_open(void **state)
{
    (void)state;
    evirt_conn *c = evirt_conn_open(URI);
    assert_non_null(c);
    evirt_domain *d = evirt_domain_define_xml(c, new_dom_xml);
    assert_non_null(d);
    evirt_domain_unref(d);
    evirt_conn_close(c);

    evirt_loop *loop = evirt_loop_new(NULL);
    assert_non_null(loop);
    c = evirt_conn_open_on(loop, URI, NULL, 0);
    assert_non_null(c);
    assert_false(has_domain(c, "shared-new"));
    evirt_conn_close(c);
    spin(loop, 20);
    evirt_loop_free(loop);
}

/* A connection on another loop gets its own host (states are
 * single-loop); back in the default mode every open is fresh. */
static void test_other_loop_and_default_mode(void **state)
{
    (void)state;
    if (test_over_wire()) {
        /* evirtd has one loop and its mode comes from its config file:
         * nothing of this test crosses the wire. */
        skip();
    }
    evirt_loop *l1 = evirt_loop_new(NULL);
    evirt_loop *l2 = evirt_loop_new(NULL);
    assert_non_null(l1);
    assert_non_null(l2);
    evirt_conn *a = evirt_conn_open_on(l1, URI, NULL, 0);
    evirt_conn *b = evirt_conn_open_on(l2, URI, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    evirt_domain *da = evirt_domain_lookup_by_name(a, "test");
    assert_non_null(da);
    assert_int_equal(evirt_domain_suspend(da), 0);
    assert_int_equal(domain_state(b, "test"), EVIRT_DOMAIN_RUNNING);
    evirt_domain_unref(da);
    evirt_conn_close(a);
    evirt_conn_close(b);
    spin(l1, 10);
    spin(l2, 10);

    assert_int_equal(evirt_test_driver_set_shared(0), 1);
    a = evirt_conn_open_on(l1, URI, NULL, 0);
    b = evirt_conn_open_on(l1, URI, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    da = evirt_domain_lookup_by_name(a, "test");
    assert_non_null(da);
    assert_int_equal(evirt_domain_suspend(da), 0);
    assert_int_equal(domain_state(b, "test"), EVIRT_DOMAIN_RUNNING);
    evirt_domain_unref(da);
    evirt_conn_close(a);
    evirt_conn_close(b);
    spin(l1, 10);
    evirt_loop_free(l1);
    evirt_loop_free(l2);
    assert_int_equal(evirt_test_driver_set_shared(1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_changes_and_events_reach_everyone),
        cmocka_unit_test(test_sync_close_then_open),
        cmocka_unit_test(test_other_loop_and_default_mode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
