/*
 * drivers/remote/remote-open.c - from a URI to an open remote connection.
 *
 * The URI picks the transport (unix, tcp, ssh, ext; tls later) and what
 * is sent as the connection name.  The open itself is the calls libvirt's
 * own client makes, in phases started from the previous phase's answers
 * so the loop never blocks, with a phase's calls in flight together:
 * AUTH_LIST -> (AUTH_POLKIT) -> SUPPORTS_FEATURE(keepalive) + CONNECT_OPEN
 * -> SUPPORTS_FEATURE(callback events) + SUPPORTS_FEATURE(close callback)
 * + REGISTER_CLOSE_CALLBACK.  Three round trips instead of libvirt's six.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define EVIRT_LOG_CATEGORY "evirt.remote"
#include "api/error-private.h"
#include "api/log-private.h"
#include "drivers/remote/remote-private.h"
#include "loop/loop-private.h"
#include "rpc/remote-xdr.h"

#define REMOTE_RUNDIR        "/run/libvirt"
#define REMOTE_TCP_PORT      "16509"
#define REMOTE_TLS_PORT      "16514"

/* Feature numbers of CONNECT_SUPPORTS_FEATURE (libvirt's). */
#define FEATURE_KEEPALIVE        10
#define FEATURE_CALLBACK_EVENTS  14
#define FEATURE_CLOSE_CALLBACK   15

/* Query parameters only the client side reads: never sent to the daemon. */
static const char *const local_params[] = {
    "name", "command", "socket", "auth", "netcat", "no_verify", "no_tty",
    "no_sanity", "pkipath", "keyfile", "sshauth", "known_hosts",
    "known_hosts_verify", "tls_priority", "mode", "proxy", "authfile",
    NULL
};

