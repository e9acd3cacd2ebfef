/*
 * loop/glib.c - the six-op contract on a GMainContext.
 *
 * Uses only evirt's public API: it lives in libevirt-glib, outside
 * libevirt.so.  Each watch or timeout is a record, found by our own id in a
 * hash table, holding at most one GSource (none while a watch asks for no
 * events or a timeout is disabled); an update replaces the source.  As
 * g_source_destroy() would call a destroy notify at once, records carry no
 * notify: a removed record waits on a list that a high-priority idle
 * source frees, calling ff, on a later dispatch.
 */
#include <config.h>

#include <limits.h>
#include <glib.h>
#include <glib-unix.h>

#include <evirt/loop-glib.h>

typedef struct {
    GMainContext *ctx;
    GHashTable *recs;       /* id -> glib_rec */
    GSList *dead;           /* removed records, ff still to call */
    GSource *reaper;
    int next_id;
} glib_impl;

typedef struct {
    glib_impl *gi;
    int id;
    int fd;                 /* -1 for a timeout */
    int events;
    int ms;
    GSource *src;
    evirt_watch_cb watch_cb;
    evirt_timeout_cb timeout_cb;
    void *opaque;
    evirt_free_cb ff;
} glib_rec;

static void
rec_drop_source(glib_rec *rec)
{
    if (rec->src) {
        g_source_destroy(rec->src);
        g_source_unref(rec->src);
        rec->src = NULL;
    }
}

static void
rec_free(gpointer data)
{
    glib_rec *rec = data;

    rec_drop_source(rec);
    if (rec->ff)
        rec->ff(rec->opaque);
    g_free(rec);
}

static gboolean
watch_dispatch(gint fd, GIOCondition cond, gpointer data)
{
    glib_rec *rec = data;
    int events = 0;

    if (cond & (G_IO_IN | G_IO_PRI))
        events |= EVIRT_EVENT_READABLE;
    if (cond & G_IO_OUT)
        events |= EVIRT_EVENT_WRITABLE;
    if (cond & (G_IO_ERR | G_IO_NVAL))
        events |= EVIRT_EVENT_ERROR;
    if (cond & G_IO_HUP)
        events |= EVIRT_EVENT_HANGUP;
    rec->watch_cb(rec->id, fd, events, rec->opaque);
    return G_SOURCE_CONTINUE;   /* ignored if the callback removed it */
}

static gboolean
timeout_dispatch(gpointer data)
{
    glib_rec *rec = data;

    rec->timeout_cb(rec->id, rec->opaque);
    return G_SOURCE_CONTINUE;
}

/* (Re)creates rec's source from its fd/events or ms. */
static void
rec_arm(glib_rec *rec)
{
    rec_drop_source(rec);
    if (rec->fd >= 0) {
        GIOCondition cond = G_IO_HUP | G_IO_ERR;
        if (!rec->events)
            return;
        if (rec->events & EVIRT_EVENT_READABLE)
            cond |= G_IO_IN;
        if (rec->events & EVIRT_EVENT_WRITABLE)
            cond |= G_IO_OUT;
        rec->src = g_unix_fd_source_new(rec->fd, cond);
        g_source_set_callback(rec->src, (GSourceFunc)(void (*)(void))watch_dispatch, rec,
                              NULL);
    } else {
        if (rec->ms < 0)
            return;
        rec->src = rec->ms ? g_timeout_source_new(rec->ms)
                           : g_idle_source_new();
        g_source_set_priority(rec->src, G_PRIORITY_DEFAULT);
        g_source_set_callback(rec->src, timeout_dispatch, rec, NULL);
    }
    g_source_attach(rec->src, rec->gi->ctx);
}

static int
rec_add(glib_impl *gi, glib_rec *rec)
{
    do {
        gi->next_id = gi->next_id == INT_MAX ? 1 : gi->next_id + 1;
    } while (g_hash_table_contains(gi->recs, GINT_TO_POINTER(gi->next_id)));
    rec->gi = gi;
    rec->id = gi->next_id;
    g_hash_table_insert(gi->recs, GINT_TO_POINTER(rec->id), rec);
    rec_arm(rec);
    return rec->id;
}

static glib_rec *
rec_find(glib_impl *gi, int id, int is_timer)
{
    glib_rec *rec;

    if (!gi->recs)      /* being freed */
        return NULL;
    rec = g_hash_table_lookup(gi->recs, GINT_TO_POINTER(id));
    return rec && (rec->fd < 0) == is_timer ? rec : NULL;
}

