/*
 * diag_lanes.c - the diagnosis accumulator over lanes (diag_lanes.h).
 *
 * gdn__diag_lanes_add performs, on every lane, the operations of
 * gdn_invariants_of and gdn_diag_acc_add (diagnose.c, system.c) in their
 * order, with the branches written as selects.  The lanes are taken a
 * chunk (GDN__DL_W lanes) at a time, in two passes that vectorise: the
 * invariants of the sample, then every statistic it updates.  In one
 * dimension and two the invariants stay in registers (the dimension is a
 * constant there); in more they are summed over the components in place.
 * A lane whose values are so large or small that gdn_invariants_of scales
 * them (outside [2^-230, 2^229]) has its invariants computed by that
 * function itself, between the passes.  The window of a sample depends on
 * its time only, which the lanes share, so it is chosen once per call, and
 * so is the work of a lane's first sample, of its tail's and of a window's
 * first: done only while some lane may still need it (the may_* flags).
 * Lean lanes (a sweep's) leave out what gdn_diag_acc_finish never reads.
 *
 * A chunk is one block: ND arrays of GDN__DL_W doubles (the S_* below),
 * then NI of GDN__DL_W int64 (the I_*), so that every statistic is at a
 * fixed offset from the chunk's start and a pass needs one pointer for all.
 */
#include "diag_lanes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/gmath.h"
#include "../dynamics/vector.h"

#define W ((size_t)GDN__DL_W)

enum { /* a window's fields */
    F_RMAX, F_RMIN, F_TMAX, F_THX, F_THN, F_THM, F_PHX, F_PHN, F_PHM,
    F_CMIN, F_CMAX = F_CMIN + 2, WN = F_CMAX + 2
};
enum { /* the doubles of a chunk, each an array of W */
    S_START = 0,  /* the invariants (gdn_invariants' order): first sample, */
    S_LAST = 8,   /* the latest, */
    S_TAIL0 = 16, /* the tail's first */
    S_T_LAST = 24,
    S_T_BELOW,
    S_R_LAST,
    S_ABOVE, /* flags and small counts as doubles (exact), so that the */
    S_MOVED, /* pass over every sample is all doubles */
    S_PREV,              /* 2: prev_c */
    S_DIR = S_PREV + 2,  /* 2: dir_c */
    S_TURNS = S_DIR + 2, /* 2: turns_c */
    S_RMAX3 = S_TURNS + 2,
    S_TMAX3 = S_RMAX3 + 2,
    S_BP = S_TMAX3 + 2, /* scratch (n > 2): max |phi_i|, max |theta_i| */
    S_BT,
    S_W, /* window k at S_W + k * WN (its fields: F_* above) */
    ND = S_W + 3 * WN
};
enum { /* the int64 of a chunk */
    I_COUNT, I_TAIL_INDEX, I_TAIL_STARTED,
    I_LO, /* window k: lo at I_LO + 2 k, hi at I_LO + 2 k + 1 */
    NI = I_LO + 6
};
#define CH ((size_t)(ND + NI) * W) /* 8-byte values per chunk */

static double *chunk_d(const gdn__diag_lanes *D, size_t c)
{
    return (double *)D->block + c * CH;
}

static int64_t *chunk_i(const gdn__diag_lanes *D, size_t c)
{
    return (int64_t *)(void *)(chunk_d(D, c) + ND * W);
}

/* statistic j of lane l of the chunk at s (doubles) or q (int64) */
#define S_(j) s[(size_t)(j) * W + l]
#define Q_(j) q[(size_t)(j) * W + l]

int gdn__diag_lanes_init(gdn__diag_lanes *D, size_t B, size_t n, double t0,
                         double t_end, const gdn_diag_opts *o)
{
    memset(D, 0, sizeof *D);
    D->B = B, D->n = n;
    D->nchunks = (B + W - 1) / W;
    gdn_diag_acc_init(&D->proto, n, t0, t_end, o);
    size_t bytes = D->nchunks * CH * 8 + 2 * n * sizeof(double) +
                   B * sizeof(gdn_diag_opts);
    unsigned char *p = malloc(bytes ? bytes : 1);
    if (!p)
        return GDN_ENOMEM;
    D->block = p;
    D->tmp = (double *)D->block + D->nchunks * CH;
    D->opts = (gdn_diag_opts *)(void *)(D->tmp + 2 * n);
    for (size_t b = 0; b < B; b++)
        gdn__diag_lanes_put(D, b, &D->proto);
    return GDN_OK;
}

