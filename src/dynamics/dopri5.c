/*
 * dopri5.c - Dormand & Prince's 5(4) pair (J. Comp. Appl. Math. 6, 1980),
 * with the continuous extension of Hairer, Norsett & Wanner, "Solving
 * Ordinary Differential Equations I", II.6 (the DOPRI5 code's CONTD5); and
 * the fixed-step RK4 and Euler methods.  All over lanes (see ode.h).
 *
 * The 5th-order solution propagates; the 4th-order one only estimates the
 * error.  The method is FSAL: k7 = f(y1) is the next step's k1.
 *
 * The loops run over the lanes innermost so that the compiler vectorises
 * them (this file is built with -fno-trapping-math and the hot functions
 * are cloned for AVX-512 and AVX2, see vector.h): the operations and their
 * order per lane are the scalar formulas', so B lanes give the numbers of
 * B single integrations bit for bit.
 */
#include "ode.h"

#include <math.h>

#include "gandyn/model.h"

#include "../core/gmath.h"
#include "dopri5_tableau.h"
#include "vector.h"

/* Doubles between the workspace's arrays when it has lanes: at B = 128
 * and dim 4 the arrays are 4 KB long, so that the same rows of k0..k6, y
 * and the coefficients would fall in the same L1 sets and evict each other
 * in every lane loop. */
static size_t ws_pad(size_t B) { return GDN__DOPRI5_PAD(B); }

size_t gdn__dopri5_ws(size_t dim, size_t B)
{
    size_t p = ws_pad(B);
    return 14 * p + 13 * (dim * B + p) + 2 * B;
}

size_t gdn__dopri5_size(size_t dim, size_t B)
{
    /* the workspace, then the spare: a packed one of at most B lanes, and
     * the caller's 3 dim B + 10 B (with pads) */
    return 2 * gdn__dopri5_ws(dim, B) + 3 * dim * B + 10 * B + 4 * ws_pad(B);
}

double *gdn__dopri5_spare(const gdn__dopri5 *w) { return w->h + w->B; }

void gdn__dopri5_bind(gdn__dopri5 *w, size_t dim, size_t B, double *mem,
                      int *ist)
{
    size_t p = ws_pad(B), n = dim * B + p; /* an array and its pad */
    w->dim = dim;
    w->B = B;
    w->group = dim;
    mem += p;
    for (int i = 0; i < 7; i++)
        w->k[i] = mem + (size_t)i * n;
    w->ytmp = mem + 7 * n;
    w->cont = mem + 8 * n;
    w->cs = n;
    w->t0 = mem + 13 * n;
    w->h = w->t0 + B + p;
    w->st = ist;
    for (size_t b = 0; b < B; b++)
        w->t0[b] = w->h[b] = 0;
}

static int worst(int s, int t) { return s > t ? s : t; }

/* st[b] = worst(st[b], s[b]); the worst of all. */
static int worst_lanes(size_t B, int *st, const int *s)
{
    int all = 0;
    for (size_t b = 0; b < B; b++) {
        st[b] = worst(st[b], s[b]);
        all = worst(all, st[b]);
    }
    return all;
}

/* out = y + h[b] * (a[0] k[ix[0]] + a[1] k[ix[1]] + ...), the sum from the
 * left; inlined where nk and ix are constants, so that the sum unrolls. */
static GDN_ALWAYS_INLINE void stage(const gdn__dopri5 *w, size_t B,
                                    const double *restrict y,
                                    const double *restrict h, int nk,
                                    const double *a, const int *ix,
                                    double *restrict out)
{
    size_t n = w->dim;
    for (size_t i = 0; i < n; i++) {
        const double *restrict yi = y + i * B;
        const double *restrict kq[5];
        for (int q = 0; q < nk; q++)
            kq[q] = w->k[ix[q]] + i * B;
        double *restrict o = out + i * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            double sum = a[0] * kq[0][b];
            for (int q = 1; q < nk; q++)
                sum += a[q] * kq[q][b];
            o[b] = yi[b] + h[b] * sum;
        }
    }
}

