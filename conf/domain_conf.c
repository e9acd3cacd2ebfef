/*
 * conf/domain_conf.c - reading a domain definition from libvirt's domain
 * XML, copying and freeing it.  Writing it is in domain_format.c.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#define EVIRT_LOG_CATEGORY "evirt.conf.domain"
#include "api/error-private.h"
#include "api/log-private.h"
#include "conf/domain_conf.h"
#include "conf/domain_conf_priv.h"
#include "conf/xml_util.h"

const char *const evirt_domain_top_slots[] = {
    "name", "uuid", "title", "description", "memory", "currentMemory",
    "vcpu", "os", "features", "clock", "on_poweroff", "on_reboot",
    "on_crash", "devices", NULL
};

const char *const evirt_domain_device_slots[] = {
    "emulator", "disk", "interface", "serial", "console", "input",
    "graphics", "hostdev", NULL
};

static const char *const virt_types[] = {
    "none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test",
    "vmware", "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "ch",
    "hvf", NULL
};

static const char *const lifecycle_actions[] = {
    "destroy", "restart", "rename-restart", "preserve",
    "coredump-destroy", "coredump-restart", NULL
};

static const char *const boot_devs[] = { "fd", "cdrom", "hd", "network", NULL };

/* ---- errors ---- */

static int
oom(evirt_error *err)
{
    return evirt_xml_oom(EVIRT_FROM_DOMAIN, err);
}

static int
bad_value(evirt_error *err, xmlNodePtr node, const char *what,
          const char *value)
{
    evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                    "invalid value '%s' for %s (line %ld)",
                    value ? value : "", what, xmlGetLineNo(node));
    return -1;
}

/* yes/no attribute: -1 absent, 0/1, -2 invalid. */
static int
parse_yesno(xmlNodePtr node, const char *attr, int *out, evirt_error *err)
{
    char *v = evirt_xml_prop(node, attr);
    int rc = 0;
    if (!v)
        *out = -1;
    else if (strcmp(v, "yes") == 0)
        *out = 1;
    else if (strcmp(v, "no") == 0)
        *out = 0;
    else
        rc = bad_value(err, node, attr, v);
    free(v);
    return rc;
}

/* ---- growing arrays ---- */

#define APPEND(array, n, err) EVIRT_APPEND_OR(array, n, return oom(err))

static int
add_extra(evirt_xml_extra **extras, size_t *n, xmlNodePtr node, int anchor,
          evirt_error *err)
{
    xmlNodePtr copy = xmlCopyNode(node, 1);
    if (!copy)
        return oom(err);
    evirt_xml_extra *p = evirt_grow(*extras, n, sizeof(**extras));
    if (!p) {
        xmlFreeNode(copy);
        return oom(err);
    }
    *extras = p;
    p[*n - 1].node = copy;
    p[*n - 1].anchor = anchor;
    return 0;
}

static int
copy_node(xmlNodePtr node, xmlNodePtr *out, evirt_error *err)
{
    return evirt_xml_copy_node(out, node) < 0 ? oom(err) : 0;
}

/* Duplicates an attribute into *out (NULL when absent). */
static int
get_prop(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    return evirt_xml_get_prop(node, name, out, EVIRT_FROM_DOMAIN, err);
}

static int
get_text(xmlNodePtr node, char **out, evirt_error *err)
{
    free(*out);
    *out = evirt_xml_text(node);
    return *out ? 0 : oom(err);
}

static int
set_default(char **field, const char *value, evirt_error *err)
{
    if (*field)
        return 0;
    *field = strdup(value);
    return *field ? 0 : oom(err);
}

/* ---- devices ---- */

static int
parse_disk(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->disks, def->ndisks, err);
    evirt_domain_disk_def *d = &def->disks[def->ndisks - 1];
    if (copy_node(node, &d->xml, err) < 0 ||
        get_prop(node, "type", &d->type, err) < 0 ||
        get_prop(node, "device", &d->device, err) < 0 ||
        set_default(&d->type, "file", err) < 0 ||
        set_default(&d->device, "disk", err) < 0)
        return -1;
    const char *path_attr = evirt_disk_source_attr(d->type);
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (evirt_xml_is(c, "driver")) {
            if (get_prop(c, "name", &d->driver_name, err) < 0 ||
                get_prop(c, "type", &d->driver_type, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "source") && path_attr) {
            if (get_prop(c, path_attr, &d->source_path, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "target")) {
            if (get_prop(c, "dev", &d->target_dev, err) < 0 ||
                get_prop(c, "bus", &d->target_bus, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "readonly")) {
            d->readonly = true;
        } else if (evirt_xml_is(c, "shareable")) {
            d->shareable = true;
        }
    }
    if (!d->target_dev) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_NO_TARGET,
                        "missing <target dev=...> in <disk> (line %ld)",
                        xmlGetLineNo(node));
        return -1;
    }
    return 0;
}

