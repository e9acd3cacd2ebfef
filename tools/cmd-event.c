/*
 * tools/cmd-event.c - `event`, `net-event` and `pool-event`: print
 * domain, network and storage pool events as they happen.
 *
 * A connection only sees the events of its own driver instance, and
 * test:///default lives as long as its connection.  So, beyond virsh's
 * "subscribe and wait", `event` may be followed by more commands on the
 * same line: it subscribes first, the following commands run (their
 * events print as they happen), and then it waits as asked.  That makes
 *   evirt 'event --loop --timeout 1; destroy test; start test'
 * show the events of destroy and start.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "tools/vsh.h"

/* Whose events a watch has subscribed to. */
enum { WATCH_DOMAIN, WATCH_NETWORK, WATCH_POOL };

struct vsh_event_watch {
    vsh_ctl *ctl;
    int family;          /* WATCH_* */
    evirt_domain *dom;   /* the domain filtered on, or NULL */
    evirt_network *net;  /* the network filtered on, or NULL */
    evirt_storage_pool *pool; /* the pool filtered on, or NULL */
    int ids[2];          /* callback ids */
    int nids;
    int loop;            /* --loop: until timeout or ^C, not one event */
    int timeout_s;       /* -1: none */
    int timestamp;
    int count;
    int done;
    int timed_out;
    int interrupted;
};

static const struct {
    const char *name;
    int id;
} event_types[] = {
    { "lifecycle", EVIRT_DOMAIN_EVENT_ID_LIFECYCLE },
    { "reboot", EVIRT_DOMAIN_EVENT_ID_REBOOT },
};
#define N_EVENT_TYPES (sizeof(event_types) / sizeof(event_types[0]))

/* ---- printing ------------------------------------------------------------ */

static void print_prefix(const vsh_event_watch *w)
{
    struct timeval tv;
    struct tm tm;
    char buf[64];

    if (!w->timestamp)
        return;
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    printf("%s.%03d+0000: ", buf, (int)(tv.tv_usec / 1000));
}

/* Counts an event; in one-shot mode only the first one. 0: print it. */
static int take_event(vsh_event_watch *w)
{
    if (w->done)
        return -1;
    w->count++;
    if (!w->loop)
        w->done = 1;
    return 0;
}

static void on_lifecycle(evirt_conn *conn, evirt_domain *dom, int event,
                         int detail, void *opaque)
{
    vsh_event_watch *w = opaque;
    (void)conn;

    if (take_event(w) < 0)
        return;
    print_prefix(w);
    printf("event 'lifecycle' for domain '%s': %s %s\n",
           evirt_domain_get_name(dom), vsh_event_str(event),
           vsh_event_detail_str(event, detail));
    fflush(stdout);
}

static void on_reboot(evirt_conn *conn, evirt_domain *dom, void *opaque)
{
    vsh_event_watch *w = opaque;
    (void)conn;

    if (take_event(w) < 0)
        return;
    print_prefix(w);
    printf("event 'reboot' for domain '%s'\n", evirt_domain_get_name(dom));
    fflush(stdout);
}

static const char *const network_events[] = {
    [EVIRT_NETWORK_EVENT_DEFINED] = "Defined",
    [EVIRT_NETWORK_EVENT_UNDEFINED] = "Undefined",
    [EVIRT_NETWORK_EVENT_STARTED] = "Started",
    [EVIRT_NETWORK_EVENT_STOPPED] = "Stopped",
};

static const char *const pool_events[] = {
    [EVIRT_STORAGE_POOL_EVENT_DEFINED] = "Defined",
    [EVIRT_STORAGE_POOL_EVENT_UNDEFINED] = "Undefined",
    [EVIRT_STORAGE_POOL_EVENT_STARTED] = "Started",
    [EVIRT_STORAGE_POOL_EVENT_STOPPED] = "Stopped",
    [EVIRT_STORAGE_POOL_EVENT_CREATED] = "Created",
    [EVIRT_STORAGE_POOL_EVENT_DELETED] = "Deleted",
};

#define EVENT_WORD(table, i) \
    ((i) >= 0 && (size_t)(i) < sizeof(table) / sizeof((table)[0]) \
         ? (table)[i] : "unknown")

static void on_net_lifecycle(evirt_conn *conn, evirt_network *net, int event,
                             int detail, void *opaque)
{
    vsh_event_watch *w = opaque;
    (void)conn;
    (void)detail;

    if (take_event(w) < 0)
        return;
    print_prefix(w);
    printf("event 'lifecycle' for network %s: %s\n",
           evirt_network_get_name(net), EVENT_WORD(network_events, event));
    fflush(stdout);
}

