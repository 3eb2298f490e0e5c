/*
 * test_sim.c - the simulation object (gandyn/sim.h): built from strings,
 * its refusals word for word, its arrays against closed forms and against
 * a run driven by hand (gdn_run_new / gdn_run_next) of the same
 * configuration, its summary parsed back as JSON, and snprintf-style
 * buffers that are too small.
 *
 * Closed form: wgan-gp with c = 0 is linear per component,
 *     phi' = -theta - 2 lambda phi,  theta' = phi,
 * y' = A y with A = [[-2l, -1], [1, 0]].  The flow is exp(A t) =
 * e^{-l t} (cos(w t) I + sin(w t)/w (A + l I)) with w^2 = 1 - l^2; simgd
 * with rate h is y_{k+1} = (I + h A) y_k.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/run.h"
#include "gandyn/sim.h"
#include "gandyn/spec.h"
#include "gandyn/traj.h"

/* Sets key/value pairs (NULL-key-ended) on a new simulation. */
static gdn_sim *sim_of(const char *const *kv)
{
    gdn_error err;
    gdn_sim *s = gdn_sim_new(&err);
    assert_non_null(s);
    for (; kv && kv[0]; kv += 2)
        if (gdn_sim_set(s, kv[0], kv[1], &err) != GDN_OK)
            fail_msg("set %s=%s: %s", kv[0], kv[1] ? kv[1] : "(null)",
                     err.msg);
    return s;
}

static void close_to(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fmax(1, fabs(want))))
        fail_msg("%s: got %.17g, want %.17g (tol %g)", what, got, want, tol);
}

/* ----------------------------------------------------------- small JSON
 * A validating parser into a flat tree (pre-order, parent links), enough
 * to read the summary back. */

enum { J_OBJ, J_ARR, J_STR, J_NUM, J_TRUE, J_FALSE, J_NULL };
#define JMAX 4096
typedef struct jnode {
    int type, parent;
    char key[64];
    char str[1024];
    double num;
} jnode;
typedef struct jdoc {
    jnode node[JMAX];
    int count;
    const char *p;
} jdoc;

static void ws(jdoc *d)
{
    while (*d->p == ' ' || *d->p == '\n' || *d->p == '\t' || *d->p == '\r')
        d->p++;
}

static int jstring(jdoc *d, char *out, size_t size)
{
    size_t k = 0;
    if (*d->p++ != '"')
        return -1;
    for (;;) {
        char c = *d->p++;
        if (c == '\0' || (unsigned char)c < 0x20)
            return -1;
        if (c == '"')
            break;
        if (c == '\\') {
            char e = *d->p++;
            if (e == 'n')
                c = '\n';
            else if (e == '"' || e == '\\' || e == '/')
                c = e;
            else if (e == 'u') {
                unsigned v;
                if (sscanf(d->p, "%4x", &v) != 1 || v > 0x7f)
                    return -1;
                d->p += 4;
                c = (char)v;
            } else
                return -1;
        }
        if (k + 1 < size)
            out[k++] = c;
    }
    out[k] = '\0';
    return 0;
}

static int jvalue(jdoc *d, int parent, const char *key)
{
    ws(d);
    if (d->count >= JMAX)
        return -1;
    int me = d->count++;
    jnode *n = &d->node[me];
    n->parent = parent;
    snprintf(n->key, sizeof n->key, "%s", key ? key : "");
    char c = *d->p;
    if (c == '{' || c == '[') {
        n->type = c == '{' ? J_OBJ : J_ARR;
        d->p++;
        ws(d);
        if (*d->p == (c == '{' ? '}' : ']')) {
            d->p++;
            return me;
        }
        for (;;) {
            char k[64] = "";
            ws(d);
            if (c == '{') {
                if (jstring(d, k, sizeof k))
                    return -1;
                ws(d);
                if (*d->p++ != ':')
                    return -1;
            }
            if (jvalue(d, me, k) < 0)
                return -1;
            ws(d);
            if (*d->p == ',') {
                d->p++;
                continue;
            }
            if (*d->p++ != (c == '{' ? '}' : ']'))
                return -1;
            return me;
        }
    }
    if (c == '"') {
        n->type = J_STR;
        return jstring(d, n->str, sizeof n->str) ? -1 : me;
    }
    static const struct { const char *w; int t; } lit[] = {
        {"true", J_TRUE}, {"false", J_FALSE}, {"null", J_NULL}};
    for (size_t i = 0; i < 3; i++)
        if (strncmp(d->p, lit[i].w, strlen(lit[i].w)) == 0) {
            d->p += strlen(lit[i].w);
            n->type = lit[i].t;
            return me;
        }
    char *end;
    n->type = J_NUM;
    n->num = strtod(d->p, &end);
    if (end == d->p)
        return -1;
    d->p = end;
    return me;
}

