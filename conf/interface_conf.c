/*
 * conf/interface_conf.c - reading, writing, copying and freeing a host
 * interface definition (libvirt's interface XML).
 */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#define EVIRT_LOG_CATEGORY "evirt.conf.interface"
#include "api/error-private.h"
#include "api/log-private.h"
#include "conf/interface_conf.h"
#include "conf/xml_util.h"

static const char *const iface_types[] = {
    "ethernet", "bridge", "bond", "vlan", NULL
};
static const char *const start_modes[] = {
    "", "none", "onboot", "hotplug", NULL
};
static const char *const link_states[] = {
    "unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant",
    "up", NULL
};
static const char *const bond_modes[] = {
    "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad",
    "balance-tlb", "balance-alb", NULL
};

/* Known children, in the order they are written.  An element the model
 * does not know is written after the known one it followed. */
static const char *const top_slots[] = {
    "start", "mtu", "protocol", "link", "mac", "bridge", "bond", "vlan", NULL
};
enum { SLOT_START, SLOT_MTU, SLOT_PROTOCOL, SLOT_LINK, SLOT_MAC, SLOT_BRIDGE,
       SLOT_BOND, SLOT_VLAN };
static const char *const protocol_slots[] = {
    "autoconf", "dhcp", "ip", "route", NULL
};
static const char *const bridge_slots[] = { "interface", NULL };
static const char *const bond_slots[] = {
    "miimon", "arpmon", "interface", NULL
};
static const char *const vlan_slots[] = { "interface", NULL };

const char *
evirt_interface_type_to_string(int type)
{
    return type >= 0 && type <= EVIRT_INTERFACE_TYPE_VLAN ? iface_types[type]
                                                          : NULL;
}

const char *
evirt_interface_start_mode_to_string(int mode)
{
    return mode > EVIRT_INTERFACE_START_UNSPECIFIED &&
           mode <= EVIRT_INTERFACE_START_HOTPLUG ? start_modes[mode] : NULL;
}

/* ---- errors ---- */

static int
oom(evirt_error *err)
{
    return evirt_xml_oom(EVIRT_FROM_INTERFACE, err);
}

/* Raises the formatted text with the line of node. */
#define invalid(err, node, ...) \
    evirt_xml_error_at((err), EVIRT_FROM_INTERFACE, EVIRT_ERR_XML_ERROR, \
                       (node), __VA_ARGS__)

/* Attribute errors are reported by libvirt's generic XML helpers, in the
 * XML error domain. */
static int
bad_attr(evirt_error *err, xmlNodePtr node, const char *attr,
         const char *value, const char *expected)
{
    evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                    "Invalid value for attribute '%s' in element '%s': '%s'%s (line %ld)",
                    attr, (const char *)node->name, value,
                    expected ? expected : "", xmlGetLineNo(node));
    return -1;
}

/* ---- small readers ---- */

static int
get_prop(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    return evirt_xml_get_prop(node, name, out, EVIRT_FROM_INTERFACE, err);
}

static int
copy_node(xmlNodePtr node, struct _xmlNode **out, evirt_error *err)
{
    return evirt_xml_copy_node(out, node) < 0 ? oom(err) : 0;
}

/* ---- reading ---- */

static int
parse_link(evirt_interface_def *def, xmlNodePtr node, evirt_error *err)
{
    char *speed = evirt_xml_prop(node, "speed");
    if (speed) {
        unsigned long long v;
        int rc = evirt_parse_uint(speed, 10, UINT_MAX, &v);
        if (rc < 0)
            bad_attr(err, node, "speed", speed,
                     ". Expected non-negative integer value");
        else
            def->link_speed = (unsigned int)v;
        free(speed);
        if (rc < 0)
            return -1;
    }
    if (get_prop(node, "state", &def->link_state, err) < 0)
        return -1;
    if (def->link_state && evirt_list_index(link_states, def->link_state) < 0)
        return bad_attr(err, node, "state", def->link_state, NULL);
    return 0;
}