/* The stages of a trial step; returns the worst status, lane by lane in
 * st.  Inlined twice: with B = 1 constant (a single run's scalar loops)
 * and for any B (vectorised over lanes); the arithmetic is the same. */
static GDN_ALWAYS_INLINE int stages_body(gdn__dopri5 *w, const gdn__ode *ode,
                                         size_t B, const double *h,
                                         const double *restrict y0,
                                         double *restrict y1, int *st)
{
    static const double a3[] = {A31, A32}, a4[] = {A41, A42, A43},
                        a5[] = {A51, A52, A53, A54},
                        a6[] = {A61, A62, A63, A64, A65},
                        a7[] = {A71, A73, A74, A75, A76};
    static const int i3[] = {0, 1}, i4[] = {0, 1, 2}, i5[] = {0, 1, 2, 3},
                     i6[] = {0, 1, 2, 3, 4}, i7[] = {0, 2, 3, 4, 5};
    size_t n = w->dim;
    double *restrict yt = w->ytmp;
    const double *restrict k0 = w->k[0];
    int *s = w->st;
    for (size_t i = 0; i < n; i++) /* (h A21) k0, as the scalar formula */
#pragma omp simd
        for (size_t b = 0; b < B; b++)
            yt[i * B + b] = y0[i * B + b] + h[b] * A21 * k0[i * B + b];
    ode->f(ode->ctx, yt, w->k[1], st);
    stage(w, B, y0, h, 2, a3, i3, yt);
    ode->f(ode->ctx, yt, w->k[2], s);
    worst_lanes(B, st, s);
    stage(w, B, y0, h, 3, a4, i4, yt);
    ode->f(ode->ctx, yt, w->k[3], s);
    worst_lanes(B, st, s);
    stage(w, B, y0, h, 4, a5, i5, yt);
    ode->f(ode->ctx, yt, w->k[4], s);
    worst_lanes(B, st, s);
    stage(w, B, y0, h, 5, a6, i6, yt);
    ode->f(ode->ctx, yt, w->k[5], s);
    worst_lanes(B, st, s);
    stage(w, B, y0, h, 5, a7, i7, y1);
    ode->f(ode->ctx, y1, w->k[6], s);
    return worst_lanes(B, st, s);
}

GDN_VECTOR_CLONES
static int stages_lanes(gdn__dopri5 *w, const gdn__ode *ode, const double *h,
                        const double *y0, double *y1, int *st)
{
    return stages_body(w, ode, w->B, h, y0, y1, st);
}

static int stages_one(gdn__dopri5 *w, const gdn__ode *ode, const double *h,
                      const double *y0, double *y1, int *st)
{
    return stages_body(w, ode, 1, h, y0, y1, st);
}

/* The dense output's five coefficients of one component of a step of
 * size h from y0 to y1, stored where nb is 1 (kept where it is 0, in
 * selects, so that the lane loops vectorise without masked stores). */
static GDN_ALWAYS_INLINE void dense_coefs(int64_t nb, double h, double y0,
                                          double y1, double k0, double k2,
                                          double k3, double k4, double k5,
                                          double k6, double *c0, double *c1,
                                          double *c2, double *c3, double *c4)
{
    double ydiff = y1 - y0;
    double bspl = h * k0 - ydiff;
    double v3 = ydiff - h * k6 - bspl;
    double v4 = h * (D1 * k0 + D3 * k2 + D4 * k3 + D5 * k4 + D6 * k5 +
                     D7 * k6);
    *c0 = gdn__sel(nb, y0, *c0);
    *c1 = gdn__sel(nb, ydiff, *c1);
    *c2 = gdn__sel(nb, bspl, *c2);
    *c3 = gdn__sel(nb, v3, *c3);
    *c4 = gdn__sel(nb, v4, *c4);
}

/* The error norms; with dense, also the dense outputs of the lanes with
 * act[b] (every lane: act NULL) in the same pass over the stages (see
 * gdn__dopri5_try_dense). */
