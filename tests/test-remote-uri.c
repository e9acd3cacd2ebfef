/*
 * tests/test-remote-uri.c - which driver takes a URI, and what the remote
 * driver makes of it: transport, socket, host, port, the name sent in
 * CONNECT_OPEN, and the ssh command line.  No daemon needed.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "drivers/remote/remote-private.h"

static void target(const char *str, unsigned int flags, remote_target *t)
{
    evirt_uri *u = NULL;
    evirt_error err = { 0 };
    assert_int_equal(evirt_uri_parse(str, &u, &err), 0);
    if (remote_target_from_uri(u, flags, t, &err) < 0)
        fail_msg("%s: %s", str, err.message);
    evirt_uri_free(u);
}

static const char *driver_of(const char *str)
{
    evirt_uri *u = NULL;
    assert_int_equal(evirt_uri_parse(str, &u, NULL), 0);
    const evirt_driver *d = evirt_driver_find(u);
    evirt_uri_free(u);
    return d ? d->name : "(none)";
}

static void test_claims(void **state)
{
    (void)state;
    assert_string_equal(driver_of("test:///default"), "Test");
    assert_string_equal(driver_of("test+unix:///default"), "remote");
    assert_string_equal(driver_of("test+tcp://h/default"), "remote");
    assert_string_equal(driver_of("test://h/default"), "remote");
    assert_string_equal(driver_of("qemu:///system"), "remote");
    assert_string_equal(driver_of("qemu+ssh://h/system"), "remote");
    assert_string_equal(driver_of("remote:///"), "remote");
    assert_string_equal(driver_of("pigeon:///x"), "(none)");

    /* inside a daemon: only other hosts */
    evirt_remote_driver_set_in_daemon(1);
    assert_string_equal(driver_of("qemu:///system"), "(none)");
    assert_string_equal(driver_of("test+unix:///default"), "(none)");
    assert_string_equal(driver_of("qemu+tcp://h/system"), "remote");
    evirt_remote_driver_set_in_daemon(0);
}

static void test_unix(void **state)
{
    (void)state;
    remote_target t;
    target("test+unix:///default?socket=/x/sock", 0, &t);
    assert_int_equal(t.kind, REMOTE_TRANSPORT_UNIX);
    assert_string_equal(t.name, "test:///default");
    assert_string_equal(t.socket, "/x/sock");
    remote_target_clear(&t);

    target("qemu:///system", EVIRT_CONNECT_RO, &t);
    assert_int_equal(t.kind, REMOTE_TRANSPORT_UNIX);
    assert_string_equal(t.name, "qemu:///system");
    assert_int_equal(t.read_only, 1);
    assert_non_null(strstr(t.socket, "-sock-ro"));
    remote_target_clear(&t);

    target("remote:///", 0, &t);
    assert_string_equal(t.name, ""); /* the daemon's default */
    remote_target_clear(&t);
}

static void test_names_and_params(void **state)
{
    (void)state;
    remote_target t;
    /* client-side parameters are stripped, others travel on */
    target("qemu+tcp://host:1234/system?foo=bar&no_verify=1&pkipath=/p", 0, &t);
    assert_int_equal(t.kind, REMOTE_TRANSPORT_TCP);
    assert_string_equal(t.name, "qemu:///system?foo=bar");
    assert_string_equal(t.host, "host");
    assert_string_equal(t.port, "1234");
    assert_int_equal(t.no_verify, 1);
    remote_target_clear(&t);

    target("test+tcp://h/default?name=test:///other", 0, &t);
    assert_string_equal(t.name, "test:///other");
    assert_null(t.port); /* 16509 */
    remote_target_clear(&t);

    /* a host without transport means TLS */
    target("qemu://h/system", 0, &t);
    assert_int_equal(t.kind, REMOTE_TRANSPORT_TLS);
    remote_target_clear(&t);
}

static void test_ssh(void **state)
{
    (void)state;
    remote_target t;
    target("qemu+ssh://root@host:2222/system?no_tty=1&keyfile=/k&socket=/s", 0, &t);
    assert_int_equal(t.kind, REMOTE_TRANSPORT_SSH);
    assert_string_equal(t.name, "qemu:///system");
    char **argv = remote_ssh_argv(&t);
    assert_non_null(argv);
    int n = 0;
    while (argv[n])
        n++;
    assert_string_equal(argv[0], "ssh");
    int saw_p = 0, saw_l = 0, saw_i = 0, saw_T = 0;
    for (int i = 1; i < n - 1; i++) {
        saw_p |= strcmp(argv[i], "-p") == 0 && strcmp(argv[i + 1], "2222") == 0;
        saw_l |= strcmp(argv[i], "-l") == 0 && strcmp(argv[i + 1], "root") == 0;
        saw_i |= strcmp(argv[i], "-i") == 0 && strcmp(argv[i + 1], "/k") == 0;
        saw_T |= strcmp(argv[i], "-T") == 0;
    }
    assert_true(saw_p && saw_l && saw_i && saw_T);
    assert_string_equal(argv[n - 2], "host");
    /* the far side: virt-ssh-helper with the name, else nc on the socket */
    assert_non_null(strstr(argv[n - 1], "virt-ssh-helper"));
    assert_non_null(strstr(argv[n - 1], "qemu:///system"));
    assert_non_null(strstr(argv[n - 1], "nc -U"));
    assert_non_null(strstr(argv[n - 1], "/s"));
    remote_argv_free(argv);
    remote_target_clear(&t);
}

static void test_bad(void **state)
{
    (void)state;
    evirt_uri *u = NULL;
    remote_target t;
    evirt_error err = { 0 };
    assert_int_equal(evirt_uri_parse("test+pigeon:///default", &u, NULL), 0);
    assert_int_equal(remote_target_from_uri(u, 0, &t, &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    evirt_uri_free(u);

    assert_int_equal(evirt_uri_parse("test+ext:///default", &u, NULL), 0);
    assert_int_equal(remote_target_from_uri(u, 0, &t, &err), -1);
    assert_int_equal(err.code, EVIRT_ERR_INVALID_ARG);
    evirt_error_reset(&err);
    evirt_uri_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claims),
        cmocka_unit_test(test_unix),
        cmocka_unit_test(test_names_and_params),
        cmocka_unit_test(test_ssh),
        cmocka_unit_test(test_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
