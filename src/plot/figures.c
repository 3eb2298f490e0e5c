/*
 * figures.c - the figures of trajectories (see gandyn/plot.h): the
 * generator's plane, the 1-D phase plane with its vector field, and the
 * invariants against time; one trajectory or several side by side.
 *
 * Everything a figure points into (label strings, computed series, field
 * arrows) lives in one gdn_plot_store, freed with the figure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/plot.h"
#include "../core/gmath.h"

#define MAX_LINES (2 + GDN_MAX_EMA + 2)
#define MAX_MARKERS 4
#define CIRCLE_N 241
#define SERIES_Q 4 /* series panels per trajectory */
#define FIELD_N 21

static const char *const kind_names[] = {
#define GDN_PLOT_KIND_NAME_(name, text, about) text,
    GDN_PLOT_KINDS(GDN_PLOT_KIND_NAME_)
#undef GDN_PLOT_KIND_NAME_
};
static const char *const kind_about[] = {
#define GDN_PLOT_KIND_ABOUT_(name, text, about) about,
    GDN_PLOT_KINDS(GDN_PLOT_KIND_ABOUT_)
#undef GDN_PLOT_KIND_ABOUT_
};

const char *gdn_plot_kind_name(int kind)
{
    return kind >= 0 && kind < GDN_PLOT_NKINDS ? kind_names[kind] : "?";
}

const char *gdn_plot_kind_about(int kind)
{
    return kind >= 0 && kind < GDN_PLOT_NKINDS ? kind_about[kind] : "?";
}

int gdn_plot_kind_find(const char *name)
{
    for (int k = 0; k < GDN_PLOT_NKINDS; k++)
        if (strcmp(kind_names[k], name) == 0)
            return k;
    return -1;
}

void gdn_plot_opts_init(gdn_plot_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = -1;
}

struct gdn_plot_store {
    gdn_panel *panels;
    gdn_line *lines;       /* MAX_LINES per panel */
    gdn_marker *markers;   /* MAX_MARKERS per panel */
    gdn_field *fields;     /* one per panel */
    char (*labels)[48];    /* MAX_LINES per panel */
    double **arrays;       /* computed data */
    size_t narrays, cap;
};

void gdn_plot_store_free(gdn_plot_store *st)
{
    if (!st)
        return;
    for (size_t k = 0; k < st->narrays; k++)
        free(st->arrays[k]);
    free(st->arrays);
    free(st->panels);
    free(st->lines);
    free(st->markers);
    free(st->fields);
    free(st->labels);
    free(st);
}

/* A fresh array of count doubles owned by the store; NULL when out of
 * memory. */
static double *store_array(gdn_plot_store *st, size_t count)
{
    if (st->narrays == st->cap) {
        size_t cap = st->cap ? 2 * st->cap : 16;
        double **a = realloc(st->arrays, cap * sizeof *a);
        if (!a)
            return NULL;
        st->arrays = a, st->cap = cap;
    }
    double *p = malloc((count ? count : 1) * sizeof *p);
    if (p)
        st->arrays[st->narrays++] = p;
    return p;
}

/* Legend text of an average group's name ("ema0.99", "ema_tau5",
 * "uniform"). */
static void group_label(const char *name, char *buf, size_t size)
{
    if (strncmp(name, "ema_tau", 7) == 0)
        snprintf(buf, size, "EMA τ = %s", name + 7);
    else if (strncmp(name, "ema", 3) == 0)
        snprintf(buf, size, "EMA β = %s", name + 3);
    else if (strcmp(name, "uniform") == 0)
        snprintf(buf, size, "uniform average");
    else
        snprintf(buf, size, "%s", name);
}

static const int avg_colors[] = {GDN_ORANGE, GDN_GREEN, GDN_PURPLE, GDN_SKY,
                                 GDN_YELLOW, GDN_BLACK};

/* Names of trajectory p's average groups, or NULL. */
static const char *const *names_of(const gdn_plot_opts *o, size_t p)
{
    if (o->group_names_of)
        return o->group_names_of[p];
    return p == 0 ? o->group_names : NULL;
}

/* The last sample whose state is finite (0 if none is). */
static size_t last_finite(const gdn_traj *tr, size_t n, size_t m)
{
    (void)n;
    for (size_t k = tr->count; k-- > 0;) {
        int ok = 1;
        for (size_t i = 0; i < m && ok; i++)
            ok = isfinite(tr->x[k * m + i]);
        if (ok)
            return k;
    }
    return 0;
}

