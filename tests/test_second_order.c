/*
 * test_second_order.c - consensus and SGA through the game's products
 * (J^T xi, J xi: closed forms for the Dirac game) equal their dense
 * formulas, built here from the dense Jacobian of gdn_system_jacobian:
 *
 *   consensus:  x - H (xi + gamma J^T xi)
 *   sga:        x - H (xi + lambda A^T xi),  A = (J - J^T) / 2,
 *               align=1: lambda's sign from sign(<xi, J^T xi><A^T xi,
 *               J^T xi> / d + 1/10)
 *
 * at random points of several models and dimensions, to 1e-13 of the
 * magnitudes summed (|x| + h (|xi| + |weight| |J|^T |xi|): the rounding
 * bound of either order of summation).
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

#include "dynamics/optim.h"
#include "gandyn.h"
#include "gandyn/game.h"

#define MAXM 16

static double rnd(uint64_t *s)
{
    *s ^= *s >> 12, *s ^= *s << 25, *s ^= *s >> 27;
    return (double)((*s * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0 *
               2 - 1;
}

/* One registry step of opt (SPEC) on sys from x into out. */
static void registry_step(const gdn_system *sys, const char *spec,
                          const double *x, double *out)
{
    gdn_run_opts o;
    gdn_error err;
    gdn_game g;
    gdn_run_opts_init(&o, gdn_opt_find("simgd"));
    assert_int_equal(gdn_spec_opt(spec, &o, NULL, &err), GDN_OK);
    assert_int_equal(gdn_game_dirac(&g, sys, &err), GDN_OK);
    double par[GDN_MAX_PARAMS], work[GDN_STEP_WORK * MAXM], mem[1] = {0};
    gdn_params_fill(o.opt->params, o.par, par);
    const struct gdn__lr_par *q = (const void *)par;
    double lr[2] = {q->lr_d, q->lr_g};
    int st;
    struct gdn_step_ctx ctx = {.game = &g, .B = 1, .par = par, .lr = lr,
                               .mem = mem, .work = work, .st = &st};
    assert_int_equal(o.opt->mem_size(&g), 0);
    memcpy(out, x, g.dim * sizeof *x);
    assert_int_equal(o.opt->step(&ctx, out), GDN_PT_OK);
}

/* The dense formula: weight w of J^T xi (consensus) or of A^T xi (sga),
 * with sga's alignment rule when align. */
static void dense_step(const gdn_system *sys, int sga, double w, int align,
                       double lr_d, double lr_g, const double *x, double *out,
                       double *tol)
{
    size_t m = 2 * sys->n;
    double xi[MAXM], J[MAXM * MAXM], jt[MAXM], jx[MAXM], ajt[MAXM],
        mag[MAXM];
    assert_int_equal(gdn_system_grad(sys, x, xi), GDN_PT_OK);
    assert_int_equal(gdn_system_jacobian(sys, x, J), GDN_PT_OK);
    for (size_t i = 0; i < m; i++) {
        long double a = 0, b = 0, c = 0; /* the reference in long double */
        for (size_t j = 0; j < m; j++) {
            a += (long double)J[j * m + i] * xi[j];
            b += (long double)J[i * m + j] * xi[j];
            c += fabs(J[j * m + i] * xi[j]) + fabs(J[i * m + j] * xi[j]);
        }
        jt[i] = (double)a, jx[i] = (double)b, mag[i] = (double)c;
    }
    double lambda = w;
    for (size_t i = 0; i < m; i++)
        ajt[i] = 0.5 * (jt[i] - jx[i]);
    if (sga && align) {
        double p = 0, q = 0;
        for (size_t i = 0; i < m; i++)
            p += xi[i] * jt[i], q += ajt[i] * jt[i];
        lambda = (p * q / (double)m + 0.1 >= 0 ? 1.0 : -1.0) * fabs(w);
    }
    for (size_t i = 0; i < m; i++) {
        double h = i < sys->n ? lr_d : lr_g;
        double g = sga ? xi[i] + lambda * ajt[i] : xi[i] + w * jt[i];
        out[i] = x[i] - h * g;
        tol[i] = 1e-13 * (fabs(x[i]) + h * (fabs(xi[i]) + fabs(w) * mag[i]));
    }
}

static void test_products_equal_dense(void **state)
{
    (void)state;
    static const char *const models[][2] = {
        {"nsgan", ""},           {"gan", "l2:gamma=0.3"},
        {"wgan-gp:lambda=0.4,c=1", ""}, {"lsgan", "r1:gamma=0.2"},
        {"fgan-kl", "l2g:gamma=0.1"},   {"gan-qp", ""},
    };
    static const size_t dims[] = {1, 3, 7};
    struct {
        const char *spec;
        int sga, align;
        double w, lr_d, lr_g;
    } methods[] = {
        {"consensus:lr=0.1,gamma=0.3", 0, 0, 0.3, 0.1, 0.1},
        {"consensus:lr_d=0.2,lr_g=0.05,gamma=2", 0, 0, 2, 0.2, 0.05},
        {"sga:lr=0.1", 1, 0, 1, 0.1, 0.1},
        {"sga:lr=0.1,lambda=-0.7,align=1", 1, 1, -0.7, 0.1, 0.1},
        {"sga:lr_d=0.3,lr_g=0.1,lambda=2,align=1", 1, 1, 2, 0.3, 0.1},
    };
    uint64_t seed = 12345;
    size_t checked = 0;
    double worst = 0;
    for (size_t mi = 0; mi < sizeof models / sizeof models[0]; mi++)
        for (size_t di = 0; di < 3; di++) {
            gdn_system sys;
            gdn_error err;
            const char *reg = models[mi][1];
            assert_int_equal(gdn_system_from_specs(&sys, dims[di],
                                                   models[mi][0], &reg,
                                                   reg[0] ? 1 : 0, NULL, NULL,
                                                   &err),
                             GDN_OK);
            for (int pt = 0; pt < 20; pt++) {
                double x[MAXM], a[MAXM], b[MAXM], tol[MAXM];
                for (size_t i = 0; i < 2 * dims[di]; i++)
                    x[i] = 2 * rnd(&seed);
                for (size_t k = 0; k < sizeof methods / sizeof methods[0];
                     k++) {
                    registry_step(&sys, methods[k].spec, x, a);
                    dense_step(&sys, methods[k].sga, methods[k].w,
                               methods[k].align, methods[k].lr_d,
                               methods[k].lr_g, x, b, tol);
                    for (size_t i = 0; i < 2 * dims[di]; i++) {
                        if (!(fabs(a[i] - b[i]) <= tol[i]))
                            fail_msg("%s on %s %s n=%zu: component %zu: "
                                     "%.17g by products, %.17g dense",
                                     methods[k].spec, models[mi][0],
                                     models[mi][1], dims[di], i, a[i], b[i]);
                        worst = fmax(worst, fabs(a[i] - b[i]) / tol[i]);
                    }
                    checked++;
                }
            }
        }
    assert_true(checked >= 1000);
    printf("largest |products - dense| / tolerance: %.3g\n", worst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_products_equal_dense),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
