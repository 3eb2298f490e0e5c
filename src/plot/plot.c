/*
 * plot.c - drawing gdn_figure with cairo (see gandyn/plot.h).
 *
 * One layout function (layout_of) decides where every panel's plot area is
 * and which data ranges it shows; drawing and gdn_figure_map both use it, so
 * the tests can ask where a data point must appear.
 *
 * Rules:
 *  1. Nothing depends on the clock or the environment but the font, which
 *     is always "DejaVu Sans" (Debian's fonts-dejavu-core).
 *  2. Lines are clipped to the plot area; non-finite points break a line.
 */
#include "gandyn/plot.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/gif.h"
#include "gandyn/io.h"
#include "../core/gmath.h"

#define FONT "DejaVu Sans"
#define PI 3.14159265358979323846

static const unsigned int palette[GDN_NCOLORS] = {
    0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7,
    0x56B4E9, 0xF0E442, 0x000000, 0x999999};

unsigned int gdn_color_rgb(int color)
{
    return color >= 0 && color < GDN_NCOLORS ? palette[color] : 0x000000;
}

static void set_color(cairo_t *cr, int color, double alpha)
{
    unsigned int c = gdn_color_rgb(color);
    cairo_set_source_rgba(cr, ((c >> 16) & 0xff) / 255.0,
                          ((c >> 8) & 0xff) / 255.0, (c & 0xff) / 255.0,
                          alpha);
}

int gdn_figure_format(const char *path, int *fmt, gdn_error *err)
{
    static const char *const ext[] = {".png", ".svg", ".pdf", ".gif"};
    const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash))
        for (int k = 0; k < 4; k++)
            if (strcmp(dot, ext[k]) == 0)
                return *fmt = k, GDN_OK;
    return gdn_error_set(err, GDN_EINVAL,
                         "'%s': unknown figure format (accepted extensions: "
                         ".png, .svg, .pdf, .gif)", path);
}

/* ---------------------------------------------------------------- layout */

static size_t npanels(const gdn_figure *fig)
{
    return fig->npanels ? fig->npanels : fig->rows * fig->cols;
}

typedef struct layout {
    double x0, y0, w, h;     /* plot area in pixels */
    double xlo, xhi;         /* shown data range */
    double ylo, yhi;         /* shown range; log10 of it when logy */
    int logy;
    double cell_x, cell_y, cell_w, cell_h; /* the panel's cell */
} layout;

static double ycoord(int logy, double y)
{
    return logy ? (y > 0 ? log10(y) : NAN) : y;
}

static double xget(const gdn_line *l, size_t i)
{
    return l->x[i * (l->xstride ? l->xstride : 1)];
}

static double yget(const gdn_line *l, size_t i)
{
    return l->y[i * (l->ystride ? l->ystride : 1)];
}

/* Extends [lo, hi] by the panel's data on one axis (0: x, 1: y). */
static void data_range(const gdn_panel *p, int axis, double *lo, double *hi)
{
    for (size_t k = 0; k < p->nlines; k++) {
        const gdn_line *l = &p->lines[k];
        for (size_t i = 0; i < l->count; i++) {
            double v = axis ? ycoord(p->logy, yget(l, i)) : xget(l, i);
            if (isfinite(v))
                *lo = fmin(*lo, v), *hi = fmax(*hi, v);
        }
    }
    for (size_t k = 0; k < p->nmarkers; k++) {
        double v = axis ? ycoord(p->logy, p->markers[k].y) : p->markers[k].x;
        if (isfinite(v))
            *lo = fmin(*lo, v), *hi = fmax(*hi, v);
    }
}

/* The range a panel shows on one axis, before equal-aspect adjustment. */
static void axis_range(const gdn_figure *fig, size_t p, int axis, double *lo,
                       double *hi)
{
    const gdn_panel *pn = &fig->panels[p];
    double flo = axis ? pn->ymin : pn->xmin, fhi = axis ? pn->ymax : pn->xmax;
    int logy = axis && pn->logy;
    if (logy)
        flo = ycoord(1, flo), fhi = ycoord(1, fhi);
    *lo = INFINITY, *hi = -INFINITY;
    int shared = axis ? fig->share_y : fig->share_x;
    if (shared)
        for (size_t q = 0; q < npanels(fig); q++)
            data_range(&fig->panels[q], axis, lo, hi);
    else
        data_range(pn, axis, lo, hi);
    if (!(*lo <= *hi))
        *lo = logy ? -1 : -1, *hi = 1;
    /* constant to rounding (a conserved quantity): drawn flat, not its
     * last digits blown up */
    if (*hi - *lo < 1e-9 * fmax(fabs(*lo), fabs(*hi)) ||
        *hi - *lo < 1e-12 * fmax(1.0, fabs(*hi))) {
        double d = logy ? 0.5 : fmax(fabs(*hi) * 0.1, 0.1);
        *lo -= d, *hi += d;
    } else {
        double pad = 0.05 * (*hi - *lo);
        *lo -= pad, *hi += pad;
    }
    if (isfinite(flo))
        *lo = flo;
    if (isfinite(fhi))
        *hi = fhi;
}

static void layout_of(const gdn_figure *fig, size_t p, layout *L)
{
    const gdn_panel *pn = &fig->panels[p];
    double top = fig->title ? 34 : 0;
    double cw = (double)fig->width / (double)fig->cols;
    double ch = ((double)fig->height - top) / (double)fig->rows;
    size_t r = p / fig->cols, c = p % fig->cols;
    L->cell_x = (double)c * cw, L->cell_y = top + (double)r * ch;
    L->cell_w = cw, L->cell_h = ch;
    double ml = 66, mr = pn->heat ? 106 : 18, mt = pn->title ? 30 : 14;
    double mb = 50;
    L->x0 = L->cell_x + ml, L->y0 = L->cell_y + mt;
    L->w = fmax(cw - ml - mr, 10), L->h = fmax(ch - mt - mb, 10);
    L->logy = pn->logy;
    axis_range(fig, p, 0, &L->xlo, &L->xhi);
    axis_range(fig, p, 1, &L->ylo, &L->yhi);
    if (pn->equal && !pn->logy) { /* widen the tighter axis */
        double sx = (L->xhi - L->xlo) / L->w, sy = (L->yhi - L->ylo) / L->h;
        if (sx > sy) {
            double mid = 0.5 * (L->ylo + L->yhi), half = 0.5 * sx * L->h;
            L->ylo = mid - half, L->yhi = mid + half;
        } else {
            double mid = 0.5 * (L->xlo + L->xhi), half = 0.5 * sy * L->w;
            L->xlo = mid - half, L->xhi = mid + half;
        }
    }
}

static double px_of(const layout *L, double x)
{
    return L->x0 + (x - L->xlo) / (L->xhi - L->xlo) * L->w;
}

