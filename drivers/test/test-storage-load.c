/*
 * drivers/test/test-storage-load.c - the pools a test connection starts
 * with: test:///default's "default-pool", and the <pool> elements (with
 * their nested <volume> elements) of a test driver config file.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "drivers/test/test-storage.h"
#include "api/error-private.h"
#include "conf/xml_util.h"

#define EVIRT_LOG_CATEGORY "evirt.test.storage"
#include "api/log-private.h"

/* libvirt's test:///default pool. */
static const char default_pool_xml[] =
    "<pool type='dir'>"
    "  <name>default-pool</name>"
    "  <uuid>dfe224cb-28fb-8dd0-c4b2-64eb3f0f4566</uuid>"
    "  <target>"
    "    <path>/default-pool</path>"
    "  </target>"
    "</pool>";

static void set_oom(evirt_error *err)
{
    evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
}

/* Rewrites err's message as "<where>: <detail>", keeping its code. */
static void error_in(evirt_error *err, const char *where)
{
    if (!err || !err->code)
        return;
    char *detail = strdup(err->str2 ? err->str2 : err->message ? err->message : "");
    int domain = err->domain, code = err->code;
    evirt_error_set(err, domain, code, "%s: %s", where, detail ? detail : "");
    free(detail);
}

/* Adds a freshly parsed def as an active, persistent pool. */
static test_storage_pool *add_loaded_pool(test_state *st,
                                          evirt_storage_pool_def *def,
                                          evirt_error *err)
{
    test_storage_pool *existing;
    if (test_storage_check_duplicate(st, def, false, &existing, err) < 0)
        return NULL;
    if (existing) {
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(existing->def->uuid, uuid);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_FAILED,
                        "pool '%s' already exists with uuid %s",
                        existing->def->name, uuid);
        return NULL;
    }
    test_storage_pool *pool = test_storage_add_pool(st, def);
    if (!pool) {
        set_oom(err);
        return NULL;
    }
    pool->active = true;
    pool->persistent = true;
    pool->built = true;
    return pool;
}

int test_storage_default_load(test_state *st, evirt_error *err)
{
    evirt_storage_pool_def *def =
        evirt_storage_pool_def_parse_string(default_pool_xml, 0, err);
    if (!def)
        return -1;
    if (!add_loaded_pool(st, def, err)) {
        evirt_storage_pool_def_free(def);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------- config files */

/* Reads a whole file into a new string; NULL with errno set. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (cap - len < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

/*
 * The document of a file= reference (relative to dir), whose root must
 * be <root>.  *path gets the resolved path (for messages).
 */
static xmlDocPtr read_ref(const char *file, const char *dir, const char *root,
                          char **path, evirt_error *err)
{
    *path = NULL;
    if (file[0] == '/' || !dir)
        *path = strdup(file);
    else if (asprintf(path, "%s/%s", dir, file) < 0)
        *path = NULL;
    if (!*path) {
        set_oom(err);
        return NULL;
    }
    char *text = slurp(*path);
    if (!text) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "failed to parse xml document '%s': %s", *path,
                        strerror(errno));
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(text, *path, EVIRT_FROM_TEST, err);
    free(text);
    if (!doc)
        return NULL;
    xmlNodePtr r = xmlDocGetRootElement(doc);
    if (!evirt_xml_is(r, root)) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: expecting root element of '%s', not '%s'", *path,
                        root, r ? (const char *)r->name : "");
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* node as a standalone document string, without its <volume> children
 * when drop_volumes. */
static char *node_xml(xmlNodePtr node, bool drop_volumes, evirt_error *err)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode(node, doc, 1) : NULL;
    if (!copy) {
        xmlFreeDoc(doc);
        set_oom(err);
        return NULL;
    }
    xmlDocSetRootElement(doc, copy);
    if (drop_volumes) {
        xmlNodePtr next;
        for (xmlNodePtr n = copy->children; n; n = next) {
            next = n->next;
            if (evirt_xml_is(n, "volume")) {
                xmlUnlinkNode(n);
                xmlFreeNode(n);
            }
        }
    }
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpMemory(doc, &mem, &len);
    xmlFreeDoc(doc);
    char *out = mem ? strdup((const char *)mem) : NULL;
    xmlFree(mem);
    if (!out)
        set_oom(err);
    return out;
}

static int load_volume(test_storage_pool *pool, xmlNodePtr node,
                       const char *where, const char *dir, evirt_error *err)
{
    int ret = -1;
    xmlDocPtr doc = NULL;
    char *path = NULL, *xml = NULL;
    evirt_storage_vol_def *def = NULL;
    char *file = evirt_xml_prop(node, "file");
    if (file) {
        if (!(doc = read_ref(file, dir, "volume", &path, err)))
            goto out;
        node = xmlDocGetRootElement(doc);
        where = path;
    }
    if (!(xml = node_xml(node, false, err)))
        goto out;
    if (!(def = evirt_storage_vol_def_parse_string(xml, pool->def, 0, err))) {
        error_in(err, where);
        goto out;
    }
    if (test_storage_pool_find_vol(pool, def->name)) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_STORAGE_VOL_EXIST,
                        "%s: storage volume '%s' already exists in pool '%s'",
                        where, def->name, pool->def->name);
        goto out;
    }
    if (test_storage_vol_prepare(pool, def, true) < 0 ||
        !test_storage_pool_add_vol(pool, def)) {
        set_oom(err);
        goto out;
    }
    def = NULL;
    ret = 0;
out:
    evirt_storage_vol_def_free(def);
    free(xml);
    free(path);
    free(file);
    xmlFreeDoc(doc);
    return ret;
}

int test_storage_config_pool(test_state *st, xmlNodePtr node,
                             const char *docname, const char *dir,
                             evirt_error *err)
{
    int ret = -1;
    xmlDocPtr doc = NULL;
    char *path = NULL, *xml = NULL;
    evirt_storage_pool_def *def = NULL;
    const char *where = docname;
    char *file = evirt_xml_prop(node, "file");
    xmlNodePtr inline_node = node;
    if (file) {
        /* The file's <pool> stands for the element; volumes may be in
         * either (libvirt's sample config nests <volume file=> inside
         * <pool file=>). */
        if (!(doc = read_ref(file, dir, "pool", &path, err)))
            goto out;
        node = xmlDocGetRootElement(doc);
        where = path;
    }
    if (!(xml = node_xml(node, true, err)))
        goto out;
    if (!(def = evirt_storage_pool_def_parse_string(xml, 0, err))) {
        error_in(err, where);
        goto out;
    }
    test_storage_pool *pool = add_loaded_pool(st, def, err);
    if (!pool) {
        error_in(err, where);
        goto out;
    }
    def = NULL;
    for (xmlNodePtr n = node->children; n; n = n->next)
        if (evirt_xml_is(n, "volume") && load_volume(pool, n, where, dir, err) < 0)
            goto out;
    for (xmlNodePtr n = inline_node->children; n && inline_node != node; n = n->next)
        if (evirt_xml_is(n, "volume") &&
            load_volume(pool, n, docname, dir, err) < 0)
            goto out;
    ret = 0;
out:
    evirt_storage_pool_def_free(def);
    free(xml);
    free(path);
    free(file);
    xmlFreeDoc(doc);
    return ret;
}
