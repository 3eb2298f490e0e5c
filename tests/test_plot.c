/*
 * test_plot.c - figures (gandyn/plot.h) read back and measured: PNGs decoded
 * with cairo, GIFs with giflib's DGifSlurp, SVGs parsed as XML, PDFs and all
 * formats compared across two writes.  Positions come from gdn_figure_map,
 * colours from the palette the header documents (Okabe-Ito); nothing is
 * compared with bytes the program wrote before.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cairo.h>
#include <cmocka.h>
#include <gif_lib.h>

#include "gandyn/error.h"
#include "gandyn/model.h"
#include "gandyn/plot.h"
#include "gandyn/run.h"
#include "gandyn/system.h"
#include "gandyn/traj.h"

#define TMPDIR_TAG "plot"
#include "tmpdir.h"

#define RGB_WHITE 0xFFFFFFu
#define RGB_BLUE 0x0072B2u       /* GDN_BLUE */
#define RGB_VERMILLION 0xD55E00u /* GDN_VERMILLION */

/* ------------------------------------------------------------- fixture */

static void path_in(char *buf, size_t size, const fixture *f,
                    const char *name)
{
    snprintf(buf, size, "%s/%s", f->dir, name);
}

/* The whole file; NULL-terminated for string searches. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap + 1);
    assert_non_null(buf);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap + 1);
        assert_non_null(buf);
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static const unsigned char *mem_find(const unsigned char *hay, size_t n,
                                     const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; m <= n && i <= n - m; i++)
        if (memcmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

/* Whether two files hold the same bytes (at least minlen of them); on a
 * difference, why, in msg. */
static int same_file(const char *a, const char *b, size_t minlen, char *msg,
                     size_t size)
{
    size_t la, lb;
    unsigned char *ba = slurp(a, &la), *bb = slurp(b, &lb);
    int same = 1;
    if (la < minlen) {
        snprintf(msg, size, "'%s': %zu bytes, expected at least %zu", a, la,
                 minlen);
        same = 0;
    } else if (la != lb) {
        snprintf(msg, size, "'%s' has %zu bytes, '%s' %zu", a, la, b, lb);
        same = 0;
    } else {
        for (size_t i = 0; i < la && same; i++)
            if (ba[i] != bb[i]) {
                snprintf(msg, size, "'%s' and '%s' differ at byte %zu", a, b,
                         i);
                same = 0;
            }
    }
    free(ba);
    free(bb);
    return same;
}

static void assert_same_file(const char *a, const char *b, size_t minlen)
{
    char msg[1200];
    if (!same_file(a, b, minlen, msg, sizeof msg))
        fail_msg("not byte-identical: %s", msg);
}

/* ------------------------------------------------------------- pixels */

typedef struct image {
    int w, h;
    unsigned int *rgb; /* w * h, 0xRRGGBB composed over white */
} image;

static void image_free(image *im)
{
    free(im->rgb);
    im->rgb = NULL;
}

static void load_png(const char *path, image *im)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        fail_msg("'%s': %s", path,
                 cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_flush(s);
    cairo_format_t fmt = cairo_image_surface_get_format(s);
    assert_true(fmt == CAIRO_FORMAT_ARGB32 || fmt == CAIRO_FORMAT_RGB24);
    im->w = cairo_image_surface_get_width(s);
    im->h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    im->rgb = malloc((size_t)im->w * (size_t)im->h * sizeof *im->rgb);
    assert_non_null(im->rgb);
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->w; x++) {
            uint32_t v;
            memcpy(&v, data + (size_t)y * (size_t)stride + 4 * (size_t)x, 4);
            unsigned int a = fmt == CAIRO_FORMAT_RGB24 ? 255u : v >> 24;
            unsigned int out = 0;
            for (int c = 0; c < 3; c++) { /* premultiplied, over white */
                unsigned int ch = (v >> (16 - 8 * c)) & 0xffu;
                ch += 255u - a;
                out |= (ch > 255u ? 255u : ch) << (16 - 8 * c);
            }
            im->rgb[(size_t)y * (size_t)im->w + (size_t)x] = out;
        }
    cairo_surface_destroy(s);
}

static unsigned int px(const image *im, int x, int y)
{
    if (x < 0 || y < 0 || x >= im->w || y >= im->h)
        fail_msg("pixel (%d,%d) outside the %dx%d image", x, y, im->w,
                 im->h);
    return im->rgb[(size_t)y * (size_t)im->w + (size_t)x];
}

/* Largest difference of one channel. */
static int cdist(unsigned int a, unsigned int b)
{
    int d = 0;
    for (int c = 0; c < 3; c++) {
        int e = (int)((a >> (8 * c)) & 0xffu) - (int)((b >> (8 * c)) & 0xffu);
        if (e < 0)
            e = -e;
        if (e > d)
            d = e;
    }
    return d;
}

/* The pixel that holds the point (x, y) of pixel space. */
static int pix(double v) { return (int)floor(v); }

/* Whether some pixel within r of (x, y) (a square) is within tol of c. */
static int near_color(const image *im, int x, int y, int r, unsigned int c,
                      int tol)
{
    for (int j = y - r; j <= y + r; j++)
        for (int i = x - r; i <= x + r; i++)
            if (i >= 0 && j >= 0 && i < im->w && j < im->h &&
                cdist(px(im, i, j), c) <= tol)
                return 1;
    return 0;
}

/* White, or a light neutral grey (the grid). */
static int is_background(unsigned int c)
{
    unsigned int r = c >> 16 & 0xffu, g = c >> 8 & 0xffu, b = c & 0xffu;
    return r == g && g == b && r >= 0xD8u;
}

static long count_non_white(const image *im, int x0, int y0, int x1, int y1)
{
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            n += px(im, x, y) != RGB_WHITE;
    return n;
}

static size_t count_colors(const image *im)
{
    size_t n = (size_t)im->w * (size_t)im->h, distinct = 0;
    unsigned int *c = malloc(n * sizeof *c);
    assert_non_null(c);
    memcpy(c, im->rgb, n * sizeof *c);
    /* a small insertion-free count: sort then count runs */
    for (size_t gap = n / 2; gap > 0; gap /= 2) /* shell sort */
        for (size_t i = gap; i < n; i++)
            for (size_t j = i; j >= gap && c[j - gap] > c[j]; j -= gap) {
                unsigned int t = c[j];
                c[j] = c[j - gap];
                c[j - gap] = t;
            }
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || c[i] != c[i - 1];
    free(c);
    return distinct;
}

/* ------------------------------------------------------ a hand-made figure */

/* A line through known points, an equilibrium dot at (0, 0), fixed ranges
 * so that the plot area's corners are known data points. */
static const double LX[5] = {-2, -1, 0.5, 2, 4}; /* the last beyond XMAX */
static const double LY[5] = {1, 2, 1.5, -1, -1};
#define XMIN (-3.0)
#define XMAX 3.0
#define YMIN (-2.0)
#define YMAX 3.0

typedef struct handmade {
    gdn_line line;
    gdn_marker mark;
    gdn_panel panel;
    gdn_figure fig;
} handmade;

static void handmade_init(handmade *h, int width, int height, int labels)
{
    memset(h, 0, sizeof *h);
    h->line = (gdn_line){.x = LX, .y = LY, .count = 5, .color = GDN_BLUE,
                         .width = 3, .label = "line"};
    h->mark = (gdn_marker){.x = 0, .y = 0, .color = GDN_VERMILLION,
                           .radius = 5.5, .shape = GDN_MARK_DOT,
                           .label = "equilibrium"};
    h->panel = (gdn_panel){.xlabel = labels ? "θ₁ label" : NULL,
                           .ylabel = labels ? "θ₂ label" : NULL,
                           .xmin = XMIN, .xmax = XMAX, .ymin = YMIN,
                           .ymax = YMAX, .nlines = 1, .lines = &h->line,
                           .nmarkers = 1, .markers = &h->mark};
    h->fig = (gdn_figure){.width = width, .height = height, .rows = 1,
                          .cols = 1, .panels = &h->panel};
}

static void map(const gdn_figure *fig, size_t p, double x, double y,
                double *mx, double *my)
{
    assert_int_equal(gdn_figure_map(fig, p, x, y, mx, my), GDN_OK);
    assert_true(isfinite(*mx) && isfinite(*my));
}

static void write_ok(const gdn_figure *fig, const char *path)
{
    gdn_error err;
    gdn_error_clear(&err);
    int rc = gdn_figure_write(fig, path, &err);
    if (rc != GDN_OK)
        fail_msg("gdn_figure_write('%s'): %d %s", path, rc, err.msg);
}

/* --------------------------------------------------------------- tests */

