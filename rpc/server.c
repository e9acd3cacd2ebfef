/*
 * rpc/server.c - the RPC server: programs, listeners, accepting clients.
 * One connection's life is in server-client.c.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#define EVIRT_LOG_CATEGORY "evirt.rpc.server"
#include "api/log-private.h"
#include "api/error-private.h"
#include "rpc/server-private.h"

/* Connections taken per wake-up of a listener. */
#define ACCEPTS_PER_WAKEUP 64

/* Our own caps (libvirtd has neither); 0 in a caller's limits means these. */
#define DEFAULT_WRITE_QUEUE (4u << 20)
#define DEFAULT_EVENT_BACKLOG (64u << 20)

void
evirt_rpc_server_limits_init(evirt_rpc_server_limits *l)
{
    l->max_clients = 5000;
    l->max_client_requests = 5;
    l->max_message = EVIRT_RPC_MAX_PACKET;
    l->max_write_queue = DEFAULT_WRITE_QUEUE;
    l->max_event_backlog = DEFAULT_EVENT_BACKLOG;
    l->keepalive_interval = 5;
    l->keepalive_count = 5;
}

evirt_rpc_server *
evirt_rpc_server_new(evirt_loop *loop, const evirt_rpc_server_limits *limits)
{
    evirt_rpc_server *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    s->loop = loop;
    evirt_rpc_server_limits_init(&s->limits);
    if (limits) {
        s->limits = *limits;
        /* Nonsense values mean the default, never "stuck forever". */
        if (!s->limits.max_clients)
            s->limits.max_clients = 5000;
        if (!s->limits.max_client_requests)
            s->limits.max_client_requests = 5;
        if (s->limits.max_message < EVIRT_RPC_MIN_PACKET ||
            s->limits.max_message > EVIRT_RPC_MAX_PACKET)
            s->limits.max_message = EVIRT_RPC_MAX_PACKET;
        if (!s->limits.max_write_queue)
            s->limits.max_write_queue = DEFAULT_WRITE_QUEUE;
        if (!s->limits.max_event_backlog)
            s->limits.max_event_backlog = DEFAULT_EVENT_BACKLOG;
    }
    return s;
}

static void
listener_free(server_listener *l)
{
    if (l->watch > 0)
        evirt_loop_remove_watch(l->srv->loop, l->watch);
    if (l->fd >= 0)
        close(l->fd);
    if (l->unix_path) {
        unlink(l->unix_path);
        free(l->unix_path);
    }
    free(l);
}

void
evirt_rpc_server_free(evirt_rpc_server *s)
{
    if (!s)
        return;
    while (s->listeners) {
        server_listener *l = s->listeners;
        s->listeners = l->next;
        listener_free(l);
    }
    while (s->clients)
        evirt_rpc_server_client_close_now_(s->clients, NULL);
    free(s->programs);
    free(s->spare_ibuf);
    free(s);
}

/* ---- programs ----------------------------------------------------------- */

int
evirt_rpc_server_add_program(evirt_rpc_server *s, unsigned int prog,
                             unsigned int vers, const evirt_rpc_proc *procs,
                             size_t nprocs)
{
    server_program *np;

    if (evirt_rpc_server_find_program_(s, prog, vers))
        return -1;
    np = realloc(s->programs, (s->nprograms + 1) * sizeof(*np));
    if (!np)
        return -1;
    s->programs = np;
    np = &s->programs[s->nprograms++];
    np->prog = prog;
    np->vers = vers;
    np->procs = procs;
    np->nprocs = nprocs;
    np->sorted = 1;
    for (size_t i = 1; i < nprocs; i++)
        if (procs[i - 1].proc >= procs[i].proc)
            np->sorted = 0;
    return 0;
}

const server_program *
evirt_rpc_server_find_program_(evirt_rpc_server *s, unsigned int prog,
                               unsigned int vers)
{
    for (size_t i = 0; i < s->nprograms; i++)
        if (s->programs[i].prog == prog && s->programs[i].vers == vers)
            return &s->programs[i];
    return NULL;
}

const evirt_rpc_proc *
evirt_rpc_server_find_proc_(const server_program *p, int proc)
{
    if (p->sorted) {
        size_t lo = 0, hi = p->nprocs;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (p->procs[mid].proc == proc)
                return &p->procs[mid];
            if (p->procs[mid].proc < proc)
                lo = mid + 1;
            else
                hi = mid;
        }
        return NULL;
    }
    for (size_t i = 0; i < p->nprocs; i++)
        if (p->procs[i].proc == proc)
            return &p->procs[i];
    return NULL;
}

/* ---- clients ------------------------------------------------------------ */

evirt_rpc_server_client *
evirt_rpc_server_add_client_fd(evirt_rpc_server *s, int fd, int read_only)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
        close(fd);
        return NULL;
    }
    return evirt_rpc_server_client_new_(s, fd, read_only);
}

size_t
evirt_rpc_server_client_count(evirt_rpc_server *s)
{
    return s->nclients;
}

static void
listener_accept(int watch, int fd, int events, void *opaque)
{
    server_listener *l = opaque;
    evirt_rpc_server *s = l->srv;

    for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
        int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (cfd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                EVIRT_WARN("accept failed: %s", strerror(errno));
            return;
        }
        if (s->nclients >= s->limits.max_clients) {
            EVIRT_WARN("too many clients (max_clients = %u): new connection "
                       "closed", s->limits.max_clients);
            close(cfd);
            continue;
        }
        if (!evirt_rpc_server_client_new_(s, cfd, l->read_only))
            EVIRT_WARN("cannot set up a new client: out of memory");
    }
}

