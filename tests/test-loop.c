/*
 * tests/test-loop.c - the loop contract, on libevent (test-loop) and on
 * GLib (test-loop-glib, built with -DEVIRT_TEST_GLIB): fd watches,
 * timeouts, deferred frees, invoke from any thread, quit, ownership.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <event2/event.h>

#include <evirt/loop.h>
#include "loop/loop-private.h"
#ifdef EVIRT_TEST_GLIB
# include <evirt/loop-glib.h>
#endif

/* ---- helpers ----------------------------------------------------------- */

static evirt_loop *
make_loop(void)
{
#ifdef EVIRT_TEST_GLIB
    GMainContext *ctx = g_main_context_new();
    evirt_loop *loop = evirt_loop_new_glib(ctx);
    g_main_context_unref(ctx);
    return loop;
#else
    return evirt_loop_new(NULL);
#endif
}

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
guard_cb(int timer, void *opaque)
{
}

/*
 * Iterates until *flag >= want or ms elapsed; a 5 ms guard timer keeps
 * run_once from blocking for ever when nothing happens.
 */
static void
run_until(evirt_loop *loop, atomic_int *flag, int want, int ms)
{
    int guard = evirt_loop_add_timeout(loop, 5, guard_cb, NULL, NULL);
    int64_t end = now_ms() + ms;

    assert_true(guard > 0);
    while ((!flag || atomic_load(flag) < want) && now_ms() < end)
        assert_int_equal(evirt_loop_run_once(loop), 0);
    assert_int_equal(evirt_loop_remove_timeout(loop, guard), 0);
}

static void
run_for(evirt_loop *loop, int ms)
{
    run_until(loop, NULL, 0, ms);
}

static int
setup(void **state)
{
    evirt_loop *loop = make_loop();
    if (!loop)
        return -1;
    *state = loop;
    return 0;
}

static int
teardown(void **state)
{
    evirt_loop_free(*state);
    return 0;
}

typedef struct {
    evirt_loop *loop;
    atomic_int calls;
    atomic_int freed;
    int id;
    int last_fd;
    int last_events;
    int last_id;
    int in_dispatch;
    int current;
    int remove_in_cb;
    int freed_inside_remove;
    int stop_after;       /* update_watch(0) / update_timeout(-1) after N */
} probe;

static void
probe_free(void *opaque)
{
    probe *p = opaque;
    atomic_fetch_add(&p->freed, 1);
}

static void
probe_watch_cb(int watch, int fd, int events, void *opaque)
{
    probe *p = opaque;
    int n = atomic_fetch_add(&p->calls, 1) + 1;

    p->last_id = watch;
    p->last_fd = fd;
    p->last_events = events;
    p->in_dispatch = evirt_loop_in_dispatch(p->loop);
    p->current = evirt_loop_is_current_thread(p->loop);
    if (p->remove_in_cb) {
        assert_int_equal(evirt_loop_remove_watch(p->loop, watch), 0);
        p->freed_inside_remove = atomic_load(&p->freed);
        assert_int_equal(evirt_loop_remove_watch(p->loop, watch), -1);
    }
    if (p->stop_after && n == p->stop_after)
        evirt_loop_update_watch(p->loop, watch, 0);
}

static void
probe_timeout_cb(int timer, void *opaque)
{
    probe *p = opaque;
    int n = atomic_fetch_add(&p->calls, 1) + 1;

    p->last_id = timer;
    p->in_dispatch = evirt_loop_in_dispatch(p->loop);
    p->current = evirt_loop_is_current_thread(p->loop);
    if (p->remove_in_cb) {
        assert_int_equal(evirt_loop_remove_timeout(p->loop, timer), 0);
        p->freed_inside_remove = atomic_load(&p->freed);
    }
    if (p->stop_after && n == p->stop_after)
        evirt_loop_update_timeout(p->loop, timer, -1);
}

