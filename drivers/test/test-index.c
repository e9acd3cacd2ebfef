/*
 * drivers/test/test-index.c - chained hashing with FNV-1a, doubling the
 * bucket array when the load passes 1.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/test/test-index.h"

typedef struct entry {
    struct entry *next;
    uint64_t hash;
    void *value;
    size_t len;
    unsigned char key[];
} entry;

struct test_index {
    entry **buckets;
    size_t nbuckets; /* a power of two */
    size_t count;
};

static uint64_t hash_of(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

test_index *test_index_new(void)
{
    test_index *idx = calloc(1, sizeof(*idx));
    if (!idx)
        return NULL;
    idx->nbuckets = 16;
    idx->buckets = calloc(idx->nbuckets, sizeof(*idx->buckets));
    if (!idx->buckets) {
        free(idx);
        return NULL;
    }
    return idx;
}

void test_index_free(test_index *idx)
{
    if (!idx)
        return;
    for (size_t i = 0; i < idx->nbuckets; i++) {
        entry *e = idx->buckets[i];
        while (e) {
            entry *next = e->next;
            free(e);
            e = next;
        }
    }
    free(idx->buckets);
    free(idx);
}

static entry **find(const test_index *idx, const void *key, size_t len, uint64_t h)
{
    entry **pp = &idx->buckets[h & (idx->nbuckets - 1)];
    while (*pp && !((*pp)->hash == h && (*pp)->len == len &&
                    memcmp((*pp)->key, key, len) == 0))
        pp = &(*pp)->next;
    return pp;
}

static void grow(test_index *idx)
{
    size_t n = idx->nbuckets * 2;
    entry **b = calloc(n, sizeof(*b));
    if (!b)
        return; /* keep working, just slower */
    for (size_t i = 0; i < idx->nbuckets; i++) {
        entry *e = idx->buckets[i];
        while (e) {
            entry *next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
            e = next;
        }
    }
    free(idx->buckets);
    idx->buckets = b;
    idx->nbuckets = n;
}

int test_index_put(test_index *idx, const void *key, size_t len, void *value)
{
    uint64_t h = hash_of(key, len);
    entry **pp = find(idx, key, len, h);
    if (*pp) {
        (*pp)->value = value;
        return 0;
    }
    entry *e = malloc(sizeof(*e) + len);
    if (!e)
        return -1;
    e->next = NULL;
    e->hash = h;
    e->value = value;
    e->len = len;
    memcpy(e->key, key, len);
    *pp = e;
    if (++idx->count > idx->nbuckets)
        grow(idx);
    return 0;
}

void *test_index_get(const test_index *idx, const void *key, size_t len)
{
    entry **pp = find(idx, key, len, hash_of(key, len));
    return *pp ? (*pp)->value : NULL;
}

void test_index_remove(test_index *idx, const void *key, size_t len)
{
    entry **pp = find(idx, key, len, hash_of(key, len));
    if (!*pp)
        return;
    entry *e = *pp;
    *pp = e->next;
    free(e);
    idx->count--;
}