static int is_local_param(const char *name)
{
    for (int i = 0; local_params[i]; i++)
        if (strcmp(local_params[i], name) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------ the URI */

void remote_target_clear(remote_target *t)
{
    free(t->name);
    free(t->socket);
    free(t->host);
    free(t->port);
    free(t->user);
    free(t->command);
    free(t->netcat);
    free(t->keyfile);
    free(t->auth);
    memset(t, 0, sizeof(*t));
}

static int dup_opt(char **dst, const char *src)
{
    if (!src)
        return 0;
    return (*dst = strdup(src)) ? 0 : -1;
}

/* "1" / "0" flags as libvirt reads them (any non-zero number is on). */
static int flag_param(const evirt_uri *uri, const char *name)
{
    const char *v = evirt_uri_get_param(uri, name);
    return v && atoi(v) != 0;
}

/* The name for CONNECT_OPEN: the URI without transport, user, host, port
 * and the client-side parameters; other parameters travel along. */
static char *open_name(const evirt_uri *uri)
{
    const char *given = evirt_uri_get_param(uri, "name");
    if (given)
        return strdup(given);
    if (strcmp(uri->driver, "remote") == 0)
        return strdup(""); /* the daemon picks its default */

    evirt_uri copy = *uri;
    evirt_uri_param *kept = calloc(uri->nparams + 1, sizeof(*kept));
    if (!kept)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < uri->nparams; i++)
        if (!is_local_param(uri->params[i].name))
            kept[n++] = uri->params[i];
    copy.scheme = uri->driver;
    copy.transport = NULL;
    copy.user = NULL;
    copy.server = NULL;
    copy.port = 0;
    copy.params = kept;
    copy.nparams = n;
    copy.query = NULL;
    char *s = evirt_uri_format(&copy);
    free(kept);
    return s;
}

static char *path_join(const char *dir, const char *file)
{
    size_t len = strlen(dir) + strlen(file) + 2;
    char *s = malloc(len);
    if (s)
        snprintf(s, len, "%s/%s", dir, file);
    return s;
}

/*
 * The daemon's socket when the URI names none.  Session URIs use the
 * per-user daemon's socket; system ones libvirtd's, unless only the
 * driver's own modular daemon (virtqemud...) listens, or mode=direct asks
 * for it.
 */
static char *default_socket(const evirt_uri *uri, int read_only)
{
    const char *suffix = read_only ? "-sock-ro" : "-sock";
    char file[128];

    if (uri->path && strcmp(uri->path, "/session") == 0) {
        const char *run = getenv("XDG_RUNTIME_DIR");
        char dir[4096];
        if (run && *run)
            snprintf(dir, sizeof(dir), "%s/libvirt", run);
        else
            snprintf(dir, sizeof(dir), "%s/.cache/libvirt",
                     getenv("HOME") ? getenv("HOME") : "");
        /* per-user daemons have no read-only socket */
        return path_join(dir, "libvirt-sock");
    }

    const char *mode = evirt_uri_get_param(uri, "mode");
    snprintf(file, sizeof(file), "virt%sd%s", uri->driver, suffix);
    char *direct = path_join(REMOTE_RUNDIR, file);
    snprintf(file, sizeof(file), "libvirt%s", suffix);
    char *legacy = path_join(REMOTE_RUNDIR, file);
    if (!direct || !legacy) {
        free(direct);
        free(legacy);
        return NULL;
    }
    int use_direct = 0;
    if (mode && strcmp(mode, "direct") == 0)
        use_direct = strcmp(uri->driver, "remote") != 0;
    else if (!mode || strcmp(mode, "auto") == 0)
        use_direct = strcmp(uri->driver, "remote") != 0 &&
                     access(legacy, F_OK) != 0 && access(direct, F_OK) == 0;
    if (use_direct) {
        free(legacy);
        return direct;
    }
    free(direct);
    return legacy;
}

int remote_target_from_uri(const evirt_uri *uri, unsigned int flags,
                           remote_target *t, evirt_error *err)
{
    memset(t, 0, sizeof(*t));
    t->read_only = (flags & EVIRT_CONNECT_RO) != 0;

    const char *tr = uri->transport;
    if (!tr)
        t->kind = uri->server ? REMOTE_TRANSPORT_TLS : REMOTE_TRANSPORT_UNIX;
    else if (strcasecmp(tr, "unix") == 0)
        t->kind = REMOTE_TRANSPORT_UNIX;
    else if (strcasecmp(tr, "tcp") == 0)
        t->kind = REMOTE_TRANSPORT_TCP;
    else if (strcasecmp(tr, "tls") == 0)
        t->kind = REMOTE_TRANSPORT_TLS;
    else if (strcasecmp(tr, "ssh") == 0)
        t->kind = REMOTE_TRANSPORT_SSH;
    else if (strcasecmp(tr, "ext") == 0)
        t->kind = REMOTE_TRANSPORT_EXT;
    else if (strcasecmp(tr, "libssh") == 0 || strcasecmp(tr, "libssh2") == 0)
        t->kind = REMOTE_TRANSPORT_LIBSSH;
    else {
        evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_INVALID_ARG,
                        "transport '%s' in URI %s is not one of unix, tcp, tls, "
                        "ssh, ext", tr, uri->scheme);
        return -1;
    }

    const char *auth = evirt_uri_get_param(uri, "auth");
    char port[16] = "";
    if (uri->port > 0)
        snprintf(port, sizeof(port), "%d", uri->port);

    if (!(t->name = open_name(uri)) ||
        dup_opt(&t->host, uri->server) ||
        dup_opt(&t->port, port[0] ? port : NULL) ||
        dup_opt(&t->user, uri->user) ||
        dup_opt(&t->command, evirt_uri_get_param(uri, "command")) ||
        dup_opt(&t->netcat, evirt_uri_get_param(uri, "netcat")) ||
        dup_opt(&t->keyfile, evirt_uri_get_param(uri, "keyfile")) ||
        dup_opt(&t->auth, auth && *auth ? auth : NULL) ||
        dup_opt(&t->socket, evirt_uri_get_param(uri, "socket")))
        goto oom;
    t->no_tty = flag_param(uri, "no_tty");
    t->no_verify = flag_param(uri, "no_verify");

    if (t->socket && !*t->socket) {
        free(t->socket);
        t->socket = NULL;
    }
    if (!t->socket && (t->kind == REMOTE_TRANSPORT_UNIX || t->kind == REMOTE_TRANSPORT_SSH) &&
        !(t->socket = default_socket(uri, t->read_only)))
        goto oom;
    if ((t->kind == REMOTE_TRANSPORT_TCP || t->kind == REMOTE_TRANSPORT_TLS ||
         t->kind == REMOTE_TRANSPORT_SSH) && !t->host &&
        !(t->host = strdup("localhost")))
        goto oom;
    if (t->kind == REMOTE_TRANSPORT_EXT && !t->command) {
        evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_INVALID_ARG,
                        "the ext transport needs the command to run: "
                        "?command=/path/to/program");
        remote_target_clear(t);
        return -1;
    }
    return 0;

 oom:
    remote_target_clear(t);
    evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
    return -1;
}

