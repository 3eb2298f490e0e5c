/*
 * sim_setup.c - parsing and checking the options of one simulation (see
 * sim_setup.h); every bad token gets one line and status 2.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim_setup.h"

void sim_init(sim *s)
{
    memset(s, 0, sizeof *s);
    s->model_spec = "nsgan";
    s->opt_spec = "flow";
    s->plot_kind = -1;
    s->dim = 2;
    gdn_run_opts_init(&s->opts, gdn_opt_find("flow"));
    gdn_diag_opts_init(&s->dopts);
}

void sim_release(sim *s)
{
    free(s->x0);
    s->x0 = NULL;
}

enum {
    O_HELP, O_MODEL, O_REG, O_DIM, O_INIT, O_OPT, O_TEND, O_DT, O_STEPS,
    O_EVERY, O_EMA, O_DEBIAS, O_UNIFORM, O_OUT, O_SUMMARY, O_EPS, O_QUIET,
    O_PLOT, O_PLOT_KIND, O_PLOT_LOG
};


static const cli_opt options[] = {
    {"help", CLI_FLAG, O_HELP},       {"model", CLI_VALUE, O_MODEL},
    {"reg", CLI_VALUE | CLI_REPEAT, O_REG},        {"dim", CLI_VALUE, O_DIM},
    {"init", CLI_VALUE, O_INIT},      {"opt", CLI_VALUE, O_OPT},
    {"t-end", CLI_VALUE, O_TEND},     {"dt", CLI_VALUE, O_DT},
    {"steps", CLI_VALUE, O_STEPS},    {"every", CLI_VALUE, O_EVERY},
    {"ema", CLI_VALUE | CLI_REPEAT, O_EMA},        {"ema-debias", CLI_FLAG, O_DEBIAS},
    {"uniform", CLI_FLAG, O_UNIFORM}, {"out", CLI_VALUE, O_OUT},
    {"summary", CLI_OPTIONAL, O_SUMMARY}, {"eps", CLI_VALUE, O_EPS},
    {"quiet", CLI_FLAG, O_QUIET},     {"plot", CLI_VALUE | CLI_REPEAT, O_PLOT},
    {"plot-kind", CLI_VALUE, O_PLOT_KIND}, {"plot-log", CLI_FLAG, O_PLOT_LOG},
    {NULL, 0, 0}};



/* Reads "0.99", "beta=0.99" or "tau=5" into an EMA. */
static int parse_ema(const char *s, gdn_ema *e, char *name, gdn_error *err)
{
    e->beta = 0, e->tau = 0;
    if (strncmp(s, "tau=", 4) == 0) {
        if (gdn_parse_double(s + 4, "--ema tau", &e->tau, err))
            return GDN_EINVAL;
        if (!(e->tau > 0))
            return gdn_error_set(err, GDN_EINVAL,
                                 "--ema tau=%s: out of range (accepted: > 0)",
                                 s + 4);
        char v[32]; /* the shortest text that reads back as tau: distinct
                       values get distinct names (was %g: 6 digits) */
        gdn_format_double(e->tau, v, sizeof v);
        snprintf(name, 32, "ema_tau%.24s", v); /* at most 24 */
        return GDN_OK;
    }
    const char *v = strncmp(s, "beta=", 5) == 0 ? s + 5 : s;
    if (gdn_parse_double(v, "--ema", &e->beta, err))
        return GDN_EINVAL;
    char b[32];
    gdn_format_double(e->beta, b, sizeof b);
    snprintf(name, 32, "ema%.28s", b);
    return GDN_OK;
}

/* The documented default start in dimension n. */
static void default_init(size_t n, double *x)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = i % 2 == 0 ? 0.1 : 0.2;
        x[n + i] = i % 2 == 0 ? 0.2 : 0.1;
    }
}

