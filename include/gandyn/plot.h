/*
 * gandyn/plot.h - figures: line plots on one or more panels, drawn with
 * cairo into PNG, SVG or PDF (by the file's extension), or animated as GIF.
 *
 * A figure is plain data the caller fills (panels holding lines, markers
 * and an optional vector field) and gdn_figure_write draws it.  Output is
 * deterministic: one font (DejaVu Sans), no timestamps (PDF dates fixed),
 * so the same figure gives the same bytes.  Colours are Okabe and Ito's
 * colour-blind-safe palette.
 */
#ifndef GANDYN_PLOT_H
#define GANDYN_PLOT_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Okabe-Ito colours, then greys. */
enum {
    GDN_BLUE, GDN_ORANGE, GDN_GREEN, GDN_VERMILLION, GDN_PURPLE, GDN_SKY,
    GDN_YELLOW, GDN_BLACK, GDN_GREY, GDN_NCOLORS
};
/* 0xRRGGBB of a colour index. */
GDN_API unsigned int gdn_color_rgb(int color);

/* A polyline: point i is (x[i * xstride], y[i * ystride]). */
typedef struct gdn_line {
    const double *x, *y;    /* data (not copied) */
    size_t count;           /* points */
    size_t xstride, ystride; /* in doubles; 0 means 1 */
    int color;              /* GDN_BLUE, ... */
    double width;           /* pixels; 0 means 1.6 */
    int dashed;             /* 1: dashed */
    const char *label;      /* legend entry, or NULL */
    int by_index;           /* 1: coloured along its points from dark
                               (first) to light (last), a sequential
                               palette, instead of color: time on a path */
} gdn_line;

enum { GDN_MARK_DOT = 0, GDN_MARK_RING = 1, GDN_MARK_CROSS = 2 };

/* A marker at a data point. */
typedef struct gdn_marker {
    double x, y;
    int color;
    double radius;     /* pixels; 0 means 5 */
    int shape;         /* GDN_MARK_* */
    const char *label; /* legend entry, or NULL */
} gdn_marker;

/* Arrows of a vector field on a regular grid over the panel's ranges. */
typedef struct gdn_field {
    size_t nx, ny;       /* grid size */
    const double *u, *v; /* nx * ny components, row-major, v[j * nx + i] */
} gdn_field;

/* Cells coloured by value over the panel's ranges (a scan's map): a
 * diverging blue-white-red scale, white at center, full colour at
 * center +- span; NaN cells grey.  A colour bar is drawn beside. */
typedef struct gdn_heatmap {
    size_t nx, ny;      /* cells */
    const double *v;    /* ny * nx, v[j * nx + i], row j = 0 at the bottom */
    double center;      /* the value drawn white */
    double span;        /* distance from center at full colour; 0: from data */
    const char *label;  /* the colour bar's label */
    const unsigned int *palette; /* categories instead: value k drawn in
                                    palette[k] (0xRRGGBB), named names[k] */
    size_t npalette;
    const char *const *names;
    int seq_log;        /* continuous values on a sequential palette over
                           log10 of the positive values (colour bar in
                           decades); other cells are masked */
    const unsigned char *mask; /* or NULL: cells (same layout as v) drawn
                                  grey and left out of the scale */
    const char *mask_name;     /* what a grey cell means ("diverged") */
} gdn_heatmap;

/* One set of axes. */
typedef struct gdn_panel {
    const char *title;     /* or NULL */
    const char *xlabel;    /* UTF-8: "θ₁" */
    const char *ylabel;
    double xmin, xmax;     /* NaN: from the data (with 5% margins) */
    double ymin, ymax;
    int equal;             /* one data unit the same length on both axes */
    int logy;              /* logarithmic y axis (values <= 0 skipped) */
    int legend;            /* draw a legend of the labelled items */
    size_t nlines;
    const gdn_line *lines;
    size_t nmarkers;
    const gdn_marker *markers; /* drawn over the lines */
    const gdn_field *field;    /* drawn under the lines, or NULL */
    const gdn_heatmap *heat;   /* drawn under everything, or NULL */
    const double *head_t;      /* animations: each frame marks the last
                                  point drawn of line 0 and prints
                                  "t = head_t[i]" (NULL: none) */
    const char *head_name;     /* "t" or "step" */
} gdn_panel;

