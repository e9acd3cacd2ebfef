/*
 * daemon/config.h - evirtd's configuration file.
 *
 * Same key names and syntax as libvirtd.conf, so an administrator's
 * habits carry over:
 *     # comment
 *     key = "string"        (or 'string')
 *     key = 42              (integer, may be negative)
 *     key = [ "a", "b" ]    (list of strings; may span lines)
 * Every key evirtd does not know, every value of the wrong type and every
 * value out of range is an error naming the file and line.
 */
#ifndef EVIRTD_CONFIG_H
#define EVIRTD_CONFIG_H

#include <sys/types.h>
#include <evirt/error.h>

/* Authentication schemes of auth_unix_ro / auth_unix_rw / auth_tcp. */
typedef enum {
    EVIRTD_AUTH_NONE = 0,   /* libvirt's REMOTE_AUTH_NONE */
    EVIRTD_AUTH_SASL = 1,   /* REMOTE_AUTH_SASL */
    EVIRTD_AUTH_POLKIT = 2, /* REMOTE_AUTH_POLKIT */
} evirtd_auth;

typedef struct evirtd_config {
    int listen_tcp;             /* 0 */
    char *tcp_port;             /* "16509" */
    char *listen_addr;          /* NULL: every address */
    char *unix_sock_dir;        /* EVIRTD_DEFAULT_SOCK_DIR */
    char *unix_sock_group;      /* NULL: the daemon's group */
    mode_t unix_sock_ro_perms;  /* 0777 */
    mode_t unix_sock_rw_perms;  /* 0700 */
    evirtd_auth auth_unix_ro;   /* none */
    evirtd_auth auth_unix_rw;   /* none */
    evirtd_auth auth_tcp;       /* sasl, as libvirtd */
    int auth_tcp_explicit;      /* auth_tcp was set in the file */
    int max_clients;            /* 5000 */
    int max_client_requests;    /* 5 */
    int max_workers;            /* 20 (accepted; handlers run on the loop) */
    int log_level;              /* 0: unset */
    char *log_filters;          /* NULL: unset */
    char *log_outputs;          /* NULL: unset */
    int keepalive_interval;     /* 5; -1 never ping */
    int keepalive_count;        /* 5 */
    int test_driver_shared;     /* 1: one test:///default for all clients */
} evirtd_config;

#ifndef EVIRTD_DEFAULT_SOCK_DIR
#define EVIRTD_DEFAULT_SOCK_DIR "/run/evirt"
#endif

/* Fills cfg with the defaults above.  Returns 0, or -1 out of memory. */
int evirtd_config_init(evirtd_config *cfg);
/* Frees what cfg holds. */
void evirtd_config_clear(evirtd_config *cfg);

/*
 * Applies the settings in text (name is used in messages) on top of what
 * cfg holds.  Returns 0, or -1 with err set (code CONF_SYNTAX, domain
 * CONF, message "configuration file syntax error: NAME:LINE: ...").  On
 * failure cfg may hold some of the file's settings.
 */
int evirtd_config_parse(evirtd_config *cfg, const char *text,
                        const char *name, evirt_error *err);

/* Reads path and parses it.  -1 with err set (also for an unreadable file). */
int evirtd_config_load(evirtd_config *cfg, const char *path,
                       evirt_error *err);

/*
 * Checks the combination before the daemon starts: listen_tcp without an
 * explicit auth_tcp = "none" is refused (SASL is not available, and
 * libvirtd never serves plain TCP without authentication unless told),
 * as is any auth scheme other than "none" (not implemented yet).
 * listen is nonzero when --listen was given.  0 or -1 with err set.
 */
int evirtd_config_check(const evirtd_config *cfg, int listen,
                        evirt_error *err);

/* "none", "sasl", "polkit". */
const char *evirtd_auth_name(evirtd_auth auth);

#endif
