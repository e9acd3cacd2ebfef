/*
 * conf/storage_pool_conf.c - storage pool definitions: libvirt's pool XML
 * read, checked per pool type, written back, copied and freed.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#define EVIRT_LOG_CATEGORY "evirt.conf.storage"
#include "api/error-private.h"
#include "api/log-private.h"
#include "conf/domain_conf.h"
#include "conf/storage_conf.h"
#include "conf/storage_conf_priv.h"
#include "conf/xml_util.h"

/* An attribute as it is, "" included. */
static int
get_prop(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    return evirt_xml_get_prop(node, name, out, EVIRT_FROM_STORAGE, err);
}

/* An attribute, "" counting as absent (libvirt reads these through
 * XPath string(), which cannot tell the two apart). */
static int
nonempty_prop(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    if (get_prop(node, name, out, err) < 0)
        return -1;
    if (*out && !**out) {
        free(*out);
        *out = NULL;
    }
    return 0;
}

static bool
given_attr(const char *const *attrs, size_t nattrs, const char *name)
{
    for (size_t i = 0; i + 1 < nattrs; i += 2)
        if (strcmp(attrs[i], name) == 0)
            return true;
    return false;
}

/* Writes <name given-attrs orig's-other-attrs> with orig's child elements,
 * or "/>".  attrs are name/value pairs (NULL values left out); orig's
 * other attributes follow, those in order[] first and in that order. */
static void
write_merged(evirt_buf *b, int level, const char *name,
             const char *const *attrs, size_t nattrs, xmlNodePtr orig,
             const char *const *order)
{
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s", name);
    for (size_t i = 0; i + 1 < nattrs; i += 2)
        evirt_buf_attr(b, attrs[i], attrs[i + 1]);
    for (size_t k = 0; orig && order && order[k]; k++) {
        if (given_attr(attrs, nattrs, order[k]) ||
            !xmlHasNsProp(orig, BAD_CAST order[k], NULL))
            continue;
        xmlChar *v = xmlGetNoNsProp(orig, BAD_CAST order[k]);
        evirt_buf_attr(b, order[k], v ? (const char *)v : "");
        xmlFree(v);
    }
    for (xmlAttrPtr a = orig ? orig->properties : NULL; a; a = a->next) {
        const char *an = (const char *)a->name;
        if (a->ns || given_attr(attrs, nattrs, an) ||
            evirt_in_list(order, an))
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        evirt_buf_attr(b, an, v ? (const char *)v : "");
        xmlFree(v);
    }
    bool kids = false;
    for (xmlNodePtr c = orig ? orig->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!kids)
            evirt_buf_adds(b, ">\n");
        kids = true;
        evirt_buf_node(b, level + 1, c);
    }
    if (kids) {
        evirt_buf_indent(b, level);
        evirt_buf_printf(b, "</%s>\n", name);
    } else {
        evirt_buf_adds(b, "/>\n");
    }
}

/* "//x//y/" -> "//x/y", "///x" -> "/x": what libvirt stores for paths. */
static char *
sanitize_path(const char *path)
{
    char *clean = strdup(path);
    if (!clean)
        return NULL;
    size_t out = 0;
    const char *p = path;
    /* POSIX lets a leading "//" mean something else; three or more don't */
    if (p[0] == '/' && p[1] == '/' && p[2] != '/') {
        clean[out++] = '/';
        p++;
    }
    for (; *p; p++) {
        if (*p == '/' && p[1] == '/')
            continue;
        clean[out++] = *p;
    }
    if (out > 1 && clean[out - 1] == '/')
        out--;
    clean[out] = '\0';
    return clean;
}

static int
sanitize_in_place(char **path, evirt_error *err)
{
    if (!*path)
        return 0;
    char *clean = sanitize_path(*path);
    if (!clean)
        return evirt_storage_oom(err);
    free(*path);
    *path = clean;
    return 0;
}

/* ---- <source> ---- */

static const char *const source_slots[] = {
    "host", "device", "dir", "adapter", "name", "initiator", "format", "auth",
    "protocol", "vendor", "product", NULL
};
enum {
    SRC_HOST, SRC_DEVICE, SRC_DIR, SRC_ADAPTER, SRC_NAME, SRC_INITIATOR,
    SRC_FORMAT, SRC_AUTH, SRC_PROTOCOL, SRC_VENDOR, SRC_PRODUCT
};

