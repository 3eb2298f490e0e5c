/*
 * system.c - from scalar losses to vectors (see gandyn/system.h).
 *
 * With p = F_t, q = F_a, r = G_t, s = G_b (all functions of t, a, b):
 *
 *   xi_phi   = p theta + 2 q phi          xi_theta = r phi + 2 s theta
 *
 * and, since dt/dphi = theta, da/dphi = 2 phi, dt/dtheta = phi,
 * db/dtheta = 2 theta, the Jacobian blocks are
 *
 *   d xi_phi/d phi     = theta (p_t theta + 2 p_a phi)^T
 *                        + 2 phi (q_t theta + 2 q_a phi)^T + 2 q I
 *   d xi_phi/d theta   = theta (p_t phi + 2 p_b theta)^T
 *                        + 2 phi (q_t phi + 2 q_b theta)^T + p I
 *   d xi_theta/d phi   = phi (r_t theta + 2 r_a phi)^T
 *                        + 2 theta (s_t theta + 2 s_a phi)^T + r I
 *   d xi_theta/d theta = phi (r_t phi + 2 r_b theta)^T
 *                        + 2 theta (s_t phi + 2 s_b theta)^T + 2 s I
 */
#include "gandyn/system.h"

#include "gandyn/param.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "../core/gmath.h"
#include "../models/terms.h"
#include "norm.h"

int gdn_system_init(gdn_system *sys, size_t n, const gdn_term_type *model,
                    gdn_error *err)
{
    if (n == 0)
        return gdn_error_set(err, GDN_EINVAL, "dimension must be >= 1");
    if (!model || !(model->flags & GDN_TERM_MODEL))
        return gdn_error_set(err, GDN_EINVAL, "'%s' is not a model",
                             model ? model->name : "(null)");
    memset(sys, 0, sizeof *sys);
    sys->n = n;
    sys->model.type = model;
    for (size_t k = 0; k < gdn_param_count(model->params); k++)
        sys->model.par[k] = model->params[k].def;
    return GDN_OK;
}

int gdn_system_add_reg(gdn_system *sys, const gdn_term_type *reg,
                       gdn_error *err)
{
    if (!reg || (reg->flags & GDN_TERM_MODEL))
        return gdn_error_set(err, GDN_EINVAL, "'%s' is not a regularizer",
                             reg ? reg->name : "(null)");
    if (sys->nreg >= GDN_MAX_REGS)
        return gdn_error_set(err, GDN_EINVAL,
                             "too many regularizers (at most %d)",
                             GDN_MAX_REGS);
    gdn_term *term = &sys->reg[sys->nreg];
    memset(term, 0, sizeof *term);
    term->type = reg;
    for (size_t k = 0; k < gdn_param_count(reg->params); k++)
        term->par[k] = reg->params[k].def;
    return (int)sys->nreg++;
}

/* Checks one term's parameters. */
static int term_check(const gdn_term *term, gdn_error *err)
{
    const gdn_param *p = term->type->params;
    for (size_t k = 0; p && p[k].key; k++)
        if (gdn_param_check(&p[k], term->type->name, term->par[k], err))
            return GDN_EINVAL;
    return GDN_OK;
}

int gdn_system_check(const gdn_system *sys, gdn_error *err)
{
    if (sys->n == 0)
        return gdn_error_set(err, GDN_EINVAL, "dimension must be >= 1");
    if (!sys->model.type || !(sys->model.type->flags & GDN_TERM_MODEL))
        return gdn_error_set(err, GDN_EINVAL, "the system has no model");
    if (term_check(&sys->model, err))
        return GDN_EINVAL;
    if (sys->nreg > GDN_MAX_REGS)
        return gdn_error_set(err, GDN_EINVAL, "too many regularizers");
    size_t nnoise = 0;
    for (size_t k = 0; k < sys->nreg; k++) {
        if (term_check(&sys->reg[k], err))
            return GDN_EINVAL;
        if (sys->reg[k].type->flags & GDN_TERM_NOISE)
            nnoise++;
    }
    if (nnoise > 1)
        return gdn_error_set(err, GDN_EINVAL, "noise: give it once");
    if (nnoise && !sys->model.type->eval_noisy)
        return gdn_error_set(err, GDN_EINVAL,
                             "noise: instance noise is defined for the "
                             "sigmoid losses (gan, nsgan, fgan-js), not '%s'",
                             sys->model.type->name);
    return GDN_OK;
}

