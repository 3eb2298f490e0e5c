/*
 * cmd_plot.c - 'gandyn plot': figures of runs saved by 'gandyn simulate'.
 *
 * One input file draws one figure; several draw small multiples side by
 * side with shared axes.  Everything is checked before anything is drawn.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gandyn.h"

static const char usage_text[] =
    "usage: gandyn plot RUN.csv|RUN.json|RUN.npy [RUN ...] -o FILE [OPTIONS]\n"
    "\n"
    "Draws runs written by 'gandyn simulate --out' (.csv, .json or .npy with\n"
    "its sidecar RUN.npy.json).  Several\n"
    "runs are drawn side by side with shared axes (small multiples).\n"
    "\n"
    "  -o, --out FILE    .png, .svg, .pdf, or .gif (the path drawn growing)\n"
    "  --kind KIND       theta: the generator's path in the (θ₁, θ₂) plane\n"
    "                    with the averages, start, end and the equilibrium\n"
    "                    (default, n >= 2)\n"
    "                    phase: the (θ, φ) plane of a 1-D run (default in 1-D)\n"
    "                    series: |θ|, |φ|, E and (Γ - Γ0)/Γ0 against time or\n"
    "                    step, one panel each (a column per run)\n"
    "                    distance: |x| of the iterate and of every average\n"
    "  --log             series, distance: logarithmic y axis\n"
    "  --title TEXT      over the figure (TEXT is taken whatever it looks\n"
    "                    like: --title -o is the title '-o')\n"
    "  --titles A,B,..   over each run (default: the file names)\n"
    "  --cols N          runs per row of small multiples (default 1 to 3)\n"
    "  --own-axes        small multiples: each run its own ranges (default:\n"
    "                    shared, to compare)\n"
    "  --by-time         theta, phase: colour the path by time, dark (start)\n"
    "                    to light (end), for long runs that overplot\n"
    "  --circle          theta: the circle |θ| = Γ0^(1/4), dashed, where a\n"
    "                    flow that conserves Γ and dissipates E settles\n"
    "  --scale S         .png, .gif: S pixels per unit of --size (0.25 to 8;\n"
    "                    default 1); .svg and .pdf are vectors, unchanged\n"
    "  --dpi D           the same as --scale D/96 (sizes are 1/96 inch)\n"
    "  --model SPEC      phase: draw this model's vector field under the path\n"
    "  --reg SPEC        ... with these regularizers (repeatable)\n"
    "  --size WxH        pixels (default per panel: 640x640, series 800x480,\n"
    "                    .gif 480x480; several runs: 420x420 each)\n"
    "  --frames N        .gif: frames (default 60, at most 1000)\n"
    "  --delay CS        .gif: hundredths of a second per frame (default 8);\n"
    "                    the finished picture is then held for 2 s; every\n"
    "                    frame marks the current point and its time\n"
    "\n"
    "A run of a million samples draws in about a second: lines are decimated\n"
    "to the pixel grid (the picture is the same).  A .npy run needs its\n"
    "sidecar RUN.npy.json (written by simulate) for the column names.\n"
    "\n"
    "Exit status: 0, or 2 for bad input or an unwritable output (nothing is\n"
    "written).\n";

enum { O_HELP, O_OUT, O_KIND, O_LOG, O_TITLE, O_TITLES, O_MODEL, O_REG,
       O_SIZE, O_FRAMES, O_DELAY, O_COLS, O_OWNAXES, O_BYTIME, O_CIRCLE,
       O_SCALE, O_DPI };

static const cli_opt options[] = {
    {"help", CLI_FLAG, O_HELP},      {"out", CLI_VALUE, O_OUT},
    {"kind", CLI_VALUE, O_KIND},     {"log", CLI_FLAG, O_LOG},
    {"title", CLI_VALUE, O_TITLE},   {"titles", CLI_VALUE, O_TITLES},
    {"model", CLI_VALUE, O_MODEL},   {"reg", CLI_VALUE | CLI_REPEAT, O_REG},
    {"size", CLI_VALUE, O_SIZE},     {"frames", CLI_VALUE, O_FRAMES},
    {"delay", CLI_VALUE, O_DELAY},   {"cols", CLI_VALUE, O_COLS},
    {"own-axes", CLI_FLAG, O_OWNAXES}, {"by-time", CLI_FLAG, O_BYTIME},
    {"circle", CLI_FLAG, O_CIRCLE},  {"scale", CLI_VALUE, O_SCALE},
    {"dpi", CLI_VALUE, O_DPI},       {NULL, 0, 0}};

/* Whether argv[i] is a long option that takes the next argument as its
 * value ("--title" without '='). */
