/*
 * credentials.c - the saved credentials of AutoSignin.
 *
 * File: <config_dir>/credentials, mode 0600 (directory 0700), two lines:
 *   signin <sign-in name>
 *   password <URL-encoded password>
 * A file that group or others may read is refused: the password is only
 * obscured, not encrypted, so its permissions are what protects it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "msnp_url.h"

#define CRED_LINE_MAX 1024

static char *join(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%s", dir, name);
    return p;
}

int credentials_save(const char *dir, const char *signin, const char *pwd)
{
    char *path = join(dir, "credentials"), *tmp = join(dir, ".credentials.tmp");
    char *enc = msnp_url_encode_dup(pwd);
    int rc = -1;
    if (!path || !tmp || !enc || msgr_mkdir_p(dir, 0700) != 0)
        goto out;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        goto out;
    }
    fprintf(f, "signin %s\npassword %s\n", signin, enc);
    if (fflush(f) == 0 && !ferror(f) && fclose(f) == 0)
        rc = rename(tmp, path) == 0 ? 0 : -1;
    else
        fclose(f);
    if (rc != 0)
        unlink(tmp);
out:
    if (enc)
        memset(enc, 0, strlen(enc));
    free(enc);
    free(path);
    free(tmp);
    return rc;
}

/* Copies the value after "<key> " of line (without the newline). */
static char *value_of(const char *line, const char *key)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl) != 0 || line[kl] != ' ')
        return NULL;
    const char *v = line + kl + 1;
    size_t len = strcspn(v, "\r\n");
    char *out = malloc(len + 1);
    if (out) {
        memcpy(out, v, len);
        out[len] = '\0';
    }
    return out;
}

int credentials_load(const char *dir, char **signin, char **pwd)
{
    char *path = join(dir, "credentials");
    struct stat st;
    FILE *f = NULL;
    *signin = *pwd = NULL;
    if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
        (st.st_mode & 077) == 0)
        f = fopen(path, "r");
    free(path);
    if (!f)
        return -1;
    char l1[CRED_LINE_MAX], l2[CRED_LINE_MAX];
    char *enc = NULL;
    if (fgets(l1, sizeof l1, f) && fgets(l2, sizeof l2, f)) {
        *signin = value_of(l1, "signin");
        enc = value_of(l2, "password");
    }
    fclose(f);
    memset(l2, 0, sizeof l2);
    int rc = -1;
    if (*signin && enc && msnp_url_decode_dup(enc, MSNP_URL_STRICT, pwd) == MSNP_OK &&
        check_signin_name(*signin) == MSGR_S_OK && **pwd)
        rc = 0;
    if (enc)
        memset(enc, 0, strlen(enc));
    free(enc);
    if (rc != 0) {
        free(*signin);
        free(*pwd);
        *signin = *pwd = NULL;
    }
    return rc;
}
