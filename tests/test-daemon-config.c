/*
 * tests/test-daemon-config.c - evirtd.conf parsing: libvirtd.conf's keys
 * and syntax, every mistake reported with its line.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/config.h"

static void
test_defaults(void **state)
{
    evirtd_config c;

    assert_int_equal(evirtd_config_init(&c), 0);
    assert_int_equal(c.listen_tcp, 0);
    assert_string_equal(c.tcp_port, "16509");
    assert_null(c.listen_addr);
    assert_int_equal(c.unix_sock_ro_perms, 0777);
    assert_int_equal(c.unix_sock_rw_perms, 0700);
    assert_int_equal(c.auth_tcp, EVIRTD_AUTH_SASL);
    assert_int_equal(c.max_clients, 5000);
    assert_int_equal(c.max_client_requests, 5);
    assert_int_equal(c.keepalive_interval, 5);
    assert_int_equal(c.keepalive_count, 5);
    assert_int_equal(c.test_driver_shared, 1);
    evirtd_config_clear(&c);
}

static const char good[] =
    "# a libvirtd.conf-style file\n"
    "\n"
    "listen_tcp = 1\n"
    "tcp_port = \"16809\"\n"
    "listen_addr = '127.0.0.1'   # trailing comment\n"
    "unix_sock_dir = \"/tmp/evirt-run\"\n"
    "unix_sock_group = \"libvirt\"\n"
    "unix_sock_ro_perms = \"0777\"\n"
    "unix_sock_rw_perms = \"0770\"\n"
    "auth_unix_ro = \"none\"\n"
    "auth_unix_rw = \"none\"\n"
    "auth_tcp = \"none\"\n"
    "max_clients = 20\n"
    "max_client_requests = 10\n"
    "max_workers = 4\n"
    "log_filters = \"1:rpc 3:daemon\"\n"
    "log_outputs = \"3:stderr\"\n"
    "log_level=2\n"
    "keepalive_interval = -1\n"
    "keepalive_count = 0\n"
    "test_driver_shared = 0\n";

static void
test_good_file(void **state)
{
    evirtd_config c;
    evirt_error err = { 0 };

    evirtd_config_init(&c);
    assert_int_equal(evirtd_config_parse(&c, good, "good.conf", &err), 0);
    assert_int_equal(c.listen_tcp, 1);
    assert_string_equal(c.tcp_port, "16809");
    assert_string_equal(c.listen_addr, "127.0.0.1");
    assert_string_equal(c.unix_sock_dir, "/tmp/evirt-run");
    assert_string_equal(c.unix_sock_group, "libvirt");
    assert_int_equal(c.unix_sock_ro_perms, 0777);
    assert_int_equal(c.unix_sock_rw_perms, 0770);
    assert_int_equal(c.auth_tcp, EVIRTD_AUTH_NONE);
    assert_int_equal(c.max_clients, 20);
    assert_int_equal(c.max_client_requests, 10);
    assert_int_equal(c.max_workers, 4);
    assert_string_equal(c.log_filters, "1:rpc 3:daemon");
    assert_string_equal(c.log_outputs, "3:stderr");
    assert_int_equal(c.log_level, 2);
    assert_int_equal(c.keepalive_interval, -1);
    assert_int_equal(c.keepalive_count, 0);
    assert_int_equal(c.test_driver_shared, 0);
    /* explicit auth_tcp = "none": TCP allowed */
    assert_int_equal(evirtd_config_check(&c, 1, &err), 0);
    evirtd_config_clear(&c);
}

/* The shipped sample file parses (everything commented out = defaults). */
static void
test_sample_file(void **state)
{
    evirtd_config c, d;
    evirt_error err = { 0 };
    char path[4096];
    const char *srcdir = getenv("top_srcdir");

    snprintf(path, sizeof(path), "%s/daemon/evirtd.conf", srcdir ? srcdir : ".");
    evirtd_config_init(&c);
    evirtd_config_init(&d);
    assert_int_equal(evirtd_config_load(&c, path, &err), 0);
    assert_int_equal(c.max_clients, d.max_clients);
    assert_string_equal(c.unix_sock_dir, d.unix_sock_dir);
    evirtd_config_clear(&c);
    evirtd_config_clear(&d);
}

static void
test_lists_and_layout(void **state)
{
    evirtd_config c;
    evirt_error err = { 0 };

    /* A list spanning lines is valid syntax, but no evirtd key takes one. */
    evirtd_config_init(&c);
    assert_int_equal(evirtd_config_parse(&c,
        "max_clients = 7;\n"
        "log_outputs = [ \"a\",\n"
        "  \"b\" ]\n", "l.conf", &err), -1);
    assert_int_equal(c.max_clients, 7);
    assert_int_equal(err.code, EVIRT_ERR_CONF_SYNTAX);
    assert_non_null(strstr(err.message, "l.conf:2: log_outputs must be a string, not a list"));
    evirt_error_reset(&err);
    evirtd_config_clear(&c);
}

typedef struct {
    const char *text;
    const char *want;   /* substring of the message */
} bad_case;