static int takes_value(const char *arg)
{
    if (strncmp(arg, "--", 2) != 0 || strchr(arg, '='))
        return 0;
    for (const cli_opt *o = options; o->name; o++)
        if (strcmp(arg + 2, o->name) == 0)
            return o->kind == CLI_VALUE;
    return 0;
}

/* "WxH", each a decimal 64..8192 (no sign, no overflow). */
static int parse_size(const char *s, int *w, int *h)
{
    long v[2];
    for (int k = 0; k < 2; k++) {
        if (*s < '0' || *s > '9')
            return -1;
        v[k] = 0;
        while (*s >= '0' && *s <= '9') {
            v[k] = v[k] * 10 + (*s++ - '0');
            if (v[k] > 8192)
                return -1;
        }
        if (k == 0 && *s++ != 'x')
            return -1;
    }
    if (*s || v[0] < 64 || v[1] < 64)
        return -1;
    *w = (int)v[0], *h = (int)v[1];
    return 0;
}

#define MAX_RUNS 64

/* Splits "a,b,c" into at most max pieces (modifies s). */
static size_t split(char *s, char **out, size_t max)
{
    size_t k = 0;
    for (char *p = s; k < max;) {
        char *c = strchr(p, ',');
        out[k++] = p;
        if (!c)
            break;
        *c = '\0';
        p = c + 1;
    }
    return k;
}

