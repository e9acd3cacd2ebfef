/*
 * tools/cmd-interface.c - host interface commands: iface-list,
 * iface-dumpxml, iface-define, iface-undefine, iface-start,
 * iface-destroy, iface-mac, iface-name, and the configuration
 * transaction (iface-begin, iface-commit, iface-rollback).
 */
#include <config.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/vsh.h"
#include "tools/vsh-table.h"
#include "tools/vsh-util.h"

#define IFACE_OPT \
    { "interface", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "interface name or MAC address" }
#define END_OPTS { NULL, 0, 0, NULL }

/* Six pairs of hex digits separated by ':' (what virsh takes for a MAC). */
static int looks_like_mac(const char *s)
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)s[0]))
            return 0;
        s += isxdigit((unsigned char)s[1]) ? 2 : 1;
        if (*s != (i < 5 ? ':' : '\0'))
            return 0;
        if (i < 5)
            s++;
    }
    return 1;
}

enum { BY_NAME = 1, BY_MAC = 2 };

/* An interface by MAC when the text is one (and by allows), else by name. */
static evirt_interface *lookup_iface(vsh_ctl *ctl, const char *text, int by)
{
    evirt_interface *iface;

    if ((by & BY_MAC) && (!(by & BY_NAME) || looks_like_mac(text)))
        iface = evirt_interface_lookup_by_mac_string(ctl->conn, text);
    else
        iface = evirt_interface_lookup_by_name(ctl->conn, text);
    if (!iface)
        vsh_error("failed to get interface '%s'", text);
    return iface;
}

static evirt_interface *cmd_iface(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return lookup_iface(ctl, vsh_opt_string(cmd, "interface"),
                        BY_NAME | BY_MAC);
}

VSH_KIND(iface_kind, evirt_interface, "interface", "Interface", 0,
         cmd_iface);

/* ---- iface-list ----------------------------------------------------------- */

static int iface_cmp(const void *a, const void *b)
{
    return strcasecmp(evirt_interface_get_name(*(evirt_interface *const *)a),
                      evirt_interface_get_name(*(evirt_interface *const *)b));
}

static int cmd_iface_list(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    unsigned int flags =
        vsh_list_flags(cmd, EVIRT_CONNECT_LIST_INTERFACES_ACTIVE,
                       EVIRT_CONNECT_LIST_INTERFACES_INACTIVE);
    evirt_interface **ifaces = NULL;
    vsh_table *table = NULL;
    int ret = -1;

    int n = evirt_conn_list_all_interfaces(ctl->conn, flags, &ifaces);
    if (n < 0) {
        vsh_error("Failed to list interfaces");
        return -1;
    }
    qsort(ifaces, (size_t)n, sizeof(*ifaces), iface_cmp);

    if (!(table = vsh_table_new("Name", "State", "MAC Address", NULL)))
        goto oom;
    for (int i = 0; i < n; i++) {
        int active = evirt_interface_is_active(ifaces[i]);
        const char *mac = evirt_interface_get_mac_string(ifaces[i]);
        if (vsh_table_add_row(table, evirt_interface_get_name(ifaces[i]),
                              active < 0 ? "unknown"
                                         : active ? "active" : "inactive",
                              mac ? mac : "") < 0)
            goto oom;
    }
    vsh_table_print(table, stdout, !ctl->quiet);
    ret = 0;
    goto out;

 oom:
    vsh_error_plain("out of memory");
 out:
    vsh_table_free(table);
    evirt_interface_list_free(ifaces, n);
    return ret;
}

/* ---- facts ------------------------------------------------------------------ */

static int cmd_iface_dumpxml(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_interface *iface = cmd_iface(ctl, cmd);

    if (!iface)
        return -1;
    char *xml = evirt_interface_get_xml_desc(
        iface, vsh_opt_bool(cmd, "inactive") ? EVIRT_INTERFACE_XML_INACTIVE : 0);
    evirt_interface_unref(iface);
    return vsh_print_xml(xml);
}

static int cmd_iface_mac(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_interface *iface =
        lookup_iface(ctl, vsh_opt_string(cmd, "interface"), BY_NAME);

    if (!iface)
        return -1;
    const char *mac = evirt_interface_get_mac_string(iface);
    printf("%s\n", mac ? mac : "");
    evirt_interface_unref(iface);
    return 0;
}

static int cmd_iface_name(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_interface *iface =
        lookup_iface(ctl, vsh_opt_string(cmd, "interface"), BY_MAC);

    if (!iface)
        return -1;
    printf("%s\n", evirt_interface_get_name(iface));
    evirt_interface_unref(iface);
    return 0;
}

/* ---- lifecycle ------------------------------------------------------------- */