static int
parse_protocol(evirt_interface_def *def, xmlNodePtr node, evirt_error *err)
{
    char *family = evirt_xml_prop(node, "family");
    if (!family)
        return invalid(err, node, "protocol misses the family attribute");
    bool v6 = strcmp(family, "ipv6") == 0;
    if (!v6 && strcmp(family, "ipv4") != 0) {
        invalid(err, node, "unsupported protocol family '%s'", family);
        free(family);
        return -1;
    }
    evirt_interface_protocol *p = evirt_grow(def->protocols, &def->nprotocols,
                                       sizeof(*p));
    if (!p) {
        free(family);
        return oom(err);
    }
    def->protocols = p;
    p = &p[def->nprotocols - 1];
    p->family = family;
    p->dhcp_peerdns = -1;
    if (copy_node(node, &p->xml, err) < 0)
        return -1;

    bool have_route = false;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (evirt_xml_is(c, "autoconf") && v6) {
            p->autoconf = true;
        } else if (evirt_xml_is(c, "dhcp") && !p->dhcp) {
            p->dhcp = true;
            char *peerdns = evirt_xml_prop(c, "peerdns");
            if (peerdns) {
                if (strcmp(peerdns, "yes") == 0)
                    p->dhcp_peerdns = 1;
                else if (strcmp(peerdns, "no") == 0)
                    p->dhcp_peerdns = 0;
                else
                    bad_attr(err, c, "peerdns", peerdns, NULL);
                free(peerdns);
                if (p->dhcp_peerdns < 0)
                    return -1;
            }
        } else if (evirt_xml_is(c, "ip")) {
            char *prefix = evirt_xml_prop(c, "prefix");
            int pv = 0;
            if (prefix && evirt_parse_int(prefix, &pv) < 0) {
                bad_attr(err, c, "prefix", prefix, ". Expected integer value");
                free(prefix);
                return -1;
            }
            free(prefix);
            /* libvirt skips an <ip> without an address */
            if (!xmlHasNsProp(c, BAD_CAST "address", NULL))
                continue;
            evirt_interface_ip *ip = evirt_grow(p->ips, &p->nips, sizeof(*ip));
            if (!ip)
                return oom(err);
            p->ips = ip;
            ip = &ip[p->nips - 1];
            ip->prefix = pv;
            if (get_prop(c, "address", &ip->address, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "route") && !have_route) {
            /* the first <route> counts, as in libvirt */
            have_route = true;
            if (get_prop(c, "gateway", &p->gateway, err) < 0)
                return -1;
        }
    }
    return 0;
}

static int parse_iface(evirt_interface_def *def, xmlNodePtr node,
                       int parent_type, evirt_error *err);

static int
parse_members(evirt_interface_def *def, xmlNodePtr container, evirt_error *err)
{
    for (xmlNodePtr c = container->children; c; c = c->next) {
        if (!evirt_xml_is(c, "interface"))
            continue;
        evirt_interface_def *m = calloc(1, sizeof(*m));
        if (!m)
            return oom(err);
        void *p = realloc(def->members, (def->nmembers + 1) * sizeof(*def->members));
        if (!p) {
            free(m);
            return oom(err);
        }
        def->members = p;
        def->members[def->nmembers++] = m;
        if (parse_iface(m, c, (int)def->type, err) < 0)
            return -1;
    }
    return 0;
}

static int
parse_bridge(evirt_interface_def *def, xmlNodePtr node, evirt_error *err)
{
    xmlNodePtr br = evirt_xml_child(node, "bridge");
    if (!br)
        return invalid(err, node, "bridge interface misses the bridge element");
    char *stp = evirt_xml_prop(br, "stp");
    /* like libvirt, a value other than on/off is ignored */
    def->bridge_stp = !stp ? -1 : strcmp(stp, "on") == 0 ? 1 :
                      strcmp(stp, "off") == 0 ? 0 : -1;
    free(stp);
    if (get_prop(br, "delay", &def->bridge_delay, err) < 0)
        return -1;
    return parse_members(def, br, err);
}

/* Checks an optional unsigned attribute of a bond monitor. */
static int
check_monitor_uint(xmlNodePtr node, const char *attr, bool required,
                   evirt_error *err)
{
    char *v = evirt_xml_prop(node, attr);
    unsigned long long n;
    int rc = 0;
    if ((v || required) && evirt_parse_uint(v, 10, INT_MAX, &n) < 0)
        rc = invalid(err, node, "bond interface %s %s %s",
                     (const char *)node->name, attr,
                     required ? "missing or invalid" : "invalid");
    free(v);
    return rc;
}

