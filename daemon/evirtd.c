/*
 * daemon/evirtd.c - evirtd: serves evirt's drivers over libvirt's RPC
 * protocol, so virsh, python3-libvirt and evirt's remote driver can use
 * them.
 *
 *   evirtd [--config FILE] [--listen] [--pid-file FILE] [--verbose] [--daemon]
 *
 * Sockets, as libvirtd's: UNIX_SOCK_DIR/libvirt-sock (read-write) and
 * UNIX_SOCK_DIR/libvirt-sock-ro (read-only); with --listen and
 * listen_tcp = 1 also TCP (listen_addr, tcp_port).  SIGTERM / SIGINT stop
 * the daemon cleanly, SIGHUP re-reads the log settings of the config file.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <evirt/evirt.h>

#define EVIRT_LOG_CATEGORY "evirt.daemon"
#include "api/log-private.h"
#include "api/error-private.h"
#include "daemon/config.h"
#include "daemon/remote.h"
#include "drivers/test/test-driver.h"
#include "rpc/server.h"

#ifndef EVIRTD_CONF_FILE
#define EVIRTD_CONF_FILE "/etc/evirt/evirtd.conf"
#endif

typedef struct {
    const char *config_path;   /* NULL: the default file, if it exists */
    int listen;
    const char *pid_file;
    int verbose;
    int daemonize;
} options;

static int signal_pipe[2] = { -1, -1 };

static void
usage(FILE *out, const char *argv0)
{
    fprintf(out,
            "Usage: %s [OPTION]...\n"
            "  -f, --config FILE     configuration file (default %s)\n"
            "  -l, --listen          listen on TCP as configured (listen_tcp)\n"
            "  -p, --pid-file FILE   write the daemon's pid to FILE\n"
            "  -v, --verbose         log informational messages\n"
            "  -d, --daemon          run in the background\n"
            "  -h, --help            show this help\n"
            "  -V, --version         show the version\n",
            argv0, EVIRTD_CONF_FILE);
}

static int
parse_options(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'f' },
        { "listen", no_argument, NULL, 'l' },
        { "pid-file", required_argument, NULL, 'p' },
        { "verbose", no_argument, NULL, 'v' },
        { "daemon", no_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    while ((c = getopt_long(argc, argv, "f:lp:vdhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': o->config_path = optarg; break;
        case 'l': o->listen = 1; break;
        case 'p': o->pid_file = optarg; break;
        case 'v': o->verbose = 1; break;
        case 'd': o->daemonize = 1; break;
        case 'h': usage(stdout, argv[0]); exit(EXIT_SUCCESS);
        case 'V': printf("evirtd %s\n", PACKAGE_VERSION); exit(EXIT_SUCCESS);
        default: usage(stderr, argv[0]); return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
        return -1;
    }
    return 0;
}

/* Reads the config file into cfg (defaults first).  0 or -1 (reported). */
static int
load_config(const options *o, evirtd_config *cfg)
{
    evirt_error err = { 0 };
    const char *path = o->config_path;

    if (evirtd_config_init(cfg) < 0) {
        fprintf(stderr, "evirtd: out of memory\n");
        return -1;
    }
    if (!path) {
        if (access(EVIRTD_CONF_FILE, F_OK) < 0)
            return 0;           /* no file: the defaults */
        path = EVIRTD_CONF_FILE;
    }
    if (evirtd_config_load(cfg, path, &err) < 0) {
        fprintf(stderr, "evirtd: %s\n", err.message);
        evirt_error_reset(&err);
        evirtd_config_clear(cfg);
        return -1;
    }
    return 0;
}

/* Applies the log settings of cfg (and --verbose).  0 or -1. */
static int
apply_logging(const evirtd_config *cfg, int verbose)
{
    int rc = 0;

    if (cfg->log_level)
        rc |= evirt_log_set_default_priority(cfg->log_level);
    else if (verbose)
        rc |= evirt_log_set_default_priority(EVIRT_LOG_INFO);
    if (cfg->log_filters)
        rc |= evirt_log_set_filters(cfg->log_filters);
    if (cfg->log_outputs)
        rc |= evirt_log_set_outputs(cfg->log_outputs);
    else if (verbose)
        rc |= evirt_log_set_outputs("2:stderr");
    if (rc) {
        const evirt_error *e = evirt_last_error();
        fprintf(stderr, "evirtd: bad log settings: %s\n",
                e && e->message ? e->message : "?");
        return -1;
    }
    return 0;
}

/* mkdir -p for the socket directory. */
static int
make_dir(const char *path)
{
    char *p = strdup(path);
    int rc = 0;

    if (!p)
        return -1;
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) < 0 && errno != EEXIST) {
                fprintf(stderr, "evirtd: cannot create %s: %s\n", p, strerror(errno));
                rc = -1;
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return rc;
}

/* ---- pid file ----------------------------------------------------------- */

static int
pid_file_write(const char *path)
{
    char buf[32];
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

    if (fd < 0) {
        fprintf(stderr, "evirtd: cannot open pid file %s: %s\n", path, strerror(errno));
        return -1;
    }
    /* The lock (held while the daemon runs) tells a second daemon off. */
    if (fcntl(fd, F_SETLK, &fl) < 0) {
        fprintf(stderr, "evirtd: pid file %s is locked: another evirtd is running\n",
                path);
        close(fd);
        return -1;
    }
    snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || write(fd, buf, strlen(buf)) != (ssize_t)strlen(buf)) {
        fprintf(stderr, "evirtd: cannot write pid file %s: %s\n", path, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;      /* kept open: the lock lives as long as the fd */
}

/* ---- daemonizing -------------------------------------------------------- */

/*
 * Forks into the background.  The parent waits for the child to report
 * (through status_fd) whether start-up worked, so `evirtd --daemon` fails
 * visibly on a bad socket path.  Returns the status fd in the child.
 */
static int
daemonize(void)
{
    int pfd[2];
    pid_t pid;

    if (pipe2(pfd, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        char status = 1;
        close(pfd[1]);
        if (read(pfd[0], &status, 1) != 1)
            status = 1;
        _exit(status ? EXIT_FAILURE : EXIT_SUCCESS);
    }
    close(pfd[0]);
    if (setsid() < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(EXIT_SUCCESS);
    if (chdir("/") < 0)
        return -1;
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        /* stderr stays until start-up is done, so errors are seen */
        if (null > STDERR_FILENO)
            close(null);
    }
    return pfd[1];
}

static void
daemon_ready(int status_fd, int ok)
{
    char status = ok ? 0 : 1;

    if (status_fd < 0)
        return;
    if (write(status_fd, &status, 1) != 1) {
        /* the parent is gone; nothing to tell */
    }
    close(status_fd);
    if (ok) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, STDERR_FILENO);
            close(null);
        }
    }
}

