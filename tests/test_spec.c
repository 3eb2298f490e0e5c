/*
 * test_spec.c - strict number parsing, key=value lists, component SPECs
 * (gandyn/spec.h).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gandyn/error.h"
#include "gandyn/model.h"
#include "gandyn/run.h"
#include "gandyn/spec.h"
#include "gandyn/system.h"

/* A method's parameter by key (tables are not indexed by position). */
#define PAR(o, key) ((o).par[gdn_param_index((o).opt->params, (key))])

/* Exact double equality, with both values printed on failure. */
#define assert_dbl_eq(got, want)                                              \
    do {                                                                      \
        double g_ = (got), w_ = (want);                                       \
        if (!(g_ == w_)) {                                                    \
            print_error("%s = %.17g, expected %.17g\n", #got, g_, w_);        \
            fail();                                                           \
        }                                                                     \
    } while (0)

/* err holds GDN_EINVAL and a one-line message containing every needle. */
#define assert_einval_msg(err, ...)                                           \
    assert_msg_contains_((err), __FILE__, __LINE__,                           \
                         (const char *const[]){__VA_ARGS__, NULL})

static void assert_msg_contains_(const gdn_error *err, const char *file,
                                 int line, const char *const *needles)
{
    if (err->code != GDN_EINVAL) {
        print_error("%s:%d: error code %d, expected GDN_EINVAL (message '%s')\n",
                    file, line, err->code, err->msg);
        fail();
    }
    if (strchr(err->msg, '\n') || err->msg[0] == '\0') {
        print_error("%s:%d: message '%s' is empty or not one line\n", file,
                    line, err->msg);
        fail();
    }
    for (size_t k = 0; needles[k]; k++)
        if (!strstr(err->msg, needles[k])) {
            print_error("%s:%d: message '%s' lacks '%s'\n", file, line,
                        err->msg, needles[k]);
            fail();
        }
}

/* ------------------------------------------------------ gdn_parse_double */

static void test_parse_double_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        double v;
    } good[] = {{"1.5", 1.5},   {"-0.25", -0.25}, {"0", 0.0},
                {"1e-3", 1e-3}, {"100", 100.0},   {"0.1", 0.1},
                {"1E2", 100.0}, {"-3e2", -300.0},
                {"1.7976931348623157e308", 1.7976931348623157e308}};
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        gdn_error err;
        gdn_error_clear(&err);
        double v = -12345.0;
        int rc = gdn_parse_double(good[k].s, "--x", &v, &err);
        if (rc != GDN_OK) {
            print_error("'%s' rejected: %s\n", good[k].s, err.msg);
            fail();
        }
        assert_dbl_eq(v, good[k].v);
    }
    /* -0 keeps its sign */
    double z = 1.0;
    assert_int_equal(gdn_parse_double("-0", "--x", &z, NULL), GDN_OK);
    assert_true(z == 0.0 && signbit(z));
}

static void test_parse_double_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",       "abc",   "1.5x",  "1.5 ",  "1,5",   "--1",   "1e",
        "1e+",    ".",     "-",     "1.5\n", "1..5",  "0.5.",  "five",
        " 1.5",   "\t1.5", "1 5",   "1.5\t"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gdn_error err;
        gdn_error_clear(&err);
        double v = 42.0;
        int rc = gdn_parse_double(bad[k], "--t-end", &v, &err);
        if (rc != GDN_EINVAL) {
            print_error("gdn_parse_double(\"%s\") returned %d (value %g), "
                        "expected GDN_EINVAL\n", bad[k], rc, v);
            fail();
        }
        assert_int_equal(err.code, GDN_EINVAL);
        assert_dbl_eq(v, 42.0); /* untouched on failure */
        assert_non_null(strstr(err.msg, "--t-end"));
    }
}

/* Leading white space of any kind is junk too (strtod skips it). */
static void test_parse_double_leading_space(void **state)
{
    (void)state;
    static const char *const bad[] = {"\n1.5", "\v1.5", "\f1.5", "\r1.5"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gdn_error err;
        gdn_error_clear(&err);
        double v = 42.0;
        int rc = gdn_parse_double(bad[k], "--t-end", &v, &err);
        if (rc != GDN_EINVAL) {
            print_error("gdn_parse_double(\"\\x%02x1.5\") returned %d "
                        "(value %g), expected GDN_EINVAL\n",
                        (unsigned)bad[k][0], rc, v);
            fail();
        }
        assert_dbl_eq(v, 42.0);
    }
}

static void test_parse_double_nonfinite(void **state)
{
    (void)state;
    static const char *const bad[] = {"inf",  "-inf",   "INF",    "infinity",
                                      "nan",  "NaN",    "-nan",   "1e999",
                                      "-1e999", "1e309", "nan(123)"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gdn_error err;
        gdn_error_clear(&err);
        double v = 42.0;
        int rc = gdn_parse_double(bad[k], "--dt", &v, &err);
        if (rc != GDN_EINVAL) {
            print_error("gdn_parse_double(\"%s\") returned %d, expected "
                        "GDN_EINVAL\n", bad[k], rc);
            fail();
        }
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[k]);
        assert_einval_msg(&err, "--dt", quoted);
        assert_dbl_eq(v, 42.0);
    }
}

static void test_parse_double_messages(void **state)
{
    (void)state;
    gdn_error err;
    double v;
    assert_int_equal(gdn_parse_double("abc", "--t-end", &v, &err), GDN_EINVAL);
    assert_einval_msg(&err, "--t-end", "'abc'");
    assert_int_equal(gdn_parse_double("", "--dt", &v, &err), GDN_EINVAL);
    assert_einval_msg(&err, "--dt", "''");
    /* NULL error record is allowed */
    assert_int_equal(gdn_parse_double("x", "--dt", &v, NULL), GDN_EINVAL);
}

/* Hexadecimal (which strtod reads) is refused; the value is untouched. */
static void test_parse_double_hex(void **state)
{
    (void)state;
    static const char *const bad[] = {"0x10", "0x1p3", "-0x1P-2", "0X1",
                                      "0x.8", "+0x10"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gdn_error err;
        double v = 42.0;
        if (gdn_parse_double(bad[k], "--dt", &v, &err) != GDN_EINVAL) {
            print_error("'%s' accepted as %.17g\n", bad[k], v);
            fail();
        }
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[k]);
        assert_einval_msg(&err, "--dt", quoted, "hexadecimal");
        assert_dbl_eq(v, 42.0);
    }
    long n = 7;
    gdn_error err;
    assert_int_equal(gdn_parse_long("0x10", "--dim", 1, 100, &n, &err),
                     GDN_EINVAL);
    assert_int_equal(n, 7);
}