static int
parse_net(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->nets, def->nnets, err);
    evirt_domain_net_def *n = &def->nets[def->nnets - 1];
    if (copy_node(node, &n->xml, err) < 0 ||
        get_prop(node, "type", &n->type, err) < 0)
        return -1;
    if (!n->type) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "missing type attribute in <interface> (line %ld)",
                        xmlGetLineNo(node));
        return -1;
    }
    const char *src_attr = evirt_net_source_attr(n->type);
    bool have_mac = false;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (evirt_xml_is(c, "mac") && !have_mac) {
            char *mac = evirt_xml_prop(c, "address");
            if (!mac || evirt_mac_parse(mac, n->mac) < 0) {
                evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_INVALID_MAC,
                                "unable to parse mac address '%s' (line %ld)",
                                mac ? mac : "", xmlGetLineNo(c));
                free(mac);
                return -1;
            }
            free(mac);
            have_mac = true;
        } else if (evirt_xml_is(c, "source") && src_attr) {
            if (get_prop(c, src_attr, &n->source, err) < 0 ||
                get_prop(c, "mode", &n->source_mode, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "model")) {
            if (get_prop(c, "type", &n->model_type, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "target")) {
            if (get_prop(c, "dev", &n->target_dev, err) < 0)
                return -1;
        }
    }
    if (!have_mac)
        evirt_mac_generate(n->mac);
    return 0;
}

static int
parse_chr(evirt_domain_chr_def **array, size_t *count, xmlNodePtr node,
          evirt_error *err)
{
    APPEND(*array, *count, err);
    evirt_domain_chr_def *c = &(*array)[*count - 1];
    c->target_port = -1;
    if (copy_node(node, &c->xml, err) < 0 ||
        get_prop(node, "type", &c->type, err) < 0 ||
        set_default(&c->type, "pty", err) < 0)
        return -1;
    xmlNodePtr t = evirt_xml_child(node, "target");
    if (t) {
        if (get_prop(t, "type", &c->target_type, err) < 0)
            return -1;
        char *port = evirt_xml_prop(t, "port");
        if (port && (evirt_parse_int(port, &c->target_port) < 0 || c->target_port < 0)) {
            bad_value(err, t, "target port", port);
            free(port);
            return -1;
        }
        free(port);
    }
    return 0;
}

static int
parse_graphics(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->graphics, def->ngraphics, err);
    evirt_domain_graphics_def *g = &def->graphics[def->ngraphics - 1];
    if (copy_node(node, &g->xml, err) < 0 ||
        get_prop(node, "type", &g->type, err) < 0 ||
        get_prop(node, "listen", &g->listen, err) < 0 ||
        get_prop(node, "passwd", &g->passwd, err) < 0 ||
        get_prop(node, "keymap", &g->keymap, err) < 0 ||
        parse_yesno(node, "autoport", &g->autoport, err) < 0)
        return -1;
    if (!g->type) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "missing graphics device type (line %ld)",
                        xmlGetLineNo(node));
        return -1;
    }
    char *port = evirt_xml_prop(node, "port");
    if (port && (evirt_parse_int(port, &g->port) < 0 || g->port < -1 ||
                 g->port > 65535)) {
        bad_value(err, node, "graphics port", port);
        free(port);
        return -1;
    }
    free(port);
    return 0;
}

static int
parse_input(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->inputs, def->ninputs, err);
    evirt_domain_input_def *in = &def->inputs[def->ninputs - 1];
    if (copy_node(node, &in->xml, err) < 0 ||
        get_prop(node, "type", &in->type, err) < 0 ||
        get_prop(node, "bus", &in->bus, err) < 0)
        return -1;
    if (!in->type) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "missing input device type (line %ld)",
                        xmlGetLineNo(node));
        return -1;
    }
    return 0;
}