static void
make_pipe(int fds[2])
{
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    assert_int_equal(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
}

/* ---- fd watches -------------------------------------------------------- */

static void
test_watch_readable(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop };
    int fds[2];

    make_pipe(fds);
    p.id = evirt_loop_add_watch(loop, fds[0], EVIRT_EVENT_READABLE,
                                probe_watch_cb, &p, probe_free);
    assert_true(p.id > 0);

    run_for(loop, 30);
    assert_int_equal(atomic_load(&p.calls), 0);   /* nothing to read yet */

    assert_int_equal(write(fds[1], "x", 1), 1);
    run_until(loop, &p.calls, 1, 2000);
    assert_true(atomic_load(&p.calls) >= 1);
    assert_int_equal(p.last_id, p.id);
    assert_int_equal(p.last_fd, fds[0]);
    assert_true(p.last_events & EVIRT_EVENT_READABLE);
    assert_false(p.last_events & EVIRT_EVENT_WRITABLE);
    assert_true(p.in_dispatch);
    assert_true(p.current);
    assert_false(evirt_loop_in_dispatch(loop));

    assert_int_equal(evirt_loop_remove_watch(loop, p.id), 0);
    assert_int_equal(atomic_load(&p.freed), 0);    /* never inside remove */
    run_until(loop, &p.freed, 1, 2000);
    assert_int_equal(atomic_load(&p.freed), 1);
    assert_int_equal(evirt_loop_remove_watch(loop, p.id), -1);
    close(fds[0]);
    close(fds[1]);
}

static void
test_watch_writable(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop };
    int fds[2];

    make_pipe(fds);
    p.id = evirt_loop_add_watch(loop, fds[1], EVIRT_EVENT_WRITABLE,
                                probe_watch_cb, &p, NULL);
    assert_true(p.id > 0);
    run_until(loop, &p.calls, 1, 2000);
    assert_true(atomic_load(&p.calls) >= 1);
    assert_int_equal(p.last_fd, fds[1]);
    assert_true(p.last_events & EVIRT_EVENT_WRITABLE);
    assert_int_equal(evirt_loop_remove_watch(loop, p.id), 0);
    run_for(loop, 10);
    close(fds[0]);
    close(fds[1]);
}

/* A readable fd whose data stays unread fires on every iteration until the
 * watch asks for nothing; asking again resumes it. */
static void
test_watch_update(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop, .stop_after = 3 };
    int fds[2];

    make_pipe(fds);
    assert_int_equal(write(fds[1], "x", 1), 1);
    p.id = evirt_loop_add_watch(loop, fds[0], EVIRT_EVENT_READABLE,
                                probe_watch_cb, &p, probe_free);
    assert_true(p.id > 0);
    run_until(loop, &p.calls, 3, 2000);
    run_for(loop, 50);
    assert_int_equal(atomic_load(&p.calls), 3);

    p.stop_after = 0;
    evirt_loop_update_watch(loop, p.id, EVIRT_EVENT_READABLE);
    run_until(loop, &p.calls, 4, 2000);
    assert_true(atomic_load(&p.calls) >= 4);

    /* Asking for nothing again: silent, though still readable. */
    evirt_loop_update_watch(loop, p.id, 0);
    int before = atomic_load(&p.calls);
    run_for(loop, 30);
    assert_int_equal(atomic_load(&p.calls), before);

    assert_int_equal(evirt_loop_remove_watch(loop, p.id), 0);
    run_until(loop, &p.freed, 1, 2000);
    assert_int_equal(atomic_load(&p.freed), 1);
    close(fds[0]);
    close(fds[1]);
}

static void
test_watch_remove_in_callback(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop, .remove_in_cb = 1, .freed_inside_remove = -1 };
    int fds[2];

    make_pipe(fds);
    assert_int_equal(write(fds[1], "x", 1), 1);   /* stays readable */
    p.id = evirt_loop_add_watch(loop, fds[0], EVIRT_EVENT_READABLE,
                                probe_watch_cb, &p, probe_free);
    assert_true(p.id > 0);
    run_until(loop, &p.freed, 1, 2000);
    run_for(loop, 30);
    assert_int_equal(atomic_load(&p.calls), 1);
    assert_int_equal(p.freed_inside_remove, 0);
    assert_int_equal(atomic_load(&p.freed), 1);
    close(fds[0]);
    close(fds[1]);
}

static void
test_watch_hangup(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop, .remove_in_cb = 1 };
    int fds[2];

    make_pipe(fds);
    p.id = evirt_loop_add_watch(loop, fds[0], EVIRT_EVENT_READABLE,
                                probe_watch_cb, &p, NULL);
    close(fds[1]);
    run_until(loop, &p.calls, 1, 2000);
    assert_int_equal(atomic_load(&p.calls), 1);
    /* libevent says READABLE for a hung-up pipe, GLib adds HANGUP. */
    assert_true(p.last_events & (EVIRT_EVENT_READABLE | EVIRT_EVENT_HANGUP));
    close(fds[0]);
}

