/*
 * cmd_analyze.c - 'gandyn analyze': local stability of the flow or of an
 * optimizer's step, at the equilibrium or any point, and scans of it over
 * one or two parameters with the boundaries of the stable region.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gandyn.h"

#include "../core/gmath.h"

static const char usage_text[] =
    "usage: gandyn analyze [OPTIONS]\n"
    "\n"
    "Linearises the flow (A = -diag(lr_d, lr_g) J) or one step of a discrete\n"
    "optimizer (its Jacobian on the state augmented with the method's memory)\n"
    "at the equilibrium, prints the matrix, its eigenvalues (gandyn's QR solver) and\n"
    "the verdict: stable (rate), unstable, linearly neutral (the linearisation\n"
    "cannot decide: then what the Gram determinant Gamma does), not\n"
    "differentiable (and why), or not computable (the linearisation overflows\n"
    "the double range at these parameters; named).\n"
    "\n"
    "  --model SPEC      loss pair (default nsgan)\n"
    "  --reg SPEC        regularizer, repeatable\n"
    "  --dim N           dimension (default 1: every model is rotation-\n"
    "                    invariant, so at the equilibrium each eigenvalue of\n"
    "                    the 1-D system appears n times)\n"
    "  --opt SPEC        flow (default) or a discrete method with its lr, ...\n"
    "  --at LIST         the point phi1..phin,theta1..thetan (default: 0);\n"
    "                    discrete methods need a fixed point\n"
    "  --tol T           |max Re| or |rho - 1| below T is neutral (1e-10)\n"
    "  --scan K=LO:HI:N  scan parameter K (lr, lr_d, gamma, lambda, ...; qualify\n"
    "                    as opt.K, model.K or reg.K when ambiguous) over N\n"
    "                    points (log:LO:HI:N for a log grid); twice for a map.\n"
    "                    The boundaries of the stable region are found by\n"
    "                    bisection (1 parameter) or traced (2 parameters)\n"
    "  --json [FILE]     the results as JSON (no FILE or '-': stdout), with\n"
    "                    \"spec\" (every parameter) and \"argv\", the command\n"
    "                    line that reproduces the record\n"
    "  --plot FILE       eigenvalues in the complex plane (with the unit\n"
    "                    circle for a discrete map), or the scan: a line for\n"
    "                    one parameter, a map with its boundary for two\n"
    "  --quiet           no report\n"
    "\n"
    "Exit status: 0, or 2 for bad input or an unwritable output.\n";

enum { O_HELP, O_MODEL, O_REG, O_DIM, O_OPT, O_AT, O_TOL, O_SCAN, O_JSON,
       O_PLOT, O_QUIET };

static const cli_opt options[] = {
    {"help", CLI_FLAG, O_HELP},  {"model", CLI_VALUE, O_MODEL},
    {"reg", CLI_VALUE | CLI_REPEAT, O_REG},   {"dim", CLI_VALUE, O_DIM},
    {"opt", CLI_VALUE, O_OPT},   {"at", CLI_VALUE, O_AT},
    {"tol", CLI_VALUE, O_TOL},   {"scan", CLI_VALUE | CLI_REPEAT, O_SCAN},
    {"json", CLI_OPTIONAL, O_JSON}, {"plot", CLI_VALUE, O_PLOT},
    {"quiet", CLI_FLAG, O_QUIET}, {NULL, 0, 0}};

typedef struct setup {
    gdn_system sys;
    gdn_run_opts opts;
    double *at;        /* NULL: the equilibrium */
    double tol;
    gdn_sweep_axis ax[2]; /* the scanned parameters (gandyn/sweep.h) */
    size_t nax;
} setup;

static double axis_value(const gdn_sweep_axis *a, long i)
{
    return gdn_sweep_axis_value(a, i);
}

