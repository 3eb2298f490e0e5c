/*
 * core_program.c - a program built against gandyn-core alone, with -lm and
 * nothing else (tests/core_libm_only.sh; the same source is compiled by
 * emcc in tests/core_wasm.sh).  It checks closed forms through the public
 * API of the core layers:
 *   - gdn_version() is the headers' GDN_VERSION_STRING;
 *   - the flow of nsgan at the equilibrium has eigenvalues +-i/2 (the
 *     linearisation phi' = -theta/2, theta' = phi/2);
 *   - one simgd step of size h has spectral radius sqrt(1 + h^2/4);
 *   - a sweep (the batched kernels, one thread without OpenMP) gives, point
 *     by point, the records of gdn_sweep_one.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gandyn/spec.h"
#include "gandyn/stability.h"
#include "gandyn/sweep.h"
#include "gandyn/version.h"

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    failures += !ok;
}

int main(void)
{
    gdn_error err = {0};
    check(strcmp(gdn_version(), GDN_VERSION_STRING) == 0, "gdn_version");

    gdn_system sys;
    if (gdn_system_from_specs(&sys, 1, "nsgan", NULL, 0, NULL, NULL, &err)) {
        printf("FAILED: %s\n", err.msg);
        return 1;
    }
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("flow"));
    gdn_stability st;
    if (gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err)) {
        printf("FAILED: %s\n", err.msg);
        return 1;
    }
    check(st.dim == 2 && fabs(st.eig[0].re) < 1e-15 &&
              fabs(st.eig[0].im - 0.5) < 1e-15 &&
              fabs(st.eig[1].im + 0.5) < 1e-15,
          "flow eigenvalues +-i/2");
    gdn_stability_release(&st);

    const double h = 0.1;
    if (gdn_spec_opt("simgd:lr=0.1", &o, NULL, &err) ||
        gdn_stability_analyze(&sys, &o, NULL, 0, &st, &err)) {
        printf("FAILED: %s\n", err.msg);
        return 1;
    }
    check(fabs(st.rho - sqrt(1 + h * h / 4)) < 1e-15,
          "simgd spectral radius sqrt(1 + h^2/4)");
    gdn_stability_release(&st);

    gdn_sweep sw;
    memset(&sw, 0, sizeof sw);
    const double x0[2] = {0.5, 1.0};
    sw.sys = sys;
    sw.opts = o;
    sw.opts.steps = 500, sw.opts.every = 10;
    gdn_diag_opts_init(&sw.dopts);
    sw.x0 = x0;
    if (gdn_run_opts_check(&sw.opts, &err) ||
        gdn_sweep_axis_parse("lr=0.05:0.4:8", &sw, &sw.axes[0], &err)) {
        printf("FAILED: %s\n", err.msg);
        return 1;
    }
    sw.naxes = 1;
    gdn_sweep_rec recs[8], one;
    if (gdn_sweep_run(&sw, 0, 8, 0, 0, recs, &err)) {
        printf("FAILED: %s\n", err.msg);
        return 1;
    }
    int same = gdn_sweep_batched(&sw);
    for (size_t k = 0; k < 8; k++) {
        gdn_system s;
        gdn_run_opts ok;
        double x[2];
        if (gdn_sweep_setup(&sw, k, &s, &ok, x, &err) ||
            gdn_sweep_one(&s, &ok, x, &sw.dopts, &one, &err)) {
            printf("FAILED: %s\n", err.msg);
            return 1;
        }
        same = same && memcmp(&one, &recs[k], sizeof one) == 0;
    }
    check(same, "a batched sweep of 8 points = gdn_sweep_one point by point");
    return failures != 0;
}
