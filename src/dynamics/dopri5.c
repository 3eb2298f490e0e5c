/*
 * dopri5.c - Dormand & Prince's 5(4) pair (J. Comp. Appl. Math. 6, 1980),
 * with the continuous extension of Hairer, Norsett & Wanner, "Solving
 * Ordinary Differential Equations I", II.6 (the DOPRI5 code's CONTD5).
 *
 * The 5th-order solution propagates; the 4th-order one only estimates the
 * error.  The method is FSAL: k7 = f(y1) is the next step's k1.
 */
#include "ode.h"

#include <math.h>

#include "gandyn/model.h"

#include "dopri5_tableau.h"
#include "../core/gmath.h"

size_t gdn__dopri5_size(size_t dim) { return 14 * dim; }

void gdn__dopri5_bind(gdn__dopri5 *w, size_t dim, double *mem)
{
    w->dim = dim;
    w->group = dim;
    for (int i = 0; i < 7; i++)
        w->k[i] = mem + (size_t)i * dim;
    w->ytmp = mem + 7 * dim;
    w->yerr = mem + 8 * dim;
    w->cont = mem + 9 * dim;
    w->t0 = w->h = 0;
}

static int worst(int s, int t) { return s > t ? s : t; }

int gdn__dopri5_try(gdn__dopri5 *w, const gdn__ode *ode, double h,
                    const double *y0, double *y1, double rtol, double atol,
                    double *err)
{
    size_t n = w->dim, i;
    /* distinct arrays: restrict lets the compiler keep values in registers */
    const double *restrict k0 = w->k[0];
    double *restrict k1 = w->k[1], *restrict k2 = w->k[2];
    double *restrict k3 = w->k[3], *restrict k4 = w->k[4];
    double *restrict k5 = w->k[5], *restrict k6 = w->k[6];
    double *restrict yt = w->ytmp;
    int st = GDN_PT_OK;

    for (i = 0; i < n; i++)
        yt[i] = y0[i] + h * A21 * k0[i];
    st = worst(st, ode->f(ode->ctx, yt, k1));
    for (i = 0; i < n; i++)
        yt[i] = y0[i] + h * (A31 * k0[i] + A32 * k1[i]);
    st = worst(st, ode->f(ode->ctx, yt, k2));
    for (i = 0; i < n; i++)
        yt[i] = y0[i] + h * (A41 * k0[i] + A42 * k1[i] + A43 * k2[i]);
    st = worst(st, ode->f(ode->ctx, yt, k3));
    for (i = 0; i < n; i++)
        yt[i] = y0[i] + h * (A51 * k0[i] + A52 * k1[i] + A53 * k2[i] +
                             A54 * k3[i]);
    st = worst(st, ode->f(ode->ctx, yt, k4));
    for (i = 0; i < n; i++)
        yt[i] = y0[i] + h * (A61 * k0[i] + A62 * k1[i] + A63 * k2[i] +
                             A64 * k3[i] + A65 * k4[i]);
    st = worst(st, ode->f(ode->ctx, yt, k5));
    for (i = 0; i < n; i++)
        y1[i] = y0[i] + h * (A71 * k0[i] + A73 * k2[i] + A74 * k3[i] +
                             A75 * k4[i] + A76 * k5[i]);
    st = worst(st, ode->f(ode->ctx, y1, k6));

    /* RMS within each block of w->group components, max over blocks */
    double sum = 0, worst_rms = 0;
    for (i = 0; i < n; i++) {
        double e = h * (E1 * k0[i] + E3 * k2[i] + E4 * k3[i] +
                        E5 * k4[i] + E6 * k5[i] + E7 * k6[i]);
        double sc = atol + rtol * fmax(fabs(y0[i]), fabs(y1[i]));
        w->yerr[i] = e;
        sum += (e / sc) * (e / sc);
        if ((i + 1) % w->group == 0) {
            /* a NaN block (an average at inf) must reject, not vanish as
             * fmax would let it */
            double rms = sum / (double)w->group;
            worst_rms = isnan(rms) ? INFINITY : fmax(worst_rms, rms);
            sum = 0;
        }
    }
    *err = sqrt(worst_rms);
    if (!isfinite(*err))
        *err = INFINITY;
    return st;
}