/* A subnormal is a number: accepted with strtod's value (glibc reports
 * ERANGE for it); a nonzero text that rounds to 0 is "too small", and
 * neither is called "not finite". */
static void test_parse_double_tiny(void **state)
{
    (void)state;
    double v = 0;
    gdn_error err;
    assert_int_equal(gdn_parse_double("1e-310", "--eps", &v, &err), GDN_OK);
    assert_dbl_eq(v, 1e-310);
    assert_true(v > 0 && v < 2.2250738585072014e-308); /* subnormal */
    assert_int_equal(gdn_parse_double("4.9406564584124654e-324", "--eps", &v,
                                      &err), GDN_OK);
    assert_dbl_eq(v, ldexp(1.0, -1074)); /* the smallest double */
    assert_int_equal(gdn_parse_double("-2e-320", "--eps", &v, &err), GDN_OK);
    assert_true(v < 0 && v > -1e-319);
    static const char *const tiny[] = {"1e-400", "-1e-330", "2e-324"};
    for (size_t k = 0; k < sizeof tiny / sizeof tiny[0]; k++) {
        v = 42.0;
        assert_int_equal(gdn_parse_double(tiny[k], "--eps", &v, &err),
                         GDN_EINVAL);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", tiny[k]);
        assert_einval_msg(&err, "--eps", quoted, "too small");
        assert_null(strstr(err.msg, "finite"));
        assert_dbl_eq(v, 42.0);
    }
    /* an exact zero written with a huge exponent is still 0 */
    assert_int_equal(gdn_parse_double("0e-999", "--eps", &v, &err), GDN_OK);
    assert_dbl_eq(v, 0.0);
}

/* -------------------------------------------------------- gdn_parse_long */

static void test_parse_long(void **state)
{
    (void)state;
    gdn_error err;
    long v = 0;
    assert_int_equal(gdn_parse_long("42", "--dim", 0, 100, &v, &err), GDN_OK);
    assert_int_equal(v, 42);
    assert_int_equal(gdn_parse_long("-3", "--k", -5, 5, &v, &err), GDN_OK);
    assert_true(v == -3);
    assert_int_equal(gdn_parse_long("0", "--k", 0, 100, &v, &err), GDN_OK);
    assert_int_equal(v, 0);
    assert_int_equal(gdn_parse_long("100", "--k", 0, 100, &v, &err), GDN_OK);
    assert_int_equal(v, 100);
    assert_int_equal(gdn_parse_long("1000000000000", "--steps", 0,
                                    1000000000000L, &v, &err), GDN_OK);
    assert_true(v == 1000000000000L);
}

static void test_parse_long_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",     "abc",  "4.0",  "4x",  "4 ",  "4\n",
        "1e3",  "0x10", "4,5",  "--4", "-",   "four", "99999999999999999999",
        "-99999999999999999999"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gdn_error err;
        gdn_error_clear(&err);
        long v = 7;
        int rc = gdn_parse_long(bad[k], "--dim", -1000, 1000, &v, &err);
        if (rc != GDN_EINVAL) {
            print_error("gdn_parse_long(\"%s\") returned %d (value %ld), "
                        "expected GDN_EINVAL\n", bad[k], rc, v);
            fail();
        }
        assert_int_equal(err.code, GDN_EINVAL);
        assert_true(v == 7);
        assert_non_null(strstr(err.msg, "--dim"));
    }
    gdn_error err;
    long v = 7;
    assert_int_equal(gdn_parse_long("99999999999999999999", "--dim", 1, 10, &v,
                                    &err), GDN_EINVAL);
    assert_einval_msg(&err, "--dim", "99999999999999999999");
}

/* Leading white space is junk (strtol skips it). */
static void test_parse_long_leading_space(void **state)
{
    (void)state;
    static const char *const bad[] = {" 4", "\t4", "\n4", "\v4"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        gdn_error err;
        gdn_error_clear(&err);
        long v = 7;
        int rc = gdn_parse_long(bad[k], "--dim", -1000, 1000, &v, &err);
        if (rc != GDN_EINVAL) {
            print_error("gdn_parse_long(\"\\x%02x4\") returned %d (value "
                        "%ld), expected GDN_EINVAL\n", (unsigned)bad[k][0],
                        rc, v);
            fail();
        }
        assert_true(v == 7);
    }
}

static void test_parse_long_range(void **state)
{
    (void)state;
    gdn_error err;
    long v = 7;
    assert_int_equal(gdn_parse_long("101", "--dim", 0, 100, &v, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "--dim", "101", "0 to 100");
    assert_true(v == 7);
    assert_int_equal(gdn_parse_long("0", "--dim", 1, 1048576, &v, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg,
                        "--dim: 0 is out of range (accepted: 1 to 1048576)");
    assert_int_equal(gdn_parse_long("-1", "--steps", 0, 5, &v, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "--steps", "-1", "0 to 5");
    assert_true(v == 7);
}

/* ----------------------------------------------------- gdn_params_apply */

struct tbl_par {
    double lambda, c, mode, k, p, rate;
};
#define TBL struct tbl_par
static const gdn_param tbl[] = {
    GDN_PARAM_ENTRY("lambda", 1.0, 0.0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "weight", TBL, lambda),
    GDN_PARAM_ENTRY("c", 1.0, 0.0, INFINITY, 0, NULL, "centre", TBL, c),
    GDN_PARAM_ENTRY("mode", 0, 0, 2, GDN_PARAM_ENUM, "aa|bb|cc", "a choice",
                    TBL, mode),
    GDN_PARAM_ENTRY("k", 1, 1, 10, GDN_PARAM_INT, NULL, "a count", TBL, k),
    GDN_PARAM_ENTRY("p", 0.5, 0, 1, GDN_PARAM_HI_OPEN, NULL, "a fraction",
                    TBL, p),
    GDN_PARAM_ENTRY("rate", NAN, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "inherits", TBL, rate),
    {0}};
#undef TBL
#define NTBL 6

static void defaults(double *v, unsigned char *given)
{
    for (size_t k = 0; k < NTBL; k++) {
        v[k] = tbl[k].def;
        given[k] = 0;
    }
}

static void test_apply_empty(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "", v, given, &err), GDN_OK);
    assert_dbl_eq(v[0], 1.0);
    assert_dbl_eq(v[1], 1.0);
    assert_dbl_eq(v[2], 0.0);
    assert_dbl_eq(v[3], 1.0);
    assert_dbl_eq(v[4], 0.5);
    assert_true(isnan(v[5]));
    for (size_t k = 0; k < NTBL; k++)
        assert_int_equal(given[k], 0);
}

static void test_apply_values(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own",
                                      "lambda=0.3,mode=cc,k=3,rate=2.5e-3", v,
                                      given, &err),
                     GDN_OK);
    assert_dbl_eq(v[0], 0.3);
    assert_dbl_eq(v[1], 1.0); /* untouched */
    assert_dbl_eq(v[2], 2.0); /* index of cc */
    assert_dbl_eq(v[3], 3.0);
    assert_dbl_eq(v[4], 0.5);
    assert_dbl_eq(v[5], 2.5e-3);
    const unsigned char want[NTBL] = {1, 0, 1, 1, 0, 1};
    assert_memory_equal(given, want, NTBL);

    /* boundaries: closed lo accepted, open lo rejected elsewhere */
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "c=0,p=0,k=10,mode=aa", v,
                                      given, &err), GDN_OK);
    assert_dbl_eq(v[1], 0.0);
    assert_dbl_eq(v[4], 0.0);
    assert_dbl_eq(v[3], 10.0);
    assert_dbl_eq(v[2], 0.0);
    assert_int_equal(given[2], 1);

    /* given may be NULL */
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "mode=bb", v, NULL, &err),
                     GDN_OK);
    assert_dbl_eq(v[2], 1.0);
}

