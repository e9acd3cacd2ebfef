/*
 * async-monitor: a monitoring agent that never blocks.
 *
 * It opens a connection, subscribes to lifecycle events of every domain,
 * and every --interval milliseconds lists the domains and asks each one
 * for its info -- all with _async calls on one evirt loop, so a thousand
 * slow hosts would not hold each other up.  After --duration seconds it
 * stops polling, waits for the requests still in flight, and exits.
 *
 *   ./async-monitor [--duration SECONDS] [--interval MS] [URI]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <evirt/evirt.h>

typedef struct monitor {
    evirt_loop *loop;
    evirt_conn *conn;
    int interval_ms;
    int poll_timer;       /* > 0 while polling */
    int stop_timer;
    int event_id;         /* > 0 once subscribed */
    int in_flight;        /* requests whose callback has not run yet */
    int listing;          /* a list request is in flight: skip a tick */
    int stopping;
    int polls, infos, events;
    int status;           /* exit status */
    struct timespec t0;
} monitor;

/* One info request: the monitor and the domain it is about. */
typedef struct info_req {
    monitor *m;
    evirt_domain *dom;
} info_req;

static double elapsed(const monitor *m)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - m->t0.tv_sec) +
           (double)(now.tv_nsec - m->t0.tv_nsec) / 1e9;
}

static const char *state_name(int state)
{
    static const char *const names[] = {
        "nostate", "running", "blocked", "paused", "shutdown", "shutoff",
        "crashed", "pmsuspended",
    };
    return state >= 0 && state < 8 ? names[state] : "unknown";
}

static const char *event_name(int event)
{
    static const char *const names[] = {
        "Defined", "Undefined", "Started", "Suspended", "Resumed",
        "Stopped", "Shutdown", "PMSuspended", "Crashed",
    };
    return event >= 0 && event < 9 ? names[event] : "unknown";
}

static const char *op_message(evirt_op *op)
{
    const evirt_error *err = evirt_op_error(op);
    return err && err->message ? err->message : "unknown error";
}

/* Quits the loop once stopping and nothing is in flight any more. */
static void request_done(monitor *m)
{
    m->in_flight--;
    if (m->stopping && m->in_flight == 0)
        evirt_loop_quit(m->loop);
}

static void on_info(evirt_op *op, void *opaque)
{
    info_req *req = opaque;
    monitor *m = req->m;
    evirt_domain_info info;

    if (evirt_domain_get_info_finish(op, &info) == 0) {
        m->infos++;
        printf("%7.3f info %s: state=%s vcpus=%u memory=%luKiB "
               "max_memory=%luKiB cpu_time=%.3fs\n",
               elapsed(m), evirt_domain_get_name(req->dom),
               state_name(info.state), info.nr_virt_cpu, info.memory,
               info.max_mem, (double)info.cpu_time / 1e9);
    } else {
        printf("%7.3f info %s: error: %s\n", elapsed(m),
               evirt_domain_get_name(req->dom), op_message(op));
    }
    fflush(stdout);
    evirt_domain_unref(req->dom);
    free(req);
    request_done(m);
}

static void on_list(evirt_op *op, void *opaque)
{
    monitor *m = opaque;
    evirt_domain **doms;
    int n = evirt_conn_list_all_domains_finish(op, &doms);

    m->listing = 0;
    if (n < 0) {
        fprintf(stderr, "list failed: %s\n", op_message(op));
        m->status = 1;
    }
    for (int i = 0; i < n; i++) {
        info_req *req = malloc(sizeof(*req));
        if (!req)
            break;
        req->m = m;
        req->dom = evirt_domain_ref(doms[i]);
        /* All the domains' requests are in flight at once. */
        if (evirt_domain_get_info_async(doms[i], on_info, req)) {
            m->in_flight++;
        } else {
            evirt_domain_unref(req->dom);
            free(req);
        }
    }
    if (n >= 0)
        evirt_domain_list_free(doms, n);
    request_done(m);
}