/* Parses a --scan axis: a parameter, not a coordinate of the start. */
static int parse_axis(const char *text, setup *su, gdn_sweep_axis *a,
                      gdn_error *err)
{
    gdn_sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.sys = su->sys, sw.opts = su->opts;
    gdn_error e;
    if (gdn_sweep_axis_parse(text, &sw, a, &e))
        return gdn_error_set(err, GDN_EINVAL, "--scan %s", e.msg);
    if (a->target == GDN_AXIS_COORD)
        return gdn_error_set(err, GDN_EINVAL,
                             "--scan '%s': scans vary parameters; the point "
                             "is --at", text);
    return GDN_OK;
}

/* ---------------------------------------------------------------- output */

/* Prints eigenvalues grouping equal ones: "0 ± 0.5i (x2)". */
static void print_eigs(const gdn_stability *st)
{
    for (size_t i = 0; i < st->dim;) {
        const gdn_eig *e = &st->eig[i];
        size_t same = 1, step = e->im != 0 ? 2 : 1;
        while (i + same * step < st->dim &&
               fabs(st->eig[i + same * step].re - e->re) <= 1e-13 &&
               fabs(fabs(st->eig[i + same * step].im) - fabs(e->im)) <= 1e-13)
            same++;
        if (e->im != 0)
            printf("    %.12g ± %.12gi", e->re, fabs(e->im));
        else
            printf("    %.12g", e->re);
        if (st->discrete)
            printf("   |λ| = %.12g", gdn__hypot(e->re, e->im));
        printf(same > 1 ? "   (x%zu)\n" : "\n", same);
        i += same * step;
    }
}

static void print_report(const setup *su, const gdn_stability *st)
{
    printf("gandyn analyze: %s", su->sys.model.type->name);
    for (size_t k = 0; k < su->sys.nreg; k++)
        printf(" + %s", su->sys.reg[k].type->name);
    printf(", n = %zu, %s, at %s\n", su->sys.n, su->opts.opt->name,
           su->at ? "the given point" : "the equilibrium");
    if (st->matrix) {
        printf("  %s (%zu x %zu):\n", st->discrete
                   ? "Jacobian of one step, on (x, memory)"
                   : "Jacobian of the flow",
               st->dim, st->dim);
        for (size_t i = 0; i < st->dim && st->dim <= 12; i++) {
            printf("   ");
            for (size_t j = 0; j < st->dim; j++)
                printf(" %10.6g", st->matrix[i * st->dim + j]);
            putchar('\n');
        }
        if (st->dim > 12)
            printf("    (too large to print; see --json)\n");
        printf("  eigenvalues:\n");
        print_eigs(st);
    }
    printf("  verdict: %s\n", st->text);
    if (st->invariant[0] && (!st->discrete || st->verdict == GDN_STAB_NEUTRAL))
        printf("  invariant: %s\n", st->invariant);
}

static void json_stability(gdn_json *j, const gdn_stability *st)
{
    gdn_json_key(j, "verdict"), gdn_json_str(j, gdn_stab_verdict_name(st->verdict));
    gdn_json_key(j, "text"), gdn_json_str(j, st->text);
    gdn_json_key(j, "discrete"), gdn_json_bool(j, st->discrete);
    gdn_json_key(j, st->discrete ? "spectral_radius" : "max_real_part");
    gdn_json_num(j, st->discrete ? st->rho : st->max_re);
    gdn_json_key(j, "rate"), gdn_json_num(j, st->rate);
    gdn_json_key(j, "tol"), gdn_json_num(j, st->tol);
    gdn_json_key(j, "invariant");
    if (st->invariant[0])
        gdn_json_str(j, st->invariant);
    else
        gdn_json_null(j); /* a discrete method whose effect is not known */
    gdn_json_key(j, "gram_rate"), gdn_json_num(j, st->gram_rate);
    if (st->matrix) {
        gdn_json_key(j, "matrix");
        gdn_json_begin(j, '[');
        for (size_t i = 0; i < st->dim; i++)
            gdn_json_nums(j, st->matrix + i * st->dim, st->dim);
        gdn_json_end(j, ']');
        gdn_json_key(j, "eigenvalues");
        gdn_json_begin(j, '[');
        for (size_t i = 0; i < st->dim; i++) {
            double e[2] = {st->eig[i].re, st->eig[i].im};
            gdn_json_nums(j, e, 2);
        }
        gdn_json_end(j, ']');
    }
}