static int
parse_hostdev(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->hostdevs, def->nhostdevs, err);
    evirt_domain_hostdev_def *h = &def->hostdevs[def->nhostdevs - 1];
    if (copy_node(node, &h->xml, err) < 0 ||
        get_prop(node, "mode", &h->mode, err) < 0 ||
        get_prop(node, "type", &h->type, err) < 0 ||
        set_default(&h->mode, "subsystem", err) < 0 ||
        parse_yesno(node, "managed", &h->managed, err) < 0)
        return -1;
    return 0;
}

static int
parse_devices(evirt_domain_def *def, xmlNodePtr devices, evirt_error *err)
{
    int anchor = -1;
    for (xmlNodePtr c = devices->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int slot = evirt_slot_index(evirt_domain_device_slots, c);
        int rc = 0;
        switch (slot) {
        case EVIRT_DEV_SLOT_EMULATOR:
            rc = get_text(c, &def->emulator, err);
            break;
        case EVIRT_DEV_SLOT_DISK: rc = parse_disk(def, c, err); break;
        case EVIRT_DEV_SLOT_INTERFACE: rc = parse_net(def, c, err); break;
        case EVIRT_DEV_SLOT_SERIAL:
            rc = parse_chr(&def->serials, &def->nserials, c, err);
            break;
        case EVIRT_DEV_SLOT_CONSOLE:
            rc = parse_chr(&def->consoles, &def->nconsoles, c, err);
            break;
        case EVIRT_DEV_SLOT_INPUT: rc = parse_input(def, c, err); break;
        case EVIRT_DEV_SLOT_GRAPHICS: rc = parse_graphics(def, c, err); break;
        case EVIRT_DEV_SLOT_HOSTDEV: rc = parse_hostdev(def, c, err); break;
        default:
            rc = add_extra(&def->device_extras, &def->ndevice_extras, c,
                           anchor, err);
            break;
        }
        if (rc < 0)
            return -1;
        if (slot >= 0)
            anchor = slot;
    }
    return 0;
}

/* ---- top level ---- */

static int
parse_memory(xmlNodePtr node, unsigned long long *kib, evirt_error *err)
{
    char *unit = evirt_xml_prop(node, "unit");
    char *text = evirt_xml_text(node);
    int rc;
    if (!text) {
        rc = oom(err);
    } else {
        rc = evirt_parse_scaled_kib(text, unit, kib, err);
        if (rc < 0 && err && err->code == EVIRT_ERR_XML_ERROR)
            bad_value(err, node, (const char *)node->name, text);
    }
    free(unit);
    free(text);
    return rc;
}

static int
parse_vcpu(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    char *text = evirt_xml_text(node);
    unsigned long long v;
    if (!text)
        return oom(err);
    if (evirt_parse_uint(text, 10, ULLONG_MAX, &v) < 0 || v > UINT_MAX) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "maximum vcpus count must be an integer, not '%s' (line %ld)",
                        text, xmlGetLineNo(node));
        free(text);
        return -1;
    }
    free(text);
    if (v == 0) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "a domain needs at least one vcpu, <vcpu> is 0 (line %ld)",
                        xmlGetLineNo(node));
        return -1;
    }
    def->vcpus = (unsigned int)v;

    char *cur = evirt_xml_prop(node, "current");
    if (cur) {
        if (evirt_parse_uint(cur, 10, ULLONG_MAX, &v) < 0 || v == 0 || v > def->vcpus) {
            evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                            "current vcpus '%s' must be between 1 and the maximum %u (line %ld)",
                            cur, def->vcpus, xmlGetLineNo(node));
            free(cur);
            return -1;
        }
        def->vcpus_current = (unsigned int)v;
        free(cur);
    }
    if (get_prop(node, "placement", &def->vcpu_placement, err) < 0 ||
        get_prop(node, "cpuset", &def->vcpu_cpuset, err) < 0)
        return -1;
    if (def->vcpu_placement && strcmp(def->vcpu_placement, "static") != 0 &&
        strcmp(def->vcpu_placement, "auto") != 0)
        return bad_value(err, node, "vcpu placement", def->vcpu_placement);
    return 0;
}