static void on_pool_lifecycle(evirt_conn *conn, evirt_storage_pool *pool,
                              int event, int detail, void *opaque)
{
    vsh_event_watch *w = opaque;
    (void)conn;
    (void)detail;

    if (take_event(w) < 0)
        return;
    print_prefix(w);
    printf("event 'lifecycle' for storage pool %s: %s\n",
           evirt_storage_pool_get_name(pool), EVENT_WORD(pool_events, event));
    fflush(stdout);
}

static void on_pool_refresh(evirt_conn *conn, evirt_storage_pool *pool,
                            void *opaque)
{
    vsh_event_watch *w = opaque;
    (void)conn;

    if (take_event(w) < 0)
        return;
    print_prefix(w);
    printf("event 'refresh' for storage pool %s\n",
           evirt_storage_pool_get_name(pool));
    fflush(stdout);
}

/* ---- waiting ------------------------------------------------------------- */

/* ^C ends the wait: the handler only writes a byte the loop watches. */
static int sigint_pipe[2] = { -1, -1 };

static void sigint_handler(int sig)
{
    int saved = errno;
    char c = (char)sig;
    if (write(sigint_pipe[1], &c, 1) < 0) {
        /* Nothing to do in a signal handler; the pipe is non-blocking. */
    }
    errno = saved;
}

static void on_sigint(int watch, int fd, int events, void *opaque)
{
    vsh_event_watch *w = opaque;
    char buf[16];
    (void)watch;
    (void)events;

    while (read(fd, buf, sizeof(buf)) > 0)
        ;
    w->interrupted = 1;
    w->done = 1;
}

static void on_timeout(int timer, void *opaque)
{
    vsh_event_watch *w = opaque;
    (void)timer;

    w->timed_out = 1;
    w->done = 1;
}

static void watch_free(vsh_event_watch *w)
{
    for (int i = 0; i < w->nids; i++) {
        if (w->family == WATCH_NETWORK)
            evirt_conn_network_event_deregister_any(w->ctl->conn, w->ids[i]);
        else if (w->family == WATCH_POOL)
            evirt_conn_storage_pool_event_deregister_any(w->ctl->conn,
                                                         w->ids[i]);
        else
            evirt_conn_domain_event_deregister_any(w->ctl->conn, w->ids[i]);
    }
    evirt_domain_unref(w->dom);
    evirt_network_unref(w->net);
    evirt_storage_pool_unref(w->pool);
    free(w);
}

int vsh_event_finish(vsh_ctl *ctl)
{
    vsh_event_watch *w = ctl->events;
    evirt_loop *loop;
    struct sigaction sa, old_sa;
    int timer = -1, sigwatch = -1, ret = 0;

    if (!w)
        return 0;
    ctl->events = NULL;
    loop = evirt_conn_get_loop(ctl->conn);

    /* The timeout counts from here: after the commands that followed. */
    if (!w->done && w->timeout_s >= 0)
        timer = evirt_loop_add_timeout(loop, w->timeout_s * 1000, on_timeout,
                                       w, NULL);
    memset(&sa, 0, sizeof(sa));
    if (!w->done && pipe(sigint_pipe) == 0) {
        fcntl(sigint_pipe[0], F_SETFL, O_NONBLOCK);
        fcntl(sigint_pipe[1], F_SETFL, O_NONBLOCK);
        sigwatch = evirt_loop_add_watch(loop, sigint_pipe[0],
                                        EVIRT_EVENT_READABLE, on_sigint, w,
                                        NULL);
        sa.sa_handler = sigint_handler;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_sa);
    }

    while (!w->done) {
        if (evirt_loop_run_once(loop) < 0) {
            vsh_error_plain("failed to run the event loop");
            ret = -1;
            break;
        }
    }

    if (sigwatch > 0 || sigint_pipe[0] >= 0) {
        if (sa.sa_handler)
            sigaction(SIGINT, &old_sa, NULL);
        if (sigwatch > 0)
            evirt_loop_remove_watch(loop, sigwatch);
        close(sigint_pipe[0]);
        close(sigint_pipe[1]);
        sigint_pipe[0] = sigint_pipe[1] = -1;
    }
    if (timer > 0)
        evirt_loop_remove_timeout(loop, timer);

    if (w->timed_out)
        printf("event loop timed out\n");
    else if (w->interrupted)
        printf("event loop interrupted\n");
    printf("events received: %d\n", w->count);
    watch_free(w);
    return ret;
}

/* ---- the command --------------------------------------------------------- */

