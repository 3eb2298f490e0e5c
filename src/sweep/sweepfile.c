/*
 * sweepfile.c - the files of a sweep (see gandyn/sweepfile.h): the starts
 * of --init-file, the manifest of OUT.parts/, the chunk headers.
 *
 * No fixed-size buffer holds any input: lines, tokens and manifests grow
 * as needed.  Messages are cut to one line of GDN_ERRMSG_MAX bytes.
 */
#include "gandyn/sweepfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "gandyn/spec.h"

uint64_t gdn_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---------------------------------------------------------------- starts */

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The line number of offset off of buf (1-based). */
static size_t line_of(const char *buf, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += buf[i] == '\n';
    return line;
}

/* Parses one line s[0..ll) (its line end and comment cut off, not blank)
 * into out (m values; NULL: only checked); *tok, *tcap a scratch token
 * that grows as needed. */
static int parse_line(const char *s, size_t ll, const char *name,
                      size_t lineno, size_t m, double *out, char **tok,
                      size_t *tcap, gdn_error *err)
{
    const char *e = s + ll;
    size_t k = 0;
    while (s < e && is_blank(*s))
        s++;
    for (;;) {
        if (s == e || *s == ',')
            return gdn_error_set(err, GDN_EINVAL,
                                 "'%s' line %zu: empty field %zu (accepted: "
                                 "%zu numbers between commas or blanks)",
                                 name, lineno, k + 1, m);
        const char *t = s;
        while (s < e && *s != ',' && !is_blank(*s))
            s++;
        size_t tl = (size_t)(s - t);
        if (tl + 1 > *tcap) {
            size_t ncap = 2 * (tl + 1);
            char *q = realloc(*tok, ncap);
            if (!q)
                return gdn_error_set(err, GDN_ENOMEM, "out of memory");
            *tok = q, *tcap = ncap;
        }
        memcpy(*tok, t, tl);
        (*tok)[tl] = '\0';
        double v = 0;
        const char *d = *tok + (**tok == '+' || **tok == '-');
        if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X'))
            return gdn_error_set(err, GDN_EINVAL,
                                 "'%s' line %zu: '%s' is a hexadecimal "
                                 "number (accepted: decimal numbers)",
                                 name, lineno, *tok);
        char what[256];
        snprintf(what, sizeof what, "'%s' line %zu", name, lineno);
        if (gdn_parse_double(*tok, what, &v, err))
            return GDN_EINVAL;
        if (k < m && out)
            out[k] = v;
        k++;
        while (s < e && is_blank(*s))
            s++;
        if (s == e)
            break;
        if (*s == ',') { /* a comma: a field must follow */
            s++;
            while (s < e && is_blank(*s))
                s++;
            if (s == e || *s == ',')
                return gdn_error_set(err, GDN_EINVAL,
                                     "'%s' line %zu: empty field %zu "
                                     "(accepted: %zu numbers between commas "
                                     "or blanks)",
                                     name, lineno, k + 1, m);
        }
    }
    if (k != m)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' line %zu: %zu values, %zu expected", name,
                             lineno, k, m);
    return GDN_OK;
}

/* Line s[0..ll) without its "\r" and comment: its length, 0 when blank. */
static size_t line_body(const char *s, size_t ll)
{
    if (ll > 0 && s[ll - 1] == '\r')
        ll--;
    const char *hash = memchr(s, '#', ll);
    if (hash)
        ll = (size_t)(hash - s);
    size_t b = 0;
    while (b < ll && is_blank(s[b]))
        b++;
    return b == ll ? 0 : ll;
}

