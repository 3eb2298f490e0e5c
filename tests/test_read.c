/*
 * test_read.c - trajectories read back from CSV and JSON (gandyn/read.h):
 * bit-exact round trips through gdn_traj_write, discrete runs, and
 * malformed files each refused with a message naming the bad token.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gandyn/error.h"
#include "gandyn/io.h"
#include "gandyn/read.h"
#include "gandyn/traj.h"

#define TMPDIR_TAG "read"
#include "tmpdir.h"

/* ------------------------------------------------------------- helpers */

static void write_text(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

/* Writes tr with gdn_traj_write, through an atomic output file. */
static void write_traj(const char *path, const gdn_traj *tr,
                       const char *const *names)
{
    gdn_error err;
    gdn_ofile f;
    int fmt;
    assert_int_equal(gdn_format_of_path(path, &fmt, &err), GDN_OK);
    assert_int_equal(gdn_ofile_open(&f, path, &err), GDN_OK);
    assert_int_equal(gdn_traj_write(tr, names, fmt, f.fp, &err), GDN_OK);
    assert_int_equal(gdn_ofile_commit(&f, &err), GDN_OK);
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* Compares every double bit for bit. */
static void assert_same_traj(const gdn_traj *a, const gdn_traj *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->ngroups, b->ngroups);
    assert_int_equal(a->discrete, b->discrete);
    assert_int_equal(a->count, b->count);
    size_t m = 2 * a->n;
    for (size_t k = 0; k < a->count; k++) {
        assert_true(same_bits(a->t[k], b->t[k]));
        for (size_t i = 0; i < m; i++)
            if (!same_bits(a->x[k * m + i], b->x[k * m + i]))
                fail_msg("sample %zu x[%zu]: %.17g read as %.17g", k, i,
                         a->x[k * m + i], b->x[k * m + i]);
        for (size_t i = 0; i < a->ngroups * m; i++) {
            size_t j = k * a->ngroups * m + i;
            if (!same_bits(a->avg[j], b->avg[j]))
                fail_msg("sample %zu avg[%zu]: %.17g read as %.17g", k, i,
                         a->avg[j], b->avg[j]);
        }
    }
}

/* n = 2, groups "ema0.99" and "uniform"; high-entropy values, plus the
 * awkward ones: -0, subnormals, the extremes, values needing 17 digits. */
static void make_traj(gdn_traj *tr, int discrete, size_t count)
{
    static const double odd[] = {-0.0,
                                 4.9406564584124654e-324,
                                 2.2250738585072009e-308,
                                 1.7976931348623157e308,
                                 -1.7976931348623157e308,
                                 0.1,
                                 1.0 / 3.0,
                                 1e-5,
                                 123456789012345678.0,
                                 -2.5e-300};
    gdn_error err;
    gdn_traj_init(tr, 2, 2, discrete);
    double x[4], a0[4], a1[4];
    const double *avg[2] = {a0, a1};
    size_t o = 0;
    for (size_t k = 0; k < count; k++) {
        double t = discrete ? (double)k : 0.0137 * (double)k;
        for (int i = 0; i < 4; i++) {
            double s = sin(1.7 * (double)k + 0.91 * i) * exp(0.37 * i);
            x[i] = s;
            a0[i] = s * 0.987654321 + 1e-9 * (double)k;
            a1[i] = (k * 4 + (size_t)i) % 7 == 3 ? odd[o++ % 10]
                                                  : cos(s) / 3.0;
        }
        assert_int_equal(gdn_traj_append(tr, t, x, avg, &err), GDN_OK);
    }
}

static const char *const group_names[2] = {"ema0.99", "uniform"};

static void roundtrip(const char *dir, const char *file, int discrete)
{
    char path[512];
    gdn_traj tr, back;
    char **names = NULL;
    size_t nnames = 99;
    gdn_error err;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    make_traj(&tr, discrete, 57);
    write_traj(path, &tr, group_names);
    int rc = gdn_traj_read(path, &back, &names, &nnames, &err);
    if (rc != GDN_OK)
        fail_msg("%s", err.msg);
    assert_same_traj(&tr, &back);
    assert_int_equal(nnames, 2);
    assert_string_equal(names[0], "ema0.99");
    assert_string_equal(names[1], "uniform");
    gdn_names_free(names, nnames);
    gdn_traj_release(&back);
    gdn_traj_release(&tr);
}

/* --------------------------------------------------------------- tests */

static void test_roundtrip_csv(void **state)
{
    roundtrip(((fixture *)*state)->dir, "run.csv", 0);
}

static void test_roundtrip_json(void **state)
{
    roundtrip(((fixture *)*state)->dir, "run.json", 0);
}

/* .npy: bit-exact through its sidecar (the column names of the CSV header
 * gdn_traj_write writes, the row count); refused in one line without it,
 * or when the sidecar and the array disagree. */
static void test_roundtrip_npy(void **state)
{
    const char *dir = ((fixture *)*state)->dir;
    char path[512], csv[512], side[600], text[2048];
    gdn_traj tr, back;
    char **names = NULL;
    size_t nnames = 99;
    gdn_error err;
    make_traj(&tr, 0, 57);
    snprintf(path, sizeof path, "%s/run.npy", dir);
    snprintf(csv, sizeof csv, "%s/run.csv", dir);
    snprintf(side, sizeof side, "%s.json", path);
    write_traj(path, &tr, group_names);
    assert_int_equal(gdn_traj_read(path, &back, &names, &nnames, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "no sidecar"));
    assert_null(strchr(err.msg, '\n'));
    write_traj(csv, &tr, group_names);
    FILE *fp = fopen(csv, "r");
    assert_non_null(fp);
    char header[1024];
    assert_non_null(fgets(header, sizeof header, fp));
    fclose(fp);
    header[strcspn(header, "\r\n")] = '\0';
    size_t n = (size_t)snprintf(text, sizeof text, "{\"columns\": [");
    for (char *c = strtok(header, ","), *sep = ""; c;
         c = strtok(NULL, ","), sep = ", ")
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\"%s\"", sep, c);
    snprintf(text + n, sizeof text - n, "], \"rows\": 57, \"format\": 1}");
    write_text(side, text, strlen(text));
    int rc = gdn_traj_read(path, &back, &names, &nnames, &err);
    if (rc != GDN_OK)
        fail_msg("%s", err.msg);
    assert_same_traj(&tr, &back);
    assert_int_equal(nnames, 2);
    assert_string_equal(names[1], "uniform");
    gdn_names_free(names, nnames);
    gdn_traj_release(&back);
    /* a sidecar that disagrees with the array */
    char *rows = strstr(text, "\"rows\": 57");
    assert_non_null(rows);
    memcpy(rows, "\"rows\": 58", 10);
    write_text(side, text, strlen(text));
    assert_int_equal(gdn_traj_read(path, &back, &names, &nnames, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "sidecar"));
    gdn_traj_release(&back);
    gdn_traj_release(&tr);
}

