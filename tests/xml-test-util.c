/*
 * tests/xml-test-util.c - the XML model tests' shared helpers (see
 * xml-test-util.h).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tests/xml-test-util.h"

char *
xml_test_read(const char *dir, const char *name, const char *ext)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s/%s%s", TEST_DATA_DIR, dir, name, ext);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
    s[len] = '\0';
    fclose(f);
    return s;
}

void
assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("expected to find\n%s\nin\n%s", needle, haystack);
}

void
assert_text(const char *got, const char *want, const char *what)
{
    if (strcmp(got, want) != 0)
        fail_msg("%s: got\n%s\nexpected\n%s", what, got, want);
}

void
check_refused(const bad_case *c, int accepted, evirt_error *err)
{
    if (accepted)
        fail_msg("accepted: %s", c->xml);
    if (err->code != c->code || err->domain != c->domain ||
        !err->message || !strstr(err->message, c->message))
        fail_msg("for\n%s\ngot code %d domain %d message '%s', expected %d %d '%s'",
                 c->xml, err->code, err->domain, err->message ? err->message : "",
                 c->code, c->domain, c->message);
    evirt_error_reset(err);
}
