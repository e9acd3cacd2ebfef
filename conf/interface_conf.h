/*
 * conf/interface_conf.h - the host interface definition model (libvirt's
 * interface XML: ethernet, bridge, bond and vlan interfaces).
 *
 * A plain struct that drivers read and change directly.  Reading follows
 * libvirt: what libvirt reads for an interface of a given type and place
 * (top level or member of a bridge/bond) is in the fields, and what libvirt
 * ignores there (a <mac> on a bridge, <mtu> or <protocol> on a member) is
 * dropped as libvirt drops it.  Elements libvirt does not know at all are
 * kept (copies of the original nodes) and written back next to the known
 * element they followed, so libvirt's own output survives parse -> format
 * byte for byte.
 *
 * Ownership: every char * and array in the structs is owned by the def and
 * released by evirt_interface_def_free(); a driver that replaces a string
 * frees the old one with free() and stores a malloc'd one.
 * Threads: a def has no locking; the caller serialises access.
 */
#ifndef EVIRT_CONF_INTERFACE_CONF_H
#define EVIRT_CONF_INTERFACE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <evirt/error.h>

struct _xmlNode;

/* Format flags: same numbers as the public EVIRT_INTERFACE_XML_* (libvirt's
 * VIR_INTERFACE_XML_*).  A def is one configuration, so INACTIVE is
 * accepted and changes nothing. */
enum {
    EVIRT_INTERFACE_DEF_FORMAT_INACTIVE = 1 << 0,
};

/* Same order as libvirt's virInterfaceType. */
typedef enum {
    EVIRT_INTERFACE_TYPE_ETHERNET,
    EVIRT_INTERFACE_TYPE_BRIDGE,
    EVIRT_INTERFACE_TYPE_BOND,
    EVIRT_INTERFACE_TYPE_VLAN,
} evirt_interface_type;

/* <start mode=>; same order as libvirt's virInterfaceStartMode. */
typedef enum {
    EVIRT_INTERFACE_START_UNSPECIFIED, /* no <start>: not written */
    EVIRT_INTERFACE_START_NONE,
    EVIRT_INTERFACE_START_ONBOOT,
    EVIRT_INTERFACE_START_HOTPLUG,
} evirt_interface_start_mode;

typedef struct evirt_interface_ip {
    char *address;    /* as written (not checked, as in libvirt) */
    int prefix;       /* 0 = none given (libvirt writes no prefix for 0) */
} evirt_interface_ip;

/* <protocol family='ipv4|ipv6'>: written as <autoconf/> (ipv6 only),
 * <dhcp/>, the <ip>s, <route>, in that order. */
typedef struct evirt_interface_protocol {
    char *family;      /* "ipv4" or "ipv6" */
    bool autoconf;     /* <autoconf/>, ipv6 only */
    bool dhcp;         /* <dhcp/> */
    int dhcp_peerdns;  /* <dhcp peerdns=>: -1 absent, 0 no, 1 yes */
    evirt_interface_ip *ips;
    size_t nips;
    char *gateway;     /* <route gateway=>, or NULL */
    struct _xmlNode *xml; /* private: the original <protocol>, or NULL */
} evirt_interface_protocol;

typedef struct evirt_interface_def evirt_interface_def;

struct evirt_interface_def {
    evirt_interface_type type;
    char *name;        /* required everywhere except a vlan's parent */

    /* Top level only (dropped for members, as libvirt does). */
    evirt_interface_start_mode start_mode;
    unsigned int mtu;  /* <mtu size=>; 0 = not written */
    evirt_interface_protocol *protocols;
    size_t nprotocols;

    char *mac;         /* <mac address=> of an ethernet interface, or NULL;
                          kept as written (libvirt does not check it) */
    /* <link speed= state=>, not for bridges.  state: one of unknown,
     * notpresent, down, lowerlayerdown, testing, dormant, up, or NULL;
     * speed 0 = not written. */
    char *link_state;
    unsigned int link_speed;

    /* type bridge: <bridge stp= delay=> + member interfaces
     * (ethernet, bond or vlan). */
    int bridge_stp;     /* -1 absent, 0 off, 1 on */
    char *bridge_delay; /* or NULL; kept as written, e.g. "0.01" */

    /* type bond: <bond mode=> + a link monitor + member ethernets. */
    char *bond_mode;    /* balance-rr, active-backup, balance-xor, broadcast,
                           802.3ad, balance-tlb, balance-alb; or NULL */
    /* The <miimon> or <arpmon> element, kept as written after checking it
     * as libvirt does (miimon wins when both are given).  NULL = none. */
    struct _xmlNode *bond_monitor;

    /* Members of a bridge or bond, in order (each owned, type-checked). */
    evirt_interface_def **members;
    size_t nmembers;

    /* type vlan: <vlan tag=><interface name=/></vlan> */
    char *vlan_tag;     /* kept as written (libvirt does not check it) */
    char *vlan_parent;  /* the device the vlan sits on */

    struct _xmlNode *xml; /* private: the original element, or NULL */
};

/*
 * Parses a host interface document.  Returns a new def (free with
 * evirt_interface_def_free()) or NULL with err filled (err may be NULL):
 *  - not well-formed: EVIRT_ERR_XML_DETAIL, EVIRT_FROM_INTERFACE,
 *    "(interface_definition):LINE: <what libxml2 says>...";
 *  - root not <interface>, missing or unknown type=, bad number or
 *    yes/no attribute (prefix, link speed/state, dhcp peerdns):
 *    EVIRT_ERR_XML_ERROR, EVIRT_FROM_XML (where libvirt reports them);
 *  - anything else invalid (no name, bad start mode or mtu, protocol
 *    family, missing <bridge>/<bond>/<vlan>, bad bond mode or monitor,
 *    member type not allowed, vlan without tag or parent):
 *    EVIRT_ERR_XML_ERROR, EVIRT_FROM_INTERFACE.
 * Messages say what is wrong and end with "(line N)" when there is one.
 * flags: none yet (ignored).  Thread-safe (no shared state).
 */
evirt_interface_def *evirt_interface_def_parse_string(const char *xml,
                                                      unsigned int flags,
                                                      evirt_error *err);

/*
 * Writes def as libvirt does (2-space indent, single quotes, libvirt's
 * element order).  flags: EVIRT_INTERFACE_DEF_FORMAT_*.  Returns a malloc'd
 * string (free()), or NULL when out of memory.
 */
char *evirt_interface_def_format(const evirt_interface_def *def,
                                 unsigned int flags);

/* A deep copy (written and read back); NULL if out of memory or if a
 * driver left a field the reader refuses (the reason is logged). */
evirt_interface_def *evirt_interface_def_copy(const evirt_interface_def *def);

/* Frees def, its members and everything it owns; NULL is fine. */
void evirt_interface_def_free(evirt_interface_def *def);

/* "ethernet", "bridge", "bond", "vlan"; NULL for anything else. */
const char *evirt_interface_type_to_string(int type);
/* "none", "onboot", "hotplug"; NULL for UNSPECIFIED and anything else. */
const char *evirt_interface_start_mode_to_string(int mode);

#endif
