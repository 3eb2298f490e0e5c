/*
 * cmd_simulate.c - 'gandyn simulate': one run, its path, its summary.
 *
 * Order of work: parse every option, build the system and the run, create
 * the output files under temporary names, run, diagnose, write, and only
 * then rename the files into place.  Any bad input stops before anything
 * is computed, with exit status 2 and no file left behind.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gandyn.h"
#include "sim_setup.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char usage_text[] =
    "usage: gandyn simulate [OPTIONS]\n"
    "\n"
    "Simulates one Dirac GAN run and writes its path (CSV on stdout unless\n"
    "--out is given).  With --out, a readable summary goes to stdout.\n"
    "\n"
    "System:\n"
    "  --model SPEC      loss pair (default nsgan): gan, nsgan, wgan,\n"
    "                    wgan-gp:lambda=0.1,c=1, gan-qp:lambda=1,divisor=theta,\n"
    "                    ... (all of them: gandyn list models)\n"
    "  --reg SPEC        regularizer, repeatable: l2:gamma=0.1, r1, r2,\n"
    "                    gp:lambda=0.1,c=1, l2g:gamma=0.1, noise:sigma=0.5\n"
    "                    (gandyn list regularizers)\n"
    "  --dim N           dimension of phi and theta (default 2)\n"
    "  --init LIST       phi1,..,phiN,theta1,..,thetaN; default: the seed's\n"
    "                    0.1,0.2,0.2,0.1 in 2-D; in general phi_i = 0.1 (odd i)\n"
    "                    or 0.2 (even i), theta_i = 0.2 (odd i) or 0.1 (even i)\n"
    "\n"
    "Dynamics:\n"
    "  --opt SPEC        flow (default), simgd, altgd, or any optimizer of\n"
    "                    gandyn list optimizers, e.g.\n"
    "                    flow:method=dopri5,rtol=" STR(GDN_FLOW_RTOL_DEFAULT)
    ",atol=" STR(GDN_FLOW_ATOL_DEFAULT) "\n"
    "                    flow:method=rk4,h=0.01   (also euler)\n"
    "                    flow:max_steps=1e8 bounds the steps of every flow\n"
    "                    method: rk4/euler refuse an h that needs more\n"
    "                    before starting, dopri5 stops 'step budget\n"
    "                    exhausted' when it runs out\n"
    "                    simgd:lr=0.1   altgd:lr=0.1,order=dg,ndis=1\n"
    "                    lr_d=, lr_g= set the players' rates apart (TTUR);\n"
    "                    for the flow they scale time: phi' = -lr_d xi_phi\n"
    "  --t-end T         flow: horizon (default 100)\n"
    "  --dt DT           flow: output spacing (default 0.1); samples land\n"
    "                    exactly on k DT (dopri5's dense output)\n"
    "  --steps K         discrete: number of steps (default 1000)\n"
    "  --every K         discrete: output every K steps (default 1)\n"
    "\n"
    "Averaging (columns <name>_phi1.. after the state):\n"
    "  --ema BETA        EMA with decay BETA per step, repeatable; for the flow\n"
    "                    e' = (x - e)/tau with tau = DT/(1 - BETA)\n"
    "  --ema tau=TAU     flow: EMA with time constant TAU; refused when the\n"
    "                    integrator cannot follow it: dopri5 needs\n"
    "                    t-end / (3.307 TAU) <= max_steps and 3.307 TAU >= 1e-14\n"
    "                    max(1, t-end); rk4 steps <= 2.7853 TAU, euler <= 2 TAU\n"
    "  --ema-debias      EMAs start at 0 and are bias-corrected\n"
    "                    (divided by 1 - BETA^k, flow: 1 - exp(-t/tau))\n"
    "  --uniform         also the uniform (Polyak) average of the path\n"
    "\n"
    "Output:\n"
    "  --out FILE        path as .csv, .json or .npy (by extension; .npy\n"
    "                    also writes FILE.json: column names, rows)\n"
    "  --summary [FILE]  JSON summary: options as given and as defaulted,\n"
    "                    final state, |theta|, |phi|, E, Gamma, diagnosis,\n"
    "                    averages, work counters (no FILE or '-': stdout)\n"
    "  --plot FILE       figure of the run (.png, .svg, .pdf; .gif animates\n"
    "                    the path growing), repeatable\n"
    "  --plot-kind KIND  theta (default; n >= 2), phase (default in 1-D, with\n"
    "                    the vector field), series (|theta|, |phi|, E, Gamma)\n"
    "  --plot-log        series: logarithmic y axis\n"
    "  --eps EPS         distance counted as 'at the equilibrium' (1e-6)\n"
    "  --quiet           no readable summary\n"
    "\n"
    "Defaults: tolerances rtol=" STR(GDN_FLOW_RTOL_DEFAULT) ", atol="
    STR(GDN_FLOW_ATOL_DEFAULT) " make the seed's six\n"
    "systems agree with a DOP853 solution at rtol 1e-12 to 1e-8 at every\n"
    "output time (the seed script's RK45 defaults are off by up to 0.15 on\n"
    "wgan at T = 10).  Exit status: 0 (also for a run that diverges: that is\n"
    "a result), 2 bad input or unwritable output (nothing is written).\n"
    "\n";
/* the rest of --help (one string literal may not exceed 4095 bytes) */
static const char usage_notes[] =
    "Outcomes (summary \"status\"): done; diverged (|x_i| left 1e100);\n"
    "undefined (the field does not exist there); and three that say nothing\n"
    "about the dynamics, diagnosed 'undecided': step-underflow (dopri5's step\n"
    "fell below 1e-14 max(1, |t|): stiff, or a finite-time blow-up),\n"
    "step-budget (max_steps used up), overflow (the very first step left the\n"
    "range: the parameters are too large for the start).  A start with\n"
    "|x_i| > 1e100 is refused (--init).\n"
    "\n"
    "Outputs appear together when all are complete, or none (on an error or\n"
    "TERM/INT/HUP); two options naming one file are refused.  A link at an\n"
    "output path is kept (its target is replaced); a FIFO, a device or\n"
    "/dev/stdout is written in place.\n";