int gdn_system_partials(const gdn_system *sys, double t, double a, double b,
                        int order, gdn_partials *F, gdn_partials *G)
{
    if (order >= GDN_ORDER_JACOBIAN) {
        memset(F, 0, sizeof *F);
        memset(G, 0, sizeof *G);
    } else {
        F->v = F->g[0] = F->g[1] = F->g[2] = 0;
        G->v = G->g[0] = G->g[1] = G->g[2] = 0;
    }
    if (sys->nreg == 0) /* the common case, on every field evaluation */
        return sys->model.type->eval(sys->model.par, t, a, b, order, F, G);
    const gdn_term *noise = NULL;
    for (size_t k = 0; k < sys->nreg; k++)
        if (sys->reg[k].type->flags & GDN_TERM_NOISE)
            noise = &sys->reg[k];
    int status = noise && sys->model.type->eval_noisy
                     ? sys->model.type->eval_noisy(
                           sys->model.par,
                           ((const struct gdn__noise_par *)(const void *)
                                noise->par)->sigma,
                           t, a, b, order, F, G)
                     : sys->model.type->eval(sys->model.par, t, a, b, order,
                                             F, G);
    for (size_t k = 0; k < sys->nreg; k++) {
        int s = sys->reg[k].type->eval(sys->reg[k].par, t, a, b, order, F, G);
        if (s > status)
            status = s;
    }
    return status;
}

/* One term lane by lane: its eval (or, for the model under instance noise,
 * eval_noisy) at GDN_ORDER_GRAD on partials holding the lane's sums. */
static void term_by_lane(const gdn_term *term, double sigma, int noisy,
                         size_t L, const double *t, const double *a,
                         const double *b, double *const F[3],
                         double *const G[3], int *st)
{
    for (size_t l = 0; l < L; l++) {
        gdn_partials P, Q;
        P.v = Q.v = 0;
        for (int k = 0; k < 3; k++)
            P.g[k] = F[k][l], Q.g[k] = G[k][l];
        int s = noisy ? term->type->eval_noisy(term->par, sigma, t[l], a[l],
                                               b[l], GDN_ORDER_GRAD, &P, &Q)
                      : term->type->eval(term->par, t[l], a[l], b[l],
                                         GDN_ORDER_GRAD, &P, &Q);
        for (int k = 0; k < 3; k++)
            F[k][l] = P.g[k], G[k][l] = Q.g[k];
        st[l] = s > st[l] ? s : st[l];
    }
}

/* The sums' start (F, G 0, st OK) in one vectorised pass of plain
 * stores, and the worst status: per chunk of lanes, these cost as much as
 * a cheap term (a store loop made into memset calls, a scalar maximum). */
GDN_VECTOR_CLONES
static void lanes_clear(size_t L, double *const F[3], double *const G[3],
                        int *st)
{
    double *restrict f0 = F[0], *restrict f1 = F[1], *restrict f2 = F[2];
    double *restrict g0 = G[0], *restrict g1 = G[1], *restrict g2 = G[2];
    int *restrict s = st;
    /* values read from volatiles, which the compiler cannot see: plain
     * stores, not seven memset calls */
    volatile double z0 = 0.0;
    volatile int ok0 = GDN_PT_OK;
    const double z = z0;
    const int ok = ok0;
    #pragma omp simd
    for (size_t l = 0; l < L; l++) {
        f0[l] = f1[l] = f2[l] = z;
        g0[l] = g1[l] = g2[l] = z;
        s[l] = ok;
    }
}

GDN_VECTOR_CLONES
static int lanes_worst(size_t L, const int *st)
{
    int worst = GDN_PT_OK;
    #pragma omp simd reduction(max : worst)
    for (size_t l = 0; l < L; l++)
        worst = st[l] > worst ? st[l] : worst;
    return worst;
}

int gdn__system_grad_lanes(const gdn_system *sys, size_t L, const double *t,
                           const double *a, const double *b,
                           double *const F[3], double *const G[3], int *st)
{
    lanes_clear(L, F, G, st);
    /* the model first, then the regularisers in order, as
     * gdn_system_partials adds them */
    const gdn_term *noise = NULL;
    for (size_t k = 0; k < sys->nreg; k++)
        if (sys->reg[k].type->flags & GDN_TERM_NOISE)
            noise = &sys->reg[k];
    const gdn_term *model = &sys->model;
    if (noise && model->type->eval_noisy)
        term_by_lane(model,
                     ((const struct gdn__noise_par *)(const void *)noise->par)
                         ->sigma,
                     1, L, t, a, b, F, G, st);
    else if (model->type->eval_lanes)
        model->type->eval_lanes(model->par, L, t, a, b, F, G, st);
    else
        term_by_lane(model, 0, 0, L, t, a, b, F, G, st);
    for (size_t k = 0; k < sys->nreg; k++) {
        const gdn_term *reg = &sys->reg[k];
        if (reg->type->eval_lanes)
            reg->type->eval_lanes(reg->par, L, t, a, b, F, G, st);
        else
            term_by_lane(reg, 0, 0, L, t, a, b, F, G, st);
    }
    return lanes_worst(L, st);
}

