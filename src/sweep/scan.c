/*
 * scan.c - stability over a grid of parameters and the boundaries of the
 * stable region (see gandyn/scan.h).  Moved from 'gandyn analyze', which
 * now only parses the axes and formats what this computes.
 */
#include "gandyn/scan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double axis_value(const gdn_sweep_axis *a, long i)
{
    return gdn_sweep_axis_value(a, i);
}

void gdn_scan_release(gdn_scan *sc)
{
    if (!sc)
        return;
    free(sc->f), free(sc->verdict), free(sc->contour);
    sc->f = NULL, sc->verdict = NULL, sc->contour = NULL;
    sc->ncontour = sc->capcontour = 0;
}

int gdn_scan_init(gdn_scan *sc, const gdn_sweep_axis *ax, size_t nax,
                  gdn_error *err)
{
    memset(sc, 0, sizeof *sc);
    if (nax < 1 || nax > 2)
        return gdn_error_set(err, GDN_EINVAL,
                             "a scan has one or two parameters, not %zu", nax);
    for (size_t d = 0; d < nax; d++) {
        if (ax[d].target == GDN_AXIS_COORD)
            return gdn_error_set(err, GDN_EINVAL,
                                 "'%s': scans vary parameters, not the point",
                                 ax[d].name);
        sc->ax[d] = ax[d];
    }
    sc->nax = nax;
    sc->n0 = ax[0].count, sc->n1 = nax > 1 ? ax[1].count : 1;
    size_t cells = (size_t)(sc->n0 * sc->n1);
    if (cells > GDN_SCAN_MAX_POINTS)
        return gdn_error_set(err, GDN_EINVAL,
                             "%zu points is too many (at most 4e6)", cells);
    sc->f = malloc(cells * sizeof *sc->f);
    sc->verdict = malloc(cells * sizeof *sc->verdict);
    if (!sc->f || !sc->verdict)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    return GDN_OK;
}

/* Analyses at the values of the axes; *f is rho - 1 or max Re lambda (NaN
 * when not differentiable). */
int gdn_scan_point(const gdn_sweep_axis *ax, size_t nax, const double *vals,
                   const gdn_system *sys0, const gdn_run_opts *opts,
                   const double *at, double tol, gdn_stability *st, double *f,
                   gdn_error *err)
{
    gdn_system sys = *sys0;
    gdn_run_opts o = *opts;
    for (size_t d = 0; d < nax; d++) {
        const gdn_sweep_axis *a = &ax[d];
        double v = a->integer ? round(vals[d]) : vals[d];
        if (a->target == GDN_AXIS_OPT)
            o.par[a->index] = v;
        else if (a->target == GDN_AXIS_MODEL)
            sys.model.par[a->index] = v;
        else
            sys.reg[a->reg].par[a->index] = v;
    }
    int rc = gdn_stability_analyze(&sys, &o, at, tol, st, err);
    if (rc)
        return rc;
    *f = st->verdict == GDN_STAB_NONDIFF || st->verdict == GDN_STAB_NOTCOMP
             ? NAN
         : st->discrete                  ? st->rho - 1
                                         : st->max_re;
    return GDN_OK;
}

/* What a scan evaluates at: the system, the options, the point. */
typedef struct where {
    const gdn_system *sys;
    const gdn_run_opts *opts;
    const double *at;
    double tol;
} where;

static int eval_at(const gdn_scan *sc, const where *w, const double *vals,
                   gdn_stability *st, double *f, gdn_error *err)
{
    return gdn_scan_point(sc->ax, sc->nax, vals, w->sys, w->opts, w->at,
                          w->tol, st, f, err);
}

static int is_stable(int v) { return v == GDN_STAB_STABLE; }