static GDN_ALWAYS_INLINE void error_norm_body(gdn__dopri5 *w, size_t B,
                                              const double *restrict h,
                                              const double *restrict y0,
                                              const double *restrict y1,
                                              double rtol, double atol,
                                              double *restrict err, int dense,
                                              const int *restrict act,
                                              const double *restrict t0)
{
    size_t n = w->dim, g = w->group, cs = w->cs;
    const double *restrict k0 = w->k[0], *restrict k2 = w->k[2];
    const double *restrict k3 = w->k[3], *restrict k4 = w->k[4];
    const double *restrict k5 = w->k[5], *restrict k6 = w->k[6];
    double *restrict sum = w->ytmp; /* free once the stages are done */
    double *restrict c = w->cont;
    for (size_t b = 0; b < B; b++)
        sum[b] = 0, err[b] = 0;
    /* RMS within each block of w->group components, max over blocks */
    for (size_t i = 0; i < n; i++) {
        double *restrict c0 = c + i * B, *restrict c1 = c0 + cs;
        double *restrict c2 = c1 + cs, *restrict c3 = c2 + cs;
        double *restrict c4 = c3 + cs;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            size_t j = i * B + b;
            double e = h[b] * (E1 * k0[j] + E3 * k2[j] + E4 * k3[j] +
                               E5 * k4[j] + E6 * k5[j] + E7 * k6[j]);
            double sc = atol + rtol * gdn__fmax(fabs(y0[j]), fabs(y1[j]));
            sum[b] += (e / sc) * (e / sc);
            if (dense)
                dense_coefs(!act || act[b] != 0, h[b], y0[j], y1[j], k0[j],
                            k2[j], k3[j], k4[j], k5[j], k6[j], &c0[b], &c1[b],
                            &c2[b], &c3[b], &c4[b]);
        }
        if ((i + 1) % g == 0)
            for (size_t b = 0; b < B; b++) {
                /* a NaN block (an average at inf) must reject, not vanish
                 * as fmax would let it */
                double rms = sum[b] / (double)g;
                err[b] = isnan(rms) ? INFINITY : gdn__fmax(err[b], rms);
                sum[b] = 0;
            }
    }
    for (size_t b = 0; b < B; b++) {
        double e = sqrt(err[b]);
        err[b] = isfinite(e) ? e : INFINITY;
    }
    if (dense)
        for (size_t b = 0; b < B; b++) {
            int64_t nb = !act || act[b] != 0;
            w->t0[b] = gdn__sel(nb, t0[b], w->t0[b]);
            w->h[b] = gdn__sel(nb, h[b], w->h[b]);
        }
}

GDN_VECTOR_CLONES
static void error_norm_lanes(gdn__dopri5 *w, const double *h,
                             const double *y0, const double *y1, double rtol,
                             double atol, double *err)
{
    error_norm_body(w, w->B, h, y0, y1, rtol, atol, err, 0, NULL, NULL);
}

GDN_VECTOR_CLONES
static void error_dense_lanes(gdn__dopri5 *w, const double *h,
                              const double *y0, const double *y1,
                              double rtol, double atol, double *err,
                              const int *act, const double *t0)
{
    if (act)
        error_norm_body(w, w->B, h, y0, y1, rtol, atol, err, 1, act, t0);
    else /* every lane: no selects */
        error_norm_body(w, w->B, h, y0, y1, rtol, atol, err, 1, NULL, t0);
}

static void error_norm_one(gdn__dopri5 *w, const double *h, const double *y0,
                           const double *y1, double rtol, double atol,
                           double *err)
{
    error_norm_body(w, 1, h, y0, y1, rtol, atol, err, 0, NULL, NULL);
}

int gdn__dopri5_try(gdn__dopri5 *w, const gdn__ode *ode, const double *h,
                    const double *y0, double *y1, double rtol, double atol,
                    double *err, int *st)
{
    if (w->B == 1) {
        int all = stages_one(w, ode, h, y0, y1, st);
        error_norm_one(w, h, y0, y1, rtol, atol, err);
        return all;
    }
    int all = stages_lanes(w, ode, h, y0, y1, st);
    error_norm_lanes(w, h, y0, y1, rtol, atol, err);
    return all;
}

