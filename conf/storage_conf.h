/*
 * conf/storage_conf.h - storage pool and volume definitions (libvirt's
 * pool and volume XML, https://libvirt.org/formatstorage.html).
 *
 * Plain structs that drivers read and change directly.  Parsing checks
 * what libvirt checks (per pool type: required source host, dir, device,
 * adapter, name; target path) and fills libvirt's defaults (uuid, source
 * format, source name <-> pool name, target path of logical and zfs
 * pools, volume format and allocation).  Formatting writes what libvirt
 * writes for that pool type, in its order, 2-space indentation, single
 * quotes, sizes in bytes; so a parsed def formats byte-exactly as
 * libvirt's dumpxml does.
 *
 * Preserved XML: each container keeps a private copy of its original
 * element in an "xml" field (NULL for a def built in code).  Formatting
 * writes the struct's fields and takes from "xml" only what the fields
 * do not cover: elements libvirt knows but the model does not interpret
 * (pool <features>, <refresh>; source <initiator>, <auth>, <protocol>,
 * <vendor>, <product>; volume target <timestamps>, <encryption>,
 * <clusterSize>, <features>...), written at libvirt's position, and
 * unknown elements, written after the known element they followed.  So
 * a driver changes a def by changing fields and never touches "xml".
 *
 * Ownership: every char * and array in a def is owned by it and freed by
 * its _free(); a driver replacing a string frees the old one with free()
 * and stores a malloc'd one.  A def built in code (calloc) must set the
 * unused fields of its evirt_storage_perms to -1.  Threads: no locking;
 * the caller serialises.
 *
 * Namespaced extension elements (<fs:mount_opts>...) are kept like
 * unknown ones; their xmlns declaration moves onto the element itself.
 */
#ifndef EVIRT_CONF_STORAGE_CONF_H
#define EVIRT_CONF_STORAGE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <evirt/error.h>

/* libxml2's node type, so this header does not need libxml2's headers. */
struct _xmlNode;

/* Format flags: libvirt's VIR_STORAGE_XML_INACTIVE.  The output is the
 * same (choosing the persistent def is the driver's job); accepted. */
enum {
    EVIRT_STORAGE_POOL_FORMAT_INACTIVE = 1 << 0,
};

/* Pool parse flags: libvirt's VIR_STORAGE_POOL_DEFINE_VALIDATE (schema
 * validation; accepted, no schema is checked). */
enum {
    EVIRT_STORAGE_POOL_PARSE_VALIDATE = 1 << 0,
};

/* Volume parse flags: libvirt's VIR_VOL_XML_PARSE_* numbers. */
enum {
    /* <capacity> may be absent (0 then). */
    EVIRT_STORAGE_VOL_PARSE_NO_CAPACITY  = 1 << 0,
    /* <capacity> may be absent when there is a <backingStore>. */
    EVIRT_STORAGE_VOL_PARSE_OPT_CAPACITY = 1 << 1,
};

/* <permissions> of a pool target, volume target or backing store. */
typedef struct evirt_storage_perms {
    int mode;        /* 0..0777, -1 when absent; written as 0%o */
    long long owner; /* uid, -1 when absent */
    long long group; /* gid, -1 when absent */
    char *label;     /* or NULL */
} evirt_storage_perms;

typedef struct evirt_storage_pool_host {
    char *name;
    int port;        /* 0 when absent */
} evirt_storage_pool_host;

typedef struct evirt_storage_pool_device {
    char *path;
    char *part_separator; /* "yes", "no", or NULL */
} evirt_storage_pool_device;

/*
 * A pool's <source>, also one entry of find-storage-pool-sources' answer.
 * Which parts are written depends on the pool type, as in libvirt: hosts
 * for netfs/iscsi/iscsi-direct/rbd/sheepdog/gluster, devices for
 * fs/logical/disk/iscsi/iscsi-direct/zfs, dir for netfs/gluster, adapter
 * for scsi, name for logical/rbd/sheepdog/gluster/zfs/vstorage, format
 * for fs/netfs/logical/disk.
 */
