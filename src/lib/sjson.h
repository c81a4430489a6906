/*
 * sjson.h - a small JSON tree for files people edit and we rewrite:
 * Claude Code's settings.json (install-hook).  Parse keeps every member in
 * its order and every scalar as the exact text it had (numbers, string
 * escapes), so a rewrite changes only what the caller changed.  Writes
 * indent with two spaces, as `JSON.stringify(v, null, 2)` does.
 * Pure (libc only); bounded by LIM_SJSON_DEPTH and the caller's input.
 */
#ifndef AUDITSHIP_SJSON_H
#define AUDITSHIP_SJSON_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define LIM_SJSON_DEPTH	64
#define LIM_SJSON_FILE	(4u << 20)	/* settings file we agree to parse */

enum sj_type { SJ_NULL, SJ_BOOL, SJ_NUM, SJ_STR, SJ_ARR, SJ_OBJ };

struct sj {
	enum sj_type	 type;
	char		*key;	/* member name as JSON text ("\"k\""), or NULL */
	char		*text;	/* scalars: their JSON text (strings quoted) */
	struct sj	*child;	/* arrays, objects: first element / member */
	struct sj	*next;	/* next sibling */
};

/* Parse exactly one JSON value (whitespace around it allowed).  -1 with
 * "line L column C: what" in e. */
int	sj_parse(const char *s, size_t n, struct sj **out, struct err *e);
void	sj_free(struct sj *v);
/* Append v, two-space indented, followed by "\n". */
int	sj_write(const struct sj *v, struct buf *out);

/* Builders (NULL when out of memory).  sj_str escapes s (UTF-8). */
struct sj *sj_new(enum sj_type type);
struct sj *sj_str(const char *s);
struct sj *sj_num(long long v);
/* Object member named key (plain text, no quotes), or NULL. */
struct sj *sj_get(const struct sj *obj, const char *key);
/* Add v at the end of arr/obj (key: plain text for objects, else NULL). */
int	sj_add(struct sj *parent, const char *key, struct sj *v);
/* Unlink v from parent and free it. */
void	sj_remove(struct sj *parent, struct sj *v);
/* The decoded value of a string node into out (NUL-terminated, -1 when
 * it is not a string or does not fit). */
int	sj_string(const struct sj *v, char *out, size_t outsz);
/* 1 when a and b have the same structure, names and values. */
int	sj_equal(const struct sj *a, const struct sj *b);

#endif
