/*
 * conf/network_conf.h - the virtual network definition model (libvirt's
 * network XML).
 *
 * A plain struct that drivers read and change directly.  What the model
 * does not interpret survives parse -> format: unknown elements (top level
 * and inside <forward>, <ip>, <dhcp>, <dns>), the elements kept as XML
 * (<metadata>, <nat>, <pf>, <dns> forwarders/txt/srv, <virtualport>,
 * <bandwidth>, <vlan>, <tftp>, <route>, <portgroup>...) and attributes
 * the model does not hold.  Output is libvirt's: its element order,
 * 2-space indentation, single quotes.
 *
 * Addresses are kept as text in canonical form (inet_ntop), so a driver
 * can hand them to dnsmasq or ip(8) as they are.
 *
 * Ownership: every char *, array and xml node in the struct is owned by
 * the def and released by evirt_network_def_free(); a driver replacing a
 * string frees the old one with free() and stores a malloc'd one.  The
 * "xml" members are private copies of the original elements (NULL for
 * items built in code); formatting takes from them only what the fields
 * do not cover, so a driver changes an item through its fields alone.
 * Threads: a def has no locking; the caller serialises access.
 */
#ifndef EVIRT_CONF_NETWORK_CONF_H
#define EVIRT_CONF_NETWORK_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <evirt/error.h>

struct _xmlNode;

/* Format flags: libvirt's VIR_NETWORK_XML_INACTIVE. */
enum {
    EVIRT_NETWORK_DEF_FORMAT_INACTIVE = 1 << 0, /* omit connections= counts */
};

/* <forward mode=>; same order as libvirt's.  NONE = no <forward>
 * (an isolated network). */
typedef enum {
    EVIRT_NETWORK_FORWARD_NONE,
    EVIRT_NETWORK_FORWARD_NAT,
    EVIRT_NETWORK_FORWARD_ROUTE,
    EVIRT_NETWORK_FORWARD_OPEN,
    EVIRT_NETWORK_FORWARD_BRIDGE,
    EVIRT_NETWORK_FORWARD_PRIVATE,
    EVIRT_NETWORK_FORWARD_VEPA,
    EVIRT_NETWORK_FORWARD_PASSTHROUGH,
    EVIRT_NETWORK_FORWARD_HOSTDEV,
    EVIRT_NETWORK_FORWARD_LAST
} evirt_network_forward_mode;

/* "nat", "route"... for a mode, NULL when out of range; and back (-1 when
 * unknown). */
const char *evirt_network_forward_mode_to_string(int mode);
int evirt_network_forward_mode_from_string(const char *s);

/* <forward><interface dev= connections=/> */
typedef struct evirt_network_forward_if {
    char *dev;
    unsigned int connections; /* runtime count; written unless INACTIVE, 0 = not */
    struct _xmlNode *xml;
} evirt_network_forward_if;

/* <dhcp><range start= end=> */
typedef struct evirt_network_dhcp_range {
    char *start;
    char *end;
    struct _xmlNode *xml; /* keeps <lease> */
} evirt_network_dhcp_range;

/* <dhcp><host mac= id= name= ip=/>: at least one of mac, id, name. */
typedef struct evirt_network_dhcp_host {
    char *mac;  /* as written (validated unicast MAC), or NULL */
    char *id;   /* IPv6 DUID, or NULL */
    char *name; /* or NULL */
    char *ip;   /* canonical address; never NULL */
    struct _xmlNode *xml;
} evirt_network_dhcp_host;

/* <ip family= address= netmask=|prefix=> */
typedef struct evirt_network_ip_def {
    char *family;        /* as written ("ipv4", "ipv6"), or NULL */
    bool ipv6;           /* the address's family */
    char *address;       /* canonical; never NULL */
    char *netmask;       /* IPv4 only, canonical, or NULL */
    unsigned int prefix; /* as written; 0 = not given */
    bool has_dhcp;       /* <dhcp> present (written only when non-empty) */
    evirt_network_dhcp_range *ranges;  size_t nranges;
    evirt_network_dhcp_host *hosts;    size_t nhosts;
    struct _xmlNode *xml; /* keeps <tftp>, <dhcp><bootp>, localPtr=... */
} evirt_network_ip_def;

/* <dns><host ip=><hostname>...</hostname></host> */
typedef struct evirt_network_dns_host {
    char *ip; /* canonical */
    char **hostnames; size_t nhostnames; /* >= 1 */
} evirt_network_dns_host;

