/*
 * tools/cmd-domain.c - domain commands: list, dominfo, domstate, the
 * lifecycle (start, destroy, shutdown, reboot, suspend, resume, define,
 * undefine, create, save, restore) and dumpxml.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "tools/vsh.h"
#include "tools/vsh-table.h"
#include "tools/vsh-util.h"

#define DOMAIN_OPT \
    { "domain", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "domain name, id or uuid" }
#define END_OPTS { NULL, 0, 0, NULL }

/* ---- list -------------------------------------------------------------- */

/* Running domains first, by id; then the inactive ones, by name. */
static int domain_cmp(const void *a, const void *b)
{
    evirt_domain *da = *(evirt_domain *const *)a;
    evirt_domain *db = *(evirt_domain *const *)b;
    int ia = evirt_domain_get_id(da), ib = evirt_domain_get_id(db);

    if (ia >= 0 && ib >= 0)
        return (ia > ib) - (ia < ib);
    if (ia >= 0 || ib >= 0)
        return ia >= 0 ? -1 : 1;
    return strcmp(evirt_domain_get_name(da), evirt_domain_get_name(db));
}

static const char *domain_state_text(evirt_domain *dom)
{
    evirt_domain_state_info st;
    evirt_domain_info info;

    if (evirt_domain_get_state(dom, 0, &st) == 0)
        return vsh_state_str(st.state);
    if (evirt_domain_get_info(dom, &info) == 0)
        return vsh_state_str(info.state);
    return "no state";
}

static int cmd_list(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    unsigned int flags = vsh_list_flags(cmd, EVIRT_CONNECT_LIST_DOMAINS_ACTIVE,
                                        EVIRT_CONNECT_LIST_DOMAINS_INACTIVE);
    evirt_domain **doms = NULL;
    vsh_table *table = NULL;
    int ret = -1;

    int n = evirt_conn_list_all_domains(ctl->conn, flags, &doms);
    if (n < 0) {
        vsh_error("Failed to list domains");
        return -1;
    }
    qsort(doms, (size_t)n, sizeof(*doms), domain_cmp);

    if (vsh_opt_bool(cmd, "name") || vsh_opt_bool(cmd, "uuid")) {
        for (int i = 0; i < n; i++) {
            char uuid[EVIRT_UUID_STRING_BUFLEN];
            if (vsh_opt_bool(cmd, "uuid") &&
                evirt_domain_get_uuid_string(doms[i], uuid) == 0)
                printf("%s%s", uuid, vsh_opt_bool(cmd, "name") ? "  " : "");
            if (vsh_opt_bool(cmd, "name"))
                printf("%s", evirt_domain_get_name(doms[i]));
            putchar('\n');
        }
        ret = 0;
        goto out;
    }

    if (!(table = vsh_table_new("Id", "Name", "State", NULL)))
        goto oom;
    for (int i = 0; i < n; i++) {
        char id[16] = "-";
        if (evirt_domain_get_id(doms[i]) >= 0)
            snprintf(id, sizeof(id), "%d", evirt_domain_get_id(doms[i]));
        if (vsh_table_add_row(table, id, evirt_domain_get_name(doms[i]),
                              domain_state_text(doms[i])) < 0)
            goto oom;
    }
    vsh_table_print(table, stdout, !ctl->quiet);
    ret = 0;
    goto out;

 oom:
    vsh_error_plain("out of memory");
 out:
    vsh_table_free(table);
    evirt_domain_list_free(doms, n);
    return ret;
}

/* ---- facts --------------------------------------------------------------- */

static const char *yes_no(int v)
{
    return v < 0 ? "unknown" : v ? "yes" : "no";
}

