/*
 * conf/nodedev_conf.c - reading, writing, copying and freeing a node
 * device definition (libvirt's node device XML).
 */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#define EVIRT_LOG_CATEGORY "evirt.conf.nodedev"
#include "api/error-private.h"
#include "api/log-private.h"
#include "conf/nodedev_conf.h"
#include "conf/xml_util.h"

/* Known children of <device>, in the order they are written.  An element
 * the model does not know (<devnode>...) is written after the known one
 * it followed. */
static const char *const top_slots[] = {
    "name", "path", "parent", "driver", "capability", NULL
};
enum { TOP_NAME, TOP_PATH, TOP_PARENT, TOP_DRIVER, TOP_CAPABILITY };

static const char *const link_states[] = {
    "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant",
    "up", NULL
};

/* The capability types the model reads, and their known children in the
 * order libvirt writes them. */
enum { CAP_PCI, CAP_USB_DEV, CAP_NET, CAP_SCSI_HOST, CAP_SCSI, CAP_STORAGE,
       CAP_MDEV, CAP_SYSTEM };
static const char *const cap_types[] = {
    "pci", "usb_device", "net", "scsi_host", "scsi", "storage", "mdev",
    "system", NULL
};
static const char *const pci_slots[] = {
    "domain", "bus", "slot", "function", "product", "vendor", NULL
};
static const char *const usb_dev_slots[] = {
    "bus", "device", "product", "vendor", NULL
};
static const char *const net_slots[] = { "interface", "address", "link", NULL };
static const char *const scsi_host_slots[] = { "host", NULL };
static const char *const scsi_slots[] = {
    "host", "bus", "target", "lun", "type", NULL
};
static const char *const storage_slots[] = { "block", NULL };
static const char *const mdev_slots[] = { "type", NULL };
static const char *const no_slots[] = { NULL };

static const char *const *const cap_slots[] = {
    pci_slots, usb_dev_slots, net_slots, scsi_host_slots, scsi_slots,
    storage_slots, mdev_slots, no_slots
};

static int
cap_kind(const char *type)
{
    return evirt_list_index(cap_types, type);
}

/* ---- errors ---- */

static int
oom(evirt_error *err)
{
    return evirt_xml_oom(EVIRT_FROM_NODEDEV, err);
}

/* ---- small readers ---- */

static int
get_prop(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    return evirt_xml_get_prop(node, name, out, EVIRT_FROM_NODEDEV, err);
}

/* Text of the first child element `name`, NULL when absent. */
static int
get_child_text(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    free(*out);
    *out = NULL;
    xmlNodePtr c = evirt_xml_child(node, name);
    if (!c)
        return 0;
    *out = evirt_xml_text(c);
    return *out ? 0 : oom(err);
}

static int
parse_uint(const char *s, int base, unsigned int *out)
{
    unsigned long long v;
    if (evirt_parse_uint(s, base, UINT_MAX, &v) < 0)
        return -1;
    *out = (unsigned int)v;
    return 0;
}

/* A required decimal number in child element `elem` of the capability. */
static int
cap_number(xmlNodePtr cap, const char *elem, const char *what,
           const char *devname, unsigned int *out, evirt_error *err)
{
    xmlNodePtr c = evirt_xml_child(cap, elem);
    if (!c) {
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                        "no %s supplied for '%s' (line %ld)", what, devname,
                        xmlGetLineNo(cap));
        return -1;
    }
    char *text = evirt_xml_text(c);
    if (!text)
        return oom(err);
    int rc = parse_uint(text, 10, out);
    if (rc < 0 || !isdigit((unsigned char)text[strspn(text, " \t\r\n")]))
        rc = -1;
    free(text);
    if (rc < 0)
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                        "invalid %s supplied for '%s' (line %ld)", what,
                        devname, xmlGetLineNo(c));
    return rc;
}

/* <product id='0x1234'>name</product>: a required hex id, optional name. */
static int
cap_id(xmlNodePtr cap, const char *elem, const char *what,
       const char *devname, evirt_nodedev_id *out, evirt_error *err)
{
    xmlNodePtr c = evirt_xml_child(cap, elem);
    char *id = c ? evirt_xml_prop(c, "id") : NULL;
    if (!id) {
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                        "no %s supplied for '%s' (line %ld)", what, devname,
                        xmlGetLineNo(c ? c : cap));
        return -1;
    }
    int rc = parse_uint(id, 16, &out->id);
    free(id);
    if (rc < 0) {
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                        "invalid %s supplied for '%s' (line %ld)", what,
                        devname, xmlGetLineNo(c));
        return -1;
    }
    char *name = evirt_xml_text(c);
    if (!name)
        return oom(err);
    if (*name) {
        out->name = name;
    } else {
        free(name);
    }
    return 0;
}

