/*
 * readers.c - trajectories read back from CSV and JSON (see gandyn/read.h).
 *
 * The whole file is read into memory first.  CSV: a header line of column
 * names, then one line of numbers per sample, cells separated by ',' with
 * nothing around them (a line may end in "\r\n").  JSON: an object with
 * "columns" (an array of strings) and "rows" (an array of arrays of
 * numbers); other keys are ignored.  JSON is read in two passes: the first
 * checks the whole text against the grammar of RFC 8259 (so trailing
 * garbage or a bad escape anywhere is refused) and finds the two keys, the
 * second decodes them.
 *
 * Numbers must have JSON's form, -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
 * which is what "%.17g" writes for finite values; strtod turns them back
 * into the same doubles.  NaN and infinities ("nan", "inf" in CSV, null in
 * JSON) are refused: a recorded trajectory is finite.
 */
#include "gandyn/read.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "gandyn/io.h"

#define TOKEN_MAX 40   /* room for a token quoted in a message */
#define JSON_DEPTH 64  /* deepest nesting accepted */

/* A file being read. */
typedef struct reader {
    const char *path; /* for messages */
    char *buf;        /* the whole file, NUL-terminated */
    size_t len;       /* bytes in buf, terminator excluded */
    gdn_error *err;   /* where failures go */
} reader;

/* ------------------------------------------------------------ messages */

/* Line number (from 1) of byte pos. */
static size_t line_at(const reader *r, size_t pos)
{
    size_t line = 1;
    for (size_t i = 0; i < pos && i < r->len; i++)
        line += r->buf[i] == '\n';
    return line;
}

/* GDN_EINVAL with "'PATH' line L: " and a message. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int bad(const reader *r, size_t pos, const char *fmt, ...)
{
    char msg[GDN_ERRMSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return gdn_error_set(r->err, GDN_EINVAL, "'%s' line %zu: %s", r->path,
                         line_at(r, pos), msg);
}

static int no_memory(const reader *r)
{
    return gdn_error_set(r->err, GDN_ENOMEM, "out of memory reading '%s'",
                         r->path);
}

/* A printable copy of s[0..n) for a message: control bytes become '?',
 * and a long token is cut and ends in "...". */
static const char *excerpt(char out[TOKEN_MAX], const char *s, size_t n)
{
    size_t keep = n < TOKEN_MAX - 4 ? n : TOKEN_MAX - 4, i;
    for (i = 0; i < keep; i++)
        out[i] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
    if (keep < n)
        out[i++] = '.', out[i++] = '.', out[i++] = '.';
    out[i] = '\0';
    return out;
}

/* --------------------------------------------------------------- input */

/* The whole file into r->buf, NUL-terminated (binary: NUL bytes kept). */
static int load_bytes(reader *r)
{
    FILE *fp = fopen(r->path, "rb");
    if (!fp)
        return gdn_error_set(r->err, GDN_EIO, "cannot read '%s': %s", r->path,
                             strerror(errno));
    size_t cap = 1 << 16;
    r->buf = malloc(cap);
    r->len = 0;
    int rc = r->buf ? GDN_OK : no_memory(r);
    while (rc == GDN_OK) {
        if (cap - r->len < 2) {
            char *p = cap <= ((size_t)-1) / 2 ? realloc(r->buf, 2 * cap)
                                                : NULL;
            if (!p) {
                rc = no_memory(r);
                break;
            }
            r->buf = p;
            cap *= 2;
        }
        errno = 0;
        size_t got = fread(r->buf + r->len, 1, cap - r->len - 1, fp);
        r->len += got;
        if (got == 0) {
            if (ferror(fp))
                rc = gdn_error_set(r->err, GDN_EIO, "cannot read '%s': %s",
                                   r->path, errno ? strerror(errno)
                                                  : "read error");
            break;
        }
    }
    fclose(fp);
    if (rc != GDN_OK)
        return rc;
    r->buf[r->len] = '\0';
    return GDN_OK;
}

