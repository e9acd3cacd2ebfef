/*
 * tests/test-driver-lifecycle.c - the test driver's domain lifecycle on
 * test:///default, through the public API: each transition's resulting
 * state and reason, the exact event delivered, refused transitions (their
 * error code, no change, no event), save/restore and managed save, memory
 * and vCPU changes, statistics, and block jobs progressing over time.
 *
 * Each test opens its own connection (its own in-memory host) on its own
 * loop; the sync API iterates that loop, and so does wait_events().
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <evirt/evirt.h>
#include "tests/test-uri-helper.h"

/* ------------------------------------------------------------ fixture */

#define MAX_EVENTS 32

typedef struct event_rec {
    int event_id; /* EVIRT_DOMAIN_EVENT_ID_* */
    int event, detail;
    int dom_id;
    char name[64];
} event_rec;

typedef struct fixture {
    evirt_loop *loop;
    evirt_conn *conn;
    evirt_domain *dom; /* "test" */
    int cb_lifecycle, cb_reboot;
    event_rec events[MAX_EVENTS];
    int nevents;
    char tmpdir[64];
} fixture;

static void record(fixture *f, int event_id, evirt_domain *dom, int event,
                   int detail)
{
    if (f->nevents >= MAX_EVENTS)
        return;
    event_rec *r = &f->events[f->nevents++];
    r->event_id = event_id;
    r->event = event;
    r->detail = detail;
    r->dom_id = evirt_domain_get_id(dom);
    snprintf(r->name, sizeof(r->name), "%s", evirt_domain_get_name(dom));
}

static void on_lifecycle(evirt_conn *conn, evirt_domain *dom, int event,
                         int detail, void *opaque)
{
    (void)conn;
    record(opaque, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE, dom, event, detail);
}

static void on_reboot(evirt_conn *conn, evirt_domain *dom, void *opaque)
{
    (void)conn;
    record(opaque, EVIRT_DOMAIN_EVENT_ID_REBOOT, dom, -1, -1);
}

static void flag_timer(int timer, void *opaque)
{
    (void)timer;
    *(int *)opaque = 1;
}

/* Iterates the loop for about ms milliseconds. */
static void spin(fixture *f, int ms)
{
    int fired = 0;
    int t = evirt_loop_add_timeout(f->loop, ms, flag_timer, &fired, NULL);
    assert_true(t > 0);
    while (!fired)
        evirt_loop_run_once(f->loop);
    evirt_loop_remove_timeout(f->loop, t);
}

/* Iterates the loop until n events in all were delivered (or 2 s). */
static void wait_events(fixture *f, int n)
{
    for (int i = 0; i < 200 && f->nevents < n; i++)
        spin(f, 10);
    assert_int_equal(f->nevents, n);
}

/* Lets anything queued be delivered, then checks nothing new came. */
static void assert_no_new_events(fixture *f, int n)
{
    spin(f, 20);
    assert_int_equal(f->nevents, n);
}

static void assert_lifecycle(fixture *f, int i, int event, int detail)
{
    assert_true(i < f->nevents);
    assert_int_equal(f->events[i].event_id, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE);
    assert_int_equal(f->events[i].event, event);
    assert_int_equal(f->events[i].detail, detail);
}

static void assert_state(evirt_domain *dom, int state, int reason)
{
    evirt_domain_state_info st;
    assert_int_equal(evirt_domain_get_state(dom, 0, &st), 0);
    assert_int_equal(st.state, state);
    assert_int_equal(st.reason, reason);
}

static void assert_last_error(int code)
{
    const evirt_error *err = evirt_last_error();
    assert_non_null(err);
    assert_int_equal(err->code, code);
    assert_non_null(err->message);
}

