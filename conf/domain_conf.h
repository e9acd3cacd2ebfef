/*
 * conf/domain_conf.h - the domain definition model (libvirt's domain XML).
 *
 * A plain struct that drivers read and change directly.  Parsing keeps
 * what the model does not know (unknown top-level elements, unknown
 * devices, unknown children of known devices, <features> children, the
 * whole <clock>) as copies of the original XML nodes, so a document
 * survives parse -> format unchanged apart from canonical order,
 * indentation and quoting.
 *
 * Ownership: every char * and array in the struct is owned by the def
 * and released by evirt_domain_def_free(); a driver that replaces a
 * string frees the old one with free() and stores a malloc'd one.
 * Threads: a def has no locking; the caller serialises access.
 */
#ifndef EVIRT_CONF_DOMAIN_CONF_H
#define EVIRT_CONF_DOMAIN_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <evirt/error.h>

/* libxml2's node type, so this header does not need libxml2's headers. */
struct _xmlNode;

/* Format flags: same numbers as libvirt's VIR_DOMAIN_XML_* flags. */
enum {
    EVIRT_DOMAIN_DEF_FORMAT_SECURE     = 1 << 0, /* include graphics passwd */
    EVIRT_DOMAIN_DEF_FORMAT_INACTIVE   = 1 << 1, /* omit id and runtime data */
    EVIRT_DOMAIN_DEF_FORMAT_UPDATE_CPU = 1 << 2, /* accepted, ignored */
    EVIRT_DOMAIN_DEF_FORMAT_MIGRATABLE = 1 << 3, /* accepted, ignored */
};

/* Parse flags. */
enum {
    /* Ignore the id attribute (defining a persistent config): id = -1. */
    EVIRT_DOMAIN_DEF_PARSE_INACTIVE = 1 << 0,
};

/* Preserved XML the model does not interpret, kept in document order. */
typedef struct evirt_xml_extra {
    struct _xmlNode *node; /* private copy (xmlCopyNode) */
    int anchor;            /* internal: where it is emitted */
} evirt_xml_extra;

/*
 * Each device keeps a private copy of its original element in "xml"
 * (NULL for a device built in code).  Formatting writes the fields of
 * the struct and takes from "xml" only what the fields do not cover:
 * other attributes, and child elements the model does not know, put back
 * next to the known child they followed.  So a driver changes a device
 * by changing its fields; it never needs to touch "xml".
 */
typedef struct evirt_domain_disk_def {
    char *type;        /* file, block, dir, network, volume (default file) */
    char *device;      /* disk, cdrom, floppy, lun (default disk) */
    char *driver_name; /* <driver name=>, or NULL */
    char *driver_type; /* <driver type=> (raw, qcow2...), or NULL */
    /* <source file=|dev=|dir=> for type file|block|dir, or NULL (empty
     * cdrom).  Other source forms (network, volume) stay in xml. */
    char *source_path;
    char *target_dev;  /* <target dev=> (vda, hdc...) */
    char *target_bus;  /* <target bus=>, or NULL */
    bool readonly;     /* <readonly/> */
    bool shareable;    /* <shareable/> */
    struct _xmlNode *xml; /* private: original <disk>, see above */
} evirt_domain_disk_def;

typedef struct evirt_domain_net_def {
    char *type;          /* network, bridge, direct, user, ethernet... */
    unsigned char mac[6];/* generated 52:54:00:xx:xx:xx when absent */
    /* The source: <source network=> (network), <source bridge=> (bridge),
     * <source dev=> (direct); NULL when absent or for other types. */
    char *source;
    char *source_mode;   /* <source mode=> (direct), or NULL */
    char *model_type;    /* <model type=>, or NULL */
    char *target_dev;    /* <target dev=>, or NULL */
    struct _xmlNode *xml;
} evirt_domain_net_def;

typedef struct evirt_domain_chr_def {
    char *type;        /* pty, file, tcp, unix, null... */
    char *target_type; /* <target type=> (serial, virtio, isa-serial...), or NULL */
    int target_port;   /* <target port=>, -1 when absent */
    struct _xmlNode *xml; /* keeps <source>, <protocol>, <log>... */
} evirt_domain_chr_def;