int gdn_sweep_starts_parse(const char *buf, size_t len, const char *name,
                           size_t m, double **pts, size_t *np,
                           gdn_error *err)
{
    if (m == 0)
        return gdn_error_set(err, GDN_EINVAL, "'%s': 0 numbers per start",
                             name);
    const char *nul = memchr(buf, '\0', len);
    if (nul)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' line %zu: a NUL byte (expected a text file "
                             "of numbers)", name,
                             line_of(buf, (size_t)(nul - buf)));
    size_t pos = 0, lineno = 0, count = 0, cap = 0, tcap = 0;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) /* a UTF-8 BOM */
        pos = 3;
    double *p = NULL;
    char *tok = NULL;
    int rc = GDN_OK;
    while (pos < len && !rc) {
        lineno++;
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - s) : len - pos;
        pos += ll + (nl != NULL);
        if (!(ll = line_body(s, ll)))
            continue; /* blank or a comment */
        if (count == cap) {
            size_t ncap = cap ? 2 * cap : 64;
            if (ncap > (size_t)-1 / m / sizeof *p) {
                rc = gdn_error_set(err, GDN_ENOMEM, "'%s': too many starts",
                                   name);
                break;
            }
            double *q = realloc(p, ncap * m * sizeof *q);
            if (!q) {
                rc = gdn_error_set(err, GDN_ENOMEM, "out of memory");
                break;
            }
            p = q, cap = ncap;
        }
        rc = parse_line(s, ll, name, lineno, m, p + count * m, &tok, &tcap,
                        err);
        if (rc)
            break;
        count++;
    }
    free(tok);
    if (!rc && count == 0)
        rc = gdn_error_set(err, GDN_EINVAL, "'%s': no points", name);
    if (rc) {
        free(p);
        return rc;
    }
    *pts = p, *np = count;
    return GDN_OK;
}

/* ------------------------------------------------- starts, streamed */

struct gdn_starts_reader {
    FILE *fp;
    char *name;      /* the path, for messages */
    size_t m;
    char *buf;       /* buf[pos..len) read, not yet consumed */
    size_t cap, len, pos;
    int eof, started;
    size_t lineno;   /* lines consumed */
    uint64_t hash;   /* of the bytes read so far */
    size_t size;
    char *tok;
    size_t tcap;
};

void gdn_starts_close(gdn_starts_reader *r)
{
    if (!r)
        return;
    if (r->fp)
        fclose(r->fp);
    free(r->name), free(r->buf), free(r->tok), free(r);
}

