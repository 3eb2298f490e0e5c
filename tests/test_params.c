/*
 * test_params.c - typed parameters: gdn_params_fill puts value k at its
 * table offset and resolves inheritance from the table; every table of the
 * registry (models, regularisers, optimizers, the flow) lays its struct out
 * soundly: distinct aligned offsets inside GDN_MAX_PARAMS doubles, a NaN
 * default exactly where a parameter inherits an earlier key, and, for
 * terms (whose values array is read as the struct), offset k = k doubles.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "gandyn.h"

struct demo {
    double b, lr_g, a, lr;
};
static const gdn_param demo_params[] = {
    GDN_PARAM_ENTRY("lr", 0.1, 0, 1, 0, NULL, "rate", struct demo, lr),
    GDN_PARAM_INHERITS("lr_g", "lr", 0, 1, 0, "inherits", struct demo, lr_g),
    GDN_PARAM_ENTRY("a", 2, 0, 9, 0, NULL, "a", struct demo, a),
    GDN_PARAM_ENTRY("b", 3, 0, 9, 0, NULL, "b", struct demo, b),
    {0}};

static void test_fill(void **state)
{
    (void)state;
    struct demo d;
    double v[4] = {0.25, NAN, 5, 7};
    gdn_params_fill(demo_params, v, &d);
    assert_true(d.lr == 0.25 && d.lr_g == 0.25 && d.a == 5 && d.b == 7);
    v[1] = 0.5; /* given: not inherited */
    gdn_params_fill(demo_params, v, &d);
    assert_true(d.lr == 0.25 && d.lr_g == 0.5);
    assert_int_equal(gdn_param_index(demo_params, "a"), 2);
    assert_int_equal(gdn_param_index(demo_params, "zz"), (size_t)-1);
}

static void check_table(const char *owner, const gdn_param *p, int term)
{
    size_t np = gdn_param_count(p);
    assert_true(np <= GDN_MAX_PARAMS);
    for (size_t k = 0; k < np; k++) {
        if (p[k].offset % sizeof(double) != 0 ||
            p[k].offset >= GDN_MAX_PARAMS * sizeof(double))
            fail_msg("%s.%s: offset %zu", owner, p[k].key, p[k].offset);
        if (term && p[k].offset != k * sizeof(double))
            fail_msg("%s.%s: a term's field %zu is not its table entry %zu",
                     owner, p[k].key, p[k].offset / sizeof(double), k);
        for (size_t j = 0; j < k; j++)
            if (p[j].offset == p[k].offset)
                fail_msg("%s: %s and %s share a field", owner, p[j].key,
                         p[k].key);
        int inherits = p[k].inherits != NULL;
        if (inherits != (isnan(p[k].def) != 0))
            fail_msg("%s.%s: a NaN default must mean 'inherits'", owner,
                     p[k].key);
        if (inherits && gdn_param_index(p, p[k].inherits) >= k)
            fail_msg("%s.%s inherits %s, not an earlier key", owner, p[k].key,
                     p[k].inherits);
    }
    /* fill from the defaults: each inheriting field gets its source */
    double v[GDN_MAX_PARAMS], s[GDN_MAX_PARAMS];
    for (size_t k = 0; k < np; k++)
        v[k] = p[k].def;
    gdn_params_fill(p, v, s);
    for (size_t k = 0; k < np; k++) {
        double want = p[k].inherits ? p[gdn_param_index(p, p[k].inherits)].def
                                    : p[k].def;
        assert_memory_equal(&s[p[k].offset / sizeof(double)], &want,
                            sizeof want);
    }
}

static void test_registry_tables(void **state)
{
    (void)state;
    size_t n = 0;
    for (const gdn_term_type *const *t = gdn_models; *t; t++, n++)
        check_table((*t)->name, (*t)->params, 1);
    for (const gdn_term_type *const *t = gdn_regularizers; *t; t++, n++)
        check_table((*t)->name, (*t)->params, 1);
    for (const gdn_opt_type *const *o = gdn_optimizers; *o; o++, n++)
        check_table((*o)->name, (*o)->params, 0);
    assert_true(n > 20);
}

static void test_opts_get(void **state)
{
    (void)state;
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("momentum"));
    o.par[gdn_param_index(o.opt->params, "lr")] = 0.3;
    assert_true(gdn_run_opts_get(&o, "lr_d") == 0.3);
    assert_true(gdn_run_opts_get(&o, "beta") == 0.5);
    assert_true(isnan(gdn_run_opts_get(&o, "gamma")));
    o.par[gdn_param_index(o.opt->params, "lr_g")] = 0.05;
    assert_true(gdn_run_opts_get(&o, "lr_g") == 0.05);
    assert_true(gdn_run_opts_param(&o, gdn_param_index(o.opt->params,
                                                       "lr_d")) == 0.3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill),
        cmocka_unit_test(test_registry_tables),
        cmocka_unit_test(test_opts_get),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