typedef struct evirt_domain_graphics_def {
    char *type;       /* vnc, spice, sdl, rdp... */
    int port;         /* port=; 0 when absent, -1 = "pick one" as in libvirt */
    int autoport;     /* -1 absent, 0 no, 1 yes */
    char *listen;     /* listen= attribute, or NULL */
    char *passwd;     /* passwd=, only output with ..._FORMAT_SECURE */
    char *keymap;     /* keymap=, or NULL */
    struct _xmlNode *xml; /* keeps <listen> children, other attributes */
} evirt_domain_graphics_def;

typedef struct evirt_domain_input_def {
    char *type; /* mouse, keyboard, tablet... */
    char *bus;  /* ps2, usb, virtio..., or NULL */
    struct _xmlNode *xml;
} evirt_domain_input_def;

typedef struct evirt_domain_hostdev_def {
    char *mode;    /* subsystem, capabilities */
    char *type;    /* pci, usb, scsi... */
    int managed;   /* -1 absent, 0 no, 1 yes */
    struct _xmlNode *xml; /* keeps <source> (the host address) and the rest */
} evirt_domain_hostdev_def;

typedef struct evirt_domain_def {
    char *type;     /* virt type: test, qemu, kvm, xen, lxc... */
    int id;         /* -1 when not running / absent */
    char *name;
    unsigned char uuid[16];
    char *title;       /* or NULL */
    char *description; /* or NULL */

    unsigned long long memory_kib;         /* <memory> */
    unsigned long long current_memory_kib; /* <currentMemory>; = memory when absent */

    unsigned int vcpus;         /* <vcpu> (maximum), >= 1 */
    unsigned int vcpus_current; /* current=; = vcpus when absent */
    char *vcpu_placement;       /* placement= (static, auto); NULL = static */
    char *vcpu_cpuset;          /* cpuset=, or NULL */

    struct {
        char *type;    /* hvm, xen, linux, exe... */
        char *arch;    /* or NULL (the driver picks) */
        char *machine; /* or NULL */
        char **boot_devs; /* hd, cdrom, fd, network; in order */
        size_t nboot_devs;
        char *kernel, *initrd, *cmdline; /* or NULL */
        char *loader;  /* <loader> path, or NULL */
        struct _xmlNode *xml; /* original <os>: <loader> attributes,
                                 <nvram>, <bootmenu>, <smbios>... */
    } os;

    /* <features>: one node per child element, names via node->name;
     * see evirt_domain_def_has_feature(). */
    struct _xmlNode **features;
    size_t nfeatures;
    bool has_features; /* <features> present (even empty) */

    char *clock_offset;             /* utc, localtime, timezone, variable */
    struct _xmlNode *clock_node;    /* original <clock> (other attributes, timers) */

    char *on_poweroff; /* destroy, restart, preserve, rename-restart... */
    char *on_reboot;
    char *on_crash;

    char *emulator; /* <devices><emulator>, or NULL */
    evirt_domain_disk_def *disks;         size_t ndisks;
    evirt_domain_net_def *nets;           size_t nnets;
    evirt_domain_chr_def *serials;        size_t nserials;
    evirt_domain_chr_def *consoles;       size_t nconsoles;
    evirt_domain_input_def *inputs;       size_t ninputs;
    evirt_domain_graphics_def *graphics;  size_t ngraphics;
    evirt_domain_hostdev_def *hostdevs;   size_t nhostdevs;

    evirt_xml_extra *extras;         /* unknown top-level elements */
    size_t nextras;
    evirt_xml_extra *device_extras;  /* unknown devices (controller, video...) */
    size_t ndevice_extras;
} evirt_domain_def;