/* Parses argv into s; returns -1 to exit 0 (help), 0 fine, 2 bad input. */
int sim_parse(sim *s, int argc, char **argv, const char *const *usage)
{
    size_t *nreg = &s->nreg, *nema = &s->nema;
    long *dim = &s->dim;
    cli_parser p;
    int id;
    const char *val;
    gdn_error err;
    int rc;
    double d;
    long num;
    cli_init(&p, argc, argv, "simulate");
    while ((rc = cli_next(&p, options, &id, &val)) == 1) {
        switch (id) {
        case O_HELP:
            for (; usage && *usage; usage++)
                fputs(*usage, stdout);
            return -1;
        case O_MODEL: s->model_spec = val; break;
        case O_OPT: s->opt_spec = val; break;
        case O_INIT: s->init_text = val; break;
        case O_OUT: s->out = val; break;
        case O_SUMMARY: s->want_summary = 1, s->summary = val; break;
        case O_QUIET: s->quiet = 1; break;
        case O_PLOT_LOG: s->plot_log = 1; break;
        case O_PLOT:
            if (s->nplot >= MAX_PLOTS) {
                cli_error("simulate: --plot '%s': at most %d figures", val,
                          MAX_PLOTS);
                return 2;
            }
            s->plot[s->nplot++] = val;
            break;
        case O_PLOT_KIND:
            if ((s->plot_kind = gdn_plot_kind_find(val)) < 0) {
                cli_error("--plot-kind: unknown kind '%s' (accepted: theta, "
                          "phase, series)", val);
                return 2;
            }
            break;
        case O_DEBIAS: s->opts.ema_debias = 1; break;
        case O_UNIFORM: s->opts.uniform = 1; break;
        case O_REG:
            if (*nreg >= GDN_MAX_REGS) {
                cli_error("simulate: --reg '%s': at most %d regularizers", val,
                          GDN_MAX_REGS);
                return 2;
            }
            s->reg_spec[(*nreg)++] = val;
            break;
        case O_EMA:
            if (*nema >= GDN_MAX_EMA) {
                cli_error("simulate: --ema '%s': at most %d EMAs", val,
                          GDN_MAX_EMA);
                return 2;
            }
            s->ema_text[(*nema)++] = val;
            break;
        case O_DIM:
            if (gdn_parse_long(val, "--dim", 1, 1 << 20, dim, &err))
                goto bad;
            break;
        case O_STEPS:
            if (gdn_parse_long(val, "--steps", 0, 1000000000000L, &num, &err))
                goto bad;
            s->opts.steps = num;
            s->given_steps = 1;
            break;
        case O_EVERY:
            if (gdn_parse_long(val, "--every", 1, 1000000000000L, &num, &err))
                goto bad;
            s->opts.every = num;
            s->given_every = 1;
            break;
        case O_TEND:
            if (gdn_parse_double(val, "--t-end", &d, &err))
                goto bad;
            if (!(d > 0)) {
                cli_error("--t-end: %s is out of range (accepted: > 0)", val);
                return 2;
            }
            s->opts.t_end = d, s->given_tend = 1;
            break;
        case O_DT:
            if (gdn_parse_double(val, "--dt", &d, &err))
                goto bad;
            if (!(d > 0)) {
                cli_error("--dt: %s is out of range (accepted: > 0)", val);
                return 2;
            }
            s->opts.dt = d, s->given_dt = 1;
            break;
        case O_EPS:
            if (gdn_parse_double(val, "--eps", &d, &err))
                goto bad;
            if (!(d > 0)) {
                cli_error("--eps: %s is out of range (accepted: > 0)", val);
                return 2;
            }
            s->dopts.eps = d;
            break;
        }
    }
    return rc < 0 ? 2 : 0;
bad:
    cli_error("%s", err.msg);
    return 2;
}

int sim_build(sim *s)
{
    size_t nreg = s->nreg, nema = s->nema;
    long dim = s->dim;
    gdn_error err;
    size_t n = (size_t)dim;
    if (gdn_system_from_specs(&s->sys, n, s->model_spec, s->reg_spec, nreg,
                              s->model_given, s->reg_given, &err))
        goto bad;
    /* options: keep t_end etc. parsed so far, take method and parameters */
    if (gdn_spec_opt(s->opt_spec, &s->opts, s->opt_given, &err))
        goto bad;
    int flow = (s->opts.opt->flags & GDN_OPT_FLOW) != 0;
    if (flow && (s->given_steps || s->given_every)) {
        cli_error("--%s applies to discrete optimizers; the flow takes --t-end "
                  "and --dt", s->given_steps ? "steps" : "every");
        return 2;
    }
    if (!flow && (s->given_tend || s->given_dt)) {
        cli_error("--%s applies to the flow; '%s' takes --steps and --every",
                  s->given_tend ? "t-end" : "dt", s->opts.opt->name);
        return 2;
    }
    if (flow) { /* parameters of one integrator given to another */
        const gdn_param *fp = s->opts.opt->params;
        int dopri5 = gdn_run_opts_get(&s->opts, "method") == GDN_FLOW_DOPRI5;
        /* max_steps bounds every method's work */
        const size_t adaptive_only[] = {gdn_param_index(fp, "rtol"),
                                        gdn_param_index(fp, "atol")};
        if (dopri5 && s->opt_given[gdn_param_index(fp, "h")]) {
            cli_error("flow: h applies to method=rk4 or euler; dopri5 chooses "
                      "its steps from rtol and atol");
            return 2;
        }
        for (size_t k = 0; !dopri5 && k < 2; k++)
            if (s->opt_given[adaptive_only[k]]) {
                cli_error("flow: %s applies to method=dopri5; rk4 and euler "
                          "take h", s->opts.opt->params[adaptive_only[k]].key);
                return 2;
            }
    }
    if (s->opts.ema_debias && nema == 0) {
        cli_error("--ema-debias needs at least one --ema");
        return 2;
    }
    s->opts.nema = nema;
    for (size_t j = 0; j < nema; j++) {
        if (parse_ema(s->ema_text[j], &s->opts.ema[j], s->group_name[j], &err))
            goto bad;
        s->group_ptr[j] = s->group_name[j];
        for (size_t i = 0; i < j; i++)
            if (strcmp(s->group_name[i], s->group_name[j]) == 0) {
                cli_error("--ema %s: given twice", s->ema_text[j]);
                return 2;
            }
    }
    if (s->opts.uniform) {
        strcpy(s->group_name[nema], "uniform");
        s->group_ptr[nema] = s->group_name[nema];
    }
    if (gdn_run_opts_check(&s->opts, &err))
        goto bad;
    s->x0 = malloc(2 * n * sizeof *s->x0);
    if (!s->x0) {
        cli_error("out of memory");
        return 1;
    }
    default_init(n, s->x0);
    if (s->init_text && gdn_parse_state(s->init_text, "--init", n, s->x0, &err))
        goto bad;
    for (size_t i = 0; i < 2 * n; i++) /* gdn_run_new's rule, by name */
        if (!(fabs(s->x0[i]) <= s->opts.blowup)) {
            char v[32];
            gdn_format_double(s->x0[i], v, sizeof v);
            cli_error("--init: value %zu = %s is beyond the divergence range "
                      "(accepted: |value| <= %g)", i + 1, v, s->opts.blowup);
            return 2;
        }
    return 0;
bad:
    cli_error("%s", err.msg);
    return 2;
}