/* ---------------------------------------------------------------- ssh */

void remote_argv_free(char **argv)
{
    if (!argv)
        return;
    for (char **a = argv; *a; a++)
        free(*a);
    free(argv);
}

/* s in single quotes for sh, with embedded quotes escaped. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/*
 * The far side joins ssh's stdin/stdout to the daemon's socket: with the
 * netcat the URI names, or else virt-ssh-helper when the host has it
 * (it finds the right daemon itself), falling back to nc.
 */
static char *far_command(const remote_target *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    fputs("sh -c ", f);
    char *script = NULL;
    size_t slen = 0;
    FILE *s = open_memstream(&script, &slen);
    if (!s) {
        fclose(f);
        free(buf);
        return NULL;
    }
    if (t->netcat) {
        put_quoted(s, t->netcat);
        fputs(" -U ", s);
        put_quoted(s, t->socket);
    } else {
        fputs("if command -v virt-ssh-helper >/dev/null 2>&1; then exec virt-ssh-helper ", s);
        if (t->read_only)
            fputs("-r ", s);
        put_quoted(s, t->name && *t->name ? t->name : "qemu:///system");
        fputs("; else exec nc -U ", s);
        put_quoted(s, t->socket);
        fputs("; fi", s);
    }
    int bad = fclose(s) != 0;
    if (!bad)
        put_quoted(f, script);
    free(script);
    if (fclose(f) != 0 || bad) {
        free(buf);
        return NULL;
    }
    return buf;
}

char **remote_ssh_argv(const remote_target *t)
{
    char **argv = calloc(24, sizeof(*argv));
    int n = 0;
    if (!argv)
        return NULL;
#define ADD(s) do { if (!(argv[n++] = strdup(s))) goto oom; } while (0)
    ADD(t->command ? t->command : "ssh");
    if (t->port) {
        ADD("-p");
        ADD(t->port);
    }
    if (t->user) {
        ADD("-l");
        ADD(t->user);
    }
    if (t->keyfile) {
        ADD("-i");
        ADD(t->keyfile);
    }
    if (t->no_tty) {
        ADD("-T");
        ADD("-o");
        ADD("BatchMode=yes");
    }
    if (t->no_verify) {
        ADD("-o");
        ADD("StrictHostKeyChecking=no");
    }
    ADD("-e");
    ADD("none");
    ADD("--");
    ADD(t->host);
    if (!(argv[n++] = far_command(t)))
        goto oom;
#undef ADD
    return argv;

 oom:
    remote_argv_free(argv);
    return NULL;
}

/* ------------------------------------------------------ the open chain */

/* The calls of the open; a phase's calls are all in flight at once. */
typedef enum {
    STEP_AUTH_LIST,
    STEP_AUTH_POLKIT,
    STEP_FEATURE_KEEPALIVE,
    STEP_CONNECT_OPEN,
    STEP_FEATURE_EVENTS,
    STEP_FEATURE_CLOSE,
    STEP_REGISTER_CLOSE,
} open_step;

typedef enum {
    PHASE_AUTH_LIST,    /* AUTH_LIST */
    PHASE_AUTH,         /* AUTH_POLKIT, when the server asks for it */
    PHASE_OPEN,         /* SUPPORTS_FEATURE(keepalive) + CONNECT_OPEN */
    PHASE_PROBES,       /* SUPPORTS_FEATURE(events, close) + REGISTER_CLOSE */
} open_phase;

typedef struct open_ctx {
    evirt_op *op;
    evirt_conn *conn;
    remote_priv *priv;
    remote_target target;
    open_phase phase;
    int inflight;               /* calls of this phase not answered yet */
    evirt_error err;            /* the phase's first fatal error */
    int no_auth_list;           /* the server cannot list: no authentication */
    int close_registered;
    evirt_remote_auth_list_ret auth_list;
    evirt_remote_auth_polkit_ret polkit;
} open_ctx;

/* One call of the open in flight. */
typedef struct open_call_ctx {
    open_ctx *ctx;
    open_step step;
    evirt_remote_connect_supports_feature_ret feature;
} open_call_ctx;

