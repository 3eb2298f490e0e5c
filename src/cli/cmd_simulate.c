/*
 * cmd_simulate.c - 'gandyn simulate': one run, its path, its summary.
 *
 * Order of work: parse every option, build the system and the run, create
 * the output files under temporary names, run, diagnose, write, and only
 * then rename the files into place.  Any bad input stops before anything
 * is computed, with exit status 2 and no file left behind.
 */
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

/* gdn_sim_summary_to's sink: the text onto a FILE. */
static void to_file(void *fp, const char *bytes, size_t n)
{
    fwrite(bytes, 1, n, fp);
}

/* The .npy sidecar: what the columns of OUT are (gandyn plot reads it). */
static void write_npy_sidecar(FILE *fp, const char *out,
                              const gdn_sim *api)
{
    const gdn_traj *tr = gdn_sim_traj(api);
    gdn_json j;
    char name[GDN_COLNAME_MAX];
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "gandyn"), gdn_json_str(&j, "simulate");
    gdn_json_key(&j, "data"), gdn_json_str(&j, out);
    gdn_json_key(&j, "columns");
    gdn_json_begin(&j, '[');
    for (size_t c = 0; c < gdn_traj_ncols(tr); c++) {
        gdn_traj_colname(tr, gdn_sim_avg_names(api), c, name);
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

    sim_init(&s);
    int rc = sim_parse(&s, argc, argv, (const char *const[]){usage_text, usage_notes, NULL});
    if (rc < 0) {
        sim_release(&s);
        return GDN_EXIT_OK;
    }
    if (rc == 0)
        rc = sim_build(&s);
    if (rc) {
        sim_release(&s);
        return rc == 1 ? GDN_EXIT_FAIL : GDN_EXIT_USAGE;
    }
    gdn_sim *api = s.api;
    size_t n = gdn_sim_dim(api);
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
    popts.group_names = gdn_sim_avg_names(api);
    popts.sys = gdn_sim_system(api);
    for (size_t k = 0; k < s.nplot; k++) {
        int pf, kind = s.plot_kind < 0
                           ? (n == 1 ? GDN_PLOT_PHASE : GDN_PLOT_THETA)
                           : s.plot_kind;
        if (gdn_figure_format(s.plot[k], &pf, &err))
            goto bad;
        if ((kind == GDN_PLOT_THETA && n < 2) ||
            (kind == GDN_PLOT_PHASE && n != 1) ||
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

    /* the run and its diagnosis (a divergence is a result, not an error) */
    if ((rc = gdn_sim_run(api, &err)) != GDN_OK) {
        cli_error("%s", err.msg);
        code = rc == GDN_ENOMEM ? GDN_EXIT_FAIL : GDN_EXIT_USAGE;
        goto done;
    }
    const gdn_traj *tr = gdn_sim_traj(api);

    FILE *tfp = stdout;
    if (s.out && !(tfp = gdn_outset_fp(os, k_out, &err)))
        goto bad;
    if (gdn_traj_write(tr, gdn_sim_avg_names(api), fmt, tfp, &err))
        goto bad;
    if (k_side >= 0) {
        FILE *sfp = gdn_outset_fp(os, k_side, &err);
        if (!sfp)
            goto bad;
        write_npy_sidecar(sfp, s.out, api);
    }
    if (s.want_summary) {
        FILE *sfp = summary_stdout ? stdout : gdn_outset_fp(os, k_sum, &err);
        if (!sfp)
            goto bad;
        gdn_sim_summary_to(api, to_file, sfp);
    }
    for (size_t k = 0; k < s.nplot; k++) {
        if (gdn_plot_trajs(&tr, NULL, 1, &popts,
                           gdn_outset_path(os, k_plot[k]), &err)) {
            /* the message names the staged file: name the output */
            cli_error_as(err.msg, gdn_outset_path(os, k_plot[k]), s.plot[k]);
            goto done;
        }
    }
    if (s.out && !summary_stdout && !s.quiet)
        gdn_sim_report_to(api, to_file, stdout);
    /* what went to stdout is part of the result: a failed stdout commits
     * nothing */
    if (cli_flush_stdout())
        goto done;
    if (gdn_outset_commit(os, &err))
        goto bad;
    code = GDN_EXIT_OK;
    goto done;
bad:
    cli_error("%s", err.msg);
    code = GDN_EXIT_USAGE;
done:
    gdn_outset_free(os);
    sim_release(&s);
    return code;
}