static const char *const adapter_attr_order[] = {
    "parent", "parent_wwnn", "parent_wwpn", "parent_fabric_wwn", "managed",
    "wwnn", "wwpn", NULL
};

static int
parse_host(evirt_storage_pool_source *src, xmlNodePtr node, evirt_error *err)
{
    EVIRT_APPEND_OR(src->hosts, src->nhosts, return evirt_storage_oom(err));
    evirt_storage_pool_host *h = &src->hosts[src->nhosts - 1];
    if (get_prop(node, "name", &h->name, err) < 0)
        return -1;
    if (!h->name)
        return evirt_storage_xml_error(err, node, "missing storage pool host name");
    char *port = evirt_xml_prop(node, "port");
    if (port) {
        char *end;
        errno = 0;
        long v = strtol(port, &end, 10);
        bool ok = end != port && !*end && !errno && v >= INT_MIN && v <= INT_MAX;
        if (!ok) {
            evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                            "invalid value '%s' for attribute 'port' of <host> (line %ld)",
                            port, evirt_storage_line(node));
            free(port);
            return -1;
        }
        h->port = (int)v;
        free(port);
    }
    return 0;
}

static int
parse_device(evirt_storage_pool_source *src, xmlNodePtr node, evirt_error *err)
{
    EVIRT_APPEND_OR(src->devices, src->ndevices, return evirt_storage_oom(err));
    evirt_storage_pool_device *d = &src->devices[src->ndevices - 1];
    if (get_prop(node, "path", &d->path, err) < 0 ||
        get_prop(node, "part_separator", &d->part_separator, err) < 0)
        return -1;
    if (!d->path)
        return evirt_storage_xml_error(err, node, "missing storage pool source device path");
    if (d->part_separator && strcmp(d->part_separator, "yes") != 0 &&
        strcmp(d->part_separator, "no") != 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "invalid value '%s' for attribute 'part_separator' of <device> (line %ld)",
                        d->part_separator, evirt_storage_line(node));
        return -1;
    }
    return 0;
}

static int
parse_adapter(evirt_storage_pool_source *src, xmlNodePtr node, evirt_error *err)
{
    if (get_prop(node, "type", &src->adapter_type, err) < 0 ||
        get_prop(node, "name", &src->adapter_name, err) < 0)
        return -1;
    if (!src->adapter_type) {
        /* the old form: a bare name means a SCSI host, nothing more */
        if (xmlHasNsProp(node, BAD_CAST "wwnn", NULL) ||
            xmlHasNsProp(node, BAD_CAST "wwpn", NULL) ||
            xmlHasNsProp(node, BAD_CAST "parent", NULL))
            return evirt_storage_xml_error(err, node,
                             "use of 'wwnn', 'wwpn' and 'parent' attributes "
                             "requires the adapter 'type'");
        if (evirt_xml_child(node, "parentaddr"))
            return evirt_storage_xml_error(err, node,
                             "use of the 'parentaddr' element requires the "
                             "adapter 'type'");
        if (src->adapter_name && !(src->adapter_type = strdup("scsi_host")))
            return evirt_storage_oom(err);
        return 0;
    }
    if (strcmp(src->adapter_type, "scsi_host") != 0 &&
        strcmp(src->adapter_type, "fc_host") != 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "invalid adapter type '%s' (line %ld)",
                        src->adapter_type, evirt_storage_line(node));
        return -1;
    }
    if (strcmp(src->adapter_type, "fc_host") == 0) {
        /* fc_host adapters are named by WWNs, not by name= */
        free(src->adapter_name);
        src->adapter_name = NULL;
    }
    return 0;
}

static bool
valid_wwn(const char *s)
{
    if (!s)
        return false;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]))
            return false;
    return n == 16;
}

