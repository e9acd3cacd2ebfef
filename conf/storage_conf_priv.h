/*
 * conf/storage_conf_priv.h - what the pool and volume readers and
 * writers share: the per-pool-type rules and small XML helpers.
 */
#ifndef EVIRT_CONF_STORAGE_CONF_PRIV_H
#define EVIRT_CONF_STORAGE_CONF_PRIV_H

#include <libxml/tree.h>

#include "conf/storage_conf.h"
#include "conf/xml_util.h"

/* What a pool type's <source> has (libvirt's flags, same meaning). */
enum {
    EVIRT_POOL_SRC_HOST      = 1 << 0, /* required */
    EVIRT_POOL_SRC_DEVICE    = 1 << 1, /* required when the only flag */
    EVIRT_POOL_SRC_DIR       = 1 << 2, /* required */
    EVIRT_POOL_SRC_ADAPTER   = 1 << 3, /* required */
    EVIRT_POOL_SRC_NAME      = 1 << 4, /* defaults to the pool name */
    EVIRT_POOL_SRC_INITIATOR = 1 << 5,
    EVIRT_POOL_SRC_NETWORK   = 1 << 6, /* no <target> */
};

typedef struct evirt_pool_type_info {
    const char *type;
    unsigned int flags;
    const char *const *formats;      /* source formats, NULL = none */
    const char *default_format;
    const char *const *vol_formats;  /* volume formats, NULL = none */
    const char *default_vol_format;
} evirt_pool_type_info;

/* The rules for a pool type, or NULL when type is not one. */
const evirt_pool_type_info *evirt_pool_type_lookup(const char *type);

/* Element text (first child named name, "" counts as absent), as
 * libvirt's string(./name) reads it: 0 with *out malloc'd or NULL, -1
 * when out of memory (err set). */
int evirt_storage_child_text(xmlNodePtr parent, const char *name, char **out,
                             evirt_error *err);

/* Reads <permissions> (NULL node: all absent).  0 or -1 (XML_ERROR). */
int evirt_storage_perms_parse(xmlNodePtr node, evirt_storage_perms *perms,
                              evirt_error *err);
/* Writes <permissions> when anything is set. */
void evirt_storage_perms_format(evirt_buf *b, int level,
                                const evirt_storage_perms *perms);
void evirt_storage_perms_clear(evirt_storage_perms *perms);
int evirt_storage_perms_copy(evirt_storage_perms *dst,
                             const evirt_storage_perms *src);

/* The line of node for messages (0 when unknown). */
long evirt_storage_line(xmlNodePtr node);

/* Raise EVIRT_ERR_NO_MEMORY, or EVIRT_ERR_XML_ERROR "<what> (line N)"
 * (EVIRT_FROM_STORAGE); both return -1. */
int evirt_storage_oom(evirt_error *err);
int evirt_storage_xml_error(evirt_error *err, xmlNodePtr node, const char *what);

#endif
