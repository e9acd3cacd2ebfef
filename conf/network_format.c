/*
 * conf/network_format.c - writing a network definition as libvirt does.
 *
 * Every element is written from a list of the children libvirt writes,
 * in its order.  A child the model holds comes from the struct; a child
 * it only keeps (<nat>, <tftp>, <portgroup>...) is copied from the
 * original element; unknown children come back right after the known
 * child they followed in the input.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "conf/domain_conf.h"
#include "conf/domain_conf_priv.h"
#include "conf/network_conf.h"
#include "conf/xml_util.h"

typedef evirt_xml_kv kv;

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Writes known child `slot` of obj; false when the model does not hold
 * it, so the original's elements of that name are copied instead. */
typedef bool (*child_fn)(evirt_buf *b, int level, int slot, const void *obj,
                         xmlNodePtr orig, unsigned int flags);

typedef enum {
    STYLE_ALWAYS,    /* written even when empty, as <x/> */
    STYLE_OPTIONAL,  /* left out when it has nothing to say */
    STYLE_OPEN_CLOSE /* libvirt's <ip>: "<x ...>\n</x>" even when empty */
} elem_style;

static void
write_children(evirt_buf *b, int level, xmlNodePtr orig,
               const char *const *known, child_fn fn, const void *obj,
               unsigned int flags)
{
    static const char *const none[] = { NULL };
    if (!known)
        known = none;
    int nslots = 0;
    while (known[nslots])
        nslots++;
    for (int slot = -1; slot < nslots; slot++) {
        if (slot >= 0 && !(fn && fn(b, level, slot, obj, orig, flags)))
            evirt_buf_kept_children(b, level, orig, known[slot]);
        /* unknown children that followed this slot's last element */
        evirt_buf_unknown_children(b, level, orig, known, slot);
    }
}

static void
write_elem(evirt_buf *b, int level, const char *name, const kv *attrs,
           size_t nattrs, xmlNodePtr orig, const char *const *known,
           child_fn fn, const void *obj, unsigned int flags, elem_style style)
{
    evirt_buf kids = { 0 };
    write_children(&kids, level + 1, orig, known, fn, obj, flags);

    evirt_buf tag = { 0 };
    bool any = evirt_buf_start_tag(&tag, level, name, attrs, nattrs, orig);

    if (kids.failed || tag.failed)
        b->failed = true;
    if (style != STYLE_OPTIONAL || any || kids.len) {
        evirt_buf_add(b, tag.s ? tag.s : "", tag.len);
        if (kids.len || style == STYLE_OPEN_CLOSE) {
            evirt_buf_adds(b, ">\n");
            evirt_buf_add(b, kids.s ? kids.s : "", kids.len);
            evirt_buf_indent(b, level);
            evirt_buf_printf(b, "</%s>\n", name);
        } else {
            evirt_buf_adds(b, "/>\n");
        }
    }
    evirt_buf_free(&kids);
    evirt_buf_free(&tag);
}

/* ---- <ip> ---- */

static const char *const dhcp_children[] = { "range", "host", "bootp", NULL };

static bool
dhcp_child(evirt_buf *b, int level, int slot, const void *obj,
           xmlNodePtr orig, unsigned int flags)
{
    const evirt_network_ip_def *ip = obj;
    switch (slot) {
    case 0:
        for (size_t i = 0; i < ip->nranges; i++) {
            const evirt_network_dhcp_range *r = &ip->ranges[i];
            kv a[] = { { "start", r->start }, { "end", r->end } };
            write_elem(b, level, "range", a, N(a), r->xml, NULL, NULL, NULL,
                       flags, STYLE_ALWAYS);
        }
        return true;
    case 1:
        for (size_t i = 0; i < ip->nhosts; i++) {
            const evirt_network_dhcp_host *h = &ip->hosts[i];
            kv a[] = { { "mac", h->mac }, { "id", h->id },
                       { "name", h->name }, { "ip", h->ip } };
            write_elem(b, level, "host", a, N(a), h->xml, NULL, NULL, NULL,
                       flags, STYLE_ALWAYS);
        }
        return true;
    }
    return false;
}

