/*
 * strmap.h - hash map from NUL-terminated string keys to pointers.
 *
 * Open addressing with linear probing and backward-shift deletion, so
 * lookups stay short and there are no tombstones. Keys are copied and
 * owned by the map; values are the caller's (the map never frees them).
 * Not thread-safe: msgrd uses it on the loop thread only.
 */
#ifndef MSGRD_STRMAP_H
#define MSGRD_STRMAP_H

#include <stddef.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
/* Frees the map and its keys; values are left alone. */
void strmap_free(strmap *m);

/* Value for key, or NULL. */
void *strmap_get(const strmap *m, const char *key);
/* Inserts or replaces. Returns 0, or -1 when out of memory (map unchanged). */
int strmap_put(strmap *m, const char *key, void *value);
/* Removes key; returns its value or NULL if absent. */
void *strmap_remove(strmap *m, const char *key);
size_t strmap_count(const strmap *m);

/* Calls fn for every entry; fn must not modify the map. Stops early and
 * returns fn's value when it is non-zero. */
int strmap_foreach(const strmap *m, int (*fn)(const char *key, void *value, void *ud), void *ud);

#endif