static int scan_1d(const where *su, gdn_scan *sc, gdn_error *err)
{
    const gdn_sweep_axis *a = &sc->ax[0];
    for (long i = 0; i < a->count; i++) {
        double v = axis_value(a, i), f;
        gdn_stability st;
        if (eval_at(sc, su, &v, &st, &f, err))
            return GDN_EINVAL;
        sc->f[i] = f, sc->verdict[i] = st.verdict;
        gdn_stability_release(&st);
    }
    /* where stability changes between neighbours: bisect to the boundary */
    for (long i = 0; i + 1 < a->count && sc->nbounds < GDN_SCAN_MAX_BOUNDS;
         i++) {
        int s0 = is_stable(sc->verdict[i]), s1 = is_stable(sc->verdict[i + 1]);
        if (s0 == s1)
            continue;
        /* bisect on the sign of f (rho - 1 or max Re) where it exists, so
         * the boundary is the root itself, not the edge of the tolerance */
        double lo = axis_value(a, i), hi = axis_value(a, i + 1);
        int by_sign = isfinite(sc->f[i]) && isfinite(sc->f[i + 1]);
        if (by_sign)
            s0 = sc->f[i] < 0;
        for (int it = 0; it < 200 && hi - lo > 1e-14 * fmax(1, fabs(lo));
             it++) {
            double mid = 0.5 * (lo + hi), f;
            gdn_stability st;
            if (eval_at(sc, su, &mid, &st, &f, err))
                return GDN_EINVAL;
            int sm = by_sign && isfinite(f) ? f < 0 : is_stable(st.verdict);
            gdn_stability_release(&st);
            if (sm == s0)
                lo = mid;
            else
                hi = mid;
        }
        sc->stable_above[sc->nbounds] = s1;
        sc->bounds[sc->nbounds++] = 0.5 * (lo + hi);
    }
    return GDN_OK;
}

static int contour_add(gdn_scan *sc, double x, double y)
{
    if (sc->ncontour + 1 > sc->capcontour) {
        size_t cap = sc->capcontour ? 2 * sc->capcontour : 1024;
        double *p = realloc(sc->contour, 2 * cap * sizeof *p);
        if (!p)
            return GDN_ENOMEM;
        sc->contour = p, sc->capcontour = cap;
    }
    sc->contour[2 * sc->ncontour] = x;
    sc->contour[2 * sc->ncontour + 1] = y;
    sc->ncontour++;
    return GDN_OK;
}

static int scan_2d(const where *su, gdn_scan *sc, gdn_error *err)
{
    const gdn_sweep_axis *a = &sc->ax[0], *b = &sc->ax[1];
    for (long j = 0; j < b->count; j++)
        for (long i = 0; i < a->count; i++) {
            double v[2] = {axis_value(a, i), axis_value(b, j)}, f;
            gdn_stability st;
            if (eval_at(sc, su, v, &st, &f, err))
                return GDN_EINVAL;
            sc->f[j * a->count + i] = f;
            sc->verdict[j * a->count + i] = st.verdict;
            gdn_stability_release(&st);
        }
    /* marching squares on s = (stable ? -1 : 1) smoothed by f: the zero
     * level of f where both sides are differentiable */
    for (long j = 0; j + 1 < b->count; j++)
        for (long i = 0; i + 1 < a->count; i++) {
            long id[4] = {j * a->count + i, j * a->count + i + 1,
                          (j + 1) * a->count + i + 1, (j + 1) * a->count + i};
            double cx[4] = {axis_value(a, i), axis_value(a, i + 1),
                            axis_value(a, i + 1), axis_value(a, i)};
            double cy[4] = {axis_value(b, j), axis_value(b, j),
                            axis_value(b, j + 1), axis_value(b, j + 1)};
            double px[4], py[4];
            int np = 0;
            for (int e = 0; e < 4; e++) {
                int p = e, q = (e + 1) % 4;
                double fp = sc->f[id[p]], fq = sc->f[id[q]];
                int sp = is_stable(sc->verdict[id[p]]);
                int sq = is_stable(sc->verdict[id[q]]);
                if (sp == sq || !isfinite(fp) || !isfinite(fq))
                    continue;
                double u = fp != fq ? fp / (fp - fq) : 0.5;
                u = fmax(0, fmin(1, u));
                px[np] = cx[p] + u * (cx[q] - cx[p]);
                py[np] = cy[p] + u * (cy[q] - cy[p]);
                np++;
            }
            for (int s = 0; s + 1 < np; s += 2)
                if (contour_add(sc, px[s], py[s]) ||
                    contour_add(sc, px[s + 1], py[s + 1]) ||
                    contour_add(sc, NAN, NAN))
                    return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
    return GDN_OK;
}

int gdn_scan_run(gdn_scan *sc, const gdn_system *sys,
                 const gdn_run_opts *opts, const double *x, double tol,
                 gdn_error *err)
{
    if (!sc->f || !sc->verdict)
        return gdn_error_set(err, GDN_EINVAL, "the scan is not prepared");
    where w = {sys, opts, x, tol};
    sc->discrete = !gdn_run_opts_is_flow(opts);
    sc->nbounds = 0, sc->ncontour = 0;
    return sc->nax == 1 ? scan_1d(&w, sc, err) : scan_2d(&w, sc, err);
}