static void test_discrete(void **state)
{
    roundtrip(((fixture *)*state)->dir, "steps.csv", 1);
    roundtrip(((fixture *)*state)->dir, "steps.json", 1);
}

/* n = 3, no groups, no samples; and a group name with '_' in it. */
static void test_shapes(void **state)
{
    fixture *f = *state;
    char path[512];
    gdn_traj tr, back;
    char **names;
    size_t nnames;
    gdn_error err;
    gdn_traj_init(&tr, 3, 0, 1);
    snprintf(path, sizeof path, "%s/empty.json", f->dir);
    write_traj(path, &tr, NULL);
    assert_int_equal(gdn_traj_read(path, &back, &names, &nnames, &err),
                     GDN_OK);
    assert_int_equal(back.n, 3);
    assert_int_equal(back.ngroups, 0);
    assert_int_equal(back.count, 0);
    assert_true(back.discrete);
    assert_null(names);
    assert_int_equal(nnames, 0);
    gdn_traj_release(&back);

    static const char csv[] =
        "t,phi1,theta1,my_avg_phi1,my_avg_theta1\r\n"
        "0,1,2,3,4\r\n"
        "0.5,-1e-3,2E+2,3.25,-0\r\n";
    snprintf(path, sizeof path, "%s/crlf.csv", f->dir);
    write_text(path, csv, sizeof csv - 1);
    assert_int_equal(gdn_traj_read(path, &back, &names, &nnames, &err),
                     GDN_OK);
    assert_int_equal(back.n, 1);
    assert_int_equal(back.count, 2);
    assert_false(back.discrete);
    assert_int_equal(nnames, 1);
    assert_string_equal(names[0], "my_avg");
    assert_true(back.t[1] == 0.5 && back.x[2] == -1e-3 && back.x[3] == 200);
    assert_true(back.avg[3] == 0.0 && signbit(back.avg[3]));
    gdn_names_free(names, nnames);
    gdn_traj_release(&back);

    /* JSON with escapes, other keys, rows before columns, no final '\n' */
    static const char json[] =
        "{\"note\": {\"a\": [true, false, null, \"x\\u00e9\\ud83d\\ude00\"]},"
        " \"rows\": [[0, 1.5, -2]],"
        " \"c\\u006flumns\": [\"t\", \"ph\\u00691\", \"theta1\"]}";
    snprintf(path, sizeof path, "%s/odd.json", f->dir);
    write_text(path, json, sizeof json - 1);
    int rc = gdn_traj_read(path, &back, &names, &nnames, &err);
    if (rc != GDN_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(back.n, 1);
    assert_int_equal(back.count, 1);
    assert_true(back.x[0] == 1.5 && back.x[1] == -2);
    gdn_traj_release(&back);
}

static void test_missing_and_format(void **state)
{
    fixture *f = *state;
    char path[512], want[600];
    gdn_traj tr;
    char **names = (char **)&names;
    size_t nnames = 7;
    gdn_error err;
    snprintf(path, sizeof path, "%s/nope.csv", f->dir);
    assert_int_equal(gdn_traj_read(path, &tr, &names, &nnames, &err),
                     GDN_EIO);
    snprintf(want, sizeof want,
             "cannot read '%s': No such file or directory", path);
    assert_string_equal(err.msg, want);
    assert_null(names);
    assert_int_equal(nnames, 0);
    assert_int_equal(tr.count, 0);
    gdn_traj_release(&tr);

    snprintf(path, sizeof path, "%s/run.npy", f->dir);
    assert_int_equal(gdn_traj_read(path, &tr, &names, &nnames, &err),
                     GDN_EIO); /* no such file */
    snprintf(path, sizeof path, "%s/run.txt", f->dir);
    assert_int_equal(gdn_traj_read(path, &tr, &names, &nnames, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "run.txt"));
    snprintf(path, sizeof path, "%s/dir.csv", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(gdn_traj_read(path, &tr, &names, &nnames, &err),
                     GDN_EIO);
    assert_non_null(strstr(err.msg, "cannot read '"));
}

/* A malformed file and what its message must contain. */
typedef struct bad_case {
    const char *file; /* name; the extension picks the reader */
    const char *text; /* contents */
    size_t len;       /* 0: strlen(text) */
    const char *want; /* in the message, e.g. the bad token */
    int line;         /* expected line, 0 when the message has none */
} bad_case;

static const bad_case bad_cases[] = {
    {"empty.csv", "", 0, "empty file", 0},
    {"empty.json", " \n\t", 0, "empty file", 0},
    {"first.csv", "time,phi1,theta1\n0,1,2\n", 0, "'time'", 1},
    {"nophi.csv", "t,theta1\n0,1\n", 0, "'theta1'", 1},
    {"theta.csv", "t,phi1,phi2,theta1,theta3\n", 0, "'theta3'", 1},
    {"short.csv", "t,phi1,phi2,theta1\n", 0, "'theta2'", 1},
    {"group.csv", "t,phi1,theta1,ema_phi1,ema_theta2\n", 0, "'ema_theta2'",
     1},
    {"extra.csv", "t,phi1,theta1,junk\n", 0, "'junk'", 1},
    {"ragged.csv", "t,phi1,theta1\n0,1,2\n1,2\n", 0, "2 cells", 3},
    {"long.csv", "t,phi1,theta1\n0,1,2,77\n", 0, "'77'", 2},
    {"word.csv", "t,phi1,theta1\n0,1,2\n1,abc,2\n", 0, "'abc'", 3},
    {"nan.csv", "t,phi1,theta1\n0,nan,2\n", 0, "'nan'", 2},
    {"inf.csv", "t,phi1,theta1\n0,1,-inf\n", 0, "'-inf'", 2},
    {"huge.csv", "t,phi1,theta1\n0,1e999,2\n", 0, "'1e999'", 2},
    {"hex.csv", "t,phi1,theta1\n0,0x10,2\n", 0, "'0x10'", 2},
    {"space.csv", "t,phi1,theta1\n0, 1,2\n", 0, "' 1'", 2},
    {"emptycell.csv", "t,phi1,theta1\n0,,2\n", 0, "''", 2},
    {"blank.csv", "t,phi1,theta1\n0,1,2\n\n1,2,3\n", 0, "empty line", 3},
    {"nul.csv", "t,phi1,theta1\n0,1\0,2\n", 20, "NUL", 2},
    {"garbage.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"], "
                     "\"rows\": []}\nxyz", 0, "'xyz'", 2},
    {"array.json", "[1, 2]", 0, "'['", 1},
    {"null.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                  "\"rows\": [[0, null, 1]]}", 0, "'null'", 2},
    {"string.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                    "\"rows\": [[0, \"1\", 1]]}", 0, "'\"1\"'", 2},
    {"raggedj.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                     "\"rows\": [[0, 1, 2],\n[0, 1]]}", 0, "2 values", 3},
    {"notrow.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                    "\"rows\": [[0, 1, 2], 5]}", 0, "'5'", 2},
    {"escape.json", "{\"columns\": [\"t\\q\"], \"rows\": []}", 0, "'\\q'",
     1},
    {"surrogate.json", "{\"columns\": [\"\\ud800x\"], \"rows\": []}", 0,
     "'\\ud800'", 1},
    {"leading0.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                      "\"rows\": [[0, 01, 2]]}", 0, "'01'", 2},
    {"trailing.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                      "\"rows\": [[0, 1, 2],]}", 0, "']'", 2},
    {"open.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                  "\"rows\": [[0, 1, 2]", 0, "end of file", 2},
    {"norows.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"]}", 0,
     "\"rows\"", 1},
    {"dup.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                 "\"rows\": [], \"rows\": []}", 0, "'rows'", 2},
    {"colnum.json", "{\"columns\": [\"t\", 7], \"rows\": []}", 0, "'7'", 1},
    {"ctrl.json", "{\"columns\": [\"t\tx\"], \"rows\": []}", 0, "0x09", 1},
    {"badword.json", "{\"columns\": tru, \"rows\": []}", 0, "'tru'", 1},
    {"bigjson.json", "{\"columns\": [\"t\", \"phi1\", \"theta1\"],\n"
                     "\"rows\": [[0, 1, 1e400]]}", 0, "'1e400'", 2},
};