void gdn__diag_lanes_free(gdn__diag_lanes *D)
{
    free(D->block);
    D->block = NULL;
}

void gdn__diag_lanes_set_opts(gdn__diag_lanes *D, size_t b,
                              const gdn_diag_opts *o)
{
    D->opts[b] = *o;
}

void gdn__diag_lanes_lean(gdn__diag_lanes *D)
{
    D->lean = 1;
}

/* the invariants at v (stride W) */
static void inv_get(const double *v, gdn_invariants *inv)
{
    inv->t = v[0], inv->a = v[W], inv->b = v[2 * W];
    inv->energy = v[3 * W], inv->gram = v[4 * W], inv->phi_norm = v[5 * W];
    inv->theta_norm = v[6 * W], inv->norm = v[7 * W];
}

static void inv_put(double *v, const gdn_invariants *inv)
{
    v[0] = inv->t, v[W] = inv->a, v[2 * W] = inv->b;
    v[3 * W] = inv->energy, v[4 * W] = inv->gram, v[5 * W] = inv->phi_norm;
    v[6 * W] = inv->theta_norm, v[7 * W] = inv->norm;
}

void gdn__diag_lanes_get(const gdn__diag_lanes *D, size_t b, gdn_diag_acc *a)
{
    const double *s = chunk_d(D, b / W);
    const int64_t *q = chunk_i(D, b / W);
    size_t l = b % W;
    *a = D->proto;
    a->opts = D->opts[b];
    inv_get(&S_(S_START), &a->start);
    inv_get(&S_(S_LAST), &a->last);
    inv_get(&S_(S_TAIL0), &a->tail0);
    a->count = (size_t)Q_(I_COUNT);
    a->tail_index = (size_t)Q_(I_TAIL_INDEX);
    a->tail_started = (int)Q_(I_TAIL_STARTED);
    a->t_last = S_(S_T_LAST), a->t_below = S_(S_T_BELOW);
    a->above = (int)S_(S_ABOVE);
    a->r_last = S_(S_R_LAST);
    a->moved_last = (int)S_(S_MOVED);
    for (int c = 0; c < 2; c++) {
        a->prev_c[c] = S_(S_PREV + c);
        a->dir_c[c] = (int)S_(S_DIR + c);
        a->turns_c[c] = (long)S_(S_TURNS + c);
        a->r_max3[c] = S_(S_RMAX3 + c), a->t_max3[c] = S_(S_TMAX3 + c);
    }
    for (int k = 0; k < 3; k++) {
        int w = S_W + k * WN;
        gdn_diag_window *o = &a->w[k];
        o->lo = (size_t)Q_(I_LO + 2 * k), o->hi = (size_t)Q_(I_LO + 2 * k + 1);
        o->r_max = S_(w + F_RMAX), o->r_min = S_(w + F_RMIN);
        o->t_max = S_(w + F_TMAX);
        o->th_max = S_(w + F_THX), o->th_min = S_(w + F_THN);
        o->th_mean = S_(w + F_THM);
        o->ph_max = S_(w + F_PHX), o->ph_min = S_(w + F_PHN);
        o->ph_mean = S_(w + F_PHM);
        for (int c = 0; c < 2; c++)
            o->c_min[c] = S_(w + F_CMIN + c), o->c_max[c] = S_(w + F_CMAX + c);
    }
}

