/*
 * test_diagnose_corpus.c - the diagnosis of a short run must never
 * contradict what the same run does 40 times longer, nor the linear theory.
 *
 * A labelled corpus of random configurations (a fixed seed): a model, no
 * regularizer or one with a random weight, an optimizer with a random
 * learning rate (the flow with its default integrator, or a discrete
 * method), a dimension 1..4, a start in a box of random size, a horizon and
 * an output spacing.  Each configuration is run at its horizon (S) and 40x
 * longer with 40x the spacing (L), and analysed at the equilibrium (T,
 * gdn_stability_analyze, what 'gandyn analyze' prints).
 *
 * S contradicts L or T when (the relation contradicts() below):
 *   S converges  and T is unstable, or L diverges, circles, stalls,
 *                oscillates or is undefined, or L did not converge and its
 *                |x| at the end is not below S's;
 *   S diverges   (the run stopped) and L did not stop the same way;
 *                (the envelope grew) and L converges, circles, stalls or
 *                oscillates, or L does not diverge and its |x| at the end is
 *                not above S's;
 *   S circle     and L converges, diverges, stalls or is undefined, or L's
 *                |x| at the end differs from S's by more than 5 %;
 *   S oscillates and L converges, diverges, stalls or is undefined, or L's
 *                |x| at the end exceeds 4 times S's largest envelope;
 *   S stalls     and L is not stalls, or L's |x| differs from S's by more
 *                than 1 %;
 *   S undefined  and L is not undefined;
 *   S undecided  never (it claims nothing).
 *
 * The test fails on any contradiction and prints each with the command
 * that reproduces it; it prints the confusion matrix (S label x L label)
 * always.  Arguments: [N] the number of configurations (default 1000, or
 * GDN_CORPUS_N; the sanitizer build uses fewer), [-v] one line per
 * configuration.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gandyn.h"

#ifndef GDN_CORPUS_N
#define GDN_CORPUS_N 1000
#endif

#define NLAB 16 /* room for labels added after the seven of today */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next_u64(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform(void) { return (double)(next_u64() >> 11) * 0x1p-53; }
static size_t pick(size_t n) { return (size_t)(next_u64() % n); }
static double log_uniform(double lo, double hi)
{
    return lo * pow(hi / lo, uniform());
}

static size_t count_of(const void *const *list)
{
    size_t k = 0;
    while (list[k])
        k++;
    return k;
}

typedef struct config {
    char model[64], reg[64], opt[96];
    int has_reg, flow;
    size_t n;
    double x0[8];
    double t_end, dt; /* flow */
    long steps, every; /* discrete */
} config;

typedef struct outcome {
    gdn_diagnosis d;
    gdn_run_info info;
} outcome;

/* Draws a configuration the library accepts; 0 when it refuses this one. */
static int draw(config *c, gdn_system *sys, gdn_run_opts *o)
{
    size_t nm = count_of((const void *const *)gdn_models);
    size_t nr = count_of((const void *const *)gdn_regularizers);
    size_t no = count_of((const void *const *)gdn_optimizers);
    memset(c, 0, sizeof *c);
    const gdn_term_type *m = gdn_models[pick(nm)];
    snprintf(c->model, sizeof c->model, "%s", m->name);
    c->has_reg = pick(2) == 0;
    if (c->has_reg) {
        const gdn_term_type *r = gdn_regularizers[pick(nr)];
        const gdn_param *p = &r->params[0];
        if (p->key && p->def > 0)
            snprintf(c->reg, sizeof c->reg, "%s:%s=%.4g", r->name, p->key,
                     p->def * log_uniform(0.1, 10));
        else
            snprintf(c->reg, sizeof c->reg, "%s", r->name);
    }
    const gdn_opt_type *ot = gdn_optimizers[pick(no)];
    c->flow = (ot->flags & GDN_OPT_FLOW) != 0;
    if (c->flow) {
        /* a budget keeps stiff flows from running for minutes; a run that
         * uses it up has no verdict (inconclusive below) */
        snprintf(c->opt, sizeof c->opt, "flow:lr=%.4g,max_steps=2e6",
                 log_uniform(0.3, 3));
        static const double horizons[] = {10, 20, 50, 100};
        static const double nsamples[] = {20, 50, 100, 200, 1000};
        c->t_end = horizons[pick(4)];
        if (strstr(c->reg, "noise") && c->t_end > 20)
            c->t_end = 20;
        c->dt = c->t_end / nsamples[pick(5)];
    } else {
        double lr = strcmp(ot->name, "adam") == 0 ||
                            strcmp(ot->name, "rmsprop") == 0
                        ? log_uniform(1e-3, 0.1)
                        : log_uniform(5e-3, 0.5);
        snprintf(c->opt, sizeof c->opt, "%s:lr=%.4g", ot->name, lr);
        static const long horizons[] = {100, 200, 500, 1000, 2000, 4000};
        static const long nsamples[] = {10, 20, 50, 200, 1000};
        c->steps = horizons[pick(6)];
        if (strstr(c->reg, "noise") && c->steps > 500)
            c->steps = 500; /* Gauss-Hermite expectations are slow */
        c->every = c->steps / nsamples[pick(5)];
        if (c->every < 1)
            c->every = 1;
    }
    c->n = 1 + pick(4);
    double box = log_uniform(0.01, 2);
    for (size_t i = 0; i < 2 * c->n; i++)
        c->x0[i] = box * (2 * uniform() - 1);
    const char *regs[1] = {c->reg};
    gdn_error err;
    if (gdn_system_from_specs(sys, c->n, c->model, regs, c->has_reg ? 1 : 0,
                              NULL, NULL, &err))
        return 0;
    gdn_run_opts_init(o, ot);
    if (gdn_spec_opt(c->opt, o, NULL, &err))
        return 0;
    if (c->flow && sys->model.type->project)
        return 0; /* wgan-clip has no flow */
    /* hinge's field jumps at t = -1: dopri5 at rtol 1e-10 crawls along the
     * jump (minutes per run), which is issue 9's section 2, not this test */
    if (c->flow && strcmp(c->model, "hinge") == 0)
        return 0;
    if (gdn_run_opts_check(o, &err))
        return 0;
    return 1;
}

static int run_one(const gdn_system *sys, const gdn_run_opts *base,
                   const config *c, long scale, outcome *out)
{
    gdn_run_opts o = *base;
    gdn_error err;
    if (c->flow)
        o.t_end = c->t_end * (double)scale, o.dt = c->dt * (double)scale;
    else
        o.steps = c->steps * scale, o.every = c->every * scale;
    gdn_run *run = gdn_run_new(sys, &o, c->x0, &err);
    if (!run)
        return 0;
    gdn_traj tr;
    gdn_traj_init(&tr, c->n, 0, !c->flow);
    int rc = gdn_run_collect(run, &tr, &err);
    gdn_run_get_info(run, &out->info);
    gdn_run_free(run);
    if (rc == GDN_ENOMEM) {
        gdn_traj_release(&tr);
        return 0;
    }
    gdn_diag_opts dopts;
    gdn_diag_opts_init(&dopts);
    gdn_diag_opts_method(&dopts, sys, &o); /* what the run knows */
    gdn_diagnose(&tr, &out->info, &dopts, &out->d);
    gdn_traj_release(&tr);
    return 1;
}

static int stopped(const outcome *r)
{
    return r->info.status != GDN_DONE && r->info.status != GDN_OK;
}

/* Why S contradicts L or the theory (NULL: it does not). */
static const char *contradicts(const outcome *s, const outcome *l, int theory)
{
    int L = l->d.label;
    double rs = s->d.r_end, rl = l->d.r_end;
    switch (s->d.label) {
    case GDN_DIAG_CONVERGES:
        if (theory == GDN_STAB_UNSTABLE)
            return "converges, but the equilibrium is linearly unstable";
        if (L == GDN_DIAG_DIVERGES || L == GDN_DIAG_CIRCLE ||
            L == GDN_DIAG_STALLS || L == GDN_DIAG_OSCILLATES ||
            L == GDN_DIAG_UNDEFINED)
            return "converges, but the long run does not";
        if (L != GDN_DIAG_CONVERGES && !(rl < rs))
            return "converges, but |x| of the long run is not smaller";
        return NULL;
    case GDN_DIAG_DIVERGES:
        if (stopped(s))
            return L == GDN_DIAG_DIVERGES && stopped(l)
                       ? NULL
                       : "stopped, but the long run did not";
        if (L == GDN_DIAG_CONVERGES || L == GDN_DIAG_CIRCLE ||
            L == GDN_DIAG_STALLS || L == GDN_DIAG_OSCILLATES)
            return "diverges, but the long run settles";
        if (L != GDN_DIAG_DIVERGES && !(rl > rs))
            return "diverges, but |x| of the long run is not larger";
        return NULL;
    case GDN_DIAG_CIRCLE:
        if (L == GDN_DIAG_CONVERGES || L == GDN_DIAG_DIVERGES ||
            L == GDN_DIAG_STALLS || L == GDN_DIAG_UNDEFINED)
            return "circle, but the long run does not stay on it";
        if (!(fabs(rl / rs - 1) <= 0.05))
            return "circle, but the long run ends at another radius";
        return NULL;
    case GDN_DIAG_OSCILLATES: {
        double e = fmax(s->d.env[0], fmax(s->d.env[1], s->d.env[2]));
        if (L == GDN_DIAG_CONVERGES || L == GDN_DIAG_DIVERGES ||
            L == GDN_DIAG_STALLS || L == GDN_DIAG_UNDEFINED)
            return "oscillates, but the long run does not";
        if (!(rl <= 4 * e))
            return "oscillates bounded, but the long run leaves the bound";
        return NULL;
    }
    case GDN_DIAG_STALLS:
        if (L != GDN_DIAG_STALLS || !(fabs(rl / rs - 1) <= 0.01))
            return "stalls, but the long run moves on";
        return NULL;
    case GDN_DIAG_UNDEFINED:
        return L == GDN_DIAG_UNDEFINED ? NULL
                                       : "undefined, but the long run is not";
    default: /* undecided, or an outcome that claims nothing */
        return NULL;
    }
}

static void print_command(const config *c, long scale)
{
    printf("    gandyn simulate --model %s%s%s --dim %zu --init ", c->model,
           c->has_reg ? " --reg " : "", c->has_reg ? c->reg : "", c->n);
    for (size_t i = 0; i < 2 * c->n; i++)
        printf("%s%.17g", i ? "," : "", c->x0[i]);
    if (c->flow)
        printf(" --opt %s --t-end %.17g --dt %.17g\n", c->opt,
               c->t_end * (double)scale, c->dt * (double)scale);
    else
        printf(" --opt %s --steps %ld --every %ld\n", c->opt,
               c->steps * scale, c->every * scale);
}

int main(int argc, char **argv)
{
    long total = GDN_CORPUS_N;
    int verbose = 0;
    const char *env = getenv("GDN_CORPUS_N");
    if (env && *env)
        total = atol(env);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
        else
            total = atol(argv[i]);
    }
    if (total <= 0) {
        fprintf(stderr, "test_diagnose_corpus: N must be a positive number\n");
        return 2;
    }
    long matrix[NLAB][NLAB] = {{0}}, theory_matrix[NLAB][4] = {{0}};
    long contradictions = 0, refused = 0, inconclusive = 0;
    for (long k = 0; k < total;) {
        config c;
        gdn_system sys;
        gdn_run_opts o;
        if (!draw(&c, &sys, &o)) {
            refused++;
            continue;
        }
        outcome s, l;
        clock_t c0 = clock();
        if (getenv("GDN_CORPUS_TRACE")) {
            printf("RUN %ld\n", k);
            print_command(&c, 40);
            fflush(stdout);
        }
        if (!run_one(&sys, &o, &c, 1, &s) || !run_one(&sys, &o, &c, 40, &l)) {
            refused++; /* e.g. the field is undefined at the start */
            continue;
        }
        int theory = -1;
        gdn_stability st;
        gdn_error err;
        if (gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err) == GDN_OK) {
            theory = st.verdict;
            gdn_stability_release(&st);
        }
        /* a long run stopped by its step budget or a step underflow says
         * nothing about the dynamics */
        if (stopped(&l) && l.info.status != GDN_EDIVERGED &&
            l.info.status != GDN_EUNDEFINED) {
            inconclusive++;
            k++;
            continue;
        }
        int S = s.d.label, L = l.d.label;
        if (S >= 0 && S < NLAB && L >= 0 && L < NLAB)
            matrix[S][L]++;
        if (S >= 0 && S < NLAB && theory >= 0 && theory < 4)
            theory_matrix[S][theory]++;
        const char *why = contradicts(&s, &l, theory);
        double secs = (double)(clock() - c0) / CLOCKS_PER_SEC;
        if (secs > 0.5 && getenv("GDN_CORPUS_SLOW")) {
            printf("SLOW %ld: %.2f s\n", k, secs);
            print_command(&c, 40);
        }
        if (verbose || why) {
            printf("%s%ld: %s | %s\n      long: %s\n", why ? "CONTRADICTION " : "",
                   k, why ? why : "", s.d.text, l.d.text);
            print_command(&c, 1);
        }
        contradictions += why != NULL;
        k++;
    }
    /* the confusion matrix, rows short, columns long */
    int nlab = 0;
    while (nlab < NLAB && strcmp(gdn_diag_label_name(nlab), "unknown") != 0)
        nlab++;
    printf("corpus: %ld configurations (%ld drawn and refused; %ld long runs "
           "stopped by the step budget, not compared), long run = short run "
           "x 40\n\n%-12s",
           total, refused, inconclusive, "short\\long");
    for (int j = 0; j < nlab; j++)
        printf(" %10s", gdn_diag_label_name(j));
    printf(" | %8s %8s %8s %8s\n", "stable", "unstable", "neutral", "nondiff");
    for (int i = 0; i < nlab; i++) {
        printf("%-12s", gdn_diag_label_name(i));
        for (int j = 0; j < nlab; j++)
            printf(" %10ld", matrix[i][j]);
        printf(" | %8ld %8ld %8ld %8ld\n", theory_matrix[i][0],
               theory_matrix[i][1], theory_matrix[i][2], theory_matrix[i][3]);
    }
    printf("\ncontradictions: %ld\n", contradictions);
    return contradictions ? 1 : 0;
}