static void test_palette(void **state)
{
    (void)state;
    assert_int_equal(gdn_color_rgb(GDN_BLUE), RGB_BLUE);
    assert_int_equal(gdn_color_rgb(GDN_VERMILLION), RGB_VERMILLION);
    assert_int_equal(gdn_color_rgb(GDN_ORANGE), 0xE69F00u);
    assert_int_equal(gdn_color_rgb(GDN_BLACK), 0x000000u);
    assert_int_equal(gdn_plot_kind_find("theta"), GDN_PLOT_THETA);
    assert_int_equal(gdn_plot_kind_find("phase"), GDN_PLOT_PHASE);
    assert_int_equal(gdn_plot_kind_find("series"), GDN_PLOT_SERIES);
    assert_int_equal(gdn_plot_kind_find("thetas"), -1);
    assert_string_equal(gdn_plot_kind_name(GDN_PLOT_SERIES), "series");
}

/* A PNG of the requested size: not blank, the dot where (0, 0) maps, the
 * line where its segments map, white far from everything. */
static void test_png_handmade(void **state)
{
    fixture *f = *state;
    char path[512];
    handmade h;
    handmade_init(&h, 500, 400, 1);
    path_in(path, sizeof path, f, "h.png");
    write_ok(&h.fig, path);
    int tmps;
    assert_int_equal(count_entries(f->dir, &tmps), 1);
    assert_int_equal(tmps, 0);

    image im;
    load_png(path, &im);
    assert_int_equal(im.w, 500);
    assert_int_equal(im.h, 400);
    long nonwhite = count_non_white(&im, 0, 0, im.w, im.h);
    if (nonwhite < 2000)
        fail_msg("only %ld non-white pixels: the figure is nearly blank",
                 nonwhite);
    size_t ncol = count_colors(&im);
    if (ncol < 8)
        fail_msg("only %zu distinct colours", ncol);

    double ex, ey;
    map(&h.fig, 0, 0, 0, &ex, &ey);
    assert_true(ex > 0 && ex < 500 && ey > 0 && ey < 400);
    unsigned int c = px(&im, pix(ex), pix(ey));
    if (cdist(c, RGB_VERMILLION) > 6)
        fail_msg("pixel at (0,0) -> (%.1f,%.1f) is %06X, expected the "
                 "vermillion %06X", ex, ey, c, RGB_VERMILLION);

    /* along each segment inside the ranges, away from the dot */
    for (int k = 0; k + 1 < 4; k++) {
        double ax, ay, bx, by;
        map(&h.fig, 0, LX[k], LY[k], &ax, &ay);
        map(&h.fig, 0, LX[k + 1], LY[k + 1], &bx, &by);
        for (int s = 1; s < 8; s++) {
            double t = s / 8.0, x = ax + t * (bx - ax), y = ay + t * (by - ay);
            if (hypot(x - ex, y - ey) < 12)
                continue;
            c = px(&im, pix(x), pix(y));
            if (cdist(c, RGB_BLUE) > 24)
                fail_msg("segment %d at t = %.3f, pixel (%.1f,%.1f): %06X, "
                         "expected the line's blue %06X", k, t, x, y, c,
                         RGB_BLUE);
        }
    }
    /* far from every drawn item, inside the plot area */
    static const double far[][2] = {{-2.6, -1.6}, {1.2, -1.7}, {-2.5, 2.7}};
    for (size_t k = 0; k < sizeof far / sizeof far[0]; k++) {
        double x, y;
        map(&h.fig, 0, far[k][0], far[k][1], &x, &y);
        c = px(&im, pix(x), pix(y));
        if (!is_background(c))
            fail_msg("pixel far from the data (%g,%g) -> (%.1f,%.1f) is "
                     "%06X, expected white or light grey", far[k][0],
                     far[k][1], x, y, c);
    }
    /* the last segment leaves the plot area at XMAX: drawn up to the
     * frame, clipped beyond it (the right margin is white) */
    double lx, ly;
    map(&h.fig, 0, 2.5, -1, &lx, &ly);
    c = px(&im, pix(lx), pix(ly));
    if (cdist(c, RGB_BLUE) > 24)
        fail_msg("last segment inside the ranges: %06X", c);
    map(&h.fig, 0, XMAX, -1, &lx, &ly);
    assert_true(lx + 10 < im.w);
    for (int dx = 4; dx < 10; dx++) {
        c = px(&im, pix(lx) + dx, pix(ly));
        if (c != RGB_WHITE)
            fail_msg("%d px right of the plot area, on the clipped line: "
                     "%06X, expected white", dx, c);
    }
    image_free(&im);
}

/* Equal aspect: the same pixels per data unit on both axes, whichever axis
 * has to widen; and not so without it (the test can tell). */
static void test_equal_aspect(void **state)
{
    (void)state;
    static const double x[3] = {-4, 0, 4}, y[3] = {-1, 0.5, 1};
    static const int sizes[][2] = {{600, 300}, {300, 600}, {500, 500}};
    for (size_t k = 0; k < 3; k++)
        for (int equal = 1; equal >= 0; equal--) {
            gdn_line l = {.x = x, .y = y, .count = 3, .color = GDN_BLUE};
            gdn_panel p = {.xmin = NAN, .xmax = NAN, .ymin = NAN,
                           .ymax = NAN, .equal = equal, .nlines = 1,
                           .lines = &l};
            gdn_figure fig = {.width = sizes[k][0], .height = sizes[k][1],
                              .rows = 1, .cols = 1, .panels = &p};
            double x0, y0, x1, y1, x2, y2;
            map(&fig, 0, 0, 0, &x0, &y0);
            map(&fig, 0, 1, 0, &x1, &y1);
            map(&fig, 0, 0, 1, &x2, &y2);
            double sx = x1 - x0, sy = y0 - y2;
            assert_true(sx > 0 && sy > 0); /* y grows upwards */
            assert_true(fabs(y1 - y0) < 1e-9 && fabs(x2 - x0) < 1e-9);
            if (equal && fabs(sx - sy) > 1e-9 * sx)
                fail_msg("%dx%d, equal: %.6f px per unit on x, %.6f on y",
                         sizes[k][0], sizes[k][1], sx, sy);
            if (!equal && fabs(sx - sy) < 0.1 * sx)
                fail_msg("%dx%d, not equal: %.6f px per unit on x, %.6f on "
                         "y; the data's 8:2 box should not look square",
                         sizes[k][0], sizes[k][1], sx, sy);
            /* the data stays inside the figure */
            for (int i = 0; i < 3; i++) {
                double mx, my;
                map(&fig, 0, x[i], y[i], &mx, &my);
                assert_true(mx > 0 && mx < fig.width && my > 0 &&
                            my < fig.height);
            }
        }
}

/* Log axis: decades equally spaced, and the line drawn on that scale. */
static void test_log_axis(void **state)
{
    fixture *f = *state;
    static const double x[6] = {0, 1, 2, 3, 4, 5};
    static const double y[6] = {1, 10, 100, 1000, 10000, 0}; /* 0 skipped */
    gdn_line l = {.x = x, .y = y, .count = 6, .color = GDN_BLUE, .width = 3};
    gdn_panel p = {.xlabel = "t", .ylabel = "value", .xmin = NAN,
                   .xmax = NAN, .ymin = NAN, .ymax = NAN, .logy = 1,
                   .nlines = 1, .lines = &l};
    gdn_figure fig = {.width = 500, .height = 400, .rows = 1, .cols = 1,
                      .panels = &p};
    double mx, y10, y100, y1000;
    map(&fig, 0, 1, 10, &mx, &y10);
    map(&fig, 0, 1, 100, &mx, &y100);
    map(&fig, 0, 1, 1000, &mx, &y1000);
    double d1 = y10 - y100, d2 = y100 - y1000;
    assert_true(d1 > 10);
    if (fabs(d1 - d2) > 1e-9 * d1)
        fail_msg("log axis: 10 -> 100 spans %.6f px, 100 -> 1000 %.6f", d1,
                 d2);
    /* a linear axis would not space them equally */
    p.logy = 0;
    map(&fig, 0, 1, 10, &mx, &y10);
    map(&fig, 0, 1, 100, &mx, &y100);
    map(&fig, 0, 1, 1000, &mx, &y1000);
    assert_true(fabs((y10 - y100) - (y100 - y1000)) > 0.5 * (y10 - y100));
    p.logy = 1;

    /* drawn: the midpoint of the mapped segment (1,10)-(2,100) is blue */
    char path[512];
    path_in(path, sizeof path, f, "log.png");
    write_ok(&fig, path);
    image im;
    load_png(path, &im);
    double ax, ay, bx, by;
    map(&fig, 0, 1, 10, &ax, &ay);
    map(&fig, 0, 2, 100, &bx, &by);
    unsigned int c = px(&im, pix(0.5 * (ax + bx)), pix(0.5 * (ay + by)));
    if (cdist(c, RGB_BLUE) > 24)
        fail_msg("log line midpoint: %06X, expected %06X", c, RGB_BLUE);
    image_free(&im);
}

/* ------------------------------------------------------ trajectory figures */