void gdn__diag_lanes_put(gdn__diag_lanes *D, size_t b, const gdn_diag_acc *a)
{
    double *s = chunk_d(D, b / W);
    int64_t *q = chunk_i(D, b / W);
    size_t l = b % W;
    D->opts[b] = a->opts;
    inv_put(&S_(S_START), &a->start);
    inv_put(&S_(S_LAST), &a->last);
    inv_put(&S_(S_TAIL0), &a->tail0);
    Q_(I_COUNT) = (int64_t)a->count;
    Q_(I_TAIL_INDEX) = (int64_t)a->tail_index;
    Q_(I_TAIL_STARTED) = a->tail_started;
    S_(S_T_LAST) = a->t_last, S_(S_T_BELOW) = a->t_below;
    S_(S_ABOVE) = (double)a->above;
    S_(S_R_LAST) = a->r_last;
    S_(S_MOVED) = (double)a->moved_last;
    for (int c = 0; c < 2; c++) {
        S_(S_PREV + c) = a->prev_c[c];
        S_(S_DIR + c) = (double)a->dir_c[c];
        S_(S_TURNS + c) = (double)a->turns_c[c];
        S_(S_RMAX3 + c) = a->r_max3[c], S_(S_TMAX3 + c) = a->t_max3[c];
    }
    for (int k = 0; k < 3; k++) {
        int w = S_W + k * WN;
        const gdn_diag_window *o = &a->w[k];
        Q_(I_LO + 2 * k) = (int64_t)o->lo, Q_(I_LO + 2 * k + 1) = (int64_t)o->hi;
        S_(w + F_RMAX) = o->r_max, S_(w + F_RMIN) = o->r_min;
        S_(w + F_TMAX) = o->t_max;
        S_(w + F_THX) = o->th_max, S_(w + F_THN) = o->th_min;
        S_(w + F_THM) = o->th_mean;
        S_(w + F_PHX) = o->ph_max, S_(w + F_PHN) = o->ph_min;
        S_(w + F_PHM) = o->ph_mean;
        for (int c = 0; c < 2; c++)
            S_(w + F_CMIN + c) = o->c_min[c], S_(w + F_CMAX + c) = o->c_max[c];
        D->may_fresh[k] |= o->hi == o->lo;
    }
    D->may_first |= a->count == 0;
    D->may_untailed |= !a->tail_started;
}

/* gdn__exponent's e outside (-230, 230) for max |v_i| = m: m finite,
 * nonzero and outside [2^-230, 2^229) */
#define SCALED_(m) ((m) != 0 && (m) != INFINITY && !((m) >= 0x1p-230 && (m) < 0x1p229))

/* The invariants of nb lanes of x (component i of lane l at x[i * B + l])
 * into S_LAST, as gdn_invariants_of computes them, for a constant n <= 2:
 * no sums over lanes in memory.  Returns 0 if no lane needs the scaled
 * formulas, else maybe some lane does: for n <= 2, a = |phi|^2 in
 * [2^-458, 2^456) puts max |phi_i| inside [2^-229.5, 2^228.1) (a is at
 * most n (1 + 2^-52) times, and at least (1 - 2^-52) times, the largest
 * square), so the test on a and b, cheaper than max |phi_i|'s, leaves the
 * exact one to inv_scaled when it fails (a NaN, 0, a tiny or a huge
 * value).  n = 1: |phi| = sqrt(phi^2) exactly in binary floating point
 * with rounding to nearest, when phi^2 neither overflows nor underflows
 * (Boldo 2015), which the plain range guarantees; that saves two square
 * roots of the three. */
static GDN_ALWAYS_INLINE int inv_small(double *restrict s,
                                       const double *restrict x, size_t B,
                                       size_t nb, size_t n)
{
    int64_t maybe = 0;
#pragma omp simd reduction(| : maybe)
    for (size_t l = 0; l < nb; l++) {
        double t = 0, a = 0, bb = 0, g = 0;
        for (size_t i = 0; i < n; i++) {
            double ph = x[i * B + l], th = x[(n + i) * B + l];
            t += th * ph;
            a += ph * ph;
            bb += th * th;
        }
        for (size_t i = 0; i < n; i++) /* Lagrange's identity */
            for (size_t j = i + 1; j < n; j++) {
                double w = x[i * B + l] * x[(n + j) * B + l] -
                           x[j * B + l] * x[(n + i) * B + l];
                g += w * w;
            }
        S_(S_LAST + 0) = t, S_(S_LAST + 1) = a, S_(S_LAST + 2) = bb;
        S_(S_LAST + 3) = 0.5 * (a + bb);
        S_(S_LAST + 4) = g;
        S_(S_LAST + 5) = n == 1 ? fabs(x[l]) : sqrt(a);
        S_(S_LAST + 6) = n == 1 ? fabs(x[B + l]) : sqrt(bb);
        S_(S_LAST + 7) = sqrt(a + bb);
        maybe |= !((a >= 0x1p-458) & (a < 0x1p456) & (bb >= 0x1p-458) &
                   (bb < 0x1p456));
    }
    return maybe != 0;
}

/* The same for any n: the sums over the components in S_LAST, each a
 * pass over the lanes. */
