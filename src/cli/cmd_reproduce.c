/*
 * cmd_reproduce.c - 'gandyn reproduce': every claim of the seed article,
 * run with the seed's settings, measured, and judged.
 *
 * Each experiment is a 'gandyn simulate' command line, parsed by the same
 * code as the command itself (sim_setup.c), so the commands the report
 * prints regenerate exactly the numbers it shows.  Each claim reads the
 * measurements of its experiments and decides a verdict by a rule written
 * next to it: holds, holds with a refinement (stated), or does not hold.
 *
 * Output (in --out DIR): one figure (.png) and animation (.gif) per seed
 * figure, figures of the extended horizons, the 1-D vs 2-D comparison, the
 * f-GAN panels, the EMA figures, claims.json and index.html.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sim_setup.h"

static const char usage_text[] =
    "usage: gandyn reproduce [--out DIR] [--no-gif] [--quiet]\n"
    "\n"
    "Runs every claim of the seed (docs/specification.md section 5) with the\n"
    "seed's settings (start (phi, theta) = (0.1, 0.2, 0.2, 0.1), the seed's\n"
    "horizons, extended where a run has not settled), measures, and judges\n"
    "each claim: holds, holds with a refinement, or does not hold.\n"
    "\n"
    "  --out DIR   where to write (default gandyn-report/): figures (.png),\n"
    "              animations (.gif), claims.json and index.html, a page\n"
    "              that needs nothing but the files beside it; under each\n"
    "              figure the one command (gandyn plot, analyze --plot or\n"
    "              sweep --plot) that makes exactly it from the printed runs;\n"
    "              all appear at the end (a new DIR is built beside it and\n"
    "              renamed), or none if the command fails or is killed\n"
    "  --no-gif    skip the animations\n"
    "  --quiet     no table on stdout\n"
    "\n"
    "Exit status: 0 (whatever the verdicts), 2 for bad input or an\n"
    "unwritable DIR.\n";

/* ------------------------------------------------------------ experiments */

typedef struct exper {
    const char *id;    /* file stem */
    const char *title; /* panel title */
    const char *args;  /* options of 'gandyn simulate' */
    sim s;
    gdn_traj tr; /* the run's samples (owned by s) */
    gdn_diagnosis d;
    int rc;  /* the run's final status */
    int ran; /* 1 once run */
} exper;

/* Short names of the experiments: E_NSGAN for GDN_EX_NSGAN, ... */
enum {
#define E_ALIAS_(name) E_##name = GDN_EX_##name,
    GDN_EXPERIMENTS(E_ALIAS_)
#undef E_ALIAS_
    E_FGAN0 = GDN_EX_FGAN0,
    E_COUNT = GDN_EX_COUNT
};

/* The experiments of the claims (gandyn/claims.h), as they are run. */
static exper experiments[E_COUNT];


/* Runs one experiment in process: 0, or 2 (a table entry is wrong). */
static int exper_run(exper *e)
{
    char buf[512], *argv[48];
    int argc = 0;
    argv[argc++] = "simulate";
    snprintf(buf, sizeof buf, "%s", e->args);
    for (char *tok = strtok(buf, " "); tok && argc < 47;
         tok = strtok(NULL, " "))
        argv[argc++] = tok;
    argv[argc] = NULL;
    sim_init(&e->s);
    if (sim_parse(&e->s, argc, argv, NULL) != 0 || sim_build(&e->s) != 0)
        return 2;
    gdn_error err;
    int rc = gdn_sim_run(e->s.api, &err);
    if (rc != GDN_OK) {
        cli_error("reproduce: %s: %s", e->id, err.msg);
        return rc == GDN_ENOMEM ? 1 : 2;
    }
    gdn_sim_info info;
    gdn_sim_get_info(e->s.api, &info);
    e->rc = info.status;
    e->tr = *gdn_sim_traj(e->s.api); /* a view: e->s.api owns the samples */
    e->d = *gdn_sim_diagnosis(e->s.api);
    e->ran = 1;
    return 0;
}

static void exper_release(exper *e)
{
    sim_release(&e->s);
    e->ran = 0;
}

/* The command that regenerates an experiment's run. */
static void exper_command(const exper *e, char *buf, size_t size)
{
    snprintf(buf, size, "gandyn simulate %s --out %s.csv --quiet", e->args,
             e->id);
}

/* ------------------------------------------------------ figures' commands */

/* A figure of the report and the one command that makes it: 'gandyn plot'
 * of experiments' runs, 'gandyn analyze --plot' or 'gandyn sweep --plot'.
 * The report draws each through the same library call, with the options
 * the command gives; tests/cli_reproduce.sh runs the printed commands and
 * compares the bytes. */
typedef struct figspec {
    const char *file;
    int ex[11];        /* gandyn plot: the runs (-1 ends); ex[0] < 0: other */
    int kind;          /* GDN_PLOT_* */
    int logy, own_axes, cols, by_time, circle, titled;
    const char *title;  /* --title (NULL: the experiment's title if titled) */
    const char *titles; /* --titles, comma-separated */
    const char *other;  /* the command when ex[0] < 0 */
} figspec;

