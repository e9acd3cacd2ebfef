/*
 * tools/cmd-storage.c - storage pool and volume commands: pool-list,
 * pool-info, pool-dumpxml, pool-define, the pool lifecycle (build, start,
 * destroy, delete, undefine, refresh, autostart), and vol-list, vol-info,
 * vol-dumpxml, vol-create, vol-create-as, vol-clone, vol-delete,
 * vol-wipe, vol-resize, vol-path, vol-key.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tools/vsh.h"
#include "tools/vsh-table.h"
#include "tools/vsh-util.h"

#define POOL_OPT \
    { "pool", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "pool name or uuid" }
#define VOL_OPT \
    { "vol", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL, \
      "vol name, key or path" }
#define VOL_POOL_OPT \
    { "pool", VSH_OPT_STRING, 0, "pool name or uuid" }
#define END_OPTS { NULL, 0, 0, NULL }

static const char *yes_no(int v)
{
    return v < 0 ? "unknown" : v ? "yes" : "no";
}

static const char *autostart_str(int v)
{
    return v < 0 ? "no autostart" : v ? "yes" : "no";
}

static const char *pool_state_str(int state)
{
    switch (state) {
    case EVIRT_STORAGE_POOL_INACTIVE:     return "inactive";
    case EVIRT_STORAGE_POOL_BUILDING:     return "building";
    case EVIRT_STORAGE_POOL_RUNNING:      return "running";
    case EVIRT_STORAGE_POOL_DEGRADED:     return "degraded";
    case EVIRT_STORAGE_POOL_INACCESSIBLE: return "inaccessible";
    default:                              return "unknown";
    }
}

static const char *vol_type_str(int type)
{
    switch (type) {
    case EVIRT_STORAGE_VOL_FILE:    return "file";
    case EVIRT_STORAGE_VOL_BLOCK:   return "block";
    case EVIRT_STORAGE_VOL_DIR:     return "dir";
    case EVIRT_STORAGE_VOL_NETWORK: return "network";
    case EVIRT_STORAGE_VOL_NETDIR:  return "netdir";
    case EVIRT_STORAGE_VOL_PLOOP:   return "ploop";
    default:                        return "unknown";
    }
}

/* "1.50 GiB": two decimals in the largest binary unit not above the value. */
static const char *pretty_size(unsigned long long bytes, char *buf, size_t len)
{
    static const char *const units[] = {
        "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
    };
    double v = (double)bytes;
    size_t u = 0;

    while (u + 1 < sizeof(units) / sizeof(units[0]) && v >= 1024) {
        v /= 1024;
        u++;
    }
    snprintf(buf, len, "%.2f %s", v, units[u]);
    return buf;
}

/*
 * A size as virsh reads one: a number and an optional unit, "k"/"KiB"
 * (1024), "KB" (1000), up to "E"; "b", "byte(s)" or nothing for bytes.
 * Prints the errors; 0 / -1.
 */
static int parse_size(const char *text, unsigned long long *out)
{
    const char *why = NULL;
    unsigned long long v = 0, scale = 1;
    char *end = NULL;

    if (!isdigit((unsigned char)*text)) {
        why = "expected a number";
        goto bad;
    }
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno) {
        why = "value too large";
        goto bad;
    }
    if (*end && strcasecmp(end, "b") != 0 && strcasecmp(end, "byte") != 0 &&
        strcasecmp(end, "bytes") != 0) {
        const char *letters = "kmgtpe";
        const char *at = strchr(letters, tolower((unsigned char)end[0]));
        unsigned long long base;

        if (!end[1] || strcasecmp(end + 1, "iB") == 0)
            base = 1024;
        else if (tolower((unsigned char)end[1]) == 'b' && !end[2])
            base = 1000;
        else
            at = NULL;
        if (!at || !end[0]) {
            vsh_error_plain("Malformed size %s", text);
            vsh_error_plain("invalid argument: unknown suffix '%s'", end);
            return -1;
        }
        for (const char *p = letters; p <= at; p++)
            scale *= base;
    }
    if (v && v > ~0ULL / scale) {
        why = "value too large";
        goto bad;
    }
    *out = v * scale;
    return 0;

 bad:
    vsh_error_plain("Malformed size %s", text);
    vsh_error_plain("invalid argument: %s", why);
    return -1;
}