static void jparse(jdoc *d, const char *text)
{
    d->count = 0;
    d->p = text;
    if (jvalue(d, -1, NULL) != 0)
        fail_msg("not JSON near '%.40s'", d->p);
    ws(d);
    if (*d->p)
        fail_msg("text after the JSON: '%.40s'", d->p);
}

/* The node at a path "a.b.3.c" (numbers index arrays); -1 if absent. */
static int jget(const jdoc *d, const char *path)
{
    int at = 0;
    char part[64];
    while (*path) {
        size_t len = strcspn(path, ".");
        snprintf(part, sizeof part, "%.*s", (int)len, path);
        path += len + (path[len] == '.');
        int idx = 0, want = d->node[at].type == J_ARR ? atoi(part) : -1, found = -1;
        for (int i = at + 1; i < d->count; i++)
            if (d->node[i].parent == at) {
                if ((want < 0 && strcmp(d->node[i].key, part) == 0) ||
                    (want >= 0 && idx == want)) {
                    found = i;
                    break;
                }
                idx++;
            }
        if (found < 0)
            return -1;
        at = found;
    }
    return at;
}

static int jlen(const jdoc *d, int at)
{
    int k = 0;
    for (int i = at + 1; i < d->count; i++)
        k += d->node[i].parent == at;
    return k;
}

static double jnum(const jdoc *d, const char *path)
{
    int at = jget(d, path);
    if (at < 0 || d->node[at].type != J_NUM)
        fail_msg("summary: no number at '%s'", path);
    return d->node[at].num;
}

static const char *jstr(const jdoc *d, const char *path)
{
    int at = jget(d, path);
    if (at < 0 || d->node[at].type != J_STR)
        fail_msg("summary: no string at '%s'", path);
    return d->node[at].str;
}

static int jbool(const jdoc *d, const char *path)
{
    int at = jget(d, path);
    if (at < 0 || (d->node[at].type != J_TRUE && d->node[at].type != J_FALSE))
        fail_msg("summary: no boolean at '%s'", path);
    return d->node[at].type == J_TRUE;
}

/* The whole summary of s as a string (freed by the caller). */
static char *summary_of(const gdn_sim *s)
{
    size_t len = gdn_sim_summary(s, NULL, 0);
    assert_true(len > 0);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    assert_int_equal(gdn_sim_summary(s, buf, len + 1), len);
    assert_int_equal(strlen(buf), len);
    return buf;
}

/* ------------------------------------------------------------- building */

static void test_defaults(void **state)
{
    (void)state;
    gdn_error err;
    gdn_sim *s = gdn_sim_new(&err);
    assert_non_null(s);
    /* nothing is there before it is built or run */
    assert_int_equal(gdn_sim_dim(s), 0);
    assert_null(gdn_sim_system(s));
    assert_null(gdn_sim_init(s));
    assert_int_equal(gdn_sim_count(s), 0);
    assert_null(gdn_sim_times(s));
    gdn_sim_info info;
    assert_int_equal(gdn_sim_get_info(s, &info), GDN_EINVAL);
    assert_null(info.status_name);
    char buf[8] = "x";
    assert_int_equal(gdn_sim_summary(s, buf, sizeof buf), 0);
    assert_string_equal(buf, "");

    assert_int_equal(gdn_sim_build(s, &err), GDN_OK);
    assert_int_equal(gdn_sim_dim(s), 2);
    assert_true(gdn_sim_is_flow(s));
    assert_int_equal(gdn_sim_navg(s), 0);
    assert_string_equal(gdn_sim_system(s)->model.type->name, "nsgan");
    assert_int_equal(gdn_sim_system(s)->nreg, 0);
    const gdn_run_opts *o = gdn_sim_run_opts(s);
    assert_string_equal(o->opt->name, "flow");
    assert_true(o->t_end == 100 && o->dt == 0.1 && o->blowup == 1e100);
    /* the documented start: the seed's 0.1, 0.2, 0.2, 0.1 */
    const double *x0 = gdn_sim_init(s), want[4] = {0.1, 0.2, 0.2, 0.1};
    for (int i = 0; i < 4; i++)
        assert_true(x0[i] == want[i]);
    gdn_sim_free(s);
    gdn_sim_free(NULL);
}