static int
validate_adapter(const evirt_storage_pool_source *src, xmlNodePtr source_node,
                 evirt_error *err)
{
    xmlNodePtr node = evirt_xml_child(src->xml, "adapter");
    if (!src->adapter_type)
        return evirt_storage_xml_error(err, node ? node : source_node,
                         "missing storage pool source adapter");
    if (strcmp(src->adapter_type, "scsi_host") == 0) {
        bool parent = evirt_xml_child(node, "parentaddr") != NULL;
        if (!src->adapter_name && !parent)
            return evirt_storage_xml_error(err, node, "either 'name' or 'parentaddr' must be "
                             "given for a 'scsi_host' adapter");
        if (src->adapter_name && parent)
            return evirt_storage_xml_error(err, node, "'name' and 'parentaddr' cannot both "
                             "be given for a 'scsi_host' adapter");
        return 0;
    }
    static const char *const wwns[] = {
        "wwnn", "wwpn", "parent_wwnn", "parent_wwpn", "parent_fabric_wwn", NULL
    };
    for (int i = 0; wwns[i]; i++) {
        char *v = evirt_xml_prop(node, wwns[i]);
        if (!v && i < 2)
            return evirt_storage_xml_error(err, node, "'wwnn' and 'wwpn' must be given for "
                             "an 'fc_host' adapter");
        if (v && !valid_wwn(v)) {
            evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                            "malformed wwn: %s (line %ld)", v,
                            evirt_storage_line(node));
            free(v);
            return -1;
        }
        free(v);
    }
    bool pn = xmlHasNsProp(node, BAD_CAST "parent_wwnn", NULL) != NULL;
    bool pp = xmlHasNsProp(node, BAD_CAST "parent_wwpn", NULL) != NULL;
    if (pn != pp)
        return evirt_storage_xml_error(err, node, "'parent_wwnn' and 'parent_wwpn' must be "
                         "given together");
    return 0;
}

static int
parse_auth(xmlNodePtr node, evirt_error *err)
{
    char *type = evirt_xml_prop(node, "type");
    char *user = evirt_xml_prop(node, "username");
    int rc = 0;
    if (!type || !*type) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "storage pool missing auth type (line %ld)",
                        evirt_storage_line(node));
        rc = -1;
    } else if (strcmp(type, "chap") != 0 && strcmp(type, "ceph") != 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "unknown auth type '%s' (line %ld)", type,
                        evirt_storage_line(node));
        rc = -1;
    } else if (!user) {
        rc = evirt_storage_xml_error(err, node, "missing username for auth");
    }
    free(type);
    free(user);
    return rc;
}

/* Reads a <source> element (node) for a pool of this type into src. */
static int
parse_source(evirt_storage_pool_source *src, const evirt_pool_type_info *info,
             xmlNodePtr node, evirt_error *err)
{
    if (evirt_xml_copy_node(&src->xml, node) < 0)
        return evirt_storage_oom(err);
    if (evirt_storage_child_text(node, "name", &src->name, err) < 0)
        return -1;
    if (strcmp(info->type, "rbd") == 0 && !src->name)
        return evirt_storage_xml_error(err, node, "element 'name' is mandatory for RBD pool");
    if (info->formats) {
        if (nonempty_prop(evirt_xml_child(node, "format"), "type", &src->format,
                          err) < 0)
            return -1;
        if (src->format && !evirt_in_list(info->formats, src->format)) {
            evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                            "unknown pool format type %s (line %ld)",
                            src->format,
                            evirt_storage_line(evirt_xml_child(node, "format")));
            return -1;
        }
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (evirt_xml_is(c, "host")) {
            if (parse_host(src, c, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "device")) {
            if (parse_device(src, c, err) < 0)
                return -1;
        }
    }
    if (nonempty_prop(evirt_xml_child(node, "dir"), "path", &src->dir, err) < 0 ||
        sanitize_in_place(&src->dir, err) < 0)
        return -1;
    if (!src->dir && strcmp(info->type, "gluster") == 0 &&
        !(src->dir = strdup("/")))
        return evirt_storage_oom(err);
    xmlNodePtr adapter = evirt_xml_child(node, "adapter");
    if (adapter && parse_adapter(src, adapter, err) < 0)
        return -1;
    xmlNodePtr auth = evirt_xml_child(node, "auth");
    if (auth && parse_auth(auth, err) < 0)
        return -1;
    xmlNodePtr proto = evirt_xml_child(node, "protocol");
    char *ver = proto ? evirt_xml_prop(proto, "ver") : NULL;
    if (ver && *ver) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(ver, &end, 0);
        bool ok = end != ver && !*end && !errno && v <= UINT_MAX &&
                  !strchr(ver, '-');
        if (!ok) {
            evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                            "storage pool protocol ver '%s' is malformed (line %ld)",
                            ver, evirt_storage_line(proto));
            free(ver);
            return -1;
        }
    }
    free(ver);
    return 0;
}

