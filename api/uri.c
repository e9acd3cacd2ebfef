/*
 * api/uri.c - connection URI parsing and formatting.
 *
 * libxml2 does the RFC 3986 work; a first pass of our own checks the
 * parts users get wrong (scheme, brackets, port) so the error can say
 * which part is bad instead of only "cannot parse".
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/uri.h>

#include "api/error-private.h"
#include "api/uri.h"

static int
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int
is_unreserved(char c)
{
    return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

static int
hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..len); a '%' not followed by two hex digits stays. */
static char *
unescape(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        int hi, lo;

        if (s[i] == '%' && i + 2 < len && (hi = hex_value(s[i + 1])) >= 0 &&
            (lo = hex_value(s[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* Writes s escaped: unreserved characters and those in keep stay. */
static void
put_escaped(FILE *f, const char *s, const char *keep)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (is_unreserved((char)c) || (c && strchr(keep, c)))
            fputc(c, f);
        else
            fprintf(f, "%%%02X", c);
    }
}

void
evirt_uri_free(evirt_uri *uri)
{
    if (!uri)
        return;
    free(uri->scheme);
    free(uri->driver);
    free(uri->transport);
    free(uri->user);
    free(uri->server);
    free(uri->path);
    free(uri->query);
    for (size_t i = 0; i < uri->nparams; i++) {
        free(uri->params[i].name);
        free(uri->params[i].value);
    }
    free(uri->params);
    free(uri->fragment);
    free(uri);
}

/* ---- first pass: scheme and authority ------------------------------- */

/*
 * Checks scheme, "//", brackets and port.  On success *port is the port
 * (0 = none).  Returns 0 or -1 with err set.
 */
static int
check_syntax(const char *str, int *port, evirt_error *err)
{
    const char *p = str, *colon, *auth, *auth_end, *host, *plus;
    int nplus = 0;

    *port = 0;
    if (!is_alpha(*p))
        goto no_scheme;
    while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        goto no_scheme;
    colon = p;

    plus = NULL;
    for (const char *q = str; q < colon; q++) {
        if (*q == '+') {
            nplus++;
            plus = q;
        }
    }
    if (nplus > 1 || (plus && (plus + 1 == colon))) {
        evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                        "invalid scheme '%.*s' in URI '%s' (expected "
                        "<driver> or <driver>+<transport>)",
                        (int)(colon - str), str, str);
        return -1;
    }

    if (strncmp(colon + 1, "//", 2) != 0) {
        evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                        "missing '//' after the scheme in URI '%s' "
                        "(expected e.g. '%.*s:///path')",
                        str, (int)(colon - str), str);
        return -1;
    }
    auth = colon + 3;
    auth_end = auth + strcspn(auth, "/?#");

    host = auth;
    for (const char *q = auth; q < auth_end; q++)
        if (*q == '@')
            host = q + 1;

    if (*host == '[') {
        const char *close = memchr(host, ']', auth_end - host);

        if (!close) {
            evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                            "unterminated '[' in the host of URI '%s'", str);
            return -1;
        }
        p = close + 1;
        if (p < auth_end && *p != ':') {
            evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                            "unexpected '%.*s' after ']' in URI '%s'",
                            (int)(auth_end - p), p, str);
            return -1;
        }
    } else {
        p = memchr(host, ':', auth_end - host);
        if (!p)
            p = auth_end;
    }

    if (p < auth_end) {        /* *p == ':' */
        const char *digits = p + 1;
        long v = 0;
        int ok = digits < auth_end && auth_end - digits <= 5;

        for (const char *q = digits; ok && q < auth_end; q++) {
            if (!is_digit(*q))
                ok = 0;
            else
                v = v * 10 + (*q - '0');
        }
        if (!ok || v < 1 || v > 65535) {
            evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                            "invalid port '%.*s' in URI '%s'",
                            (int)(auth_end - digits), digits, str);
            return -1;
        }
        *port = (int)v;
    }
    return 0;

 no_scheme:
    evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                    "missing scheme in URI '%s' (expected e.g. "
                    "'qemu:///system' or 'test:///default')", str);
    return -1;
}

/* ---- query parameters ----------------------------------------------- */

static int
parse_params(evirt_uri *uri)
{
    const char *s = uri->query;

    while (s && *s) {
        size_t seg = strcspn(s, "&;");
        const char *eq = memchr(s, '=', seg);

        if (seg > 0) {
            evirt_uri_param *tmp = realloc(uri->params,
                                           (uri->nparams + 1) * sizeof(*tmp));
            evirt_uri_param *np;
            size_t nlen = eq ? (size_t)(eq - s) : seg;

            if (!tmp)
                return -1;
            uri->params = tmp;
            np = &uri->params[uri->nparams];
            np->name = unescape(s, nlen);
            np->value = eq ? unescape(eq + 1, seg - nlen - 1) : strdup("");
            if (!np->name || !np->value) {
                free(np->name);
                free(np->value);
                return -1;
            }
            uri->nparams++;
        }
        s += seg;
        if (*s)
            s++;
    }
    return 0;
}

