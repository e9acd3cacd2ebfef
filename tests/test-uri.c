/*
 * tests/test-uri.c - connection URIs: every accepted form, field by field,
 * and the rejected ones with their messages.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api/uri.h"

#define MAXP 4

typedef struct {
    const char *in;
    const char *scheme, *driver, *transport, *user, *server;
    int port;
    const char *path, *query, *fragment;
    size_t nparams;
    const char *names[MAXP], *values[MAXP];
    const char *formatted;   /* NULL: same as in */
} good_case;

static const good_case good[] = {
    { "qemu:///system", "qemu", "qemu", NULL, NULL, NULL, 0, "/system", NULL, NULL, 0,
      {0}, {0}, NULL },
    { "qemu:///session", "qemu", "qemu", NULL, NULL, NULL, 0, "/session", NULL, NULL, 0,
      {0}, {0}, NULL },
    { "test:///default", "test", "test", NULL, NULL, NULL, 0, "/default", NULL, NULL, 0,
      {0}, {0}, NULL },
    { "test:///abs/path.xml", "test", "test", NULL, NULL, NULL, 0, "/abs/path.xml",
      NULL, NULL, 0, {0}, {0}, NULL },
    { "driver+transport://user@host:16514/path?a=b", "driver+transport", "driver",
      "transport", "user", "host", 16514, "/path", "a=b", NULL, 1,
      {"a"}, {"b"}, NULL },
    { "qemu+ssh://root@host/system?no_tty=1", "qemu+ssh", "qemu", "ssh", "root",
      "host", 0, "/system", "no_tty=1", NULL, 1, {"no_tty"}, {"1"}, NULL },
    { "qemu+unix:///system?socket=/opt/libvirt/run/libvirt/libvirt-sock",
      "qemu+unix", "qemu", "unix", NULL, NULL, 0, "/system",
      "socket=/opt/libvirt/run/libvirt/libvirt-sock", NULL, 1,
      {"socket"}, {"/opt/libvirt/run/libvirt/libvirt-sock"}, NULL },
    { "test+tcp://[::1]:16509/default", "test+tcp", "test", "tcp", NULL, "::1",
      16509, "/default", NULL, NULL, 0, {0}, {0}, NULL },
    { "test+tcp://[fe80::1]/default", "test+tcp", "test", "tcp", NULL, "fe80::1",
      0, "/default", NULL, NULL, 0, {0}, {0}, NULL },
    { "xen+tls://host/?no_verify=1", "xen+tls", "xen", "tls", NULL, "host", 0, "/",
      "no_verify=1", NULL, 1, {"no_verify"}, {"1"}, NULL },
    { "qemu+ext:///system?command=/opt/openssh/bin/ssh", "qemu+ext", "qemu", "ext",
      NULL, NULL, 0, "/system", "command=/opt/openssh/bin/ssh", NULL, 1,
      {"command"}, {"/opt/openssh/bin/ssh"}, NULL },
    { "qemu+tcp://192.168.0.10:1/system", "qemu+tcp", "qemu", "tcp", NULL,
      "192.168.0.10", 1, "/system", NULL, NULL, 0, {0}, {0}, NULL },
    { "qemu+ssh://user@example.com:2222/system?keyfile=%2Fhome%2Fu%2Fmy%20key&"
      "no_verify=1&mode=a+b&flag",
      "qemu+ssh", "qemu", "ssh", "user", "example.com", 2222, "/system",
      "keyfile=%2Fhome%2Fu%2Fmy%20key&no_verify=1&mode=a+b&flag", NULL, 4,
      {"keyfile", "no_verify", "mode", "flag"},
      {"/home/u/my key", "1", "a+b", ""},
      "qemu+ssh://user@example.com:2222/system?keyfile=/home/u/my%20key&"
      "no_verify=1&mode=a%2Bb&flag=" },
    { "test:///default?x=1;y=2", "test", "test", NULL, NULL, NULL, 0, "/default",
      "x=1;y=2", NULL, 2, {"x", "y"}, {"1", "2"},
      "test:///default?x=1&y=2" },
    { "test:///default#frag", "test", "test", NULL, NULL, NULL, 0, "/default",
      NULL, "frag", 0, {0}, {0}, NULL },
    { "qemu://", "qemu", "qemu", NULL, NULL, NULL, 0, NULL, NULL, NULL, 0,
      {0}, {0}, NULL },
    { "qemu://host", "qemu", "qemu", NULL, NULL, "host", 0, NULL, NULL, NULL, 0,
      {0}, {0}, NULL },
    { "q.v-2://u%20x@h/a%20b", "q.v-2", "q.v-2", NULL, "u x", "h", 0, "/a b",
      NULL, NULL, 0, {0}, {0}, NULL },
};

static void
assert_str_or_null(const char *what, const char *in, const char *got,
                   const char *want)
{
    if (!want && !got)
        return;
    if (!want || !got || strcmp(want, got) != 0)
        fail_msg("%s: %s is '%s', expected '%s'", in, what,
                 got ? got : "(null)", want ? want : "(null)");
}

