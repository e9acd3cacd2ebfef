/*
 * tools/vsh.h - the insides of the `evirt` command-line client: the
 * command table, parsed options, and the helpers every command uses.
 *
 * The client is a plain user of the public sync API: each command is a
 * few sync calls on one connection, opened on the default loop the first
 * time a command needs it.  Output mirrors virsh's layout so that scripts
 * and eyes used to virsh read it without surprise.
 */
#ifndef EVIRT_TOOLS_VSH_H
#define EVIRT_TOOLS_VSH_H

#include <stdio.h>
#include <evirt/evirt.h>

#define VSH_MAX_OPTS 12

typedef enum {
    VSH_OPT_BOOL,   /* --name */
    VSH_OPT_STRING, /* --name VALUE, --name=VALUE, or positional */
    VSH_OPT_INT,    /* like STRING, checked to be a non-negative integer */
} vsh_opt_type;

enum {
    VSH_OFLAG_REQUIRED   = 1 << 0,
    VSH_OFLAG_POSITIONAL = 1 << 1, /* may be given without its --name */
};

typedef struct vsh_opt_def {
    const char *name;
    vsh_opt_type type;
    unsigned int flags;
    const char *help;
} vsh_opt_def;

typedef struct vsh_ctl vsh_ctl;
typedef struct vsh_cmd vsh_cmd;

typedef struct vsh_cmd_def {
    const char *name;
    /* Returns 0 on success, -1 after printing its error. */
    int (*run)(vsh_ctl *ctl, const vsh_cmd *cmd);
    const vsh_opt_def *opts; /* terminated by a NULL name */
    const char *summary;
    const char *description; /* may be NULL */
    int no_conn;             /* the command does not need a connection */
} vsh_cmd_def;

/* One parsed command: for every option of def, its value or NULL. */
struct vsh_cmd {
    const vsh_cmd_def *def;
    const char *values[VSH_MAX_OPTS];
};

/* Events subscribed by `event` and waited for at the end of the line. */
typedef struct vsh_event_watch vsh_event_watch;

struct vsh_ctl {
    const char *uri;    /* as given; NULL: the library's default */
    int readonly;
    int quiet;          /* -q: no table headers, no blank lines */
    evirt_conn *conn;   /* opened on first need */
    int conn_failed;    /* the open failed once: do not retry */
    vsh_event_watch *events; /* an `event` waiting for the line to end */
    int more_follow;    /* more commands follow the running one */
};

/* The command tables of each group (NULL-name terminated). */
extern const vsh_cmd_def vsh_domain_cmds[];
extern const vsh_cmd_def vsh_host_cmds[];
extern const vsh_cmd_def vsh_event_cmds[];
extern const vsh_cmd_def vsh_network_cmds[];
extern const vsh_cmd_def vsh_storage_cmds[];
extern const vsh_cmd_def vsh_interface_cmds[];
extern const vsh_cmd_def vsh_nodedev_cmds[];

/* Looks a command up in every group; NULL when unknown. */
const vsh_cmd_def *vsh_cmd_find(const char *name);

/* Option values of a parsed command. */
const char *vsh_opt_string(const vsh_cmd *cmd, const char *name);
int vsh_opt_bool(const vsh_cmd *cmd, const char *name);
/* The value as an int in *out; 0 when set, 1 when absent, -1 after error. */
int vsh_opt_int(const vsh_cmd *cmd, const char *name, int *out);

/* The connection, opened on first use; NULL after printing the error. */
evirt_conn *vsh_conn(vsh_ctl *ctl);

/*
 * Finds a domain as virsh does: by id when the text is a number, then by
 * UUID, then by name.  Prints "failed to get domain" and returns NULL
 * when none matches.  The caller unrefs the handle.
 */
evirt_domain *vsh_lookup_domain(vsh_ctl *ctl, const char *text);
/* The domain named by the command's "domain" option. */
evirt_domain *vsh_cmd_domain(vsh_ctl *ctl, const vsh_cmd *cmd);

/*
 * Prints "error: <context>" (when fmt is not NULL) and then the last
 * error of this thread's sync calls as "error: <message>", to stderr.
 */
void vsh_error(const char *fmt, ...) EVIRT_PRINTF(1, 2);
/* Prints only "error: <formatted text>". */
void vsh_error_plain(const char *fmt, ...) EVIRT_PRINTF(1, 2);

/* Reads a whole file into a new string; NULL after printing the error. */
char *vsh_read_file(const char *path);

/* Prints an XML document (or any text), ending its last line. */
void vsh_print_doc(const char *doc);

/* virsh's words for states, reasons and events. */
const char *vsh_state_str(int state);
const char *vsh_state_reason_str(int state, int reason);
const char *vsh_event_str(int event);
const char *vsh_event_detail_str(int event, int detail);

/* Waits for a pending `event` to finish, prints its summary, frees it.
 * Returns the command's status (0 / -1).  No-op without one. */
int vsh_event_finish(vsh_ctl *ctl);

#endif