/* y already in axis coordinates (log10 for a log axis). */
static double py_of(const layout *L, double y)
{
    return L->y0 + L->h - (y - L->ylo) / (L->yhi - L->ylo) * L->h;
}

static int check_figure(const gdn_figure *fig, gdn_error *err)
{
    if (!fig->panels || fig->rows == 0 || fig->cols == 0 ||
        fig->rows * fig->cols > 64 || npanels(fig) > fig->rows * fig->cols)
        return gdn_error_set(err, GDN_EINVAL,
                             "a figure needs 1 to 64 panels in its grid");
    if (!(fig->scale >= 0 && fig->scale <= 8) ||
        fig->width * (fig->scale > 0 ? fig->scale : 1) > 16384 ||
        fig->height * (fig->scale > 0 ? fig->scale : 1) > 16384)
        return gdn_error_set(err, GDN_EINVAL,
                             "figure scale %g out of range (accepted: 0 to "
                             "8, at most 16384 pixels a side)", fig->scale);
    if (fig->width < 64 || fig->width > 8192 || fig->height < 64 ||
        fig->height > 8192)
        return gdn_error_set(err, GDN_EINVAL,
                             "figure size %dx%d out of range (accepted: "
                             "64 to 8192 on each side)", fig->width,
                             fig->height);
    return GDN_OK;
}

int gdn_figure_map(const gdn_figure *fig, size_t p, double x, double y,
                   double *px, double *py)
{
    if (check_figure(fig, NULL) != GDN_OK || p >= npanels(fig))
        return GDN_EINVAL;
    layout L;
    layout_of(fig, p, &L);
    *px = px_of(&L, x);
    *py = py_of(&L, ycoord(L.logy, y));
    return GDN_OK;
}

/* ----------------------------------------------------------------- ticks */

