/*
 * tests/test-daemon-events.c - evirtd's event procedures
 * (daemon/remote-events.c) on a real server: a raw client registers in
 * the callback form (316/313/368) and the legacy form (105/167), another
 * connection to the shared test:///default changes domains, networks and
 * pools, and the client must receive libvirt's event messages (procedure,
 * serial 1, callbackID, body) -- and nothing after deregistering.
 * Clients that vanish with registrations (some still being made) must
 * leave the daemon healthy (ASan checks the rest).
 */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "rpc/server.h"
#include "rpc/message.h"
#include "rpc/remote-xdr.h"
#include "daemon/remote.h"
#include "tests/rpc-raw.h"

#define PROG 0x20008086u

typedef struct {
    char dir[64];
    char path[128];
    evirt_loop *loop;
    evirt_rpc_server *srv;
    pthread_t thread;
    evirt_conn *actor;          /* changes things, from the test thread */
    evirt_domain *dom;          /* the actor's "test", "default", "default-pool" */
    evirt_network *net;
    evirt_storage_pool *pool;
} fixture;

static fixture *
fixture_start(void)
{
    fixture *f = calloc(1, sizeof(*f));
    evirt_error err = { 0 };

    assert_non_null(f);
    strcpy(f->dir, "/tmp/test-daemon-events-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/libvirt-sock", f->dir);
    f->loop = evirt_loop_new(NULL);
    f->srv = evirt_rpc_server_new(f->loop, NULL);
    assert_int_equal(evirtd_remote_register(f->srv, f->loop), 0);
    assert_int_equal(evirt_rpc_server_add_unix(f->srv, f->path, 0700, (gid_t)-1, 0, &err), 0);
    f->thread = rpc_raw_run_loop(f->loop);
    /* The daemon shares test:///default: this connection is the clients' host. */
    f->actor = evirt_conn_open_on(f->loop, "test:///default", NULL, 0);
    assert_non_null(f->actor);
    assert_non_null(f->dom = evirt_domain_lookup_by_name(f->actor, "test"));
    assert_non_null(f->net = evirt_network_lookup_by_name(f->actor, "default"));
    assert_non_null(f->pool = evirt_storage_pool_lookup_by_name(f->actor, "default-pool"));
    return f;
}

static int
setup(void **state)
{
    *state = fixture_start();
    return 0;
}