static void test_malformed(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char path[512], where[600];
        gdn_traj tr;
        char **names = (char **)&names;
        size_t nnames = 7;
        gdn_error err;
        snprintf(path, sizeof path, "%s/%s", f->dir, c->file);
        write_text(path, c->text, c->len ? c->len : strlen(c->text));
        int rc = gdn_traj_read(path, &tr, &names, &nnames, &err);
        if (rc != GDN_EINVAL)
            fail_msg("%s: returned %d (%s)", c->file, rc, err.msg);
        if (!strstr(err.msg, c->want))
            fail_msg("%s: message \"%s\" lacks \"%s\"", c->file, err.msg,
                     c->want);
        if (c->line)
            snprintf(where, sizeof where, "'%s' line %d: ", path, c->line);
        else
            snprintf(where, sizeof where, "'%s': ", path);
        if (strncmp(err.msg, where, strlen(where)) != 0)
            fail_msg("%s: message \"%s\" does not start \"%s\"", c->file,
                     err.msg, where);
        assert_null(strchr(err.msg, '\n'));
        assert_null(names);
        assert_int_equal(nnames, 0);
        assert_int_equal(tr.count, 0);
        assert_null(tr.t);
    }
}

/* Nesting is bounded: a deep document is refused, not a stack overflow. */
static void test_deep_json(void **state)
{
    fixture *f = *state;
    char path[512];
    size_t depth = 100000;
    char *text = malloc(2 * depth + 64);
    assert_non_null(text);
    size_t len = (size_t)sprintf(text, "{\"x\": ");
    memset(text + len, '[', depth);
    len += depth;
    memset(text + len, ']', depth);
    len += depth;
    text[len++] = '}';
    snprintf(path, sizeof path, "%s/deep.json", f->dir);
    write_text(path, text, len);
    free(text);
    gdn_traj tr;
    char **names;
    size_t nnames;
    gdn_error err;
    assert_int_equal(gdn_traj_read(path, &tr, &names, &nnames, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "nesting"));
}

/* A long name is cut in the message, which stays one line. */
static void test_long_token(void **state)
{
    fixture *f = *state;
    char path[512], text[4096];
    memset(text, 'z', 3000);
    memcpy(text + 3000, ",phi1\n", 7);
    snprintf(path, sizeof path, "%s/long.csv", f->dir);
    write_text(path, text, strlen(text));
    gdn_traj tr;
    char **names;
    size_t nnames;
    gdn_error err;
    assert_int_equal(gdn_traj_read(path, &tr, &names, &nnames, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "'zzzz"));
    assert_non_null(strstr(err.msg, "...'"));
    assert_true(strlen(err.msg) < 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_csv, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_roundtrip_json, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_discrete, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_shapes, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_missing_and_format, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_roundtrip_npy, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_malformed, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_deep_json, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_long_token, setup_dir,
                                        teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