static int
parse_os(evirt_domain_def *def, xmlNodePtr os, evirt_error *err)
{
    if (copy_node(os, &def->os.xml, err) < 0)
        return -1;
    for (xmlNodePtr c = os->children; c; c = c->next) {
        if (evirt_xml_is(c, "type") && !def->os.type) {
            if (get_text(c, &def->os.type, err) < 0 ||
                get_prop(c, "arch", &def->os.arch, err) < 0 ||
                get_prop(c, "machine", &def->os.machine, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "boot")) {
            char *dev = evirt_xml_prop(c, "dev");
            if (!dev || !evirt_in_list(boot_devs, dev)) {
                bad_value(err, c, "boot dev", dev);
                free(dev);
                return -1;
            }
            void *p = realloc(def->os.boot_devs,
                              (def->os.nboot_devs + 1) * sizeof(char *));
            if (!p) {
                free(dev);
                return oom(err);
            }
            def->os.boot_devs = p;
            def->os.boot_devs[def->os.nboot_devs++] = dev;
        } else if (evirt_xml_is(c, "kernel")) {
            if (get_text(c, &def->os.kernel, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "initrd")) {
            if (get_text(c, &def->os.initrd, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "cmdline")) {
            if (get_text(c, &def->os.cmdline, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "loader")) {
            if (get_text(c, &def->os.loader, err) < 0)
                return -1;
        }
    }
    if (!def->os.type || !*def->os.type) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "an os <type> must be specified");
        return -1;
    }
    /* Like libvirt, a bootable hvm guest without a kernel boots its disk. */
    if (strcmp(def->os.type, "hvm") == 0 && def->os.nboot_devs == 0 &&
        !def->os.kernel) {
        def->os.boot_devs = calloc(1, sizeof(char *));
        if (!def->os.boot_devs || !(def->os.boot_devs[0] = strdup("hd")))
            return oom(err);
        def->os.nboot_devs = 1;
    }
    return 0;
}

static int
parse_features(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    def->has_features = true;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        xmlNodePtr copy = xmlCopyNode(c, 1);
        if (!copy)
            return oom(err);
        void *p = realloc(def->features, (def->nfeatures + 1) * sizeof(*def->features));
        if (!p) {
            xmlFreeNode(copy);
            return oom(err);
        }
        def->features = p;
        def->features[def->nfeatures++] = copy;
    }
    return 0;
}

static int
parse_lifecycle(xmlNodePtr node, char **out, evirt_error *err)
{
    if (get_text(node, out, err) < 0)
        return -1;
    if (!evirt_in_list(lifecycle_actions, *out))
        return bad_value(err, node, (const char *)node->name, *out);
    return 0;
}

static int
parse_name(evirt_domain_def *def, xmlNodePtr node, evirt_error *err)
{
    if (get_text(node, &def->name, err) < 0)
        return -1;
    if (strchr(def->name, '/')) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "name %s cannot contain '/'", def->name);
        return -1;
    }
    return 0;
}

static int
parse_root_attrs(evirt_domain_def *def, xmlNodePtr root, unsigned int flags,
                 evirt_error *err)
{
    if (get_prop(root, "type", &def->type, err) < 0)
        return -1;
    if (!def->type) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "missing domain type attribute");
        return -1;
    }
    if (!evirt_in_list(virt_types, def->type)) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_CONFIG_UNSUPPORTED,
                        "invalid domain type %s", def->type);
        return -1;
    }
    def->id = -1;
    if (!(flags & EVIRT_DOMAIN_DEF_PARSE_INACTIVE)) {
        char *id = evirt_xml_prop(root, "id");
        if (id && (evirt_parse_int(id, &def->id) < 0 || def->id < -1)) {
            bad_value(err, root, "domain id", id);
            free(id);
            return -1;
        }
        free(id);
    }
    return 0;
}