static void run_nsgan(size_t n, const double *x0, double t_end, gdn_traj *tr,
                      gdn_system *sys)
{
    gdn_error err;
    const gdn_term_type *m = gdn_term_find(gdn_models, "nsgan");
    assert_non_null(m);
    assert_int_equal(gdn_system_init(sys, n, m, &err), GDN_OK);
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    o.t_end = t_end;
    o.dt = 0.1;
    gdn_run *run = gdn_run_new(sys, &o, x0, &err);
    if (!run)
        fail_msg("gdn_run_new: %s", err.msg);
    gdn_traj_init(tr, n, gdn_run_navg(run), 0);
    assert_int_equal(gdn_run_collect(run, tr, &err), GDN_DONE);
    gdn_run_free(run);
    assert_true(tr->count > 100);
}

/* Checks the path of a rendered trajectory figure: the dot at the
 * equilibrium, the path's colour around the start and along the path
 * (away from the markers and from the legend, drawn top right over the
 * data), the start's ring. */
static void check_path_png(const char *path, const gdn_figure *fig,
                           const gdn_traj *tr, size_t cx, size_t cy)
{
    size_t m = 2 * tr->n;
    image im;
    load_png(path, &im);
    assert_int_equal(im.w, fig->width);
    assert_int_equal(im.h, fig->height);
    double ex, ey, sx, sy;
    map(fig, 0, 0, 0, &ex, &ey);
    map(fig, 0, tr->x[cx], tr->x[cy], &sx, &sy);
    unsigned int c = px(&im, pix(ex), pix(ey));
    if (cdist(c, RGB_VERMILLION) > 6)
        fail_msg("equilibrium (0,0) -> (%.1f,%.1f): %06X, expected %06X", ex,
                 ey, c, RGB_VERMILLION);
    /* the start: a black ring; the path's blue just outside it */
    assert_true(near_color(&im, pix(sx), pix(sy), 5, 0x000000u, 40));
    int blue = 0;
    for (int j = -14; j <= 14; j++)
        for (int i = -14; i <= 14; i++) {
            double r = hypot(i, j);
            if (r >= 7 && r <= 14 &&
                cdist(px(&im, pix(sx) + i, pix(sy) + j), RGB_BLUE) <= 40)
                blue++;
        }
    if (blue < 5)
        fail_msg("%d pixels of the path's blue around the start "
                 "(%.1f,%.1f)", blue, sx, sy);
    /* along the path */
    int checked = 0;
    for (size_t k = 0; k < tr->count; k += 3) {
        double x, y;
        map(fig, 0, tr->x[k * m + cx], tr->x[k * m + cy], &x, &y);
        if (hypot(x - ex, y - ey) < 12 || hypot(x - sx, y - sy) < 12 ||
            (x > 0.5 * im.w && y < 0.3 * im.h))
            continue;
        checked++;
        if (!near_color(&im, pix(x), pix(y), 1, RGB_BLUE, 48))
            fail_msg("sample %zu -> (%.1f,%.1f): no pixel of the path's "
                     "blue within 1 px (pixel %06X)", k, x, y,
                     px(&im, pix(x), pix(y)));
    }
    assert_true(checked >= 20);
    image_free(&im);
}

static const double SEED2[4] = {0.1, 0.2, 0.2, 0.1};

static void test_theta_figure(void **state)
{
    fixture *f = *state;
    gdn_traj tr;
    gdn_system sys;
    run_nsgan(2, SEED2, 20, &tr, &sys);
    const gdn_traj *one = &tr;
    gdn_plot_opts o;
    gdn_plot_opts_init(&o);
    o.kind = GDN_PLOT_THETA;
    gdn_figure fig;
    gdn_plot_store *st = NULL;
    gdn_error err;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    assert_non_null(st);
    assert_true(fig.panels[0].equal);
    /* the default kind in 2-D is theta: same layout */
    gdn_plot_opts od;
    gdn_plot_opts_init(&od);
    gdn_figure figd;
    gdn_plot_store *std = NULL;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &od, 0, &figd, &std,
                                    &err), GDN_OK);
    double a1, b1, a2, b2;
    map(&fig, 0, 0.1, -0.1, &a1, &b1);
    map(&figd, 0, 0.1, -0.1, &a2, &b2);
    assert_true(a1 == a2 && b1 == b2);
    gdn_plot_store_free(std);

    char path[512];
    path_in(path, sizeof path, f, "theta.png");
    assert_int_equal(gdn_plot_trajs(&one, NULL, 1, &o, path, &err), GDN_OK);
    /* theta: x = theta1, y = theta2 (state = phi1, phi2, theta1, theta2) */
    check_path_png(path, &fig, &tr, 2, 3);
    /* requested size */
    o.width = 400, o.height = 300;
    gdn_plot_store_free(st);
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    assert_int_equal(fig.width, 400);
    assert_int_equal(fig.height, 300);
    path_in(path, sizeof path, f, "theta-small.png");
    assert_int_equal(gdn_plot_trajs(&one, NULL, 1, &o, path, &err), GDN_OK);
    check_path_png(path, &fig, &tr, 2, 3);
    gdn_plot_store_free(st);
    gdn_traj_release(&tr);
}

/* Phase plane of a 1-D run: x = theta, y = phi, over the vector field. */
static void test_phase_figure(void **state)
{
    fixture *f = *state;
    static const double x0[2] = {0.1, 0.2};
    gdn_traj tr;
    gdn_system sys;
    run_nsgan(1, x0, 20, &tr, &sys);
    const gdn_traj *one = &tr;
    gdn_plot_opts o;
    gdn_plot_opts_init(&o); /* default in 1-D: phase */
    gdn_figure fig;
    gdn_plot_store *st = NULL;
    gdn_error err;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    assert_null(fig.panels[0].field);
    char path[512];
    path_in(path, sizeof path, f, "phase.png");
    assert_int_equal(gdn_plot_trajs(&one, NULL, 1, &o, path, &err), GDN_OK);
    check_path_png(path, &fig, &tr, 1, 0);
    gdn_plot_store_free(st);

    /* with the field: grey arrows appear, the layout does not move */
    o.sys = &sys;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    assert_non_null(fig.panels[0].field);
    char pathf[512];
    path_in(pathf, sizeof pathf, f, "phase-field.png");
    assert_int_equal(gdn_plot_trajs(&one, NULL, 1, &o, pathf, &err), GDN_OK);
    check_path_png(pathf, &fig, &tr, 1, 0);
    image a, b;
    load_png(path, &a);
    load_png(pathf, &b);
    long na = count_non_white(&a, 0, 0, a.w, a.h);
    long nb = count_non_white(&b, 0, 0, b.w, b.h);
    if (nb < na + 1000)
        fail_msg("the vector field adds %ld non-white pixels", nb - na);
    image_free(&a);
    image_free(&b);
    gdn_plot_store_free(st);
    gdn_traj_release(&tr);
}

/* Series: four lines against time; a log scale when asked. */
static void test_series_figure(void **state)
{
    fixture *f = *state;
    gdn_traj tr;
    gdn_system sys;
    run_nsgan(2, SEED2, 20, &tr, &sys);
    const gdn_traj *one = &tr;
    gdn_plot_opts o;
    gdn_plot_opts_init(&o);
    o.kind = GDN_PLOT_SERIES;
    o.logy = 1;
    gdn_figure fig;
    gdn_plot_store *st = NULL;
    gdn_error err;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    /* four panels stacked: |theta|, |phi|, E, and Gamma's drift */
    assert_int_equal(fig.npanels, 4);
    assert_int_equal(fig.rows, 4);
    assert_int_equal(fig.cols, 1);
    for (size_t q = 0; q < 4; q++) {
        assert_true(fig.panels[q].logy);
        assert_int_equal(fig.panels[q].nlines, 1);
    }
    assert_string_equal(fig.panels[3].ylabel, "|Γ − Γ₀| / Γ₀");
    /* the drift is |Gamma - Gamma0| / Gamma0, Gamma = |phi|^2 |theta|^2 -
     * (phi . theta)^2 computed here from the state */
    {
        const double *x0 = tr.x, *xk = tr.x + 4 * (tr.count - 1);
        double g0 = (x0[0] * x0[0] + x0[1] * x0[1]) *
                        (x0[2] * x0[2] + x0[3] * x0[3]) -
                    pow(x0[0] * x0[2] + x0[1] * x0[3], 2);
        double gk = (xk[0] * xk[0] + xk[1] * xk[1]) *
                        (xk[2] * xk[2] + xk[3] * xk[3]) -
                    pow(xk[0] * xk[2] + xk[1] * xk[3], 2);
        const gdn_line *gl = &fig.panels[3].lines[0];
        double want = fabs(gk - g0) / g0;
        assert_true(fabs(gl->y[tr.count - 1] - want) <=
                    1e-9 * fmax(want, 1e-300) + 1e-15);
        assert_true(gl->y[0] == 0);
    }
    assert_true(fig.height > fig.width / 2);
    /* |theta| drawn in blue where it is farthest from |phi| */
    size_t best = 0;
    double gap = -1;
    for (size_t k = 20; k + 20 < tr.count; k++) {
        const double *x = tr.x + 4 * k;
        double d = fabs(hypot(x[2], x[3]) - hypot(x[0], x[1]));
        if (d > gap)
            gap = d, best = k;
    }
    char path[512];
    path_in(path, sizeof path, f, "series.png");
    assert_int_equal(gdn_plot_trajs(&one, NULL, 1, &o, path, &err), GDN_OK);
    image im;
    load_png(path, &im);
    double x, y;
    const double *xb = tr.x + 4 * best;
    map(&fig, 0, tr.t[best], hypot(xb[2], xb[3]), &x, &y);
    if (!near_color(&im, pix(x), pix(y), 1, RGB_BLUE, 48))
        fail_msg("|theta| at t = %g -> (%.1f,%.1f): not blue", tr.t[best], x,
                 y);
    image_free(&im);
    gdn_plot_store_free(st);
    gdn_traj_release(&tr);
}