static void test_apply_unknown_key(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "lamda=1", v, given, &err),
                     GDN_EINVAL);
    assert_int_equal(err.code, GDN_EINVAL);
    assert_string_equal(err.msg, "own: unknown key 'lamda' (did you mean "
                                 "'lambda'? accepted: lambda, "
                                 "c, mode, k, p, rate)");
    /* after a good one */
    assert_int_equal(gdn_params_apply(tbl, "own", "c=2,zz=1", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "'zz'", "lambda, c, mode, k, p, rate");
    /* case matters */
    assert_int_equal(gdn_params_apply(tbl, "own", "Lambda=1", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "'Lambda'", "accepted");
    /* a table with no keys */
    static const gdn_param none[] = {{0}};
    double nv[1] = {0};
    assert_int_equal(gdn_params_apply(none, "nsgan", "lambda=1", nv, NULL,
                                      &err), GDN_EINVAL);
    assert_einval_msg(&err, "nsgan", "'lambda'");
    assert_int_equal(gdn_params_apply(none, "nsgan", "", nv, NULL, &err),
                     GDN_OK);
}

/* A key given twice is refused, whatever the values; the values are
 * those of the table up to the refusal. */
static void test_apply_duplicate_key(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    static const char *const lists[] = {"lambda=0.1,lambda=0.2",
                                        "lambda=2,c=1,lambda=2",
                                        "mode=aa,mode=bb", "k=1,p=0.5,k=1"};
    for (size_t q = 0; q < sizeof lists / sizeof lists[0]; q++) {
        defaults(v, given);
        assert_int_equal(gdn_params_apply(tbl, "own", lists[q], v, given,
                                          &err), GDN_EINVAL);
        assert_einval_msg(&err, "own", "given twice");
    }
    assert_string_equal(err.msg, "own: key 'k' given twice (each key at most "
                                 "once)");
    /* through a SPEC: adam:lr=0.1,lr=0.2 */
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_opt("adam:lr=0.1,lr=0.2", &o, NULL, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg, "adam: key 'lr' given twice (each key at "
                                 "most once)");
    /* distinct keys are fine */
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "lambda=2,c=3", v, given,
                                      &err), GDN_OK);
    assert_dbl_eq(v[0], 2.0);
    assert_dbl_eq(v[1], 3.0);
}

/* Did-you-mean: names, keys and choices within 2 edits (a transposition
 * is one), nothing for a word far from every candidate. */
