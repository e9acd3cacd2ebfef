/*
 * conf/domain_format.c - writing a domain definition as libvirt does:
 * libvirt's element and attribute order, 2-space indentation, single
 * quotes; what the model does not hold comes back from the preserved
 * nodes, next to the known element it followed in the input.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "conf/domain_conf.h"
#include "conf/domain_conf_priv.h"
#include "conf/xml_util.h"

typedef evirt_xml_kv kv;

/* Writes the known child `slot` of obj into b at level. */
typedef void (*child_fn)(evirt_buf *b, int level, int slot, const void *obj,
                         xmlNodePtr orig, unsigned int flags);

const char *
evirt_disk_source_attr(const char *disk_type)
{
    if (!disk_type || strcmp(disk_type, "file") == 0)
        return "file";
    if (strcmp(disk_type, "block") == 0)
        return "dev";
    if (strcmp(disk_type, "dir") == 0)
        return "dir";
    return NULL;
}

const char *
evirt_net_source_attr(const char *net_type)
{
    if (!net_type)
        return NULL;
    if (strcmp(net_type, "network") == 0)
        return "network";
    if (strcmp(net_type, "bridge") == 0)
        return "bridge";
    if (strcmp(net_type, "direct") == 0)
        return "dev";
    return NULL;
}

/*
 * Writes <name attrs... other-attrs-of-orig> then its children: the known
 * ones (through fn, in the order of known[]) with orig's unknown ones in
 * between, or text, or "/>".  An optional element with nothing to say is
 * left out.
 */
