/*
 * drivers/test/test-domain-save.c - saving a test domain to a file,
 * restoring it, and managed save.
 *
 * A save image is a small text file of our own:
 *
 *     EvirtTestSaveImage
 *     paused 0|1
 *     <domain ...>...</domain>
 *
 * the domain's definition and whether it was paused, which is all a
 * test domain's "memory" is.  Restoring does not consume the file (as in
 * libvirt's test driver): the same image can be restored again once the
 * domain it made has stopped.
 *
 * The files are small and local, so they are read and written in the
 * entry itself, on the loop thread.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers/test/test-domain-ops.h"

#define SAVE_MAGIC "EvirtTestSaveImage\n"
/* A definition is a few KiB; anything this big is not our image. */
#define SAVE_MAX_BYTES (16 * 1024 * 1024)

/* ------------------------------------------------------- file format */

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes the image of def to path; fails op (SYSTEM_ERROR) on error. */
static bool image_write(evirt_op *op, const char *path,
                        const evirt_domain_def *def, bool paused)
{
    char *xml = evirt_domain_def_format(def, EVIRT_DOMAIN_DEF_FORMAT_SECURE |
                                             EVIRT_DOMAIN_DEF_FORMAT_INACTIVE);
    if (!xml) {
        test_fail_oom(op);
        return false;
    }
    char header[64];
    int hlen = snprintf(header, sizeof(header), SAVE_MAGIC "paused %d\n",
                        paused ? 1 : 0);

    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC,
                  S_IRUSR | S_IWUSR);
    if (fd < 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_SYSTEM_ERROR,
                      "cannot save domain '%s' to '%s': %s",
                      def->name, path, strerror(errno));
        free(xml);
        return false;
    }
    int rc = write_all(fd, header, (size_t)hlen);
    if (rc == 0)
        rc = write_all(fd, xml, strlen(xml));
    int err = errno;
    if (close(fd) < 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    free(xml);
    if (rc < 0) {
        unlink(path);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_SYSTEM_ERROR,
                      "cannot save domain '%s' to '%s': %s",
                      def->name, path, strerror(err));
        return false;
    }
    return true;
}

/* The whole file, NUL-terminated; fails op and returns NULL on error. */
static char *read_image_file(evirt_op *op, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_SYSTEM_ERROR,
                      "cannot read domain image '%s': %s", path,
                      strerror(errno));
        return NULL;
    }
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        if (len + 1 >= cap) {
            if (cap >= SAVE_MAX_BYTES) {
                close(fd);
                free(buf);
                evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                              "'%s' is not a saved test domain image", path);
                return NULL;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            close(fd);
            free(buf);
            evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_SYSTEM_ERROR,
                          "cannot read domain image '%s': %s", path,
                          strerror(err));
            return NULL;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    if (!buf) {
        test_fail_oom(op);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/*
 * Reads the image at path: its definition (caller frees) and paused flag.
 * Fails op and returns NULL on error.
 */
static evirt_domain_def *image_read(evirt_op *op, const char *path,
                                    bool *paused)
{
    char *buf = read_image_file(op, path);
    if (!buf)
        return NULL;
    const char *p = buf;
    int flag = -1;
    if (strncmp(p, SAVE_MAGIC, strlen(SAVE_MAGIC)) == 0) {
        p += strlen(SAVE_MAGIC);
        if (strncmp(p, "paused 0\n", 9) == 0)
            flag = 0;
        else if (strncmp(p, "paused 1\n", 9) == 0)
            flag = 1;
        p += 9;
    }
    if (flag < 0) {
        free(buf);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "'%s' is not a saved test domain image", path);
        return NULL;
    }
    evirt_error err = { 0 };
    evirt_domain_def *def =
        evirt_domain_def_parse_string(p, EVIRT_DOMAIN_DEF_PARSE_INACTIVE, &err);
    free(buf);
    if (!def) {
        evirt_op_fail_error(op, &err);
        evirt_error_reset(&err);
        return NULL;
    }
    *paused = flag == 1;
    return def;
}

/*
 * Parses dxml, the definition a caller wants in place of def in an image.
 * It must describe the same domain (name and UUID).  Fails op and
 * returns NULL otherwise.
 */
static evirt_domain_def *parse_replacement(evirt_op *op, const char *dxml,
                                           const evirt_domain_def *def)
{
    evirt_error err = { 0 };
    evirt_domain_def *repl =
        evirt_domain_def_parse_string(dxml, EVIRT_DOMAIN_DEF_PARSE_INACTIVE,
                                      &err);
    if (!repl) {
        evirt_op_fail_error(op, &err);
        evirt_error_reset(&err);
        return NULL;
    }
    if (memcmp(repl->uuid, def->uuid, 16) != 0) {
        char want[EVIRT_UUID_STRING_BUFLEN], got[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(def->uuid, want);
        evirt_uuid_format(repl->uuid, got);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "the replacement XML has uuid %s, the saved domain %s",
                      got, want);
        evirt_domain_def_free(repl);
        return NULL;
    }
    if (strcmp(repl->name, def->name) != 0) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "the replacement XML names domain '%s', the saved domain is '%s'",
                      repl->name, def->name);
        evirt_domain_def_free(repl);
        return NULL;
    }
    return repl;
}

