/*
 * sim.c - one simulation from strings (gandyn/sim.h): the keys, the checks
 * of 'gandyn simulate' with its messages, the run and its diagnosis.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/spec.h"
#include "sim_internal.h"

/* ------------------------------------------------------------- the object */

static void defaults(gdn_sim *s)
{
    s->dim = 2;
    gdn_run_opts_init(&s->opts, gdn_opt_find("flow"));
    gdn_diag_opts_init(&s->dopts);
}

gdn_sim *gdn_sim_new(gdn_error *err)
{
    gdn_sim *s = calloc(1, sizeof *s);
    if (!s) {
        gdn_error_set(err, GDN_ENOMEM, "out of memory");
        return NULL;
    }
    defaults(s);
    return s;
}

/* Forgets what was built and run (the keys stay). */
static void unbuild(gdn_sim *s)
{
    if (s->ran)
        gdn_traj_release(&s->tr);
    s->ran = 0;
    free(s->x0);
    s->x0 = NULL;
    s->built = 0;
}

void gdn_sim_free(gdn_sim *s)
{
    if (!s)
        return;
    unbuild(s);
    free(s->model_spec);
    free(s->opt_spec);
    free(s->init_text);
    for (size_t k = 0; k < s->nreg; k++)
        free(s->reg_spec[k]);
    for (size_t k = 0; k < s->nema; k++)
        free(s->ema_text[k]);
    free(s);
}

const char *gdn__sim_model_spec(const gdn_sim *s)
{
    return s->model_spec ? s->model_spec : "nsgan";
}

const char *gdn__sim_opt_spec(const gdn_sim *s)
{
    return s->opt_spec ? s->opt_spec : "flow";
}

/* ------------------------------------------------------------------ keys */

enum {
    K_MODEL, K_REG, K_DIM, K_INIT, K_OPT, K_TEND, K_DT, K_STEPS, K_EVERY,
    K_EMA, K_DEBIAS, K_UNIFORM, K_EPS, K_BLOWUP, K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "model", "reg", "dim", "init", "opt", "t-end", "dt", "steps", "every",
    "ema", "ema-debias", "uniform", "eps", "blowup"};

/* key equals name, '_' standing for '-' */
static int key_is(const char *key, const char *name)
{
    for (; *key && *name; key++, name++)
        if (*key != *name && !(*key == '_' && *name == '-'))
            return 0;
    return *key == *name;
}

static int unknown_key(const char *key, gdn_error *err)
{
    char names[256], hint[96];
    size_t used = 0;
    gdn_suggest sg;
    gdn_suggest_init(&sg, key);
    for (size_t k = 0; k < K_COUNT; k++) {
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 k ? ", " : "", key_names[k]);
        gdn_suggest_add(&sg, key_names[k], strlen(key_names[k]));
    }
    return gdn_error_set(err, GDN_EINVAL,
                         "unknown simulation key '%s' (%saccepted: %s)", key,
                         gdn_suggest_text(&sg, hint, sizeof hint), names);
}

/* *dst = a copy of v (NULL: none); GDN_ENOMEM leaves *dst as it was. */
static int set_text(char **dst, const char *v, gdn_error *err)
{
    char *c = NULL;
    if (v) {
        size_t len = strlen(v) + 1;
        if (!(c = malloc(len)))
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        memcpy(c, v, len);
    }
    free(*dst);
    *dst = c;
    return GDN_OK;
}

/* A flag: NULL or "1" sets it, "0" clears it. */
static int set_flag(int *flag, const char *key, const char *v, gdn_error *err)
{
    if (!v || strcmp(v, "1") == 0)
        return *flag = 1, GDN_OK;
    if (strcmp(v, "0") == 0)
        return *flag = 0, GDN_OK;
    return gdn_error_set(err, GDN_EINVAL,
                         "%s: '%s' is not a flag value (accepted: 1, 0)", key,
                         v);
}

/* A positive number: "--t-end: 0 is out of range (accepted: > 0)". */
static int set_positive(double *dst, const char *what, const char *v,
                        gdn_error *err)
{
    double d;
    if (gdn_parse_double(v, what, &d, err))
        return GDN_EINVAL;
    if (!(d > 0))
        return gdn_error_set(err, GDN_EINVAL,
                             "%s: %s is out of range (accepted: > 0)", what, v);
    *dst = d;
    return GDN_OK;
}

