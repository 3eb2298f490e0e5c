/*
 * summary.c - what a simulation did, as text into a caller's buffer: the
 * JSON summary and the readable report (gandyn/sim.h).
 *
 * Both are built by one snprintf-style writer, which counts what does not
 * fit, so a caller can ask for the length first.  The JSON layout is that
 * of the io layer's streaming writer (gdn_json): two-space indentation, one
 * item a line, "%.17g" numbers, null for non-finite ones.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gandyn/traj.h" /* the column names: gdn_traj_colname */
#include "sim_internal.h"

/* ------------------------------------------------------------ the writer */

typedef struct text {
    char *buf;
    size_t size; /* bytes of buf, the terminator included */
    size_t len;  /* length of the whole text so far */
    gdn_sim_sink sink; /* or, instead of buf: pieces handed to sink */
    void *ctx;
    size_t used;       /* bytes waiting in chunk */
    char chunk[4096];
} text;

static void text_init(text *t, char *buf, size_t size)
{
    t->buf = size ? buf : NULL;
    t->size = t->buf ? size : 0;
    t->len = 0;
    t->sink = NULL;
    if (t->buf)
        t->buf[0] = '\0';
}

static void text_init_sink(text *t, gdn_sim_sink sink, void *ctx)
{
    text_init(t, NULL, 0);
    t->sink = sink, t->ctx = ctx, t->used = 0;
}

static void text_flush(text *t)
{
    if (t->sink && t->used)
        t->sink(t->ctx, t->chunk, t->used);
    t->used = 0;
}

static void put(text *t, const char *s, size_t n)
{
    if (t->sink) {
        if (t->used + n > sizeof t->chunk)
            text_flush(t);
        if (n > sizeof t->chunk)
            t->sink(t->ctx, s, n);
        else
            memcpy(t->chunk + t->used, s, n), t->used += n;
    } else if (t->len + 1 < t->size) {
        size_t room = t->size - 1 - t->len;
        size_t k = n < room ? n : room;
        memcpy(t->buf + t->len, s, k);
        t->buf[t->len + k] = '\0';
    }
    t->len += n;
}

static void puts_(text *t, const char *s)
{
    put(t, s, strlen(s));
}

static void putc_(text *t, char c)
{
    put(t, &c, 1);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void putf(text *t, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        put(t, small, (size_t)n);
        return;
    }
    if (t->sink) { /* longer than small: in a piece of its own */
        char *big = malloc((size_t)n + 1);
        if (big) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            va_end(ap);
            put(t, big, (size_t)n);
            free(big);
        } else { /* (no memory: cut, as a buffer too small would) */
            put(t, small, sizeof small - 1);
            t->len += (size_t)n - (sizeof small - 1);
        }
        return;
    }
    /* longer than small: straight into the buffer where it fits */
    size_t room = t->len + 1 < t->size ? t->size - t->len : 0;
    va_start(ap, fmt);
    vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* ------------------------------------------------------ JSON on the writer */

#define JSON_DEPTH 32 /* as the io layer's GDN_JSON_DEPTH */
typedef struct json {
    text *t;
    int depth;
    int count[JSON_DEPTH]; /* items written at each level */
    int after_key;             /* a key was just written */
} json;

static void json_init(json *j, text *t)
{
    memset(j, 0, sizeof *j);
    j->t = t;
}

static void indent(json *j)
{
    putc_(j->t, '\n');
    for (int i = 0; i < j->depth; i++)
        puts_(j->t, "  ");
}

/* Comma and line break before a new item (not after a key). */
static void item(json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->count[j->depth]++)
            putc_(j->t, ',');
        indent(j);
    }
}

static void begin(json *j, char bracket)
{
    item(j);
    putc_(j->t, bracket);
    if (j->depth + 1 < JSON_DEPTH)
        j->depth++;
    j->count[j->depth] = 0;
}