static int
parse_net_link(evirt_nodedev_cap *cap, xmlNodePtr cnode, evirt_error *err)
{
    xmlNodePtr link = evirt_xml_child(cnode, "link");
    if (!link)
        return 0;
    char *speed = evirt_xml_prop(link, "speed");
    if (speed && (parse_uint(speed, 10, &cap->u.net.link_speed) < 0 ||
                  !isdigit((unsigned char)speed[0]))) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "Invalid value for attribute 'speed' in element 'link': '%s'. "
                        "Expected non-negative integer value (line %ld)",
                        speed, xmlGetLineNo(link));
        free(speed);
        return -1;
    }
    free(speed);
    if (get_prop(link, "state", &cap->u.net.link_state, err) < 0)
        return -1;
    if (cap->u.net.link_state &&
        evirt_list_index(link_states, cap->u.net.link_state) < 0) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "Invalid value for attribute 'state' in element 'link': '%s' (line %ld)",
                        cap->u.net.link_state, xmlGetLineNo(link));
        return -1;
    }
    return 0;
}

static int
parse_cap(evirt_nodedev_cap *cap, xmlNodePtr c, const char *devname,
          evirt_error *err)
{
    cap->xml = xmlCopyNode(c, 1);
    if (!cap->xml)
        return oom(err);
    if (get_prop(c, "type", &cap->type, err) < 0)
        return -1;
    if (!cap->type) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "Missing required attribute 'type' in element 'capability' (line %ld)",
                        xmlGetLineNo(c));
        return -1;
    }
    switch (cap_kind(cap->type)) {
    case CAP_PCI:
        return cap_number(c, "domain", "PCI domain ID", devname,
                          &cap->u.pci.domain, err) < 0 ||
               cap_number(c, "bus", "PCI bus ID", devname,
                          &cap->u.pci.bus, err) < 0 ||
               cap_number(c, "slot", "PCI slot ID", devname,
                          &cap->u.pci.slot, err) < 0 ||
               cap_number(c, "function", "PCI function ID", devname,
                          &cap->u.pci.function, err) < 0 ||
               cap_id(c, "product", "PCI product ID", devname,
                      &cap->u.pci.product, err) < 0 ||
               cap_id(c, "vendor", "PCI vendor ID", devname,
                      &cap->u.pci.vendor, err) < 0 ? -1 : 0;
    case CAP_USB_DEV:
        return cap_number(c, "bus", "USB bus number", devname,
                          &cap->u.usb_dev.bus, err) < 0 ||
               cap_number(c, "device", "USB device number", devname,
                          &cap->u.usb_dev.device, err) < 0 ||
               cap_id(c, "product", "USB product ID", devname,
                      &cap->u.usb_dev.product, err) < 0 ||
               cap_id(c, "vendor", "USB vendor ID", devname,
                      &cap->u.usb_dev.vendor, err) < 0 ? -1 : 0;
    case CAP_NET:
        if (get_child_text(c, "interface", &cap->u.net.ifname, err) < 0 ||
            get_child_text(c, "address", &cap->u.net.address, err) < 0)
            return -1;
        if (!cap->u.net.ifname || !*cap->u.net.ifname) {
            evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                            "no network interface supplied for '%s' (line %ld)",
                            devname, xmlGetLineNo(c));
            return -1;
        }
        return parse_net_link(cap, c, err);
    case CAP_SCSI_HOST:
        return cap_number(c, "host", "SCSI host ID", devname,
                          &cap->u.scsi_host.host, err);
    case CAP_SCSI:
        return cap_number(c, "host", "SCSI host ID", devname,
                          &cap->u.scsi.host, err) < 0 ||
               cap_number(c, "bus", "SCSI bus ID", devname,
                          &cap->u.scsi.bus, err) < 0 ||
               cap_number(c, "target", "SCSI target ID", devname,
                          &cap->u.scsi.target, err) < 0 ||
               cap_number(c, "lun", "SCSI LUN ID", devname,
                          &cap->u.scsi.lun, err) < 0 ||
               get_child_text(c, "type", &cap->u.scsi.type, err) < 0 ? -1 : 0;
    case CAP_STORAGE:
        if (get_child_text(c, "block", &cap->u.storage.block, err) < 0)
            return -1;
        if (!cap->u.storage.block || !*cap->u.storage.block) {
            evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                            "no block device path supplied for '%s' (line %ld)",
                            devname, xmlGetLineNo(c));
            return -1;
        }
        return 0;
    case CAP_MDEV:
        if (get_prop(evirt_xml_child(c, "type"), "id", &cap->u.mdev.type_id,
                     err) < 0)
            return -1;
        if (!cap->u.mdev.type_id) {
            evirt_error_set(err, EVIRT_FROM_NODEDEV,
                            EVIRT_ERR_CONFIG_UNSUPPORTED,
                            "missing type id attribute for '%s' (line %ld)",
                            devname, xmlGetLineNo(c));
            return -1;
        }
        return 0;
    default:
        return 0; /* kept whole in cap->xml */
    }
}