static int
check_choice(xmlNodePtr node, const char *attr, const char *const *choices,
             const char *what, evirt_error *err)
{
    char *v = evirt_xml_prop(node, attr);
    int rc = 0;
    if (v && evirt_list_index(choices, v) < 0)
        rc = invalid(err, node, "unknown %s %s", what, v);
    free(v);
    return rc;
}

static int
parse_bond(evirt_interface_def *def, xmlNodePtr node, evirt_error *err)
{
    static const char *const carriers[] = { "ioctl", "netif", NULL };
    static const char *const validates[] = {
        "none", "active", "backup", "all", NULL
    };
    xmlNodePtr bond = evirt_xml_child(node, "bond");
    if (!bond)
        return invalid(err, node, "bond interface misses the bond element");
    if (get_prop(bond, "mode", &def->bond_mode, err) < 0)
        return -1;
    if (def->bond_mode && evirt_list_index(bond_modes, def->bond_mode) < 0)
        return invalid(err, bond, "unknown bonding mode %s", def->bond_mode);

    xmlNodePtr mon = evirt_xml_child(bond, "miimon");
    if (mon) {
        if (check_monitor_uint(mon, "freq", true, err) < 0 ||
            check_monitor_uint(mon, "downdelay", false, err) < 0 ||
            check_monitor_uint(mon, "updelay", false, err) < 0 ||
            check_choice(mon, "carrier", carriers, "mii bonding carrier", err) < 0)
            return -1;
    } else if ((mon = evirt_xml_child(bond, "arpmon"))) {
        if (check_monitor_uint(mon, "interval", true, err) < 0)
            return -1;
        if (!xmlHasNsProp(mon, BAD_CAST "target", NULL))
            return invalid(err, mon, "bond interface arpmon target missing");
        if (check_choice(mon, "validate", validates, "arp bonding validate",
                         err) < 0)
            return -1;
    }
    if (mon && copy_node(mon, &def->bond_monitor, err) < 0)
        return -1;
    return parse_members(def, bond, err);
}

static int
parse_vlan(evirt_interface_def *def, xmlNodePtr node, evirt_error *err)
{
    xmlNodePtr vlan = evirt_xml_child(node, "vlan");
    if (!vlan)
        return invalid(err, node, "vlan interface misses the vlan element");
    if (get_prop(vlan, "tag", &def->vlan_tag, err) < 0)
        return -1;
    if (!def->vlan_tag)
        return invalid(err, vlan, "vlan interface misses the tag attribute");
    xmlNodePtr dev = evirt_xml_child(vlan, "interface");
    if (get_prop(dev, "name", &def->vlan_parent, err) < 0)
        return -1;
    if (!def->vlan_parent)
        return invalid(err, dev ? dev : vlan,
                       "vlan interface misses name attribute");
    return 0;
}

/* parent_type: -1 at the top, else the type of the bridge/bond holding
 * this member. */
