/*
 * conf/network_conf.c - reading a network definition from libvirt's
 * network XML, copying, freeing, and the lookups drivers need.  Writing
 * it is in network_format.c.
 */
#include <config.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>

#define EVIRT_LOG_CATEGORY "evirt.conf.network"
#include "api/error-private.h"
#include "api/log-private.h"
#include "conf/domain_conf.h"
#include "conf/network_conf.h"
#include "conf/xml_util.h"

static const char *const forward_modes[EVIRT_NETWORK_FORWARD_LAST] = {
    "none", "nat", "route", "open", "bridge", "private", "vepa",
    "passthrough", "hostdev",
};

const char *
evirt_network_forward_mode_to_string(int mode)
{
    if (mode < 0 || mode >= EVIRT_NETWORK_FORWARD_LAST)
        return NULL;
    return forward_modes[mode];
}

int
evirt_network_forward_mode_from_string(const char *s)
{
    for (int i = 0; s && i < EVIRT_NETWORK_FORWARD_LAST; i++)
        if (strcmp(forward_modes[i], s) == 0)
            return i;
    return -1;
}

/* ---- errors ---- */

static int
oom(evirt_error *err)
{
    return evirt_xml_oom(EVIRT_FROM_NETWORK, err);
}

/* Raises code with the formatted text and the line of node. */
#define fail(err, code, node, ...) \
    evirt_xml_error_at((err), EVIRT_FROM_NETWORK, (code), (node), __VA_ARGS__)

/* ---- addresses ---- */

typedef struct {
    bool v6;
    unsigned char b[16]; /* network order; 4 bytes used for IPv4 */
} addr;

static size_t
addr_len(const addr *a)
{
    return a->v6 ? 16 : 4;
}

/* Parses a numeric IPv4 or IPv6 address; *canon (optional) gets its
 * canonical text.  0, -1 when invalid, -2 when out of memory. */
static int
addr_parse(const char *s, addr *a, char **canon)
{
    if (!s)
        return -1;
    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, s, a->b) == 1)
        a->v6 = false;
    else if (inet_pton(AF_INET6, s, a->b) == 1)
        a->v6 = true;
    else
        return -1;
    if (canon) {
        char buf[INET6_ADDRSTRLEN];
        if (!inet_ntop(a->v6 ? AF_INET6 : AF_INET, a->b, buf, sizeof(buf)))
            return -1;
        if (!(*canon = strdup(buf)))
            return -2;
    }
    return 0;
}

/* Bits of a contiguous netmask, -1 when it is not one. */
static int
mask_bits(const addr *m)
{
    int bits = 0;
    size_t i = 0, n = addr_len(m);
    for (; i < n && m->b[i] == 0xff; i++)
        bits += 8;
    if (i < n) {
        unsigned char c = m->b[i];
        while (c & 0x80) {
            bits++;
            c = (unsigned char)(c << 1);
        }
        if (c)
            return -1;
        for (i++; i < n; i++)
            if (m->b[i])
                return -1;
    }
    return bits;
}

/* true when a and b agree on the first `prefix` bits. */
static bool
same_network(const addr *a, const addr *b, int prefix)
{
    if (a->v6 != b->v6)
        return false;
    for (int i = 0; i < (int)addr_len(a) && prefix > 0; i++, prefix -= 8) {
        unsigned char mask = prefix >= 8 ? 0xff
                           : (unsigned char)(0xff << (8 - prefix));
        if ((a->b[i] & mask) != (b->b[i] & mask))
            return false;
    }
    return true;
}

int
evirt_network_ip_prefix(const evirt_network_ip_def *ip)
{
    if (!ip)
        return -1;
    if (ip->prefix > 0)
        return (int)ip->prefix;
    addr a;
    if (ip->netmask && addr_parse(ip->netmask, &a, NULL) == 0)
        return mask_bits(&a);
    if (!ip->address || addr_parse(ip->address, &a, NULL) < 0)
        return -1;
    if (a.v6)
        return 64;
    /* No mask given: the address class decides, as it did before CIDR. */
    if (a.b[0] < 128)
        return 8;
    if (a.b[0] < 192)
        return 16;
    if (a.b[0] < 224)
        return 24;
    return -1;
}

