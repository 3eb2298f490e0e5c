/*
 * dirac_fused.c - the Dirac field of gan and nsgan without regularisers,
 * fused and vectorised over lanes.
 *
 * The sigmoid GANs' field needs t alone: p = F_t = sigmoid(t),
 * r = G_t = -sigmoid(t) (gan) or -sigmoid(-t) (nsgan), F_a = G_b = 0.  The
 * loops below perform, on every lane, the operations the generic path
 * performs (system.c's tab_of and gdn_system_grad, the terms'
 * gdn__sigmoids with gandyn's own exponential): t summed in index order from 0,
 * p = 0 + s and r = 0 - sm or 0 - s (the partials start at 0 and the model
 * adds into them), 2 F_a = 2 * 0 and 2 G_b = 2 * 0 kept in the products (so
 * that -0 and non-finite components round as there).  The result is the
 * generic lanes' bit for bit (tests/test_game.c); only the loops differ:
 * straight over lanes, so that they vectorise.
 */
#include <math.h>

#include "../core/gmath.h"
#include "../core/simd.h"
#include "../models/terms.h"
#include "dirac.h"

/* (The loops' clones and flags: src/core/simd.h.) */

/* Lanes per pass: t, p, r of a pass stay on the stack (6 KB). */
enum { FCHUNK = 256 };

int gdn__dirac_fused_applies(const gdn_system *sys)
{
    const gdn_term_type *m = sys->model.type;
    return sys->nreg == 0 && (m == &gdn_model_gan || m == &gdn_model_nsgan);
}

/* L lanes of stride B starting at y (component i of lane l at
 * y[i * B + l]); rows lo..hi of the field into out (row i at
 * out[(i - lo) * B + l]).  Inlined into the vector clones below and into
 * the scalar code of a single lane. */
static GDN_ALWAYS_INLINE void fused_body(int ns, size_t n, size_t B,
                                         size_t L, const double *restrict y,
                                         size_t lo, size_t hi,
                                         double *restrict out)
{
    double t[FCHUNK], p[FCHUNK], g[FCHUNK];
    for (size_t l = 0; l < L; l++)
        t[l] = 0;
    for (size_t i = 0; i < n; i++) {
        const double *restrict ph = y + i * B, *restrict th = y + (n + i) * B;
#pragma omp simd
        for (size_t l = 0; l < L; l++)
            t[l] += th[l] * ph[l];
    }
    if (ns) {
#pragma omp simd
        for (size_t l = 0; l < L; l++) {
            double s, sm, e;
            gdn__sigmoids(t[l], &s, &sm, &e);
            p[l] = 0.0 + s;
            g[l] = 0.0 - sm;
        }
    } else {
#pragma omp simd
        for (size_t l = 0; l < L; l++) {
            double s, sm, e;
            gdn__sigmoids(t[l], &s, &sm, &e);
            p[l] = 0.0 + s;
            g[l] = 0.0 - s;
        }
    }
    const double q2 = 2 * 0.0, s2 = 2 * 0.0;
    if (lo == 0 && hi == 2 * n) { /* all of xi: both rows in one pass */
        for (size_t i = 0; i < n; i++) {
            const double *restrict ph = y + i * B,
                                   *restrict th = y + (n + i) * B;
            double *restrict oph = out + i * B, *restrict oth = out + (n + i) * B;
#pragma omp simd
            for (size_t l = 0; l < L; l++) {
                oph[l] = p[l] * th[l] + q2 * ph[l];
                oth[l] = g[l] * ph[l] + s2 * th[l];
            }
        }
        return;
    }
    /* one player's rows (each loop plain over i when B = 1) */
    for (size_t i = lo; i < (hi < n ? hi : n); i++) {
        const double *restrict ph = y + i * B, *restrict th = y + (n + i) * B;
        double *restrict o = out + (i - lo) * B;
#pragma omp simd
        for (size_t l = 0; l < L; l++)
            o[l] = p[l] * th[l] + q2 * ph[l];
    }
    for (size_t i = lo > n ? lo : n; i < hi; i++) {
        const double *restrict ph = y + (i - n) * B, *restrict th = y + i * B;
        double *restrict o = out + (i - lo) * B;
#pragma omp simd
        for (size_t l = 0; l < L; l++)
            o[l] = g[l] * ph[l] + s2 * th[l];
    }
}

/* The statuses (all GDN_PT_OK) are written here too, in vector stores. */
GDN_VECTOR_CLONES
static void fused(int ns, size_t n, size_t B, size_t L,
                  const double *restrict y, size_t lo, size_t hi,
                  double *restrict out, int *restrict st)
{
    fused_body(ns, n, B, L, y, lo, hi, out);
    if (st)
        for (size_t l = 0; l < L; l++)
            st[l] = GDN_PT_OK;
}

/* A single lane: no lane loops, no vector prologues. */
static void fused_one(int ns, size_t n, const double *restrict y, size_t lo,
                      size_t hi, double *restrict out)
{
    fused_body(ns, n, 1, 1, y, lo, hi, out);
}

int gdn__dirac_grad_fused(const gdn_system *sys, size_t B, const double *x,
                          size_t lo, size_t hi, double *out, int *st)
{
    int ns = sys->model.type == &gdn_model_nsgan;
    if (B == 1) {
        fused_one(ns, sys->n, x, lo, hi, out);
        if (st)
            st[0] = GDN_PT_OK;
        return GDN_PT_OK;
    }
    for (size_t b0 = 0; b0 < B; b0 += FCHUNK) {
        size_t L = B - b0 < FCHUNK ? B - b0 : FCHUNK;
        fused(ns, sys->n, B, L, x + b0, lo, hi, out + b0, st ? st + b0 : NULL);
    }
    return GDN_PT_OK;
}