static int
parse_iface(evirt_interface_def *def, xmlNodePtr node, int parent_type,
            evirt_error *err)
{
    def->bridge_stp = -1;
    if (copy_node(node, &def->xml, err) < 0)
        return -1;
    char *type = evirt_xml_prop(node, "type");
    if (!type) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "Missing required attribute 'type' in element 'interface' (line %ld)",
                        xmlGetLineNo(node));
        return -1;
    }
    int t = evirt_list_index(iface_types, type);
    if (t < 0) {
        bad_attr(err, node, "type", type, NULL);
        free(type);
        return -1;
    }
    def->type = (evirt_interface_type)t;
    bool allowed = parent_type < 0 ||
        (parent_type == EVIRT_INTERFACE_TYPE_BRIDGE &&
         def->type != EVIRT_INTERFACE_TYPE_BRIDGE) ||
        (parent_type == EVIRT_INTERFACE_TYPE_BOND &&
         def->type == EVIRT_INTERFACE_TYPE_ETHERNET);
    if (!allowed) {
        invalid(err, node, "interface has unsupported type '%s'", type);
        free(type);
        return -1;
    }
    free(type);

    if (get_prop(node, "name", &def->name, err) < 0)
        return -1;
    if (!def->name)
        return invalid(err, node, "interface has no name");

    bool top = parent_type < 0;
    bool have[8] = { false };
    for (xmlNodePtr c = node->children; c; c = c->next) {
        int slot = evirt_slot_index(top_slots, c);
        if (slot < 0)
            continue;
        bool first = !have[slot];
        have[slot] = true;
        if (slot == SLOT_START && top && first) {
            char *mode = evirt_xml_prop(c, "mode");
            int m = mode ? evirt_list_index(start_modes, mode) : 0;
            if (m <= 0 && mode) {
                invalid(err, c, "unknown interface startmode %s", mode);
                free(mode);
                return -1;
            }
            free(mode);
            def->start_mode = (evirt_interface_start_mode)m;
        } else if (slot == SLOT_MTU && top && first) {
            char *size = evirt_xml_prop(c, "size");
            unsigned long long v = 0;
            int rc = size ? evirt_parse_uint(size, 10, INT_MAX, &v) : 0;
            free(size);
            if (rc < 0)
                return invalid(err, c, "interface mtu value is improper");
            def->mtu = (unsigned int)v;
        } else if (slot == SLOT_PROTOCOL && top) {
            if (parse_protocol(def, c, err) < 0)
                return -1;
        } else if (slot == SLOT_LINK && first &&
                   def->type != EVIRT_INTERFACE_TYPE_BRIDGE) {
            if (parse_link(def, c, err) < 0)
                return -1;
        } else if (slot == SLOT_MAC && first &&
                   def->type == EVIRT_INTERFACE_TYPE_ETHERNET) {
            if (get_prop(c, "address", &def->mac, err) < 0)
                return -1;
        }
    }

    switch (def->type) {
    case EVIRT_INTERFACE_TYPE_BRIDGE: return parse_bridge(def, node, err);
    case EVIRT_INTERFACE_TYPE_BOND: return parse_bond(def, node, err);
    case EVIRT_INTERFACE_TYPE_VLAN: return parse_vlan(def, node, err);
    case EVIRT_INTERFACE_TYPE_ETHERNET: break;
    }
    return 0;
}

evirt_interface_def *
evirt_interface_def_parse_string(const char *xml, unsigned int flags,
                                 evirt_error *err)
{
    (void)flags;
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_INTERFACE, EVIRT_ERR_INVALID_ARG,
                        "no XML document given");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "interface_definition",
                                   EVIRT_FROM_INTERFACE, err);
    if (!doc)
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    evirt_interface_def *def = NULL;
    if (!evirt_xml_is(root, "interface")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'interface', not '%s'",
                        root ? (const char *)root->name : "");
    } else if (!(def = calloc(1, sizeof(*def)))) {
        oom(err);
    } else if (parse_iface(def, root, -1, err) < 0) {
        evirt_interface_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    if (def)
        EVIRT_DEBUG("parsed interface '%s' (%s, %zu members)", def->name,
                    iface_types[def->type], def->nmembers);
    return def;
}

/* ---- writing ---- */

typedef void (*slot_fn)(evirt_buf *b, int level, int slot, const void *obj,
                        unsigned int flags);

/* The known children (through fn, in slot order) with orig's unknown
 * element children after the known one they followed. */
static void
write_children(evirt_buf *b, int level, xmlNodePtr orig,
               const char *const *slots, slot_fn fn, const void *obj,
               unsigned int flags)
{
    int nslots = 0;
    while (slots[nslots])
        nslots++;
    for (int slot = -1; slot < nslots; slot++) {
        if (slot >= 0)
            fn(b, level, slot, obj, flags);
        evirt_buf_unknown_children(b, level, orig, slots, slot);
    }
}

static void
protocol_slot(evirt_buf *b, int level, int slot, const void *obj,
              unsigned int flags)
{
    const evirt_interface_protocol *p = obj;
    (void)flags;
    switch (slot) {
    case 0:
        if (p->autoconf) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<autoconf/>\n");
        }
        break;
    case 1:
        if (p->dhcp) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<dhcp");
            if (p->dhcp_peerdns >= 0)
                evirt_buf_attr(b, "peerdns", p->dhcp_peerdns ? "yes" : "no");
            evirt_buf_adds(b, "/>\n");
        }
        break;
    case 2:
        for (size_t i = 0; i < p->nips; i++) {
            if (!p->ips[i].address)
                continue;
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<ip");
            evirt_buf_attr(b, "address", p->ips[i].address);
            if (p->ips[i].prefix > 0)
                evirt_buf_printf(b, " prefix='%d'", p->ips[i].prefix);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    case 3:
        if (p->gateway) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<route");
            evirt_buf_attr(b, "gateway", p->gateway);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    }
}