static int cmd_dominfo(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_domain *dom = vsh_cmd_domain(ctl, cmd);
    evirt_domain_info info;
    evirt_security_model secmodel;
    char uuid[EVIRT_UUID_STRING_BUFLEN];
    int v;

    if (!dom)
        return -1;
    if (evirt_domain_get_id(dom) >= 0)
        printf("%-15s %d\n", "Id:", evirt_domain_get_id(dom));
    else
        printf("%-15s %s\n", "Id:", "-");
    printf("%-15s %s\n", "Name:", evirt_domain_get_name(dom));
    if (evirt_domain_get_uuid_string(dom, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);

    char *os_type = evirt_domain_get_os_type(dom);
    if (os_type)
        printf("%-15s %s\n", "OS Type:", os_type);
    free(os_type);

    if (evirt_domain_get_info(dom, &info) < 0) {
        vsh_error("failed to get information of domain '%s'",
                  evirt_domain_get_name(dom));
        evirt_domain_unref(dom);
        return -1;
    }
    printf("%-15s %s\n", "State:", vsh_state_str(info.state));
    printf("%-15s %u\n", "CPU(s):", info.nr_virt_cpu);
    if (info.cpu_time != 0)
        printf("%-15s %.1fs\n", "CPU time:", info.cpu_time / 1e9);
    /* libvirt's "no limit" is the largest unsigned long it can carry. */
    if (info.max_mem != (unsigned long)-1 && info.max_mem != 0xffffffffUL)
        printf("%-15s %lu KiB\n", "Max memory:", info.max_mem);
    else
        printf("%-15s %s\n", "Max memory:", "no limit");
    printf("%-15s %lu KiB\n", "Used memory:", info.memory);

    printf("%-15s %s\n", "Persistent:", yes_no(evirt_domain_is_persistent(dom)));
    v = evirt_domain_get_autostart(dom);
    printf("%-15s %s\n", "Autostart:",
           v < 0 ? "unknown" : v ? "enable" : "disable");
    printf("%-15s %s\n", "Managed save:",
           yes_no(evirt_domain_has_managed_save_image(dom, 0)));

    if (evirt_node_get_security_model(ctl->conn, &secmodel) == 0 &&
        secmodel.model[0]) {
        printf("%-15s %s\n", "Security model:", secmodel.model);
        printf("%-15s %s\n", "Security DOI:", secmodel.doi);
        /* Only a domain that has a label (a running one) gets the line. */
        evirt_security_label label;
        if (evirt_domain_get_security_label(dom, &label) == 0 && label.label[0])
            printf("%-15s %s (%s)\n", "Security label:", label.label,
                   label.enforcing ? "enforcing" : "permissive");
    }
    evirt_domain_unref(dom);
    return 0;
}

static int cmd_domstate(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_domain *dom = vsh_cmd_domain(ctl, cmd);
    evirt_domain_state_info st;

    if (!dom)
        return -1;
    if (evirt_domain_get_state(dom, 0, &st) < 0) {
        vsh_error("failed to get state of domain '%s'",
                  evirt_domain_get_name(dom));
        evirt_domain_unref(dom);
        return -1;
    }
    if (vsh_opt_bool(cmd, "reason"))
        printf("%s (%s)\n", vsh_state_str(st.state),
               vsh_state_reason_str(st.state, st.reason));
    else
        printf("%s\n", vsh_state_str(st.state));
    evirt_domain_unref(dom);
    return 0;
}

static int cmd_dumpxml(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_domain *dom = vsh_cmd_domain(ctl, cmd);
    unsigned int flags = 0;

    if (!dom)
        return -1;
    if (vsh_opt_bool(cmd, "inactive"))
        flags |= EVIRT_DOMAIN_XML_INACTIVE;
    if (vsh_opt_bool(cmd, "security-info"))
        flags |= EVIRT_DOMAIN_XML_SECURE;
    if (vsh_opt_bool(cmd, "update-cpu"))
        flags |= EVIRT_DOMAIN_XML_UPDATE_CPU;
    if (vsh_opt_bool(cmd, "migratable"))
        flags |= EVIRT_DOMAIN_XML_MIGRATABLE;

    char *xml = evirt_domain_get_xml_desc(dom, flags);
    evirt_domain_unref(dom);
    return vsh_print_xml(xml);
}

/* ---- lifecycle of an existing domain ------------------------------------- */

/*
 * The commands that act on one domain differ only in the call, the flags
 * they take and the words they print; one runner does them all.
 */
/* "Domain '<name>' <done>", "Failed to <verb> domain '<name>'" */
VSH_KIND(domain_kind, evirt_domain, "domain", "Domain", 1, vsh_cmd_domain);

static int act_start(void *dom, const vsh_cmd *cmd)
{
    unsigned int flags = 0;
    if (vsh_opt_bool(cmd, "paused"))
        flags |= EVIRT_DOMAIN_START_PAUSED;
    if (vsh_opt_bool(cmd, "autodestroy"))
        flags |= EVIRT_DOMAIN_START_AUTODESTROY;
    if (vsh_opt_bool(cmd, "force-boot"))
        flags |= EVIRT_DOMAIN_START_FORCE_BOOT;
    return flags ? evirt_domain_create_with_flags(dom, flags)
                 : evirt_domain_create(dom);
}

static int act_destroy(void *dom, const vsh_cmd *cmd)
{
    return vsh_opt_bool(cmd, "graceful")
               ? evirt_domain_destroy_flags(dom, EVIRT_DOMAIN_DESTROY_GRACEFUL)
               : evirt_domain_destroy(dom);
}

VSH_SIMPLE_ACTION(act_shutdown, evirt_domain_shutdown(obj))
VSH_SIMPLE_ACTION(act_reboot, evirt_domain_reboot(obj, 0))
VSH_SIMPLE_ACTION(act_suspend, evirt_domain_suspend(obj))
VSH_SIMPLE_ACTION(act_resume, evirt_domain_resume(obj))

static int act_undefine(void *dom, const vsh_cmd *cmd)
{
    unsigned int flags = 0;
    if (vsh_opt_bool(cmd, "managed-save"))
        flags |= EVIRT_DOMAIN_UNDEFINE_MANAGED_SAVE;
    if (vsh_opt_bool(cmd, "nvram"))
        flags |= EVIRT_DOMAIN_UNDEFINE_NVRAM;
    return flags ? evirt_domain_undefine_flags(dom, flags)
                 : evirt_domain_undefine(dom);
}

static const vsh_action actions[] = {
    { "start", act_start, "started", "start" },
    { "destroy", act_destroy, "destroyed", "destroy" },
    { "shutdown", act_shutdown, "is being shutdown", "shutdown" },
    { "reboot", act_reboot, "is being rebooted", "reboot" },
    { "suspend", act_suspend, "suspended", "suspend" },
    { "resume", act_resume, "resumed", "resume" },
    { "undefine", act_undefine, "has been undefined", "undefine" },
};

static int cmd_lifecycle(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_run_action(ctl, cmd, &domain_kind, actions,
                          sizeof(actions) / sizeof(actions[0]));
}

/* ---- domains from files -------------------------------------------------- */

static void *make_defined(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    if (vsh_opt_bool(cmd, "validate"))
        return evirt_domain_define_xml_flags(ctl->conn, xml,
                                             EVIRT_DOMAIN_DEFINE_VALIDATE);
    return evirt_domain_define_xml(ctl->conn, xml);
}

static int cmd_define(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_from_file(ctl, cmd, &domain_kind, make_defined, "define",
                         "defined");
}

static void *make_created(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    unsigned int flags = 0;

    if (vsh_opt_bool(cmd, "paused"))
        flags |= EVIRT_DOMAIN_START_PAUSED;
    if (vsh_opt_bool(cmd, "autodestroy"))
        flags |= EVIRT_DOMAIN_START_AUTODESTROY;
    return evirt_domain_create_xml(ctl->conn, xml, flags);
}

static int cmd_create(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_from_file(ctl, cmd, &domain_kind, make_created, "create",
                         "created");
}

static unsigned int save_flags(const vsh_cmd *cmd)
{
    unsigned int flags = 0;
    if (vsh_opt_bool(cmd, "running"))
        flags |= EVIRT_DOMAIN_SAVE_RUNNING;
    if (vsh_opt_bool(cmd, "paused"))
        flags |= EVIRT_DOMAIN_SAVE_PAUSED;
    if (vsh_opt_bool(cmd, "bypass-cache"))
        flags |= EVIRT_DOMAIN_SAVE_BYPASS_CACHE;
    return flags;
}

static int cmd_save(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *file = vsh_opt_string(cmd, "file");
    unsigned int flags = save_flags(cmd);
    evirt_domain *dom = vsh_cmd_domain(ctl, cmd);

    if (!dom)
        return -1;
    int ret = flags ? evirt_domain_save_flags(dom, file, NULL, flags)
                    : evirt_domain_save(dom, file);
    if (ret < 0)
        vsh_error("Failed to save domain '%s' to %s",
                  evirt_domain_get_name(dom), file);
    else
        printf("Domain '%s' saved to %s\n", evirt_domain_get_name(dom), file);
    evirt_domain_unref(dom);
    return ret < 0 ? -1 : 0;
}

static int cmd_restore(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *file = vsh_opt_string(cmd, "file");
    unsigned int flags = save_flags(cmd);

    int ret = flags ? evirt_domain_restore_flags(ctl->conn, file, NULL, flags)
                    : evirt_domain_restore(ctl->conn, file);
    if (ret < 0) {
        vsh_error("Failed to restore domain from %s", file);
        return -1;
    }
    printf("Domain restored from %s\n", file);
    return 0;
}

/* ---- the table ----------------------------------------------------------- */

static const vsh_opt_def list_opts[] = {
    { "all", VSH_OPT_BOOL, 0, "list inactive & active domains" },
    { "inactive", VSH_OPT_BOOL, 0, "list inactive domains" },
    { "name", VSH_OPT_BOOL, 0, "list domain names only" },
    { "uuid", VSH_OPT_BOOL, 0, "list uuid's only" },
    END_OPTS,
};
static const vsh_opt_def domain_opts[] = { DOMAIN_OPT, END_OPTS };
static const vsh_opt_def domstate_opts[] = {
    DOMAIN_OPT,
    { "reason", VSH_OPT_BOOL, 0, "also print reason for the state" },
    END_OPTS,
};
static const vsh_opt_def dumpxml_opts[] = {
    DOMAIN_OPT,
    { "inactive", VSH_OPT_BOOL, 0, "show inactive defined XML" },
    { "security-info", VSH_OPT_BOOL, 0, "include security sensitive information in XML dump" },
    { "update-cpu", VSH_OPT_BOOL, 0, "update guest CPU according to host CPU" },
    { "migratable", VSH_OPT_BOOL, 0, "provide XML suitable for migrations" },
    END_OPTS,
};
static const vsh_opt_def start_opts[] = {
    DOMAIN_OPT,
    { "paused", VSH_OPT_BOOL, 0, "leave the guest paused after start" },
    { "autodestroy", VSH_OPT_BOOL, 0, "destroy the guest when the connection closes" },
    { "force-boot", VSH_OPT_BOOL, 0, "force fresh boot by discarding any managed save" },
    END_OPTS,
};
static const vsh_opt_def destroy_opts[] = {
    DOMAIN_OPT,
    { "graceful", VSH_OPT_BOOL, 0, "terminate gracefully" },
    END_OPTS,
};
static const vsh_opt_def undefine_opts[] = {
    DOMAIN_OPT,
    { "managed-save", VSH_OPT_BOOL, 0, "remove domain managed state file" },
    { "nvram", VSH_OPT_BOOL, 0, "remove nvram file" },
    END_OPTS,
};
static const vsh_opt_def define_opts[] = {
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "file containing an XML domain description" },
    { "validate", VSH_OPT_BOOL, 0, "validate the XML against the schema" },
    END_OPTS,
};
static const vsh_opt_def create_opts[] = {
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "file containing an XML domain description" },
    { "paused", VSH_OPT_BOOL, 0, "leave the guest paused after creation" },
    { "autodestroy", VSH_OPT_BOOL, 0, "destroy the guest when the connection closes" },
    END_OPTS,
};
static const vsh_opt_def save_opts[] = {
    DOMAIN_OPT,
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "where to save the data" },
    { "bypass-cache", VSH_OPT_BOOL, 0, "avoid file system cache when saving" },
    { "running", VSH_OPT_BOOL, 0, "set domain to be running on restore" },
    { "paused", VSH_OPT_BOOL, 0, "set domain to be paused on restore" },
    END_OPTS,
};
static const vsh_opt_def restore_opts[] = {
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "the state to restore" },
    { "bypass-cache", VSH_OPT_BOOL, 0, "avoid file system cache when restoring" },
    { "running", VSH_OPT_BOOL, 0, "restore domain into running state" },
    { "paused", VSH_OPT_BOOL, 0, "restore domain into paused state" },
    END_OPTS,
};