static void poll_now(monitor *m)
{
    if (m->stopping || m->listing)
        return; /* the previous round is still being answered */
    if (evirt_conn_list_all_domains_async(m->conn, 0, on_list, m)) {
        m->listing = 1;
        m->in_flight++;
        m->polls++;
    }
}

static void on_poll_timer(int timer, void *opaque)
{
    (void)timer;
    poll_now(opaque);
}

static void on_lifecycle(evirt_conn *conn, evirt_domain *dom, int event,
                         int detail, void *opaque)
{
    monitor *m = opaque;
    (void)conn;

    m->events++;
    printf("%7.3f event %s: %s (detail %d)\n", elapsed(m),
           evirt_domain_get_name(dom), event_name(event), detail);
    fflush(stdout);
}

static void on_registered(evirt_op *op, void *opaque)
{
    monitor *m = opaque;
    int id = evirt_conn_domain_event_register_any_finish(op);

    if (id < 0)
        fprintf(stderr, "no lifecycle events: %s\n", op_message(op));
    else if (m->stopping)
        evirt_conn_domain_event_deregister_any(m->conn, id);
    else
        m->event_id = id;
    request_done(m);
}

static void on_open(evirt_op *op, void *opaque)
{
    monitor *m = opaque;

    m->conn = evirt_conn_open_finish(op);
    if (!m->conn) {
        fprintf(stderr, "open failed: %s\n", op_message(op));
        m->status = 1;
        m->stopping = 1;
        evirt_loop_remove_timeout(m->loop, m->stop_timer);
        request_done(m);
        return;
    }
    if (evirt_conn_domain_event_register_any_async(
            m->conn, NULL, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
            EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle), m, NULL,
            on_registered, m))
        m->in_flight++;
    if (!m->stopping) {
        m->poll_timer = evirt_loop_add_timeout(m->loop, m->interval_ms,
                                               on_poll_timer, m, NULL);
        poll_now(m);
    }
    request_done(m);
}

static void on_stop_timer(int timer, void *opaque)
{
    monitor *m = opaque;

    evirt_loop_remove_timeout(m->loop, timer);
    m->stopping = 1;
    if (m->poll_timer > 0)
        evirt_loop_remove_timeout(m->loop, m->poll_timer);
    m->poll_timer = 0;
    if (m->event_id > 0)
        evirt_conn_domain_event_deregister_any(m->conn, m->event_id);
    m->event_id = 0;
    if (m->in_flight == 0)
        evirt_loop_quit(m->loop);
}

int main(int argc, char **argv)
{
    monitor m = { .interval_ms = 1000 };
    const char *uri = NULL;
    double duration = 10;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--duration") == 0 && i + 1 < argc)
            duration = atof(argv[++i]);
        else if (strcmp(argv[i], "--interval") == 0 && i + 1 < argc)
            m.interval_ms = atoi(argv[++i]);
        else if (argv[i][0] != '-')
            uri = argv[i];
        else {
            fprintf(stderr, "usage: %s [--duration SECONDS] [--interval MS] "
                    "[URI]\n", argv[0]);
            return 2;
        }
    }
    if (m.interval_ms <= 0 || duration < 0) {
        fprintf(stderr, "bad --interval or --duration\n");
        return 2;
    }

    clock_gettime(CLOCK_MONOTONIC, &m.t0);
    m.loop = evirt_loop_new(NULL);
    if (!m.loop)
        return 1;
    if (!evirt_conn_open_async(m.loop, uri, NULL, 0, on_open, &m)) {
        evirt_loop_free(m.loop);
        return 1;
    }
    m.in_flight++;
    m.stop_timer = evirt_loop_add_timeout(m.loop, (int)(duration * 1000),
                                          on_stop_timer, &m, NULL);

    evirt_loop_run(m.loop);

    printf("%7.3f done: %d polls, %d infos, %d events\n", elapsed(&m),
           m.polls, m.infos, m.events);
    if (m.conn)
        evirt_conn_close(m.conn);
    evirt_loop_free(m.loop);
    return m.status;
}