static void test_build_from_strings(void **state)
{
    (void)state;
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){
        "model", "wgan-gp:lambda=0.3,c=1", "reg", "l2:gamma=0.2", "dim", "3",
        "opt", "altgd:lr=0.05,order=gd", "steps", "200", "every", "10",
        "ema", "0.9", "ema", "beta=0.5", "uniform", NULL, "eps", "1e-4",
        "blowup", "1e50", NULL});
    if (gdn_sim_build(s, &err) != GDN_OK)
        fail_msg("%s", err.msg);
    const gdn_system *sys = gdn_sim_system(s);
    assert_int_equal(sys->n, 3);
    assert_string_equal(sys->model.type->name, "wgan-gp");
    assert_true(sys->model.par[0] == 0.3 && sys->model.par[1] == 1);
    assert_int_equal(sys->nreg, 1);
    assert_string_equal(sys->reg[0].type->name, "l2");
    assert_true(sys->reg[0].par[0] == 0.2);
    const gdn_run_opts *o = gdn_sim_run_opts(s);
    assert_string_equal(o->opt->name, "altgd");
    assert_true(gdn_run_opts_param(o, 0) == 0.05);
    assert_true(o->steps == 200 && o->every == 10 && o->blowup == 1e50);
    assert_int_equal(o->nema, 2);
    assert_true(o->ema[0].beta == 0.9 && o->ema[0].tau == 0);
    assert_true(o->ema[1].beta == 0.5 && o->ema[1].tau == 0);
    assert_true(o->uniform && !o->ema_debias);
    assert_false(gdn_sim_is_flow(s));
    assert_int_equal(gdn_sim_navg(s), 3);
    const char *const *names = gdn_sim_avg_names(s);
    assert_string_equal(names[0], "ema0.9");
    assert_string_equal(names[1], "ema0.5");
    assert_string_equal(names[2], "uniform");
    /* the default start in 3-D: phi = 0.1, 0.2, 0.1; theta = 0.2, 0.1, 0.2 */
    const double *x0 = gdn_sim_init(s),
                 want[6] = {0.1, 0.2, 0.1, 0.2, 0.1, 0.2};
    for (int i = 0; i < 6; i++)
        assert_true(x0[i] == want[i]);
    /* '_' for '-', a flag cleared, a default restored, a list emptied */
    assert_int_equal(gdn_sim_set(s, "t_end", "5", &err), GDN_OK);
    assert_int_equal(gdn_sim_dim(s), 0); /* setting a key unbuilds */
    assert_int_equal(gdn_sim_set(s, "uniform", "0", &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "ema", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "reg", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "opt", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "steps", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "every", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_build(s, &err), GDN_OK);
    assert_true(gdn_sim_is_flow(s));
    assert_true(gdn_sim_run_opts(s)->t_end == 5);
    assert_int_equal(gdn_sim_navg(s), 0);
    /* a time constant, for the flow */
    assert_int_equal(gdn_sim_set(s, "ema", "tau=2.5", &err), GDN_OK);
    assert_int_equal(gdn_sim_build(s, &err), GDN_OK);
    assert_string_equal(gdn_sim_avg_names(s)[0], "ema_tau2.5");
    assert_true(gdn_sim_run_opts(s)->ema[0].tau == 2.5);
    assert_int_equal(gdn_sim_system(s)->nreg, 0);
    gdn_sim_free(s);
}

/* One key refused with exactly this message. */
static void refused_set(const char *key, const char *value, const char *msg)
{
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){"dim", "3", NULL});
    if (gdn_sim_set(s, key, value, &err) != GDN_EINVAL)
        fail_msg("%s=%s accepted", key, value);
    assert_string_equal(err.msg, msg);
    /* a refusal changes nothing */
    assert_int_equal(gdn_sim_build(s, &err), GDN_OK);
    assert_int_equal(gdn_sim_dim(s), 3);
    gdn_sim_free(s);
}