static GDN_ALWAYS_INLINE int inv_any(double *restrict s,
                                     const double *restrict x, size_t B,
                                     size_t nb, size_t n)
{
    double *restrict t = s + S_LAST * W, *restrict a = s + (S_LAST + 1) * W,
                     *restrict bb = s + (S_LAST + 2) * W,
                     *restrict g = s + (S_LAST + 4) * W;
    double *restrict bp = s + S_BP * W, *restrict bt = s + S_BT * W;
    for (size_t l = 0; l < nb; l++)
        t[l] = a[l] = bb[l] = g[l] = bp[l] = bt[l] = 0;
    for (size_t i = 0; i < n; i++) {
        const double *restrict ph = x + i * B, *restrict th = x + (n + i) * B;
#pragma omp simd
        for (size_t l = 0; l < nb; l++) {
            t[l] += th[l] * ph[l];
            a[l] += ph[l] * ph[l];
            bb[l] += th[l] * th[l];
            bp[l] = gdn__fmax(bp[l], fabs(ph[l]));
            bt[l] = gdn__fmax(bt[l], fabs(th[l]));
        }
    }
    if (n <= 32) { /* Lagrange's identity, as gdn_invariants_of */
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                const double *restrict pi = x + i * B, *restrict pj = x + j * B;
                const double *restrict ti = x + (n + i) * B,
                                       *restrict tj = x + (n + j) * B;
#pragma omp simd
                for (size_t l = 0; l < nb; l++) {
                    double w = pi[l] * tj[l] - pj[l] * ti[l];
                    g[l] += w * w;
                }
            }
    } else {
#pragma omp simd
        for (size_t l = 0; l < nb; l++)
            g[l] = gdn__fmax(a[l] * bb[l] - t[l] * t[l], 0.0);
    }
    int scaled = 0;
#pragma omp simd reduction(| : scaled)
    for (size_t l = 0; l < nb; l++) {
        S_(S_LAST + 3) = 0.5 * (a[l] + bb[l]);
        S_(S_LAST + 5) = sqrt(a[l]);
        S_(S_LAST + 6) = sqrt(bb[l]);
        S_(S_LAST + 7) = sqrt(a[l] + bb[l]);
        scaled |= SCALED_(bp[l]) | SCALED_(bt[l]);
    }
    return scaled;
}

GDN_VECTOR_CLONES
static int inv_chunk(double *s, const double *x, size_t B, size_t nb,
                     size_t n)
{
    if (n == 1)
        return inv_small(s, x, B, nb, 1);
    if (n == 2)
        return inv_small(s, x, B, nb, 2);
    return inv_any(s, x, B, nb, n);
}

/* The lanes of a chunk that need the scaled formulas: their invariants
 * from gdn_invariants_of. */
static void inv_scaled(gdn__diag_lanes *D, double *s, const double *x,
                       size_t nb)
{
    size_t B = D->B, n = D->n;
    for (size_t l = 0; l < nb; l++) {
        double bp = 0, bt = 0;
        for (size_t i = 0; i < n; i++) {
            bp = gdn__fmax(bp, fabs(x[i * B + l]));
            bt = gdn__fmax(bt, fabs(x[(n + i) * B + l]));
        }
        if (!(SCALED_(bp) | SCALED_(bt)))
            continue;
        for (size_t i = 0; i < 2 * n; i++)
            D->tmp[i] = x[i * B + l];
        gdn_invariants inv;
        gdn_invariants_of(n, D->tmp, &inv);
        inv_put(&S_(S_LAST), &inv);
    }
}

/* The lanes' first samples (before the counts move on): their start, and
 * what makes stats_body's sample the first: phi_1 and theta_1 as before
 * (no direction, no turn) and |x| unlike any (moved). */
GDN_VECTOR_CLONES
static void start_chunk(double *restrict s, const int64_t *restrict q,
                        const double *restrict c0, const double *restrict c1,
                        size_t nb)
{
    for (int j = 0; j < 8; j++)
#pragma omp simd
        for (size_t l = 0; l < nb; l++)
            S_(S_START + j) = gdn__sel(Q_(I_COUNT) == 0, S_(S_LAST + j),
                                       S_(S_START + j));
#pragma omp simd
    for (size_t l = 0; l < nb; l++) {
        int64_t first = Q_(I_COUNT) == 0;
        S_(S_PREV) = gdn__sel(first, c0[l], S_(S_PREV));
        S_(S_PREV + 1) = gdn__sel(first, c1[l], S_(S_PREV + 1));
        S_(S_R_LAST) = gdn__sel(first, NAN, S_(S_R_LAST));
    }
}

/* A sample in window k of the lanes that may take their first there
 * (fresh: lo = hi = count) or start their tail (tail0, tail_index). */