/* A figure: rows x cols panels (small multiples), filled row by row. */
typedef struct gdn_figure {
    int width, height;      /* pixels (points for SVG and PDF) */
    const char *title;      /* over all panels, or NULL */
    size_t rows, cols;
    size_t npanels;         /* panels drawn, row by row; 0 means rows * cols */
    const gdn_panel *panels; /* npanels of them */
    int share_x, share_y;   /* one range for all panels on that axis */
    double scale;           /* PNG and GIF: pixels per unit of width and
                               height (0 means 1; 2 for print); SVG and
                               PDF are vector and unchanged */
} gdn_figure;

/* Figure formats. */
enum { GDN_FIG_PNG = 0, GDN_FIG_SVG = 1, GDN_FIG_PDF = 2, GDN_FIG_GIF = 3 };

/* Format from the extension (.png .svg .pdf .gif); GDN_EINVAL naming the
 * accepted ones otherwise. */
GDN_API int gdn_figure_format(const char *path, int *fmt, gdn_error *err);

/* Draws fig into path (.png, .svg or .pdf), atomically.  GDN_EINVAL for a
 * figure that cannot be drawn (no panels, sizes out of 64..8192, a .gif
 * path), GDN_EIO when the file cannot be written. */
GDN_API int gdn_figure_write(const gdn_figure *fig, const char *path, gdn_error *err);

/* Animation: frame k of nframes draws the first ceil(count (k+1)/nframes)
 * points of every line (markers and field always), delay_cs hundredths of
 * a second per frame; the finished picture is then held about hold_cs more
 * (repeated 1x1 frames of delay_cs each); loops forever. */
typedef struct gdn_anim {
    int nframes;  /* 2..1000 */
    int delay_cs; /* 1..1000 */
    int hold_cs;  /* delay of the last frame */
} gdn_anim;

GDN_API int gdn_figure_write_gif(const gdn_figure *fig, const gdn_anim *anim,
                                 const char *path, gdn_error *err);

/* Where data point (x, y) of panel p is drawn, in pixels from the top-left
 * corner (the same layout gdn_figure_write uses).  GDN_EINVAL if p is out of
 * range. */
GDN_API int gdn_figure_map(const gdn_figure *fig, size_t p, double x, double y,
                           double *px, double *py);

/* ------------------------------------------------ figures of trajectories */

#include "gandyn/system.h"
#include "gandyn/traj.h"

/* Kinds of trajectory figure. */
#define GDN_PLOT_KINDS(X)                                                    \
    X(THETA, "theta", "the generator's path in the (θ₁, θ₂) plane, EMAs "   \
                      "overlaid, the equilibrium as a red dot (n >= 2)")     \
    X(PHASE, "phase", "the (θ, φ) plane of a 1-D run over the vector field") \
    X(SERIES, "series", "|θ|, |φ|, E and Γ's relative drift (Γ - Γ0)/Γ0 "  \
                        "against time or step, one panel each")              \
    X(DISTANCE, "distance", "the distance |x| of the iterate and of every "  \
                            "average to the equilibrium against time")

enum {
#define GDN_PLOT_KIND_ENUM_(name, text, about) GDN_PLOT_##name,
    GDN_PLOT_KINDS(GDN_PLOT_KIND_ENUM_)
#undef GDN_PLOT_KIND_ENUM_
    GDN_PLOT_NKINDS
};

GDN_API const char *gdn_plot_kind_name(int kind);
GDN_API const char *gdn_plot_kind_about(int kind);
/* Kind by name; -1 if unknown. */
GDN_API int gdn_plot_kind_find(const char *name);