bool
evirt_network_ip_contains(const evirt_network_ip_def *ip, const char *s)
{
    addr net, a;
    int prefix = evirt_network_ip_prefix(ip);
    if (prefix < 0 || addr_parse(ip->address, &net, NULL) < 0 ||
        addr_parse(s, &a, NULL) < 0)
        return false;
    return same_network(&net, &a, prefix);
}

/* ---- small readers ---- */

/* Duplicates an attribute into *out (NULL when absent). */
static int
get_prop(xmlNodePtr node, const char *name, char **out, evirt_error *err)
{
    return evirt_xml_get_prop(node, name, out, EVIRT_FROM_NETWORK, err);
}

/* An unsigned attribute (absent: *out untouched). */
static int
get_uint_prop(xmlNodePtr node, const char *name, unsigned long max,
              unsigned long *out, const char *what, evirt_error *err)
{
    char *v = NULL;
    if (get_prop(node, name, &v, err) < 0)
        return -1;
    int rc = 0;
    unsigned long long n;
    if (v && evirt_parse_uint(v, 10, max, &n) < 0)
        rc = fail(err, EVIRT_ERR_XML_ERROR, node, "invalid %s '%s'", what, v);
    else if (v)
        *out = (unsigned long)n;
    free(v);
    return rc;
}

/* An address attribute, canonicalised.  Absent: *out stays NULL. */
static int
get_addr_prop(xmlNodePtr node, const char *name, char **out, addr *a,
              const char *what, evirt_error *err)
{
    char *v = NULL;
    if (get_prop(node, name, &v, err) < 0)
        return -1;
    free(*out);
    *out = NULL;
    if (!v)
        return 0;
    int rc = addr_parse(v, a, out);
    if (rc == -2)
        oom(err);
    else if (rc < 0)
        fail(err, EVIRT_ERR_XML_ERROR, node, "invalid %s '%s'", what, v);
    free(v);
    return rc < 0 ? -1 : 0;
}

#define APPEND(array, n, err) EVIRT_APPEND_OR(array, n, return oom(err))

static int
copy_node(xmlNodePtr node, struct _xmlNode **out, evirt_error *err)
{
    return evirt_xml_copy_node(out, node) < 0 ? oom(err) : 0;
}

/* ---- <forward> ---- */

static int
parse_forward(evirt_network_def *def, xmlNodePtr node, evirt_error *err)
{
    char *mode = NULL, *dev = NULL;
    int rc = -1;
    if (get_prop(node, "mode", &mode, err) < 0 ||
        get_prop(node, "dev", &dev, err) < 0)
        goto out;
    def->forward_mode = mode ? evirt_network_forward_mode_from_string(mode)
                             : EVIRT_NETWORK_FORWARD_NAT;
    if (def->forward_mode < 0) {
        fail(err, EVIRT_ERR_CONFIG_UNSUPPORTED, node,
             "unknown forwarding type '%s'", mode);
        goto out;
    }
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (evirt_xml_is(c, "interface")) {
            void *p = evirt_grow(def->interfaces, &def->ninterfaces,
                           sizeof(*def->interfaces));
            if (!p) {
                oom(err);
                goto out;
            }
            def->interfaces = p;
            evirt_network_forward_if *f = &def->interfaces[def->ninterfaces - 1];
            unsigned long conns = 0;
            if (copy_node(c, &f->xml, err) < 0 ||
                get_prop(c, "dev", &f->dev, err) < 0 ||
                get_uint_prop(c, "connections", UINT_MAX, &conns,
                              "interface connections", err) < 0)
                goto out;
            f->connections = (unsigned int)conns;
            if (!f->dev || !*f->dev) {
                fail(err, EVIRT_ERR_XML_ERROR, c,
                     "missing dev in <forward><interface>");
                goto out;
            }
        } else if (evirt_xml_is(c, "nat") &&
                   def->forward_mode != EVIRT_NETWORK_FORWARD_NAT) {
            fail(err, EVIRT_ERR_XML_ERROR, c,
                 "<nat> is only allowed in <forward mode='nat'>, not '%s'",
                 forward_modes[def->forward_mode]);
            goto out;
        }
    }
    if (dev && *dev) {
        if (def->ninterfaces == 0) {
            /* dev= alone names the one interface */
            def->interfaces = calloc(1, sizeof(*def->interfaces));
            if (!def->interfaces) {
                oom(err);
                goto out;
            }
            def->ninterfaces = 1;
            def->interfaces[0].dev = dev;
            dev = NULL;
        } else if (strcmp(dev, def->interfaces[0].dev) != 0) {
            fail(err, EVIRT_ERR_XML_ERROR, node,
                 "<forward dev='%s'> must match the first <interface dev='%s'/>",
                 dev, def->interfaces[0].dev);
            goto out;
        }
    }
    rc = 0;