/* A socket whose peer closed reports HANGUP (with READABLE: EOF reads). */
static void
test_watch_socket_hangup(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop, .remove_in_cb = 1 };
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv),
                     0);
    p.id = evirt_loop_add_watch(loop, sv[0], EVIRT_EVENT_READABLE,
                                probe_watch_cb, &p, NULL);
    close(sv[1]);
    run_until(loop, &p.calls, 1, 2000);
    assert_int_equal(atomic_load(&p.calls), 1);
    assert_true(p.last_events & EVIRT_EVENT_READABLE);
    assert_true(p.last_events & EVIRT_EVENT_HANGUP);
    close(sv[0]);
}

/* Ids are positive, distinct, and not reused right after a removal. */
static void
test_ids(void **state)
{
    evirt_loop *loop = *state;
    int ids[64];

    for (int i = 0; i < 64; i++) {
        ids[i] = evirt_loop_add_timeout(loop, -1, guard_cb, NULL, NULL);
        assert_true(ids[i] > 0);
        for (int j = 0; j < i; j++)
            assert_int_not_equal(ids[i], ids[j]);
    }
    for (int i = 0; i < 64; i++)
        assert_int_equal(evirt_loop_remove_timeout(loop, ids[i]), 0);
    int again = evirt_loop_add_timeout(loop, -1, guard_cb, NULL, NULL);
    for (int i = 0; i < 64; i++)
        assert_int_not_equal(again, ids[i]);
    /* A timer id is not a watch id. */
    assert_int_equal(evirt_loop_remove_watch(loop, again), -1);
    assert_int_equal(evirt_loop_remove_timeout(loop, again), 0);
    assert_int_equal(evirt_loop_remove_timeout(loop, 0), -1);
    assert_int_equal(evirt_loop_remove_timeout(loop, -5), -1);
    run_for(loop, 5);
}

/* ---- timeouts ---------------------------------------------------------- */

static void
test_timeout_periodic(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop };
    int64_t start = now_ms();

    p.id = evirt_loop_add_timeout(loop, 10, probe_timeout_cb, &p, probe_free);
    assert_true(p.id > 0);
    run_until(loop, &p.calls, 5, 3000);
    assert_true(atomic_load(&p.calls) >= 5);
    assert_true(now_ms() - start >= 40);
    assert_int_equal(p.last_id, p.id);
    assert_true(p.in_dispatch);
    assert_true(p.current);
    assert_int_equal(evirt_loop_remove_timeout(loop, p.id), 0);
    int n = atomic_load(&p.calls);
    run_for(loop, 40);
    assert_int_equal(atomic_load(&p.calls), n);
    assert_int_equal(atomic_load(&p.freed), 1);
}

/* 0 ms fires once per iteration, and does not make an iteration spin. */
static void
test_timeout_zero(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop };
    probe slow = { .loop = loop };
    int64_t start = now_ms();

    slow.id = evirt_loop_add_timeout(loop, 10000, probe_timeout_cb, &slow,
                                     NULL);
    p.id = evirt_loop_add_timeout(loop, 0, probe_timeout_cb, &p, NULL);
    assert_true(p.id > 0);
    for (int i = 1; i <= 20; i++) {
        assert_int_equal(evirt_loop_run_once(loop), 0);
        assert_int_equal(atomic_load(&p.calls), i);
    }
    assert_true(now_ms() - start < 1000);
    assert_int_equal(atomic_load(&slow.calls), 0);

    /* 0 -> 20 ms: now periodic. */
    evirt_loop_update_timeout(loop, p.id, 20);
    int n = atomic_load(&p.calls);
    run_for(loop, 30);
    assert_true(atomic_load(&p.calls) - n >= 1);
    assert_true(atomic_load(&p.calls) - n <= 2);

    assert_int_equal(evirt_loop_remove_timeout(loop, p.id), 0);
    assert_int_equal(evirt_loop_remove_timeout(loop, slow.id), 0);
    run_for(loop, 5);
}