/* Appends v to a repeatable key's list (NULL: empties it). */
static int append(char **list, size_t *count, size_t max, const char *what,
                  const char *v, gdn_error *err)
{
    if (!v) {
        for (size_t k = 0; k < *count; k++)
            free(list[k]), list[k] = NULL;
        *count = 0;
        return GDN_OK;
    }
    if (*count >= max)
        return gdn_error_set(err, GDN_EINVAL, "simulate: --%s '%s': at most "
                             "%zu %s", what, v, max,
                             strcmp(what, "reg") == 0 ? "regularizers"
                                                      : "EMAs");
    if (set_text(&list[*count], v, err))
        return GDN_ENOMEM;
    ++*count;
    return GDN_OK;
}

/* Key k := v; a failure changes nothing. */
static int set_key(gdn_sim *s, size_t k, const char *key, const char *v,
                   gdn_error *err)
{
    gdn_run_opts init;
    gdn_run_opts_init(&init, gdn_opt_find("flow"));
    long l;
    switch (k) {
    case K_MODEL: return set_text(&s->model_spec, v, err);
    case K_OPT: return set_text(&s->opt_spec, v, err);
    case K_INIT: return set_text(&s->init_text, v, err);
    case K_REG:
        return append(s->reg_spec, &s->nreg, GDN_MAX_REGS, "reg", v, err);
    case K_EMA:
        return append(s->ema_text, &s->nema, GDN_MAX_EMA, "ema", v, err);
    case K_DEBIAS: return set_flag(&s->opts.ema_debias, key, v, err);
    case K_UNIFORM: return set_flag(&s->opts.uniform, key, v, err);
    case K_DIM:
        if (!v)
            return s->dim = 2, GDN_OK;
        if (gdn_parse_long(v, "--dim", 1, 1 << 20, &l, err))
            return GDN_EINVAL;
        return s->dim = l, GDN_OK;
    case K_STEPS:
        if (!v)
            return s->opts.steps = init.steps, s->given_steps = 0, GDN_OK;
        if (gdn_parse_long(v, "--steps", 0, 1000000000000L, &l, err))
            return GDN_EINVAL;
        return s->opts.steps = l, s->given_steps = 1, GDN_OK;
    case K_EVERY:
        if (!v)
            return s->opts.every = init.every, s->given_every = 0, GDN_OK;
        if (gdn_parse_long(v, "--every", 1, 1000000000000L, &l, err))
            return GDN_EINVAL;
        return s->opts.every = l, s->given_every = 1, GDN_OK;
    case K_TEND:
        if (!v)
            return s->opts.t_end = init.t_end, s->given_tend = 0, GDN_OK;
        if (set_positive(&s->opts.t_end, "--t-end", v, err))
            return GDN_EINVAL;
        return s->given_tend = 1, GDN_OK;
    case K_DT:
        if (!v)
            return s->opts.dt = init.dt, s->given_dt = 0, GDN_OK;
        if (set_positive(&s->opts.dt, "--dt", v, err))
            return GDN_EINVAL;
        return s->given_dt = 1, GDN_OK;
    case K_EPS:
        if (!v) {
            gdn_diag_opts d;
            gdn_diag_opts_init(&d);
            return s->dopts.eps = d.eps, GDN_OK;
        }
        return set_positive(&s->dopts.eps, "--eps", v, err);
    default: /* K_BLOWUP: its range is gdn_run_opts_check's */
        if (!v)
            return s->opts.blowup = init.blowup, GDN_OK;
        return gdn_parse_double(v, "blowup", &s->opts.blowup, err);
    }
}

int gdn_sim_set(gdn_sim *s, const char *key, const char *v, gdn_error *err)
{
    size_t k = 0;
    while (key && k < K_COUNT && !key_is(key, key_names[k]))
        k++;
    if (!key || k == K_COUNT)
        return unknown_key(key ? key : "", err);
    int rc = set_key(s, k, key, v, err);
    if (rc == GDN_OK) /* what was built from the old settings goes */
        unbuild(s);
    return rc;
}

/* -------------------------------------------------------------- building */

/* Reads "0.99", "beta=0.99" or "tau=5" into an EMA and names it. */
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
        snprintf(name, GDN__SIM_NAME_MAX, "ema_tau%.24s", v); /* at most 24 */
        return GDN_OK;
    }
    const char *v = strncmp(s, "beta=", 5) == 0 ? s + 5 : s;
    if (gdn_parse_double(v, "--ema", &e->beta, err))
        return GDN_EINVAL;
    char b[32];
    gdn_format_double(e->beta, b, sizeof b);
    snprintf(name, GDN__SIM_NAME_MAX, "ema%.28s", b);
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

