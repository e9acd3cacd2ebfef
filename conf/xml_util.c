/*
 * conf/xml_util.c - output buffer, quiet document reading, node accessors
 * and the small readers every model uses.
 */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "api/error-private.h"
#include "conf/xml_util.h"

static bool
buf_reserve(evirt_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = true;
        return false;
    }
    b->s = s;
    b->cap = cap;
    return true;
}

void
evirt_buf_add(evirt_buf *b, const char *s, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

void
evirt_buf_adds(evirt_buf *b, const char *s)
{
    evirt_buf_add(b, s, strlen(s));
}

void
evirt_buf_printf(evirt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void
evirt_buf_indent(evirt_buf *b, int level)
{
    for (int i = 0; i < level; i++)
        evirt_buf_add(b, "  ", 2);
}

void
evirt_buf_escape(evirt_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': evirt_buf_adds(b, "&lt;"); break;
        case '>': evirt_buf_adds(b, "&gt;"); break;
        case '&': evirt_buf_adds(b, "&amp;"); break;
        case '\'': evirt_buf_adds(b, "&apos;"); break;
        case '"': evirt_buf_adds(b, "&quot;"); break;
        default: evirt_buf_add(b, s, 1); break;
        }
    }
}

void
evirt_buf_attr(evirt_buf *b, const char *name, const char *value)
{
    if (!value)
        return;
    evirt_buf_printf(b, " %s='", name);
    evirt_buf_escape(b, value);
    evirt_buf_add(b, "'", 1);
}

void
evirt_buf_text_elem(evirt_buf *b, int level, const char *name,
                    const char *value)
{
    if (!value)
        return;
    evirt_buf_indent(b, level);
    evirt_buf_printf(b, "<%s>", name);
    evirt_buf_escape(b, value);
    evirt_buf_printf(b, "</%s>\n", name);
}

char *
evirt_buf_steal(evirt_buf *b)
{
    char *s = NULL;
    if (!b->failed) {
        s = b->s ? b->s : strdup("");
        b->s = NULL;
    }
    evirt_buf_free(b);
    return s;
}

void
evirt_buf_free(evirt_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof(*b));
}

/* What the structured handler keeps: the first error only, as later ones
 * are usually consequences of it. */
typedef struct {
    bool have;
    int line;
    int col;
    char *msg;
} read_error;

#if LIBXML_VERSION >= 21200
typedef const xmlError *xml_error_arg;
#else
typedef xmlErrorPtr xml_error_arg;
#endif

static void
catch_xml_error(void *userdata, xml_error_arg e)
{
    xmlParserCtxtPtr ctxt = userdata;
    read_error *re = ctxt ? ctxt->_private : NULL;
    if (!re || re->have || !e || e->level == XML_ERR_WARNING)
        return;
    re->have = true;
    re->line = e->line;
    re->col = e->int2;
    re->msg = strdup(e->message ? e->message : "unknown XML error");
    if (re->msg) {
        size_t n = strlen(re->msg);
        while (n > 0 && (re->msg[n - 1] == '\n' || re->msg[n - 1] == ' '))
            re->msg[--n] = '\0';
    }
}

/* The offending line of the input and a caret under the column, as
 * libvirt shows them. */
static void
append_context(evirt_buf *b, const char *xml, int line, int col)
{
    const char *p = xml;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        return;
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > 80)
        len = 80;
    evirt_buf_add(b, "\n", 1);
    evirt_buf_add(b, p, len);
    evirt_buf_add(b, "\n", 1);
    for (int i = 1; i < col && (size_t)i <= len; i++)
        evirt_buf_add(b, "-", 1);
    evirt_buf_add(b, "^", 1);
}