typedef struct gdn_plot_opts {
    int kind;                /* GDN_PLOT_*, or -1: theta (n >= 2), phase (1-D) */
    int width, height;       /* pixels; 0: per panel 640 x 640 (.gif 480 x
                                480, series 800 x 480; several panels:
                                420 x 420, series 480 x 480) */
    const char *title;       /* or NULL */
    int logy;                /* series: log scale */
    const char *const *group_names; /* names of the first trajectory's
                                        average groups, or NULL */
    const char *const *const *group_names_of; /* per trajectory (overrides
                                                 group_names), or NULL */
    const gdn_system *sys;   /* phase: the field under the path (or NULL) */
    gdn_anim anim;           /* .gif: nframes 0 means 60 frames of 8 cs */
    int own_axes;            /* small multiples: each panel its own ranges
                                (default: shared, to compare) */
    int cols;                /* small multiples per row (0: 1 to 3) */
    int by_time;             /* theta, phase: colour the path by time */
    int circle;              /* theta: the circle |θ| = Γ0^(1/4) dashed, where
                                a flow that conserves Γ and dissipates E
                                settles (nsgan, gan-qp) */
    double scale;            /* PNG, GIF: pixel scale (0: 1) */
} gdn_plot_opts;

GDN_API void gdn_plot_opts_init(gdn_plot_opts *o);

/* Draws count trajectories (small multiples when count > 1, sharing their
 * axes, titles[i] over each) into path; .gif animates the paths growing.
 * GDN_EINVAL for a kind that does not fit (theta in 1-D, phase in n > 1,
 * series as .gif, empty trajectories), GDN_EIO when it cannot be written. */
GDN_API int gdn_plot_trajs(const gdn_traj *const *trs, const char *const *titles,
                           size_t count, const gdn_plot_opts *o, const char *path,
                           gdn_error *err);

/* Fills fig (and the storage it points into, owned by *store) for the same
 * figure, without drawing it: for tests that need gdn_figure_map. */
typedef struct gdn_plot_store gdn_plot_store;
GDN_API int gdn_plot_build(const gdn_traj *const *trs, const char *const *titles,
                           size_t count, const gdn_plot_opts *o, int animated,
                           gdn_figure *fig, gdn_plot_store **store, gdn_error *err);
GDN_API void gdn_plot_store_free(gdn_plot_store *store);

/* ------------------------------------- figures of analyses and of sweeps */

#include "gandyn/stability.h"
#include "gandyn/sweep.h"

/* An axis name as a symbol: "opt.lr" -> "η", "lr_d" -> "η_D", "gamma" ->
 * "γ", "model.lambda" -> "λ", "beta" -> "β", "sigma" -> "σ", "theta1" ->
 * "θ₁", "phi2" -> "φ₂"; other names unchanged, without their "opt." /
 * "model." / "reg." qualifier.  logscale prefixes "log₁₀ ". */
GDN_API void gdn_plot_symbol(const char *name, int logscale, char *buf, size_t size);

/* Eigenvalues in the complex plane: the imaginary axis (flow) or the unit
 * circle (a step), zoomed to the eigenvalues and the part of the axis or
 * circle near them.  title NULL: "eigenvalues of the flow" / "... of one
 * step".  width 0: 560.  GDN_EINVAL for no eigenvalues. */
GDN_API int gdn_plot_eigs(const gdn_stability *st, const char *title, int width,
                          double scale, const char *path, gdn_error *err);

/* A sweep over one or two grid axes: a line, or a map, of one record
 * field (v: gdn_sweep_count values in the sweep's order; labels the label
 * field, for the mask).  The label map lists only the labels present;
 * another field is drawn on a sequential log10 scale, diverged and
 * undefined points masked grey.  boundary: the boundary of linear
 * stability (as 'gandyn analyze' finds it) along axis 0 for each value of
 * axis 1, dashed (two axes, both parameters). title NULL: a default. */
typedef struct gdn_sweep_plot {
    const char *title;
    int boundary;
    double scale;
} gdn_sweep_plot;

GDN_API int gdn_plot_sweep(const gdn_sweep *sw, const double *v,
                           const double *labels, size_t field,
                           const gdn_sweep_plot *o, const char *path, gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
