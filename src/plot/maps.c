/*
 * maps.c - figures of analyses and sweeps (see gandyn/plot.h): the
 * eigenvalues of a linearisation, and a sweep's field over its grid with
 * the boundary of linear stability drawn over it.
 *
 * 'gandyn analyze --plot', 'gandyn sweep --plot' and 'gandyn reproduce'
 * all draw through these functions, so a figure of the report and the
 * command printed under it give the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/plot.h"
#include "../core/gmath.h"

#define PI 3.14159265358979323846

void gdn_plot_symbol(const char *name, int logscale, char *buf, size_t size)
{
    static const char *const sym[][2] = {
        {"lr", "η"},        {"lr_d", "η_D"},     {"lr_g", "η_G"},
        {"gamma", "γ"},     {"lambda", "λ"},     {"beta", "β"},
        {"sigma", "σ"},     {"tau", "τ"},        {"alpha", "α"},
        {"mu", "μ"},        {"rho", "ρ"},        {"eps", "ε"},
        {"delta", "δ"}};
    static const char *const sub[] = {"₀", "₁", "₂", "₃", "₄",
                                      "₅", "₆", "₇", "₈", "₉"};
    const char *dot = strchr(name, '.');
    const char *key = dot ? dot + 1 : name;
    char core[96];
    snprintf(core, sizeof core, "%s", key);
    for (size_t k = 0; k < sizeof sym / sizeof sym[0]; k++)
        if (strcmp(key, sym[k][0]) == 0)
            snprintf(core, sizeof core, "%s", sym[k][1]);
    /* theta12 -> θ₁₂, phi3 -> φ₃ */
    const char *digits = NULL, *greek = NULL;
    if (strncmp(key, "theta", 5) == 0)
        greek = "θ", digits = key + 5;
    else if (strncmp(key, "phi", 3) == 0)
        greek = "φ", digits = key + 3;
    if (greek && *digits && strspn(digits, "0123456789") == strlen(digits)) {
        snprintf(core, sizeof core, "%s", greek);
        for (const char *d = digits; *d; d++)
            strncat(core, sub[*d - '0'], sizeof core - strlen(core) - 1);
    }
    snprintf(buf, size, "%s%s", logscale ? "log₁₀ " : "", core);
}

/* ------------------------------------------------------------ eigenvalues */

int gdn_plot_eigs(const gdn_stability *st, const char *title, int width,
                  double scale, const char *path, gdn_error *err)
{
    if (!st->eig || st->dim == 0)
        return gdn_error_set(err, GDN_EINVAL, "no eigenvalues to draw");
    gdn_marker mk[64];
    enum { NC = 721 };
    double *circ = malloc(2 * NC * sizeof *circ);
    if (!circ)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    size_t nm = st->dim < 64 ? st->dim : 64;
    /* the box: the eigenvalues, the origin (flow) or the point 1 and the
     * stretch of the unit circle nearest them (a step) */
    double xlo = st->discrete ? 1 : 0, xhi = xlo, ylo = 0, yhi = 0;
    for (size_t i = 0; i < nm; i++) {
        mk[i] = (gdn_marker){.x = st->eig[i].re, .y = st->eig[i].im,
                             .color = GDN_BLUE, .radius = 5,
                             .shape = GDN_MARK_DOT,
                             .label = i == 0 ? "eigenvalues" : NULL};
        if (isfinite(mk[i].x) && isfinite(mk[i].y)) {
            xlo = fmin(xlo, mk[i].x), xhi = fmax(xhi, mk[i].x);
            ylo = fmin(ylo, mk[i].y), yhi = fmax(yhi, mk[i].y);
            if (st->discrete) { /* the circle at the eigenvalue's angle */
                double a = atan2(mk[i].y, mk[i].x);
                xlo = fmin(xlo, cos(a)), xhi = fmax(xhi, cos(a));
                ylo = fmin(ylo, sin(a)), yhi = fmax(yhi, sin(a));
            }
        }
    }
    double span = fmax(xhi - xlo, yhi - ylo);
    if (!(span > 0))
        span = 1;
    double pad = 0.12 * span, cx = 0.5 * (xlo + xhi), cy = 0.5 * (ylo + yhi);
    double half = 0.5 * span + pad;
    gdn_line line;
    if (st->discrete) {
        for (int k = 0; k < NC; k++)
            circ[k] = cos(2 * PI * k / (NC - 1)),
            circ[NC + k] = sin(2 * PI * k / (NC - 1));
        line = (gdn_line){.x = circ, .y = circ + NC, .count = NC,
                          .color = GDN_GREY, .dashed = 1,
                          .label = "unit circle |λ| = 1"};
    } else { /* the imaginary axis across the box */
        circ[0] = circ[1] = 0;
        circ[2] = cy - 2 * half, circ[3] = cy + 2 * half;
        line = (gdn_line){.x = circ, .y = circ + 2, .count = 2,
                          .color = GDN_GREY, .dashed = 1,
                          .label = "Re λ = 0"};
    }
    gdn_panel pn = {.xlabel = "Re λ", .ylabel = "Im λ", .xmin = cx - half,
                    .xmax = cx + half, .ymin = cy - half, .ymax = cy + half,
                    .equal = 1, .legend = 1, .nlines = 1, .lines = &line,
                    .nmarkers = nm, .markers = mk};
    int w = width > 0 ? width : 560;
    gdn_figure fig = {.width = w, .height = w, .rows = 1, .cols = 1,
                      .panels = &pn, .scale = scale,
                      .title = title ? title
                               : st->discrete ? "eigenvalues of one step"
                                              : "eigenvalues of the flow"};
    int rc = gdn_figure_write(&fig, path, err);
    free(circ);
    return rc;
}

