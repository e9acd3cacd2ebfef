/*
 * conf/xml_util.h - small helpers the XML object models share: an output
 * buffer writing libvirt-style XML, reading documents with libxml2's
 * errors turned into evirt errors, and node accessors.
 */
#ifndef EVIRT_CONF_XML_UTIL_H
#define EVIRT_CONF_XML_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>
#include <evirt/error.h>

/* A growing string; after an allocation failure it stays failed. */
typedef struct evirt_buf {
    char *s;
    size_t len, cap;
    bool failed;
} evirt_buf;

void evirt_buf_add(evirt_buf *b, const char *s, size_t len);
void evirt_buf_adds(evirt_buf *b, const char *s);
void evirt_buf_printf(evirt_buf *b, const char *fmt, ...) EVIRT_PRINTF(2, 3);
void evirt_buf_indent(evirt_buf *b, int level); /* 2 spaces per level */
/* Appends s escaped for text or a single-quoted attribute value. */
void evirt_buf_escape(evirt_buf *b, const char *s);
/* " name='value'" (nothing when value is NULL). */
void evirt_buf_attr(evirt_buf *b, const char *name, const char *value);
/* Indented "<name>value</name>\n" (nothing when value is NULL). */
void evirt_buf_text_elem(evirt_buf *b, int level, const char *name,
                         const char *value);
/* Writes a preserved node at this level, libvirt style, + "\n". */
void evirt_buf_node(evirt_buf *b, int level, xmlNodePtr node);
/* Takes the string (NULL if an allocation failed); b is reset. */
char *evirt_buf_steal(evirt_buf *b);
void evirt_buf_free(evirt_buf *b);

/*
 * Parses xml with XML_PARSE_NONET|NOBLANKS, never printing anything.
 * On a well-formedness error: NULL and err = EVIRT_ERR_XML_DETAIL in
 * err_domain, "(<docname>):LINE: <libxml2 message>\n<line>\n----^".
 */
xmlDocPtr evirt_xml_read(const char *xml, const char *docname,
                         int err_domain, evirt_error *err);

/* Attribute value as a malloc'd string (free()), or NULL when absent. */
char *evirt_xml_prop(xmlNodePtr node, const char *name);
/* Text content as a malloc'd string (free()), "" for an empty element. */
char *evirt_xml_text(xmlNodePtr node);
/* True when node is an element named name. */
bool evirt_xml_is(xmlNodePtr node, const char *name);
/* First child element with this name, or NULL. */
xmlNodePtr evirt_xml_child(xmlNodePtr node, const char *name);

/* strdup that accepts NULL. */
char *evirt_strdup0(const char *s);

#endif
