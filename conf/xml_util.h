/*
 * conf/xml_util.h - small helpers the XML object models share: an output
 * buffer writing libvirt-style XML, reading documents with libxml2's
 * errors turned into evirt errors, node accessors, number readers, and
 * writing back what a model preserved but does not hold (xml_preserve.c).
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
/* *dst = evirt_strdup0(src): 0, or -1 when out of memory. */
int evirt_strdup_to(char **dst, const char *src);

/* ---- reading helpers; err_domain is the model's EVIRT_FROM_* ---- */

/* Raises EVIRT_ERR_NO_MEMORY in err_domain; returns -1. */
int evirt_xml_oom(int err_domain, evirt_error *err);
/* Raises code with the formatted text + " (line N)" of node (no suffix
 * when node is NULL); returns -1. */
int evirt_xml_error_at(evirt_error *err, int err_domain, int code,
                       xmlNodePtr node, const char *fmt, ...)
    EVIRT_PRINTF(5, 6);
/* Replaces *out with a copy of attribute name (NULL when absent, ""
 * kept): 0, or -1 with EVIRT_ERR_NO_MEMORY raised. */
int evirt_xml_get_prop(xmlNodePtr node, const char *name, char **out,
                       int err_domain, evirt_error *err);

/* Index of s in the NULL-terminated list (NULL list or s: -1). */
int evirt_list_index(const char *const *list, const char *s);
bool evirt_in_list(const char *const *list, const char *s);
/* Index of node's name in slots when node is an element without a
 * namespace, or -1. */
int evirt_slot_index(const char *const *slots, xmlNodePtr node);

/* Unsigned number in base (10, 16 or 0), blanks around allowed, at most
 * max: 0, or -1 when s is NULL or not one. */
int evirt_parse_uint(const char *s, int base, unsigned long long max,
                     unsigned long long *out);
/* Signed int as strtol reads it, trailing blanks allowed: 0 or -1. */
int evirt_parse_int(const char *s, int *out);

/* Appends one zeroed element of size bytes to array (*n elements):
 * the new array with *n incremented, or NULL (array untouched). */
void *evirt_grow(void *array, size_t *n, size_t size);
/* evirt_grow for an lvalue array and count; runs `fail` when it fails. */
#define EVIRT_APPEND_OR(array, n, fail) \
    do { \
        void *p_ = evirt_grow((array), &(n), sizeof(*(array))); \
        if (!p_) { \
            fail; \
        } \
        (array) = p_; \
    } while (0)

/* ---- preserved nodes (xml_preserve.c) ---- */

/* A deep copy of src into *dst (NULL src: NULL): 0, or -1 when out of
 * memory (nothing raised). */
int evirt_xml_copy_node(struct _xmlNode **dst, const struct _xmlNode *src);

/* Writes the element children of orig whose names are not in slots
 * (NULL: none known) and that follow known child slots[slot] (slot -1:
 * before any known one). */
void evirt_buf_unknown_children(evirt_buf *b, int level, xmlNodePtr orig,
                                const char *const *slots, int slot);
/* Writes every child element of orig named name. */
void evirt_buf_kept_children(evirt_buf *b, int level, xmlNodePtr orig,
                             const char *name);

/* An attribute the writer sets: value NULL means not written, and not
 * copied from the original either. */
typedef struct evirt_xml_kv {
    const char *name;
    const char *value;
} evirt_xml_kv;

/* Writes the attributes of orig not named in attrs[0..n) (namespaced
 * ones are left out: their declaration may not come along); true when
 * it wrote any.  Out of memory marks b failed. */
bool evirt_buf_orig_attrs(evirt_buf *b, xmlNodePtr orig,
                          const evirt_xml_kv *attrs, size_t n);
/* Indented "<name", the attrs with a value, then orig's other attributes
 * (the tag is left open); true when it wrote any attribute. */
bool evirt_buf_start_tag(evirt_buf *b, int level, const char *name,
                         const evirt_xml_kv *attrs, size_t n, xmlNodePtr orig);
/* The same with the known names as a NULL-terminated list. */
void evirt_buf_other_attrs(evirt_buf *b, xmlNodePtr orig,
                           const char *const *known);

#endif