/* ---------------------------------------------------------- the summary */

static void json_params(gdn_json *j, const gdn_param *p, const double *v,
                        const unsigned char *given, const gdn_run_opts *o)
{
    gdn_json_begin(j, '{');
    for (size_t k = 0; p && p[k].key; k++) {
        gdn_json_key(j, p[k].key);
        gdn_json_begin(j, '{');
        double val = o ? gdn_run_opts_param(o, k) : v[k];
        gdn_json_key(j, "value");
        if (p[k].flags & GDN_PARAM_ENUM) {
            char buf[64];
            const char *c = p[k].choices;
            for (int i = (int)val; i > 0 && strchr(c, '|'); i--)
                c = strchr(c, '|') + 1;
            size_t len = strchr(c, '|') ? (size_t)(strchr(c, '|') - c)
                                        : strlen(c);
            snprintf(buf, sizeof buf, "%.*s", (int)len, c);
            gdn_json_str(j, buf);
        } else {
            gdn_json_num(j, val);
        }
        gdn_json_key(j, "given");
        gdn_json_bool(j, given[k]);
        gdn_json_end(j, '}');
    }
    gdn_json_end(j, '}');
}

static void json_invariants(gdn_json *j, const gdn_invariants *v)
{
    gdn_json_begin(j, '{');
    gdn_json_key(j, "phi_norm"), gdn_json_num(j, v->phi_norm);
    gdn_json_key(j, "theta_norm"), gdn_json_num(j, v->theta_norm);
    gdn_json_key(j, "energy"), gdn_json_num(j, v->energy);
    gdn_json_key(j, "gram"), gdn_json_num(j, v->gram);
    gdn_json_key(j, "theta_dot_phi"), gdn_json_num(j, v->t);
    gdn_json_end(j, '}');
}

static const char *status_name(int rc)
{
    switch (rc) {
    case GDN_DONE: return "done";
    case GDN_EDIVERGED: return "diverged";
    case GDN_EUNDEFINED: return "undefined";
    case GDN_ESTEP: return "step-underflow";
    case GDN_EBUDGET: return "step-budget";
    case GDN_EOVERFLOW: return "overflow";
    default: return "error";
    }
}