/* The last error's message says what (after the code's own words). */
static void assert_last_message(const char *what)
{
    const evirt_error *err = evirt_last_error();
    assert_non_null(err);
    assert_non_null(err->message);
    if (!strstr(err->message, what))
        fail_msg("\"%s\" does not say \"%s\"", err->message, what);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->loop = evirt_loop_new(NULL);
    assert_non_null(f->loop);
    f->conn = evirt_conn_open_on(f->loop, test_uri("test:///default"), NULL, 0);
    assert_non_null(f->conn);
    f->dom = evirt_domain_lookup_by_name(f->conn, "test");
    assert_non_null(f->dom);
    f->cb_lifecycle = evirt_conn_domain_event_register_any(
        f->conn, NULL, EVIRT_DOMAIN_EVENT_ID_LIFECYCLE,
        EVIRT_DOMAIN_EVENT_CALLBACK(on_lifecycle), f, NULL);
    assert_true(f->cb_lifecycle > 0);
    f->cb_reboot = evirt_conn_domain_event_register_any(
        f->conn, NULL, EVIRT_DOMAIN_EVENT_ID_REBOOT,
        EVIRT_DOMAIN_EVENT_CALLBACK(on_reboot), f, NULL);
    assert_true(f->cb_reboot > 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    evirt_conn_domain_event_deregister_any(f->conn, f->cb_lifecycle);
    evirt_conn_domain_event_deregister_any(f->conn, f->cb_reboot);
    evirt_domain_unref(f->dom);
    evirt_conn_close(f->conn);
    /* Let queued deliveries and the connection's release run. */
    spin(f, 20);
    evirt_loop_free(f->loop);
    if (f->tmpdir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->tmpdir);
        assert_int_equal(system(cmd), 0);
    }
    free(f);
    return 0;
}

static const char *make_tmpdir(fixture *f)
{
    snprintf(f->tmpdir, sizeof(f->tmpdir), "/tmp/evirt-lifecycle-XXXXXX");
    assert_non_null(mkdtemp(f->tmpdir));
    return f->tmpdir;
}

/* ------------------------------------------------------ pause/resume */

