/*
 * daemon/config.c - parsing evirtd.conf (libvirtd.conf's syntax).
 *
 * The parser is two steps: a small tokenizer turns "key = value" into a
 * typed value (string, integer or list of strings), then a table maps the
 * key to a setter that checks type and range.  Errors carry the line of
 * the key, so "unknown key" and "bad value" point where to look.
 */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/error-private.h"
#include "daemon/config.h"

typedef enum { VAL_STRING, VAL_INT, VAL_LIST } val_type;

typedef struct {
    val_type type;
    char *str;          /* VAL_STRING */
    long long num;      /* VAL_INT */
    char **list;        /* VAL_LIST, NULL-terminated */
    size_t nlist;
} conf_value;

typedef struct {
    const char *text;
    const char *name;   /* file name for messages */
    size_t pos;
    int line;
    evirt_error *err;
} conf_parser;

static void
value_clear(conf_value *v)
{
    free(v->str);
    for (size_t i = 0; i < v->nlist; i++)
        free(v->list[i]);
    free(v->list);
    memset(v, 0, sizeof(*v));
}

static int syntax_error(conf_parser *p, int line, const char *fmt, ...)
    EVIRT_PRINTF(3, 4);

static int
syntax_error(conf_parser *p, int line, const char *fmt, ...)
{
    char detail[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    evirt_error_set(p->err, EVIRT_FROM_CONF, EVIRT_ERR_CONF_SYNTAX,
                    "%s:%d: %s", p->name, line, detail);
    return -1;
}

/* Skips blanks, comments and (when newlines) line ends. */
static void
skip_space(conf_parser *p, int newlines)
{
    for (;;) {
        char c = p->text[p->pos];
        if (c == ' ' || c == '\t' || c == '\r') {
            p->pos++;
        } else if (c == '#') {
            while (p->text[p->pos] && p->text[p->pos] != '\n')
                p->pos++;
        } else if (c == '\n' && newlines) {
            p->line++;
            p->pos++;
        } else {
            return;
        }
    }
}

static int
parse_string(conf_parser *p, char **out)
{
    char quote = p->text[p->pos++];
    size_t start = p->pos;

    while (p->text[p->pos] && p->text[p->pos] != quote) {
        if (p->text[p->pos] == '\n')
            return syntax_error(p, p->line, "unterminated string");
        p->pos++;
    }
    if (!p->text[p->pos])
        return syntax_error(p, p->line, "unterminated string");
    *out = strndup(p->text + start, p->pos - start);
    p->pos++;
    if (!*out)
        return syntax_error(p, p->line, "out of memory");
    return 0;
}

static int
parse_int(conf_parser *p, long long *out)
{
    const char *start = p->text + p->pos;
    char *end;

    errno = 0;
    *out = strtoll(start, &end, 10);
    if (end == start || errno == ERANGE)
        return syntax_error(p, p->line, "malformed integer");
    p->pos += (size_t)(end - start);
    return 0;
}

static int
parse_list(conf_parser *p, conf_value *v)
{
    p->pos++; /* '[' */
    for (;;) {
        skip_space(p, 1);
        char c = p->text[p->pos];
        if (c == ']') {
            p->pos++;
            return 0;
        }
        if (c != '"' && c != '\'')
            return syntax_error(p, p->line,
                                "expecting a string or ']' in a list");
        char *s;
        if (parse_string(p, &s) < 0)
            return -1;
        char **nl = realloc(v->list, (v->nlist + 2) * sizeof(*nl));
        if (!nl) {
            free(s);
            return syntax_error(p, p->line, "out of memory");
        }
        v->list = nl;
        v->list[v->nlist++] = s;
        v->list[v->nlist] = NULL;
        skip_space(p, 1);
        if (p->text[p->pos] == ',')
            p->pos++;
        else if (p->text[p->pos] != ']')
            return syntax_error(p, p->line, "expecting ',' or ']' in a list");
    }
}

static int
parse_value(conf_parser *p, conf_value *v)
{
    char c = p->text[p->pos];

    if (c == '"' || c == '\'') {
        v->type = VAL_STRING;
        return parse_string(p, &v->str);
    }
    if (c == '[') {
        v->type = VAL_LIST;
        return parse_list(p, v);
    }
    if (c == '-' || c == '+' || isdigit((unsigned char)c)) {
        v->type = VAL_INT;
        return parse_int(p, &v->num);
    }
    return syntax_error(p, p->line, "expecting a value");
}

/* ---- typed setters ---------------------------------------------------- */

typedef struct conf_key conf_key;
typedef int (*conf_setter)(evirtd_config *cfg, const conf_key *k,
                           conf_value *v, conf_parser *p, int line);

struct conf_key {
    const char *name;
    conf_setter set;
    size_t offset;      /* of the field in evirtd_config */
    long long min, max; /* integers */
};

#define FIELD(cfg, k, type) ((type *)((char *)(cfg) + (k)->offset))

static const char *const type_names[] = { "a string", "an integer", "a list" };

static int
want_type(const conf_key *k, conf_value *v, val_type t, conf_parser *p, int line)
{
    if (v->type == t)
        return 0;
    return syntax_error(p, line, "%s must be %s, not %s", k->name,
                        type_names[t], type_names[v->type]);
}

static int
set_string(evirtd_config *cfg, const conf_key *k, conf_value *v,
           conf_parser *p, int line)
{
    char **field = FIELD(cfg, k, char *);

    if (want_type(k, v, VAL_STRING, p, line) < 0)
        return -1;
    free(*field);
    *field = v->str;
    v->str = NULL;
    return 0;
}

static int
set_int(evirtd_config *cfg, const conf_key *k, conf_value *v,
        conf_parser *p, int line)
{
    if (want_type(k, v, VAL_INT, p, line) < 0)
        return -1;
    if (v->num < k->min || v->num > k->max)
        return syntax_error(p, line, "%s = %lld is out of range [%lld, %lld]",
                            k->name, v->num, k->min, k->max);
    *FIELD(cfg, k, int) = (int)v->num;
    return 0;
}

static int
set_perms(evirtd_config *cfg, const conf_key *k, conf_value *v,
          conf_parser *p, int line)
{
    char *end;
    long mode;

    /* libvirtd.conf spells permissions as octal strings ("0770"). */
    if (want_type(k, v, VAL_STRING, p, line) < 0)
        return -1;
    errno = 0;
    mode = strtol(v->str, &end, 8);
    if (!*v->str || *end || errno || mode < 0 || mode > 07777)
        return syntax_error(p, line,
                            "%s = \"%.40s\" is not an octal permission mode",
                            k->name, v->str);
    *FIELD(cfg, k, mode_t) = (mode_t)mode;
    return 0;
}

static int
set_auth(evirtd_config *cfg, const conf_key *k, conf_value *v,
         conf_parser *p, int line)
{
    evirtd_auth a;

    if (want_type(k, v, VAL_STRING, p, line) < 0)
        return -1;
    if (strcmp(v->str, "none") == 0) {
        a = EVIRTD_AUTH_NONE;
    } else if (strcmp(v->str, "sasl") == 0) {
        a = EVIRTD_AUTH_SASL;
    } else if (strcmp(v->str, "polkit") == 0) {
        a = EVIRTD_AUTH_POLKIT;
    } else {
        return syntax_error(p, line,
                            "%s = \"%.40s\": expecting \"none\", \"sasl\" or \"polkit\"",
                            k->name, v->str);
    }
    *FIELD(cfg, k, evirtd_auth) = a;
    if (FIELD(cfg, k, evirtd_auth) == &cfg->auth_tcp)
        cfg->auth_tcp_explicit = 1;
    return 0;
}

#define OFF(f) offsetof(evirtd_config, f)

static const conf_key keys[] = {
    { "listen_tcp", set_int, OFF(listen_tcp), 0, 1 },
    { "tcp_port", set_string, OFF(tcp_port), 0, 0 },
    { "listen_addr", set_string, OFF(listen_addr), 0, 0 },
    { "unix_sock_dir", set_string, OFF(unix_sock_dir), 0, 0 },
    { "unix_sock_group", set_string, OFF(unix_sock_group), 0, 0 },
    { "unix_sock_ro_perms", set_perms, OFF(unix_sock_ro_perms), 0, 0 },
    { "unix_sock_rw_perms", set_perms, OFF(unix_sock_rw_perms), 0, 0 },
    { "auth_unix_ro", set_auth, OFF(auth_unix_ro), 0, 0 },
    { "auth_unix_rw", set_auth, OFF(auth_unix_rw), 0, 0 },
    { "auth_tcp", set_auth, OFF(auth_tcp), 0, 0 },
    { "max_clients", set_int, OFF(max_clients), 1, 1000000 },
    { "max_client_requests", set_int, OFF(max_client_requests), 1, 100000 },
    { "max_workers", set_int, OFF(max_workers), 1, 10000 },
    { "log_level", set_int, OFF(log_level), 1, 4 },
    { "log_filters", set_string, OFF(log_filters), 0, 0 },
    { "log_outputs", set_string, OFF(log_outputs), 0, 0 },
    { "keepalive_interval", set_int, OFF(keepalive_interval), -1, 86400 },
    { "keepalive_count", set_int, OFF(keepalive_count), 0, 1000 },
    { "test_driver_shared", set_int, OFF(test_driver_shared), 0, 1 },
};

static const conf_key *
find_key(const char *name)
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/* ---- public ----------------------------------------------------------- */

int
evirtd_config_init(evirtd_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->tcp_port = strdup("16509");
    cfg->unix_sock_dir = strdup(EVIRTD_DEFAULT_SOCK_DIR);
    cfg->unix_sock_ro_perms = 0777;
    cfg->unix_sock_rw_perms = 0700;
    cfg->auth_unix_ro = EVIRTD_AUTH_NONE;
    cfg->auth_unix_rw = EVIRTD_AUTH_NONE;
    cfg->auth_tcp = EVIRTD_AUTH_SASL;
    cfg->max_clients = 5000;
    cfg->max_client_requests = 5;
    cfg->max_workers = 20;
    cfg->keepalive_interval = 5;
    cfg->keepalive_count = 5;
    cfg->test_driver_shared = 1;
    if (!cfg->tcp_port || !cfg->unix_sock_dir) {
        evirtd_config_clear(cfg);
        return -1;
    }
    return 0;
}

void
evirtd_config_clear(evirtd_config *cfg)
{
    free(cfg->tcp_port);
    free(cfg->listen_addr);
    free(cfg->unix_sock_dir);
    free(cfg->unix_sock_group);
    free(cfg->log_filters);
    free(cfg->log_outputs);
    memset(cfg, 0, sizeof(*cfg));
}

int
evirtd_config_parse(evirtd_config *cfg, const char *text, const char *name,
                    evirt_error *err)
{
    conf_parser p = { .text = text, .name = name ? name : "<config>",
                      .line = 1, .err = err };

    for (;;) {
        skip_space(&p, 1);
        if (!p.text[p.pos])
            return 0;

        int line = p.line;
        size_t start = p.pos;
        char c = p.text[p.pos];
        if (!isalpha((unsigned char)c) && c != '_')
            return syntax_error(&p, line, "expecting a key name");
        while (isalnum((unsigned char)p.text[p.pos]) ||
               p.text[p.pos] == '_' || p.text[p.pos] == '.')
            p.pos++;

        char key[64];
        size_t klen = p.pos - start;
        if (klen >= sizeof(key))
            klen = sizeof(key) - 1;
        memcpy(key, p.text + start, klen);
        key[klen] = '\0';

        skip_space(&p, 0);
        if (p.text[p.pos] != '=')
            return syntax_error(&p, line, "expecting '=' after '%s'", key);
        p.pos++;
        skip_space(&p, 0);

        conf_value v = { 0 };
        if (parse_value(&p, &v) < 0) {
            value_clear(&v);
            return -1;
        }
        skip_space(&p, 0);
        if (p.text[p.pos] == ';')
            p.pos++;
        skip_space(&p, 0);
        if (p.text[p.pos] && p.text[p.pos] != '\n') {
            value_clear(&v);
            return syntax_error(&p, p.line,
                                "unexpected text after the value of '%s'", key);
        }

        const conf_key *k = find_key(key);
        if (!k) {
            value_clear(&v);
            return syntax_error(&p, line, "unknown key '%s'", key);
        }
        int rc = k->set(cfg, k, &v, &p, line);
        value_clear(&v);
        if (rc < 0)
            return -1;
    }
}

int
evirtd_config_load(evirtd_config *cfg, const char *path, evirt_error *err)
{
    FILE *f = fopen(path, "re");
    char *text = NULL;
    size_t len = 0, cap = 0;
    int rc;

    if (!f) {
        evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    for (;;) {
        if (cap - len < 4097) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nt = realloc(text, ncap);
            if (!nt || ncap > (64u << 20)) {
                free(nt ? nt : text);
                fclose(f);
                evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_CONF_SYNTAX,
                                "%s: file too large or out of memory", path);
                return -1;
            }
            text = nt;
            cap = ncap;
        }
        size_t n = fread(text + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_SYSTEM_ERROR,
                        "cannot read %s", path);
        return -1;
    }
    text[len] = '\0';
    if (strlen(text) != len) {
        free(text);
        evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_CONF_SYNTAX,
                        "%s: contains a NUL byte", path);
        return -1;
    }
    rc = evirtd_config_parse(cfg, text, path, err);
    free(text);
    return rc;
}