static const char *const ip_children[] = { "tftp", "dhcp", NULL };

static bool
ip_child(evirt_buf *b, int level, int slot, const void *obj,
         xmlNodePtr orig, unsigned int flags)
{
    if (slot != 1)
        return false;
    write_elem(b, level, "dhcp", NULL, 0, evirt_xml_child(orig, "dhcp"),
               dhcp_children, dhcp_child, obj, flags, STYLE_OPTIONAL);
    return true;
}

static void
write_ip(evirt_buf *b, const evirt_network_ip_def *ip, unsigned int flags)
{
    char prefix[16];
    snprintf(prefix, sizeof(prefix), "%u", ip->prefix);
    kv a[] = {
        { "family", ip->family },
        { "address", ip->address },
        { "netmask", ip->netmask },
        { "prefix", ip->prefix ? prefix : NULL },
    };
    write_elem(b, 1, "ip", a, N(a), ip->xml, ip_children, ip_child, ip,
               flags, STYLE_OPEN_CLOSE);
}

/* ---- <dns> ---- */

static const char *const dns_children[] = {
    "forwarder", "txt", "srv", "host", NULL
};

static bool
dns_child(evirt_buf *b, int level, int slot, const void *obj,
          xmlNodePtr orig, unsigned int flags)
{
    const evirt_network_def *def = obj;
    if (slot != 3)
        return false;
    for (size_t i = 0; i < def->ndns_hosts; i++) {
        const evirt_network_dns_host *h = &def->dns_hosts[i];
        evirt_buf_indent(b, level);
        evirt_buf_adds(b, "<host");
        evirt_buf_attr(b, "ip", h->ip);
        evirt_buf_adds(b, ">\n");
        for (size_t j = 0; j < h->nhostnames; j++)
            evirt_buf_text_elem(b, level + 1, "hostname", h->hostnames[j]);
        evirt_buf_indent(b, level);
        evirt_buf_adds(b, "</host>\n");
    }
    return true;
}

/* ---- <forward> ---- */

static const char *const forward_children[] = {
    "driver", "nat", "pf", "interface", "address", NULL
};

static bool
forward_child(evirt_buf *b, int level, int slot, const void *obj,
              xmlNodePtr orig, unsigned int flags)
{
    const evirt_network_def *def = obj;
    if (slot != 3)
        return false;
    for (size_t i = 0; i < def->ninterfaces; i++) {
        const evirt_network_forward_if *f = &def->interfaces[i];
        char conns[16];
        snprintf(conns, sizeof(conns), "%u", f->connections);
        bool show = f->connections && !(flags & EVIRT_NETWORK_DEF_FORMAT_INACTIVE);
        kv a[] = { { "dev", f->dev }, { "connections", show ? conns : NULL } };
        write_elem(b, level, "interface", a, N(a), f->xml, NULL, NULL, NULL,
                   flags, STYLE_ALWAYS);
    }
    return true;
}

static void
write_forward(evirt_buf *b, const evirt_network_def *def, xmlNodePtr orig,
              unsigned int flags)
{
    const char *mode = evirt_network_forward_mode_to_string(def->forward_mode);
    if (!mode || def->forward_mode == EVIRT_NETWORK_FORWARD_NONE)
        return;
    kv a[] = { { "dev", evirt_network_def_forward_dev(def) }, { "mode", mode } };
    write_elem(b, 1, "forward", a, N(a), orig, forward_children,
               forward_child, def, flags, STYLE_ALWAYS);
}

/* ---- <bridge> ---- */

static void
write_bridge(evirt_buf *b, const evirt_network_def *def, xmlNodePtr orig,
             unsigned int flags)
{
    int m = def->forward_mode;
    /* libvirt always shows stp and delay where it runs the bridge itself */
    bool own = m == EVIRT_NETWORK_FORWARD_NONE || m == EVIRT_NETWORK_FORWARD_NAT ||
               m == EVIRT_NETWORK_FORWARD_ROUTE || m == EVIRT_NETWORK_FORWARD_OPEN;
    if (!own && !def->bridge_name && !def->bridge_zone && !def->mac_table_manager)
        return;
    char delay[24];
    snprintf(delay, sizeof(delay), "%lu", def->delay);
    kv a[] = {
        { "name", def->bridge_name },
        { "zone", def->bridge_zone },
        { "stp", own ? (def->stp ? "on" : "off") : NULL },
        { "delay", own ? delay : NULL },
        { "macTableManager", def->mac_table_manager },
    };
    write_elem(b, 1, "bridge", a, N(a), orig, NULL, NULL, NULL, flags,
               STYLE_ALWAYS);
}