/* Index of the parameter named key in a table, or -1 (by name: the tables'
 * order is theirs). */
static long param_index(const gdn_param *p, const char *key)
{
    for (size_t k = 0; p && p[k].key; k++)
        if (strcmp(p[k].key, key) == 0)
            return (long)k;
    return -1;
}

/* Parameters of one flow integrator given to another. */
static int check_flow_params(const gdn_sim *s, gdn_error *err)
{
    const gdn_param *p = s->opts.opt->params;
    long km = param_index(p, "method"), kh = param_index(p, "h");
    /* dopri5 is the method's first choice; max_steps bounds every method */
    int dopri5 = km >= 0 && s->opts.par[km] == 0;
    if (dopri5 && kh >= 0 && s->opt_given[kh])
        return gdn_error_set(err, GDN_EINVAL,
                             "flow: h applies to method=rk4 or euler; dopri5 "
                             "chooses its steps from rtol and atol");
    static const char *const adaptive_only[] = {"rtol", "atol"};
    for (size_t i = 0; !dopri5 && i < 2; i++) {
        long k = param_index(p, adaptive_only[i]);
        if (k >= 0 && s->opt_given[k])
            return gdn_error_set(err, GDN_EINVAL,
                                 "flow: %s applies to method=dopri5; rk4 and "
                                 "euler take h", adaptive_only[i]);
    }
    return GDN_OK;
}

/* gdn_sim_build's work on a simulation that is not built. */
static int build(gdn_sim *s, gdn_error *err)
{
    size_t n = (size_t)s->dim, nema = s->nema;
    memset(s->model_given, 0, sizeof s->model_given);
    memset(s->reg_given, 0, sizeof s->reg_given);
    memset(s->opt_given, 0, sizeof s->opt_given);
    if (gdn_system_from_specs(&s->sys, n, gdn__sim_model_spec(s),
                              (const char *const *)s->reg_spec, s->nreg,
                              s->model_given, s->reg_given, err))
        return GDN_EINVAL;
    /* keeps t_end etc. as set, takes the method and its parameters */
    if (gdn_spec_opt(gdn__sim_opt_spec(s), &s->opts, s->opt_given, err))
        return GDN_EINVAL;
    int flow = gdn_run_opts_is_flow(&s->opts);
    if (flow && (s->given_steps || s->given_every))
        return gdn_error_set(err, GDN_EINVAL,
                             "--%s applies to discrete optimizers; the flow "
                             "takes --t-end and --dt",
                             s->given_steps ? "steps" : "every");
    if (!flow && (s->given_tend || s->given_dt))
        return gdn_error_set(err, GDN_EINVAL,
                             "--%s applies to the flow; '%s' takes --steps "
                             "and --every", s->given_tend ? "t-end" : "dt",
                             s->opts.opt->name);
    if (flow && check_flow_params(s, err))
        return GDN_EINVAL;
    if (s->opts.ema_debias && nema == 0)
        return gdn_error_set(err, GDN_EINVAL,
                             "--ema-debias needs at least one --ema");
    s->opts.nema = nema;
    for (size_t j = 0; j < nema; j++) {
        if (parse_ema(s->ema_text[j], &s->opts.ema[j], s->group_name[j], err))
            return GDN_EINVAL;
        s->group_ptr[j] = s->group_name[j];
        for (size_t i = 0; i < j; i++)
            if (strcmp(s->group_name[i], s->group_name[j]) == 0)
                return gdn_error_set(err, GDN_EINVAL, "--ema %s: given twice",
                                     s->ema_text[j]);
    }
    if (s->opts.uniform) {
        strcpy(s->group_name[nema], "uniform");
        s->group_ptr[nema] = s->group_name[nema];
    }
    if (gdn_run_opts_check(&s->opts, err))
        return GDN_EINVAL;
    if (!(s->x0 = malloc(2 * n * sizeof *s->x0)))
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    default_init(n, s->x0);
    if (s->init_text &&
        gdn_parse_state(s->init_text, "--init", n, s->x0, err))
        return GDN_EINVAL;
    for (size_t i = 0; i < 2 * n; i++) /* gdn_run_new's rule, by name */
        if (!(fabs(s->x0[i]) <= s->opts.blowup)) {
            char v[32];
            gdn_format_double(s->x0[i], v, sizeof v);
            return gdn_error_set(err, GDN_EINVAL,
                                 "--init: value %zu = %s is beyond the "
                                 "divergence range (accepted: |value| <= %g)",
                                 i + 1, v, s->opts.blowup);
        }
    return GDN_OK;
}