const char *
evirtd_auth_name(evirtd_auth auth)
{
    switch (auth) {
    case EVIRTD_AUTH_NONE: return "none";
    case EVIRTD_AUTH_SASL: return "sasl";
    case EVIRTD_AUTH_POLKIT: return "polkit";
    }
    return "?";
}

int
evirtd_config_check(const evirtd_config *cfg, int listen, evirt_error *err)
{
    if (cfg->auth_unix_rw != EVIRTD_AUTH_NONE ||
        cfg->auth_unix_ro != EVIRTD_AUTH_NONE) {
        evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "auth_unix_rw = \"%s\", auth_unix_ro = \"%s\": only "
                        "\"none\" is implemented",
                        evirtd_auth_name(cfg->auth_unix_rw),
                        evirtd_auth_name(cfg->auth_unix_ro));
        return -1;
    }
    if (listen && cfg->listen_tcp) {
        if (!cfg->auth_tcp_explicit || cfg->auth_tcp != EVIRTD_AUTH_NONE) {
            evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_CONFIG_UNSUPPORTED,
                            "listen_tcp = 1 needs auth_tcp = \"none\" set "
                            "explicitly (auth_tcp is \"%s\"; SASL is not "
                            "implemented, and plain TCP without authentication "
                            "must be asked for)",
                            evirtd_auth_name(cfg->auth_tcp));
            return -1;
        }
    }
    if (!cfg->tcp_port || !*cfg->tcp_port) {
        evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_CONF_SYNTAX,
                        "tcp_port is empty");
        return -1;
    }
    if (!cfg->unix_sock_dir || cfg->unix_sock_dir[0] != '/') {
        evirt_error_set(err, EVIRT_FROM_CONF, EVIRT_ERR_CONF_SYNTAX,
                        "unix_sock_dir must be an absolute path");
        return -1;
    }
    return 0;
}