/* A "nice" step (1, 2 or 5 times a power of ten) for about n ticks. */
static double nice_step(double span, double n)
{
    double raw = span / n, mag = gdn__pow_pos(10, floor(log10(raw)));
    double norm = raw / mag;
    return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

/* Tick label of v with the decimals a step needs; "0" for tiny values. */
static void tick_label(double v, double step, char *buf, size_t size)
{
    if (fabs(v) < step * 1e-9)
        v = 0;
    double av = fabs(v);
    if (v == 0 && step < 1e-4) { /* not "0.00000000" */
        snprintf(buf, size, "0");
        return;
    }
    if (av != 0 && (av >= 1e5 || av < 1e-4)) {
        snprintf(buf, size, "%.3g", v);
        return;
    }
    /* step in (0, 1): at most 324 decimals; NaN or 0 would be an
     * undefined cast */
    int dec = !(step > 0 && step < 1) ? 0 : (int)ceil(-log10(step) - 1e-9);
    snprintf(buf, size, "%.*f", dec, v);
    if (buf[0] == '-' && size > strlen(buf) + 2) { /* a real minus sign */
        memmove(buf + 3, buf + 1, strlen(buf));
        memcpy(buf, "\xe2\x88\x92", 3);
    }
}

/* "10^k" with Unicode superscripts. */
static void decade_label(int k, char *buf, size_t size)
{
    static const char *const sup[] = {"⁰", "¹", "²", "³", "⁴",
                                      "⁵", "⁶", "⁷", "⁸", "⁹"};
    char digits[16];
    snprintf(digits, sizeof digits, "%d", k < 0 ? -k : k);
    snprintf(buf, size, "10%s", k < 0 ? "⁻" : "");
    for (const char *d = digits; *d; d++)
        strncat(buf, sup[*d - '0'], size - strlen(buf) - 1);
}

/* ------------------------------------------------------------------ text */

/* SVG text.  cairo 1.16's SVG surface has no text elements: it draws every
 * glyph as a path (<symbol> + <use>), so an SVG's words cannot be selected,
 * searched or edited.  For SVG, text_at therefore records each text (where
 * it starts in device space, its angle, size, weight and colour) instead of
 * drawing it, and write_svg appends the records as <text> elements in
 * DejaVu Sans, placed with the same font metrics. */
typedef struct svg_text {
    double x, y, angle, size;
    int bold;
    double r, g, b;
    char *s;
} svg_text;

typedef struct svg_texts {
    svg_text *t;
    size_t n, cap;
    int failed;
} svg_texts;

static const cairo_user_data_key_t svg_key;

static void svg_record(cairo_t *cr, const char *s, double x, double y,
                       double size, int bold)
{
    svg_texts *st = cairo_get_user_data(cr, &svg_key);
    if (st->n == st->cap) {
        size_t cap = st->cap ? 2 * st->cap : 64;
        svg_text *t = realloc(st->t, cap * sizeof *t);
        if (!t) {
            st->failed = 1;
            return;
        }
        st->t = t, st->cap = cap;
    }
    svg_text *t = &st->t[st->n];
    double dx = x, dy = y, ux = 1, uy = 0;
    cairo_user_to_device(cr, &dx, &dy);
    cairo_user_to_device_distance(cr, &ux, &uy);
    t->x = dx, t->y = dy, t->angle = atan2(uy, ux) * 180 / PI;
    t->size = size, t->bold = bold;
    t->r = t->g = t->b = 0;
    double a;
    cairo_pattern_get_rgba(cairo_get_source(cr), &t->r, &t->g, &t->b, &a);
    size_t len = strlen(s);
    if (!(t->s = malloc(len + 1))) {
        st->failed = 1;
        return;
    }
    memcpy(t->s, s, len + 1);
    st->n++;
}

static void text_at(cairo_t *cr, const char *s, double x, double y,
                    double ax, double ay, double size, int bold)
{
    cairo_text_extents_t te;
    cairo_font_extents_t fe;
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD
                                : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents(cr, s, &te);
    cairo_font_extents(cr, &fe);
    /* ax, ay in [0, 1]: which point of the text's box lands on (x, y);
     * vertically the box is the font's (ascent to descent), so that texts
     * of one size share a baseline whatever their glyphs */
    double cap = 0.72 * size; /* DejaVu's cap height, as the box */
    (void)fe;
    if (cairo_get_user_data(cr, &svg_key)) {
        svg_record(cr, s, x - te.x_bearing - ax * te.width,
                   y + cap - ay * cap, size, bold);
        return;
    }
    cairo_move_to(cr, x - te.x_bearing - ax * te.width,
                  y + cap - ay * cap);
    cairo_show_text(cr, s);
}

/* ------------------------------------------------------------- drawing */

static void draw_axes(cairo_t *cr, const gdn_panel *pn, const layout *L)
{
    char buf[48];
    /* grid and ticks: x */
    /* about one tick per 80 pixels, so labels never run together */
    double nx = fmax(2, fmin(7, L->w / 80)), ny = fmax(2, fmin(7, L->h / 60));
    double step = nice_step(L->xhi - L->xlo, nx);
    cairo_set_line_width(cr, 1);
    for (double v = ceil(L->xlo / step) * step; v <= L->xhi + 1e-9 * step;
         v += step) {
        double x = floor(px_of(L, v)) + 0.5;
        cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
        cairo_move_to(cr, x, L->y0), cairo_line_to(cr, x, L->y0 + L->h);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_move_to(cr, x, L->y0 + L->h), cairo_line_to(cr, x, L->y0 + L->h + 5);
        cairo_stroke(cr);
        tick_label(v, step, buf, sizeof buf);
        text_at(cr, buf, x, L->y0 + L->h + 8, 0.5, 0, 11, 0);
    }
    /* y */
    if (L->logy && floor(L->yhi) - ceil(L->ylo) < 1) {
        /* less than two decades in view: ticks at 1, 2, 5 (or every
         * digit) times the powers of ten */
        static const int m125[] = {1, 2, 5}, m19[] = {1, 2, 3, 4, 5, 6, 7,
                                                       8, 9};
        int n125 = 0;
        for (int k = (int)floor(L->ylo); k <= (int)ceil(L->yhi); k++)
            for (int q = 0; q < 3; q++) {
                double l = log10(m125[q]) + k;
                n125 += l >= L->ylo && l <= L->yhi;
            }
        const int *ms = n125 >= 2 ? m125 : m19;
        int nm = n125 >= 2 ? 3 : 9, n19 = 0;
        for (int k = (int)floor(L->ylo); k <= (int)ceil(L->yhi); k++)
            for (int q = 0; q < 9; q++) {
                double l = log10(m19[q]) + k;
                n19 += l >= L->ylo && l <= L->yhi;
            }
        if (n19 < 2) { /* a narrow range: nice values, placed in log */
            double lo = gdn__pow_pos(10, L->ylo), hi = gdn__pow_pos(10, L->yhi);
            double st = nice_step(hi - lo, 4);
            for (double v = ceil(lo / st) * st; v <= hi; v += st) {
                double y = floor(py_of(L, log10(v))) + 0.5;
                cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
                cairo_move_to(cr, L->x0, y), cairo_line_to(cr, L->x0 + L->w, y);
                cairo_stroke(cr);
                cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
                cairo_move_to(cr, L->x0 - 5, y), cairo_line_to(cr, L->x0, y);
                cairo_stroke(cr);
                tick_label(v, st, buf, sizeof buf);
                text_at(cr, buf, L->x0 - 8, y, 1, 0.5, 11, 0);
            }
            nm = 0;
        }
        for (int k = (int)floor(L->ylo); k <= (int)ceil(L->yhi); k++)
            for (int q = 0; q < nm; q++) {
                double l = log10(ms[q]) + k;
                if (l < L->ylo || l > L->yhi)
                    continue;
                double y = floor(py_of(L, l)) + 0.5;
                cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
                cairo_move_to(cr, L->x0, y), cairo_line_to(cr, L->x0 + L->w, y);
                cairo_stroke(cr);
                cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
                cairo_move_to(cr, L->x0 - 5, y), cairo_line_to(cr, L->x0, y);
                cairo_stroke(cr);
                snprintf(buf, sizeof buf, "%.3g", ms[q] * gdn__pow_pos(10, k));
                text_at(cr, buf, L->x0 - 8, y, 1, 0.5, 11, 0);
            }
    } else if (L->logy) {
        double span = L->yhi - L->ylo;
        int every = span > 12 ? (int)ceil(span / 8) : 1;
        for (int k = (int)ceil(L->ylo); k <= (int)floor(L->yhi); k++) {
            if (k % every)
                continue;
            double y = floor(py_of(L, k)) + 0.5;
            cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
            cairo_move_to(cr, L->x0, y), cairo_line_to(cr, L->x0 + L->w, y);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            cairo_move_to(cr, L->x0 - 5, y), cairo_line_to(cr, L->x0, y);
            cairo_stroke(cr);
            decade_label(k, buf, sizeof buf);
            text_at(cr, buf, L->x0 - 8, y, 1, 0.5, 11, 0);
        }
    } else {
        step = nice_step(L->yhi - L->ylo, ny);
        for (double v = ceil(L->ylo / step) * step; v <= L->yhi + 1e-9 * step;
             v += step) {
            double y = floor(py_of(L, v)) + 0.5;
            cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
            cairo_move_to(cr, L->x0, y), cairo_line_to(cr, L->x0 + L->w, y);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
            cairo_move_to(cr, L->x0 - 5, y), cairo_line_to(cr, L->x0, y);
            cairo_stroke(cr);
            tick_label(v, step, buf, sizeof buf);
            text_at(cr, buf, L->x0 - 8, y, 1, 0.5, 11, 0);
        }
    }
    /* frame */
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_rectangle(cr, floor(L->x0) + 0.5, floor(L->y0) + 0.5,
                    floor(L->w), floor(L->h));
    cairo_stroke(cr);
    /* labels and title */
    if (pn->xlabel)
        text_at(cr, pn->xlabel, L->x0 + L->w / 2, L->y0 + L->h + 28, 0.5, 0,
                14, 0);
    if (pn->ylabel) {
        cairo_save(cr);
        cairo_translate(cr, L->cell_x + 14, L->y0 + L->h / 2);
        cairo_rotate(cr, -PI / 2);
        text_at(cr, pn->ylabel, 0, 0, 0.5, 0.5, 14, 0);
        cairo_restore(cr);
    }
    if (pn->title)
        text_at(cr, pn->title, L->x0 + L->w / 2, L->cell_y + 8, 0.5, 0, 13, 1);
}

/* Viridis (cut before its lightest yellows, which vanish on white) at
 * u in [0, 1]: dark purple to yellow-green. */
static void seq_rgb(double u, double *r, double *g, double *b)
{
    static const double cp[6][3] = {
        {0x44, 0x01, 0x54}, {0x41, 0x44, 0x87}, {0x2A, 0x78, 0x8E},
        {0x22, 0xA8, 0x84}, {0x7A, 0xD1, 0x51}, {0xD2, 0xE2, 0x1B}};
    u = fmax(0, fmin(1, u)) * 5;
    int k = (int)fmin(4, floor(u));
    double f = u - k;
    *r = (cp[k][0] + f * (cp[k + 1][0] - cp[k][0])) / 255;
    *g = (cp[k][1] + f * (cp[k + 1][1] - cp[k][1])) / 255;
    *b = (cp[k][2] + f * (cp[k + 1][2] - cp[k][2])) / 255;
}

/* log10 range [lo, hi] of a seq_log map's unmasked positive cells. */
static void seq_range(const gdn_heatmap *h, double *lo, double *hi)
{
    *lo = INFINITY, *hi = -INFINITY;
    for (size_t k = 0; k < h->nx * h->ny; k++)
        if (!(h->mask && h->mask[k]) && h->v[k] > 0 && isfinite(h->v[k])) {
            double l = log10(h->v[k]);
            *lo = fmin(*lo, l), *hi = fmax(*hi, l);
        }
    if (!(*lo <= *hi))
        *lo = -1, *hi = 0;
    if (*hi - *lo < 1e-9)
        *lo -= 0.5, *hi += 0.5;
}

/* The heat map's colour of v: white at center, blue below, red above. */
static void heat_rgb(const gdn_heatmap *h, double span, double v, double *r,
                     double *g, double *b)
{
    if (h->palette) {
        long k = fabs(v) < 1e9 ? lround(v) : -1; /* lround in range */
        unsigned int c = k >= 0 && (size_t)k < h->npalette ? h->palette[k]
                                                           : 0xCCCCCC;
        *r = ((c >> 16) & 0xff) / 255.0, *g = ((c >> 8) & 0xff) / 255.0;
        *b = (c & 0xff) / 255.0;
        return;
    }
    if (!isfinite(v)) {
        *r = *g = *b = 0.8;
        return;
    }
    double u = fmax(-1, fmin(1, (v - h->center) / span));
    /* ColorBrewer RdBu ends: 0x2166AC (blue), 0xB2182B (red) */
    double er = u < 0 ? 0x21 / 255.0 : 0xB2 / 255.0;
    double eg = u < 0 ? 0x66 / 255.0 : 0x18 / 255.0;
    double eb = u < 0 ? 0xAC / 255.0 : 0x2B / 255.0;
    double w = fabs(u);
    *r = 1 + (er - 1) * w, *g = 1 + (eg - 1) * w, *b = 1 + (eb - 1) * w;
}

static double heat_span(const gdn_heatmap *h)
{
    double span = h->span;
    if (!(span > 0)) {
        span = 0;
        for (size_t k = 0; k < h->nx * h->ny; k++)
            if (isfinite(h->v[k]))
                span = fmax(span, fabs(h->v[k] - h->center));
        if (!(span > 0))
            span = 1;
    }
    return span;
}

static void draw_heat(cairo_t *cr, const gdn_heatmap *h, const layout *L)
{
    if (!h || h->nx == 0 || h->ny == 0)
        return;
    int nx = (int)h->nx, ny = (int)h->ny;
    double span = heat_span(h), slo = 0, shi = 1;
    if (h->seq_log)
        seq_range(h, &slo, &shi);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, nx,
                                                      ny);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    cairo_surface_flush(img);
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            double r, g, b;
            size_t at = (size_t)j * h->nx + (size_t)i;
            double val = h->v[at];
            if (h->mask && h->mask[at])
                r = g = b = 0.8;
            else if (h->seq_log)
                if (val > 0 && isfinite(val))
                    seq_rgb((log10(val) - slo) / (shi - slo), &r, &g, &b);
                else
                    r = g = b = 0.8;
            else
                heat_rgb(h, span, val, &r, &g, &b);
            uint32_t px = ((uint32_t)lround(r * 255) << 16) |
                          ((uint32_t)lround(g * 255) << 8) |
                          (uint32_t)lround(b * 255);
            /* image rows run downwards, data rows upwards */
            memcpy(data + (size_t)(ny - 1 - j) * (size_t)stride +
                       (size_t)i * 4, &px, 4);
        }
    cairo_surface_mark_dirty(img);
    cairo_save(cr);
    cairo_translate(cr, L->x0, L->y0);
    cairo_scale(cr, L->w / nx, L->h / ny);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, nx, ny);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(img);
}