/* Appends text to a memstream with the XML specials escaped. */
static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':  fputs("&lt;", f); break;
        case '>':  fputs("&gt;", f); break;
        case '&':  fputs("&amp;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '"':  fputs("&quot;", f); break;
        default:   fputc(*s, f); break;
        }
    }
}

/* ---- finding pools and volumes -------------------------------------------- */

/* By UUID when the text has a UUID's length, then by name, as virsh. */
static evirt_storage_pool *lookup_pool(vsh_ctl *ctl, const char *text)
{
    evirt_storage_pool *pool = NULL;

    if (strlen(text) == EVIRT_UUID_STRING_BUFLEN - 1)
        pool = evirt_storage_pool_lookup_by_uuid_string(ctl->conn, text);
    if (!pool)
        pool = evirt_storage_pool_lookup_by_name(ctl->conn, text);
    if (!pool)
        vsh_error("failed to get pool '%s'", text);
    return pool;
}

static evirt_storage_pool *cmd_pool(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return lookup_pool(ctl, vsh_opt_string(cmd, "pool"));
}

/*
 * The volume named by the "vol" option, as virsh finds it: by name in
 * the --pool when one is given, else (or then) by key, then by path.  A
 * volume found by key or path must be in the --pool given.
 */
static evirt_storage_vol *cmd_vol(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *text = vsh_opt_string(cmd, "vol");
    const char *pool_name = vsh_opt_string(cmd, "pool");
    evirt_storage_pool *pool = NULL;
    evirt_storage_vol *vol = NULL;

    if (pool_name && !(pool = lookup_pool(ctl, pool_name)))
        return NULL;
    if (pool)
        vol = evirt_storage_vol_lookup_by_name(pool, text);
    if (!vol)
        vol = evirt_storage_vol_lookup_by_key(ctl->conn, text);
    if (!vol)
        vol = evirt_storage_vol_lookup_by_path(ctl->conn, text);
    if (!vol) {
        if (pool)
            vsh_error("failed to get vol '%s'", text);
        else
            vsh_error("failed to get vol '%s', specifying --pool might help",
                      text);
    } else if (pool && strcmp(evirt_storage_vol_get_pool_name(vol),
                              evirt_storage_pool_get_name(pool)) != 0) {
        vsh_error_plain("Requested volume '%s' is not in pool '%s'", text,
                        pool_name);
        evirt_storage_vol_unref(vol);
        vol = NULL;
    }
    evirt_storage_pool_unref(pool);
    return vol;
}

VSH_KIND(pool_kind, evirt_storage_pool, "pool", "Pool", 0, cmd_pool);
VSH_KIND(vol_kind, evirt_storage_vol, "vol", "Vol", 0, cmd_vol);

/* ---- pool-list ------------------------------------------------------------ */

static int pool_cmp(const void *a, const void *b)
{
    return strcasecmp(
        evirt_storage_pool_get_name(*(evirt_storage_pool *const *)a),
        evirt_storage_pool_get_name(*(evirt_storage_pool *const *)b));
}

static int pool_row(vsh_table *table, evirt_storage_pool *pool, int details)
{
    const char *name = evirt_storage_pool_get_name(pool);
    const char *autostart =
        autostart_str(evirt_storage_pool_get_autostart(pool));

    if (!details) {
        int active = evirt_storage_pool_is_active(pool);
        return vsh_table_add_row(table, name,
                                 active < 0 ? "unknown"
                                            : active ? "active" : "inactive",
                                 autostart);
    }

    evirt_storage_pool_info info;
    char cap[32] = "-", alloc[32] = "-", avail[32] = "-";
    const char *state = "unknown";
    if (evirt_storage_pool_get_info(pool, &info) == 0) {
        state = pool_state_str(info.state);
        /* Only a working pool knows its sizes. */
        if (info.state == EVIRT_STORAGE_POOL_RUNNING ||
            info.state == EVIRT_STORAGE_POOL_DEGRADED) {
            pretty_size(info.capacity, cap, sizeof(cap));
            pretty_size(info.allocation, alloc, sizeof(alloc));
            pretty_size(info.available, avail, sizeof(avail));
        }
    }
    return vsh_table_add_row(table, name, state, autostart,
                             yes_no(evirt_storage_pool_is_persistent(pool)),
                             cap, alloc, avail);
}