/* ---- <network> ---- */

enum {
    SLOT_NAME, SLOT_UUID, SLOT_TITLE, SLOT_DESCRIPTION, SLOT_METADATA,
    SLOT_FORWARD, SLOT_BRIDGE, SLOT_MTU, SLOT_MAC, SLOT_DOMAIN, SLOT_DNS,
    SLOT_VLAN, SLOT_BANDWIDTH, SLOT_PORT, SLOT_VIRTUALPORT, SLOT_IP,
    SLOT_ROUTE, SLOT_PORTGROUP
};

static const char *const network_children[] = {
    "name", "uuid", "title", "description", "metadata", "forward", "bridge",
    "mtu", "mac", "domain", "dns", "vlan", "bandwidth", "port", "virtualport",
    "ip", "route", "portgroup", NULL
};

static bool
network_child(evirt_buf *b, int level, int slot, const void *obj,
              xmlNodePtr orig, unsigned int flags)
{
    const evirt_network_def *def = obj;
    xmlNodePtr o = evirt_xml_child(orig, network_children[slot]);
    switch (slot) {
    case SLOT_NAME:
        evirt_buf_text_elem(b, level, "name", def->name);
        return true;
    case SLOT_UUID: {
        char uuid[37];
        evirt_uuid_format(def->uuid, uuid);
        evirt_buf_text_elem(b, level, "uuid", uuid);
        return true;
    }
    case SLOT_FORWARD:
        write_forward(b, def, o, flags);
        return true;
    case SLOT_BRIDGE:
        write_bridge(b, def, o, flags);
        return true;
    case SLOT_MTU:
        if (def->mtu) {
            char size[16];
            snprintf(size, sizeof(size), "%u", def->mtu);
            kv a[] = { { "size", size } };
            write_elem(b, level, "mtu", a, N(a), o, NULL, NULL, NULL, flags,
                       STYLE_ALWAYS);
        }
        return true;
    case SLOT_MAC:
        if (def->has_mac) {
            char mac[18];
            evirt_mac_format(def->mac, mac);
            kv a[] = { { "address", mac } };
            write_elem(b, level, "mac", a, N(a), o, NULL, NULL, NULL, flags,
                       STYLE_ALWAYS);
        }
        return true;
    case SLOT_DOMAIN:
        if (def->domain_name) {
            kv a[] = { { "name", def->domain_name } };
            write_elem(b, level, "domain", a, N(a), o, NULL, NULL, NULL, flags,
                       STYLE_ALWAYS);
        }
        return true;
    case SLOT_DNS:
        if (def->has_dns || def->ndns_hosts)
            write_elem(b, level, "dns", NULL, 0, o, dns_children, dns_child,
                       def, flags, STYLE_OPTIONAL);
        return true;
    case SLOT_IP:
        for (size_t i = 0; i < def->nips; i++)
            write_ip(b, &def->ips[i], flags);
        return true;
    }
    return false;
}

char *
evirt_network_def_format(const evirt_network_def *def, unsigned int flags)
{
    char conns[16];
    snprintf(conns, sizeof(conns), "%u", def->connections);
    bool show = def->connections && !(flags & EVIRT_NETWORK_DEF_FORMAT_INACTIVE);
    kv a[] = {
        { "connections", show ? conns : NULL },
        { "ipv6", def->ipv6 ? "yes" : NULL },
    };
    evirt_buf b = { 0 };
    write_elem(&b, 0, "network", a, N(a), def->xml, network_children,
               network_child, def, flags, STYLE_ALWAYS);
    return evirt_buf_steal(&b);
}