static gboolean
reap(gpointer data)
{
    glib_impl *gi = data;

    g_source_unref(gi->reaper);
    gi->reaper = NULL;
    /* An ff that removes more starts a new reaper for those. */
    GSList *dead = gi->dead;
    gi->dead = NULL;
    g_slist_free_full(dead, rec_free);
    return G_SOURCE_REMOVE;
}

static int
rec_remove(glib_impl *gi, int id, int is_timer)
{
    glib_rec *rec = rec_find(gi, id, is_timer);

    if (!rec)
        return -1;
    g_hash_table_steal(gi->recs, GINT_TO_POINTER(id));
    rec_drop_source(rec);
    gi->dead = g_slist_prepend(gi->dead, rec);
    if (!gi->reaper) {
        gi->reaper = g_idle_source_new();
        g_source_set_priority(gi->reaper, G_PRIORITY_HIGH);
        g_source_set_callback(gi->reaper, reap, gi, NULL);
        g_source_attach(gi->reaper, gi->ctx);
    }
    return 0;
}

static int
glib_add_watch(void *impl, int fd, int events, evirt_watch_cb cb,
               void *opaque, evirt_free_cb ff)
{
    glib_rec *rec = g_new0(glib_rec, 1);

    rec->fd = fd;
    rec->events = events & (EVIRT_EVENT_READABLE | EVIRT_EVENT_WRITABLE);
    rec->watch_cb = cb;
    rec->opaque = opaque;
    rec->ff = ff;
    return rec_add(impl, rec);
}

static void
glib_update_watch(void *impl, int watch, int events)
{
    glib_rec *rec = rec_find(impl, watch, 0);

    events &= EVIRT_EVENT_READABLE | EVIRT_EVENT_WRITABLE;
    if (rec && rec->events != events) {
        rec->events = events;
        rec_arm(rec);
    }
}

static int
glib_remove_watch(void *impl, int watch)
{
    return rec_remove(impl, watch, 0);
}

static int
glib_add_timeout(void *impl, int ms, evirt_timeout_cb cb, void *opaque,
                 evirt_free_cb ff)
{
    glib_rec *rec = g_new0(glib_rec, 1);

    rec->fd = -1;
    rec->ms = ms < 0 ? -1 : ms;
    rec->timeout_cb = cb;
    rec->opaque = opaque;
    rec->ff = ff;
    return rec_add(impl, rec);
}

static void
glib_update_timeout(void *impl, int timer, int ms)
{
    glib_rec *rec = rec_find(impl, timer, 1);

    if (rec) {
        rec->ms = ms < 0 ? -1 : ms;
        rec_arm(rec);
    }
}

static int
glib_remove_timeout(void *impl, int timer)
{
    return rec_remove(impl, timer, 1);
}

static int
glib_run_once(void *impl)
{
    glib_impl *gi = impl;

    g_main_context_iteration(gi->ctx, TRUE);
    return 0;
}

static void
glib_impl_free(void *impl)
{
    glib_impl *gi = impl;
    GHashTable *recs = gi->recs;

    gi->recs = NULL;
    g_hash_table_destroy(recs);     /* rec_free: sources and ff */
    if (gi->reaper) {
        g_source_destroy(gi->reaper);
        reap(gi);
    }
    g_main_context_unref(gi->ctx);
    g_free(gi);
}

static const evirt_loop_impl glib_ops = {
    .add_watch = glib_add_watch,
    .update_watch = glib_update_watch,
    .remove_watch = glib_remove_watch,
    .add_timeout = glib_add_timeout,
    .update_timeout = glib_update_timeout,
    .remove_timeout = glib_remove_timeout,
    .run_once = glib_run_once,
    .impl_free = glib_impl_free,
};

evirt_loop *
evirt_loop_new_glib(GMainContext *ctx)
{
    glib_impl *gi = g_new0(glib_impl, 1);
    evirt_loop *loop;

    gi->ctx = g_main_context_ref(ctx ? ctx : g_main_context_default());
    gi->recs = g_hash_table_new_full(NULL, NULL, NULL, rec_free);
    loop = evirt_loop_new_custom(&glib_ops, gi);
    if (!loop)
        glib_impl_free(gi);
    return loop;
}