static int cmd_pool_list(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    unsigned int flags =
        vsh_list_flags(cmd, EVIRT_CONNECT_LIST_STORAGE_POOLS_ACTIVE,
                       EVIRT_CONNECT_LIST_STORAGE_POOLS_INACTIVE);
    int details = vsh_opt_bool(cmd, "details");
    evirt_storage_pool **pools = NULL;
    vsh_table *table = NULL;
    int ret = -1;

    int n = evirt_conn_list_all_storage_pools(ctl->conn, flags, &pools);
    if (n < 0) {
        vsh_error("Failed to list pools");
        return -1;
    }
    qsort(pools, (size_t)n, sizeof(*pools), pool_cmp);

    if (vsh_opt_bool(cmd, "name")) {
        for (int i = 0; i < n; i++)
            printf("%s\n", evirt_storage_pool_get_name(pools[i]));
        ret = 0;
        goto out;
    }
    table = details ? vsh_table_new("Name", "State", "Autostart", "Persistent",
                                    "Capacity", "Allocation", "Available",
                                    NULL)
                    : vsh_table_new("Name", "State", "Autostart", NULL);
    if (!table)
        goto oom;
    for (int i = 0; i < n; i++)
        if (pool_row(table, pools[i], details) < 0)
            goto oom;
    vsh_table_print(table, stdout, !ctl->quiet);
    ret = 0;
    goto out;

 oom:
    vsh_error_plain("out of memory");
 out:
    vsh_table_free(table);
    evirt_storage_pool_list_free(pools, n);
    return ret;
}

/* ---- pool facts ------------------------------------------------------------ */

static int cmd_pool_info(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_storage_pool *pool = cmd_pool(ctl, cmd);
    evirt_storage_pool_info info;
    char uuid[EVIRT_UUID_STRING_BUFLEN], buf[32];

    if (!pool)
        return -1;
    printf("%-15s %s\n", "Name:", evirt_storage_pool_get_name(pool));
    if (evirt_storage_pool_get_uuid_string(pool, uuid) == 0)
        printf("%-15s %s\n", "UUID:", uuid);
    if (evirt_storage_pool_get_info(pool, &info) < 0) {
        vsh_error(NULL);
        evirt_storage_pool_unref(pool);
        return -1;
    }
    printf("%-15s %s\n", "State:", pool_state_str(info.state));
    printf("%-15s %s\n", "Persistent:",
           yes_no(evirt_storage_pool_is_persistent(pool)));
    printf("%-15s %s\n", "Autostart:",
           autostart_str(evirt_storage_pool_get_autostart(pool)));
    if (info.state == EVIRT_STORAGE_POOL_RUNNING ||
        info.state == EVIRT_STORAGE_POOL_DEGRADED) {
        printf("%-15s %s\n", "Capacity:",
               pretty_size(info.capacity, buf, sizeof(buf)));
        printf("%-15s %s\n", "Allocation:",
               pretty_size(info.allocation, buf, sizeof(buf)));
        printf("%-15s %s\n", "Available:",
               pretty_size(info.available, buf, sizeof(buf)));
    }
    evirt_storage_pool_unref(pool);
    return 0;
}

static int cmd_pool_dumpxml(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_storage_pool *pool = cmd_pool(ctl, cmd);

    if (!pool)
        return -1;
    char *xml = evirt_storage_pool_get_xml_desc(
        pool, vsh_opt_bool(cmd, "inactive") ? EVIRT_STORAGE_XML_INACTIVE : 0);
    evirt_storage_pool_unref(pool);
    return vsh_print_xml(xml);
}

/* ---- pool lifecycle --------------------------------------------------------- */

static unsigned int overwrite_flags(const vsh_cmd *cmd, unsigned int yes,
                                    unsigned int no)
{
    return (vsh_opt_bool(cmd, "overwrite") ? yes : 0) |
           (vsh_opt_bool(cmd, "no-overwrite") ? no : 0);
}

static int act_build(void *pool, const vsh_cmd *cmd)
{
    return evirt_storage_pool_build(
        pool, overwrite_flags(cmd, EVIRT_STORAGE_POOL_BUILD_OVERWRITE,
                              EVIRT_STORAGE_POOL_BUILD_NO_OVERWRITE));
}