/* The SPEC of a term or of the optimizer with every parameter (they read
 * back into exactly these values). */
static void spec_of(const char *name, const gdn_param *params,
                    const double *par, char *buf, size_t size)
{
    if (gdn_params_format(name, params, par, buf, size))
        snprintf(buf, size, "%s", name); /* cannot happen: 12 short keys */
}

/* "opt.lr=0.01:2:200" or "reg.gamma=log:0.01:1:20". */
static void scan_text(const gdn_sweep_axis *a, char *buf, size_t size)
{
    char lo[32], hi[32];
    gdn_format_double(a->lo, lo, sizeof lo);
    gdn_format_double(a->hi, hi, sizeof hi);
    snprintf(buf, size, "%s=%s%s:%s:%ld", a->name, a->logscale ? "log:" : "",
             lo, hi, a->count);
}

/* Everything that determines the result, resolved ("spec"), and the
 * command line that reruns it ("argv": gandyn ARGV gives the same
 * record). */
static void json_rerun(gdn_json *j, const setup *su)
{
    char buf[1024], num[32];
    size_t m = 2 * su->sys.n;
    const gdn_opt_type *o = su->opts.opt;
    char model[512], optspec[512], regs[GDN_MAX_REGS][512];
    spec_of(su->sys.model.type->name, su->sys.model.type->params,
            su->sys.model.par, model, sizeof model);
    spec_of(o->name, o->params, su->opts.par, optspec, sizeof optspec);
    for (size_t k = 0; k < su->sys.nreg; k++)
        spec_of(su->sys.reg[k].type->name, su->sys.reg[k].type->params,
                su->sys.reg[k].par, regs[k], sizeof regs[k]);
    double tol = su->tol > 0 ? su->tol : 1e-10;
    char *at = NULL;
    if (su->at && (at = malloc(m * 26 + 1))) {
        size_t used = 0;
        for (size_t i = 0; i < m; i++) {
            gdn_format_double(su->at[i], num, sizeof num);
            used += (size_t)sprintf(at + used, "%s%s", i ? "," : "", num);
        }
    }
    gdn_json_key(j, "spec");
    gdn_json_begin(j, '{');
    gdn_json_key(j, "model"), gdn_json_str(j, model);
    gdn_json_key(j, "regularizers");
    gdn_json_begin(j, '[');
    for (size_t k = 0; k < su->sys.nreg; k++)
        gdn_json_str(j, regs[k]);
    gdn_json_end(j, ']');
    gdn_json_key(j, "optimizer"), gdn_json_str(j, optspec);
    gdn_json_key(j, "dim"), gdn_json_int(j, (long)su->sys.n);
    gdn_json_key(j, "at");
    if (su->at)
        gdn_json_nums(j, su->at, m);
    else
        gdn_json_str(j, "equilibrium");
    gdn_json_key(j, "tol"), gdn_json_num(j, tol);
    gdn_json_key(j, "scan");
    gdn_json_begin(j, '[');
    for (size_t d = 0; d < su->nax; d++) {
        scan_text(&su->ax[d], buf, sizeof buf);
        gdn_json_str(j, buf);
    }
    gdn_json_end(j, ']');
    gdn_json_end(j, '}');
    gdn_json_key(j, "argv");
    gdn_json_begin(j, '[');
    gdn_json_str(j, "analyze");
    gdn_json_str(j, "--model"), gdn_json_str(j, model);
    for (size_t k = 0; k < su->sys.nreg; k++)
        gdn_json_str(j, "--reg"), gdn_json_str(j, regs[k]);
    gdn_json_str(j, "--opt"), gdn_json_str(j, optspec);
    snprintf(num, sizeof num, "%zu", su->sys.n);
    gdn_json_str(j, "--dim"), gdn_json_str(j, num);
    gdn_format_double(tol, num, sizeof num);
    gdn_json_str(j, "--tol"), gdn_json_str(j, num);
    if (at)
        gdn_json_str(j, "--at"), gdn_json_str(j, at);
    for (size_t d = 0; d < su->nax; d++) {
        scan_text(&su->ax[d], buf, sizeof buf);
        gdn_json_str(j, "--scan"), gdn_json_str(j, buf);
    }
    gdn_json_end(j, ']');
    free(at);
}

