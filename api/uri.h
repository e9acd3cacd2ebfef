/*
 * api/uri.h - connection URIs (internal).
 *
 * Accepts what libvirt accepts for connections:
 *   driver[+transport]://[user@][host][:port][/path][?name=value&...][#fragment]
 * e.g. "qemu:///system", "test:///default", "test+tcp://[::1]:16509/default",
 * "qemu+ssh://root@host/system?no_tty=1".  Parsing goes through libxml2's
 * xmlParseURI after a first pass of our own, so errors can name the bad part.
 *
 * Query parameters are split on '&' (or ';'), each "name=value" or "name",
 * and percent-decoded.  '+' stays a literal '+' (RFC 3986, not form
 * encoding): write a space as %20.
 */
#ifndef EVIRT_URI_H
#define EVIRT_URI_H

#include <stddef.h>
#include <evirt/error.h>

typedef struct {
    char *name;
    char *value;   /* "" when the parameter had no '=' */
} evirt_uri_param;

typedef struct evirt_uri {
    char *scheme;     /* whole scheme, e.g. "qemu+ssh" */
    char *driver;     /* part before '+', e.g. "qemu" */
    char *transport;  /* part after '+', or NULL */
    char *user;       /* decoded, or NULL */
    char *server;     /* without IPv6 brackets, or NULL ("qemu:///system") */
    int port;         /* 1-65535, 0 = none */
    char *path;       /* decoded, e.g. "/system"; NULL when absent */
    char *query;      /* raw (still escaped) query, or NULL */
    evirt_uri_param *params;  /* decoded */
    size_t nparams;
    char *fragment;   /* or NULL */
} evirt_uri;

/*
 * Parses str into a new *out (free with evirt_uri_free()).  Returns 0, or
 * -1 with *out = NULL and err (may be NULL) filled: domain EVIRT_FROM_URI,
 * code EVIRT_ERR_INVALID_ARG (EVIRT_ERR_NO_MEMORY on allocation failure),
 * message naming the bad part.  Thread-safe.
 */
int evirt_uri_parse(const char *str, evirt_uri **out, evirt_error *err);

/* Frees uri and everything it holds.  NULL is fine. */
void evirt_uri_free(evirt_uri *uri);

/*
 * Formats uri back into a string the caller frees, or NULL on allocation
 * failure.  When params is non-empty the query is rebuilt from it
 * (re-escaped); otherwise the raw query is used.  IPv6 servers get their
 * brackets back.
 */
char *evirt_uri_format(const evirt_uri *uri);

/* The value of the last parameter called name, or NULL.  Owned by uri. */
const char *evirt_uri_get_param(const evirt_uri *uri, const char *name);

#endif