/* ------------------------------------------------------------------ sweeps */

/* Whether the linearisation at the base point of sw is stable with axis
 * values va (axis 0) and vb (axis 1); -1 on failure. */
static int stable_at(const gdn_sweep *sw, double va, double vb)
{
    gdn_system sys = sw->sys;
    gdn_run_opts o = sw->opts;
    double v[2] = {va, vb};
    for (int d = 0; d < 2; d++) {
        const gdn_sweep_axis *a = &sw->axes[d];
        double x = a->integer ? round(v[d]) : v[d];
        if (a->target == GDN_AXIS_OPT)
            o.par[a->index] = x;
        else if (a->target == GDN_AXIS_MODEL)
            sys.model.par[a->index] = x;
        else if (a->target == GDN_AXIS_REG)
            sys.reg[a->reg].par[a->index] = x;
    }
    gdn_stability st;
    if (gdn_stability_analyze(&sys, &o, NULL, 0, &st, NULL))
        return -1;
    int s = st.verdict == GDN_STAB_STABLE;
    gdn_stability_release(&st);
    return s;
}

/* A value of an axis at fraction u of its range (geometric for log). */
static double axis_at(const gdn_sweep_axis *a, double u)
{
    return a->logscale ? a->lo * gdn__pow_pos(a->hi / a->lo, u)
                       : a->lo + (a->hi - a->lo) * u;
}

#define NBOUND 60

/* The boundary along axis 0 for NBOUND values of axis 1 (x NaN where the
 * stability does not change across axis 0's range); in plot coordinates
 * (log10 on a log axis). */
static void boundary(const gdn_sweep *sw, double *bx, double *by)
{
    const gdn_sweep_axis *a = &sw->axes[0], *b = &sw->axes[1];
    for (int j = 0; j < NBOUND; j++) {
        double vb = axis_at(b, (double)j / (NBOUND - 1));
        double lo = a->lo, hi = a->hi;
        int slo = stable_at(sw, lo, vb), shi = stable_at(sw, hi, vb);
        by[j] = b->logscale ? log10(vb) : vb;
        bx[j] = NAN;
        if (slo < 0 || shi < 0 || slo == shi)
            continue;
        for (int it = 0; it < 60; it++) {
            double mid = a->logscale ? sqrt(lo * hi) : 0.5 * (lo + hi);
            int s = stable_at(sw, mid, vb);
            if (s < 0)
                break;
            if (s == slo)
                lo = mid;
            else
                hi = mid;
        }
        double x = a->logscale ? sqrt(lo * hi) : 0.5 * (lo + hi);
        bx[j] = a->logscale ? log10(x) : x;
    }
}

static const unsigned int label_colors[] = {0x009E73, 0x0072B2, 0xE69F00,
                                            0xD55E00, 0x999999, 0xCC79A7,
                                            0x56B4E9};
static const char *const label_names[] = {"converges", "circle",
                                          "oscillates", "diverges",
                                          "undefined", "undecided", "stalls"};

