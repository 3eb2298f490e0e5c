/*
 * dirac.c - the Dirac GAN of a gdn_system as a game (gandyn/game.h).
 *
 * Lanes.  The field needs, per lane, the three sums t, a, b (in index
 * order, as gdn_system_grad's tab_of adds them), the field coefficients of
 * the model and regularisers at (t, a, b) (each term's eval_lanes, a loop
 * over the lanes: gdn__system_grad_lanes), and then
 * xi = (p theta + 2q phi, r phi + 2s theta): the sums and the last step run
 * over lanes in structure-of-arrays, CHUNK lanes at a time, with each lane's
 * operations those of gdn_system_grad, so every lane is that function's
 * result bit for bit whatever B is.  gan and nsgan without regularisers
 * take the fused path of dirac_fused.c instead (the same bits again).
 *
 * simgd (simgd_lanes, fused.c's step for every system but the 2-D fused
 * ones): the field as above, the update, the projection and the range
 * check chunk by chunk, the chunk's new states in L1, so that a step
 * reads and writes the batch once (the generic step: a copy, the field,
 * the update, the check, each a pass over it).
 *
 * Products.  Every block of the Jacobian (system.c) is rank two plus a
 * multiple of I, so with dt, da, db the derivatives of t, a, b along
 * v = (v_phi, v_theta),
 *
 *     dt = theta.v_phi + phi.v_theta,  da = 2 phi.v_phi,  db = 2 theta.v_theta,
 *     (dp, dq, dr, ds) = (F.h rows 0, 1; G.h rows 0, 2) . (dt, da, db),
 *     (J v)_phi   = dp theta + 2 dq phi + 2q v_phi + p v_theta,
 *     (J v)_theta = dr phi + 2 ds theta + r v_phi + 2s v_theta,
 *
 * and, transposed, with w = (theta.v_phi, 2 phi.v_phi, phi.v_theta,
 * 2 theta.v_theta) the weights of the rows p, q, r, s,
 *
 *     (ct, ca, cb) = w_p F.h[0..2] + w_q F.h[3..5] + w_r G.h[0..2]
 *                    + w_s G.h[6..8],
 *     (J^T v)_phi   = ct theta + 2 ca phi + 2q v_phi + r v_theta,
 *     (J^T v)_theta = ct phi + 2 cb theta + p v_phi + 2s v_theta:
 *
 * O(n) per lane instead of the dense matrix's O(n^2).
 */
#include "gandyn/game.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/simd.h"
#include "../models/terms.h"
#include "dirac.h"

/* Lanes per pass: the per-lane scalars stay on the stack. */
enum { CHUNK = 64 };

/* The chunk bodies below are inlined twice: for B = L = 1 (a single run:
 * the constants turn the lane loops into plain scalar code) and for any
 * B.  Their lane loops carry no dependence between lanes and write no array
 * they read ('omp simd' says so: the compiler cannot prove it). */

/* The field's coefficients of L lanes of stride B at x: the sums t, a, b
 * from 0 in index order (t = 0 + th_0 ph_0 + ...), then F.g and G.g of
 * each lane into f, g and its status into s; returns the worst status. */
static GDN_ALWAYS_INLINE int coefs_chunk(const gdn_system *sys, size_t B,
                                         size_t L, const double *x,
                                         double f[3][CHUNK],
                                         double g[3][CHUNK], int *s)
{
    size_t n = sys->n;
    double t[CHUNK], a[CHUNK], bb[CHUNK];
    #pragma omp simd
    for (size_t l = 0; l < L; l++) {
        const double ph = x[l], th = x[n * B + l];
        t[l] = 0.0 + th * ph;
        a[l] = 0.0 + ph * ph;
        bb[l] = 0.0 + th * th;
    }
    for (size_t i = 1; i < n; i++) {
        const double *ph = x + i * B, *th = x + (n + i) * B;
        #pragma omp simd
        for (size_t l = 0; l < L; l++) {
            t[l] += th[l] * ph[l];
            a[l] += ph[l] * ph[l];
            bb[l] += th[l] * th[l];
        }
    }
    if (B == 1) { /* a single run: the scalar call */
        gdn_partials F, G;
        s[0] = gdn_system_partials(sys, t[0], a[0], bb[0], GDN_ORDER_GRAD, &F,
                                   &G);
        f[0][0] = F.g[0], f[1][0] = F.g[1];
        g[0][0] = G.g[0], g[2][0] = G.g[2];
        return s[0];
    }
    /* the terms over the lanes (the same bits lane by lane) */
    double *const Fl[3] = {f[0], f[1], f[2]};
    double *const Gl[3] = {g[0], g[1], g[2]};
    return gdn__system_grad_lanes(sys, L, t, a, bb, Fl, Gl, s);
}