/*
 * Parses a domain XML document.  Returns a new def (free with
 * evirt_domain_def_free()) or NULL with err filled (err may be NULL):
 *  - not well-formed: EVIRT_ERR_XML_DETAIL, EVIRT_FROM_DOMAIN,
 *    "(domain_definition):LINE: <what libxml2 says>";
 *  - root not <domain>: EVIRT_ERR_XML_ERROR, EVIRT_FROM_XML;
 *  - no <name>: EVIRT_ERR_NO_NAME; bad type= value:
 *    EVIRT_ERR_CONFIG_UNSUPPORTED; unknown memory unit: EVIRT_ERR_INVALID_ARG;
 *    memory overflow: EVIRT_ERR_OVERFLOW; anything else invalid
 *    (missing type=, bad uuid, bad number, vcpu 0, missing <os><type>,
 *    '/' in the name...): EVIRT_ERR_XML_ERROR, EVIRT_FROM_DOMAIN.
 * Fills defaults: random v4 uuid, random 52:54:00 MACs, vcpus 1,
 * currentMemory = memory, boot dev hd for hvm without kernel.
 * flags: EVIRT_DOMAIN_DEF_PARSE_*.  Thread-safe (no shared state).
 */
evirt_domain_def *evirt_domain_def_parse_string(const char *xml,
                                                unsigned int flags,
                                                evirt_error *err);

/*
 * Writes def as libvirt does (2-space indent, single-quoted attributes,
 * libvirt's element order; preserved nodes written the same way).
 * flags: EVIRT_DOMAIN_DEF_FORMAT_*.  Returns a malloc'd string (free()),
 * or NULL when out of memory.
 */
char *evirt_domain_def_format(const evirt_domain_def *def, unsigned int flags);

/*
 * A deep copy (including the id and secrets): def is written with
 * ..._FORMAT_SECURE and read back.  NULL if out of memory, or if a driver
 * left a field that the reader refuses (vcpus 0...); the reason is logged.
 */
evirt_domain_def *evirt_domain_def_copy(const evirt_domain_def *def);

/* Frees def and everything it owns; NULL is fine. */
void evirt_domain_def_free(evirt_domain_def *def);

/* true when <features> has a child element with this name ("acpi"...). */
bool evirt_domain_def_has_feature(const evirt_domain_def *def, const char *name);

/* Lookups by <target dev=>; NULL when absent. */
evirt_domain_disk_def *evirt_domain_def_find_disk(const evirt_domain_def *def,
                                                  const char *target_dev);
evirt_domain_net_def *evirt_domain_def_find_net(const evirt_domain_def *def,
                                                const char *target_dev);

/*
 * UUIDs.  parse accepts 32 hex digits with dashes between any byte pairs
 * (or none) and surrounding blanks, as libvirt does: 0 or -1.
 * format writes the canonical 8-4-4-4-12 lowercase form into buf.
 * generate makes a random version 4 UUID: 0 or -1.
 */
int evirt_uuid_parse(const char *str, unsigned char uuid[16]);
void evirt_uuid_format(const unsigned char uuid[16], char buf[37]);
int evirt_uuid_generate(unsigned char uuid[16]);

/* MACs: "aa:bb:cc:dd:ee:ff" (case-insensitive, one or two hex digits per
 * byte).  buf needs 18 bytes.  generate: 52:54:00 + 3 random bytes. */
int evirt_mac_parse(const char *str, unsigned char mac[6]);
void evirt_mac_format(const unsigned char mac[6], char buf[18]);
void evirt_mac_generate(unsigned char mac[6]);

/*
 * Converts "value" in "unit" to KiB, rounding bytes up.  unit NULL or ""
 * means KiB.  Units as libvirt (case-insensitive): b, bytes; k, KiB = 1024;
 * KB = 1000; M, MiB; MB; G, GiB; GB; T, TiB; TB; P, PiB; PB; E, EiB; EB.
 * Errors: not a non-negative integer: EVIRT_ERR_XML_ERROR; unknown unit:
 * EVIRT_ERR_INVALID_ARG; too large: EVIRT_ERR_OVERFLOW.  0 or -1.
 */
int evirt_parse_scaled_kib(const char *value, const char *unit,
                           unsigned long long *kib, evirt_error *err);

#endif
