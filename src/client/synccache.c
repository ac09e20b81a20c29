/*
 * synccache.c - the local copy of the contact lists with their version
 * (msnp.md 3.2, 3.11), so that SYN can be answered with the short form.
 *
 * File: <cache_dir>/<sign-in name>.syn, mode 0600, replaced atomically.
 * Text, one record per line, free text URL-encoded by the codec:
 *
 *   msgr-syn 1
 *   version <n>
 *   gtc <A|N>
 *   blp <A|B>
 *   prp <PHH|PHW|PHM> <value>
 *   mob <Y|N>
 *   myname <own friendly name>        (to report a change made elsewhere)
 *   group <gid> <name>
 *   contact <handle> <friendly name> <list bits> <group bit set> <Y|N>
 *   phone <0-2> <value>                (belongs to the contact before it)
 *
 * A file that does not parse is ignored (the SYN then asks for everything).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "msnp_url.h"

#define CACHE_MAGIC "msgr-syn 1"
#define CACHE_LINE_MAX 2048

static char *cache_path(const msgr_messenger *m, const char *suffix)
{
    if (!m->cache_dir || !m->signin || strchr(m->signin, '/'))
        return NULL;
    size_t len = strlen(m->cache_dir) + strlen(m->signin) + strlen(suffix) + 8;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s.syn%s", m->cache_dir, m->signin, suffix);
    return p;
}

static void put_enc(FILE *f, const char *s)
{
    msnp_buf b = MSNP_BUF_INIT;
    if (msnp_url_encode(&b, s, strlen(s)) == MSNP_OK && b.len)
        fputs(b.data, f);
    else
        fputs("%20", f); /* never an empty token */
    msnp_buf_free(&b);
}

static void write_records(const msgr_messenger *m, FILE *f)
{
    fprintf(f, CACHE_MAGIC "\nversion %lu\ngtc %c\nblp %c\nmob %c\n",
            (unsigned long)m->list_version, m->gtc, m->blp_list,
            m->my_mob ? 'Y' : 'N');
    if (m->friendly) {
        fputs("myname ", f);
        put_enc(f, m->friendly);
        fputc('\n', f);
    }
    for (int i = 0; i < PHONE_COUNT; i++) {
        if (!m->my_phones[i])
            continue;
        fprintf(f, "prp %s ", phone_code(i));
        put_enc(f, m->my_phones[i]);
        fputc('\n', f);
    }
    for (size_t i = 0; i < m->ngroups; i++) {
        if (m->groups[i]->gid < 0)
            continue;
        fprintf(f, "group %d ", m->groups[i]->gid);
        put_enc(f, m->groups[i]->name);
        fputc('\n', f);
    }
    for (size_t i = 0; i < m->ncontacts; i++) {
        const msgr_contact *c = m->contacts[i];
        if (!c->lists)
            continue;
        fprintf(f, "contact %s ", c->signin);
        put_enc(f, c->friendly);
        fprintf(f, " %u %lu %c\n", c->lists, (unsigned long)c->groups,
                c->can_page ? 'Y' : 'N');
        for (int k = 0; k < PHONE_COUNT; k++) {
            if (!c->phones[k])
                continue;
            fprintf(f, "phone %d ", k);
            put_enc(f, c->phones[k]);
            fputc('\n', f);
        }
    }
}

int synccache_save(msgr_messenger *m)
{
    char *path = cache_path(m, ""), *tmp = cache_path(m, ".tmp");
    int rc = -1;
    if (!path || !tmp || msgr_mkdir_p(m->cache_dir, 0700) != 0)
        goto out;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        goto out;
    }
    write_records(m, f);
    if (fflush(f) == 0 && !ferror(f) && fclose(f) == 0)
        rc = rename(tmp, path) == 0 ? 0 : -1;
    else
        fclose(f);
    if (rc != 0)
        unlink(tmp);
out:
    free(path);
    free(tmp);
    return rc;
}

static char *dec(const char *s)
{
    char *out = NULL;
    (void)msnp_url_decode_dup(s, MSNP_URL_LENIENT, &out);
    return out;
}