/* --------------------------------------------------------------- SVG */

/* A small well-formedness check: tags balance, one root, quotes closed. */
static int xml_well_formed(const char *s)
{
    enum { DEPTH = 256, NAME = 64 };
    char stack[DEPTH][NAME];
    int depth = 0, roots = 0;
    const char *p = s;
    while ((p = strchr(p, '<')) != NULL) {
        if (strncmp(p, "<?", 2) == 0) {
            if (!(p = strstr(p, "?>")))
                return 0;
            p += 2;
            continue;
        }
        if (strncmp(p, "<!--", 4) == 0) {
            if (!(p = strstr(p, "-->")))
                return 0;
            p += 3;
            continue;
        }
        if (strncmp(p, "<![CDATA[", 9) == 0) {
            if (!(p = strstr(p, "]]>")))
                return 0;
            p += 3;
            continue;
        }
        if (p[1] == '!') {
            if (!(p = strchr(p, '>')))
                return 0;
            p++;
            continue;
        }
        int closing = p[1] == '/';
        const char *n = p + 1 + closing;
        size_t len = strcspn(n, " \t\r\n/>");
        if (len == 0 || len >= NAME)
            return 0;
        /* to the end of the tag, skipping quoted values */
        const char *q = n + len;
        char quote = 0;
        for (; *q && (quote || *q != '>'); q++)
            if (quote && *q == quote)
                quote = 0;
            else if (!quote && (*q == '"' || *q == '\''))
                quote = *q;
        if (!*q)
            return 0;
        int self = q[-1] == '/';
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != len ||
                strncmp(stack[depth - 1], n, len) != 0)
                return 0;
            depth--;
        } else if (!self) {
            if (depth == 0)
                roots++;
            if (depth == DEPTH)
                return 0;
            memcpy(stack[depth], n, len);
            stack[depth++][len] = '\0';
        } else if (depth == 0) {
            roots++;
        }
        p = q + 1;
    }
    return depth == 0 && roots == 1;
}

static void test_svg(void **state)
{
    fixture *f = *state;
    char path[512];
    handmade h;
    handmade_init(&h, 500, 400, 1);
    path_in(path, sizeof path, f, "h.svg");
    write_ok(&h.fig, path);
    size_t len;
    unsigned char *svg = slurp(path, &len);
    assert_true(len > 500);
    const char *s = (const char *)svg;
    assert_non_null(strstr(s, "<svg"));
    const char *root = strstr(s, "<svg");
    const char *end = strchr(root, '>');
    assert_non_null(end);
    char head[1024];
    size_t hl = (size_t)(end - root) < sizeof head - 1
                    ? (size_t)(end - root)
                    : sizeof head - 1;
    memcpy(head, root, hl);
    head[hl] = '\0';
    /* width="500" or width="500pt" (cairo versions differ) */
    if (!(strstr(head, "width=\"500\"") || strstr(head, "width=\"500pt\"")) ||
        !(strstr(head, "height=\"400\"") ||
          strstr(head, "height=\"400pt\"")))
        fail_msg("svg root without width 500 / height 400: %s", head);
    assert_true(xml_well_formed(s));
    /* text as <text> elements, not glyph outlines; the y label rotated */
    assert_non_null(strstr(s, ">θ₁ label</text>"));
    const char *yl = strstr(s, ">θ₂ label</text>");
    assert_non_null(yl);
    const char *open = yl;
    while (open > s && strncmp(open, "<text", 5) != 0)
        open--;
    assert_non_null(strstr(open, "rotate(-90"));
    assert_true(strstr(open, "rotate(-90") < yl);
    assert_null(strstr(s, "<symbol"));
    assert_null(strstr(s, "glyph"));
    /* and the checker can fail */
    assert_false(xml_well_formed("<svg><g></svg>"));
    assert_false(xml_well_formed("<svg a=\"x>\"><g></g>"));
    free(svg);
    if (access("/usr/bin/python3", X_OK) == 0) {
        char cmd[1200];
        snprintf(cmd, sizeof cmd,
                 "/usr/bin/python3 -c 'import xml.dom.minidom,sys; "
                 "xml.dom.minidom.parse(sys.argv[1])' '%s'", path);
        int rc = system(cmd);
        if (rc != 0)
            fail_msg("python's XML parser rejects '%s' (status %d)", path,
                     rc);
    }
    /* the labels are in the SVG with labels only (as <text>, checked
     * above; glyph outlines used to make it 200 bytes longer) */
    handmade bare;
    handmade_init(&bare, 500, 400, 0);
    char path2[512];
    path_in(path2, sizeof path2, f, "bare.svg");
    write_ok(&bare.fig, path2);
    size_t len2;
    unsigned char *svg2 = slurp(path2, &len2);
    assert_true(len2 < len);
    assert_null(strstr((const char *)svg2, "θ₁ label"));
    free(svg2);
}

/* The axis labels are drawn where they belong: below the plot area (x) and
 * at the left edge (y); nothing else changes. */
static void test_labels_drawn(void **state)
{
    fixture *f = *state;
    handmade with, without;
    handmade_init(&with, 500, 400, 1);
    handmade_init(&without, 500, 400, 0);
    char pa[512], pb[512];
    path_in(pa, sizeof pa, f, "with.png");
    path_in(pb, sizeof pb, f, "without.png");
    write_ok(&with.fig, pa);
    write_ok(&without.fig, pb);
    image a, b;
    load_png(pa, &a);
    load_png(pb, &b);
    double left, bottom, right, top;
    map(&with.fig, 0, XMIN, YMIN, &left, &bottom);
    map(&with.fig, 0, XMAX, YMAX, &right, &top);
    int l = pix(left), r = pix(right), bt = pix(bottom), tp = pix(top);
    assert_true(l > 24 && r < a.w && tp >= 0 && bt + 24 < a.h);
    /* x label: under the tick labels, across the plot's width */
    long xa = count_non_white(&a, l, bt + 24, r, a.h);
    long xb = count_non_white(&b, l, bt + 24, r, b.h);
    if (xa < xb + 30)
        fail_msg("x label area: %ld non-white pixels with the label, %ld "
                 "without", xa, xb);
    /* y label: the left strip */
    long ya = count_non_white(&a, 0, tp, 24, bt);
    long yb = count_non_white(&b, 0, tp, 24, bt);
    if (ya < yb + 30)
        fail_msg("y label area: %ld non-white pixels with the label, %ld "
                 "without", ya, yb);
    /* the plot area itself is the same */
    for (int y = tp + 2; y < bt - 1; y++)
        for (int x = l + 2; x < r - 1; x++)
            if (px(&a, x, y) != px(&b, x, y))
                fail_msg("labels changed the plot area at (%d,%d)", x, y);
    image_free(&a);
    image_free(&b);
}

/* --------------------------------------------------------------- PDF */

static void test_pdf(void **state)
{
    fixture *f = *state;
    char a[512], b[512];
    handmade h;
    handmade_init(&h, 500, 400, 1);
    path_in(a, sizeof a, f, "a.pdf");
    path_in(b, sizeof b, f, "b.pdf");
    write_ok(&h.fig, a);
    sleep(1); /* a clock-dependent date would differ */
    write_ok(&h.fig, b);
    size_t len;
    unsigned char *pdf = slurp(a, &len);
    assert_true(len > 500);
    assert_memory_equal(pdf, "%PDF-", 5);
    /* today's date appears nowhere (UTC or local) */
    time_t now = time(NULL);
    struct tm tm;
    char day[32];
    gmtime_r(&now, &tm);
    strftime(day, sizeof day, "D:%Y%m%d", &tm);
    if (mem_find(pdf, len, day))
        fail_msg("the PDF holds today's date '%s'", day);
    localtime_r(&now, &tm);
    strftime(day, sizeof day, "D:%Y%m%d", &tm);
    if (mem_find(pdf, len, day))
        fail_msg("the PDF holds today's date '%s'", day);
    free(pdf);
    assert_same_file(a, b, 500);
}

/* ------------------------------------------------------- determinism */