VSH_SIMPLE_ACTION(act_start, evirt_interface_create(obj, 0))
VSH_SIMPLE_ACTION(act_destroy, evirt_interface_destroy(obj, 0))
VSH_SIMPLE_ACTION(act_undefine, evirt_interface_undefine(obj))

static const vsh_action actions[] = {
    { "iface-start", act_start, "started", "start" },
    { "iface-destroy", act_destroy, "destroyed", "destroy" },
    { "iface-undefine", act_undefine, "undefined", "undefine" },
};

static int cmd_iface_lifecycle(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_run_action(ctl, cmd, &iface_kind, actions,
                          sizeof(actions) / sizeof(actions[0]));
}

static void *make_defined(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    (void)cmd;
    return evirt_interface_define_xml(ctl->conn, xml, 0);
}

static int cmd_iface_define(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_from_file(ctl, cmd, &iface_kind, make_defined, "define",
                         "defined");
}

/* ---- the configuration transaction ------------------------------------------ */

static const struct {
    const char *name;
    int (*act)(evirt_conn *conn, unsigned int flags);
    const char *done;   /* "Network config change transaction <done>" */
    const char *verb;   /* "Failed to <verb> network config change transaction" */
} transaction_steps[] = {
    { "iface-begin", evirt_interface_change_begin, "started", "begin" },
    { "iface-commit", evirt_interface_change_commit, "committed", "commit" },
    { "iface-rollback", evirt_interface_change_rollback, "rolled back",
      "rollback" },
};

static int cmd_iface_transaction(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const size_t n = sizeof(transaction_steps) / sizeof(transaction_steps[0]);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(transaction_steps[i].name, cmd->def->name) != 0)
            continue;
        if (transaction_steps[i].act(ctl->conn, 0) < 0) {
            vsh_error("Failed to %s network config change transaction",
                      transaction_steps[i].verb);
            return -1;
        }
        printf("Network config change transaction %s\n",
               transaction_steps[i].done);
        return 0;
    }
    return -1;
}

/* ---- the table --------------------------------------------------------------- */

static const vsh_opt_def list_opts[] = {
    { "inactive", VSH_OPT_BOOL, 0, "list inactive interfaces" },
    { "all", VSH_OPT_BOOL, 0, "list inactive & active interfaces" },
    END_OPTS,
};
static const vsh_opt_def iface_opts[] = { IFACE_OPT, END_OPTS };
static const vsh_opt_def dumpxml_opts[] = {
    IFACE_OPT,
    { "inactive", VSH_OPT_BOOL, 0, "show inactive defined XML" },
    END_OPTS,
};
static const vsh_opt_def mac_opts[] = {
    { "interface", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "interface name" },
    END_OPTS,
};
static const vsh_opt_def name_opts[] = {
    { "interface", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "interface mac" },
    END_OPTS,
};
static const vsh_opt_def define_opts[] = {
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "file containing an XML interface description" },
    END_OPTS,
};
static const vsh_opt_def no_opts[] = { END_OPTS };

const vsh_cmd_def vsh_interface_cmds[] = {
    { "iface-begin", cmd_iface_transaction, no_opts, "create a snapshot of current interfaces settings, which can be later committed (iface-commit) or restored (iface-rollback)", NULL, 0 },
    { "iface-commit", cmd_iface_transaction, no_opts, "commit changes made since iface-begin and free restore point", NULL, 0 },
    { "iface-define", cmd_iface_define, define_opts, "define an inactive persistent physical host interface or modify an existing persistent one from an XML file", NULL, 0 },
    { "iface-destroy", cmd_iface_lifecycle, iface_opts, "destroy a physical host interface (disable it / \"if-down\")", NULL, 0 },
    { "iface-dumpxml", cmd_iface_dumpxml, dumpxml_opts, "interface information in XML", NULL, 0 },
    { "iface-list", cmd_iface_list, list_opts, "list physical host interfaces",
      "    Prints a table of the active interfaces (--all: and the inactive\n"
      "    ones; --inactive: the inactive ones only).\n", 0 },
    { "iface-mac", cmd_iface_mac, mac_opts, "convert an interface name to interface MAC address", NULL, 0 },
    { "iface-name", cmd_iface_name, name_opts, "convert an interface MAC address to interface name", NULL, 0 },
    { "iface-rollback", cmd_iface_transaction, no_opts, "rollback to previous saved configuration created via iface-begin", NULL, 0 },
    { "iface-start", cmd_iface_lifecycle, iface_opts, "start a physical host interface (enable it / \"if-up\")", NULL, 0 },
    { "iface-undefine", cmd_iface_lifecycle, iface_opts, "undefine a physical host interface (remove it from configuration)", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