typedef struct evirt_storage_pool_source {
    evirt_storage_pool_host *hosts;     size_t nhosts;
    evirt_storage_pool_device *devices; size_t ndevices;
    char *dir;          /* <dir path=> (sanitized), or NULL */
    char *adapter_type; /* "scsi_host" or "fc_host", or NULL (no adapter) */
    char *adapter_name; /* scsi_host name=, or NULL */
    char *name;         /* <name>, or NULL */
    /* <format type=>: fs: auto, ext2..., netfs: auto, nfs, glusterfs, cifs,
     * logical: lvm2 (unknown), disk: unknown, dos, gpt...; defaulted on
     * parse; NULL for pool types without a source format. */
    char *format;
    struct _xmlNode *xml; /* private: original <source> (see above) */
} evirt_storage_pool_source;

typedef struct evirt_storage_pool_def {
    /* dir, fs, netfs, logical, disk, iscsi, iscsi-direct, scsi, mpath,
     * rbd, sheepdog, gluster, zfs, vstorage */
    char *type;
    char *name;
    unsigned char uuid[16]; /* generated when absent */
    /* Bytes.  Read when present (any unit), 0 otherwise; libvirt's
     * drivers compute them, so do ours. */
    unsigned long long capacity;
    unsigned long long allocation;
    unsigned long long available;
    evirt_storage_pool_source source;
    struct {
        /* sanitized (no "//", no trailing '/'); NULL for rbd, sheepdog,
         * gluster and iscsi-direct, which have no <target> */
        char *path;
        evirt_storage_perms perms;
        struct _xmlNode *xml; /* private: original <target> */
    } target;
    struct _xmlNode *xml; /* private: original <pool> (features, refresh,
                             unknown elements) */
} evirt_storage_pool_def;

/* A volume's <target> or <backingStore>. */
typedef struct evirt_storage_vol_target {
    char *path;   /* or NULL */
    /* <format type=>: for file-based pools (dir, fs, netfs, gluster,
     * vstorage, rbd) raw, qcow2, ...; for disk pools none, linux...;
     * defaulted on parse; NULL for pools without volume formats. */
    char *format;
    evirt_storage_perms perms;
    char *compat; /* <compat>; "1.1" when <features> is given without it */
    bool nocow;   /* <nocow/>: read, never written (as libvirt) */
    unsigned long long cluster_size; /* <clusterSize> in bytes, 0 = none */
    struct _xmlNode *xml; /* private: original element */
} evirt_storage_vol_target;

typedef struct evirt_storage_vol_def {
    char *type;   /* file (default), block, dir, network, netdir, ploop */
    char *name;
    char *key;    /* or NULL (drivers set it) */
    unsigned long long capacity;   /* bytes */
    unsigned long long allocation; /* bytes; = capacity when absent */
    bool has_allocation;           /* <allocation> was given */
    unsigned long long physical;   /* bytes; 0 = not written */
    evirt_storage_vol_target target;
    bool has_backing;              /* <backingStore><path> was given */
    evirt_storage_vol_target backing;
    struct _xmlNode *source; /* private copy of <source>, or NULL; written
                                back as is (set NULL to drop it) */
    struct _xmlNode *xml;    /* private: original <volume> */
} evirt_storage_vol_def;

/*
 * Parses a pool XML document.  Returns a new def (free with
 * evirt_storage_pool_def_free()) or NULL with err filled (err may be NULL):
 *  - not well-formed: EVIRT_ERR_XML_DETAIL, EVIRT_FROM_STORAGE,
 *    "(storage_pool_definition):LINE: <libxml2's message>...";
 *  - root not <pool>, missing or unknown type=: EVIRT_ERR_XML_ERROR,
 *    EVIRT_FROM_XML;
 *  - unknown source format, auth without or with an unknown type, bad
 *    <refresh><volume allocation=>, iscsi-direct without initiator IQN:
 *    EVIRT_ERR_CONFIG_UNSUPPORTED; <features><cow> on a pool other than
 *    dir or fs: EVIRT_ERR_NO_SUPPORT;
 *  - capacity/allocation/available: bad unit EVIRT_ERR_INVALID_ARG, too
 *    large EVIRT_ERR_OVERFLOW;
 *  - anything else invalid (no name, '/' in the name, bad uuid, missing
 *    source host/dir/device/adapter/name or target path where the type
 *    needs it, bad port, bad permissions...): EVIRT_ERR_XML_ERROR.
 * All but the first in EVIRT_FROM_STORAGE unless said; messages name
 * the element and its line.  flags: EVIRT_STORAGE_POOL_PARSE_*.
 */