static int cmd_event(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *type = vsh_opt_string(cmd, "event");
    const char *domname = vsh_opt_string(cmd, "domain");
    int want[N_EVENT_TYPES] = { 0 };
    vsh_event_watch *w;
    int timeout = -1;

    if (vsh_opt_bool(cmd, "list")) {
        for (size_t i = 0; i < N_EVENT_TYPES; i++)
            printf("%s\n", event_types[i].name);
        return 0;
    }
    if (ctl->events) {
        vsh_error_plain("only one 'event' command can wait per invocation");
        return -1;
    }
    if (vsh_opt_int(cmd, "timeout", &timeout) < 0)
        return -1;
    if (vsh_opt_bool(cmd, "all")) {
        for (size_t i = 0; i < N_EVENT_TYPES; i++)
            want[i] = 1;
    } else if (type) {
        size_t i;
        for (i = 0; i < N_EVENT_TYPES; i++)
            if (strcmp(type, event_types[i].name) == 0)
                want[i] = 1;
        for (i = 0; i < N_EVENT_TYPES && !want[i]; i++)
            ;
        if (i == N_EVENT_TYPES) {
            vsh_error_plain("unknown event type %s", type);
            return -1;
        }
    } else {
        want[0] = 1; /* lifecycle, the event everybody means */
    }

    if (!(w = calloc(1, sizeof(*w)))) {
        vsh_error_plain("out of memory");
        return -1;
    }
    w->ctl = ctl;
    w->loop = vsh_opt_bool(cmd, "loop");
    w->timeout_s = timeout;
    w->timestamp = vsh_opt_bool(cmd, "timestamp");
    if (domname && !(w->dom = vsh_lookup_domain(ctl, domname))) {
        free(w);
        return -1;
    }

    for (size_t i = 0; i < N_EVENT_TYPES; i++) {
        if (!want[i])
            continue;
        evirt_domain_event_generic_cb cb =
            event_types[i].id == EVIRT_DOMAIN_EVENT_ID_LIFECYCLE
                ? EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle)
                : EVIRT_DOMAIN_EVENT_CALLBACK(on_reboot);
        int id = evirt_conn_domain_event_register_any(ctl->conn, w->dom,
                                                      event_types[i].id, cb,
                                                      w, NULL);
        if (id < 0) {
            vsh_error("failed to register event '%s'", event_types[i].name);
            watch_free(w);
            return -1;
        }
        w->ids[w->nids++] = id;
    }

    ctl->events = w;
    /* With commands after it, the wait happens once they have run. */
    if (ctl->more_follow)
        return 0;
    return vsh_event_finish(ctl);
}

/*
 * net-event and pool-event: the same waiting as `event`, on network or
 * storage pool events (virsh's separate commands).
 */
static int cmd_object_event(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    int is_net = strcmp(cmd->def->name, "net-event") == 0;
    const char *type = vsh_opt_string(cmd, "event");
    const char *filter = vsh_opt_string(cmd, is_net ? "network" : "pool");
    int want_lifecycle = 1, want_refresh = 0;
    vsh_event_watch *w;
    int timeout = -1, id;

    if (vsh_opt_bool(cmd, "list")) {
        printf("lifecycle\n");
        if (!is_net)
            printf("refresh\n");
        return 0;
    }
    if (ctl->events) {
        vsh_error_plain("only one 'event' command can wait per invocation");
        return -1;
    }
    if (vsh_opt_int(cmd, "timeout", &timeout) < 0)
        return -1;
    if (vsh_opt_bool(cmd, "all")) {
        want_refresh = !is_net;
    } else if (type && !is_net && strcmp(type, "refresh") == 0) {
        want_lifecycle = 0;
        want_refresh = 1;
    } else if (type && strcmp(type, "lifecycle") != 0) {
        vsh_error_plain("unknown event type %s", type);
        return -1;
    }

    if (!(w = calloc(1, sizeof(*w)))) {
        vsh_error_plain("out of memory");
        return -1;
    }
    w->ctl = ctl;
    w->family = is_net ? WATCH_NETWORK : WATCH_POOL;
    w->loop = vsh_opt_bool(cmd, "loop");
    w->timeout_s = timeout;
    w->timestamp = vsh_opt_bool(cmd, "timestamp");
    if (filter && is_net) {
        if (strlen(filter) == EVIRT_UUID_STRING_BUFLEN - 1)
            w->net = evirt_network_lookup_by_uuid_string(ctl->conn, filter);
        if (!w->net)
            w->net = evirt_network_lookup_by_name(ctl->conn, filter);
        if (!w->net) {
            vsh_error("failed to get network '%s'", filter);
            free(w);
            return -1;
        }
    } else if (filter) {
        if (strlen(filter) == EVIRT_UUID_STRING_BUFLEN - 1)
            w->pool = evirt_storage_pool_lookup_by_uuid_string(ctl->conn,
                                                              filter);
        if (!w->pool)
            w->pool = evirt_storage_pool_lookup_by_name(ctl->conn, filter);
        if (!w->pool) {
            vsh_error("failed to get pool '%s'", filter);
            free(w);
            return -1;
        }
    }

    if (want_lifecycle) {
        id = is_net
            ? evirt_conn_network_event_register_any(
                  ctl->conn, w->net, EVIRT_NETWORK_EVENT_ID_LIFECYCLE,
                  EVIRT_NETWORK_EVENT_CALLBACK(on_net_lifecycle), w, NULL)
            : evirt_conn_storage_pool_event_register_any(
                  ctl->conn, w->pool, EVIRT_STORAGE_POOL_EVENT_ID_LIFECYCLE,
                  EVIRT_STORAGE_POOL_EVENT_CALLBACK(on_pool_lifecycle), w,
                  NULL);
        if (id < 0) {
            vsh_error("failed to register event 'lifecycle'");
            watch_free(w);
            return -1;
        }
        w->ids[w->nids++] = id;
    }
    if (want_refresh) {
        id = evirt_conn_storage_pool_event_register_any(
            ctl->conn, w->pool, EVIRT_STORAGE_POOL_EVENT_ID_REFRESH,
            EVIRT_STORAGE_POOL_EVENT_CALLBACK(on_pool_refresh), w, NULL);
        if (id < 0) {
            vsh_error("failed to register event 'refresh'");
            watch_free(w);
            return -1;
        }
        w->ids[w->nids++] = id;
    }

    ctl->events = w;
    if (ctl->more_follow)
        return 0;
    return vsh_event_finish(ctl);
}