static int act_start(void *pool, const vsh_cmd *cmd)
{
    unsigned int flags =
        overwrite_flags(cmd, EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE,
                        EVIRT_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE);
    if (vsh_opt_bool(cmd, "build"))
        flags |= EVIRT_STORAGE_POOL_CREATE_WITH_BUILD;
    return evirt_storage_pool_create(pool, flags);
}

VSH_SIMPLE_ACTION(act_destroy, evirt_storage_pool_destroy(obj))
VSH_SIMPLE_ACTION(act_delete, evirt_storage_pool_delete(obj, 0))
VSH_SIMPLE_ACTION(act_undefine, evirt_storage_pool_undefine(obj))
VSH_SIMPLE_ACTION(act_refresh, evirt_storage_pool_refresh(obj, 0))

static const vsh_action pool_actions[] = {
    { "pool-build", act_build, "built", "build" },
    { "pool-start", act_start, "started", "start" },
    { "pool-destroy", act_destroy, "destroyed", "destroy" },
    { "pool-delete", act_delete, "deleted", "delete" },
    { "pool-undefine", act_undefine, "has been undefined", "undefine" },
    { "pool-refresh", act_refresh, "refreshed", "refresh" },
};

static int cmd_pool_lifecycle(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_run_action(ctl, cmd, &pool_kind, pool_actions,
                          sizeof(pool_actions) / sizeof(pool_actions[0]));
}

static int set_autostart(void *pool, int on)
{
    return evirt_storage_pool_set_autostart(pool, on);
}

static int cmd_pool_autostart(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_set_autostart(ctl, cmd, &pool_kind, set_autostart);
}

static void *make_pool(vsh_ctl *ctl, const char *xml, const vsh_cmd *cmd)
{
    (void)cmd;
    return evirt_storage_pool_define_xml(ctl->conn, xml, 0);
}

static int cmd_pool_define(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_from_file(ctl, cmd, &pool_kind, make_pool, "define", "defined");
}

/* ---- vol-list ----------------------------------------------------------------- */

static int vol_cmp(const void *a, const void *b)
{
    return strcasecmp(
        evirt_storage_vol_get_name(*(evirt_storage_vol *const *)a),
        evirt_storage_vol_get_name(*(evirt_storage_vol *const *)b));
}

static int vol_row(vsh_table *table, evirt_storage_vol *vol, int details)
{
    char *path = evirt_storage_vol_get_path(vol);
    const char *name = evirt_storage_vol_get_name(vol);
    int rc;

    if (!details) {
        rc = vsh_table_add_row(table, name, path ? path : "unknown");
    } else {
        evirt_storage_vol_info info;
        char cap[32] = "unknown", alloc[32] = "unknown";
        const char *type = "unknown";
        if (evirt_storage_vol_get_info(vol, &info) == 0) {
            type = vol_type_str(info.type);
            pretty_size(info.capacity, cap, sizeof(cap));
            pretty_size(info.allocation, alloc, sizeof(alloc));
        }
        rc = vsh_table_add_row(table, name, path ? path : "unknown", type,
                               cap, alloc);
    }
    free(path);
    return rc;
}

static int cmd_vol_list(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    int details = vsh_opt_bool(cmd, "details");
    evirt_storage_pool *pool = cmd_pool(ctl, cmd);
    evirt_storage_vol **vols = NULL;
    vsh_table *table = NULL;
    int ret = -1, n;

    if (!pool)
        return -1;
    n = evirt_storage_pool_list_all_volumes(pool, 0, &vols);
    evirt_storage_pool_unref(pool);
    if (n < 0) {
        vsh_error("Failed to list volumes");
        return -1;
    }
    qsort(vols, (size_t)n, sizeof(*vols), vol_cmp);

    table = details ? vsh_table_new("Name", "Path", "Type", "Capacity",
                                    "Allocation", NULL)
                    : vsh_table_new("Name", "Path", NULL);
    if (!table)
        goto oom;
    for (int i = 0; i < n; i++)
        if (vol_row(table, vols[i], details) < 0)
            goto oom;
    vsh_table_print(table, stdout, !ctl->quiet);
    ret = 0;
    goto out;

 oom:
    vsh_error_plain("out of memory");
 out:
    vsh_table_free(table);
    evirt_storage_vol_list_free(vols, n);
    return ret;
}

