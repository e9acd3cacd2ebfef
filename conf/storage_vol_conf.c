/*
 * conf/storage_vol_conf.c - storage volume definitions: libvirt's volume
 * XML read (formats checked against the pool's type), written back,
 * copied and freed.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#define EVIRT_LOG_CATEGORY "evirt.conf.storage"
#include "api/error-private.h"
#include "api/log-private.h"
#include "conf/storage_conf.h"
#include "conf/storage_conf_priv.h"
#include "conf/xml_util.h"

static const char *const vol_types[] = {
    "file", "block", "dir", "network", "netdir", "ploop", NULL
};

static const char *const vol_slots[] = {
    "name", "key", "source", "capacity", "allocation", "physical", "target",
    "backingStore", NULL
};
enum {
    VOL_NAME, VOL_KEY, VOL_SOURCE, VOL_CAPACITY, VOL_ALLOCATION, VOL_PHYSICAL,
    VOL_TARGET, VOL_BACKING
};

/* libvirt's order inside <target> and <backingStore>; nocow is read but
 * never written. */
static const char *const target_slots[] = {
    "path", "format", "permissions", "timestamps", "encryption", "compat",
    "nocow", "clusterSize", "features", NULL
};
enum {
    TGT_PATH, TGT_FORMAT, TGT_PERMISSIONS, TGT_TIMESTAMPS, TGT_ENCRYPTION,
    TGT_COMPAT, TGT_NOCOW, TGT_CLUSTER_SIZE, TGT_FEATURES
};

static const char *const file_features[] = {
    "lazy_refcounts", "extended_l2", NULL
};

/* The pool's rules; volumes without a pool are a dir pool's. */
static const evirt_pool_type_info *
pool_info(const evirt_storage_pool_def *pool)
{
    const evirt_pool_type_info *info =
        evirt_pool_type_lookup(pool && pool->type ? pool->type : "dir");
    return info ? info : evirt_pool_type_lookup("dir");
}

/*
 * A size element: text in its unit= to bytes.  libvirt calls every
 * malformed size a "malformed capacity element"; we add which one.
 * present: false when the element is absent or empty.
 */
static int
parse_size(xmlNodePtr parent, const char *name, unsigned long long *out,
           bool *present, evirt_error *err)
{
    *present = false;
    xmlNodePtr node = evirt_xml_child(parent, name);
    if (!node)
        return 0;
    char *text = evirt_xml_text(node);
    if (!text)
        return evirt_storage_oom(err);
    if (!*text) {
        free(text);
        return 0;
    }
    char *unit = evirt_xml_prop(node, "unit");
    evirt_error e = { 0 };
    int rc = evirt_parse_scaled_bytes(text, unit, out, &e);
    if (rc < 0 && e.code == EVIRT_ERR_XML_ERROR)
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "malformed capacity element: <%s> '%s' (line %ld)",
                        name, text, evirt_storage_line(node));
    else if (rc < 0)
        evirt_error_set(err, EVIRT_FROM_STORAGE, e.code, "%s in <%s> (line %ld)",
                        e.str2 ? e.str2 : "", name, evirt_storage_line(node));
    evirt_error_reset(&e);
    free(text);
    free(unit);
    *present = rc == 0;
    return rc;
}

static int
parse_format(xmlNodePtr target, const evirt_pool_type_info *info, char **out,
             evirt_error *err)
{
    free(*out);
    *out = NULL;
    if (!info->vol_formats)
        return 0;
    xmlNodePtr fmt = evirt_xml_child(target, "format");
    char *type = fmt ? evirt_xml_prop(fmt, "type") : NULL;
    if (type && !*type) {
        free(type);
        type = NULL;
    }
    if (!type) {
        *out = strdup(info->default_vol_format);
        return *out ? 0 : evirt_storage_oom(err);
    }
    if (!evirt_in_list(info->vol_formats, type)) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "unknown volume format type %s (line %ld)", type,
                        evirt_storage_line(fmt));
        free(type);
        return -1;
    }
    *out = type;
    return 0;
}

