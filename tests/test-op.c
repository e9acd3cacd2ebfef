/*
 * tests/test-op.c - the op contract: exactly-once callbacks, never from
 * inside _async, timeouts, cancellation, read-only refusal, the sync layer
 * on the loop thread and from other threads, many ops in flight.
 *
 * A fake driver ("fake:///") gives ops that complete at once, later on a
 * timer, or only when the test says so.
 */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "api/driver.h"

/* ---------------------------------------------------------- fake driver */

static evirt_op *held_op;     /* get_type: completes only when released */
static int cancel_hook_calls;

static int fake_claims(const evirt_uri *uri)
{
    return strcmp(uri->scheme, "fake") == 0;
}

static void fake_open(evirt_op *op, evirt_conn *conn, const evirt_uri *uri,
                      evirt_auth *auth)
{
    (void)uri;
    (void)auth;
    conn->driver_data = conn;
    evirt_op_return_void(op);
}

static void fake_close(evirt_conn *conn)
{
    conn->driver_data = NULL;
}

static void fake_hostname(evirt_op *op, evirt_conn *c)
{
    (void)c;
    evirt_op_return_string(op, strdup("fakehost"));
}

static void fake_cancel_hook(evirt_op *op, void *data)
{
    (void)op;
    (void)data;
    cancel_hook_calls++;
}

static void fake_type(evirt_op *op, evirt_conn *c)
{
    (void)c;
    held_op = evirt_op_ref(op);
    evirt_op_set_cancel_hook(op, fake_cancel_hook, NULL);
}

static void release_held(const char *answer)
{
    evirt_op *op = held_op;
    held_op = NULL;
    evirt_op_return_string(op, strdup(answer));
    evirt_op_unref(op);
}

struct later {
    evirt_op *op;
    evirt_loop *loop;
    int timer;
};

static void later_fire(int timer, void *opaque)
{
    struct later *l = opaque;
    (void)timer;
    evirt_loop_remove_timeout(l->loop, l->timer);
    evirt_op_return_int(l->op, 7);
    evirt_op_unref(l->op);
    free(l);
}

/* max_vcpus answers 7 after 2 ms, from a loop timer. */
static void fake_max_vcpus(evirt_op *op, evirt_conn *c, const char *type)
{
    (void)type;
    struct later *l = calloc(1, sizeof(*l));
    l->op = evirt_op_ref(op);
    l->loop = c->loop;
    l->timer = evirt_loop_add_timeout(c->loop, 2, later_fire, l, NULL);
}

/* Event registration with the "server": refused while refuse_events is set. */
static int refuse_events;
static int event_register_calls;

static void fake_event_register(evirt_op *op, evirt_conn *conn, int family, int event_id)
{
    (void)conn;
    (void)family;
    (void)event_id;
    event_register_calls++;
    if (refuse_events)
        evirt_op_fail(op, EVIRT_FROM_RPC, EVIRT_ERR_RPC, "the server refused");
    else
        evirt_op_return_void(op);
}

static const evirt_driver fake_driver = {
    .name = "Fake",
    .claims = fake_claims,
    .open = fake_open,
    .close = fake_close,
    .event_register = fake_event_register,
    .ops = {
        .conn_get_hostname = fake_hostname,
        .conn_get_type = fake_type,
        .conn_get_max_vcpus = fake_max_vcpus,
        /* domain_define_xml is absent on purpose: NO_SUPPORT */
    },
};

/* ------------------------------------------------------------- helpers */

struct seen {
    int calls;
    int code;      /* error code, 0 on success */
    char *str;
    int value;
};

static void on_string(evirt_op *op, void *opaque)
{
    struct seen *s = opaque;
    s->calls++;
    s->str = evirt_conn_get_type_finish(op); /* any string-returning finish */
    const evirt_error *e = evirt_op_error(op);
    s->code = e ? e->code : 0;
}

static void on_int(evirt_op *op, void *opaque)
{
    struct seen *s = opaque;
    s->calls++;
    s->value = evirt_conn_get_max_vcpus_finish(op);
    const evirt_error *e = evirt_op_error(op);
    s->code = e ? e->code : 0;
}