int gdn_sim_build(gdn_sim *s, gdn_error *err)
{
    if (s->built)
        return GDN_OK;
    int rc = build(s, err);
    if (rc != GDN_OK) {
        unbuild(s);
        return rc;
    }
    s->built = 1;
    return GDN_OK;
}

/* --------------------------------------------------------------- running */

int gdn_sim_run(gdn_sim *s, gdn_error *err)
{
    if (s->ran)
        return GDN_OK;
    int rc = gdn_sim_build(s, err);
    if (rc != GDN_OK)
        return rc;
    gdn_run *run = gdn_run_new(&s->sys, &s->opts, s->x0, err);
    if (!run)
        return err ? err->code : GDN_EINVAL;
    gdn_traj_init(&s->tr, s->sys.n, gdn_run_navg(run), !gdn_run_is_flow(run));
    rc = gdn_run_collect(run, &s->tr, err);
    gdn_run_get_info(run, &s->info);
    gdn_run_free(run);
    if (rc == GDN_ENOMEM) {
        gdn_traj_release(&s->tr);
        return GDN_ENOMEM;
    }
    s->status = rc;
    gdn_diag_opts_method(&s->dopts, &s->sys, &s->opts);
    gdn_diagnose(&s->tr, &s->info, &s->dopts, &s->diag);
    s->ran = 1;
    return GDN_OK;
}

/* ------------------------------------------------------------- accessors */

size_t gdn_sim_dim(const gdn_sim *s)
{
    return s->built ? s->sys.n : 0;
}

int gdn_sim_is_flow(const gdn_sim *s)
{
    return s->built && gdn_run_opts_is_flow(&s->opts);
}

size_t gdn_sim_navg(const gdn_sim *s)
{
    return s->built ? s->opts.nema + (s->opts.uniform != 0) : 0;
}

const char *const *gdn_sim_avg_names(const gdn_sim *s)
{
    return s->built ? s->group_ptr : NULL;
}

const double *gdn_sim_init(const gdn_sim *s)
{
    return s->built ? s->x0 : NULL;
}

const gdn_system *gdn_sim_system(const gdn_sim *s)
{
    return s->built ? &s->sys : NULL;
}

const gdn_run_opts *gdn_sim_run_opts(const gdn_sim *s)
{
    return s->built ? &s->opts : NULL;
}

size_t gdn_sim_count(const gdn_sim *s)
{
    return s->ran ? s->tr.count : 0;
}

const double *gdn_sim_times(const gdn_sim *s)
{
    return s->ran ? s->tr.t : NULL;
}

const double *gdn_sim_states(const gdn_sim *s)
{
    return s->ran ? s->tr.x : NULL;
}

const double *gdn_sim_averages(const gdn_sim *s)
{
    return s->ran && s->tr.ngroups ? s->tr.avg : NULL;
}

const gdn_traj *gdn_sim_traj(const gdn_sim *s)
{
    return s->ran ? &s->tr : NULL;
}

const gdn_diagnosis *gdn_sim_diagnosis(const gdn_sim *s)
{
    return s->ran ? &s->diag : NULL;
}

const char *gdn__sim_status_name(int status)
{
    switch (status) {
    case GDN_DONE: return "done";
    case GDN_EDIVERGED: return "diverged";
    case GDN_EUNDEFINED: return "undefined";
    case GDN_ESTEP: return "step-underflow";
    case GDN_EBUDGET: return "step-budget";
    case GDN_EOVERFLOW: return "overflow";
    default: return "error";
    }
}

int gdn_sim_get_info(const gdn_sim *s, gdn_sim_info *info)
{
    memset(info, 0, sizeof *info);
    if (!s->ran)
        return GDN_EINVAL;
    info->status = s->status;
    info->status_name = gdn__sim_status_name(s->status);
    info->nevals = (uint64_t)s->info.nevals;
    info->accepted = (uint64_t)s->info.accepted;
    info->rejected = (uint64_t)s->info.rejected;
    info->step = (int64_t)s->info.step;
    info->t = s->info.t;
    info->h_last = s->info.h_last;
    info->samples = s->tr.count;
    memcpy(info->why, s->info.why, sizeof info->why);
    return GDN_OK;
}