/* The paused/running choice of SAVE_RUNNING / SAVE_PAUSED; -1 when none. */
static bool check_run_flags(evirt_op *op, unsigned int flags, int *want_paused)
{
    if (!test_dom_check_flags(op, flags,
                              EVIRT_DOMAIN_SAVE_BYPASS_CACHE |
                              EVIRT_DOMAIN_SAVE_RUNNING |
                              EVIRT_DOMAIN_SAVE_PAUSED))
        return false;
    if ((flags & EVIRT_DOMAIN_SAVE_RUNNING) && (flags & EVIRT_DOMAIN_SAVE_PAUSED)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_INVALID_ARG,
                      "the RUNNING and PAUSED flags are mutually exclusive");
        return false;
    }
    *want_paused = (flags & EVIRT_DOMAIN_SAVE_PAUSED) ? 1 :
                   (flags & EVIRT_DOMAIN_SAVE_RUNNING) ? 0 : -1;
    return true;
}

/* -------------------------------------------------------------- save */

void test_domain_save_flags(evirt_op *op, evirt_domain *d, const char *to,
                            const char *dxml, unsigned int flags)
{
    int want_paused;
    if (!check_run_flags(op, flags, &want_paused))
        return;
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    evirt_domain_def *repl = NULL;
    if (dxml && !(repl = parse_replacement(op, dxml, dom->def)))
        return;
    bool paused = want_paused >= 0 ? want_paused == 1
                                   : dom->state == EVIRT_DOMAIN_PAUSED;
    bool ok = image_write(op, to, repl ? repl : dom->def, paused);
    evirt_domain_def_free(repl);
    if (!ok)
        return;
    test_dom_stop_with_event(test_state_of(d->conn), dom,
                             EVIRT_DOMAIN_SHUTOFF_SAVED,
                             EVIRT_DOMAIN_EVENT_STOPPED_SAVED);
    evirt_op_return_void(op);
}

void test_domain_save(evirt_op *op, evirt_domain *d, const char *to)
{
    test_domain_save_flags(op, d, to, NULL, 0);
}

/* ----------------------------------------------------------- restore */

void test_domain_restore_flags(evirt_op *op, evirt_conn *c, const char *from,
                               const char *dxml, unsigned int flags)
{
    int want_paused;
    if (!check_run_flags(op, flags, &want_paused))
        return;
    bool paused;
    evirt_domain_def *def = image_read(op, from, &paused);
    if (!def)
        return;
    if (dxml) {
        evirt_domain_def *repl = parse_replacement(op, dxml, def);
        evirt_domain_def_free(def);
        if (!repl)
            return;
        def = repl;
    }
    if (want_paused >= 0)
        paused = want_paused == 1;

    test_state *st = test_state_of(c);
    test_domain *dom = test_state_find_by_uuid(st, def->uuid);
    test_domain *named = test_state_find_by_name(st, def->name);
    if (dom && test_domain_is_active(dom)) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "domain '%s' is already active", dom->def->name);
        evirt_domain_def_free(def);
        return;
    }
    if (named && named != dom) {
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(named->def->uuid, uuid);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_DOM_EXIST,
                      "domain '%s' already exists with uuid %s",
                      def->name, uuid);
        evirt_domain_def_free(def);
        return;
    }
    if (dom && strcmp(dom->def->name, def->name) != 0) {
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(def->uuid, uuid);
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_DOM_EXIST,
                      "domain '%s' is already defined with uuid %s",
                      dom->def->name, uuid);
        evirt_domain_def_free(def);
        return;
    }

    if (dom) {
        /* A defined domain runs the image's definition and keeps its own
         * as the config it returns to when it stops. */
        evirt_domain_def_free(dom->new_def);
        dom->new_def = dom->def;
        dom->def = def;
    } else {
        dom = test_state_add_domain(st, def);
        if (!dom) {
            evirt_domain_def_free(def);
            test_fail_oom(op);
            return;
        }
    }
    test_dom_start_with_events(st, dom, EVIRT_DOMAIN_RUNNING_RESTORED,
                               EVIRT_DOMAIN_EVENT_STARTED_RESTORED, paused);
    evirt_op_return_void(op);
}

void test_domain_restore(evirt_op *op, evirt_conn *c, const char *from)
{
    test_domain_restore_flags(op, c, from, NULL, 0);
}

/* ------------------------------------------------------- managed save */

void test_domain_managed_save(evirt_op *op, evirt_domain *d, unsigned int flags)
{
    int want_paused;
    if (!check_run_flags(op, flags, &want_paused))
        return;
    test_domain *dom = test_domain_running(op, d);
    if (!dom)
        return;
    if (!dom->persistent) {
        evirt_op_fail(op, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_INVALID,
                      "cannot do managed save for transient domain");
        return;
    }
    /* The image lives in memory: the flag is all a later start needs. */
    dom->has_managed_save = true;
    test_dom_stop_with_event(test_state_of(d->conn), dom,
                             EVIRT_DOMAIN_SHUTOFF_SAVED,
                             EVIRT_DOMAIN_EVENT_STOPPED_SAVED);
    evirt_op_return_void(op);
}

void test_domain_managed_save_remove(evirt_op *op, evirt_domain *d,
                                     unsigned int flags)
{
    if (!test_dom_check_flags(op, flags, 0))
        return;
    test_domain *dom = test_domain_from_handle(op, d);
    if (!dom)
        return;
    /* Removing an image that is not there is not an error (libvirt). */
    dom->has_managed_save = false;
    evirt_op_return_void(op);
}
