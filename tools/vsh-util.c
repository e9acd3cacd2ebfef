/*
 * tools/vsh-util.c - the object-command shapes shared by the command
 * files (see vsh-util.h).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/vsh-util.h"

int vsh_report_action(const vsh_kind *kind, void *obj, int ret,
                      const char *verb, const char *done)
{
    const char *q = kind->quote_name ? "'" : "";
    const char *name = kind->name(obj);

    if (ret < 0) {
        vsh_error("Failed to %s %s %s%s%s", verb, kind->noun, q, name, q);
        return -1;
    }
    printf("%s %s%s%s %s\n", kind->title, q, name, q, done);
    return 0;
}

int vsh_run_action(vsh_ctl *ctl, const vsh_cmd *cmd, const vsh_kind *kind,
                   const vsh_action *actions, size_t n)
{
    const vsh_action *a = NULL;

    for (size_t i = 0; i < n && !a; i++)
        if (strcmp(actions[i].name, cmd->def->name) == 0)
            a = &actions[i];
    if (!a)
        return -1;

    void *obj = kind->lookup(ctl, cmd);
    if (!obj)
        return -1;
    int ret = vsh_report_action(kind, obj, a->act(obj, cmd), a->verb, a->done);
    kind->unref(obj);
    return ret;
}

int vsh_from_file(vsh_ctl *ctl, const vsh_cmd *cmd, const vsh_kind *kind,
                  vsh_make_fn make, const char *verb, const char *done)
{
    const char *file = vsh_opt_string(cmd, "file");
    char *xml = vsh_read_file(file);

    if (!xml)
        return -1;
    void *obj = make(ctl, xml, cmd);
    free(xml);
    if (!obj) {
        vsh_error("Failed to %s %s from %s", verb, kind->noun, file);
        return -1;
    }
    const char *q = kind->quote_name ? "'" : "";
    printf("%s %s%s%s %s from %s\n", kind->title, q, kind->name(obj), q, done,
           file);
    kind->unref(obj);
    return 0;
}

int vsh_print_xml(char *xml)
{
    if (!xml) {
        vsh_error(NULL);
        return -1;
    }
    vsh_print_doc(xml);
    free(xml);
    return 0;
}

int vsh_set_autostart(vsh_ctl *ctl, const vsh_cmd *cmd, const vsh_kind *kind,
                      int (*set)(void *obj, int on))
{
    int on = !vsh_opt_bool(cmd, "disable");
    void *obj = kind->lookup(ctl, cmd);

    if (!obj)
        return -1;
    int ret = set(obj, on);
    if (ret < 0)
        vsh_error("failed to %s %s %s as autostarted", on ? "mark" : "unmark",
                  kind->noun, kind->name(obj));
    else
        printf("%s %s %s as autostarted\n", kind->title, kind->name(obj),
               on ? "marked" : "unmarked");
    kind->unref(obj);
    return ret < 0 ? -1 : 0;
}

unsigned int vsh_list_flags(const vsh_cmd *cmd, unsigned int active,
                            unsigned int inactive)
{
    if (vsh_opt_bool(cmd, "all"))
        return 0;
    if (vsh_opt_bool(cmd, "inactive"))
        return inactive;
    return active;
}