static void test_set_refusals(void **state)
{
    (void)state;
    refused_set("dim", "x", "--dim: 'x' is not a whole number");
    refused_set("dim", "0", "--dim: 0 is out of range (accepted: 1 to 1048576)");
    refused_set("steps", "-1",
                "--steps: -1 is out of range (accepted: 0 to 1000000000000)");
    refused_set("every", "0",
                "--every: 0 is out of range (accepted: 1 to 1000000000000)");
    refused_set("t-end", "0", "--t-end: 0 is out of range (accepted: > 0)");
    refused_set("t-end", "x", "--t-end: 'x' is not a number");
    refused_set("dt", "-1", "--dt: -1 is out of range (accepted: > 0)");
    refused_set("eps", "0", "--eps: 0 is out of range (accepted: > 0)");
    refused_set("uniform", "yes",
                "uniform: 'yes' is not a flag value (accepted: 1, 0)");
    refused_set("mdoel", "gan",
                "unknown simulation key 'mdoel' (did you mean 'model'? "
                "accepted: model, reg, dim, init, opt, t-end, dt, steps, "
                "every, ema, ema-debias, uniform, eps, blowup)");
    /* the ninth of a repeatable key */
    gdn_error err;
    gdn_sim *s = gdn_sim_new(&err);
    assert_int_equal(gdn_sim_set(s, NULL, "1", &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "unknown simulation key ''"));
    for (int k = 0; k < GDN_MAX_REGS; k++)
        assert_int_equal(gdn_sim_set(s, "reg", "l2", &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "reg", "r1", &err), GDN_EINVAL);
    assert_string_equal(err.msg, "simulate: --reg 'r1': at most 8 regularizers");
    for (int k = 0; k < GDN_MAX_EMA; k++)
        assert_int_equal(gdn_sim_set(s, "ema", "0.5", &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "ema", "0.9", &err), GDN_EINVAL);
    assert_string_equal(err.msg, "simulate: --ema '0.9': at most 8 EMAs");
    gdn_sim_free(s);
}

/* Settings that gdn_sim_build (and gdn_sim_run) refuse with msg. */
static void refused_build(const char *const *kv, const char *msg)
{
    gdn_error err;
    gdn_sim *s = sim_of(kv);
    assert_int_equal(gdn_sim_build(s, &err), GDN_EINVAL);
    assert_string_equal(err.msg, msg);
    assert_int_equal(gdn_sim_dim(s), 0);
    err.msg[0] = '\0';
    assert_int_equal(gdn_sim_run(s, &err), GDN_EINVAL);
    assert_string_equal(err.msg, msg);
    assert_int_equal(gdn_sim_count(s), 0);
    gdn_sim_free(s);
}

static void test_build_refusals(void **state)
{
    (void)state;
    refused_build((const char *const[]){"model", "wgna", NULL},
                  "unknown model 'wgna' (did you mean 'wgan'? accepted: gan, "
                  "nsgan, wgan, wgan-gp, gan-qp, wgan-clip, lsgan, hinge, "
                  "fgan-kl, fgan-rkl, fgan-pearson, fgan-hellinger, fgan-js)");
    refused_build((const char *const[]){"opt", "simgd:lr=-1", NULL},
                  "simgd: lr=-1 is out of range (accepted: > 0)");
    refused_build((const char *const[]){"steps", "10", NULL},
                  "--steps applies to discrete optimizers; the flow takes "
                  "--t-end and --dt");
    refused_build((const char *const[]){"opt", "simgd", "dt", "0.1", NULL},
                  "--dt applies to the flow; 'simgd' takes --steps and "
                  "--every");
    refused_build((const char *const[]){"opt", "flow:h=0.1", NULL},
                  "flow: h applies to method=rk4 or euler; dopri5 chooses "
                  "its steps from rtol and atol");
    refused_build((const char *const[]){"opt", "flow:method=euler,atol=1",
                                        NULL},
                  "flow: atol applies to method=dopri5; rk4 and euler take h");
    refused_build((const char *const[]){"ema-debias", NULL, NULL},
                  "--ema-debias needs at least one --ema");
    refused_build((const char *const[]){"ema", "0.99", "ema", "beta=0.99",
                                        NULL},
                  "--ema beta=0.99: given twice");
    refused_build((const char *const[]){"opt", "simgd", "ema", "tau=5", NULL},
                  "ema tau=5: a time constant needs the flow; give a decay "
                  "beta in [0, 1)");
    refused_build((const char *const[]){"ema", "tau=0", NULL},
                  "--ema tau=0: out of range (accepted: > 0)");
    refused_build((const char *const[]){"dim", "1", "init", "1,2,3", NULL},
                  "--init: 3 values given, 2 expected (phi1..phi1, "
                  "theta1..theta1 for --dim 1)");
    refused_build((const char *const[]){"init", "1e200,0,0,0", NULL},
                  "--init: value 1 = 1e+200 is beyond the divergence range "
                  "(accepted: |value| <= 1e+100)");
    refused_build((const char *const[]){"blowup", "0", NULL},
                  "blowup must be > 0");
    /* the start is checked by the run itself */
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){
        "model", "gan-qp:lambda=1,divisor=phi", "dim", "1", "init", "0,0",
        NULL});
    assert_int_equal(gdn_sim_build(s, &err), GDN_OK);
    assert_int_equal(gdn_sim_run(s, &err), GDN_EINVAL);
    assert_string_equal(err.msg,
                        "the field of 'gan-qp' is undefined at the initial "
                        "point");
    assert_null(gdn_sim_traj(s));
    gdn_sim_free(s);
}

