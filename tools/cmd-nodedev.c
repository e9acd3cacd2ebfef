/*
 * tools/cmd-nodedev.c - node device commands: nodedev-list (flat, by
 * capability, or as virsh's tree), nodedev-dumpxml, nodedev-detach,
 * nodedev-reattach, nodedev-reset, nodedev-create, nodedev-destroy.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/vsh.h"
#include "tools/vsh-util.h"

#define DEVICE_OPT \
    { "device", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "device name" }
#define END_OPTS { NULL, 0, 0, NULL }

static evirt_nodedev *cmd_device(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *name = vsh_opt_string(cmd, "device");
    evirt_nodedev *dev = evirt_nodedev_lookup_by_name(ctl->conn, name);

    if (!dev)
        vsh_error("Could not find matching device '%s'", name);
    return dev;
}

/* ---- nodedev-list --------------------------------------------------------- */

/* Capability names, in the order of their list flags' bits. */
static const char *const cap_names[] = {
    "system", "pci", "usb_device", "usb", "net", "scsi_host", "scsi_target",
    "scsi", "storage", "fc_host", "vports", "scsi_generic", "drm",
    "mdev_types", "mdev", "ccw", "css", "vdpa", "ap_card", "ap_queue",
    "ap_matrix", "vpd",
};

/* "pci,net" -> the list flags; 0 / -1 after printing the error. */
static int cap_flags(const char *list, unsigned int *flags)
{
    char *copy = strdup(list), *save = NULL;

    if (!copy) {
        vsh_error_plain("out of memory");
        return -1;
    }
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
            if (strcmp(tok, cap_names[i]) == 0)
                break;
        if (i == sizeof(cap_names) / sizeof(cap_names[0])) {
            vsh_error_plain("Invalid capability type '%s'", tok);
            free(copy);
            return -1;
        }
        *flags |= 1u << i;
    }
    free(copy);
    return 0;
}

typedef struct {
    evirt_nodedev **devs;
    char **parents;     /* parents[i]: devs[i]'s parent among devs, or NULL */
    int n;
} device_tree;

/*
 * Prints device i and, below it, its children, each line starting with
 * prefix ("|" marks a branch that goes on, as virsh draws it).  A branch
 * that ends prints a line of its prefix alone, as virsh's does.
 */
static void print_subtree(const device_tree *t, int i, char *prefix,
                          size_t len, int root, int last)
{
    const char *name = evirt_nodedev_get_name(t->devs[i]);
    int last_child = -1;

    printf("%s%s%s\n", prefix, root ? "" : "+- ", name);
    if (!root) {
        prefix[len++] = last ? ' ' : '|';
        prefix[len++] = ' ';
        prefix[len] = '\0';
    }
    for (int k = 0; k < t->n; k++)
        if (t->parents[k] && strcmp(t->parents[k], name) == 0)
            last_child = k;
    if (last_child >= 0)
        printf("%s  |\n", prefix);
    memcpy(prefix + len, "  ", 3);
    for (int k = 0; k < t->n; k++)
        if (t->parents[k] && strcmp(t->parents[k], name) == 0)
            print_subtree(t, k, prefix, len + 2, 0, k == last_child);
    prefix[len] = '\0';
    if (last_child < 0 && (last || root))
        printf("%s\n", prefix);
    if (!root)
        prefix[len - 2] = '\0';
}