static int
listener_add(evirt_rpc_server *s, int fd, int read_only, const char *unix_path,
             evirt_error *err)
{
    server_listener *l = calloc(1, sizeof(*l));

    if (!l || (unix_path && !(l->unix_path = strdup(unix_path)))) {
        free(l);
        close(fd);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    l->srv = s;
    l->fd = fd;
    l->read_only = read_only;
    l->watch = evirt_loop_add_watch(s->loop, fd, EVIRT_EVENT_READABLE,
                                    listener_accept, l, NULL);
    if (l->watch < 0) {
        l->watch = 0;
        listener_free(l);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INTERNAL_ERROR,
                        "cannot watch the listening socket");
        return -1;
    }
    l->next = s->listeners;
    s->listeners = l;
    return 0;
}

static int
sys_error(evirt_error *err, const char *what, const char *where)
{
    evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                    "%s %s: %s", what, where, strerror(errno));
    return -1;
}

/* A socket file nobody answers on is left over from a dead server. */
static int
unlink_stale_socket(const struct sockaddr_un *sa, evirt_error *err)
{
    struct stat st;
    int fd, rc;

    if (lstat(sa->sun_path, &st) < 0)
        return errno == ENOENT ? 0 : sys_error(err, "cannot stat", sa->sun_path);
    if (!S_ISSOCK(st.st_mode)) {
        errno = EEXIST;
        return sys_error(err, "not a socket, refusing to replace", sa->sun_path);
    }
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return sys_error(err, "cannot create socket for", sa->sun_path);
    rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
    close(fd);
    if (rc == 0) {
        errno = EADDRINUSE;
        return sys_error(err, "another server is listening on", sa->sun_path);
    }
    EVIRT_INFO("removing stale socket %s", sa->sun_path);
    if (unlink(sa->sun_path) < 0 && errno != ENOENT)
        return sys_error(err, "cannot remove stale socket", sa->sun_path);
    return 0;
}

int
evirt_rpc_server_add_unix(evirt_rpc_server *s, const char *path, mode_t mode,
                          gid_t group, int read_only, evirt_error *err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INVALID_ARG,
                        "socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    if (unlink_stale_socket(&sa, err) < 0)
        return -1;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return sys_error(err, "cannot create socket for", path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        sys_error(err, "cannot bind", path);
        close(fd);
        return -1;
    }
    if (chmod(path, mode) < 0 ||
        (group != (gid_t)-1 && chown(path, (uid_t)-1, group) < 0) ||
        listen(fd, 128) < 0) {
        sys_error(err, "cannot set up socket", path);
        close(fd);
        unlink(path);
        return -1;
    }
    EVIRT_INFO("listening on %s (%s, mode %04o)", path,
               read_only ? "read-only" : "read-write", (unsigned)mode);
    return listener_add(s, fd, read_only, path, err);
}

int
evirt_rpc_server_add_tcp(evirt_rpc_server *s, const char *addr,
                         const char *service, int read_only, int *port_out,
                         evirt_error *err)
{
    struct addrinfo hints = {
        .ai_flags = AI_PASSIVE | AI_ADDRCONFIG,
        .ai_family = AF_UNSPEC,
        .ai_socktype = SOCK_STREAM,
    };
    struct addrinfo *res = NULL;
    char port_buf[16];
    int bound = 0, port = -1, rc, last_errno = 0;
    const char *where = addr && *addr ? addr : "*";

    if (addr && !*addr)
        addr = NULL;
    rc = getaddrinfo(addr, service, &hints, &res);
    if (rc == EAI_ADDRFAMILY || rc == EAI_NONAME) {
        /* AI_ADDRCONFIG hides loopback-only families; ask again without. */
        hints.ai_flags &= ~AI_ADDRCONFIG;
        rc = getaddrinfo(addr, service, &hints, &res);
    }
    if (rc != 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot resolve %s port %s: %s", where, service,
                        gai_strerror(rc));
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int one = 1;
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            if (errno == EAFNOSUPPORT)
                continue;
            break;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        /* One socket per family, so "every address" is both :: and 0.0.0.0. */
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
        /* With service "0", every family gets the port the first one got. */
        if (port > 0) {
            if (ai->ai_family == AF_INET)
                ((struct sockaddr_in *)ai->ai_addr)->sin_port = htons((uint16_t)port);
            else if (ai->ai_family == AF_INET6)
                ((struct sockaddr_in6 *)ai->ai_addr)->sin6_port = htons((uint16_t)port);
        }
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 128) < 0) {
            last_errno = errno;
            close(fd);
            continue;
        }
        if (port < 0) {
            struct sockaddr_storage ss;
            socklen_t sl = sizeof(ss);
            if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
                if (ss.ss_family == AF_INET)
                    port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
                else if (ss.ss_family == AF_INET6)
                    port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
            }
        }
        if (listener_add(s, fd, read_only, NULL, err) < 0) {
            freeaddrinfo(res);
            return -1;
        }
        bound++;
    }
    freeaddrinfo(res);
    if (!bound) {
        errno = last_errno ? last_errno : EADDRNOTAVAIL;
        snprintf(port_buf, sizeof(port_buf), "%s", service);
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot listen on %s port %s: %s", where, port_buf,
                        strerror(errno));
        return -1;
    }
    EVIRT_INFO("listening on TCP %s port %d (%d socket%s)", where, port, bound,
               bound > 1 ? "s" : "");
    if (port_out)
        *port_out = port;
    return 0;
}
