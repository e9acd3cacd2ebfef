/*
 * api/log.c - priority, filters and outputs, configured as libvirt's are.
 *
 * The configuration lives behind one rwlock: messages take it shared
 * (outputs write under it, so a concurrent reconfiguration cannot close
 * an fd in the middle of a write), reconfiguration takes it exclusive.
 * evirt_log_enabled() first compares against a cached floor priority
 * without any lock, so disabled debug messages cost one atomic load.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "api/error-private.h"
#include "api/log-private.h"

/* Not in a header: only tests point journald output elsewhere. */
void evirt_log_set_journal_socket_(const char *path);

#define DEFAULT_PRIORITY EVIRT_LOG_WARN
#define DEFAULT_JOURNAL_SOCKET "/run/systemd/journal/socket"

typedef struct {
    int priority;
    char *match;
    int glob;       /* match holds wildcards: use fnmatch, not substring */
} log_filter;

typedef enum {
    OUT_STDERR,
    OUT_FILE,
    OUT_SYSLOG,
    OUT_JOURNALD,
} log_output_kind;

typedef struct {
    int priority;
    log_output_kind kind;
    int fd;         /* file or journald socket, else -1 */
    char *data;     /* file path or syslog ident */
} log_output;

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;
static int default_priority = DEFAULT_PRIORITY;
static log_filter *filters;
static size_t nfilters;
static log_output *outputs;     /* none: implicit stderr at default_priority */
static size_t noutputs;
static int floor_priority = DEFAULT_PRIORITY;  /* atomic; below it nothing shows */
static char *journal_socket;    /* NULL: DEFAULT_JOURNAL_SOCKET */

static const char *const priority_names[] = {
    [EVIRT_LOG_DEBUG] = "debug",
    [EVIRT_LOG_INFO] = "info",
    [EVIRT_LOG_WARN] = "warning",
    [EVIRT_LOG_ERROR] = "error",
};

static int
valid_priority(int p)
{
    return p >= EVIRT_LOG_DEBUG && p <= EVIRT_LOG_ERROR;
}

/* ---- config lifetime ------------------------------------------------ */

static void
filters_free(log_filter *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(f[i].match);
    free(f);
}

static void
outputs_free(log_output *o, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o[i].fd >= 0)
            close(o[i].fd);
        free(o[i].data);
    }
    free(o);
}

static int
has_syslog(const log_output *o, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (o[i].kind == OUT_SYSLOG)
            return 1;
    return 0;
}

/* Caller holds config_lock exclusively. */
static void
recompute_floor(void)
{
    int accept = default_priority;  /* lowest priority any filter lets in */
    int out = default_priority;     /* lowest priority any output takes */

    for (size_t i = 0; i < nfilters; i++)
        if (filters[i].priority < accept)
            accept = filters[i].priority;
    if (noutputs) {
        out = EVIRT_LOG_ERROR;
        for (size_t i = 0; i < noutputs; i++)
            if (outputs[i].priority < out)
                out = outputs[i].priority;
    }
    __atomic_store_n(&floor_priority, accept > out ? accept : out,
                     __ATOMIC_RELEASE);
}

/* ---- parsing -------------------------------------------------------- */

/* Splits s on blanks; returns a NULL-terminated array of copies. */
static char **
split_tokens(const char *s, size_t *count)
{
    char **tok = NULL;
    size_t n = 0;

    *count = 0;
    while (s && *s) {
        const char *end;
        char **tmp;

        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        if (!*s)
            break;
        end = s;
        while (*end && *end != ' ' && *end != '\t' && *end != '\n')
            end++;
        if (!(tmp = realloc(tok, (n + 2) * sizeof(*tok))))
            goto oom;
        tok = tmp;
        if (!(tok[n] = strndup(s, end - s)))
            goto oom;
        tok[++n] = NULL;
        s = end;
    }
    *count = n;
    if (!tok)
        tok = calloc(1, sizeof(*tok));
    return tok;

 oom:
    for (size_t i = 0; i < n; i++)
        free(tok[i]);
    free(tok);
    return NULL;
}

static void
tokens_free(char **tok)
{
    for (size_t i = 0; tok && tok[i]; i++)
        free(tok[i]);
    free(tok);
}

/* Parses "N:" at the start of tok; returns what follows or NULL. */
static const char *
parse_priority_prefix(const char *tok, int *prio)
{
    if (tok[0] < '1' || tok[0] > '4' || tok[1] != ':')
        return NULL;
    *prio = tok[0] - '0';
    return tok + 2;
}

