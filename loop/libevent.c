/*
 * loop/libevent.c - the default loop implementation, on libevent 2.1.
 *
 * Each watch and timeout is one struct event.  Ids are a per-loop counter
 * (looked up in a small hash table) so they are not reused until the
 * counter wraps.  A removed record goes on a "dead" list and a private
 * reaper event is activated: it frees the records and calls their ff once
 * the dispatching callback has returned, never inside remove_*.
 *
 * libevent does not reschedule a persistent timer whose period is zero, so
 * 0 ms timeouts are re-added after each call: they fire once per
 * event_base_loop(EVLOOP_ONCE), i.e. once per iteration.  Arming one
 * (from -1 or another period) activates its event instead: it then runs
 * in the pass that is under way, after the callbacks already due, rather
 * than after one more epoll_wait().  This is the path of every deferred
 * completion (loop.c's drain timer) and of a daemon's reply flush, so a
 * request read in one pass is answered in that pass.  Only the arming is
 * early: the re-add after each call keeps a timer left at 0 ms to one
 * call per iteration, so it cannot starve the watches.
 */
#include <config.h>

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include <event2/event.h>
#include <event2/thread.h>

#include <evirt/loop.h>

typedef struct lev_impl lev_impl;

typedef struct lev_rec {
    lev_impl *li;
    int id;
    int is_timer;
    int fd;
    int events;             /* watches: evirt_event_type mask asked */
    int ms;                 /* timeouts: -1, 0 or the period */
    int removed;
    struct event *ev;
    evirt_watch_cb watch_cb;
    evirt_timeout_cb timeout_cb;
    void *opaque;
    evirt_free_cb ff;
    struct lev_rec *next;   /* hash chain, or the dead list */
} lev_rec;

struct lev_impl {
    struct event_base *base;
    int own_base;
    int early_close;        /* the backend supports EV_CLOSED */
    int next_id;
    lev_rec **buckets;      /* id -> record; size is a power of two */
    size_t nbuckets;
    size_t count;
    lev_rec *dead;          /* removed, ff still to call */
    struct event *reaper;
};

/* ---- id table ---------------------------------------------------------- */

static lev_rec **
table_slot(lev_impl *li, int id)
{
    lev_rec **slot = &li->buckets[(unsigned)id & (li->nbuckets - 1)];

    while (*slot && (*slot)->id != id)
        slot = &(*slot)->next;
    return slot;
}

static lev_rec *
table_find(lev_impl *li, int id)
{
    return id > 0 ? *table_slot(li, id) : NULL;
}

static int
table_grow(lev_impl *li)
{
    size_t n = li->nbuckets * 2;
    lev_rec **b = calloc(n, sizeof(*b));

    if (!b)
        return -1;
    for (size_t i = 0; i < li->nbuckets; i++) {
        lev_rec *r = li->buckets[i];
        while (r) {
            lev_rec *next = r->next;
            lev_rec **head = &b[(unsigned)r->id & (n - 1)];
            r->next = *head;
            *head = r;
            r = next;
        }
    }
    free(li->buckets);
    li->buckets = b;
    li->nbuckets = n;
    return 0;
}

/* Gives rec a fresh id and enters it in the table. */
static int
table_insert(lev_impl *li, lev_rec *rec)
{
    if (li->count >= li->nbuckets && table_grow(li) < 0)
        return -1;
    do {
        li->next_id = li->next_id == INT_MAX ? 1 : li->next_id + 1;
    } while (table_find(li, li->next_id));
    rec->id = li->next_id;
    lev_rec **slot = &li->buckets[(unsigned)rec->id & (li->nbuckets - 1)];
    rec->next = *slot;
    *slot = rec;
    li->count++;
    return rec->id;
}

static lev_rec *
table_remove(lev_impl *li, int id)
{
    lev_rec **slot, *rec;

    if (id <= 0)
        return NULL;
    slot = table_slot(li, id);
    rec = *slot;
    if (rec) {
        *slot = rec->next;
        rec->next = NULL;
        li->count--;
    }
    return rec;
}

/* ---- dispatch ---------------------------------------------------------- */