static gdn_anim anim_of(int nframes, int delay, int hold)
{
    gdn_anim a = {.nframes = nframes, .delay_cs = delay, .hold_cs = hold};
    return a;
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    static const char *const ext[] = {"png", "svg", "pdf", "gif"};
    handmade h;
    handmade_init(&h, 320, 240, 1);
    gdn_anim an = anim_of(4, 5, 0);
    int bad = 0;
    for (int k = 0; k < 4; k++) {
        char a[512], b[512], na[16], nb[16];
        snprintf(na, sizeof na, "one.%s", ext[k]);
        snprintf(nb, sizeof nb, "two.%s", ext[k]);
        path_in(a, sizeof a, f, na);
        path_in(b, sizeof b, f, nb);
        gdn_error err;
        for (int r = 0; r < 2; r++) {
            const char *p = r ? b : a;
            int rc = k == 3 ? gdn_figure_write_gif(&h.fig, &an, p, &err)
                            : gdn_figure_write(&h.fig, p, &err);
            if (rc != GDN_OK)
                fail_msg("'%s': %s", p, err.msg);
        }
        char msg[1200];
        if (!same_file(a, b, 200, msg, sizeof msg)) {
            print_error(".%s written twice is not byte-identical: %s\n",
                        ext[k], msg);
            bad++;
        }
    }
    /* the comparison can fail: another figure gives other bytes */
    char c[512];
    path_in(c, sizeof c, f, "other.png");
    handmade g;
    handmade_init(&g, 320, 240, 0);
    write_ok(&g.fig, c);
    char a[512];
    path_in(a, sizeof a, f, "one.png");
    size_t la, lc;
    unsigned char *ba = slurp(a, &la), *bc = slurp(c, &lc);
    assert_true(la != lc || memcmp(ba, bc, la) != 0);
    free(ba);
    free(bc);
    if (bad)
        fail_msg("%d of 4 formats differ across two writes", bad);
}

/* --------------------------------------------------------------- GIF */

typedef struct gif_frames {
    int w, h, count;
    unsigned int **canvas; /* count composed frames, w * h 0xRRGGBB */
    int *delay;            /* cs per frame */
    int *full;             /* 1 when the frame covers the whole screen */
    int loop;              /* NETSCAPE2.0 loop count, -1 if absent */
} gif_frames;

static void loop_ext(const ExtensionBlock *b, int n, int *loop)
{
    for (int i = 0; i + 1 < n; i++)
        if (b[i].Function == APPLICATION_EXT_FUNC_CODE &&
            b[i].ByteCount == 11 &&
            memcmp(b[i].Bytes, "NETSCAPE2.0", 11) == 0 &&
            b[i + 1].Function == CONTINUE_EXT_FUNC_CODE &&
            b[i + 1].ByteCount == 3 && b[i + 1].Bytes[0] == 1)
            *loop = b[i + 1].Bytes[1] | b[i + 1].Bytes[2] << 8;
}

static void gif_read(const char *path, gif_frames *g)
{
    size_t len;
    unsigned char *raw = slurp(path, &len);
    assert_true(len > 13);
    assert_memory_equal(raw, "GIF89a", 6);
    free(raw);
    int gerr = 0;
    GifFileType *gif = DGifOpenFileName(path, &gerr);
    assert_non_null(gif);
    if (DGifSlurp(gif) != GIF_OK)
        fail_msg("DGifSlurp('%s'): %s", path, GifErrorString(gif->Error));
    g->w = gif->SWidth, g->h = gif->SHeight, g->count = gif->ImageCount;
    g->loop = -1;
    assert_true(g->count >= 1);
    loop_ext(gif->ExtensionBlocks, gif->ExtensionBlockCount, &g->loop);
    loop_ext(gif->SavedImages[0].ExtensionBlocks,
             gif->SavedImages[0].ExtensionBlockCount, &g->loop);
    size_t npx = (size_t)g->w * (size_t)g->h;
    g->canvas = calloc((size_t)g->count, sizeof *g->canvas);
    g->delay = calloc((size_t)g->count, sizeof *g->delay);
    g->full = calloc((size_t)g->count, sizeof *g->full);
    assert_true(g->canvas && g->delay && g->full);
    unsigned int *screen = malloc(npx * sizeof *screen);
    assert_non_null(screen);
    for (size_t i = 0; i < npx; i++)
        screen[i] = RGB_WHITE;
    for (int k = 0; k < g->count; k++) {
        const SavedImage *im = &gif->SavedImages[k];
        const GifImageDesc *d = &im->ImageDesc;
        GraphicsControlBlock gcb = {.DelayTime = 0,
                                    .TransparentColor = NO_TRANSPARENT_COLOR,
                                    .DisposalMode = DISPOSAL_UNSPECIFIED};
        DGifSavedExtensionToGCB(gif, k, &gcb);
        g->delay[k] = gcb.DelayTime;
        assert_true(gcb.DisposalMode == DISPOSAL_UNSPECIFIED ||
                    gcb.DisposalMode == DISPOSE_DO_NOT);
        const ColorMapObject *cm = d->ColorMap ? d->ColorMap : gif->SColorMap;
        assert_non_null(cm);
        assert_false(d->Interlace);
        assert_true(d->Left >= 0 && d->Top >= 0 && d->Width >= 1 &&
                    d->Height >= 1 && d->Left + d->Width <= g->w &&
                    d->Top + d->Height <= g->h);
        g->full[k] = d->Left == 0 && d->Top == 0 && d->Width == g->w &&
                     d->Height == g->h;
        for (int y = 0; y < d->Height; y++)
            for (int x = 0; x < d->Width; x++) {
                int idx = im->RasterBits[(size_t)y * (size_t)d->Width +
                                         (size_t)x];
                if (idx == gcb.TransparentColor)
                    continue;
                assert_true(idx < cm->ColorCount);
                GifColorType c = cm->Colors[idx];
                screen[(size_t)(d->Top + y) * (size_t)g->w +
                       (size_t)(d->Left + x)] =
                    (unsigned)c.Red << 16 | (unsigned)c.Green << 8 | c.Blue;
            }
        g->canvas[k] = malloc(npx * sizeof *screen);
        assert_non_null(g->canvas[k]);
        memcpy(g->canvas[k], screen, npx * sizeof *screen);
    }
    free(screen);
    DGifCloseFile(gif, &gerr);
}

static void gif_free(gif_frames *g)
{
    for (int k = 0; k < g->count; k++)
        free(g->canvas[k]);
    free(g->canvas);
    free(g->delay);
    free(g->full);
}

static unsigned int gpx(const gif_frames *g, int k, int x, int y)
{
    assert_true(x >= 0 && y >= 0 && x < g->w && y < g->h);
    return g->canvas[k][(size_t)y * (size_t)g->w + (size_t)x];
}

static long gif_count_near(const gif_frames *g, int k, unsigned int c,
                           int tol)
{
    long n = 0;
    for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
        n += cdist(g->canvas[k][i], c) <= tol;
    return n;
}

/* A line of many points, so that frames show it growing. */
#define NPTS 48
static double GX[NPTS], GY[NPTS];

static void gif_figure(handmade *h, int width, int height)
{
    for (int i = 0; i < NPTS; i++) {
        GX[i] = -2.5 + 5.0 * i / (NPTS - 1);
        GY[i] = -1.5 + 4.0 * i / (NPTS - 1);
    }
    handmade_init(h, width, height, 1);
    h->line.x = GX, h->line.y = GY, h->line.count = NPTS;
}