int gdn__dopri5_try_dense(gdn__dopri5 *w, const gdn__ode *ode,
                          const double *h, const double *y0, double *y1,
                          double rtol, double atol, double *err, int *st,
                          const int *act, const double *t0)
{
    int all = stages_lanes(w, ode, h, y0, y1, st);
    error_dense_lanes(w, h, y0, y1, rtol, atol, err, act, t0);
    return all;
}

/* The dense output of every lane b with need[b] (from t0[b], step h[b]),
 * the others' kept: selects over all lanes, so that it vectorises. */
static GDN_ALWAYS_INLINE void dense_body(gdn__dopri5 *w, size_t B,
                                         const int *restrict need,
                                         const double *restrict t0,
                                         const double *restrict h,
                                         const double *restrict y0,
                                         const double *restrict y1)
{
    size_t n = w->dim;
    for (size_t i = 0; i < n; i++) {
        const double *restrict k0 = w->k[0] + i * B, *restrict k2 = w->k[2] + i * B;
        const double *restrict k3 = w->k[3] + i * B, *restrict k4 = w->k[4] + i * B;
        const double *restrict k5 = w->k[5] + i * B, *restrict k6 = w->k[6] + i * B;
        const double *restrict a = y0 + i * B, *restrict z = y1 + i * B;
        double *restrict c0 = w->cont + 0 * w->cs + i * B;
        double *restrict c1 = w->cont + 1 * w->cs + i * B;
        double *restrict c2 = w->cont + 2 * w->cs + i * B;
        double *restrict c3 = w->cont + 3 * w->cs + i * B;
        double *restrict c4 = w->cont + 4 * w->cs + i * B;
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            dense_coefs(!need || need[b] != 0, h[b], a[b], z[b], k0[b],
                        k2[b], k3[b], k4[b], k5[b], k6[b], &c0[b], &c1[b],
                        &c2[b], &c3[b], &c4[b]);
        }
    }
    for (size_t b = 0; b < B; b++) {
        int64_t nb = !need || need[b] != 0;
        w->t0[b] = gdn__sel(nb, t0[b], w->t0[b]);
        w->h[b] = gdn__sel(nb, h[b], w->h[b]);
    }
}

GDN_VECTOR_CLONES
static void dense_lanes(gdn__dopri5 *w, const int *need, const double *t0,
                        const double *h, const double *y0, const double *y1)
{
    if (need)
        dense_body(w, w->B, need, t0, h, y0, y1);
    else /* every lane: no selects */
        dense_body(w, w->B, NULL, t0, h, y0, y1);
}

void gdn__dopri5_dense_lanes(gdn__dopri5 *w, const int *need,
                             const double *t0, const double *h,
                             const double *y0, const double *y1)
{
    if (w->B == 1)
        dense_body(w, 1, need, t0, h, y0, y1);
    else
        dense_lanes(w, need, t0, h, y0, y1);
}

static GDN_ALWAYS_INLINE void eval_body(const gdn__dopri5 *w, size_t B,
                                        size_t b, double t, double *y)
{
    size_t n = w->dim, cs = w->cs;
    const double *c = w->cont;
    double s = (t - w->t0[b]) / w->h[b], s1 = 1.0 - s;
    for (size_t i = 0; i < n; i++)
        y[i * B + b] =
            c[i * B + b] +
            s * (c[cs + i * B + b] +
                 s1 * (c[2 * cs + i * B + b] +
                       s * (c[3 * cs + i * B + b] +
                            s1 * c[4 * cs + i * B + b])));
}

void gdn__dopri5_eval(const gdn__dopri5 *w, size_t b, double t, double *y)
{
    if (w->B == 1)
        eval_body(w, 1, 0, t, y);
    else
        eval_body(w, w->B, b, t, y);
}

/* Lane by lane the RMS norm of v / (atol + rtol |y|) into out. */
static void wnorm(size_t n, size_t B, const double *v, const double *y,
                  double rtol, double atol, double *out)
{
    for (size_t b = 0; b < B; b++)
        out[b] = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < B; b++) {
            double sc = atol + rtol * fabs(y[i * B + b]);
            out[b] += (v[i * B + b] / sc) * (v[i * B + b] / sc);
        }
    for (size_t b = 0; b < B; b++)
        out[b] = sqrt(out[b] / (double)n);
}

