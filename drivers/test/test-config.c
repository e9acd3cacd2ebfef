/*
 * drivers/test/test-config.c - loads libvirt's test driver config format:
 *
 *   <node>
 *     <cpu><nodes/><sockets/><cores/><threads/><active/><mhz/><model/></cpu>
 *     <memory>KiB</memory>
 *     <domain type='test'>...</domain>  or  <domain file='relative.xml'/>
 *   </node>
 *
 * A domain may carry the test namespace
 * (xmlns:test='http://libvirt.org/schemas/domain/test/1.0'):
 * <test:runstate>N</test:runstate> (an evirt_domain_state; default
 * running), <test:transient/>, <test:hasmanagedsave/>.
 *
 * Each top-level element has a handler in config_handlers[]; adding
 * networks, pools, interfaces or node devices means adding entries.
 * Unknown elements are skipped.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "drivers/test/test-ops.h"
#include "drivers/test/test-network.h"
#include "drivers/test/test-interface.h"
#include "drivers/test/test-nodedev.h"
#include "drivers/test/test-storage.h"
#include "api/error-private.h"
#include "conf/xml_util.h"

#define EVIRT_LOG_CATEGORY "evirt.test.config"
#include "api/log-private.h"

#define TEST_NS_HREF "http://libvirt.org/schemas/domain/test/1.0"

typedef struct config_ctx {
    test_state *st;
    const char *docname; /* the config's name in messages */
    const char *dir;     /* where relative file= references are, or NULL */
    long active;         /* <cpu><active>, -1 when absent */
} config_ctx;

typedef int (*config_handler)(config_ctx *ctx, xmlNodePtr node, evirt_error *err);

/* ------------------------------------------------------------ helpers */

/* Reads a whole file into a new string; NULL with errno set. */
static char *read_file(const char *path)
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

static xmlDocPtr read_doc(const char *path, evirt_error *err)
{
    char *text = read_file(path);
    if (!text) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "failed to parse xml document '%s': %s", path,
                        strerror(errno));
        return NULL;
    }
    xmlDocPtr doc = evirt_xml_read(text, path, EVIRT_FROM_TEST, err);
    free(text);
    return doc;
}

/* A path relative to the config's folder (absolute paths stay). */
static char *resolve(const config_ctx *ctx, const char *file)
{
    char *out = NULL;
    if (file[0] == '/' || !ctx->dir)
        out = strdup(file);
    else if (asprintf(&out, "%s/%s", ctx->dir, file) < 0)
        out = NULL;
    return out;
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

/* Parses an element's text as a long: 0, -1 when empty, -2 when invalid. */
static int node_long(xmlNodePtr node, long *out)
{
    char *s = evirt_xml_text(node);
    if (!s)
        return -2;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    int ret = 0;
    if (*s == '\0')
        ret = -1;
    else if (errno || end == s || *end != '\0')
        ret = -2;
    else
        *out = v;
    free(s);
    return ret;
}

/* ----------------------------------------------------------- host facts */

static int parse_cpu(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    static const char *const fields[] = {
        "nodes", "sockets", "cores", "threads", "active", "mhz",
    };
    evirt_node_info *ni = &ctx->st->node;
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        xmlNodePtr child = evirt_xml_child(node, fields[i]);
        long v;
        int r;
        if (!child || (r = node_long(child, &v)) == -1)
            continue;
        if (r < 0 || v < 0 || v > UINT_MAX) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                            "%s: invalid node cpu %s value", ctx->docname,
                            fields[i]);
            return -1;
        }
        switch (i) {
        case 0: ni->nodes = v; break;
        case 1: ni->sockets = v; break;
        case 2: ni->cores = v; break;
        case 3: ni->threads = v; break;
        case 4: ctx->active = v; break;
        case 5: ni->mhz = v; break;
        }
    }
    xmlNodePtr model = evirt_xml_child(node, "model");
    if (model) {
        char *m = evirt_xml_text(model);
        if (!m || strlen(m) >= sizeof(ni->model)) {
            evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_INTERNAL_ERROR,
                            "%s: Model %s too big for destination",
                            ctx->docname, m ? m : "");
            free(m);
            return -1;
        }
        snprintf(ni->model, sizeof(ni->model), "%s", m);
        free(m);
    }
    return 0;
}

static int parse_memory(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    long v;
    int r = node_long(node, &v);
    if (r == -1)
        return 0;
    if (r < 0 || v < 0) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: invalid node memory value", ctx->docname);
        return -1;
    }
    ctx->st->node.memory = v;
    return 0;
}

/* -------------------------------------------------------------- domains */

typedef struct ns_data {
    int runstate;
    bool transient;
    bool has_managed_save;
} ns_data;

static bool in_test_ns(xmlNodePtr node)
{
    return node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           strcmp((const char *)node->ns->href, TEST_NS_HREF) == 0;
}

