/*
 * loop/loop.c - the evirt_loop object: an implementation of the six-op
 * contract plus what evirt adds on top of any implementation: who iterates
 * the loop, quit, and invoke (hand a function to the loop's thread).
 *
 * Threads.  A loop is iterated by at most one thread at a time; that thread
 * "owns" it while inside evirt_loop_run()/run_once().  Who iterates is also
 * remembered per thread in a small stack of frames kept in thread-local
 * storage, so "is this my loop's thread" and "am I inside one of its
 * callbacks" cost no lock.  A loop the application iterates itself (its
 * own event_base / GMainContext) is recognised when one of our callbacks
 * is dispatched by a thread that does not own the loop: that thread is
 * recorded as the loop's external thread.
 *
 * Invoke.  A FIFO list under the loop's mutex.  Another thread appends and,
 * if no wake-up is outstanding, writes the loop's eventfd, which the loop
 * watches.  The loop's own thread must not wake itself through the fd (and
 * must not run fn inline), so it arms a 0 ms "drain" timeout instead, which
 * runs the queue on the next iteration.  Both paths take the whole list at
 * once.
 */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <evirt/loop.h>
#include "loop/loop-private.h"

typedef struct evirt_invoke_item {
    struct evirt_invoke_item *next;
    void (*fn)(void *opaque);
    void *opaque;
} evirt_invoke_item;

struct evirt_loop {
    evirt_loop_impl ops;
    void *impl;

    pthread_mutex_t lock;
    pthread_cond_t cond;        /* release of the loop, evirt_loop_signal() */

    /* Under lock. */
    evirt_invoke_item *head;
    evirt_invoke_item **tailp;
    int wake_pending;           /* an eventfd write is done or under way */
    int drain_armed;            /* the 0 ms drain timeout is enabled */
    unsigned seq;               /* bumped by evirt_loop_signal() */

    /* Written under lock, read without. 0 = none (see thread_self()). */
    _Atomic uintptr_t owner;    /* thread inside run/run_once */
    int owner_runs;             /* under lock: the owner is in evirt_loop_run */
    atomic_int run_waiting;     /* threads in evirt_loop_run waiting to own it */
    _Atomic uintptr_t external; /* the application's own loop thread */

    atomic_int quit;

    int wake_fd;
    int wake_watch;
    int drain_timer;
};

/*
 * Per thread: the loops this thread is iterating (owning) or dispatching a
 * callback of, innermost first.  Frames live on the stack.
 */
typedef struct evirt_loop_frame {
    evirt_loop *loop;
    int owning;
    struct evirt_loop_frame *prev;
} evirt_loop_frame;

static _Thread_local evirt_loop_frame *tls_frames;
static _Thread_local char tls_self_marker;

/* A nonzero id for the calling thread, unique among live threads. */
static uintptr_t
thread_self(void)
{
    return (uintptr_t)&tls_self_marker;
}

static int
frames_have(evirt_loop *loop, int owning_only)
{
    for (evirt_loop_frame *f = tls_frames; f; f = f->prev) {
        if (f->loop == loop && (!owning_only || f->owning))
            return 1;
    }
    return 0;
}

static void
frame_push(evirt_loop_frame *f, evirt_loop *loop, int owning)
{
    f->loop = loop;
    f->owning = owning;
    f->prev = tls_frames;
    tls_frames = f;
}

static void
frame_pop(evirt_loop_frame *f)
{
    tls_frames = f->prev;
}

/* Entering one of the loop's callbacks. */
static void
dispatch_enter(evirt_loop_frame *f, evirt_loop *loop)
{
    if (!frames_have(loop, 1)) {
        /* Dispatched by a loop iterated outside evirt_loop_run*(). */
        uintptr_t self = thread_self();
        if (atomic_load_explicit(&loop->external, memory_order_relaxed) != self)
            atomic_store(&loop->external, self);
    }
    frame_push(f, loop, 0);
}