out:
    free(mode);
    free(dev);
    return rc;
}

/* ---- <bridge>, <mtu>, <mac>, <domain> ---- */

static int
parse_bridge(evirt_network_def *def, xmlNodePtr node, bool *tuned,
             evirt_error *err)
{
    char *stp = NULL;
    if (get_prop(node, "name", &def->bridge_name, err) < 0 ||
        get_prop(node, "zone", &def->bridge_zone, err) < 0 ||
        get_prop(node, "macTableManager", &def->mac_table_manager, err) < 0 ||
        get_prop(node, "stp", &stp, err) < 0)
        return -1;
    *tuned = stp || def->bridge_zone || xmlHasNsProp(node, BAD_CAST "delay", NULL);
    if (stp) {
        bool off = strcmp(stp, "off") == 0;
        if (!off && strcmp(stp, "on") != 0) {
            fail(err, EVIRT_ERR_XML_ERROR, node,
                 "invalid bridge stp value '%s', expected 'on' or 'off'", stp);
            free(stp);
            return -1;
        }
        def->stp = !off;
        free(stp);
    }
    return get_uint_prop(node, "delay", ULONG_MAX, &def->delay,
                         "bridge delay", err);
}

static int
parse_mtu(evirt_network_def *def, xmlNodePtr node, evirt_error *err)
{
    unsigned long v = 0;
    if (get_uint_prop(node, "size", UINT_MAX, &v, "mtu size", err) < 0)
        return -1;
    def->mtu = (unsigned int)v;
    return 0;
}

static int
parse_mac(evirt_network_def *def, xmlNodePtr node, evirt_error *err)
{
    char *mac = evirt_xml_prop(node, "address");
    int rc = 0;
    if (!mac || evirt_mac_parse(mac, def->mac) < 0)
        rc = fail(err, EVIRT_ERR_XML_ERROR, node,
                  "invalid bridge mac address '%s'", mac ? mac : "");
    else if (def->mac[0] & 1)
        rc = fail(err, EVIRT_ERR_XML_ERROR, node,
                  "bridge mac address '%s' is multicast", mac);
    def->has_mac = rc == 0;
    free(mac);
    return rc;
}

/* ---- <dns> ---- */

static int
parse_dns_host(evirt_network_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->dns_hosts, def->ndns_hosts, err);
    evirt_network_dns_host *h = &def->dns_hosts[def->ndns_hosts - 1];
    addr a;
    if (get_addr_prop(node, "ip", &h->ip, &a, "DNS host ip", err) < 0)
        return -1;
    if (!h->ip)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "missing ip address in <dns><host>");
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (!evirt_xml_is(c, "hostname"))
            continue;
        char *name = evirt_xml_text(c);
        if (!name)
            return oom(err);
        if (!*name) {
            free(name);
            continue;
        }
        void *p = realloc(h->hostnames, (h->nhostnames + 1) * sizeof(char *));
        if (!p) {
            free(name);
            return oom(err);
        }
        h->hostnames = p;
        h->hostnames[h->nhostnames++] = name;
    }
    if (h->nhostnames == 0)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "missing <hostname> in <dns><host ip='%s'>", h->ip);
    return 0;
}

static int
parse_dns(evirt_network_def *def, xmlNodePtr node, evirt_error *err)
{
    def->has_dns = true;
    for (xmlNodePtr c = node->children; c; c = c->next)
        if (evirt_xml_is(c, "host") && parse_dns_host(def, c, err) < 0)
            return -1;
    return 0;
}

/* ---- <ip> ---- */