typedef struct evirt_network_def {
    char *name;
    unsigned char uuid[16];   /* random v4 when absent */
    unsigned int connections; /* <network connections=>; runtime, 0 = not written */
    bool ipv6;                /* <network ipv6='yes'> */

    int forward_mode;         /* evirt_network_forward_mode */
    /* <forward dev=> is not stored: libvirt's rule is that it names the
     * first interface, so it is read into interfaces[0] and written from
     * it (see evirt_network_def_forward_dev()). */
    evirt_network_forward_if *interfaces; size_t ninterfaces;

    char *bridge_name;        /* <bridge name=>, or NULL (driver picks virbrN) */
    char *bridge_zone;        /* zone=, or NULL */
    bool stp;                 /* stp=, default on */
    unsigned long delay;      /* delay=, default 0 */
    char *mac_table_manager;  /* macTableManager=, or NULL */

    unsigned int mtu;         /* <mtu size=>; 0 = absent */
    bool has_mac;
    unsigned char mac[6];     /* <mac address=> (never generated here) */
    char *domain_name;        /* <domain name=>, or NULL */

    bool has_dns;             /* <dns> present */
    evirt_network_dns_host *dns_hosts; size_t ndns_hosts;

    evirt_network_ip_def *ips; size_t nips; /* in document order */

    /* private: the original <network> element; gives the unknown and
     * preserved elements and the attributes the fields do not hold. */
    struct _xmlNode *xml;
} evirt_network_def;

/*
 * Parses a network XML document.  Returns a new def (free with
 * evirt_network_def_free()) or NULL with err filled (err may be NULL),
 * domain EVIRT_FROM_NETWORK unless said otherwise:
 *  - not well-formed: EVIRT_ERR_XML_DETAIL,
 *    "(network_definition):LINE: <what libxml2 says>";
 *  - root not <network>: EVIRT_ERR_XML_ERROR, EVIRT_FROM_XML;
 *  - no <name>: EVIRT_ERR_NO_NAME;
 *  - unknown forward mode, bad prefix, prefix and netmask together,
 *    family= not matching the address, netmask on IPv6:
 *    EVIRT_ERR_CONFIG_UNSUPPORTED (as libvirt);
 *  - everything else invalid (bad uuid, bad address or netmask, missing
 *    address, dhcp range reversed or outside its network, bad host MAC,
 *    bad stp/delay/mtu, forward dev not matching the first interface,
 *    nat/route/open without an <ip>, '/' in the name...):
 *    EVIRT_ERR_XML_ERROR.
 * Messages name the offending value and its line ("(line N)").
 * flags: reserved, pass 0.  Thread-safe (no shared state).
 */
evirt_network_def *evirt_network_def_parse_string(const char *xml,
                                                  unsigned int flags,
                                                  evirt_error *err);

/*
 * Writes def as libvirt does.  flags: EVIRT_NETWORK_DEF_FORMAT_*.
 * Returns a malloc'd string (free()), or NULL when out of memory.
 */
char *evirt_network_def_format(const evirt_network_def *def, unsigned int flags);

/* A deep copy (format + parse); NULL if out of memory or if a driver left
 * a field that the reader refuses (the reason is logged). */
evirt_network_def *evirt_network_def_copy(const evirt_network_def *def);

/* Frees def and everything it owns; NULL is fine. */
void evirt_network_def_free(evirt_network_def *def);

/* ---- what drivers ask ---- */

/* <bridge name=>, or NULL: the driver then assigns a free virbrN and
 * stores it in def->bridge_name (malloc'd). */
const char *evirt_network_def_bridge_name(const evirt_network_def *def);

/* The forward device (first <interface dev=>), or NULL. */
const char *evirt_network_def_forward_dev(const evirt_network_def *def);

/* The first IPv4 <ip>, or NULL. */
const evirt_network_ip_def *evirt_network_def_ipv4(const evirt_network_def *def);

/* The effective prefix of ip: prefix=, else the netmask's bits, else the
 * classful default for IPv4 (8/16/24) and 64 for IPv6; -1 if none. */
int evirt_network_ip_prefix(const evirt_network_ip_def *ip);

/* First IPv4 address and its prefix, or -1 when the network has none. */
int evirt_network_def_ipv4_address(const evirt_network_def *def,
                                   const char **address, unsigned int *prefix);

/* Static DHCP hosts of every <ip>, in document order: count, and the i-th
 * (NULL when i is out of range).  Pointers stay valid until def changes. */
size_t evirt_network_def_ndhcp_hosts(const evirt_network_def *def);
const evirt_network_dhcp_host *
evirt_network_def_dhcp_host(const evirt_network_def *def, size_t i);

/* The static host with this MAC (case-insensitive), or NULL. */
const evirt_network_dhcp_host *
evirt_network_def_find_dhcp_host(const evirt_network_def *def, const char *mac);

/* true when addr (text) lies inside ip's network (same family). */
bool evirt_network_ip_contains(const evirt_network_ip_def *ip, const char *addr);

#endif