evirt_storage_pool_def *evirt_storage_pool_def_parse_string(const char *xml,
                                                            unsigned int flags,
                                                            evirt_error *err);

/*
 * Writes def as libvirt's pool-dumpxml does.  flags:
 * EVIRT_STORAGE_POOL_FORMAT_*.  A malloc'd string (free()), or NULL when
 * out of memory or def->type is not a pool type.
 */
char *evirt_storage_pool_def_format(const evirt_storage_pool_def *def,
                                    unsigned int flags);

/* A deep copy (written and read back); NULL if out of memory or a driver
 * left something the reader refuses (the reason is logged). */
evirt_storage_pool_def *evirt_storage_pool_def_copy(const evirt_storage_pool_def *def);

/* Frees def and everything it owns; NULL is fine. */
void evirt_storage_pool_def_free(evirt_storage_pool_def *def);

/* true when type is a pool type libvirt knows ("dir", "logical"...). */
bool evirt_storage_pool_type_valid(const char *type);

/*
 * find-storage-pool-sources: reads the optional source specification
 * (a <source> document, "(storage_source_specification)" in XML_DETAIL
 * errors) for a pool type; and writes the answer,
 * "<sources>\n  <source>...</source>\n...</sources>\n", each source
 * written as a pool of that type writes it.  Free a parsed source with
 * evirt_storage_pool_source_free(); format returns a malloc'd string or
 * NULL (out of memory, unknown type).
 */
evirt_storage_pool_source *evirt_storage_pool_source_parse_string(const char *xml,
                                                                  const char *pool_type,
                                                                  evirt_error *err);
char *evirt_storage_pool_sources_format(const char *pool_type,
                                        const evirt_storage_pool_source *sources,
                                        size_t nsources);
void evirt_storage_pool_source_free(evirt_storage_pool_source *src);

/*
 * Parses a volume XML document for a volume of pool (its type decides
 * the formats; NULL = a dir pool).  Errors as for pools, with
 * "(storage_volume_definition)" for XML_DETAIL; root not <volume>:
 * EVIRT_ERR_XML_ERROR, EVIRT_FROM_XML; unknown type= or format:
 * EVIRT_ERR_CONFIG_UNSUPPORTED; no name, no capacity (see flags), a size
 * that is not a non-negative integer: EVIRT_ERR_XML_ERROR; unknown unit:
 * EVIRT_ERR_INVALID_ARG; more than 2^63-1 bytes: EVIRT_ERR_OVERFLOW.
 * flags: EVIRT_STORAGE_VOL_PARSE_*.
 */
evirt_storage_vol_def *evirt_storage_vol_def_parse_string(const char *xml,
                                                          const evirt_storage_pool_def *pool,
                                                          unsigned int flags,
                                                          evirt_error *err);

/* Writes def as libvirt's vol-dumpxml does (pool NULL = dir pool; pool
 * only matters for which formats are written).  flags: none defined,
 * ignored.  malloc'd string or NULL when out of memory. */
char *evirt_storage_vol_def_format(const evirt_storage_pool_def *pool,
                                   const evirt_storage_vol_def *def,
                                   unsigned int flags);

/* Deep copy (NULL when out of memory), free (NULL is fine). */
evirt_storage_vol_def *evirt_storage_vol_def_copy(const evirt_storage_vol_def *def);
void evirt_storage_vol_def_free(evirt_storage_vol_def *def);

/*
 * Converts "value" in "unit" to bytes, as libvirt reads storage sizes:
 * value is a decimal integer (leading blanks allowed, no sign, nothing
 * after); unit NULL or "" = bytes; b, byte, bytes; k/KiB = 1024, KB =
 * 1000, and M, G, T, P, E likewise (case-insensitive).  At most
 * 2^63-1 bytes.  Errors (EVIRT_FROM_STORAGE): not such an integer:
 * EVIRT_ERR_XML_ERROR "invalid size 'x'"; unknown unit:
 * EVIRT_ERR_INVALID_ARG "unknown suffix 'X'"; too large:
 * EVIRT_ERR_OVERFLOW "value too large: 8EiB".  0 or -1.
 */
int evirt_parse_scaled_bytes(const char *value, const char *unit,
                             unsigned long long *bytes, evirt_error *err);

#endif