/* ---- signals ------------------------------------------------------------ */

static void
on_signal(int sig)
{
    int saved = errno;
    unsigned char s = (unsigned char)sig;
    if (write(signal_pipe[1], &s, 1) < 0) {
        /* pipe full: a signal of each kind is already pending */
    }
    errno = saved;
}

typedef struct {
    evirt_loop *loop;
    const options *opts;
} signal_ctx;

static void
reload_logging(const options *o)
{
    evirtd_config cfg;

    EVIRT_INFO("SIGHUP: reloading log settings");
    if (load_config(o, &cfg) < 0)
        return;     /* reported; the old settings stay */
    apply_logging(&cfg, o->verbose);
    evirtd_config_clear(&cfg);
}

static void
signal_readable(int watch, int fd, int events, void *opaque)
{
    signal_ctx *ctx = opaque;
    unsigned char sigs[16];
    ssize_t n = read(fd, sigs, sizeof(sigs));

    for (ssize_t i = 0; i < n; i++) {
        if (sigs[i] == SIGHUP) {
            reload_logging(ctx->opts);
        } else {
            EVIRT_INFO("signal %d: shutting down", sigs[i]);
            evirt_loop_quit(ctx->loop);
        }
    }
}

static int
setup_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };

    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0 ||
        sigaction(SIGHUP, &sa, NULL) < 0)
        return -1;
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

/* ---- listeners ---------------------------------------------------------- */