static void draw_colorbar(cairo_t *cr, const gdn_heatmap *h, const layout *L)
{
    double span = heat_span(h), x = L->x0 + L->w + 14, w = 14;
    if (h->palette) { /* a key of the categories present */
        double y = L->y0 + 8 - 20;
        for (size_t k = 0; k < h->npalette; k++) {
            int present = 0;
            for (size_t i = 0; i < h->nx * h->ny && !present; i++)
                present = isfinite(h->v[i]) && lround(h->v[i]) == (long)k;
            if (!present)
                continue;
            y += 20;
            double r, g, b;
            heat_rgb(h, 1, (double)k, &r, &g, &b);
            cairo_set_source_rgb(cr, r, g, b);
            cairo_rectangle(cr, x, y, w, 14);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            if (h->names && h->names[k])
                text_at(cr, h->names[k], x + w + 4, y + 7, 0, 0.5, 10, 0);
        }
        return;
    }
    /* the colour strip: a sequential scale over decades, or the diverging
     * scale around the centre */
    int steps = 64;
    double lo = 0, hi = 0;
    if (h->seq_log)
        seq_range(h, &lo, &hi);
    for (int k = 0; k < steps; k++) {
        double r, g, b;
        if (h->seq_log)
            seq_rgb(1 - (k + 0.5) / steps, &r, &g, &b);
        else
            heat_rgb(h, span, h->center + span * (1 - 2.0 * (k + 0.5) / steps),
                     &r, &g, &b);
        cairo_set_source_rgb(cr, r, g, b);
        cairo_rectangle(cr, x, L->y0 + L->h * k / steps, w,
                        L->h / steps + 0.5);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, x + 0.5, floor(L->y0) + 0.5, w, floor(L->h));
    cairo_stroke(cr);
    char lab[48];
    if (h->seq_log) { /* decades, then the masked cells' swatch */
        int every = hi - lo > 8 ? (int)ceil((hi - lo) / 8) : 1;
        for (int d = (int)ceil(lo); d <= (int)floor(hi); d++) {
            if (d % every)
                continue;
            decade_label(d, lab, sizeof lab);
            text_at(cr, lab, x + w + 4, L->y0 + L->h * (hi - d) / (hi - lo),
                    0, 0.5, 10, 0);
        }
        if (h->mask_name) {
            cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
            cairo_rectangle(cr, x, L->y0 + L->h + 8, w, 14);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            text_at(cr, h->mask_name, x + w + 4, L->y0 + L->h + 15, 0, 0.5,
                    10, 0);
        }
    } else { /* centre and centre +- span */
        for (int k = -1; k <= 1; k++) {
            double y = L->y0 + L->h * (1 - k) / 2;
            snprintf(lab, sizeof lab, "%.3g", h->center + k * span);
            text_at(cr, lab, x + w + 4, y, 0, 0.5, 10, 0);
        }
    }
    if (h->label) {
        cairo_save(cr);
        cairo_translate(cr, x + w + 44, L->y0 + L->h / 2);
        cairo_rotate(cr, -PI / 2);
        text_at(cr, h->label, 0, 0, 0.5, 0.5, 12, 0);
        cairo_restore(cr);
    }
}

