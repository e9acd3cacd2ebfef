/*
 * api/error.c - error values, the per-thread last error and the
 * process-wide error handler.
 */
#include <config.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/error-private.h"
#include "api/log-private.h"

#define EVIRT_LOG_CATEGORY "evirt.error"

/*
 * Used when even the message cannot be allocated.  evirt_error_reset()
 * recognises it by address and never frees it.
 */
static char oom_message[] = "out of memory";

/* Our own wording, indexed by code.  Applications that show these match
 * them by meaning, so keep each text's meaning when editing. */
static const char *const code_names[] = {
    [EVIRT_ERR_OK] = "no error",
    [EVIRT_ERR_INTERNAL_ERROR] = "internal error",
    [EVIRT_ERR_NO_MEMORY] = "out of memory",
    [EVIRT_ERR_NO_SUPPORT] = "operation not supported by this driver",
    [EVIRT_ERR_UNKNOWN_HOST] = "unknown host",
    [EVIRT_ERR_NO_CONNECT] = "no connection driver available",
    [EVIRT_ERR_INVALID_CONN] = "invalid connection object",
    [EVIRT_ERR_INVALID_DOMAIN] = "invalid domain object",
    [EVIRT_ERR_INVALID_ARG] = "invalid argument",
    [EVIRT_ERR_OPERATION_FAILED] = "operation failed",
    [EVIRT_ERR_GET_FAILED] = "GET request failed",
    [EVIRT_ERR_POST_FAILED] = "POST request failed",
    [EVIRT_ERR_HTTP_ERROR] = "unexpected HTTP status",
    [EVIRT_ERR_SEXPR_SERIAL] = "S-expression serialization failed",
    [EVIRT_ERR_NO_XEN] = "cannot reach the Xen hypervisor",
    [EVIRT_ERR_XEN_CALL] = "Xen hypervisor call failed",
    [EVIRT_ERR_OS_TYPE] = "unknown OS type",
    [EVIRT_ERR_NO_KERNEL] = "no kernel given",
    [EVIRT_ERR_NO_ROOT] = "no root device given",
    [EVIRT_ERR_NO_SOURCE] = "no source device given",
    [EVIRT_ERR_NO_TARGET] = "no target device given",
    [EVIRT_ERR_NO_NAME] = "no name given",
    [EVIRT_ERR_NO_OS] = "no OS section given",
    [EVIRT_ERR_NO_DEVICE] = "no device given",
    [EVIRT_ERR_NO_XENSTORE] = "cannot reach the Xen store",
    [EVIRT_ERR_DRIVER_FULL] = "too many drivers registered",
    [EVIRT_ERR_CALL_FAILED] = "call not supported by the hypervisor",
    [EVIRT_ERR_XML_ERROR] = "XML description is invalid",
    [EVIRT_ERR_DOM_EXIST] = "domain already exists",
    [EVIRT_ERR_OPERATION_DENIED] = "operation forbidden",
    [EVIRT_ERR_OPEN_FAILED] = "cannot open file",
    [EVIRT_ERR_READ_FAILED] = "cannot read file",
    [EVIRT_ERR_PARSE_FAILED] = "cannot parse file",
    [EVIRT_ERR_CONF_SYNTAX] = "configuration file syntax error",
    [EVIRT_ERR_WRITE_FAILED] = "cannot write file",
    [EVIRT_ERR_XML_DETAIL] = "XML error",
    [EVIRT_ERR_INVALID_NETWORK] = "invalid network object",
    [EVIRT_ERR_NETWORK_EXIST] = "network already exists",
    [EVIRT_ERR_SYSTEM_ERROR] = "system call failed",
    [EVIRT_ERR_RPC] = "RPC error",
    [EVIRT_ERR_GNUTLS_ERROR] = "TLS error",
    [EVIRT_WAR_NO_NETWORK] = "network driver unavailable",
    [EVIRT_ERR_NO_DOMAIN] = "domain not found",
    [EVIRT_ERR_NO_NETWORK] = "network not found",
    [EVIRT_ERR_INVALID_MAC] = "invalid MAC address",
    [EVIRT_ERR_AUTH_FAILED] = "authentication failed",
    [EVIRT_ERR_INVALID_STORAGE_POOL] = "invalid storage pool object",
    [EVIRT_ERR_INVALID_STORAGE_VOL] = "invalid storage volume object",
    [EVIRT_WAR_NO_STORAGE] = "storage driver unavailable",
    [EVIRT_ERR_NO_STORAGE_POOL] = "storage pool not found",
    [EVIRT_ERR_NO_STORAGE_VOL] = "storage volume not found",
    [EVIRT_WAR_NO_NODE] = "node device driver unavailable",
    [EVIRT_ERR_INVALID_NODE_DEVICE] = "invalid node device object",
    [EVIRT_ERR_NO_NODE_DEVICE] = "node device not found",
    [EVIRT_ERR_NO_SECURITY_MODEL] = "security model not found",
    [EVIRT_ERR_OPERATION_INVALID] = "operation not valid in this state",
    [EVIRT_WAR_NO_INTERFACE] = "interface driver unavailable",
    [EVIRT_ERR_NO_INTERFACE] = "interface not found",
    [EVIRT_ERR_INVALID_INTERFACE] = "invalid interface object",
    [EVIRT_ERR_MULTIPLE_INTERFACES] = "more than one interface matches",
    [EVIRT_WAR_NO_NWFILTER] = "network filter driver unavailable",
    [EVIRT_ERR_INVALID_NWFILTER] = "invalid network filter object",
    [EVIRT_ERR_NO_NWFILTER] = "network filter not found",
    [EVIRT_ERR_BUILD_FIREWALL] = "cannot build firewall rules",
    [EVIRT_WAR_NO_SECRET] = "secret driver unavailable",
    [EVIRT_ERR_INVALID_SECRET] = "invalid secret object",
    [EVIRT_ERR_NO_SECRET] = "secret not found",
    [EVIRT_ERR_CONFIG_UNSUPPORTED] = "configuration not supported",
    [EVIRT_ERR_OPERATION_TIMEOUT] = "operation timed out",
    [EVIRT_ERR_MIGRATE_PERSIST_FAILED] = "cannot make the migrated domain persistent",
    [EVIRT_ERR_HOOK_SCRIPT_FAILED] = "hook script failed",
    [EVIRT_ERR_INVALID_DOMAIN_SNAPSHOT] = "invalid snapshot object",
    [EVIRT_ERR_NO_DOMAIN_SNAPSHOT] = "snapshot not found",
    [EVIRT_ERR_INVALID_STREAM] = "invalid stream object",
    [EVIRT_ERR_ARGUMENT_UNSUPPORTED] = "argument not supported",
    [EVIRT_ERR_STORAGE_PROBE_FAILED] = "storage probe failed",
    [EVIRT_ERR_STORAGE_POOL_BUILT] = "storage pool already built",
    [EVIRT_ERR_SNAPSHOT_REVERT_RISKY] = "reverting to this snapshot needs force",
    [EVIRT_ERR_OPERATION_ABORTED] = "operation aborted",
    [EVIRT_ERR_AUTH_CANCELLED] = "authentication cancelled",
    [EVIRT_ERR_NO_DOMAIN_METADATA] = "metadata not found",
    [EVIRT_ERR_MIGRATE_UNSAFE] = "migration is unsafe",
    [EVIRT_ERR_OVERFLOW] = "value too large",
    [EVIRT_ERR_BLOCK_COPY_ACTIVE] = "a block copy job is active",
    [EVIRT_ERR_OPERATION_UNSUPPORTED] = "operation not supported",
    [EVIRT_ERR_SSH] = "SSH transport error",
    [EVIRT_ERR_AGENT_UNRESPONSIVE] = "guest agent not responding",
    [EVIRT_ERR_RESOURCE_BUSY] = "resource busy",
    [EVIRT_ERR_ACCESS_DENIED] = "access denied",
    [EVIRT_ERR_DBUS_SERVICE] = "D-Bus service error",
    [EVIRT_ERR_STORAGE_VOL_EXIST] = "storage volume already exists",
    [EVIRT_ERR_CPU_INCOMPATIBLE] = "CPU is incompatible",
    [EVIRT_ERR_XML_INVALID_SCHEMA] = "XML does not match the schema",
    [EVIRT_ERR_MIGRATE_FINISH_OK] = "migration finished but a later step failed",
    [EVIRT_ERR_AUTH_UNAVAILABLE] = "authentication unavailable",
    [EVIRT_ERR_NO_SERVER] = "server not found",
    [EVIRT_ERR_NO_CLIENT] = "client not found",
    [EVIRT_ERR_AGENT_UNSYNCED] = "guest agent out of sync",
    [EVIRT_ERR_LIBSSH] = "libssh transport error",
    [EVIRT_ERR_DEVICE_MISSING] = "device not found",
    [EVIRT_ERR_INVALID_NWFILTER_BINDING] = "invalid network filter binding object",
    [EVIRT_ERR_NO_NWFILTER_BINDING] = "network filter binding not found",
    [EVIRT_ERR_INVALID_DOMAIN_CHECKPOINT] = "invalid checkpoint object",
    [EVIRT_ERR_NO_DOMAIN_CHECKPOINT] = "checkpoint not found",
    [EVIRT_ERR_NO_DOMAIN_BACKUP] = "backup job not found",
    [EVIRT_ERR_INVALID_NETWORK_PORT] = "invalid network port object",
    [EVIRT_ERR_NETWORK_PORT_EXIST] = "network port already exists",
    [EVIRT_ERR_NO_NETWORK_PORT] = "network port not found",
    [EVIRT_ERR_NO_HOSTNAME] = "no hostname found",
    [EVIRT_ERR_CHECKPOINT_INCONSISTENT] = "checkpoint is inconsistent",
    [EVIRT_ERR_MULTIPLE_DOMAINS] = "more than one domain matches",
};

