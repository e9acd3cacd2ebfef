/*
 * tools/evirt.c - `evirt`, the command-line client: global options, the
 * splitting of a command line into commands, option parsing against each
 * command's table, and the helpers the command groups share.
 *
 *   evirt [-c URI] [-r] [-q] COMMAND [ARGS] [; COMMAND [ARGS]]...
 *
 * Several commands may be given at once, separated by a standalone ";"
 * argument or inside one argument ("suspend test; domstate test"); they
 * run in order on one connection, which matters for test:///default whose
 * state lives and dies with the connection.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools/vsh.h"

/* ---- errors --------------------------------------------------------- */

static void print_last_error(void)
{
    const evirt_error *err = evirt_last_error();

    fprintf(stderr, "error: %s\n",
            err && err->message ? err->message : "unknown error");
}

void vsh_error(const char *fmt, ...)
{
    fflush(stdout);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        fputs("error: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    print_last_error();
}

void vsh_error_plain(const char *fmt, ...)
{
    va_list ap;

    fflush(stdout);
    va_start(ap, fmt);
    fputs("error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* The client prints errors itself; the default handler would log them too. */
static void silent_error_handler(void *userdata, const evirt_error *err)
{
    (void)userdata;
    (void)err;
}

char *vsh_read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t len = 0, cap = 0;

    if (!f) {
        vsh_error_plain("Failed to open file '%s': %s", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (cap - len < 4096) {
            char *nbuf = realloc(buf, cap + 65536);
            if (!nbuf) {
                vsh_error_plain("out of memory reading '%s'", path);
                goto fail;
            }
            buf = nbuf;
            cap += 65536;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        vsh_error_plain("Failed to read file '%s': %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    buf[len] = '\0';
    return buf;

 fail:
    fclose(f);
    free(buf);
    return NULL;
}

void vsh_print_doc(const char *doc)
{
    size_t len = strlen(doc);

    fputs(doc, stdout);
    if (len == 0 || doc[len - 1] != '\n')
        putchar('\n');
}

/* ---- connection and domains ----------------------------------------- */

evirt_conn *vsh_conn(vsh_ctl *ctl)
{
    if (ctl->conn || ctl->conn_failed)
        return ctl->conn;
    ctl->conn = ctl->readonly ? evirt_conn_open_read_only(ctl->uri)
                              : evirt_conn_open(ctl->uri);
    if (!ctl->conn) {
        ctl->conn_failed = 1;
        vsh_error("failed to connect to the hypervisor");
    }
    return ctl->conn;
}

evirt_domain *vsh_lookup_domain(vsh_ctl *ctl, const char *text)
{
    evirt_conn *conn = vsh_conn(ctl);
    evirt_domain *dom = NULL;
    char *end;

    if (!conn)
        return NULL;
    errno = 0;
    long id = strtol(text, &end, 10);
    if (*text && !*end && errno == 0 && id >= 0 && id <= 0x7fffffff)
        dom = evirt_domain_lookup_by_id(conn, (int)id);
    if (!dom && strlen(text) == EVIRT_UUID_STRING_BUFLEN - 1)
        dom = evirt_domain_lookup_by_uuid_string(conn, text);
    if (!dom)
        dom = evirt_domain_lookup_by_name(conn, text);
    if (!dom) {
        const evirt_error *err = evirt_last_error();
        vsh_error_plain("failed to get domain '%s'", text);
        /* "not found" says nothing more; anything else is worth showing. */
        if (err && err->code != EVIRT_ERR_NO_DOMAIN)
            print_last_error();
    }
    return dom;
}

evirt_domain *vsh_cmd_domain(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_lookup_domain(ctl, vsh_opt_string(cmd, "domain"));
}

/* ---- options of a command ------------------------------------------- */

static int opt_index(const vsh_cmd_def *def, const char *name)
{
    for (int i = 0; def->opts && def->opts[i].name; i++)
        if (strcmp(def->opts[i].name, name) == 0)
            return i;
    return -1;
}

const char *vsh_opt_string(const vsh_cmd *cmd, const char *name)
{
    int i = opt_index(cmd->def, name);
    return i < 0 ? NULL : cmd->values[i];
}

int vsh_opt_bool(const vsh_cmd *cmd, const char *name)
{
    return vsh_opt_string(cmd, name) != NULL;
}

int vsh_opt_int(const vsh_cmd *cmd, const char *name, int *out)
{
    const char *s = vsh_opt_string(cmd, name);
    char *end;

    if (!s)
        return 1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > 0x7fffffff) {
        vsh_error_plain("Numeric value '%s' for <%s> option is malformed "
                        "or out of range", s, name);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Fills cmd from the words after the command's name. 0 / -1. */
static int parse_cmd(vsh_cmd *cmd, const vsh_cmd_def *def, char **words,
                     int nwords)
{
    memset(cmd, 0, sizeof(*cmd));
    cmd->def = def;
    int only_data = 0;

    for (int w = 0; w < nwords; w++) {
        const char *word = words[w];

        if (!only_data && strcmp(word, "--") == 0) {
            only_data = 1;
            continue;
        }
        if (!only_data && strncmp(word, "--", 2) == 0) {
            const char *name = word + 2;
            const char *eq = strchr(name, '=');
            char namebuf[64];
            if (eq) {
                size_t n = (size_t)(eq - name);
                if (n >= sizeof(namebuf))
                    n = sizeof(namebuf) - 1;
                memcpy(namebuf, name, n);
                namebuf[n] = '\0';
                name = namebuf;
            }
            int i = opt_index(def, name);
            if (i < 0) {
                vsh_error_plain("command '%s' doesn't support option --%s",
                                def->name, name);
                return -1;
            }
            if (def->opts[i].type == VSH_OPT_BOOL) {
                if (eq) {
                    vsh_error_plain("option --%s takes no value", name);
                    return -1;
                }
                cmd->values[i] = "1";
            } else if (eq) {
                cmd->values[i] = eq + 1;
            } else if (w + 1 < nwords) {
                cmd->values[i] = words[++w];
            } else {
                vsh_error_plain("expected syntax: --%s <%s>", name,
                                def->opts[i].type == VSH_OPT_INT ? "number"
                                                                 : "string");
                return -1;
            }
            continue;
        }
        /* Data: the first positional option still unset takes it. */
        int i;
        for (i = 0; def->opts && def->opts[i].name; i++)
            if ((def->opts[i].flags & VSH_OFLAG_POSITIONAL) && !cmd->values[i])
                break;
        if (!def->opts || !def->opts[i].name) {
            vsh_error_plain("unexpected data '%s'", word);
            return -1;
        }
        cmd->values[i] = word;
    }

    for (int i = 0; def->opts && def->opts[i].name; i++)
        if ((def->opts[i].flags & VSH_OFLAG_REQUIRED) && !cmd->values[i]) {
            vsh_error_plain("command '%s' requires <%s> option", def->name,
                            def->opts[i].name);
            return -1;
        }
    return 0;
}

/* ---- help ------------------------------------------------------------ */

static int cmd_help(vsh_ctl *ctl, const vsh_cmd *cmd);

static const vsh_opt_def help_opts[] = {
    { "command", VSH_OPT_STRING, VSH_OFLAG_POSITIONAL, "a command" },
    { NULL, 0, 0, NULL },
};

static const vsh_cmd_def builtin_cmds[] = {
    { "help", cmd_help, help_opts, "print help", NULL, 1 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};

static const struct {
    const char *title;
    const vsh_cmd_def *cmds;
} groups[] = {
    { "Domain Management", vsh_domain_cmds },
    { "Host and Hypervisor", vsh_host_cmds },
    { "Interface", vsh_interface_cmds },
    { "Networking", vsh_network_cmds },
    { "Node Device", vsh_nodedev_cmds },
    { "Storage Pool and Volume", vsh_storage_cmds },
    { "Events", vsh_event_cmds },
    { "Client", builtin_cmds },
};

const vsh_cmd_def *vsh_cmd_find(const char *name)
{
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
        for (const vsh_cmd_def *d = groups[g].cmds; d->name; d++)
            if (strcmp(d->name, name) == 0)
                return d;
    return NULL;
}

static void print_cmd_help(const vsh_cmd_def *def)
{
    printf("  NAME\n    %s - %s\n\n  SYNOPSIS\n    %s", def->name,
           def->summary, def->name);
    for (int i = 0; def->opts && def->opts[i].name; i++) {
        const vsh_opt_def *o = &def->opts[i];
        int req = o->flags & VSH_OFLAG_REQUIRED;
        if (o->type == VSH_OPT_BOOL)
            printf(" [--%s]", o->name);
        else if (o->flags & VSH_OFLAG_POSITIONAL)
            printf(req ? " <%s>" : " [<%s>]", o->name);
        else
            printf(req ? " --%s <%s>" : " [--%s <%s>]", o->name,
                   o->type == VSH_OPT_INT ? "number" : "string");
    }
    printf("\n\n");
    if (def->description)
        printf("  DESCRIPTION\n%s\n", def->description);
    if (def->opts && def->opts[0].name) {
        printf("  OPTIONS\n");
        for (int i = 0; def->opts[i].name; i++) {
            const vsh_opt_def *o = &def->opts[i];
            char left[64];
            if (o->type == VSH_OPT_BOOL)
                snprintf(left, sizeof(left), "--%s", o->name);
            else
                snprintf(left, sizeof(left),
                         (o->flags & VSH_OFLAG_POSITIONAL) ? "[--%s] <%s>"
                                                           : "--%s <%s>",
                         o->name, o->type == VSH_OPT_INT ? "number" : "string");
            printf("    %-22s %s\n", left, o->help);
        }
        printf("\n");
    }
}

static int cmd_help(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *name = vsh_opt_string(cmd, "command");
    (void)ctl;

    if (name) {
        const vsh_cmd_def *def = vsh_cmd_find(name);
        if (!def) {
            vsh_error_plain("command or command group '%s' doesn't exist",
                            name);
            return -1;
        }
        print_cmd_help(def);
        return 0;
    }
    printf("Usage: evirt [-c URI] [-r] [-q] COMMAND [ARGS] [; COMMAND [ARGS]]...\n\n"
           "  -c, --connect URI   hypervisor connection URI (default: "
           "$EVIRT_DEFAULT_URI,\n"
           "                      else test:///default)\n"
           "  -r, --readonly      connect read-only\n"
           "  -q, --quiet         no table headers, no blank lines\n"
           "  -v, --version       print evirt's version\n\n"
           "Commands separated by ';' (a standalone argument, or inside one\n"
           "argument) run in order on one connection; evirt exits 1 if any of\n"
           "them failed.\n\n");
    for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
        printf(" %s:\n", groups[g].title);
        for (const vsh_cmd_def *d = groups[g].cmds; d->name; d++)
            printf("    %-16s %s\n", d->name, d->summary);
        printf("\n");
    }
    return 0;
}

/* ---- splitting the command line into commands ----------------------- */

typedef struct {
    char **v;
    int n, cap;
} word_list;

/* A NULL word marks the end of a command. */
static int words_push(word_list *l, char *w)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **v = realloc(l->v, (size_t)cap * sizeof(*v));
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = w;
    return 0;
}

/*
 * Splits a command-line string as a shell would split simple words:
 * blanks separate words, ';' separates commands, quotes and backslashes
 * keep blanks and ';' in a word.
 */
static int split_line(word_list *l, const char *s)
{
    char *word = NULL;
    size_t len = 0;
    int in_word = 0;

    for (;; s++) {
        char c = *s;
        if (c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == ';') {
            if (in_word) {
                word[len] = '\0';
                if (words_push(l, word) < 0)
                    goto fail;
                word = NULL;
                len = 0;
                in_word = 0;
            }
            if (c == ';' && words_push(l, NULL) < 0)
                goto fail;
            if (c == '\0')
                return 0;
            continue;
        }
        if (!in_word) {
            word = malloc(strlen(s) + 1);
            if (!word)
                goto fail;
            in_word = 1;
        }
        if (c == '\'' || c == '"') {
            char q = c;
            for (s++; *s && *s != q; s++) {
                if (q == '"' && *s == '\\' && s[1])
                    s++;
                word[len++] = *s;
            }
            if (!*s) {
                vsh_error_plain("missing closing %c", q);
                goto fail;
            }
        } else if (c == '\\' && s[1]) {
            word[len++] = *++s;
        } else {
            word[len++] = c;
        }
    }

 fail:
    free(word);
    return -1;
}

/* ---- running ---------------------------------------------------------- */

static int run_one(vsh_ctl *ctl, char **words, int nwords)
{
    const vsh_cmd_def *def = vsh_cmd_find(words[0]);
    vsh_cmd cmd;

    if (!def) {
        vsh_error_plain("unknown command: '%s'", words[0]);
        return -1;
    }
    if (parse_cmd(&cmd, def, words + 1, nwords - 1) < 0)
        return -1;
    if (!def->no_conn && !vsh_conn(ctl))
        return -1;
    return def->run(ctl, &cmd);
}

static void usage_error(const char *prog)
{
    fprintf(stderr, "Try '%s help' for more information.\n", prog);
}

int main(int argc, char **argv)
{
    static const struct option long_opts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "readonly", no_argument, NULL, 'r' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'v' },
        { NULL, 0, NULL, 0 },
    };
    vsh_ctl ctl = { 0 };
    word_list words = { 0 };
    int failed = 0, c;

    setlocale(LC_CTYPE, "");
    evirt_set_error_func(NULL, silent_error_handler);

    /* '+': options stop at the command, whose own options are its own. */
    while ((c = getopt_long(argc, argv, "+c:rqhv", long_opts, NULL)) != -1) {
        switch (c) {
        case 'c': ctl.uri = optarg; break;
        case 'r': ctl.readonly = 1; break;
        case 'q': ctl.quiet = 1; break;
        case 'h': {
            vsh_cmd help = { .def = &builtin_cmds[0] };
            return cmd_help(&ctl, &help) < 0;
        }
        case 'v':
            printf("%d.%d.%d\n", EVIRT_VERSION_MAJOR, EVIRT_VERSION_MINOR,
                   EVIRT_VERSION_MICRO);
            return 0;
        default:
            usage_error(argv[0]);
            return 1;
        }
    }
    if (optind >= argc) {
        vsh_cmd help = { .def = &builtin_cmds[0] };
        return cmd_help(&ctl, &help) < 0;
    }

    /* A lone argument is a command line (as virsh takes one); so is any
     * argument holding a ';'.  Other arguments are words as they are. */
    int lone = optind + 1 == argc;
    for (int i = optind; i < argc; i++) {
        int rc;
        if (strcmp(argv[i], ";") == 0)
            rc = words_push(&words, NULL);
        else if (strchr(argv[i], ';') || lone)
            rc = split_line(&words, argv[i]);
        else {
            char *w = strdup(argv[i]);
            rc = w ? words_push(&words, w) : -1;
            if (rc < 0)
                free(w);
        }
        if (rc < 0) {
            failed = 1;
            goto out;
        }
    }
    if (words_push(&words, NULL) < 0) {
        failed = 1;
        goto out;
    }

    for (int start = 0; start < words.n;) {
        int end = start;
        while (words.v[end])
            end++;
        if (end > start) {
            int later = 0;
            for (int k = end + 1; k < words.n; k++)
                if (words.v[k])
                    later = 1;
            vsh_event_watch *pending = ctl.events;
            ctl.more_follow = later;
            if (run_one(&ctl, words.v + start, end - start) < 0)
                failed = 1;
            /* An event left waiting for the line's end prints its blank
             * line when it ends. */
            if (!ctl.quiet && ctl.events == pending)
                putchar('\n');
            fflush(stdout);
        }
        start = end + 1;
    }
    if (ctl.events) {
        if (vsh_event_finish(&ctl) < 0)
            failed = 1;
        if (!ctl.quiet)
            putchar('\n');
    }

 out:
    for (int i = 0; i < words.n; i++)
        free(words.v[i]);
    free(words.v);
    if (ctl.conn)
        evirt_conn_close(ctl.conn);
    return failed ? 1 : 0;
}
