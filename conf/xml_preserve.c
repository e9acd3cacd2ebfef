/*
 * conf/xml_preserve.c - writing back what a model keeps but does not
 * hold: preserved nodes laid out as libvirt writes them, unknown children
 * next to the known one they followed, and attributes of the original.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "conf/xml_util.h"

static void
write_qname(evirt_buf *b, xmlNsPtr ns, const xmlChar *name)
{
    if (ns && ns->prefix) {
        evirt_buf_adds(b, (const char *)ns->prefix);
        evirt_buf_add(b, ":", 1);
    }
    evirt_buf_adds(b, (const char *)name);
}

/* Element-only content is laid out one child per line; anything with
 * text in it is written as it came, so no whitespace is added to data. */
static bool
element_only(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type != XML_ELEMENT_NODE && c->type != XML_COMMENT_NODE)
            return false;
    return true;
}

static void
write_node(evirt_buf *b, int level, xmlNodePtr n, bool layout)
{
    switch (n->type) {
    case XML_ELEMENT_NODE:
        if (layout)
            evirt_buf_indent(b, level);
        evirt_buf_add(b, "<", 1);
        write_qname(b, n->ns, n->name);
        for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next) {
            evirt_buf_adds(b, " xmlns");
            if (ns->prefix) {
                evirt_buf_add(b, ":", 1);
                evirt_buf_adds(b, (const char *)ns->prefix);
            }
            evirt_buf_adds(b, "='");
            evirt_buf_escape(b, ns->href ? (const char *)ns->href : "");
            evirt_buf_add(b, "'", 1);
        }
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            evirt_buf_add(b, " ", 1);
            write_qname(b, a->ns, a->name);
            evirt_buf_adds(b, "='");
            evirt_buf_escape(b, v ? (const char *)v : "");
            evirt_buf_add(b, "'", 1);
            xmlFree(v);
        }
        if (!n->children) {
            evirt_buf_adds(b, "/>");
            break;
        }
        evirt_buf_add(b, ">", 1);
        if (layout && element_only(n)) {
            for (xmlNodePtr c = n->children; c; c = c->next) {
                evirt_buf_add(b, "\n", 1);
                write_node(b, level + 1, c, true);
            }
            evirt_buf_add(b, "\n", 1);
            evirt_buf_indent(b, level);
        } else {
            for (xmlNodePtr c = n->children; c; c = c->next)
                write_node(b, level + 1, c, false);
        }
        evirt_buf_adds(b, "</");
        write_qname(b, n->ns, n->name);
        evirt_buf_add(b, ">", 1);
        break;
    case XML_TEXT_NODE:
        if (n->content)
            evirt_buf_escape(b, (const char *)n->content);
        break;
    case XML_CDATA_SECTION_NODE:
        evirt_buf_adds(b, "<![CDATA[");
        if (n->content)
            evirt_buf_adds(b, (const char *)n->content);
        evirt_buf_adds(b, "]]>");
        break;
    case XML_COMMENT_NODE:
        if (layout)
            evirt_buf_indent(b, level);
        evirt_buf_adds(b, "<!--");
        if (n->content)
            evirt_buf_adds(b, (const char *)n->content);
        evirt_buf_adds(b, "-->");
        break;
    case XML_ENTITY_REF_NODE:
        evirt_buf_printf(b, "&%s;", (const char *)n->name);
        break;
    case XML_PI_NODE:
        evirt_buf_printf(b, "<?%s", (const char *)n->name);
        if (n->content)
            evirt_buf_printf(b, " %s", (const char *)n->content);
        evirt_buf_adds(b, "?>");
        break;
    default:
        break;
    }
}

void
evirt_buf_node(evirt_buf *b, int level, xmlNodePtr node)
{
    /* A child of a preserved tree may use a namespace declared on an
     * ancestor; a copy of it carries the declaration along. */
    xmlNodePtr tmp = NULL;
    if (node->parent) {
        tmp = xmlCopyNode(node, 1);
        if (!tmp) {
            b->failed = true;
            return;
        }
        node = tmp;
    }
    write_node(b, level, node, true);
    evirt_buf_add(b, "\n", 1);
    xmlFreeNode(tmp);
}

int
evirt_xml_copy_node(xmlNodePtr *dst, const struct _xmlNode *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = xmlCopyNode((xmlNodePtr)src, 1);
    return *dst ? 0 : -1;
}

void
evirt_buf_unknown_children(evirt_buf *b, int level, xmlNodePtr orig,
                           const char *const *slots, int slot)
{
    static const char *const none[] = { NULL };
    int anchor = -1;
    for (xmlNodePtr c = orig ? orig->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int k = evirt_slot_index(slots ? slots : none, c);
        if (k >= 0)
            anchor = k;
        else if (anchor == slot)
            evirt_buf_node(b, level, c);
    }
}

void
evirt_buf_kept_children(evirt_buf *b, int level, xmlNodePtr orig,
                        const char *name)
{
    for (xmlNodePtr c = orig ? orig->children : NULL; c; c = c->next)
        if (evirt_xml_is(c, name))
            evirt_buf_node(b, level, c);
}

typedef bool (*known_fn)(const void *set, size_t n, const char *name);

static bool
write_attrs_except(evirt_buf *b, xmlNodePtr orig, known_fn known,
                   const void *set, size_t n)
{
    bool any = false;
    for (xmlAttrPtr a = orig ? orig->properties : NULL; a; a = a->next) {
        if (a->ns || known(set, n, (const char *)a->name))
            continue;
        xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
        if (!v) {
            b->failed = true;
            continue;
        }
        evirt_buf_attr(b, (const char *)a->name, (const char *)v);
        xmlFree(v);
        any = true;
    }
    return any;
}

static bool
in_kv(const void *set, size_t n, const char *name)
{
    const evirt_xml_kv *attrs = set;
    for (size_t i = 0; i < n; i++)
        if (strcmp(attrs[i].name, name) == 0)
            return true;
    return false;
}

static bool
in_names(const void *set, size_t n, const char *name)
{
    (void)n;
    return evirt_in_list(set, name);
}

bool
evirt_buf_orig_attrs(evirt_buf *b, xmlNodePtr orig, const evirt_xml_kv *attrs,
                     size_t n)
{
    return write_attrs_except(b, orig, in_kv, attrs, n);
}

void
evirt_buf_other_attrs(evirt_buf *b, xmlNodePtr orig, const char *const *known)
{
    write_attrs_except(b, orig, in_names, known, 0);
}

bool
evirt_buf_start_tag(evirt_buf *b, int level, const char *name,
                    const evirt_xml_kv *attrs, size_t n, xmlNodePtr orig)
{
    bool any = false;
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s", name);
    for (size_t i = 0; i < n; i++) {
        if (attrs[i].value) {
            evirt_buf_attr(b, attrs[i].name, attrs[i].value);
            any = true;
        }
    }
    if (evirt_buf_orig_attrs(b, orig, attrs, n))
        any = true;
    return any;
}