int gdn__exponent(double v)
{
    int e = 0;
    if (v != 0 && fabs(v) <= DBL_MAX)
        frexp(v, &e);
    return e;
}

static double max_abs(const double *v, size_t m)
{
    double big = 0;
    for (size_t i = 0; i < m; i++)
        big = fmax(big, fabs(v[i]));
    return big;
}

double gdn__norm(const double *v, size_t m)
{
    int e = gdn__exponent(max_abs(v, m));
    double s = 0;
    if (GDN__PLAIN_EXP(e)) {
        for (size_t i = 0; i < m; i++)
            s += v[i] * v[i];
        return sqrt(s);
    }
    for (size_t i = 0; i < m; i++) {
        double u = ldexp(v[i], -e);
        s += u * u;
    }
    return ldexp(sqrt(s), e);
}

/* The invariants of (phi / 2^ep, theta / 2^et): the plain formulas on
 * values below 1 in magnitude, where nothing overflows. */
static void invariants_scaled(size_t n, const double *phi,
                              const double *theta, int ep, int et,
                              gdn_invariants *inv)
{
    double t = 0, a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        double p = ldexp(phi[i], -ep), q = ldexp(theta[i], -et);
        t += q * p;
        a += p * p;
        b += q * q;
    }
    double g = 0;
    if (n <= 32) {
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double w = ldexp(phi[i], -ep) * ldexp(theta[j], -et) -
                           ldexp(phi[j], -ep) * ldexp(theta[i], -et);
                g += w * w;
            }
    } else {
        g = gdn__fmax(a * b - t * t, 0.0);
    }
    int c = ep > et ? ep : et; /* E = 2^(2c) (a 2^(2(ep-c)) + ...) / 2 */
    inv->t = ldexp(t, ep + et);
    inv->a = ldexp(a, 2 * ep);
    inv->b = ldexp(b, 2 * et);
    inv->energy = ldexp(0.5 * (ldexp(a, 2 * (ep - c)) + ldexp(b, 2 * (et - c))),
                        2 * c);
    inv->gram = ldexp(g, 2 * (ep + et));
    inv->phi_norm = ldexp(sqrt(a), ep);
    inv->theta_norm = ldexp(sqrt(b), et);
    inv->norm = ldexp(sqrt(ldexp(a, 2 * (ep - c)) + ldexp(b, 2 * (et - c))), c);
}

void gdn_invariants_of(size_t n, const double *x, gdn_invariants *inv)
{
    const double *phi = x, *theta = x + n;
    /* far from 1 the squares and the products of four values in Gamma
     * would overflow or underflow: scale each player by a power of two */
    int ep = gdn__exponent(max_abs(phi, n)), et = gdn__exponent(max_abs(theta, n));
    if (!GDN__PLAIN_EXP(ep) || !GDN__PLAIN_EXP(et)) {
        invariants_scaled(n, phi, theta, ep, et, inv);
        return;
    }
    double t = 0, a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
        t += theta[i] * phi[i];
        a += phi[i] * phi[i];
        b += theta[i] * theta[i];
    }
    inv->t = t;
    inv->a = a;
    inv->b = b;
    inv->energy = 0.5 * (a + b);
    /* Lagrange's identity, ab - t^2 = sum_{i<j} (phi_i theta_j -
     * phi_j theta_i)^2, has no cancellation (exactly 0 in 1-D); for large n
     * the O(n^2) sum gives way to the direct formula. */
    if (n <= 32) {
        double g = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double w = phi[i] * theta[j] - phi[j] * theta[i];
                g += w * w;
            }
        inv->gram = g;
    } else {
        inv->gram = gdn__fmax(a * b - t * t, 0.0);
    }
    inv->phi_norm = sqrt(a);
    inv->theta_norm = sqrt(b);
    inv->norm = sqrt(a + b); /* = sqrt(2 E), bit for bit */
}