const char *
evirt_error_code_name(int code)
{
    if (code < 0 || (size_t)code >= sizeof(code_names) / sizeof(code_names[0]) ||
        !code_names[code])
        return "unknown error";
    return code_names[code];
}

static void
free_str(char *s)
{
    if (s != oom_message)
        free(s);
}

void
evirt_error_reset(evirt_error *err)
{
    if (!err)
        return;
    free_str(err->message);
    free(err->str1);
    free(err->str2);
    free(err->str3);
    memset(err, 0, sizeof(*err));
}

static void
set_oom(evirt_error *err, int domain)
{
    memset(err, 0, sizeof(*err));
    err->code = EVIRT_ERR_NO_MEMORY;
    err->domain = domain;
    err->level = EVIRT_ERR_ERROR;
    err->message = oom_message;
}

void
evirt_error_setv(evirt_error *err, int domain, int code,
                 const char *fmt, va_list ap)
{
    const char *text = evirt_error_code_name(code);
    char *detail = NULL;
    char *message = NULL;
    char *str1 = NULL;

    if (!err)
        return;
    evirt_error_reset(err);

    if (fmt && vasprintf(&detail, fmt, ap) < 0)
        goto oom;
    if (detail && code == EVIRT_ERR_XML_DETAIL) {
        /* Parser messages already say where and what ("(domain_definition):4:
         * ..."), and applications show them as libvirt gives them: alone. */
        if (!(message = strdup(detail)))
            goto oom;
    } else if (detail) {
        if (asprintf(&message, "%s: %s", text, detail) < 0)
            goto oom;
    } else if (!(message = strdup(text))) {
        goto oom;
    }
    if (!(str1 = strdup(text)))
        goto oom;

    err->code = code;
    err->domain = domain;
    err->level = EVIRT_ERR_ERROR;
    err->message = message;
    err->str1 = str1;
    err->str2 = detail;
    return;

 oom:
    free(detail);
    free(message);
    free(str1);
    set_oom(err, domain);
}