static int
parse_filters(const char *spec, log_filter **out, size_t *nout, evirt_error *err)
{
    size_t ntok;
    char **tok = split_tokens(spec, &ntok);
    log_filter *f = NULL;

    *out = NULL;
    *nout = 0;
    if (!tok)
        goto oom;
    if (ntok && !(f = calloc(ntok, sizeof(*f))))
        goto oom;
    for (size_t i = 0; i < ntok; i++) {
        const char *match = parse_priority_prefix(tok[i], &f[i].priority);

        /* A leading '+' once asked libvirt for stack traces; accepted
         * and ignored so existing settings keep working. */
        if (match && *match == '+')
            match++;
        if (!match || !*match) {
            evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_INVALID_ARG,
                            "invalid log filter '%s' (expected "
                            "<priority 1-4>:<category>)", tok[i]);
            filters_free(f, i);
            tokens_free(tok);
            return -1;
        }
        if (!(f[i].match = strdup(match))) {
            filters_free(f, i);
            f = NULL;
            goto oom;
        }
        f[i].glob = strpbrk(match, "*?[") != NULL;
    }
    tokens_free(tok);
    *out = f;
    *nout = ntok;
    return 0;

 oom:
    free(f);
    tokens_free(tok);
    evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_NO_MEMORY, NULL);
    return -1;
}

static int
open_journal(const char *path, evirt_error *err)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_INVALID_ARG,
                        "journald socket path '%s' too long", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        if (fd >= 0)
            close(fd);
        evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_SYSTEM_ERROR,
                        "journald output unavailable: cannot connect to '%s': %s",
                        path, strerror(e));
        return -1;
    }
    return fd;
}

static int
parse_one_output(const char *tok, log_output *o, int *seen_syslog,
                 evirt_error *err)
{
    const char *dest = parse_priority_prefix(tok, &o->priority);

    o->fd = -1;
    o->data = NULL;
    if (!dest)
        goto syntax;

    if (strcmp(dest, "stderr") == 0) {
        o->kind = OUT_STDERR;
    } else if (strncmp(dest, "file:", 5) == 0) {
        const char *path = dest + 5;

        o->kind = OUT_FILE;
        if (!*path)
            goto syntax;
        if ((o->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                          0600)) < 0) {
            evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_OPEN_FAILED,
                            "cannot open log file '%s': %s", path,
                            strerror(errno));
            return -1;
        }
        if (!(o->data = strdup(path)))
            goto oom;
    } else if (strncmp(dest, "syslog:", 7) == 0) {
        o->kind = OUT_SYSLOG;
        if (!dest[7])
            goto syntax;
        if ((*seen_syslog)++) {
            /* openlog() is process-wide: one identity only. */
            evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_INVALID_ARG,
                            "log output '%s': only one syslog output allowed",
                            tok);
            return -1;
        }
        if (!(o->data = strdup(dest + 7)))
            goto oom;
    } else if (strcmp(dest, "journald") == 0) {
        o->kind = OUT_JOURNALD;
        if ((o->fd = open_journal(journal_socket ? journal_socket
                                                 : DEFAULT_JOURNAL_SOCKET,
                                  err)) < 0)
            return -1;
    } else {
        goto syntax;
    }
    return 0;

 syntax:
    evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_INVALID_ARG,
                    "invalid log output '%s' (expected <priority 1-4>:stderr, "
                    ":file:<path>, :syslog:<ident> or :journald)", tok);
    return -1;
 oom:
    evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_NO_MEMORY, NULL);
    return -1;
}

static int
parse_outputs(const char *spec, log_output **out, size_t *nout, evirt_error *err)
{
    size_t ntok;
    char **tok = split_tokens(spec, &ntok);
    log_output *o = NULL;
    int seen_syslog = 0;

    *out = NULL;
    *nout = 0;
    if (!tok || (ntok && !(o = calloc(ntok, sizeof(*o))))) {
        tokens_free(tok);
        evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    for (size_t i = 0; i < ntok; i++) {
        if (parse_one_output(tok[i], &o[i], &seen_syslog, err) < 0) {
            outputs_free(o, i + 1);
            tokens_free(tok);
            return -1;
        }
    }
    tokens_free(tok);
    *out = o;
    *nout = ntok;
    return 0;
}

static int
parse_priority(const char *s, int *prio, evirt_error *err)
{
    static const struct { const char *name; int prio; } names[] = {
        { "1", EVIRT_LOG_DEBUG }, { "debug", EVIRT_LOG_DEBUG },
        { "2", EVIRT_LOG_INFO }, { "info", EVIRT_LOG_INFO },
        { "3", EVIRT_LOG_WARN }, { "warning", EVIRT_LOG_WARN },
        { "4", EVIRT_LOG_ERROR }, { "error", EVIRT_LOG_ERROR },
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i].name) == 0) {
            *prio = names[i].prio;
            return 0;
        }
    }
    evirt_error_set(err, EVIRT_FROM_LOGGING, EVIRT_ERR_INVALID_ARG,
                    "invalid log priority '%s' (expected 1-4)", s);
    return -1;
}