static int theta_panel(const gdn_traj *tr, const gdn_plot_opts *o,
                       gdn_plot_store *st, size_t p, int animated,
                       gdn_error *err)
{
    const char *const *names = names_of(o, p);
    size_t n = tr->n, m = 2 * n, ng = tr->ngroups;
    gdn_panel *pn = &st->panels[p];
    gdn_line *lines = st->lines + p * MAX_LINES;
    gdn_marker *mk = st->markers + p * MAX_MARKERS;
    size_t nl = 0;
    lines[nl++] = (gdn_line){.x = tr->x + n, .y = tr->x + n + 1,
                             .count = tr->count, .xstride = m, .ystride = m,
                             .color = GDN_BLUE, .by_index = o->by_time,
                             .label = o->by_time ? "path of θ (by time)"
                                                 : "path of θ"};
    for (size_t j = 0; j < ng && nl < MAX_LINES; j++) {
        char *lab = st->labels[p * MAX_LINES + nl];
        group_label(names ? names[j] : "average", lab, 48);
        lines[nl++] = (gdn_line){.x = tr->avg + j * m + n,
                                 .y = tr->avg + j * m + n + 1,
                                 .count = tr->count, .xstride = ng * m,
                                 .ystride = ng * m,
                                 .color = avg_colors[j % 6], .width = 2.0,
                                 .label = lab};
    }
    mk[0] = (gdn_marker){.x = tr->x[n], .y = tr->x[n + 1],
                         .color = GDN_BLACK, .radius = 4,
                         .shape = GDN_MARK_RING, .label = "start"};
    mk[1] = (gdn_marker){.x = 0, .y = 0, .color = GDN_VERMILLION,
                         .radius = 5.5, .shape = GDN_MARK_DOT,
                         .label = "equilibrium"};
    size_t last = last_finite(tr, n, m);
    mk[2] = (gdn_marker){.x = tr->x[last * m + n],
                         .y = tr->x[last * m + n + 1], .color = GDN_BLACK,
                         .radius = 5, .shape = GDN_MARK_CROSS,
                         .label = "end"};
    if (o->circle && nl < MAX_LINES) { /* |θ| = Γ0^(1/4) */
        gdn_invariants inv;
        gdn_invariants_of(n, tr->x, &inv);
        double rad = gdn__pow_pos(fmax(inv.gram, 0), 0.25);
        double *cx = store_array(st, CIRCLE_N), *cy = store_array(st, CIRCLE_N);
        if (!cx || !cy)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        for (int k = 0; k < CIRCLE_N; k++) {
            double a = 2 * 3.14159265358979323846 * k / (CIRCLE_N - 1);
            cx[k] = rad * cos(a), cy[k] = rad * sin(a);
        }
        lines[nl++] = (gdn_line){.x = cx, .y = cy, .count = CIRCLE_N,
                                 .color = GDN_BLACK, .width = 1.2,
                                 .dashed = 1, .label = "|θ| = Γ₀^(1/4)"};
    }
    if (animated) /* the current point instead of the end */
        pn->head_t = tr->t, pn->head_name = tr->discrete ? "step" : "t";
    pn->xlabel = "θ₁", pn->ylabel = "θ₂";
    pn->xmin = pn->xmax = pn->ymin = pn->ymax = NAN;
    pn->equal = 1;
    pn->legend = !animated || ng > 0;
    pn->nlines = nl, pn->lines = lines;
    pn->nmarkers = animated ? 2 : 3, pn->markers = mk;
    return GDN_OK;
}