static void
write_source(evirt_buf *b, int level, const evirt_pool_type_info *info,
             const evirt_storage_pool_source *src)
{
    xmlNodePtr orig = src->xml;
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "<source>\n");
    int l = level + 1;
    evirt_buf_unknown_children(b, l, orig, source_slots, -1);
    for (int slot = 0; source_slots[slot]; slot++) {
        switch (slot) {
        case SRC_HOST:
            for (size_t i = 0; (info->flags & EVIRT_POOL_SRC_HOST) &&
                               i < src->nhosts; i++) {
                evirt_buf_indent(b, l);
                evirt_buf_adds(b, "<host");
                evirt_buf_attr(b, "name", src->hosts[i].name);
                if (src->hosts[i].port)
                    evirt_buf_printf(b, " port='%d'", src->hosts[i].port);
                evirt_buf_adds(b, "/>\n");
            }
            break;
        case SRC_DEVICE:
            for (size_t i = 0; (info->flags & EVIRT_POOL_SRC_DEVICE) &&
                               i < src->ndevices; i++) {
                evirt_buf_indent(b, l);
                evirt_buf_adds(b, "<device");
                evirt_buf_attr(b, "path", src->devices[i].path);
                evirt_buf_attr(b, "part_separator", src->devices[i].part_separator);
                evirt_buf_adds(b, "/>\n");
            }
            break;
        case SRC_DIR:
            if ((info->flags & EVIRT_POOL_SRC_DIR) && src->dir) {
                evirt_buf_indent(b, l);
                evirt_buf_adds(b, "<dir");
                evirt_buf_attr(b, "path", src->dir);
                evirt_buf_adds(b, "/>\n");
            }
            break;
        case SRC_ADAPTER:
            if ((info->flags & EVIRT_POOL_SRC_ADAPTER) && src->adapter_type) {
                const char *attrs[] = { "type", src->adapter_type,
                                        "name", src->adapter_name };
                write_merged(b, l, "adapter", attrs, 4,
                             evirt_xml_child(orig, "adapter"), adapter_attr_order);
            }
            break;
        case SRC_NAME:
            if (info->flags & EVIRT_POOL_SRC_NAME)
                evirt_buf_text_elem(b, l, "name", src->name);
            break;
        case SRC_INITIATOR:
            if (info->flags & EVIRT_POOL_SRC_INITIATOR)
                evirt_buf_kept_children(b, l, orig, "initiator");
            break;
        case SRC_FORMAT:
            if (info->formats) {
                evirt_buf_indent(b, l);
                evirt_buf_adds(b, "<format");
                evirt_buf_attr(b, "type", src->format ? src->format
                                                      : info->default_format);
                evirt_buf_adds(b, "/>\n");
            }
            break;
        case SRC_AUTH: {
            static const char *const order[] = { "type", "username", NULL };
            for (xmlNodePtr c = orig ? orig->children : NULL; c; c = c->next)
                if (evirt_xml_is(c, "auth"))
                    write_merged(b, l, "auth", NULL, 0, c, order);
            break;
        }
        default:
            evirt_buf_kept_children(b, l, orig, source_slots[slot]);
            break;
        }
        evirt_buf_unknown_children(b, l, orig, source_slots, slot);
    }
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "</source>\n");
}

static void
source_clear(evirt_storage_pool_source *src)
{
    for (size_t i = 0; i < src->nhosts; i++)
        free(src->hosts[i].name);
    free(src->hosts);
    for (size_t i = 0; i < src->ndevices; i++) {
        free(src->devices[i].path);
        free(src->devices[i].part_separator);
    }
    free(src->devices);
    free(src->dir);
    free(src->adapter_type);
    free(src->adapter_name);
    free(src->name);
    free(src->format);
    xmlFreeNode(src->xml);
    memset(src, 0, sizeof(*src));
}

void
evirt_storage_pool_source_free(evirt_storage_pool_source *src)
{
    if (!src)
        return;
    source_clear(src);
    free(src);
}