static void
free_cap(evirt_nodedev_cap *cap)
{
    switch (cap_kind(cap->type)) {
    case CAP_PCI:
        free(cap->u.pci.product.name);
        free(cap->u.pci.vendor.name);
        break;
    case CAP_USB_DEV:
        free(cap->u.usb_dev.product.name);
        free(cap->u.usb_dev.vendor.name);
        break;
    case CAP_NET:
        free(cap->u.net.ifname);
        free(cap->u.net.address);
        free(cap->u.net.link_state);
        break;
    case CAP_SCSI:
        free(cap->u.scsi.type);
        break;
    case CAP_STORAGE:
        free(cap->u.storage.block);
        break;
    case CAP_MDEV:
        free(cap->u.mdev.type_id);
        break;
    default:
        break;
    }
    free(cap->type);
    xmlFreeNode(cap->xml);
}

static int
parse_root(evirt_nodedev_def *def, xmlNodePtr root, evirt_error *err)
{
    if (!evirt_xml_is(root, "device")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'device', not '%s'",
                        root ? (const char *)root->name : "");
        return -1;
    }
    def->xml = xmlCopyNode(root, 1);
    if (!def->xml)
        return oom(err);
    if (get_child_text(root, "name", &def->name, err) < 0 ||
        get_child_text(root, "path", &def->path, err) < 0 ||
        get_child_text(root, "parent", &def->parent, err) < 0 ||
        get_child_text(evirt_xml_child(root, "driver"), "name", &def->driver,
                       err) < 0)
        return -1;
    if (!def->name || !*def->name) {
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_NO_NAME,
                        "missing name information");
        return -1;
    }
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (!evirt_xml_is(c, "capability"))
            continue;
        EVIRT_APPEND_OR(def->caps, def->ncaps, return oom(err));
        evirt_nodedev_cap *cap = &def->caps[def->ncaps - 1];
        if (parse_cap(cap, c, def->name, err) < 0)
            return -1;
    }
    if (def->ncaps == 0) {
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INTERNAL_ERROR,
                        "no device capabilities for '%s'", def->name);
        return -1;
    }
    return 0;
}

evirt_nodedev_def *
evirt_nodedev_def_parse_string(const char *xml, unsigned int flags,
                               evirt_error *err)
{
    (void)flags;
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_NODEDEV, EVIRT_ERR_INVALID_ARG,
                        "no XML document given");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "device_definition",
                                   EVIRT_FROM_NODEDEV, err);
    if (!doc)
        return NULL;
    evirt_nodedev_def *def = calloc(1, sizeof(*def));
    if (!def) {
        oom(err);
    } else if (parse_root(def, xmlDocGetRootElement(doc), err) < 0) {
        evirt_nodedev_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    if (def)
        EVIRT_DEBUG("parsed node device '%s' (%zu capabilities)", def->name,
                    def->ncaps);
    return def;
}

/* ---- writing ---- */

typedef void (*slot_fn)(evirt_buf *b, int level, int slot, const void *obj);

/* The known children (through fn, in slot order) with orig's unknown
 * element children after the known one they followed. */
