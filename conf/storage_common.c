/*
 * conf/storage_common.c - what the pool and volume code share: the rules
 * of each pool type, <permissions>, and writing preserved nodes back.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "api/error-private.h"
#include "conf/storage_conf.h"
#include "conf/storage_conf_priv.h"
#include "conf/xml_util.h"

/* ---- pool type rules ---- */

static const char *const fs_formats[] = {
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2",
    "vfat", "hfs+", "xfs", "ocfs2", "vmfs", NULL
};
static const char *const netfs_formats[] = {
    "auto", "nfs", "glusterfs", "cifs", NULL
};
static const char *const disk_formats[] = {
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2", NULL
};
static const char *const logical_formats[] = { "unknown", "lvm2", NULL };

/* "none" is a format number in libvirt but not one a volume may have. */
static const char *const file_vol_formats[] = {
    "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd",
    "ploop", "cow", "qcow", "qcow2", "qed", "vmdk", NULL
};
static const char *const disk_vol_formats[] = {
    "none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm",
    "linux-raid", "extended", NULL
};

#define FILE_VOLS file_vol_formats, "raw"

static const evirt_pool_type_info pool_types[] = {
    { "dir", 0, NULL, NULL, FILE_VOLS },
    { "fs", EVIRT_POOL_SRC_DEVICE, fs_formats, "auto", FILE_VOLS },
    { "netfs", EVIRT_POOL_SRC_HOST | EVIRT_POOL_SRC_DIR, netfs_formats, "auto",
      FILE_VOLS },
    { "logical", EVIRT_POOL_SRC_NAME | EVIRT_POOL_SRC_DEVICE, logical_formats,
      "lvm2", NULL, NULL },
    { "disk", EVIRT_POOL_SRC_DEVICE, disk_formats, "unknown",
      disk_vol_formats, "none" },
    { "iscsi", EVIRT_POOL_SRC_HOST | EVIRT_POOL_SRC_DEVICE |
      EVIRT_POOL_SRC_INITIATOR, NULL, NULL, NULL, NULL },
    { "iscsi-direct", EVIRT_POOL_SRC_HOST | EVIRT_POOL_SRC_DEVICE |
      EVIRT_POOL_SRC_NETWORK | EVIRT_POOL_SRC_INITIATOR, NULL, NULL,
      NULL, NULL },
    { "scsi", EVIRT_POOL_SRC_ADAPTER, NULL, NULL, NULL, NULL },
    { "mpath", 0, NULL, NULL, NULL, NULL },
    { "rbd", EVIRT_POOL_SRC_HOST | EVIRT_POOL_SRC_NETWORK |
      EVIRT_POOL_SRC_NAME, NULL, NULL, FILE_VOLS },
    { "sheepdog", EVIRT_POOL_SRC_HOST | EVIRT_POOL_SRC_NETWORK |
      EVIRT_POOL_SRC_NAME, NULL, NULL, NULL, NULL },
    { "gluster", EVIRT_POOL_SRC_HOST | EVIRT_POOL_SRC_NETWORK |
      EVIRT_POOL_SRC_NAME | EVIRT_POOL_SRC_DIR, NULL, NULL, FILE_VOLS },
    { "zfs", EVIRT_POOL_SRC_NAME | EVIRT_POOL_SRC_DEVICE, NULL, NULL,
      NULL, NULL },
    { "vstorage", EVIRT_POOL_SRC_NAME, NULL, NULL, FILE_VOLS },
};

const evirt_pool_type_info *
evirt_pool_type_lookup(const char *type)
{
    for (size_t i = 0; type && i < sizeof(pool_types) / sizeof(pool_types[0]); i++)
        if (strcmp(pool_types[i].type, type) == 0)
            return &pool_types[i];
    return NULL;
}

bool
evirt_storage_pool_type_valid(const char *type)
{
    return evirt_pool_type_lookup(type) != NULL;
}

/* ---- shared helpers ---- */

int
evirt_storage_oom(evirt_error *err)
{
    return evirt_xml_oom(EVIRT_FROM_STORAGE, err);
}

