/*
 * diag_lanes.c - the diagnosis accumulator over lanes (diag_lanes.h).
 *
 * gdn__diag_lanes_add performs, on every lane, the operations of
 * gdn_invariants_of and gdn_diag_acc_add (diagnose.c, system.c) in their
 * order, with the branches written as selects: three passes over the lanes
 * (the invariants, the statistics of every sample, those of the sample's
 * window), each straight over the lanes so that it vectorises.  A lane
 * whose values are so large or small that gdn_invariants_of scales them
 * (outside [2^-230, 2^229]) has its invariants computed by that function
 * itself.  The window of a sample depends on its time only, which the
 * lanes share, so it is chosen once per call.
 */
#include "diag_lanes.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/gmath.h"
#include "../dynamics/vector.h"

int gdn__diag_lanes_init(gdn__diag_lanes *D, size_t B, size_t n, double t0,
                         double t_end, const gdn_diag_opts *o)
{
    memset(D, 0, sizeof *D);
    D->B = B, D->n = n;
    gdn_diag_acc_init(&D->proto, n, t0, t_end, o);
    /* per lane, doubles: 3 x 8 invariants (start, last, tail0),
     * 3 + 4 x 2 values, 3 windows of 9 + 2 x 2, 2 + 2 x 2 flags and
     * counts; int64: 3, 3 x 2 */
    size_t nd = 3 * GDN__NINV + 3 + 4 * 2 + 3 * 13 + 2 + 2 * 2,
           ni = 3 + 3 * 2;
    size_t bytes = (nd + ni) * B * 8 + 2 * n * sizeof(double) +
                   B * sizeof(gdn_diag_opts);
    unsigned char *p = malloc(bytes ? bytes : 1);
    if (!p)
        return GDN_ENOMEM;
    D->block = p;
    double *d = (double *)(void *)p;
#define GDN_TAKE_(ptr) (ptr = d, d += B)
    for (int j = 0; j < GDN__NINV; j++) {
        GDN_TAKE_(D->start[j]);
        GDN_TAKE_(D->last[j]);
        GDN_TAKE_(D->tail0[j]);
        D->inv[j] = D->last[j];
    }
    GDN_TAKE_(D->t_last), GDN_TAKE_(D->t_below), GDN_TAKE_(D->r_last);
    for (int c = 0; c < 2; c++) {
        GDN_TAKE_(D->prev_c[c]), GDN_TAKE_(D->r_max3[c]);
        GDN_TAKE_(D->t_max3[c]), GDN_TAKE_(D->big[c]);
        GDN_TAKE_(D->dir_c[c]), GDN_TAKE_(D->turns_c[c]);
    }
    GDN_TAKE_(D->above), GDN_TAKE_(D->moved_last);
    for (int k = 0; k < 3; k++) {
        gdn__diag_lanes_window *w = &D->w[k];
        GDN_TAKE_(w->r_max), GDN_TAKE_(w->r_min), GDN_TAKE_(w->t_max);
        GDN_TAKE_(w->th_max), GDN_TAKE_(w->th_min), GDN_TAKE_(w->th_mean);
        GDN_TAKE_(w->ph_max), GDN_TAKE_(w->ph_min), GDN_TAKE_(w->ph_mean);
        for (int c = 0; c < 2; c++)
            GDN_TAKE_(w->c_min[c]), GDN_TAKE_(w->c_max[c]);
    }
#undef GDN_TAKE_
    int64_t *q = (int64_t *)(void *)d;
#define GDN_TAKE_(ptr) (ptr = q, q += B)
    GDN_TAKE_(D->count), GDN_TAKE_(D->tail_index), GDN_TAKE_(D->tail_started);
    for (int k = 0; k < 3; k++)
        GDN_TAKE_(D->w[k].lo), GDN_TAKE_(D->w[k].hi);
#undef GDN_TAKE_
    assert((unsigned char *)q == p + (nd + ni) * B * 8);
    D->tmp = (double *)(void *)q;
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

static void inv_get(double *const v[GDN__NINV], size_t b, gdn_invariants *inv)
{
    inv->t = v[0][b], inv->a = v[1][b], inv->b = v[2][b];
    inv->energy = v[3][b], inv->gram = v[4][b], inv->phi_norm = v[5][b];
    inv->theta_norm = v[6][b], inv->norm = v[7][b];
}

static void inv_put(double *const v[GDN__NINV], size_t b,
                    const gdn_invariants *inv)
{
    v[0][b] = inv->t, v[1][b] = inv->a, v[2][b] = inv->b;
    v[3][b] = inv->energy, v[4][b] = inv->gram, v[5][b] = inv->phi_norm;
    v[6][b] = inv->theta_norm, v[7][b] = inv->norm;
}

void gdn__diag_lanes_get(const gdn__diag_lanes *D, size_t b, gdn_diag_acc *a)
{
    *a = D->proto;
    a->opts = D->opts[b];
    inv_get(D->start, b, &a->start);
    inv_get(D->last, b, &a->last);
    inv_get(D->tail0, b, &a->tail0);
    a->count = (size_t)D->count[b];
    a->tail_index = (size_t)D->tail_index[b];
    a->tail_started = (int)D->tail_started[b];
    a->t_last = D->t_last[b], a->t_below = D->t_below[b];
    a->above = (int)D->above[b];
    a->r_last = D->r_last[b];
    a->moved_last = (int)D->moved_last[b];
    for (int c = 0; c < 2; c++) {
        a->prev_c[c] = D->prev_c[c][b];
        a->dir_c[c] = (int)D->dir_c[c][b];
        a->turns_c[c] = (long)D->turns_c[c][b];
        a->r_max3[c] = D->r_max3[c][b], a->t_max3[c] = D->t_max3[c][b];
    }
    for (int k = 0; k < 3; k++) {
        const gdn__diag_lanes_window *w = &D->w[k];
        gdn_diag_window *o = &a->w[k];
        o->lo = (size_t)w->lo[b], o->hi = (size_t)w->hi[b];
        o->r_max = w->r_max[b], o->r_min = w->r_min[b], o->t_max = w->t_max[b];
        o->th_max = w->th_max[b], o->th_min = w->th_min[b];
        o->th_mean = w->th_mean[b];
        o->ph_max = w->ph_max[b], o->ph_min = w->ph_min[b];
        o->ph_mean = w->ph_mean[b];
        for (int c = 0; c < 2; c++)
            o->c_min[c] = w->c_min[c][b], o->c_max[c] = w->c_max[c][b];
    }
}

void gdn__diag_lanes_put(gdn__diag_lanes *D, size_t b, const gdn_diag_acc *a)
{
    D->opts[b] = a->opts;
    inv_put(D->start, b, &a->start);
    inv_put(D->last, b, &a->last);
    inv_put(D->tail0, b, &a->tail0);
    D->count[b] = (int64_t)a->count;
    D->tail_index[b] = (int64_t)a->tail_index;
    D->tail_started[b] = a->tail_started;
    D->t_last[b] = a->t_last, D->t_below[b] = a->t_below;
    D->above[b] = (double)a->above;
    D->r_last[b] = a->r_last;
    D->moved_last[b] = (double)a->moved_last;
    for (int c = 0; c < 2; c++) {
        D->prev_c[c][b] = a->prev_c[c];
        D->dir_c[c][b] = (double)a->dir_c[c];
        D->turns_c[c][b] = (double)a->turns_c[c];
        D->r_max3[c][b] = a->r_max3[c], D->t_max3[c][b] = a->t_max3[c];
    }
    for (int k = 0; k < 3; k++) {
        gdn__diag_lanes_window *w = &D->w[k];
        const gdn_diag_window *o = &a->w[k];
        w->lo[b] = (int64_t)o->lo, w->hi[b] = (int64_t)o->hi;
        w->r_max[b] = o->r_max, w->r_min[b] = o->r_min, w->t_max[b] = o->t_max;
        w->th_max[b] = o->th_max, w->th_min[b] = o->th_min;
        w->th_mean[b] = o->th_mean;
        w->ph_max[b] = o->ph_max, w->ph_min[b] = o->ph_min;
        w->ph_mean[b] = o->ph_mean;
        for (int c = 0; c < 2; c++)
            w->c_min[c][b] = o->c_min[c], w->c_max[c][b] = o->c_max[c];
    }
}

/* The invariants of every lane into D->inv, as gdn_invariants_of computes
 * them.  Returns whether some lane needs the scaled formulas (its entry
 * of D->big[0] is then NaN and the caller computes it alone). */
GDN_VECTOR_CLONES
static int invariants_lanes(gdn__diag_lanes *D, const double *restrict x)
{
    size_t B = D->B, n = D->n;
    double *restrict t = D->inv[0], *restrict a = D->inv[1],
                     *restrict bb = D->inv[2], *restrict g = D->inv[4];
    double *restrict bp = D->big[0], *restrict bt = D->big[1];
    for (size_t l = 0; l < B; l++)
        t[l] = a[l] = bb[l] = g[l] = bp[l] = bt[l] = 0;
    for (size_t i = 0; i < n; i++) {
        const double *restrict ph = x + i * B, *restrict th = x + (n + i) * B;
#pragma omp simd
        for (size_t l = 0; l < B; l++) {
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
                for (size_t l = 0; l < B; l++) {
                    double w = pi[l] * tj[l] - pj[l] * ti[l];
                    g[l] += w * w;
                }
            }
    } else {
#pragma omp simd
        for (size_t l = 0; l < B; l++)
            g[l] = gdn__fmax(a[l] * bb[l] - t[l] * t[l], 0.0);
    }
    double *restrict e = D->inv[3], *restrict pn = D->inv[5],
                     *restrict tn = D->inv[6], *restrict r = D->inv[7];
    int scaled = 0;
    /* n = 1: |phi| = sqrt(phi^2) exactly in binary floating point with
     * rounding to nearest, when phi^2 neither overflows nor underflows
     * (Boldo 2015), which the plain range guarantees; that saves two
     * square roots of the three */
    const double *restrict ph0 = x, *restrict th0 = x + n * B;
    if (n == 1) {
#pragma omp simd
        for (size_t l = 0; l < B; l++)
            pn[l] = fabs(ph0[l]), tn[l] = fabs(th0[l]);
    } else {
#pragma omp simd
        for (size_t l = 0; l < B; l++)
            pn[l] = sqrt(a[l]), tn[l] = sqrt(bb[l]);
    }
#pragma omp simd reduction(| : scaled)
    for (size_t l = 0; l < B; l++) {
        e[l] = 0.5 * (a[l] + bb[l]);
        r[l] = sqrt(a[l] + bb[l]);
        /* gdn__exponent's e outside (-230, 230): a finite nonzero max
         * outside [2^-230, 2^229) */
        int sp = bp[l] != 0 && bp[l] != INFINITY &&
                 !(bp[l] >= 0x1p-230 && bp[l] < 0x1p229);
        int st = bt[l] != 0 && bt[l] != INFINITY &&
                 !(bt[l] >= 0x1p-230 && bt[l] < 0x1p229);
        bp[l] = gdn__sel(sp | st, NAN, bp[l]);
        scaled |= sp | st;
    }
    return scaled;
}

/* The statistics every sample updates (gdn_diag_acc_add up to its window
 * part); k is the sample's window (-1: none). */
GDN_VECTOR_CLONES
static void sample_lanes(gdn__diag_lanes *D, double t, int k,
                         const double *restrict c0, const double *restrict c1)
{
    size_t B = D->B;
    const double eps = D->proto.opts.eps, inw = k >= 0;
    const int64_t *restrict cnt = D->count;
    double *restrict above = D->above, *restrict moved = D->moved_last;
    double *restrict d0 = D->dir_c[0], *restrict d1 = D->dir_c[1];
    double *restrict u0 = D->turns_c[0], *restrict u1 = D->turns_c[1];
    double *restrict tb = D->t_below, *restrict rl = D->r_last;
    double *restrict p0 = D->prev_c[0], *restrict p1 = D->prev_c[1];
    double *restrict tl = D->t_last;
    const double *restrict r = D->inv[7];
    int first = 0; /* a lane's first sample: its start */
#pragma omp simd reduction(| : first)
    for (size_t b = 0; b < B; b++)
        first |= cnt[b] == 0;
    for (int j = 0; first && j < GDN__NINV; j++) {
        double *restrict s = D->start[j];
        const double *restrict v = D->last[j];
#pragma omp simd
        for (size_t b = 0; b < B; b++)
            s[b] = gdn__sel(cnt[b] == 0, v[b], s[b]);
    }
#pragma omp simd
    for (size_t b = 0; b < B; b++) {
        int64_t have = cnt[b] != 0;
        tl[b] = t;
        int64_t up = r[b] >= eps;
        tb[b] = gdn__sel(!up & (above[b] != 0), t, tb[b]);
        above[b] = gdn__sel(up, 1.0, 0.0);
        /* phi_1, theta_1: a turn from down to up inside the tail */
        double e0 = gdn__sel(c0[b] > p0[b], 1.0, gdn__sel(c0[b] < p0[b], -1.0, 0.0));
        double e1 = gdn__sel(c1[b] > p1[b], 1.0, gdn__sel(c1[b] < p1[b], -1.0, 0.0));
        e0 = gdn__sel(have, e0, 0.0), e1 = gdn__sel(have, e1, 0.0);
        u0[b] = u0[b] + gdn__sel((e0 > 0) & (d0[b] < 0), inw, 0.0);
        u1[b] = u1[b] + gdn__sel((e1 > 0) & (d1[b] < 0), inw, 0.0);
        d0[b] = gdn__sel(e0 != 0, e0, d0[b]), d1[b] = gdn__sel(e1 != 0, e1, d1[b]);
        p0[b] = c0[b], p1[b] = c1[b];
        moved[b] = gdn__sel(have & (r[b] == rl[b]), 0.0, 1.0);
        rl[b] = r[b];
    }
}

/* The statistics of window k of one sample. */
GDN_VECTOR_CLONES
static void window_lanes(gdn__diag_lanes *D, double t, int k,
                         const double *restrict c0, const double *restrict c1)
{
    size_t B = D->B;
    gdn__diag_lanes_window *w = &D->w[k];
    const int64_t *restrict cnt = D->count;
    int64_t *restrict lo = w->lo, *restrict hi = w->hi;
    int64_t *restrict ts = D->tail_started, *restrict ti = D->tail_index;
    for (int j = 0; j < GDN__NINV; j++) {
        double *restrict s = D->tail0[j];
        const double *restrict v = D->inv[j];
#pragma omp simd
        for (size_t b = 0; b < B; b++)
            s[b] = gdn__sel(ts[b] != 0, s[b], v[b]);
    }
    const double *restrict r = D->inv[7], *restrict th = D->inv[6],
                           *restrict ph = D->inv[5];
    double *restrict rmax = w->r_max, *restrict tmax = w->t_max;
    double *restrict rmin = w->r_min;
    double *restrict thx = w->th_max, *restrict thn = w->th_min,
                     *restrict thm = w->th_mean;
    double *restrict phx = w->ph_max, *restrict phn = w->ph_min,
                     *restrict phm = w->ph_mean;
    double *restrict cn0 = w->c_min[0], *restrict cn1 = w->c_min[1];
    double *restrict cx0 = w->c_max[0], *restrict cx1 = w->c_max[1];
#pragma omp simd
    for (size_t b = 0; b < B; b++) {
        int64_t fresh = hi[b] == lo[b];
        lo[b] = gdn__seli(fresh, cnt[b], lo[b]);
        hi[b] = gdn__seli(fresh, cnt[b], hi[b]) + 1;
        ti[b] = gdn__seli(ts[b] != 0, ti[b], cnt[b]);
        ts[b] = 1;
        int64_t top = r[b] > rmax[b];
        rmax[b] = gdn__sel(top, r[b], rmax[b]);
        tmax[b] = gdn__sel(top, t, tmax[b]);
        rmin[b] = gdn__fmin(rmin[b], r[b]);
        thx[b] = gdn__fmax(thx[b], th[b]), thn[b] = gdn__fmin(thn[b], th[b]);
        phx[b] = gdn__fmax(phx[b], ph[b]), phn[b] = gdn__fmin(phn[b], ph[b]);
        thm[b] += th[b], phm[b] += ph[b];
        cn0[b] = gdn__fmin(cn0[b], c0[b]), cx0[b] = gdn__fmax(cx0[b], c0[b]);
        cn1[b] = gdn__fmin(cn1[b], c1[b]), cx1[b] = gdn__fmax(cx1[b], c1[b]);
    }
    if (k == 2) { /* the envelope of each half of the last window */
        int h = t >= D->proto.half3;
        double *restrict m3 = D->r_max3[h], *restrict t3 = D->t_max3[h];
#pragma omp simd
        for (size_t b = 0; b < B; b++) {
            int64_t top = r[b] > m3[b];
            m3[b] = gdn__sel(top, r[b], m3[b]);
            t3[b] = gdn__sel(top, t, t3[b]);
        }
    }
}

void gdn__diag_lanes_add(gdn__diag_lanes *D, double t, const double *x)
{
    size_t B = D->B, n = D->n;
    if (invariants_lanes(D, x))
        for (size_t b = 0; b < B; b++) {
            if (D->big[0][b] == D->big[0][b])
                continue;
            for (size_t i = 0; i < 2 * n; i++)
                D->tmp[i] = x[i * B + b];
            gdn_invariants inv;
            gdn_invariants_of(n, D->tmp, &inv);
            inv_put(D->inv, b, &inv);
        }
    const gdn_diag_acc *p = &D->proto;
    int k = t >= p->bound[2] ? 2 : t >= p->bound[1] ? 1 : t >= p->bound[0] ? 0 : -1;
    const double *c0 = x, *c1 = x + n * B; /* phi_1, theta_1 */
    sample_lanes(D, t, k, c0, c1);
    if (k >= 0)
        window_lanes(D, t, k, c0, c1);
    int64_t *restrict cnt = D->count;
    for (size_t b = 0; b < B; b++)
        cnt[b]++;
}