/* Runs after a failed test too, so the next one gets a fresh daemon. */
static int
teardown(void **state)
{
    fixture *f = *state;

    /* Handles first: the shared host goes with its last connection. */
    evirt_domain_unref(f->dom);
    evirt_network_unref(f->net);
    evirt_storage_pool_unref(f->pool);
    evirt_conn_close(f->actor);
    rpc_raw_stop_loop(f->loop, f->thread);
    evirt_rpc_server_free(f->srv);
    evirtd_remote_shutdown();
    evirt_loop_free(f->loop);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- raw client --------------------------------------------------------- */

/* Sends a CALL whose body proc encodes from args (proc NULL: empty). */
static void
call(int fd, int proc, uint32_t serial, xdrproc_t xproc, void *args)
{
    char buf[4096];
    XDR x;
    u_int body = 0;

    if (xproc) {
        xdrmem_create(&x, buf, sizeof(buf), XDR_ENCODE);
        assert_true(xproc(&x, args));
        body = xdr_getpos(&x);
        xdr_destroy(&x);
    }
    rpc_raw_send_packet(fd, PROG, 1, proc, 0 /* CALL */, serial, 0, buf, body);
}

/* Receives the next packet: type, proc, serial and status as given; the
 * body decoded into out by xproc (when not NULL). */
static void
expect(int fd, int type, int proc, uint32_t serial, xdrproc_t xproc, void *out)
{
    size_t len;
    unsigned char *p = rpc_raw_recv_packet(fd, &len);
    XDR x;

    assert_non_null(p);
    assert_int_equal(rpc_raw_get32(p + 4), PROG);
    assert_int_equal((int32_t)rpc_raw_get32(p + 12), proc);
    assert_int_equal(rpc_raw_get32(p + 16), (uint32_t)type);
    assert_int_equal(rpc_raw_get32(p + 20), serial);
    if (rpc_raw_get32(p + 24) != 0) {
        evirt_error e = { 0 };
        xdrmem_create(&x, (char *)p + 28, (u_int)(len - 28), XDR_DECODE);
        if (evirt_rpc_xdr_error(&x, &e))
            print_error("unexpected error: %s\n", e.message);
        evirt_error_reset(&e);
        fail();
    }
    if (xproc) {
        xdrmem_create(&x, (char *)p + 28, (u_int)(len - 28), XDR_DECODE);
        assert_true(xproc(&x, out));
        assert_int_equal(xdr_getpos(&x), len - 28);     /* nothing left over */
        xdr_destroy(&x);
    } else {
        assert_int_equal(len, 28);
    }
    free(p);
}

#define REPLY 1
#define MESSAGE 2

static void
expect_reply(int fd, int proc, uint32_t serial, xdrproc_t xproc, void *out)
{
    expect(fd, REPLY, proc, serial, xproc, out);
}

/* An error reply from the remote program in the RPC domain. */
static void
expect_error(int fd, int proc, uint32_t serial, int code, const char *message)
{
    rpc_raw_expect_error(fd, 0, PROG, 1, proc, serial, code, EVIRT_FROM_RPC, message);
}

static void
open_default(int fd)
{
    /* CONNECT_OPEN args: name (optional string), flags */
    unsigned char body[] = {
        0, 0, 0, 1, 0, 0, 0, 15, 't', 'e', 's', 't', ':', '/', '/', '/', 'd', 'e',
        'f', 'a', 'u', 'l', 't', 0, 0, 0, 0, 0,
    };
    rpc_raw_send_packet(fd, PROG, 1, 1, 0, 0, 0, body, sizeof(body));
    expect_reply(fd, 1, 0, NULL, NULL);
}

/* ---- wire values ---------------------------------------------------------- */

static const unsigned char test_uuid[16] = {
    0x66, 0x95, 0xeb, 0x01, 0xf6, 0xa4, 0x83, 0x04,
    0x79, 0xaa, 0x97, 0xf2, 0x50, 0x2e, 0x19, 0x3f,
};

static int
dom_register(int fd, uint32_t serial, int event_id, evirt_remote_dom *dom)
{
    evirt_remote_connect_domain_event_callback_register_any_args a = { event_id, dom };
    evirt_remote_connect_event_register_any_ret r = { -1 };

    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, serial,
         (xdrproc_t)xdr_evirt_remote_connect_domain_event_callback_register_any_args, &a);
    expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, serial,
                 (xdrproc_t)xdr_evirt_remote_connect_event_register_any_ret, &r);
    return r.callbackID;
}

static void
deregister(int fd, int proc, uint32_t serial, int id)
{
    evirt_remote_connect_event_deregister_any_args a = { id };
    call(fd, proc, serial, (xdrproc_t)xdr_evirt_remote_connect_event_deregister_any_args, &a);
    expect_reply(fd, proc, serial, NULL, NULL);
}

static void
expect_dom_lifecycle(int fd, int cb, int id, int event, int detail)
{
    evirt_remote_domain_event_callback_lifecycle_msg m;
    memset(&m, 0, sizeof(m));
    expect(fd, MESSAGE, EVIRT_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_LIFECYCLE, 1,
           (xdrproc_t)xdr_evirt_remote_domain_event_callback_lifecycle_msg, &m);
    assert_int_equal(m.callbackID, cb);
    assert_string_equal(m.dom.name, "test");
    assert_memory_equal(m.dom.uuid, test_uuid, 16);
    if (id < 0)
        assert_int_equal(m.dom.id, -1);
    else
        assert_true(m.dom.id > 0);
    assert_int_equal(m.event, event);
    assert_int_equal(m.detail, detail);
    xdr_free((xdrproc_t)xdr_evirt_remote_domain_event_callback_lifecycle_msg, (char *)&m);
}

