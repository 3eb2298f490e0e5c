/*
 * maps.c - the sweep maps of the report (see gandyn/claims.h): what each
 * (lr, gamma) does to nsgan + L2 under simgd, and the basins of lsgan under
 * simgd over 1-D starts.  Moved from 'gandyn reproduce'.
 */
#include <string.h>

#include "gandyn/claims.h"
#include "gandyn/spec.h"

static const gdn_claim_map maps[GDN_CLAIM_MAPS] = {
    {"map-lr-gamma.png",
     "nsgan + L2 under simgd, 2000 steps: what each (η, γ) does", "nsgan",
     "l2", "simgd", 2000, 2, {0.1, 0.2, 0.2, 0.1}, "lr=0.02:2:100",
     "gamma=0.02:1.5:100", 1,
     "gandyn sweep --model nsgan --reg l2 --opt simgd --steps 2000 --grid "
     "lr=0.02:2:100 --grid gamma=0.02:1.5:100 --out map.npy --plot "
     "map-lr-gamma.png --plot-boundary --plot-title 'nsgan + L2 under simgd, "
     "2000 steps: what each (η, γ) does' --quiet"},
    {"basin-lsgan.png",
     "lsgan under simgd (η = 0.2), 1-D, 3000 steps: basins", "lsgan", NULL,
     "simgd:lr=0.2", 3000, 1, {0.1, 0.2}, "theta1=-4:4:120",
     "phi1=-4:4:120", 0,
     "gandyn sweep --model lsgan --opt simgd:lr=0.2 --dim 1 --steps 3000 "
     "--grid theta1=-4:4:120 --grid phi1=-4:4:120 --out basin.npy --plot "
     "basin-lsgan.png --plot-title 'lsgan under simgd (η = 0.2), 1-D, 3000 "
     "steps: basins' --quiet"},
};

const gdn_claim_map *gdn_claim_map_get(int k)
{
    return k >= 0 && k < GDN_CLAIM_MAPS ? &maps[k] : NULL;
}

int gdn_claim_map_sweep(const gdn_claim_map *m, gdn_sweep *sw,
                        gdn_error *err)
{
    memset(sw, 0, sizeof *sw);
    const char *reg = m->reg;
    if (gdn_system_from_specs(&sw->sys, m->n, m->model, &reg, reg ? 1 : 0,
                              NULL, NULL, err))
        return GDN_EINVAL;
    gdn_run_opts_init(&sw->opts, gdn_opt_find("flow"));
    if (gdn_spec_opt(m->opt, &sw->opts, NULL, err))
        return GDN_EINVAL;
    sw->opts.steps = m->steps, sw->opts.every = 10;
    gdn_diag_opts_init(&sw->dopts);
    sw->x0 = m->x0;
    if (gdn_sweep_axis_parse(m->ax0, sw, &sw->axes[0], err) ||
        gdn_sweep_axis_parse(m->ax1, sw, &sw->axes[1], err))
        return GDN_EINVAL;
    sw->naxes = 2;
    return GDN_OK;
}
