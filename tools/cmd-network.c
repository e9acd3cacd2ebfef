/*
 * tools/cmd-network.c - virtual network commands: net-list, net-info,
 * net-dumpxml, net-define, net-create, net-undefine, net-start,
 * net-destroy, net-autostart and net-dhcp-leases.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tools/vsh.h"
#include "tools/vsh-table.h"
#include "tools/vsh-util.h"

#define NETWORK_OPT \
    { "network", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "network name or uuid" }
#define FILE_OPT \
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "file containing an XML network description" }
#define END_OPTS { NULL, 0, 0, NULL }

/* By UUID when the text has a UUID's length, then by name, as virsh. */
static evirt_network *lookup_network(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *text = vsh_opt_string(cmd, "network");
    evirt_network *net = NULL;

    if (strlen(text) == EVIRT_UUID_STRING_BUFLEN - 1)
        net = evirt_network_lookup_by_uuid_string(ctl->conn, text);
    if (!net)
        net = evirt_network_lookup_by_name(ctl->conn, text);
    if (!net)
        vsh_error("failed to get network '%s'", text);
    return net;
}

VSH_KIND(network_kind, evirt_network, "network", "Network", 0,
         lookup_network);

static const char *yes_no(int v)
{
    return v < 0 ? "unknown" : v ? "yes" : "no";
}

static const char *autostart_str(int v)
{
    return v < 0 ? "no autostart" : v ? "yes" : "no";
}

/* ---- net-list ------------------------------------------------------------ */

static int network_cmp(const void *a, const void *b)
{
    return strcasecmp(evirt_network_get_name(*(evirt_network *const *)a),
                      evirt_network_get_name(*(evirt_network *const *)b));
}

static int cmd_net_list(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    unsigned int flags = vsh_list_flags(cmd, EVIRT_CONNECT_LIST_NETWORKS_ACTIVE,
                                        EVIRT_CONNECT_LIST_NETWORKS_INACTIVE);
    evirt_network **nets = NULL;
    vsh_table *table = NULL;
    int ret = -1;

    int n = evirt_conn_list_all_networks(ctl->conn, flags, &nets);
    if (n < 0) {
        vsh_error("Failed to list networks");
        return -1;
    }
    qsort(nets, (size_t)n, sizeof(*nets), network_cmp);

    if (vsh_opt_bool(cmd, "name")) {
        for (int i = 0; i < n; i++)
            printf("%s\n", evirt_network_get_name(nets[i]));
        ret = 0;
        goto out;
    }
    if (!(table = vsh_table_new("Name", "State", "Autostart", "Persistent",
                                NULL)))
        goto oom;
    for (int i = 0; i < n; i++) {
        int active = evirt_network_is_active(nets[i]);
        if (vsh_table_add_row(table, evirt_network_get_name(nets[i]),
                              active < 0 ? "unknown"
                                         : active ? "active" : "inactive",
                              autostart_str(evirt_network_get_autostart(nets[i])),
                              yes_no(evirt_network_is_persistent(nets[i]))) < 0)
            goto oom;
    }
    vsh_table_print(table, stdout, !ctl->quiet);
    ret = 0;
    goto out;

 oom:
    vsh_error_plain("out of memory");
 out:
    vsh_table_free(table);
    evirt_network_list_free(nets, n);
    return ret;
}

/* ---- facts --------------------------------------------------------------- */

