/* text.c - numbers and words of the command line (see gandyn/text.h). */
#include "gandyn/text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gdn_parse_double(const char *s, const char *what, double *out,
                     gdn_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || isspace((unsigned char)s[0]))
        return gdn_error_set(err, GDN_EINVAL, "%s: '%s' is not a number", what,
                             s);
    /* strtod also reads C99 hexadecimal ("0x10", "0x1p3"): decimal only */
    if (strpbrk(s, "xX") && isfinite(v))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is not a number (hexadecimal is not "
                             "accepted; write it in decimal)", what, s);
    if (!isfinite(v))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is not a finite number", what, s);
    /* ERANGE with a finite result is an underflow: a subnormal is a
     * number (accepted); a nonzero text that rounds to 0 is refused */
    if (errno == ERANGE && v == 0)
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is too small (nonzero, but below the "
                             "smallest double 4.9e-324: it would read as 0)",
                             what, s);
    *out = v;
    return GDN_OK;
}

int gdn_parse_long(const char *s, const char *what, long lo, long hi,
                   long *out, gdn_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE ||
        isspace((unsigned char)s[0]))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: '%s' is not a whole number", what, s);
    if (v < lo || v > hi)
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: %ld is out of range (accepted: %ld to %ld)",
                             what, v, lo, hi);
    *out = v;
    return GDN_OK;
}

void gdn_format_double(double v, char *buf, size_t size)
{
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Optimal string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions) between a[0..la) and b[0..lb), both at most 63 bytes. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

void gdn_suggest_init(gdn_suggest *s, const char *word)
{
    s->word = word;
    s->best[0] = '\0';
    s->dist = (size_t)-1;
}

void gdn_suggest_add(gdn_suggest *s, const char *cand, size_t len)
{
    size_t lw = strlen(s->word);
    if (lw == 0 || lw > 63 || len == 0 || len > 63 ||
        (len == lw && strncmp(cand, s->word, len) == 0))
        return;
    size_t d = osa_distance(s->word, lw, cand, len);
    /* at most 2 edits, and at most one per three letters of the word, so
     * that a short word is not "corrected" into an unrelated one */
    if (d > 2 || 3 * d > lw + 1 || d >= s->dist)
        return;
    s->dist = d;
    memcpy(s->best, cand, len);
    s->best[len] = '\0';
}

void gdn_suggest_words(gdn_suggest *s, const char *list, char sep)
{
    for (const char *c = list; *c;) {
        const char *e = strchr(c, sep);
        size_t len = e ? (size_t)(e - c) : strlen(c);
        gdn_suggest_add(s, c, len);
        if (!e)
            break;
        c = e + 1;
    }
}

const char *gdn_suggest_text(const gdn_suggest *s, char *buf, size_t size)
{
    if (s->best[0])
        snprintf(buf, size, "did you mean '%s'? ", s->best);
    else if (size)
        buf[0] = '\0';
    return buf;
}