static void end(json *j, char bracket)
{
    int had = j->count[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (had)
        indent(j);
    putc_(j->t, bracket);
}

static void put_string(text *t, const char *s)
{
    putc_(t, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            putf(t, "\\%c", *p);
        else if (*p == '\n')
            puts_(t, "\\n");
        else if (*p < 0x20)
            putf(t, "\\u%04x", *p);
        else
            putc_(t, (char)*p);
    }
    putc_(t, '"');
}

static void key(json *j, const char *k)
{
    item(j);
    put_string(j->t, k);
    puts_(j->t, ": ");
    j->after_key = 1;
}

static void str(json *j, const char *s)
{
    item(j);
    put_string(j->t, s);
}

static void put_num(text *t, double v)
{
    if (isfinite(v))
        putf(t, "%.17g", v);
    else
        puts_(t, "null");
}

static void num(json *j, double v)
{
    item(j);
    put_num(j->t, v);
}

static void int64(json *j, int64_t v)
{
    item(j);
    putf(j->t, "%" PRId64, v);
}

static void uint64(json *j, uint64_t v)
{
    item(j);
    putf(j->t, "%" PRIu64, v);
}

static void boolean(json *j, int v)
{
    item(j);
    puts_(j->t, v ? "true" : "false");
}

static void nums(json *j, const double *v, size_t count)
{
    item(j);
    putc_(j->t, '[');
    for (size_t i = 0; i < count; i++) {
        if (i)
            puts_(j->t, ", ");
        put_num(j->t, v[i]);
    }
    putc_(j->t, ']');
}

/* ------------------------------------------------------------ the summary */

/* A term's or the method's parameters: value (choices by name) and given. */
static void json_params(json *j, const gdn_param *p, const double *v,
                        const unsigned char *given, const gdn_run_opts *o)
{
    begin(j, '{');
    for (size_t k = 0; p && p[k].key; k++) {
        key(j, p[k].key);
        begin(j, '{');
        double val = o ? gdn_run_opts_param(o, k) : v[k];
        key(j, "value");
        if (p[k].flags & GDN_PARAM_ENUM) {
            char buf[64];
            const char *c = p[k].choices;
            for (int i = (int)val; i > 0 && strchr(c, '|'); i--)
                c = strchr(c, '|') + 1;
            size_t len = strchr(c, '|') ? (size_t)(strchr(c, '|') - c)
                                        : strlen(c);
            snprintf(buf, sizeof buf, "%.*s", (int)len, c);
            str(j, buf);
        } else {
            num(j, val);
        }
        key(j, "given");
        boolean(j, given[k]);
        end(j, '}');
    }
    end(j, '}');
}

static void json_invariants(json *j, const gdn_invariants *v)
{
    begin(j, '{');
    key(j, "phi_norm"), num(j, v->phi_norm);
    key(j, "theta_norm"), num(j, v->theta_norm);
    key(j, "energy"), num(j, v->energy);
    key(j, "gram"), num(j, v->gram);
    key(j, "theta_dot_phi"), num(j, v->t);
    end(j, '}');
}

static void summary(const gdn_sim *s, json *j)
{
    const gdn_traj *tr = &s->tr;
    const gdn_diagnosis *d = &s->diag;
    const gdn_run_opts *o = &s->opts;
    gdn_sim_info info;
    gdn_sim_get_info(s, &info);
    size_t n = s->sys.n, m = 2 * n;
    begin(j, '{');
    key(j, "gandyn"), str(j, "simulate");
    key(j, "model");
    begin(j, '{');
    key(j, "spec"), str(j, gdn__sim_model_spec(s));
    key(j, "name"), str(j, s->sys.model.type->name);
    key(j, "loss"), str(j, s->sys.model.type->loss);
    key(j, "params");
    json_params(j, s->sys.model.type->params, s->sys.model.par,
                s->model_given, NULL);
    end(j, '}');
    key(j, "regularizers");
    begin(j, '[');
    for (size_t k = 0; k < s->sys.nreg; k++) {
        begin(j, '{');
        key(j, "spec"), str(j, s->reg_spec[k]);
        key(j, "name"), str(j, s->sys.reg[k].type->name);
        key(j, "params");
        json_params(j, s->sys.reg[k].type->params, s->sys.reg[k].par,
                    s->reg_given[k], NULL);
        end(j, '}');
    }
    end(j, ']');
    key(j, "optimizer");
    begin(j, '{');
    key(j, "spec"), str(j, gdn__sim_opt_spec(s));
    key(j, "name"), str(j, o->opt->name);
    key(j, "params");
    json_params(j, o->opt->params, NULL, s->opt_given, o);
    end(j, '}');
    key(j, "dim"), int64(j, (int64_t)n);
    key(j, "init"), nums(j, s->x0, m);
    key(j, "init_given"), boolean(j, s->init_text != NULL);
    if (gdn_run_opts_is_flow(o)) {
        key(j, "t_end"), num(j, o->t_end);
        key(j, "dt"), num(j, o->dt);
    } else {
        key(j, "steps"), int64(j, (int64_t)o->steps);
        key(j, "every"), int64(j, (int64_t)o->every);
    }
    key(j, "status"), str(j, info.status_name);
    if (info.why[0])
        key(j, "why"), str(j, info.why);
    key(j, "start");
    json_invariants(j, &d->start);
    key(j, "final");
    begin(j, '{');
    key(j, tr->discrete ? "step" : "t");
    num(j, d->t_end);
    key(j, "state"), nums(j, tr->x + (tr->count - 1) * m, m);
    key(j, "phi_norm"), num(j, d->end.phi_norm);
    key(j, "theta_norm"), num(j, d->end.theta_norm);
    key(j, "energy"), num(j, d->end.energy);
    key(j, "gram"), num(j, d->end.gram);
    /* theta . phi (was "t", a second "t" beside the time of a flow) */
    key(j, "theta_dot_phi"), num(j, d->end.t);
    end(j, '}');
    key(j, "diagnosis");
    begin(j, '{');
    key(j, "label"), str(j, gdn_diag_label_name(d->label));
    key(j, "text"), str(j, d->text);
    key(j, "eps"), num(j, s->dopts.eps);
    key(j, "distance_start"), num(j, d->r_start);
    key(j, "distance_end"), num(j, d->r_end);
    key(j, "rate_kind");
    str(j, d->rate_kind == GDN_RATE_EXP   ? "exponential"
           : d->rate_kind == GDN_RATE_ALG ? "algebraic"
                                          : "none");
    key(j, "rate"), num(j, d->rate);
    key(j, "time_to_eps"), num(j, d->t_eps);
    key(j, "time_to_eps_measured");
    boolean(j, d->t_eps_measured);
    key(j, "radius_theta"), num(j, d->radius);
    key(j, "radius_phi"), num(j, d->radius_phi);
    key(j, "gram0_quarter"), num(j, d->radius_gram);
    key(j, "amplitude_theta"), num(j, d->amplitude);
    key(j, "period"), num(j, d->period);
    key(j, "stop"), num(j, d->stop_t);
    end(j, '}');
    key(j, "averages");
    begin(j, '[');
    for (size_t g = 0; g < tr->ngroups; g++) {
        gdn_avg_stats st;
        gdn_avg_stats_of(tr, g, &s->dopts, &st);
        begin(j, '{');
        key(j, "name"), str(j, s->group_ptr[g]);
        if (g < o->nema) {
            key(j, "beta"), num(j, o->ema[g].beta);
            key(j, "tau");
            num(j, o->ema[g].tau != 0 ? o->ema[g].tau
                   : (gdn_run_opts_is_flow(o) ? o->dt / (1 - o->ema[g].beta)
                                              : NAN));
            key(j, "debias"), boolean(j, o->ema_debias);
        }
        key(j, "final");
        nums(j, tr->avg + ((tr->count - 1) * tr->ngroups + g) * m, m);
        key(j, "distance_end"), num(j, st.r_end);
        key(j, "distance_tail_mean"), num(j, st.r_tail_mean);
        key(j, "iterate_distance_tail_mean");
        num(j, st.x_tail_mean);
        end(j, '}');
    }
    end(j, ']');
    key(j, "work");
    begin(j, '{');
    key(j, "rhs_evals"), uint64(j, info.nevals);
    key(j, "accepted"), uint64(j, info.accepted);
    key(j, "rejected"), uint64(j, info.rejected);
    key(j, "samples"), uint64(j, (uint64_t)tr->count);
    end(j, '}');
    key(j, "columns");
    begin(j, '[');
    char name[GDN_COLNAME_MAX];
    for (size_t c = 0; c < gdn_traj_ncols(tr); c++) {
        gdn_traj_colname(tr, s->group_ptr, c, name);
        str(j, name);
    }
    end(j, ']');
    end(j, '}');
    putc_(j->t, '\n');
}

static void summary_text(const gdn_sim *s, text *t)
{
    if (!s->ran)
        return;
    json j;
    json_init(&j, t);
    summary(s, &j);
}

size_t gdn_sim_summary(const gdn_sim *s, char *buf, size_t size)
{
    text t;
    text_init(&t, buf, size);
    summary_text(s, &t);
    return t.len;
}

size_t gdn_sim_summary_to(const gdn_sim *s, gdn_sim_sink sink, void *ctx)
{
    text t;
    text_init_sink(&t, sink, ctx);
    summary_text(s, &t);
    text_flush(&t);
    return t.len;
}

/* ------------------------------------------------------------- the report */

static void report_text(const gdn_sim *s, text *t)
{
    if (!s->ran)
        return;
    const gdn_run_opts *o = &s->opts;
    const gdn_traj *tr = &s->tr;
    const gdn_diagnosis *d = &s->diag;
    gdn_sim_info info;
    gdn_sim_get_info(s, &info);
    putf(t, "gandyn simulate: %s", s->sys.model.type->name);
    for (size_t k = 0; k < s->sys.nreg; k++)
        putf(t, " + %s", s->reg_spec[k]);
    putf(t, ", n = %zu, %s", s->sys.n, gdn__sim_opt_spec(s));
    if (gdn_run_opts_is_flow(o))
        putf(t, ", t in [0, %g], dt = %g\n", o->t_end, o->dt);
    else
        putf(t, ", %" PRId64 " steps\n", (int64_t)o->steps);
    putf(t, "  start: |phi| = %.6g  |theta| = %.6g  E = %.6g  Gamma = %.6g\n",
         d->start.phi_norm, d->start.theta_norm, d->start.energy,
         d->start.gram);
    putf(t, "  end:   |phi| = %.6g  |theta| = %.6g  E = %.6g  Gamma = %.6g"
         "  (%s = %g)\n",
         d->end.phi_norm, d->end.theta_norm, d->end.energy, d->end.gram,
         tr->discrete ? "step" : "t", d->t_end);
    putf(t, "  diagnosis: %s\n", d->text);
    for (size_t g = 0; g < tr->ngroups; g++) {
        gdn_avg_stats st;
        gdn_avg_stats_of(tr, g, &s->dopts, &st);
        putf(t, "  %s: |e| = %.4g at the end, mean %.4g over the last %g%% "
             "(iterate: %.4g)\n",
             s->group_ptr[g], st.r_end, st.r_tail_mean, 100 * s->dopts.tail,
             st.x_tail_mean);
    }
    putf(t, "  work: %" PRIu64 " field evaluations, %" PRIu64 " steps",
         info.nevals, info.accepted);
    if (gdn_run_opts_is_flow(o))
        putf(t, " (%" PRIu64 " rejected)", info.rejected);
    putf(t, ", %zu samples\n", tr->count);
}

size_t gdn_sim_report(const gdn_sim *s, char *buf, size_t size)
{
    text t;
    text_init(&t, buf, size);
    report_text(s, &t);
    return t.len;
}

size_t gdn_sim_report_to(const gdn_sim *s, gdn_sim_sink sink, void *ctx)
{
    text t;
    text_init_sink(&t, sink, ctx);
    report_text(s, &t);
    text_flush(&t);
    return t.len;
}