void gdn__dopri5_h0(const gdn__ode *ode, const double *y0, const double *f0,
                    double rtol, double atol, double hmax, double *work,
                    int *st, double *h)
{
    size_t n = ode->dim, B = ode->B, nb = n * B;
    double *y1 = work, *f1 = work + nb;
    double *d0 = f1 + nb, *d1 = d0 + B, *d2 = d1 + B;
    wnorm(n, B, y0, y0, rtol, atol, d0);
    wnorm(n, B, f0, y0, rtol, atol, d1);
    for (size_t b = 0; b < B; b++) {
        double h0 = (d0[b] < 1e-5 || d1[b] < 1e-5) ? 1e-6 : 0.01 * d0[b] / d1[b];
        h[b] = h0 > hmax ? hmax : h0;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < B; b++)
            y1[i * B + b] = y0[i * B + b] + h[b] * f0[i * B + b];
    ode->f(ode->ctx, y1, f1, st);
    for (size_t j = 0; j < nb; j++)
        f1[j] -= f0[j];
    wnorm(n, B, f1, y0, rtol, atol, d2);
    for (size_t b = 0; b < B; b++) {
        double h0 = h[b];
        if (st[b] == GDN_PT_UNDEFINED) {
            h[b] = h0 * 1e-3;
            continue;
        }
        double dd = d2[b] / h0, dm = fmax(d1[b], dd);
        double h1 = dm <= 1e-15 ? fmax(1e-6, h0 * 1e-3) : gdn__pow_pos(0.01 / dm, 0.2);
        double hb = fmin(100 * h0, h1);
        if (!isfinite(hb) || hb <= 0)
            hb = 1e-6;
        h[b] = fmin(hb, hmax);
    }
}

GDN_VECTOR_CLONES
static void rk4_stage(size_t nb, double *restrict yt, const double *restrict y,
                      double c, const double *restrict k)
{
    for (size_t j = 0; j < nb; j++)
        yt[j] = y[j] + c * k[j];
}

GDN_VECTOR_CLONES
static void rk4_update(size_t nb, double h, double *restrict y,
                       const double *restrict k1, const double *restrict k2,
                       const double *restrict k3, const double *restrict k4)
{
    const double c = h / 6.0;
    for (size_t j = 0; j < nb; j++)
        y[j] += c * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
}

int gdn__rk4_step(const gdn__ode *ode, double h, double *y, double *work,
                  int *st, int *ist)
{
    size_t nb = ode->dim * ode->B, B = ode->B;
    double *k1 = work, *k2 = work + nb, *k3 = work + 2 * nb;
    double *k4 = work + 3 * nb, *yt = work + 4 * nb;
    /* 0.5 * h * k is (0.5 * h) * k */
    ode->f(ode->ctx, y, k1, st);
    rk4_stage(nb, yt, y, 0.5 * h, k1);
    ode->f(ode->ctx, yt, k2, ist);
    worst_lanes(B, st, ist);
    rk4_stage(nb, yt, y, 0.5 * h, k2);
    ode->f(ode->ctx, yt, k3, ist);
    worst_lanes(B, st, ist);
    rk4_stage(nb, yt, y, h, k3);
    ode->f(ode->ctx, yt, k4, ist);
    int all = worst_lanes(B, st, ist);
    rk4_update(nb, h, y, k1, k2, k3, k4);
    return all;
}

GDN_VECTOR_CLONES
static void euler_update(size_t nb, double h, double *restrict y,
                         const double *restrict k)
{
    for (size_t j = 0; j < nb; j++)
        y[j] += h * k[j];
}

int gdn__euler_step(const gdn__ode *ode, double h, double *y, double *work,
                    int *st)
{
    int all = ode->f(ode->ctx, y, work, st);
    euler_update(ode->dim * ode->B, h, y, work);
    return all;
}