int gdn_plot_sweep(const gdn_sweep *sw, const double *v,
                   const double *labels, size_t field,
                   const gdn_sweep_plot *o, const char *path, gdn_error *err)
{
    size_t na = sw->naxes, total = gdn_sweep_count(sw);
    if (sw->points || na < 1 || na > 2)
        return gdn_error_set(err, GDN_EINVAL,
                             "--plot draws one or two grid axes (this sweep "
                             "has %zu%s)", na,
                             sw->points ? " and a list of starts" : "");
    const char *fname = gdn_sweep_field_name(field);
    int boundary_ok = o && o->boundary && na == 2 &&
                      sw->axes[0].target != GDN_AXIS_COORD &&
                      sw->axes[1].target != GDN_AXIS_COORD;
    if (o && o->boundary && !boundary_ok)
        return gdn_error_set(err, GDN_EINVAL,
                             "--plot-boundary needs two grid axes that are "
                             "parameters (not coordinates of the start)");
    char title[256];
    if (o && o->title)
        snprintf(title, sizeof title, "%s", o->title);
    else
        snprintf(title, sizeof title, "%s under %s: %s",
                 sw->sys.model.type->name, sw->opts.opt->name, fname);
    double scale = o ? o->scale : 0;
    const gdn_sweep_axis *a = &sw->axes[0];
    char xname[96], yname[96];
    gdn_plot_symbol(a->name, a->logscale, xname, sizeof xname);
    int rc;
    if (na == 1) {
        double *x = malloc(total * sizeof *x);
        if (!x)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        for (long i = 0; i < a->count; i++) /* a log grid: log10 values */
            x[i] = a->logscale ? log10(gdn_sweep_axis_value(a, i))
                               : gdn_sweep_axis_value(a, i);
        gdn_line l = {.x = x, .y = v, .count = total, .color = GDN_BLUE,
                      .label = fname};
        gdn_panel pn = {.xlabel = xname, .ylabel = fname, .xmin = NAN,
                        .xmax = NAN, .ymin = NAN, .ymax = NAN, .nlines = 1,
                        .lines = &l};
        gdn_figure fig = {.width = 800, .height = 480, .rows = 1, .cols = 1,
                          .panels = &pn, .title = title, .scale = scale};
        rc = gdn_figure_write(&fig, path, err);
        free(x);
        return rc;
    }
    const gdn_sweep_axis *b = &sw->axes[1];
    gdn_plot_symbol(b->name, b->logscale, yname, sizeof yname);
    /* rows of the sweep run over axis 0; the map's rows over axis 1 */
    double *t = malloc(total * sizeof *t);
    unsigned char *mask = malloc(total);
    if (!t || !mask) {
        free(t), free(mask);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    for (long i = 0; i < a->count; i++)
        for (long k = 0; k < b->count; k++) {
            size_t from = (size_t)(i * b->count + k);
            size_t to = (size_t)(k * a->count + i);
            t[to] = v[from];
            double lab = labels ? labels[from] : 0;
            mask[to] = lab == 3 || lab == 4; /* diverges, undefined */
        }
    gdn_heatmap h = {.nx = (size_t)a->count, .ny = (size_t)b->count,
                     .v = t, .label = fname};
    if (field == 0) {
        h.palette = label_colors, h.npalette = 7, h.names = label_names;
    } else {
        h.seq_log = 1, h.mask = mask;
        h.mask_name = "diverged";
    }
    /* cells centred on the grid values; a log grid's cells are even in
     * log10, and drawn on a log10 axis */
    double x0 = a->logscale ? log10(a->lo) : a->lo;
    double x1 = a->logscale ? log10(a->hi) : a->hi;
    double y0 = b->logscale ? log10(b->lo) : b->lo;
    double y1 = b->logscale ? log10(b->hi) : b->hi;
    double dx = (x1 - x0) / (double)(a->count - 1) / 2;
    double dy = (y1 - y0) / (double)(b->count - 1) / 2;
    double bx[NBOUND], by[NBOUND];
    gdn_line bl = {.x = bx, .y = by, .count = NBOUND, .color = GDN_BLACK,
                   .width = 2.5, .dashed = 1,
                   .label = "linear stability boundary (analyze)"};
    if (boundary_ok)
        boundary(sw, bx, by);
    gdn_panel pn = {.xlabel = xname, .ylabel = yname, .xmin = x0 - dx,
                    .xmax = x1 + dx, .ymin = y0 - dy, .ymax = y1 + dy,
                    .heat = &h, .lines = &bl, .nlines = boundary_ok ? 1 : 0,
                    .legend = boundary_ok};
    gdn_figure fig = {.width = 760, .height = 640, .rows = 1, .cols = 1,
                      .panels = &pn, .title = title, .scale = scale};
    if (a->target == GDN_AXIS_COORD && b->target == GDN_AXIS_COORD &&
        !a->logscale && !b->logscale) {
        /* a phase plane: one unit the same length on both axes (the plot
         * area is 760 - 66 - 106 wide; 34 + 14 + 50 around it) */
        double ratio = (y1 - y0 + 2 * dy) / (x1 - x0 + 2 * dx);
        double hh = fmin(fmax(588 * ratio, 120), 1600);
        fig.height = (int)lround(hh) + 98;
    }
    rc = gdn_figure_write(&fig, path, err);
    free(t), free(mask);
    return rc;
}