static int
source_copy(evirt_storage_pool_source *dst, const evirt_storage_pool_source *src)
{
    memset(dst, 0, sizeof(*dst));
    if (src->nhosts) {
        if (!(dst->hosts = calloc(src->nhosts, sizeof(*dst->hosts))))
            return -1;
        dst->nhosts = src->nhosts;
        for (size_t i = 0; i < src->nhosts; i++) {
            dst->hosts[i].port = src->hosts[i].port;
            if (evirt_strdup_to(&dst->hosts[i].name, src->hosts[i].name) < 0)
                return -1;
        }
    }
    if (src->ndevices) {
        if (!(dst->devices = calloc(src->ndevices, sizeof(*dst->devices))))
            return -1;
        dst->ndevices = src->ndevices;
        for (size_t i = 0; i < src->ndevices; i++)
            if (evirt_strdup_to(&dst->devices[i].path, src->devices[i].path) < 0 ||
                evirt_strdup_to(&dst->devices[i].part_separator,
                          src->devices[i].part_separator) < 0)
                return -1;
    }
    if (evirt_strdup_to(&dst->dir, src->dir) < 0 ||
        evirt_strdup_to(&dst->adapter_type, src->adapter_type) < 0 ||
        evirt_strdup_to(&dst->adapter_name, src->adapter_name) < 0 ||
        evirt_strdup_to(&dst->name, src->name) < 0 ||
        evirt_strdup_to(&dst->format, src->format) < 0 ||
        evirt_xml_copy_node(&dst->xml, src->xml) < 0)
        return -1;
    return 0;
}

/* ---- <pool> ---- */

static const char *const pool_slots[] = {
    "name", "uuid", "capacity", "allocation", "available", "features",
    "source", "target", "refresh", NULL
};
enum {
    POOL_NAME, POOL_UUID, POOL_CAPACITY, POOL_ALLOCATION, POOL_AVAILABLE,
    POOL_FEATURES, POOL_SOURCE, POOL_TARGET, POOL_REFRESH
};

static const char *const target_slots[] = { "path", "permissions", NULL };

static int
parse_size(xmlNodePtr node, unsigned long long *out, evirt_error *err)
{
    *out = 0;
    if (!node)
        return 0;
    char *text = evirt_xml_text(node);
    char *unit = evirt_xml_prop(node, "unit");
    int rc = -1;
    if (!text) {
        evirt_storage_oom(err);
    } else if (!*text) {
        rc = 0; /* as absent */
    } else {
        evirt_error e = { 0 };
        rc = evirt_parse_scaled_bytes(text, unit, out, &e);
        if (rc < 0)
            evirt_error_set(err, EVIRT_FROM_STORAGE, e.code, "%s in <%s> (line %ld)",
                            e.str2 ? e.str2 : "", (const char *)node->name,
                            evirt_storage_line(node));
        evirt_error_reset(&e);
    }
    free(text);
    free(unit);
    return rc;
}

static int
parse_features(evirt_storage_pool_def *def, xmlNodePtr root, evirt_error *err)
{
    xmlNodePtr cow = evirt_xml_child(evirt_xml_child(root, "features"), "cow");
    if (!cow)
        return 0;
    char *state = evirt_xml_prop(cow, "state");
    int rc = 0;
    if (state && strcmp(state, "yes") != 0 && strcmp(state, "no") != 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "invalid value '%s' for attribute 'state' of <cow> (line %ld)",
                        state, evirt_storage_line(cow));
        rc = -1;
    } else if (state && strcmp(def->type, "fs") != 0 &&
               strcmp(def->type, "dir") != 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_NO_SUPPORT,
                        "cow feature may only be used for 'fs' and 'dir' pools (line %ld)",
                        evirt_storage_line(cow));
        rc = -1;
    }
    free(state);
    return rc;
}

static int
parse_refresh(xmlNodePtr root, evirt_error *err)
{
    xmlNodePtr vol = evirt_xml_child(evirt_xml_child(root, "refresh"), "volume");
    char *alloc = vol ? evirt_xml_prop(vol, "allocation") : NULL;
    int rc = 0;
    if (alloc && *alloc && strcmp(alloc, "default") != 0 &&
        strcmp(alloc, "capacity") != 0) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "unknown storage pool volume refresh allocation type %s (line %ld)",
                        alloc, evirt_storage_line(vol));
        rc = -1;
    }
    free(alloc);
    return rc;
}

