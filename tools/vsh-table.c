/*
 * tools/vsh-table.c - virsh-like tables (see vsh-table.h).
 */
#include <config.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tools/vsh-table.h"

struct vsh_table {
    size_t ncols;
    size_t nrows;   /* rows, counting the header as row 0 */
    char **cells;   /* nrows * ncols */
};

/* Display width of a UTF-8 string, so that names with accents line up. */
static size_t text_width(const char *s)
{
    mbstate_t st;
    size_t width = 0;

    memset(&st, 0, sizeof(st));
    while (*s) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s, strlen(s), &st);
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            /* Not valid in this locale: count bytes. */
            memset(&st, 0, sizeof(st));
            width++;
            s++;
            continue;
        }
        int w = wcwidth(wc);
        width += w > 0 ? (size_t)w : 0;
        s += n;
    }
    return width;
}

static int add_row_v(vsh_table *t, const char *first, va_list ap)
{
    char **cells = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*cells));
    if (!cells)
        return -1;
    t->cells = cells;
    char **row = cells + t->nrows * t->ncols;
    const char *cell = first;
    for (size_t i = 0; i < t->ncols; i++) {
        row[i] = strdup(cell ? cell : "");
        if (!row[i]) {
            while (i-- > 0)
                free(row[i]);
            return -1;
        }
        cell = i + 1 < t->ncols ? va_arg(ap, const char *) : NULL;
    }
    t->nrows++;
    return 0;
}

vsh_table *vsh_table_new(const char *header, ...)
{
    va_list ap;
    vsh_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;

    va_start(ap, header);
    for (const char *h = header; h; h = va_arg(ap, const char *))
        t->ncols++;
    va_end(ap);

    va_start(ap, header);
    int rc = t->ncols ? add_row_v(t, header, ap) : -1;
    va_end(ap);
    if (rc < 0) {
        vsh_table_free(t);
        return NULL;
    }
    return t;
}

int vsh_table_add_row(vsh_table *t, const char *cell, ...)
{
    va_list ap;
    va_start(ap, cell);
    int rc = add_row_v(t, cell, ap);
    va_end(ap);
    return rc;
}

static void print_row(const vsh_table *t, size_t r, const size_t *widths,
                      FILE *out)
{
    char *const *row = t->cells + r * t->ncols;

    fputc(' ', out);
    for (size_t c = 0; c < t->ncols; c++) {
        fputs(row[c], out);
        if (c + 1 == t->ncols)
            break;
        /* Pad to the column's width plus the three-space gap; the last
         * column is not padded, so lines carry no trailing blanks. */
        for (size_t w = text_width(row[c]); w < widths[c] + 3; w++)
            fputc(' ', out);
    }
    fputc('\n', out);
}

void vsh_table_print(const vsh_table *t, FILE *out, int header)
{
    size_t *widths = calloc(t->ncols, sizeof(*widths));
    size_t line = 1;

    if (!widths)
        return;
    /* Without the header its words do not widen the columns (virsh -q). */
    for (size_t r = header ? 0 : 1; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = text_width(t->cells[r * t->ncols + c]);
            if (w > widths[c])
                widths[c] = w;
        }
    for (size_t c = 0; c < t->ncols; c++)
        line += widths[c] + (c ? 3 : 0);

    if (header) {
        print_row(t, 0, widths, out);
        for (size_t i = 0; i < line + 2; i++)
            fputc('-', out);
        fputc('\n', out);
    }
    for (size_t r = 1; r < t->nrows; r++)
        print_row(t, r, widths, out);
    free(widths);
}

void vsh_table_free(vsh_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}