int
evirt_loop_is_current_thread(evirt_loop *loop)
{
    if (!loop)
        return 0;
    if (frames_have(loop, 0))
        return 1;
    return atomic_load(&loop->owner) == 0 &&
           atomic_load(&loop->external) == thread_self();
}

int
evirt_loop_in_dispatch(evirt_loop *loop)
{
    for (evirt_loop_frame *f = tls_frames; f; f = f->prev) {
        if (f->loop == loop && !f->owning)
            return 1;
    }
    return 0;
}

int
evirt_loop_is_running_elsewhere(evirt_loop *loop)
{
    uintptr_t self = thread_self();
    uintptr_t owner = atomic_load(&loop->owner);

    if (owner)
        return owner != self;
    owner = atomic_load(&loop->external);
    return owner && owner != self;
}

void
evirt_loop_signal(evirt_loop *loop)
{
    pthread_mutex_lock(&loop->lock);
    loop->seq++;
    pthread_cond_broadcast(&loop->cond);
    pthread_mutex_unlock(&loop->lock);
}

unsigned
evirt_loop_signal_seq(evirt_loop *loop)
{
    pthread_mutex_lock(&loop->lock);
    unsigned seq = loop->seq;
    pthread_mutex_unlock(&loop->lock);
    return seq;
}

int
evirt_loop_wait(evirt_loop *loop, unsigned seq, int ms)
{
    struct timespec deadline;
    int idle;

    if (ms >= 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += ms / 1000;
        deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
    }

    pthread_mutex_lock(&loop->lock);
    for (;;) {
        idle = !evirt_loop_is_running_elsewhere(loop);
        if (idle || loop->seq != seq)
            break;
        if (ms < 0) {
            pthread_cond_wait(&loop->cond, &loop->lock);
        } else if (pthread_cond_timedwait(&loop->cond, &loop->lock,
                                          &deadline) == ETIMEDOUT) {
            idle = !evirt_loop_is_running_elsewhere(loop);
            break;
        }
    }
    pthread_mutex_unlock(&loop->lock);
    return idle;
}

int
evirt_loop_wait_idle_or_signal(evirt_loop *loop, int ms)
{
    return evirt_loop_wait(loop, evirt_loop_signal_seq(loop), ms);
}

/* ---- invoke ------------------------------------------------------------ */

static void
wake_write(evirt_loop *loop)
{
    uint64_t one = 1;
    ssize_t r;

    /* EAGAIN means the counter is full: the fd is readable anyway. */
    do {
        r = write(loop->wake_fd, &one, sizeof(one));
    } while (r < 0 && errno == EINTR);
}

/* Runs everything queued so far, on the loop's thread. */
static void
loop_drain(evirt_loop *loop, int from_wake_fd)
{
    evirt_invoke_item *item;
    int disarm;

    pthread_mutex_lock(&loop->lock);
    item = loop->head;
    loop->head = NULL;
    loop->tailp = &loop->head;
    if (from_wake_fd)
        loop->wake_pending = 0;
    disarm = loop->drain_armed;
    loop->drain_armed = 0;
    pthread_mutex_unlock(&loop->lock);

    if (disarm)
        loop->ops.update_timeout(loop->impl, loop->drain_timer, -1);

    while (item) {
        evirt_invoke_item *next = item->next;
        item->fn(item->opaque);
        free(item);
        item = next;
    }
}

static void
wake_watch_cb(int watch, int fd, int events, void *opaque)
{
    evirt_loop *loop = opaque;
    evirt_loop_frame f;
    uint64_t count;
    ssize_t r;

    /* Read before taking the list: a write racing with us at worst causes
     * one more wake-up with an empty list. */
    do {
        r = read(fd, &count, sizeof(count));
    } while (r < 0 && errno == EINTR);

    dispatch_enter(&f, loop);
    loop_drain(loop, 1);
    frame_pop(&f);
}

static void
drain_timeout_cb(int timer, void *opaque)
{
    evirt_loop *loop = opaque;
    evirt_loop_frame f;

    dispatch_enter(&f, loop);
    loop_drain(loop, 0);
    frame_pop(&f);
}