/* Reads and removes the test namespace elements of a <domain> copy. */
static int take_ns_data(xmlNodePtr dom, ns_data *ns, const char *where,
                        evirt_error *err)
{
    ns->runstate = EVIRT_DOMAIN_RUNNING;
    ns->transient = false;
    ns->has_managed_save = false;
    xmlNodePtr next;
    for (xmlNodePtr n = dom->children; n; n = next) {
        next = n->next;
        if (!in_test_ns(n))
            continue;
        const char *name = (const char *)n->name;
        if (strcmp(name, "runstate") == 0) {
            long v;
            int r = node_long(n, &v);
            if (r == -2 || (r == 0 && v < 0)) {
                evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                                "%s: invalid runstate", where);
                return -1;
            }
            if (r == 0 && v > EVIRT_DOMAIN_PMSUSPENDED) {
                evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                                "%s: runstate '%ld' out of range", where, v);
                return -1;
            }
            if (r == 0)
                ns->runstate = (int)v;
        } else if (strcmp(name, "transient") == 0) {
            ns->transient = true;
        } else if (strcmp(name, "hasmanagedsave") == 0) {
            ns->has_managed_save = true;
        }
        /* Snapshots (test:domainsnapshot) are not modelled: dropped. */
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
    if (ns->transient && ns->runstate == EVIRT_DOMAIN_SHUTOFF) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: transient domain cannot have runstate 'shutoff'",
                        where);
        return -1;
    }
    if (ns->has_managed_save && ns->runstate != EVIRT_DOMAIN_SHUTOFF) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: domain with managedsave data can only have "
                        "runstate 'shutoff'", where);
        return -1;
    }
    return 0;
}

/* The <domain> element as a standalone document string, test namespace
 * elements taken out into ns. */
static char *domain_xml(xmlNodePtr node, ns_data *ns, const char *where,
                        evirt_error *err)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode(node, doc, 1) : NULL;
    if (!copy) {
        xmlFreeDoc(doc);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    xmlDocSetRootElement(doc, copy);
    /* Namespaces declared on <node> must travel with the copy. */
    xmlReconciliateNs(doc, copy);
    if (take_ns_data(copy, ns, where, err) < 0) {
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlChar *mem = NULL;
    int len = 0;
    xmlDocDumpMemory(doc, &mem, &len);
    xmlFreeDoc(doc);
    char *out = mem ? strdup((const char *)mem) : NULL;
    xmlFree(mem);
    if (!out)
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
    return out;
}

static int add_domain(config_ctx *ctx, xmlNodePtr node, const char *where,
                      evirt_error *err)
{
    ns_data ns;
    char *xml = domain_xml(node, &ns, where, err);
    if (!xml)
        return -1;
    evirt_domain_def *def = evirt_domain_def_parse_string(
        xml, EVIRT_DOMAIN_DEF_PARSE_INACTIVE, err);
    free(xml);
    if (!def) {
        error_in(err, where);
        return -1;
    }
    if (test_domain_def_prepare(def, err) < 0) {
        evirt_domain_def_free(def);
        error_in(err, where);
        return -1;
    }
    test_state *st = ctx->st;
    test_domain *other = test_state_find_by_uuid(st, def->uuid);
    if (!other)
        other = test_state_find_by_name(st, def->name);
    if (other) {
        char uuid[EVIRT_UUID_STRING_BUFLEN];
        evirt_uuid_format(other->def->uuid, uuid);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_OPERATION_FAILED,
                        "%s: domain '%s' already exists with uuid %s", where,
                        other->def->name, uuid);
        evirt_domain_def_free(def);
        return -1;
    }
    test_domain *dom = test_state_add_domain(st, def);
    if (!dom) {
        evirt_domain_def_free(def);
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        return -1;
    }
    dom->persistent = !ns.transient;
    dom->has_managed_save = ns.has_managed_save;
    /* As libvirt's: the state as written, with reason "unknown". */
    if (ns.runstate != EVIRT_DOMAIN_SHUTOFF)
        test_domain_start(st, dom, ns.runstate, 0);
    else
        dom->reason = 0;
    return 0;
}

static int parse_domain(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    char *file = evirt_xml_prop(node, "file");
    if (!file)
        return add_domain(ctx, node, ctx->docname, err);

    int ret = -1;
    xmlDocPtr doc = NULL;
    char *path = resolve(ctx, file);
    if (!path) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        goto out;
    }
    if (!(doc = read_doc(path, err)))
        goto out;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!evirt_xml_is(root, "domain")) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: expecting root element of 'domain', not '%s'",
                        path, root ? (const char *)root->name : "");
        goto out;
    }
    ret = add_domain(ctx, root, path, err);
out:
    xmlFreeDoc(doc);
    free(path);
    free(file);
    return ret;
}

/* ------------------------------------------- networks (and the like) */

/*
 * Adds one object from its element as a standalone document string;
 * where names the document in messages.  0, or -1 with err set.
 */
typedef int (*config_object_add)(test_state *st, const char *xml,
                                 const char *where, evirt_error *err);

/* An element as a standalone document string, with the namespaces
 * declared around it in the config; NULL with err set. */
