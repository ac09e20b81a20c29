/*
 * json.h - just enough JSON output for msgr: strings escaped (invalid
 * UTF-8 becomes U+FFFD, so the output always parses) and object members.
 */
#ifndef MSGR_CLI_JSON_H
#define MSGR_CLI_JSON_H

#include <stdbool.h>
#include <stdio.h>

/* Writes s as a JSON string literal (NULL writes null). */
void json_string(FILE *f, const char *s);

/* Writes ",\"key\":" (no comma for the first member of an object). */
void json_key(FILE *f, bool *first, const char *key);

/* Member helpers built on json_key. */
void json_member_str(FILE *f, bool *first, const char *key, const char *value);
void json_member_bool(FILE *f, bool *first, const char *key, bool value);
void json_member_int(FILE *f, bool *first, const char *key, long value);

#endif