int
evirt_loop_invoke(evirt_loop *loop, void (*fn)(void *opaque), void *opaque)
{
    evirt_invoke_item *item;
    int on_loop, arm = 0, wake = 0;

    if (!loop || !fn)
        return -1;
    item = malloc(sizeof(*item));
    if (!item)
        return -1;
    item->next = NULL;
    item->fn = fn;
    item->opaque = opaque;

    /* A thread holding the loop (iterating it, or running a driver entry
     * through evirt_loop_enter) reaches its next iteration without a
     * wake-up: arm the drain timer and spare the eventfd round trip. */
    on_loop = evirt_loop_is_current_thread(loop) ||
              atomic_load(&loop->owner) == thread_self();

    pthread_mutex_lock(&loop->lock);
    *loop->tailp = item;
    loop->tailp = &item->next;
    if (on_loop) {
        /* A pending fd wake-up will drain the queue too. */
        if (!loop->drain_armed && !loop->wake_pending)
            arm = loop->drain_armed = 1;
    } else if (!loop->wake_pending) {
        wake = loop->wake_pending = 1;
    }
    pthread_mutex_unlock(&loop->lock);

    /* Never call into the implementation holding our lock. */
    if (arm)
        loop->ops.update_timeout(loop->impl, loop->drain_timer, 0);
    if (wake)
        wake_write(loop);
    return 0;
}

void
evirt_loop_quit(evirt_loop *loop)
{
    int wake = 0;

    if (!loop)
        return;
    atomic_store(&loop->quit, 1);
    /* On the loop's thread the current iteration ends by itself. */
    if (evirt_loop_is_current_thread(loop))
        return;
    pthread_mutex_lock(&loop->lock);
    if (!loop->wake_pending)
        wake = loop->wake_pending = 1;
    pthread_mutex_unlock(&loop->lock);
    if (wake)
        wake_write(loop);
}

/* ---- running ----------------------------------------------------------- */

static int
loop_acquire(evirt_loop *loop)
{
    int ok;

    pthread_mutex_lock(&loop->lock);
    ok = atomic_load(&loop->owner) == 0;
    if (ok)
        atomic_store(&loop->owner, thread_self());
    pthread_mutex_unlock(&loop->lock);
    return ok ? 0 : -1;
}

static void loop_release(evirt_loop *loop);

/*
 * evirt_loop_run takes the loop for good, so it waits out a thread that
 * only holds it for a moment (a sync call iterating an idle loop, an op
 * being dispatched); another evirt_loop_run is refused.
 */
static int
loop_acquire_for_run(evirt_loop *loop)
{
    uintptr_t self = thread_self();
    int ok;

    pthread_mutex_lock(&loop->lock);
    atomic_fetch_add(&loop->run_waiting, 1);
    for (;;) {
        uintptr_t owner = atomic_load(&loop->owner);
        if (owner == 0 || owner == self || loop->owner_runs)
            break;
        pthread_cond_wait(&loop->cond, &loop->lock);
    }
    atomic_fetch_sub(&loop->run_waiting, 1);
    ok = atomic_load(&loop->owner) == 0;
    if (ok) {
        atomic_store(&loop->owner, self);
        loop->owner_runs = 1;
    }
    pthread_mutex_unlock(&loop->lock);
    return ok ? 0 : -1;
}

int
evirt_loop_runner_waiting(evirt_loop *loop)
{
    return atomic_load(&loop->run_waiting) > 0;
}

int
evirt_loop_enter(evirt_loop *loop)
{
    uintptr_t self = thread_self();
    int how = 0;

    pthread_mutex_lock(&loop->lock);
    uintptr_t owner = atomic_load(&loop->owner);
    uintptr_t external = atomic_load(&loop->external);
    if (owner == self || (owner == 0 && frames_have(loop, 0))) {
        how = 2;
    } else if (owner == 0 && (external == 0 || external == self)) {
        atomic_store(&loop->owner, self);
        how = 1;
    }
    pthread_mutex_unlock(&loop->lock);
    return how;
}