GDN_VECTOR_CLONES
static void window_start(double *restrict s, int64_t *restrict q, size_t nb,
                         int k, int fresh, int untailed)
{
    int lo = I_LO + 2 * k, hi = lo + 1;
    for (size_t l = 0; fresh && l < nb; l++) {
        int64_t f = Q_(hi) == Q_(lo);
        Q_(lo) = gdn__seli(f, Q_(I_COUNT), Q_(lo));
        Q_(hi) = gdn__seli(f, Q_(I_COUNT), Q_(hi));
    }
    if (!untailed)
        return;
    for (int j = 0; j < 8; j++)
#pragma omp simd
        for (size_t l = 0; l < nb; l++)
            S_(S_TAIL0 + j) = gdn__sel(Q_(I_TAIL_STARTED) != 0,
                                       S_(S_TAIL0 + j), S_(S_LAST + j));
    for (size_t l = 0; l < nb; l++) {
        Q_(I_TAIL_INDEX) = gdn__seli(Q_(I_TAIL_STARTED) != 0,
                                     Q_(I_TAIL_INDEX), Q_(I_COUNT));
        Q_(I_TAIL_STARTED) = 1;
    }
}

/* The min and max of the window statistics, as x86's minpd and maxpd
 * compute them (the second operand when the first is not smaller, or
 * greater): the same bits as gdn__fmin(acc, v) and gdn__fmax(acc, v)
 * where acc is never NaN (it starts at +-inf and takes no NaN) and, for
 * the norms, v never -0 (a square root of a sum of squares from +0, or an
 * absolute value): the two then differ only between +0 and -0, or when v
 * is NaN, which both keep acc for.  phi_1 and theta_1 may be -0 or NaN:
 * theirs are gdn__fmin and gdn__fmax themselves. */
static GDN_ALWAYS_INLINE double nmax(double acc, double v)
{
    return v > acc ? v : acc;
}

static GDN_ALWAYS_INLINE double nmin(double acc, double v)
{
    return v < acc ? v : acc;
}


/* Every statistic a sample at t in window k (-1: none; k = 2: in half h
 * of it) updates, on nb lanes of the chunk; c0, c1: the lanes' phi_1 and
 * theta_1.  gdn_diag_acc_add's order, with the branches as selects.  all
 * = 0 leaves out what gdn_diag_acc_finish never reads: r_min, and the
 * statistics of |theta|, |phi|, phi_1 and theta_1 in the first two
 * windows. */
static GDN_ALWAYS_INLINE void stats_body(double *restrict s,
                                         int64_t *restrict q,
                                         const double *restrict c0,
                                         const double *restrict c1,
                                         size_t nb, double t, double eps,
                                         int k, int h, int all)
{
    const int w = S_W + (k < 0 ? 0 : k) * WN;
#pragma omp simd
    for (size_t l = 0; l < nb; l++) {
        int64_t cnt = Q_(I_COUNT);
        double r = S_(S_LAST + 7);
        S_(S_T_LAST) = t;
        int64_t up = r >= eps;
        S_(S_T_BELOW) = gdn__sel(!up & (S_(S_ABOVE) != 0), t, S_(S_T_BELOW));
        S_(S_ABOVE) = gdn__sel(up, 1.0, 0.0);
        /* phi_1, theta_1: the direction of change, +1 (up), -1 or 0 (a
         * lane's first sample: start_chunk made it 0); a turn from down to
         * up inside the tail (outside it the count stays: u + 0 is u, a
         * count is never -0) */
        double v0 = c0[l], v1 = c1[l];
        double p0 = S_(S_PREV), p1 = S_(S_PREV + 1);
        double d0 = S_(S_DIR), d1 = S_(S_DIR + 1);
        int64_t up0 = v0 > p0, dn0 = v0 < p0, up1 = v1 > p1, dn1 = v1 < p1;
        double e0 = gdn__sel(up0, 1.0, gdn__sel(dn0, -1.0, 0.0));
        double e1 = gdn__sel(up1, 1.0, gdn__sel(dn1, -1.0, 0.0));
        if (k >= 0) {
            S_(S_TURNS) = S_(S_TURNS) + gdn__sel(up0 & (d0 < 0), 1.0, 0.0);
            S_(S_TURNS + 1) = S_(S_TURNS + 1) + gdn__sel(up1 & (d1 < 0), 1.0, 0.0);
        }
        S_(S_DIR) = gdn__sel(up0 | dn0, e0, d0);
        S_(S_DIR + 1) = gdn__sel(up1 | dn1, e1, d1);
        S_(S_PREV) = v0, S_(S_PREV + 1) = v1;
        /* moved: |x| differs from the sample before (the first: NaN) */
        S_(S_MOVED) = gdn__sel(r == S_(S_R_LAST), 0.0, 1.0);
        S_(S_R_LAST) = r;
        if (k >= 0) { /* the window's statistics */
            double th = S_(S_LAST + 6), ph = S_(S_LAST + 5);
            Q_(I_LO + 2 * k + 1) += 1;
            double rm = S_(w + F_RMAX);
            S_(w + F_RMAX) = nmax(rm, r);
            S_(w + F_TMAX) = gdn__sel(r > rm, t, S_(w + F_TMAX));
            if (k == 2) { /* the envelope of each half of the last window */
                double m3 = S_(S_RMAX3 + h);
                S_(S_RMAX3 + h) = nmax(m3, r);
                S_(S_TMAX3 + h) = gdn__sel(r > m3, t, S_(S_TMAX3 + h));
            }
            if (all)
                S_(w + F_RMIN) = nmin(S_(w + F_RMIN), r);
            if (all || k == 2) {
                S_(w + F_THX) = nmax(S_(w + F_THX), th);
                S_(w + F_THN) = nmin(S_(w + F_THN), th);
                S_(w + F_PHX) = nmax(S_(w + F_PHX), ph);
                S_(w + F_PHN) = nmin(S_(w + F_PHN), ph);
                S_(w + F_THM) += th, S_(w + F_PHM) += ph;
                S_(w + F_CMIN) = gdn__fmin(S_(w + F_CMIN), v0);
                S_(w + F_CMAX) = gdn__fmax(S_(w + F_CMAX), v0);
                S_(w + F_CMIN + 1) = gdn__fmin(S_(w + F_CMIN + 1), v1);
                S_(w + F_CMAX + 1) = gdn__fmax(S_(w + F_CMAX + 1), v1);
            }
        }
        Q_(I_COUNT) = cnt + 1;
    }
}

