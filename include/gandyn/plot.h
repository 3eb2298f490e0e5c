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

#ifdef __cplusplus
extern "C" {
#endif

/* Okabe-Ito colours, then greys. */
enum {
    GDN_BLUE, GDN_ORANGE, GDN_GREEN, GDN_VERMILLION, GDN_PURPLE, GDN_SKY,
    GDN_YELLOW, GDN_BLACK, GDN_GREY, GDN_NCOLORS
};
/* 0xRRGGBB of a colour index. */
unsigned int gdn_color_rgb(int color);

/* A polyline: point i is (x[i * xstride], y[i * ystride]). */
typedef struct gdn_line {
    const double *x, *y;    /* data (not copied) */
    size_t count;           /* points */
    size_t xstride, ystride; /* in doubles; 0 means 1 */
    int color;              /* GDN_BLUE, ... */
    double width;           /* pixels; 0 means 1.6 */
    int dashed;             /* 1: dashed */
    const char *label;      /* legend entry, or NULL */
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
} gdn_panel;

/* A figure: rows x cols panels (small multiples), filled row by row. */
typedef struct gdn_figure {
    int width, height;      /* pixels (points for SVG and PDF) */
    const char *title;      /* over all panels, or NULL */
    size_t rows, cols;
    size_t npanels;         /* panels drawn, row by row; 0 means rows * cols */
    const gdn_panel *panels; /* npanels of them */
    int share_x, share_y;   /* one range for all panels on that axis */
} gdn_figure;

/* Figure formats. */
enum { GDN_FIG_PNG = 0, GDN_FIG_SVG = 1, GDN_FIG_PDF = 2, GDN_FIG_GIF = 3 };

/* Format from the extension (.png .svg .pdf .gif); GDN_EINVAL naming the
 * accepted ones otherwise. */
int gdn_figure_format(const char *path, int *fmt, gdn_error *err);

/* Draws fig into path (.png, .svg or .pdf), atomically.  GDN_EINVAL for a
 * figure that cannot be drawn (no panels, sizes out of 64..8192, a .gif
 * path), GDN_EIO when the file cannot be written. */
int gdn_figure_write(const gdn_figure *fig, const char *path, gdn_error *err);

/* Animation: frame k of nframes draws the first ceil(count (k+1)/nframes)
 * points of every line (markers and field always), delay_cs hundredths of
 * a second per frame; the finished picture is then held about hold_cs more
 * (repeated 1x1 frames of delay_cs each); loops forever. */
typedef struct gdn_anim {
    int nframes;  /* 2..1000 */
    int delay_cs; /* 1..1000 */
    int hold_cs;  /* delay of the last frame */
} gdn_anim;

int gdn_figure_write_gif(const gdn_figure *fig, const gdn_anim *anim,
                         const char *path, gdn_error *err);

/* Where data point (x, y) of panel p is drawn, in pixels from the top-left
 * corner (the same layout gdn_figure_write uses).  GDN_EINVAL if p is out of
 * range. */
int gdn_figure_map(const gdn_figure *fig, size_t p, double x, double y,
                   double *px, double *py);

/* ------------------------------------------------ figures of trajectories */

#include "gandyn/system.h"
#include "gandyn/traj.h"

/* Kinds of trajectory figure. */
#define GDN_PLOT_KINDS(X)                                                    \
    X(THETA, "theta", "the generator's path in the (θ₁, θ₂) plane, EMAs "   \
                      "overlaid, the equilibrium as a red dot (n >= 2)")     \
    X(PHASE, "phase", "the (θ, φ) plane of a 1-D run over the vector field") \
    X(SERIES, "series", "|θ|, |φ|, E and Γ against time or step")

enum {
#define GDN_PLOT_KIND_ENUM_(name, text, about) GDN_PLOT_##name,
    GDN_PLOT_KINDS(GDN_PLOT_KIND_ENUM_)
#undef GDN_PLOT_KIND_ENUM_
    GDN_PLOT_NKINDS
};

const char *gdn_plot_kind_name(int kind);
const char *gdn_plot_kind_about(int kind);
/* Kind by name; -1 if unknown. */
int gdn_plot_kind_find(const char *name);

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
} gdn_plot_opts;

void gdn_plot_opts_init(gdn_plot_opts *o);

/* Draws count trajectories (small multiples when count > 1, sharing their
 * axes, titles[i] over each) into path; .gif animates the paths growing.
 * GDN_EINVAL for a kind that does not fit (theta in 1-D, phase in n > 1,
 * series as .gif, empty trajectories), GDN_EIO when it cannot be written. */
int gdn_plot_trajs(const gdn_traj *const *trs, const char *const *titles,
                   size_t count, const gdn_plot_opts *o, const char *path,
                   gdn_error *err);

/* Fills fig (and the storage it points into, owned by *store) for the same
 * figure, without drawing it: for tests that need gdn_figure_map. */
typedef struct gdn_plot_store gdn_plot_store;
int gdn_plot_build(const gdn_traj *const *trs, const char *const *titles,
                   size_t count, const gdn_plot_opts *o, int animated,
                   gdn_figure *fig, gdn_plot_store **store, gdn_error *err);
void gdn_plot_store_free(gdn_plot_store *store);

#ifdef __cplusplus
}
#endif
#endif