static void
test_bad_files(void **state)
{
    static const bad_case cases[] = {
        { "max_clients = 5\nfoo = 1\n", "bad.conf:2: unknown key 'foo'" },
        { "\n\n# c\nlisten_tls = 1\n", "bad.conf:4: unknown key 'listen_tls'" },
        { "tcp_port = 16509\n", "bad.conf:1: tcp_port must be a string, not an integer" },
        { "listen_tcp = \"1\"\n", "bad.conf:1: listen_tcp must be an integer, not a string" },
        { "listen_tcp = 2\n", "bad.conf:1: listen_tcp = 2 is out of range [0, 1]" },
        { "max_clients = 0\n", "bad.conf:1: max_clients = 0 is out of range" },
        { "max_client_requests = -3\n", "bad.conf:1: max_client_requests = -3 is out of range" },
        { "keepalive_interval = -2\n", "bad.conf:1: keepalive_interval = -2 is out of range" },
        { "test_driver_shared = 2\n", "bad.conf:1: test_driver_shared = 2 is out of range [0, 1]" },
        { "x=1\nunix_sock_rw_perms = \"0799\"\n", "bad.conf:1: unknown key 'x'" },
        { "unix_sock_rw_perms = \"0799\"\n", "bad.conf:1: unix_sock_rw_perms = \"0799\" is not an octal permission mode" },
        { "unix_sock_ro_perms = \"rw\"\n", "bad.conf:1: unix_sock_ro_perms = \"rw\" is not an octal permission mode" },
        { "auth_tcp = \"kerberos\"\n", "bad.conf:1: auth_tcp = \"kerberos\": expecting \"none\", \"sasl\" or \"polkit\"" },
        { "\nlog_filters = \"1:rpc\n", "bad.conf:2: unterminated string" },
        { "max_clients 5\n", "bad.conf:1: expecting '=' after 'max_clients'" },
        { "max_clients =\n", "bad.conf:1: expecting a value" },
        { "max_clients = 5 6\n", "bad.conf:1: unexpected text after the value of 'max_clients'" },
        { "max_clients = 99999999999999999999\n", "bad.conf:1: malformed integer" },
        { "= 5\n", "bad.conf:1: expecting a key name" },
        { "log_filters = [ \"a\" \"b\" ]\n", "bad.conf:1: expecting ',' or ']' in a list" },
        { "log_filters = [ 1 ]\n", "bad.conf:1: expecting a string or ']' in a list" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        evirtd_config c;
        evirt_error err = { 0 };

        evirtd_config_init(&c);
        assert_int_equal(evirtd_config_parse(&c, cases[i].text, "bad.conf", &err), -1);
        assert_int_equal(err.code, EVIRT_ERR_CONF_SYNTAX);
        assert_int_equal(err.domain, EVIRT_FROM_CONF);
        if (!strstr(err.message, cases[i].want))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, err.message, cases[i].want);
        evirt_error_reset(&err);
        evirtd_config_clear(&c);
    }
}

/* libvirtd refuses plain TCP unless authentication was switched off on
 * purpose; evirtd (no SASL yet) insists on an explicit auth_tcp = "none". */
static void
test_tcp_needs_explicit_auth_none(void **state)
{
    evirtd_config c;
    evirt_error err = { 0 };

    evirtd_config_init(&c);
    assert_int_equal(evirtd_config_parse(&c, "listen_tcp = 1\n", "t.conf", &err), 0);
    assert_int_equal(evirtd_config_check(&c, 0, &err), 0);  /* no --listen: fine */
    assert_int_equal(evirtd_config_check(&c, 1, &err), -1);
    assert_non_null(strstr(err.message, "auth_tcp = \"none\""));
    evirt_error_reset(&err);
    assert_int_equal(evirtd_config_parse(&c, "auth_tcp = \"sasl\"\n", "t.conf", &err), 0);
    assert_int_equal(evirtd_config_check(&c, 1, &err), -1);
    evirt_error_reset(&err);
    assert_int_equal(evirtd_config_parse(&c, "auth_tcp = \"none\"\n", "t.conf", &err), 0);
    assert_int_equal(evirtd_config_check(&c, 1, &err), 0);
    /* auth on the UNIX sockets other than none: not implemented, refused */
    assert_int_equal(evirtd_config_parse(&c, "auth_unix_rw = \"polkit\"\n", "t.conf", &err), 0);
    assert_int_equal(evirtd_config_check(&c, 0, &err), -1);
    evirt_error_reset(&err);
    evirtd_config_clear(&c);
}

static void
test_load_missing_file(void **state)
{
    evirtd_config c;
    evirt_error err = { 0 };

    evirtd_config_init(&c);
    assert_int_equal(evirtd_config_load(&c, "/nonexistent/evirtd.conf", &err), -1);
    assert_non_null(strstr(err.message, "/nonexistent/evirtd.conf"));
    evirt_error_reset(&err);
    evirtd_config_clear(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_sample_file),
        cmocka_unit_test(test_lists_and_layout),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_tcp_needs_explicit_auth_none),
        cmocka_unit_test(test_load_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
