/*
 * tests/test-remote-libvirtd.c - the remote driver against a real,
 * private libvirtd started by tests/test-remote-libvirtd.sh (which passes
 * its socket folder in REMOTE_TEST_DIR and its pid in LIBVIRTD_PID).
 *
 * Open and facts, errors as the server sent them, events (domain
 * lifecycle, network lifecycle, pool refresh), the read-only socket, the
 * ext and ssh transports (ssh through a stand-in that runs the far
 * command locally), bad URIs, and -- last -- libvirtd killed under
 * pending ops.  Everything runs on the default loop through the sync API,
 * plus async ops iterated by hand where timing matters.
 */
#include <config.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <evirt/evirt.h>

static const char *dir;
static char uri[1024];
static char uri_ro_sock[1024];

static const evirt_error *last(void)
{
    const evirt_error *e = evirt_last_error();
    assert_non_null(e);
    return e;
}

/* ---- iterating the loop until something happened ---- */

static void timeout_cb(int timer, void *opaque)
{
    (void)timer;
    *(int *)opaque = 1;
}

/* Runs loop until *flag >= want or ms pass; returns *flag >= want. */
static int wait_for(evirt_loop *loop, int *flag, int want, int ms)
{
    int timed_out = 0;
    int timer = evirt_loop_add_timeout(loop, ms, timeout_cb, &timed_out, NULL);
    assert_true(timer >= 0);
    while (*flag < want && !timed_out)
        evirt_loop_run_once(loop);
    evirt_loop_remove_timeout(loop, timer);
    return *flag >= want;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- open and facts ---- */

static void test_open_facts(void **state)
{
    (void)state;
    evirt_conn *conn = evirt_conn_open(uri);
    assert_non_null(conn);

    char *s = evirt_conn_get_uri(conn);
    assert_string_equal(s, uri); /* answered locally, as libvirt does */
    free(s);
    s = evirt_conn_get_type(conn);
    assert_string_equal(s, "TEST");
    free(s);
    assert_int_equal(evirt_conn_is_alive(conn), 1);
    assert_int_equal(evirt_conn_is_encrypted(conn), 0);

    unsigned long ver = 0;
    assert_int_equal(evirt_conn_get_lib_version(conn, &ver), 0);
    assert_true(ver >= 9000000); /* libvirtd's, not ours */

    evirt_domain *dom = evirt_domain_lookup_by_name(conn, "test");
    assert_non_null(dom);
    assert_string_equal(evirt_domain_get_name(dom), "test");
    evirt_domain_state_info st;
    assert_int_equal(evirt_domain_get_state(dom, 0, &st), 0);
    assert_int_equal(st.state, EVIRT_DOMAIN_RUNNING);
    evirt_domain_unref(dom);
    assert_int_equal(evirt_conn_close(conn), 0);
}

/* ---- errors keep the server's code, domain and message ---- */

static void test_server_errors(void **state)
{
    (void)state;
    evirt_conn *conn = evirt_conn_open(uri);
    assert_non_null(conn);

    evirt_domain *dom = evirt_domain_lookup_by_name(conn, "test");
    assert_non_null(dom);
    /* libvirt 9's test driver: "internal error: domain 'test' not paused"
     * (INTERNAL_ERROR, from the test driver); newer ones OPERATION_INVALID. */
    assert_int_equal(evirt_domain_resume(dom), -1);
    const evirt_error *e = last();
    assert_true(e->code == EVIRT_ERR_INTERNAL_ERROR ||
                e->code == EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(e->domain, EVIRT_FROM_TEST);
    assert_non_null(strstr(e->message, "not paused"));
    evirt_domain_unref(dom);

    assert_null(evirt_domain_lookup_by_name(conn, "no-such-domain"));
    e = last();
    assert_int_equal(e->code, EVIRT_ERR_NO_DOMAIN);
    assert_int_equal(e->domain, EVIRT_FROM_TEST);

    /* the connection is still fine after errors */
    char *h = evirt_conn_get_hostname(conn);
    assert_non_null(h);
    free(h);
    evirt_conn_close(conn);
}

/* ---- the read-only socket: the server refuses changes ---- */

static void test_read_only_socket(void **state)
{
    (void)state;
    evirt_conn *conn = evirt_conn_open(uri_ro_sock);
    assert_non_null(conn);
    assert_int_equal(evirt_conn_is_read_only(conn), 0); /* not asked... */
    evirt_domain *dom = evirt_domain_lookup_by_name(conn, "test");
    assert_non_null(dom); /* ...reads work */
    assert_int_equal(evirt_domain_destroy(dom), -1);
    assert_int_equal(last()->code, EVIRT_ERR_OPERATION_DENIED);
    evirt_domain_unref(dom);
    evirt_conn_close(conn);

    /* asked read-only: the library refuses before sending */
    conn = evirt_conn_open_read_only(uri);
    assert_non_null(conn);
    dom = evirt_domain_lookup_by_name(conn, "test");
    assert_non_null(dom);
    assert_int_equal(evirt_domain_suspend(dom), -1);
    assert_int_equal(last()->code, EVIRT_ERR_OPERATION_DENIED);
    evirt_domain_unref(dom);
    evirt_conn_close(conn);
}

/* ---- events ---- */

typedef struct {
    int n;
    int event, detail;
    char name[64];
} seen_event;

static void dom_lifecycle(evirt_conn *c, evirt_domain *d, int event, int detail,
                          void *opaque)
{
    seen_event *s = opaque;
    (void)c;
    s->event = event;
    s->detail = detail;
    snprintf(s->name, sizeof(s->name), "%s", evirt_domain_get_name(d));
    s->n++;
}

static void net_lifecycle(evirt_conn *c, evirt_network *n, int event, int detail,
                          void *opaque)
{
    seen_event *s = opaque;
    (void)c;
    s->event = event;
    s->detail = detail;
    snprintf(s->name, sizeof(s->name), "%s", evirt_network_get_name(n));
    s->n++;
}

static void pool_refresh(evirt_conn *c, evirt_storage_pool *p, void *opaque)
{
    seen_event *s = opaque;
    (void)c;
    snprintf(s->name, sizeof(s->name), "%s", evirt_storage_pool_get_name(p));
    s->n++;
}

static void test_events(void **state)
{
    (void)state;
    evirt_conn *conn = evirt_conn_open(uri);
    assert_non_null(conn);
    evirt_loop *loop = evirt_conn_get_loop(conn);

    seen_event ds = { 0 };
    int id = evirt_conn_domain_event_register_any(
        conn, NULL, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
        EVIRT_DOMAIN_EVENT_CALLBACK(dom_lifecycle), &ds, NULL);
    assert_true(id > 0);

    evirt_domain *dom = evirt_domain_lookup_by_name(conn, "test");
    assert_non_null(dom);
    assert_int_equal(evirt_domain_destroy(dom), 0);
    assert_true(wait_for(loop, &ds.n, 1, 5000));
    assert_int_equal(ds.event, EVIRT_DOMAIN_EVENT_STOPPED);
    assert_int_equal(ds.detail, EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_string_equal(ds.name, "test");

    assert_int_equal(evirt_domain_create(dom), 0);
    assert_true(wait_for(loop, &ds.n, 2, 5000));
    assert_int_equal(ds.event, EVIRT_DOMAIN_EVENT_STARTED);

    assert_int_equal(evirt_domain_suspend(dom), 0);
    assert_true(wait_for(loop, &ds.n, 3, 5000));
    assert_int_equal(ds.event, EVIRT_DOMAIN_EVENT_SUSPENDED);
    assert_int_equal(evirt_domain_resume(dom), 0);
    assert_true(wait_for(loop, &ds.n, 4, 5000));
    assert_int_equal(ds.event, EVIRT_DOMAIN_EVENT_RESUMED);

    /* after deregistering, nothing more arrives */
    assert_int_equal(evirt_conn_domain_event_deregister_any(conn, id), 0);
    assert_int_equal(evirt_domain_suspend(dom), 0);
    assert_false(wait_for(loop, &ds.n, 5, 500));
    assert_int_equal(evirt_domain_resume(dom), 0);
    evirt_domain_unref(dom);

    /* networks */
    seen_event ns = { 0 };
    id = evirt_conn_network_event_register_any(
        conn, NULL, EVIRT_NETWORK_EVENT_ID_LIFECYCLE,
        EVIRT_NETWORK_EVENT_CALLBACK(net_lifecycle), &ns, NULL);
    assert_true(id > 0);
    evirt_network *net = evirt_network_lookup_by_name(conn, "default");
    assert_non_null(net);
    assert_int_equal(evirt_network_destroy(net), 0);
    assert_true(wait_for(loop, &ns.n, 1, 5000));
    assert_int_equal(ns.event, EVIRT_NETWORK_EVENT_STOPPED);
    assert_string_equal(ns.name, "default");
    assert_int_equal(evirt_network_create(net), 0);
    assert_true(wait_for(loop, &ns.n, 2, 5000));
    assert_int_equal(ns.event, EVIRT_NETWORK_EVENT_STARTED);
    evirt_network_unref(net);
    assert_int_equal(evirt_conn_network_event_deregister_any(conn, id), 0);

    /* storage pool refresh */
    seen_event ps = { 0 };
    id = evirt_conn_storage_pool_event_register_any(
        conn, NULL, EVIRT_STORAGE_POOL_EVENT_ID_REFRESH, pool_refresh, &ps, NULL);
    assert_true(id > 0);
    evirt_storage_pool *pool = evirt_storage_pool_lookup_by_name(conn, "default-pool");
    assert_non_null(pool);
    assert_int_equal(evirt_storage_pool_refresh(pool, 0), 0);
    assert_true(wait_for(loop, &ps.n, 1, 5000));
    assert_string_equal(ps.name, "default-pool");
    evirt_storage_pool_unref(pool);
    assert_int_equal(evirt_conn_storage_pool_event_deregister_any(conn, id), 0);

    evirt_conn_close(conn);
}

/* ---- transports and URIs ---- */

static void write_script(const char *path, const char *body)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    assert_int_equal(chmod(path, 0755), 0);
}

static void hostname_works(const char *u)
{
    evirt_conn *conn = evirt_conn_open(u);
    if (!conn)
        fail_msg("open %s: %s", u, last()->message);
    char *h = evirt_conn_get_hostname(conn);
    assert_non_null(h);
    free(h);
    evirt_domain *dom = evirt_domain_lookup_by_name(conn, "test");
    assert_non_null(dom);
    evirt_domain_unref(dom);
    evirt_conn_close(conn);
}

static void test_ext_and_ssh(void **state)
{
    (void)state;
    char ext[600], ssh[600], body[1200], u[2048];

    /* ext: any program whose stdin/stdout reach the daemon */
    snprintf(ext, sizeof(ext), "%s/ext.sh", dir);
    snprintf(body, sizeof(body), "exec nc -U '%s/libvirt-sock'", dir);
    write_script(ext, body);
    snprintf(u, sizeof(u), "test+ext:///default?command=%s", ext);
    hostname_works(u);

    /* ssh: a stand-in for ssh that runs the far command (its last
     * argument) here; netcat= and socket= shape that command */
    snprintf(ssh, sizeof(ssh), "%s/fake-ssh.sh", dir);
    write_script(ssh, "for a; do last=$a; done; exec sh -c \"$last\"");
    snprintf(u, sizeof(u),
             "test+ssh://someone@localhost:2222/default?command=%s&netcat=nc"
             "&socket=%s/libvirt-sock&no_tty=1", ssh, dir);
    hostname_works(u);
}

static void test_bad_uris(void **state)
{
    (void)state;
    assert_null(evirt_conn_open("test+tls://localhost/default"));
    assert_int_equal(last()->code, EVIRT_ERR_NO_SUPPORT);

    char u[1200];
    snprintf(u, sizeof(u), "test+unix:///default?socket=%s/libvirt-sock&auth=sasl", dir);
    assert_null(evirt_conn_open(u));
    assert_int_equal(last()->code, EVIRT_ERR_AUTH_FAILED);

    assert_null(evirt_conn_open("test+pigeon:///default"));
    assert_int_equal(last()->code, EVIRT_ERR_INVALID_ARG);

    snprintf(u, sizeof(u), "test+unix:///default?socket=%s/no-such-sock", dir);
    assert_null(evirt_conn_open(u));
    assert_int_equal(last()->code, EVIRT_ERR_SYSTEM_ERROR);

    assert_null(evirt_conn_open("test+ext:///default"));
    assert_int_equal(last()->code, EVIRT_ERR_INVALID_ARG);

    /* without transport or host, test:/// stays in process */
    evirt_conn *conn = evirt_conn_open("test:///default");
    assert_non_null(conn);
    unsigned long ver = 0;
    assert_int_equal(evirt_conn_get_lib_version(conn, &ver), 0);
    assert_true(ver < 9000000); /* evirt's own version, not libvirtd's */
    evirt_conn_close(conn);
}

/* ---- libvirtd dies under pending ops ---- */

typedef struct {
    int done;
    int failed;
    int codes[8];
} pending;

static void hostname_done(evirt_op *op, void *opaque)
{
    pending *p = opaque;
    char *h = evirt_conn_get_hostname_finish(op);
    if (!h) {
        p->codes[p->failed] = evirt_op_error(op)->code;
        p->failed++;
    }
    free(h);
    p->done++;
}

static int close_reason = -1;
static int closed;

static void on_close(evirt_conn *c, int reason, void *opaque)
{
    (void)c;
    (void)opaque;
    close_reason = reason;
    closed++;
}

static void test_daemon_dies(void **state)
{
    (void)state;
    const char *pid_s = getenv("LIBVIRTD_PID");
    if (!pid_s)
        skip();
    evirt_conn *conn = evirt_conn_open(uri);
    assert_non_null(conn);
    evirt_loop *loop = evirt_conn_get_loop(conn);
    assert_int_equal(evirt_conn_register_close_callback(conn, on_close, NULL, NULL), 0);
    char *h = evirt_conn_get_hostname(conn);
    assert_non_null(h);
    free(h);

    pending p = { 0 };
    /* Freeze the daemon first so that all five calls are truly pending
     * (a call written at once could otherwise be answered before the
     * kill), then make it vanish under them. */
    assert_int_equal(kill((pid_t)atoi(pid_s), SIGSTOP), 0);
    for (int i = 0; i < 5; i++)
        assert_non_null(evirt_conn_get_hostname_async(conn, hostname_done, &p));
    int never = 0;
    assert_false(wait_for(loop, &never, 1, 100)); /* the calls go out */
    assert_int_equal(p.done, 0);                  /* and nobody answers */
    assert_int_equal(kill((pid_t)atoi(pid_s), SIGKILL), 0);
    usleep(300 * 1000);

    double t0 = now();
    assert_true(wait_for(loop, &p.done, 5, 5000));
    assert_true(wait_for(loop, &closed, 1, 5000));
    /* at once: not after a keepalive timeout */
    assert_true(now() - t0 < 2.0);
    assert_int_equal(p.failed, 5);
    for (int i = 0; i < 5; i++)
        assert_int_not_equal(p.codes[i], 0);
    assert_true(close_reason == EVIRT_CONNECT_CLOSE_REASON_EOF ||
                close_reason == EVIRT_CONNECT_CLOSE_REASON_ERROR);
    assert_int_equal(closed, 1);

    /* later ops fail at once */
    t0 = now();
    assert_null(evirt_conn_get_hostname(conn));
    assert_int_not_equal(last()->code, 0);
    assert_true(now() - t0 < 1.0);
    evirt_conn_close(conn);
    /* let the driver's deferred cleanup run */
    wait_for(loop, &never, 1, 100);
}

int main(void)
{
    dir = getenv("REMOTE_TEST_DIR");
    if (!dir) {
        fprintf(stderr, "SKIP: run through tests/test-remote-libvirtd.sh\n");
        return 77;
    }
    snprintf(uri, sizeof(uri), "test+unix:///default?socket=%s/libvirt-sock", dir);
    snprintf(uri_ro_sock, sizeof(uri_ro_sock),
             "test+unix:///default?socket=%s/libvirt-sock-ro", dir);

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_facts),
        cmocka_unit_test(test_server_errors),
        cmocka_unit_test(test_read_only_socket),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_ext_and_ssh),
        cmocka_unit_test(test_bad_uris),
        cmocka_unit_test(test_daemon_dies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