static evirt_loop *loop;
static evirt_conn *conn;

static int setup(void **state)
{
    (void)state;
    static int registered;
    if (!registered++)
        evirt_driver_register(&fake_driver);
    loop = evirt_loop_new(NULL);
    conn = evirt_conn_open_on(loop, "fake:///", NULL, 0);
    return conn ? 0 : -1;
}

static void tick(int timer, void *opaque)
{
    (void)timer;
    (*(int *)opaque)++;
}

/* Iterates the loop for about n milliseconds (n ticks of a 1 ms timer). */
static void pump(int n)
{
    int ticks = 0;
    int t = evirt_loop_add_timeout(loop, 1, tick, &ticks, NULL);
    while (ticks < n)
        evirt_loop_run_once(loop);
    evirt_loop_remove_timeout(loop, t);
}

static int teardown(void **state)
{
    (void)state;
    assert_int_equal(evirt_conn_close(conn), 0);
    /* Let queued deliveries and frees run before the loop goes. */
    pump(3);
    evirt_loop_free(loop);
    return 0;
}

static void spin_until(int *flag, int want)
{
    for (int i = 0; i < 100000 && *flag < want; i++)
        evirt_loop_run_once(loop);
    assert_int_equal(*flag, want);
}

/* --------------------------------------------------------------- tests */

static void test_never_inside_async(void **state)
{
    (void)state;
    struct seen s = {0};
    evirt_op *op = evirt_conn_get_hostname_async(conn, on_string, &s);
    assert_non_null(op);
    /* The answer is known at once, yet the callback waits for the loop. */
    assert_int_equal(s.calls, 0);
    spin_until(&s.calls, 1);
    assert_string_equal(s.str, "fakehost");
    assert_int_equal(s.code, 0);
    free(s.str);
}

static void test_timeout(void **state)
{
    (void)state;
    struct seen s = {0};
    cancel_hook_calls = 0;
    evirt_op *op = evirt_conn_get_type_async(conn, on_string, &s);
    evirt_op_set_timeout(op, 20);
    spin_until(&s.calls, 1);
    assert_int_equal(s.code, EVIRT_ERR_OPERATION_TIMEOUT);
    assert_null(s.str);
    assert_int_equal(cancel_hook_calls, 1);
    /* The driver's late answer is dropped, and nothing runs twice. */
    release_held("late");
    pump(5);
    assert_int_equal(s.calls, 1);
}

static void test_cancel(void **state)
{
    (void)state;
    struct seen s = {0};
    cancel_hook_calls = 0;
    evirt_op *op = evirt_conn_get_type_async(conn, on_string, &s);
    assert_non_null(held_op);
    evirt_op_cancel(op);
    evirt_op_cancel(op); /* a second cancel changes nothing */
    assert_int_equal(s.calls, 0);
    spin_until(&s.calls, 1);
    assert_int_equal(s.code, EVIRT_ERR_OPERATION_ABORTED);
    assert_int_equal(cancel_hook_calls, 1);
    release_held("late");
}

static void test_conn_default_timeout_sync(void **state)
{
    (void)state;
    evirt_conn_set_op_timeout(conn, 10);
    char *type = evirt_conn_get_type(conn);
    assert_null(type);
    assert_non_null(evirt_last_error());
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_OPERATION_TIMEOUT);
    evirt_conn_set_op_timeout(conn, -1);
    release_held("late");
    /* A later sync call succeeds and clears the thread's last error. */
    char *h = evirt_conn_get_hostname(conn);
    assert_string_equal(h, "fakehost");
    assert_null(evirt_last_error());
    free(h);
}

static void test_no_support_and_null_arg(void **state)
{
    (void)state;
    evirt_domain *d = evirt_domain_define_xml(conn, "<domain/>");
    assert_null(d);
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_NO_SUPPORT);
    d = evirt_domain_define_xml(conn, NULL);
    assert_null(d);
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_INVALID_ARG);
}