static void write_summary(FILE *fp, const sim *s, const gdn_traj *tr,
                          const gdn_run_info *info, int rc,
                          const gdn_diagnosis *d)
{
    size_t n = s->sys.n, m = 2 * n;
    gdn_json j;
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "gandyn"), gdn_json_str(&j, "simulate");
    gdn_json_key(&j, "model");
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "spec"), gdn_json_str(&j, s->model_spec);
    gdn_json_key(&j, "name"), gdn_json_str(&j, s->sys.model.type->name);
    gdn_json_key(&j, "loss"), gdn_json_str(&j, s->sys.model.type->loss);
    gdn_json_key(&j, "params");
    json_params(&j, s->sys.model.type->params, s->sys.model.par,
                s->model_given, NULL);
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "regularizers");
    gdn_json_begin(&j, '[');
    for (size_t k = 0; k < s->sys.nreg; k++) {
        gdn_json_begin(&j, '{');
        gdn_json_key(&j, "spec"), gdn_json_str(&j, s->reg_spec[k]);
        gdn_json_key(&j, "name"), gdn_json_str(&j, s->sys.reg[k].type->name);
        gdn_json_key(&j, "params");
        json_params(&j, s->sys.reg[k].type->params, s->sys.reg[k].par,
                    s->reg_given[k], NULL);
        gdn_json_end(&j, '}');
    }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "optimizer");
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "spec"), gdn_json_str(&j, s->opt_spec);
    gdn_json_key(&j, "name"), gdn_json_str(&j, s->opts.opt->name);
    gdn_json_key(&j, "params");
    json_params(&j, s->opts.opt->params, NULL, s->opt_given, &s->opts);
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "dim"), gdn_json_int(&j, (long)n);
    gdn_json_key(&j, "init"), gdn_json_nums(&j, s->x0, m);
    gdn_json_key(&j, "init_given"), gdn_json_bool(&j, s->init_text != NULL);
    if (gdn_run_opts_is_flow(&s->opts)) {
        gdn_json_key(&j, "t_end"), gdn_json_num(&j, s->opts.t_end);
        gdn_json_key(&j, "dt"), gdn_json_num(&j, s->opts.dt);
    } else {
        gdn_json_key(&j, "steps"), gdn_json_int(&j, s->opts.steps);
        gdn_json_key(&j, "every"), gdn_json_int(&j, s->opts.every);
    }
    gdn_json_key(&j, "status"), gdn_json_str(&j, status_name(rc));
    if (info->why[0])
        gdn_json_key(&j, "why"), gdn_json_str(&j, info->why);
    gdn_json_key(&j, "start");
    json_invariants(&j, &d->start);
    gdn_json_key(&j, "final");
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, tr->discrete ? "step" : "t");
    gdn_json_num(&j, d->t_end);
    gdn_json_key(&j, "state"), gdn_json_nums(&j, tr->x + (tr->count - 1) * m, m);
    gdn_json_key(&j, "phi_norm"), gdn_json_num(&j, d->end.phi_norm);
    gdn_json_key(&j, "theta_norm"), gdn_json_num(&j, d->end.theta_norm);
    gdn_json_key(&j, "energy"), gdn_json_num(&j, d->end.energy);
    gdn_json_key(&j, "gram"), gdn_json_num(&j, d->end.gram);
    /* theta . phi (was "t", a second "t" beside the time of a flow) */
    gdn_json_key(&j, "theta_dot_phi"), gdn_json_num(&j, d->end.t);
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "diagnosis");
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "label"), gdn_json_str(&j, gdn_diag_label_name(d->label));
    gdn_json_key(&j, "text"), gdn_json_str(&j, d->text);
    gdn_json_key(&j, "eps"), gdn_json_num(&j, s->dopts.eps);
    gdn_json_key(&j, "distance_start"), gdn_json_num(&j, d->r_start);
    gdn_json_key(&j, "distance_end"), gdn_json_num(&j, d->r_end);
    gdn_json_key(&j, "rate_kind");
    gdn_json_str(&j, d->rate_kind == GDN_RATE_EXP   ? "exponential"
                     : d->rate_kind == GDN_RATE_ALG ? "algebraic"
                                                    : "none");
    gdn_json_key(&j, "rate"), gdn_json_num(&j, d->rate);
    gdn_json_key(&j, "time_to_eps"), gdn_json_num(&j, d->t_eps);
    gdn_json_key(&j, "time_to_eps_measured");
    gdn_json_bool(&j, d->t_eps_measured);
    gdn_json_key(&j, "radius_theta"), gdn_json_num(&j, d->radius);
    gdn_json_key(&j, "radius_phi"), gdn_json_num(&j, d->radius_phi);
    gdn_json_key(&j, "gram0_quarter"), gdn_json_num(&j, d->radius_gram);
    gdn_json_key(&j, "amplitude_theta"), gdn_json_num(&j, d->amplitude);
    gdn_json_key(&j, "period"), gdn_json_num(&j, d->period);
    gdn_json_key(&j, "stop"), gdn_json_num(&j, d->stop_t);
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "averages");
    gdn_json_begin(&j, '[');
    for (size_t g = 0; g < tr->ngroups; g++) {
        gdn_avg_stats st;
        gdn_avg_stats_of(tr, g, &s->dopts, &st);
        gdn_json_begin(&j, '{');
        gdn_json_key(&j, "name"), gdn_json_str(&j, s->group_ptr[g]);
        if (g < s->opts.nema) {
            gdn_json_key(&j, "beta"), gdn_json_num(&j, s->opts.ema[g].beta);
            gdn_json_key(&j, "tau");
            gdn_json_num(&j, s->opts.ema[g].tau != 0
                                 ? s->opts.ema[g].tau
                                 : (gdn_run_opts_is_flow(&s->opts)
                                        ? s->opts.dt / (1 - s->opts.ema[g].beta)
                                        : NAN));
            gdn_json_key(&j, "debias"), gdn_json_bool(&j, s->opts.ema_debias);
        }
        gdn_json_key(&j, "final");
        gdn_json_nums(&j, tr->avg + ((tr->count - 1) * tr->ngroups + g) * m, m);
        gdn_json_key(&j, "distance_end"), gdn_json_num(&j, st.r_end);
        gdn_json_key(&j, "distance_tail_mean"), gdn_json_num(&j, st.r_tail_mean);
        gdn_json_key(&j, "iterate_distance_tail_mean");
        gdn_json_num(&j, st.x_tail_mean);
        gdn_json_end(&j, '}');
    }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "work");
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "rhs_evals"), gdn_json_int(&j, (long)info->nevals);
    gdn_json_key(&j, "accepted"), gdn_json_int(&j, (long)info->accepted);
    gdn_json_key(&j, "rejected"), gdn_json_int(&j, (long)info->rejected);
    gdn_json_key(&j, "samples"), gdn_json_int(&j, (long)tr->count);
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "columns");
    gdn_json_begin(&j, '[');
    char name[GDN_COLNAME_MAX];
    for (size_t c = 0; c < gdn_traj_ncols(tr); c++) {
        gdn_traj_colname(tr, s->group_ptr, c, name);
        gdn_json_str(&j, name);
    }
    gdn_json_end(&j, ']');
    gdn_json_end(&j, '}');
    fputc('\n', fp);
}