static bool load_prp(msgr_messenger *m, const char *line)
{
    char type[16], value[CACHE_LINE_MAX];
    if (sscanf(line, "prp %15s %2047s", type, value) != 2)
        return false;
    int idx = phone_index_from_code(type);
    if (idx < 0)
        return false;
    free(m->my_phones[idx]);
    m->my_phones[idx] = dec(value);
    return true;
}

static bool load_group(msgr_messenger *m, const char *line)
{
    char enc[CACHE_LINE_MAX];
    unsigned long gid;
    if (sscanf(line, "group %lu %2047s", &gid, enc) != 2 || gid >= 30)
        return false;
    char *name = dec(enc);
    bool ok = name && group_new(m, (int)gid, name);
    free(name);
    return ok;
}

static bool load_contact(msgr_messenger *m, const char *line, msgr_contact **last)
{
    char handle[CACHE_LINE_MAX], enc[CACHE_LINE_MAX], page;
    unsigned long bits, groups;
    if (sscanf(line, "contact %2047s %2047s %lu %lu %c", handle, enc, &bits, &groups,
               &page) != 5 || bits == 0 || bits > 15)
        return false;
    msgr_contact *c = contact_get(m, handle);
    char *name = dec(enc);
    if (!c || !name) {
        free(name);
        return false;
    }
    (void)contact_set_friendly(c, name);
    free(name);
    c->groups = (uint32_t)groups;
    c->can_page = page == 'Y';
    contact_set_lists(c, (unsigned)bits);
    *last = c;
    return true;
}

static bool load_phone(const char *line, msgr_contact *last)
{
    char enc[CACHE_LINE_MAX];
    unsigned long idx;
    if (sscanf(line, "phone %lu %2047s", &idx, enc) != 2 || idx >= PHONE_COUNT || !last)
        return false;
    char *v = dec(enc);
    contact_set_phone(last, (int)idx, v);
    free(v);
    return true;
}

static bool load_name(msgr_messenger *m, const char *line)
{
    char enc[CACHE_LINE_MAX];
    if (sscanf(line, "myname %2047s", enc) != 1)
        return false;
    free(m->prev_friendly);
    m->prev_friendly = dec(enc);
    return true;
}

/* Applies one record; returns false when it is malformed. */
static bool load_record(msgr_messenger *m, const char *line, msgr_contact **last)
{
    char kind[16], flag = 0;
    unsigned long n = 0;
    if (sscanf(line, "%15s", kind) != 1)
        return false;
    if (strcmp(kind, "version") == 0) {
        if (sscanf(line, "version %lu", &n) != 1)
            return false;
        m->list_version = (uint32_t)n;
        return true;
    }
    if (strcmp(kind, "gtc") == 0)
        return sscanf(line, "gtc %c", &m->gtc) == 1;
    if (strcmp(kind, "blp") == 0)
        return sscanf(line, "blp %c", &m->blp_list) == 1;
    if (strcmp(kind, "mob") == 0) {
        if (sscanf(line, "mob %c", &flag) != 1)
            return false;
        m->my_mob = flag == 'Y';
        return true;
    }
    if (strcmp(kind, "myname") == 0)
        return load_name(m, line);
    if (strcmp(kind, "prp") == 0)
        return load_prp(m, line);
    if (strcmp(kind, "group") == 0)
        return load_group(m, line);
    if (strcmp(kind, "contact") == 0)
        return load_contact(m, line, last);
    if (strcmp(kind, "phone") == 0)
        return load_phone(line, *last);
    return false;
}

int synccache_load(msgr_messenger *m)
{
    char *path = cache_path(m, "");
    FILE *f = path ? fopen(path, "r") : NULL;
    free(path);
    if (!f)
        return -1;
    char line[CACHE_LINE_MAX * 2 + 64];
    msgr_contact *last = NULL;
    bool ok = fgets(line, sizeof line, f) && strncmp(line, CACHE_MAGIC, strlen(CACHE_MAGIC)) == 0;
    while (ok && fgets(line, sizeof line, f))
        ok = load_record(m, line, &last);
    fclose(f);
    return ok ? 0 : -1;
}