const vsh_cmd_def vsh_domain_cmds[] = {
    { "create", cmd_create, create_opts, "create a domain from an XML file", NULL, 0 },
    { "define", cmd_define, define_opts, "define (but don't start) a domain from an XML file", NULL, 0 },
    { "destroy", cmd_lifecycle, destroy_opts, "destroy (stop) a domain", NULL, 0 },
    { "dominfo", cmd_dominfo, domain_opts, "domain information", NULL, 0 },
    { "domstate", cmd_domstate, domstate_opts, "domain state", NULL, 0 },
    { "dumpxml", cmd_dumpxml, dumpxml_opts, "domain information in XML", NULL, 0 },
    { "list", cmd_list, list_opts, "list domains",
      "    Prints a table of the running domains (--all: and the inactive\n"
      "    ones; --inactive: the inactive ones only).\n", 0 },
    { "reboot", cmd_lifecycle, domain_opts, "reboot a domain", NULL, 0 },
    { "restore", cmd_restore, restore_opts, "restore a domain from a saved state in a file", NULL, 0 },
    { "resume", cmd_lifecycle, domain_opts, "resume a domain", NULL, 0 },
    { "save", cmd_save, save_opts, "save a domain state to a file", NULL, 0 },
    { "shutdown", cmd_lifecycle, domain_opts, "gracefully shutdown a domain", NULL, 0 },
    { "start", cmd_lifecycle, start_opts, "start a (previously defined) inactive domain", NULL, 0 },
    { "suspend", cmd_lifecycle, domain_opts, "suspend a domain", NULL, 0 },
    { "undefine", cmd_lifecycle, undefine_opts, "undefine a domain", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