static int
parse_type(evirt_storage_pool_def *def, xmlNodePtr root,
           const evirt_pool_type_info **info, evirt_error *err)
{
    if (get_prop(root, "type", &def->type, err) < 0)
        return -1;
    if (!def->type) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "missing required attribute 'type' in element 'pool' (line %ld)",
                        evirt_storage_line(root));
        return -1;
    }
    if (!(*info = evirt_pool_type_lookup(def->type))) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "invalid value for attribute 'type' in element 'pool': '%s' (line %ld)",
                        def->type, evirt_storage_line(root));
        return -1;
    }
    return 0;
}

static int
parse_name_uuid(evirt_storage_pool_def *def, const evirt_pool_type_info *info,
                xmlNodePtr root, evirt_error *err)
{
    if (evirt_storage_child_text(root, "name", &def->name, err) < 0)
        return -1;
    if (!def->name && (info->flags & EVIRT_POOL_SRC_NAME) && def->source.name &&
        !(def->name = strdup(def->source.name)))
        return evirt_storage_oom(err);
    if (!def->name)
        return evirt_storage_xml_error(err, root, "missing pool source name element");
    if (strchr(def->name, '/')) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_XML_ERROR,
                        "name %s cannot contain '/' (line %ld)", def->name,
                        evirt_storage_line(evirt_xml_child(root, "name")));
        return -1;
    }
    char *uuid = NULL;
    if (evirt_storage_child_text(root, "uuid", &uuid, err) < 0)
        return -1;
    int rc = 0;
    if (!uuid) {
        if (evirt_uuid_generate(def->uuid) < 0) {
            evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_INTERNAL_ERROR,
                            "unable to generate uuid: %s", strerror(errno));
            rc = -1;
        }
    } else if (evirt_uuid_parse(uuid, def->uuid) < 0) {
        rc = evirt_storage_xml_error(err, evirt_xml_child(root, "uuid"), "malformed uuid element");
    }
    free(uuid);
    return rc;
}

/* What libvirt requires of the source for the pool type. */
static int
check_source(evirt_storage_pool_def *def, const evirt_pool_type_info *info,
             xmlNodePtr root, evirt_error *err)
{
    xmlNodePtr where = evirt_xml_child(root, "source");
    if (!where)
        where = root;
    evirt_storage_pool_source *src = &def->source;
    if ((info->flags & EVIRT_POOL_SRC_HOST) && !src->nhosts)
        return evirt_storage_xml_error(err, where, "missing storage pool source host name");
    if ((info->flags & EVIRT_POOL_SRC_DIR) && !src->dir)
        return evirt_storage_xml_error(err, where, "missing storage pool source path");
    if ((info->flags & EVIRT_POOL_SRC_NAME) && !src->name &&
        !(src->name = strdup(def->name)))
        return evirt_storage_oom(err);
    if ((info->flags & EVIRT_POOL_SRC_ADAPTER) &&
        validate_adapter(src, where, err) < 0)
        return -1;
    if (info->flags == EVIRT_POOL_SRC_DEVICE && !src->ndevices)
        return evirt_storage_xml_error(err, where, "missing storage pool source device name");
    if (info->formats && !src->format &&
        !(src->format = strdup(info->default_format)))
        return evirt_storage_oom(err);
    return 0;
}

static int
parse_target(evirt_storage_pool_def *def, const evirt_pool_type_info *info,
             xmlNodePtr root, evirt_error *err)
{
    if (info->flags & EVIRT_POOL_SRC_NETWORK)
        return 0; /* network pools have no local target */
    xmlNodePtr target = evirt_xml_child(root, "target");
    if (evirt_xml_copy_node(&def->target.xml, target) < 0)
        return evirt_storage_oom(err);
    char *path = NULL;
    if (strcmp(def->type, "logical") == 0) {
        if (asprintf(&path, "/dev/%s", def->source.name) < 0)
            return evirt_storage_oom(err);
    } else if (strcmp(def->type, "zfs") == 0) {
        if (asprintf(&path, "/dev/zvol/%s", def->source.name) < 0)
            return evirt_storage_oom(err);
    } else {
        if (evirt_storage_child_text(target, "path", &path, err) < 0)
            return -1;
        if (!path)
            return evirt_storage_xml_error(err, target ? target : root,
                             "missing storage pool target path");
    }
    def->target.path = sanitize_path(path);
    free(path);
    if (!def->target.path)
        return evirt_storage_oom(err);
    return evirt_storage_perms_parse(evirt_xml_child(target, "permissions"),
                                     &def->target.perms, err);
}