/* ---- volume facts --------------------------------------------------------------- */

static int cmd_vol_info(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_storage_vol *vol = cmd_vol(ctl, cmd);
    evirt_storage_vol_info info;
    int bytes = vsh_opt_bool(cmd, "bytes");
    char buf[32];

    if (!vol)
        return -1;
    printf("%-15s %s\n", "Name:", evirt_storage_vol_get_name(vol));
    if (evirt_storage_vol_get_info(vol, &info) < 0) {
        vsh_error(NULL);
        evirt_storage_vol_unref(vol);
        return -1;
    }
    printf("%-15s %s\n", "Type:", vol_type_str(info.type));
    if (bytes) {
        printf("%-15s %llu bytes\n", "Capacity:", info.capacity);
        printf("%-15s %llu bytes\n", "Allocation:", info.allocation);
    } else {
        printf("%-15s %s\n", "Capacity:",
               pretty_size(info.capacity, buf, sizeof(buf)));
        printf("%-15s %s\n", "Allocation:",
               pretty_size(info.allocation, buf, sizeof(buf)));
    }
    evirt_storage_vol_unref(vol);
    return 0;
}

static int cmd_vol_dumpxml(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_storage_vol *vol = cmd_vol(ctl, cmd);

    if (!vol)
        return -1;
    char *xml = evirt_storage_vol_get_xml_desc(vol, 0);
    evirt_storage_vol_unref(vol);
    return vsh_print_xml(xml);
}

static int cmd_vol_path(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_storage_vol *vol = cmd_vol(ctl, cmd);

    if (!vol)
        return -1;
    char *path = evirt_storage_vol_get_path(vol);
    evirt_storage_vol_unref(vol);
    if (!path) {
        vsh_error(NULL);
        return -1;
    }
    printf("%s\n", path);
    free(path);
    return 0;
}

static int cmd_vol_key(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    evirt_storage_vol *vol = cmd_vol(ctl, cmd);

    if (!vol)
        return -1;
    printf("%s\n", evirt_storage_vol_get_key(vol));
    evirt_storage_vol_unref(vol);
    return 0;
}

/* ---- making volumes ------------------------------------------------------------ */

static int cmd_vol_create(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *file = vsh_opt_string(cmd, "file");
    evirt_storage_pool *pool = cmd_pool(ctl, cmd);
    char *xml;

    if (!pool)
        return -1;
    if (!(xml = vsh_read_file(file))) {
        evirt_storage_pool_unref(pool);
        return -1;
    }
    evirt_storage_vol *vol = evirt_storage_vol_create_xml(pool, xml, 0);
    free(xml);
    evirt_storage_pool_unref(pool);
    if (!vol) {
        vsh_error("Failed to create vol from %s", file);
        return -1;
    }
    printf("Vol %s created from %s\n", evirt_storage_vol_get_name(vol), file);
    evirt_storage_vol_unref(vol);
    return 0;
}

static int cmd_vol_create_as(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *name = vsh_opt_string(cmd, "name");
    const char *alloc_text = vsh_opt_string(cmd, "allocation");
    const char *format = vsh_opt_string(cmd, "format");
    unsigned long long capacity, allocation = 0;
    char *xml = NULL;
    size_t len = 0;
    int ret = -1;

    if (parse_size(vsh_opt_string(cmd, "capacity"), &capacity) < 0 ||
        (alloc_text && parse_size(alloc_text, &allocation) < 0))
        return -1;
    evirt_storage_pool *pool = cmd_pool(ctl, cmd);
    if (!pool)
        return -1;

    FILE *f = open_memstream(&xml, &len);
    if (!f) {
        vsh_error_plain("out of memory");
        goto out;
    }
    fputs("<volume>\n  <name>", f);
    put_escaped(f, name);
    fprintf(f, "</name>\n  <capacity>%llu</capacity>\n", capacity);
    if (alloc_text)
        fprintf(f, "  <allocation>%llu</allocation>\n", allocation);
    if (format) {
        fputs("  <target>\n    <format type='", f);
        put_escaped(f, format);
        fputs("'/>\n  </target>\n", f);
    }
    fputs("</volume>\n", f);
    if (fclose(f) != 0) {
        vsh_error_plain("out of memory");
        goto out;
    }

    evirt_storage_vol *vol = evirt_storage_vol_create_xml(pool, xml, 0);
    if (!vol) {
        vsh_error("Failed to create vol %s", name);
        goto out;
    }
    printf("Vol %s created\n", evirt_storage_vol_get_name(vol));
    evirt_storage_vol_unref(vol);
    ret = 0;

 out:
    free(xml);
    evirt_storage_pool_unref(pool);
    return ret;
}