static void test_gif(void **state)
{
    fixture *f = *state;
    char path[512];
    handmade h;
    gif_figure(&h, 320, 240);
    gdn_anim an = anim_of(12, 5, 0);
    gdn_error err;
    path_in(path, sizeof path, f, "anim.gif");
    int rc = gdn_figure_write_gif(&h.fig, &an, path, &err);
    if (rc != GDN_OK)
        fail_msg("gdn_figure_write_gif: %s", err.msg);
    int tmps;
    assert_int_equal(count_entries(f->dir, &tmps), 1);
    assert_int_equal(tmps, 0);

    gif_frames g;
    gif_read(path, &g);
    assert_int_equal(g.w, 320);
    assert_int_equal(g.h, 240);
    assert_int_equal(g.count, 12);
    assert_int_equal(g.loop, 0);
    assert_true(g.full[0]);
    int partial = 0;
    for (int k = 0; k < g.count; k++) {
        assert_int_equal(g.delay[k], 5);
        partial += !g.full[k];
    }
    assert_true(partial >= 1); /* later frames are sub-rectangles */

    double sx, sy, ex, ey, ox, oy;
    map(&h.fig, 0, GX[0], GY[0], &sx, &sy);
    map(&h.fig, 0, GX[NPTS - 1], GY[NPTS - 1], &ex, &ey);
    map(&h.fig, 0, 0, 0, &ox, &oy);
    /* a point short of the far end (its round cap is there in the end) */
    double fx, fy;
    map(&h.fig, 0, GX[NPTS - 2], GY[NPTS - 2], &fx, &fy);
    int last = g.count - 1;
    unsigned int c0 = gpx(&g, 0, pix(fx), pix(fy));
    unsigned int cl = gpx(&g, last, pix(fx), pix(fy));
    if (!is_background(c0))
        fail_msg("frame 0 already shows the path's far end (%.1f,%.1f): "
                 "%06X", fx, fy, c0);
    if (cdist(cl, RGB_BLUE) > 24)
        fail_msg("last frame: the path's far end (%.1f,%.1f) is %06X, "
                 "expected %06X", fx, fy, cl, RGB_BLUE);
    /* the start is drawn from the first frame on; the dot always */
    double s2x, s2y;
    map(&h.fig, 0, GX[1], GY[1], &s2x, &s2y);
    unsigned int cs = gpx(&g, 0, pix(0.5 * (sx + s2x)), pix(0.5 * (sy + s2y)));
    if (cdist(cs, RGB_BLUE) > 24)
        fail_msg("frame 0: the path's start is %06X", cs);
    for (int k = 0; k < g.count; k += g.count - 1) {
        unsigned int c = gpx(&g, k, pix(ox), pix(oy));
        if (cdist(c, RGB_VERMILLION) > 6)
            fail_msg("frame %d: equilibrium dot %06X", k, c);
    }
    /* the path grows: more of its blue frame after frame */
    long prev = -1;
    for (int k = 0; k < g.count; k++) {
        long n = gif_count_near(&g, k, RGB_BLUE, 24);
        if (n < prev)
            fail_msg("frame %d shows %ld blue pixels, frame %d %ld", k, n,
                     k - 1, prev);
        prev = n;
    }
    assert_true(gif_count_near(&g, last, RGB_BLUE, 24) >
                2 * gif_count_near(&g, 0, RGB_BLUE, 24));
    /* frame k draws ceil(NPTS (k+1) / 12) = 4 (k + 1) points: point 4k+3
     * is reached in frame k, the middle of segment 4k+3 -> 4k+4 only in
     * frame k + 1 */
    for (int k = 0; k + 1 < g.count; k++) {
        double x1, y1, x2, y2;
        map(&h.fig, 0, GX[4 * k + 3], GY[4 * k + 3], &x1, &y1);
        map(&h.fig, 0, GX[4 * k + 4], GY[4 * k + 4], &x2, &y2);
        double mx = 0.5 * (x1 + x2), my = 0.5 * (y1 + y2);
        if (hypot(mx - ox, my - oy) < 12)
            continue;
        /* a little past the middle, clear of the round cap at x1 */
        double qx = x1 + 0.7 * (x2 - x1), qy = y1 + 0.7 * (y2 - y1);
        unsigned int before = gpx(&g, k, pix(qx), pix(qy));
        unsigned int after = gpx(&g, k + 1, pix(qx), pix(qy));
        if (cdist(before, RGB_BLUE) <= 24 || cdist(after, RGB_BLUE) > 24)
            fail_msg("segment %d: frame %d pixel %06X, frame %d %06X "
                     "(expected not yet drawn, then blue)", 4 * k + 3, k,
                     before, k + 1, after);
    }
    gif_free(&g);
}

/* The last picture is held about hold_cs: nframes distinct pictures, the
 * last one on screen for hold_cs to hold_cs + delay_cs. */
static void test_gif_hold(void **state)
{
    fixture *f = *state;
    char path[512];
    handmade h;
    gif_figure(&h, 200, 160);
    gdn_anim an = anim_of(4, 10, 30);
    gdn_error err;
    path_in(path, sizeof path, f, "hold.gif");
    assert_int_equal(gdn_figure_write_gif(&h.fig, &an, path, &err), GDN_OK);
    gif_frames g;
    gif_read(path, &g);
    size_t npx = (size_t)g.w * (size_t)g.h;
    int distinct = 1, final_cs = g.delay[0];
    for (int k = 1; k < g.count; k++) {
        if (memcmp(g.canvas[k], g.canvas[k - 1], npx * sizeof **g.canvas))
            distinct++, final_cs = 0;
        final_cs += g.delay[k];
    }
    assert_int_equal(distinct, 4);
    if (final_cs < 30 || final_cs > 40)
        fail_msg("the last picture is shown %d cs, expected 30 to 40",
                 final_cs);
    assert_int_equal(g.loop, 0);
    gif_free(&g);
}

/* A trajectory as a .gif through gdn_plot_trajs. */
static void test_traj_gif(void **state)
{
    fixture *f = *state;
    gdn_traj tr;
    gdn_system sys;
    run_nsgan(2, SEED2, 10, &tr, &sys);
    const gdn_traj *one = &tr;
    gdn_plot_opts o;
    gdn_plot_opts_init(&o);
    o.width = 240, o.height = 240;
    o.anim = anim_of(6, 4, 0);
    char path[512];
    gdn_error err;
    path_in(path, sizeof path, f, "traj.gif");
    assert_int_equal(gdn_plot_trajs(&one, NULL, 1, &o, path, &err), GDN_OK);
    gif_frames g;
    gif_read(path, &g);
    assert_int_equal(g.w, 240);
    assert_int_equal(g.h, 240);
    assert_int_equal(g.count, 6);
    gdn_figure fig;
    gdn_plot_store *st;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 1, &fig, &st, &err),
                     GDN_OK);
    double ex, ey;
    map(&fig, 0, 0, 0, &ex, &ey);
    for (int k = 0; k < g.count; k++)
        assert_true(cdist(gpx(&g, k, pix(ex), pix(ey)), RGB_VERMILLION) <= 6);
    gdn_plot_store_free(st);
    gif_free(&g);
    gdn_traj_release(&tr);
}

/* ------------------------------------------------------------- errors */

static void expect_einval(int rc, const gdn_error *err, const char *what)
{
    if (rc != GDN_EINVAL || err->code != GDN_EINVAL || !err->msg[0])
        fail_msg("%s: rc %d, err %d '%s'; expected GDN_EINVAL with a "
                 "message", what, rc, err->code, err->msg);
}

static void assert_dir_holds(const fixture *f, int n)
{
    int tmps, got = count_entries(f->dir, &tmps);
    if (got != n || tmps)
        fail_msg("%s holds %d entries (%d temporary), expected %d", f->dir,
                 got, tmps, n);
}

/* A trajectory by hand: count samples of a circle in dimension n. */
static void traj_by_hand(gdn_traj *tr, size_t n, size_t count)
{
    gdn_traj_init(tr, n, 0, 0);
    double x[8] = {0};
    for (size_t k = 0; k < count; k++) {
        double a = 0.3 * (double)k;
        for (size_t i = 0; i < 2 * n; i++)
            x[i] = (i % 2 ? cos(a) : sin(a)) * 0.1 * (double)(i + 1);
        assert_int_equal(gdn_traj_append(tr, 0.1 * (double)k, x, NULL, NULL),
                         GDN_OK);
    }
}