void
evirt_loop_leave(evirt_loop *loop, int how)
{
    if (how == 1)
        loop_release(loop);
}

static void
loop_release(evirt_loop *loop)
{
    pthread_mutex_lock(&loop->lock);
    atomic_store(&loop->owner, 0);
    loop->owner_runs = 0;
    pthread_cond_broadcast(&loop->cond);
    pthread_mutex_unlock(&loop->lock);
}

int
evirt_loop_run_once(evirt_loop *loop)
{
    evirt_loop_frame f;
    int r;

    if (!loop || !loop->ops.run_once || loop_acquire(loop) < 0)
        return -1;
    frame_push(&f, loop, 1);
    r = loop->ops.run_once(loop->impl);
    frame_pop(&f);
    loop_release(loop);
    return r < 0 ? -1 : 0;
}

int
evirt_loop_run(evirt_loop *loop)
{
    evirt_loop_frame f;
    int ret = 0;

    if (!loop || !loop->ops.run_once || loop_acquire_for_run(loop) < 0)
        return -1;
    frame_push(&f, loop, 1);
    while (!atomic_exchange(&loop->quit, 0)) {
        if (loop->ops.run_once(loop->impl) < 0) {
            ret = -1;
            break;
        }
    }
    frame_pop(&f);
    loop_release(loop);
    return ret;
}

/* ---- watches and timeouts ---------------------------------------------- */

/*
 * What the implementation gets as opaque for the application's watches and
 * timeouts: it marks the dispatch so the sync layer's recursion guard and
 * evirt_loop_is_current_thread() know about it.
 */
typedef struct evirt_loop_cb {
    evirt_loop *loop;
    evirt_watch_cb watch_cb;
    evirt_timeout_cb timeout_cb;
    void *opaque;
    evirt_free_cb ff;
} evirt_loop_cb;

static void
cb_watch(int watch, int fd, int events, void *opaque)
{
    evirt_loop_cb *c = opaque;
    evirt_loop_frame f;

    dispatch_enter(&f, c->loop);
    c->watch_cb(watch, fd, events, c->opaque);
    frame_pop(&f);
}

static void
cb_timeout(int timer, void *opaque)
{
    evirt_loop_cb *c = opaque;
    evirt_loop_frame f;

    dispatch_enter(&f, c->loop);
    c->timeout_cb(timer, c->opaque);
    frame_pop(&f);
}

static void
cb_free(void *opaque)
{
    evirt_loop_cb *c = opaque;

    if (c->ff) {
        evirt_loop_frame f;
        dispatch_enter(&f, c->loop);
        c->ff(c->opaque);
        frame_pop(&f);
    }
    free(c);
}

static evirt_loop_cb *
cb_new(evirt_loop *loop, void *opaque, evirt_free_cb ff)
{
    evirt_loop_cb *c = calloc(1, sizeof(*c));

    if (c) {
        c->loop = loop;
        c->opaque = opaque;
        c->ff = ff;
    }
    return c;
}

int
evirt_loop_add_watch(evirt_loop *loop, int fd, int events, evirt_watch_cb cb,
                     void *opaque, evirt_free_cb ff)
{
    evirt_loop_cb *c;
    int id;

    if (!loop || !cb || fd < 0)
        return -1;
    if (!(c = cb_new(loop, opaque, ff)))
        return -1;
    c->watch_cb = cb;
    id = loop->ops.add_watch(loop->impl, fd,
                             events & (EVIRT_EVENT_READABLE |
                                       EVIRT_EVENT_WRITABLE),
                             cb_watch, c, cb_free);
    if (id < 0)
        free(c);
    return id;
}

void
evirt_loop_update_watch(evirt_loop *loop, int watch, int events)
{
    if (loop)
        loop->ops.update_watch(loop->impl, watch,
                               events & (EVIRT_EVENT_READABLE |
                                         EVIRT_EVENT_WRITABLE));
}

int
evirt_loop_remove_watch(evirt_loop *loop, int watch)
{
    return loop ? loop->ops.remove_watch(loop->impl, watch) : -1;
}