static int phase_panel(const gdn_traj *tr, const gdn_plot_opts *o,
                       gdn_plot_store *st, size_t p, int animated,
                       gdn_error *err)
{
    const char *const *names = names_of(o, p);
    gdn_panel *pn = &st->panels[p];
    gdn_line *lines = st->lines + p * MAX_LINES;
    gdn_marker *mk = st->markers + p * MAX_MARKERS;
    size_t ng = tr->ngroups, nl = 0;
    lines[nl++] = (gdn_line){.x = tr->x + 1, .y = tr->x, .count = tr->count,
                             .xstride = 2, .ystride = 2, .color = GDN_BLUE,
                             .by_index = o->by_time,
                             .label = o->by_time ? "path (by time)" : "path"};
    for (size_t j = 0; j < ng && nl < MAX_LINES; j++) {
        char *lab = st->labels[p * MAX_LINES + nl];
        group_label(names ? names[j] : "average", lab, 48);
        lines[nl++] = (gdn_line){.x = tr->avg + j * 2 + 1,
                                 .y = tr->avg + j * 2, .count = tr->count,
                                 .xstride = ng * 2, .ystride = ng * 2,
                                 .color = avg_colors[j % 6], .width = 2.0,
                                 .label = lab};
    }
    mk[0] = (gdn_marker){.x = tr->x[1], .y = tr->x[0], .color = GDN_BLACK,
                         .radius = 4, .shape = GDN_MARK_RING,
                         .label = "start"};
    mk[1] = (gdn_marker){.x = 0, .y = 0, .color = GDN_VERMILLION,
                         .radius = 5.5, .shape = GDN_MARK_DOT,
                         .label = "equilibrium"};
    size_t last = last_finite(tr, 1, 2);
    mk[2] = (gdn_marker){.x = tr->x[2 * last + 1], .y = tr->x[2 * last],
                         .color = GDN_BLACK, .radius = 5,
                         .shape = GDN_MARK_CROSS, .label = "end"};
    if (animated)
        pn->head_t = tr->t, pn->head_name = tr->discrete ? "step" : "t";
    /* a square box around the path and the equilibrium */
    double lo = 0, hi = 0, span;
    for (size_t k = 0; k < tr->count; k++)
        for (int c = 0; c < 2; c++) {
            double v = tr->x[2 * k + (size_t)c];
            if (isfinite(v))
                lo = fmin(lo, v), hi = fmax(hi, v);
        }
    span = fmax(hi - lo, 1e-9) * 1.1;
    double mid = 0.5 * (lo + hi);
    pn->xmin = pn->ymin = mid - span / 2;
    pn->xmax = pn->ymax = mid + span / 2;
    pn->xlabel = "θ (generator)", pn->ylabel = "φ (discriminator)";
    pn->legend = 1;
    pn->equal = 1;
    pn->nlines = nl, pn->lines = lines;
    pn->nmarkers = animated ? 2 : 3, pn->markers = mk;
    if (o->sys) { /* the flow (θ', φ') = (-ξ_θ, -ξ_φ) on a grid */
        gdn_field *f = &st->fields[p];
        double *u = store_array(st, FIELD_N * FIELD_N);
        double *v = store_array(st, FIELD_N * FIELD_N);
        if (!u || !v)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        for (size_t j = 0; j < FIELD_N; j++)
            for (size_t i = 0; i < FIELD_N; i++) {
                double x[2], xi[2];
                x[1] = pn->xmin + ((double)i + 0.5) * span / FIELD_N;
                x[0] = pn->ymin + ((double)j + 0.5) * span / FIELD_N;
                int ok = gdn_system_grad(o->sys, x, xi) != GDN_PT_UNDEFINED;
                u[j * FIELD_N + i] = ok ? -xi[1] : NAN;
                v[j * FIELD_N + i] = ok ? -xi[0] : NAN;
            }
        *f = (gdn_field){.nx = FIELD_N, .ny = FIELD_N, .u = u, .v = v};
        pn->field = f;
    }
    return GDN_OK;
}

/* The four panels of trajectory p (of count): |θ|, |φ|, E and Γ's
 * relative drift, stacked; panel q * count + p. */
static int series_panels(const gdn_traj *tr, const gdn_plot_opts *o,
                         gdn_plot_store *st, size_t p, size_t count,
                         gdn_error *err)
{
    size_t n = tr->n, m = 2 * n;
    double *y[SERIES_Q];
    for (int c = 0; c < SERIES_Q; c++)
        if (!(y[c] = store_array(st, tr->count)))
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    gdn_invariants inv0;
    gdn_invariants_of(n, tr->x, &inv0);
    double g0 = inv0.gram;
    int rel = g0 > 0 && isfinite(g0);
    for (size_t k = 0; k < tr->count; k++) {
        gdn_invariants inv;
        gdn_invariants_of(n, tr->x + k * m, &inv);
        y[0][k] = inv.theta_norm, y[1][k] = inv.phi_norm;
        y[2][k] = inv.energy;
        double d = rel ? (inv.gram - g0) / g0 : inv.gram;
        y[3][k] = o->logy && rel ? fabs(d) : d;
    }
    static const char *const names[] = {"|θ|", "|φ|", "E", "Γ"};
    static const int colors[] = {GDN_BLUE, GDN_ORANGE, GDN_GREEN, GDN_PURPLE};
    for (size_t q = 0; q < SERIES_Q; q++) {
        size_t at = q * count + p;
        gdn_panel *pn = &st->panels[at];
        gdn_line *l = st->lines + at * MAX_LINES;
        *l = (gdn_line){.x = tr->t, .y = y[q], .count = tr->count,
                        .color = colors[q], .label = names[q]};
        pn->ylabel = names[q];
        if (q == 3)
            pn->ylabel = !rel ? "Γ (Γ₀ = 0)"
                         : o->logy ? "|Γ − Γ₀| / Γ₀" : "(Γ − Γ₀) / Γ₀";
        pn->xlabel = q == SERIES_Q - 1 ? (tr->discrete ? "step" : "t") : NULL;
        pn->xmin = pn->xmax = pn->ymin = pn->ymax = NAN;
        pn->logy = o->logy && (q < 3 || rel); /* Γ ≡ 0: a linear axis */
        pn->nlines = 1, pn->lines = l;
    }
    return GDN_OK;
}