static void write_iface(evirt_buf *b, int level, const evirt_interface_def *def,
                        bool top, unsigned int flags);

static void
bridge_slot(evirt_buf *b, int level, int slot, const void *obj,
            unsigned int flags)
{
    const evirt_interface_def *def = obj;
    (void)slot;
    for (size_t i = 0; i < def->nmembers; i++)
        write_iface(b, level, def->members[i], false, flags);
}

static void
bond_slot(evirt_buf *b, int level, int slot, const void *obj,
          unsigned int flags)
{
    const evirt_interface_def *def = obj;
    if (slot == 2) {
        bridge_slot(b, level, slot, obj, flags);
        return;
    }
    if (def->bond_monitor && evirt_xml_is(def->bond_monitor, bond_slots[slot]))
        evirt_buf_node(b, level, def->bond_monitor);
}

static void
vlan_slot(evirt_buf *b, int level, int slot, const void *obj,
          unsigned int flags)
{
    const evirt_interface_def *def = obj;
    (void)slot;
    (void)flags;
    evirt_buf_indent(b, level);
    evirt_buf_adds(b, "<interface");
    evirt_buf_attr(b, "name", def->vlan_parent);
    evirt_buf_adds(b, "/>\n");
}

/* <name attrs other-attrs>\n children </name>\n, always open and closed
 * as libvirt writes these containers. */
static void
write_container(evirt_buf *b, int level, const char *name, const char *attrs,
                xmlNodePtr orig, const char *const *known_attrs,
                const char *const *slots, slot_fn fn, const void *obj,
                unsigned int flags)
{
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s", name);
    evirt_buf_adds(b, attrs);
    evirt_buf_other_attrs(b, orig, known_attrs);
    evirt_buf_adds(b, ">\n");
    write_children(b, level + 1, orig, slots, fn, obj, flags);
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "</%s>\n", name);
}

typedef struct {
    const evirt_interface_def *def;
    bool top;
} iface_ctx;

static void
write_protocol(evirt_buf *b, int level, const evirt_interface_protocol *p,
               unsigned int flags)
{
    static const char *const known[] = { "family", NULL };
    evirt_buf attrs = { 0 };
    evirt_buf_attr(&attrs, "family", p->family);
    write_container(b, level, "protocol", attrs.s ? attrs.s : "", p->xml, known,
                    protocol_slots, protocol_slot, p, flags);
    if (attrs.failed)
        b->failed = true;
    evirt_buf_free(&attrs);
}