static void test_suspend_resume(void **state)
{
    fixture *f = *state;
    /* test:///default's guest runs from the start (reason unknown, as in
     * libvirt). */
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_UNKNOWN);

    assert_int_equal(evirt_domain_suspend(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_PAUSED, EVIRT_DOMAIN_PAUSED_USER);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_SUSPENDED,
                     EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);
    assert_string_equal(f->events[0].name, "test");
    assert_int_equal(f->events[0].dom_id, evirt_domain_get_id(f->dom));

    /* Already paused: refused, unchanged, silent. */
    assert_int_equal(evirt_domain_suspend(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_state(f->dom, EVIRT_DOMAIN_PAUSED, EVIRT_DOMAIN_PAUSED_USER);
    assert_no_new_events(f, 1);

    assert_int_equal(evirt_domain_resume(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_UNPAUSED);
    wait_events(f, 2);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_RESUMED,
                     EVIRT_DOMAIN_EVENT_RESUMED_UNPAUSED);

    assert_int_equal(evirt_domain_resume(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_last_message("domain is not paused");
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_UNPAUSED);
    assert_no_new_events(f, 2);
}

/* ------------------------------------------------- destroy and start */

static void test_destroy_start(void **state)
{
    fixture *f = *state;
    int old_id = evirt_domain_get_id(f->dom);
    assert_true(old_id > 0);

    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_DESTROYED);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_int_equal(f->events[0].dom_id, -1);
    assert_int_equal(evirt_domain_is_active(f->dom), 0);

    /* Everything that needs a running domain is refused now. */
    assert_int_equal(evirt_domain_destroy(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_last_message("domain is not running");
    assert_int_equal(evirt_domain_shutdown(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_suspend(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_resume(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_reboot(f->dom, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_reset(f->dom, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_DESTROYED);
    assert_no_new_events(f, 1);

    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_BOOTED);
    wait_events(f, 2);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    assert_true(f->events[1].dom_id > old_id);

    assert_int_equal(evirt_domain_create(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_last_message("domain is already running");
    assert_no_new_events(f, 2);
}

static void test_shutdown(void **state)
{
    fixture *f = *state;
    /* test:///default's guest powers off for good (<on_poweroff>destroy). */
    assert_int_equal(evirt_domain_shutdown_flags(f->dom,
                         EVIRT_DOMAIN_SHUTDOWN_ACPI_POWER_BTN), 0);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_SHUTDOWN);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SHUTDOWN);

    assert_int_equal(evirt_domain_shutdown(f->dom), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_no_new_events(f, 1);

    /* A paused guest can be shut down too. */
    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_int_equal(evirt_domain_suspend(f->dom), 0);
    assert_int_equal(evirt_domain_shutdown(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_SHUTDOWN);
    wait_events(f, 4);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    assert_lifecycle(f, 2, EVIRT_DOMAIN_EVENT_SUSPENDED,
                     EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);
    assert_lifecycle(f, 3, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SHUTDOWN);
}

static void test_create_paused(void **state)
{
    fixture *f = *state;
    assert_int_equal(evirt_domain_destroy(f->dom), 0);

    /* Unknown flags are refused before anything happens. */
    assert_int_equal(evirt_domain_create_with_flags(f->dom, 1u << 20), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_DESTROYED);

    assert_int_equal(evirt_domain_create_with_flags(f->dom,
                         EVIRT_DOMAIN_START_PAUSED), 0);
    assert_state(f->dom, EVIRT_DOMAIN_PAUSED, EVIRT_DOMAIN_PAUSED_USER);
    wait_events(f, 3);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_BOOTED);
    assert_lifecycle(f, 2, EVIRT_DOMAIN_EVENT_SUSPENDED,
                     EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);

    assert_int_equal(evirt_domain_resume(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_UNPAUSED);
}

static void test_reboot_reset(void **state)
{
    fixture *f = *state;
    assert_int_equal(evirt_domain_suspend(f->dom), 0);
    wait_events(f, 1);

    /* <on_reboot>restart: back to running, one REBOOT event. */
    assert_int_equal(evirt_domain_reboot(f->dom, 0), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_BOOTED);
    wait_events(f, 2);
    assert_int_equal(f->events[1].event_id, EVIRT_DOMAIN_EVENT_ID_REBOOT);
    assert_string_equal(f->events[1].name, "test");

    assert_int_equal(evirt_domain_reboot(f->dom, 1u << 20), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_no_new_events(f, 2);

    assert_int_equal(evirt_domain_reset(f->dom, 0), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_BOOTED);
    wait_events(f, 3);
    assert_int_equal(f->events[2].event_id, EVIRT_DOMAIN_EVENT_ID_REBOOT);
}

/* A guest that stays off when rebooted, and one that is transient. */
static const char transient_xml[] =
    "<domain type='test'>"
    "  <name>flash</name>"
    "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>"
    "  <memory>262144</memory>"
    "  <vcpu>1</vcpu>"
    "  <os><type>hvm</type></os>"
    "  <on_reboot>destroy</on_reboot>"
    "</domain>";

static void test_transient(void **state)
{
    fixture *f = *state;
    evirt_domain *t = evirt_domain_create_xml(f->conn, transient_xml, 0);
    assert_non_null(t);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_BOOTED);

    assert_int_equal(evirt_domain_set_autostart(t, 1), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_managed_save(t, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_is_active(t), 1);

    /* <on_reboot>destroy: the reboot stops it, and a transient domain
     * that stops is gone. */
    assert_int_equal(evirt_domain_reboot(t, 0), 0);
    wait_events(f, 2);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SHUTDOWN);
    assert_string_equal(f->events[1].name, "flash");
    assert_null(evirt_domain_lookup_by_name(f->conn, "flash"));
    assert_last_error(EVIRT_ERR_NO_DOMAIN);
    assert_int_equal(evirt_domain_destroy(t), -1);
    assert_last_error(EVIRT_ERR_NO_DOMAIN);
    evirt_domain_unref(t);

    t = evirt_domain_create_xml(f->conn, transient_xml, 0);
    assert_non_null(t);
    assert_int_equal(evirt_domain_destroy(t), 0);
    assert_null(evirt_domain_lookup_by_name(f->conn, "flash"));
    wait_events(f, 4);
    assert_lifecycle(f, 3, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_DESTROYED);
    evirt_domain_unref(t);
}

/* ------------------------------------------------------ save/restore */

static void test_save_restore(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/test.save", make_tmpdir(f));

    assert_int_equal(evirt_domain_save(f->dom, path), 0);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_SAVED);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SAVED);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(sb.st_size > 0);

    /* Saving needs a running domain. */
    assert_int_equal(evirt_domain_save(f->dom, path), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    assert_int_equal(evirt_domain_restore(f->conn, path), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_RESTORED);
    wait_events(f, 2);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_RESTORED);
    assert_string_equal(f->events[1].name, "test");
    assert_true(f->events[1].dom_id > 0);

    /* The same image again, over the domain it made: refused. */
    assert_int_equal(evirt_domain_restore(f->conn, path), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_last_message("already active");
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_RESTORED);
    assert_no_new_events(f, 2);

    /* Once it is off, the image can be restored again. */
    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_restore(f->conn, path), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_RESTORED);
    wait_events(f, 4);
    assert_lifecycle(f, 3, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_RESTORED);
    /* It is still the persistent domain it was. */
    assert_int_equal(evirt_domain_is_persistent(f->dom), 1);
}

static void test_save_paused_and_errors(void **state)
{
    fixture *f = *state;
    const char *dir = make_tmpdir(f);
    char path[128], bogus[128], missing[128];
    snprintf(path, sizeof(path), "%s/paused.save", dir);
    snprintf(bogus, sizeof(bogus), "%s/bogus.save", dir);
    snprintf(missing, sizeof(missing), "%s/missing.save", dir);

    /* A paused guest comes back paused... */
    assert_int_equal(evirt_domain_suspend(f->dom), 0);
    assert_int_equal(evirt_domain_save(f->dom, path), 0);
    assert_int_equal(evirt_domain_restore(f->conn, path), 0);
    assert_state(f->dom, EVIRT_DOMAIN_PAUSED, EVIRT_DOMAIN_PAUSED_USER);
    wait_events(f, 4);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SAVED);
    assert_lifecycle(f, 2, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_RESTORED);
    assert_lifecycle(f, 3, EVIRT_DOMAIN_EVENT_SUSPENDED,
                     EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);

    /* ...unless asked to run. */
    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_restore_flags(f->conn, path, NULL,
                         EVIRT_DOMAIN_SAVE_RUNNING), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_RESTORED);
    wait_events(f, 6);

    /* Files that are not images. */
    assert_int_equal(evirt_domain_restore(f->conn, missing), -1);
    assert_last_error(EVIRT_ERR_SYSTEM_ERROR);
    FILE *fp = fopen(bogus, "w");
    assert_non_null(fp);
    fputs("not an image\n", fp);
    fclose(fp);
    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_restore(f->conn, bogus), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_DESTROYED);
    assert_no_new_events(f, 7);

    /* Replacement XML must describe the same domain. */
    assert_int_equal(evirt_domain_restore_flags(f->conn, path, transient_xml,
                                                0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_int_equal(evirt_domain_restore_flags(f->conn, path, NULL,
                         EVIRT_DOMAIN_SAVE_RUNNING | EVIRT_DOMAIN_SAVE_PAUSED),
                     -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_DESTROYED);

    /* A save to a place that cannot be written leaves the guest running. */
    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_int_equal(evirt_domain_save(f->dom, "/nonexistent-dir/x.save"), -1);
    assert_last_error(EVIRT_ERR_SYSTEM_ERROR);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_BOOTED);
}

static void test_restore_transient(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/flash.save", make_tmpdir(f));
    evirt_domain *t = evirt_domain_create_xml(f->conn, transient_xml, 0);
    assert_non_null(t);
    assert_int_equal(evirt_domain_save(t, path), 0);
    /* A saved transient domain is gone until restored. */
    assert_null(evirt_domain_lookup_by_name(f->conn, "flash"));
    assert_int_equal(evirt_domain_restore(f->conn, path), 0);
    evirt_domain *back = evirt_domain_lookup_by_name(f->conn, "flash");
    assert_non_null(back);
    assert_state(back, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_RESTORED);
    assert_int_equal(evirt_domain_is_persistent(back), 0);
    wait_events(f, 3);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SAVED);
    assert_lifecycle(f, 2, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_RESTORED);
    evirt_domain_unref(back);
    evirt_domain_unref(t);
}

static void test_managed_save(void **state)
{
    fixture *f = *state;
    assert_int_equal(evirt_domain_has_managed_save_image(f->dom, 0), 0);
    assert_int_equal(evirt_domain_managed_save(f->dom, 0), 0);
    assert_state(f->dom, EVIRT_DOMAIN_SHUTOFF, EVIRT_DOMAIN_SHUTOFF_SAVED);
    assert_int_equal(evirt_domain_has_managed_save_image(f->dom, 0), 1);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_STOPPED,
                     EVIRT_DOMAIN_EVENT_STOPPED_SAVED);

    assert_int_equal(evirt_domain_managed_save(f->dom, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    /* Starting resumes the image and consumes it. */
    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_RESTORED);
    assert_int_equal(evirt_domain_has_managed_save_image(f->dom, 0), 0);
    wait_events(f, 2);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_RESTORED);

    /* A removed image means a fresh boot. */
    assert_int_equal(evirt_domain_managed_save(f->dom, 0), 0);
    assert_int_equal(evirt_domain_managed_save_remove(f->dom, 0), 0);
    assert_int_equal(evirt_domain_has_managed_save_image(f->dom, 0), 0);
    assert_int_equal(evirt_domain_managed_save_remove(f->dom, 0), 0);
    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_BOOTED);
    wait_events(f, 4);
    assert_lifecycle(f, 3, EVIRT_DOMAIN_EVENT_STARTED,
                     EVIRT_DOMAIN_EVENT_STARTED_BOOTED);

    /* FORCE_BOOT discards an image. */
    assert_int_equal(evirt_domain_managed_save(f->dom, 0), 0);
    assert_int_equal(evirt_domain_create_with_flags(f->dom,
                         EVIRT_DOMAIN_START_FORCE_BOOT), 0);
    assert_state(f->dom, EVIRT_DOMAIN_RUNNING, EVIRT_DOMAIN_RUNNING_BOOTED);
    assert_int_equal(evirt_domain_has_managed_save_image(f->dom, 0), 0);
}

/* ------------------------------------------------- autostart, tuning */

static void test_autostart(void **state)
{
    fixture *f = *state;
    assert_int_equal(evirt_domain_get_autostart(f->dom), 0);
    assert_int_equal(evirt_domain_set_autostart(f->dom, 1), 0);
    assert_int_equal(evirt_domain_get_autostart(f->dom), 1);
    assert_int_equal(evirt_domain_set_autostart(f->dom, 0), 0);
    assert_int_equal(evirt_domain_get_autostart(f->dom), 0);
    assert_no_new_events(f, 0);
}

static void test_memory(void **state)
{
    fixture *f = *state;
    evirt_domain_info info;
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    unsigned long max = info.max_mem;
    assert_true(max > 0);

    assert_int_equal(evirt_domain_set_memory(f->dom, max + 1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_int_equal(evirt_domain_set_memory(f->dom, 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);

    assert_int_equal(evirt_domain_set_memory(f->dom, 524288), 0);
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    assert_int_equal(info.memory, 524288);

    /* The maximum of a running guest is fixed. */
    assert_int_equal(evirt_domain_set_max_memory(f->dom, max / 2), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    /* A live-only change leaves the config alone: after a restart the
     * guest has its configured memory again. */
    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    assert_true(info.memory != 524288);
    assert_int_equal(evirt_domain_set_memory(f->dom, 1024), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    /* The config of an inactive guest can take a new maximum, which
     * clamps its current memory. */
    assert_int_equal(evirt_domain_set_max_memory(f->dom, 1048576), 0);
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    assert_int_equal(info.max_mem, 1048576);
    assert_true(info.memory <= 1048576);
    assert_int_equal(evirt_domain_set_memory_flags(f->dom, 262144,
                         EVIRT_DOMAIN_MEM_CONFIG), 0);
    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    assert_int_equal(info.memory, 262144);
    assert_int_equal(info.max_mem, 1048576);

    /* A config-only change on a running guest shows in the inactive XML
     * and not in the live one. */
    assert_int_equal(evirt_domain_set_memory_flags(f->dom, 131072,
                         EVIRT_DOMAIN_MEM_CONFIG), 0);
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    assert_int_equal(info.memory, 262144);
    char *xml = evirt_domain_get_xml_desc(f->dom, EVIRT_DOMAIN_XML_INACTIVE);
    assert_non_null(xml);
    assert_non_null(strstr(xml, ">131072</currentMemory>"));
    free(xml);
    assert_no_new_events(f, 2);
}

static void test_vcpus(void **state)
{
    fixture *f = *state;
    evirt_vcpu_info *vi = NULL;
    int n = evirt_domain_get_vcpus(f->dom, &vi);
    assert_int_equal(n, 2);
    assert_int_equal(vi[0].number, 0);
    assert_int_equal(vi[1].number, 1);
    assert_int_equal(vi[0].state, EVIRT_VCPU_RUNNING);
    assert_true(vi[0].cpu_time > 0);
    assert_true(vi[0].cpu >= 0);
    free(vi);

    assert_int_equal(evirt_domain_set_vcpus(f->dom, 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_int_equal(evirt_domain_set_vcpus(f->dom, 5), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_int_equal(evirt_domain_set_vcpus_flags(f->dom, 4,
                         EVIRT_DOMAIN_VCPU_MAXIMUM | EVIRT_DOMAIN_VCPU_LIVE), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);

    assert_int_equal(evirt_domain_set_vcpus(f->dom, 1), 0);
    n = evirt_domain_get_vcpus(f->dom, &vi);
    assert_int_equal(n, 1);
    free(vi);

    /* Raising the config's maximum allows more at the next boot. */
    assert_int_equal(evirt_domain_set_vcpus_flags(f->dom, 4,
                         EVIRT_DOMAIN_VCPU_MAXIMUM | EVIRT_DOMAIN_VCPU_CONFIG), 0);
    assert_int_equal(evirt_domain_set_vcpus_flags(f->dom, 4,
                         EVIRT_DOMAIN_VCPU_CONFIG), 0);
    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_get_vcpus(f->dom, &vi), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_create(f->dom), 0);
    n = evirt_domain_get_vcpus(f->dom, &vi);
    assert_int_equal(n, 4);
    free(vi);
}

/* -------------------------------------------------------------- stats */

static void test_stats(void **state)
{
    fixture *f = *state;
    evirt_block_stats b1, b2;
    assert_int_equal(evirt_domain_block_stats(f->dom, "vda", &b1), 0);
    assert_true(b1.rd_req > 0 && b1.rd_bytes > 0 && b1.wr_req > 0);
    spin(f, 5);
    /* By source path too; the counters grow. */
    assert_int_equal(evirt_domain_block_stats(f->dom, "/guest/diskimage1", &b2), 0);
    assert_true(b2.rd_req > b1.rd_req);
    assert_int_equal(evirt_domain_block_stats(f->dom, "hda", &b1), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);

    evirt_interface_stats is;
    assert_int_equal(evirt_domain_interface_stats(f->dom, "testnet0", &is), 0);
    assert_true(is.rx_bytes > 0 && is.tx_packets > 0);
    assert_int_equal(evirt_domain_interface_stats(f->dom, "aa:bb:cc:dd:ee:ff",
                                                  &is), 0);
    assert_int_equal(evirt_domain_interface_stats(f->dom, "vnet0", &is), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);

    evirt_domain_memory_stat *ms = NULL;
    int n = evirt_domain_memory_stats(f->dom, EVIRT_DOMAIN_MEMORY_STAT_NR, 0,
                                      &ms);
    assert_int_equal(n, EVIRT_DOMAIN_MEMORY_STAT_NR);
    evirt_domain_info info;
    assert_int_equal(evirt_domain_get_info(f->dom, &info), 0);
    int seen_actual = 0, seen_rss = 0;
    for (int i = 0; i < n; i++) {
        if (ms[i].tag == EVIRT_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON) {
            assert_int_equal(ms[i].val, info.memory);
            seen_actual = 1;
        }
        if (ms[i].tag == EVIRT_DOMAIN_MEMORY_STAT_RSS)
            seen_rss = 1;
    }
    assert_true(seen_actual && seen_rss);
    free(ms);
    n = evirt_domain_memory_stats(f->dom, 2, 0, &ms);
    assert_int_equal(n, 2);
    free(ms);

    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_block_stats(f->dom, "vda", &b1), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_interface_stats(f->dom, "testnet0", &is), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_memory_stats(f->dom, 13, 0, &ms), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
}

/* --------------------------------------------------------- block jobs */

static void test_block_job(void **state)
{
    fixture *f = *state;
    evirt_domain_block_job_info ji;
    assert_int_equal(evirt_domain_get_block_job_info(f->dom, "vda", 0, &ji), 0);
    assert_int_equal(ji.active, 0);

    assert_int_equal(evirt_domain_block_pull(f->dom, "nope", 0, 0), -1);
    assert_last_error(EVIRT_ERR_INVALID_ARG);
    assert_int_equal(evirt_domain_block_job_abort(f->dom, "vda", 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    /* 50 MiB/s over 100 MiB: about two seconds. */
    assert_int_equal(evirt_domain_block_pull(f->dom, "vda", 50, 0), 0);
    assert_int_equal(evirt_domain_block_pull(f->dom, "vda", 50, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    spin(f, 60);
    assert_int_equal(evirt_domain_get_block_job_info(f->dom, "vda", 0, &ji), 0);
    assert_int_equal(ji.active, 1);
    assert_int_equal(ji.type, EVIRT_DOMAIN_BLOCK_JOB_TYPE_PULL);
    assert_int_equal(ji.bandwidth, 50);
    assert_true(ji.end > 0);
    assert_true(ji.cur > 0 && ji.cur < ji.end);
    unsigned long long cur1 = ji.cur;
    spin(f, 60);
    /* The source path names the same disk. */
    assert_int_equal(evirt_domain_get_block_job_info(f->dom,
                         "/guest/diskimage1", EVIRT_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES,
                         &ji), 0);
    assert_int_equal(ji.active, 1);
    assert_int_equal(ji.bandwidth, 50UL * 1024 * 1024);
    assert_true(ji.cur > cur1);

    /* Unlimited speed: it finishes soon, and then it is gone. */
    assert_int_equal(evirt_domain_block_job_set_speed(f->dom, "vda", 0, 0), 0);
    int done = 0;
    for (int i = 0; i < 300 && !done; i++) {
        spin(f, 10);
        assert_int_equal(evirt_domain_get_block_job_info(f->dom, "vda", 0, &ji), 0);
        done = !ji.active;
    }
    assert_true(done);
    assert_int_equal(evirt_domain_block_job_set_speed(f->dom, "vda", 1, 0), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);

    /* Abort removes a job at once. */
    assert_int_equal(evirt_domain_block_pull(f->dom, "vda", 1, 0), 0);
    assert_int_equal(evirt_domain_block_job_abort(f->dom, "vda",
                         EVIRT_DOMAIN_BLOCK_JOB_ABORT_PIVOT), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_block_job_abort(f->dom, "vda", 0), 0);
    assert_int_equal(evirt_domain_get_block_job_info(f->dom, "vda", 0, &ji), 0);
    assert_int_equal(ji.active, 0);

    /* A job dies with its domain. */
    assert_int_equal(evirt_domain_block_pull(f->dom, "vda", 1, 0), 0);
    assert_int_equal(evirt_domain_destroy(f->dom), 0);
    assert_int_equal(evirt_domain_get_block_job_info(f->dom, "vda", 0, &ji), -1);
    assert_last_error(EVIRT_ERR_OPERATION_INVALID);
    assert_int_equal(evirt_domain_create(f->dom), 0);
    assert_int_equal(evirt_domain_get_block_job_info(f->dom, "vda", 0, &ji), 0);
    assert_int_equal(ji.active, 0);

    /* One left running when the connection closes is freed with it
     * (the sanitizer build checks). */
    assert_int_equal(evirt_domain_block_pull(f->dom, "vda", 1, 0), 0);
}

/* ---------------------------------------------------------- async path */

typedef struct async_done {
    int calls;
    int ret;
    int code;
} async_done;

static void suspend_done(evirt_op *op, void *opaque)
{
    async_done *a = opaque;
    a->calls++;
    a->ret = evirt_domain_suspend_finish(op);
    a->code = a->ret < 0 ? evirt_op_error(op)->code : 0;
}

static void resume_done(evirt_op *op, void *opaque)
{
    async_done *a = opaque;
    a->calls++;
    a->ret = evirt_domain_resume_finish(op);
    a->code = a->ret < 0 ? evirt_op_error(op)->code : 0;
}

static void test_async(void **state)
{
    fixture *f = *state;
    async_done a = { 0 };
    evirt_op *op = evirt_domain_suspend_async(f->dom, suspend_done, &a);
    assert_non_null(op);
    /* Never from inside the call that started it. */
    assert_int_equal(a.calls, 0);
    for (int i = 0; i < 100 && !a.calls; i++)
        spin(f, 5);
    assert_int_equal(a.calls, 1);
    assert_int_equal(a.ret, 0);
    wait_events(f, 1);
    assert_lifecycle(f, 0, EVIRT_DOMAIN_EVENT_SUSPENDED,
                     EVIRT_DOMAIN_EVENT_SUSPENDED_PAUSED);

    /* A refused transition completes with its error, changing nothing. */
    async_done b = { 0 };
    assert_non_null(evirt_domain_suspend_async(f->dom, suspend_done, &b));
    for (int i = 0; i < 100 && !b.calls; i++)
        spin(f, 5);
    assert_int_equal(b.calls, 1);
    assert_int_equal(b.ret, -1);
    assert_int_equal(b.code, EVIRT_ERR_OPERATION_INVALID);
    assert_state(f->dom, EVIRT_DOMAIN_PAUSED, EVIRT_DOMAIN_PAUSED_USER);
    assert_no_new_events(f, 1);

    async_done c = { 0 };
    assert_non_null(evirt_domain_resume_async(f->dom, resume_done, &c));
    for (int i = 0; i < 100 && !c.calls; i++)
        spin(f, 5);
    assert_int_equal(c.ret, 0);
    wait_events(f, 2);
    assert_lifecycle(f, 1, EVIRT_DOMAIN_EVENT_RESUMED,
                     EVIRT_DOMAIN_EVENT_RESUMED_UNPAUSED);
}

/* Refusals are expected here; keep them out of the test output. */
static void quiet(void *userdata, const evirt_error *err)
{
    (void)userdata;
    (void)err;
}

int main(void)
{
    evirt_set_error_func(NULL, quiet);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_suspend_resume, setup, teardown),
        cmocka_unit_test_setup_teardown(test_destroy_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shutdown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_paused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reboot_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_restore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_paused_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_transient, setup, teardown),
        cmocka_unit_test_setup_teardown(test_managed_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_autostart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vcpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_block_job, setup, teardown),
        cmocka_unit_test_setup_teardown(test_async, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
