/*
 * tests/test-error.c - error values, last error, handler, numbering.
 */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "api/error-private.h"
#include "api/log-private.h"

#if defined(HAVE_LIBVIRT_VIRTERROR_H)
# define HAVE_VIRTERROR 1
#elif defined(__has_include)
# if __has_include(<libvirt/virterror.h>)
#  define HAVE_VIRTERROR 1
# endif
#endif

#ifdef HAVE_VIRTERROR
/* for VIR_ERR_NUMBER_LAST and VIR_ERR_DOMAIN_LAST */
# define VIR_ENUM_SENTINELS
# include <libvirt/virterror.h>
#endif

/* ---- numbering: must match libvirt's exactly ------------------------ */

static void
test_numbers_match_libvirt(void **state)
{
#ifdef HAVE_VIRTERROR
    static const struct { const char *name; long ours, theirs; } table[] = {
# define EVIRT_NUMBER(x) { #x, (long)EVIRT_##x, (long)VIR_##x },
# include "tests/error-numbers.inc"
# undef EVIRT_NUMBER
        { "ERR_OK", EVIRT_ERR_OK, VIR_ERR_OK },
        { "FROM_NONE", EVIRT_FROM_NONE, VIR_FROM_NONE },
        { "ERR_NONE", EVIRT_ERR_NONE, VIR_ERR_NONE },
        { "ERR_WARNING", EVIRT_ERR_WARNING, VIR_ERR_WARNING },
        { "ERR_ERROR", EVIRT_ERR_ERROR, VIR_ERR_ERROR },
    };
    size_t n = sizeof(table) / sizeof(table[0]);
    int bad = 0;

    /* 110 codes + 72 domains + the 5 above: an empty generated list
     * must not pass silently. */
    assert_true(n >= 110 + 72 + 5);
    for (size_t i = 0; i < n; i++) {
        if (table[i].ours != table[i].theirs) {
            print_error("EVIRT_%s = %ld but VIR_%s = %ld\n", table[i].name,
                        table[i].ours, table[i].name, table[i].theirs);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    /* Nothing libvirt has is missing from ours. */
    assert_int_equal(EVIRT_ERR_MULTIPLE_DOMAINS + 1, VIR_ERR_NUMBER_LAST);
    assert_int_equal(EVIRT_FROM_CH + 1, VIR_ERR_DOMAIN_LAST);
#else
    skip();
#endif
}

/* ---- values ---------------------------------------------------------- */

static void
test_set_message_format(void **state)
{
    evirt_error e = { 0 };

    evirt_error_set(&e, EVIRT_FROM_TEST, EVIRT_ERR_NO_DOMAIN,
                    "no domain with name '%s'", "foo");
    assert_int_equal(e.code, EVIRT_ERR_NO_DOMAIN);
    assert_int_equal(e.domain, EVIRT_FROM_TEST);
    assert_int_equal(e.level, EVIRT_ERR_ERROR);
    assert_string_equal(e.message, "domain not found: no domain with name 'foo'");
    assert_string_equal(e.str1, "domain not found");
    assert_string_equal(e.str2, "no domain with name 'foo'");
    assert_null(e.str3);

    /* Setting again replaces (ASan catches a leak of the old strings). */
    evirt_error_set(&e, EVIRT_FROM_NET, EVIRT_ERR_OPERATION_INVALID, NULL);
    assert_int_equal(e.code, EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(e.domain, EVIRT_FROM_NET);
    assert_string_equal(e.message, "operation not valid in this state");
    assert_string_equal(e.str1, "operation not valid in this state");
    assert_null(e.str2);

    evirt_error_reset(&e);
    assert_int_equal(e.code, 0);
    assert_null(e.message);
    assert_null(e.str1);
    evirt_error_reset(&e);  /* twice is fine */
    evirt_error_reset(NULL);
}

static void
test_copy_move(void **state)
{
    evirt_error a = { 0 }, b = { 0 }, c = { 0 }, z = { 0 };

    evirt_error_set(&a, EVIRT_FROM_RPC, EVIRT_ERR_OPERATION_TIMEOUT,
                    "no reply in %d ms", 500);
    a.int1 = 7;
    a.str3 = strdup("extra");
    assert_int_equal(evirt_error_copy(&b, &a), 0);
    assert_int_equal(b.code, a.code);
    assert_int_equal(b.domain, a.domain);
    assert_int_equal(b.level, a.level);
    assert_int_equal(b.int1, 7);
    assert_string_equal(b.message, "operation timed out: no reply in 500 ms");
    assert_ptr_not_equal(b.message, a.message);
    assert_ptr_not_equal(b.str1, a.str1);
    assert_string_equal(b.str3, "extra");
    assert_ptr_not_equal(b.str3, a.str3);

    /* The copy is independent of the original. */
    evirt_error_reset(&a);
    assert_string_equal(b.str2, "no reply in 500 ms");

    evirt_error_set(&c, EVIRT_FROM_NONE, EVIRT_ERR_INTERNAL_ERROR, "old");
    evirt_error_move(&c, &b);   /* c's old contents are freed */
    assert_int_equal(c.code, EVIRT_ERR_OPERATION_TIMEOUT);
    assert_string_equal(c.message, "operation timed out: no reply in 500 ms");
    assert_int_equal(b.code, 0);
    assert_null(b.message);
    assert_null(b.str1);
    evirt_error_move(&c, &c);   /* self-move keeps it */
    assert_int_equal(c.code, EVIRT_ERR_OPERATION_TIMEOUT);

    assert_int_equal(evirt_error_copy(&b, &z), 0);
    assert_int_equal(b.code, 0);
    assert_null(b.message);
    evirt_error_reset(&c);
}

static void
test_code_names(void **state)
{
    static const struct { int code; const char *text; } meaning[] = {
        { EVIRT_ERR_NO_DOMAIN, "domain not found" },
        { EVIRT_ERR_OPERATION_INVALID, "operation not valid in this state" },
        { EVIRT_ERR_OPERATION_DENIED, "operation forbidden" },
        { EVIRT_ERR_NO_SUPPORT, "operation not supported by this driver" },
        { EVIRT_ERR_NO_CONNECT, "no connection driver available" },
        { EVIRT_ERR_XML_ERROR, "XML description is invalid" },
        { EVIRT_ERR_XML_DETAIL, "XML error" },
        { EVIRT_ERR_DOM_EXIST, "domain already exists" },
        { EVIRT_ERR_OPERATION_TIMEOUT, "operation timed out" },
        { EVIRT_ERR_OPERATION_ABORTED, "operation aborted" },
        { EVIRT_ERR_INVALID_ARG, "invalid argument" },
    };

    for (size_t i = 0; i < sizeof(meaning) / sizeof(meaning[0]); i++)
        assert_string_equal(evirt_error_code_name(meaning[i].code),
                            meaning[i].text);

    /* Every code has its own text. */
    for (int code = 1; code <= EVIRT_ERR_MULTIPLE_DOMAINS; code++) {
        const char *t = evirt_error_code_name(code);

        assert_non_null(t);
        assert_true(t[0] != '\0');
        if (strcmp(t, "unknown error") == 0)
            fail_msg("code %d has no text", code);
        for (int other = 1; other < code; other++)
            if (strcmp(t, evirt_error_code_name(other)) == 0)
                fail_msg("codes %d and %d share the text '%s'", other, code, t);
    }
    assert_string_equal(evirt_error_code_name(-1), "unknown error");
    assert_string_equal(evirt_error_code_name(EVIRT_ERR_MULTIPLE_DOMAINS + 1),
                        "unknown error");
    assert_string_equal(evirt_error_code_name(100000), "unknown error");
}

/* ---- last error and handler ----------------------------------------- */

typedef struct {
    int calls;
    void *userdata;
    evirt_error seen;
} handler_record;

static void
record_handler(void *userdata, const evirt_error *err)
{
    handler_record *r = userdata;

    r->calls++;
    r->userdata = userdata;
    evirt_error_reset(&r->seen);
    evirt_error_copy(&r->seen, err);
}

static void
test_last_error(void **state)
{
    handler_record rec = { 0 };
    evirt_error e = { 0 };
    const evirt_error *last;

    evirt_set_error_func(&rec, record_handler);
    evirt_reset_last_error();
    assert_null(evirt_last_error());

    evirt_error_report(EVIRT_FROM_DOM, EVIRT_ERR_INVALID_ARG, "flags %u", 3u);
    last = evirt_last_error();
    assert_non_null(last);
    assert_int_equal(last->code, EVIRT_ERR_INVALID_ARG);
    assert_int_equal(last->domain, EVIRT_FROM_DOM);
    assert_string_equal(last->message, "invalid argument: flags 3");
    assert_int_equal(rec.calls, 1);
    assert_ptr_equal(rec.userdata, &rec);
    assert_int_equal(rec.seen.code, EVIRT_ERR_INVALID_ARG);
    assert_string_equal(rec.seen.message, "invalid argument: flags 3");

    /* set_last keeps a copy: the caller's error can go away. */
    evirt_error_set(&e, EVIRT_FROM_STORAGE, EVIRT_ERR_NO_STORAGE_POOL, "pool '%s'", "p");
    evirt_error_set_last(&e);
    evirt_error_reset(&e);
    last = evirt_last_error();
    assert_non_null(last);
    assert_int_equal(last->code, EVIRT_ERR_NO_STORAGE_POOL);
    assert_string_equal(last->message, "storage pool not found: pool 'p'");
    assert_int_equal(rec.calls, 2);
    assert_int_equal(rec.seen.domain, EVIRT_FROM_STORAGE);

    /* Re-raising the last error itself works. */
    evirt_error_set_last(evirt_last_error());
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_NO_STORAGE_POOL);
    assert_int_equal(rec.calls, 3);

    /* NULL or code 0 resets, and does not call the handler. */
    evirt_error_set_last(NULL);
    assert_null(evirt_last_error());
    evirt_error_report(EVIRT_FROM_DOM, EVIRT_ERR_INTERNAL_ERROR, NULL);
    assert_non_null(evirt_last_error());
    evirt_error_set_last(&e);   /* zeroed */
    assert_null(evirt_last_error());
    assert_int_equal(rec.calls, 4);

    evirt_error_report(EVIRT_FROM_DOM, EVIRT_ERR_INTERNAL_ERROR, NULL);
    evirt_reset_last_error();
    assert_null(evirt_last_error());

    evirt_set_error_func(NULL, NULL);
    evirt_error_reset(&rec.seen);
}

/* The default handler logs the error at priority error, category
 * evirt.error. */
static void
test_default_handler_logs(void **state)
{
    char path[] = "/tmp/evirt-test-error-XXXXXX";
    int fd = mkstemp(path);
    char spec[128];
    char buf[4096] = "";
    FILE *f;
    size_t n;

    assert_true(fd >= 0);
    close(fd);
    snprintf(spec, sizeof(spec), "4:file:%s", path);
    assert_int_equal(evirt_log_set_outputs(spec), 0);
    evirt_set_error_func(NULL, NULL);
    evirt_error_report(EVIRT_FROM_TEST, EVIRT_ERR_NO_DOMAIN, "uuid %s", "1234");
    assert_int_equal(evirt_log_set_outputs(""), 0);

    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    unlink(path);
    buf[n] = '\0';
    assert_non_null(strstr(buf, ": error : evirt.error : "));
    assert_non_null(strstr(buf, " : domain not found: uuid 1234\n"));
    evirt_reset_last_error();
}

/* ---- threads --------------------------------------------------------- */

static pthread_barrier_t barrier;

static void *
thread_a(void *arg)
{
    int *ok = arg;

    evirt_error_report(EVIRT_FROM_QEMU, EVIRT_ERR_OPERATION_FAILED, "in A");
    pthread_barrier_wait(&barrier);     /* B raises its own error */
    pthread_barrier_wait(&barrier);
    *ok = evirt_last_error() &&
          evirt_last_error()->code == EVIRT_ERR_OPERATION_FAILED &&
          strcmp(evirt_last_error()->message, "operation failed: in A") == 0;
    /* Exits with a last error set: freed by the thread-exit destructor
     * (LeakSanitizer would say otherwise). */
    return NULL;
}

static void *
thread_b(void *arg)
{
    int *ok = arg;

    pthread_barrier_wait(&barrier);
    *ok = evirt_last_error() == NULL;   /* A's error is not visible here */
    evirt_error_report(EVIRT_FROM_NET, EVIRT_ERR_NO_NETWORK, "in B");
    pthread_barrier_wait(&barrier);
    *ok = *ok && evirt_last_error() &&
          evirt_last_error()->code == EVIRT_ERR_NO_NETWORK;
    return NULL;
}

static void
quiet_handler(void *userdata, const evirt_error *err)
{
    int *calls = userdata;

    __atomic_add_fetch(calls, 1, __ATOMIC_SEQ_CST);
}

static void
test_thread_isolation(void **state)
{
    pthread_t a, b;
    int ok_a = 0, ok_b = 0, calls = 0;

    evirt_set_error_func(&calls, quiet_handler);
    evirt_error_report(EVIRT_FROM_TEST, EVIRT_ERR_DOM_EXIST, "main");
    assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
    assert_int_equal(pthread_create(&a, NULL, thread_a, &ok_a), 0);
    assert_int_equal(pthread_create(&b, NULL, thread_b, &ok_b), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    pthread_barrier_destroy(&barrier);
    assert_true(ok_a);
    assert_true(ok_b);
    /* Handler ran on each failing thread. */
    assert_int_equal(calls, 3);
    assert_non_null(evirt_last_error());
    assert_int_equal(evirt_last_error()->code, EVIRT_ERR_DOM_EXIST);
    evirt_reset_last_error();
    evirt_set_error_func(NULL, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_match_libvirt),
        cmocka_unit_test(test_set_message_format),
        cmocka_unit_test(test_copy_move),
        cmocka_unit_test(test_code_names),
        cmocka_unit_test(test_last_error),
        cmocka_unit_test(test_default_handler_logs),
        cmocka_unit_test(test_thread_isolation),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
