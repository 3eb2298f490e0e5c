/*
 * stability.c - linearisations and their eigenvalues (see
 * gandyn/stability.h).
 *
 * The discrete map is not written out per method: the method's own step
 * runs on the linear game xi(x) = J x (gdn_game_linear, no projection),
 * once per unit vector of the augmented state.  For a step that is linear in xi this
 * is exactly the Jacobian of the step at the fixed point, so a new optimizer
 * is analysed the day it is written, and the analysis cannot drift from
 * the implementation it describes.
 */
#include "gandyn/stability.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/game.h"
#include "gandyn/spec.h"
#include "../dynamics/optim.h"
#include "../core/gmath.h"
#include "eig.h"

const char *gdn_stab_verdict_name(int verdict)
{
    switch (verdict) {
#define GDN_STAB_NAME_(name, text) case GDN_STAB_##name: return text;
        GDN_STAB_VERDICTS(GDN_STAB_NAME_)
#undef GDN_STAB_NAME_
    default: return "?";
    }
}

void gdn_stability_release(gdn_stability *st)
{
    if (!st)
        return;
    free(st->matrix);
    free(st->eig);
    st->matrix = NULL;
    st->eig = NULL;
}

static int by_real_part(const void *pa, const void *pb)
{
    const gdn_eig *a = pa, *b = pb;
    if (a->re != b->re)
        return a->re > b->re ? -1 : 1;
    return a->im > b->im ? -1 : (a->im < b->im);
}

static int by_modulus(const void *pa, const void *pb)
{
    const gdn_eig *a = pa, *b = pb;
    double ma = gdn__hypot(a->re, a->im), mb = gdn__hypot(b->re, b->im);
    if (ma != mb)
        return ma > mb ? -1 : 1;
    return by_real_part(pa, pb);
}

int gdn_eigenvalues(size_t n, const double *a, gdn_eig *eig, gdn_error *err)
{
    if (n == 0)
        return GDN_OK;
    double *wr = malloc(n * sizeof *wr), *wi = malloc(n * sizeof *wi);
    int rc = GDN_OK;
    if (!wr || !wi) {
        rc = gdn_error_set(err, GDN_ENOMEM, "out of memory for %zu x %zu", n,
                           n);
        goto done;
    }
    rc = gdn__eig_values(n, a, wr, wi, GDN__EIG_BALANCE, 0, NULL, NULL, err);
    if (rc)
        goto done;
    for (size_t i = 0; i < n; i++)
        eig[i].re = wr[i] + 0.0, eig[i].im = wi[i] + 0.0; /* no -0 */
done:
    free(wr);
    free(wi);
    return rc;
}

/* Eigenvalues that coincide in exact arithmetic come out of the QR solver split by
 * up to eps^(1/k) for a k-fold defective root (about 1e-8 for a double
 * one), enough to tip rho across 1 at altgd's h = 4.  The mean of such a
 * cluster is accurate to rounding, so each cluster (members within 3e-5
 * relative of one another) is replaced by its mean.  Distinct eigenvalues
 * closer than that cannot be told apart by the solver (or dgeev) anyway. */
static void merge_clusters(gdn_eig *eig, size_t n)
{
    char *done = calloc(n, 1);
    size_t *member = malloc(n * sizeof *member);
    if (!done || !member) {
        free(done), free(member);
        return; /* unmerged eigenvalues are still eigenvalues */
    }
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        size_t k = 0;
        double re = 0, im = 0;
        for (size_t j = i; j < n; j++) {
            double scale = fmax(1, gdn__hypot(eig[i].re, eig[i].im));
            if (!done[j] && gdn__hypot(eig[j].re - eig[i].re,
                                  eig[j].im - eig[i].im) <= 3e-5 * scale) {
                member[k++] = j, done[j] = 1;
                re += eig[j].re, im += eig[j].im;
            }
        }
        for (size_t q = 0; k > 1 && q < k; q++)
            eig[member[q]].re = re / (double)k + 0.0,
            eig[member[q]].im = im / (double)k + 0.0;
    }
    free(done);
    free(member);
}

/* Whether F_a + G_b (separately: F_a and G_b both) is 0 at fixed
 * pseudo-random points (a term without a norm dependence has it
 * identically 0). */
