/*
 * gandyn/text.h - the numbers and words of a command line: strict number
 * parsing, the shortest text of a number that reads back, did-you-mean
 * suggestions for a misspelled name.
 */
#ifndef GANDYN_TEXT_H
#define GANDYN_TEXT_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strict number: the whole of s, decimal (no hexadecimal "0x10"),
 * finite.  A subnormal (1e-310) is accepted; a nonzero text that
 * underflows to 0 (1e-400) is refused as too small.  GDN_EINVAL otherwise,
 * with a message naming s and what (e.g. "--t-end"). */
GDN_API int gdn_parse_double(const char *s, const char *what, double *out,
                             gdn_error *err);
/* Strict whole number in [lo, hi]. */
GDN_API int gdn_parse_long(const char *s, const char *what, long lo, long hi,
                           long *out, gdn_error *err);

/* Did-you-mean suggestions: the candidate nearest to word by optimal
 * string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), if at most 2 edits away and at most one edit per three
 * letters of word ("nsgn" -> "nsgan", "lamda" -> "lambda", "stpes" ->
 * "steps"; none for "x").  The first of equally near candidates wins. */
typedef struct gdn_suggest {
    const char *word; /* the misspelled token */
    char best[64];    /* the suggestion so far ("" for none) */
    size_t dist;
} gdn_suggest;
GDN_API void gdn_suggest_init(gdn_suggest *s, const char *word);
/* Offers the candidate cand[0..len). */
GDN_API void gdn_suggest_add(gdn_suggest *s, const char *cand, size_t len);
/* Offers every word of list, separated by sep ("a|b|c", '|'). */
GDN_API void gdn_suggest_words(gdn_suggest *s, const char *list, char sep);
/* "did you mean 'nsgan'? " (note the trailing space) or "" into buf. */
GDN_API const char *gdn_suggest_text(const gdn_suggest *s, char *buf, size_t size);

/* Shortest "%.Ng" text of v that reads back as v (for messages). */
GDN_API void gdn_format_double(double v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