/* ---- parse ---------------------------------------------------------- */

static int
dup_opt(char **dst, const char *src)
{
    *dst = NULL;
    return src && !(*dst = strdup(src)) ? -1 : 0;
}

int
evirt_uri_parse(const char *str, evirt_uri **out, evirt_error *err)
{
    xmlURIPtr x = NULL;
    evirt_uri *uri = NULL;
    const char *plus;
    int port;

    *out = NULL;
    if (!str || !*str) {
        evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                        "empty URI");
        return -1;
    }
    if (check_syntax(str, &port, err) < 0)
        return -1;

    if (!(x = xmlParseURI(str))) {
        evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                        "cannot parse URI '%s'", str);
        return -1;
    }
    if (!(uri = calloc(1, sizeof(*uri))))
        goto oom;

    if (dup_opt(&uri->scheme, x->scheme) < 0 ||
        dup_opt(&uri->user, x->user) < 0 ||
        dup_opt(&uri->path, x->path) < 0 ||
        dup_opt(&uri->query, x->query_raw) < 0 ||
        dup_opt(&uri->fragment, x->fragment) < 0)
        goto oom;

    /* libxml2 keeps the brackets of an IPv6 literal; callers want the
     * address itself. */
    if (x->server && x->server[0] == '[') {
        size_t n = strlen(x->server);

        if (n >= 2 && x->server[n - 1] == ']') {
            if (!(uri->server = strndup(x->server + 1, n - 2)))
                goto oom;
        } else if (dup_opt(&uri->server, x->server) < 0) {
            goto oom;
        }
    } else if (x->server && *x->server) {
        if (dup_opt(&uri->server, x->server) < 0)
            goto oom;
    }
    uri->port = port;

    if (!uri->scheme)   /* check_syntax saw one; be safe anyway */
        goto bad;
    plus = strchr(uri->scheme, '+');
    if (plus) {
        if (!(uri->driver = strndup(uri->scheme, plus - uri->scheme)) ||
            !(uri->transport = strdup(plus + 1)))
            goto oom;
    } else if (!(uri->driver = strdup(uri->scheme))) {
        goto oom;
    }

    if (parse_params(uri) < 0)
        goto oom;

    xmlFreeURI(x);
    *out = uri;
    return 0;

 bad:
    evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_INVALID_ARG,
                    "cannot parse URI '%s'", str);
    xmlFreeURI(x);
    evirt_uri_free(uri);
    return -1;
 oom:
    evirt_error_set(err, EVIRT_FROM_URI, EVIRT_ERR_NO_MEMORY,
                    "parsing URI '%s'", str);
    xmlFreeURI(x);
    evirt_uri_free(uri);
    return -1;
}

/* ---- format --------------------------------------------------------- */

char *
evirt_uri_format(const evirt_uri *uri)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (!uri || !uri->scheme)
        return NULL;
    if (!(f = open_memstream(&buf, &len)))
        return NULL;

    fprintf(f, "%s://", uri->scheme);
    if (uri->user) {
        put_escaped(f, uri->user, "!$&'()*+,;=:");
        fputc('@', f);
    }
    if (uri->server) {
        if (strchr(uri->server, ':'))
            fprintf(f, "[%s]", uri->server);
        else
            put_escaped(f, uri->server, "!$&'()*+,;=");
    }
    if (uri->port > 0)
        fprintf(f, ":%d", uri->port);
    if (uri->path)
        put_escaped(f, uri->path, "/:@!$&'()*+,;=");
    if (uri->nparams > 0) {
        for (size_t i = 0; i < uri->nparams; i++) {
            fputc(i == 0 ? '?' : '&', f);
            put_escaped(f, uri->params[i].name, "/:@!$'()*,");
            fputc('=', f);
            put_escaped(f, uri->params[i].value, "/:@!$'()*,");
        }
    } else if (uri->query) {
        fprintf(f, "?%s", uri->query);
    }
    if (uri->fragment) {
        fputc('#', f);
        put_escaped(f, uri->fragment, "/?:@!$&'()*+,;=");
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

const char *
evirt_uri_get_param(const evirt_uri *uri, const char *name)
{
    const char *value = NULL;

    if (!uri || !name)
        return NULL;
    for (size_t i = 0; i < uri->nparams; i++)
        if (strcmp(uri->params[i].name, name) == 0)
            value = uri->params[i].value;
    return value;
}