static int
check_compat(const char *compat, xmlNodePtr node, evirt_error *err)
{
    /* "<unsigned>.<unsigned>" */
    const char *p = compat;
    int parts = 0;
    for (;;) {
        const char *start = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == start || p - start > 10)
            break;
        parts++;
        if (*p == '.' && parts == 1) {
            p++;
            continue;
        }
        break;
    }
    if (parts == 2 && !*p)
        return 0;
    evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                    "forbidden characters in 'compat' attribute (line %ld)",
                    evirt_storage_line(node));
    return -1;
}

/* <target> or <backingStore> (node may be NULL: all defaults). */
static int
parse_target(evirt_storage_vol_target *t, xmlNodePtr node,
             const evirt_pool_type_info *info, bool full, evirt_error *err)
{
    if (evirt_xml_copy_node(&t->xml, node) < 0)
        return evirt_storage_oom(err);
    if (evirt_storage_child_text(node, "path", &t->path, err) < 0 ||
        parse_format(node, info, &t->format, err) < 0 ||
        evirt_storage_perms_parse(evirt_xml_child(node, "permissions"),
                                  &t->perms, err) < 0)
        return -1;
    if (!full)
        return 0; /* libvirt reads only these three of a backing store */
    if (evirt_storage_child_text(node, "compat", &t->compat, err) < 0)
        return -1;
    if (t->compat && check_compat(t->compat, evirt_xml_child(node, "compat"),
                                  err) < 0)
        return -1;
    t->nocow = evirt_xml_child(node, "nocow") != NULL;
    bool have;
    if (parse_size(node, "clusterSize", &t->cluster_size, &have, err) < 0)
        return -1;
    xmlNodePtr features = evirt_xml_child(node, "features");
    if (features) {
        for (xmlNodePtr c = features->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            if (!evirt_in_list(file_features, (const char *)c->name)) {
                evirt_error_set(err, EVIRT_FROM_STORAGE,
                                EVIRT_ERR_CONFIG_UNSUPPORTED,
                                "unsupported feature %s (line %ld)",
                                (const char *)c->name, evirt_storage_line(c));
                return -1;
            }
        }
        if (!t->compat && !(t->compat = strdup("1.1")))
            return evirt_storage_oom(err);
    }
    return 0;
}

static int
parse_volume(evirt_storage_vol_def *def, const evirt_pool_type_info *info,
             xmlNodePtr root, unsigned int flags, evirt_error *err)
{
    if (!evirt_xml_is(root, "volume")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'volume', not '%s'",
                        root ? (const char *)root->name : "");
        return -1;
    }
    evirt_storage_perms_clear(&def->target.perms);
    evirt_storage_perms_clear(&def->backing.perms);
    if (evirt_xml_copy_node(&def->xml, root) < 0)
        return evirt_storage_oom(err);

    if (evirt_storage_child_text(root, "name", &def->name, err) < 0)
        return -1;
    if (!def->name) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "missing volume name element (line %ld)",
                        evirt_storage_line(root));
        return -1;
    }
    if (evirt_storage_child_text(root, "key", &def->key, err) < 0)
        return -1;

    char *type = evirt_xml_prop(root, "type");
    if (type && *type && !evirt_in_list(vol_types, type)) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "unknown volume type '%s' (line %ld)", type,
                        evirt_storage_line(root));
        free(type);
        return -1;
    }
    if (!type || !*type) {
        free(type);
        type = strdup("file");
        if (!type)
            return evirt_storage_oom(err);
    }
    def->type = type;

    xmlNodePtr backing = evirt_xml_child(root, "backingStore");
    char *bpath = NULL;
    if (evirt_storage_child_text(backing, "path", &bpath, err) < 0)
        return -1;
    if (bpath) {
        free(bpath);
        def->has_backing = true;
        if (parse_target(&def->backing, backing, info, false, err) < 0)
            return -1;
    }

    bool have;
    if (parse_size(root, "capacity", &def->capacity, &have, err) < 0)
        return -1;
    if (!have && !(flags & EVIRT_STORAGE_VOL_PARSE_NO_CAPACITY) &&
        !((flags & EVIRT_STORAGE_VOL_PARSE_OPT_CAPACITY) && def->has_backing)) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "missing capacity element (line %ld)",
                        evirt_storage_line(root));
        return -1;
    }
    if (parse_size(root, "allocation", &def->allocation, &def->has_allocation,
                   err) < 0)
        return -1;
    if (!def->has_allocation)
        def->allocation = def->capacity;
    if (parse_size(root, "physical", &def->physical, &have, err) < 0)
        return -1;

    if (parse_target(&def->target, evirt_xml_child(root, "target"), info, true,
                     err) < 0)
        return -1;
    xmlNodePtr source = evirt_xml_child(root, "source");
    if (evirt_xml_copy_node(&def->source, source) < 0)
        return evirt_storage_oom(err);
    return 0;
}

