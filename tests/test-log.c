/*
 * tests/test-log.c - priorities, filters, outputs, line format, env.
 */
#include <config.h>

#include <pthread.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.test.logcat"

void evirt_log_set_journal_socket_(const char *path);

static char dir[] = "/tmp/evirt-test-log-XXXXXX";
static char env_file[256];

static char *
read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL;
    size_t len = 0, n;
    char chunk[4096];

    if (!f)
        return strdup("");
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        buf = realloc(buf, len + n + 1);
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    if (!buf)
        return strdup("");
    buf[len] = '\0';
    return buf;
}

static size_t
count_lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

#define assert_contains(text, needle) \
    do { \
        if (!strstr((text), (needle))) \
            fail_msg("'%s' not in:\n%s", (needle), (text)); \
    } while (0)
#define assert_lacks(text, needle) \
    do { \
        if (strstr((text), (needle))) \
            fail_msg("'%s' unexpectedly in:\n%s", (needle), (text)); \
    } while (0)

static void
quiet_handler(void *userdata, const evirt_error *err)
{
}

/* Each test writes to its own file and starts from a known config. */
static char *
fresh_file(const char *name)
{
    char *path = NULL;

    assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
    unlink(path);
    return path;
}

static int
setup(void **state)
{
    evirt_set_error_func(NULL, quiet_handler);
    evirt_log_set_default_priority(EVIRT_LOG_WARN);
    evirt_log_set_filters("");
    evirt_log_set_outputs("");
    evirt_reset_last_error();
    return 0;
}

/* main() exported the variables before anything logged: the first use
 * must have picked them up. */