/* Pixel coordinates kept within cairo's fixed-point range. */
static double clampc(double v) { return fmax(-1e6, fmin(1e6, v)); }

static void draw_field(cairo_t *cr, const gdn_field *f, const layout *L)
{
    if (!f || f->nx < 1 || f->ny < 1 || L->logy)
        return;
    double dx = L->w / (double)f->nx, dy = L->h / (double)f->ny, big = 0;
    for (size_t k = 0; k < f->nx * f->ny; k++)
        big = fmax(big, hypot(f->u[k], f->v[k]));
    if (!(big > 0) || !isfinite(big))
        return;
    double len = 0.85 * fmin(dx, dy);
    /* pixels per data unit, to draw directions as in the data */
    double sx = L->w / (L->xhi - L->xlo), sy = L->h / (L->yhi - L->ylo);
    cairo_set_line_width(cr, 1);
    cairo_set_source_rgb(cr, 0.62, 0.62, 0.62);
    for (size_t j = 0; j < f->ny; j++)
        for (size_t i = 0; i < f->nx; i++) {
            double u = f->u[j * f->nx + i] * sx, v = f->v[j * f->nx + i] * sy;
            double m = hypot(u, v);
            if (!(m > 0) || !isfinite(m))
                continue;
            /* length grows with the speed, but every arrow stays visible */
            double mag = hypot(f->u[j * f->nx + i], f->v[j * f->nx + i]);
            double l = len * (0.35 + 0.65 * sqrt(mag / big));
            double cx = L->x0 + ((double)i + 0.5) * dx;
            double cy = L->y0 + L->h - ((double)j + 0.5) * dy;
            double ux = u / m, uy = -v / m;
            double x1 = cx - 0.5 * l * ux, y1 = cy - 0.5 * l * uy;
            double x2 = cx + 0.5 * l * ux, y2 = cy + 0.5 * l * uy;
            cairo_move_to(cr, x1, y1), cairo_line_to(cr, x2, y2);
            cairo_stroke(cr);
            double hl = fmin(4.5, 0.35 * l);
            cairo_move_to(cr, x2, y2);
            cairo_line_to(cr, x2 - hl * (ux * 0.866 - uy * 0.5),
                          y2 - hl * (uy * 0.866 + ux * 0.5));
            cairo_line_to(cr, x2 - hl * (ux * 0.866 + uy * 0.5),
                          y2 - hl * (uy * 0.866 - ux * 0.5));
            cairo_close_path(cr);
            cairo_fill(cr);
        }
}