static int
setup_listeners(evirt_rpc_server *srv, const evirtd_config *cfg, int listen)
{
    evirt_error err = { 0 };
    gid_t gid = (gid_t)-1;
    char path[4096];

    if (cfg->unix_sock_group && *cfg->unix_sock_group) {
        struct group *g = getgrnam(cfg->unix_sock_group);
        if (!g) {
            fprintf(stderr, "evirtd: unknown group '%s' (unix_sock_group)\n",
                    cfg->unix_sock_group);
            return -1;
        }
        gid = g->gr_gid;
    }
    if (make_dir(cfg->unix_sock_dir) < 0)
        return -1;

    snprintf(path, sizeof(path), "%s/libvirt-sock", cfg->unix_sock_dir);
    if (evirt_rpc_server_add_unix(srv, path, cfg->unix_sock_rw_perms, gid, 0, &err) < 0)
        goto error;
    snprintf(path, sizeof(path), "%s/libvirt-sock-ro", cfg->unix_sock_dir);
    if (evirt_rpc_server_add_unix(srv, path, cfg->unix_sock_ro_perms, gid, 1, &err) < 0)
        goto error;
    if (listen && cfg->listen_tcp &&
        evirt_rpc_server_add_tcp(srv, cfg->listen_addr, cfg->tcp_port, 0, NULL,
                                 &err) < 0)
        goto error;
    if (listen && !cfg->listen_tcp)
        EVIRT_WARN("--listen given but listen_tcp = 0 (TLS is not implemented): "
                   "UNIX sockets only");
    return 0;

 error:
    fprintf(stderr, "evirtd: %s\n", err.message ? err.message : "cannot listen");
    evirt_error_reset(&err);
    return -1;
}

int
main(int argc, char **argv)
{
    options opts;
    evirtd_config cfg;
    evirt_error err = { 0 };
    evirt_loop *loop = NULL;
    evirt_rpc_server *srv = NULL;
    int status_fd = -1, pid_fd = -1, sig_watch = -1;
    int ret = EXIT_FAILURE;

    if (parse_options(argc, argv, &opts) < 0)
        return EXIT_FAILURE;
    if (load_config(&opts, &cfg) < 0)
        return EXIT_FAILURE;
    if (evirtd_config_check(&cfg, opts.listen, &err) < 0) {
        fprintf(stderr, "evirtd: %s\n", err.message);
        evirt_error_reset(&err);
        evirtd_config_clear(&cfg);
        return EXIT_FAILURE;
    }
    if (apply_logging(&cfg, opts.verbose) < 0)
        goto out;

    if (opts.daemonize && (status_fd = daemonize()) < 0) {
        fprintf(stderr, "evirtd: cannot daemonize: %s\n", strerror(errno));
        goto out;
    }
    if (opts.pid_file && (pid_fd = pid_file_write(opts.pid_file)) < 0)
        goto out;
    if (setup_signals() < 0) {
        fprintf(stderr, "evirtd: cannot set up signals: %s\n", strerror(errno));
        goto out;
    }

    evirt_rpc_server_limits limits;
    evirt_rpc_server_limits_init(&limits);
    limits.max_clients = (unsigned int)cfg.max_clients;
    limits.max_client_requests = (unsigned int)cfg.max_client_requests;
    limits.keepalive_interval = cfg.keepalive_interval;
    limits.keepalive_count = (unsigned int)cfg.keepalive_count;

    if (!(loop = evirt_loop_new(NULL)) || !(srv = evirt_rpc_server_new(loop, &limits))) {
        fprintf(stderr, "evirtd: out of memory\n");
        goto out;
    }
    if (evirtd_remote_register(srv, loop) < 0) {
        fprintf(stderr, "evirtd: cannot register the remote program\n");
        goto out;
    }
    /* Registering turned sharing on (libvirtd's behaviour); the config
     * file may ask for a fresh host per client instead. */
    if (!cfg.test_driver_shared)
        evirt_test_driver_set_shared(0);
    if (setup_listeners(srv, &cfg, opts.listen) < 0)
        goto out;

    signal_ctx sctx = { loop, &opts };
    sig_watch = evirt_loop_add_watch(loop, signal_pipe[0], EVIRT_EVENT_READABLE,
                                     signal_readable, &sctx, NULL);
    if (sig_watch < 0) {
        fprintf(stderr, "evirtd: cannot watch signals\n");
        goto out;
    }

    EVIRT_INFO("evirtd %s ready (sockets in %s)", PACKAGE_VERSION, cfg.unix_sock_dir);
    daemon_ready(status_fd, 1);
    status_fd = -1;

    if (evirt_loop_run(loop) == 0)
        ret = EXIT_SUCCESS;

 out:
    daemon_ready(status_fd, 0);
    if (sig_watch > 0)
        evirt_loop_remove_watch(loop, sig_watch);
    evirt_rpc_server_free(srv);
    evirtd_remote_shutdown();
    if (loop)
        evirt_loop_free(loop);
    if (pid_fd >= 0) {
        unlink(opts.pid_file);
        close(pid_fd);
    }
    evirtd_config_clear(&cfg);
    return ret;
}
