/*
 * conf/nodedev_conf.h - the node (host) device definition model
 * (libvirt's node device XML: <device> with its capabilities).
 *
 * A plain struct that drivers read and change directly.  The fields hold
 * what drivers and filters use (identity, PCI and USB addresses and ids,
 * net interface, SCSI numbers, block path, mdev type); everything else in
 * a capability (system <hardware>/<firmware>, PCI <class>/<iommuGroup>/
 * <pci-express>, scsi_host fc_host/vport_ops, nested capabilities...),
 * <devnode>s and whole capabilities of types the model does not know are
 * kept as copies of the original nodes and written back next to the known
 * element they followed.  So libvirt's own output survives
 * parse -> format byte for byte.
 *
 * Ownership: every char * and array in the structs is owned by the def and
 * released by evirt_nodedev_def_free(); a driver that replaces a string
 * frees the old one with free() and stores a malloc'd one.
 * Threads: a def has no locking; the caller serialises access.
 */
#ifndef EVIRT_CONF_NODEDEV_CONF_H
#define EVIRT_CONF_NODEDEV_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <evirt/error.h>

struct _xmlNode;

/* A vendor or product: <product id='0x24cb'>name</product>. */
typedef struct evirt_nodedev_id {
    unsigned int id;  /* written as 0x%04x */
    char *name;       /* or NULL */
} evirt_nodedev_id;

/*
 * One <capability type=...>.  Only the sub-struct for `type` is used;
 * the others stay zero.  Types the model reads: system (nothing but the
 * type), pci, usb_device, net, scsi_host, scsi, storage, mdev.  Any other
 * type (usb, scsi_target, drm, ccw, vdpa, ...) is kept whole in xml.
 */
typedef struct evirt_nodedev_cap {
    char *type;
    union {
        struct {
            unsigned int domain, bus, slot, function; /* written in decimal */
            evirt_nodedev_id product, vendor;
        } pci;
        struct {
            unsigned int bus, device;
            evirt_nodedev_id product, vendor;
        } usb_dev;
        struct {
            char *ifname;     /* <interface>, required */
            char *address;    /* <address> (MAC, as written), or NULL */
            char *link_state; /* <link state=>, or NULL */
            unsigned int link_speed; /* <link speed=>, 0 = not written */
        } net;
        struct {
            unsigned int host;
        } scsi_host;
        struct {
            unsigned int host, bus, target, lun;
            char *type;       /* <type> (disk, cdrom...), or NULL */
        } scsi;
        struct {
            char *block;      /* <block>, required */
        } storage;
        struct {
            char *type_id;    /* <type id=>, required */
        } mdev;
    } u;
    struct _xmlNode *xml; /* private: the original <capability>, or NULL */
} evirt_nodedev_cap;

typedef struct evirt_nodedev_def {
    char *name;   /* required */
    char *path;   /* <path> (sysfs), or NULL */
    char *parent; /* <parent>, or NULL */
    char *driver; /* <driver><name>, or NULL */
    evirt_nodedev_cap *caps; /* at least one */
    size_t ncaps;
    struct _xmlNode *xml; /* private: the original <device>, or NULL */
} evirt_nodedev_def;

/*
 * Parses a node device document.  Returns a new def (free with
 * evirt_nodedev_def_free()) or NULL with err filled (err may be NULL):
 *  - not well-formed: EVIRT_ERR_XML_DETAIL, EVIRT_FROM_NODEDEV,
 *    "(device_definition):LINE: <what libxml2 says>...";
 *  - root not <device>, <capability> without type=, bad <link> of a net
 *    capability: EVIRT_ERR_XML_ERROR, EVIRT_FROM_XML (as libvirt);
 *  - no <name>: EVIRT_ERR_NO_NAME, EVIRT_FROM_NODEDEV;
 *  - no capability, a missing or invalid number or id in a known
 *    capability, net without <interface>, storage without <block>:
 *    EVIRT_ERR_INTERNAL_ERROR, EVIRT_FROM_NODEDEV (libvirt's code), e.g.
 *    "no PCI domain ID supplied for 'x' (line 5)";
 *  - mdev without <type id=>: EVIRT_ERR_CONFIG_UNSUPPORTED.
 * flags: none yet (ignored).  Thread-safe.
 */
evirt_nodedev_def *evirt_nodedev_def_parse_string(const char *xml,
                                                  unsigned int flags,
                                                  evirt_error *err);

/* Writes def as libvirt does.  flags: none yet.  Returns a malloc'd string
 * (free()), or NULL when out of memory. */
char *evirt_nodedev_def_format(const evirt_nodedev_def *def,
                               unsigned int flags);

/* A deep copy (written and read back); NULL if out of memory or if a
 * driver left a field the reader refuses (the reason is logged). */
evirt_nodedev_def *evirt_nodedev_def_copy(const evirt_nodedev_def *def);

/* Frees def and everything it owns; NULL is fine. */
void evirt_nodedev_def_free(evirt_nodedev_def *def);

/*
 * The capability types of def in order, as virNodeDeviceListCaps gives
 * them (top-level capabilities only).  *names gets a malloc'd
 * NULL-terminated array of malloc'd strings (free each, then the array).
 * Returns the count, or -1 when out of memory (*names = NULL).
 */
int evirt_nodedev_def_cap_names(const evirt_nodedev_def *def, char ***names);

/*
 * true when def has a capability of this type, as libvirt's device list
 * filter matches it: the top-level types, plus "fc_host" and "vports" for
 * a scsi_host with a nested fc_host or vport_ops capability, and
 * "mdev_types" for a device with a nested mdev_types capability.
 */
bool evirt_nodedev_def_has_cap(const evirt_nodedev_def *def, const char *type);

#endif