static void open_ctx_free(open_ctx *ctx, int keep_client)
{
    xdr_free((xdrproc_t)xdr_evirt_remote_auth_list_ret, (char *)&ctx->auth_list);
    if (!keep_client && ctx->priv) {
        if (ctx->priv->client) {
            evirt_rpc_client_set_close_cb(ctx->priv->client, NULL, NULL);
            evirt_rpc_client_set_message_handler(ctx->priv->client,
                                                 EVIRT_REMOTE_PROGRAM, NULL, NULL);
            remote_client_free_later(evirt_conn_get_loop(ctx->conn), ctx->priv->client);
        }
        free(ctx->priv);
    }
    remote_target_clear(&ctx->target);
    evirt_error_reset(&ctx->err);
    evirt_op_set_cancel_hook(ctx->op, NULL, NULL);
    evirt_op_unref(ctx->op);
    free(ctx);
}

static void open_fail(open_ctx *ctx, evirt_error *err)
{
    EVIRT_DEBUG("opening %s failed: %s", ctx->conn->uri,
                err->message ? err->message : "?");
    evirt_op_fail_error(ctx->op, err);
    open_ctx_free(ctx, 0);
}

static void open_fail_with(open_ctx *ctx, int domain, int code, const char *msg)
{
    evirt_error err = { 0 };
    evirt_error_set(&err, domain, code, "%s", msg);
    open_fail(ctx, &err);
    evirt_error_reset(&err);
}

/* Records the phase's first fatal error; the phase ends with it once
 * every call of the phase has answered. */
static void phase_error(open_ctx *ctx, const evirt_error *err)
{
    if (ctx->err.code)
        return;
    if (err && err->code) {
        evirt_error_copy(&ctx->err, err);
        if (ctx->err.code)
            return;
    }
    evirt_error_set(&ctx->err, EVIRT_FROM_REMOTE, EVIRT_ERR_INTERNAL_ERROR,
                    "%s", err && err->message ? err->message : "open failed");
}

static void open_call_done(void *opaque, evirt_error *err);

/* Starts one call of the current phase; its answer goes to
 * open_call_done.  oc comes from call_new (NULL: out of memory); ret may
 * point into it. */
static void call_send(open_ctx *ctx, open_call_ctx *oc, int proc,
                      xdrproc_t args_proc, const void *args,
                      xdrproc_t ret_proc, void *ret)
{
    if (oc) {
        ctx->inflight++;
        if (evirt_rpc_client_call(ctx->priv->client, EVIRT_REMOTE_PROGRAM,
                                  EVIRT_REMOTE_PROTOCOL_VERSION, proc, args_proc,
                                  args, ret_proc, ret, open_call_done, oc, NULL) == 0)
            return;
        ctx->inflight--;
        free(oc);
    }
    evirt_error oom = { 0 };
    evirt_error_set(&oom, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, "out of memory");
    phase_error(ctx, &oom);
    evirt_error_reset(&oom);
}

static open_call_ctx *call_new(open_ctx *ctx, open_step step)
{
    open_call_ctx *oc = calloc(1, sizeof(*oc));
    if (oc) {
        oc->ctx = ctx;
        oc->step = step;
    }
    return oc;
}

static void open_call(open_ctx *ctx, open_step step, int proc,
                      xdrproc_t args_proc, const void *args,
                      xdrproc_t ret_proc, void *ret)
{
    call_send(ctx, call_new(ctx, step), proc, args_proc, args, ret_proc, ret);
}

static void ask_feature(open_ctx *ctx, open_step step, int feature)
{
    evirt_remote_connect_supports_feature_args a = { .feature = feature };
    open_call_ctx *oc = call_new(ctx, step);
    call_send(ctx, oc, EVIRT_REMOTE_PROC_CONNECT_SUPPORTS_FEATURE,
              (xdrproc_t)xdr_evirt_remote_connect_supports_feature_args, &a,
              (xdrproc_t)xdr_evirt_remote_connect_supports_feature_ret,
              oc ? &oc->feature : NULL);
}

/* Ends a phase's start: a phase none of whose calls could be sent fails
 * the open here (ctx is gone after). */
static void phase_started(open_ctx *ctx)
{
    if (ctx->inflight == 0)
        open_fail(ctx, &ctx->err);
}