static void test_errors(void **state)
{
    fixture *f = *state;
    char path[512];
    gdn_error err;
    handmade h;
    handmade_init(&h, 300, 200, 1);
    gdn_anim an = anim_of(4, 5, 0);
    int fmt = -1;

    /* unknown extension */
    path_in(path, sizeof path, f, "fig.jpg");
    gdn_error_clear(&err);
    expect_einval(gdn_figure_write(&h.fig, path, &err), &err, ".jpg");
    assert_non_null(strstr(err.msg, "fig.jpg"));
    assert_non_null(strstr(err.msg, ".png, .svg, .pdf, .gif"));
    gdn_error_clear(&err);
    expect_einval(gdn_figure_format("a.dir.png/noext", &fmt, &err), &err,
                  "extension of a directory");
    expect_einval(gdn_figure_format("x.PNG", &fmt, &err), &err, ".PNG");
    assert_int_equal(gdn_figure_format("x.pdf", &fmt, &err), GDN_OK);
    assert_int_equal(fmt, GDN_FIG_PDF);
    assert_int_equal(gdn_figure_format("a.b/x.gif", &fmt, &err), GDN_OK);
    assert_int_equal(fmt, GDN_FIG_GIF);
    /* .gif is not a still figure; an animation needs a .gif */
    path_in(path, sizeof path, f, "fig.gif");
    expect_einval(gdn_figure_write(&h.fig, path, &err), &err,
                  "gdn_figure_write .gif");
    path_in(path, sizeof path, f, "fig.png");
    expect_einval(gdn_figure_write_gif(&h.fig, &an, path, &err), &err,
                  "gdn_figure_write_gif .png");
    /* sizes, panels, frames */
    h.fig.width = 10, h.fig.height = 10;
    expect_einval(gdn_figure_write(&h.fig, path, &err), &err, "10x10");
    assert_non_null(strstr(err.msg, "10x10"));
    path_in(path, sizeof path, f, "fig.gif");
    expect_einval(gdn_figure_write_gif(&h.fig, &an, path, &err), &err,
                  "10x10 gif");
    h.fig.width = 9000, h.fig.height = 300;
    path_in(path, sizeof path, f, "fig.png");
    expect_einval(gdn_figure_write(&h.fig, path, &err), &err, "9000x300");
    h.fig.width = 300, h.fig.height = 200;
    h.fig.rows = 0;
    expect_einval(gdn_figure_write(&h.fig, path, &err), &err, "no panels");
    h.fig.rows = 1;
    h.fig.npanels = 2; /* more than the 1 x 1 grid */
    expect_einval(gdn_figure_write(&h.fig, path, &err), &err,
                  "npanels > grid");
    h.fig.npanels = 0;
    double mx, my;
    assert_int_equal(gdn_figure_map(&h.fig, 1, 0, 0, &mx, &my), GDN_EINVAL);
    path_in(path, sizeof path, f, "fig.gif");
    gdn_anim bad = anim_of(1, 5, 0);
    expect_einval(gdn_figure_write_gif(&h.fig, &bad, path, &err), &err,
                  "1 frame");
    bad = anim_of(4, 0, 0);
    expect_einval(gdn_figure_write_gif(&h.fig, &bad, path, &err), &err,
                  "delay 0");
    assert_dir_holds(f, 0);

    /* kinds that do not fit */
    gdn_traj t1, t2, t0;
    traj_by_hand(&t1, 1, 30);
    traj_by_hand(&t2, 2, 30);
    gdn_traj_init(&t0, 2, 0, 0);
    const gdn_traj *p1 = &t1, *p2 = &t2, *p0 = &t0;
    gdn_plot_opts o;
    gdn_plot_opts_init(&o);
    gdn_figure fig;
    gdn_plot_store *st;
    o.kind = GDN_PLOT_SERIES;
    path_in(path, sizeof path, f, "series.gif");
    expect_einval(gdn_plot_trajs(&p2, NULL, 1, &o, path, &err), &err,
                  "series as .gif");
    assert_non_null(strstr(err.msg, "series"));
    expect_einval(gdn_plot_build(&p2, NULL, 1, &o, 1, &fig, &st, &err), &err,
                  "series animated");
    o.kind = GDN_PLOT_THETA;
    path_in(path, sizeof path, f, "theta.png");
    expect_einval(gdn_plot_trajs(&p1, NULL, 1, &o, path, &err), &err,
                  "theta in 1-D");
    assert_non_null(strstr(err.msg, "theta"));
    expect_einval(gdn_plot_build(&p1, NULL, 1, &o, 0, &fig, &st, &err), &err,
                  "theta in 1-D (build)");
    o.kind = GDN_PLOT_PHASE;
    path_in(path, sizeof path, f, "phase.png");
    expect_einval(gdn_plot_trajs(&p2, NULL, 1, &o, path, &err), &err,
                  "phase in 2-D");
    assert_non_null(strstr(err.msg, "phase"));
    /* one of several does not fit */
    const gdn_traj *mixed[2] = {&t1, &t2};
    expect_einval(gdn_plot_trajs(mixed, NULL, 2, &o, path, &err), &err,
                  "phase on 1-D and 2-D");
    o.kind = -1;
    expect_einval(gdn_plot_trajs(&p0, NULL, 1, &o, path, &err), &err,
                  "empty trajectory");
    expect_einval(gdn_plot_trajs(&p2, NULL, 0, &o, path, &err), &err,
                  "no trajectory");
    path_in(path, sizeof path, f, "t.bmp");
    expect_einval(gdn_plot_trajs(&p2, NULL, 1, &o, path, &err), &err, ".bmp");
    assert_non_null(strstr(err.msg, ".png, .svg, .pdf, .gif"));
    assert_dir_holds(f, 0);

    /* unwritable places: GDN_EIO, nothing left */
    h.fig.width = 300, h.fig.height = 200;
    path_in(path, sizeof path, f, "no/such/dir/x.png");
    gdn_error_clear(&err);
    assert_int_equal(gdn_figure_write(&h.fig, path, &err), GDN_EIO);
    assert_int_equal(err.code, GDN_EIO);
    assert_non_null(strstr(err.msg, "x.png"));
    path_in(path, sizeof path, f, "no/such/dir/x.gif");
    assert_int_equal(gdn_figure_write_gif(&h.fig, &an, path, &err), GDN_EIO);
    path_in(path, sizeof path, f, "no/x.svg");
    assert_int_equal(gdn_plot_trajs(&p2, NULL, 1, &o, path, &err), GDN_EIO);
    assert_dir_holds(f, 0);
    /* a file where a directory should be */
    path_in(path, sizeof path, f, "file");
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("x\n", fp);
    fclose(fp);
    path_in(path, sizeof path, f, "file/x.pdf");
    assert_int_equal(gdn_figure_write(&h.fig, path, &err), GDN_EIO);
    assert_dir_holds(f, 1);
    /* the target is a directory: the temporary file must go */
    path_in(path, sizeof path, f, "d.png");
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(gdn_figure_write(&h.fig, path, &err), GDN_EIO);
    assert_non_null(strstr(err.msg, "d.png"));
    path_in(path, sizeof path, f, "d.gif");
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(gdn_figure_write_gif(&h.fig, &an, path, &err), GDN_EIO);
    assert_dir_holds(f, 3);
    /* a read-only directory (only when permissions are enforced) */
    char ro[512];
    path_in(ro, sizeof ro, f, "ro");
    assert_int_equal(mkdir(ro, 0555), 0);
    if (access(ro, W_OK) != 0) {
        char in[600];
        snprintf(in, sizeof in, "%s/x.png", ro);
        assert_int_equal(gdn_figure_write(&h.fig, in, &err), GDN_EIO);
        snprintf(in, sizeof in, "%s/x.gif", ro);
        assert_int_equal(gdn_figure_write_gif(&h.fig, &an, in, &err),
                         GDN_EIO);
        assert_int_equal(count_entries(ro, NULL), 0);
    }
    assert_dir_holds(f, 4);
    gdn_traj_release(&t0);
    gdn_traj_release(&t1);
    gdn_traj_release(&t2);
}


/* ------------------------------------------------------- new features */

/* --scale: a PNG of scale x the pixels with the picture scaled (the dot
 * at scale x its place); vector output unchanged. */
static void test_scale(void **state)
{
    fixture *f = *state;
    char a[512], b[512];
    handmade h;
    handmade_init(&h, 300, 200, 1);
    double ex, ey;
    map(&h.fig, 0, 0, 0, &ex, &ey);
    h.fig.scale = 2;
    path_in(a, sizeof a, f, "s2.png");
    write_ok(&h.fig, a);
    image im;
    load_png(a, &im);
    assert_int_equal(im.w, 600);
    assert_int_equal(im.h, 400);
    if (cdist(px(&im, pix(2 * ex), pix(2 * ey)), RGB_VERMILLION) > 6)
        fail_msg("scale 2: no dot at (%.1f,%.1f)", 2 * ex, 2 * ey);
    image_free(&im);
    path_in(a, sizeof a, f, "s2.svg");
    write_ok(&h.fig, a);
    h.fig.scale = 0;
    path_in(b, sizeof b, f, "s1.svg");
    write_ok(&h.fig, b);
    assert_same_file(a, b, 100);
    h.fig.scale = 9;
    gdn_error err;
    assert_int_equal(gdn_figure_write(&h.fig, a, &err), GDN_EINVAL);
}

/* A line coloured by index: dark purple at its start, light at its end. */
static void test_by_index(void **state)
{
    fixture *f = *state;
    enum { N = 400 };
    static double x[N], y[N];
    for (int i = 0; i < N; i++)
        x[i] = -2.5 + 5.0 * i / (N - 1), y[i] = 0;
    gdn_line l = {.x = x, .y = y, .count = N, .width = 6, .by_index = 1};
    gdn_panel pn = {.xmin = -3, .xmax = 3, .ymin = -1, .ymax = 1,
                    .nlines = 1, .lines = &l};
    gdn_figure fig = {.width = 400, .height = 300, .rows = 1, .cols = 1,
                      .panels = &pn};
    char path[512];
    path_in(path, sizeof path, f, "byindex.png");
    write_ok(&fig, path);
    image im;
    load_png(path, &im);
    double sx, sy, zx, zy;
    map(&fig, 0, -2.4, 0, &sx, &sy);
    map(&fig, 0, 2.4, 0, &zx, &zy);
    unsigned int c0 = px(&im, pix(sx), pix(sy)), c1 = px(&im, pix(zx), pix(zy));
    if (cdist(c0, 0x440154u) > 30)
        fail_msg("start of a by-index line: %06X, expected dark purple", c0);
    if (cdist(c1, 0xD2E21Bu) > 30)
        fail_msg("end of a by-index line: %06X, expected yellow-green", c1);
    image_free(&im);
}

/* Decimation: a long series (400k points, far above the threshold) draws
 * as the same picture as its pieces drawn whole, and quickly. */