/* ---- tests ------------------------------------------------------------- */

/* 316/317: lifecycle and reboot of every / one domain, dormant ids,
 * unknown ids, deregistration. */
static void
test_domain_callback_events(void **state)
{
    fixture *f = *state;
    int fd = rpc_raw_connect(f->path);
    evirt_remote_dom test = { "test", { 0 }, 1 };
    evirt_remote_dom nope = { "nope", { 0 }, -1 };
    evirt_domain *d = f->dom;

    memcpy(test.uuid, test_uuid, 16);
    memset(nope.uuid, 0x42, 16);
    open_default(fd);
    assert_int_equal(dom_register(fd, 1, 0, NULL), 0);                /* lifecycle */
    assert_int_equal(dom_register(fd, 2, 1, &test), 1);               /* reboot of test */
    assert_int_equal(dom_register(fd, 3, 2, NULL), 2);                /* RTC: never raised */
    assert_int_equal(dom_register(fd, 4, 0, &nope), 3);               /* another domain */
    {
        evirt_remote_connect_domain_event_callback_register_any_args a = { 27, NULL };
        call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 5,
             (xdrproc_t)xdr_evirt_remote_connect_domain_event_callback_register_any_args, &a);
        expect_error(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 5,
                     EVIRT_ERR_INTERNAL_ERROR, "internal error: unsupported event ID 27");
    }

    assert_int_equal(evirt_domain_destroy(d), 0);
    expect_dom_lifecycle(fd, 0, -1, EVIRT_DOMAIN_EVENT_STOPPED,
                         EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_int_equal(evirt_domain_create(d), 0);
    expect_dom_lifecycle(fd, 0, 1, EVIRT_DOMAIN_EVENT_STARTED,
                         EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    assert_int_equal(evirt_domain_reboot(d, 0), 0);
    {
        evirt_remote_domain_event_callback_reboot_msg m;
        memset(&m, 0, sizeof(m));
        expect(fd, MESSAGE, EVIRT_REMOTE_PROC_DOMAIN_EVENT_CALLBACK_REBOOT, 1,
               (xdrproc_t)xdr_evirt_remote_domain_event_callback_reboot_msg, &m);
        assert_int_equal(m.callbackID, 1);
        assert_string_equal(m.dom.name, "test");
        xdr_free((xdrproc_t)xdr_evirt_remote_domain_event_callback_reboot_msg, (char *)&m);
    }
    rpc_raw_expect_silence(fd, 100);    /* nothing for "nope", nothing for RTC */

    deregister(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 6, 0);
    deregister(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 7, 2);
    {
        evirt_remote_connect_event_deregister_any_args a = { 0 };
        call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 8,
             (xdrproc_t)xdr_evirt_remote_connect_event_deregister_any_args, &a);
        expect_error(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, 8,
                     EVIRT_ERR_INTERNAL_ERROR,
                     "internal error: domain event callback 0 not registered");
    }
    assert_int_equal(evirt_domain_destroy(d), 0);
    rpc_raw_expect_silence(fd, 200);
    assert_int_equal(evirt_domain_create(d), 0);
    rpc_raw_expect_silence(fd, 100);

    close(fd);
}

