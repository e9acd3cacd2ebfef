/*
 * tests/test-remote-close.c - what closing a remote connection leaves
 * behind, against evirtd's procedures on a server in this process.
 *
 * An application that runs its own loop (a GUI) opens and closes
 * connections for hours: each close must give back its socket without
 * blocking and without creating anything of its own (no default loop, no
 * fds).  A sync program (the default loop, which nobody iterates between
 * calls) must find the daemon already rid of the client when close
 * returns, as with libvirt's virConnectClose.
 */
#include <config.h>

#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "rpc/server.h"
#include "tests/rpc-raw.h"
#include "daemon/remote.h"
#include "drivers/remote/remote-private.h"

typedef struct {
    char dir[64];
    char uri[192];
    evirt_loop *loop;
    evirt_rpc_server *srv;
    pthread_t thread;
} fixture;

static fixture fx;

static int
count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1;   /* the directory stream's own */
}

typedef struct { size_t n; sem_t done; } count_call;

static void
count_on_loop(void *opaque)
{
    count_call *cc = opaque;
    cc->n = evirt_rpc_server_client_count(fx.srv);
    sem_post(&cc->done);
}

/* The server's client count, read on its loop thread. */
static size_t
server_clients(void)
{
    count_call cc;

    sem_init(&cc.done, 0, 0);
    assert_int_equal(evirt_loop_invoke(fx.loop, count_on_loop, &cc), 0);
    sem_wait(&cc.done);
    sem_destroy(&cc.done);
    return cc.n;
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
tick(int timer, void *opaque)
{
    (void)timer;
    (void)opaque;
}

static int
setup(void **state)
{
    evirt_error err = { 0 };

    strcpy(fx.dir, "/tmp/test-remote-close-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    snprintf(fx.uri, sizeof(fx.uri),
             "test+unix:///default?socket=%s/libvirt-sock", fx.dir);
    char path[128];
    snprintf(path, sizeof(path), "%s/libvirt-sock", fx.dir);
    fx.loop = evirt_loop_new(NULL);
    assert_non_null(fx.loop);
    fx.srv = evirt_rpc_server_new(fx.loop, NULL);
    assert_non_null(fx.srv);
    assert_int_equal(evirtd_remote_register(fx.srv, fx.loop), 0);
    /* This process is the daemon and its client: let the client side
     * reach the daemon (evirtd itself refuses remote URIs). */
    evirt_remote_driver_set_in_daemon(0);
    assert_int_equal(evirt_rpc_server_add_unix(fx.srv, path, 0700, (gid_t)-1, 0,
                                               &err), 0);
    fx.thread = rpc_raw_run_loop(fx.loop);
    return 0;
}

static int
teardown(void **state)
{
    rpc_raw_stop_loop(fx.loop, fx.thread);
    evirt_rpc_server_free(fx.srv);
    evirtd_remote_shutdown();
    evirt_loop_free(fx.loop);
    rmdir(fx.dir);
    return 0;
}

/* Runs first: nothing in this process has made the default loop yet, so
 * one made by a close would show as five more fds (epoll, eventfds, pipe). */
static void
test_close_on_application_loop(void **state)
{
    evirt_loop *app = evirt_loop_new(NULL);
    int fds0, t;

    assert_non_null(app);
    fds0 = count_fds();
    for (int round = 0; round < 20; round++) {
        evirt_conn *c = evirt_conn_open_on(app, fx.uri, NULL, 0);
        assert_non_null(c);
        if (round == 0)     /* its socket, and the server's accepted one */
            assert_int_equal(count_fds(), fds0 + 2);
        evirt_conn_close(c);
    }
    /* close did not wait: the loop lets the sockets go as the daemon's
     * answers to CONNECT_CLOSE come in (the tick bounds each pass) */
    t = evirt_loop_add_timeout(app, 10, tick, NULL, NULL);
    for (double t0 = now_s(); count_fds() > fds0 && now_s() - t0 < 5;)
        assert_int_equal(evirt_loop_run_once(app), 0);
    evirt_loop_remove_timeout(app, t);
    assert_int_equal(count_fds(), fds0);
    assert_int_equal(server_clients(), 0);
    evirt_loop_free(app);
}

/* The sync API's default loop: close returns once the daemon answered. */
static void
test_close_sync_program(void **state)
{
    evirt_conn *c = evirt_conn_open(fx.uri);
    int fds;

    assert_non_null(c);
    assert_int_equal(server_clients(), 1);
    fds = count_fds();
    evirt_conn_close(c);
    /* our socket is gone; the server's goes once it reads our EOF */
    assert_true(count_fds() <= fds - 1);
    for (double t0 = now_s(); server_clients() > 0 && now_s() - t0 < 5;)
        usleep(1000);
    assert_int_equal(server_clients(), 0);
    assert_int_equal(count_fds(), fds - 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_close_on_application_loop),
        cmocka_unit_test(test_close_sync_program),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