static int
parse_top_child(evirt_domain_def *def, xmlNodePtr c, int slot,
                bool *have_uuid, evirt_error *err)
{
    switch (slot) {
    case EVIRT_TOP_SLOT_NAME: return parse_name(def, c, err);
    case EVIRT_TOP_SLOT_UUID: {
        char *text = evirt_xml_text(c);
        if (!text)
            return oom(err);
        int rc = evirt_uuid_parse(text, def->uuid);
        if (rc < 0)
            evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                            "malformed uuid element '%s' (line %ld)", text,
                            xmlGetLineNo(c));
        free(text);
        *have_uuid = rc == 0;
        return rc;
    }
    case EVIRT_TOP_SLOT_TITLE:
        if (get_text(c, &def->title, err) < 0)
            return -1;
        if (strchr(def->title, '\n')) {
            evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                            "title can't contain newlines (line %ld)",
                            xmlGetLineNo(c));
            return -1;
        }
        return 0;
    case EVIRT_TOP_SLOT_DESCRIPTION: return get_text(c, &def->description, err);
    case EVIRT_TOP_SLOT_MEMORY: return parse_memory(c, &def->memory_kib, err);
    case EVIRT_TOP_SLOT_CURRENT_MEMORY:
        return parse_memory(c, &def->current_memory_kib, err);
    case EVIRT_TOP_SLOT_VCPU: return parse_vcpu(def, c, err);
    case EVIRT_TOP_SLOT_OS: return parse_os(def, c, err);
    case EVIRT_TOP_SLOT_FEATURES: return parse_features(def, c, err);
    case EVIRT_TOP_SLOT_CLOCK:
        return copy_node(c, &def->clock_node, err) < 0 ||
               get_prop(c, "offset", &def->clock_offset, err) < 0 ? -1 : 0;
    case EVIRT_TOP_SLOT_ON_POWEROFF: return parse_lifecycle(c, &def->on_poweroff, err);
    case EVIRT_TOP_SLOT_ON_REBOOT: return parse_lifecycle(c, &def->on_reboot, err);
    case EVIRT_TOP_SLOT_ON_CRASH: return parse_lifecycle(c, &def->on_crash, err);
    case EVIRT_TOP_SLOT_DEVICES: return parse_devices(def, c, err);
    }
    return 0;
}

static int
parse_root(evirt_domain_def *def, xmlNodePtr root, unsigned int flags,
           evirt_error *err)
{
    if (!evirt_xml_is(root, "domain")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'domain', not '%s'",
                        root ? (const char *)root->name : "");
        return -1;
    }
    if (parse_root_attrs(def, root, flags, err) < 0)
        return -1;

    bool seen[EVIRT_TOP_SLOT_COUNT] = { false };
    bool have_uuid = false;
    int anchor = -1;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int slot = evirt_slot_index(evirt_domain_top_slots, c);
        if (slot < 0) {
            if (add_extra(&def->extras, &def->nextras, c, anchor, err) < 0)
                return -1;
            continue;
        }
        anchor = slot;
        if (seen[slot])
            continue; /* libvirt reads the first one only */
        seen[slot] = true;
        if (parse_top_child(def, c, slot, &have_uuid, err) < 0)
            return -1;
    }

    if (!def->name || !*def->name) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_NO_NAME,
                        "missing name information");
        return -1;
    }
    if (!seen[EVIRT_TOP_SLOT_MEMORY]) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "Memory size must be specified via <memory>");
        return -1;
    }
    if (!seen[EVIRT_TOP_SLOT_OS]) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_XML_ERROR,
                        "an os <type> must be specified");
        return -1;
    }
    if (!have_uuid && evirt_uuid_generate(def->uuid) < 0) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_INTERNAL_ERROR,
                        "cannot generate a uuid: %s", strerror(errno));
        return -1;
    }
    if (def->current_memory_kib == 0 || def->current_memory_kib > def->memory_kib)
        def->current_memory_kib = def->memory_kib;
    if (def->vcpus == 0)
        def->vcpus = 1;
    if (def->vcpus_current == 0)
        def->vcpus_current = def->vcpus;
    if (set_default(&def->clock_offset, "utc", err) < 0 ||
        set_default(&def->on_poweroff, "destroy", err) < 0 ||
        set_default(&def->on_reboot, "restart", err) < 0 ||
        set_default(&def->on_crash, "destroy", err) < 0)
        return -1;
    return 0;
}

evirt_domain_def *
evirt_domain_def_parse_string(const char *xml, unsigned int flags,
                              evirt_error *err)
{
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_DOMAIN, EVIRT_ERR_INVALID_ARG,
                        "no XML document given");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "domain_definition",
                                   EVIRT_FROM_DOMAIN, err);
    if (!doc)
        return NULL;
    evirt_domain_def *def = calloc(1, sizeof(*def));
    if (!def) {
        oom(err);
    } else if (parse_root(def, xmlDocGetRootElement(doc), flags, err) < 0) {
        evirt_domain_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    if (def)
        EVIRT_DEBUG("parsed domain '%s' (%zu disks, %zu interfaces)",
                    def->name, def->ndisks, def->nnets);
    return def;
}

/* ---- copy, free, lookups ---- */