/* Strokes the path built so far with line l's pen. */
static void stroke_line(cairo_t *cr, const gdn_line *l)
{
    cairo_set_line_width(cr, l->width > 0 ? l->width : 1.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    if (l->dashed) {
        double dash[2] = {6, 4};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* Colour runs of a by_index line: its points in BINS runs, one colour
 * each (runs share their end points, so the path stays joined). */
#define BINS 48
/* Lines of more points than this are decimated to the pixel grid. */
#define DECIMATE_ABOVE 4096

/* A pen that drops a point closer than a quarter pixel to the last one
 * drawn (when decimating). */
typedef struct pen {
    cairo_t *cr;
    int down, decimate;
    double kx, ky;
    const gdn_line *l;
    size_t segs;      /* segments in the path not yet stroked */
    int moved;        /* a segment was skipped: move to (kx, ky) first */
    uint64_t *seen;   /* segments drawn, by their ends' pixels (0: free) */
    size_t nseen;
} pen;

#define SEEN_BITS 18
#define SEEN_SIZE ((size_t)1 << SEEN_BITS)

/* Whether a segment joining the same two pixels (either way) was drawn
 * already, and records it: a path wound many times over itself is drawn
 * once per pixel pair.  No table (or a full one): never. */
static int pen_seen(pen *p, double x0, double y0, double x1, double y1)
{
    if (!p->seen || p->nseen > SEEN_SIZE / 2)
        return 0;
    uint64_t a = (uint64_t)(fmin(fmax(floor(x0), -16384), 49151) + 16384) << 16 |
                 (uint64_t)(fmin(fmax(floor(y0), -16384), 49151) + 16384);
    uint64_t b = (uint64_t)(fmin(fmax(floor(x1), -16384), 49151) + 16384) << 16 |
                 (uint64_t)(fmin(fmax(floor(y1), -16384), 49151) + 16384);
    uint64_t key = (a < b ? a << 32 | b : b << 32 | a) + 1;
    size_t h = (size_t)((key * 0x9E3779B97F4A7C15u) >> (64 - SEEN_BITS));
    while (p->seen[h]) {
        if (p->seen[h] == key)
            return 1;
        h = (h + 1) & (SEEN_SIZE - 1);
    }
    p->seen[h] = key, p->nseen++;
    return 0;
}

static void stroke_line(cairo_t *cr, const gdn_line *l);

/* Segments per stroke of a decimated line: cairo's stroker is superlinear
 * in the segments of one path that cross each other (a path wound a
 * thousand times round a circle), linear over many short strokes; with
 * round caps and joins the pieces join seamlessly. */
#define STROKE_SEGS 256

static void pen_to(pen *p, double x, double y)
{
    if (!p->down) {
        cairo_move_to(p->cr, x, y);
        p->down = 1;
    } else if (!p->decimate || fabs(x - p->kx) >= 0.25 ||
               fabs(y - p->ky) >= 0.25) {
        if (p->decimate && pen_seen(p, p->kx, p->ky, x, y)) {
            p->moved = 1;
            p->kx = x, p->ky = y;
            return;
        }
        if (p->moved)
            cairo_move_to(p->cr, p->kx, p->ky), p->moved = 0;
        cairo_line_to(p->cr, x, y);
        if (p->decimate && ++p->segs >= STROKE_SEGS) {
            stroke_line(p->cr, p->l);
            cairo_move_to(p->cr, x, y);
            p->segs = 0;
        }
    } else {
        return;
    }
    p->kx = x, p->ky = y;
}

/* One pixel column of a monotone line: its first, lowest, highest and
 * last points (index, x, y). */
typedef struct column {
    long c;
    size_t n;
    size_t i[4];
    double x[4], y[4];
} column;

static void column_flush(column *k, pen *p)
{
    for (size_t a = 0; a < k->n; a++) /* index order (at most 4) */
        for (size_t b = a + 1; b < k->n; b++)
            if (k->i[b] < k->i[a]) {
                size_t ti = k->i[a];
                double tx = k->x[a], ty = k->y[a];
                k->i[a] = k->i[b], k->x[a] = k->x[b], k->y[a] = k->y[b];
                k->i[b] = ti, k->x[b] = tx, k->y[b] = ty;
            }
    for (size_t a = 0; a < k->n; a++)
        if (a == 0 || k->i[a] != k->i[a - 1])
            pen_to(p, k->x[a], k->y[a]);
    k->n = 0;
}

/* Adds point i to the column (first, min, max, last slots). */
static void column_add(column *k, size_t i, double x, double y)
{
    if (k->n == 0) {
        for (int s = 0; s < 4; s++)
            k->i[s] = i, k->x[s] = x, k->y[s] = y;
        k->n = 4;
        return;
    }
    if (y > k->y[1]) /* screen y grows downwards: slot 1 is the highest */
        k->i[1] = i, k->x[1] = x, k->y[1] = y;
    if (y < k->y[2])
        k->i[2] = i, k->x[2] = x, k->y[2] = y;
    k->i[3] = i, k->x[3] = x, k->y[3] = y;
}

/* Draws the first count points of l.  Long lines (more than
 * DECIMATE_ABOVE points) are decimated to the pixel grid first, so that a
 * million samples draw in well under a second and look the same: along a
 * line whose x never decreases (a time series) each pixel column keeps
 * only its first, lowest, highest and last points, in their order; a
 * point closer than a quarter pixel to the last one drawn is dropped. */
static void draw_line(cairo_t *cr, const gdn_line *l, size_t count,
                      const layout *L)
{
    pen p = {cr, 0, count > DECIMATE_ABOVE, 0, 0, l, 0, 0, NULL, 0};
    int monotone = p.decimate && !l->by_index;
    double lastx = -INFINITY;
    for (size_t i = 0; i < count && monotone; i++) {
        double x = xget(l, i);
        if (isfinite(x)) {
            monotone = x >= lastx;
            lastx = x;
        }
    }
    if (p.decimate && !monotone) /* no memory: no deduplication */
        p.seen = calloc(SEEN_SIZE, sizeof *p.seen);
    column col = {LONG_MIN, 0, {0}, {0}, {0}};
    size_t per_bin = (count + BINS - 1) / BINS, bin = 0;
    double r, g, b;
    if (l->by_index) {
        seq_rgb(0, &r, &g, &b);
        cairo_set_source_rgb(cr, r, g, b);
    } else {
        set_color(cr, l->color, 1);
    }
    for (size_t i = 0; i < count; i++) {
        double y = ycoord(L->logy, yget(l, i)), x = xget(l, i);
        if (!isfinite(x) || !isfinite(y)) {
            if (monotone)
                column_flush(&col, &p);
            p.down = 0;
            continue;
        }
        double px = clampc(px_of(L, x)), py = clampc(py_of(L, y));
        if (monotone) {
            long c = (long)floor(px);
            if (col.n && c != col.c)
                column_flush(&col, &p);
            col.c = c;
            column_add(&col, i, px, py);
        } else {
            pen_to(&p, px, py);
        }
        if (l->by_index && per_bin && (i + 1) % per_bin == 0 &&
            i + 1 < count) { /* the next run in the next colour */
            if (p.moved)
                cairo_move_to(cr, p.kx, p.ky), p.moved = 0;
            cairo_line_to(cr, px, py); /* end exactly here */
            stroke_line(cr, l);
            if (p.seen) /* later runs are drawn over earlier ones */
                memset(p.seen, 0, SEEN_SIZE * sizeof *p.seen), p.nseen = 0;
            seq_rgb((double)++bin / (BINS - 1), &r, &g, &b);
            cairo_set_source_rgb(cr, r, g, b);
            cairo_move_to(cr, px, py);
            p.kx = px, p.ky = py;
        }
    }
    if (monotone)
        column_flush(&col, &p);
    stroke_line(cr, l);
    free(p.seen);
}

static void marker_path(cairo_t *cr, const gdn_marker *mk, double x, double y)
{
    double r = mk->radius > 0 ? mk->radius : 5;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * PI);
}

static void draw_marker(cairo_t *cr, const gdn_marker *mk, double x, double y)
{
    double r = mk->radius > 0 ? mk->radius : 5;
    if (mk->shape == GDN_MARK_CROSS) {
        set_color(cr, mk->color, 1);
        cairo_set_line_width(cr, 2);
        cairo_move_to(cr, x - r, y - r), cairo_line_to(cr, x + r, y + r);
        cairo_move_to(cr, x - r, y + r), cairo_line_to(cr, x + r, y - r);
        cairo_stroke(cr);
        return;
    }
    marker_path(cr, mk, x, y);
    if (mk->shape == GDN_MARK_DOT)
        set_color(cr, mk->color, 1);
    else
        cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    set_color(cr, mk->color, 1);
    cairo_set_line_width(cr, mk->shape == GDN_MARK_RING ? 2 : 1);
    cairo_stroke(cr);
}

static void draw_legend(cairo_t *cr, const gdn_panel *pn, const layout *L)
{
    size_t items = 0;
    double wmax = 0;
    cairo_text_extents_t te;
    cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    for (size_t k = 0; k < pn->nlines; k++)
        if (pn->lines[k].label) {
            cairo_text_extents(cr, pn->lines[k].label, &te);
            wmax = fmax(wmax, te.x_advance), items++;
        }
    for (size_t k = 0; k < pn->nmarkers; k++)
        if (pn->markers[k].label) {
            cairo_text_extents(cr, pn->markers[k].label, &te);
            wmax = fmax(wmax, te.x_advance), items++;
        }
    if (!pn->legend || items == 0)
        return;
    double rowh = 17, bw = wmax + 44, bh = (double)items * rowh + 8;
    /* the corner that covers the fewest data points (top right first) */
    double best_x = L->x0 + L->w - bw - 8, best_y = L->y0 + 8;
    size_t best = (size_t)-1;
    for (int corner = 0; corner < 4; corner++) {
        double bx = corner % 2 == 0 ? L->x0 + L->w - bw - 8 : L->x0 + 8;
        double by = corner < 2 ? L->y0 + 8 : L->y0 + L->h - bh - 8;
        size_t hits = 0;
        for (size_t k = 0; k < pn->nlines; k++) {
            const gdn_line *l = &pn->lines[k];
            size_t step = l->count > 4000 ? l->count / 4000 : 1;
            for (size_t i = 0; i < l->count; i += step) {
                double px = px_of(L, xget(l, i));
                double py = py_of(L, ycoord(L->logy, yget(l, i)));
                hits += px >= bx && px <= bx + bw && py >= by && py <= by + bh;
            }
        }
        for (size_t k = 0; k < pn->nmarkers; k++) {
            double px = px_of(L, pn->markers[k].x);
            double py = py_of(L, ycoord(L->logy, pn->markers[k].y));
            hits += 1000u * (size_t)(px >= bx - 6 && px <= bx + bw + 6 &&
                            py >= by - 6 && py <= by + bh + 6);
        }
        if (hits < best)
            best = hits, best_x = bx, best_y = by;
    }
    double bx = best_x, by = best_y;
    cairo_rectangle(cr, bx, by, bw, bh);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    double y = by + 4 + rowh / 2;
    for (size_t k = 0; k < pn->nlines; k++) {
        const gdn_line *l = &pn->lines[k];
        if (!l->label)
            continue;
        set_color(cr, l->color, 1);
        cairo_set_line_width(cr, l->width > 0 ? l->width : 1.6);
        if (l->dashed) {
            double dash[2] = {6, 4};
            cairo_set_dash(cr, dash, 2, 0);
        }
        if (l->by_index) { /* the palette, early to late */
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
            for (int q = 0; q < 6; q++) {
                double r, g, b;
                seq_rgb(q / 5.0, &r, &g, &b);
                cairo_set_source_rgb(cr, r, g, b);
                cairo_move_to(cr, bx + 6 + 4 * q, y);
                cairo_line_to(cr, bx + 10 + 4 * q, y);
                cairo_stroke(cr);
            }
        } else {
            cairo_move_to(cr, bx + 6, y), cairo_line_to(cr, bx + 30, y);
            cairo_stroke(cr);
        }
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, l->label, bx + 36, y, 0, 0.5, 11, 0);
        y += rowh;
    }
    for (size_t k = 0; k < pn->nmarkers; k++) {
        const gdn_marker *mk = &pn->markers[k];
        if (!mk->label)
            continue;
        gdn_marker small = *mk;
        small.radius = fmin(mk->radius > 0 ? mk->radius : 5, 5);
        draw_marker(cr, &small, bx + 18, y);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, mk->label, bx + 36, y, 0, 0.5, 11, 0);
        y += rowh;
    }
}