static int cmd_net_info(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_network *net = lookup_network(ctl, cmd);
    char uuid[EVIRT_UUID_STRING_BUFLEN];

    if (!net)
        return -1;
    printf("%-15s %s\n", "Name:", evirt_network_get_name(net));
    if (evirt_network_get_uuid_string(net, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    int active = evirt_network_is_active(net);
    if (active >= 0)
        printf("%-15s %s\n", "Active:", yes_no(active));
    printf("%-15s %s\n", "Persistent:", yes_no(evirt_network_is_persistent(net)));
    printf("%-15s %s\n", "Autostart:",
           autostart_str(evirt_network_get_autostart(net)));
    /* Some networks (e.g. macvtap ones) have no bridge: no line. */
    char *bridge = evirt_network_get_bridge_name(net);
    if (bridge)
        printf("%-15s %s\n", "Bridge:", bridge);
    free(bridge);
    evirt_network_unref(net);
    return 0;
}

static int cmd_net_dumpxml(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_network *net = lookup_network(ctl, cmd);
    unsigned int flags = 0;

    if (!net)
        return -1;
    if (vsh_opt_bool(cmd, "inactive"))
        flags |= EVIRT_NETWORK_XML_INACTIVE;
    char *xml = evirt_network_get_xml_desc(net, flags);
    evirt_network_unref(net);
    return vsh_print_xml(xml);
}

/* virsh lists leases by MAC address. */
static int lease_cmp(const void *a, const void *b)
{
    return strcmp(((const evirt_network_dhcp_lease *)a)->mac,
                  ((const evirt_network_dhcp_lease *)b)->mac);
}

static int cmd_net_dhcp_leases(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_network *net = lookup_network(ctl, cmd);
    evirt_network_dhcp_lease *leases = NULL;
    vsh_table *table = NULL;
    int ret = -1;

    if (!net)
        return -1;
    int n = evirt_network_get_dhcp_leases(net, vsh_opt_string(cmd, "mac"), 0,
                                          &leases);
    if (n < 0) {
        vsh_error("Failed to get leases info for %s",
                  evirt_network_get_name(net));
        goto out;
    }
    qsort(leases, (size_t)n, sizeof(*leases), lease_cmp);
    if (!(table = vsh_table_new("Expiry Time", "MAC address", "Protocol",
                                "IP address", "Hostname", "Client ID or DUID",
                                NULL)))
        goto oom;
    for (int i = 0; i < n; i++) {
        const evirt_network_dhcp_lease *l = &leases[i];
        char expiry[64] = "", addr[96];
        time_t t = (time_t)l->expirytime;
        struct tm tm;

        if (localtime_r(&t, &tm))
            strftime(expiry, sizeof(expiry), "%Y-%m-%d %H:%M:%S", &tm);
        snprintf(addr, sizeof(addr), "%s/%u", l->ipaddr, l->prefix);
        if (vsh_table_add_row(table, expiry, l->mac,
                              l->type == EVIRT_IP_ADDR_TYPE_IPV6 ? "ipv6"
                                                                 : "ipv4",
                              addr, l->hostname[0] ? l->hostname : "-",
                              l->clientid[0] ? l->clientid : "-") < 0)
            goto oom;
    }
    vsh_table_print(table, stdout, !ctl->quiet);
    ret = 0;
    goto out;

 oom:
    vsh_error_plain("out of memory");
 out:
    vsh_table_free(table);
    free(leases);
    evirt_network_unref(net);
    return ret;
}

/* ---- lifecycle ------------------------------------------------------------ */

VSH_SIMPLE_ACTION(act_start, evirt_network_create(obj))
VSH_SIMPLE_ACTION(act_destroy, evirt_network_destroy(obj))
VSH_SIMPLE_ACTION(act_undefine, evirt_network_undefine(obj))

static const vsh_action actions[] = {
    { "net-start", act_start, "started", "start" },
    { "net-destroy", act_destroy, "destroyed", "destroy" },
    { "net-undefine", act_undefine, "has been undefined", "undefine" },
};

static int cmd_net_lifecycle(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_run_action(ctl, cmd, &network_kind, actions,
                          sizeof(actions) / sizeof(actions[0]));
}

static int set_autostart(void *net, int on)
{
    return evirt_network_set_autostart(net, on);
}

static int cmd_net_autostart(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_set_autostart(ctl, cmd, &network_kind, set_autostart);
}

static void *make_defined(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    (void)cmd;
    return evirt_network_define_xml(ctl->conn, xml);
}

static void *make_created(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    (void)cmd;
    return evirt_network_create_xml(ctl->conn, xml);
}

/* net-define and net-create: a network from a file. */
static int cmd_net_from_file(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    if (strcmp(cmd->def->name, "net-define") == 0)
        return vsh_from_file(ctl, cmd, &network_kind, make_defined, "define",
                             "defined");
    return vsh_from_file(ctl, cmd, &network_kind, make_created, "create",
                         "created");
}

/* ---- the table ------------------------------------------------------------ */

static const vsh_opt_def list_opts[] = {
    { "inactive", VSH_OPT_BOOL, 0, "list inactive networks" },
    { "all", VSH_OPT_BOOL, 0, "list inactive & active networks" },
    { "name", VSH_OPT_BOOL, 0, "list network names only" },
    END_OPTS,
};
static const vsh_opt_def network_opts[] = { NETWORK_OPT, END_OPTS };
static const vsh_opt_def dumpxml_opts[] = {
    NETWORK_OPT,
    { "inactive", VSH_OPT_BOOL, 0, "show inactive defined XML" },
    END_OPTS,
};
static const vsh_opt_def autostart_opts[] = {
    NETWORK_OPT,
    { "disable", VSH_OPT_BOOL, 0, "disable autostarting" },
    END_OPTS,
};
static const vsh_opt_def file_opts[] = { FILE_OPT, END_OPTS };
static const vsh_opt_def leases_opts[] = {
    NETWORK_OPT,
    { "mac", VSH_OPT_STRING, 0, "MAC address" },
    END_OPTS,
};

const vsh_cmd_def vsh_network_cmds[] = {
    { "net-autostart", cmd_net_autostart, autostart_opts, "autostart a network", NULL, 0 },
    { "net-create", cmd_net_from_file, file_opts, "create a network from an XML file", NULL, 0 },
    { "net-define", cmd_net_from_file, file_opts, "define an inactive persistent virtual network from an XML file", NULL, 0 },
    { "net-destroy", cmd_net_lifecycle, network_opts, "destroy (stop) a network", NULL, 0 },
    { "net-dhcp-leases", cmd_net_dhcp_leases, leases_opts, "print lease info for a given network", NULL, 0 },
    { "net-dumpxml", cmd_net_dumpxml, dumpxml_opts, "network information in XML", NULL, 0 },
    { "net-info", cmd_net_info, network_opts, "network information", NULL, 0 },
    { "net-list", cmd_net_list, list_opts, "list networks",
      "    Prints a table of the active networks (--all: and the inactive\n"
      "    ones; --inactive: the inactive ones only).\n", 0 },
    { "net-start", cmd_net_lifecycle, network_opts, "start a (previously defined) inactive network", NULL, 0 },
    { "net-undefine", cmd_net_lifecycle, network_opts, "undefine a persistent network", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