static char *element_xml(xmlNodePtr node, evirt_error *err)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode(node, doc, 1) : NULL;
    char *out = NULL;
    if (copy) {
        xmlDocSetRootElement(doc, copy);
        xmlReconciliateNs(doc, copy);
        xmlChar *mem = NULL;
        int len = 0;
        xmlDocDumpMemory(doc, &mem, &len);
        out = mem ? strdup((const char *)mem) : NULL;
        xmlFree(mem);
    }
    xmlFreeDoc(doc);
    if (!out)
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
    return out;
}

/* An element given inline or as file='...' (relative to the config's
 * folder, whose root must be named root), handed to add. */
static int parse_object(config_ctx *ctx, xmlNodePtr node, const char *root,
                        config_object_add add, evirt_error *err)
{
    int ret = -1;
    char *xml = NULL, *path = NULL;
    xmlDocPtr doc = NULL;
    char *file = evirt_xml_prop(node, "file");
    if (!file) {
        if ((xml = element_xml(node, err)))
            ret = add(ctx->st, xml, ctx->docname, err);
        free(xml);
        return ret;
    }
    if (!(path = resolve(ctx, file))) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_NO_MEMORY, NULL);
        goto out;
    }
    if (!(doc = read_doc(path, err)))
        goto out;
    xmlNodePtr top = xmlDocGetRootElement(doc);
    if (!evirt_xml_is(top, root)) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: expecting root element of '%s', not '%s'",
                        path, root, top ? (const char *)top->name : "");
        goto out;
    }
    if ((xml = element_xml(top, err)))
        ret = add(ctx->st, xml, path, err);
out:
    free(xml);
    xmlFreeDoc(doc);
    free(path);
    free(file);
    return ret;
}

static int parse_network(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    return parse_object(ctx, node, "network", test_network_config_add, err);
}

static int parse_interface(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    return parse_object(ctx, node, "interface", test_interfaces_load_xml, err);
}

static int parse_nodedev(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    return parse_object(ctx, node, "device", test_nodedevs_load_xml, err);
}

/* <pool> with nested <volume> elements (test-storage-load.c). */
static int parse_pool(config_ctx *ctx, xmlNodePtr node, evirt_error *err)
{
    return test_storage_config_pool(ctx->st, node, ctx->docname, ctx->dir, err);
}

/* ------------------------------------------------------------- the file */

static const struct {
    const char *name;
    config_handler handler;
} config_handlers[] = {
    { "cpu", parse_cpu },
    { "memory", parse_memory },
    { "domain", parse_domain },
    { "network", parse_network },
    { "interface", parse_interface },
    { "device", parse_nodedev },
    { "pool", parse_pool },
};

static int load_doc(test_state *st, xmlDocPtr doc, const char *docname,
                    const char *dir, evirt_error *err)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!evirt_xml_is(root, "node")) {
        evirt_error_set(err, EVIRT_FROM_TEST, EVIRT_ERR_XML_ERROR,
                        "%s: expecting root element of 'node', not '%s'",
                        docname, root ? (const char *)root->name : "");
        return -1;
    }
    config_ctx ctx = { .st = st, .docname = docname, .dir = dir, .active = -1 };
    /* Host facts first, so they hold whatever order the file uses. */
    for (int pass = 0; pass < 2; pass++) {
        for (xmlNodePtr n = root->children; n; n = n->next) {
            if (n->type != XML_ELEMENT_NODE)
                continue;
            bool is_domain = evirt_xml_is(n, "domain");
            if ((pass == 0) == is_domain)
                continue;
            size_t i;
            for (i = 0; i < sizeof(config_handlers) / sizeof(config_handlers[0]); i++)
                if (evirt_xml_is(n, config_handlers[i].name))
                    break;
            if (i == sizeof(config_handlers) / sizeof(config_handlers[0])) {
                EVIRT_DEBUG("%s: skipping <%s>", docname, (const char *)n->name);
                continue;
            }
            if (config_handlers[i].handler(&ctx, n, err) < 0)
                return -1;
        }
        if (pass == 0) {
            evirt_node_info *ni = &st->node;
            ni->cpus = ni->cores * ni->threads * ni->sockets * ni->nodes;
            if (ctx.active >= 0 && ctx.active < (long)ni->cpus)
                ni->cpus = ctx.active;
        }
    }
    return 0;
}

int test_config_load_string(test_state *st, const char *xml, const char *docname,
                            const char *dir, evirt_error *err)
{
    xmlDocPtr doc = evirt_xml_read(xml, docname, EVIRT_FROM_TEST, err);
    if (!doc)
        return -1;
    int ret = load_doc(st, doc, docname, dir, err);
    xmlFreeDoc(doc);
    return ret;
}

int test_config_load_file(test_state *st, const char *path, evirt_error *err)
{
    xmlDocPtr doc = read_doc(path, err);
    if (!doc)
        return -1;
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    free(st->config_dir);
    st->config_dir = slash ? dir : NULL;
    if (!slash)
        free(dir);
    int ret = load_doc(st, doc, path, st->config_dir, err);
    xmlFreeDoc(doc);
    return ret;
}
