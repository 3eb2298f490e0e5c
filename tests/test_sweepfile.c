/*
 * test_sweepfile.c - the files of a sweep (gandyn/sweepfile.h): FNV-1a
 * against the published test vectors; the starts reader's values, accepted
 * forms and every refusal with the right line; the manifest's round trip,
 * its refusals of damaged texts and the messages naming what differs, with
 * values far beyond any fixed buffer; chunk headers refusing other sweeps,
 * other indices and altered records.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gandyn.h"

#define assert_msg_has(err, text)                                             \
    do {                                                                      \
        if (!strstr((err).msg, (text))) {                                     \
            print_error("message '%s' lacks '%s'\n", (err).msg, (text));      \
            fail();                                                           \
        }                                                                     \
    } while (0)

/* ---------------------------------------------------------------- FNV */

static void test_fnv_vectors(void **state)
{
    (void)state;
    /* from the FNV reference (Fowler, Noll, Vo: test vectors of FNV-1a 64) */
    assert_true(gdn_fnv1a(GDN_FNV_INIT, "", 0) == 0xcbf29ce484222325ull);
    assert_true(gdn_fnv1a(GDN_FNV_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(gdn_fnv1a(GDN_FNV_INIT, "foobar", 6) ==
                0x85944171f73967e8ull);
    /* pieces chain */
    assert_true(gdn_fnv1a(gdn_fnv1a(GDN_FNV_INIT, "foo", 3), "bar", 3) ==
                0x85944171f73967e8ull);
}

/* ------------------------------------------------------------- starts */

static int parse(const char *text, size_t m, double **p, size_t *np,
                 gdn_error *err)
{
    return gdn_sweep_starts_parse(text, strlen(text), "s.txt", m, p, np, err);
}

static void test_starts_values(void **state)
{
    (void)state;
    gdn_error err;
    double *p;
    size_t np;
    /* commas, blanks, tabs, a comment, blank lines, CRLF, a BOM, no final
     * line break */
    const char *text = "\xEF\xBB\xBF# phi1 phi2\n"
                       "1,0.5\r\n"
                       "\n"
                       "   \t\n"
                       "  -2 \t 3e-2  # a comment, 7\n"
                       "4 , -0.25\n"
                       "1e300,5";
    assert_int_equal(parse(text, 2, &p, &np, &err), GDN_OK);
    assert_int_equal(np, 4);
    const double want[] = {1, 0.5, -2, 3e-2, 4, -0.25, 1e300, 5};
    for (size_t i = 0; i < 8; i++)
        assert_true(p[i] == want[i]);
    free(p);
}

static void test_starts_long_lines(void **state)
{
    (void)state;
    /* a 300 kB comment, then numbers of 100000 digits: no line limit */
    size_t digits = 100000, len = 0;
    char *text = malloc(300010 + 3 * (digits + 8));
    assert_non_null(text);
    text[len++] = '#';
    memset(text + len, 'x', 300000);
    len += 300000;
    text[len++] = '\n';
    for (int k = 0; k < 2; k++) {
        memcpy(text + len, "0.125", 5);
        len += 5;
        memset(text + len, '0', digits);
        len += digits;
        text[len++] = k ? '\n' : ',';
    }
    memcpy(text + len, "1,x\n", 4); /* line 3 is bad */
    len += 4;
    gdn_error err;
    double *p;
    size_t np;
    assert_int_equal(gdn_sweep_starts_parse(text, len - 4, "s.txt", 2, &p,
                                            &np, &err),
                     GDN_OK);
    assert_int_equal(np, 1);
    assert_true(p[0] == 0.125 && p[1] == 0.125);
    free(p);
    assert_int_equal(gdn_sweep_starts_parse(text, len, "s.txt", 2, &p, &np,
                                            &err),
                     GDN_EINVAL);
    assert_msg_has(err, "'s.txt' line 3");
    assert_msg_has(err, "'x'");
    free(text);
}

static void test_starts_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg[2];
    } cases[] = {
        {"1,2\n1,,2\n", {"line 2", "empty field 2"}},
        {"1,2,\n", {"line 1", "empty field 3"}},
        {",1,2\n", {"line 1", "empty field 1"}},
        {"1, ,2\n", {"line 1", "empty field 2"}},
        {"1,2\n\n# c\n3 , , 4\n", {"line 4", "empty field 2"}},
        {"1,0x10\n", {"line 1", "hexadecimal"}},
        {"-0X1p3,1\n", {"line 1", "'-0X1p3'"}},
        {"+0x1,1\n", {"line 1", "hexadecimal"}},
        {"1,inf\n", {"line 1", "'inf'"}},
        {"nan,1\n", {"line 1", "'nan'"}},
        {"1,1e999\n", {"line 1", "'1e999'"}},
        {"1,2,3\n", {"line 1", "3 values, 2 expected"}},
        {"1\n", {"line 1", "1 values, 2 expected"}},
        {"1;2\n", {"line 1", "'1;2'"}},
        /* control characters are quoted as '?' (messages stay one line) */
        {"1,2\r\r\n", {"line 1", "'2?'"}},
        {"# only\n\n", {"'s.txt': no points", ""}},
        {"", {"'s.txt': no points", ""}},
        {"\xEF\xBB\xBF", {"'s.txt': no points", ""}},
        {"\xEF\xBB\xBF\xEF\xBB\xBF" "1,2\n", {"line 1", "not a number"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        gdn_error err;
        double *p = NULL;
        size_t np = 0;
        int rc = parse(cases[c].text, 2, &p, &np, &err);
        if (rc != GDN_EINVAL)
            print_error("case %zu: accepted\n", c);
        assert_int_equal(rc, GDN_EINVAL);
        assert_null(strchr(err.msg, '\n'));
        for (int k = 0; k < 2; k++)
            assert_msg_has(err, cases[c].msg[k]);
    }
    /* a NUL byte, on the right line */
    static const char nul[] = "1,2\n3,4\n5,\0" "6\n";
    gdn_error err;
    double *p;
    size_t np;
    assert_int_equal(gdn_sweep_starts_parse(nul, sizeof nul - 1, "s.txt", 2,
                                            &p, &np, &err),
                     GDN_EINVAL);
    assert_msg_has(err, "line 3");
    assert_msg_has(err, "NUL");
}

static void test_starts_read(void **state)
{
    (void)state;
    gdn_error err;
    double *p;
    size_t np, size;
    uint64_t hash;
    /* a directory */
    assert_int_equal(gdn_sweep_starts_read("/", 2, &p, &np, NULL, NULL, &err),
                     GDN_EIO);
    assert_msg_has(err, "'/'");
    assert_msg_has(err, "directory");
    assert_int_equal(gdn_sweep_starts_read("/nonexistent/s.txt", 2, &p, &np,
                                           NULL, NULL, &err),
                     GDN_EIO);
    assert_msg_has(err, "/nonexistent/s.txt");
    /* a file larger than the first read: its hash is that of its bytes */
    char path[] = "/tmp/gandyn-test-starts-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    assert_non_null(fp);
    for (int i = 0; i < 30000; i++)
        fprintf(fp, "%d,%d.5\n", i, -i);
    assert_int_equal(fclose(fp), 0);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    char *all = malloc(1 << 20);
    assert_non_null(all);
    size_t n = fread(all, 1, 1 << 20, fp);
    fclose(fp);
    assert_true(n > 65536);
    assert_int_equal(gdn_sweep_starts_read(path, 2, &p, &np, &hash, &size,
                                           &err),
                     GDN_OK);
    unlink(path);
    assert_int_equal(np, 30000);
    assert_int_equal(size, n);
    assert_true(hash == gdn_fnv1a(GDN_FNV_INIT, all, n));
    assert_true(p[2 * 29999] == 29999 && p[2 * 29999 + 1] == -29999.5);
    free(p);
    free(all);
}

/* The streamed reader against the whole-buffer parser, on the same bytes
 * written to a file: the same verdict and message (the NUL byte first,
 * wherever it is, else the first bad line), the same count, hash and size,
 * and the same values read back a few at a time; lines longer than its
 * first buffer. */
static void stream_case(const char *text, size_t len, size_t m)
{
    char path[] = "/tmp/gandyn-test-stream-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    gdn_error e1 = {0}, e2 = {0};
    double *p = NULL;
    size_t np = 0, ns = 0, size = 0;
    uint64_t hash = 0;
    int rc1 = gdn_sweep_starts_parse(text, len, path, m, &p, &np, &e1);
    int rc2 = gdn_sweep_starts_scan(path, m, &ns, &hash, &size, &e2);
    if (rc1 != rc2 || (rc1 && strcmp(e1.msg, e2.msg)))
        print_error("parse: %d '%s', scan: %d '%s'\n", rc1, e1.msg, rc2,
                    e2.msg);
    assert_int_equal(rc1, rc2);
    if (rc1) {
        assert_string_equal(e1.msg, e2.msg);
        unlink(path);
        return;
    }
    assert_int_equal(np, ns);
    assert_int_equal(size, len);
    assert_true(hash == gdn_fnv1a(GDN_FNV_INIT, text, len));
    gdn_starts_reader *r = gdn_starts_open(path, m, &e2);
    assert_non_null(r);
    double *q = malloc((np + 1) * m * sizeof *q);
    assert_non_null(q);
    size_t got = 0;
    for (size_t step = 1; got < np; step++) { /* 1, 2, 3, ... at a time */
        size_t c = np - got < step ? np - got : step;
        assert_int_equal(gdn_starts_next(r, c, q + got * m, &e2), GDN_OK);
        got += c;
    }
    assert_memory_equal(q, p, np * m * sizeof *q);
    /* past the end: refused */
    assert_int_equal(gdn_starts_next(r, 1, q, &e2), GDN_EINVAL);
    uint64_t h2 = 0;
    size_t s2 = 0;
    assert_int_equal(gdn_starts_finish(r, &h2, &s2, &e2), GDN_OK);
    assert_true(h2 == hash && s2 == len);
    gdn_starts_close(r);
    /* skipping (out = NULL) lands on the same starts */
    r = gdn_starts_open(path, m, &e2);
    assert_non_null(r);
    if (np > 1) {
        assert_int_equal(gdn_starts_next(r, np - 1, NULL, &e2), GDN_OK);
        assert_int_equal(gdn_starts_next(r, 1, q, &e2), GDN_OK);
        assert_memory_equal(q, p + (np - 1) * m, m * sizeof *q);
    }
    gdn_starts_close(r);
    free(p), free(q);
    unlink(path);
}

static void test_starts_stream(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "1,2\n3,4\n", "1 2\n\n# c\n  3\t4  # x\n5,6", "\xEF\xBB\xBF" "1,2\r\n3,4\r\n",
        "\xEF\xBB", "\xEF\xBB\xBF", "", "\n\n", "1,2\n3\n", "1,,2\n",
        "1,2\n0x1p3,2\n", "1,2\ninf,2\n", "1,2,\n", ",1,2\n", "1,2\n3,4,5\n",
        "1,2\nfoo,4\n1,2,3\n", "\xEF\xBB\xBF\xEF\xBB\xBF" "1,2\n", "1e400,2\n",
    };
    for (size_t c = 0; c < sizeof texts / sizeof *texts; c++)
        stream_case(texts[c], strlen(texts[c]), 2);
    /* a NUL byte after a bad line: the NUL is the error, as in the parser */
    static const char nul[] = "1,2\n3,x\n5,\0" "6\n";
    stream_case(nul, sizeof nul - 1, 2);
    /* long lines and many starts: beyond the reader's first 64 kB */
    size_t cap = 1 << 21, len = 0;
    char *big = malloc(cap);
    assert_non_null(big);
    len += (size_t)sprintf(big + len, "# ");
    memset(big + len, 'x', 100000), len += 100000;
    big[len++] = '\n';
    for (int i = 0; i < 40000; i++)
        len += (size_t)sprintf(big + len, "%d.25 %d,%d\n", i, -i, 2 * i);
    memset(big + len, ' ', 90000), len += 90000; /* a long blank tail */
    len += (size_t)sprintf(big + len, "1 2 3");
    stream_case(big, len, 3);
    free(big);
}

/* ----------------------------------------------------------- manifest */

static void make(gdn_manifest *m, long steps, const char *init)
{
    gdn_error err;
    gdn_manifest_init(m);
    assert_int_equal(gdn_manifest_add(m, &err, "--model", "nsgan"), GDN_OK);
    assert_int_equal(gdn_manifest_add(m, &err, "--steps", "%ld", steps),
                     GDN_OK);
    assert_int_equal(gdn_manifest_add(m, &err, "--init", "%s", init), GDN_OK);
    assert_int_equal(gdn_manifest_add(m, &err, "init-file",
                                      "fnv1a 0123456789abcdef, 10 bytes"),
                     GDN_OK);
}

static void test_manifest_round_trip(void **state)
{
    (void)state;
    gdn_manifest a, b;
    gdn_error err;
    make(&a, 2000, "0.1,0.2");
    size_t len;
    char *text = gdn_manifest_text(&a, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    char want[256];
    snprintf(want, sizeof want,
             "gandyn sweep manifest 2\n--model nsgan\n--steps 2000\n"
             "--init 0.1,0.2\ninit-file fnv1a 0123456789abcdef, 10 bytes\n"
             "hash %016llx\n",
             (unsigned long long)gdn_fnv1a(GDN_FNV_INIT, text,
                                           len - 22));
    assert_string_equal(text, want);
    assert_int_equal(gdn_manifest_parse(text, len, &b, &err), GDN_OK);
    assert_int_equal(b.count, 4);
    assert_string_equal(b.key[2], "--init");
    assert_string_equal(b.value[2], "0.1,0.2");
    assert_int_equal(gdn_manifest_compare(&b, &a, &err), GDN_OK);
    assert_int_equal(gdn_manifest_check(text, len, &a, &err), GDN_OK);
    gdn_manifest_free(&b);
    /* keys with blanks and values with line breaks cannot be written */
    assert_int_equal(gdn_manifest_add(&a, &err, "a b", "1"), GDN_EINVAL);
    assert_int_equal(gdn_manifest_add(&a, &err, "k", "1\n2"), GDN_EINVAL);
    assert_int_equal(a.count, 4);
    free(text);
    gdn_manifest_free(&a);
}

static void test_manifest_differences(void **state)
{
    (void)state;
    gdn_manifest a, b;
    gdn_error err;
    make(&a, 2000, "0.1,0.2");
    size_t len;
    char *text = gdn_manifest_text(&a, &len);
    make(&b, 3000, "0.1,0.2");
    assert_int_equal(gdn_manifest_check(text, len, &b, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "it was made with --steps 2000, now 3000");
    gdn_manifest_free(&b);
    make(&b, 2000, "0.1,0.2");
    free(b.value[3]);
    b.value[3] = strdup("fnv1a 0123456789abcdee, 10 bytes");
    assert_int_equal(gdn_manifest_check(text, len, &b, &err), GDN_EINVAL);
    assert_msg_has(err, "the contents of --init-file changed");
    gdn_manifest_free(&b);
    /* one more option, one fewer */
    make(&b, 2000, "0.1,0.2");
    assert_int_equal(gdn_manifest_add(&b, &err, "--seed", "7"), GDN_OK);
    assert_int_equal(gdn_manifest_check(text, len, &b, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "it was made without --seed, now --seed 7");
    free(text);
    text = gdn_manifest_text(&b, &len);
    assert_int_equal(gdn_manifest_check(text, len, &a, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "it was made with --seed 7, now without it");
    gdn_manifest_free(&b);
    free(text);
    gdn_manifest_free(&a);
}

static void test_manifest_long(void **state)
{
    (void)state;
    /* a value of 40000 characters differing in its last one */
    size_t n = 40000;
    char *v1 = malloc(n + 1), *v2 = malloc(n + 1);
    assert_non_null(v1);
    assert_non_null(v2);
    for (size_t i = 0; i < n; i++)
        v1[i] = (char)('0' + i % 10);
    v1[n] = '\0';
    memcpy(v2, v1, n + 1);
    v2[n - 1] = 'x';
    gdn_manifest a, b;
    gdn_error err;
    make(&a, 2000, v1);
    make(&b, 2000, v2);
    size_t len;
    char *text = gdn_manifest_text(&a, &len);
    assert_true(len > n);
    assert_int_equal(gdn_manifest_check(text, len, &a, &err), GDN_OK);
    assert_int_equal(gdn_manifest_check(text, len, &b, &err), GDN_EINVAL);
    assert_msg_has(err, "it was made with --init ...");
    assert_msg_has(err, "(from character 40000)");
    assert_msg_has(err, "3456789, now ...");
    assert_msg_has(err, "345678x");
    /* and a difference late in the text, after the long value */
    gdn_manifest_free(&b);
    make(&b, 2000, v1);
    assert_int_equal(gdn_manifest_add(&b, &err, "--chunk", "5"), GDN_OK);
    assert_int_equal(gdn_manifest_add(&a, &err, "--chunk", "6"), GDN_OK);
    free(text);
    text = gdn_manifest_text(&a, &len);
    assert_int_equal(gdn_manifest_check(text, len, &b, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "it was made with --chunk 6, now 5");
    free(text);
    free(v1), free(v2);
    gdn_manifest_free(&a);
    gdn_manifest_free(&b);
}

static void test_manifest_damaged(void **state)
{
    (void)state;
    gdn_manifest a, b;
    gdn_error err;
    make(&a, 2000, "0.1,0.2");
    size_t len;
    char *text = gdn_manifest_text(&a, &len);
    char *t = malloc(len + 64);
    assert_non_null(t);
    /* every single-byte change is refused (the hash, or the format) */
    for (size_t i = 0; i < len; i++) {
        memcpy(t, text, len);
        t[i] = (char)(t[i] ^ 0x01);
        assert_int_equal(gdn_manifest_parse(t, len, &b, &err), GDN_EINVAL);
        assert_null(strchr(err.msg, '\n'));
    }
    /* cut short anywhere */
    for (size_t i = 0; i < len; i++)
        assert_int_equal(gdn_manifest_parse(text, i, &b, &err), GDN_EINVAL);
    memcpy(t, text, len);
    memcpy(t + len, "x y\n", 4);
    assert_int_equal(gdn_manifest_parse(t, len + 4, &b, &err), GDN_EINVAL);
    assert_msg_has(err, "after the hash");
    assert_int_equal(gdn_manifest_parse("gandyn sweep 1\nmodel nsgan\n", 27,
                                        &b, &err),
                     GDN_EINVAL);
    assert_msg_has(err, "another version of gandyn");
    /* a key twice, with a hash that matches */
    gdn_manifest d;
    gdn_manifest_init(&d);
    assert_int_equal(gdn_manifest_add(&d, &err, "--steps", "1"), GDN_OK);
    assert_int_equal(gdn_manifest_add(&d, &err, "--steps", "2"), GDN_OK);
    char *dt = gdn_manifest_text(&d, &len);
    assert_int_equal(gdn_manifest_parse(dt, len, &b, &err), GDN_EINVAL);
    assert_msg_has(err, "a key twice");
    free(dt);
    gdn_manifest_free(&d);
    free(t);
    free(text);
    gdn_manifest_free(&a);
}

static void test_record_format(void **state)
{
    (void)state;
    /* the names, each with its terminator, in order */
    uint64_t h = GDN_FNV_INIT;
    for (size_t k = 0; k < GDN_SWEEP_NFIELDS; k++)
        h = gdn_fnv1a(h, gdn_sweep_field_name(k),
                      strlen(gdn_sweep_field_name(k)) + 1);
    assert_true(gdn_sweep_record_format() == h);
    assert_true(gdn_sweep_record_format() != GDN_FNV_INIT);
}

/* ------------------------------------------------------------- chunks */

static void test_chunks(void **state)
{
    (void)state;
    gdn_sweep_rec r[3];
    for (size_t i = 0; i < 3; i++) {
        double *v = (double *)&r[i];
        for (size_t k = 0; k < GDN_SWEEP_NFIELDS; k++)
            v[k] = (double)(10 * i + k) + 0.5;
    }
    r[1].t_eps = NAN;
    unsigned char h[GDN_CHUNK_HEADER];
    gdn_error err;
    gdn_sweep_chunk_header(h, 0x1234, 7, r, 3);
    assert_memory_equal(h, "GDNCHNK1", 8);
    assert_int_equal(h[8], 0x34);
    assert_int_equal(h[9], 0x12);
    assert_int_equal(h[16], 7);
    assert_int_equal(h[24], 3);
    assert_int_equal(gdn_sweep_chunk_check(h, sizeof h, 0x1234, 7, r, 3, "c",
                                           &err),
                     GDN_OK);
    assert_int_equal(gdn_sweep_chunk_check(h, sizeof h, 0x1235, 7, r, 3, "c",
                                           &err),
                     GDN_EINVAL);
    assert_msg_has(err, "another sweep");
    assert_int_equal(gdn_sweep_chunk_check(h, sizeof h, 0x1234, 6, r, 3, "c",
                                           &err),
                     GDN_EINVAL);
    assert_msg_has(err, "not chunk 6");
    assert_int_equal(gdn_sweep_chunk_check(h, sizeof h, 0x1234, 7, r, 2, "c",
                                           &err),
                     GDN_EINVAL);
    assert_int_equal(gdn_sweep_chunk_check(h, 20, 0x1234, 7, r, 3, "c", &err),
                     GDN_EINVAL);
    /* every bit of every record */
    unsigned char *bytes = (unsigned char *)r;
    for (size_t i = 0; i < sizeof r; i++)
        for (int b = 0; b < 8; b++) {
            bytes[i] = (unsigned char)(bytes[i] ^ (1u << b));
            int rc = gdn_sweep_chunk_check(h, sizeof h, 0x1234, 7, r, 3,
                                           "c.bin", &err);
            bytes[i] = (unsigned char)(bytes[i] ^ (1u << b));
            assert_int_equal(rc, GDN_EINVAL);
        }
    assert_msg_has(err, "'c.bin' was altered");
    /* the checksum field itself */
    h[45] ^= 1;
    assert_int_equal(gdn_sweep_chunk_check(h, sizeof h, 0x1234, 7, r, 3, "c",
                                           &err),
                     GDN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fnv_vectors),
        cmocka_unit_test(test_starts_values),
        cmocka_unit_test(test_starts_long_lines),
        cmocka_unit_test(test_starts_refusals),
        cmocka_unit_test(test_starts_read),
        cmocka_unit_test(test_starts_stream),
        cmocka_unit_test(test_manifest_round_trip),
        cmocka_unit_test(test_manifest_differences),
        cmocka_unit_test(test_manifest_long),
        cmocka_unit_test(test_manifest_damaged),
        cmocka_unit_test(test_record_format),
        cmocka_unit_test(test_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