/*
 * The clone's XML: the original's document with its first <name>
 * element's text replaced.  The driver picks the new key and path.
 */
static char *clone_xml(const char *orig, const char *newname)
{
    const char *open = strstr(orig, "<name>");
    const char *close = open ? strstr(open, "</name>") : NULL;
    char *xml = NULL;
    size_t len = 0;

    if (!close)
        return NULL;
    FILE *f = open_memstream(&xml, &len);
    if (!f)
        return NULL;
    fwrite(orig, 1, (size_t)(open - orig) + strlen("<name>"), f);
    put_escaped(f, newname);
    fputs(close, f);
    if (fclose(f) != 0) {
        free(xml);
        return NULL;
    }
    return xml;
}

static int cmd_vol_clone(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *newname = vsh_opt_string(cmd, "newname");
    evirt_storage_vol *orig = cmd_vol(ctl, cmd), *vol = NULL;
    evirt_storage_pool *pool = NULL;
    char *xml = NULL, *newxml = NULL;
    int ret = -1;

    if (!orig)
        return -1;
    if (!(pool = evirt_storage_pool_lookup_by_volume(orig))) {
        vsh_error("failed to get parent pool");
        goto out;
    }
    if (!(xml = evirt_storage_vol_get_xml_desc(orig, 0))) {
        vsh_error(NULL);
        goto out;
    }
    if (!(newxml = clone_xml(xml, newname))) {
        vsh_error_plain("Failed to clone vol from %s: no <name> in its XML",
                        evirt_storage_vol_get_name(orig));
        goto out;
    }
    if (!(vol = evirt_storage_vol_create_xml_from(pool, newxml, orig, 0))) {
        vsh_error("Failed to clone vol from %s",
                  evirt_storage_vol_get_name(orig));
        goto out;
    }
    printf("Vol %s cloned from %s\n", evirt_storage_vol_get_name(vol),
           evirt_storage_vol_get_name(orig));
    ret = 0;

 out:
    free(newxml);
    free(xml);
    evirt_storage_vol_unref(vol);
    evirt_storage_pool_unref(pool);
    evirt_storage_vol_unref(orig);
    return ret;
}

/* ---- changing volumes ------------------------------------------------------------ */

VSH_SIMPLE_ACTION(act_vol_delete, evirt_storage_vol_delete(obj, 0))
VSH_SIMPLE_ACTION(act_vol_wipe, evirt_storage_vol_wipe(obj, 0))

static const vsh_action vol_actions[] = {
    { "vol-delete", act_vol_delete, "deleted", "delete" },
    { "vol-wipe", act_vol_wipe, "wiped", "wipe" },
};

/* vol-delete and vol-wipe. */
static int cmd_vol_action(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    return vsh_run_action(ctl, cmd, &vol_kind, vol_actions,
                          sizeof(vol_actions) / sizeof(vol_actions[0]));
}