static void test_suggestions(void **state)
{
    (void)state;
    gdn_error err;
    gdn_term term;
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    assert_int_equal(gdn_spec_term("nsgn", gdn_models, "model", &term, NULL,
                                   &err), GDN_EINVAL);
    assert_einval_msg(&err, "'nsgn'", "did you mean 'nsgan'?", "accepted:");
    assert_int_equal(gdn_spec_term("wgan-gp:lamda=1", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "'lamda'", "did you mean 'lambda'?");
    assert_int_equal(gdn_spec_term("fgan-hellnger", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "did you mean 'fgan-hellinger'?");
    assert_int_equal(gdn_spec_opt("extragradeint:lr=0.1", &o, NULL, &err),
                     GDN_EINVAL); /* transposition */
    assert_einval_msg(&err, "did you mean 'extragradient'?");
    assert_int_equal(gdn_spec_opt("flow:method=dorpi5", &o, NULL, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "did you mean 'dopri5'?", "dopri5|rk4|euler");
    /* too far: no suggestion, the list still given */
    assert_int_equal(gdn_spec_term("frobnicate", gdn_models, "model", &term,
                                   NULL, &err), GDN_EINVAL);
    assert_null(strstr(err.msg, "did you mean"));
    assert_einval_msg(&err, "accepted: gan");
    assert_int_equal(gdn_spec_opt("simgd:z=1", &o, NULL, &err), GDN_EINVAL);
    assert_null(strstr(err.msg, "did you mean")); /* 1 letter: 'lr' is 2 away */

    /* the distance itself: OSA, with the length rule */
    static const struct {
        const char *word, *cand;
        int hit;
    } cases[] = {{"stpes", "steps", 1},  {"steps", "steps", 0},
                 {"lamda", "lambda", 1}, {"lmbda", "lambda", 1},
                 {"lmda", "lambda", 0},  {"ab", "ba", 1},
                 {"x", "c", 0},          {"abc", "xyz", 0},
                 {"modl", "model", 1},   {"mdoel", "model", 1}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        gdn_suggest sg;
        char buf[96];
        gdn_suggest_init(&sg, cases[k].word);
        gdn_suggest_add(&sg, cases[k].cand, strlen(cases[k].cand));
        gdn_suggest_text(&sg, buf, sizeof buf);
        if ((buf[0] != '\0') != cases[k].hit) {
            print_error("'%s' vs '%s': suggestion '%s'\n", cases[k].word,
                        cases[k].cand, buf);
            fail();
        }
    }
    /* the nearest of several wins */
    gdn_suggest sg;
    char buf[96];
    gdn_suggest_init(&sg, "rk5");
    gdn_suggest_words(&sg, "dopri5|rk4|euler", '|');
    assert_string_equal(gdn_suggest_text(&sg, buf, sizeof buf),
                        "did you mean 'rk4'? ");
}

/* gdn_params_format writes a SPEC that reads back into the same values,
 * bit for bit, for every model, regularizer and optimizer. */
static void test_params_format_roundtrip(void **state)
{
    (void)state;
    char buf[512];
    gdn_error err;
    gdn_term term, back;
    /* awkward values: 17 digits, subnormal, huge, negative zero */
    assert_int_equal(gdn_spec_term("wgan-gp:lambda=0.30000000000000004,"
                                   "c=1e-310", gdn_models, "model", &term,
                                   NULL, &err), GDN_OK);
    assert_int_equal(gdn_params_format("wgan-gp", term.type->params, term.par,
                                       buf, sizeof buf), GDN_OK);
    assert_string_equal(buf, "wgan-gp:lambda=0.30000000000000004,c=1e-310");
    const gdn_term_type *const *lists[] = {gdn_models, gdn_regularizers};
    for (int l = 0; l < 2; l++)
        for (size_t k = 0; lists[l][k]; k++) {
            const gdn_term_type *t = lists[l][k];
            assert_int_equal(gdn_spec_term(t->name, lists[l], "x", &term, NULL,
                                           &err), GDN_OK);
            for (size_t q = 0; q < gdn_param_count(t->params); q++)
                if (!(t->params[q].flags & (GDN_PARAM_ENUM | GDN_PARAM_INT)))
                    term.par[q] = t->params[q].def * (1 + 1e-15) + 1e-17;
            assert_int_equal(gdn_params_format(t->name, t->params, term.par,
                                               buf, sizeof buf), GDN_OK);
            assert_int_equal(gdn_spec_term(buf, lists[l], "x", &back, NULL,
                                           &err), GDN_OK);
            assert_ptr_equal(back.type, t);
            for (size_t q = 0; q < gdn_param_count(t->params); q++)
                if (memcmp(&back.par[q], &term.par[q], sizeof(double))) {
                    print_error("%s: %s %.17g read back as %.17g from '%s'\n",
                                t->name, t->params[q].key, term.par[q],
                                back.par[q], buf);
                    fail();
                }
        }
    for (size_t k = 0; gdn_optimizers[k]; k++) {
        const gdn_opt_type *t = gdn_optimizers[k];
        gdn_run_opts o, b;
        gdn_run_opts_init(&o, t);
        gdn_run_opts_init(&b, t);
        assert_int_equal(gdn_spec_opt(t->name, &o, NULL, &err), GDN_OK);
        for (size_t q = 0; q < gdn_param_count(t->params); q++)
            if (!(t->params[q].flags & (GDN_PARAM_ENUM | GDN_PARAM_INT)) &&
                !isnan(o.par[q]))
                o.par[q] = o.par[q] * (1 - 1e-15);
        assert_int_equal(gdn_params_format(t->name, t->params, o.par, buf,
                                           sizeof buf), GDN_OK);
        assert_int_equal(gdn_spec_opt(buf, &b, NULL, &err), GDN_OK);
        assert_ptr_equal(b.opt, t);
        for (size_t q = 0; q < gdn_param_count(t->params); q++)
            if (memcmp(&b.par[q], &o.par[q], sizeof(double)) &&
                !(isnan(b.par[q]) && isnan(o.par[q]))) {
                print_error("%s: %s %.17g read back as %.17g from '%s'\n",
                            t->name, t->params[q].key, o.par[q], b.par[q], buf);
                fail();
            }
    }
    /* too small a buffer is an error, not a cut SPEC */
    assert_int_equal(gdn_params_format("simgd", gdn_opt_find("simgd")->params,
                                       (double[GDN_MAX_PARAMS]){0.1}, buf, 8),
                     GDN_EINVAL);
    /* EMA group names are built with gdn_format_double: distinct values,
     * distinct texts, each reading back as its value */
    char a[32], b2[32];
    gdn_format_double(0.99, a, sizeof a);
    gdn_format_double(0.990000001, b2, sizeof b2);
    assert_string_equal(a, "0.99");
    assert_string_equal(b2, "0.990000001");
    double near = nextafter(0.99, 1.0);
    gdn_format_double(near, b2, sizeof b2);
    assert_string_not_equal(a, b2);
    assert_true(strtod(b2, NULL) == near);
}

static void test_apply_enum(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    static const char *const bad[] = {"dd", "a", "aab", "AA", "", "aa|bb",
                                      "0", "1"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char kv[32], quoted[32];
        snprintf(kv, sizeof kv, "mode=%s", bad[k]);
        snprintf(quoted, sizeof quoted, "'%s'", bad[k]);
        defaults(v, given);
        int rc = gdn_params_apply(tbl, "own", kv, v, given, &err);
        if (rc != GDN_EINVAL) {
            print_error("'%s' accepted (value %g)\n", kv, v[2]);
            fail();
        }
        assert_einval_msg(&err, "own", "mode", quoted, "aa|bb|cc");
        assert_int_equal(given[2], 0);
    }
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "mode=dd", v, given, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg, "own: mode='dd' (accepted: aa|bb|cc)");
}

static void test_apply_range(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "lambda=0", v, given, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg,
                        "own: lambda=0 is out of range (accepted: > 0)");
    assert_int_equal(gdn_params_apply(tbl, "own", "c=-1", v, given, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg, "own: c=-1 is out of range (accepted: >= 0)");
    assert_int_equal(gdn_params_apply(tbl, "own", "p=1", v, given, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg,
                        "own: p=1 is out of range (accepted: in [0, 1))");
    assert_int_equal(gdn_params_apply(tbl, "own", "k=0", v, given, &err),
                     GDN_EINVAL);
    assert_string_equal(
        err.msg, "own: k=0 is out of range (accepted: whole number in [1, 10])");
    assert_int_equal(gdn_params_apply(tbl, "own", "k=11", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "k=11", "whole number in [1, 10]");
    assert_int_equal(gdn_params_apply(tbl, "own", "k=2.5", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "k=2.5", "whole number in [1, 10]");
    assert_int_equal(gdn_params_apply(tbl, "own", "rate=0", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "rate=0", "> 0");
}

/* The message names the bad token as typed: k=2.0000001 must not be
 * reported as "k=2 is out of range", which reads as if 2 were refused. */
static void test_apply_range_token(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "k=2.0000001", v, given,
                                      &err), GDN_EINVAL);
    assert_einval_msg(&err, "k", "2.0000001");
    assert_int_equal(gdn_params_apply(tbl, "own", "lambda=-0.0000001", v,
                                      given, &err), GDN_EINVAL);
    assert_einval_msg(&err, "lambda", "-0.0000001");
}

static void test_apply_bad_numbers(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    static const char *const bad[] = {"abc", "", "1x", "inf", "nan", "1e999",
                                      " 1", "1 "};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        char kv[32], quoted[32];
        snprintf(kv, sizeof kv, "c=%s", bad[k]);
        snprintf(quoted, sizeof quoted, "'%s'", bad[k]);
        defaults(v, given);
        int rc = gdn_params_apply(tbl, "own", kv, v, given, &err);
        if (rc != GDN_EINVAL) {
            print_error("'%s' accepted (value %g)\n", kv, v[1]);
            fail();
        }
        assert_einval_msg(&err, "own", "c", quoted);
        assert_dbl_eq(v[1], 1.0);
        assert_int_equal(given[1], 0);
    }
}

static void test_apply_syntax(void **state)
{
    (void)state;
    double v[NTBL];
    unsigned char given[NTBL];
    gdn_error err;
    defaults(v, given);
    assert_int_equal(gdn_params_apply(tbl, "own", "lambda=2,", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "own", "empty item");
    assert_int_equal(gdn_params_apply(tbl, "own", "lambda=2,,c=1", v, given,
                                      &err), GDN_EINVAL);
    assert_einval_msg(&err, "own");
    assert_int_equal(gdn_params_apply(tbl, "own", ",lambda=2", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "own");
    assert_int_equal(gdn_params_apply(tbl, "own", "lambda", v, given, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg, "own: 'lambda' is not key=value");
    assert_int_equal(gdn_params_apply(tbl, "own", "c=1,lambda", v, given,
                                      &err), GDN_EINVAL);
    assert_einval_msg(&err, "'lambda'", "key=value");
    assert_int_equal(gdn_params_apply(tbl, "own", "=1", v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "'=1'", "key=value");
    /* too long a list is refused, not truncated */
    char longlist[2048];
    size_t used = 0;
    while (used + 8 < sizeof longlist)
        used += (size_t)snprintf(longlist + used, sizeof longlist - used,
                                 "%sc=1", used ? "," : "");
    assert_int_equal(gdn_params_apply(tbl, "own", longlist, v, given, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "own");
}

/* ----------------------------------------------------- gdn_param_check */

static void test_param_check(void **state)
{
    (void)state;
    gdn_error err;
    assert_int_equal(gdn_param_check(&tbl[0], "o", 1e-300, &err), GDN_OK);
    assert_int_equal(gdn_param_check(&tbl[0], "o", 0.0, &err), GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[0], "o", INFINITY, &err),
                     GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[0], "o", NAN, &err), GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[1], "o", 0.0, &err), GDN_OK);
    assert_int_equal(gdn_param_check(&tbl[1], "o", -1e-300, &err), GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[3], "o", 10.0, &err), GDN_OK);
    assert_int_equal(gdn_param_check(&tbl[3], "o", 9.5, &err), GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[4], "o", 0.999, &err), GDN_OK);
    assert_int_equal(gdn_param_check(&tbl[4], "o", 1.0, &err), GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[2], "o", 2.0, &err), GDN_OK);
    assert_int_equal(gdn_param_check(&tbl[2], "o", 3.0, &err), GDN_EINVAL);
    assert_int_equal(gdn_param_check(&tbl[2], "o", 0.5, &err), GDN_EINVAL);
    /* NaN means "inherits" only where the default is NaN */
    assert_int_equal(gdn_param_check(&tbl[5], "o", NAN, &err), GDN_OK);
    assert_int_equal(gdn_param_check(&tbl[5], "o", 0.0, &err), GDN_EINVAL);
    assert_einval_msg(&err, "o", "rate", "> 0");
}

/* ---------------------------------------------------- gdn_param_describe */

static void test_param_describe(void **state)
{
    (void)state;
    static const struct {
        gdn_param p;
        const char *want;
    } cases[] = {
        {{"a", 1, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL, "", 0, NULL}, "> 0"},
        {{"a", 1, 0, INFINITY, 0, NULL, "", 0, NULL}, ">= 0"},
        {{"a", 1, 0, 1, GDN_PARAM_LO_OPEN | GDN_PARAM_HI_OPEN, NULL, "", 0, NULL},
         "in (0, 1)"},
        {{"a", 1, 0, 1, GDN_PARAM_HI_OPEN, NULL, "", 0, NULL}, "in [0, 1)"},
        {{"a", 1, 0, 1, GDN_PARAM_LO_OPEN, NULL, "", 0, NULL}, "in (0, 1]"},
        {{"a", 1, -2.5, 3, 0, NULL, "", 0, NULL}, "in [-2.5, 3]"},
        {{"a", 1, 1, 10, GDN_PARAM_INT, NULL, "", 0, NULL}, "whole number in [1, 10]"},
        {{"a", 1, 1, INFINITY, GDN_PARAM_INT, NULL, "", 0, NULL}, "whole number >= 1"},
        {{"a", 1, 1, 1e6, GDN_PARAM_INT, NULL, "", 0, NULL},
         "whole number in [1, 1e+06]"},
        {{"a", 0, 0, 1, GDN_PARAM_ENUM, "dg|gd", "", 0, NULL}, "dg|gd"},
        {{"a", 0, 0, 2, GDN_PARAM_ENUM, "dopri5|rk4|euler", "", 0, NULL},
         "dopri5|rk4|euler"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char buf[96];
        memset(buf, 'X', sizeof buf);
        gdn_param_describe(&cases[k].p, buf, sizeof buf);
        assert_string_equal(buf, cases[k].want);
    }
    /* truncation keeps a terminated string */
    char small[6];
    gdn_param_describe(&cases[6].p, small, sizeof small);
    assert_string_equal(small, "whole");

    /* the real tables */
    char buf[96];
    const gdn_opt_type *flow = gdn_opt_find("flow");
    assert_non_null(flow);
    gdn_param_describe(&flow->params[gdn_param_index(flow->params, "rtol")], buf, sizeof buf);
    assert_string_equal(buf, "in (0, 1)");
    gdn_param_describe(&flow->params[gdn_param_index(flow->params, "method")], buf, sizeof buf);
    assert_string_equal(buf, "dopri5|rk4|euler");
    const gdn_opt_type *alt = gdn_opt_find("altgd");
    assert_non_null(alt);
    gdn_param_describe(&alt->params[gdn_param_index(alt->params, "ndis")], buf, sizeof buf);
    assert_string_equal(buf, "whole number in [1, 1e+06]");
    gdn_param_describe(&alt->params[gdn_param_index(alt->params, "order")], buf, sizeof buf);
    assert_string_equal(buf, "dg|gd");
    const gdn_term_type *qp = gdn_term_find(gdn_models, "gan-qp");
    assert_non_null(qp);
    gdn_param_describe(&qp->params[0], buf, sizeof buf);
    assert_string_equal(buf, "> 0");
    const gdn_term_type *wgp = gdn_term_find(gdn_models, "wgan-gp");
    assert_non_null(wgp);
    gdn_param_describe(&wgp->params[0], buf, sizeof buf);
    assert_string_equal(buf, ">= 0");
}

/* --------------------------------------------------------- gdn_spec_term */

/* "unknown KIND 'NAME' (accepted: a, b, c)" from a registry. */
/* hint: the expected did-you-mean suggestion, or NULL for none. */
static void unknown_msg(const gdn_term_type *const *list, const char *kind,
                        const char *name, const char *hint, char *buf,
                        size_t size)
{
    char h[96] = "";
    if (hint)
        snprintf(h, sizeof h, "did you mean '%s'? ", hint);
    size_t used = (size_t)snprintf(buf, size, "unknown %s '%s' (%saccepted: ",
                                   kind, name, h);
    for (size_t k = 0; list[k]; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 k ? ", " : "", list[k]->name);
    snprintf(buf + used, size - used, ")");
}

static void test_spec_term_models(void **state)
{
    (void)state;
    gdn_term term;
    unsigned char given[GDN_MAX_PARAMS];
    gdn_error err;

    /* every registered model by name, defaults filled */
    for (size_t k = 0; gdn_models[k]; k++) {
        memset(given, 7, sizeof given);
        assert_int_equal(gdn_spec_term(gdn_models[k]->name, gdn_models,
                                       "model", &term, given, &err), GDN_OK);
        assert_ptr_equal(term.type, gdn_models[k]);
        for (size_t j = 0; j < gdn_param_count(gdn_models[k]->params); j++)
            assert_true(term.par[j] == gdn_models[k]->params[j].def ||
                        (isnan(term.par[j]) &&
                         isnan(gdn_models[k]->params[j].def)));
    }

    assert_int_equal(gdn_spec_term("wgan-gp", gdn_models, "model", &term,
                                   given, &err), GDN_OK);
    assert_ptr_equal(term.type, gdn_term_find(gdn_models, "wgan-gp"));
    assert_dbl_eq(term.par[0], 0.1);
    assert_dbl_eq(term.par[1], 1.0);

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_term("wgan-gp:lambda=0.3,c=0", gdn_models,
                                   "model", &term, given, &err), GDN_OK);
    assert_dbl_eq(term.par[0], 0.3);
    assert_dbl_eq(term.par[1], 0.0);
    assert_int_equal(given[0], 1);
    assert_int_equal(given[1], 1);

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_term("wgan-gp:c=0.25", gdn_models, "model",
                                   &term, given, &err), GDN_OK);
    assert_dbl_eq(term.par[0], 0.1); /* default kept */
    assert_dbl_eq(term.par[1], 0.25);
    assert_int_equal(given[0], 0);
    assert_int_equal(given[1], 1);

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_term("gan-qp:divisor=phi", gdn_models, "model",
                                   &term, given, &err), GDN_OK);
    assert_dbl_eq(term.par[0], 1.0);
    assert_dbl_eq(term.par[1], 1.0); /* index of phi in theta|phi */
    assert_int_equal(given[0], 0);
    assert_int_equal(given[1], 1);

    assert_int_equal(gdn_spec_term("gan-qp:lambda=0.125,divisor=theta",
                                   gdn_models, "model", &term, NULL, &err),
                     GDN_OK);
    assert_dbl_eq(term.par[0], 0.125);
    assert_dbl_eq(term.par[1], 0.0);

    /* a colon with nothing after it is the defaults */
    assert_int_equal(gdn_spec_term("nsgan:", gdn_models, "model", &term, NULL,
                                   &err), GDN_OK);
    assert_ptr_equal(term.type, gdn_term_find(gdn_models, "nsgan"));
}