/* The variants of stats_body, each compiled with its own constants. */
GDN_VECTOR_CLONES
static void stats_chunk(double *s, int64_t *q, const double *c0,
                        const double *c1, size_t nb, double t, double eps,
                        int k, int h, int all)
{
    switch (k < 0 ? 0 : 1 + 2 * (k == 2 ? 2 + h : k) + !all) {
    case 0: stats_body(s, q, c0, c1, nb, t, eps, -1, 0, 1); break;
    case 1: stats_body(s, q, c0, c1, nb, t, eps, 0, 0, 1); break;
    case 2: stats_body(s, q, c0, c1, nb, t, eps, 0, 0, 0); break;
    case 3: stats_body(s, q, c0, c1, nb, t, eps, 1, 0, 1); break;
    case 4: stats_body(s, q, c0, c1, nb, t, eps, 1, 0, 0); break;
    case 5: stats_body(s, q, c0, c1, nb, t, eps, 2, 0, 1); break;
    case 6: stats_body(s, q, c0, c1, nb, t, eps, 2, 0, 0); break;
    case 7: stats_body(s, q, c0, c1, nb, t, eps, 2, 1, 1); break;
    default: stats_body(s, q, c0, c1, nb, t, eps, 2, 1, 0); break;
    }
}

void gdn__diag_lanes_add(gdn__diag_lanes *D, double t, const double *x)
{
    size_t B = D->B, n = D->n;
    const gdn_diag_acc *p = &D->proto;
    int k = t >= p->bound[2] ? 2 : t >= p->bound[1] ? 1 : t >= p->bound[0] ? 0 : -1;
    int h = k == 2 && t >= p->half3;
    int fresh = k >= 0 && D->may_fresh[k], untailed = k >= 0 && D->may_untailed;
    for (size_t c = 0; c < D->nchunks; c++) {
        size_t lo = c * W, nb = B - lo < W ? B - lo : W;
        double *s = chunk_d(D, c);
        int64_t *q = chunk_i(D, c);
        const double *xc = x + lo; /* phi_1 of the chunk's lanes */
        if (inv_chunk(s, xc, B, nb, n))
            inv_scaled(D, s, xc, nb);
        if (D->may_first)
            start_chunk(s, q, xc, xc + n * B, nb);
        if (fresh || untailed)
            window_start(s, q, nb, k, fresh, untailed);
        stats_chunk(s, q, xc, xc + n * B, nb, t, p->opts.eps, k, h, !D->lean);
    }
    D->may_first = 0;
    if (k >= 0)
        D->may_untailed = D->may_fresh[k] = 0;
}