static int cmd_vol_resize(vsh_ctl *ctl, const vsh_cmd *cmd)
{
    const char *text = vsh_opt_string(cmd, "capacity");
    const char *size = text;
    unsigned int flags = 0;
    unsigned long long capacity;

    if (vsh_opt_bool(cmd, "allocate"))
        flags |= EVIRT_STORAGE_VOL_RESIZE_ALLOCATE;
    if (vsh_opt_bool(cmd, "delta"))
        flags |= EVIRT_STORAGE_VOL_RESIZE_DELTA;
    if (vsh_opt_bool(cmd, "shrink"))
        flags |= EVIRT_STORAGE_VOL_RESIZE_SHRINK;
    while (isspace((unsigned char)*size))
        size++;
    /* "+1G" grows by, "-1G" (with --shrink) shrinks by: the API itself
     * takes a positive amount and the DELTA flag. */
    if (*size == '-') {
        if (!(flags & EVIRT_STORAGE_VOL_RESIZE_SHRINK)) {
            vsh_error_plain("negative size requires --shrink");
            return -1;
        }
        flags |= EVIRT_STORAGE_VOL_RESIZE_DELTA;
        size++;
    } else if (*size == '+') {
        flags |= EVIRT_STORAGE_VOL_RESIZE_DELTA;
        size++;
    }
    if (parse_size(size, &capacity) < 0)
        return -1;

    evirt_storage_vol *vol = cmd_vol(ctl, cmd);
    if (!vol)
        return -1;
    const char *how = vsh_opt_bool(cmd, "delta") ? "by" : "to";
    int ret = evirt_storage_vol_resize(vol, capacity, flags);
    if (ret < 0)
        vsh_error("Failed to change size of volume '%s' %s %s",
                  evirt_storage_vol_get_name(vol), how, text);
    else
        printf("Size of volume '%s' successfully changed %s %s\n",
               evirt_storage_vol_get_name(vol), how, text);
    evirt_storage_vol_unref(vol);
    return ret < 0 ? -1 : 0;
}

/* ---- the table -------------------------------------------------------------------- */

static const vsh_opt_def pool_list_opts[] = {
    { "inactive", VSH_OPT_BOOL, 0, "list inactive pools" },
    { "all", VSH_OPT_BOOL, 0, "list inactive & active pools" },
    { "details", VSH_OPT_BOOL, 0, "display extended details for pools" },
    { "name", VSH_OPT_BOOL, 0, "list pool names only" },
    END_OPTS,
};
static const vsh_opt_def pool_opts[] = { POOL_OPT, END_OPTS };
static const vsh_opt_def pool_dumpxml_opts[] = {
    POOL_OPT,
    { "inactive", VSH_OPT_BOOL, 0, "show inactive defined XML" },
    END_OPTS,
};
static const vsh_opt_def pool_build_opts[] = {
    POOL_OPT,
    { "no-overwrite", VSH_OPT_BOOL, 0, "do not overwrite any existing data" },
    { "overwrite", VSH_OPT_BOOL, 0, "overwrite any existing data" },
    END_OPTS,
};
static const vsh_opt_def pool_start_opts[] = {
    POOL_OPT,
    { "build", VSH_OPT_BOOL, 0, "build the pool as normal" },
    { "no-overwrite", VSH_OPT_BOOL, 0, "build the pool without overwriting the existing pool data" },
    { "overwrite", VSH_OPT_BOOL, 0, "build the pool overwriting the existing pool data" },
    END_OPTS,
};
static const vsh_opt_def pool_autostart_opts[] = {
    POOL_OPT,
    { "disable", VSH_OPT_BOOL, 0, "disable autostarting" },
    END_OPTS,
};
static const vsh_opt_def pool_define_opts[] = {
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "file containing an XML pool description" },
    END_OPTS,
};
static const vsh_opt_def vol_list_opts[] = {
    POOL_OPT,
    { "details", VSH_OPT_BOOL, 0, "display extended details for volumes" },
    END_OPTS,
};
static const vsh_opt_def vol_opts[] = { VOL_OPT, VOL_POOL_OPT, END_OPTS };
static const vsh_opt_def vol_info_opts[] = {
    VOL_OPT,
    VOL_POOL_OPT,
    { "bytes", VSH_OPT_BOOL, 0, "sizes are represented in bytes rather than pretty units" },
    END_OPTS,
};
static const vsh_opt_def vol_create_opts[] = {
    POOL_OPT,
    { "file", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "file containing an XML vol description" },
    END_OPTS,
};
static const vsh_opt_def vol_create_as_opts[] = {
    POOL_OPT,
    { "name", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "name of the volume" },
    { "capacity", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "size of the vol, as scaled integer (default bytes)" },
    { "allocation", VSH_OPT_STRING, 0, "initial allocation size, as scaled integer (default bytes)" },
    { "format", VSH_OPT_STRING, 0, "file format type raw,bochs,qcow,qcow2,qed,vmdk" },
    END_OPTS,
};
static const vsh_opt_def vol_clone_opts[] = {
    VOL_OPT,
    { "newname", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "clone name" },
    VOL_POOL_OPT,
    END_OPTS,
};
static const vsh_opt_def vol_resize_opts[] = {
    VOL_OPT,
    { "capacity", VSH_OPT_STRING, VSH_OFLAG_REQUIRED | VSH_OFLAG_POSITIONAL,
      "new capacity for the vol, as scaled integer (default bytes)" },
    VOL_POOL_OPT,
    { "allocate", VSH_OPT_BOOL, 0, "allocate the new capacity, rather than leaving it sparse" },
    { "delta", VSH_OPT_BOOL, 0, "use capacity as a delta to current size, rather than the new size" },
    { "shrink", VSH_OPT_BOOL, 0, "allow the resize to shrink the volume" },
    END_OPTS,
};

