/*
 * bench/bench-floor.c - what one request and one reply cost a server on
 * this machine when the server does nothing else: the floor under any
 * daemon's CPU per sync call.
 *
 * A child process is the server: epoll_wait, one recv, one sendmsg per
 * request -- the three system calls evirtd makes per sync call -- and
 * nothing in between.  The parent is a sync client as libvirt's is: send,
 * poll, recv.  Both ends of a socketpair, so no daemon, no XDR, no
 * driver: what is left is the kernel's (and, on a VM, the hypervisor's)
 * price of sleeping, being woken and waking the peer.
 *
 *   bench-floor [--tsv] [--calls=N]
 *
 * Prints the server's user and system CPU per round trip (getrusage of
 * the child) and the round trips per second.
 */
#include <config.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "bench/bench-util.h"

/* The sizes of a get_info call and its reply in libvirt's protocol. */
#define REQUEST_BYTES 48
#define REPLY_BYTES 64

static void serve(int fd, int report, long calls)
{
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd }, out[32];
    char buf[65536], reply[REPLY_BYTES];
    struct rusage ru;
    double user, sys;
    int ep = epoll_create1(EPOLL_CLOEXEC);

    memset(reply, 0, sizeof(reply));
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        _exit(1);
    for (;;) {
        struct iovec iov = { reply, sizeof(reply) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

        if (epoll_wait(ep, out, 32, -1) <= 0)
            continue;
        if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0)
            break;
        sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    getrusage(RUSAGE_SELF, &ru);
    user = (double)ru.ru_utime.tv_sec * 1e9 + (double)ru.ru_utime.tv_usec * 1e3;
    sys = (double)ru.ru_stime.tv_sec * 1e9 + (double)ru.ru_stime.tv_usec * 1e3;
    /* One write of both figures: the parent reads them after the run. */
    dprintf(report, "%.1f %.1f\n", user / (double)calls, sys / (double)calls);
    _exit(0);
}

int main(int argc, char **argv)
{
    long calls = 20000;
    int tsv = 0, sv[2], rep[2];
    char request[REQUEST_BYTES], in[REPLY_BYTES], line[128] = "";
    double user = -1, sys = -1;
    uint64_t t0, ns;
    pid_t pid;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tsv") == 0)
            tsv = 1;
        else if (strncmp(argv[i], "--calls=", 8) == 0)
            calls = atol(argv[i] + 8);
        else {
            fprintf(stderr, "usage: %s [--tsv] [--calls=N]\n", argv[0]);
            return 2;
        }
    }
    if (calls <= 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || pipe(rep) < 0)
        return 1;
    if ((pid = fork()) < 0)
        return 1;
    if (pid == 0) {
        close(sv[0]);
        close(rep[0]);
        serve(sv[1], rep[1], calls);
    }
    close(sv[1]);
    close(rep[1]);
    memset(request, 0, sizeof(request));
    t0 = bench_now_ns();
    for (long i = 0; i < calls; i++) {
        struct pollfd p = { .fd = sv[0], .events = POLLIN };

        if (send(sv[0], request, sizeof(request), 0) < 0 || poll(&p, 1, -1) < 0 ||
            recv(sv[0], in, sizeof(in), 0) <= 0)
            return 1;
    }
    ns = bench_now_ns() - t0;
    close(sv[0]);
    if (read(rep[0], line, sizeof(line) - 1) <= 0 ||
        sscanf(line, "%lf %lf", &user, &sys) != 2)
        return 1;
    waitpid(pid, NULL, 0);
    if (tsv)
        printf("value\tfloor_rate\t%.1f\tcalls/s\nvalue\tfloor_dcpu\t%.1f\tns\n"
               "value\tfloor_dusr\t%.1f\tns\n",
               (double)calls * 1e9 / (double)ns, user + sys, user);
    else
        printf("epoll echo server, sync client: %.0f round trips/s; server CPU "
               "%.1f us per round trip (user %.1f, system %.1f)\n",
               (double)calls * 1e9 / (double)ns, (user + sys) / 1e3, user / 1e3,
               sys / 1e3);
    return 0;
}