static void
rec_destroy(lev_rec *rec)
{
    if (rec->ev)
        event_free(rec->ev);
    if (rec->ff)
        rec->ff(rec->opaque);
    free(rec);
}

static void
reaper_cb(evutil_socket_t fd, short what, void *arg)
{
    lev_impl *li = arg;

    /* ff may remove more: those go on a new list and a new activation. */
    while (li->dead) {
        lev_rec *rec = li->dead;
        li->dead = NULL;
        while (rec) {
            lev_rec *next = rec->next;
            rec_destroy(rec);
            rec = next;
        }
    }
}

static void
watch_cb(evutil_socket_t fd, short what, void *arg)
{
    lev_rec *rec = arg;
    int events = 0;

    if (what & EV_READ)
        events |= EVIRT_EVENT_READABLE;
    if (what & EV_WRITE)
        events |= EVIRT_EVENT_WRITABLE;
    if (what & EV_CLOSED)
        events |= EVIRT_EVENT_HANGUP;
    rec->watch_cb(rec->id, rec->fd, events, rec->opaque);
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    lev_rec *rec = arg;
    static const struct timeval zero = { 0, 0 };

    rec->timeout_cb(rec->id, rec->opaque);
    /* rec outlives a removal inside the callback (freed by the reaper). */
    if (!rec->removed && rec->ms == 0)
        event_add(rec->ev, &zero);
}

/* ---- the six operations ------------------------------------------------ */

static short
lev_flags(lev_impl *li, int events)
{
    short flags = EV_PERSIST;

    if (events & EVIRT_EVENT_READABLE) {
        flags |= EV_READ;
        /* Only with READ: a half-closed peer would otherwise spin a
         * writer that never asked about the read side. */
        if (li->early_close)
            flags |= EV_CLOSED;
    }
    if (events & EVIRT_EVENT_WRITABLE)
        flags |= EV_WRITE;
    return flags;
}

static int
lev_add_watch(void *impl, int fd, int events, evirt_watch_cb cb,
              void *opaque, evirt_free_cb ff)
{
    lev_impl *li = impl;
    lev_rec *rec = calloc(1, sizeof(*rec));

    if (!rec)
        return -1;
    rec->li = li;
    rec->fd = fd;
    rec->events = events & (EVIRT_EVENT_READABLE | EVIRT_EVENT_WRITABLE);
    rec->watch_cb = cb;
    rec->opaque = opaque;
    rec->ff = ff;
    rec->ev = event_new(li->base, fd, lev_flags(li, rec->events), watch_cb,
                        rec);
    if (!rec->ev || table_insert(li, rec) < 0)
        goto error;
    if (rec->events && event_add(rec->ev, NULL) < 0) {
        table_remove(li, rec->id);
        goto error;
    }
    return rec->id;

 error:
    if (rec->ev)
        event_free(rec->ev);
    free(rec);
    return -1;
}

static void
lev_update_watch(void *impl, int watch, int events)
{
    lev_impl *li = impl;
    lev_rec *rec = table_find(li, watch);

    if (!rec || rec->is_timer)
        return;
    events &= EVIRT_EVENT_READABLE | EVIRT_EVENT_WRITABLE;
    if (events == rec->events)
        return;
    rec->events = events;
    event_del(rec->ev);
    /* Not pending after event_del, so it may be re-assigned, even from
     * inside its own callback (libevent copied what it needs). */
    event_assign(rec->ev, li->base, rec->fd, lev_flags(li, events), watch_cb,
                 rec);
    if (events)
        event_add(rec->ev, NULL);
}

static int
lev_remove(lev_impl *li, int id, int is_timer)
{
    lev_rec *rec = table_find(li, id);

    if (!rec || rec->is_timer != is_timer)
        return -1;
    table_remove(li, id);
    event_del(rec->ev);
    rec->removed = 1;
    rec->next = li->dead;
    li->dead = rec;
    event_active(li->reaper, EV_TIMEOUT, 1);
    return 0;
}

static int
lev_remove_watch(void *impl, int watch)
{
    return lev_remove(impl, watch, 0);
}