static void json_head(gdn_json *j, const setup *su)
{
    gdn_json_key(j, "gandyn"), gdn_json_str(j, "analyze");
    gdn_json_key(j, "model"), gdn_json_str(j, su->sys.model.type->name);
    gdn_json_key(j, "regularizers");
    gdn_json_begin(j, '[');
    for (size_t k = 0; k < su->sys.nreg; k++)
        gdn_json_str(j, su->sys.reg[k].type->name);
    gdn_json_end(j, ']');
    gdn_json_key(j, "optimizer"), gdn_json_str(j, su->opts.opt->name);
    gdn_json_key(j, "dim"), gdn_json_int(j, (long)su->sys.n);
    json_rerun(j, su);
}

/* Eigenvalues in the complex plane, with the unit circle for a map. */
static int plot_eigs(const gdn_stability *st, const char *path, gdn_error *err)
{
    return gdn_plot_eigs(st, NULL, 0, 0, path, err);
}

/* ------------------------------------------------------------------ scans */

static int plot_scan(const setup *su, const gdn_scan *sc, int discrete,
                     const char *path, gdn_error *err)
{
    const gdn_sweep_axis *a = &su->ax[0];
    char ylab[64], title[400], xsym[96], ysym[96];
    gdn_plot_symbol(a->name, 0, xsym, sizeof xsym);
    gdn_plot_symbol(su->nax > 1 ? su->ax[1].name : "", 0, ysym, sizeof ysym);
    snprintf(ylab, sizeof ylab, "%s", discrete ? "spectral radius ρ"
                                               : "max Re λ");
    snprintf(title, sizeof title, "%s, %s: stability over %s%s%s",
             su->sys.model.type->name, su->opts.opt->name, xsym,
             su->nax > 1 ? " and " : "", su->nax > 1 ? ysym : "");
    if (su->nax == 1) {
        long n = a->count;
        double *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
        double bx[2 * GDN_SCAN_MAX_BOUNDS * 3], by[2 * GDN_SCAN_MAX_BOUNDS * 3];
        double hx[2], hy[2];
        if (!x || !y) {
            free(x), free(y);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        double lo = INFINITY, hi = -INFINITY;
        for (long i = 0; i < n; i++) {
            x[i] = axis_value(a, i);
            y[i] = sc->f[i] + (discrete ? 1 : 0);
            if (isfinite(y[i]))
                lo = fmin(lo, y[i]), hi = fmax(hi, y[i]);
        }
        double thr = discrete ? 1 : 0;
        lo = fmin(lo, thr), hi = fmax(hi, thr);
        double pad = 0.05 * fmax(hi - lo, 1e-9);
        hx[0] = x[0], hx[1] = x[n - 1], hy[0] = hy[1] = thr;
        size_t nb = 0;
        for (size_t k = 0; k < sc->nbounds; k++) {
            bx[nb] = bx[nb + 1] = sc->bounds[k], bx[nb + 2] = NAN;
            by[nb] = lo - pad, by[nb + 1] = hi + pad, by[nb + 2] = NAN;
            nb += 3;
        }
        gdn_line lines[3] = {
            {.x = x, .y = y, .count = (size_t)n, .color = GDN_BLUE,
             .label = discrete ? "ρ" : "max Re λ"},
            {.x = hx, .y = hy, .count = 2, .color = GDN_GREY, .dashed = 1,
             .label = discrete ? "ρ = 1" : "Re λ = 0"},
            {.x = bx, .y = by, .count = nb, .color = GDN_VERMILLION,
             .label = nb ? "boundary" : NULL}};
        gdn_panel pn = {.xlabel = xsym, .ylabel = ylab, .xmin = NAN,
                        .xmax = NAN, .ymin = lo - pad, .ymax = hi + pad,
                        .legend = 1, .nlines = nb ? 3 : 2, .lines = lines};
        gdn_figure fig = {.width = 800, .height = 480, .rows = 1, .cols = 1,
                          .panels = &pn, .title = title};
        int rc = gdn_figure_write(&fig, path, err);
        free(x), free(y);
        return rc;
    }
    const gdn_sweep_axis *b = &su->ax[1];
    gdn_heatmap h = {.nx = (size_t)a->count, .ny = (size_t)b->count,
                     .v = sc->f, .center = 0,
                     .label = discrete ? "ρ - 1" : "max Re λ"};
    gdn_line cl = {.x = sc->contour, .y = sc->contour + 1,
                   .count = sc->ncontour, .xstride = 2, .ystride = 2,
                   .color = GDN_BLACK, .width = 2, .label = "boundary"};
    /* cells centred on the grid points */
    double dx = (a->hi - a->lo) / (double)(a->count - 1) / 2;
    double dy = (b->hi - b->lo) / (double)(b->count - 1) / 2;
    gdn_panel pn = {.xlabel = xsym, .ylabel = ysym,
                    .xmin = a->lo - dx, .xmax = a->hi + dx,
                    .ymin = b->lo - dy, .ymax = b->hi + dy,
                    .legend = sc->ncontour > 0,
                    .nlines = sc->ncontour ? 1 : 0, .lines = &cl, .heat = &h};
    gdn_figure fig = {.width = 760, .height = 640, .rows = 1, .cols = 1,
                      .panels = &pn, .title = title};
    if (a->logscale || b->logscale)
        return gdn_error_set(err, GDN_EINVAL,
                             "--plot: a map over a log grid is not drawn yet; "
                             "use linear grids");
    return gdn_figure_write(&fig, path, err);
}

static void print_scan(const setup *su, const gdn_scan *sc, int discrete)
{
    const gdn_sweep_axis *a = &su->ax[0];
    printf("gandyn analyze: %s, %s, scan of %s", su->sys.model.type->name,
           su->opts.opt->name, a->name);
    if (su->nax > 1)
        printf(" and %s", su->ax[1].name);
    printf(" (%ld points)\n", sc->n0 * sc->n1);
    if (su->nax == 1) {
        printf("  %14s  %-19s %s\n", a->name, "verdict",
               discrete ? "spectral radius" : "max Re lambda");
        for (long i = 0; i < a->count; i++) {
            printf("  %14.8g  %-19s ", axis_value(a, i),
                   gdn_stab_verdict_name(sc->verdict[i]));
            if (isfinite(sc->f[i])) /* none: not differentiable or not
                                       computable */
                printf("%.12g\n", sc->f[i] + (discrete ? 1 : 0));
            else
                printf("-\n");
        }
        if (sc->nbounds == 0)
            printf("  no boundary in the range\n");
        for (size_t k = 0; k < sc->nbounds; k++)
            printf("  boundary: %s = %.12g (stable %s)\n", a->name,
                   sc->bounds[k], sc->stable_above[k] ? "above" : "below");
    } else {
        long stable = 0;
        for (long k = 0; k < sc->n0 * sc->n1; k++)
            stable += sc->verdict[k] == GDN_STAB_STABLE;
        printf("  stable at %ld of %ld grid points; boundary traced through "
               "%zu cells\n",
               stable, sc->n0 * sc->n1, sc->ncontour / 3);
    }
}

/* ------------------------------------------------------------------- main */

int cmd_analyze(int argc, char **argv)
{
    const char *model = "nsgan", *opt = "flow", *at_text = NULL;
    const char *regs[GDN_MAX_REGS], *scans[2], *json = NULL, *plot = NULL;
    size_t nreg = 0, nscan = 0;
    long dim = 1;
    int want_json = 0, quiet = 0, id, rc, code = GDN_EXIT_USAGE;
    const char *val;
    gdn_error err;
    setup su;
    memset(&su, 0, sizeof su);
    cli_parser p;
    cli_init(&p, argc, argv, "analyze");
    while ((rc = cli_next(&p, options, &id, &val)) == 1) {
        switch (id) {
        case O_HELP: fputs(usage_text, stdout); return GDN_EXIT_OK;
        case O_MODEL: model = val; break;
        case O_OPT: opt = val; break;
        case O_AT: at_text = val; break;
        case O_QUIET: quiet = 1; break;
        case O_PLOT: plot = val; break;
        case O_JSON: want_json = 1, json = val; break;
        case O_REG:
            if (nreg >= GDN_MAX_REGS) {
                cli_error("analyze: at most %d --reg", GDN_MAX_REGS);
                return GDN_EXIT_USAGE;
            }
            regs[nreg++] = val;
            break;
        case O_SCAN:
            if (nscan >= 2) {
                cli_error("analyze: --scan '%s': at most two parameters", val);
                return GDN_EXIT_USAGE;
            }
            scans[nscan++] = val;
            break;
        case O_DIM:
            if (gdn_parse_long(val, "--dim", 1, 2048, &dim, &err))
                goto bad;
            break;
        case O_TOL:
            if (gdn_parse_double(val, "--tol", &su.tol, &err))
                goto bad;
            if (!(su.tol > 0)) {
                cli_error("--tol: %s is out of range (accepted: > 0)", val);
                return GDN_EXIT_USAGE;
            }
            break;
        }
    }
    if (rc < 0)
        return GDN_EXIT_USAGE;
    int json_stdout = want_json && (!json || !strcmp(json, "-"));
    if (gdn_system_from_specs(&su.sys, (size_t)dim, model, regs, nreg, NULL,
                              NULL, &err))
        goto bad;
    gdn_run_opts_init(&su.opts, gdn_opt_find("flow"));
    if (gdn_spec_opt(opt, &su.opts, NULL, &err) ||
        gdn_run_opts_check(&su.opts, &err))
        goto bad;
    size_t m = 2 * (size_t)dim;
    double at[4096];
    if (at_text) {
        if (gdn_parse_state(at_text, "--at", (size_t)dim, at, &err))
            goto bad;
        su.at = at;
    }
    for (size_t k = 0; k < nscan; k++)
        if (parse_axis(scans[k], &su, &su.ax[k], &err))
            goto bad;
    su.nax = nscan;
    if (nscan == 2 && !strcmp(su.ax[0].name, su.ax[1].name)) {
        cli_error("--scan: '%s' given twice", su.ax[0].name);
        return GDN_EXIT_USAGE;
    }
    int pf;
    if (plot && gdn_figure_format(plot, &pf, &err))
        goto bad;
    if (plot && pf == GDN_FIG_GIF) {
        cli_error("--plot %s: an analysis is a still figure (accepted: .png, "
                  ".svg, .pdf)", plot);
        return GDN_EXIT_USAGE;
    }
    /* the outputs, committed together at the end (or none) */
    const char *plot_to = NULL;
    int k_json = -1, k_plot = -1;
    gdn_outset *os = cli_outset_new();
    if (!os)
        return GDN_EXIT_USAGE;
    if (want_json && !json_stdout &&
        (k_json = gdn_outset_add(os, json, "--json", &err)) < 0)
        goto bad_os;
    if (plot && (k_plot = gdn_outset_add(os, plot, "--plot", &err)) < 0)
        goto bad_os;
    if (plot)
        plot_to = gdn_outset_path(os, k_plot);
    FILE *jfp = stdout;
    if (k_json >= 0 && !(jfp = gdn_outset_fp(os, k_json, &err)))
        goto bad_os;

    if (nscan == 0) {
        gdn_stability st;
        if (gdn_stability_analyze(&su.sys, &su.opts, su.at, su.tol, &st,
                                  &err)) {
            gdn_outset_free(os);
            goto bad;
        }
        if (plot && !st.matrix) {
            cli_error("--plot %s: no eigenvalues to draw (%s)", plot, st.text);
            gdn_stability_release(&st);
            gdn_outset_free(os);
            return GDN_EXIT_USAGE;
        }
        if (plot && plot_eigs(&st, plot_to, &err)) {
            gdn_stability_release(&st);
            goto bad_os;
        }
        if (want_json) {
            gdn_json j;
            gdn_json_init(&j, jfp);
            gdn_json_begin(&j, '{');
            json_head(&j, &su);
            gdn_json_key(&j, "point");
            if (su.at)
                gdn_json_nums(&j, su.at, m);
            else
                gdn_json_str(&j, "equilibrium");
            json_stability(&j, &st);
            gdn_json_end(&j, '}');
            fputc('\n', jfp);
        }
        if (!quiet && !json_stdout)
            print_report(&su, &st);
        gdn_stability_release(&st);
    } else {
        gdn_scan sc;
        size_t cells = (size_t)(su.ax[0].count *
                                (nscan > 1 ? su.ax[1].count : 1));
        if (cells > GDN_SCAN_MAX_POINTS) {
            cli_error("--scan: %zu points is too many (at most 4e6)", cells);
            gdn_outset_free(os);
            return GDN_EXIT_USAGE;
        }
        if (gdn_scan_init(&sc, su.ax, nscan, &err)) {
            gdn_scan_release(&sc);
            gdn_outset_free(os);
            return GDN_EXIT_FAIL;
        }
        int discrete = !gdn_run_opts_is_flow(&su.opts);
        if (gdn_scan_run(&sc, &su.sys, &su.opts, su.at, su.tol, &err) ||
            (plot && plot_scan(&su, &sc, discrete, plot_to, &err))) {
            gdn_scan_release(&sc);
            goto bad_os;
        }
        if (want_json) {
            gdn_json j;
            gdn_json_init(&j, jfp);
            gdn_json_begin(&j, '{');
            json_head(&j, &su);
            gdn_json_key(&j, "axes");
            gdn_json_begin(&j, '[');
            for (size_t d = 0; d < nscan; d++) {
                gdn_json_begin(&j, '{');
                gdn_json_key(&j, "name"), gdn_json_str(&j, su.ax[d].name);
                gdn_json_key(&j, "values");
                gdn_json_begin(&j, '[');
                for (long i = 0; i < su.ax[d].count; i++)
                    gdn_json_num(&j, axis_value(&su.ax[d], i));
                gdn_json_end(&j, ']');
                gdn_json_end(&j, '}');
            }
            gdn_json_end(&j, ']');
            gdn_json_key(&j, discrete ? "spectral_radius" : "max_real_part");
            gdn_json_begin(&j, '[');
            for (size_t k = 0; k < cells; k++)
                gdn_json_num(&j, sc.f[k] + (discrete ? 1 : 0));
            gdn_json_end(&j, ']');
            gdn_json_key(&j, "verdicts");
            gdn_json_begin(&j, '[');
            for (size_t k = 0; k < cells; k++)
                gdn_json_str(&j, gdn_stab_verdict_name(sc.verdict[k]));
            gdn_json_end(&j, ']');
            if (nscan == 1) {
                gdn_json_key(&j, "boundaries");
                gdn_json_nums(&j, sc.bounds, sc.nbounds);
            }
            gdn_json_end(&j, '}');
            fputc('\n', jfp);
        }
        if (!quiet && !json_stdout)
            print_scan(&su, &sc, discrete);
        gdn_scan_release(&sc);
    }
    if (cli_flush_stdout()) { /* stdout lost: commit nothing */
        gdn_outset_free(os);
        return GDN_EXIT_USAGE;
    }
    if (gdn_outset_commit(os, &err))
        goto bad_os;
    gdn_outset_free(os);
    code = GDN_EXIT_OK;
    return code;
bad_os:
    cli_error_as(err.msg, plot_to, plot);
    gdn_outset_free(os);
    return GDN_EXIT_USAGE;
bad:
    cli_error("%s", err.msg);
    return GDN_EXIT_USAGE;
}
