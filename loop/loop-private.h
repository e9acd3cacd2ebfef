/*
 * loop/loop-private.h - what evirt's own layers need from the loop beyond
 * the public API: who iterates a loop right now, the recursion guard of the
 * sync layer, and a way to wait for the iterating thread.
 *
 * "Iterating" means being inside evirt_loop_run()/evirt_loop_run_once(), or
 * (for a loop the application iterates itself, e.g. its own event_base or
 * GMainContext) being the thread that last dispatched one of the loop's
 * callbacks outside evirt_loop_run()/run_once(): that thread is then taken
 * as the loop's thread for good.
 *
 * The sync layer waits like this (no lost wake-ups):
 *
 *     for (;;) {
 *         unsigned seq = evirt_loop_signal_seq(loop);
 *         if (op is complete)
 *             break;
 *         if (evirt_loop_in_dispatch(loop))
 *             fail: sync call from inside one of the loop's callbacks;
 *         if (evirt_loop_is_running_elsewhere(loop))
 *             evirt_loop_wait(loop, seq, -1);   // until signal or release
 *         else if (evirt_loop_run_once(loop) < 0)
 *             evirt_loop_wait(loop, seq, 10);   // lost a race; retry
 *     }
 *
 * with the op's completion (on the loop thread) calling
 * evirt_loop_signal(loop) after it marked the op complete.
 */
#ifndef EVIRT_LOOP_PRIVATE_H
#define EVIRT_LOOP_PRIVATE_H

#include <evirt/loop.h>

/*
 * Nonzero when a thread other than the caller iterates the loop now
 * (inside run/run_once, or the application's own loop thread).  Any thread.
 */
int evirt_loop_is_running_elsewhere(evirt_loop *loop);

/*
 * Nonzero when the calling thread is inside a callback (fd watch, timeout or
 * invoked function) dispatched by this loop, at any depth.  A sync call made
 * there cannot wait without re-entering the loop: fail it.
 */
int evirt_loop_in_dispatch(evirt_loop *loop);

/*
 * Wakes every thread blocked in evirt_loop_wait()/_wait_idle_or_signal()
 * and bumps the loop's signal sequence.  Any thread; never calls out.
 */
void evirt_loop_signal(evirt_loop *loop);

/* The current signal sequence: read it before checking your condition. */
unsigned evirt_loop_signal_seq(evirt_loop *loop);

/*
 * Blocks until the signal sequence differs from seq, or no thread iterates
 * the loop, or ms elapsed (ms < 0: no limit).  Returns 1 when no thread
 * iterates the loop on return (the caller may iterate it itself), else 0.
 * Never call it on the thread that iterates the loop.
 */
int evirt_loop_wait(evirt_loop *loop, unsigned seq, int ms);

/*
 * evirt_loop_wait() with the sequence read now: returns on the next
 * evirt_loop_signal(), on release of the loop, or after ms.
 */
int evirt_loop_wait_idle_or_signal(evirt_loop *loop, int ms);

/* Nonzero while a thread waits in evirt_loop_run to take the loop: sync
 * callers then leave the iterating to it. */
int evirt_loop_runner_waiting(evirt_loop *loop);

/*
 * Takes the loop for the calling thread for a moment (to run a driver
 * entry without racing the loop thread).  Returns 1 when taken (give it
 * back with evirt_loop_leave), 2 when this thread already iterates it,
 * 0 when another thread has it (then hand the work over with invoke).
 */
int evirt_loop_enter(evirt_loop *loop);
void evirt_loop_leave(evirt_loop *loop, int how);

/* Nonzero when loop is the process's default loop (never creates it). */
int evirt_loop_is_default(evirt_loop *loop);

#endif
