/*
 * tests/test-uri-helper.h - lets one test-driver suite run twice: in
 * process, and over the wire through the remote driver to a private evirtd.
 *
 * tests/run-over-wire.sh starts evirtd and exports EVIRT_TEST_SOCKET (its
 * read-write UNIX socket).  Without it test_uri() returns its argument;
 * with it, "test:///default" becomes "test+unix:///default?socket=PATH"
 * and a config-file URI "test:///dir/file.xml" becomes
 * "test+unix:///dir/file.xml?socket=PATH" (evirtd runs on the same machine
 * and opens the same file).
 *
 * The returned string lives in one of a few static slots: it stays valid
 * until test_uri() has been called TEST_URI_SLOTS more times, which is
 * plenty for an open call or a comparison.  Loop-thread use only (the
 * suites are single-threaded where they build URIs).
 */
#ifndef EVIRT_TEST_URI_HELPER_H
#define EVIRT_TEST_URI_HELPER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_URI_SLOTS 8
#define TEST_URI_MAX 4096

/* The daemon's socket when the suite runs over the wire, else NULL. */
static inline const char *test_uri_socket(void)
{
    const char *s = getenv("EVIRT_TEST_SOCKET");
    return s && *s ? s : NULL;
}

/* Nonzero when connections go through the remote driver to evirtd. */
static inline int test_over_wire(void)
{
    return test_uri_socket() != NULL;
}

/* uri as the suite should open it (see above).  uri must start with
 * "test://"; anything else is returned unchanged. */
static inline const char *test_uri(const char *uri)
{
    static char slots[TEST_URI_SLOTS][TEST_URI_MAX];
    static unsigned next;
    const char *sock = test_uri_socket();
    char *out;
    int n;

    if (!sock || strncmp(uri, "test://", 7) != 0)
        return uri;
    out = slots[next++ % TEST_URI_SLOTS];
    n = snprintf(out, TEST_URI_MAX, "test+unix://%s?socket=%s", uri + 7, sock);
    if (n < 0 || n >= TEST_URI_MAX) {
        fprintf(stderr, "test_uri: URI too long for %s\n", uri);
        abort();
    }
    return out;
}

#endif
