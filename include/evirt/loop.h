/*
 * evirt/loop.h - the event loop every evirt object runs on.
 *
 * An evirt_loop is an explicit object.  Any main loop that can do six
 * things -- add, update and remove an fd watch; add, update and remove a
 * timeout -- can host evirt: fill an evirt_loop_impl and call
 * evirt_loop_new_custom().  The default implementation runs on libevent
 * (evirt_loop_new()), and loop/glib.c adapts a GMainContext.
 *
 * Threads: all evirt callbacks run on the thread that iterates the loop.
 * evirt_loop_invoke() and evirt_loop_quit() may be called from any thread;
 * every other function here must be called on the loop's thread (or while
 * no thread iterates the loop).
 */
#ifndef EVIRT_LOOP_H
#define EVIRT_LOOP_H

#include <evirt/common.h>

EVIRT_BEGIN_DECLS

/* Event bits of an fd watch; the values are libvirt's virEventHandleType. */
typedef enum {
    EVIRT_EVENT_READABLE = 1 << 0,
    EVIRT_EVENT_WRITABLE = 1 << 1,
    EVIRT_EVENT_ERROR    = 1 << 2, /* reported only, never asked for */
    EVIRT_EVENT_HANGUP   = 1 << 3, /* reported only, never asked for */
} evirt_event_type;

typedef struct evirt_loop evirt_loop;

/* Called when fd is ready; events is a mask of evirt_event_type. */
typedef void (*evirt_watch_cb)(int watch, int fd, int events, void *opaque);
/* Called when the timeout fires. */
typedef void (*evirt_timeout_cb)(int timer, void *opaque);
/* Frees an opaque once its watch or timeout is gone. */
typedef void (*evirt_free_cb)(void *opaque);

/*
 * The six-operation contract.  A loop implementation fills this struct.
 *
 * add_watch / add_timeout return a positive id, or -1 on failure.
 * A timeout of -1 ms is disabled, 0 fires on every loop iteration, n > 0
 * fires every n ms until updated or removed.  A 0 ms timeout armed from
 * a callback may fire in the iteration under way, once that callback has
 * returned (libevent's implementation does: it saves a poll), or in the
 * next; after each call it waits for the next iteration.  evirt's
 * deferred work (op completions, invoke) rides on one such timer.
 * remove_* returns 0, or -1 for an unknown id; after it returns the
 * callback is never called again, and ff(opaque) is called later, never
 * from inside remove_* (so it is safe to remove from inside the callback).
 *
 * When add_* fails it does not call ff.  update_* and remove_* of an
 * unknown id do nothing (remove_* returns -1).  Watches are only ever asked
 * for READABLE/WRITABLE (0 = asked for nothing: the watch stays, silent);
 * ERROR and HANGUP may be reported at any time.
 *
 * run_once is optional: it iterates the loop once, blocking until at least
 * one event was dispatched, and returns 0 or -1.  Without it the sync API
 * can only be used from a thread other than the one running the
 * application's loop.  A blocked run_once is woken by an fd watch evirt
 * keeps on an eventfd (the implementation needs no wake-up operation).
 *
 * impl_free releases everything still registered, calling each ff
 * (including those of removed entries whose ff is still pending).
 */
typedef struct evirt_loop_impl {
    int  (*add_watch)(void *impl, int fd, int events, evirt_watch_cb cb,
                      void *opaque, evirt_free_cb ff);
    void (*update_watch)(void *impl, int watch, int events);
    int  (*remove_watch)(void *impl, int watch);
    int  (*add_timeout)(void *impl, int ms, evirt_timeout_cb cb, void *opaque,
                        evirt_free_cb ff);
    void (*update_timeout)(void *impl, int timer, int ms);
    int  (*remove_timeout)(void *impl, int timer);
    int  (*run_once)(void *impl);
    /* Called by evirt_loop_free() to let the implementation go. */
    void (*impl_free)(void *impl);
} evirt_loop_impl;