static void
test_timeout_disabled(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop };

    p.id = evirt_loop_add_timeout(loop, -1, probe_timeout_cb, &p, probe_free);
    assert_true(p.id > 0);
    run_for(loop, 50);
    assert_int_equal(atomic_load(&p.calls), 0);

    evirt_loop_update_timeout(loop, p.id, 10);
    run_until(loop, &p.calls, 2, 2000);
    assert_true(atomic_load(&p.calls) >= 2);

    /* Disabled again from inside its callback after the 3rd call. */
    p.stop_after = atomic_load(&p.calls) + 1;
    run_until(loop, &p.calls, p.stop_after, 2000);
    run_for(loop, 50);
    assert_int_equal(atomic_load(&p.calls), p.stop_after);

    assert_int_equal(evirt_loop_remove_timeout(loop, p.id), 0);
    assert_int_equal(atomic_load(&p.freed), 0);
    run_until(loop, &p.freed, 1, 2000);
    assert_int_equal(atomic_load(&p.freed), 1);
}

static void
test_timeout_remove_in_callback(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop, .remove_in_cb = 1, .freed_inside_remove = -1 };
    probe z = { .loop = loop, .remove_in_cb = 1, .freed_inside_remove = -1 };

    p.id = evirt_loop_add_timeout(loop, 5, probe_timeout_cb, &p, probe_free);
    z.id = evirt_loop_add_timeout(loop, 0, probe_timeout_cb, &z, probe_free);
    run_until(loop, &p.freed, 1, 2000);
    run_until(loop, &z.freed, 1, 2000);
    run_for(loop, 30);
    assert_int_equal(atomic_load(&p.calls), 1);
    assert_int_equal(atomic_load(&z.calls), 1);
    assert_int_equal(p.freed_inside_remove, 0);
    assert_int_equal(z.freed_inside_remove, 0);
    assert_int_equal(atomic_load(&p.freed), 1);
    assert_int_equal(atomic_load(&z.freed), 1);
}

/* Freeing the loop frees what is still registered, calling ff once. */
static void
test_free_calls_ff(void **state)
{
    evirt_loop *loop = make_loop();
    probe w = { .loop = loop }, t = { .loop = loop }, r = { .loop = loop };
    int fds[2];

    make_pipe(fds);
    assert_true(evirt_loop_add_watch(loop, fds[0], EVIRT_EVENT_READABLE,
                                     probe_watch_cb, &w, probe_free) > 0);
    assert_true(evirt_loop_add_timeout(loop, 1000, probe_timeout_cb, &t,
                                       probe_free) > 0);
    int id = evirt_loop_add_timeout(loop, 1000, probe_timeout_cb, &r,
                                    probe_free);
    assert_int_equal(evirt_loop_remove_timeout(loop, id), 0);
    evirt_loop_free(loop);
    assert_int_equal(atomic_load(&w.freed), 1);
    assert_int_equal(atomic_load(&t.freed), 1);
    assert_int_equal(atomic_load(&r.freed), 1);
    close(fds[0]);
    close(fds[1]);
}

/* ---- invoke ------------------------------------------------------------ */

#define INVOKE_THREADS 4
#define INVOKE_CALLS 20000

typedef struct {
    evirt_loop *loop;
    atomic_int total;
    atomic_int not_current;
    atomic_int order_errors;
    int next[INVOKE_THREADS];
} invoke_state;

typedef struct {
    invoke_state *st;
    int thread;
} invoke_worker;

typedef struct {
    invoke_state *st;
    int thread;
    int seq;
} invoke_call;

static void
invoke_fn(void *opaque)
{
    invoke_call *c = opaque;
    invoke_state *st = c->st;

    if (!evirt_loop_is_current_thread(st->loop) ||
        !evirt_loop_in_dispatch(st->loop))
        atomic_fetch_add(&st->not_current, 1);
    if (st->next[c->thread] != c->seq)
        atomic_fetch_add(&st->order_errors, 1);
    st->next[c->thread] = c->seq + 1;
    atomic_fetch_add(&st->total, 1);
    free(c);
}

static void *
invoke_worker_main(void *arg)
{
    invoke_worker *w = arg;

    for (int i = 0; i < INVOKE_CALLS; i++) {
        invoke_call *c = malloc(sizeof(*c));
        c->st = w->st;
        c->thread = w->thread;
        c->seq = i;
        if (evirt_loop_invoke(w->st->loop, invoke_fn, c) < 0)
            abort();
        if (evirt_loop_is_current_thread(w->st->loop))
            abort();
    }
    return NULL;
}