static void
write_elem(evirt_buf *b, int level, const char *name, const kv *attrs,
           size_t nattrs, xmlNodePtr orig, const char *const *known,
           child_fn fn, const void *obj, unsigned int flags,
           const char *text, bool optional)
{
    evirt_buf kids = { 0 };
    int nslots = 0;
    while (known && known[nslots])
        nslots++;
    for (int slot = -1; slot < nslots; slot++) {
        if (slot >= 0 && fn)
            fn(&kids, level + 1, slot, obj, orig, flags);
        evirt_buf_unknown_children(&kids, level + 1, orig, known, slot);
    }

    evirt_buf tag = { 0 };
    bool any = evirt_buf_start_tag(&tag, level, name, attrs, nattrs, orig);

    if (kids.failed || tag.failed)
        b->failed = true;
    if (!optional || any || kids.len || text) {
        evirt_buf_add(b, tag.s ? tag.s : "", tag.len);
        if (kids.len) {
            evirt_buf_adds(b, ">\n");
            evirt_buf_add(b, kids.s, kids.len);
            evirt_buf_indent(b, level);
            evirt_buf_printf(b, "</%s>\n", name);
        } else if (text) {
            evirt_buf_adds(b, ">");
            evirt_buf_escape(b, text);
            evirt_buf_printf(b, "</%s>\n", name);
        } else {
            evirt_buf_adds(b, "/>\n");
        }
    }
    evirt_buf_free(&kids);
    evirt_buf_free(&tag);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A known leaf child: our attributes over the original's. */
static void
write_leaf(evirt_buf *b, int level, const char *name, const kv *attrs,
           size_t nattrs, xmlNodePtr parent_orig, const char *text,
           bool optional)
{
    write_elem(b, level, name, attrs, nattrs,
               evirt_xml_child(parent_orig, name), NULL, NULL, NULL, 0,
               text, optional);
}

/* ---- devices ---- */

static const char *const disk_children[] = {
    "driver", "source", "target", "readonly", "shareable", NULL
};

static void
disk_child(evirt_buf *b, int level, int slot, const void *obj,
           xmlNodePtr orig, unsigned int flags)
{
    const evirt_domain_disk_def *d = obj;
    switch (slot) {
    case 0: {
        kv a[] = { { "name", d->driver_name }, { "type", d->driver_type } };
        write_leaf(b, level, "driver", a, N(a), orig, NULL, true);
        break;
    }
    case 1: {
        const char *attr = evirt_disk_source_attr(d->type);
        if (attr) {
            kv a[] = { { "file", NULL }, { "dev", NULL }, { "dir", NULL } };
            for (size_t i = 0; i < N(a); i++)
                if (strcmp(a[i].name, attr) == 0)
                    a[i].value = d->source_path;
            write_leaf(b, level, "source", a, N(a), orig, NULL, true);
        } else if (evirt_xml_child(orig, "source")) {
            write_leaf(b, level, "source", NULL, 0, orig, NULL, true);
        }
        break;
    }
    case 2: {
        kv a[] = { { "dev", d->target_dev }, { "bus", d->target_bus } };
        write_leaf(b, level, "target", a, N(a), orig, NULL, true);
        break;
    }
    case 3:
        if (d->readonly)
            write_leaf(b, level, "readonly", NULL, 0, orig, NULL, false);
        break;
    case 4:
        if (d->shareable)
            write_leaf(b, level, "shareable", NULL, 0, orig, NULL, false);
        break;
    }
}

static const char *const net_children[] = {
    "mac", "source", "target", "model", NULL
};

static void
net_child(evirt_buf *b, int level, int slot, const void *obj,
          xmlNodePtr orig, unsigned int flags)
{
    const evirt_domain_net_def *n = obj;
    switch (slot) {
    case 0: {
        char mac[18];
        evirt_mac_format(n->mac, mac);
        kv a[] = { { "address", mac } };
        write_leaf(b, level, "mac", a, N(a), orig, NULL, false);
        break;
    }
    case 1: {
        const char *attr = evirt_net_source_attr(n->type);
        if (attr) {
            kv a[] = { { attr, n->source }, { "mode", n->source_mode } };
            write_leaf(b, level, "source", a, N(a), orig, NULL, true);
        } else if (evirt_xml_child(orig, "source")) {
            write_leaf(b, level, "source", NULL, 0, orig, NULL, true);
        }
        break;
    }
    case 2: {
        kv a[] = { { "dev", n->target_dev } };
        write_leaf(b, level, "target", a, N(a), orig, NULL, true);
        break;
    }
    case 3: {
        kv a[] = { { "type", n->model_type } };
        write_leaf(b, level, "model", a, N(a), orig, NULL, true);
        break;
    }
    }
}

static const char *const chr_children[] = { "target", NULL };

static void
chr_child(evirt_buf *b, int level, int slot, const void *obj,
          xmlNodePtr orig, unsigned int flags)
{
    const evirt_domain_chr_def *c = obj;
    char port[16];
    snprintf(port, sizeof(port), "%d", c->target_port);
    kv a[] = { { "type", c->target_type },
               { "port", c->target_port >= 0 ? port : NULL } };
    write_leaf(b, level, "target", a, N(a), orig, NULL, true);
}

static void
write_graphics(evirt_buf *b, int level, const evirt_domain_graphics_def *g,
               unsigned int flags)
{
    char port[16];
    snprintf(port, sizeof(port), "%d", g->port);
    kv a[] = {
        { "type", g->type },
        { "port", g->port ? port : NULL },
        { "autoport", g->autoport < 0 ? NULL : g->autoport ? "yes" : "no" },
        { "listen", g->listen },
        { "keymap", g->keymap },
        { "passwd", (flags & EVIRT_DOMAIN_DEF_FORMAT_SECURE) ? g->passwd : NULL },
    };
    write_elem(b, level, "graphics", a, N(a), g->xml, NULL, NULL, NULL,
               flags, NULL, false);
}

static void
write_device_slot(evirt_buf *b, const evirt_domain_def *def, int slot,
                  unsigned int flags)
{
    const int l = 2;
    switch (slot) {
    case EVIRT_DEV_SLOT_EMULATOR:
        evirt_buf_text_elem(b, l, "emulator", def->emulator);
        break;
    case EVIRT_DEV_SLOT_DISK:
        for (size_t i = 0; i < def->ndisks; i++) {
            const evirt_domain_disk_def *d = &def->disks[i];
            kv a[] = { { "type", d->type }, { "device", d->device } };
            write_elem(b, l, "disk", a, N(a), d->xml, disk_children,
                       disk_child, d, flags, NULL, false);
        }
        break;
    case EVIRT_DEV_SLOT_INTERFACE:
        for (size_t i = 0; i < def->nnets; i++) {
            const evirt_domain_net_def *n = &def->nets[i];
            kv a[] = { { "type", n->type } };
            write_elem(b, l, "interface", a, N(a), n->xml, net_children,
                       net_child, n, flags, NULL, false);
        }
        break;
    case EVIRT_DEV_SLOT_SERIAL:
    case EVIRT_DEV_SLOT_CONSOLE: {
        bool serial = slot == EVIRT_DEV_SLOT_SERIAL;
        const evirt_domain_chr_def *chrs = serial ? def->serials : def->consoles;
        size_t n = serial ? def->nserials : def->nconsoles;
        for (size_t i = 0; i < n; i++) {
            kv a[] = { { "type", chrs[i].type } };
            write_elem(b, l, serial ? "serial" : "console", a, N(a),
                       chrs[i].xml, chr_children, chr_child, &chrs[i], flags,
                       NULL, false);
        }
        break;
    }
    case EVIRT_DEV_SLOT_INPUT:
        for (size_t i = 0; i < def->ninputs; i++) {
            kv a[] = { { "type", def->inputs[i].type },
                       { "bus", def->inputs[i].bus } };
            write_elem(b, l, "input", a, N(a), def->inputs[i].xml, NULL,
                       NULL, NULL, flags, NULL, false);
        }
        break;
    case EVIRT_DEV_SLOT_GRAPHICS:
        for (size_t i = 0; i < def->ngraphics; i++)
            write_graphics(b, l, &def->graphics[i], flags);
        break;
    case EVIRT_DEV_SLOT_HOSTDEV:
        for (size_t i = 0; i < def->nhostdevs; i++) {
            const evirt_domain_hostdev_def *h = &def->hostdevs[i];
            int m = h->managed;
            kv a[] = { { "mode", h->mode }, { "type", h->type },
                       { "managed", m < 0 ? NULL : m ? "yes" : "no" } };
            write_elem(b, l, "hostdev", a, N(a), h->xml, NULL, NULL, NULL,
                       flags, NULL, false);
        }
        break;
    }
}

static void
write_extras(evirt_buf *b, int level, const evirt_xml_extra *extras,
             size_t n, int anchor)
{
    for (size_t i = 0; i < n; i++)
        if (extras[i].anchor == anchor)
            evirt_buf_node(b, level, extras[i].node);
}

static void
write_devices(evirt_buf *b, const evirt_domain_def *def, unsigned int flags)
{
    evirt_buf_adds(b, "  <devices>\n");
    for (int slot = -1; slot < EVIRT_DEV_SLOT_COUNT; slot++) {
        if (slot >= 0)
            write_device_slot(b, def, slot, flags);
        write_extras(b, 2, def->device_extras, def->ndevice_extras, slot);
    }
    evirt_buf_adds(b, "  </devices>\n");
}

/* ---- top level ---- */

static const char *const os_children[] = {
    "type", "loader", "kernel", "initrd", "cmdline", "boot", NULL
};

static void
os_child(evirt_buf *b, int level, int slot, const void *obj,
         xmlNodePtr orig, unsigned int flags)
{
    const evirt_domain_def *def = obj;
    switch (slot) {
    case 0: {
        kv a[] = { { "arch", def->os.arch }, { "machine", def->os.machine } };
        write_leaf(b, level, "type", a, N(a), orig, def->os.type, false);
        break;
    }
    case 1:
        if (def->os.loader)
            write_leaf(b, level, "loader", NULL, 0, orig, def->os.loader, false);
        break;
    case 2: evirt_buf_text_elem(b, level, "kernel", def->os.kernel); break;
    case 3: evirt_buf_text_elem(b, level, "initrd", def->os.initrd); break;
    case 4: evirt_buf_text_elem(b, level, "cmdline", def->os.cmdline); break;
    case 5:
        for (size_t i = 0; i < def->os.nboot_devs; i++) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<boot");
            evirt_buf_attr(b, "dev", def->os.boot_devs[i]);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    }
}

static void
write_memory(evirt_buf *b, const char *name, unsigned long long kib)
{
    evirt_buf_printf(b, "  <%s unit='KiB'>%llu</%s>\n", name, kib, name);
}

static void
write_top_slot(evirt_buf *b, const evirt_domain_def *def, int slot,
               unsigned int flags)
{
    switch (slot) {
    case EVIRT_TOP_SLOT_NAME:
        evirt_buf_text_elem(b, 1, "name", def->name);
        break;
    case EVIRT_TOP_SLOT_UUID: {
        char uuid[37];
        evirt_uuid_format(def->uuid, uuid);
        evirt_buf_text_elem(b, 1, "uuid", uuid);
        break;
    }
    case EVIRT_TOP_SLOT_TITLE:
        evirt_buf_text_elem(b, 1, "title", def->title);
        break;
    case EVIRT_TOP_SLOT_DESCRIPTION:
        evirt_buf_text_elem(b, 1, "description", def->description);
        break;
    case EVIRT_TOP_SLOT_MEMORY:
        write_memory(b, "memory", def->memory_kib);
        break;
    case EVIRT_TOP_SLOT_CURRENT_MEMORY:
        write_memory(b, "currentMemory", def->current_memory_kib
                     ? def->current_memory_kib : def->memory_kib);
        break;
    case EVIRT_TOP_SLOT_VCPU: {
        unsigned int max = def->vcpus ? def->vcpus : 1;
        evirt_buf_adds(b, "  <vcpu");
        evirt_buf_attr(b, "placement",
                       def->vcpu_placement ? def->vcpu_placement : "static");
        evirt_buf_attr(b, "cpuset", def->vcpu_cpuset);
        if (def->vcpus_current && def->vcpus_current < max)
            evirt_buf_printf(b, " current='%u'", def->vcpus_current);
        evirt_buf_printf(b, ">%u</vcpu>\n", max);
        break;
    }
    case EVIRT_TOP_SLOT_OS:
        write_elem(b, 1, "os", NULL, 0, def->os.xml, os_children, os_child,
                   def, flags, NULL, false);
        break;
    case EVIRT_TOP_SLOT_FEATURES:
        if (def->nfeatures) {
            evirt_buf_adds(b, "  <features>\n");
            for (size_t i = 0; i < def->nfeatures; i++)
                evirt_buf_node(b, 2, def->features[i]);
            evirt_buf_adds(b, "  </features>\n");
        }
        break;
    case EVIRT_TOP_SLOT_CLOCK: {
        kv a[] = { { "offset", def->clock_offset ? def->clock_offset : "utc" } };
        write_elem(b, 1, "clock", a, N(a), def->clock_node, NULL, NULL, NULL,
                   flags, NULL, false);
        break;
    }
    case EVIRT_TOP_SLOT_ON_POWEROFF:
        evirt_buf_text_elem(b, 1, "on_poweroff",
                            def->on_poweroff ? def->on_poweroff : "destroy");
        break;
    case EVIRT_TOP_SLOT_ON_REBOOT:
        evirt_buf_text_elem(b, 1, "on_reboot",
                            def->on_reboot ? def->on_reboot : "restart");
        break;
    case EVIRT_TOP_SLOT_ON_CRASH:
        evirt_buf_text_elem(b, 1, "on_crash",
                            def->on_crash ? def->on_crash : "destroy");
        break;
    case EVIRT_TOP_SLOT_DEVICES:
        write_devices(b, def, flags);
        break;
    }
}

char *
evirt_domain_def_format(const evirt_domain_def *def, unsigned int flags)
{
    evirt_buf b = { 0 };
    evirt_buf_adds(&b, "<domain");
    evirt_buf_attr(&b, "type", def->type ? def->type : "none");
    if (def->id >= 0 && !(flags & EVIRT_DOMAIN_DEF_FORMAT_INACTIVE))
        evirt_buf_printf(&b, " id='%d'", def->id);
    evirt_buf_adds(&b, ">\n");
    for (int slot = -1; slot < EVIRT_TOP_SLOT_COUNT; slot++) {
        if (slot >= 0)
            write_top_slot(&b, def, slot, flags);
        write_extras(&b, 1, def->extras, def->nextras, slot);
    }
    evirt_buf_adds(&b, "</domain>\n");
    return evirt_buf_steal(&b);
}