/* The distance |x| of the iterate and of every average to the
 * equilibrium against time. */
static int distance_panel(const gdn_traj *tr, const gdn_plot_opts *o,
                          gdn_plot_store *st, size_t p, gdn_error *err)
{
    const char *const *names = names_of(o, p);
    size_t m = 2 * tr->n, ng = tr->ngroups, nl = 0;
    gdn_panel *pn = &st->panels[p];
    gdn_line *lines = st->lines + p * MAX_LINES;
    for (size_t j = 0; j <= ng && nl < MAX_LINES; j++) {
        double *d = store_array(st, tr->count);
        if (!d)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        for (size_t k = 0; k < tr->count; k++) {
            const double *x = j == 0 ? tr->x + k * m
                                     : tr->avg + (k * ng + j - 1) * m;
            double s2 = 0;
            for (size_t i = 0; i < m; i++)
                s2 += x[i] * x[i];
            d[k] = sqrt(s2);
        }
        char *lab = st->labels[p * MAX_LINES + nl];
        if (j == 0)
            snprintf(lab, 48, "iterate |x|");
        else
            group_label(names ? names[j - 1] : "average", lab, 48);
        lines[nl++] = (gdn_line){.x = tr->t, .y = d, .count = tr->count,
                                 .color = j == 0 ? GDN_BLUE
                                                 : avg_colors[(j - 1) % 6],
                                 .width = j == 0 ? 0 : 2, .label = lab};
    }
    pn->xlabel = tr->discrete ? "step" : "t";
    pn->ylabel = "distance to the equilibrium";
    pn->xmin = pn->xmax = pn->ymax = NAN;
    pn->ymin = o->logy ? NAN : 0;
    pn->logy = o->logy;
    pn->legend = 1;
    pn->nlines = nl, pn->lines = lines;
    return GDN_OK;
}

