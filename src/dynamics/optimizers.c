/* optimizers.c - the flow's parameters and the list of methods. */
#include <math.h>
#include <string.h>

#include "optim.h"

#define FLOW struct gdn__flow_par
static const gdn_param flow_params[] = {
    GDN_PARAM_ENTRY("method", GDN_FLOW_DOPRI5, 0, 2, GDN_PARAM_ENUM,
                    "dopri5|rk4|euler",
                    "integrator: adaptive Dormand-Prince 5(4), or fixed-step "
                    "RK4 / Euler", FLOW, method),
    GDN_PARAM_ENTRY("rtol", GDN_FLOW_RTOL_DEFAULT, 0, 1,
                    GDN_PARAM_LO_OPEN | GDN_PARAM_HI_OPEN, NULL,
                    "dopri5: relative tolerance", FLOW, rtol),
    GDN_PARAM_ENTRY("atol", GDN_FLOW_ATOL_DEFAULT, 0, INFINITY,
                    GDN_PARAM_LO_OPEN, NULL, "dopri5: absolute tolerance",
                    FLOW, atol),
    GDN_PARAM_ENTRY("h", 0.01, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "rk4/euler: largest step; each output interval is cut "
                    "into equal steps", FLOW, h),
    GDN_PARAM_ENTRY("lr", 1.0, 0, INFINITY, GDN_PARAM_LO_OPEN, NULL,
                    "time scale of both players", FLOW, lr),
    GDN_PARAM_INHERITS("lr_d", "lr", 0, INFINITY, GDN_PARAM_LO_OPEN,
                       "discriminator's time scale eta_D (default: lr)", FLOW,
                       lr_d),
    GDN_PARAM_INHERITS("lr_g", "lr", 0, INFINITY, GDN_PARAM_LO_OPEN,
                       "generator's time scale eta_G (default: lr)", FLOW,
                       lr_g),
    GDN_PARAM_ENTRY("max_steps", 1e8, 1, 1e15, GDN_PARAM_INT, NULL,
                    "most steps (dopri5: accepted + rejected, then it stops; "
                    "rk4/euler: an h that needs more is refused)", FLOW,
                    max_steps),
    {0}};
#undef FLOW

const gdn_opt_type gdn_opt_flow = {
    .name = "flow",
    .about = "continuous gradient flow (the seed's ODE)",
    .update = "phi' = -eta_D xi_phi, theta' = -eta_G xi_theta",
    .params = flow_params,
    .flags = GDN_OPT_FLOW,
    .mem_size = gdn__no_mem,
};

const gdn_opt_type *const gdn_optimizers[] = {
    &gdn_opt_flow,     &gdn_opt_simgd,   &gdn_opt_altgd,
    &gdn_opt_momentum, &gdn_opt_nesterov, &gdn_opt_adam,
    &gdn_opt_rmsprop,  &gdn_opt_extragradient, &gdn_opt_ogda,
    &gdn_opt_consensus, &gdn_opt_sga,    NULL};

double gdn_run_opts_get(const gdn_run_opts *opts, const char *key)
{
    const gdn_param *p = opts->opt->params;
    size_t k = gdn_param_index(p, key);
    if (k == (size_t)-1)
        return NAN;
    double v = opts->par[k];
    if (isnan(v) && p[k].inherits)
        return gdn_run_opts_get(opts, p[k].inherits);
    return v;
}

const gdn_opt_type *gdn_opt_find(const char *name)
{
    for (const gdn_opt_type *const *p = gdn_optimizers; *p; p++)
        if (strcmp((*p)->name, name) == 0)
            return *p;
    return NULL;
}