/* ---- applying ------------------------------------------------------- */

static void
apply_priority(int prio)
{
    pthread_rwlock_wrlock(&config_lock);
    default_priority = prio;
    recompute_floor();
    pthread_rwlock_unlock(&config_lock);
}

static int
apply_filters(const char *spec, evirt_error *err)
{
    log_filter *f, *old;
    size_t n, nold;

    if (parse_filters(spec, &f, &n, err) < 0)
        return -1;
    pthread_rwlock_wrlock(&config_lock);
    old = filters;
    nold = nfilters;
    filters = f;
    nfilters = n;
    recompute_floor();
    pthread_rwlock_unlock(&config_lock);
    filters_free(old, nold);
    return 0;
}

static int
apply_outputs(const char *spec, evirt_error *err)
{
    log_output *o, *old;
    size_t n, nold;

    if (parse_outputs(spec, &o, &n, err) < 0)
        return -1;
    pthread_rwlock_wrlock(&config_lock);
    old = outputs;
    nold = noutputs;
    outputs = o;
    noutputs = n;
    /* The ident string must outlive the syslog connection: it belongs
     * to the new configuration, which stays until the next swap. */
    for (size_t i = 0; i < n; i++)
        if (o[i].kind == OUT_SYSLOG)
            openlog(o[i].data, LOG_PID, LOG_USER);
    if (!has_syslog(o, n) && has_syslog(old, nold))
        closelog();
    recompute_floor();
    pthread_rwlock_unlock(&config_lock);
    outputs_free(old, nold);
    return 0;
}

/* Applies each variable that is set; keeps going after a bad one so
 * the good ones still take effect.  err gets the first failure. */
static int
apply_env(evirt_error *err)
{
    const char *v;
    int ret = 0;
    evirt_error tmp = { 0 };

    if ((v = getenv("EVIRT_DEBUG")) && *v) {
        int prio;

        if (parse_priority(v, &prio, &tmp) < 0) {
            evirt_error_move(err, &tmp);
            ret = -1;
        } else {
            apply_priority(prio);
        }
    }
    if ((v = getenv("EVIRT_LOG_FILTERS")) && apply_filters(v, &tmp) < 0) {
        if (ret == 0)
            evirt_error_move(err, &tmp);
        ret = -1;
    }
    if ((v = getenv("EVIRT_LOG_OUTPUTS")) && apply_outputs(v, &tmp) < 0) {
        if (ret == 0)
            evirt_error_move(err, &tmp);
        ret = -1;
    }
    evirt_error_reset(&tmp);
    return ret;
}

static void
log_init(void)
{
    evirt_error err = { 0 };

    /* Raising the error here would reach the default handler, which logs,
     * which would re-enter this once-routine: say it on stderr instead. */
    if (apply_env(&err) < 0) {
        char *line = NULL;
        int len = asprintf(&line, "evirt: ignoring bad logging setting: %s\n",
                           err.message ? err.message : "?");

        if (len > 0 && write(STDERR_FILENO, line, len) < 0) {
            /* nothing more to do */
        }
        free(line);
    }
    evirt_error_reset(&err);
}

static void
ensure_init(void)
{
    pthread_once(&init_once, log_init);
}

int
evirt_log_set_default_priority(int priority)
{
    ensure_init();
    if (!valid_priority(priority)) {
        evirt_error_report(EVIRT_FROM_LOGGING, EVIRT_ERR_INVALID_ARG,
                           "invalid log priority %d (expected 1-4)", priority);
        return -1;
    }
    apply_priority(priority);
    return 0;
}

static int
report_result(int ret, evirt_error *err)
{
    if (ret < 0)
        evirt_error_set_last(err);
    evirt_error_reset(err);
    return ret;
}

int
evirt_log_set_filters(const char *spec)
{
    evirt_error err = { 0 };

    ensure_init();
    return report_result(apply_filters(spec, &err), &err);
}

int
evirt_log_set_outputs(const char *spec)
{
    evirt_error err = { 0 };

    ensure_init();
    return report_result(apply_outputs(spec, &err), &err);
}

int
evirt_log_setup_from_env(void)
{
    evirt_error err = { 0 };

    ensure_init();
    return report_result(apply_env(&err), &err);
}

void
evirt_log_set_journal_socket_(const char *path)
{
    pthread_rwlock_wrlock(&config_lock);
    free(journal_socket);
    journal_socket = path ? strdup(path) : NULL;
    pthread_rwlock_unlock(&config_lock);
}

/* ---- emitting ------------------------------------------------------- */

/* Caller holds config_lock shared.  The priority the category needs. */
static int
threshold_for(const char *category)
{
    if (!category)
        category = "";
    for (size_t i = 0; i < nfilters; i++) {
        const log_filter *f = &filters[i];

        if (f->glob ? fnmatch(f->match, category, 0) == 0
                    : strstr(category, f->match) != NULL)
            return f->priority;
    }
    return default_priority;
}