void gdn__dopri5_dense(gdn__dopri5 *w, double t0, double h, const double *y0,
                       const double *y1)
{
    size_t n = w->dim;
    double **k = w->k, *c = w->cont;
    for (size_t i = 0; i < n; i++) {
        double ydiff = y1[i] - y0[i];
        double bspl = h * k[0][i] - ydiff;
        c[i] = y0[i];
        c[n + i] = ydiff;
        c[2 * n + i] = bspl;
        c[3 * n + i] = ydiff - h * k[6][i] - bspl;
        c[4 * n + i] = h * (D1 * k[0][i] + D3 * k[2][i] + D4 * k[3][i] +
                            D5 * k[4][i] + D6 * k[5][i] + D7 * k[6][i]);
    }
    w->t0 = t0;
    w->h = h;
}

void gdn__dopri5_eval(const gdn__dopri5 *w, double t, double *y)
{
    size_t n = w->dim;
    const double *c = w->cont;
    double s = (t - w->t0) / w->h, s1 = 1.0 - s;
    for (size_t i = 0; i < n; i++)
        y[i] = c[i] + s * (c[n + i] +
                           s1 * (c[2 * n + i] +
                                 s * (c[3 * n + i] + s1 * c[4 * n + i])));
}

/* RMS norm of v / (atol + rtol |y|). */
static double wnorm(size_t n, const double *v, const double *y, double rtol,
                    double atol)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double sc = atol + rtol * fabs(y[i]);
        sum += (v[i] / sc) * (v[i] / sc);
    }
    return sqrt(sum / (double)n);
}

double gdn__dopri5_h0(const gdn__ode *ode, const double *y0, const double *f0,
                      double rtol, double atol, double hmax, double *work2,
                      unsigned long *nevals)
{
    size_t n = ode->dim;
    double *y1 = work2, *f1 = work2 + n;
    double d0 = wnorm(n, y0, y0, rtol, atol), d1 = wnorm(n, f0, y0, rtol, atol);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    if (h0 > hmax)
        h0 = hmax;
    for (size_t i = 0; i < n; i++)
        y1[i] = y0[i] + h0 * f0[i];
    int st = ode->f(ode->ctx, y1, f1);
    ++*nevals;
    if (st == GDN_PT_UNDEFINED)
        return h0 * 1e-3;
    for (size_t i = 0; i < n; i++)
        f1[i] -= f0[i];
    double d2 = wnorm(n, f1, y0, rtol, atol) / h0;
    double dm = fmax(d1, d2);
    double h1 = dm <= 1e-15 ? fmax(1e-6, h0 * 1e-3) : gdn__pow_pos(0.01 / dm, 0.2);
    double h = fmin(100 * h0, h1);
    if (!isfinite(h) || h <= 0)
        h = 1e-6;
    return fmin(h, hmax);
}

int gdn__rk4_step(const gdn__ode *ode, double h, double *y, double *work)
{
    size_t n = ode->dim, i;
    double *k1 = work, *k2 = work + n, *k3 = work + 2 * n, *k4 = work + 3 * n;
    double *yt = work + 4 * n;
    int st = ode->f(ode->ctx, y, k1);
    for (i = 0; i < n; i++)
        yt[i] = y[i] + 0.5 * h * k1[i];
    st = worst(st, ode->f(ode->ctx, yt, k2));
    for (i = 0; i < n; i++)
        yt[i] = y[i] + 0.5 * h * k2[i];
    st = worst(st, ode->f(ode->ctx, yt, k3));
    for (i = 0; i < n; i++)
        yt[i] = y[i] + h * k3[i];
    st = worst(st, ode->f(ode->ctx, yt, k4));
    if (st == GDN_PT_UNDEFINED)
        return st;
    for (i = 0; i < n; i++)
        y[i] += h / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    return st;
}

int gdn__euler_step(const gdn__ode *ode, double h, double *y, double *work)
{
    int st = ode->f(ode->ctx, y, work);
    if (st == GDN_PT_UNDEFINED)
        return st;
    for (size_t i = 0; i < ode->dim; i++)
        y[i] += h * work[i];
    return st;
}