#define OBJECT_EVENT_OPTS \
    { "event", VSH_OPT_STRING, 0, "which event type to wait for" }, \
    { "all", VSH_OPT_BOOL, 0, "wait for all event types" }, \
    { "loop", VSH_OPT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" }, \
    { "timeout", VSH_OPT_INT, 0, "timeout seconds" }, \
    { "list", VSH_OPT_BOOL, 0, "list valid event types" }, \
    { "timestamp", VSH_OPT_BOOL, 0, "show timestamp for each printed event" }, \
    { NULL, 0, 0, NULL }

static const vsh_opt_def net_event_opts[] = {
    { "network", VSH_OPT_STRING, 0, "filter by network name or uuid" },
    OBJECT_EVENT_OPTS,
};

static const vsh_opt_def pool_event_opts[] = {
    { "pool", VSH_OPT_STRING, 0, "filter by storage pool name or uuid" },
    OBJECT_EVENT_OPTS,
};

static const vsh_opt_def event_opts[] = {
    { "domain", VSH_OPT_STRING, 0, "filter by domain name, id or uuid" },
    { "event", VSH_OPT_STRING, VSH_OFLAG_POSITIONAL,
      "which event type to wait for (lifecycle, reboot)" },
    { "all", VSH_OPT_BOOL, 0, "wait for all event types" },
    { "loop", VSH_OPT_BOOL, 0, "loop until timeout or interrupt, rather than one-shot" },
    { "timeout", VSH_OPT_INT, 0, "timeout seconds" },
    { "list", VSH_OPT_BOOL, 0, "list valid event types" },
    { "timestamp", VSH_OPT_BOOL, 0, "show timestamp for each printed event" },
    { NULL, 0, 0, NULL },
};

const vsh_cmd_def vsh_event_cmds[] = {
    { "event", cmd_event, event_opts, "Domain Events",
      "    Waits for domain events and prints them, e.g.\n"
      "      event 'lifecycle' for domain 'test': Stopped Destroyed\n"
      "    Without --loop it returns after the first event, with --loop when\n"
      "    --timeout seconds have passed (or on ^C); without --timeout it\n"
      "    waits for ever.  Reaching the timeout is not an error (exit 0).\n"
      "    The default event type is lifecycle; --all also prints reboot.\n"
      "\n"
      "    A connection sees only its own events (and test:///default lives\n"
      "    and dies with its connection), so commands may follow 'event' on\n"
      "    the same command line: the subscription starts first, the\n"
      "    following commands run and their events print as they happen,\n"
      "    then the wait begins (--timeout counts from there):\n"
      "      evirt 'event --loop --timeout 1; destroy test; start test'\n", 0 },
    { "net-event", cmd_object_event, net_event_opts, "Network Events",
      "    Like 'event', for networks: lifecycle events, e.g.\n"
      "      event 'lifecycle' for network default: Stopped\n", 0 },
    { "pool-event", cmd_object_event, pool_event_opts, "Storage Pool Events",
      "    Like 'event', for storage pools: lifecycle and (--event refresh,\n"
      "    or --all) refresh events, e.g.\n"
      "      event 'lifecycle' for storage pool default-pool: Stopped\n", 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