void
evirt_error_set(evirt_error *err, int domain, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    evirt_error_setv(err, domain, code, fmt, ap);
    va_end(ap);
}

void
evirt_error_move(evirt_error *dst, evirt_error *src)
{
    if (!dst || dst == src)
        return;
    evirt_error_reset(dst);
    if (!src)
        return;
    *dst = *src;
    memset(src, 0, sizeof(*src));
}

static int
dup_field(char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    if (src == oom_message) {
        *dst = oom_message;
        return 0;
    }
    return (*dst = strdup(src)) ? 0 : -1;
}

int
evirt_error_copy(evirt_error *dst, const evirt_error *src)
{
    if (!dst)
        return -1;
    if (!src) {
        memset(dst, 0, sizeof(*dst));
        return 0;
    }
    *dst = *src;
    dst->message = dst->str1 = dst->str2 = dst->str3 = NULL;
    if (dup_field(&dst->message, src->message) < 0 ||
        dup_field(&dst->str1, src->str1) < 0 ||
        dup_field(&dst->str2, src->str2) < 0 ||
        dup_field(&dst->str3, src->str3) < 0) {
        evirt_error_reset(dst);
        set_oom(dst, src->domain);
        return -1;
    }
    return 0;
}

/* ---- per-thread last error ------------------------------------------ */