long
evirt_storage_line(xmlNodePtr node)
{
    long line = node ? xmlGetLineNo(node) : 0;
    return line > 0 ? line : 0;
}

int
evirt_storage_xml_error(evirt_error *err, xmlNodePtr node, const char *what)
{
    evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                    "%s (line %ld)", what, evirt_storage_line(node));
    return -1;
}

int
evirt_storage_child_text(xmlNodePtr parent, const char *name, char **out,
                         evirt_error *err)
{
    free(*out);
    *out = NULL;
    xmlNodePtr c = evirt_xml_child(parent, name);
    if (!c)
        return 0;
    char *s = evirt_xml_text(c);
    if (!s)
        return evirt_storage_oom(err);
    if (!*s)
        free(s);
    else
        *out = s;
    return 0;
}

/* An XPath number(): blanks around an optionally signed integer. */
static int
parse_ll(const char *s, long long *out)
{
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || errno)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

static int
parse_id(xmlNodePtr perms, const char *name, long long *out, evirt_error *err)
{
    *out = -1;
    xmlNodePtr c = evirt_xml_child(perms, name);
    if (!c)
        return 0;
    char *text = evirt_xml_text(c);
    if (!text)
        return evirt_storage_oom(err);
    long long v;
    /* ids are unsigned 32-bit; -1 is what older versions wrote for "unset" */
    int rc = parse_ll(text, &v);
    if (rc == 0 && v != -1 && (v < 0 || v > (long long)UINT_MAX))
        rc = -1;
    free(text);
    if (rc < 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "malformed %s element (line %ld)", name,
                        evirt_storage_line(c));
        return -1;
    }
    *out = v;
    return 0;
}

int
evirt_storage_perms_parse(xmlNodePtr node, evirt_storage_perms *perms,
                          evirt_error *err)
{
    evirt_storage_perms_clear(perms);
    if (!node)
        return 0;
    char *mode = NULL;
    if (evirt_storage_child_text(node, "mode", &mode, err) < 0)
        return -1;
    if (mode) {
        char *end;
        errno = 0;
        long v = strtol(mode, &end, 8);
        bool ok = end != mode && !*end && !errno && v >= 0 && !(v & ~0777L);
        free(mode);
        if (!ok)
            return evirt_storage_xml_error(err, evirt_xml_child(node, "mode"),
                             "malformed octal mode");
        perms->mode = (int)v;
    }
    if (parse_id(node, "owner", &perms->owner, err) < 0 ||
        parse_id(node, "group", &perms->group, err) < 0 ||
        evirt_storage_child_text(node, "label", &perms->label, err) < 0)
        return -1;
    return 0;
}

void
evirt_storage_perms_format(evirt_buf *b, int level,
                           const evirt_storage_perms *perms)
{
    if (perms->mode == -1 && perms->owner == -1 && perms->group == -1 &&
        !perms->label)
        return;
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "<permissions>\n");
    if (perms->mode != -1) {
        evirt_buf_indent(b, level + 1);
        evirt_buf_printf(b, "<mode>0%o</mode>\n", (unsigned)perms->mode);
    }
    if (perms->owner != -1) {
        evirt_buf_indent(b, level + 1);
        evirt_buf_printf(b, "<owner>%lld</owner>\n", perms->owner);
    }
    if (perms->group != -1) {
        evirt_buf_indent(b, level + 1);
        evirt_buf_printf(b, "<group>%lld</group>\n", perms->group);
    }
    evirt_buf_text_elem(b, level + 1, "label", perms->label);
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "</permissions>\n");
}

void
evirt_storage_perms_clear(evirt_storage_perms *perms)
{
    free(perms->label);
    perms->label = NULL;
    perms->mode = -1;
    perms->owner = -1;
    perms->group = -1;
}

int
evirt_storage_perms_copy(evirt_storage_perms *dst,
                         const evirt_storage_perms *src)
{
    *dst = *src;
    dst->label = NULL;
    if (src->label && !(dst->label = strdup(src->label)))
        return -1;
    return 0;
}