/* A text file: load_bytes, refusing NUL bytes and an empty file. */
static int load(reader *r)
{
    int rc = load_bytes(r);
    if (rc != GDN_OK)
        return rc;
    if (r->len >= 3 && memcmp(r->buf, "\xef\xbb\xbf", 3) == 0) {
        /* a UTF-8 byte order mark (editors on Windows write one): skipped */
        memmove(r->buf, r->buf + 3, r->len - 2);
        r->len -= 3;
    }
    const char *nul = memchr(r->buf, '\0', r->len);
    if (nul)
        return bad(r, (size_t)(nul - r->buf), "NUL byte in a text file");
    if (r->len == 0)
        return gdn_error_set(r->err, GDN_EINVAL, "'%s': empty file",
                             r->path);
    return GDN_OK;
}

/* Length of the JSON number at s, 0 if s does not start with one. */
static size_t number_len(const char *s)
{
    size_t i = s[0] == '-';
    if (s[i] == '0')
        i++;
    else if (s[i] >= '1' && s[i] <= '9')
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return 0;
    if (s[i] == '.') {
        if (!(s[++i] >= '0' && s[i] <= '9'))
            return 0;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i += s[i + 1] == '+' || s[i + 1] == '-';
        if (!(s[++i] >= '0' && s[i] <= '9'))
            return 0;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return i;
}

/* ------------------------------------------------------------- columns */

/* Does name spell prefix (plen bytes; none when plen is 0) + "_" + player
 * + idx? */
static int is_col(const char *name, const char *prefix, size_t plen,
                  const char *player, size_t idx)
{
    char tail[48];
    if (plen) {
        if (strncmp(name, prefix, plen) != 0 || name[plen] != '_')
            return 0;
        name += plen + 1;
    }
    snprintf(tail, sizeof tail, "%s%zu", player, idx);
    return strcmp(name, tail) == 0;
}

static char *copy_n(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Infers n, the groups and discreteness from ncols column names (the
 * header at byte pos) and initialises tr; the group names go to
 * *gnames / *ng (allocated, owned by the caller even on failure). */
static int parse_columns(const reader *r, size_t pos, char *const *names,
                         size_t ncols, gdn_traj *tr, char ***gnames,
                         size_t *ng)
{
    char tok[TOKEN_MAX];
#define TOK(s) excerpt(tok, (s), strlen(s))
    int discrete = 0;
    if (strcmp(names[0], "step") == 0)
        discrete = 1;
    else if (strcmp(names[0], "t") != 0)
        return bad(r, pos, "first column is '%s', expected 't' or 'step'",
                   TOK(names[0]));
    size_t n = 0;
    while (1 + n < ncols && is_col(names[1 + n], NULL, 0, "phi", n + 1))
        n++;
    if (n == 0)
        return ncols < 2 ? bad(r, pos, "no state columns after '%s'",
                               names[0])
                         : bad(r, pos, "column 2 is '%s', expected 'phi1'",
                               TOK(names[1]));
    size_t m = 2 * n;
    for (size_t i = 0; i < n; i++) {
        size_t col = 1 + n + i;
        if (col >= ncols)
            return bad(r, pos, "missing column 'theta%zu' after '%s'", i + 1,
                       TOK(names[ncols - 1]));
        if (!is_col(names[col], NULL, 0, "theta", i + 1))
            return bad(r, pos, "column %zu is '%s', expected 'theta%zu'",
                       col + 1, TOK(names[col]), i + 1);
    }
    size_t ngroups = (ncols - 1 - m + m - 1) / m;
    if (ngroups) {
        *gnames = calloc(ngroups, sizeof **gnames);
        if (!*gnames)
            return no_memory(r);
        *ng = ngroups;
    }
    for (size_t g = 0; g < ngroups; g++) {
        size_t first = 1 + m * (g + 1);
        const char *name = names[first];
        size_t len = strlen(name);
        if (len <= 5 || strcmp(name + len - 5, "_phi1") != 0)
            return bad(r, pos, "column %zu is '%s', expected "
                       "'<group>_phi1'", first + 1, TOK(name));
        size_t plen = len - 5;
        if (!((*gnames)[g] = copy_n(name, plen)))
            return no_memory(r);
        char want[TOKEN_MAX + 16];
        for (size_t j = 1; j < m; j++) {
            size_t col = first + j;
            const char *player = j < n ? "phi" : "theta";
            size_t idx = (j < n ? j : j - n) + 1;
            snprintf(want, sizeof want, "%s_%s%zu",
                     excerpt(tok, name, plen), player, idx);
            if (col >= ncols)
                return bad(r, pos, "missing column '%s' at the end", want);
            if (!is_col(names[col], name, plen, player, idx)) {
                char got[TOKEN_MAX];
                return bad(r, pos, "column %zu is '%s', expected '%s'",
                           col + 1, excerpt(got, names[col],
                                            strlen(names[col])), want);
            }
        }
    }
#undef TOK
    gdn_traj_init(tr, n, ngroups, discrete);
    return GDN_OK;
}

/* Where column col of sample k goes (the layout of writers.c). */
static double *slot(gdn_traj *tr, size_t k, size_t col)
{
    size_t m = 2 * tr->n;
    if (col == 0)
        return &tr->t[k];
    size_t g = (col - 1) / m, i = (col - 1) % m;
    if (g == 0)
        return &tr->x[k * m + i];
    return &tr->avg[(k * tr->ngroups + g - 1) * m + i];
}

/* Parses the n bytes at s (followed by a byte that ends the number) as the
 * value of column col; pos is s's offset, for messages. */
static int parse_value(const reader *r, size_t pos, const char *s, size_t n,
                       gdn_traj *tr, char *const *gnames, size_t col,
                       double *v)
{
    char tok[TOKEN_MAX], name[GDN_COLNAME_MAX];
    char *end = NULL;
    /* strtod also reads "nan", "inf" and hexadecimal: those get a word of
     * their own when they fill the cell, but only JSON's form is taken */
    *v = n > 0 ? strtod(s, &end) : 0.0;
    int whole = n > 0 && end == s + n;
    if (whole && number_len(s) == n && isfinite(*v))
        return GDN_OK;
    gdn_traj_colname(tr, (const char *const *)gnames, col, name);
    if (whole && !isfinite(*v))
        return bad(r, pos, "non-finite value '%s' in column '%s'",
                   excerpt(tok, s, n), name);
    return bad(r, pos, "'%s' is not a number (column '%s')",
               excerpt(tok, s, n), name);
}

/* Room for nrows samples. */
static int reserve_rows(const reader *r, gdn_traj *tr, size_t nrows)
{
    gdn_error e;
    if (gdn_traj_reserve(tr, nrows, &e) != GDN_OK)
        return no_memory(r);
    return GDN_OK;
}

/* ----------------------------------------------------------------- CSV */

/* The line starting at pos: its content ends at *end ('\r' of "\r\n"
 * excluded), the next line starts at *next. */
static void next_line(const reader *r, size_t pos, size_t *end, size_t *next)
{
    const char *nl = memchr(r->buf + pos, '\n', r->len - pos);
    size_t e = nl ? (size_t)(nl - r->buf) : r->len;
    *next = nl ? e + 1 : e;
    if (e > pos && r->buf[e - 1] == '\r')
        e--;
    *end = e;
}

static int read_csv(reader *r, gdn_traj *tr, char ***gnames, size_t *ng)
{
    size_t end, next;
    next_line(r, 0, &end, &next);
    if (end == 0)
        return bad(r, 0, "empty header line");
    size_t ncols = 1;
    for (size_t i = 0; i < end; i++)
        ncols += r->buf[i] == ',';
    char **names = malloc(ncols * sizeof *names);
    char *header = copy_n(r->buf, end); /* split into names in place */
    int rc = names && header ? GDN_OK : no_memory(r);
    if (rc == GDN_OK) {
        names[0] = header;
        for (size_t i = 0, c = 1; i < end; i++)
            if (header[i] == ',') {
                header[i] = '\0';
                names[c++] = header + i + 1;
            }
        rc = parse_columns(r, 0, names, ncols, tr, gnames, ng);
    }
    free(header);
    free(names);
    if (rc != GDN_OK)
        return rc;

    size_t nrows = 0;
    for (size_t p = next; p < r->len; nrows++) {
        const char *nl = memchr(r->buf + p, '\n', r->len - p);
        p = nl ? (size_t)(nl - r->buf) + 1 : r->len;
    }
    if ((rc = reserve_rows(r, tr, nrows)) != GDN_OK)
        return rc;
    for (size_t k = 0, p = next; p < r->len; k++, p = next) {
        next_line(r, p, &end, &next);
        if (end == p)
            return bad(r, p, "empty line where a row was expected");
        size_t col = 0;
        for (size_t c = p; c <= end; col++) {
            const char *comma = memchr(r->buf + c, ',', end - c);
            size_t e = comma ? (size_t)(comma - r->buf) : end;
            char tok[TOKEN_MAX];
            if (col == gdn_traj_ncols(tr))
                return bad(r, c, "extra cell '%s' (%zu columns expected)",
                           excerpt(tok, r->buf + c, e - c), col);
            double v;
            rc = parse_value(r, c, r->buf + c, e - c, tr, *gnames, col, &v);
            if (rc != GDN_OK)
                return rc;
            *slot(tr, k, col) = v;
            c = e + 1;
        }
        if (col < gdn_traj_ncols(tr))
            return bad(r, end, "row has %zu cells, expected %zu", col,
                       gdn_traj_ncols(tr));
        tr->count++;
    }
    return GDN_OK;
}

/* ---------------------------------------------------------------- JSON */

static void skip_ws(const reader *r, size_t *pos)
{
    while (*pos < r->len && (r->buf[*pos] == ' ' || r->buf[*pos] == '\t' ||
                             r->buf[*pos] == '\n' || r->buf[*pos] == '\r'))
        (*pos)++;
}

/* "expected WHAT, found 'TOKEN'" (or the end of the file) at pos. */
static int unexpected(const reader *r, size_t pos, const char *what)
{
    if (pos >= r->len)
        return bad(r, pos, "unexpected end of file, expected %s", what);
    const char *s = r->buf + pos;
    size_t n = 1;
    if (!strchr(",:[]{}", s[0]))
        while (pos + n < r->len && !strchr(" \t\r\n,:[]{}", s[n]))
            n++;
    char tok[TOKEN_MAX];
    return bad(r, pos, "expected %s, found '%s'", what, excerpt(tok, s, n));
}

static int hex4(const char *s, unsigned *u)
{
    *u = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return 0;
        *u = *u << 4 | d;
    }
    return 1;
}

/* Appends code point u as UTF-8 at out (when out is not NULL). */
static size_t put_utf8(char *out, unsigned u)
{
    unsigned char b[4];
    size_t n;
    if (u < 0x80)
        b[0] = (unsigned char)u, n = 1;
    else if (u < 0x800)
        b[0] = (unsigned char)(0xc0 | u >> 6),
        b[1] = (unsigned char)(0x80 | (u & 0x3f)), n = 2;
    else if (u < 0x10000)
        b[0] = (unsigned char)(0xe0 | u >> 12),
        b[1] = (unsigned char)(0x80 | (u >> 6 & 0x3f)),
        b[2] = (unsigned char)(0x80 | (u & 0x3f)), n = 3;
    else
        b[0] = (unsigned char)(0xf0 | u >> 18),
        b[1] = (unsigned char)(0x80 | (u >> 12 & 0x3f)),
        b[2] = (unsigned char)(0x80 | (u >> 6 & 0x3f)),
        b[3] = (unsigned char)(0x80 | (u & 0x3f)), n = 4;
    if (out)
        memcpy(out, b, n);
    return n;
}

/* The string at *pos (which is '"'), decoded into out when not NULL (out
 * needs as many bytes as the raw string; the result is NUL-terminated). */
static int j_string(const reader *r, size_t *pos, char *out)
{
    char tok[TOKEN_MAX];
    size_t p = *pos + 1, o = 0;
    for (;;) {
        if (p >= r->len)
            return bad(r, *pos, "unterminated string");
        unsigned char c = (unsigned char)r->buf[p];
        if (c == '"')
            break;
        if (c < 0x20)
            return bad(r, p, "control character 0x%02x in a string", c);
        if (c != '\\') {
            if (out)
                out[o] = (char)c;
            o++, p++;
            continue;
        }
        static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
        const char *e = r->buf + p + 1;
        const char *plain = *e ? strchr(from, *e) : NULL;
        if (plain) {
            if (out)
                out[o] = to[plain - from];
            o++, p += 2;
            continue;
        }
        unsigned u, lo;
        if (*e != 'u' || !hex4(e + 1, &u)) {
            size_t n = *e == 'u' ? 6 : 2;
            return bad(r, p, "bad escape '%s' in a string",
                       excerpt(tok, e - 1, n < r->len - p ? n : r->len - p));
        }
        size_t used = 6;
        if (u >= 0xdc00 && u <= 0xdfff)
            return bad(r, p, "lone surrogate '%s' in a string",
                       excerpt(tok, e - 1, 6));
        if (u >= 0xd800 && u <= 0xdbff) {
            if (e[5] != '\\' || e[6] != 'u' || !hex4(e + 7, &lo) ||
                lo < 0xdc00 || lo > 0xdfff)
                return bad(r, p, "lone surrogate '%s' in a string",
                           excerpt(tok, e - 1, 6));
            u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
            used = 12;
        }
        if (u == 0)
            return bad(r, p, "NUL character '\\u0000' in a string");
        o += put_utf8(out ? out + o : NULL, u);
        p += used;
    }
    if (out)
        out[o] = '\0';
    *pos = p + 1;
    return GDN_OK;
}

/* Checks the value at *pos and moves past it; *nitems gets the element
 * count of an array (0 for other values). */
static int j_value(const reader *r, size_t *pos, int depth, size_t *nitems)
{
    *nitems = 0;
    skip_ws(r, pos);
    if (*pos >= r->len)
        return unexpected(r, *pos, "a value");
    const char *s = r->buf + *pos;
    if (*s == '"')
        return j_string(r, pos, NULL);
    if (*s == '-' || (*s >= '0' && *s <= '9')) {
        size_t n = number_len(s);
        char next = s[n];
        if (n == 0 || (next >= '0' && next <= '9') ||
            (next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') ||
            next == '.' || next == '+' || next == '-')
            return unexpected(r, *pos, "a number"); /* "01", "1.", "1e" */
        *pos += n;
        return GDN_OK;
    }
    static const char *const words[] = {"true", "false", "null"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if (strncmp(s, words[i], n) == 0) {
            *pos += n;
            return GDN_OK;
        }
    }
    if (*s != '[' && *s != '{')
        return unexpected(r, *pos, "a value");
    if (depth >= JSON_DEPTH)
        return bad(r, *pos, "nesting deeper than %d levels", JSON_DEPTH);
    char close = *s == '[' ? ']' : '}';
    (*pos)++;
    skip_ws(r, pos);
    if (*pos < r->len && r->buf[*pos] == close) {
        (*pos)++;
        return GDN_OK;
    }
    for (;;) {
        size_t sub;
        int rc;
        if (close == '}') {
            skip_ws(r, pos);
            if (*pos >= r->len || r->buf[*pos] != '"')
                return unexpected(r, *pos, "a key");
            if ((rc = j_string(r, pos, NULL)) != GDN_OK)
                return rc;
            skip_ws(r, pos);
            if (*pos >= r->len || r->buf[*pos] != ':')
                return unexpected(r, *pos, "':'");
            (*pos)++;
        }
        if ((rc = j_value(r, pos, depth + 1, &sub)) != GDN_OK)
            return rc;
        (*nitems)++;
        skip_ws(r, pos);
        if (*pos < r->len && r->buf[*pos] == ',') {
            (*pos)++;
            continue;
        }
        if (*pos < r->len && r->buf[*pos] == close) {
            (*pos)++;
            if (close == '}')
                *nitems = 0;
            return GDN_OK;
        }
        return unexpected(r, *pos, close == ']' ? "',' or ']'"
                                                : "',' or '}'");
    }
}

/* Where the two keys' values start, and their element counts. */
typedef struct json_doc {
    size_t columns, rows;   /* offsets; 0 when the key is absent */
    size_t ncols, nrows;    /* elements of each array */
} json_doc;

/* Pass 1: the whole text is one object; finds "columns" and "rows". */
static int json_scan(reader *r, json_doc *d)
{
    size_t pos = 0, nitems;
    memset(d, 0, sizeof *d);
    skip_ws(r, &pos);
    if (pos >= r->len)
        return gdn_error_set(r->err, GDN_EINVAL, "'%s': empty file",
                             r->path);
    if (r->buf[pos] != '{')
        return unexpected(r, pos, "'{'");
    size_t start = pos;
    int rc = j_value(r, &pos, 0, &nitems);
    if (rc != GDN_OK)
        return rc;
    size_t end = pos;
    skip_ws(r, &pos);
    if (pos < r->len)
        return unexpected(r, pos, "the end of the file");
    /* the object is valid: walk its keys again */
    pos = start + 1;
    for (;;) {
        skip_ws(r, &pos);
        if (r->buf[pos] == '}')
            break;
        size_t kpos = pos;
        j_string(r, &pos, NULL); /* valid: finds the raw length */
        char *key = malloc(pos - kpos);
        if (!key)
            return no_memory(r);
        pos = kpos;
        j_string(r, &pos, key);
        int which = !strcmp(key, "columns") ? 1 : !strcmp(key, "rows") ? 2 : 0;
        free(key);
        skip_ws(r, &pos);
        pos++; /* ':' */
        skip_ws(r, &pos);
        size_t vpos = pos;
        j_value(r, &pos, 1, &nitems);
        size_t *where = which == 1 ? &d->columns : &d->rows;
        if (which) {
            if (*where)
                return bad(r, kpos, "duplicate key '%s'",
                           which == 1 ? "columns" : "rows");
            *where = vpos;
            *(which == 1 ? &d->ncols : &d->nrows) = nitems;
        }
        skip_ws(r, &pos);
        if (r->buf[pos] == ',')
            pos++;
    }
    if (!d->columns)
        return bad(r, end - 1, "no \"columns\" key in the object");
    if (!d->rows)
        return bad(r, end - 1, "no \"rows\" key in the object");
    return GDN_OK;
}

/* Pass 2: decodes the column names into a NULL-terminated array. */
static int json_columns(reader *r, const json_doc *d, char ***names)
{
    size_t pos = d->columns, n;
    if (r->buf[pos] != '[')
        return unexpected(r, pos, "an array of column names");
    if (d->ncols == 0)
        return bad(r, pos, "no columns");
    *names = calloc(d->ncols + 1, sizeof **names);
    if (!*names)
        return no_memory(r);
    pos++;
    for (size_t c = 0; c < d->ncols; c++) {
        skip_ws(r, &pos);
        if (r->buf[pos] != '"')
            return unexpected(r, pos, "a column name");
        size_t start = pos;
        j_value(r, &pos, 1, &n); /* valid: finds the raw length */
        if (!((*names)[c] = malloc(pos - start)))
            return no_memory(r);
        pos = start;
        j_string(r, &pos, (*names)[c]);
        skip_ws(r, &pos);
        pos++; /* ',' or ']' */
    }
    return GDN_OK;
}

/* Pass 2: the rows, each an array of ncols finite numbers. */
static int json_rows(reader *r, const json_doc *d, gdn_traj *tr,
                     char *const *gnames)
{
    size_t pos = d->rows, ncols = gdn_traj_ncols(tr);
    char tok[TOKEN_MAX];
    if (r->buf[pos] != '[')
        return unexpected(r, pos, "an array of rows");
    int rc = reserve_rows(r, tr, d->nrows);
    if (rc != GDN_OK)
        return rc;
    pos++;
    for (size_t k = 0; k < d->nrows; k++) {
        skip_ws(r, &pos);
        if (r->buf[pos] != '[') {
            size_t start = pos, n;
            j_value(r, &pos, 1, &n);
            return bad(r, start, "row %zu is '%s', not an array of numbers",
                       k + 1, excerpt(tok, r->buf + start, pos - start));
        }
        pos++;
        skip_ws(r, &pos);
        size_t col = 0;
        while (r->buf[pos] != ']') {
            size_t start = pos, n;
            j_value(r, &pos, 1, &n); /* valid: finds the value's end */
            if (col == ncols)
                return bad(r, start, "row %zu: extra value '%s' (%zu "
                           "columns expected)", k + 1,
                           excerpt(tok, r->buf + start, pos - start), ncols);
            double v;
            if (!strncmp(r->buf + start, "null", 4) && pos - start == 4) {
                char name[GDN_COLNAME_MAX];
                gdn_traj_colname(tr, (const char *const *)gnames, col, name);
                return bad(r, start, "non-finite value 'null' in column "
                           "'%s'", name);
            }
            rc = parse_value(r, start, r->buf + start, pos - start, tr,
                             gnames, col, &v);
            if (rc != GDN_OK)
                return rc;
            *slot(tr, k, col++) = v;
            skip_ws(r, &pos);
            if (r->buf[pos] == ',')
                pos++;
            skip_ws(r, &pos);
        }
        if (col < ncols)
            return bad(r, pos, "row %zu has %zu values, expected %zu", k + 1,
                       col, ncols);
        pos++; /* ']' */
        skip_ws(r, &pos);
        pos++; /* ',' or ']' */
        tr->count++;
    }
    return GDN_OK;
}

static int read_json(reader *r, gdn_traj *tr, char ***gnames, size_t *ng)
{
    json_doc d;
    char **names = NULL;
    int rc = json_scan(r, &d);
    if (rc == GDN_OK)
        rc = json_columns(r, &d, &names);
    if (rc == GDN_OK)
        rc = parse_columns(r, d.columns, names, d.ncols, tr, gnames, ng);
    if (rc == GDN_OK)
        rc = json_rows(r, &d, tr, *gnames);
    gdn_names_free(names, d.ncols);
    return rc;
}

/* ----------------------------------------------------------------- NPY */

/* A .npy written by 'gandyn simulate --out RUN.npy': NumPy format 1.0 or
 * 2.0, '<f8', C order, shape (rows, cols), the column names in the
 * sidecar RUN.npy.json ({"columns": [...], "rows": N, ...}). */
static int read_npy(reader *r, gdn_traj *tr, char ***gnames, size_t *ng)
{
    char side[4200];
    snprintf(side, sizeof side, "%s.json", r->path);
    reader s = {side, NULL, 0, r->err};
    FILE *probe = fopen(side, "rb");
    if (!probe)
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': no sidecar '%s' with the column names "
                             "(simulate --out writes it beside the .npy)",
                             r->path, side);
    fclose(probe);
    json_doc d;
    char **names = NULL;
    int rc = load(&s);
    if (rc == GDN_OK)
        rc = json_scan(&s, &d);
    if (rc == GDN_OK)
        rc = json_columns(&s, &d, &names);
    if (rc == GDN_OK)
        rc = parse_columns(&s, d.columns, names, d.ncols, tr, gnames, ng);
    double srows = rc == GDN_OK ? strtod(s.buf + d.rows, NULL) : 0;
    gdn_names_free(names, d.ncols);
    free(s.buf);
    if (rc != GDN_OK)
        return rc;
    /* the header */
    const unsigned char *b = (const unsigned char *)r->buf;
    size_t off, hlen;
    if (r->len < 12 || memcmp(b, "\x93NUMPY", 6) != 0)
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': not a .npy file (no \\x93NUMPY magic)",
                             r->path);
    if (b[6] == 1)
        hlen = (size_t)b[8] | (size_t)b[9] << 8, off = 10;
    else if (b[6] == 2 || b[6] == 3)
        hlen = (size_t)b[8] | (size_t)b[9] << 8 | (size_t)b[10] << 16 |
               (size_t)b[11] << 24,
        off = 12;
    else
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': .npy version %d (accepted: 1 to 3)",
                             r->path, b[6]);
    if (hlen > r->len - off)
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': truncated .npy header", r->path);
    char head[512];
    snprintf(head, sizeof head, "%.*s", (int)(hlen < 511 ? hlen : 511),
             r->buf + off);
    const char *shape = strstr(head, "'shape': (");
    unsigned long rows = 0, cols = 0;
    if (!strstr(head, "'descr': '<f8'") ||
        !strstr(head, "'fortran_order': False") || !shape ||
        sscanf(shape, "'shape': (%lu, %lu)", &rows, &cols) != 2)
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': a .npy of float64 rows is needed "
                             "('<f8', C order, 2-D shape)", r->path);
    size_t ncols = gdn_traj_ncols(tr);
    if (cols != ncols || (double)rows != srows)
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': shape (%lu, %lu), but its sidecar has "
                             "%zu columns and %.0f rows", r->path, rows, cols,
                             ncols, srows);
    off += hlen;
    if ((cols && rows > (r->len - off) / 8 / cols) ||
        (r->len - off) != (size_t)rows * cols * 8)
        return gdn_error_set(r->err, GDN_EINVAL,
                             "'%s': %zu data bytes for shape (%lu, %lu)",
                             r->path, r->len - off, rows, cols);
    if ((rc = reserve_rows(r, tr, rows)) != GDN_OK)
        return rc;
    const unsigned char *p = b + off;
    for (size_t k = 0; k < rows; k++) {
        for (size_t c = 0; c < cols; c++, p += 8) {
            uint64_t u = 0;
            for (int q = 7; q >= 0; q--) /* little-endian */
                u = u << 8 | p[q];
            double v;
            memcpy(&v, &u, sizeof v);
            if (!isfinite(v)) {
                char name[GDN_COLNAME_MAX];
                gdn_traj_colname(tr, (const char *const *)*gnames, c, name);
                return gdn_error_set(r->err, GDN_EINVAL,
                                     "'%s': non-finite value in row %zu, "
                                     "column '%s'", r->path, k + 1, name);
            }
            *slot(tr, k, c) = v;
        }
        tr->count++;
    }
    return GDN_OK;
}