int
evirt_loop_add_timeout(evirt_loop *loop, int ms, evirt_timeout_cb cb,
                       void *opaque, evirt_free_cb ff)
{
    evirt_loop_cb *c;
    int id;

    if (!loop || !cb)
        return -1;
    if (!(c = cb_new(loop, opaque, ff)))
        return -1;
    c->timeout_cb = cb;
    id = loop->ops.add_timeout(loop->impl, ms < 0 ? -1 : ms, cb_timeout, c,
                               cb_free);
    if (id < 0)
        free(c);
    return id;
}

void
evirt_loop_update_timeout(evirt_loop *loop, int timer, int ms)
{
    if (loop)
        loop->ops.update_timeout(loop->impl, timer, ms < 0 ? -1 : ms);
}

int
evirt_loop_remove_timeout(evirt_loop *loop, int timer)
{
    return loop ? loop->ops.remove_timeout(loop->impl, timer) : -1;
}

/* ---- life cycle -------------------------------------------------------- */

evirt_loop *
evirt_loop_new_custom(const evirt_loop_impl *ops, void *impl)
{
    evirt_loop *loop;

    if (!ops || !ops->add_watch || !ops->update_watch || !ops->remove_watch ||
        !ops->add_timeout || !ops->update_timeout || !ops->remove_timeout)
        return NULL;
    if (!(loop = calloc(1, sizeof(*loop))))
        return NULL;
    loop->ops = *ops;
    loop->impl = impl;
    loop->tailp = &loop->head;
    loop->wake_watch = loop->drain_timer = -1;
    pthread_mutex_init(&loop->lock, NULL);
    /* Waits with a limit must not stretch when the wall clock jumps. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&loop->cond, &attr);
    pthread_condattr_destroy(&attr);

    loop->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->wake_fd < 0)
        goto error;
    loop->wake_watch = ops->add_watch(impl, loop->wake_fd,
                                      EVIRT_EVENT_READABLE, wake_watch_cb,
                                      loop, NULL);
    if (loop->wake_watch < 0)
        goto error;
    loop->drain_timer = ops->add_timeout(impl, -1, drain_timeout_cb, loop,
                                         NULL);
    if (loop->drain_timer < 0)
        goto error;
    return loop;

 error:
    if (loop->wake_watch >= 0)
        ops->remove_watch(impl, loop->wake_watch);
    if (loop->wake_fd >= 0)
        close(loop->wake_fd);
    pthread_cond_destroy(&loop->cond);
    pthread_mutex_destroy(&loop->lock);
    free(loop);
    return NULL;
}

void
evirt_loop_free(evirt_loop *loop)
{
    evirt_loop_frame f;

    if (!loop)
        return;

    /* Every invoked function runs exactly once: run what is left here. */
    frame_push(&f, loop, 1);
    for (;;) {
        pthread_mutex_lock(&loop->lock);
        int empty = loop->head == NULL;
        pthread_mutex_unlock(&loop->lock);
        if (empty)
            break;
        drain_timeout_cb(loop->drain_timer, loop);
    }
    loop->ops.remove_watch(loop->impl, loop->wake_watch);
    loop->ops.remove_timeout(loop->impl, loop->drain_timer);
    if (loop->ops.impl_free)
        loop->ops.impl_free(loop->impl);
    frame_pop(&f);

    close(loop->wake_fd);
    pthread_cond_destroy(&loop->cond);
    pthread_mutex_destroy(&loop->lock);
    free(loop);
}

static evirt_loop *default_loop;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void
default_loop_make(void)
{
    default_loop = evirt_loop_new(NULL);
}

evirt_loop *
evirt_loop_default(void)
{
    pthread_once(&default_once, default_loop_make);
    return default_loop;
}

int
evirt_loop_is_default(evirt_loop *loop)
{
    /* Read without making it: a program that only uses its own loops
     * must not pay for a default one. */
    return loop && loop == __atomic_load_n(&default_loop, __ATOMIC_ACQUIRE);
}