/* 105/106 and 167/168: messages without a callbackID (107, 169). */
static void
test_legacy_domain_events(void **state)
{
    fixture *f = *state;
    int fd = rpc_raw_connect(f->path);
    evirt_domain *d = f->dom;
    evirt_remote_connect_domain_event_register_ret r = { -1 };
    evirt_remote_connect_domain_event_register_any_args a;
    evirt_remote_domain_event_lifecycle_msg m;
    evirt_remote_dom w;

    open_default(fd);
    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, 1, NULL, NULL);
    expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER, 1,
                 (xdrproc_t)xdr_evirt_remote_connect_domain_event_register_ret, &r);
    assert_int_equal(r.cb_registered, 0);       /* libvirtd leaves it 0 */
    a.eventID = EVIRT_DOMAIN_EVENT_ID_REBOOT;
    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, 2,
         (xdrproc_t)xdr_evirt_remote_connect_domain_event_register_any_args, &a);
    expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, 2, NULL, NULL);
    a.eventID = 16;             /* the legacy form stops at 15 */
    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, 3,
         (xdrproc_t)xdr_evirt_remote_connect_domain_event_register_any_args, &a);
    expect_error(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_REGISTER_ANY, 3,
                 EVIRT_ERR_INTERNAL_ERROR, "internal error: unsupported event ID 16");

    assert_int_equal(evirt_domain_destroy(d), 0);
    memset(&m, 0, sizeof(m));
    expect(fd, MESSAGE, EVIRT_REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE, 1,
           (xdrproc_t)xdr_evirt_remote_domain_event_lifecycle_msg, &m);
    assert_string_equal(m.dom.name, "test");
    assert_int_equal(m.dom.id, -1);
    assert_int_equal(m.event, EVIRT_DOMAIN_EVENT_STOPPED);
    assert_int_equal(m.detail, EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    xdr_free((xdrproc_t)xdr_evirt_remote_domain_event_lifecycle_msg, (char *)&m);
    assert_int_equal(evirt_domain_create(d), 0);
    memset(&m, 0, sizeof(m));
    expect(fd, MESSAGE, EVIRT_REMOTE_PROC_DOMAIN_EVENT_LIFECYCLE, 1,
           (xdrproc_t)xdr_evirt_remote_domain_event_lifecycle_msg, &m);
    assert_int_equal(m.event, EVIRT_DOMAIN_EVENT_STARTED);
    assert_true(m.dom.id > 0);
    xdr_free((xdrproc_t)xdr_evirt_remote_domain_event_lifecycle_msg, (char *)&m);
    assert_int_equal(evirt_domain_reboot(d, 0), 0);
    memset(&w, 0, sizeof(w));
    expect(fd, MESSAGE, 169, 1, (xdrproc_t)xdr_evirt_remote_dom, &w);
    assert_string_equal(w.name, "test");
    assert_memory_equal(w.uuid, test_uuid, 16);
    xdr_free((xdrproc_t)xdr_evirt_remote_dom, (char *)&w);

    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, 4, NULL, NULL);
    expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER, 4,
                 (xdrproc_t)xdr_evirt_remote_connect_domain_event_register_ret, &r);
    a.eventID = EVIRT_DOMAIN_EVENT_ID_REBOOT;
    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, 5,
         (xdrproc_t)xdr_evirt_remote_connect_domain_event_register_any_args, &a);
    expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, 5, NULL, NULL);
    call(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, 6,
         (xdrproc_t)xdr_evirt_remote_connect_domain_event_register_any_args, &a);
    expect_error(fd, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, 6,
                 EVIRT_ERR_INTERNAL_ERROR, "internal error: domain event 1 not registered");
    assert_int_equal(evirt_domain_reboot(d, 0), 0);
    assert_int_equal(evirt_domain_destroy(d), 0);
    rpc_raw_expect_silence(fd, 200);
    assert_int_equal(evirt_domain_create(d), 0);

    close(fd);
}