/* Draws the whole figure; frame < 0 draws every point, otherwise the
 * prefix of frame k of nframes. */
static void draw(cairo_t *cr, const gdn_figure *fig, int frame, int nframes)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
    if (fig->title) {
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        text_at(cr, fig->title, fig->width / 2.0, 9, 0.5, 0, 15, 1);
    }
    for (size_t p = 0; p < npanels(fig); p++) {
        const gdn_panel *pn = &fig->panels[p];
        layout L;
        layout_of(fig, p, &L);
        draw_axes(cr, pn, &L);
        cairo_save(cr);
        cairo_rectangle(cr, L.x0, L.y0, L.w, L.h);
        cairo_clip(cr);
        draw_heat(cr, pn->heat, &L);
        draw_field(cr, pn->field, &L);
        for (size_t k = 0; k < pn->nlines; k++) {
            const gdn_line *l = &pn->lines[k];
            size_t count = l->count;
            if (frame >= 0) {
                double c = ceil((double)l->count * (frame + 1) / nframes);
                count = (size_t)fmax(1, fmin(c, (double)l->count));
            }
            draw_line(cr, l, count, &L);
        }
        for (size_t k = 0; k < pn->nmarkers; k++) {
            const gdn_marker *mk = &pn->markers[k];
            double y = ycoord(L.logy, mk->y);
            if (isfinite(mk->x) && isfinite(y))
                draw_marker(cr, mk, px_of(&L, mk->x), py_of(&L, y));
        }
        if (frame >= 0 && pn->head_t && pn->nlines > 0) {
            /* the current point of line 0 and its time */
            const gdn_line *l = &pn->lines[0];
            double c = ceil((double)l->count * (frame + 1) / nframes);
            size_t i = (size_t)fmax(1, fmin(c, (double)l->count)) - 1;
            double hx = xget(l, i), hy = ycoord(L.logy, yget(l, i));
            if (isfinite(hx) && isfinite(hy)) {
                gdn_marker head = {.color = GDN_VERMILLION, .radius = 4.5,
                                   .shape = GDN_MARK_DOT};
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_arc(cr, px_of(&L, hx), py_of(&L, hy), 6.5, 0, 2 * PI);
                cairo_fill(cr);
                draw_marker(cr, &head, px_of(&L, hx), py_of(&L, hy));
            }
            char tb[64];
            snprintf(tb, sizeof tb, "%s = %.4g",
                     pn->head_name ? pn->head_name : "t", pn->head_t[i]);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            text_at(cr, tb, L.x0 + 8, L.y0 + L.h - 8, 0, 1, 12, 0);
        }
        cairo_restore(cr);
        if (pn->heat) {
            draw_colorbar(cr, pn->heat, &L);
            cairo_set_source_rgb(cr, 0.2, 0.2, 0.2); /* frame over the map */
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, floor(L.x0) + 0.5, floor(L.y0) + 0.5,
                            floor(L.w), floor(L.h));
            cairo_stroke(cr);
        }
        draw_legend(cr, pn, &L);
    }
}

/* cairo stream callback into an open gdn_ofile. */
static cairo_status_t to_file(void *closure, const unsigned char *data,
                              unsigned int length)
{
    FILE *fp = closure;
    return fwrite(data, 1, length, fp) == length ? CAIRO_STATUS_SUCCESS
                                                 : CAIRO_STATUS_WRITE_ERROR;
}

/* A growing memory buffer, for the SVG stream. */
typedef struct membuf {
    char *data;
    size_t len, cap;
    int failed;
} membuf;