/* L lanes of stride B at x (component i of lane l at x[i * B + l]); rows
 * lo..hi of xi into out, statuses into st (may be NULL). */
static GDN_ALWAYS_INLINE int grad_chunk(const gdn_system *sys, size_t B,
                                        size_t L, const double *x, size_t lo,
                                        size_t hi, double *out, int *st)
{
    size_t n = sys->n;
    double f[3][CHUNK], g[3][CHUNK]; /* F.g and G.g of each lane */
    int s[CHUNK];
    int worst = coefs_chunk(sys, B, L, x, f, g, s);
    /* xi = (p theta + 2q phi, r phi + 2s theta), p = F_t, q = F_a, r =
     * G_t, s = G_b */
    const double *p = f[0], *q = f[1], *r = g[0], *sb = g[2];
    if (st) {
        #pragma omp simd
        for (size_t l = 0; l < L; l++)
            st[l] = s[l];
    }
    /* phi's rows, then theta's (each loop plain over i when B = 1) */
    for (size_t i = lo; i < (hi < n ? hi : n); i++) {
        const double *ph = x + i * B, *th = x + (n + i) * B;
        double *o = out + (i - lo) * B;
        #pragma omp simd
        for (size_t l = 0; l < L; l++) {
            double v = p[l] * th[l] + 2 * q[l] * ph[l];
            o[l] = s[l] == GDN_PT_UNDEFINED ? 0.0 : v;
        }
    }
    for (size_t i = lo > n ? lo : n; i < hi; i++) {
        const double *ph = x + (i - n) * B, *th = x + i * B;
        double *o = out + (i - lo) * B;
        #pragma omp simd
        for (size_t l = 0; l < L; l++) {
            double v = r[l] * ph[l] + 2 * sb[l] * th[l];
            o[l] = s[l] == GDN_PT_UNDEFINED ? 0.0 : v;
        }
    }
    return worst;
}

/* (static: a target_clones function that is not would be exported) */
GDN_VECTOR_CLONES
static int grad_lanes(const gdn_system *sys, size_t B, const double *x,
                      size_t lo, size_t hi, double *out, int *st)
{
    if (B == 1)
        return grad_chunk(sys, 1, 1, x, lo, hi, out, st);
    int worst = GDN_PT_OK;
    for (size_t b0 = 0; b0 < B; b0 += CHUNK) {
        size_t L = B - b0 < CHUNK ? B - b0 : CHUNK;
        int w = grad_chunk(sys, B, L, x + b0, lo, hi, out + b0,
                           st ? st + b0 : NULL);
        worst = w > worst ? w : worst;
    }
    return worst;
}

int gdn__dirac_grad_lanes(const gdn_system *sys, size_t B, const double *x,
                          size_t lo, size_t hi, double *out, int *st)
{
    return grad_lanes(sys, B, x, lo, hi, out, st);
}

/* One simgd step of L lanes of stride B at x in place (rates ld, lg at
 * the lanes' first): the field of grad_chunk, then gd.c's plain update
 * x - lr xi per player, the model's projection of phi, and discrete.c's
 * check: bad[l] = (field undefined ? 2 : 0) | (the new state left the
 * range lim), and a lane that is bad or not running (act[l] = 0) keeps
 * its state (the generic path restores it).  The new states go through
 * nx, in L1, so the batch is read and written once.  Returns whether a
 * running lane is bad. */