static void
lev_timer_arm(lev_rec *rec)
{
    struct timeval tv;

    event_del(rec->ev);
    if (rec->ms < 0)
        return;
    if (rec->ms == 0) {
        event_active(rec->ev, EV_TIMEOUT, 1);
        return;
    }
    tv.tv_sec = rec->ms / 1000;
    tv.tv_usec = (rec->ms % 1000) * 1000;
    event_add(rec->ev, &tv);
}

static int
lev_add_timeout(void *impl, int ms, evirt_timeout_cb cb, void *opaque,
                evirt_free_cb ff)
{
    lev_impl *li = impl;
    lev_rec *rec = calloc(1, sizeof(*rec));

    if (!rec)
        return -1;
    rec->li = li;
    rec->is_timer = 1;
    rec->fd = -1;
    rec->ms = ms < 0 ? -1 : ms;
    rec->timeout_cb = cb;
    rec->opaque = opaque;
    rec->ff = ff;
    rec->ev = event_new(li->base, -1, EV_PERSIST, timeout_cb, rec);
    if (!rec->ev || table_insert(li, rec) < 0) {
        if (rec->ev)
            event_free(rec->ev);
        free(rec);
        return -1;
    }
    lev_timer_arm(rec);
    return rec->id;
}

static void
lev_update_timeout(void *impl, int timer, int ms)
{
    lev_rec *rec = table_find(impl, timer);

    if (!rec || !rec->is_timer)
        return;
    rec->ms = ms < 0 ? -1 : ms;
    lev_timer_arm(rec);
}

static int
lev_remove_timeout(void *impl, int timer)
{
    return lev_remove(impl, timer, 1);
}

static int
lev_run_once(void *impl)
{
    lev_impl *li = impl;

    /* 1 ("nothing to wait for") cannot happen: evirt keeps a wake-up
     * watch; treat it as an error rather than spin. */
    return event_base_loop(li->base, EVLOOP_ONCE) == 0 ? 0 : -1;
}

static void
lev_impl_free(void *impl)
{
    lev_impl *li = impl;
    lev_rec *all = li->dead;

    li->dead = NULL;
    /* Take every record out first: an ff must not find a half-torn table. */
    for (size_t i = 0; li->buckets && i < li->nbuckets; i++) {
        while (li->buckets[i]) {
            lev_rec *rec = li->buckets[i];
            li->buckets[i] = rec->next;
            rec->next = all;
            all = rec;
        }
    }
    li->count = 0;
    while (all) {
        lev_rec *next = all->next;
        event_del(all->ev);
        rec_destroy(all);
        all = next;
    }
    reaper_cb(-1, 0, li);   /* anything an ff removed */
    if (li->reaper)
        event_free(li->reaper);
    if (li->own_base && li->base)
        event_base_free(li->base);
    free(li->buckets);
    free(li);
}

static const evirt_loop_impl lev_ops = {
    .add_watch = lev_add_watch,
    .update_watch = lev_update_watch,
    .remove_watch = lev_remove_watch,
    .add_timeout = lev_add_timeout,
    .update_timeout = lev_update_timeout,
    .remove_timeout = lev_remove_timeout,
    .run_once = lev_run_once,
    .impl_free = lev_impl_free,
};

static pthread_once_t lev_threads_once = PTHREAD_ONCE_INIT;

static void
lev_threads_init(void)
{
    evthread_use_pthreads();
}

evirt_loop *
evirt_loop_new(void *event_base)
{
    lev_impl *li;
    evirt_loop *loop;

    pthread_once(&lev_threads_once, lev_threads_init);
    if (!(li = calloc(1, sizeof(*li))))
        return NULL;
    li->nbuckets = 16;
    if (!(li->buckets = calloc(li->nbuckets, sizeof(*li->buckets))))
        goto error;
    li->base = event_base;
    if (!li->base) {
        if (!(li->base = event_base_new()))
            goto error;
        li->own_base = 1;
    }
    li->early_close =
        (event_base_get_features(li->base) & EV_FEATURE_EARLY_CLOSE) != 0;
    li->reaper = event_new(li->base, -1, 0, reaper_cb, li);
    if (!li->reaper)
        goto error;
    if (!(loop = evirt_loop_new_custom(&lev_ops, li)))
        goto error;
    return loop;

 error:
    lev_impl_free(li);
    return NULL;
}