static void test_read_only(void **state)
{
    (void)state;
    evirt_conn *ro = evirt_conn_open_on(loop, "fake:///", NULL, EVIRT_CONNECT_RO);
    assert_non_null(ro);
    assert_true(evirt_conn_is_read_only(ro));
    evirt_domain *d = evirt_domain_define_xml(ro, "<domain/>");
    assert_null(d);
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_OPERATION_DENIED);
    /* Reading still works. */
    char *h = evirt_conn_get_hostname(ro);
    assert_string_equal(h, "fakehost");
    free(h);
    assert_int_equal(evirt_conn_close(ro), 0);
}

static void test_finish_twice(void **state)
{
    (void)state;
    evirt_op *op = evirt_conn_get_hostname_async(conn, NULL, NULL);
    evirt_op_ref(op);
    assert_int_equal(evirt_op_wait(op), 0);
    char *h = evirt_conn_get_hostname_finish(op);
    assert_string_equal(h, "fakehost");
    free(h);
    assert_null(evirt_conn_get_hostname_finish(op));
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_OPERATION_INVALID);
    evirt_op_unref(op);
}

static void test_many_in_flight(void **state)
{
    (void)state;
    enum { N = 10000 };
    struct seen s = {0};
    for (int i = 0; i < N; i++)
        assert_non_null(evirt_conn_get_max_vcpus_async(conn, NULL, on_int, &s));
    assert_int_equal(s.calls, 0);
    spin_until(&s.calls, N);
    assert_int_equal(s.value, 7);
    assert_int_equal(s.code, 0);
}

struct recursion {
    int calls;
    int code;
};

static void on_recursing(evirt_op *op, void *opaque)
{
    struct recursion *r = opaque;
    free(evirt_conn_get_hostname_finish(op));
    /* A sync call from inside a callback of the same loop must fail
     * clearly, not hang. */
    char *h = evirt_conn_get_max_vcpus(conn, NULL) < 0 ? NULL : strdup("x");
    r->code = evirt_last_error() ? evirt_last_error()->code : 0;
    free(h);
    r->calls++;
}

static void test_sync_inside_callback(void **state)
{
    (void)state;
    struct recursion r = {0};
    evirt_conn_get_hostname_async(conn, on_recursing, &r);
    spin_until(&r.calls, 1);
    assert_int_equal(r.code, EVIRT_ERR_OPERATION_INVALID);
    /* The abandoned op still completes; give it time. */
    pump(10);
}

struct worker {
    int ok;
    int calls;
};

static void *worker_main(void *opaque)
{
    struct worker *w = opaque;
    for (int i = 0; i < 200; i++) {
        if (evirt_conn_get_max_vcpus(conn, NULL) == 7)
            w->ok++;
        char *h = evirt_conn_get_hostname(conn);
        if (h && strcmp(h, "fakehost") == 0)
            w->ok++;
        free(h);
        w->calls += 2;
    }
    return NULL;
}

static void *quit_when_done(void *opaque)
{
    pthread_t *workers = opaque;
    for (int i = 0; i < 3; i++)
        pthread_join(workers[i], NULL);
    evirt_loop_quit(loop);
    return NULL;
}

static void test_sync_from_other_threads(void **state)
{
    (void)state;
    pthread_t workers[3], quitter;
    struct worker w[3] = {{0}};
    /* Keep the loop alive while the workers start. */
    int ticks = 0;
    int keep = evirt_loop_add_timeout(loop, 1000, tick, &ticks, NULL);
    for (int i = 0; i < 3; i++)
        pthread_create(&workers[i], NULL, worker_main, &w[i]);
    pthread_create(&quitter, NULL, quit_when_done, workers);
    assert_int_equal(evirt_loop_run(loop), 0);
    pthread_join(quitter, NULL);
    evirt_loop_remove_timeout(loop, keep);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(w[i].calls, 400);
        assert_int_equal(w[i].ok, 400);
    }
}