evirt_storage_vol_def *
evirt_storage_vol_def_parse_string(const char *xml,
                                   const evirt_storage_pool_def *pool,
                                   unsigned int flags, evirt_error *err)
{
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_INVALID_ARG,
                        "no XML document given");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "storage_volume_definition",
                                   EVIRT_FROM_STORAGE, err);
    if (!doc)
        return NULL;
    evirt_storage_vol_def *def = calloc(1, sizeof(*def));
    if (!def) {
        evirt_storage_oom(err);
    } else if (parse_volume(def, pool_info(pool), xmlDocGetRootElement(doc),
                            flags, err) < 0) {
        evirt_storage_vol_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    if (def)
        EVIRT_DEBUG("parsed volume '%s' (%llu bytes)", def->name, def->capacity);
    return def;
}

/* ---- writing ---- */

static void
write_target(evirt_buf *b, int level, const char *name,
             const evirt_storage_vol_target *t, const evirt_pool_type_info *info)
{
    xmlNodePtr orig = t->xml;
    int l = level + 1;
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s>\n", name);
    evirt_buf_unknown_children(b, l, orig, target_slots, -1);
    for (int slot = 0; target_slots[slot]; slot++) {
        switch (slot) {
        case TGT_PATH: evirt_buf_text_elem(b, l, "path", t->path); break;
        case TGT_FORMAT:
            if (info->vol_formats) {
                evirt_buf_indent(b, l);
                evirt_buf_adds(b, "<format");
                evirt_buf_attr(b, "type", t->format ? t->format
                                                    : info->default_vol_format);
                evirt_buf_adds(b, "/>\n");
            }
            break;
        case TGT_PERMISSIONS: evirt_storage_perms_format(b, l, &t->perms); break;
        case TGT_COMPAT: evirt_buf_text_elem(b, l, "compat", t->compat); break;
        case TGT_NOCOW: break;
        case TGT_CLUSTER_SIZE:
            if (t->cluster_size) {
                evirt_buf_indent(b, l);
                evirt_buf_printf(b, "<clusterSize unit='B'>%llu</clusterSize>\n",
                                 t->cluster_size);
            }
            break;
        default: /* timestamps, encryption, features: as given */
            evirt_buf_kept_children(b, l, orig, target_slots[slot]);
            break;
        }
        evirt_buf_unknown_children(b, l, orig, target_slots, slot);
    }
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "</%s>\n", name);
}

