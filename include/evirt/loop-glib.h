/*
 * evirt/loop-glib.h - run evirt on a GLib main context.
 *
 * Link with -levirt-glib (pkg-config: evirt plus glib-2.0).
 */
#ifndef EVIRT_LOOP_GLIB_H
#define EVIRT_LOOP_GLIB_H

#include <glib.h>
#include <evirt/loop.h>

EVIRT_BEGIN_DECLS

/*
 * A loop whose watches and timeouts are GSources attached to ctx (NULL:
 * the global default context).  The loop holds a reference on ctx until
 * evirt_loop_free().  Callbacks run on whichever thread iterates ctx, with
 * g_main_loop_run() or evirt_loop_run(); evirt_loop_run_once() is one
 * blocking g_main_context_iteration().  0 ms timeouts fire on every
 * iteration (at G_PRIORITY_DEFAULT), fd watches at G_PRIORITY_DEFAULT.
 * Returns NULL on failure.
 */
EVIRT_API evirt_loop *evirt_loop_new_glib(GMainContext *ctx);

EVIRT_END_DECLS

#endif