static int
check_initiator(const evirt_storage_pool_def *def, evirt_error *err)
{
    if (strcmp(def->type, "iscsi-direct") != 0)
        return 0;
    xmlNodePtr iqn = evirt_xml_child(evirt_xml_child(def->source.xml, "initiator"),
                                     "iqn");
    char *name = iqn ? evirt_xml_prop(iqn, "name") : NULL;
    bool ok = name && *name;
    free(name);
    if (ok)
        return 0;
    evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_CONFIG_UNSUPPORTED,
                    "missing initiator IQN");
    return -1;
}

static int
parse_pool(evirt_storage_pool_def *def, xmlNodePtr root, evirt_error *err)
{
    if (!evirt_xml_is(root, "pool")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'pool', not '%s'",
                        root ? (const char *)root->name : "");
        return -1;
    }
    def->target.perms.mode = -1;
    def->target.perms.owner = def->target.perms.group = -1;
    const evirt_pool_type_info *info = NULL;
    if (parse_type(def, root, &info, err) < 0)
        return -1;
    if (evirt_xml_copy_node(&def->xml, root) < 0)
        return evirt_storage_oom(err);

    /* libvirt's order of checks, so the same document fails the same way */
    xmlNodePtr source = evirt_xml_child(root, "source");
    if (source && parse_source(&def->source, info, source, err) < 0)
        return -1;
    if (parse_name_uuid(def, info, root, err) < 0 ||
        parse_features(def, root, err) < 0 ||
        check_source(def, info, root, err) < 0 ||
        parse_target(def, info, root, err) < 0 ||
        check_initiator(def, err) < 0 ||
        parse_refresh(root, err) < 0)
        return -1;
    if (parse_size(evirt_xml_child(root, "capacity"), &def->capacity, err) < 0 ||
        parse_size(evirt_xml_child(root, "allocation"), &def->allocation, err) < 0 ||
        parse_size(evirt_xml_child(root, "available"), &def->available, err) < 0)
        return -1;
    return 0;
}

evirt_storage_pool_def *
evirt_storage_pool_def_parse_string(const char *xml, unsigned int flags,
                                    evirt_error *err)
{
    (void)flags; /* VALIDATE: there is no schema to check against */
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_INVALID_ARG,
                        "no XML document given");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "storage_pool_definition",
                                   EVIRT_FROM_STORAGE, err);
    if (!doc)
        return NULL;
    evirt_storage_pool_def *def = calloc(1, sizeof(*def));
    if (!def) {
        evirt_storage_oom(err);
    } else if (parse_pool(def, xmlDocGetRootElement(doc), err) < 0) {
        evirt_storage_pool_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    if (def)
        EVIRT_DEBUG("parsed %s pool '%s'", def->type, def->name);
    return def;
}

evirt_storage_pool_source *
evirt_storage_pool_source_parse_string(const char *xml, const char *pool_type,
                                       evirt_error *err)
{
    const evirt_pool_type_info *info = evirt_pool_type_lookup(pool_type);
    if (!xml || !info) {
        evirt_error_set(err, EVIRT_FROM_STORAGE, EVIRT_ERR_INVALID_ARG,
                        xml ? "unknown storage pool type %s" : "no XML document given%s",
                        xml ? pool_type ? pool_type : "(null)" : "");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "storage_source_specification",
                                   EVIRT_FROM_STORAGE, err);
    if (!doc)
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    evirt_storage_pool_source *src = NULL;
    if (!evirt_xml_is(root, "source")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'source', not '%s'",
                        root ? (const char *)root->name : "");
    } else if (!(src = calloc(1, sizeof(*src)))) {
        evirt_storage_oom(err);
    } else if (parse_source(src, info, root, err) < 0) {
        evirt_storage_pool_source_free(src);
        src = NULL;
    }
    xmlFreeDoc(doc);
    return src;
}

/* ---- writing ---- */

static void
write_target(evirt_buf *b, int level, const evirt_storage_pool_def *def)
{
    xmlNodePtr orig = def->target.xml;
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "<target>\n");
    evirt_buf_unknown_children(b, level + 1, orig, target_slots, -1);
    evirt_buf_text_elem(b, level + 1, "path", def->target.path);
    evirt_buf_unknown_children(b, level + 1, orig, target_slots, 0);
    evirt_storage_perms_format(b, level + 1, &def->target.perms);
    evirt_buf_unknown_children(b, level + 1, orig, target_slots, 1);
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "</target>\n");
}

