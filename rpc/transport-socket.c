/*
 * rpc/transport-socket.c - getting a socket connected: UNIX path, TCP
 * host/service, or a spawned command on a socketpair.
 */
#include <config.h>

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "rpc/transport-private.h"
#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.rpc.transport"

extern char **environ;

evirt_transport *
evirt_transport_new_unix(evirt_loop *loop, const char *path, evirt_error *err)
{
    struct sockaddr_un sun;
    evirt_transport *t;
    int fd, connecting = 0;

    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    if (!path || strlen(path) >= sizeof(sun.sun_path)) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INVALID_ARG,
                        "UNIX socket path '%s' too long", path ? path : "");
        return NULL;
    }
    strcpy(sun.sun_path, path);
    if (!(t = transport_alloc(loop, err)))
        return NULL;
    t->local = 1;
    t->peer_desc = strdup(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "Failed to create socket: %s", strerror(errno));
        goto fail;
    }
    while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        if (errno == EINTR)
            continue;
        if (errno == EINPROGRESS) {
            connecting = 1;
            break;
        }
        /* ENOENT, ECONNREFUSED, EAGAIN (backlog full): a UNIX connect
         * either works at once or not at all. */
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "Failed to connect socket to '%s': %s", path,
                        strerror(errno));
        close(fd);
        goto fail;
    }
    if (transport_attach_fd(t, fd, connecting, err) < 0) {
        close(fd);
        goto fail;
    }
    return t;

 fail:
    transport_dispose(t);
    return NULL;
}

int
transport_tcp_try_next(evirt_transport *t, int *connecting, evirt_error *err)
{
    int lasterr = 0, cerr, one = 1;

    while (t->ai_next) {
        struct addrinfo *ai = t->ai_next;
        int fd;

        t->ai_next = ai->ai_next;
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            lasterr = errno;
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        *connecting = 0;
        cerr = 0;
        while (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EINPROGRESS)
                *connecting = 1;
            else
                cerr = lasterr = errno;
            break;
        }
        if (cerr) {
            close(fd);
            continue;
        }
        if (transport_attach_fd(t, fd, *connecting, err) < 0) {
            close(fd);
            return -1;
        }
        return 0;
    }
    evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                    "unable to connect to server at '%s': %s",
                    t->peer_desc ? t->peer_desc : "?",
                    strerror(lasterr ? lasterr : ECONNREFUSED));
    return -1;
}

evirt_transport *
evirt_transport_new_tcp(evirt_loop *loop, const char *host, const char *service,
                        evirt_error *err)
{
    evirt_transport *t;
    int rc, connecting = 0;

    if (!host || !service) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INVALID_ARG,
                        "TCP transport needs a host and a port");
        return NULL;
    }
    if (!(t = transport_alloc(loop, err)))
        return NULL;
    if (asprintf(&t->peer_desc, "%s:%s", host, service) < 0)
        t->peer_desc = NULL;
    /* A name is looked up off the loop; the connect follows its answer. */
    rc = transport_resolve_start(t, host, service, err);
    if (rc < 0)
        goto fail;
    if (rc == 1 && transport_tcp_try_next(t, &connecting, err) < 0)
        goto fail;
    return t;

 fail:
    transport_dispose(t);
    return NULL;
}

evirt_transport *
evirt_transport_new_command(evirt_loop *loop, const char *const *argv,
                            evirt_error *err)
{
    posix_spawn_file_actions_t fa;
    evirt_transport *t;
    int sv[2], rc;
    pid_t pid;

    if (!argv || !argv[0]) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_INVALID_ARG,
                        "no command to run");
        return NULL;
    }
    if (!(t = transport_alloc(loop, err)))
        return NULL;
    t->local = 1;
    t->peer_desc = strdup(argv[0]);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "unable to create socket pair: %s", strerror(errno));
        goto fail;
    }
    /* posix_spawn rather than fork: safe in threaded programs, and glibc
     * reports a failed exec as an error here. */
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDOUT_FILENO);
    rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(sv[1]);
    if (rc != 0) {
        evirt_error_set(err, EVIRT_FROM_RPC, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot run '%s': %s", argv[0], strerror(rc));
        close(sv[0]);
        goto fail;
    }
    t->pid = pid;
    if (transport_attach_fd(t, sv[0], 0, err) < 0) {
        close(sv[0]);
        goto fail;
    }
    EVIRT_DEBUG("transport %p: spawned '%s' as %ld", (void *)t, argv[0],
                (long)pid);
    return t;

 fail:
    transport_dispose(t);
    return NULL;
}
