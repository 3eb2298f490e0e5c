/*
 * sim_setup.c - parsing the options of one simulation (see sim_setup.h);
 * every bad token gets one line and status 2.  The simulation's options go
 * to gdn_sim_set in the order given, so the first bad one is named.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim_setup.h"

void sim_init(sim *s)
{
    memset(s, 0, sizeof *s);
    s->plot_kind = -1;
}

void sim_release(sim *s)
{
    gdn_sim_free(s->api);
    s->api = NULL;
}

enum {
    O_HELP, O_OUT, O_SUMMARY, O_QUIET, O_PLOT, O_PLOT_KIND, O_PLOT_LOG,
    /* the simulation's options: the name is gdn_sim_set's key */
    O_MODEL, O_REG, O_DIM, O_INIT, O_OPT, O_TEND, O_DT, O_STEPS, O_EVERY,
    O_EMA, O_DEBIAS, O_UNIFORM, O_EPS
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

static const char *option_name(int id)
{
    const cli_opt *o = options;
    while (o->name && o->id != id)
        o++;
    return o->name;
}

/* Parses argv into s; returns -1 to exit 0 (help), 0 fine, 2 bad input,
 * 1 out of memory. */
int sim_parse(sim *s, int argc, char **argv, const char *const *usage)
{
    cli_parser p;
    int id;
    const char *val;
    gdn_error err;
    int rc;
    if (!s->api && !(s->api = gdn_sim_new(&err))) {
        cli_error("%s", err.msg);
        return 1;
    }
    cli_init(&p, argc, argv, "simulate");
    while ((rc = cli_next(&p, options, &id, &val)) == 1) {
        switch (id) {
        case O_HELP:
            for (; usage && *usage; usage++)
                fputs(*usage, stdout);
            return -1;
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
        default:
            if ((rc = gdn_sim_set(s->api, option_name(id), val, &err))) {
                cli_error("%s", err.msg);
                return rc == GDN_ENOMEM ? 1 : 2;
            }
        }
    }
    return rc < 0 ? 2 : 0;
}

int sim_build(sim *s)
{
    gdn_error err;
    int rc = gdn_sim_build(s->api, &err);
    if (rc == GDN_OK)
        return 0;
    cli_error("%s", err.msg);
    return rc == GDN_ENOMEM ? 1 : 2;
}