char *
evirt_storage_pool_def_format(const evirt_storage_pool_def *def,
                              unsigned int flags)
{
    (void)flags; /* INACTIVE: same output; the driver picks the def */
    const evirt_pool_type_info *info = evirt_pool_type_lookup(def->type);
    if (!info) {
        EVIRT_WARN("cannot format pool '%s': unknown type '%s'",
                   def->name ? def->name : "?", def->type ? def->type : "");
        return NULL;
    }
    evirt_buf b = { 0 };
    xmlNodePtr orig = def->xml;
    evirt_buf_adds(&b, "<pool");
    evirt_buf_attr(&b, "type", def->type);
    evirt_buf_adds(&b, ">\n");
    evirt_buf_unknown_children(&b, 1, orig, pool_slots, -1);
    for (int slot = 0; pool_slots[slot]; slot++) {
        switch (slot) {
        case POOL_NAME: evirt_buf_text_elem(&b, 1, "name", def->name); break;
        case POOL_UUID: {
            char uuid[37];
            evirt_uuid_format(def->uuid, uuid);
            evirt_buf_text_elem(&b, 1, "uuid", uuid);
            break;
        }
        case POOL_CAPACITY:
            evirt_buf_printf(&b, "  <capacity unit='bytes'>%llu</capacity>\n",
                             def->capacity);
            break;
        case POOL_ALLOCATION:
            evirt_buf_printf(&b, "  <allocation unit='bytes'>%llu</allocation>\n",
                             def->allocation);
            break;
        case POOL_AVAILABLE:
            evirt_buf_printf(&b, "  <available unit='bytes'>%llu</available>\n",
                             def->available);
            break;
        case POOL_SOURCE: write_source(&b, 1, info, &def->source); break;
        case POOL_TARGET:
            if (!(info->flags & EVIRT_POOL_SRC_NETWORK))
                write_target(&b, 1, def);
            break;
        default: /* features, refresh: as given */
            evirt_buf_kept_children(&b, 1, orig, pool_slots[slot]);
            break;
        }
        evirt_buf_unknown_children(&b, 1, orig, pool_slots, slot);
    }
    evirt_buf_adds(&b, "</pool>\n");
    return evirt_buf_steal(&b);
}

char *
evirt_storage_pool_sources_format(const char *pool_type,
                                  const evirt_storage_pool_source *sources,
                                  size_t nsources)
{
    const evirt_pool_type_info *info = evirt_pool_type_lookup(pool_type);
    if (!info)
        return NULL;
    evirt_buf b = { 0 };
    evirt_buf_adds(&b, "<sources>\n");
    for (size_t i = 0; i < nsources; i++)
        write_source(&b, 1, info, &sources[i]);
    evirt_buf_adds(&b, "</sources>\n");
    return evirt_buf_steal(&b);
}

/* ---- copy, free ---- */

evirt_storage_pool_def *
evirt_storage_pool_def_copy(const evirt_storage_pool_def *def)
{
    evirt_storage_pool_def *copy = calloc(1, sizeof(*copy));
    if (!copy)
        return NULL;
    memcpy(copy->uuid, def->uuid, sizeof(copy->uuid));
    copy->capacity = def->capacity;
    copy->allocation = def->allocation;
    copy->available = def->available;
    if (evirt_strdup_to(&copy->type, def->type) < 0 ||
        evirt_strdup_to(&copy->name, def->name) < 0 ||
        source_copy(&copy->source, &def->source) < 0 ||
        evirt_strdup_to(&copy->target.path, def->target.path) < 0 ||
        evirt_storage_perms_copy(&copy->target.perms, &def->target.perms) < 0 ||
        evirt_xml_copy_node(&copy->target.xml, def->target.xml) < 0 ||
        evirt_xml_copy_node(&copy->xml, def->xml) < 0) {
        evirt_storage_pool_def_free(copy);
        return NULL;
    }
    return copy;
}

void
evirt_storage_pool_def_free(evirt_storage_pool_def *def)
{
    if (!def)
        return;
    free(def->type);
    free(def->name);
    source_clear(&def->source);
    free(def->target.path);
    free(def->target.perms.label);
    xmlFreeNode(def->target.xml);
    xmlFreeNode(def->xml);
    free(def);
}