static void print_report(const sim *s, const gdn_traj *tr,
                         const gdn_run_info *info, const gdn_diagnosis *d)
{
    const gdn_run_opts *o = &s->opts;
    printf("gandyn simulate: %s", s->sys.model.type->name);
    for (size_t k = 0; k < s->sys.nreg; k++)
        printf(" + %s", s->reg_spec[k]);
    printf(", n = %zu, %s", s->sys.n, s->opt_spec);
    if (gdn_run_opts_is_flow(o))
        printf(", t in [0, %g], dt = %g\n", o->t_end, o->dt);
    else
        printf(", %" PRId64 " steps\n", o->steps);
    printf("  start: |phi| = %.6g  |theta| = %.6g  E = %.6g  Gamma = %.6g\n",
           d->start.phi_norm, d->start.theta_norm, d->start.energy,
           d->start.gram);
    printf("  end:   |phi| = %.6g  |theta| = %.6g  E = %.6g  Gamma = %.6g"
           "  (%s = %g)\n",
           d->end.phi_norm, d->end.theta_norm, d->end.energy, d->end.gram,
           tr->discrete ? "step" : "t", d->t_end);
    printf("  diagnosis: %s\n", d->text);
    for (size_t g = 0; g < tr->ngroups; g++) {
        gdn_avg_stats st;
        gdn_avg_stats_of(tr, g, &s->dopts, &st);
        printf("  %s: |e| = %.4g at the end, mean %.4g over the last %g%% "
               "(iterate: %.4g)\n",
               s->group_ptr[g], st.r_end, st.r_tail_mean, 100 * s->dopts.tail,
               st.x_tail_mean);
    }
    printf("  work: %" PRIu64 " field evaluations, %" PRIu64 " steps",
           info->nevals,
           info->accepted);
    if (gdn_run_opts_is_flow(o))
        printf(" (%" PRIu64 " rejected)", info->rejected);
    printf(", %zu samples\n", tr->count);
}