/* 313/314 and 368/369: network lifecycle, pool lifecycle and refresh. */
static void
test_network_and_pool_events(void **state)
{
    fixture *f = *state;
    int fd = rpc_raw_connect(f->path);
    evirt_network *net = f->net;
    evirt_storage_pool *pool = f->pool;
    evirt_remote_connect_network_event_register_any_args na = { 0, NULL };
    evirt_remote_connect_storage_pool_event_register_any_args pa = { 0, NULL };
    evirt_remote_connect_event_register_any_ret r;

    open_default(fd);
    call(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, 1,
         (xdrproc_t)xdr_evirt_remote_connect_network_event_register_any_args, &na);
    expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, 1,
                 (xdrproc_t)xdr_evirt_remote_connect_event_register_any_ret, &r);
    assert_int_equal(r.callbackID, 0);
    na.eventID = 1;
    call(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, 2,
         (xdrproc_t)xdr_evirt_remote_connect_network_event_register_any_args, &na);
    expect_error(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, 2,
                 EVIRT_ERR_INTERNAL_ERROR, "internal error: unsupported network event ID 1");
    for (int id = 0; id < 2; id++) {
        pa.eventID = id;
        call(fd, EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY, 3 + (uint32_t)id,
             (xdrproc_t)xdr_evirt_remote_connect_storage_pool_event_register_any_args, &pa);
        expect_reply(fd, EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY,
                     3 + (uint32_t)id,
                     (xdrproc_t)xdr_evirt_remote_connect_event_register_any_ret, &r);
        assert_int_equal(r.callbackID, 1 + id);
    }

    assert_int_equal(evirt_network_destroy(net), 0);
    {
        evirt_remote_network_event_lifecycle_msg m;
        memset(&m, 0, sizeof(m));
        expect(fd, MESSAGE, EVIRT_REMOTE_PROC_NETWORK_EVENT_LIFECYCLE, 1,
               (xdrproc_t)xdr_evirt_remote_network_event_lifecycle_msg, &m);
        assert_int_equal(m.callbackID, 0);
        assert_string_equal(m.net.name, "default");
        assert_int_equal(m.event, EVIRT_NETWORK_EVENT_STOPPED);
        xdr_free((xdrproc_t)xdr_evirt_remote_network_event_lifecycle_msg, (char *)&m);
    }
    assert_int_equal(evirt_storage_pool_refresh(pool, 0), 0);
    {
        evirt_remote_storage_pool_event_refresh_msg m;
        memset(&m, 0, sizeof(m));
        expect(fd, MESSAGE, EVIRT_REMOTE_PROC_STORAGE_POOL_EVENT_REFRESH, 1,
               (xdrproc_t)xdr_evirt_remote_storage_pool_event_refresh_msg, &m);
        assert_int_equal(m.callbackID, 2);
        assert_string_equal(m.pool.name, "default-pool");
        xdr_free((xdrproc_t)xdr_evirt_remote_storage_pool_event_refresh_msg, (char *)&m);
    }
    assert_int_equal(evirt_storage_pool_destroy(pool), 0);
    {
        evirt_remote_storage_pool_event_lifecycle_msg m;
        memset(&m, 0, sizeof(m));
        expect(fd, MESSAGE, EVIRT_REMOTE_PROC_STORAGE_POOL_EVENT_LIFECYCLE, 1,
               (xdrproc_t)xdr_evirt_remote_storage_pool_event_lifecycle_msg, &m);
        assert_int_equal(m.callbackID, 1);
        assert_string_equal(m.pool.name, "default-pool");
        assert_int_equal(m.event, EVIRT_STORAGE_POOL_EVENT_STOPPED);
        xdr_free((xdrproc_t)xdr_evirt_remote_storage_pool_event_lifecycle_msg, (char *)&m);
    }

    deregister(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, 5, 0);
    deregister(fd, EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, 6, 1);
    deregister(fd, EVIRT_REMOTE_PROC_CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY, 7, 2);
    {
        /* a pool id is not a network id */
        evirt_remote_connect_event_deregister_any_args a = { 2 };
        call(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, 8,
             (xdrproc_t)xdr_evirt_remote_connect_event_deregister_any_args, &a);
        expect_error(fd, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_DEREGISTER_ANY, 8,
                     EVIRT_ERR_INTERNAL_ERROR,
                     "internal error: network event callback 2 not registered");
    }
    assert_int_equal(evirt_network_create(net), 0);
    assert_int_equal(evirt_storage_pool_create(pool, 0), 0);
    assert_int_equal(evirt_storage_pool_refresh(pool, 0), 0);
    rpc_raw_expect_silence(fd, 200);

    close(fd);
}