const vsh_cmd_def vsh_storage_cmds[] = {
    { "pool-autostart", cmd_pool_autostart, pool_autostart_opts, "autostart a pool", NULL, 0 },
    { "pool-build", cmd_pool_lifecycle, pool_build_opts, "build a pool", NULL, 0 },
    { "pool-define", cmd_pool_define, pool_define_opts, "define an inactive persistent storage pool from an XML file", NULL, 0 },
    { "pool-delete", cmd_pool_lifecycle, pool_opts, "delete a pool", NULL, 0 },
    { "pool-destroy", cmd_pool_lifecycle, pool_opts, "destroy (stop) a pool", NULL, 0 },
    { "pool-dumpxml", cmd_pool_dumpxml, pool_dumpxml_opts, "pool information in XML", NULL, 0 },
    { "pool-info", cmd_pool_info, pool_opts, "storage pool information", NULL, 0 },
    { "pool-list", cmd_pool_list, pool_list_opts, "list pools",
      "    Prints a table of the active pools (--all: and the inactive ones;\n"
      "    --inactive: the inactive ones only); --details adds persistence\n"
      "    and sizes.\n", 0 },
    { "pool-refresh", cmd_pool_lifecycle, pool_opts, "refresh a pool", NULL, 0 },
    { "pool-start", cmd_pool_lifecycle, pool_start_opts, "start a (previously defined) inactive pool", NULL, 0 },
    { "pool-undefine", cmd_pool_lifecycle, pool_opts, "undefine an inactive pool", NULL, 0 },
    { "vol-clone", cmd_vol_clone, vol_clone_opts, "clone a volume", NULL, 0 },
    { "vol-create", cmd_vol_create, vol_create_opts, "create a vol from an XML file", NULL, 0 },
    { "vol-create-as", cmd_vol_create_as, vol_create_as_opts, "create a volume from a set of args",
      "    Sizes are integers with an optional unit: k, M, G, T, P, E (or\n"
      "    KiB, MiB, ...: powers of 1024), KB, MB, ... (powers of 1000),\n"
      "    b or none (bytes), e.g. 10M, 1G.\n", 0 },
    { "vol-delete", cmd_vol_action, vol_opts, "delete a vol", NULL, 0 },
    { "vol-dumpxml", cmd_vol_dumpxml, vol_opts, "vol information in XML", NULL, 0 },
    { "vol-info", cmd_vol_info, vol_info_opts, "storage vol information",
      "    The volume is a name (with --pool), a key or a path.\n", 0 },
    { "vol-key", cmd_vol_key, vol_opts, "returns the volume key for a given volume name or path", NULL, 0 },
    { "vol-list", cmd_vol_list, vol_list_opts, "list vols", NULL, 0 },
    { "vol-path", cmd_vol_path, vol_opts, "returns the volume path for a given volume name or key", NULL, 0 },
    { "vol-resize", cmd_vol_resize, vol_resize_opts, "resize a vol",
      "    CAPACITY is a size as for vol-create-as; a leading '+' (or\n"
      "    --delta) grows by that much, a leading '-' (with --shrink)\n"
      "    shrinks by that much.\n", 0 },
    { "vol-wipe", cmd_vol_action, vol_opts, "wipe a vol", NULL, 0 },
    { NULL, NULL, NULL, NULL, NULL, 0 },
};