static void
test_env_at_first_use(void **state)
{
    char *text;

    assert_true(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.anything"));
    assert_false(evirt_log_enabled(EVIRT_LOG_WARN, "evirt.noisy.part"));
    assert_true(evirt_log_enabled(EVIRT_LOG_ERROR, "evirt.noisy.part"));
    EVIRT_DEBUG("from env %d", 1);
    text = read_all(env_file);
    assert_contains(text, ": debug : evirt.test.logcat : "
                          "test_env_at_first_use:");
    assert_contains(text, " : from env 1\n");
    free(text);
}

static void
test_line_format(void **state)
{
    char *path = fresh_file("format.log");
    char spec[300];
    char *text;
    regex_t re;

    snprintf(spec, sizeof(spec), "1:file:%s", path);
    assert_int_equal(evirt_log_set_default_priority(EVIRT_LOG_DEBUG), 0);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    evirt_log_message(EVIRT_LOG_INFO, "evirt.test.cat", "myfunc", 42,
                      "hello %d", 7);
    evirt_log_message(EVIRT_LOG_ERROR, "evirt.test.cat", "other", 1,
                      "trailing newline dropped\n");
    text = read_all(path);
    assert_int_equal(regcomp(&re,
        "^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\\+0000: "
        "[0-9]+: info : evirt\\.test\\.cat : myfunc:42 : hello 7\n"
        "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}\\+0000: "
        "[0-9]+: error : evirt\\.test\\.cat : other:1 : trailing newline dropped\n$",
        REG_EXTENDED), 0);
    if (regexec(&re, text, 0, NULL, 0) != 0)
        fail_msg("unexpected log text:\n%s", text);
    regfree(&re);
    free(text);

    /* File output appends. */
    evirt_log_message(EVIRT_LOG_WARN, "c", "f", 2, "third");
    text = read_all(path);
    assert_int_equal(count_lines(text), 3);
    free(text);
    free(path);
}

static void
test_priorities(void **state)
{
    char *path = fresh_file("prio.log");
    char spec[300];
    char *text;

    /* Default priority warning, output takes everything. */
    snprintf(spec, sizeof(spec), "1:file:%s", path);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    assert_false(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.x"));
    assert_false(evirt_log_enabled(EVIRT_LOG_INFO, "evirt.x"));
    assert_true(evirt_log_enabled(EVIRT_LOG_WARN, "evirt.x"));
    assert_true(evirt_log_enabled(EVIRT_LOG_ERROR, "evirt.x"));
    EVIRT_DEBUG("dropped debug");
    EVIRT_INFO("dropped info");
    EVIRT_WARN("kept warn");
    EVIRT_ERROR("kept error");
    /* Calling the function directly is filtered too. */
    evirt_log_message(EVIRT_LOG_DEBUG, "evirt.x", "f", 1, "dropped direct");
    text = read_all(path);
    assert_lacks(text, "dropped");
    assert_contains(text, ": warning : evirt.test.logcat : ");
    assert_contains(text, " : kept warn\n");
    assert_contains(text, ": error : ");
    assert_int_equal(count_lines(text), 2);
    free(text);

    /* Output priorities: each output takes its own minimum. */
    char *a = fresh_file("prio-a.log"), *b = fresh_file("prio-b.log");
    snprintf(spec, sizeof(spec), "4:file:%s 1:file:%s", a, b);
    assert_int_equal(evirt_log_set_default_priority(EVIRT_LOG_DEBUG), 0);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    EVIRT_DEBUG("only in b");
    EVIRT_ERROR("in both");
    text = read_all(a);
    assert_lacks(text, "only in b");
    assert_contains(text, "in both");
    free(text);
    text = read_all(b);
    assert_contains(text, "only in b");
    assert_contains(text, "in both");
    free(text);

    /* Nothing takes debug: enabled says no without any output. */
    snprintf(spec, sizeof(spec), "3:file:%s", a);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    assert_false(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.x"));
    assert_true(evirt_log_enabled(EVIRT_LOG_WARN, "evirt.x"));
    free(a);
    free(b);
    free(path);
}

static void
test_filters(void **state)
{
    char *path = fresh_file("filters.log");
    char spec[300];
    char *text;

    snprintf(spec, sizeof(spec), "1:file:%s", path);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    /* The first matching filter decides; substring match on category. */
    assert_int_equal(evirt_log_set_filters("1:rpc 4:evirt.remote 2:+test.log"), 0);
    assert_true(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.rpc.client"));
    assert_true(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.remote.rpc"));
    assert_false(evirt_log_enabled(EVIRT_LOG_WARN, "evirt.remote.driver"));
    assert_true(evirt_log_enabled(EVIRT_LOG_ERROR, "evirt.remote.driver"));
    assert_true(evirt_log_enabled(EVIRT_LOG_INFO, "evirt.test.logcat"));
    assert_false(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.test.logcat"));
    /* No filter matches: the default priority (warning). */
    assert_false(evirt_log_enabled(EVIRT_LOG_INFO, "evirt.loop"));
    assert_true(evirt_log_enabled(EVIRT_LOG_WARN, "evirt.loop"));

    EVIRT_INFO("info via +2 filter");
    EVIRT_DEBUG("debug dropped");
    evirt_log_message(EVIRT_LOG_WARN, "evirt.remote.driver", "f", 1, "remote warn dropped");
    evirt_log_message(EVIRT_LOG_DEBUG, "evirt.rpc.client", "f", 1, "rpc debug kept");
    text = read_all(path);
    assert_contains(text, "info via +2 filter");
    assert_contains(text, "rpc debug kept");
    assert_lacks(text, "dropped");
    free(text);

    /* Wildcards. */
    assert_int_equal(evirt_log_set_filters("1:evirt.*.domain"), 0);
    assert_true(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.test.domain"));
    assert_false(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.test.network"));

    /* Clearing filters. */
    assert_int_equal(evirt_log_set_filters(""), 0);
    assert_false(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.rpc.client"));
    assert_int_equal(evirt_log_set_filters(NULL), 0);
    free(path);
}

static void
expect_error(int code, const char *needle)
{
    const evirt_error *e = evirt_last_error();

    assert_non_null(e);
    assert_int_equal(e->code, code);
    assert_int_equal(e->domain, EVIRT_FROM_LOGGING);
    if (!strstr(e->message, needle))
        fail_msg("message '%s' lacks '%s'", e->message, needle);
    evirt_reset_last_error();
}

static void
test_bad_syntax_keeps_previous(void **state)
{
    static const char *bad_filters[] = {
        "1:good 9:bad", "rpc", "1:", "0:rpc", "5:rpc", "x:rpc", "1rpc", "+1:",
    };
    static const char *bad_outputs[] = {
        "1:bogus", "x:stderr", "1:file:", "1:syslog:", "1:syslog",
        "2:syslog:a 2:syslog:b", "stderr", "1:stderr:extra", "9:stderr",
    };
    char *path = fresh_file("keep.log");
    char spec[300];
    char *text;

    snprintf(spec, sizeof(spec), "1:file:%s", path);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    assert_int_equal(evirt_log_set_filters("1:keepme"), 0);

    for (size_t i = 0; i < sizeof(bad_filters) / sizeof(bad_filters[0]); i++) {
        if (evirt_log_set_filters(bad_filters[i]) != -1)
            fail_msg("filters '%s' accepted", bad_filters[i]);
        expect_error(EVIRT_ERR_INVALID_ARG, "invalid log filter");
        assert_true(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.keepme"));
    }
    assert_int_equal(evirt_log_set_filters("1:good 9:bad"), -1);
    expect_error(EVIRT_ERR_INVALID_ARG, "'9:bad'");

    for (size_t i = 0; i < sizeof(bad_outputs) / sizeof(bad_outputs[0]); i++) {
        if (evirt_log_set_outputs(bad_outputs[i]) != -1)
            fail_msg("outputs '%s' accepted", bad_outputs[i]);
        assert_non_null(evirt_last_error());
        assert_int_equal(evirt_last_error()->code, EVIRT_ERR_INVALID_ARG);
        evirt_reset_last_error();
    }
    assert_int_equal(evirt_log_set_outputs("1:stderr 1:bogus"), -1);
    expect_error(EVIRT_ERR_INVALID_ARG, "'1:bogus'");
    assert_int_equal(evirt_log_set_outputs("1:file:/nonexistent-dir/x.log"), -1);
    expect_error(EVIRT_ERR_OPEN_FAILED, "/nonexistent-dir/x.log");

    assert_int_equal(evirt_log_set_default_priority(0), -1);
    expect_error(EVIRT_ERR_INVALID_ARG, "priority");
    assert_int_equal(evirt_log_set_default_priority(5), -1);
    expect_error(EVIRT_ERR_INVALID_ARG, "priority");

    /* Previous output and filter still in force. */
    evirt_log_message(EVIRT_LOG_DEBUG, "evirt.keepme", "f", 1, "still here");
    text = read_all(path);
    assert_contains(text, "still here");
    free(text);
    free(path);
}

static void
test_journald(void **state)
{
    char *sock = fresh_file("journal.sock");
    char *missing = fresh_file("no-such.sock");
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    char buf[4096];
    ssize_t n;
    int fd;

    /* No journal socket: setting fails clearly, previous outputs stay. */
    evirt_log_set_journal_socket_(missing);
    assert_int_equal(evirt_log_set_outputs("1:journald"), -1);
    expect_error(EVIRT_ERR_SYSTEM_ERROR, missing);

    fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    evirt_log_set_journal_socket_(sock);
    assert_int_equal(evirt_log_set_outputs("1:journald"), 0);
    evirt_log_message(EVIRT_LOG_ERROR, "evirt.j", "jfunc", 9, "to the journal");
    n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_contains(buf, "PRIORITY=3\n");
    assert_contains(buf, "MESSAGE=to the journal\n");
    assert_contains(buf, "CODE_FUNC=jfunc\n");
    assert_contains(buf, "CODE_LINE=9\n");
    assert_contains(buf, "EVIRT_CATEGORY=evirt.j\n");

    /* A multi-line message uses the length-prefixed field form. */
    evirt_log_message(EVIRT_LOG_ERROR, "evirt.j", "jfunc", 9, "a\nb");
    n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    assert_non_null(memmem(buf, n, "MESSAGE\n\x03\0\0\0\0\0\0\0a\nb\n", 17));

    assert_int_equal(evirt_log_set_outputs(""), 0);
    evirt_log_set_journal_socket_(NULL);
    close(fd);
    unlink(sock);
    free(sock);
    free(missing);
}

static void
test_syslog_output(void **state)
{
    /* Only that it is accepted and does not crash: syslog may not run here. */
    assert_int_equal(evirt_log_set_outputs("4:syslog:evirt-test 3:stderr"), 0);
    evirt_log_message(EVIRT_LOG_ERROR, "evirt.s", "f", 1, "syslog test message");
    assert_int_equal(evirt_log_set_outputs("4:syslog:evirt-test2"), 0);
    assert_int_equal(evirt_log_set_outputs(""), 0);
}

static void
test_setup_from_env(void **state)
{
    char *path = fresh_file("env2.log");
    char spec[300];
    char *text;

    snprintf(spec, sizeof(spec), "1:file:%s", path);
    setenv("EVIRT_DEBUG", "info", 1);
    setenv("EVIRT_LOG_FILTERS", "4:quiet", 1);
    setenv("EVIRT_LOG_OUTPUTS", spec, 1);
    assert_int_equal(evirt_log_setup_from_env(), 0);
    assert_true(evirt_log_enabled(EVIRT_LOG_INFO, "evirt.x"));
    assert_false(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.x"));
    assert_false(evirt_log_enabled(EVIRT_LOG_WARN, "evirt.quiet"));
    EVIRT_INFO("info from env config");
    text = read_all(path);
    assert_contains(text, "info from env config");
    free(text);

    /* A bad variable fails; the good ones still apply. */
    setenv("EVIRT_DEBUG", "7", 1);
    setenv("EVIRT_LOG_FILTERS", "1:loud", 1);
    assert_int_equal(evirt_log_setup_from_env(), -1);
    expect_error(EVIRT_ERR_INVALID_ARG, "'7'");
    assert_true(evirt_log_enabled(EVIRT_LOG_DEBUG, "evirt.loud"));
    assert_true(evirt_log_enabled(EVIRT_LOG_INFO, "evirt.x"));  /* still info */

    unsetenv("EVIRT_DEBUG");
    unsetenv("EVIRT_LOG_FILTERS");
    unsetenv("EVIRT_LOG_OUTPUTS");
    free(path);
}

/* Writers and a reconfiguring thread at once: every line stays whole. */
#define NWRITERS 4
#define NMSG 500

static void *
writer(void *arg)
{
    int id = *(int *)arg;

    for (int i = 0; i < NMSG; i++)
        evirt_log_message(EVIRT_LOG_WARN, "evirt.thr", "writer", i,
                          "message %d from %d", i, id);
    return NULL;
}

static void
test_threads(void **state)
{
    char *a = fresh_file("thr-a.log"), *b = fresh_file("thr-b.log");
    char spec_a[300], spec_b[300];
    pthread_t t[NWRITERS];
    int ids[NWRITERS];
    char *ta, *tb;
    regex_t re;
    size_t total = 0;

    snprintf(spec_a, sizeof(spec_a), "1:file:%s", a);
    snprintf(spec_b, sizeof(spec_b), "1:file:%s", b);
    assert_int_equal(evirt_log_set_outputs(spec_a), 0);
    for (int i = 0; i < NWRITERS; i++) {
        ids[i] = i;
        assert_int_equal(pthread_create(&t[i], NULL, writer, &ids[i]), 0);
    }
    for (int i = 0; i < 50; i++) {
        assert_int_equal(evirt_log_set_outputs(i % 2 ? spec_a : spec_b), 0);
        assert_int_equal(evirt_log_set_filters(i % 2 ? "1:thr" : "2:thr"), 0);
    }
    for (int i = 0; i < NWRITERS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(evirt_log_set_outputs(""), 0);

    ta = read_all(a);
    tb = read_all(b);
    total = count_lines(ta) + count_lines(tb);
    assert_int_equal(total, NWRITERS * NMSG);
    assert_int_equal(regcomp(&re,
        "^([^\n]*: warning : evirt\\.thr : writer:[0-9]+ : message [0-9]+ from [0-9]+\n)*$",
        REG_EXTENDED), 0);
    assert_int_equal(regexec(&re, ta, 0, NULL, 0), 0);
    assert_int_equal(regexec(&re, tb, 0, NULL, 0), 0);
    regfree(&re);
    free(ta);
    free(tb);
    free(a);
    free(b);
}

static void
remove_dir(void)
{
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_at_first_use),
        cmocka_unit_test_setup(test_line_format, setup),
        cmocka_unit_test_setup(test_priorities, setup),
        cmocka_unit_test_setup(test_filters, setup),
        cmocka_unit_test_setup(test_bad_syntax_keeps_previous, setup),
        cmocka_unit_test_setup(test_journald, setup),
        cmocka_unit_test_setup(test_syslog_output, setup),
        cmocka_unit_test_setup(test_setup_from_env, setup),
        cmocka_unit_test_setup(test_threads, setup),
    };
    char spec[300];
    int ret;

    if (!mkdtemp(dir))
        return 1;
    snprintf(env_file, sizeof(env_file), "%s/env.log", dir);
    snprintf(spec, sizeof(spec), "1:file:%s", env_file);
    setenv("EVIRT_DEBUG", "1", 1);
    setenv("EVIRT_LOG_FILTERS", "4:noisy", 1);
    setenv("EVIRT_LOG_OUTPUTS", spec, 1);

    ret = cmocka_run_group_tests(tests, NULL, NULL);
    remove_dir();
    return ret;
}