/* -------------------------------------------------------------- results */

/* exp(A t) y for A = [[-2l, -1], [1, 0]], l < 1. */
static void flow_exact(double l, double t, const double y0[2], double y[2])
{
    double w = sqrt(1 - l * l), c = cos(w * t), sn = sin(w * t) / w,
           e = exp(-l * t);
    /* B = A + l I = [[-l, -1], [1, l]] */
    y[0] = e * (c * y0[0] + sn * (-l * y0[0] - y0[1]));
    y[1] = e * (c * y0[1] + sn * (y0[0] + l * y0[1]));
}

static void test_flow_closed_form(void **state)
{
    (void)state;
    gdn_error err;
    const double l = 0.1;
    gdn_sim *s = sim_of((const char *const[]){
        "model", "wgan-gp:lambda=0.1,c=0", "init", "0.3,-0.2,0.5,0.1",
        "t-end", "10", "dt", "0.5", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    assert_int_equal(gdn_sim_count(s), 21);
    const double *t = gdn_sim_times(s), *x = gdn_sim_states(s);
    assert_null(gdn_sim_averages(s));
    const double x0[4] = {0.3, -0.2, 0.5, 0.1};
    for (size_t k = 0; k < 21; k++) {
        assert_true(t[k] == 0.5 * (double)k); /* samples on k dt */
        for (size_t i = 0; i < 2; i++) { /* component i: (phi_i, theta_i) */
            double y0[2] = {x0[i], x0[2 + i]}, y[2];
            flow_exact(l, t[k], y0, y);
            close_to(x[4 * k + i], y[0], 1e-8, "phi");
            close_to(x[4 * k + 2 + i], y[1], 1e-8, "theta");
        }
    }
    gdn_sim_info info;
    assert_int_equal(gdn_sim_get_info(s, &info), GDN_OK);
    assert_int_equal(info.status, GDN_DONE);
    assert_string_equal(info.status_name, "done");
    assert_int_equal(info.samples, 21);
    assert_true(info.t == 10);
    assert_true(info.nevals > 0 && info.accepted > 0);
    /* dopri5 (FSAL): 6 new evaluations per trial step, 1 at the start, plus
     * the initial step-size guess */
    assert_true(info.nevals >= 6 * (info.accepted + info.rejected));
    assert_string_equal(info.why, "");
    gdn_sim_free(s);
}

/* simgd on the linear game: states by the closed form, averages by their
 * definitions (docs/dynamics.md), and everything equal to a run driven by
 * hand through gdn_run. */
static void test_discrete_against_run(void **state)
{
    (void)state;
    gdn_error err;
    const double l = 0.1, h = 0.05, beta = 0.9;
    const long steps = 300;
    gdn_sim *s = sim_of((const char *const[]){
        "model", "wgan-gp:lambda=0.1,c=0", "opt", "simgd:lr=0.05", "steps",
        "300", "ema", "0.9", "uniform", "1", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    size_t count = gdn_sim_count(s), m = 4, ng = gdn_sim_navg(s);
    assert_int_equal(count, steps + 1);
    assert_int_equal(ng, 2);
    const double *t = gdn_sim_times(s), *x = gdn_sim_states(s),
                 *avg = gdn_sim_averages(s);
    /* the closed form: y_{k+1} = (I + h A) y_k per component */
    double y[4] = {0.1, 0.2, 0.2, 0.1}, ema[4], sum[4] = {0};
    memcpy(ema, y, sizeof ema);
    for (size_t k = 0; k < count; k++) {
        assert_true(t[k] == (double)k);
        for (size_t i = 0; i < m; i++) {
            if (k > 0)
                ema[i] = beta * ema[i] + (1 - beta) * x[k * m + i];
            sum[i] += x[k * m + i];
            close_to(x[k * m + i], y[i], 1e-13, "state");
            close_to(avg[(k * ng + 0) * m + i], ema[i], 1e-13, "ema");
            close_to(avg[(k * ng + 1) * m + i], sum[i] / (double)(k + 1),
                     1e-13, "uniform");
        }
        for (size_t i = 0; i < 2; i++) {
            double p = y[i], q = y[2 + i];
            y[i] = p + h * (-2 * l * p - q);
            y[2 + i] = q + h * p;
        }
    }

    /* the same configuration by hand */
    gdn_system sys;
    assert_int_equal(gdn_system_init(&sys, 2,
                                     gdn_term_find(gdn_models, "wgan-gp"),
                                     &err), GDN_OK);
    sys.model.par[0] = 0.1, sys.model.par[1] = 0;
    gdn_run_opts o;
    gdn_run_opts_init(&o, gdn_opt_find("simgd"));
    o.par[0] = 0.05;
    o.steps = steps;
    o.nema = 1, o.ema[0].beta = beta;
    o.uniform = 1;
    assert_int_equal(gdn_run_opts_check(&o, &err), GDN_OK);
    double x0[4] = {0.1, 0.2, 0.2, 0.1};
    gdn_run *run = gdn_run_new(&sys, &o, x0, &err);
    assert_non_null(run);
    size_t k = 0;
    int rc;
    while ((rc = gdn_run_next(run)) == GDN_OK) {
        assert_true(k < count);
        assert_memory_equal(&t[k], (double[]){gdn_run_time(run)},
                            sizeof(double));
        assert_memory_equal(x + k * m, gdn_run_state(run), m * sizeof(double));
        for (size_t g = 0; g < ng; g++)
            assert_memory_equal(avg + (k * ng + g) * m, gdn_run_avg(run, g),
                                m * sizeof(double));
        k++;
    }
    assert_int_equal(rc, GDN_DONE);
    assert_int_equal(k, count);
    gdn_run_info ri;
    gdn_sim_info si;
    gdn_run_get_info(run, &ri);
    assert_int_equal(gdn_sim_get_info(s, &si), GDN_OK);
    assert_true(si.nevals == (uint64_t)ri.nevals && si.nevals == 300);
    assert_true(si.accepted == 300 && si.rejected == 0 && si.step == 300);
    gdn_run_free(run);
    gdn_sim_free(s);
}

static void test_summary_json(void **state)
{
    (void)state;
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){
        "model", "wgan-gp:lambda=0.1", "reg", "l2:gamma=0.05", "opt",
        "simgd:lr=0.05", "steps", "400", "every", "4", "ema", "0.9",
        "ema-debias", NULL, "uniform", NULL, NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    char *text = summary_of(s);
    assert_true(text[strlen(text) - 1] == '\n');
    static jdoc d;
    jparse(&d, text);
    size_t count = gdn_sim_count(s);
    const double *x = gdn_sim_states(s);
    gdn_sim_info info;
    gdn_sim_get_info(s, &info);
    assert_string_equal(jstr(&d, "gandyn"), "simulate");
    assert_string_equal(jstr(&d, "model.spec"), "wgan-gp:lambda=0.1");
    assert_string_equal(jstr(&d, "model.name"), "wgan-gp");
    assert_true(jnum(&d, "model.params.lambda.value") == 0.1);
    assert_true(jbool(&d, "model.params.lambda.given"));
    assert_true(jnum(&d, "model.params.c.value") == 1); /* the default */
    assert_false(jbool(&d, "model.params.c.given"));
    assert_string_equal(jstr(&d, "regularizers.0.spec"), "l2:gamma=0.05");
    assert_true(jnum(&d, "regularizers.0.params.gamma.value") == 0.05);
    assert_string_equal(jstr(&d, "optimizer.name"), "simgd");
    assert_true(jnum(&d, "optimizer.params.lr.value") == 0.05);
    /* lr_d and lr_g inherit lr */
    assert_true(jnum(&d, "optimizer.params.lr_d.value") == 0.05);
    assert_false(jbool(&d, "optimizer.params.lr_d.given"));
    assert_true(jnum(&d, "dim") == 2);
    assert_true(jnum(&d, "steps") == 400 && jnum(&d, "every") == 4);
    assert_int_equal(jget(&d, "t_end"), -1);
    assert_false(jbool(&d, "init_given"));
    assert_true(jnum(&d, "init.1") == 0.2);
    assert_string_equal(jstr(&d, "status"), info.status_name);
    assert_int_equal(jget(&d, "why"), -1);
    /* the numbers read back exactly (%.17g) */
    assert_true(jnum(&d, "final.step") == 400);
    for (int i = 0; i < 4; i++) {
        char path[32];
        snprintf(path, sizeof path, "final.state.%d", i);
        assert_true(jnum(&d, path) == x[(count - 1) * 4 + (size_t)i]);
    }
    const gdn_diagnosis *dg = gdn_sim_diagnosis(s);
    assert_string_equal(jstr(&d, "diagnosis.label"),
                        gdn_diag_label_name(dg->label));
    assert_string_equal(jstr(&d, "diagnosis.text"), dg->text);
    assert_true(jnum(&d, "diagnosis.eps") == 1e-6);
    assert_int_equal(jlen(&d, jget(&d, "averages")), 2);
    assert_string_equal(jstr(&d, "averages.0.name"), "ema0.9");
    assert_true(jnum(&d, "averages.0.beta") == 0.9);
    assert_true(jbool(&d, "averages.0.debias"));
    assert_int_equal(jget(&d, "averages.0.tau"), jget(&d, "averages.0.tau"));
    assert_int_equal(d.node[jget(&d, "averages.0.tau")].type, J_NULL);
    assert_string_equal(jstr(&d, "averages.1.name"), "uniform");
    assert_int_equal(jget(&d, "averages.1.beta"), -1);
    const double *avg = gdn_sim_averages(s);
    assert_true(jnum(&d, "averages.1.final.3") ==
                avg[((count - 1) * 2 + 1) * 4 + 3]);
    assert_true(jnum(&d, "work.rhs_evals") == (double)info.nevals);
    assert_true(jnum(&d, "work.accepted") == 400);
    assert_true(jnum(&d, "work.rejected") == 0);
    assert_true(jnum(&d, "work.samples") == (double)count);
    assert_int_equal(count, 101);
    /* columns: step, 4 state, 4 per average */
    int cols = jget(&d, "columns");
    assert_int_equal(jlen(&d, cols), 1 + 4 * 3);
    assert_string_equal(jstr(&d, "columns.0"), "step");
    assert_string_equal(jstr(&d, "columns.4"), "theta2");
    assert_string_equal(jstr(&d, "columns.5"), "ema0.9_phi1");
    assert_string_equal(jstr(&d, "columns.12"), "uniform_theta2");
    free(text);

    /* a flow that stops early: its status and why */
    gdn_sim_free(s);
    s = sim_of((const char *const[]){"opt", "flow:max_steps=50", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    gdn_sim_get_info(s, &info);
    assert_int_equal(info.status, GDN_EBUDGET);
    text = summary_of(s);
    jparse(&d, text);
    assert_string_equal(jstr(&d, "status"), "step-budget");
    assert_string_equal(jstr(&d, "why"), info.why);
    assert_true(strlen(info.why) > 0);
    assert_true(jnum(&d, "t_end") == 100 && jnum(&d, "dt") == 0.1);
    assert_true(jnum(&d, "final.t") < 100);
    assert_true(jnum(&d, "work.accepted") == (double)info.accepted);
    free(text);
    gdn_sim_free(s);
}

/* A sink collecting the pieces. */
typedef struct pieces {
    char *text;
    size_t len, calls;
} pieces;

static void collect(void *ctx, const char *bytes, size_t n)
{
    pieces *p = ctx;
    p->text = realloc(p->text, p->len + n + 1);
    assert_non_null(p->text);
    memcpy(p->text + p->len, bytes, n);
    p->len += n;
    p->text[p->len] = '\0';
    p->calls++;
}

/* snprintf's contract: the whole length whatever the room, a prefix and a
 * terminator in the room there is; the sink gets the same text. */
static void check_buffers(const gdn_sim *s,
                          size_t (*fn)(const gdn_sim *, char *, size_t),
                          size_t (*to)(const gdn_sim *, gdn_sim_sink, void *))
{
    size_t len = fn(s, NULL, 0);
    assert_true(len > 20);
    char *full = malloc(len + 1), *part = malloc(len + 1);
    assert_non_null(full);
    assert_non_null(part);
    assert_int_equal(fn(s, full, len + 1), len);
    assert_int_equal(strlen(full), len);
    size_t sizes[] = {1, 2, 10, len / 2, len, len + 1};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t size = sizes[i];
        memset(part, '#', len + 1);
        assert_int_equal(fn(s, part, size), len);
        assert_int_equal(strlen(part), size - 1 < len ? size - 1 : len);
        assert_memory_equal(part, full, size - 1 < len ? size - 1 : len);
        if (size <= len) /* nothing written past the room */
            assert_true(size == len || part[size] == '#');
    }
    /* size 0: nothing written at all */
    part[0] = '#';
    assert_int_equal(fn(s, part, 0), len);
    assert_true(part[0] == '#');
    pieces p = {NULL, 0, 0};
    assert_int_equal(to(s, collect, &p), len);
    assert_int_equal(p.len, len);
    assert_memory_equal(p.text, full, len);
    /* in pieces of at most 4096 bytes, but for one item longer than that */
    assert_true(p.calls >= len / 4096 && p.calls <= len / 4096 + 3);
    free(p.text);
    free(full);
    free(part);
}

static void test_buffers(void **state)
{
    (void)state;
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){"ema", "0.99", "t-end", "20",
                                              NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    check_buffers(s, gdn_sim_summary, gdn_sim_summary_to);
    check_buffers(s, gdn_sim_report, gdn_sim_report_to);
    gdn_sim_free(s);
    /* a spec text longer than the writer's scratch, as refused and as
     * written back */
    char reg[400];
    snprintf(reg, sizeof reg, "l2:gamma=0.%0300d1", 0);
    s = sim_of((const char *const[]){"reg", reg, "t-end", "5", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    check_buffers(s, gdn_sim_summary, gdn_sim_summary_to);
    check_buffers(s, gdn_sim_report, gdn_sim_report_to);
    char *text = summary_of(s);
    static jdoc d;
    jparse(&d, text);
    assert_string_equal(jstr(&d, "regularizers.0.spec"), reg);
    free(text);
    gdn_sim_free(s);
    /* a summary of many pieces (n = 500: 2000 numbers, 1001 columns) */
    s = sim_of((const char *const[]){"dim", "500", "t-end", "1", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    assert_true(gdn_sim_summary(s, NULL, 0) > 3 * 4096);
    check_buffers(s, gdn_sim_summary, gdn_sim_summary_to);
    gdn_sim_free(s);
}

static void test_report(void **state)
{
    (void)state;
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){
        "opt", "simgd:lr=0.1", "reg", "l2:gamma=0.1", "steps", "50", "ema",
        "0.5", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    size_t len = gdn_sim_report(s, NULL, 0);
    char *r = malloc(len + 1);
    assert_non_null(r);
    gdn_sim_report(s, r, len + 1);
    const char *want_head =
        "gandyn simulate: nsgan + l2:gamma=0.1, n = 2, simgd:lr=0.1, 50 steps\n"
        "  start: |phi| = 0.223607  |theta| = 0.223607  E = 0.05  "
        "Gamma = 0.0009\n";
    assert_memory_equal(r, want_head, strlen(want_head));
    assert_non_null(strstr(r, "\n  ema0.5: |e| = "));
    assert_non_null(strstr(r, "  work: 50 field evaluations, 50 steps, 51 "
                              "samples\n"));
    const gdn_diagnosis *d = gdn_sim_diagnosis(s);
    char line[600];
    snprintf(line, sizeof line, "  diagnosis: %s\n", d->text);
    assert_non_null(strstr(r, line));
    free(r);
    gdn_sim_free(s);
}

/* A simulation changed after its run runs again; results are its own. */
static void test_rerun(void **state)
{
    (void)state;
    gdn_error err;
    gdn_sim *s = sim_of((const char *const[]){"t-end", "2", NULL});
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    assert_int_equal(gdn_sim_count(s), 21);
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK); /* a no-op */
    assert_int_equal(gdn_sim_count(s), 21);
    assert_int_equal(gdn_sim_set(s, "dt", "0.5", &err), GDN_OK);
    assert_int_equal(gdn_sim_count(s), 0);
    assert_null(gdn_sim_traj(s));
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    assert_int_equal(gdn_sim_count(s), 5);
    assert_true(gdn_sim_times(s)[4] == 2);
    /* a refused change keeps the results */
    assert_int_equal(gdn_sim_set(s, "dt", "-1", &err), GDN_EINVAL);
    assert_int_equal(gdn_sim_count(s), 5);
    /* a diverging run is a result: simgd with h = 3 on the linear game
     * multiplies |x| by |eig(I + 3 A)| = sqrt(9.4) a step */
    assert_int_equal(gdn_sim_set(s, "t-end", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "dt", NULL, &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "model", "wgan-gp:lambda=0.1,c=0",
                                 &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "opt", "simgd:lr=3", &err), GDN_OK);
    assert_int_equal(gdn_sim_set(s, "steps", "2000", &err), GDN_OK);
    assert_int_equal(gdn_sim_run(s, &err), GDN_OK);
    gdn_sim_info info;
    gdn_sim_get_info(s, &info);
    assert_int_equal(info.status, GDN_EDIVERGED);
    assert_string_equal(info.status_name, "diverged");
    assert_true(info.step < 2000 && strlen(info.why) > 0);
    /* the samples stop at the last finite state, the step before */
    assert_int_equal(gdn_sim_count(s), (size_t)info.step);
    assert_true(gdn_sim_times(s)[gdn_sim_count(s) - 1] ==
                (double)(info.step - 1));
    gdn_sim_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_build_from_strings),
        cmocka_unit_test(test_set_refusals),
        cmocka_unit_test(test_build_refusals),
        cmocka_unit_test(test_flow_closed_form),
        cmocka_unit_test(test_discrete_against_run),
        cmocka_unit_test(test_summary_json),
        cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_rerun),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