static cairo_status_t to_mem(void *closure, const unsigned char *data,
                             unsigned int length)
{
    membuf *b = closure;
    if (b->len + length > b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 65536;
        while (cap < b->len + length)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        b->data = p, b->cap = cap;
    }
    memcpy(b->data + b->len, data, length);
    b->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* Writes an SVG with cairo's process-wide surface numbers ("surface6")
 * renumbered from 1 in order of appearance, so that the same figure gives
 * the same bytes however many figures the process drew before. */
static void write_svg(FILE *fp, const membuf *b, const svg_texts *tx)
{
    static const char key[] = "surface";
    long map_from[64], map_to[64];
    int nmap = 0;
    size_t i = 0, klen = sizeof key - 1, end = b->len;
    for (size_t k = b->len; k >= 6; k--) /* the texts go before </svg> */
        if (memcmp(b->data + k - 6, "</svg>", 6) == 0) {
            end = k - 6;
            break;
        }
    while (i < end) {
        if (b->len - i > klen && memcmp(b->data + i, key, klen) == 0 &&
            b->data[i + klen] >= '0' && b->data[i + klen] <= '9') {
            size_t j = i + klen;
            long v = 0;
            while (j < b->len && b->data[j] >= '0' && b->data[j] <= '9')
                v = v * 10 + (b->data[j++] - '0');
            int k;
            for (k = 0; k < nmap && map_from[k] != v; k++)
                ;
            if (k == nmap && nmap < 64)
                map_from[nmap] = v, map_to[nmap] = nmap + 1, nmap++;
            fprintf(fp, "%s%ld", key, k < nmap ? map_to[k] : v);
            i = j;
        } else {
            fputc(b->data[i++], fp);
        }
    }
    if (tx && tx->n) {
        fputs("<g font-family=\"DejaVu Sans\" xml:space=\"preserve\">\n",
              fp);
        for (size_t k = 0; k < tx->n; k++) {
            const svg_text *t = &tx->t[k];
            fprintf(fp, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%g\"%s "
                        "fill=\"#%02X%02X%02X\"",
                    t->x, t->y, t->size,
                    t->bold ? " font-weight=\"bold\"" : "",
                    (unsigned)lround(t->r * 255), (unsigned)lround(t->g * 255),
                    (unsigned)lround(t->b * 255));
            if (fabs(t->angle) > 1e-9)
                fprintf(fp, " transform=\"rotate(%.2f %.2f %.2f)\"",
                        t->angle, t->x, t->y);
            fputc('>', fp);
            for (const char *c = t->s; *c; c++)
                if (*c == '<')
                    fputs("&lt;", fp);
                else if (*c == '>')
                    fputs("&gt;", fp);
                else if (*c == '&')
                    fputs("&amp;", fp);
                else
                    fputc(*c, fp);
            fputs("</text>\n", fp);
        }
        fputs("</g>\n", fp);
    }
    fwrite(b->data + end, 1, b->len - end, fp);
}

int gdn_figure_write(const gdn_figure *fig, const char *path, gdn_error *err)
{
    int fmt = -1;
    if (gdn_figure_format(path, &fmt, err) || check_figure(fig, err))
        return GDN_EINVAL;
    if (fmt == GDN_FIG_GIF)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': a .gif is an animation (use "
                             "gdn_figure_write_gif)", path);
    gdn_ofile f;
    if (gdn_ofile_open(&f, path, err))
        return GDN_EIO;
    cairo_surface_t *s;
    membuf svg = {0};
    double sc = fig->scale > 0 ? fig->scale : 1;
    if (fmt != GDN_FIG_PNG)
        sc = 1; /* vector output: the same at any scale */
    if (fmt == GDN_FIG_PNG)
        s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                       (int)lround(fig->width * sc),
                                       (int)lround(fig->height * sc));
    else if (fmt == GDN_FIG_SVG)
        s = cairo_svg_surface_create_for_stream(to_mem, &svg, fig->width,
                                                fig->height);
    else {
        s = cairo_pdf_surface_create_for_stream(to_file, f.fp, fig->width,
                                                fig->height);
        /* fixed dates: the same figure gives the same bytes */
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                       "2019-05-03T00:00:00");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE,
                                       "2019-05-03T00:00:00");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
                                       "gandyn");
    }
    cairo_t *cr = cairo_create(s);
    svg_texts texts = {NULL, 0, 0, 0};
    if (fmt == GDN_FIG_SVG)
        cairo_set_user_data(cr, &svg_key, &texts, NULL);
    if (sc != 1)
        cairo_scale(cr, sc, sc);
    draw(cr, fig, -1, 1);
    cairo_destroy(cr);
    cairo_status_t st;
    if (fmt == GDN_FIG_PNG) {
        st = cairo_surface_write_to_png_stream(s, to_file, f.fp);
        cairo_surface_destroy(s);
    } else {
        cairo_surface_finish(s);
        st = cairo_surface_status(s);
        cairo_surface_destroy(s);
    }
    if (texts.failed && st == CAIRO_STATUS_SUCCESS)
        st = CAIRO_STATUS_NO_MEMORY;
    if (st == CAIRO_STATUS_SUCCESS && fmt == GDN_FIG_SVG)
        write_svg(f.fp, &svg, &texts);
    free(svg.data);
    for (size_t k = 0; k < texts.n; k++)
        free(texts.t[k].s);
    free(texts.t);
    if (st != CAIRO_STATUS_SUCCESS) {
        gdn_ofile_abort(&f);
        return gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", path,
                             cairo_status_to_string(st));
    }
    return gdn_ofile_commit(&f, err) ? GDN_EIO : GDN_OK;
}

int gdn_figure_write_gif(const gdn_figure *fig, const gdn_anim *anim,
                         const char *path, gdn_error *err)
{
    int fmt = -1;
    if (gdn_figure_format(path, &fmt, err) || check_figure(fig, err))
        return GDN_EINVAL;
    if (fmt != GDN_FIG_GIF)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s': an animation needs a .gif file", path);
    if (anim->nframes < 2 || anim->nframes > 1000 || anim->delay_cs < 1 ||
        anim->delay_cs > 1000 || anim->hold_cs < 0 || anim->hold_cs > 10000)
        return gdn_error_set(err, GDN_EINVAL,
                             "animation: %d frames of %d cs (accepted: 2 to "
                             "1000 frames, 1 to 1000 cs each)",
                             anim->nframes, anim->delay_cs);
    /* a palette of the colours the figure uses, shaded towards white */
    unsigned int used[GDN_NCOLORS + 6], pal[256];
    int nused = 0, by_index = 0;
    for (int c = 0; c < GDN_NCOLORS; c++)
        if (c != GDN_BLACK && c != GDN_GREY)
            used[nused++] = gdn_color_rgb(c);
    for (size_t p = 0; p < npanels(fig); p++)
        for (size_t k = 0; k < fig->panels[p].nlines; k++)
            by_index |= fig->panels[p].lines[k].by_index;
    for (int q = 0; by_index && q < 6; q++) { /* the time palette's stops */
        double r, g, b;
        seq_rgb(q / 5.0, &r, &g, &b);
        used[nused++] = (unsigned)lround(r * 255) << 16 |
                        (unsigned)lround(g * 255) << 8 |
                        (unsigned)lround(b * 255);
    }
    int npal = gdn_gif_palette_for(used, nused, pal, 256);
    double sc = fig->scale > 0 ? fig->scale : 1;
    int gw = (int)lround(fig->width * sc), gh = (int)lround(fig->height * sc);
    gdn_gif *g = gdn_gif_open(path, gw, gh, anim->delay_cs, 1, pal, npal,
                              err);
    if (!g)
        return err ? err->code : GDN_EIO;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, gw,
                                                    gh);
    int rc = GDN_OK;
    /* the last frame is repeated to hold the finished picture */
    int hold = anim->hold_cs / anim->delay_cs;
    for (int k = 0; k < anim->nframes + hold && rc == GDN_OK; k++) {
        if (k < anim->nframes) {
            cairo_t *cr = cairo_create(s);
            if (sc != 1)
                cairo_scale(cr, sc, sc);
            draw(cr, fig, k, anim->nframes);
            cairo_destroy(cr);
            cairo_surface_flush(s);
        }
        rc = gdn_gif_add_frame(g, cairo_image_surface_get_data(s),
                               cairo_image_surface_get_stride(s), err);
    }
    cairo_surface_destroy(s);
    if (rc != GDN_OK) {
        gdn_gif_abort(g);
        return rc;
    }
    return gdn_gif_close(g, err);
}