/* The commands of the maps (gandyn/claims.h). */
#define sweep_map_cmd (gdn_claim_map_get(0)->command)
#define sweep_basin_cmd (gdn_claim_map_get(1)->command)

static void add(char *buf, size_t size, const char *fmt, ...);

static const figspec figspecs[] = {
    {"nsgan.png", {E_NSGAN, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0, 0},
    {"nsgan.gif", {E_NSGAN, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {"nsgan-long.png", {E_NSGAN_LONG, -1}, GDN_PLOT_THETA, 0, 0, 0, 1, 1, 1,
     0, 0, 0},
    {"nsgan-series.png", {E_NSGAN_LONG, -1}, GDN_PLOT_SERIES, 0, 0, 0, 0, 0,
     0, "nsgan to T = 3000: Γ is conserved, E settles", 0, 0},
    {"nsgan-eigs.png", {-1}, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     "gandyn analyze --model nsgan --plot nsgan-eigs.png --quiet"},
    {"fgans.png", {E_FGAN0, E_FGAN0 + 1, E_FGAN0 + 2, E_FGAN0 + 3,
                   E_FGAN0 + 4, E_FGAN0 + 5, E_FGAN0 + 6, E_FGAN0 + 7,
                   E_FGAN0 + 8, E_FGAN0 + 9, -1},
     GDN_PLOT_THETA, 0, 0, 2, 0, 0, 0,
     "f-GANs without regularizer, T = 100 (left saturating, right "
     "non-saturating)",
     "KL saturating,KL non-saturating,reverse KL saturating,reverse KL "
     "non-saturating,Pearson saturating,Pearson non-saturating,Hellinger "
     "saturating,Hellinger non-saturating,JS saturating,JS non-saturating",
     0},
    {"wgan.png", {E_WGAN, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0, 0},
    {"wgan.gif", {E_WGAN, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {"wgan-gp-c0.png", {E_GP0, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0,
     0},
    {"wgan-gp-c0.gif", {E_GP0, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 0, 0, 0,
     0},
    {"wgan-gp-c1.png", {E_GP1, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0,
     0},
    {"wgan-gp-c1.gif", {E_GP1, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 0, 0, 0,
     0},
    {"wgan-gp-c1-long.png", {E_GP1_LONG, -1}, GDN_PLOT_THETA, 0, 0, 0, 1, 0,
     1, 0, 0, 0},
    {"gan-qp.png", {E_QP, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0, 0},
    {"gan-qp.gif", {E_QP, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    {"gan-qp-long.png", {E_QP_LONG, -1}, GDN_PLOT_THETA, 0, 0, 0, 1, 1, 1, 0,
     0, 0},
    {"gan-qp-script.png", {E_QP_SCRIPT, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1,
     0, 0, 0},
    {"gan-qp-l2.png", {E_QP_L2, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0,
     0},
    {"gan-qp-l2.gif", {E_QP_L2, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 0, 0, 0,
     0},
    {"1d-vs-2d.png", {E_WGAN, E_WGAN_1D, E_QP, E_QP_1D, -1}, GDN_PLOT_SERIES,
     1, 1, 0, 0, 0, 0, "1-D against 2-D (Γ ≡ 0 in 1-D)",
     "wgan 2-D,wgan 1-D,gan-qp 2-D,gan-qp 1-D", 0},
    {"nsgan-ema.png", {E_EMA, -1}, GDN_PLOT_THETA, 0, 0, 0, 0, 0, 1, 0, 0, 0},
    {"ema-distance.png", {E_EMA, -1}, GDN_PLOT_DISTANCE, 0, 0, 0, 0, 0, 0,
     "nsgan: the EMAs against the last iterate", 0, 0},
    {"map-lr-gamma.png", {-1}, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
    {"basin-lsgan.png", {-1}, 0, 0, 0, 0, 0, 0, 0, 0, 0, NULL},
};
#define NFIGS (sizeof figspecs / sizeof figspecs[0])

static const figspec *figspec_of(const char *file)
{
    for (size_t k = 0; k < NFIGS; k++)
        if (strcmp(figspecs[k].file, file) == 0)
            return &figspecs[k];
    return NULL;
}

/* The --title of a figure (NULL: none). */
static const char *figspec_title(const figspec *f)
{
    return f->title ? f->title : f->titled ? experiments[f->ex[0]].title
                                           : NULL;
}

/* The command that makes figure FILE, in buf. */
static void fig_command(const char *file, char *buf, size_t size)
{
    const figspec *f = figspec_of(file);
    buf[0] = '\0';
    if (!f)
        return;
    if (f->ex[0] < 0) {
        snprintf(buf, size, "%s",
                 f->other ? f->other
                 : strcmp(file, "map-lr-gamma.png") == 0 ? sweep_map_cmd
                                                          : sweep_basin_cmd);
        return;
    }
    add(buf, size, "gandyn plot");
    for (size_t i = 0; f->ex[i] >= 0; i++)
        add(buf, size, " %s.csv", experiments[f->ex[i]].id);
    add(buf, size, " -o %s", f->file);
    if (f->kind != GDN_PLOT_THETA)
        add(buf, size, " --kind %s", gdn_plot_kind_name(f->kind));
    if (f->logy)
        add(buf, size, " --log");
    if (f->own_axes)
        add(buf, size, " --own-axes");
    if (f->cols)
        add(buf, size, " --cols %d", f->cols);
    if (f->by_time)
        add(buf, size, " --by-time");
    if (f->circle)
        add(buf, size, " --circle");
    if (figspec_title(f))
        add(buf, size, " --title '%s'", figspec_title(f));
    if (f->titles)
        add(buf, size, " --titles '%s'", f->titles);
}

/* ----------------------------------------------------------------- claims */

typedef gdn_claim_result claim;

static void add(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void add(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    if (used < size)
        vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- figures */

/* One cell of the stability table (gdn_stab_table_cell). */
typedef gdn_stab_cell cell;

#define ST_MODELS GDN_STAB_TABLE_MODELS
#define ST_METHODS GDN_STAB_TABLE_METHODS

typedef struct report {
    const char *dir;
    int gifs;
    int progress; /* stderr is a terminal */
    char path[4096];
    const claim *claims;
    size_t nclaims;
    cell table[ST_MODELS][ST_METHODS];
    int disagreements;
    int map_counts[2][7]; /* labels in the two sweep maps */
    gdn_outset *os;  /* every file of DIR, committed together at the end */
    int dird;        /* DIR in os */
    int nout;        /* files added */
    int last;        /* the latest in_dir's file */
    const char *staged; /* the latest in_dir, for messages */
} report;

/* Where to write DIR/file now (its staged name), or NULL (reported). */
static const char *in_dir(report *r, const char *file)
{
    gdn_error err;
    snprintf(r->path, sizeof r->path, "%s/%s", r->dir, file);
    for (int k = 0; k < r->nout; k++)
        if (!strcmp(gdn_outset_name(r->os, k), r->path))
            return r->last = k, r->staged = gdn_outset_path(r->os, k);
    int k = gdn_outset_add_in(r->os, r->dird, file, &err);
    if (k < 0) {
        cli_error("reproduce: %s", err.msg);
        return NULL;
    }
    r->nout = k + 1, r->last = k;
    return r->staged = gdn_outset_path(r->os, k);
}

/* A library message about the latest staged file, naming DIR/file. */
static void report_error(const report *r, const gdn_error *err)
{
    char msg[sizeof err->msg + 16];
    snprintf(msg, sizeof msg, "reproduce: %s", err->msg);
    cli_error_as(msg, r->staged, r->path);
}

/* A figure of experiments' runs, as 'gandyn plot' draws it from their
 * files with the figspec's options. */
static int traj_figure(report *r, const figspec *f)
{
    const gdn_traj *trs[16];
    char titles_buf[512];
    char *titles[16];
    const char *const *names[16];
    size_t count = 0;
    gdn_plot_opts o;
    gdn_error err;
    gdn_plot_opts_init(&o);
    o.kind = f->kind;
    o.logy = f->logy;
    o.title = figspec_title(f);
    o.own_axes = f->own_axes;
    o.cols = f->cols;
    o.by_time = f->by_time;
    o.circle = f->circle;
    for (; f->ex[count] >= 0; count++) {
        trs[count] = &experiments[f->ex[count]].tr;
        names[count] = gdn_sim_avg_names(experiments[f->ex[count]].s.api);
        titles[count] = (char *)experiments[f->ex[count]].id;
    }
    o.group_names_of = names;
    if (f->titles) { /* split as gandyn plot --titles does */
        snprintf(titles_buf, sizeof titles_buf, "%s", f->titles);
        size_t k = 0;
        for (char *q = titles_buf; k < count;) {
            char *c = strchr(q, ',');
            titles[k++] = q;
            if (!c)
                break;
            *c = '\0';
            q = c + 1;
        }
    } else { /* gandyn plot's default: the file names */
        for (size_t k = 0; k < count; k++) {
            static char fn[16][96];
            snprintf(fn[k], sizeof fn[k], "%s.csv", experiments[f->ex[k]].id);
            titles[k] = fn[k];
        }
    }
    const char *to = in_dir(r, f->file);
    if (!to)
        return 2;
    if (gdn_plot_trajs(trs, count > 1 ? (const char *const *)titles : NULL,
                       count, &o, to, &err)) {
        report_error(r, &err);
        return 2;
    }
    return 0;
}

/* The eigenvalues of the nsgan flow at the equilibrium, as 'gandyn
 * analyze --model nsgan --plot FILE' draws them. */
static int eigs_figure(report *r, const char *file)
{
    gdn_system sys;
    gdn_run_opts o;
    gdn_stability st;
    gdn_error err;
    if (gdn_system_from_specs(&sys, 1, "nsgan", NULL, 0, NULL, NULL, &err))
        goto bad;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    if (gdn_spec_opt("flow", &o, NULL, &err) || gdn_run_opts_check(&o, &err) ||
        gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err))
        goto bad;
    const char *to = in_dir(r, file);
    if (!to) {
        gdn_stability_release(&st);
        return 2;
    }
    int rc = gdn_plot_eigs(&st, NULL, 0, 0, to, &err);
    gdn_stability_release(&st);
    if (rc)
        goto bad;
    return 0;
bad:
    report_error(r, &err);
    return 2;
}

/* ------------------------------------------------------------- the maps */

/* The label map of a 2-axis sweep (rows over axis 0, the map's rows over
 * axis 1), with an optional polyline drawn over it. */
static int sweep_map(report *r, const gdn_claim_map *m, int *counts)
{
    gdn_sweep sw;
    gdn_error err;
    const char *file = m->file, *title = m->title;
    int boundary = m->boundary;
    if (gdn_claim_map_sweep(m, &sw, &err))
        goto bad;
    size_t total = gdn_sweep_count(&sw);
    long na = sw.axes[0].count, nb = sw.axes[1].count;
    gdn_sweep_rec *recs = malloc(total * sizeof *recs);
    double *v = malloc(total * sizeof *v);
    if (!recs || !v) {
        free(recs), free(v);
        return 1;
    }
    if (gdn_sweep_run(&sw, 0, total, 0, 0, recs, &err)) {
        free(recs), free(v);
        goto bad;
    }
    for (int k = 0; k < 7; k++)
        counts[k] = 0;
    for (long i = 0; i < na; i++)
        for (long k = 0; k < nb; k++) {
            double l = recs[i * nb + k].label;
            v[k * na + i] = l;
            counts[(int)l]++;
        }
    double *lab = malloc(total * sizeof *lab);
    if (!lab) {
        free(recs), free(v);
        return 1;
    }
    for (size_t k = 0; k < total; k++)
        lab[k] = recs[k].label;
    gdn_sweep_plot po = {title, boundary, 0};
    const char *to = in_dir(r, file);
    int rc = to ? gdn_plot_sweep(&sw, lab, lab, 0, &po, to, &err) : 2;
    free(recs), free(v), free(lab);
    if (!to)
        return 2;
    if (rc)
        goto bad;
    return 0;
bad:
    report_error(r, &err);
    return 2;
}

/* The (lr, gamma) map of nsgan + l2 under simgd, with the boundary of
 * linear stability drawn over it, and the basin of lsgan under simgd over
 * 1-D starts: what sweep_map_cmd and sweep_basin_cmd make. */
static int maps(report *r)
{
    for (int k = 0; k < GDN_CLAIM_MAPS; k++)
        if (sweep_map(r, gdn_claim_map_get(k), r->map_counts[k]))
            return 2;
    return 0;
}

static int figures(report *r)
{
    int rc;
    for (size_t k = 0; k < NFIGS; k++) {
        const figspec *f = &figspecs[k];
        if (strstr(f->file, ".gif") && !r->gifs)
            continue;
        if (f->ex[0] >= 0 && (rc = traj_figure(r, f)))
            return rc;
        if (f->other && (rc = eigs_figure(r, f->file)))
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------ stability table */

static int stability_table(report *r)
{
    r->disagreements = 0;
    for (int mi = 0; mi < ST_MODELS; mi++)
        for (int oi = 0; oi < ST_METHODS; oi++) {
            gdn_error err;
            if (gdn_stab_table_cell(mi, oi, &r->table[mi][oi], &err))
                return 2;
            r->disagreements += r->table[mi][oi].disagree;
        }
    return 0;
}

/* "stable 0.05" etc. for a cell. */
static void cell_text(const cell *c, int discrete, char *buf, size_t size)
{
    if (c->verdict < 0) {
        snprintf(buf, size, "n/a");
        return;
    }
    const char *unit = discrete ? "/step" : "";
    switch (c->verdict) {
    case GDN_STAB_STABLE:
        snprintf(buf, size, "stable, rate %.3g%s", c->theory, unit);
        break;
    case GDN_STAB_UNSTABLE:
        snprintf(buf, size, "unstable, growth %.3g%s", -c->theory, unit);
        break;
    case GDN_STAB_NEUTRAL:
        snprintf(buf, size, "neutral");
        break;
    default:
        snprintf(buf, size, "not differentiable");
    }
}

static void measured_text(const cell *c, char *buf, size_t size)
{
    if (c->label < 0)
        snprintf(buf, size, "not run");
    else if (isfinite(c->measured))
        snprintf(buf, size, "%s, rate %.3g", gdn_diag_label_name(c->label),
                 c->measured);
    else
        snprintf(buf, size, "%s", gdn_diag_label_name(c->label));
}

/* ------------------------------------------------------------ the outputs */

static void json_claims(FILE *fp, const report *r)
{
    const claim *cs = r->claims;
    size_t nc = r->nclaims;
    gdn_json j;
    char cmd[768];
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "gandyn"), gdn_json_str(&j, "reproduce");
    gdn_json_key(&j, "seed"),
        gdn_json_str(&j, "Su Jianlin (2019), 从动力学角度看优化算法（四）："
                         "GAN的第三个阶段");
    gdn_json_key(&j, "start"), gdn_json_str(&j, "(phi, theta) = (0.1, 0.2, 0.2, 0.1)");
    gdn_json_key(&j, "claims");
    gdn_json_begin(&j, '[');
    for (size_t k = 0; k < nc; k++) {
        const claim *c = &cs[k];
        gdn_json_begin(&j, '{');
        gdn_json_key(&j, "id"), gdn_json_int(&j, c->id);
        gdn_json_key(&j, "claim"), gdn_json_str(&j, c->seed);
        gdn_json_key(&j, "setting"), gdn_json_str(&j, c->setting);
        gdn_json_key(&j, "verdict");
        gdn_json_str(&j, gdn_claim_verdict_name(c->verdict));
        gdn_json_key(&j, "refinement"), gdn_json_str(&j, c->note);
        gdn_json_key(&j, "horizon"), gdn_json_str(&j, c->horizon);
        gdn_json_key(&j, "measured"), gdn_json_str(&j, c->measured);
        gdn_json_key(&j, "numbers");
        gdn_json_begin(&j, '{');
        for (size_t i = 0; i < c->nnum; i++) {
            gdn_json_key(&j, c->keys[i]);
            gdn_json_num(&j, c->vals[i]);
        }
        gdn_json_end(&j, '}');
        gdn_json_key(&j, "figures");
        gdn_json_begin(&j, '[');
        for (size_t i = 0; c->figs[i]; i++)
            gdn_json_str(&j, c->figs[i]);
        gdn_json_end(&j, ']');
        gdn_json_key(&j, "commands");
        gdn_json_begin(&j, '[');
        for (size_t i = 0; c->ex[i] >= 0; i++) {
            exper_command(&experiments[c->ex[i]], cmd, sizeof cmd);
            gdn_json_str(&j, cmd);
        }
        gdn_json_end(&j, ']');
        /* figure file -> the one command that makes it (from the files
         * the commands above write) */
        gdn_json_key(&j, "figure_commands");
        gdn_json_begin(&j, '{');
        for (size_t i = 0; c->figs[i]; i++) {
            fig_command(c->figs[i], cmd, sizeof cmd);
            gdn_json_key(&j, c->figs[i]);
            gdn_json_str(&j, cmd);
        }
        gdn_json_end(&j, '}');
        gdn_json_end(&j, '}');
    }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "map_commands");
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "map-lr-gamma.png"), gdn_json_str(&j, sweep_map_cmd);
    gdn_json_key(&j, "basin-lsgan.png"), gdn_json_str(&j, sweep_basin_cmd);
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "stability");
    gdn_json_begin(&j, '[');
    for (int mi = 0; mi < ST_MODELS; mi++)
        for (int oi = 0; oi < ST_METHODS; oi++) {
            const cell *c = &r->table[mi][oi];
            gdn_json_begin(&j, '{');
            gdn_json_key(&j, "model");
            gdn_json_str(&j, gdn_stab_table_model(mi));
            gdn_json_key(&j, "method");
            gdn_json_str(&j, gdn_stab_table_method(oi));
            gdn_json_key(&j, "theory");
            if (c->verdict >= 0)
                gdn_json_str(&j, gdn_stab_verdict_name(c->verdict));
            else
                gdn_json_null(&j);
            gdn_json_key(&j, "theory_rate"), gdn_json_num(&j, c->theory);
            gdn_json_key(&j, "simulation");
            if (c->label >= 0)
                gdn_json_str(&j, gdn_diag_label_name(c->label));
            else
                gdn_json_null(&j);
            gdn_json_key(&j, "simulation_rate"), gdn_json_num(&j, c->measured);
            gdn_json_key(&j, "disagree"), gdn_json_bool(&j, c->disagree);
            gdn_json_end(&j, '}');
        }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "stability_disagreements");
    gdn_json_int(&j, r->disagreements);
    gdn_json_end(&j, '}');
    fputc('\n', fp);
}

/* Figures shown at their own size, one per row (wider than half the
 * page). */
static int is_wide(const char *f)
{
    static const char *const wide[] = {"fgans.png", "1d-vs-2d.png",
                                       "nsgan-series.png", "ema-distance.png"};
    for (size_t k = 0; k < sizeof wide / sizeof wide[0]; k++)
        if (strcmp(f, wide[k]) == 0)
            return 1;
    return 0;
}

/* HTML-escaped text. */
static void html(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", fp);
        else if (*s == '>')
            fputs("&gt;", fp);
        else if (*s == '&')
            fputs("&amp;", fp);
        else
            fputc(*s, fp);
    }
}

static void html_report(FILE *fp, const report *r)
{
    const claim *cs = r->claims;
    size_t nc = r->nclaims;
    int gifs = r->gifs;
    static const char *const css[] = {"holds", "refined", "fails"};
    char cmd[768];
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>gandyn: the seed's claims, checked</title>\n<style>\n"
          "body{font-family:'DejaVu Sans',sans-serif;max-width:1100px;"
          "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
          "table{border-collapse:collapse;width:100%}"
          "td,th{border:1px solid #ccc;padding:.35em .6em;text-align:left;"
          "vertical-align:top}th{background:#f3f3f3}\n"
          ".holds{color:#00734a;font-weight:bold}.refined{color:#0072B2;"
          "font-weight:bold}.fails{color:#b54600;font-weight:bold}\n"
          "img{max-width:100%;height:auto;border:1px solid #ddd;"
          "margin:.3em 0}\n"
          /* a flex item is stretched to the row's height unless it aligns
           * itself: every image keeps its aspect ratio */
          ".figs{display:flex;flex-wrap:wrap;gap:.6em;align-items:flex-start}"
          ".figs img{max-width:48%;height:auto;align-self:flex-start;"
          "flex:0 0 auto}.figs img.wide{max-width:100%}\n"
          "table.st{font-size:.8em;width:auto}table.st td{text-align:center;"
          "min-width:5.5em}table.st td.m{text-align:left;"
          "background:#fff}\n"
          ".st-stable{background:#b8e2c8}.st-unstable{background:#f6c9a8}"
          ".st-neutral{background:#cfdff0}.st-na{background:#eeeeee;"
          "color:#888}.st-bad{outline:3px solid #c00;outline-offset:-3px}\n"
          ".key span{display:inline-block;padding:.1em .6em;margin-right:"
          ".5em;border:1px solid #ccc}\n"
          "pre{background:#f6f6f6;padding:.6em;overflow-x:auto;"
          "white-space:pre-wrap;"
          "font-size:.85em}\n"
          "section{border-top:2px solid #eee;margin-top:1.5em}\n"
          "</style></head><body>\n"
          "<h1>The seed's claims, checked</h1>\n"
          "<p>The seed article, Su Jianlin (2019), "
          "&ldquo;<span lang=\"zh\">从动力学角度看优化算法（四）：GAN的第三个阶段"
          "</span>&rdquo; (&ldquo;Optimization algorithms from a dynamical "
          "point of view (4): the third stage of GANs&rdquo;), argues "
          "with pictures of the Dirac GAN: the real data are the point 0, the "
          "generator is the point &theta;, the discriminator is linear with "
          "weights &phi;, and each player descends its own loss. gandyn "
          "runs each claim with the seed's settings (start (&phi;, &theta;) "
          "= (0.1, 0.2, 0.2, 0.1), the seed's horizons, extended where a run "
          "has not settled), measures, and judges. Every number below comes "
          "from the commands shown under it; the red dot in every figure is "
          "the equilibrium.</p>\n<table><tr><th>#</th><th>claim</th>"
          "<th>verdict</th><th>measured</th></tr>\n",
          fp);
    for (size_t k = 0; k < nc; k++) {
        const claim *c = &cs[k];
        fprintf(fp, "<tr><td><a href=\"#c%d\">%d</a></td><td>", c->id, c->id);
        html(fp, c->seed);
        fprintf(fp, "</td><td class=\"%s\">%s</td><td>", css[c->verdict],
                gdn_claim_verdict_name(c->verdict));
        html(fp, c->summary);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
    for (size_t k = 0; k < nc; k++) {
        const claim *c = &cs[k];
        fprintf(fp, "<section id=\"c%d\"><h2>%d. ", c->id, c->id);
        html(fp, c->seed);
        fprintf(fp, "</h2>\n<p><span class=\"%s\">%s.</span> ",
                css[c->verdict], gdn_claim_verdict_name(c->verdict));
        html(fp, c->note);
        fputs("</p>\n<p><b>Setting.</b> ", fp);
        html(fp, c->setting);
        if (c->horizon[0]) {
            fputs(" ", fp);
            html(fp, c->horizon);
        }
        fputs("</p>\n<p><b>Measured.</b> ", fp);
        html(fp, c->measured);
        fputs("</p>\n<div class=\"figs\">\n", fp);
        for (size_t i = 0; c->figs[i]; i++) {
            const char *f = c->figs[i];
            int is_gif = strstr(f, ".gif") != NULL;
            if (is_gif && !gifs)
                continue;
            fprintf(fp, "<img src=\"%s\" alt=\"%s\"%s>\n", f, f,
                    is_wide(f) ? " class=\"wide\"" : "");
        }
        fputs("</div>\n", fp);
        if (c->ex[0] >= 0 || c->figs[0]) {
            fputs("<p>Regenerate (in an empty directory; each figure from "
                  "the runs above it):</p><pre>", fp);
            for (size_t i = 0; c->ex[i] >= 0; i++) {
                exper_command(&experiments[c->ex[i]], cmd, sizeof cmd);
                html(fp, cmd);
                fputc('\n', fp);
            }
            for (size_t i = 0; c->figs[i]; i++) {
                if (strstr(c->figs[i], ".gif") && !gifs)
                    continue;
                fig_command(c->figs[i], cmd, sizeof cmd);
                html(fp, cmd);
                fputc('\n', fp);
            }
            fputs("</pre>", fp);
        }
        fputs("</section>\n", fp);
    }
    fprintf(fp, "<section id=\"maps\"><h2>Sweeps: maps of what the "
                "dynamics do</h2>\n<p>Every cell is one trajectory, run by "
                "<code>gandyn sweep</code> and labelled by the same diagnosis "
                "as <code>gandyn simulate</code>. Left: nsgan with L2 on the "
                "discriminator under simgd, over the learning rate and the "
                "weight γ (100 × 100 points, 2000 steps from the seed's "
                "start); the dashed line is the boundary of linear stability "
                "from <code>gandyn analyze</code> (lr = 4γ for γ < 1): to its "
                "left the runs converge, to its right the linearisation is "
                "unstable and the runs end on a circle (a limit cycle), "
                "oscillate, or diverge. Counts: converges %d, circle %d, "
                "oscillates %d, diverges %d. Right: lsgan under simgd (lr "
                "0.2) in 1-D over the start (θ, φ) (120 × 120): converges "
                "%d, stalls %d (the path stops at a point of the line "
                "φ = 0 of lsgan's non-isolated equilibria), oscillates "
                "%d, diverges %d.</p>\n<div class=\"figs\"><img "
                "src=\"map-lr-gamma.png\" alt=\"map\" class=\"wide\"><img "
                "src=\"basin-lsgan.png\" alt=\"basin\" class=\"wide\"></div>\n"
                "<p>Regenerate:</p><pre>",
            r->map_counts[0][0], r->map_counts[0][1], r->map_counts[0][2],
            r->map_counts[0][3], r->map_counts[1][0], r->map_counts[1][6],
            r->map_counts[1][2], r->map_counts[1][3]);
    html(fp, sweep_map_cmd);
    fputc('\n', fp);
    html(fp, sweep_basin_cmd);
    fputs("</pre></section>\n", fp);
    fprintf(fp, "<section id=\"stability\"><h2>Local stability: theory and "
                "simulation</h2>\n<p>Each model (default parameters) under "
                "each method (step 0.1): the linearisation at the equilibrium "
                "(<code>gandyn analyze</code>: decay rate -max Re λ for the "
                "flow, -log ρ per step for a method; growth when negative) "
                "next to a simulation started at 10⁻³ times the seed's start "
                "and its measured rate. A cell is flagged when the theory "
                "decides (stable or unstable) and the simulation contradicts "
                "it or its rate differs by more than 10%%: %d flagged.</p>\n"
                "<p class=\"key\">Colour: the theory's verdict. "
                "<span class=\"st-stable\">stable</span>"
                "<span class=\"st-unstable\">unstable</span>"
                "<span class=\"st-neutral\">neutral</span>"
                "<span class=\"st-na\">not differentiable / n/a</span>"
                "<span class=\"st-bad\">theory and simulation disagree"
                "</span> In each cell: the theory's rate (growth negative; "
                "per step for a method), then ✓ when the rate measured "
                "in the simulation agrees with it (within 10%%), the "
                "simulation's diagnosis label (what the run showed in its "
                "horizon) and the measured rate. Hover a cell for the "
                "words.</p>\n"
                "<table class=\"st\"><tr><th>model</th>", r->disagreements);
    for (int oi = 0; oi < ST_METHODS; oi++)
        fprintf(fp, "<th>%s</th>", gdn_stab_table_method_name(oi));
    fputs("</tr>\n", fp);
    for (int mi = 0; mi < ST_MODELS; mi++) {
        fprintf(fp, "<tr><td class=\"m\">%s</td>", gdn_stab_table_model(mi));
        for (int oi = 0; oi < ST_METHODS; oi++) {
            const cell *c = &r->table[mi][oi];
            char t[96], m[96], rate[32];
            cell_text(c, oi > 0, t, sizeof t);
            measured_text(c, m, sizeof m);
            const char *cls = c->verdict == GDN_STAB_STABLE ? "st-stable"
                              : c->verdict == GDN_STAB_UNSTABLE ? "st-unstable"
                              : c->verdict == GDN_STAB_NEUTRAL ? "st-neutral"
                                                               : "st-na";
            if (c->verdict == GDN_STAB_STABLE ||
                c->verdict == GDN_STAB_UNSTABLE)
                snprintf(rate, sizeof rate, "%.3g", c->theory);
            else
                snprintf(rate, sizeof rate, "%s",
                         c->verdict == GDN_STAB_NEUTRAL ? "neutral" : "n/a");
            fprintf(fp, "<td class=\"%s%s\" title=\"theory: %s; simulation: "
                        "%s\"><b>%s</b><br><small>%s %s</small></td>",
                    cls, c->disagree ? " st-bad" : "", t, m, rate,
                    c->disagree ? "✗" : (c->verdict == GDN_STAB_STABLE ||
                                         c->verdict == GDN_STAB_UNSTABLE)
                                            ? "✓" : "",
                    m);
        }
        fputs("</tr>\n", fp);
    }
    fputs("</table></section>\n", fp);
    fputs("<p>Made by <code>gandyn reproduce</code>. The whole report: "
          "<code>gandyn reproduce --out DIR</code>; the numbers: "
          "<a href=\"claims.json\">claims.json</a>.</p>\n</body></html>\n",
          fp);
}

/* Writes a text file of DIR (staged) through a callback. */
static int write_file(report *r, const char *file,
                      void (*body)(FILE *, const report *))
{
    gdn_error err;
    if (!in_dir(r, file))
        return 2;
    FILE *fp = gdn_outset_fp(r->os, r->last, &err);
    if (!fp) {
        cli_error("%s", err.msg);
        return 2;
    }
    body(fp, r);
    return 0;
}

/* ------------------------------------------------------------------ main */

/* DIR as the output of the set r->os: a new DIR is built as a staging
 * directory beside it and renamed into place at the end; an existing DIR
 * gets each file staged and renamed at the end (files the report does not
 * write are kept).  Either way nothing appears, and no empty DIR, if the
 * command fails or is killed.  Checks now that DIR can be written. */
static int prepare_dir(report *r)
{
    gdn_error err;
    if (!(r->os = cli_outset_new()))
        return 2;
    if ((r->dird = gdn_outset_add_dir(r->os, r->dir, "--out", &err)) < 0) {
        cli_error("reproduce: %s", err.msg);
        return 2;
    }
    if (!in_dir(r, "claims.json")) /* an existing DIR: writable? */
        return 2;
    return 0;
}

static void progress(const report *r, const char *what, int k, int n)
{
    if (r->progress)
        fprintf(stderr, "\rgandyn reproduce: [%2d/%2d] %-28s", k, n, what);
}

int cmd_reproduce(int argc, char **argv)
{
    static const struct cli_opt options[] = {{"help", CLI_FLAG, 0},
                                             {"out", CLI_VALUE, 1},
                                             {"no-gif", CLI_FLAG, 2},
                                             {"quiet", CLI_FLAG, 3},
                                             {NULL, 0, 0}};
    static report r; /* large (the table): not on the stack */
    memset(&r, 0, sizeof r);
    r.dir = "gandyn-report", r.gifs = 1;
    int quiet = 0, id, rc;
    const char *val;
    cli_parser p;
    cli_init(&p, argc, argv, "reproduce");
    while ((rc = cli_next(&p, options, &id, &val)) == 1) {
        if (id == 0) {
            fputs(usage_text, stdout);
            return GDN_EXIT_OK;
        }
        if (id == 1)
            r.dir = val;
        if (id == 2)
            r.gifs = 0;
        if (id == 3)
            quiet = 1;
    }
    if (rc < 0)
        return GDN_EXIT_USAGE;
    if (!r.dir[0]) {
        cli_error("reproduce: --out needs a directory name");
        return GDN_EXIT_USAGE;
    }
    if ((rc = prepare_dir(&r))) {
        gdn_outset_free(r.os);
        return rc;
    }
    r.progress = isatty(2);

    int code = GDN_EXIT_OK;
    for (int k = 0; k < E_COUNT; k++) {
        const gdn_experiment *x = gdn_experiment_get(k);
        experiments[k].id = x->id, experiments[k].title = x->title;
        experiments[k].args = x->args;
    }
    for (int k = 0; k < E_COUNT; k++) {
        progress(&r, experiments[k].id, k + 1, E_COUNT + 1);
        if ((rc = exper_run(&experiments[k]))) {
            code = rc;
            goto done;
        }
    }
    progress(&r, "figures", E_COUNT + 1, E_COUNT + 1);
    if ((rc = figures(&r))) {
        code = rc;
        goto done;
    }
    if (r.progress)
        fputs("\r\033[K", stderr);

    static claim cs[GDN_CLAIM_COUNT]; /* large: not on the stack */
    gdn_claim_runs runs;
    for (int k = 0; k < E_COUNT; k++)
        runs.d[k] = &experiments[k].d, runs.tr[k] = &experiments[k].tr;
    for (size_t k = 0; k < GDN_CLAIM_COUNT; k++) {
        gdn_error err;
        if (gdn_claim_judge(k, &runs, &cs[k], &err)) {
            cli_error("reproduce: %s", err.msg);
            code = GDN_EXIT_USAGE;
            goto done;
        }
    }
    r.claims = cs, r.nclaims = GDN_CLAIM_COUNT;
    progress(&r, "sweep maps", E_COUNT + 1, E_COUNT + 1);
    if ((rc = maps(&r))) {
        code = rc;
        goto done;
    }
    progress(&r, "stability table", E_COUNT + 1, E_COUNT + 1);
    if ((rc = stability_table(&r))) {
        code = rc;
        goto done;
    }
    if (r.progress)
        fputs("\r\033[K", stderr);
    if ((rc = write_file(&r, "claims.json", json_claims)) ||
        (rc = write_file(&r, "index.html", html_report))) {
        code = rc;
        goto done;
    }
    if (!quiet) {
        printf("gandyn reproduce: the seed's claims (report in %s/)\n\n",
               r.dir);
        printf("  %-3s %-24s %s\n", "#", "verdict", "measured");
        for (size_t k = 0; k < GDN_CLAIM_COUNT; k++)
            printf("  %-3d %-24s %s\n", cs[k].id,
                   gdn_claim_verdict_name(cs[k].verdict),
                   cs[k].summary);
        printf("\n  stability table: %d models x %d methods, theory against "
               "simulation: %d disagreement%s\n",
               ST_MODELS, ST_METHODS, r.disagreements,
               r.disagreements == 1 ? "" : "s");
        printf("\n  details: %s/index.html, numbers: %s/claims.json\n", r.dir,
               r.dir);
    }
    /* everything is complete: into place together (a lost stdout first
     * keeps everything out) */
    gdn_error cerr;
    if (cli_flush_stdout())
        code = GDN_EXIT_USAGE;
    else if (gdn_outset_commit(r.os, &cerr)) {
        cli_error("reproduce: %s", cerr.msg);
        code = GDN_EXIT_USAGE;
    }
done:
    gdn_outset_free(r.os);
    if (r.progress)
        fputs("\r\033[K", stderr);
    for (int k = 0; k < E_COUNT; k++)
        exper_release(&experiments[k]);
    return code;
}