/*
 * A new loop on libevent.  base may be an event_base the application
 * already runs (struct event_base *); NULL makes a private one that
 * evirt_loop_free() frees.  Returns NULL on allocation failure.
 */
EVIRT_API evirt_loop *evirt_loop_new(void *event_base);

/*
 * A loop on any implementation; impl is passed to every operation and
 * released with ops->impl_free by evirt_loop_free().  ops is copied.
 * Returns NULL when an operation other than run_once/impl_free is missing
 * or on failure; impl then still belongs to the caller.
 */
EVIRT_API evirt_loop *evirt_loop_new_custom(const evirt_loop_impl *ops,
                                            void *impl);

/*
 * The process-wide default loop (libevent, private base), made on first
 * use.  Sync calls given a NULL loop use it.  Never free it.
 */
EVIRT_API evirt_loop *evirt_loop_default(void);

/*
 * Frees the loop.  Every connection on it must be closed first.  Functions
 * still queued by evirt_loop_invoke() run first (on the calling thread),
 * then every watch and timeout left is dropped, its ff called.  Call it
 * while no thread iterates the loop.
 */
EVIRT_API void evirt_loop_free(evirt_loop *loop);

/*
 * Runs the loop until evirt_loop_quit().  Returns 0, or -1 when the loop
 * has no run_once or another thread is running it (or this thread already
 * is: run and run_once do not nest).
 */
EVIRT_API int evirt_loop_run(evirt_loop *loop);
/*
 * Iterates once, blocking until something was dispatched (evirt's own
 * wake-ups count).  Different threads may iterate a loop one after the
 * other; -1 as for evirt_loop_run().
 */
EVIRT_API int evirt_loop_run_once(evirt_loop *loop);
/*
 * Makes evirt_loop_run() return after the current iteration; any thread.
 * A quit while no run is in progress makes the next evirt_loop_run()
 * return at once (so a quit racing with the start of run is not lost).
 */
EVIRT_API void evirt_loop_quit(evirt_loop *loop);

/*
 * Runs fn(opaque) on the loop's thread, soon, in the order of the calls.
 * Safe from any thread, including signal-free worker threads.  fn is never
 * run inside this call, even on the loop's thread (there it runs once the
 * running callback has returned: in the same iteration with libevent, in
 * the next with GLib; a function invoked from an invoked function always
 * waits for the next iteration, so a chain of them cannot starve the
 * loop's fds), and each queued fn runs exactly once, at the latest in
 * evirt_loop_free().  Returns 0, or -1 (out of memory: fn will not run).
 */
EVIRT_API int evirt_loop_invoke(evirt_loop *loop, void (*fn)(void *opaque),
                                void *opaque);

/*
 * Nonzero when called on the thread currently iterating the loop: inside
 * evirt_loop_run()/run_once() or one of the loop's callbacks, or -- for a
 * loop the application iterates itself (its own event_base or
 * GMainContext) -- on the thread that last dispatched its callbacks.
 */
EVIRT_API int evirt_loop_is_current_thread(evirt_loop *loop);

/*
 * The application's own fds and timers on evirt's loop (as a console
 * client watches stdin).  Same semantics as the contract above; ff may be
 * NULL.  Return an id > 0, or -1.
 */
EVIRT_API int  evirt_loop_add_watch(evirt_loop *loop, int fd, int events,
                                    evirt_watch_cb cb, void *opaque,
                                    evirt_free_cb ff);
EVIRT_API void evirt_loop_update_watch(evirt_loop *loop, int watch, int events);
EVIRT_API int  evirt_loop_remove_watch(evirt_loop *loop, int watch);
EVIRT_API int  evirt_loop_add_timeout(evirt_loop *loop, int ms,
                                      evirt_timeout_cb cb, void *opaque,
                                      evirt_free_cb ff);
EVIRT_API void evirt_loop_update_timeout(evirt_loop *loop, int timer, int ms);
EVIRT_API int  evirt_loop_remove_timeout(evirt_loop *loop, int timer);

EVIRT_END_DECLS

#endif