static void *
invoke_quitter_main(void *arg)
{
    invoke_state *st = arg;

    while (atomic_load(&st->total) < INVOKE_THREADS * INVOKE_CALLS)
        usleep(1000);
    evirt_loop_quit(st->loop);
    return NULL;
}

static void
test_invoke_threads(void **state)
{
    evirt_loop *loop = *state;
    invoke_state st = { .loop = loop };
    invoke_worker w[INVOKE_THREADS];
    pthread_t t[INVOKE_THREADS], quitter;

    for (int i = 0; i < INVOKE_THREADS; i++) {
        w[i].st = &st;
        w[i].thread = i;
        assert_int_equal(pthread_create(&t[i], NULL, invoke_worker_main,
                                        &w[i]), 0);
    }
    assert_int_equal(pthread_create(&quitter, NULL, invoke_quitter_main, &st),
                     0);
    assert_int_equal(evirt_loop_run(loop), 0);
    for (int i = 0; i < INVOKE_THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_join(quitter, NULL);

    assert_int_equal(atomic_load(&st.total), INVOKE_THREADS * INVOKE_CALLS);
    assert_int_equal(atomic_load(&st.order_errors), 0);
    assert_int_equal(atomic_load(&st.not_current), 0);
    for (int i = 0; i < INVOKE_THREADS; i++)
        assert_int_equal(st.next[i], INVOKE_CALLS);
    assert_false(evirt_loop_is_current_thread(loop));
}

typedef struct {
    evirt_loop *loop;
    int order[8];
    int n;
    int pass_of[8];      /* the iteration each tag ran in */
    int pass;            /* counted by the test around run_once */
    int inside;          /* set while the invoking callback runs */
    int ran_inside;
} chain_state;

static void
chain_record(chain_state *cs, int tag)
{
    if (cs->inside)
        cs->ran_inside = 1;
    cs->pass_of[tag] = cs->pass;
    cs->order[cs->n++] = tag;
}

static void chain_a(void *opaque) { chain_record(opaque, 1); }
static void chain_b(void *opaque) { chain_record(opaque, 2); }

static void
chain_c(void *opaque)
{
    chain_state *cs = opaque;

    chain_record(cs, 3);
    /* From an invoked function: runs on a later iteration. */
    cs->inside = 1;
    assert_int_equal(evirt_loop_invoke(cs->loop, chain_b, cs), 0);
    cs->inside = 0;
}

static void
chain_timer_cb(int timer, void *opaque)
{
    chain_state *cs = opaque;

    evirt_loop_remove_timeout(cs->loop, timer);
    cs->inside = 1;
    assert_int_equal(evirt_loop_invoke(cs->loop, chain_a, cs), 0);
    assert_int_equal(evirt_loop_invoke(cs->loop, chain_c, cs), 0);
    assert_int_equal(cs->n, 0);      /* never inside the invoke call */
    cs->inside = 0;
}

static void
test_invoke_from_loop_thread(void **state)
{
    evirt_loop *loop = *state;
    chain_state cs = { .loop = loop };

    assert_true(evirt_loop_add_timeout(loop, 0, chain_timer_cb, &cs,
                                       NULL) > 0);
    cs.pass = 1;
    assert_int_equal(evirt_loop_run_once(loop), 0);   /* the timer */
    for (int i = 0; i < 10 && cs.n < 3; i++) {
        cs.pass++;
        assert_int_equal(evirt_loop_run_once(loop), 0);
    }
    assert_int_equal(cs.n, 3);
    assert_int_equal(cs.order[0], 1);
    assert_int_equal(cs.order[1], 3);
    assert_int_equal(cs.order[2], 2);
    assert_false(cs.ran_inside);
    /* Queued from a callback: after it, in its iteration or the next
     * (libevent: the same, GLib: a later one).  Queued from an invoked
     * function: a later iteration than that function's, always. */
    assert_true(cs.pass_of[1] >= 1);
    assert_int_equal(cs.pass_of[3], cs.pass_of[1]);
    assert_true(cs.pass_of[2] > cs.pass_of[3]);
}

/* Invoked while nobody iterates: runs on the next iteration, wherever. */
static void
test_invoke_idle_loop(void **state)
{
    evirt_loop *loop = *state;
    chain_state cs = { .loop = loop };

    assert_int_equal(evirt_loop_invoke(loop, chain_a, &cs), 0);
    assert_int_equal(evirt_loop_invoke(loop, chain_b, &cs), 0);
    assert_int_equal(cs.n, 0);
    for (int i = 0; i < 10 && cs.n < 2; i++)
        assert_int_equal(evirt_loop_run_once(loop), 0);
    assert_int_equal(cs.n, 2);
    assert_int_equal(cs.order[0], 1);
    assert_int_equal(cs.order[1], 2);
}

/* Queued at free time: still run exactly once. */
static void
test_invoke_at_free(void **state)
{
    evirt_loop *loop = make_loop();
    chain_state cs = { .loop = loop };

    assert_int_equal(evirt_loop_invoke(loop, chain_a, &cs), 0);
    assert_int_equal(evirt_loop_invoke(loop, chain_c, &cs), 0);
    evirt_loop_free(loop);
    assert_int_equal(cs.n, 3);
    assert_int_equal(cs.order[0], 1);
    assert_int_equal(cs.order[1], 3);
    assert_int_equal(cs.order[2], 2);
}

/* ---- run, quit, ownership ---------------------------------------------- */

typedef struct {
    evirt_loop *loop;
    atomic_int running;
    int second_run;
    int second_run_once;
    int elsewhere;
    int waited_idle;
    int signalled;
} owner_state;

static void
owner_mark_running(int timer, void *opaque)
{
    owner_state *os = opaque;

    evirt_loop_remove_timeout(os->loop, timer);
    /* Recursion on the same thread is refused too. */
    assert_int_equal(evirt_loop_run_once(os->loop), -1);
    assert_int_equal(evirt_loop_run(os->loop), -1);
    assert_true(evirt_loop_is_current_thread(os->loop));
    assert_false(evirt_loop_is_running_elsewhere(os->loop));
    atomic_store(&os->running, 1);
}

static void
signal_fn(void *opaque)
{
    evirt_loop_signal(opaque);
}

static void *
owner_thread_main(void *arg)
{
    owner_state *os = arg;

    while (!atomic_load(&os->running))
        usleep(1000);
    os->second_run = evirt_loop_run(os->loop);
    os->second_run_once = evirt_loop_run_once(os->loop);
    os->elsewhere = evirt_loop_is_running_elsewhere(os->loop);

    /* A signal from the loop thread ends a wait; the loop stays owned. */
    unsigned seq = evirt_loop_signal_seq(os->loop);
    evirt_loop_invoke(os->loop, signal_fn, os->loop);
    os->signalled = evirt_loop_wait(os->loop, seq, 5000) == 0 &&
                    evirt_loop_signal_seq(os->loop) != seq;

    evirt_loop_quit(os->loop);
    /* Release of the loop ends a wait too. */
    os->waited_idle = evirt_loop_wait_idle_or_signal(os->loop, 5000);
    return NULL;
}

static void
test_run_twice(void **state)
{
    evirt_loop *loop = *state;
    owner_state os = { .loop = loop };
    pthread_t t;

    assert_false(evirt_loop_is_running_elsewhere(loop));
    assert_true(evirt_loop_add_timeout(loop, 0, owner_mark_running, &os,
                                       NULL) > 0);
    assert_int_equal(pthread_create(&t, NULL, owner_thread_main, &os), 0);
    assert_int_equal(evirt_loop_run(loop), 0);
    pthread_join(t, NULL);
    assert_int_equal(os.second_run, -1);
    assert_int_equal(os.second_run_once, -1);
    assert_true(os.elsewhere);
    assert_true(os.signalled);
    assert_int_equal(os.waited_idle, 1);
    assert_false(evirt_loop_is_running_elsewhere(loop));
}

/* A quit with no run in progress makes the next run return at once. */
static void
test_quit_before_run(void **state)
{
    evirt_loop *loop = *state;

    evirt_loop_quit(loop);
    assert_int_equal(evirt_loop_run(loop), 0);
}

/* Different threads may iterate at different times (sync callers). */
typedef struct {
    evirt_loop *loop;
    probe *p;
    int rc;
} turn_state;

static void *
turn_thread_main(void *arg)
{
    turn_state *ts = arg;

    ts->rc = 0;
    while (atomic_load(&ts->p->calls) < 2 && ts->rc == 0)
        ts->rc = evirt_loop_run_once(ts->loop);
    return NULL;
}

static void
test_run_once_other_thread(void **state)
{
    evirt_loop *loop = *state;
    probe p = { .loop = loop };
    turn_state ts = { .loop = loop, .p = &p };
    pthread_t t;

    p.id = evirt_loop_add_timeout(loop, 5, probe_timeout_cb, &p, NULL);
    run_until(loop, &p.calls, 1, 2000);
    assert_true(p.current);
    assert_int_equal(pthread_create(&t, NULL, turn_thread_main, &ts), 0);
    pthread_join(t, NULL);
    assert_int_equal(ts.rc, 0);
    assert_true(atomic_load(&p.calls) >= 2);
    assert_true(p.current);      /* computed on the other thread */
    assert_false(evirt_loop_is_current_thread(loop));
    evirt_loop_remove_timeout(loop, p.id);
    run_for(loop, 5);
}

/* ---- implementation-specific ------------------------------------------- */

#ifdef EVIRT_TEST_GLIB
/* The application iterates its own context: evirt learns its thread. */
static void
test_external_glib(void **state)
{
    GMainContext *ctx = g_main_context_new();
    evirt_loop *loop = evirt_loop_new_glib(ctx);
    probe p = { .loop = loop };

    p.id = evirt_loop_add_timeout(loop, 0, probe_timeout_cb, &p, NULL);
    g_main_context_iteration(ctx, TRUE);
    assert_int_equal(atomic_load(&p.calls), 1);
    assert_true(p.in_dispatch);
    assert_true(p.current);
    assert_true(evirt_loop_is_current_thread(loop));   /* the app's thread */
    assert_false(evirt_loop_in_dispatch(loop));
    evirt_loop_remove_timeout(loop, p.id);
    evirt_loop_free(loop);
    g_main_context_unref(ctx);
}
#else
static void
test_external_base(void **state)
{
    struct event_base *base = event_base_new();
    evirt_loop *loop = evirt_loop_new(base);
    probe p = { .loop = loop };
    chain_state cs = { .loop = loop };

    p.id = evirt_loop_add_timeout(loop, 0, probe_timeout_cb, &p, NULL);
    assert_int_equal(event_base_loop(base, EVLOOP_ONCE), 0);
    assert_int_equal(atomic_load(&p.calls), 1);
    assert_true(p.in_dispatch);
    assert_true(p.current);
    assert_true(evirt_loop_is_current_thread(loop));
    evirt_loop_remove_timeout(loop, p.id);
    assert_int_equal(evirt_loop_invoke(loop, chain_a, &cs), 0);
    for (int i = 0; i < 5 && cs.n == 0; i++)
        event_base_loop(base, EVLOOP_ONCE);
    assert_int_equal(cs.n, 1);
    evirt_loop_free(loop);
    /* The application's base survives the loop. */
    assert_int_equal(event_base_loop(base, EVLOOP_NONBLOCK), 1);
    event_base_free(base);
}

static void
test_default_loop(void **state)
{
    evirt_loop *a = evirt_loop_default();
    assert_non_null(a);
    assert_ptr_equal(a, evirt_loop_default());
}
#endif

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_watch_readable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_writable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_remove_in_callback, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_watch_hangup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_watch_socket_hangup, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_periodic, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_timeout_zero, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_disabled, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_timeout_remove_in_callback,
                                        setup, teardown),
        cmocka_unit_test(test_free_calls_ff),
        cmocka_unit_test_setup_teardown(test_invoke_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invoke_from_loop_thread, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_invoke_idle_loop, setup,
                                        teardown),
        cmocka_unit_test(test_invoke_at_free),
        cmocka_unit_test_setup_teardown(test_run_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quit_before_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run_once_other_thread, setup,
                                        teardown),
#ifdef EVIRT_TEST_GLIB
        cmocka_unit_test(test_external_glib),
#else
        cmocka_unit_test(test_external_base),
        cmocka_unit_test(test_default_loop),
#endif
    };
    int rc;

    alarm(120);   /* a hang is a failure, not a stuck CI job */
#ifdef EVIRT_TEST_GLIB
    rc = cmocka_run_group_tests_name("loop-glib", tests, NULL, NULL);
#else
    rc = cmocka_run_group_tests_name("loop-libevent", tests, NULL, NULL);
#endif
    libevent_global_shutdown();
    return rc;
}
