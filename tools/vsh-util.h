/*
 * tools/vsh-util.h - the shapes the object commands share: run one
 * operation on a looked-up object and report it, make an object from an
 * XML file, and the --all / --inactive list filter.
 *
 * Objects are passed as void * so that one runner serves domains,
 * networks, pools, interfaces and node devices; each command file
 * describes its object type once in a vsh_kind.
 */
#ifndef EVIRT_TOOLS_VSH_UTIL_H
#define EVIRT_TOOLS_VSH_UTIL_H

#include <stddef.h>

#include "tools/vsh.h"

typedef struct vsh_kind {
    const char *noun;   /* lower case, in "Failed to <verb> <noun> <name>" */
    const char *title;  /* capitalised, starting "<title> <name> <done>" */
    int quote_name;     /* print the name as '<name>' (domains) */
    /* The command's object, or NULL after printing "failed to get ...". */
    void *(*lookup)(vsh_ctl *ctl, const vsh_cmd *cmd);
    const char *(*name)(void *obj);
    void (*unref)(void *obj);
} vsh_kind;

/*
 * Defines var, a static vsh_kind for the handles of the evirt_<prefix>_*
 * functions: lookup(ctl, cmd) finds the command's one (printing the
 * error), prefix##_get_name names it and prefix##_unref releases it.
 */
#define VSH_KIND(var, prefix, noun, title, quote_name, lookup) \
    static void *var##_lookup(vsh_ctl *ctl, const vsh_cmd *cmd) \
    { \
        return lookup(ctl, cmd); \
    } \
    static const char *var##_name(void *obj) \
    { \
        return prefix##_get_name(obj); \
    } \
    static void var##_unref(void *obj) \
    { \
        prefix##_unref(obj); \
    } \
    static const vsh_kind var = { \
        noun, title, quote_name, var##_lookup, var##_name, var##_unref, \
    }

/* Defines fn, an action that ignores the command's options and returns
 * call, an expression of the handle obj. */
#define VSH_SIMPLE_ACTION(fn, call) \
    static int fn(void *obj, const vsh_cmd *cmd) \
    { \
        (void)cmd; \
        return call; \
    }

/* One command acting on one object; act returns < 0 on failure. */
typedef struct vsh_action {
    const char *name;   /* the command's name */
    int (*act)(void *obj, const vsh_cmd *cmd);
    const char *done;   /* "<title> <name> <done>" */
    const char *verb;   /* "Failed to <verb> <noun> <name>" */
} vsh_action;

/*
 * Finds cmd's entry in actions[n], looks its object up, runs it and
 * prints the outcome.  Returns 0, or -1 after printing the error.
 */
int vsh_run_action(vsh_ctl *ctl, const vsh_cmd *cmd, const vsh_kind *kind,
                   const vsh_action *actions, size_t n);

/*
 * Prints the outcome of an operation on obj: "<title> <name> <done>" or
 * "Failed to <verb> <noun> <name>" plus the error when ret < 0.  Does not
 * take obj.  Returns 0 or -1.
 */
int vsh_report_action(const vsh_kind *kind, void *obj, int ret,
                      const char *verb, const char *done);

/* Makes an object from XML text: the new handle, or NULL on error. */
typedef void *(*vsh_make_fn)(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd);

/*
 * Reads the command's "file" option, makes an object of it and prints
 * "<title> <name> <done> from <file>" (done: "defined", "created"), or
 * "Failed to <verb> <noun> from <file>" and the error.  Returns 0 / -1.
 */
int vsh_from_file(vsh_ctl *ctl, const vsh_cmd *cmd, const vsh_kind *kind,
                  vsh_make_fn make, const char *verb, const char *done);

/*
 * Prints xml (taking it) as vsh_print_doc does and returns 0; NULL xml:
 * prints the last error and returns -1.
 */
int vsh_print_xml(char *xml);

/*
 * net-autostart and pool-autostart: set(obj, on), on unless --disable,
 * then "<title> <name> marked as autostarted" (or unmarked), or "failed
 * to mark <noun> <name> as autostarted" and the error.  Returns 0 / -1.
 */
int vsh_set_autostart(vsh_ctl *ctl, const vsh_cmd *cmd, const vsh_kind *kind,
                      int (*set)(void *obj, int on));

/* The list flags for --all (none), --inactive (inactive) or neither
 * (active). */
unsigned int vsh_list_flags(const vsh_cmd *cmd, unsigned int active,
                            unsigned int inactive);

#endif
