/*
 * tools/cmd-host.c - commands about the host and the connection:
 * nodeinfo, capabilities, hostname, version, uri.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "tools/vsh.h"

static const vsh_opt_def no_opts[] = { { NULL, 0, 0, NULL } };

static int cmd_nodeinfo(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_node_info info;
    (void)cmd;

    if (evirt_node_get_info(ctl->conn, &info) < 0) {
        vsh_error("failed to get node information");
        return -1;
    }
    printf("%-20s %.*s\n", "CPU model:", (int)sizeof(info.model), info.model);
    printf("%-20s %u\n", "CPU(s):", info.cpus);
    if (info.mhz)
        printf("%-20s %u MHz\n", "CPU frequency:", info.mhz);
    printf("%-20s %u\n", "CPU socket(s):", info.sockets);
    printf("%-20s %u\n", "Core(s) per socket:", info.cores);
    printf("%-20s %u\n", "Thread(s) per core:", info.threads);
    printf("%-20s %u\n", "NUMA cell(s):", info.nodes);
    printf("%-20s %lu KiB\n", "Memory size:", info.memory);
    return 0;
}

/* Prints a document, making sure it ends its last line. */
static void print_doc(const char *doc)
{
    size_t len = strlen(doc);
    fputs(doc, stdout);
    if (len == 0 || doc[len - 1] != '\n')
        putchar('\n');
}

static int cmd_capabilities(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    (void)cmd;
    char *caps = evirt_conn_get_capabilities(ctl->conn);
    if (!caps) {
        vsh_error("failed to get capabilities");
        return -1;
    }
    print_doc(caps);
    free(caps);
    return 0;
}

static int cmd_hostname(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    (void)cmd;
    char *name = evirt_conn_get_hostname(ctl->conn);
    if (!name) {
        vsh_error("failed to get hostname");
        return -1;
    }
    printf("%s\n", name);
    free(name);
    return 0;
}

static int cmd_uri(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    (void)cmd;
    char *uri = evirt_conn_get_uri(ctl->conn);
    if (!uri) {
        vsh_error("failed to get URI");
        return -1;
    }
    printf("%s\n", uri);
    free(uri);
    return 0;
}

static void print_version(const char *label, const char *what,
                          unsigned long v)
{
    printf("%s: %s %lu.%lu.%lu\n", label, what, v / 1000000,
           (v / 1000) % 1000, v % 1000);
}

static int cmd_version(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const unsigned long ours = EVIRT_VERSION_MAJOR * 1000000UL +
                               EVIRT_VERSION_MINOR * 1000UL +
                               EVIRT_VERSION_MICRO;
    unsigned long lib, hv;
    (void)cmd;

    char *type = evirt_conn_get_type(ctl->conn);
    if (!type) {
        vsh_error("failed to get hypervisor type");
        return -1;
    }
    print_version("Compiled against library", "evirt", ours);
    print_version("Using library", "evirt", ours);
    /* The API version is the library's at the far end of the connection
     * (evirtd or libvirtd for a remote one). */
    if (evirt_conn_get_lib_version(ctl->conn, &lib) < 0)
        lib = ours;
    print_version("Using API", type, lib);
    if (evirt_conn_get_version(ctl->conn, &hv) < 0) {
        vsh_error("failed to get the hypervisor version");
        free(type);
        return -1;
    }
    print_version("Running hypervisor", type, hv);
    free(type);
    return 0;
}

const vsh_cmd_def vsh_host_cmds[] = {
    { "capabilities", cmd_capabilities, no_opts, "capabilities", NULL, 0 },
    { "hostname", cmd_hostname, no_opts, "print the hypervisor hostname",
      NULL, 0 },
    { "nodeinfo", cmd_nodeinfo, no_opts, "node information", NULL, 0 },
    { "uri", cmd_uri, no_opts, "print the hypervisor canonical URI", NULL, 0 },
    { "version", cmd_version, no_opts, "show version", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