/* The .npy sidecar: what the columns of OUT are (gandyn plot reads it). */
static void write_npy_sidecar(FILE *fp, const char *out, const sim *s,
                              const gdn_traj *tr)
{
    gdn_json j;
    char name[GDN_COLNAME_MAX];
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "gandyn"), gdn_json_str(&j, "simulate");
    gdn_json_key(&j, "data"), gdn_json_str(&j, out);
    gdn_json_key(&j, "columns");
    gdn_json_begin(&j, '[');
    for (size_t c = 0; c < gdn_traj_ncols(tr); c++) {
        gdn_traj_colname(tr, s->group_ptr, c, name);
        gdn_json_str(&j, name);
    }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "rows"), gdn_json_int(&j, (long)tr->count);
    gdn_json_key(&j, "dtype"), gdn_json_str(&j, "<f8");
    gdn_json_key(&j, "absent");
    gdn_json_str(&j, "none: every cell of a trajectory is a finite number");
    gdn_json_end(&j, '}');
    fputc('\n', fp);
}

int cmd_simulate(int argc, char **argv)
{
    sim s;
    int code = GDN_EXIT_USAGE;
    gdn_error err;
    gdn_outset *os = NULL;
    int k_out = -1, k_side = -1, k_sum = -1, k_plot[MAX_PLOTS];
    char side[4200];
    gdn_run *run = NULL;
    gdn_traj tr;
    int have_traj = 0;

    sim_init(&s);
    int rc = sim_parse(&s, argc, argv, (const char *const[]){usage_text, usage_notes, NULL});
    if (rc < 0)
        return GDN_EXIT_OK;
    if (rc)
        return GDN_EXIT_USAGE;
    if ((rc = sim_build(&s)) != 0) {
        sim_release(&s);
        return rc;
    }
    int fmt = GDN_FMT_CSV;
    int summary_stdout = s.want_summary && (!s.summary || !strcmp(s.summary, "-"));
    if (summary_stdout && !s.out) {
        cli_error("simulate: the path and the summary cannot both go to "
                  "stdout; give --out FILE or --summary FILE");
        goto done;
    }
    if (s.out && gdn_format_of_path(s.out, &fmt, &err))
        goto bad;

    gdn_plot_opts popts;
    gdn_plot_opts_init(&popts);
    popts.kind = s.plot_kind;
    popts.logy = s.plot_log;
    popts.group_names = s.group_ptr;
    popts.sys = &s.sys;
    for (size_t k = 0; k < s.nplot; k++) {
        int pf, kind = s.plot_kind < 0
                           ? (s.sys.n == 1 ? GDN_PLOT_PHASE : GDN_PLOT_THETA)
                           : s.plot_kind;
        if (gdn_figure_format(s.plot[k], &pf, &err))
            goto bad;
        if ((kind == GDN_PLOT_THETA && s.sys.n < 2) ||
            (kind == GDN_PLOT_PHASE && s.sys.n != 1) ||
            (kind == GDN_PLOT_SERIES && pf == GDN_FIG_GIF)) {
            cli_error("--plot %s: kind '%s' does not fit %s (theta: n >= 2; "
                      "phase: n = 1; series: not as .gif)", s.plot[k],
                      gdn_plot_kind_name(kind),
                      pf == GDN_FIG_GIF ? "an animation" : "this run");
            goto done;
        }
    }
    /* every output in one set: all are committed together at the end, or
     * none (two names for one file are refused here) */
    if (!(os = cli_outset_new()))
        goto done;
    if (s.out && (k_out = gdn_outset_add(os, s.out, "--out", &err)) < 0)
        goto bad;
    if (s.out && fmt == GDN_FMT_NPY) {
        snprintf(side, sizeof side, "%s.json", s.out);
        if ((k_side = gdn_outset_add(os, side, "the sidecar of --out",
                                     &err)) < 0)
            goto bad;
    }
    if (s.want_summary && !summary_stdout &&
        (k_sum = gdn_outset_add(os, s.summary, "--summary", &err)) < 0)
        goto bad;
    for (size_t k = 0; k < s.nplot; k++)
        if ((k_plot[k] = gdn_outset_add(os, s.plot[k], "--plot", &err)) < 0)
            goto bad;

    run = gdn_run_new(&s.sys, &s.opts, s.x0, &err);
    if (!run)
        goto bad;
    gdn_traj_init(&tr, s.sys.n, gdn_run_navg(run), !gdn_run_is_flow(run));
    have_traj = 1;
    rc = gdn_run_collect(run, &tr, &err);
    if (rc == GDN_ENOMEM) {
        cli_error("%s", err.msg);
        code = GDN_EXIT_FAIL;
        goto done;
    }
    gdn_run_info info;
    gdn_diagnosis d;
    gdn_run_get_info(run, &info);
    gdn_diag_opts_method(&s.dopts, &s.sys, &s.opts);
    gdn_diagnose(&tr, &info, &s.dopts, &d);

    FILE *tfp = stdout;
    if (s.out && !(tfp = gdn_outset_fp(os, k_out, &err)))
        goto bad;
    if (gdn_traj_write(&tr, s.group_ptr, fmt, tfp, &err))
        goto io_bad;
    if (k_side >= 0) {
        FILE *sfp = gdn_outset_fp(os, k_side, &err);
        if (!sfp)
            goto bad;
        write_npy_sidecar(sfp, s.out, &s, &tr);
    }
    if (s.want_summary) {
        FILE *sfp = summary_stdout ? stdout : gdn_outset_fp(os, k_sum, &err);
        if (!sfp)
            goto bad;
        write_summary(sfp, &s, &tr, &info, rc, &d);
    }
    for (size_t k = 0; k < s.nplot; k++) {
        const gdn_traj *one = &tr;
        if (gdn_plot_trajs(&one, NULL, 1, &popts,
                           gdn_outset_path(os, k_plot[k]), &err)) {
            /* the message names the staged file: name the output */
            cli_error_as(err.msg, gdn_outset_path(os, k_plot[k]), s.plot[k]);
            goto done;
        }
    }
    if (s.out && !summary_stdout && !s.quiet)
        print_report(&s, &tr, &info, &d);
    /* what went to stdout is part of the result: a failed stdout commits
     * nothing */
    if (cli_flush_stdout())
        goto done;
    if (gdn_outset_commit(os, &err))
        goto io_bad;
    code = GDN_EXIT_OK;
    goto done;
io_bad:
    cli_error("%s", err.msg);
    code = GDN_EXIT_USAGE;
    goto done;
bad:
    cli_error("%s", err.msg);
    code = GDN_EXIT_USAGE;
done:
    gdn_outset_free(os);
    if (have_traj)
        gdn_traj_release(&tr);
    gdn_run_free(run);
    sim_release(&s);
    return code;
}