/* t, a, b of a state, without the derived quantities. */
static void tab_of(size_t n, const double *x, double *t, double *a, double *b)
{
    const double *phi = x, *theta = x + n;
    double tt = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        tt += theta[i] * phi[i];
        aa += phi[i] * phi[i];
        bb += theta[i] * theta[i];
    }
    *t = tt, *a = aa, *b = bb;
}

int gdn_system_grad(const gdn_system *sys, const double *x, double *xi)
{
    size_t n = sys->n;
    const double *restrict phi = x, *restrict theta = x + n;
    double *restrict xp = xi, *restrict xt = xi + n;
    double t, a, b;
    gdn_partials F, G;
    tab_of(n, x, &t, &a, &b);
    int status = gdn_system_partials(sys, t, a, b, GDN_ORDER_GRAD, &F, &G);
    if (status == GDN_PT_UNDEFINED) {
        memset(xi, 0, 2 * n * sizeof *xi);
        return status;
    }
    double p = F.g[0], q2 = 2 * F.g[1], r = G.g[0], s2 = 2 * G.g[2];
    for (size_t i = 0; i < n; i++) {
        xp[i] = p * theta[i] + q2 * phi[i];
        xt[i] = r * phi[i] + s2 * theta[i];
    }
    return status;
}

int gdn_system_jacobian(const gdn_system *sys, const double *x, double *J)
{
    size_t n = sys->n, m = 2 * n;
    const double *phi = x, *theta = x + n;
    double t, a, b;
    gdn_partials F, G;
    tab_of(n, x, &t, &a, &b);
    int status = gdn_system_partials(sys, t, a, b, GDN_ORDER_JACOBIAN, &F, &G);
    memset(J, 0, m * m * sizeof *J);
    if (status != GDN_PT_OK)
        return status;
    const double *Fh = F.h, *Gh = G.h;
    double p = F.g[0], q = F.g[1], r = G.g[0], s = G.g[2];
    for (size_t i = 0; i < n; i++) {
        double *row_phi = J + i * m, *row_theta = J + (n + i) * m;
        for (size_t j = 0; j < n; j++) {
            /* d p/d phi_j, d q/d phi_j, ... */
            double dp_dphi = Fh[0] * theta[j] + 2 * Fh[1] * phi[j];
            double dp_dth = Fh[0] * phi[j] + 2 * Fh[2] * theta[j];
            double dq_dphi = Fh[3] * theta[j] + 2 * Fh[4] * phi[j];
            double dq_dth = Fh[3] * phi[j] + 2 * Fh[5] * theta[j];
            double dr_dphi = Gh[0] * theta[j] + 2 * Gh[1] * phi[j];
            double dr_dth = Gh[0] * phi[j] + 2 * Gh[2] * theta[j];
            double ds_dphi = Gh[6] * theta[j] + 2 * Gh[7] * phi[j];
            double ds_dth = Gh[6] * phi[j] + 2 * Gh[8] * theta[j];
            row_phi[j] = theta[i] * dp_dphi + 2 * phi[i] * dq_dphi;
            row_phi[n + j] = theta[i] * dp_dth + 2 * phi[i] * dq_dth;
            row_theta[j] = phi[i] * dr_dphi + 2 * theta[i] * ds_dphi;
            row_theta[n + j] = phi[i] * dr_dth + 2 * theta[i] * ds_dth;
        }
        row_phi[i] += 2 * q;
        row_phi[n + i] += p;
        row_theta[i] += r;
        row_theta[n + i] += 2 * s;
    }
    return status;
}

int gdn_system_reduced(const gdn_system *sys, double eta_d, double eta_g,
                       const double tab[3], double dtab[3])
{
    double t = tab[0], a = tab[1], b = tab[2];
    gdn_partials F, G;
    int status = gdn_system_partials(sys, t, a, b, GDN_ORDER_GRAD, &F, &G);
    if (status == GDN_PT_UNDEFINED) {
        dtab[0] = dtab[1] = dtab[2] = 0;
        return status;
    }
    /* phi.xi_phi = p t + 2 q a, theta.xi_phi = p b + 2 q t, and so on. */
    double p = F.g[0], q = F.g[1], r = G.g[0], s = G.g[2];
    dtab[0] = -eta_d * (p * b + 2 * q * t) - eta_g * (r * a + 2 * s * t);
    dtab[1] = -2 * eta_d * (p * t + 2 * q * a);
    dtab[2] = -2 * eta_g * (r * t + 2 * s * b);
    return status;
}