/*
 * After authentication: CONNECT_OPEN, and with it the keepalive probe
 * (a daemon answers that one without an open connection, so neither
 * waits for the other).  Keepalive makes the server ping us; unanswered
 * pings make it drop the connection.  A connection on the process's
 * default loop belongs to a program that uses the sync API and may leave
 * the loop idle for minutes between calls (libvirt's client likewise asks
 * only when an event loop is registered), so only connections on a loop
 * the application runs ask for it.
 */
static void start_open_phase(open_ctx *ctx)
{
    evirt_remote_str name = ctx->target.name;
    evirt_remote_connect_open_args a = {
        .name = &name,
        .flags = ctx->target.read_only ? 1 : 0,
    };

    ctx->phase = PHASE_OPEN;
    if (!evirt_loop_is_default(ctx->conn->loop))
        ask_feature(ctx, STEP_FEATURE_KEEPALIVE, FEATURE_KEEPALIVE);
    EVIRT_DEBUG("CONNECT_OPEN name '%s' flags %u", name, a.flags);
    open_call(ctx, STEP_CONNECT_OPEN, EVIRT_REMOTE_PROC_CONNECT_OPEN,
              (xdrproc_t)xdr_evirt_remote_connect_open_args, &a,
              (xdrproc_t)remote_xdr_empty, NULL);
    phase_started(ctx);
}

/*
 * Once open: what the server can do, asked all at once.  They need the
 * open connection, so they wait for its answer (a daemon may run one
 * client's calls in parallel).  The close callback is registered without
 * waiting for the probe that says it exists: an older server answers
 * "unknown procedure", which only means no close callback.
 */
static void start_probes_phase(open_ctx *ctx)
{
    ctx->phase = PHASE_PROBES;
    ask_feature(ctx, STEP_FEATURE_EVENTS, FEATURE_CALLBACK_EVENTS);
    ask_feature(ctx, STEP_FEATURE_CLOSE, FEATURE_CLOSE_CALLBACK);
    open_call(ctx, STEP_REGISTER_CLOSE,
              EVIRT_REMOTE_PROC_CONNECT_REGISTER_CLOSE_CALLBACK,
              (xdrproc_t)remote_xdr_empty, NULL, (xdrproc_t)remote_xdr_empty, NULL);
    phase_started(ctx);
}

static void open_complete(open_ctx *ctx)
{
    remote_priv *priv = ctx->priv;
    ctx->conn->driver_data = priv;
    ctx->priv = NULL;
    EVIRT_DEBUG("connected to %s (events %s, keepalive %s, close callback %s)",
                ctx->conn->uri, priv->callback_events ? "callback" : "none",
                priv->keepalive ? "on" : "off", priv->close_callback ? "on" : "off");
    evirt_op_return_void(ctx->op);
    open_ctx_free(ctx, 1);
}

/* Which authentication to run, from the server's list and ?auth=; then
 * the next phase. */
static void after_auth_list(open_ctx *ctx)
{
    const char *want = ctx->target.auth;
    int chosen = -1;
    u_int n = ctx->auth_list.types.types_len;
    int *types = ctx->auth_list.types.types_val;

    if (n == 0 || ctx->no_auth_list) {
        chosen = EVIRT_REMOTE_AUTH_NONE;
    } else if (!want) {
        chosen = types[0];
    } else {
        int wanted = strncmp(want, "sasl", 4) == 0 ? EVIRT_REMOTE_AUTH_SASL :
                     strcmp(want, "polkit") == 0 ? EVIRT_REMOTE_AUTH_POLKIT :
                     strcmp(want, "none") == 0 ? EVIRT_REMOTE_AUTH_NONE : -2;
        for (u_int i = 0; i < n; i++)
            if (types[i] == wanted)
                chosen = wanted;
        if (chosen < 0) {
            evirt_error err = { 0 };
            evirt_error_set(&err, EVIRT_FROM_REMOTE, EVIRT_ERR_AUTH_FAILED,
                            "the server does not offer "
                            "the authentication type '%s' the URI asks for", want);
            open_fail(ctx, &err);
            evirt_error_reset(&err);
            return;
        }
    }
    switch (chosen) {
    case EVIRT_REMOTE_AUTH_NONE:
        start_open_phase(ctx);
        return;
    case EVIRT_REMOTE_AUTH_POLKIT:
        ctx->phase = PHASE_AUTH;
        open_call(ctx, STEP_AUTH_POLKIT, EVIRT_REMOTE_PROC_AUTH_POLKIT,
                  (xdrproc_t)remote_xdr_empty, NULL,
                  (xdrproc_t)xdr_evirt_remote_auth_polkit_ret, &ctx->polkit);
        phase_started(ctx);
        return;
    case EVIRT_REMOTE_AUTH_SASL:
        open_fail_with(ctx, EVIRT_FROM_REMOTE, EVIRT_ERR_AUTH_FAILED,
                       "the server requires SASL "
                       "authentication, which this client does not support yet");
        return;
    default: {
        evirt_error err = { 0 };
        evirt_error_set(&err, EVIRT_FROM_REMOTE, EVIRT_ERR_AUTH_FAILED,
                        "unsupported authentication type %d",
                        chosen);
        open_fail(ctx, &err);
        evirt_error_reset(&err);
    }
    }
}