int cmd_plot(int argc, char **argv)
{
    const char *inputs[MAX_RUNS], *out = NULL, *model = NULL;
    const char *regs[GDN_MAX_REGS];
    char *titles_text = NULL, *titles[MAX_RUNS];
    size_t nin = 0, nreg = 0, ntitles = 0;
    gdn_plot_opts po;
    gdn_error err;
    gdn_plot_opts_init(&po);
    /* '-o' is the one short option, unless it is an option's value */
    for (int i = 1; i < argc; i++) {
        if (takes_value(argv[i]))
            i++;
        else if (strcmp(argv[i], "-o") == 0)
            argv[i] = "--out";
    }
    cli_parser p;
    cli_init(&p, argc, argv, "plot");
    p.positional = 1;
    int id, rc;
    const char *val;
    long v;
    while ((rc = cli_next(&p, options, &id, &val)) > 0) {
        if (rc == 2) {
            if (nin >= MAX_RUNS) {
                cli_error("plot: at most %d runs in one figure", MAX_RUNS);
                return GDN_EXIT_USAGE;
            }
            inputs[nin++] = val;
            continue;
        }
        switch (id) {
        case O_HELP: fputs(usage_text, stdout); return GDN_EXIT_OK;
        case O_OUT: out = val; break;
        case O_LOG: po.logy = 1; break;
        case O_TITLE: po.title = val; break;
        case O_TITLES: titles_text = (char *)val; break;
        case O_MODEL: model = val; break;
        case O_REG:
            if (nreg >= GDN_MAX_REGS) {
                cli_error("plot: at most %d --reg", GDN_MAX_REGS);
                return GDN_EXIT_USAGE;
            }
            regs[nreg++] = val;
            break;
        case O_KIND:
            if ((po.kind = gdn_plot_kind_find(val)) < 0) {
                cli_error("--kind: unknown kind '%s' (accepted: theta, phase, "
                          "series, distance)", val);
                return GDN_EXIT_USAGE;
            }
            break;
        case O_SIZE: {
            int w, h;
            if (parse_size(val, &w, &h)) {
                cli_error("--size: '%s' (accepted: WxH, 64 to 8192 each)", val);
                return GDN_EXIT_USAGE;
            }
            po.width = w, po.height = h;
            break;
        }
        case O_FRAMES:
            if (gdn_parse_long(val, "--frames", 2, 1000, &v, &err))
                goto bad;
            po.anim.nframes = (int)v;
            break;
        case O_COLS:
            if (gdn_parse_long(val, "--cols", 1, 64, &v, &err))
                goto bad;
            po.cols = (int)v;
            break;
        case O_OWNAXES: po.own_axes = 1; break;
        case O_BYTIME: po.by_time = 1; break;
        case O_CIRCLE: po.circle = 1; break;
        case O_SCALE:
        case O_DPI: {
            double d;
            if (gdn_parse_double(val, id == O_DPI ? "--dpi" : "--scale", &d,
                                 &err))
                goto bad;
            if (id == O_DPI)
                d /= 96;
            if (!(d >= 0.25 && d <= 8)) {
                cli_error("%s: %s is out of range (accepted: %s)",
                          id == O_DPI ? "--dpi" : "--scale", val,
                          id == O_DPI ? "24 to 768" : "0.25 to 8");
                return GDN_EXIT_USAGE;
            }
            po.scale = d;
            break;
        }
        case O_DELAY:
            if (gdn_parse_long(val, "--delay", 1, 1000, &v, &err))
                goto bad;
            po.anim.delay_cs = (int)v;
            break;
        }
    }
    if (rc < 0)
        return GDN_EXIT_USAGE;
    if (nin == 0 || !out) {
        cli_error("plot: give one or more runs and -o FILE (see 'gandyn plot "
                  "--help')");
        return GDN_EXIT_USAGE;
    }
    if (po.anim.nframes || po.anim.delay_cs) { /* fill the other default */
        if (!po.anim.nframes)
            po.anim.nframes = 60;
        if (!po.anim.delay_cs)
            po.anim.delay_cs = 8;
        po.anim.hold_cs = 200;
    }
    int fmt = -1;
    if (gdn_figure_format(out, &fmt, &err))
        goto bad;
    if (titles_text) {
        ntitles = split(titles_text, titles, MAX_RUNS);
        if (ntitles != nin) {
            cli_error("--titles: %zu titles for %zu runs", ntitles, nin);
            return GDN_EXIT_USAGE;
        }
    }

    gdn_system sys;
    if (model) {
        if (gdn_system_from_specs(&sys, 1, model, regs, nreg, NULL, NULL,
                                  &err))
            goto bad;
        po.sys = &sys;
    } else if (nreg) {
        cli_error("plot: --reg needs --model");
        return GDN_EXIT_USAGE;
    }

    gdn_traj trs[MAX_RUNS];
    const gdn_traj *ptrs[MAX_RUNS];
    char **names[MAX_RUNS];
    size_t nnames[MAX_RUNS], loaded = 0;
    int code = GDN_EXIT_USAGE;
    /* the figure is staged and renamed into place when complete */
    gdn_outset *os = cli_outset_new();
    if (!os)
        return GDN_EXIT_USAGE;
    int k_out = gdn_outset_add(os, out, "-o", &err);
    if (k_out < 0) {
        cli_error("%s", err.msg);
        gdn_outset_free(os);
        return GDN_EXIT_USAGE;
    }
    for (; loaded < nin; loaded++) {
        if (gdn_traj_read(inputs[loaded], &trs[loaded], &names[loaded],
                          &nnames[loaded], &err)) {
            cli_error("%s", err.msg);
            goto done;
        }
        ptrs[loaded] = &trs[loaded];
        if (trs[loaded].count == 0) {
            cli_error("plot: '%s' has no samples", inputs[loaded]);
            loaded++;
            goto done;
        }
        if (!titles_text)
            titles[loaded] = (char *)inputs[loaded];
    }
    if (model && trs[0].n != 1) {
        cli_error("plot: --model draws the field of a 1-D run (this run has "
                  "n = %zu)", trs[0].n);
        goto done;
    }
    po.group_names_of = (const char *const *const *)names;
    if (gdn_plot_trajs(ptrs, nin > 1 ? (const char *const *)titles : NULL,
                       nin, &po, gdn_outset_path(os, k_out), &err)) {
        cli_error_as(err.msg, gdn_outset_path(os, k_out), out);
        goto done;
    }
    if (gdn_outset_commit(os, &err)) {
        cli_error("%s", err.msg);
        goto done;
    }
    code = GDN_EXIT_OK;
done:
    gdn_outset_free(os);
    for (size_t k = 0; k < loaded; k++) {
        gdn_traj_release(&trs[k]);
        gdn_names_free(names[k], nnames[k]);
    }
    return code;
bad:
    cli_error("%s", err.msg);
    return GDN_EXIT_USAGE;
}