evirt_domain_def *
evirt_domain_def_copy(const evirt_domain_def *def)
{
    /* Formatting with everything and reading back is a deep copy by
     * construction: no second list of fields to keep in step. */
    char *xml = evirt_domain_def_format(def, EVIRT_DOMAIN_DEF_FORMAT_SECURE);
    if (!xml)
        return NULL;
    evirt_error err = { 0 };
    evirt_domain_def *copy = evirt_domain_def_parse_string(xml, 0, &err);
    if (!copy)
        EVIRT_WARN("cannot copy domain '%s': %s", def->name,
                   err.message ? err.message : "?");
    evirt_error_reset(&err);
    free(xml);
    return copy;
}

static void
free_extras(evirt_xml_extra *extras, size_t n)
{
    for (size_t i = 0; i < n; i++)
        xmlFreeNode(extras[i].node);
    free(extras);
}

void
evirt_domain_def_free(evirt_domain_def *def)
{
    if (!def)
        return;
    free(def->type);
    free(def->name);
    free(def->title);
    free(def->description);
    free(def->vcpu_placement);
    free(def->vcpu_cpuset);
    free(def->os.type);
    free(def->os.arch);
    free(def->os.machine);
    for (size_t i = 0; i < def->os.nboot_devs; i++)
        free(def->os.boot_devs[i]);
    free(def->os.boot_devs);
    free(def->os.kernel);
    free(def->os.initrd);
    free(def->os.cmdline);
    free(def->os.loader);
    xmlFreeNode(def->os.xml);
    for (size_t i = 0; i < def->nfeatures; i++)
        xmlFreeNode(def->features[i]);
    free(def->features);
    free(def->clock_offset);
    xmlFreeNode(def->clock_node);
    free(def->on_poweroff);
    free(def->on_reboot);
    free(def->on_crash);
    free(def->emulator);
    for (size_t i = 0; i < def->ndisks; i++) {
        evirt_domain_disk_def *d = &def->disks[i];
        free(d->type);
        free(d->device);
        free(d->driver_name);
        free(d->driver_type);
        free(d->source_path);
        free(d->target_dev);
        free(d->target_bus);
        xmlFreeNode(d->xml);
    }
    free(def->disks);
    for (size_t i = 0; i < def->nnets; i++) {
        evirt_domain_net_def *n = &def->nets[i];
        free(n->type);
        free(n->source);
        free(n->source_mode);
        free(n->model_type);
        free(n->target_dev);
        xmlFreeNode(n->xml);
    }
    free(def->nets);
    evirt_domain_chr_def *chrs[2] = { def->serials, def->consoles };
    size_t nchrs[2] = { def->nserials, def->nconsoles };
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < nchrs[k]; i++) {
            free(chrs[k][i].type);
            free(chrs[k][i].target_type);
            xmlFreeNode(chrs[k][i].xml);
        }
        free(chrs[k]);
    }
    for (size_t i = 0; i < def->ninputs; i++) {
        free(def->inputs[i].type);
        free(def->inputs[i].bus);
        xmlFreeNode(def->inputs[i].xml);
    }
    free(def->inputs);
    for (size_t i = 0; i < def->ngraphics; i++) {
        evirt_domain_graphics_def *g = &def->graphics[i];
        free(g->type);
        free(g->listen);
        free(g->passwd);
        free(g->keymap);
        xmlFreeNode(g->xml);
    }
    free(def->graphics);
    for (size_t i = 0; i < def->nhostdevs; i++) {
        free(def->hostdevs[i].mode);
        free(def->hostdevs[i].type);
        xmlFreeNode(def->hostdevs[i].xml);
    }
    free(def->hostdevs);
    free_extras(def->extras, def->nextras);
    free_extras(def->device_extras, def->ndevice_extras);
    free(def);
}

bool
evirt_domain_def_has_feature(const evirt_domain_def *def, const char *name)
{
    for (size_t i = 0; i < def->nfeatures; i++)
        if (evirt_xml_is(def->features[i], name))
            return true;
    return false;
}

evirt_domain_disk_def *
evirt_domain_def_find_disk(const evirt_domain_def *def, const char *target_dev)
{
    for (size_t i = 0; i < def->ndisks; i++)
        if (def->disks[i].target_dev &&
            strcmp(def->disks[i].target_dev, target_dev) == 0)
            return &def->disks[i];
    return NULL;
}

evirt_domain_net_def *
evirt_domain_def_find_net(const evirt_domain_def *def, const char *target_dev)
{
    for (size_t i = 0; i < def->nnets; i++)
        if (def->nets[i].target_dev &&
            strcmp(def->nets[i].target_dev, target_dev) == 0)
            return &def->nets[i];
    return NULL;
}