/* One answer: what it means for the open.  Errors of the probes are not
 * fatal (an older server lacks them) unless the connection died. */
static void take_answer(open_ctx *ctx, open_call_ctx *oc, const evirt_error *err)
{
    remote_priv *priv = ctx->priv;
    int fatal_if_dead = err && !evirt_rpc_client_is_alive(priv->client);

    switch (oc->step) {
    case STEP_AUTH_LIST:
        if (err && err->code == EVIRT_ERR_NO_SUPPORT)
            ctx->no_auth_list = 1;  /* a server too old to list them */
        else if (err)
            phase_error(ctx, err);
        return;
    case STEP_AUTH_POLKIT:
    case STEP_CONNECT_OPEN:
        if (err)
            phase_error(ctx, err);
        return;
    case STEP_FEATURE_KEEPALIVE:
        /* a server without keepalive is still usable */
        if (!err && oc->feature.supported &&
            evirt_rpc_client_set_keepalive(priv->client,
                                           REMOTE_KEEPALIVE_INTERVAL * 1000,
                                           REMOTE_KEEPALIVE_COUNT) == 0)
            priv->keepalive = 1;
        return;
    case STEP_FEATURE_EVENTS:
        priv->callback_events = !err && oc->feature.supported;
        break;
    case STEP_FEATURE_CLOSE:
        break;
    case STEP_REGISTER_CLOSE:
        ctx->close_registered = !err;
        break;
    }
    if (fatal_if_dead)
        phase_error(ctx, err);
}

/* The next phase, once every call of this one has answered. */
static void phase_done(open_ctx *ctx)
{
    switch (ctx->phase) {
    case PHASE_AUTH_LIST:
        after_auth_list(ctx);
        return;
    case PHASE_AUTH:
        if (!ctx->polkit.complete) {
            open_fail_with(ctx, EVIRT_FROM_REMOTE, EVIRT_ERR_AUTH_FAILED,
                           "polkit did not complete");
            return;
        }
        start_open_phase(ctx);
        return;
    case PHASE_OPEN:
        start_probes_phase(ctx);
        return;
    case PHASE_PROBES:
        ctx->priv->close_callback = ctx->close_registered;
        open_complete(ctx);
        return;
    }
}

static void open_call_done(void *opaque, evirt_error *err)
{
    open_call_ctx *oc = opaque;
    open_ctx *ctx = oc->ctx;

    ctx->inflight--;
    /* After a cancel, a timeout or a fatal error the other answers only
     * need collecting. */
    if (!evirt_op_is_done(ctx->op) && !ctx->err.code)
        take_answer(ctx, oc, err && err->code ? err : NULL);
    free(oc);
    if (ctx->inflight > 0)
        return;
    if (evirt_op_is_done(ctx->op)) {
        open_ctx_free(ctx, 0);
        return;
    }
    if (ctx->err.code) {
        open_fail(ctx, &ctx->err);
        return;
    }
    phase_done(ctx);
}

/* The op was cancelled or timed out: drop the connection; the calls in
 * flight then fail, and the last one's answer frees the context. */
static void open_cancel(evirt_op *op, void *data)
{
    open_ctx *ctx = data;
    (void)op;
    if (ctx->priv && ctx->priv->client)
        evirt_rpc_client_close(ctx->priv->client);
}