static int
parse_range(evirt_network_ip_def *ip, const addr *net, int prefix,
            xmlNodePtr node, evirt_error *err)
{
    APPEND(ip->ranges, ip->nranges, err);
    evirt_network_dhcp_range *r = &ip->ranges[ip->nranges - 1];
    addr s, e;
    if (copy_node(node, &r->xml, err) < 0 ||
        get_addr_prop(node, "start", &r->start, &s, "dhcp range start", err) < 0 ||
        get_addr_prop(node, "end", &r->end, &e, "dhcp range end", err) < 0)
        return -1;
    if (!r->start || !r->end)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "a dhcp <range> needs start and end");
    if (s.v6 != ip->ipv6 || e.v6 != ip->ipv6)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "dhcp range %s - %s is not of the family of %s",
                    r->start, r->end, ip->address);
    if (memcmp(s.b, e.b, addr_len(&s)) > 0)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "dhcp range %s - %s is reversed", r->start, r->end);
    if (prefix >= 0 &&
        (!same_network(net, &s, prefix) || !same_network(net, &e, prefix)))
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "dhcp range %s - %s is not entirely within network %s/%d",
                    r->start, r->end, ip->address, prefix);
    return 0;
}

static int
parse_dhcp_host(evirt_network_ip_def *ip, xmlNodePtr node, evirt_error *err)
{
    APPEND(ip->hosts, ip->nhosts, err);
    evirt_network_dhcp_host *h = &ip->hosts[ip->nhosts - 1];
    addr a;
    if (copy_node(node, &h->xml, err) < 0 ||
        get_prop(node, "mac", &h->mac, err) < 0 ||
        get_prop(node, "id", &h->id, err) < 0 ||
        get_prop(node, "name", &h->name, err) < 0 ||
        get_addr_prop(node, "ip", &h->ip, &a, "dhcp host ip", err) < 0)
        return -1;
    if (h->mac) {
        unsigned char mac[6];
        if (evirt_mac_parse(h->mac, mac) < 0)
            return fail(err, EVIRT_ERR_XML_ERROR, node,
                        "cannot parse dhcp host MAC address '%s'", h->mac);
        if (mac[0] & 1)
            return fail(err, EVIRT_ERR_XML_ERROR, node,
                        "dhcp host MAC address '%s' is multicast", h->mac);
    }
    if (h->name && !isalpha((unsigned char)h->name[0]))
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "dhcp host name '%s' must start with a letter", h->name);
    if (!h->mac && !h->id && !h->name)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "a dhcp <host> needs a mac, id or name attribute");
    if (!h->ip)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "missing ip address in dhcp <host>");
    if (a.v6 != ip->ipv6)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "dhcp host ip %s is not of the family of %s",
                    h->ip, ip->address);
    return 0;
}

static int
parse_ip_address(evirt_network_ip_def *ip, xmlNodePtr node, addr *net,
                 evirt_error *err)
{
    addr mask;
    unsigned long prefix = 0;
    if (get_prop(node, "family", &ip->family, err) < 0 ||
        get_addr_prop(node, "address", &ip->address, net, "address", err) < 0 ||
        get_addr_prop(node, "netmask", &ip->netmask, &mask, "netmask", err) < 0 ||
        get_uint_prop(node, "prefix", UINT_MAX, &prefix, "prefix", err) < 0)
        return -1;
    ip->prefix = (unsigned int)prefix;
    if (ip->family && strcmp(ip->family, "ipv4") != 0 &&
        strcmp(ip->family, "ipv6") != 0)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "unrecognized ip family '%s'", ip->family);
    if (!ip->address)
        return fail(err, EVIRT_ERR_XML_ERROR, node,
                    "missing required address attribute in <ip>");
    ip->ipv6 = net->v6;
    bool want6 = ip->family && strcmp(ip->family, "ipv6") == 0;
    if (!ip->family && ip->ipv6)
        return fail(err, EVIRT_ERR_CONFIG_UNSUPPORTED, node,
                    "no family specified for non-IPv4 address '%s'",
                    ip->address);
    if (want6 != ip->ipv6)
        return fail(err, EVIRT_ERR_CONFIG_UNSUPPORTED, node,
                    "family '%s' specified for an %s address '%s'",
                    ip->family, ip->ipv6 ? "IPv6" : "IPv4", ip->address);
    if (ip->netmask) {
        if (ip->ipv6)
            return fail(err, EVIRT_ERR_CONFIG_UNSUPPORTED, node,
                        "netmask not allowed for IPv6 address '%s'",
                        ip->address);
        if (mask.v6 || mask_bits(&mask) < 0)
            return fail(err, EVIRT_ERR_XML_ERROR, node,
                        "invalid netmask '%s'", ip->netmask);
        if (xmlHasNsProp(node, BAD_CAST "prefix", NULL))
            return fail(err, EVIRT_ERR_CONFIG_UNSUPPORTED, node,
                        "ip address '%s' cannot have both a prefix and a netmask",
                        ip->address);
    }
    if (ip->prefix > (ip->ipv6 ? 128u : 32u))
        return fail(err, EVIRT_ERR_CONFIG_UNSUPPORTED, node,
                    "invalid %s prefix '%u'", ip->ipv6 ? "IPv6" : "IPv4",
                    ip->prefix);
    return 0;
}