/* ---------------------------------------------------------------- API */

int gdn_traj_read(const char *path, gdn_traj *tr, char ***group_names,
                  size_t *ngroups_names, gdn_error *err)
{
    gdn_traj_init(tr, 0, 0, 0);
    *group_names = NULL;
    *ngroups_names = 0;
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (dot && slash && dot < slash)
        dot = NULL;
    int fmt = -1;
    if (dot && strcmp(dot, ".csv") == 0)
        fmt = GDN_FMT_CSV;
    else if (dot && strcmp(dot, ".json") == 0)
        fmt = GDN_FMT_JSON;
    else if (dot && strcmp(dot, ".npy") == 0)
        fmt = GDN_FMT_NPY;
    else
        return gdn_error_set(err, GDN_EINVAL, "'%s': unknown trajectory "
                             "format (accepted extensions: .csv, .json, "
                             ".npy)", path);
    reader r = {path, NULL, 0, err};
    int rc = fmt == GDN_FMT_NPY ? load_bytes(&r) : load(&r);
    if (rc == GDN_OK)
        rc = fmt == GDN_FMT_CSV   ? read_csv(&r, tr, group_names, ngroups_names)
             : fmt == GDN_FMT_NPY ? read_npy(&r, tr, group_names,
                                             ngroups_names)
                                  : read_json(&r, tr, group_names,
                                              ngroups_names);
    free(r.buf);
    if (rc != GDN_OK) {
        gdn_traj_release(tr);
        gdn_traj_init(tr, 0, 0, 0);
        gdn_names_free(*group_names, *ngroups_names);
        *group_names = NULL;
        *ngroups_names = 0;
    }
    return rc;
}

void gdn_names_free(char **names, size_t count)
{
    if (!names)
        return;
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}