static void
check_fields(const good_case *c, const evirt_uri *u)
{
    assert_str_or_null("scheme", c->in, u->scheme, c->scheme);
    assert_str_or_null("driver", c->in, u->driver, c->driver);
    assert_str_or_null("transport", c->in, u->transport, c->transport);
    assert_str_or_null("user", c->in, u->user, c->user);
    assert_str_or_null("server", c->in, u->server, c->server);
    if (u->port != c->port)
        fail_msg("%s: port %d, expected %d", c->in, u->port, c->port);
    assert_str_or_null("path", c->in, u->path, c->path);
    assert_str_or_null("fragment", c->in, u->fragment, c->fragment);
    if (u->nparams != c->nparams)
        fail_msg("%s: %zu params, expected %zu", c->in, u->nparams, c->nparams);
    for (size_t i = 0; i < c->nparams; i++) {
        assert_str_or_null("param name", c->in, u->params[i].name, c->names[i]);
        assert_str_or_null("param value", c->in, u->params[i].value, c->values[i]);
    }
}

static void
test_good(void **state)
{
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        const good_case *c = &good[i];
        evirt_error err = { 0 };
        evirt_uri *u = NULL, *again = NULL;
        char *s;

        if (evirt_uri_parse(c->in, &u, &err) != 0)
            fail_msg("'%s' rejected: %s", c->in, err.message);
        assert_non_null(u);
        assert_int_equal(err.code, 0);
        check_fields(c, u);
        assert_str_or_null("query", c->in, u->query, c->query);

        /* Formatting gives the expected text, and parsing that gives the
         * same fields back. */
        s = evirt_uri_format(u);
        assert_non_null(s);
        assert_str_or_null("formatted", c->in, s, c->formatted ? c->formatted : c->in);
        assert_int_equal(evirt_uri_parse(s, &again, &err), 0);
        check_fields(c, again);
        free(s);
        evirt_uri_free(again);
        evirt_uri_free(u);
    }
}

static void
test_get_param(void **state)
{
    evirt_uri *u = NULL;

    assert_int_equal(evirt_uri_parse("qemu+ssh://h/system?x=1&y=&x=2&z", &u, NULL), 0);
    assert_string_equal(evirt_uri_get_param(u, "x"), "2");   /* last wins */
    assert_string_equal(evirt_uri_get_param(u, "y"), "");
    assert_string_equal(evirt_uri_get_param(u, "z"), "");
    assert_null(evirt_uri_get_param(u, "missing"));
    assert_null(evirt_uri_get_param(u, NULL));
    assert_null(evirt_uri_get_param(NULL, "x"));
    evirt_uri_free(u);
    evirt_uri_free(NULL);
}

typedef struct {
    const char *in;
    const char *message;  /* exact */
} bad_case;

static const bad_case bad[] = {
    { "", "invalid argument: empty URI" },
    { "/just/path", "invalid argument: missing scheme in URI '/just/path' "
      "(expected e.g. 'qemu:///system' or 'test:///default')" },
    { "default", "invalid argument: missing scheme in URI 'default' "
      "(expected e.g. 'qemu:///system' or 'test:///default')" },
    { "::::", "invalid argument: missing scheme in URI '::::' "
      "(expected e.g. 'qemu:///system' or 'test:///default')" },
    { "+ssh://h/", "invalid argument: missing scheme in URI '+ssh://h/' "
      "(expected e.g. 'qemu:///system' or 'test:///default')" },
    { "test://h:abc/x", "invalid argument: invalid port 'abc' in URI 'test://h:abc/x'" },
    { "test://h:99999/x", "invalid argument: invalid port '99999' in URI 'test://h:99999/x'" },
    { "test://h:0/x", "invalid argument: invalid port '0' in URI 'test://h:0/x'" },
    { "test://h:/x", "invalid argument: invalid port '' in URI 'test://h:/x'" },
    { "test://h:-1/x", "invalid argument: invalid port '-1' in URI 'test://h:-1/x'" },
    { "test://::1/x", "invalid argument: invalid port ':1' in URI 'test://::1/x'" },
    { "test+tcp://[::1:16509/default",
      "invalid argument: unterminated '[' in the host of URI 'test+tcp://[::1:16509/default'" },
    { "test://[::1]x/", "invalid argument: unexpected 'x' after ']' in URI 'test://[::1]x/'" },
    { "qemu+ssh+tls://h/system", "invalid argument: invalid scheme 'qemu+ssh+tls' in URI "
      "'qemu+ssh+tls://h/system' (expected <driver> or <driver>+<transport>)" },
    { "qemu+://h/system", "invalid argument: invalid scheme 'qemu+' in URI "
      "'qemu+://h/system' (expected <driver> or <driver>+<transport>)" },
    { "test:default", "invalid argument: missing '//' after the scheme in URI "
      "'test:default' (expected e.g. 'test:///path')" },
    { "test:/default", "invalid argument: missing '//' after the scheme in URI "
      "'test:/default' (expected e.g. 'test:///path')" },
    { "test://h/a b", "invalid argument: cannot parse URI 'test://h/a b'" },
};

static void
test_bad(void **state)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        evirt_error err = { 0 };
        evirt_uri *u = (evirt_uri *)&err;   /* must be cleared */

        if (evirt_uri_parse(bad[i].in, &u, &err) != -1)
            fail_msg("'%s' accepted", bad[i].in);
        assert_null(u);
        assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
        assert_int_equal(err.domain, EVIRT_FROM_URI);
        assert_int_equal(err.level, EVIRT_ERR_ERROR);
        assert_str_or_null("message", bad[i].in, err.message, bad[i].message);
        evirt_error_reset(&err);
    }

    /* NULL input and NULL err are handled. */
    evirt_uri *u = NULL;
    evirt_error err = { 0 };
    assert_int_equal(evirt_uri_parse(NULL, &u, &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    assert_int_equal(evirt_uri_parse("::::", &u, NULL), -1);
    assert_null(u);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_get_param),
        cmocka_unit_test(test_bad),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