static void test_spec_term_errors(void **state)
{
    (void)state;
    gdn_term term;
    gdn_error err;
    char want[256];

    assert_int_equal(gdn_spec_term("wgna", gdn_models, "model", &term, NULL,
                                   &err), GDN_EINVAL);
    unknown_msg(gdn_models, "model", "wgna", "wgan", want, sizeof want);
    assert_string_equal(err.msg, want);
    /* the registry holds at least the documented models, in this order */
    assert_non_null(strstr(err.msg, "unknown model 'wgna' (did you mean "
                                    "'wgan'? accepted: gan, "
                                    "nsgan, wgan, wgan-gp, gan-qp"));

    assert_int_equal(gdn_spec_term("wgna:lambda=1", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_string_equal(err.msg, want);

    /* a regulariser is not a model, nor the other way round */
    assert_int_equal(gdn_spec_term("l2", gdn_models, "model", &term, NULL,
                                   &err), GDN_EINVAL);
    assert_einval_msg(&err, "unknown model 'l2'");
    assert_int_equal(gdn_spec_term("nsgan", gdn_regularizers, "regularizer",
                                   &term, NULL, &err), GDN_EINVAL);
    unknown_msg(gdn_regularizers, "regularizer", "nsgan", NULL, want, sizeof want);
    assert_string_equal(err.msg, want);
    assert_non_null(strstr(err.msg, "unknown regularizer 'nsgan' (accepted: "
                                    "l2, r1, r2, gp, l2g"));

    assert_int_equal(gdn_spec_term("NSGAN", gdn_models, "model", &term, NULL,
                                   &err), GDN_EINVAL);
    assert_einval_msg(&err, "'NSGAN'");

    assert_int_equal(gdn_spec_term("wgan-gp:lamda=1", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_string_equal(err.msg,
                        "wgan-gp: unknown key 'lamda' (did you mean "
                        "'lambda'? accepted: lambda, c)");
    assert_int_equal(gdn_spec_term("gan-qp:lambda=0", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_string_equal(err.msg,
                        "gan-qp: lambda=0 is out of range (accepted: > 0)");
    assert_int_equal(gdn_spec_term("gan-qp:divisor=psi", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "gan-qp", "'psi'", "theta|phi");
    assert_int_equal(gdn_spec_term("nsgan:lambda=1", gdn_models, "model",
                                   &term, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "nsgan", "'lambda'");

    assert_int_equal(gdn_spec_term("", gdn_models, "model", &term, NULL,
                                   &err), GDN_EINVAL);
    assert_einval_msg(&err, "model");
    assert_int_equal(gdn_spec_term(":lambda=1", gdn_models, "model", &term,
                                   NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "model", ":lambda=1");
}

static void test_spec_term_regularizers(void **state)
{
    (void)state;
    gdn_term term;
    unsigned char given[GDN_MAX_PARAMS];
    gdn_error err;

    static const char *const gamma_regs[] = {"l2", "r1", "r2", "l2g"};
    for (size_t k = 0; k < 4; k++) {
        memset(given, 0, sizeof given);
        assert_int_equal(gdn_spec_term(gamma_regs[k], gdn_regularizers,
                                       "regularizer", &term, given, &err),
                         GDN_OK);
        assert_ptr_equal(term.type,
                         gdn_term_find(gdn_regularizers, gamma_regs[k]));
        assert_dbl_eq(term.par[0], 0.1);
        assert_int_equal(given[0], 0);
        char spec[32];
        snprintf(spec, sizeof spec, "%s:gamma=0.75", gamma_regs[k]);
        assert_int_equal(gdn_spec_term(spec, gdn_regularizers, "regularizer",
                                       &term, given, &err), GDN_OK);
        assert_dbl_eq(term.par[0], 0.75);
        assert_int_equal(given[0], 1);
    }
    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_term("gp:lambda=2", gdn_regularizers,
                                   "regularizer", &term, given, &err), GDN_OK);
    assert_dbl_eq(term.par[0], 2.0);
    assert_dbl_eq(term.par[1], 1.0);
    assert_int_equal(given[0], 1);
    assert_int_equal(given[1], 0);
    assert_int_equal(gdn_spec_term("r1:gamma=0", gdn_regularizers,
                                   "regularizer", &term, NULL, &err), GDN_OK);
    assert_dbl_eq(term.par[0], 0.0);

    assert_int_equal(gdn_spec_term("l2:gamma=-1", gdn_regularizers,
                                   "regularizer", &term, NULL, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg,
                        "l2: gamma=-1 is out of range (accepted: >= 0)");
    assert_int_equal(gdn_spec_term("gp:lambda=1,c=-3", gdn_regularizers,
                                   "regularizer", &term, NULL, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "gp", "c=-3", ">= 0");
    assert_int_equal(gdn_spec_term("l3", gdn_regularizers, "regularizer",
                                   &term, NULL, &err), GDN_EINVAL);
    char want[256];
    unknown_msg(gdn_regularizers, "regularizer", "l3", "l2", want, sizeof want);
    assert_string_equal(err.msg, want);
}

/* ---------------------------------------------------------- gdn_spec_opt */

static void test_spec_opt_flow(void **state)
{
    (void)state;
    gdn_run_opts o;
    unsigned char given[GDN_MAX_PARAMS];
    gdn_error err;
    gdn_run_opts_init(&o, gdn_opt_find("simgd"));
    o.t_end = 7, o.dt = 0.25, o.steps = 33, o.every = 3, o.nema = 1;
    o.ema[0].beta = 0.5, o.uniform = 1, o.blowup = 1e50;
    memset(given, 9, sizeof given);
    assert_int_equal(gdn_spec_opt("flow", &o, given, &err), GDN_OK);
    assert_ptr_equal(o.opt, gdn_opt_find("flow"));
    assert_dbl_eq(PAR(o, "method"), GDN_FLOW_DOPRI5);
    assert_dbl_eq(PAR(o, "rtol"), GDN_FLOW_RTOL_DEFAULT);
    assert_dbl_eq(PAR(o, "atol"), GDN_FLOW_ATOL_DEFAULT);
    assert_dbl_eq(PAR(o, "h"), 0.01);
    assert_dbl_eq(PAR(o, "lr"), 1.0);
    assert_true(isnan(PAR(o, "lr_d")));
    assert_true(isnan(PAR(o, "lr_g")));
    assert_dbl_eq(PAR(o, "max_steps"), 1e8);
    /* lr_d, lr_g inherit lr */
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_d"), 1.0);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_g"), 1.0);
    assert_dbl_eq(gdn_run_opts_get(&o, "rtol"), 1e-10);
    /* other fields untouched */
    assert_dbl_eq(o.t_end, 7.0);
    assert_dbl_eq(o.dt, 0.25);
    assert_true(o.steps == 33 && o.every == 3 && o.nema == 1);
    assert_dbl_eq(o.ema[0].beta, 0.5);
    assert_int_equal(o.uniform, 1);
    assert_dbl_eq(o.blowup, 1e50);
    assert_true(gdn_run_opts_is_flow(&o));

    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_opt("flow:lr=0.5", &o, given, &err), GDN_OK);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr"), 0.5);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_d"), 0.5);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_g"), 0.5);
    assert_int_equal(given[gdn_param_index(o.opt->params, "lr")], 1);
    assert_int_equal(given[gdn_param_index(o.opt->params, "lr_d")], 0);
    assert_int_equal(given[gdn_param_index(o.opt->params, "lr_g")], 0);
    assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_opt("flow:lr=0.5,lr_g=2", &o, given, &err),
                     GDN_OK);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_d"), 0.5);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_g"), 2.0);
    assert_int_equal(given[gdn_param_index(o.opt->params, "lr_g")], 1);
    assert_int_equal(given[gdn_param_index(o.opt->params, "lr_d")], 0);

    assert_int_equal(gdn_spec_opt("flow:method=rk4,h=0.05", &o, NULL, &err),
                     GDN_OK);
    assert_dbl_eq(PAR(o, "method"), GDN_FLOW_RK4);
    assert_dbl_eq(PAR(o, "h"), 0.05);
    assert_int_equal(gdn_spec_opt("flow:method=euler", &o, NULL, &err),
                     GDN_OK);
    assert_dbl_eq(PAR(o, "method"), GDN_FLOW_EULER);
    /* a new SPEC starts again from the defaults */
    assert_dbl_eq(PAR(o, "h"), 0.01);
    assert_int_equal(gdn_spec_opt("flow:rtol=1e-8,atol=1e-9,max_steps=1000",
                                  &o, NULL, &err), GDN_OK);
    assert_dbl_eq(PAR(o, "rtol"), 1e-8);
    assert_dbl_eq(PAR(o, "atol"), 1e-9);
    assert_dbl_eq(PAR(o, "max_steps"), 1000.0);
}

static void test_spec_opt_discrete(void **state)
{
    (void)state;
    gdn_run_opts o;
    unsigned char given[GDN_MAX_PARAMS];
    gdn_error err;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_opt("simgd", &o, given, &err), GDN_OK);
    assert_ptr_equal(o.opt, gdn_opt_find("simgd"));
    assert_false(gdn_run_opts_is_flow(&o));
    assert_dbl_eq(PAR(o, "lr"), 0.1);
    assert_true(isnan(PAR(o, "lr_d")));
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_d"), 0.1);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_g"), 0.1);
    assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);

    assert_int_equal(gdn_spec_opt("altgd", &o, NULL, &err), GDN_OK);
    assert_ptr_equal(o.opt, gdn_opt_find("altgd"));
    assert_dbl_eq(PAR(o, "order"), GDN_ORDER_DG);
    assert_dbl_eq(PAR(o, "ndis"), 1.0);

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_opt("altgd:order=gd", &o, given, &err), GDN_OK);
    assert_dbl_eq(PAR(o, "order"), 1.0);
    assert_dbl_eq(PAR(o, "order"), GDN_ORDER_GD);
    assert_int_equal(given[gdn_param_index(o.opt->params, "order")], 1);
    assert_int_equal(given[gdn_param_index(o.opt->params, "ndis")], 0);

    memset(given, 0, sizeof given);
    assert_int_equal(gdn_spec_opt("altgd:lr=0.05,lr_d=0.2,ndis=3,order=dg",
                                  &o, given, &err), GDN_OK);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr"), 0.05);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_d"), 0.2);
    assert_dbl_eq(gdn_run_opts_get(&o, "lr_g"), 0.05);
    assert_dbl_eq(PAR(o, "ndis"), 3.0);
    assert_dbl_eq(PAR(o, "order"), 0.0);
    const unsigned char want[5] = {1, 1, 0, 1, 1};
    assert_memory_equal(given, want, 5);
}