static void
write_children(evirt_buf *b, int level, xmlNodePtr orig,
               const char *const *slots, slot_fn fn, const void *obj)
{
    int nslots = 0;
    while (slots[nslots])
        nslots++;
    for (int slot = -1; slot < nslots; slot++) {
        if (slot >= 0)
            fn(b, level, slot, obj);
        evirt_buf_unknown_children(b, level, orig, slots, slot);
    }
}

static void
write_uint_elem(evirt_buf *b, int level, const char *name, unsigned int v)
{
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s>%u</%s>\n", name, v, name);
}

/* libvirt writes a nameless USB id as "<product id='0x0001' />", with the
 * blank, and a nameless PCI one without it. */
static void
write_id(evirt_buf *b, int level, const char *name,
         const evirt_nodedev_id *id, bool blank)
{
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s id='0x%04x'", name, id->id);
    if (id->name) {
        evirt_buf_add(b, ">", 1);
        evirt_buf_escape(b, id->name);
        evirt_buf_printf(b, "</%s>\n", name);
    } else {
        evirt_buf_adds(b, blank ? " />\n" : "/>\n");
    }
}

static void
cap_slot(evirt_buf *b, int level, int slot, const void *obj)
{
    const evirt_nodedev_cap *cap = obj;
    int kind = cap_kind(cap->type);
    const char *elem = cap_slots[kind][slot];
    switch (kind) {
    case CAP_PCI: {
        const unsigned int nums[] = {
            cap->u.pci.domain, cap->u.pci.bus, cap->u.pci.slot,
            cap->u.pci.function
        };
        if (slot < 4)
            write_uint_elem(b, level, elem, nums[slot]);
        else
            write_id(b, level, elem, slot == 4 ? &cap->u.pci.product
                                               : &cap->u.pci.vendor, false);
        break;
    }
    case CAP_USB_DEV:
        if (slot < 2)
            write_uint_elem(b, level, elem, slot == 0 ? cap->u.usb_dev.bus
                                                      : cap->u.usb_dev.device);
        else
            write_id(b, level, elem, slot == 2 ? &cap->u.usb_dev.product
                                               : &cap->u.usb_dev.vendor, true);
        break;
    case CAP_NET:
        if (slot == 0) {
            evirt_buf_text_elem(b, level, elem, cap->u.net.ifname);
        } else if (slot == 1) {
            evirt_buf_text_elem(b, level, elem, cap->u.net.address);
        } else if (cap->u.net.link_speed || cap->u.net.link_state) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<link");
            if (cap->u.net.link_speed)
                evirt_buf_printf(b, " speed='%u'", cap->u.net.link_speed);
            evirt_buf_attr(b, "state", cap->u.net.link_state);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    case CAP_SCSI_HOST:
        write_uint_elem(b, level, elem, cap->u.scsi_host.host);
        break;
    case CAP_SCSI: {
        const unsigned int nums[] = {
            cap->u.scsi.host, cap->u.scsi.bus, cap->u.scsi.target,
            cap->u.scsi.lun
        };
        if (slot < 4)
            write_uint_elem(b, level, elem, nums[slot]);
        else
            evirt_buf_text_elem(b, level, elem, cap->u.scsi.type);
        break;
    }
    case CAP_STORAGE:
        evirt_buf_text_elem(b, level, elem, cap->u.storage.block);
        break;
    case CAP_MDEV:
        if (cap->u.mdev.type_id) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<type");
            evirt_buf_attr(b, "id", cap->u.mdev.type_id);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    default:
        break;
    }
}

static void
write_cap(evirt_buf *b, int level, const evirt_nodedev_cap *cap)
{
    static const char *const known[] = { "type", NULL };
    int kind = cap_kind(cap->type);
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "<capability");
    evirt_buf_attr(b, "type", cap->type);
    evirt_buf_other_attrs(b, cap->xml, known);
    evirt_buf_adds(b, ">\n");
    write_children(b, level + 1, cap->xml, kind < 0 ? no_slots : cap_slots[kind],
                   cap_slot, cap);
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "</capability>\n");
}