xmlDocPtr
evirt_xml_read(const char *xml, const char *docname, int err_domain,
               evirt_error *err)
{
    static pthread_once_t init_once = PTHREAD_ONCE_INIT;
    pthread_once(&init_once, xmlInitParser);

    read_error re = { 0 };
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        evirt_error_set(err, err_domain, EVIRT_ERR_NO_MEMORY, NULL);
        return NULL;
    }
    ctxt->_private = &re;
    ctxt->sax->serror = catch_xml_error;
    ctxt->sax->warning = NULL;
    ctxt->sax->error = NULL;
    ctxt->vctxt.error = NULL;
    ctxt->vctxt.warning = NULL;

    size_t len = strlen(xml);
    xmlDocPtr doc = NULL;
    if (len > (size_t)INT32_MAX) {
        evirt_error_set(err, err_domain, EVIRT_ERR_XML_DETAIL,
                        "(%s): document too large", docname);
        goto out;
    }
    doc = xmlCtxtReadMemory(ctxt, xml, (int)len, docname, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                            XML_PARSE_NOWARNING);
    if (!doc || !ctxt->wellFormed || re.have) {
        xmlFreeDoc(doc);
        doc = NULL;
        if (!re.have) {
            /* e.g. an empty document: take what the context recorded */
            xml_error_arg e = xmlCtxtGetLastError(ctxt);
            if (e)
                catch_xml_error(ctxt, e);
        }
        evirt_buf b = { 0 };
        evirt_buf_printf(&b, "(%s):%d: %s", docname, re.line,
                         re.msg ? re.msg : "malformed XML document");
        append_context(&b, xml, re.line, re.col);
        char *detail = evirt_buf_steal(&b);
        evirt_error_set(err, err_domain, EVIRT_ERR_XML_DETAIL, "%s",
                        detail ? detail : "malformed XML document");
        free(detail);
    }
out:
    free(re.msg);
    xmlFreeParserCtxt(ctxt);
    return doc;
}

char *
evirt_xml_prop(xmlNodePtr node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, BAD_CAST name);
    if (!v)
        return NULL;
    char *s = strdup((const char *)v);
    xmlFree(v);
    return s;
}

char *
evirt_xml_text(xmlNodePtr node)
{
    xmlChar *v = xmlNodeGetContent(node);
    char *s = strdup(v ? (const char *)v : "");
    xmlFree(v);
    return s;
}

bool
evirt_xml_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns == NULL &&
           strcmp((const char *)node->name, name) == 0;
}

xmlNodePtr
evirt_xml_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (evirt_xml_is(c, name))
            return c;
    return NULL;
}

char *
evirt_strdup0(const char *s)
{
    return s ? strdup(s) : NULL;
}

int
evirt_strdup_to(char **dst, const char *src)
{
    *dst = evirt_strdup0(src);
    return src && !*dst ? -1 : 0;
}

int
evirt_xml_oom(int err_domain, evirt_error *err)
{
    evirt_error_set(err, err_domain, EVIRT_ERR_NO_MEMORY, NULL);
    return -1;
}

int
evirt_xml_error_at(evirt_error *err, int err_domain, int code,
                   xmlNodePtr node, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (node)
        evirt_error_set(err, err_domain, code, "%s (line %ld)", msg,
                        xmlGetLineNo(node));
    else
        evirt_error_set(err, err_domain, code, "%s", msg);
    return -1;
}

int
evirt_xml_get_prop(xmlNodePtr node, const char *name, char **out,
                   int err_domain, evirt_error *err)
{
    free(*out);
    *out = NULL;
    if (!node || !xmlHasNsProp(node, BAD_CAST name, NULL))
        return 0;
    *out = evirt_xml_prop(node, name);
    return *out ? 0 : evirt_xml_oom(err_domain, err);
}

int
evirt_list_index(const char *const *list, const char *s)
{
    for (int i = 0; list && s && list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

bool
evirt_in_list(const char *const *list, const char *s)
{
    return evirt_list_index(list, s) >= 0;
}

int
evirt_slot_index(const char *const *slots, xmlNodePtr node)
{
    if (!node || node->type != XML_ELEMENT_NODE || node->ns)
        return -1;
    return evirt_list_index(slots, (const char *)node->name);
}

int
evirt_parse_uint(const char *s, int base, unsigned long long max,
                 unsigned long long *out)
{
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    /* no sign: strtoull would quietly negate one */
    if (!(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == s || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int
evirt_parse_int(const char *s, int *out)
{
    if (!s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == s || *end || v < INT_MIN || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

void *
evirt_grow(void *array, size_t *n, size_t size)
{
    char *p = realloc(array, (*n + 1) * size);
    if (!p)
        return NULL;
    memset(p + *n * size, 0, size);
    (*n)++;
    return p;
}