int gdn_plot_build(const gdn_traj *const *trs, const char *const *titles,
                   size_t count, const gdn_plot_opts *o, int animated,
                   gdn_figure *fig, gdn_plot_store **store, gdn_error *err)
{
    *store = NULL;
    if (count == 0 || count > 64)
        return gdn_error_set(err, GDN_EINVAL,
                             "%zu trajectories to plot (accepted: 1 to 64)",
                             count);
    int kind = o->kind;
    if (kind < 0)
        kind = trs[0]->n == 1 ? GDN_PLOT_PHASE : GDN_PLOT_THETA;
    if (kind >= GDN_PLOT_NKINDS)
        return gdn_error_set(err, GDN_EINVAL, "unknown plot kind %d", kind);
    for (size_t i = 0; i < count; i++) {
        if (trs[i]->count == 0)
            return gdn_error_set(err, GDN_EINVAL, "nothing to plot: an empty "
                                 "trajectory");
        if (kind == GDN_PLOT_THETA && trs[i]->n < 2)
            return gdn_error_set(err, GDN_EINVAL,
                                 "plot kind 'theta' needs dimension >= 2 "
                                 "(this run has n = 1; use 'phase')");
        if (kind == GDN_PLOT_PHASE && trs[i]->n != 1)
            return gdn_error_set(err, GDN_EINVAL,
                                 "plot kind 'phase' needs dimension 1 (this "
                                 "run has n = %zu; use 'theta')", trs[i]->n);
    }
    if (animated && (kind == GDN_PLOT_SERIES || kind == GDN_PLOT_DISTANCE))
        return gdn_error_set(err, GDN_EINVAL,
                             "plot kind '%s' is not a path: a .gif needs "
                             "'theta' or 'phase'", gdn_plot_kind_name(kind));
    if (o->cols < 0 || o->cols > 64)
        return gdn_error_set(err, GDN_EINVAL,
                             "%d columns (accepted: 1 to 64)", o->cols);
    int series = kind == GDN_PLOT_SERIES;
    size_t np = series ? SERIES_Q * count : count;
    gdn_plot_store *st = calloc(1, sizeof *st);
    if (!st)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    st->panels = calloc(np, sizeof *st->panels);
    st->lines = calloc(np * MAX_LINES, sizeof *st->lines);
    st->markers = calloc(np * MAX_MARKERS, sizeof *st->markers);
    st->fields = calloc(np, sizeof *st->fields);
    st->labels = calloc(np * MAX_LINES, sizeof *st->labels);
    if (!st->panels || !st->lines || !st->markers || !st->fields ||
        !st->labels) {
        gdn_plot_store_free(st);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < count; i++) {
        int rc = kind == GDN_PLOT_THETA
                     ? theta_panel(trs[i], o, st, i, animated, err)
                 : kind == GDN_PLOT_PHASE
                     ? phase_panel(trs[i], o, st, i, animated, err)
                 : kind == GDN_PLOT_DISTANCE
                     ? distance_panel(trs[i], o, st, i, err)
                     : series_panels(trs[i], o, st, i, count, err);
        if (rc != GDN_OK) {
            gdn_plot_store_free(st);
            return rc;
        }
        st->panels[i].title = titles ? titles[i] : NULL;
        /* small multiples: one legend, unless a panel's lines differ */
        if (i > 0 && trs[i]->ngroups == trs[0]->ngroups)
            st->panels[i].legend = 0;
    }
    size_t cols, rows;
    int pw, ph;
    if (series) { /* one column per trajectory, one row per quantity */
        cols = count, rows = SERIES_Q;
        pw = count > 1 ? 360 : 800, ph = count > 1 ? 210 : 190;
    } else {
        cols = o->cols > 0 ? (size_t)o->cols
               : count <= 3 ? count : (count <= 4 ? (size_t)2 : (size_t)3);
        if (cols > count)
            cols = count;
        rows = (count + cols - 1) / cols;
        pw = kind == GDN_PLOT_DISTANCE ? 800 : (animated ? 480 : 640);
        ph = kind == GDN_PLOT_DISTANCE ? 480 : (animated ? 480 : 640);
        if (count > 1)
            pw = ph = kind == GDN_PLOT_DISTANCE ? 480 : 420;
    }
    memset(fig, 0, sizeof *fig);
    fig->width = o->width > 0 ? o->width : (int)cols * pw;
    fig->height = o->height > 0 ? o->height
                                : (int)rows * ph + (o->title ? 34 : 0);
    fig->title = o->title;
    fig->rows = rows, fig->cols = cols;
    fig->panels = st->panels;
    fig->scale = o->scale;
    /* small multiples compare: one scale for all (phase sets its own) */
    fig->share_x = fig->share_y =
        count > 1 && kind != GDN_PLOT_PHASE && !o->own_axes && !series;
    if (series && count > 1 && !o->own_axes) /* one time axis */
        fig->share_x = 1;
    fig->npanels = np;
    *store = st;
    return GDN_OK;
}

int gdn_plot_trajs(const gdn_traj *const *trs, const char *const *titles,
                   size_t count, const gdn_plot_opts *o, const char *path,
                   gdn_error *err)
{
    int fmt = -1;
    if (gdn_figure_format(path, &fmt, err))
        return GDN_EINVAL;
    gdn_figure fig;
    gdn_plot_store *st;
    int rc = gdn_plot_build(trs, titles, count, o, fmt == GDN_FIG_GIF, &fig,
                            &st, err);
    if (rc != GDN_OK)
        return rc;
    if (fmt == GDN_FIG_GIF) {
        gdn_anim a = o->anim;
        if (a.nframes == 0)
            a.nframes = 60, a.delay_cs = 8, a.hold_cs = 200;
        rc = gdn_figure_write_gif(&fig, &a, path, err);
    } else {
        rc = gdn_figure_write(&fig, path, err);
    }
    gdn_plot_store_free(st);
    return rc;
}