static void test_fail_all_pending(void **state)
{
    (void)state;
    struct seen a = {0}, b = {0};
    evirt_conn_get_max_vcpus_async(conn, NULL, on_int, &a);
    evirt_conn_get_max_vcpus_async(conn, NULL, on_int, &b);
    /* What the remote driver does when its socket dies. */
    evirt_op_fail_all(conn, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_CONNECT, "peer went away");
    spin_until(&a.calls, 1);
    spin_until(&b.calls, 1);
    assert_int_equal(a.code, EVIRT_ERR_NO_CONNECT);
    assert_int_equal(b.code, EVIRT_ERR_NO_CONNECT);
    /* The timers fire later and their answers are dropped. */
    pump(20);
    assert_int_equal(a.calls, 1);
}

static void test_unknown_scheme(void **state)
{
    (void)state;
    evirt_conn *c = evirt_conn_open_on(loop, "nosuchdriver:///x", NULL, 0);
    assert_null(c);
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_NO_CONNECT);
    assert_non_null(strstr(evirt_last_error()->message, "nosuchdriver:///x"));
}

struct closed {
    int reason;
    int calls;
    int freed;
};

static void on_closed(evirt_conn *c, int reason, void *opaque)
{
    struct closed *cl = opaque;
    (void)c;
    cl->reason = reason;
    cl->calls++;
}

static void closed_free(void *opaque)
{
    ((struct closed *)opaque)->freed++;
}

static void test_close_callback_and_refs(void **state)
{
    (void)state;
    struct closed cl = {-1, 0, 0};
    assert_int_equal(evirt_conn_register_close_callback(conn, on_closed, &cl,
                                                        closed_free), 0);
    /* A handle holds the connection: close reports the references left. */
    unsigned char uuid[16] = {1};
    evirt_domain *d = evirt_domain_new_handle(conn, "d", uuid, -1);
    evirt_conn_ref(conn);
    assert_int_equal(evirt_conn_close(conn), 2);
    /* The driver notices the peer is gone: the callback runs once. */
    evirt_conn_notify_closed(conn, EVIRT_CONNECT_CLOSE_REASON_EOF);
    evirt_conn_notify_closed(conn, EVIRT_CONNECT_CLOSE_REASON_EOF);
    assert_int_equal(cl.calls, 1);
    assert_int_equal(cl.reason, EVIRT_CONNECT_CLOSE_REASON_EOF);
    /* Ops on a closed connection fail at once with NO_CONNECT. */
    assert_null(evirt_conn_get_hostname(conn));
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_NO_CONNECT);
    assert_int_equal(cl.freed, 0);
    evirt_domain_unref(d); /* the teardown's close drops the last one */
    assert_int_equal(evirt_conn_unregister_close_callback(conn, on_closed), 0);
    assert_int_equal(cl.freed, 1);
}

static void ignore_lifecycle(evirt_conn *c, evirt_domain *d, int event, int detail,
                             void *opaque)
{
    (void)c; (void)d; (void)event; (void)detail; (void)opaque;
}

static void test_event_register_refused(void **state)
{
    (void)state;
    event_register_calls = 0;
    refuse_events = 1;
    int id = evirt_conn_domain_event_register_any(
        conn, NULL, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
        EVIRT_DOMAIN_EVENT_CALLBACK(ignore_lifecycle), NULL, NULL);
    assert_int_equal(id, -1);
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_RPC);
    assert_int_equal(event_register_calls, 1);
    /* The refused registration is gone: the next one asks the driver
     * again instead of assuming the server already sends the events. */
    refuse_events = 0;
    id = evirt_conn_domain_event_register_any(
        conn, NULL, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
        EVIRT_DOMAIN_EVENT_CALLBACK(ignore_lifecycle), NULL, NULL);
    assert_true(id > 0);
    assert_int_equal(event_register_calls, 2);
    assert_int_equal(evirt_conn_domain_event_deregister_any(conn, id), 0);
    pump(2); /* the deregistered entry is freed on the loop */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_never_inside_async, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conn_default_timeout_sync, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_support_and_null_arg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_finish_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_in_flight, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_inside_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sync_from_other_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_all_pending, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_scheme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_callback_and_refs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_register_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
