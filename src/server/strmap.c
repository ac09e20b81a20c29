/* strmap.c - string-keyed hash map (strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    char *key;   /* NULL = empty */
    uint64_t hash;
    void *value;
} slot;

struct strmap {
    slot *slots;
    size_t cap;   /* power of two */
    size_t count;
};

/* FNV-1a: keys are short handles and cookies; good enough and fast. */
static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

strmap *strmap_new(void)
{
    strmap *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 16;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    free(m);
}

static size_t find_slot(const strmap *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    while (m->slots[i].key) {
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

void *strmap_get(const strmap *m, const char *key)
{
    size_t i = find_slot(m, key, hash_key(key));
    return m->slots[i].key ? m->slots[i].value : NULL;
}

static int grow(strmap *m)
{
    size_t ncap = m->cap * 2;
    slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = (size_t)m->slots[i].hash & (ncap - 1);
        while (ns[j].key)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

int strmap_put(strmap *m, const char *key, void *value)
{
    uint64_t h = hash_key(key);
    size_t i = find_slot(m, key, h);
    if (m->slots[i].key) {
        m->slots[i].value = value;
        return 0;
    }
    /* Keep the load factor under 3/4 so probes stay short. */
    if ((m->count + 1) * 4 > m->cap * 3) {
        if (grow(m) != 0)
            return -1;
        i = find_slot(m, key, h);
    }
    char *copy = strdup(key);
    if (!copy)
        return -1;
    m->slots[i].key = copy;
    m->slots[i].hash = h;
    m->slots[i].value = value;
    m->count++;
    return 0;
}

void *strmap_remove(strmap *m, const char *key)
{
    size_t mask = m->cap - 1, i = find_slot(m, key, hash_key(key));
    if (!m->slots[i].key)
        return NULL;
    void *value = m->slots[i].value;
    free(m->slots[i].key);
    m->slots[i].key = NULL;
    m->count--;
    /* Backward-shift: pull later entries of the probe run into the hole. */
    size_t hole = i, j = (i + 1) & mask;
    while (m->slots[j].key) {
        size_t home = (size_t)m->slots[j].hash & mask;
        /* Entry j may move to hole if its home is not in (hole, j]. */
        int move = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
        if (move) {
            m->slots[hole] = m->slots[j];
            m->slots[j].key = NULL;
            hole = j;
        }
        j = (j + 1) & mask;
    }
    return value;
}

size_t strmap_count(const strmap *m)
{
    return m->count;
}

int strmap_foreach(const strmap *m, int (*fn)(const char *key, void *value, void *ud), void *ud)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key) {
            int rc = fn(m->slots[i].key, m->slots[i].value, ud);
            if (rc)
                return rc;
        }
    }
    return 0;
}