static int norm_free(const gdn_system *sys, int separately)
{
    gdn_partials F, G;
    int zero_everywhere = 1;
    unsigned long long s = 0x9E3779B97F4A7C15ull;
    for (int k = 0; k < 24 && zero_everywhere; k++) {
        double tab[3];
        for (int c = 0; c < 3; c++) { /* xorshift64*, in (-1, 1) */
            s ^= s >> 12, s ^= s << 25, s ^= s >> 27;
            tab[c] = (double)((s * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0 * 2 - 1;
        }
        double a = 0.1 + fabs(tab[1]), b = 0.1 + fabs(tab[2]);
        double t = tab[0] * sqrt(a * b); /* |t| <= sqrt(a b) */
        if (gdn_system_partials(sys, t, a, b, GDN_ORDER_FIELD, &F, &G) ==
                GDN_PT_UNDEFINED ||
            (separately ? F.g[1] != 0 || G.g[2] != 0 : F.g[1] + G.g[2] != 0))
            zero_everywhere = 0;
    }
    return zero_everywhere;
}

/* What Gamma does under the flow: F_a + G_b at the point and around it. */
static void gram_of(const gdn_system *sys, const double *x, gdn_stability *st)
{
    size_t n = sys->n;
    gdn_partials F, G;
    gdn_invariants inv;
    gdn_invariants_of(n, x, &inv);
    int pt = gdn_system_partials(sys, inv.t, inv.a, inv.b, GDN_ORDER_FIELD,
                                 &F, &G);
    double here = pt == GDN_PT_UNDEFINED ? NAN : F.g[1] + G.g[2];
    int zero_everywhere = pt != GDN_PT_UNDEFINED && here == 0 &&
                          norm_free(sys, 0);
    st->gram_rate = -4 * here + 0.0;
    if (!zero_everywhere && isfinite(here) && !isfinite(st->gram_rate)) {
        st->gram_kind = 2;
        st->gram_rate = NAN;
        snprintf(st->invariant, sizeof st->invariant,
                 "Gamma' = -4 (F_a + G_b) Gamma: the rate overflows at this "
                 "point (F_a + G_b = %.6g)", here);
        return;
    }
    if (zero_everywhere) {
        st->gram_kind = 0;
        snprintf(st->invariant, sizeof st->invariant,
                 "Gamma = |phi|^2 |theta|^2 - (theta.phi)^2 is conserved "
                 "(F_a + G_b = 0 identically): from any start with Gamma0 > 0 "
                 "the equilibrium is never reached (in 1-D Gamma = 0 and this "
                 "decides nothing)");
    } else if (isnan(here)) {
        st->gram_kind = 2;
        snprintf(st->invariant, sizeof st->invariant,
                 "Gamma' = -4 (F_a + G_b) Gamma is not defined at this point");
    } else {
        st->gram_kind = here > 0 ? -1 : (here < 0 ? 1 : 2);
        snprintf(st->invariant, sizeof st->invariant,
                 "Gamma is not conserved: near this point it %s like "
                 "exp(%.6g t) (Gamma' = -4 (F_a + G_b) Gamma)",
                 here > 0 ? "decays" : (here < 0 ? "grows" : "varies"),
                 st->gram_rate);
    }
}

/* Why the system is not differentiable at x, for the report. */
static const char *singular_of(const gdn_system *sys)
{
    if (sys->model.type->singular)
        return sys->model.type->singular;
    for (size_t k = 0; k < sys->nreg; k++)
        if (sys->reg[k].type->singular)
            return sys->reg[k].type->singular;
    return "a term has no second derivative here";
}

/* What a discrete method does with Gamma, where it is known (tests/
 * test_dynamics.c checks both to 1e-12); otherwise nothing is claimed (the
 * flow's invariant is a property of the flow only). */
static void gram_discrete(const gdn_system *sys, const gdn_run_opts *opts,
                          const double *x, gdn_stability *st)
{
    const char *name = opts->opt->name;
    int alt = strcmp(name, "altgd") == 0, sim = strcmp(name, "simgd") == 0;
    st->invariant[0] = '\0';
    st->gram_kind = 2;
    st->gram_rate = NAN;
    /* a shear needs xi_phi = F_t theta and xi_theta = G_t phi: neither loss
     * may depend on |phi| or |theta|, and no projection (clipping) */
    if (!(alt || sim) || sys->model.type->project || !norm_free(sys, 1))
        return;
    if (alt) {
        st->gram_kind = 0;
        st->gram_rate = 0;
        snprintf(st->invariant, sizeof st->invariant,
                 "altgd keeps Gamma = |phi|^2 |theta|^2 - (theta.phi)^2 "
                 "exactly (F_a = G_b = 0: each player's step is a shear, "
                 "phi -= lr_d F_t theta, theta -= lr_g G_t phi, which keeps "
                 "phi ^ theta): from any start with Gamma0 > 0 the iterates "
                 "never reach the equilibrium (in 1-D Gamma = 0 and this "
                 "decides nothing)");
        return;
    }
    gdn_partials F, G;
    gdn_invariants inv;
    gdn_invariants_of(sys->n, x, &inv);
    if (gdn_system_partials(sys, inv.t, inv.a, inv.b, GDN_ORDER_FIELD, &F,
                            &G) == GDN_PT_UNDEFINED)
        return;
    double par[GDN_MAX_PARAMS];
    gdn_params_fill(opts->opt->params, opts->par, par);
    const struct gdn__lr_par *lr = (const void *)par;
    double lr_d = lr->lr_d, lr_g = lr->lr_g;
    double f = 1 - lr_d * lr_g * F.g[0] * G.g[0], factor = f * f;
    if (!isfinite(factor))
        return;
    st->gram_kind = factor > 1 ? 1 : (factor < 1 ? -1 : 0);
    st->gram_rate = gdn__log(factor) + 0.0;
    snprintf(st->invariant, sizeof st->invariant,
             "simgd multiplies Gamma = |phi|^2 |theta|^2 - (theta.phi)^2 by "
             "(1 - lr_d lr_g F_t G_t)^2 each step (F_a = G_b = 0); here by "
             "%.10g, so near this point Gamma %s",
             factor, factor > 1 ? "grows" : (factor < 1 ? "decays" : "is kept"));
}

/* "simgd:lr=0.1 on nsgan + l2:gamma=0.3": what was analysed, for
 * messages. */
static void setup_text(const gdn_system *sys, const gdn_run_opts *opts,
                       char *buf, size_t size)
{
    char t[256];
    size_t used = 0;
    for (size_t k = 0; k <= sys->nreg + 1 && used < size; k++) {
        const char *name;
        const gdn_param *params;
        const double *par;
        if (k == 0)
            name = opts->opt->name, params = opts->opt->params, par = opts->par;
        else if (k == 1)
            name = sys->model.type->name, params = sys->model.type->params,
            par = sys->model.par;
        else
            name = sys->reg[k - 2].type->name,
            params = sys->reg[k - 2].type->params, par = sys->reg[k - 2].par;
        if (gdn_params_format(name, params, par, t, sizeof t))
            snprintf(t, sizeof t, "%s", name);
        int w = snprintf(buf + used, size - used, "%s%s",
                         k == 0 ? "" : (k == 1 ? " on " : " + "), t);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static int all_finite(const double *v, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* The verdict "not computable": what overflowed and at which
 * parameters; no matrix, no eigenvalues, no NaN. */
static int not_computable(const gdn_system *sys, const gdn_run_opts *opts,
                          const char *what, gdn_stability *st)
{
    char where[300];
    setup_text(sys, opts, where, sizeof where);
    st->verdict = GDN_STAB_NOTCOMP;
    st->rho = st->max_re = st->rate = NAN;
    free(st->matrix), free(st->eig);
    st->matrix = NULL, st->eig = NULL;
    snprintf(st->text, sizeof st->text,
             "not computable: %.40s of %.300s exceeds the double range (the "
             "linearisation overflows at these parameters)",
             what, where);
    return GDN_OK;
}

/* Eigenvalues of st->matrix, or "not computable" when they overflow; a
 * LAPACK failure names the parameters behind the matrix. */
static int eigen_of(const gdn_system *sys, const gdn_run_opts *opts,
                    const char *what, size_t N, gdn_stability *st,
                    gdn_error *err)
{
    gdn_error e;
    int rc = gdn_eigenvalues(N, st->matrix, st->eig, &e);
    if (rc == GDN_ENOMEM)
        return gdn_error_set(err, rc, "%s", e.msg);
    if (rc) {
        char where[400];
        setup_text(sys, opts, where, sizeof where);
        const char *why = strncmp(e.msg, "eigenvalues: ", 13) == 0
                              ? e.msg + 13 : e.msg;
        return gdn_error_set(err, rc, "%s of %s (%zu x %zu): %s", what, where,
                             N, N, why);
    }
    if (!all_finite(&st->eig[0].re, 2 * N))
        return not_computable(sys, opts, "an eigenvalue", st) + 1;
    return GDN_OK;
}

static int flow_analysis(const gdn_system *sys, const gdn_run_opts *opts,
                         const double *x, const double *J, double *xi,
                         gdn_stability *st, gdn_error *err)
{
    size_t n = sys->n, m = 2 * n;
    double par[GDN_MAX_PARAMS];
    gdn_params_fill(opts->opt->params, opts->par, par);
    const struct gdn__flow_par *fp = (const void *)par;
    double eta_d = fp->lr_d, eta_g = fp->lr_g;
    st->dim = m;
    if (!(st->matrix = malloc(m * m * sizeof(double))) ||
        !(st->eig = malloc(m * sizeof(gdn_eig))))
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            st->matrix[i * m + j] = -(i < n ? eta_d : eta_g) * J[i * m + j] + 0.0;
    if (!all_finite(st->matrix, m * m))
        return not_computable(sys, opts, "the Jacobian of the flow", st);
    int rc = eigen_of(sys, opts, "eigenvalues of the Jacobian of the flow", m,
                      st, err);
    if (rc)
        return rc > 0 ? GDN_OK : rc;
    merge_clusters(st->eig, m);
    qsort(st->eig, m, sizeof *st->eig, by_real_part);
    st->max_re = st->eig[0].re;
    st->rate = -st->max_re + 0.0; /* no -0 */
    double xi_norm = 0;
    gdn_system_grad(sys, x, xi);
    for (size_t i = 0; i < m; i++)
        xi_norm = fmax(xi_norm, fabs(xi[i]));
    const char *where = xi_norm > 1e-12 ? " (x is not an equilibrium: this "
                                          "is the local linearisation)"
                                        : "";
    if (st->max_re < -st->tol) {
        st->verdict = GDN_STAB_STABLE;
        snprintf(st->text, sizeof st->text,
                 "locally asymptotically stable: max Re lambda = %.6g, so "
                 "|x| decays like exp(-%.6g t)%s",
                 st->max_re, st->rate, where);
    } else if (st->max_re > st->tol) {
        st->verdict = GDN_STAB_UNSTABLE;
        snprintf(st->text, sizeof st->text,
                 "unstable: max Re lambda = %.6g > 0%s", st->max_re, where);
    } else {
        st->verdict = GDN_STAB_NEUTRAL;
        snprintf(st->text, sizeof st->text,
                 "linearly neutral: max Re lambda = %.3g, zero within %.0e; "
                 "the linearisation cannot decide%s",
                 st->max_re, st->tol, where);
    }
    return GDN_OK;
}

static int discrete_analysis(const gdn_system *sys, const gdn_run_opts *opts,
                             const double *J, gdn_stability *st,
                             gdn_error *err)
{
    const gdn_opt_type *opt = opts->opt;
    size_t n = sys->n, m = 2 * n;
    gdn_game lin_game;
    size_t sizes[2] = {n, n};
    int rc = gdn_game_linear(&lin_game, m, 2, sizes, J, err);
    if (rc != GDN_OK)
        return rc;
    size_t lin = opt->lin_mem ? opt->lin_mem(&lin_game) : 0, N = m + lin;
    size_t memsz = opt->mem_size(&lin_game);
    double par[GDN_MAX_PARAMS];
    gdn_params_fill(opt->params, opts->par, par);
    const struct gdn__lr_par *lrp = (const void *)par;
    double lr[2] = {lrp->lr_d, lrp->lr_g};
    int lane_st;
    st->dim = N;
    double *x = calloc(m, sizeof *x), *mem = calloc(memsz + 1, sizeof *mem);
    double *work = calloc(GDN_STEP_WORK * m, sizeof *work);
    st->matrix = calloc(N * N, sizeof(double));
    st->eig = malloc(N * sizeof(gdn_eig));
    if (!x || !mem || !work || !st->matrix || !st->eig) {
        rc = gdn_error_set(err, GDN_ENOMEM, "out of memory for a %zu x %zu map",
                           N, N);
        goto done;
    }
    struct gdn_step_ctx ctx = {.game = &lin_game, .B = 1, .par = par,
                               .lr = lr, .mem = mem, .work = work,
                               .st = &lane_st};
    /* Column j: the step of unit vector j, scaled by s = 2^-20 and back.
     * A step that is linear in xi scales exactly by a power of two; one
     * that is linear only near the fixed point (sga's align: the sign of
     * p q / d + 1/10, p q quartic in x) is taken inside that
     * neighbourhood. */
    const double s = 0x1p-20, inv_s = 0x1p20;
    for (size_t j = 0; j < N; j++) {
        memset(x, 0, m * sizeof *x);
        memset(mem, 0, (memsz + 1) * sizeof *mem);
        if (opt->lin_init)
            opt->lin_init(&lin_game, 1, mem);
        if (j < m)
            x[j] = s;
        else
            mem[j - m] = s;
        opt->step(&ctx, x);
        for (size_t i = 0; i < N; i++)
            st->matrix[i * N + j] = (i < m ? x[i] : mem[i - m]) * inv_s + 0.0;
    }
    if (!all_finite(st->matrix, N * N)) {
        rc = not_computable(sys, opts, "the Jacobian of one step", st);
        goto done;
    }
    rc = eigen_of(sys, opts, "eigenvalues of the Jacobian of one step", N, st,
                  err);
    if (rc) {
        rc = rc > 0 ? GDN_OK : rc;
        goto done;
    }
    merge_clusters(st->eig, N);
    qsort(st->eig, N, sizeof *st->eig, by_modulus);
    st->rho = gdn__hypot(st->eig[0].re, st->eig[0].im);
    st->rate = -gdn__log(st->rho) + 0.0;
    if (st->rho < 1 - st->tol) {
        st->verdict = GDN_STAB_STABLE;
        snprintf(st->text, sizeof st->text,
                 "converges locally: spectral radius %.10g < 1, |x| shrinks "
                 "like exp(-%.6g k) over steps k",
                 st->rho, st->rate);
    } else if (st->rho > 1 + st->tol) {
        st->verdict = GDN_STAB_UNSTABLE;
        snprintf(st->text, sizeof st->text,
                 "diverges locally: spectral radius %.10g > 1, |x| grows like "
                 "exp(%.6g k)",
                 st->rho, -st->rate);
    } else {
        st->verdict = GDN_STAB_NEUTRAL;
        snprintf(st->text, sizeof st->text,
                 "linearly neutral: spectral radius 1 within %.0e (%.15g); "
                 "the linearisation cannot decide",
                 st->tol, st->rho);
    }
done:
    free(x);
    free(mem);
    free(work);
    return rc;
}

int gdn_stability_analyze(const gdn_system *sys, const gdn_run_opts *opts,
                          const double *x, double tol, gdn_stability *st,
                          gdn_error *err)
{
    memset(st, 0, sizeof *st);
    st->tol = tol > 0 ? tol : 1e-10;
    st->rho = st->max_re = st->rate = NAN;
    if (gdn_system_check(sys, err) || gdn_run_opts_check(opts, err))
        return GDN_EINVAL;
    size_t n = sys->n, m = 2 * n;
    if (m > 4096)
        return gdn_error_set(err, GDN_EINVAL,
                             "dimension %zu is too large to analyse (at most "
                             "2048)", n);
    int flow = gdn_run_opts_is_flow(opts);
    st->discrete = !flow;
    double *zero = NULL, *J = malloc(m * m * sizeof *J), *xi = malloc(m * sizeof *xi);
    int rc = GDN_OK;
    if (!x)
        x = zero = calloc(m, sizeof *zero);
    if (!J || !xi || !x) {
        rc = gdn_error_set(err, GDN_ENOMEM, "out of memory");
        goto done;
    }
    gram_of(sys, x, st);
    if (!flow) /* the flow's Gamma argument is the flow's */
        gram_discrete(sys, opts, x, st);
    int pt = gdn_system_jacobian(sys, x, J);
    if (pt != GDN_PT_OK) {
        st->verdict = GDN_STAB_NONDIFF;
        snprintf(st->text, sizeof st->text,
                 "not differentiable at this point: %s", singular_of(sys));
        goto done;
    }
    if (!flow) {
        gdn_system_grad(sys, x, xi);
        double big = 0;
        for (size_t i = 0; i < m; i++)
            big = fmax(big, fabs(xi[i]));
        if (big > 1e-12) {
            rc = gdn_error_set(err, GDN_EINVAL,
                               "the point is not a fixed point of '%s' "
                               "(|xi| = %.3g): a discrete map is analysed at "
                               "an equilibrium", opts->opt->name, big);
            goto done;
        }
        if (opts->opt->flags & GDN_OPT_NONSMOOTH) {
            st->verdict = GDN_STAB_NONDIFF;
            snprintf(st->text, sizeof st->text,
                     "the step of '%s' is not differentiable at the "
                     "equilibrium: it divides by a running scale of the "
                     "gradient, which vanishes there, so steps do not shrink "
                     "with the gradient", opts->opt->name);
            goto done;
        }
        rc = discrete_analysis(sys, opts, J, st, err);
    } else {
        rc = flow_analysis(sys, opts, x, J, xi, st, err);
    }
done:
    free(zero);
    free(J);
    free(xi);
    if (rc != GDN_OK)
        gdn_stability_release(st);
    return rc;
}
