/*
 * glib-loop: evirt inside a GLib application.
 *
 * The application owns a GMainLoop; evirt_loop_new_glib() makes evirt's
 * watches and timeouts GSources on the same context, so evirt's callbacks
 * run from g_main_loop_run() next to the application's own sources (here
 * a g_timeout_add watchdog).  The program lists the domains, subscribes
 * to lifecycle events, suspends and resumes the first running domain,
 * prints the two events that causes, and quits.
 *
 *   ./glib-loop [URI]
 */
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>
#include <evirt/evirt.h>
#include <evirt/loop-glib.h>

typedef struct app {
    GMainLoop *main_loop;
    evirt_conn *conn;
    evirt_domain *target;   /* the domain we suspend and resume */
    guint watchdog;
    int status;
} app;

static const char *op_message(evirt_op *op)
{
    const evirt_error *err = evirt_op_error(op);
    return err && err->message ? err->message : "unknown error";
}

static void fail(app *a, const char *what, evirt_op *op)
{
    fprintf(stderr, "%s: %s\n", what, op_message(op));
    a->status = 1;
    g_main_loop_quit(a->main_loop);
}

static void on_resumed(evirt_op *op, void *opaque)
{
    if (evirt_domain_resume_finish(op) < 0)
        fail(opaque, "resume", op);
}

static void on_suspended(evirt_op *op, void *opaque)
{
    app *a = opaque;

    if (evirt_domain_suspend_finish(op) < 0)
        fail(a, "suspend", op);
    else
        evirt_domain_resume_async(a->target, on_resumed, a);
}

static void on_lifecycle(evirt_conn *conn, evirt_domain *dom, int event,
                         int detail, void *opaque)
{
    app *a = opaque;
    (void)conn;

    printf("event: domain %s %s (detail %d)\n", evirt_domain_get_name(dom),
           event == EVIRT_DOMAIN_EVENT_SUSPENDED ? "suspended" :
           event == EVIRT_DOMAIN_EVENT_RESUMED ? "resumed" : "changed",
           detail);
    if (event == EVIRT_DOMAIN_EVENT_RESUMED)
        g_main_loop_quit(a->main_loop);
}

static void on_registered(evirt_op *op, void *opaque)
{
    app *a = opaque;

    if (evirt_conn_domain_event_register_any_finish(op) < 0)
        fail(a, "event registration", op);
    else
        evirt_domain_suspend_async(a->target, on_suspended, a);
}

static void on_list(evirt_op *op, void *opaque)
{
    app *a = opaque;
    evirt_domain **doms;
    int n = evirt_conn_list_all_domains_finish(op, &doms);

    if (n < 0) {
        fail(a, "list", op);
        return;
    }
    for (int i = 0; i < n; i++) {
        printf("domain %s (id %d)\n", evirt_domain_get_name(doms[i]),
               evirt_domain_get_id(doms[i]));
        if (!a->target && evirt_domain_get_id(doms[i]) >= 0)
            a->target = evirt_domain_ref(doms[i]);
    }
    evirt_domain_list_free(doms, n);
    if (!a->target) {
        printf("no running domain to suspend\n");
        g_main_loop_quit(a->main_loop);
        return;
    }
    evirt_conn_domain_event_register_any_async(
        a->conn, a->target, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
        EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle), a, NULL, on_registered, a);
}

static void on_hostname(evirt_op *op, void *opaque)
{
    char *name = evirt_conn_get_hostname_finish(op);

    if (!name) {
        fail(opaque, "hostname", op);
        return;
    }
    printf("hostname %s\n", name);
    free(name);
}

static void on_open(evirt_op *op, void *opaque)
{
    app *a = opaque;

    if (!(a->conn = evirt_conn_open_finish(op))) {
        fail(a, "open", op);
        return;
    }
    /* Two requests in flight at once; they complete in any order. */
    evirt_conn_get_hostname_async(a->conn, on_hostname, a);
    evirt_conn_list_all_domains_async(a->conn, 0, on_list, a);
}

static gboolean on_watchdog(gpointer opaque)
{
    app *a = opaque;

    fprintf(stderr, "timed out\n");
    a->watchdog = 0;
    a->status = 1;
    g_main_loop_quit(a->main_loop);
    return G_SOURCE_REMOVE;
}

int main(int argc, char **argv)
{
    app a = { 0 };
    evirt_loop *loop = evirt_loop_new_glib(NULL);

    if (!loop)
        return 1;
    a.main_loop = g_main_loop_new(NULL, FALSE);
    evirt_conn_open_async(loop, argc > 1 ? argv[1] : NULL, NULL, 0, on_open,
                          &a);
    a.watchdog = g_timeout_add_seconds(5, on_watchdog, &a);

    g_main_loop_run(a.main_loop);

    if (a.watchdog)
        g_source_remove(a.watchdog);
    evirt_domain_unref(a.target);
    if (a.conn)
        evirt_conn_close(a.conn);
    evirt_loop_free(loop);
    g_main_loop_unref(a.main_loop);
    return a.status;
}