static evirt_transport *make_transport(evirt_loop *loop, const remote_target *t,
                                       evirt_error *err)
{
    switch (t->kind) {
    case REMOTE_TRANSPORT_UNIX:
        return evirt_transport_new_unix(loop, t->socket, err);
    case REMOTE_TRANSPORT_TCP:
        return evirt_transport_new_tcp(loop, t->host, t->port ? t->port : REMOTE_TCP_PORT,
                                       err);
    case REMOTE_TRANSPORT_EXT: {
        const char *argv[] = { t->command, NULL };
        return evirt_transport_new_command(loop, argv, err);
    }
    case REMOTE_TRANSPORT_SSH: {
        char **argv = remote_ssh_argv(t);
        if (!argv) {
            evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
            return NULL;
        }
        evirt_transport *tr = evirt_transport_new_command(loop, (const char *const *)argv,
                                                          err);
        remote_argv_free(argv);
        return tr;
    }
    case REMOTE_TRANSPORT_TLS:
        evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_SUPPORT,
                        "the tls transport is not available yet in this build "
                        "(use +tcp, +unix, +ssh or +ext)");
        return NULL;
    case REMOTE_TRANSPORT_LIBSSH:
        evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_SUPPORT,
                        "the libssh transports are not built in: use +ssh");
        return NULL;
    }
    evirt_error_set(err, EVIRT_FROM_REMOTE, EVIRT_ERR_INTERNAL_ERROR,
                    "unknown transport");
    return NULL;
}

static void priv_closed_cb(void *opaque, int reason, const evirt_error *err)
{
    remote_priv *priv = opaque;
    /* Until the open completes, failing the call in flight is enough. */
    if (priv->conn->driver_data == priv)
        remote_conn_died(priv, reason, err);
}

void remote_open(evirt_op *op, evirt_conn *conn, const evirt_uri *uri,
                 evirt_auth *auth)
{
    (void)auth; /* only SASL asks for credentials */
    evirt_error err = { 0 };
    open_ctx *ctx = calloc(1, sizeof(*ctx));
    if (!ctx) {
        evirt_op_fail(op, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, NULL);
        return;
    }
    ctx->op = evirt_op_ref(op);
    ctx->conn = conn;
    if (remote_target_from_uri(uri, conn->flags, &ctx->target, &err) < 0) {
        open_fail(ctx, &err);
        evirt_error_reset(&err);
        return;
    }
    if (ctx->target.auth && strncmp(ctx->target.auth, "sasl", 4) == 0) {
        open_fail_with(ctx, EVIRT_FROM_REMOTE, EVIRT_ERR_AUTH_FAILED,
                       "SASL authentication is not "
                       "supported yet");
        return;
    }
    if (!(ctx->priv = calloc(1, sizeof(*ctx->priv)))) {
        open_fail_with(ctx, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    ctx->priv->conn = conn;
    ctx->priv->tls = ctx->target.kind == REMOTE_TRANSPORT_TLS;

    evirt_transport *t = make_transport(conn->loop, &ctx->target, &err);
    if (!t) {
        open_fail(ctx, &err);
        evirt_error_reset(&err);
        return;
    }
    if (!(ctx->priv->client = evirt_rpc_client_new(conn->loop, t))) {
        open_fail_with(ctx, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    evirt_rpc_client_set_close_cb(ctx->priv->client, priv_closed_cb, ctx->priv);
    if (evirt_rpc_client_set_message_handler(ctx->priv->client, EVIRT_REMOTE_PROGRAM,
                                             remote_events_message, ctx->priv) < 0) {
        open_fail_with(ctx, EVIRT_FROM_REMOTE, EVIRT_ERR_NO_MEMORY, "out of memory");
        return;
    }
    evirt_op_set_cancel_hook(op, open_cancel, ctx);
    EVIRT_DEBUG("opening %s: transport %d, name '%s'", conn->uri,
                ctx->target.kind, ctx->target.name);
    ctx->phase = PHASE_AUTH_LIST;
    open_call(ctx, STEP_AUTH_LIST, EVIRT_REMOTE_PROC_AUTH_LIST,
              (xdrproc_t)remote_xdr_empty, NULL,
              (xdrproc_t)xdr_evirt_remote_auth_list_ret, &ctx->auth_list);
    phase_started(ctx);
}