/* Caller holds config_lock shared. */
static int
enabled_locked(int priority, const char *category)
{
    if (priority < threshold_for(category))
        return 0;
    if (!noutputs)
        return priority >= default_priority;
    for (size_t i = 0; i < noutputs; i++)
        if (priority >= outputs[i].priority)
            return 1;
    return 0;
}

int
evirt_log_enabled(int priority, const char *category)
{
    int ret;

    ensure_init();
    if (priority < __atomic_load_n(&floor_priority, __ATOMIC_ACQUIRE))
        return 0;
    pthread_rwlock_rdlock(&config_lock);
    ret = enabled_locked(priority, category);
    pthread_rwlock_unlock(&config_lock);
    return ret;
}

static void
write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return; /* a log sink failing must not fail the caller */
        }
        buf += n;
        len -= (size_t)n;
    }
}

static int
syslog_level(int priority)
{
    switch (priority) {
    case EVIRT_LOG_DEBUG: return LOG_DEBUG;
    case EVIRT_LOG_INFO: return LOG_INFO;
    case EVIRT_LOG_WARN: return LOG_WARNING;
    default: return LOG_ERR;
    }
}

/* Appends "NAME=value\n", or the binary length form when value holds a
 * newline (journald's native protocol). */
static int
journal_field(FILE *f, const char *name, const char *value)
{
    if (!strchr(value, '\n'))
        return fprintf(f, "%s=%s\n", name, value) < 0 ? -1 : 0;

    uint64_t len = strlen(value);
    unsigned char le[8];

    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(len >> (8 * i));
    if (fprintf(f, "%s\n", name) < 0 || fwrite(le, 1, 8, f) != 8 ||
        fwrite(value, 1, len, f) != len || fputc('\n', f) == EOF)
        return -1;
    return 0;
}

static void
send_journal(int fd, int priority, const char *category, const char *func,
             int line, const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return;
    fprintf(f, "PRIORITY=%d\n", syslog_level(priority));
    fprintf(f, "CODE_LINE=%d\n", line);
    fprintf(f, "SYSLOG_IDENTIFIER=evirt\n");
    if (journal_field(f, "MESSAGE", msg) == 0 &&
        journal_field(f, "EVIRT_CATEGORY", category) == 0 &&
        journal_field(f, "CODE_FUNC", func) == 0 && fclose(f) == 0) {
        if (send(fd, buf, len, MSG_NOSIGNAL) < 0) {
            /* dropped: the journal being away must not stop the caller */
        }
    } else {
        fclose(f);
    }
    free(buf);
}

void
evirt_log_message(int priority, const char *category, const char *func,
                  int line, const char *fmt, ...)
{
    struct timespec ts;
    struct tm tm;
    char stamp[64];
    char *msg = NULL;
    char *text = NULL;
    va_list ap;
    int len;

    if (!valid_priority(priority))
        priority = EVIRT_LOG_ERROR;
    if (!category)
        category = "";
    if (!func)
        func = "";
    /* Cheap early exit; the full check is repeated under the lock. */
    ensure_init();
    if (priority < __atomic_load_n(&floor_priority, __ATOMIC_ACQUIRE))
        return;

    va_start(ap, fmt);
    len = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (len < 0)
        return;
    while (len > 0 && msg[len - 1] == '\n')
        msg[--len] = '\0';

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);

    len = asprintf(&text, "%s.%03ld+0000: %ld: %s : %s : %s:%d : %s\n",
                   stamp, ts.tv_nsec / 1000000L, (long)syscall(SYS_gettid),
                   priority_names[priority], category, func, line, msg);
    if (len < 0) {
        free(msg);
        return;
    }

    pthread_rwlock_rdlock(&config_lock);
    if (priority >= threshold_for(category)) {
        if (!noutputs && priority >= default_priority)
            write_all(STDERR_FILENO, text, len);
        for (size_t i = 0; i < noutputs; i++) {
            const log_output *o = &outputs[i];

            if (priority < o->priority)
                continue;
            switch (o->kind) {
            case OUT_STDERR:
                write_all(STDERR_FILENO, text, len);
                break;
            case OUT_FILE:
                write_all(o->fd, text, len);
                break;
            case OUT_SYSLOG:
                /* syslog stamps time and pid itself */
                syslog(syslog_level(priority), "%s : %s : %s:%d : %s",
                       priority_names[priority], category, func, line, msg);
                break;
            case OUT_JOURNALD:
                send_journal(o->fd, priority, category, func, line, msg);
                break;
            }
        }
    }
    pthread_rwlock_unlock(&config_lock);
    free(text);
    free(msg);
}