gdn_starts_reader *gdn_starts_open(const char *path, size_t m, gdn_error *err)
{
    if (m == 0) {
        gdn_error_set(err, GDN_EINVAL, "'%s': 0 numbers per start", path);
        return NULL;
    }
    gdn_starts_reader *r = calloc(1, sizeof *r);
    size_t pl = strlen(path);
    if (!r || !(r->name = malloc(pl + 1))) {
        free(r);
        gdn_error_set(err, GDN_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(r->name, path, pl + 1);
    r->m = m;
    r->hash = GDN_FNV_INIT;
    if (!(r->fp = fopen(path, "rb"))) {
        gdn_error_set(err, GDN_EIO, "cannot read '%s': %s", path,
                      strerror(errno));
        gdn_starts_close(r);
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(r->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        gdn_error_set(err, GDN_EIO,
                      "cannot read '%s': it is a directory (expected a file "
                      "of starts)", path);
        gdn_starts_close(r);
        return NULL;
    }
    return r;
}

/* More bytes into buf (growing it when a line fills it): 0 at the end of
 * the file, -1 on a read error, else 1. */
static int fill(gdn_starts_reader *r, gdn_error *err)
{
    if (r->eof)
        return 0;
    if (r->pos > 0) { /* drop what was consumed */
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos, r->pos = 0;
    }
    if (r->len == r->cap) {
        size_t ncap = r->cap ? 2 * r->cap : 65536;
        char *q = ncap > r->cap ? realloc(r->buf, ncap) : NULL;
        if (!q)
            return gdn_error_set(err, GDN_ENOMEM, "'%s': out of memory",
                                 r->name), -1;
        r->buf = q, r->cap = ncap;
    }
    size_t got = fread(r->buf + r->len, 1, r->cap - r->len, r->fp);
    if (got == 0) {
        if (ferror(r->fp))
            return gdn_error_set(err, GDN_EIO, "cannot read '%s': %s",
                                 r->name, strerror(errno)), -1;
        r->eof = 1;
        return 0;
    }
    r->hash = gdn_fnv1a(r->hash, r->buf + r->len, got);
    r->size += got;
    r->len += got;
    return 1;
}

/* The next line: *s, *ll (without its "\n"); 0 at the end, -1 on error. */
static int next_line(gdn_starts_reader *r, const char **s, size_t *ll,
                     gdn_error *err)
{
    for (;;) {
        if (!r->started && (r->len - r->pos >= 3 || r->eof)) {
            r->started = 1; /* a UTF-8 BOM, at the very start only */
            if (r->len - r->pos >= 3 &&
                !memcmp(r->buf + r->pos, "\xEF\xBB\xBF", 3))
                r->pos += 3;
        }
        const char *b = r->buf + r->pos;
        const char *nl = r->started && r->len > r->pos
                             ? memchr(b, '\n', r->len - r->pos)
                             : NULL;
        if (nl || (r->eof && r->started && r->len > r->pos)) {
            *s = b;
            *ll = nl ? (size_t)(nl - b) : r->len - r->pos;
            r->pos += *ll + (nl != NULL);
            r->lineno++;
            return 1;
        }
        if (r->eof && r->started)
            return 0;
        int f = fill(r, err);
        if (f < 0)
            return -1;
    }
}

int gdn_starts_next(gdn_starts_reader *r, size_t count, double *out,
                    gdn_error *err)
{
    for (size_t got = 0; got < count;) {
        const char *s;
        size_t ll;
        int nl = next_line(r, &s, &ll, err);
        if (nl < 0)
            return err ? err->code : GDN_EIO;
        if (nl == 0)
            return gdn_error_set(err, GDN_EINVAL,
                                 "'%s': %zu starts too few (it changed during "
                                 "the sweep?)", r->name, count - got);
        const char *nul = memchr(s, '\0', ll);
        if (nul)
            return gdn_error_set(err, GDN_EINVAL,
                                 "'%s' line %zu: a NUL byte (expected a text "
                                 "file of numbers)", r->name, r->lineno);
        if (!(ll = line_body(s, ll)))
            continue;
        int rc = parse_line(s, ll, r->name, r->lineno, r->m,
                            out ? out + got * r->m : NULL, &r->tok, &r->tcap,
                            err);
        if (rc)
            return rc;
        got++;
    }
    return GDN_OK;
}

int gdn_starts_finish(gdn_starts_reader *r, uint64_t *hash, size_t *size,
                      gdn_error *err)
{
    int f;
    r->pos = r->len; /* the rest is only hashed */
    while ((f = fill(r, err)) > 0)
        r->pos = r->len;
    if (f < 0)
        return err ? err->code : GDN_EIO;
    if (hash)
        *hash = r->hash;
    if (size)
        *size = r->size;
    return GDN_OK;
}

int gdn_sweep_starts_scan(const char *path, size_t m, size_t *np,
                          uint64_t *hash, size_t *size, gdn_error *err)
{
    gdn_starts_reader *r = gdn_starts_open(path, m, err);
    if (!r)
        return err ? err->code : GDN_EIO;
    /* as gdn_sweep_starts_parse on the whole file: a NUL byte anywhere is
     * the error, else the first bad line; every byte is hashed */
    size_t count = 0, nul_line = 0;
    gdn_error bad = {0};
    int rc = GDN_OK;
    for (;;) {
        const char *s;
        size_t ll;
        int nl = next_line(r, &s, &ll, err);
        if (nl < 0) {
            rc = err ? err->code : GDN_EIO;
            break;
        }
        if (nl == 0)
            break;
        if (!nul_line && memchr(s, '\0', ll))
            nul_line = r->lineno;
        if (bad.code || nul_line || !(ll = line_body(s, ll)))
            continue;
        if (parse_line(s, ll, r->name, r->lineno, m, NULL, &r->tok,
                       &r->tcap, &bad) == GDN_ENOMEM) {
            rc = gdn_error_set(err, GDN_ENOMEM, "out of memory");
            break;
        }
        count += bad.code == GDN_OK;
    }
    if (!rc && nul_line)
        rc = gdn_error_set(err, GDN_EINVAL,
                           "'%s' line %zu: a NUL byte (expected a text file "
                           "of numbers)", path, nul_line);
    else if (!rc && bad.code) {
        rc = bad.code;
        if (err)
            *err = bad;
    } else if (!rc && count == 0)
        rc = gdn_error_set(err, GDN_EINVAL, "'%s': no points", path);
    if (!rc) {
        *np = count;
        if (hash)
            *hash = r->hash;
        if (size)
            *size = r->size;
    }
    gdn_starts_close(r);
    return rc;
}

int gdn_sweep_starts_read(const char *path, size_t m, double **pts,
                          size_t *np, uint64_t *hash, size_t *size,
                          gdn_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return gdn_error_set(err, GDN_EIO, "cannot read '%s': %s", path,
                             strerror(errno));
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(fp);
        return gdn_error_set(err, GDN_EIO,
                             "cannot read '%s': it is a directory (expected "
                             "a file of starts)", path);
    }
    size_t len = 0, cap = 0;
    char *buf = NULL;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *q = ncap > cap ? realloc(buf, ncap) : NULL;
            if (!q) {
                free(buf);
                fclose(fp);
                return gdn_error_set(err, GDN_ENOMEM,
                                     "'%s': out of memory", path);
            }
            buf = q, cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    int bad = ferror(fp);
    int e = errno;
    fclose(fp);
    if (bad) {
        free(buf);
        return gdn_error_set(err, GDN_EIO, "cannot read '%s': %s", path,
                             strerror(e));
    }
    if (hash)
        *hash = gdn_fnv1a(GDN_FNV_INIT, buf, len);
    if (size)
        *size = len;
    int rc = gdn_sweep_starts_parse(buf, len, path, m, pts, np, err);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------- manifest */

static const char manifest_magic[] = "gandyn sweep manifest 2\n";

void gdn_manifest_init(gdn_manifest *m) { memset(m, 0, sizeof *m); }

void gdn_manifest_free(gdn_manifest *m)
{
    for (size_t i = 0; i < m->count; i++)
        free(m->key[i]), free(m->value[i]);
    free(m->key), free(m->value);
    gdn_manifest_init(m);
}

/* Appends an entry taking ownership of key and value (freed on failure). */
static int add_owned(gdn_manifest *m, char *key, char *value, gdn_error *err)
{
    if (m->count == m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 32;
        char **k = realloc(m->key, ncap * sizeof *k);
        if (k)
            m->key = k;
        char **v = k ? realloc(m->value, ncap * sizeof *v) : NULL;
        if (v)
            m->value = v;
        if (!k || !v) {
            free(key), free(value);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        m->cap = ncap;
    }
    m->key[m->count] = key, m->value[m->count] = value;
    m->count++;
    return GDN_OK;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int gdn_manifest_add(gdn_manifest *m, gdn_error *err, const char *key,
                     const char *fmt, ...)
{
    if (!*key || strpbrk(key, " \t\r\n"))
        return gdn_error_set(err, GDN_EINVAL, "manifest key '%s' has blanks",
                             key);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return gdn_error_set(err, GDN_EINVAL, "manifest %s: bad value", key);
    char *v = malloc((size_t)n + 1);
    char *k = dup_n(key, strlen(key));
    if (!v || !k) {
        free(v), free(k);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    va_start(ap, fmt);
    vsnprintf(v, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (strpbrk(v, "\r\n")) {
        free(v), free(k);
        return gdn_error_set(err, GDN_EINVAL,
                             "manifest %s: the value has a line break", key);
    }
    return add_owned(m, k, v, err);
}

/* The text before the hash line, or its hash (text == NULL). */
static size_t body(const gdn_manifest *m, char *text, uint64_t *hash)
{
    size_t len = 0;
    uint64_t h = GDN_FNV_INIT;
#define PUT_(s, n)                                                            \
    do {                                                                      \
        if (text)                                                             \
            memcpy(text + len, (s), (n));                                     \
        h = gdn_fnv1a(h, (s), (n));                                           \
        len += (n);                                                           \
    } while (0)
    PUT_(manifest_magic, sizeof manifest_magic - 1);
    for (size_t i = 0; i < m->count; i++) {
        PUT_(m->key[i], strlen(m->key[i]));
        PUT_(" ", 1);
        PUT_(m->value[i], strlen(m->value[i]));
        PUT_("\n", 1);
    }
#undef PUT_
    if (hash)
        *hash = h;
    return len;
}

uint64_t gdn_manifest_hash(const gdn_manifest *m)
{
    uint64_t h;
    body(m, NULL, &h);
    return h;
}

char *gdn_manifest_text(const gdn_manifest *m, size_t *len)
{
    uint64_t h;
    size_t n = body(m, NULL, &h);
    char *text = malloc(n + 32);
    if (!text)
        return NULL;
    body(m, text, NULL);
    n += (size_t)snprintf(text + n, 32, "hash %016llx\n",
                          (unsigned long long)h);
    if (len)
        *len = n;
    return text;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int gdn_manifest_parse(const char *buf, size_t len, gdn_manifest *out,
                       gdn_error *err)
{
    static const char other[] = "gandyn sweep";
    gdn_manifest_init(out);
    size_t ml = sizeof manifest_magic - 1;
    if (len < ml || memcmp(buf, manifest_magic, ml)) {
        if (len >= sizeof other - 1 && !memcmp(buf, other, sizeof other - 1))
            return gdn_error_set(err, GDN_EINVAL,
                                 "its manifest was made by another version "
                                 "of gandyn");
        return gdn_error_set(err, GDN_EINVAL,
                             "its manifest is not a gandyn sweep manifest");
    }
    if (memchr(buf, '\0', len))
        return gdn_error_set(err, GDN_EINVAL,
                             "its manifest is damaged (a NUL byte)");
    size_t pos = ml;
    int have_hash = 0;
    uint64_t stated = 0;
    while (pos < len) {
        const char *s = buf + pos;
        const char *nl = memchr(s, '\n', len - pos);
        if (!nl) {
            gdn_manifest_free(out);
            return gdn_error_set(err, GDN_EINVAL,
                                 "its manifest is damaged (cut short)");
        }
        size_t ll = (size_t)(nl - s);
        pos += ll + 1;
        if (have_hash) {
            gdn_manifest_free(out);
            return gdn_error_set(err, GDN_EINVAL,
                                 "its manifest is damaged (lines after the "
                                 "hash)");
        }
        const char *sp = memchr(s, ' ', ll);
        if (!sp || sp == s) {
            gdn_manifest_free(out);
            return gdn_error_set(err, GDN_EINVAL,
                                 "its manifest is damaged (a line without "
                                 "KEY VALUE)");
        }
        size_t kl = (size_t)(sp - s), vl = ll - kl - 1;
        if (kl == 4 && !memcmp(s, "hash", 4)) {
            if (vl != 16) {
                gdn_manifest_free(out);
                return gdn_error_set(err, GDN_EINVAL,
                                     "its manifest is damaged (bad hash)");
            }
            for (size_t i = 0; i < 16; i++) {
                int d = hexval(sp[1 + i]);
                if (d < 0) {
                    gdn_manifest_free(out);
                    return gdn_error_set(err, GDN_EINVAL,
                                         "its manifest is damaged (bad "
                                         "hash)");
                }
                stated = stated << 4 | (uint64_t)d;
            }
            have_hash = 1;
            continue;
        }
        if (memchr(s, '\t', kl) || memchr(s, '\r', ll)) {
            gdn_manifest_free(out);
            return gdn_error_set(err, GDN_EINVAL,
                                 "its manifest is damaged (a bad key)");
        }
        for (size_t i = 0; i < out->count; i++)
            if (strlen(out->key[i]) == kl && !memcmp(out->key[i], s, kl)) {
                gdn_manifest_free(out);
                return gdn_error_set(err, GDN_EINVAL,
                                     "its manifest is damaged (a key twice)");
            }
        char *k = dup_n(s, kl), *v = dup_n(sp + 1, vl);
        if (!k || !v) {
            free(k), free(v);
            gdn_manifest_free(out);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        if (add_owned(out, k, v, err)) {
            gdn_manifest_free(out);
            return GDN_ENOMEM;
        }
    }
    if (!have_hash || gdn_manifest_hash(out) != stated) {
        gdn_manifest_free(out);
        return gdn_error_set(err, GDN_EINVAL,
                             "its manifest is damaged (%s)",
                             have_hash ? "its hash does not match its lines"
                                       : "no hash");
    }
    return GDN_OK;
}

/* At most 40 characters of v around offset at, in buf. */
static void snippet(const char *v, size_t at, char *buf, size_t size)
{
    size_t n = strlen(v);
    if (n <= 40) {
        snprintf(buf, size, "%s", v);
        return;
    }
    size_t lo = at > 16 ? at - 16 : 0;
    if (lo + 40 > n)
        lo = n - 40;
    snprintf(buf, size, "%s%.40s%s", lo ? "..." : "", v + lo,
             lo + 40 < n ? "..." : "");
}

static int differs(const char *key, const char *had, const char *want,
                   gdn_error *err)
{
    if (!strcmp(key, "init-file"))
        return gdn_error_set(err, GDN_EINVAL,
                             "the contents of --init-file changed (%s, now "
                             "%s)", had, want);
    if (!strcmp(key, "records"))
        return gdn_error_set(err, GDN_EINVAL,
                             "it was made by a gandyn with other records "
                             "(%s, now %s)", had, want);
    size_t at = 0;
    while (had[at] && had[at] == want[at])
        at++;
    char a[64], b[64], where[48] = "";
    snippet(had, at, a, sizeof a);
    snippet(want, at, b, sizeof b);
    if (strlen(had) > 40 || strlen(want) > 40)
        snprintf(where, sizeof where, " (from character %zu)", at + 1);
    return gdn_error_set(err, GDN_EINVAL, "it was made with %s %s, now %s%s",
                         key, a, b, where);
}

int gdn_manifest_compare(const gdn_manifest *had, const gdn_manifest *want,
                         gdn_error *err)
{
    if (gdn_manifest_hash(had) == gdn_manifest_hash(want))
        return GDN_OK;
    for (size_t i = 0; i < want->count; i++) {
        size_t j = 0;
        while (j < had->count && strcmp(had->key[j], want->key[i]))
            j++;
        if (j == had->count)
            return gdn_error_set(err, GDN_EINVAL,
                                 "it was made without %s, now %s %.60s",
                                 want->key[i], want->key[i], want->value[i]);
        if (strcmp(had->value[j], want->value[i]))
            return differs(want->key[i], had->value[j], want->value[i], err);
    }
    for (size_t j = 0; j < had->count; j++) {
        size_t i = 0;
        while (i < want->count && strcmp(had->key[j], want->key[i]))
            i++;
        if (i == want->count)
            return gdn_error_set(err, GDN_EINVAL,
                                 "it was made with %s %.60s, now without it",
                                 had->key[j], had->value[j]);
    }
    return gdn_error_set(err, GDN_EINVAL,
                         "its manifest lists the same options in another "
                         "order");
}

int gdn_manifest_check(const char *buf, size_t len, const gdn_manifest *want,
                       gdn_error *err)
{
    gdn_manifest had;
    int rc = gdn_manifest_parse(buf, len, &had, err);
    if (rc)
        return rc;
    rc = gdn_manifest_compare(&had, want, err);
    gdn_manifest_free(&had);
    return rc;
}

uint64_t gdn_sweep_record_format(void)
{
    uint64_t h = GDN_FNV_INIT;
    for (size_t k = 0; k < GDN_SWEEP_NFIELDS; k++) {
        const char *s = gdn_sweep_field_name(k);
        h = gdn_fnv1a(h, s, strlen(s) + 1);
    }
    return h;
}

/* --------------------------------------------------------------- chunks */

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static const unsigned char chunk_magic[8] = {'G', 'D', 'N', 'C',
                                             'H', 'N', 'K', '1'};

void gdn_sweep_chunk_header(unsigned char hdr[GDN_CHUNK_HEADER],
                            uint64_t sweep_hash, uint64_t index,
                            const gdn_sweep_rec *recs, size_t count)
{
    memcpy(hdr, chunk_magic, 8);
    put64(hdr + 8, sweep_hash);
    put64(hdr + 16, index);
    put64(hdr + 24, count);
    put64(hdr + 32, sizeof *recs);
    uint64_t h = gdn_fnv1a(GDN_FNV_INIT, hdr + 8, 32);
    put64(hdr + 40, gdn_fnv1a(h, recs, count * sizeof *recs));
}

int gdn_sweep_chunk_check(const unsigned char *hdr, size_t hdr_len,
                          uint64_t sweep_hash, uint64_t index,
                          const gdn_sweep_rec *recs, size_t count,
                          const char *name, gdn_error *err)
{
    if (hdr_len < GDN_CHUNK_HEADER || memcmp(hdr, chunk_magic, 8))
        return gdn_error_set(err, GDN_EINVAL, "'%s' is not a chunk file",
                             name);
    if (get64(hdr + 8) != sweep_hash)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' is a chunk of another sweep", name);
    if (get64(hdr + 16) != index || get64(hdr + 24) != count ||
        get64(hdr + 32) != sizeof *recs)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' is not chunk %llu of this sweep", name,
                             (unsigned long long)index);
    uint64_t h = gdn_fnv1a(GDN_FNV_INIT, hdr + 8, 32);
    if (gdn_fnv1a(h, recs, count * sizeof *recs) != get64(hdr + 40))
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' was altered or damaged (its checksum does "
                             "not match its records)", name);
    return GDN_OK;
}