/* Clients that go away holding registrations, one with a registration
 * still unanswered, one after CONNECT_CLOSE: later events reach nobody
 * freed, and a new client still gets its events. */
static void
test_clients_gone(void **state)
{
    fixture *f = *state;
    evirt_domain *d = f->dom;
    int a = rpc_raw_connect(f->path), b = rpc_raw_connect(f->path), c = rpc_raw_connect(f->path), e;
    evirt_remote_connect_domain_event_callback_register_any_args args = { 0, NULL };
    evirt_remote_connect_network_event_register_any_args na = { 0, NULL };

    open_default(a);
    open_default(b);
    open_default(c);
    assert_int_equal(dom_register(a, 1, 0, NULL), 0);
    assert_int_equal(dom_register(a, 2, 1, NULL), 1);
    call(a, EVIRT_REMOTE_PROC_CONNECT_NETWORK_EVENT_REGISTER_ANY, 3,
         (xdrproc_t)xdr_evirt_remote_connect_network_event_register_any_args, &na);
    assert_int_equal(dom_register(b, 1, 0, NULL), 0);
    /* b: a registration, then gone before its answer */
    call(b, EVIRT_REMOTE_PROC_CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, 2,
         (xdrproc_t)xdr_evirt_remote_connect_domain_event_callback_register_any_args, &args);
    close(b);
    close(a);
    /* c: registered, then CONNECT_CLOSE */
    assert_int_equal(dom_register(c, 1, 0, NULL), 0);
    call(c, 2, 2, NULL, NULL);
    expect_reply(c, 2, 2, NULL, NULL);
    close(c);

    e = rpc_raw_connect(f->path);
    open_default(e);
    assert_int_equal(dom_register(e, 1, 0, NULL), 0);
    assert_int_equal(evirt_domain_destroy(d), 0);
    expect_dom_lifecycle(e, 0, -1, EVIRT_DOMAIN_EVENT_STOPPED,
                         EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_int_equal(evirt_domain_create(d), 0);
    expect_dom_lifecycle(e, 0, 1, EVIRT_DOMAIN_EVENT_STARTED,
                         EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    close(e);

}

/* DOMAIN_GET_SECURITY_LABEL (121), which virsh dominfo asks after the
 * host's model: the test host's label, enforced, NUL counted. */
static void
test_security_label(void **state)
{
    fixture *f = *state;
    int fd = rpc_raw_connect(f->path);
    evirt_remote_domain_args a;
    evirt_remote_domain_get_security_label_ret r;

    open_default(fd);
    memset(&a, 0, sizeof(a));
    a.dom.name = "test";
    memcpy(a.dom.uuid, test_uuid, 16);
    a.dom.id = 1;
    memset(&r, 0, sizeof(r));
    call(fd, EVIRT_REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL, 1,
         (xdrproc_t)xdr_evirt_remote_domain_args, &a);
    expect_reply(fd, EVIRT_REMOTE_PROC_DOMAIN_GET_SECURITY_LABEL, 1,
                 (xdrproc_t)xdr_evirt_remote_domain_get_security_label_ret, &r);
    assert_int_equal(r.label.label_len, sizeof("libvirt-test"));
    assert_memory_equal(r.label.label_val, "libvirt-test", sizeof("libvirt-test"));
    assert_int_equal(r.enforcing, 1);
    xdr_free((xdrproc_t)xdr_evirt_remote_domain_get_security_label_ret, (char *)&r);
    close(fd);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_domain_callback_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_domain_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_and_pool_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clients_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_security_label, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
