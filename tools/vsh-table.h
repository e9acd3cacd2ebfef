/*
 * tools/vsh-table.h - tables laid out as virsh lays them out: a leading
 * space, columns left-aligned and three spaces apart, a dashed rule under
 * the header two dashes longer than the widest line.
 */
#ifndef EVIRT_TOOLS_VSH_TABLE_H
#define EVIRT_TOOLS_VSH_TABLE_H

#include <stdio.h>

typedef struct vsh_table vsh_table;

/* A table with the given column headers (NULL-terminated). NULL on ENOMEM. */
vsh_table *vsh_table_new(const char *header, ...);
/* Adds a row of as many cells as there are columns (copied). 0 / -1. */
int vsh_table_add_row(vsh_table *t, const char *cell, ...);
/* Prints the table; without header the rows alone (virsh -q). */
void vsh_table_print(const vsh_table *t, FILE *out, int header);
void vsh_table_free(vsh_table *t);

#endif