static GDN_ALWAYS_INLINE int simgd_chunk(const gdn_system *sys, size_t B,
                                         size_t L, double *x,
                                         const double *ld, const double *lg,
                                         const int *act, double lim,
                                         int *bad)
{
    size_t n = sys->n;
    double f[3][CHUNK], g[3][CHUNK];
    double nx[2 * GDN__DIRAC_STEP_NMAX][CHUNK];
    int s[CHUNK], out[CHUNK];
    coefs_chunk(sys, B, L, x, f, g, s);
    const double *p = f[0], *q = f[1], *r = g[0], *sb = g[2];
    for (size_t i = 0; i < n; i++) {
        const double *ph = x + i * B, *th = x + (n + i) * B;
        double *o = nx[i];
        #pragma omp simd
        for (size_t l = 0; l < L; l++) {
            double v = p[l] * th[l] + 2 * q[l] * ph[l];
            v = s[l] == GDN_PT_UNDEFINED ? 0.0 : v;
            o[l] = ph[l] - ld[l] * v;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const double *ph = x + i * B, *th = x + (n + i) * B;
        double *o = nx[n + i];
        #pragma omp simd
        for (size_t l = 0; l < L; l++) {
            double v = r[l] * ph[l] + 2 * sb[l] * th[l];
            v = s[l] == GDN_PT_UNDEFINED ? 0.0 : v;
            o[l] = th[l] - lg[l] * v;
        }
    }
    const gdn_term *m = &sys->model;
    if (m->type->project) /* phi's rows (it has lanes: ..._applies) */
        m->type->project_lanes(m->par, n, CHUNK, L, nx[0]);
    #pragma omp simd
    for (size_t l = 0; l < L; l++)
        out[l] = s[l] == GDN_PT_UNDEFINED ? 2 : 0;
    for (size_t i = 0; i < 2 * n; i++) {
        const double *o = nx[i];
        #pragma omp simd
        for (size_t l = 0; l < L; l++)
            out[l] |= !(fabs(o[l]) <= lim);
    }
    int any = 0;
    #pragma omp simd reduction(| : any)
    for (size_t l = 0; l < L; l++) {
        bad[l] = out[l];
        any |= act[l] & (out[l] != 0);
        out[l] = (!act[l]) | (out[l] != 0); /* keep */
    }
    for (size_t i = 0; i < 2 * n; i++) {
        double *y = x + i * B;
        const double *o = nx[i];
        #pragma omp simd
        for (size_t l = 0; l < L; l++)
            y[l] = gdn__sel(out[l], y[l], o[l]);
    }
    return any;
}

/* simgd_chunk in 2-D on a full chunk (constant n and L: one lane loop
 * for the sums, one for the update, the check and the commit, or, with a
 * projection, one before it and one after): the same operations. */
static GDN_ALWAYS_INLINE int simgd_chunk_2d(const gdn_system *sys, size_t B,
                                            double *x, const double *ld,
                                            const double *lg, const int *act,
                                            double lim, int *bad, int proj)
{
    enum { L = CHUNK };
    double t[CHUNK], a[CHUNK], bb[CHUNK];
    double f[3][CHUNK], g[3][CHUNK];
    double nx[4][CHUNK];
    int s[CHUNK];
    double *restrict p0 = x, *restrict p1 = x + B;
    double *restrict q0 = x + 2 * B, *restrict q1 = x + 3 * B;
    #pragma omp simd
    for (size_t l = 0; l < L; l++) {
        const double a0 = p0[l], a1 = p1[l], c0 = q0[l], c1 = q1[l];
        double tt = 0.0 + c0 * a0, aa = 0.0 + a0 * a0, bv = 0.0 + c0 * c0;
        tt += c1 * a1;
        aa += a1 * a1;
        bv += c1 * c1;
        t[l] = tt, a[l] = aa, bb[l] = bv;
    }
    double *const F[3] = {f[0], f[1], f[2]};
    double *const G[3] = {g[0], g[1], g[2]};
    gdn__system_grad_lanes(sys, L, t, a, bb, F, G, s);
    const double *restrict p = f[0], *restrict q = f[1];
    const double *restrict r = g[0], *restrict sb = g[2];
    /* (a lane whose field is undefined keeps its state: its xi, 0 in the
     * generic step, is not needed.  The flags are 64-bit, as wide as the
     * doubles they select.) */
    if (proj) {
        #pragma omp simd
        for (size_t l = 0; l < L; l++) {
            const double a0 = p0[l], a1 = p1[l], c0 = q0[l], c1 = q1[l];
            nx[0][l] = a0 - ld[l] * (p[l] * c0 + 2 * q[l] * a0);
            nx[1][l] = a1 - ld[l] * (p[l] * c1 + 2 * q[l] * a1);
            nx[2][l] = c0 - lg[l] * (r[l] * a0 + 2 * sb[l] * c0);
            nx[3][l] = c1 - lg[l] * (r[l] * a1 + 2 * sb[l] * c1);
        }
        const gdn_term *m = &sys->model;
        m->type->project_lanes(m->par, 2, CHUNK, L, nx[0]);
    }
    int64_t any = 0;
    #pragma omp simd reduction(| : any)
    for (size_t l = 0; l < L; l++) {
        const double a0 = p0[l], a1 = p1[l], c0 = q0[l], c1 = q1[l];
        double n0, n1, n2, n3;
        if (proj) {
            n0 = nx[0][l], n1 = nx[1][l], n2 = nx[2][l], n3 = nx[3][l];
        } else {
            n0 = a0 - ld[l] * (p[l] * c0 + 2 * q[l] * a0);
            n1 = a1 - ld[l] * (p[l] * c1 + 2 * q[l] * a1);
            n2 = c0 - lg[l] * (r[l] * a0 + 2 * sb[l] * c0);
            n3 = c1 - lg[l] * (r[l] * a1 + 2 * sb[l] * c1);
        }
        const int64_t run = act[l] != 0;
        const int64_t und = s[l] == GDN_PT_UNDEFINED;
        const int64_t in = (fabs(n0) <= lim) & (fabs(n1) <= lim) &
                           (fabs(n2) <= lim) & (fabs(n3) <= lim);
        const int64_t move = run & in & (und ^ 1);
        bad[l] = (int)((und << 1) | (in ^ 1));
        any |= run ^ move; /* running and bad */
        p0[l] = move ? n0 : a0, p1[l] = move ? n1 : a1;
        q0[l] = move ? n2 : c0, q1[l] = move ? n3 : c1;
    }
    return any != 0;
}

GDN_VECTOR_CLONES
static int simgd_lanes(const gdn_system *sys, size_t B, double *x,
                       const double *lr, const int *act, double lim, int *bad)
{
    if (B == 1) /* (constants: plain scalar code) */
        return simgd_chunk(sys, 1, 1, x, lr, lr + 1, act, lim, bad);
    int any = 0, proj = sys->model.type->project != NULL;
    for (size_t b0 = 0; b0 < B; b0 += CHUNK) {
        size_t L = B - b0 < CHUNK ? B - b0 : CHUNK;
        if (sys->n == 2 && L == CHUNK) {
            const double *ld = lr + b0, *lg = lr + B + b0;
            any |= proj ? simgd_chunk_2d(sys, B, x + b0, ld, lg, act + b0,
                                         lim, bad + b0, 1)
                        : simgd_chunk_2d(sys, B, x + b0, ld, lg, act + b0,
                                         lim, bad + b0, 0);
            continue;
        }
        any |= simgd_chunk(sys, B, L, x + b0, lr + b0, lr + B + b0,
                           act + b0, lim, bad + b0);
    }
    return any;
}

int gdn__dirac_simgd_applies(const gdn_system *sys)
{
    const gdn_term_type *m = sys->model.type;
    return sys->n <= GDN__DIRAC_STEP_NMAX && (!m->project || m->project_lanes);
}

int gdn__dirac_simgd_lanes(const gdn_system *sys, size_t B, double *x,
                           const double *lr, const int *act, double lim,
                           int *bad)
{
    return simgd_lanes(sys, B, x, lr, act, lim, bad);
}

/* J v into jv and J^T v into jtv (either may be NULL; a constant NULL
 * drops its half) by the formulas above, on L lanes of stride B as in
 * grad_chunk.  Both from one set of partials: SGA needs both. */
static GDN_ALWAYS_INLINE int products_chunk(const gdn_system *sys, size_t B,
                                            size_t L, const double *x,
                                            const double *v, double *jv,
                                            double *jtv, int *st)
{
    size_t n = sys->n;
    int worst = GDN_PT_OK;
    double t[CHUNK], a[CHUNK], bb[CHUNK];
    double tv[CHUNK], pv[CHUNK], fv[CHUNK], bv[CHUNK];
    /* out_phi = c0 theta + c1 phi + c2 v_phi + c3 v_theta,
     * out_theta = c4 phi + c5 theta + c6 v_phi + c7 v_theta;
     * c for J v, d for J^T v */
    double c[8][CHUNK], d[8][CHUNK];
    int ok[CHUNK];
    for (size_t l = 0; l < L; l++)
        t[l] = a[l] = bb[l] = tv[l] = pv[l] = fv[l] = bv[l] = 0;
    for (size_t i = 0; i < n; i++) {
        const double *ph = x + i * B, *th = x + (n + i) * B;
        const double *vp = v + i * B, *vt = v + (n + i) * B;
        for (size_t l = 0; l < L; l++) {
            t[l] += th[l] * ph[l];
            a[l] += ph[l] * ph[l];
            bb[l] += th[l] * th[l];
            tv[l] += th[l] * vp[l];
            pv[l] += ph[l] * vp[l];
            fv[l] += ph[l] * vt[l];
            bv[l] += th[l] * vt[l];
        }
    }
    for (size_t l = 0; l < L; l++) {
        gdn_partials F, G;
        int s = gdn_system_partials(sys, t[l], a[l], bb[l],
                                    GDN_ORDER_JACOBIAN, &F, &G);
        const double *Fh = F.h, *Gh = G.h;
        double p = F.g[0], q = F.g[1], r = G.g[0], sg = G.g[2];
        if (jv) {
            double dt = tv[l] + fv[l], da = 2 * pv[l], db = 2 * bv[l];
            c[0][l] = Fh[0] * dt + Fh[1] * da + Fh[2] * db;
            c[1][l] = 2 * (Fh[3] * dt + Fh[4] * da + Fh[5] * db);
            c[2][l] = 2 * q, c[3][l] = p;
            c[4][l] = Gh[0] * dt + Gh[1] * da + Gh[2] * db;
            c[5][l] = 2 * (Gh[6] * dt + Gh[7] * da + Gh[8] * db);
            c[6][l] = r, c[7][l] = 2 * sg;
        }
        if (jtv) {
            double wp = tv[l], wq = 2 * pv[l], wr = fv[l], ws = 2 * bv[l];
            double ct = wp * Fh[0] + wq * Fh[3] + wr * Gh[0] + ws * Gh[6];
            double ca = wp * Fh[1] + wq * Fh[4] + wr * Gh[1] + ws * Gh[7];
            double cb = wp * Fh[2] + wq * Fh[5] + wr * Gh[2] + ws * Gh[8];
            d[0][l] = ct, d[1][l] = 2 * ca, d[2][l] = 2 * q, d[3][l] = r;
            d[4][l] = ct, d[5][l] = 2 * cb, d[6][l] = p, d[7][l] = 2 * sg;
        }
        ok[l] = s == GDN_PT_OK;
        if (st)
            st[l] = s;
        worst = s > worst ? s : worst;
    }
    for (size_t i = 0; i < n; i++) {
        const double *ph = x + i * B, *th = x + (n + i) * B;
        const double *vp = v + i * B, *vt = v + (n + i) * B;
        for (size_t l = 0; l < L; l++) {
            if (jv) {
                double u = c[0][l] * th[l] + c[1][l] * ph[l] +
                           c[2][l] * vp[l] + c[3][l] * vt[l];
                double w = c[4][l] * ph[l] + c[5][l] * th[l] +
                           c[6][l] * vp[l] + c[7][l] * vt[l];
                jv[i * B + l] = ok[l] ? u : 0.0;
                jv[(n + i) * B + l] = ok[l] ? w : 0.0;
            }
            if (jtv) {
                double u = d[0][l] * th[l] + d[1][l] * ph[l] +
                           d[2][l] * vp[l] + d[3][l] * vt[l];
                double w = d[4][l] * ph[l] + d[5][l] * th[l] +
                           d[6][l] * vp[l] + d[7][l] * vt[l];
                jtv[i * B + l] = ok[l] ? u : 0.0;
                jtv[(n + i) * B + l] = ok[l] ? w : 0.0;
            }
        }
    }
    return worst;
}

/* The chunk body once per combination, so each inlined copy drops the
 * half it does not compute. */
static int products_lanes(const gdn_system *sys, size_t B, size_t L,
                          const double *x, const double *v, double *jv,
                          double *jtv, int *st)
{
    if (B == 1)
        return !jtv  ? products_chunk(sys, 1, 1, x, v, jv, NULL, st)
               : !jv ? products_chunk(sys, 1, 1, x, v, NULL, jtv, st)
                     : products_chunk(sys, 1, 1, x, v, jv, jtv, st);
    return !jtv  ? products_chunk(sys, B, L, x, v, jv, NULL, st)
           : !jv ? products_chunk(sys, B, L, x, v, NULL, jtv, st)
                 : products_chunk(sys, B, L, x, v, jv, jtv, st);
}

static int products(const gdn_system *sys, size_t B, const double *x,
                    const double *v, double *jv, double *jtv, int *st)
{
    if (B == 1)
        return products_lanes(sys, 1, 1, x, v, jv, jtv, st);
    int worst = GDN_PT_OK;
    for (size_t b0 = 0; b0 < B; b0 += CHUNK) {
        size_t L = B - b0 < CHUNK ? B - b0 : CHUNK;
        int w = products_lanes(sys, B, L, x + b0, v + b0,
                               jv ? jv + b0 : NULL, jtv ? jtv + b0 : NULL,
                               st ? st + b0 : NULL);
        worst = w > worst ? w : worst;
    }
    return worst;
}

static int dirac_grad(const gdn_game *g, size_t B, const double *x,
                      double *xi, int *st)
{
    const gdn_system *sys = g->self;
    /* (the fused models have dirac_type_fused, whose grad is the next) */
    if (B == 1) { /* the same bits without the lanes' bookkeeping */
        int s = gdn_system_grad(sys, x, xi);
        if (st)
            st[0] = s;
        return s;
    }
    return gdn__dirac_grad_lanes(sys, B, x, 0, g->dim, xi, st);
}

/* gan and nsgan without regularisers (chosen once, by gdn_game_dirac). */
static int dirac_grad_fused(const gdn_game *g, size_t B, const double *x,
                            double *xi, int *st)
{
    return gdn__dirac_grad_fused(g->self, B, x, 0, g->dim, xi, st);
}

static int dirac_player_grad(const gdn_game *g, size_t p, size_t B,
                             const double *x, double *xi_p, int *st)
{
    const gdn_system *sys = g->self;
    size_t lo = g->off[p], hi = g->off[p + 1];
    if (gdn__dirac_fused_applies(sys))
        return gdn__dirac_grad_fused(sys, B, x, lo, hi, xi_p, st);
    return gdn__dirac_grad_lanes(sys, B, x, lo, hi, xi_p, st);
}

static int dirac_jvp(const gdn_game *g, size_t B, const double *x,
                     const double *v, double *out, int *st)
{
    return products(g->self, B, x, v, out, NULL, st);
}

static int dirac_vjp(const gdn_game *g, size_t B, const double *x,
                     const double *v, double *out, int *st)
{
    return products(g->self, B, x, v, NULL, out, st);
}

static int dirac_jvp_vjp(const gdn_game *g, size_t B, const double *x,
                         const double *v, double *jv, double *jtv, int *st)
{
    return products(g->self, B, x, v, jv, jtv, st);
}

static int dirac_jacobian(const gdn_game *g, const double *x, double *J)
{
    return gdn_system_jacobian(g->self, x, J);
}

/* The model's projection (wgan-clip's clipping of phi) on each lane: the
 * term's own function on the gathered state, so the lanes clip exactly as
 * a single run does. */
static void dirac_project(const gdn_game *g, size_t p, size_t B, double *x)
{
    const gdn_system *sys = g->self;
    const gdn_term *m = &sys->model;
    if (p != 0 || !m->type->project)
        return;
    if (B == 1) {
        m->type->project(m->par, sys->n, x);
        return;
    }
    if (m->type->project_lanes) { /* in place, vectorised */
        m->type->project_lanes(m->par, sys->n, B, B, x);
        return;
    }
    size_t dim = g->dim;
    double buf[512];
    double *xs = dim <= 512 ? buf : malloc(dim * sizeof *xs);
    if (!xs)
        return; /* out of memory for n > 256: documented in game.h */
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < dim; i++)
            xs[i] = x[i * B + b];
        m->type->project(m->par, sys->n, xs);
        for (size_t i = 0; i < dim; i++)
            x[i * B + b] = xs[i];
    }
    if (xs != buf)
        free(xs);
}