static void
top_slot(evirt_buf *b, int level, int slot, const void *obj,
         unsigned int flags)
{
    const iface_ctx *ctx = obj;
    const evirt_interface_def *def = ctx->def;
    xmlNodePtr orig = def->xml;
    evirt_buf attrs = { 0 };

    switch (slot) {
    case SLOT_START:
        if (ctx->top && evirt_interface_start_mode_to_string(def->start_mode)) {
            evirt_buf_indent(b, level);
            evirt_buf_printf(b, "<start mode='%s'/>\n",
                             start_modes[def->start_mode]);
        }
        break;
    case SLOT_MTU:
        if (ctx->top && def->mtu) {
            evirt_buf_indent(b, level);
            evirt_buf_printf(b, "<mtu size='%u'/>\n", def->mtu);
        }
        break;
    case SLOT_PROTOCOL:
        for (size_t i = 0; ctx->top && i < def->nprotocols; i++)
            write_protocol(b, level, &def->protocols[i], flags);
        break;
    case SLOT_LINK:
        if (def->type != EVIRT_INTERFACE_TYPE_BRIDGE &&
            (def->link_speed || def->link_state)) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<link");
            if (def->link_speed)
                evirt_buf_printf(b, " speed='%u'", def->link_speed);
            evirt_buf_attr(b, "state", def->link_state);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    case SLOT_MAC:
        if (def->type == EVIRT_INTERFACE_TYPE_ETHERNET && def->mac) {
            evirt_buf_indent(b, level);
            evirt_buf_adds(b, "<mac");
            evirt_buf_attr(b, "address", def->mac);
            evirt_buf_adds(b, "/>\n");
        }
        break;
    case SLOT_BRIDGE:
        if (def->type == EVIRT_INTERFACE_TYPE_BRIDGE) {
            static const char *const known[] = { "stp", "delay", NULL };
            if (def->bridge_stp >= 0)
                evirt_buf_attr(&attrs, "stp", def->bridge_stp ? "on" : "off");
            evirt_buf_attr(&attrs, "delay", def->bridge_delay);
            write_container(b, level, "bridge", attrs.s ? attrs.s : "",
                            evirt_xml_child(orig, "bridge"), known,
                            bridge_slots, bridge_slot, def, flags);
        }
        break;
    case SLOT_BOND:
        if (def->type == EVIRT_INTERFACE_TYPE_BOND) {
            static const char *const known[] = { "mode", NULL };
            evirt_buf_attr(&attrs, "mode", def->bond_mode);
            write_container(b, level, "bond", attrs.s ? attrs.s : "",
                            evirt_xml_child(orig, "bond"), known,
                            bond_slots, bond_slot, def, flags);
        }
        break;
    case SLOT_VLAN:
        if (def->type == EVIRT_INTERFACE_TYPE_VLAN) {
            static const char *const known[] = { "tag", NULL };
            evirt_buf_attr(&attrs, "tag", def->vlan_tag);
            write_container(b, level, "vlan", attrs.s ? attrs.s : "",
                            evirt_xml_child(orig, "vlan"), known,
                            vlan_slots, vlan_slot, def, flags);
        }
        break;
    }
    if (attrs.failed)
        b->failed = true;
    evirt_buf_free(&attrs);
}

static void
write_iface(evirt_buf *b, int level, const evirt_interface_def *def, bool top,
            unsigned int flags)
{
    static const char *const known[] = { "type", "name", NULL };
    evirt_buf attrs = { 0 };
    evirt_buf_attr(&attrs, "type", evirt_interface_type_to_string(def->type));
    evirt_buf_attr(&attrs, "name", def->name);
    iface_ctx ctx = { def, top };
    write_container(b, level, "interface", attrs.s ? attrs.s : "", def->xml,
                    known, top_slots, top_slot, &ctx, flags);
    if (attrs.failed)
        b->failed = true;
    evirt_buf_free(&attrs);
}

char *
evirt_interface_def_format(const evirt_interface_def *def, unsigned int flags)
{
    if (!def)
        return NULL;
    evirt_buf b = { 0 };
    write_iface(&b, 0, def, true, flags);
    return evirt_buf_steal(&b);
}

/* ---- copy, free ---- */

evirt_interface_def *
evirt_interface_def_copy(const evirt_interface_def *def)
{
    /* Writing and reading back is a deep copy by construction. */
    char *xml = evirt_interface_def_format(def, 0);
    if (!xml)
        return NULL;
    evirt_error err = { 0 };
    evirt_interface_def *copy = evirt_interface_def_parse_string(xml, 0, &err);
    if (!copy)
        EVIRT_WARN("cannot copy interface '%s': %s", def->name,
                   err.message ? err.message : "?");
    evirt_error_reset(&err);
    free(xml);
    return copy;
}

void
evirt_interface_def_free(evirt_interface_def *def)
{
    if (!def)
        return;
    free(def->name);
    for (size_t i = 0; i < def->nprotocols; i++) {
        evirt_interface_protocol *p = &def->protocols[i];
        free(p->family);
        for (size_t j = 0; j < p->nips; j++)
            free(p->ips[j].address);
        free(p->ips);
        free(p->gateway);
        xmlFreeNode(p->xml);
    }
    free(def->protocols);
    free(def->mac);
    free(def->link_state);
    free(def->bridge_delay);
    free(def->bond_mode);
    xmlFreeNode(def->bond_monitor);
    for (size_t i = 0; i < def->nmembers; i++)
        evirt_interface_def_free(def->members[i]);
    free(def->members);
    free(def->vlan_tag);
    free(def->vlan_parent);
    xmlFreeNode(def->xml);
    free(def);
}