static int
parse_ip(evirt_network_def *def, xmlNodePtr node, evirt_error *err)
{
    APPEND(def->ips, def->nips, err);
    evirt_network_ip_def *ip = &def->ips[def->nips - 1];
    addr net;
    if (copy_node(node, &ip->xml, err) < 0 ||
        parse_ip_address(ip, node, &net, err) < 0)
        return -1;
    int prefix = evirt_network_ip_prefix(ip);
    xmlNodePtr dhcp = evirt_xml_child(node, "dhcp");
    if (!dhcp)
        return 0;
    ip->has_dhcp = true;
    for (xmlNodePtr c = dhcp->children; c; c = c->next) {
        if (evirt_xml_is(c, "range")) {
            if (parse_range(ip, &net, prefix, c, err) < 0)
                return -1;
        } else if (evirt_xml_is(c, "host")) {
            if (parse_dhcp_host(ip, c, err) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- <network> ---- */

static int
parse_root_attrs(evirt_network_def *def, xmlNodePtr root, evirt_error *err)
{
    unsigned long conns = 0;
    if (get_uint_prop(root, "connections", UINT_MAX, &conns,
                      "connections count", err) < 0)
        return -1;
    def->connections = (unsigned int)conns;
    char *ipv6 = evirt_xml_prop(root, "ipv6");
    int rc = 0;
    if (ipv6) {
        if (strcmp(ipv6, "yes") == 0)
            def->ipv6 = true;
        else if (strcmp(ipv6, "no") != 0)
            rc = fail(err, EVIRT_ERR_XML_ERROR, root,
                      "invalid ipv6 setting '%s', expected 'yes' or 'no'", ipv6);
        free(ipv6);
    }
    return rc;
}

/* The rules libvirt applies across elements. */
static int
check_def(evirt_network_def *def, xmlNodePtr root, bool bridge_tuned,
          evirt_error *err)
{
    int mode = def->forward_mode;
    bool routed = mode == EVIRT_NETWORK_FORWARD_NAT ||
                  mode == EVIRT_NETWORK_FORWARD_ROUTE ||
                  mode == EVIRT_NETWORK_FORWARD_OPEN;
    if (routed && def->nips == 0)
        return fail(err, EVIRT_ERR_XML_ERROR, evirt_xml_child(root, "forward"),
                    "%s forwarding requested, but no IP address provided "
                    "for network '%s'", forward_modes[mode], def->name);
    if (bridge_tuned && !routed && mode != EVIRT_NETWORK_FORWARD_NONE)
        return fail(err, EVIRT_ERR_XML_ERROR, evirt_xml_child(root, "bridge"),
                    "bridge delay/stp/zone options are only allowed in route, "
                    "nat, open and isolated mode, not in %s (network '%s')",
                    forward_modes[mode], def->name);
    if (def->mtu && !routed && mode != EVIRT_NETWORK_FORWARD_NONE)
        return fail(err, EVIRT_ERR_XML_ERROR, evirt_xml_child(root, "mtu"),
                    "mtu size is only allowed in open, route, nat and isolated "
                    "mode, not in %s (network '%s')",
                    forward_modes[mode], def->name);
    if (mode == EVIRT_NETWORK_FORWARD_BRIDGE && def->bridge_name &&
        def->ninterfaces)
        return fail(err, EVIRT_ERR_XML_ERROR, evirt_xml_child(root, "bridge"),
                    "a network with forward mode='bridge' can name a bridge or "
                    "a forward dev, not both (network '%s')", def->name);
    return 0;
}

static int
parse_root(evirt_network_def *def, xmlNodePtr root, evirt_error *err)
{
    if (!evirt_xml_is(root, "network")) {
        evirt_error_set(err, EVIRT_FROM_XML, EVIRT_ERR_XML_ERROR,
                        "expecting root element of 'network', not '%s'",
                        root ? (const char *)root->name : "");
        return -1;
    }
    def->stp = true;
    if (copy_node(root, &def->xml, err) < 0 ||
        parse_root_attrs(def, root, err) < 0)
        return -1;

    /* libvirt reads the first of each single element and ignores the rest */
    bool have_name = false, have_uuid = false, have_forward = false,
         have_bridge = false, have_mtu = false, have_mac = false,
         have_domain = false, have_dns = false, bridge_tuned = false;
    for (xmlNodePtr c = root->children; c; c = c->next) {
        int rc = 0;
        if (evirt_xml_is(c, "name") && !have_name) {
            have_name = true;
            free(def->name);
            def->name = evirt_xml_text(c);
            if (!def->name)
                return oom(err);
            if (strchr(def->name, '/'))
                rc = fail(err, EVIRT_ERR_XML_ERROR, c,
                          "network name '%s' cannot contain '/'", def->name);
        } else if (evirt_xml_is(c, "uuid") && !have_uuid) {
            have_uuid = true;
            char *text = evirt_xml_text(c);
            if (!text)
                return oom(err);
            if (evirt_uuid_parse(text, def->uuid) < 0)
                rc = fail(err, EVIRT_ERR_XML_ERROR, c,
                          "malformed uuid element '%s'", text);
            free(text);
        } else if (evirt_xml_is(c, "forward") && !have_forward) {
            have_forward = true;
            rc = parse_forward(def, c, err);
        } else if (evirt_xml_is(c, "bridge") && !have_bridge) {
            have_bridge = true;
            rc = parse_bridge(def, c, &bridge_tuned, err);
        } else if (evirt_xml_is(c, "mtu") && !have_mtu) {
            have_mtu = true;
            rc = parse_mtu(def, c, err);
        } else if (evirt_xml_is(c, "mac") && !have_mac) {
            have_mac = true;
            rc = parse_mac(def, c, err);
        } else if (evirt_xml_is(c, "domain") && !have_domain) {
            have_domain = true;
            rc = get_prop(c, "name", &def->domain_name, err);
        } else if (evirt_xml_is(c, "dns") && !have_dns) {
            have_dns = true;
            rc = parse_dns(def, c, err);
        } else if (evirt_xml_is(c, "ip")) {
            rc = parse_ip(def, c, err);
        }
        if (rc < 0)
            return -1;
    }

    if (!def->name || !*def->name) {
        evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_NO_NAME,
                        "missing name information");
        return -1;
    }
    if (!have_uuid && evirt_uuid_generate(def->uuid) < 0) {
        evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_INTERNAL_ERROR,
                        "cannot generate a uuid: %s", strerror(errno));
        return -1;
    }
    return check_def(def, root, bridge_tuned, err);
}

evirt_network_def *
evirt_network_def_parse_string(const char *xml, unsigned int flags,
                               evirt_error *err)
{
    (void)flags;
    if (!xml) {
        evirt_error_set(err, EVIRT_FROM_NETWORK, EVIRT_ERR_INVALID_ARG,
                        "no XML document given");
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(xml, "network_definition",
                                   EVIRT_FROM_NETWORK, err);
    if (!doc)
        return NULL;
    evirt_network_def *def = calloc(1, sizeof(*def));
    if (!def) {
        oom(err);
    } else if (parse_root(def, xmlDocGetRootElement(doc), err) < 0) {
        evirt_network_def_free(def);
        def = NULL;
    }
    xmlFreeDoc(doc);
    if (def)
        EVIRT_DEBUG("parsed network '%s' (forward %s, %zu ip)", def->name,
                    forward_modes[def->forward_mode], def->nips);
    return def;
}

/* ---- copy, free ---- */

evirt_network_def *
evirt_network_def_copy(const evirt_network_def *def)
{
    /* format + parse is a deep copy with no second list of fields */
    char *xml = evirt_network_def_format(def, 0);
    if (!xml)
        return NULL;
    evirt_error err = { 0 };
    evirt_network_def *copy = evirt_network_def_parse_string(xml, 0, &err);
    if (!copy)
        EVIRT_WARN("cannot copy network '%s': %s", def->name,
                   err.message ? err.message : "?");
    evirt_error_reset(&err);
    free(xml);
    return copy;
}

static void
free_ip(evirt_network_ip_def *ip)
{
    free(ip->family);
    free(ip->address);
    free(ip->netmask);
    for (size_t i = 0; i < ip->nranges; i++) {
        free(ip->ranges[i].start);
        free(ip->ranges[i].end);
        xmlFreeNode(ip->ranges[i].xml);
    }
    free(ip->ranges);
    for (size_t i = 0; i < ip->nhosts; i++) {
        evirt_network_dhcp_host *h = &ip->hosts[i];
        free(h->mac);
        free(h->id);
        free(h->name);
        free(h->ip);
        xmlFreeNode(h->xml);
    }
    free(ip->hosts);
    xmlFreeNode(ip->xml);
}

void
evirt_network_def_free(evirt_network_def *def)
{
    if (!def)
        return;
    free(def->name);
    for (size_t i = 0; i < def->ninterfaces; i++) {
        free(def->interfaces[i].dev);
        xmlFreeNode(def->interfaces[i].xml);
    }
    free(def->interfaces);
    free(def->bridge_name);
    free(def->bridge_zone);
    free(def->mac_table_manager);
    free(def->domain_name);
    for (size_t i = 0; i < def->ndns_hosts; i++) {
        for (size_t j = 0; j < def->dns_hosts[i].nhostnames; j++)
            free(def->dns_hosts[i].hostnames[j]);
        free(def->dns_hosts[i].hostnames);
        free(def->dns_hosts[i].ip);
    }
    free(def->dns_hosts);
    for (size_t i = 0; i < def->nips; i++)
        free_ip(&def->ips[i]);
    free(def->ips);
    xmlFreeNode(def->xml);
    free(def);
}

/* ---- lookups ---- */

const char *
evirt_network_def_bridge_name(const evirt_network_def *def)
{
    return def->bridge_name && *def->bridge_name ? def->bridge_name : NULL;
}

const char *
evirt_network_def_forward_dev(const evirt_network_def *def)
{
    return def->ninterfaces ? def->interfaces[0].dev : NULL;
}

const evirt_network_ip_def *
evirt_network_def_ipv4(const evirt_network_def *def)
{
    for (size_t i = 0; i < def->nips; i++)
        if (!def->ips[i].ipv6)
            return &def->ips[i];
    return NULL;
}

int
evirt_network_def_ipv4_address(const evirt_network_def *def,
                               const char **address, unsigned int *prefix)
{
    const evirt_network_ip_def *ip = evirt_network_def_ipv4(def);
    int p = evirt_network_ip_prefix(ip);
    if (!ip || p < 0)
        return -1;
    if (address)
        *address = ip->address;
    if (prefix)
        *prefix = (unsigned int)p;
    return 0;
}

size_t
evirt_network_def_ndhcp_hosts(const evirt_network_def *def)
{
    size_t n = 0;
    for (size_t i = 0; i < def->nips; i++)
        n += def->ips[i].nhosts;
    return n;
}

const evirt_network_dhcp_host *
evirt_network_def_dhcp_host(const evirt_network_def *def, size_t i)
{
    for (size_t k = 0; k < def->nips; k++) {
        if (i < def->ips[k].nhosts)
            return &def->ips[k].hosts[i];
        i -= def->ips[k].nhosts;
    }
    return NULL;
}

const evirt_network_dhcp_host *
evirt_network_def_find_dhcp_host(const evirt_network_def *def, const char *mac)
{
    unsigned char want[6], have[6];
    if (!mac || evirt_mac_parse(mac, want) < 0)
        return NULL;
    for (size_t k = 0; k < def->nips; k++) {
        for (size_t i = 0; i < def->ips[k].nhosts; i++) {
            const evirt_network_dhcp_host *h = &def->ips[k].hosts[i];
            if (h->mac && evirt_mac_parse(h->mac, have) == 0 &&
                memcmp(want, have, 6) == 0)
                return h;
        }
    }
    return NULL;
}