static int print_tree(evirt_nodedev **devs, int n)
{
    device_tree t = { devs, calloc((size_t)n + 1, sizeof(char *)), n };
    /* Each level adds four characters at most. */
    char *prefix = calloc(4 * (size_t)n + 8, 1);
    int ret = -1;

    if (!t.parents || !prefix) {
        vsh_error_plain("out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        char *parent = evirt_nodedev_get_parent(devs[i]);
        /* A parent outside the list would hide its children: treat them
         * as roots. */
        int known = 0;
        for (int k = 0; parent && k < n && !known; k++)
            known = strcmp(parent, evirt_nodedev_get_name(devs[k])) == 0;
        if (known)
            t.parents[i] = parent;
        else
            free(parent);
    }
    for (int i = 0; i < n; i++)
        if (!t.parents[i])
            print_subtree(&t, i, prefix, 0, 1, 0);
    ret = 0;

 out:
    if (t.parents)
        for (int i = 0; i < n; i++)
            free(t.parents[i]);
    free(t.parents);
    free(prefix);
    return ret;
}

static int nodedev_cmp(const void *a, const void *b)
{
    return strcasecmp(evirt_nodedev_get_name(*(evirt_nodedev *const *)a),
                      evirt_nodedev_get_name(*(evirt_nodedev *const *)b));
}

static int cmd_nodedev_list(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *caps = vsh_opt_string(cmd, "cap");
    int tree = vsh_opt_bool(cmd, "tree");
    int inactive = vsh_opt_bool(cmd, "inactive");
    unsigned int flags = 0;
    evirt_nodedev **devs = NULL;

    if (inactive && vsh_opt_bool(cmd, "all")) {
        vsh_error_plain("Option --all is incompatible with --inactive");
        return -1;
    }
    if (tree && (caps || inactive)) {
        vsh_error_plain("Option --tree is incompatible with --cap and --inactive");
        return -1;
    }
    if (caps && cap_flags(caps, &flags) < 0)
        return -1;
    /* Without --all or --inactive, all devices: the active/inactive
     * filter is only asked for when --inactive wants it. */
    if (inactive)
        flags |= EVIRT_CONNECT_LIST_NODE_DEVICES_INACTIVE;

    int n = evirt_conn_list_all_nodedevs(ctl->conn, flags, &devs);
    if (n < 0) {
        vsh_error("Failed to list node devices");
        return -1;
    }
    qsort(devs, (size_t)n, sizeof(*devs), nodedev_cmp);
    int ret = 0;
    if (tree)
        ret = print_tree(devs, n);
    else
        for (int i = 0; i < n; i++)
            printf("%s\n", evirt_nodedev_get_name(devs[i]));
    evirt_nodedev_list_free(devs, n);
    return ret;
}

/* ---- one device ------------------------------------------------------------- */

static int cmd_nodedev_dumpxml(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_nodedev *dev = cmd_device(ctl, cmd);

    if (!dev)
        return -1;
    char *xml = evirt_nodedev_get_xml_desc(dev, 0);
    evirt_nodedev_unref(dev);
    return vsh_print_xml(xml);
}

/* "Device <name> detached", "Node device <name> created from <file>". */
VSH_KIND(device_kind, evirt_nodedev, "device", "Device", 0, cmd_device);
VSH_KIND(node_device_kind, evirt_nodedev, "node device", "Node device", 0,
         cmd_device);

static int act_detach(void *dev, const vsh_cmd *cmd)
{
    return evirt_nodedev_detach_flags(dev, vsh_opt_string(cmd, "driver"), 0);
}

VSH_SIMPLE_ACTION(act_reattach, evirt_nodedev_reattach(obj))
VSH_SIMPLE_ACTION(act_reset, evirt_nodedev_reset(obj))

static const vsh_action actions[] = {
    { "nodedev-detach", act_detach, "detached", "detach" },
    { "nodedev-reattach", act_reattach, "re-attached", "re-attach" },
    { "nodedev-reset", act_reset, "reset", "reset" },
};

static int cmd_nodedev_action(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_run_action(ctl, cmd, &device_kind, actions,
                          sizeof(actions) / sizeof(actions[0]));
}

static void *make_created(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    (void)cmd;
    return evirt_nodedev_create_xml(ctl->conn, xml, 0);
}

static int cmd_nodedev_create(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_from_file(ctl, cmd, &node_device_kind, make_created, "create",
                         "created");
}

static int cmd_nodedev_destroy(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_nodedev *dev = cmd_device(ctl, cmd);

    if (!dev)
        return -1;
    int ret = evirt_nodedev_destroy(dev);
    if (ret < 0)
        vsh_error("Failed to destroy node device '%s'",
                  evirt_nodedev_get_name(dev));
    else
        printf("Destroyed node device '%s'\n", evirt_nodedev_get_name(dev));
    evirt_nodedev_unref(dev);
    return ret < 0 ? -1 : 0;
}

/* ---- the table --------------------------------------------------------------- */

static const vsh_opt_def list_opts[] = {
    { "tree", VSH_OPT_BOOL, 0, "list devices in a tree" },
    { "cap", VSH_OPT_STRING, 0, "capability names, separated by comma" },
    { "inactive", VSH_OPT_BOOL, 0, "list inactive devices" },
    { "all", VSH_OPT_BOOL, 0, "list inactive & active devices" },
    END_OPTS,
};
static const vsh_opt_def device_opts[] = { DEVICE_OPT, END_OPTS };
static const vsh_opt_def detach_opts[] = {
    DEVICE_OPT,
    { "driver", VSH_OPT_STRING, 0, "pci device assignment backend driver (e.g. 'vfio' or 'xen')" },
    END_OPTS,
};
static const vsh_opt_def create_opts[] = {
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "file containing an XML description of the device" },
    END_OPTS,
};

const vsh_cmd_def vsh_nodedev_cmds[] = {
    { "nodedev-create", cmd_nodedev_create, create_opts, "create a device defined by an XML file on the node", NULL, 0 },
    { "nodedev-destroy", cmd_nodedev_destroy, device_opts, "destroy (stop) a device on the node", NULL, 0 },
    { "nodedev-detach", cmd_nodedev_action, detach_opts, "detach node device from its device driver", NULL, 0 },
    { "nodedev-dumpxml", cmd_nodedev_dumpxml, device_opts, "node device details in XML", NULL, 0 },
    { "nodedev-list", cmd_nodedev_list, list_opts, "enumerate devices on this host",
      "    Prints device names, one a line, sorted; --cap keeps the devices\n"
      "    with one of the capabilities listed (e.g. --cap pci,net); --tree\n"
      "    draws the parent/child tree as virsh does.\n", 0 },
    { "nodedev-reattach", cmd_nodedev_action, device_opts, "reattach node device to its device driver", NULL, 0 },
    { "nodedev-reset", cmd_nodedev_action, device_opts, "reset node device", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