static void dirac_observe(const gdn_game *g, const double *x, double *out)
{
    const gdn_system *sys = g->self;
    gdn_invariants inv;
    gdn_invariants_of(sys->n, x, &inv);
    out[0] = inv.phi_norm;
    out[1] = inv.theta_norm;
    out[2] = inv.norm;
    out[3] = inv.energy;
    out[4] = inv.gram;
    out[5] = inv.t;
}

/* x = 0 is an equilibrium when the field exists there (as a value or an
 * extension): xi(0) = (p 0 + 2q 0, r 0 + 2s 0) = 0 for finite partials.
 * wgan's field is undefined at phi = 0, so it has none. */
static int dirac_equilibrium(const gdn_game *g, double *x)
{
    const gdn_system *sys = g->self;
    gdn_partials F, G;
    memset(x, 0, g->dim * sizeof *x);
    int s = gdn_system_partials(sys, 0, 0, 0, GDN_ORDER_GRAD, &F, &G);
    return s != GDN_PT_UNDEFINED && isfinite(F.g[0]) && isfinite(F.g[1]) &&
           isfinite(G.g[0]) && isfinite(G.g[2]);
}

static const gdn_game_type dirac_type = {
    .name = "dirac",
    .grad = dirac_grad,
    .player_grad = dirac_player_grad,
    .jvp = dirac_jvp,
    .vjp = dirac_vjp,
    .jvp_vjp = dirac_jvp_vjp,
    .jacobian = dirac_jacobian,
    .project = dirac_project,
    .observe = dirac_observe,
    .equilibrium = dirac_equilibrium,
};