static void
top_slot(evirt_buf *b, int level, int slot, const void *obj)
{
    const evirt_nodedev_def *def = obj;
    switch (slot) {
    case TOP_NAME: evirt_buf_text_elem(b, level, "name", def->name); break;
    case TOP_PATH: evirt_buf_text_elem(b, level, "path", def->path); break;
    case TOP_PARENT: evirt_buf_text_elem(b, level, "parent", def->parent); break;
    case TOP_DRIVER:
        if (def->driver) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<driver>\n");
            evirt_buf_text_elem(b, level + 1, "name", def->driver);
            /* what else the original <driver> held */
            xmlNodePtr orig = evirt_xml_child(def->xml, "driver");
            for (xmlNodePtr c = orig ? orig->children : NULL; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && !evirt_xml_is(c, "name"))
                    evirt_buf_node(b, level + 1, c);
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "</driver>\n");
        }
        break;
    case TOP_CAPABILITY:
        for (size_t i = 0; i < def->ncaps; i++)
            write_cap(b, level, &def->caps[i]);
        break;
    }
}

char *
evirt_nodedev_def_format(const evirt_nodedev_def *def, unsigned int flags)
{
    (void)flags;
    if (!def)
        return NULL;
    evirt_buf b = { 0 };
    evirt_buf_adds(&b, "<device>\n");
    write_children(&b, 1, def->xml, top_slots, top_slot, def);
    evirt_buf_adds(&b, "</device>\n");
    return evirt_buf_steal(&b);
}

/* ---- copy, free, queries ---- */

evirt_nodedev_def *
evirt_nodedev_def_copy(const evirt_nodedev_def *def)
{
    /* Writing and reading back is a deep copy by construction. */
    char *xml = evirt_nodedev_def_format(def, 0);
    if (!xml)
        return NULL;
    evirt_error err = { 0 };
    evirt_nodedev_def *copy = evirt_nodedev_def_parse_string(xml, 0, &err);
    if (!copy)
        EVIRT_WARN("cannot copy node device '%s': %s", def->name,
                   err.message ? err.message : "?");
    evirt_error_reset(&err);
    free(xml);
    return copy;
}

void
evirt_nodedev_def_free(evirt_nodedev_def *def)
{
    if (!def)
        return;
    free(def->name);
    free(def->path);
    free(def->parent);
    free(def->driver);
    for (size_t i = 0; i < def->ncaps; i++)
        free_cap(&def->caps[i]);
    free(def->caps);
    xmlFreeNode(def->xml);
    free(def);
}

int
evirt_nodedev_def_cap_names(const evirt_nodedev_def *def, char ***names)
{
    *names = calloc(def->ncaps + 1, sizeof(char *));
    if (!*names)
        return -1;
    for (size_t i = 0; i < def->ncaps; i++) {
        if (!((*names)[i] = strdup(def->caps[i].type ? def->caps[i].type : ""))) {
            for (size_t j = 0; j < i; j++)
                free((*names)[j]);
            free(*names);
            *names = NULL;
            return -1;
        }
    }
    return (int)def->ncaps;
}

/* A nested <capability type=> inside cap, as libvirt's list filter sees
 * it: fc_host, vport_ops (filtered as "vports") and mdev_types. */
static bool
has_nested(const evirt_nodedev_cap *cap, const char *type)
{
    /* the filter says "vports" for what the XML calls vport_ops */
    if (strcmp(type, "vport_ops") == 0)
        return false;
    const char *want = strcmp(type, "vports") == 0 ? "vport_ops" : type;
    if (strcmp(want, "mdev_types") != 0 &&
        (strcmp(cap->type, "scsi_host") != 0 ||
         (strcmp(want, "fc_host") != 0 && strcmp(want, "vport_ops") != 0)))
        return false;
    for (xmlNodePtr c = cap->xml ? cap->xml->children : NULL; c; c = c->next) {
        if (!evirt_xml_is(c, "capability"))
            continue;
        xmlChar *t = xmlGetNoNsProp(c, BAD_CAST "type");
        bool match = t && strcmp((const char *)t, want) == 0;
        xmlFree(t);
        if (match)
            return true;
    }
    return false;
}

bool
evirt_nodedev_def_has_cap(const evirt_nodedev_def *def, const char *type)
{
    if (!def || !type)
        return false;
    for (size_t i = 0; i < def->ncaps; i++) {
        const evirt_nodedev_cap *cap = &def->caps[i];
        if (!cap->type)
            continue;
        if (strcmp(cap->type, type) == 0 || has_nested(cap, type))
            return true;
    }
    return false;
}