static void test_spec_opt_errors(void **state)
{
    (void)state;
    gdn_run_opts o;
    gdn_error err;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));

    assert_int_equal(gdn_spec_opt("sgdx", &o, NULL, &err), GDN_EINVAL);
    char want[256];
    size_t used = (size_t)snprintf(want, sizeof want,
                                   "unknown optimizer 'sgdx' (accepted: ");
    for (size_t k = 0; gdn_optimizers[k]; k++)
        used += (size_t)snprintf(want + used, sizeof want - used, "%s%s",
                                 k ? ", " : "", gdn_optimizers[k]->name);
    snprintf(want + used, sizeof want - used, ")");
    assert_string_equal(err.msg, want);
    assert_non_null(strstr(err.msg, "unknown optimizer 'sgdx' (accepted: "
                                    "flow, simgd, altgd"));

    assert_int_equal(gdn_spec_opt("simgd:order=gd", &o, NULL, &err),
                     GDN_EINVAL);
    assert_non_null(strstr(err.msg, "simgd: unknown key 'order' (accepted: "
                                    "lr, lr_d, lr_g"));
    assert_int_equal(gdn_spec_opt("altgd:order=xy", &o, NULL, &err),
                     GDN_EINVAL);
    assert_string_equal(err.msg, "altgd: order='xy' (accepted: dg|gd)");
    assert_int_equal(gdn_spec_opt("altgd:ndis=0", &o, NULL, &err), GDN_EINVAL);
    assert_string_equal(err.msg, "altgd: ndis=0 is out of range (accepted: "
                                 "whole number in [1, 1e+06])");
    assert_int_equal(gdn_spec_opt("flow:rtol=-1", &o, NULL, &err), GDN_EINVAL);
    assert_string_equal(err.msg,
                        "flow: rtol=-1 is out of range (accepted: in (0, 1))");
    assert_int_equal(gdn_spec_opt("flow:method=rk5", &o, NULL, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "'rk5'", "dopri5|rk4|euler");
    assert_int_equal(gdn_spec_opt("simgd:lr=0", &o, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "simgd", "lr=0", "> 0");
    assert_int_equal(gdn_spec_opt("simgd:lr_d=nan", &o, NULL, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "lr_d", "'nan'");
    assert_int_equal(gdn_spec_opt("simgd:lr=0.1,", &o, NULL, &err),
                     GDN_EINVAL);
    assert_einval_msg(&err, "empty item");
    assert_int_equal(gdn_spec_opt("", &o, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "optimizer");
    assert_int_equal(gdn_spec_opt("Flow", &o, NULL, &err), GDN_EINVAL);
    assert_einval_msg(&err, "'Flow'", "flow, simgd, altgd");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_double_accepts),
        cmocka_unit_test(test_parse_double_rejects),
        cmocka_unit_test(test_parse_double_leading_space),
        cmocka_unit_test(test_parse_double_nonfinite),
        cmocka_unit_test(test_parse_double_messages),
        cmocka_unit_test(test_parse_double_hex),
        cmocka_unit_test(test_parse_double_tiny),
        cmocka_unit_test(test_apply_duplicate_key),
        cmocka_unit_test(test_suggestions),
        cmocka_unit_test(test_params_format_roundtrip),
        cmocka_unit_test(test_parse_long),
        cmocka_unit_test(test_parse_long_rejects),
        cmocka_unit_test(test_parse_long_leading_space),
        cmocka_unit_test(test_parse_long_range),
        cmocka_unit_test(test_apply_empty),
        cmocka_unit_test(test_apply_values),
        cmocka_unit_test(test_apply_unknown_key),
        cmocka_unit_test(test_apply_enum),
        cmocka_unit_test(test_apply_range),
        cmocka_unit_test(test_apply_range_token),
        cmocka_unit_test(test_apply_bad_numbers),
        cmocka_unit_test(test_apply_syntax),
        cmocka_unit_test(test_param_check),
        cmocka_unit_test(test_param_describe),
        cmocka_unit_test(test_spec_term_models),
        cmocka_unit_test(test_spec_term_errors),
        cmocka_unit_test(test_spec_term_regularizers),
        cmocka_unit_test(test_spec_opt_flow),
        cmocka_unit_test(test_spec_opt_discrete),
        cmocka_unit_test(test_spec_opt_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