/* The same without a projection, for models that have none: the schedule
 * then skips the call after every update. */
static const gdn_game_type dirac_type_free = {
    .name = "dirac",
    .grad = dirac_grad,
    .player_grad = dirac_player_grad,
    .jvp = dirac_jvp,
    .vjp = dirac_vjp,
    .jvp_vjp = dirac_jvp_vjp,
    .jacobian = dirac_jacobian,
    .observe = dirac_observe,
    .equilibrium = dirac_equilibrium,
};

/* The same for the fused models (none has a projection): their grad
 * goes straight to the fused field. */
static const gdn_game_type dirac_type_fused = {
    .name = "dirac",
    .grad = dirac_grad_fused,
    .player_grad = dirac_player_grad,
    .jvp = dirac_jvp,
    .vjp = dirac_vjp,
    .jvp_vjp = dirac_jvp_vjp,
    .jacobian = dirac_jacobian,
    .observe = dirac_observe,
    .equilibrium = dirac_equilibrium,
};

int gdn_game_dirac(gdn_game *g, const gdn_system *sys, gdn_error *err)
{
    if (gdn_system_check(sys, err) != GDN_OK)
        return GDN_EINVAL;
    memset(g, 0, sizeof *g);
    g->type = gdn__dirac_fused_applies(sys) ? &dirac_type_fused
              : sys->model.type->project      ? &dirac_type
                                              : &dirac_type_free;
    g->self = sys;
    g->dim = 2 * sys->n;
    g->nplayers = 2;
    g->off[0] = 0, g->off[1] = sys->n, g->off[2] = 2 * sys->n;
    g->player[0] = "D", g->player[1] = "G";
    static const char *const obs[] = {"|phi|", "|theta|", "|x|", "E",
                                      "Gamma", "theta.phi"};
    g->nobs = sizeof obs / sizeof obs[0];
    for (size_t k = 0; k < g->nobs; k++)
        g->obs[k] = obs[k];
    return GDN_OK;
}
