/*
 * drivers/test/test-index.h - a small hash index from a key (a name, a
 * UUID) to an object, so that lookups stay O(1) with thousands of objects
 * (a monitoring agent polls every domain by handle).
 */
#ifndef EVIRT_TEST_INDEX_H
#define EVIRT_TEST_INDEX_H

#include <stddef.h>

typedef struct test_index test_index;

/* An empty index; NULL when out of memory. */
test_index *test_index_new(void);
void test_index_free(test_index *idx);
/* Maps key (len bytes, copied) to value, replacing any; 0 or -1 (OOM). */
int test_index_put(test_index *idx, const void *key, size_t len, void *value);
/* The value of key, or NULL. */
void *test_index_get(const test_index *idx, const void *key, size_t len);
/* Forgets key (no effect when absent). */
void test_index_remove(test_index *idx, const void *key, size_t len);

#endif