static void test_decimation(void **state)
{
    fixture *f = *state;
    enum { N = 400000, PIECE = 4000 };
    double *x = malloc(N * sizeof *x), *y = malloc(N * sizeof *y);
    assert_non_null(x);
    assert_non_null(y);
    for (int i = 0; i < N; i++)
        x[i] = (double)i / N, y[i] = sin(900.0 * x[i]) * exp(-3 * x[i]);
    gdn_line one = {.x = x, .y = y, .count = N, .color = GDN_BLUE};
    gdn_line pieces[N / PIECE];
    for (int k = 0; k < N / PIECE; k++) /* each below the threshold */
        pieces[k] = (gdn_line){.x = x + k * PIECE, .y = y + k * PIECE,
                               .count = k + 1 < N / PIECE ? PIECE + 1 : PIECE,
                               .color = GDN_BLUE};
    gdn_panel pa = {.xmin = 0, .xmax = 1, .ymin = -1.1, .ymax = 1.1,
                    .nlines = 1, .lines = &one};
    gdn_panel pb = pa;
    pb.nlines = N / PIECE, pb.lines = pieces;
    gdn_figure fa = {.width = 640, .height = 360, .rows = 1, .cols = 1,
                     .panels = &pa};
    gdn_figure fb = fa;
    fb.panels = &pb;
    char a[512], b[512];
    path_in(a, sizeof a, f, "dec.png");
    path_in(b, sizeof b, f, "whole.png");
    clock_t t0 = clock();
    write_ok(&fa, a);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    write_ok(&fb, b);
    image ia, ib;
    load_png(a, &ia);
    load_png(b, &ib);
    long differ = 0, drawn = 0;
    for (int j = 0; j < ia.h; j++)
        for (int i = 0; i < ia.w; i++) {
            unsigned int ca = px(&ia, i, j), cb = px(&ib, i, j);
            drawn += cb != RGB_WHITE;
            differ += cdist(ca, cb) > 80;
        }
    if (differ > drawn / 100)
        fail_msg("decimated and whole differ at %ld of %ld drawn pixels",
                 differ, drawn);
    if (secs > 2)
        fail_msg("400k points took %.2f s", secs);
    image_free(&ia);
    image_free(&ib);
    free(x), free(y);
}

/* The label key lists only the labels present; a sequential map masks. */
static void test_heat_key(void **state)
{
    fixture *f = *state;
    static const unsigned int pal[3] = {0x009E73u, 0x0072B2u, 0xD55E00u};
    static const char *const names[3] = {"a", "b", "c"};
    double v[4] = {0, 2, 2, 0}; /* b absent */
    gdn_heatmap h = {.nx = 2, .ny = 2, .v = v, .palette = pal,
                     .npalette = 3, .names = names};
    gdn_panel pn = {.xmin = 0, .xmax = 1, .ymin = 0, .ymax = 1, .heat = &h};
    gdn_figure fig = {.width = 400, .height = 300, .rows = 1, .cols = 1,
                      .panels = &pn};
    char path[512];
    path_in(path, sizeof path, f, "key.png");
    write_ok(&fig, path);
    image im;
    load_png(path, &im);
    /* the key: swatches 20 px apart from the plot area's top + 8, at the
     * plot area's right + 14 (plot.c's layout: 66 left, 106 right) */
    int kx = 400 - 106 + 14 + 7, ky = 14 + 8 + 7;
    assert_true(cdist(px(&im, kx, ky), 0x009E73u) <= 2);
    assert_true(cdist(px(&im, kx, ky + 20), 0xD55E00u) <= 2);
    assert_true(px(&im, kx, ky + 40) == RGB_WHITE);
    image_free(&im);
    /* sequential: masked cells grey, the smallest value darkest */
    double w[4] = {1e-6, 1e-3, 5.0, 1.0};
    unsigned char mask[4] = {0, 0, 1, 0};
    gdn_heatmap s = {.nx = 2, .ny = 2, .v = w, .seq_log = 1, .mask = mask,
                     .mask_name = "diverged"};
    pn.heat = &s;
    write_ok(&fig, path);
    load_png(path, &im);
    double cx, cy;
    map(&fig, 0, 0.25, 0.75, &cx, &cy); /* row 1, column 0: masked */
    assert_true(cdist(px(&im, pix(cx), pix(cy)), 0xCCCCCCu) <= 2);
    map(&fig, 0, 0.25, 0.25, &cx, &cy); /* 1e-6: the darkest */
    assert_true(cdist(px(&im, pix(cx), pix(cy)), 0x440154u) <= 2);
    map(&fig, 0, 0.75, 0.75, &cx, &cy); /* 1: the largest unmasked */
    assert_true(cdist(px(&im, pix(cx), pix(cy)), 0xD2E21Bu) <= 2);
    image_free(&im);
}

static void test_symbols(void **state)
{
    (void)state;
    char b[64];
    static const char *const cases[][2] = {
        {"opt.lr", "η"}, {"lr_d", "η_D"}, {"reg.gamma", "γ"},
        {"model.lambda", "λ"}, {"beta", "β"}, {"sigma", "σ"},
        {"theta1", "θ₁"}, {"phi12", "φ₁₂"}, {"model.c", "c"},
        {"thetax", "thetax"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        gdn_plot_symbol(cases[k][0], 0, b, sizeof b);
        assert_string_equal(b, cases[k][1]);
    }
    gdn_plot_symbol("opt.lr", 1, b, sizeof b);
    assert_string_equal(b, "log₁₀ η");
}

/* Trajectory figures: the end marker at the last sample; animations mark
 * the current point instead, with its time; the limit circle has radius
 * Γ0^(1/4); distance is |x|; cols sets the grid. */
static void test_traj_extras(void **state)
{
    (void)state;
    gdn_traj tr;
    gdn_system sys;
    run_nsgan(2, SEED2, 20, &tr, &sys);
    const gdn_traj *one = &tr;
    gdn_plot_opts o;
    gdn_plot_opts_init(&o);
    o.circle = 1;
    gdn_figure fig;
    gdn_plot_store *st = NULL;
    gdn_error err;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    const gdn_panel *pn = &fig.panels[0];
    assert_int_equal(pn->nmarkers, 3);
    const double *last = tr.x + 4 * (tr.count - 1);
    assert_true(pn->markers[2].x == last[2] && pn->markers[2].y == last[3]);
    assert_string_equal(pn->markers[2].label, "end");
    assert_null(pn->head_t);
    /* the circle: radius (|phi|^2 |theta|^2 - (phi . theta)^2)^(1/4) */
    const double *x0 = tr.x;
    double g0 = (x0[0] * x0[0] + x0[1] * x0[1]) *
                    (x0[2] * x0[2] + x0[3] * x0[3]) -
                pow(x0[0] * x0[2] + x0[1] * x0[3], 2);
    const gdn_line *c = &pn->lines[pn->nlines - 1];
    assert_true(c->dashed);
    for (size_t k = 0; k < c->count; k += 17)
        assert_true(fabs(hypot(c->x[k], c->y[k]) - pow(g0, 0.25)) < 1e-12);
    gdn_plot_store_free(st);
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 1, &fig, &st, &err),
                     GDN_OK);
    assert_int_equal(fig.panels[0].nmarkers, 2); /* no end while growing */
    assert_true(fig.panels[0].head_t == tr.t);
    gdn_plot_store_free(st);
    /* distance */
    o.kind = GDN_PLOT_DISTANCE;
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 0, &fig, &st, &err),
                     GDN_OK);
    const gdn_line *d = &fig.panels[0].lines[0];
    for (size_t k = 0; k < tr.count; k += 13) {
        const double *xk = tr.x + 4 * k;
        double r = sqrt(xk[0] * xk[0] + xk[1] * xk[1] + xk[2] * xk[2] +
                        xk[3] * xk[3]);
        assert_true(fabs(d->y[k] - r) <= 1e-15 * r);
    }
    gdn_plot_store_free(st);
    assert_int_equal(gdn_plot_build(&one, NULL, 1, &o, 1, &fig, &st, &err),
                     GDN_EINVAL); /* not a path: no .gif */
    /* cols */
    const gdn_traj *five[5] = {&tr, &tr, &tr, &tr, &tr};
    gdn_plot_opts_init(&o);
    o.cols = 2;
    assert_int_equal(gdn_plot_build(five, NULL, 5, &o, 0, &fig, &st, &err),
                     GDN_OK);
    assert_int_equal(fig.cols, 2);
    assert_int_equal(fig.rows, 3);
    gdn_plot_store_free(st);
    gdn_traj_release(&tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette),
        cmocka_unit_test_setup_teardown(test_png_handmade, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_equal_aspect),
        cmocka_unit_test_setup_teardown(test_log_axis, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_theta_figure, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_phase_figure, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_series_figure, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_svg, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_labels_drawn, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_pdf, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_deterministic, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_gif, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_gif_hold, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_traj_gif, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_errors, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_scale, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_by_index, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_decimation, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_heat_key, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_symbols),
        cmocka_unit_test(test_traj_extras),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