char *
evirt_storage_vol_def_format(const evirt_storage_pool_def *pool,
                             const evirt_storage_vol_def *def,
                             unsigned int flags)
{
    (void)flags;
    const evirt_pool_type_info *info = pool_info(pool);
    evirt_buf b = { 0 };
    xmlNodePtr orig = def->xml;
    evirt_buf_adds(&b, "<volume");
    evirt_buf_attr(&b, "type", def->type ? def->type : "file");
    evirt_buf_adds(&b, ">\n");
    evirt_buf_unknown_children(&b, 1, orig, vol_slots, -1);
    for (int slot = 0; vol_slots[slot]; slot++) {
        switch (slot) {
        case VOL_NAME: evirt_buf_text_elem(&b, 1, "name", def->name); break;
        case VOL_KEY: evirt_buf_text_elem(&b, 1, "key", def->key); break;
        case VOL_SOURCE:
            if (def->source)
                evirt_buf_node(&b, 1, def->source);
            break;
        case VOL_CAPACITY:
            evirt_buf_printf(&b, "  <capacity unit='bytes'>%llu</capacity>\n",
                             def->capacity);
            break;
        case VOL_ALLOCATION:
            evirt_buf_printf(&b, "  <allocation unit='bytes'>%llu</allocation>\n",
                             def->allocation);
            break;
        case VOL_PHYSICAL:
            if (def->physical)
                evirt_buf_printf(&b, "  <physical unit='bytes'>%llu</physical>\n",
                                 def->physical);
            break;
        case VOL_TARGET: write_target(&b, 1, "target", &def->target, info); break;
        case VOL_BACKING:
            if (def->has_backing)
                write_target(&b, 1, "backingStore", &def->backing, info);
            break;
        }
        evirt_buf_unknown_children(&b, 1, orig, vol_slots, slot);
    }
    evirt_buf_adds(&b, "</volume>\n");
    return evirt_buf_steal(&b);
}

/* ---- copy, free ---- */

static int
target_copy(evirt_storage_vol_target *dst, const evirt_storage_vol_target *src)
{
    *dst = *src;
    dst->path = dst->format = dst->compat = NULL;
    dst->perms.label = NULL;
    dst->xml = NULL;
    if (evirt_strdup_to(&dst->path, src->path) < 0 ||
        evirt_strdup_to(&dst->format, src->format) < 0 ||
        evirt_strdup_to(&dst->compat, src->compat) < 0 ||
        evirt_storage_perms_copy(&dst->perms, &src->perms) < 0 ||
        evirt_xml_copy_node(&dst->xml, src->xml) < 0)
        return -1;
    return 0;
}

static void
target_clear(evirt_storage_vol_target *t)
{
    free(t->path);
    free(t->format);
    free(t->compat);
    free(t->perms.label);
    xmlFreeNode(t->xml);
}

evirt_storage_vol_def *
evirt_storage_vol_def_copy(const evirt_storage_vol_def *def)
{
    evirt_storage_vol_def *copy = calloc(1, sizeof(*copy));
    if (!copy)
        return NULL;
    copy->capacity = def->capacity;
    copy->allocation = def->allocation;
    copy->has_allocation = def->has_allocation;
    copy->physical = def->physical;
    copy->has_backing = def->has_backing;
    if (evirt_strdup_to(&copy->type, def->type) < 0 ||
        evirt_strdup_to(&copy->name, def->name) < 0 ||
        evirt_strdup_to(&copy->key, def->key) < 0 ||
        target_copy(&copy->target, &def->target) < 0 ||
        target_copy(&copy->backing, &def->backing) < 0 ||
        evirt_xml_copy_node(&copy->source, def->source) < 0 ||
        evirt_xml_copy_node(&copy->xml, def->xml) < 0) {
        evirt_storage_vol_def_free(copy);
        return NULL;
    }
    return copy;
}

void
evirt_storage_vol_def_free(evirt_storage_vol_def *def)
{
    if (!def)
        return;
    free(def->type);
    free(def->name);
    free(def->key);
    target_clear(&def->target);
    target_clear(&def->backing);
    xmlFreeNode(def->source);
    xmlFreeNode(def->xml);
    free(def);
}