/* A pthread key rather than bare __thread so a thread's last error is
 * freed when the thread exits. */
static pthread_key_t last_error_key;
static pthread_once_t last_error_once = PTHREAD_ONCE_INIT;
static int last_error_key_ok;

static void
last_error_free(void *data)
{
    evirt_error *err = data;

    evirt_error_reset(err);
    free(err);
}

static void
last_error_init(void)
{
    last_error_key_ok = pthread_key_create(&last_error_key, last_error_free) == 0;
}

/* This thread's slot, created on demand when create is set. */
static evirt_error *
last_error_slot(int create)
{
    evirt_error *err;

    pthread_once(&last_error_once, last_error_init);
    if (!last_error_key_ok)
        return NULL;
    err = pthread_getspecific(last_error_key);
    if (!err && create) {
        err = calloc(1, sizeof(*err));
        if (err && pthread_setspecific(last_error_key, err) != 0) {
            free(err);
            err = NULL;
        }
    }
    return err;
}

const evirt_error *
evirt_last_error(void)
{
    evirt_error *err = last_error_slot(0);

    return err && err->code != EVIRT_ERR_OK ? err : NULL;
}

void
evirt_reset_last_error(void)
{
    evirt_error_reset(last_error_slot(0));
}

/* ---- process-wide handler ------------------------------------------- */

static pthread_mutex_t handler_lock = PTHREAD_MUTEX_INITIALIZER;
static evirt_error_func handler_func;
static void *handler_data;

void
evirt_set_error_func(void *userdata, evirt_error_func handler)
{
    pthread_mutex_lock(&handler_lock);
    handler_func = handler;
    handler_data = handler ? userdata : NULL;
    pthread_mutex_unlock(&handler_lock);
}

static void
default_handler(const evirt_error *err)
{
    EVIRT_ERROR("%s", err->message ? err->message : evirt_error_code_name(err->code));
}

static void
call_handler(const evirt_error *err)
{
    evirt_error_func func;
    void *data;

    /* Read under the lock, call outside it: the handler may itself
     * set a new handler or raise errors. */
    pthread_mutex_lock(&handler_lock);
    func = handler_func;
    data = handler_data;
    pthread_mutex_unlock(&handler_lock);

    if (func)
        func(data, err);
    else
        default_handler(err);
}

void
evirt_error_set_last(const evirt_error *err)
{
    evirt_error *slot;

    if (!err || err->code == EVIRT_ERR_OK) {
        evirt_reset_last_error();
        return;
    }
    slot = last_error_slot(1);
    if (slot) {
        /* err may be the slot itself (re-raising the last error). */
        if (slot != err) {
            evirt_error_reset(slot);
            evirt_error_copy(slot, err);
        }
    }
    /* The caller's err, not the slot: a handler that raises another error
     * would otherwise see its argument change under it. */
    call_handler(err);
}

void
evirt_error_report(int domain, int code, const char *fmt, ...)
{
    evirt_error err = { 0 };
    va_list ap;

    va_start(ap, fmt);
    evirt_error_setv(&err, domain, code, fmt, ap);
    va_end(ap);
    evirt_error_set_last(&err);
    evirt_error_reset(&err);
}
