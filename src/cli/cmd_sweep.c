#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* mkstemps */
/*
 * cmd_sweep.c - 'gandyn sweep': thousands to millions of trajectories over
 * grids of parameters and starting points, on every core.
 *
 * Long sweeps lose nothing: the points are run in chunks, each written
 * atomically into OUT.parts/ next to a manifest of the sweep; --resume
 * skips the chunks already there; the final file is assembled and renamed
 * into place only when every chunk exists, so a killed sweep never leaves a
 * corrupt OUT.
 *
 * Built with -DGANDYN_MPI=ON and started by mpirun, the ranks share the
 * chunks round-robin (chunk j on rank j mod P) in the same OUT.parts/ (a
 * file system all ranks see); rank 0 prepares the directory, waits for
 * every rank, and assembles: the same bytes as one process.
 */
#include <inttypes.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "cli.h"
#include "gandyn.h"

#ifdef GANDYN_MPI
#include <mpi.h>
#endif

static const char usage_text[] =
    "usage: gandyn sweep [SYSTEM] [DYNAMICS] POINTS --out FILE [OPTIONS]\n"
    "\n"
    "Runs one trajectory per point of a grid (or of a list of starts) and\n"
    "records, per point: the diagnosis label, |theta|, |phi|, Gamma and |x| at\n"
    "the end, the time (or step) from which |x| < eps, where a run stopped,\n"
    "and the diagnosis' rate.  Each trajectory is exactly what 'gandyn\n"
    "simulate' with the same options would compute.\n"
    "\n"
    "System and dynamics, as for simulate:\n"
    "  --model SPEC --reg SPEC --dim N --init LIST --opt SPEC\n"
    "  --t-end T --dt DT (flow)   --steps K --every K (discrete; here --every\n"
    "                    defaults to 10: the diagnosis samples every K steps)\n"
    "Points (at least one):\n"
    "  --grid KEY=LO:HI:N   an axis, repeatable (at most 4; the last varies\n"
    "                    fastest): a parameter (lr, lr_d, gamma, lambda, ...;\n"
    "                    opt.KEY, model.KEY, reg.KEY when ambiguous) or a\n"
    "                    coordinate of the start (phi1, theta2, ...);\n"
    "                    KEY=log:LO:HI:N for a geometric grid\n"
    "  --init-file FILE  starts, one per line: phi1,..,phin,theta1,..,thetan\n"
    "                    (commas or blanks between, '#' comments)\n"
    "  --random N        N starts uniform in the box (default [-1, 1]^(2n))\n"
    "  --seed S          for --random (default 1)\n"
    "  --box LO:HI       for --random\n"
    "Output:\n"
    "  --out FILE        .npy (float64) or .csv; one row per point: the axis\n"
    "                    values (or the start), then the records; a JSON\n"
    "                    sidecar FILE.json describes the grid and the columns;\n"
    "                    an absent value is an empty cell (.csv), NaN (.npy)\n"
    "  --plot FILE       a line (one axis) or a map (two axes) of a field;\n"
    "                    a log grid is drawn on a log10 axis\n"
    "  --plot-value F    the field drawn (default label; distance, theta_norm,\n"
    "                    t_eps, rate, ...): labels in their colours (only\n"
    "                    those present), another field on a log10 scale\n"
    "                    with diverged points grey\n"
    "  --plot-title TEXT the figure's title (default: model, method, field)\n"
    "  --plot-boundary   two parameter axes: draw the boundary of linear\n"
    "                    stability (gandyn analyze) along the first axis\n"
    "  --threads N       threads (default: all cores); the output is the same\n"
    "                    bytes for any N and any --batch\n"
    "  --batch B         trajectories per batch of the fast kernels (default\n"
    "                    clamp(16384/n, 16, 256); dopri5 clamp(2048/n, 16, 64))\n"
    "  --chunk N         points per chunk file (default 65536)\n"
    "  --resume          continue a sweep whose OUT.parts/ exists (refused,\n"
    "                    naming what differs, unless every option, the\n"
    "                    contents of --init-file and every chunk match)\n"
    "  --eps EPS         distance counted as 'at the equilibrium' (1e-6)\n"
    "  --quiet           no summary and no progress bar (without it, the bar\n"
    "                    goes to stderr when that is a terminal, updated at\n"
    "                    least once a second)\n"
    "\n"
    "Exit status: 0, or 2 for bad input, an unwritable output or a sweep too\n"
    "large for memory (nothing is written).\n";

enum {
    O_HELP, O_MODEL, O_REG, O_DIM, O_INIT, O_OPT, O_TEND, O_DT, O_STEPS,
    O_EVERY, O_GRID, O_INITFILE, O_RANDOM, O_SEED, O_BOX, O_OUT, O_PLOT,
    O_PLOTVALUE, O_THREADS, O_BATCH, O_CHUNK, O_RESUME, O_EPS, O_QUIET,
    O_PLOTTITLE, O_PLOTBOUNDARY
};

static const cli_opt options[] = {
    {"help", CLI_FLAG, O_HELP},        {"model", CLI_VALUE, O_MODEL},
    {"reg", CLI_VALUE | CLI_REPEAT, O_REG},         {"dim", CLI_VALUE, O_DIM},
    {"init", CLI_VALUE, O_INIT},       {"opt", CLI_VALUE, O_OPT},
    {"t-end", CLI_VALUE, O_TEND},      {"dt", CLI_VALUE, O_DT},
    {"steps", CLI_VALUE, O_STEPS},     {"every", CLI_VALUE, O_EVERY},
    {"grid", CLI_VALUE | CLI_REPEAT, O_GRID},       {"init-file", CLI_VALUE, O_INITFILE},
    {"random", CLI_VALUE, O_RANDOM},   {"seed", CLI_VALUE, O_SEED},
    {"box", CLI_VALUE, O_BOX},         {"out", CLI_VALUE, O_OUT},
    {"plot", CLI_VALUE, O_PLOT},       {"plot-value", CLI_VALUE, O_PLOTVALUE},
    {"threads", CLI_VALUE, O_THREADS}, {"batch", CLI_VALUE, O_BATCH},
    {"chunk", CLI_VALUE, O_CHUNK},     {"resume", CLI_FLAG, O_RESUME},
    {"eps", CLI_VALUE, O_EPS},         {"quiet", CLI_FLAG, O_QUIET},
    {"plot-title", CLI_VALUE, O_PLOTTITLE},
    {"plot-boundary", CLI_FLAG, O_PLOTBOUNDARY},
    {NULL, 0, 0}};

/* splitmix64: the random starts depend on the seed alone. */
static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* ------------------------------------------------------------- the plan */

typedef struct plan {
    gdn_sweep sw;
    double *x0, *points;
    const char *specs[3 + GDN_MAX_REGS]; /* model, opt, regs: the manifest */
    size_t nreg;
    size_t total, chunk, nchunks;
    size_t ncols;        /* axis columns + record fields */
    gdn_manifest man;    /* what a resumed sweep must match */
    uint64_t hash;       /* its hash: the chunks carry it */
} plan;

/* Column c of point k: the axis values (or the start), then the record. */
static size_t naxis_cols(const plan *pl)
{
    return (pl->sw.points ? 2 * pl->sw.sys.n : 0) + pl->sw.naxes;
}

static void axis_col_name(const plan *pl, size_t c, char *buf, size_t size)
{
    size_t n = pl->sw.sys.n, start = pl->sw.points ? 2 * n : 0;
    if (c < start)
        snprintf(buf, size, "%s%zu", c < n ? "phi" : "theta",
                 (c < n ? c : c - n) + 1);
    else
        snprintf(buf, size, "%s", pl->sw.axes[c - start].name);
}

static void axis_values(const plan *pl, size_t k, double *out)
{
    size_t m = 2 * pl->sw.sys.n, j = 0, rest = k;
    long idx[GDN_SWEEP_MAX_AXES];
    for (size_t d = pl->sw.naxes; d-- > 0;) {
        idx[d] = (long)(rest % (size_t)pl->sw.axes[d].count);
        rest /= (size_t)pl->sw.axes[d].count;
    }
    if (pl->sw.points)
        for (size_t i = 0; i < m; i++)
            out[j++] = pl->sw.points[rest * m + i];
    for (size_t d = 0; d < pl->sw.naxes; d++)
        out[j++] = gdn_sweep_axis_value(&pl->sw.axes[d], idx[d]);
}

/* ------------------------------------------------------------- chunks */

static void parts_path(const char *out, char *buf, size_t size)
{
    snprintf(buf, size, "%s.parts", out);
}

static void chunk_path(const char *out, size_t j, char *buf, size_t size)
{
    snprintf(buf, size, "%s.parts/chunk-%08zu.bin", out, j);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Reads a whole file into a malloc'd buffer. */
static int slurp(const char *path, char **buf, size_t *len, gdn_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return gdn_error_set(err, GDN_EIO, "cannot read '%s': %s", path,
                             strerror(errno));
    size_t n = 0, cap = 4096;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *q = realloc(b, 2 * cap);
        if (!q)
            free(b);
        b = q, cap *= 2;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (!b)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    if (bad) {
        free(b);
        return gdn_error_set(err, GDN_EIO, "cannot read '%s'", path);
    }
    *buf = b, *len = n;
    return GDN_OK;
}

/* Writes the manifest, or checks it against pl when resuming. */
static int manifest(const char *out, const plan *pl, int resume,
                    gdn_error *err)
{
    char dir[4200], path[4300];
    parts_path(out, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/manifest.txt", dir);
    if (resume) {
        char *buf = NULL;
        size_t len = 0;
        if (!file_exists(path))
            return gdn_error_set(err, GDN_EINVAL,
                                 "--resume: no sweep to resume in '%s'", dir);
        int src = slurp(path, &buf, &len, err);
        if (src)
            return src;
        gdn_error e;
        int rc = gdn_manifest_check(buf, len, &pl->man, &e);
        free(buf);
        if (rc == GDN_ENOMEM)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        if (rc)
            return gdn_error_set(err, GDN_EINVAL,
                                 "sweep --resume: '%s' holds a different "
                                 "sweep: %s (remove it to start over)",
                                 dir, e.msg);
        return GDN_OK;
    }
    if (file_exists(dir))
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' exists: an interrupted sweep; use --resume "
                             "or remove it", dir);
    size_t len;
    char *text = gdn_manifest_text(&pl->man, &len);
    if (!text)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    if (mkdir(dir, 0777) != 0) {
        free(text);
        return gdn_error_set(err, GDN_EIO, "cannot create '%s': %s", dir,
                             strerror(errno));
    }
    gdn_ofile f;
    if (cli_ofile_open(&f, path, err)) {
        free(text);
        rmdir(dir);
        return GDN_EIO;
    }
    fwrite(text, 1, len, f.fp);
    free(text);
    if (cli_ofile_commit(&f, err)) {
        rmdir(dir); /* a directory without a manifest would block the next run */
        return GDN_EIO;
    }
    return GDN_OK;
}

/* A chunk file: its header (the sweep's hash, its index, a checksum of the
 * records), then the records. */
static int write_chunk(const char *out, const plan *pl, size_t j,
                       const gdn_sweep_rec *recs, size_t count,
                       gdn_error *err)
{
    char path[4300];
    unsigned char hdr[GDN_CHUNK_HEADER];
    gdn_ofile f;
    chunk_path(out, j, path, sizeof path);
    gdn_sweep_chunk_header(hdr, pl->hash, j, recs, count);
    if (cli_ofile_open(&f, path, err))
        return GDN_EIO;
    fwrite(hdr, 1, sizeof hdr, f.fp);
    fwrite(recs, sizeof *recs, count, f.fp);
    return cli_ofile_commit(&f, err) ? GDN_EIO : GDN_OK;
}

/* Reads chunk j and checks it: GDN_EINVAL naming the file when it is not
 * chunk j of this sweep, complete and unaltered. */
static int read_chunk(const char *out, const plan *pl, size_t j,
                      gdn_sweep_rec *recs, size_t count, gdn_error *err)
{
    char path[4300];
    unsigned char hdr[GDN_CHUNK_HEADER];
    chunk_path(out, j, path, sizeof path);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return gdn_error_set(err, GDN_EIO, "cannot read '%s': %s", path,
                             strerror(errno));
    size_t h = fread(hdr, 1, sizeof hdr, fp);
    size_t got = h == sizeof hdr ? fread(recs, sizeof *recs, count, fp) : 0;
    int extra = fgetc(fp) != EOF;
    fclose(fp);
    if (h != sizeof hdr || got != count || extra)
        return gdn_error_set(err, GDN_EINVAL,
                             "'%s' is not a complete chunk of this sweep "
                             "(remove it to recompute it)", path);
    gdn_error e;
    if (gdn_sweep_chunk_check(hdr, h, pl->hash, j, recs, count, path, &e))
        return gdn_error_set(err, GDN_EINVAL, "%s; remove it to recompute it",
                             e.msg);
    return GDN_OK;
}

/* Removes OUT.parts/ with everything a sweep writes there: the chunks, the
 * manifest, and temporary files a killed run left behind. */
static void remove_parts(const char *out)
{
    char dir[4200], path[4600];
    parts_path(out, dir, sizeof dir);
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (!strncmp(e->d_name, "chunk-", 6) ||
                !strcmp(e->d_name, "manifest.txt") ||
                !strncmp(e->d_name, ".gandyn-tmp-", 12)) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

/* ---------------------------------------------------------------- output */

static void put_le(FILE *fp, double v)
{
    uint64_t u;
    unsigned char b[8];
    memcpy(&u, &v, 8);
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    fwrite(b, 1, 8, fp);
}

/* The final table from the chunks of OUT, into fp.  An absent value (NaN,
 * or an overflow to +-inf) is an empty cell in the CSV and the one quiet
 * NaN in the .npy. */
static int assemble(FILE *fp, const char *out, int npy, const plan *pl,
                    gdn_sweep_rec *buf, gdn_error *err)
{
    char name[96];
    double vals[4096 + GDN_SWEEP_MAX_AXES];
    size_t na = naxis_cols(pl);
    if (npy) {
        gdn_npy_header(fp, pl->total, pl->ncols);
    } else {
        for (size_t c = 0; c < na; c++) {
            axis_col_name(pl, c, name, sizeof name);
            fprintf(fp, "%s%s", c ? "," : "", name);
        }
        for (size_t c = 0; c < GDN_SWEEP_NFIELDS; c++)
            fprintf(fp, "%s%s", na + c ? "," : "", gdn_sweep_field_name(c));
        fputc('\n', fp);
    }
    for (size_t j = 0; j < pl->nchunks; j++) {
        size_t lo = j * pl->chunk;
        size_t count = pl->total - lo < pl->chunk ? pl->total - lo : pl->chunk;
        if (read_chunk(out, pl, j, buf, count, err))
            return err->code;
        for (size_t i = 0; i < count; i++) {
            axis_values(pl, lo + i, vals);
            const double *rec = (const double *)&buf[i];
            for (size_t c = 0; c < pl->ncols; c++) {
                double v = c < na ? vals[c] : rec[c - na];
                if (npy)
                    put_le(fp, isfinite(v) ? v : NAN);
                else if (isfinite(v))
                    fprintf(fp, "%s%.17g", c ? "," : "", v);
                else if (c)
                    fputc(',', fp);
            }
            if (!npy)
                fputc('\n', fp);
        }
    }
    return GDN_OK;
}

/* The sidecar OUT.json, into fp. */
static void write_sidecar(FILE *fp, const char *out, const plan *pl,
                          double seconds)
{
    char name[96];
    gdn_json j;
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "gandyn"), gdn_json_str(&j, "sweep");
    gdn_json_key(&j, "data"), gdn_json_str(&j, out);
    gdn_json_key(&j, "model"), gdn_json_str(&j, pl->specs[0]);
    gdn_json_key(&j, "optimizer"), gdn_json_str(&j, pl->specs[1]);
    gdn_json_key(&j, "regularizers");
    gdn_json_begin(&j, '[');
    for (size_t k = 0; k < pl->nreg; k++)
        gdn_json_str(&j, pl->specs[2 + k]);
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "dim"), gdn_json_int(&j, (long)pl->sw.sys.n);
    if (gdn_run_opts_is_flow(&pl->sw.opts)) {
        gdn_json_key(&j, "t_end"), gdn_json_num(&j, pl->sw.opts.t_end);
        gdn_json_key(&j, "dt"), gdn_json_num(&j, pl->sw.opts.dt);
    } else {
        gdn_json_key(&j, "steps"), gdn_json_int(&j, pl->sw.opts.steps);
        gdn_json_key(&j, "every"), gdn_json_int(&j, pl->sw.opts.every);
    }
    gdn_json_key(&j, "eps"), gdn_json_num(&j, pl->sw.dopts.eps);
    gdn_json_key(&j, "points"), gdn_json_int(&j, (long)pl->total);
    gdn_json_key(&j, "shape");
    gdn_json_begin(&j, '[');
    if (pl->sw.points)
        gdn_json_int(&j, (long)pl->sw.npoints);
    for (size_t d = 0; d < pl->sw.naxes; d++)
        gdn_json_int(&j, pl->sw.axes[d].count);
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "axes");
    gdn_json_begin(&j, '[');
    for (size_t d = 0; d < pl->sw.naxes; d++) {
        const gdn_sweep_axis *a = &pl->sw.axes[d];
        gdn_json_begin(&j, '{');
        gdn_json_key(&j, "name"), gdn_json_str(&j, a->name);
        gdn_json_key(&j, "lo"), gdn_json_num(&j, a->lo);
        gdn_json_key(&j, "hi"), gdn_json_num(&j, a->hi);
        gdn_json_key(&j, "count"), gdn_json_int(&j, a->count);
        gdn_json_key(&j, "log"), gdn_json_bool(&j, a->logscale);
        gdn_json_end(&j, '}');
    }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "columns");
    gdn_json_begin(&j, '[');
    for (size_t c = 0; c < naxis_cols(pl); c++) {
        axis_col_name(pl, c, name, sizeof name);
        gdn_json_str(&j, name);
    }
    for (size_t c = 0; c < GDN_SWEEP_NFIELDS; c++)
        gdn_json_str(&j, gdn_sweep_field_name(c));
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "fields");
    gdn_json_begin(&j, '{');
    for (size_t c = 0; c < GDN_SWEEP_NFIELDS; c++) {
        gdn_json_key(&j, gdn_sweep_field_name(c));
        gdn_json_str(&j, gdn_sweep_field_about(c));
    }
    gdn_json_end(&j, '}');
    gdn_json_key(&j, "absent");
    gdn_json_str(&j, "empty cell in .csv, NaN in .npy: a t_eps never "
                     "reached, the t_stop of a run that did not stop, a "
                     "value beyond the double range");
    gdn_json_key(&j, "batched"), gdn_json_bool(&j, gdn_sweep_batched(&pl->sw));
    gdn_json_key(&j, "seconds"), gdn_json_num(&j, seconds);
    gdn_json_end(&j, '}');
    fputc('\n', fp);
}

/* A new output set *os of OUT, its sidecar and the figure (if any). */
static int stage_outputs(gdn_outset **os, const char *out, const char *side,
                         const char *plot, int *k_out, int *k_side,
                         int *k_plot, gdn_error *err)
{
    /* no memory: exit 2, as in every command */
    if (!(*os = gdn_outset_new(cli_io_hooks())))
        return gdn_error_set(err, GDN_EIO, "cannot write the outputs: %s",
                             strerror(ENOMEM));
    if ((*k_out = gdn_outset_add(*os, out, "--out", err)) < 0 ||
        (*k_side = gdn_outset_add(*os, side, "the sidecar of --out", err)) < 0 ||
        (plot && (*k_plot = gdn_outset_add(*os, plot, "--plot", err)) < 0))
        return err->code;
    return GDN_OK;
}

/* A line (one axis) or a map (two) of one field (gdn_plot_sweep). */
static int plot_sweep(const char *path, const plan *pl, size_t field,
                      const gdn_sweep_plot *po, gdn_sweep_rec *buf,
                      const char *out, gdn_error *err)
{
    double *v = malloc(pl->total * sizeof *v);
    double *lab = malloc(pl->total * sizeof *lab);
    if (!v || !lab) {
        free(v), free(lab);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < pl->nchunks; j++) { /* the field, from the chunks */
        size_t lo = j * pl->chunk;
        size_t count = pl->total - lo < pl->chunk ? pl->total - lo : pl->chunk;
        if (read_chunk(out, pl, j, buf, count, err)) {
            free(v), free(lab);
            return err->code;
        }
        for (size_t i = 0; i < count; i++) {
            v[lo + i] = ((const double *)&buf[i])[field];
            lab[lo + i] = buf[i].label;
        }
    }
    int rc = gdn_plot_sweep(&pl->sw, v, lab, field, po, path, err);
    free(v), free(lab);
    return rc;
}

/* ------------------------------------------------------------------ main */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* "name:key=value,..." with every parameter as resolved (shortest text
 * that reads back as the same double; names for choices); malloc'd. */
static char *resolved(const char *name, const gdn_param *params,
                      const double *par)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return NULL;
    fputs(name, fp);
    for (size_t k = 0; params && params[k].key; k++) {
        char v[40];
        gdn_format_double(par[k], v, sizeof v);
        if (isnan(par[k]))
            snprintf(v, sizeof v, "inherit"); /* lr_d, lr_g: = lr */
        else if (params[k].flags & GDN_PARAM_ENUM) {
            const char *c = params[k].choices;
            for (long i = 0; c && i < (long)par[k] && strchr(c, '|'); i++)
                c = strchr(c, '|') + 1;
            size_t cl = c ? strcspn(c, "|") : 0;
            snprintf(v, sizeof v, "%.*s", (int)(cl < 32 ? cl : 32), c ? c : "");
        }
        fprintf(fp, "%c%s=%s", k ? ',' : ':', params[k].key, v);
    }
    if (fclose(fp) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Adds KEY with the doubles v[0..count) joined by sep. */
static int add_doubles(gdn_manifest *m, const char *key, const double *v,
                       size_t count, gdn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    if (!fp)
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) {
        char b[40];
        gdn_format_double(v[i], b, sizeof b);
        fprintf(fp, "%s%s", i ? "," : "", b);
    }
    if (fclose(fp) != 0) {
        free(text);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    int rc = gdn_manifest_add(m, err, key, "%s", text);
    free(text);
    return rc;
}

/* The manifest: everything that determines the records, as resolved, one
 * entry per option (named as the option, for messages), in a fixed order.
 * Options that do not change a record (--threads, --batch, --out, --plot,
 * --quiet) are not in it. */
static int build_manifest(plan *pl, const uint64_t *file_hash,
                          size_t file_size, long random_n, long seed,
                          double box_lo, double box_hi, gdn_error *err)
{
    gdn_manifest *m = &pl->man;
    const gdn_sweep *sw = &pl->sw;
    char a[40], b[40], c[40];
    int rc = 0;
    /* the record format: the fields' names */
    {
        char *names = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&names, &len);
        if (!fp)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        for (size_t k = 0; k < GDN_SWEEP_NFIELDS; k++)
            fprintf(fp, "%s%s", k ? "," : "", gdn_sweep_field_name(k));
        if (fclose(fp) != 0) {
            free(names);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        rc = gdn_manifest_add(m, err, "records", "%016llx %s",
                              (unsigned long long)gdn_sweep_record_format(),
                              names);
        free(names);
        if (rc)
            return rc;
    }
    char *t = resolved(sw->sys.model.type->name, sw->sys.model.type->params,
                       sw->sys.model.par);
    rc = t ? gdn_manifest_add(m, err, "--model", "%s", t)
           : gdn_error_set(err, GDN_ENOMEM, "out of memory");
    free(t);
    if (rc)
        return rc;
    {
        char *regs = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&regs, &len);
        if (!fp)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        if (sw->sys.nreg == 0)
            fputs("none", fp);
        for (size_t k = 0; k < sw->sys.nreg; k++) {
            char *r = resolved(sw->sys.reg[k].type->name,
                               sw->sys.reg[k].type->params, sw->sys.reg[k].par);
            fprintf(fp, "%s%s", k ? " --reg " : "", r ? r : "?");
            free(r);
        }
        if (fclose(fp) != 0) {
            free(regs);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        rc = gdn_manifest_add(m, err, "--reg", "%s", regs);
        free(regs);
        if (rc)
            return rc;
    }
    t = resolved(sw->opts.opt->name, sw->opts.opt->params, sw->opts.par);
    rc = t ? gdn_manifest_add(m, err, "--opt", "%s", t)
           : gdn_error_set(err, GDN_ENOMEM, "out of memory");
    free(t);
    if (rc)
        return rc;
    gdn_format_double(sw->opts.blowup, a, sizeof a);
    if ((rc = gdn_manifest_add(m, err, "blowup", "%s", a)) ||
        (rc = gdn_manifest_add(m, err, "averages", "%zu ema, uniform %d",
                               sw->opts.nema, sw->opts.uniform)) ||
        (rc = gdn_manifest_add(m, err, "--dim", "%zu", sw->sys.n)))
        return rc;
    if (gdn_run_opts_is_flow(&sw->opts)) {
        gdn_format_double(sw->opts.t_end, a, sizeof a);
        gdn_format_double(sw->opts.dt, b, sizeof b);
        if ((rc = gdn_manifest_add(m, err, "--t-end", "%s", a)) ||
            (rc = gdn_manifest_add(m, err, "--dt", "%s", b)))
            return rc;
    } else if ((rc = gdn_manifest_add(m, err, "--steps", "%" PRId64,
                                      sw->opts.steps)) ||
               (rc = gdn_manifest_add(m, err, "--every", "%" PRId64,
                                      sw->opts.every)))
        return rc;
    gdn_format_double(sw->dopts.eps, a, sizeof a);
    if ((rc = gdn_manifest_add(m, err, "--eps", "%s", a)))
        return rc;
    {
        char d1[40], d2[40], d3[40];
        gdn_format_double(sw->dopts.tail, d1, sizeof d1);
        gdn_format_double(sw->dopts.rel, d2, sizeof d2);
        gdn_format_double(sw->dopts.rel_circle, d3, sizeof d3);
        if ((rc = gdn_manifest_add(m, err, "diagnosis",
                                   "tail=%s,rel=%s,rel_circle=%s", d1, d2,
                                   d3)))
            return rc;
    }
    if (!sw->points &&
        (rc = add_doubles(m, "--init", sw->x0, 2 * sw->sys.n, err)))
        return rc;
    {
        char *grid = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&grid, &len);
        if (!fp)
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        if (sw->naxes == 0)
            fputs("none", fp);
        for (size_t d = 0; d < sw->naxes; d++) {
            const gdn_sweep_axis *x = &sw->axes[d];
            gdn_format_double(x->lo, a, sizeof a);
            gdn_format_double(x->hi, b, sizeof b);
            fprintf(fp, "%s%s=%s%s:%s:%ld%s", d ? " --grid " : "", x->name,
                    x->logscale ? "log:" : "", a, b, x->count,
                    x->integer ? " (whole numbers)" : "");
        }
        if (fclose(fp) != 0) {
            free(grid);
            return gdn_error_set(err, GDN_ENOMEM, "out of memory");
        }
        rc = gdn_manifest_add(m, err, "--grid", "%s", grid);
        free(grid);
        if (rc)
            return rc;
    }
    if (file_hash &&
        (rc = gdn_manifest_add(m, err, "init-file",
                               "fnv1a %016llx, %zu bytes, %zu starts",
                               (unsigned long long)*file_hash, file_size,
                               sw->npoints)))
        return rc;
    if (random_n > 0) {
        gdn_format_double(box_lo, a, sizeof a);
        gdn_format_double(box_hi, c, sizeof c);
        if ((rc = gdn_manifest_add(m, err, "--random", "%ld", random_n)) ||
            (rc = gdn_manifest_add(m, err, "--seed", "%ld", seed)) ||
            (rc = gdn_manifest_add(m, err, "--box", "%s:%s", a, c)))
            return rc;
    }
    if ((rc = gdn_manifest_add(m, err, "--chunk", "%zu", pl->chunk)) ||
        (rc = gdn_manifest_add(m, err, "points", "%zu", pl->total)))
        return rc;
    pl->hash = gdn_manifest_hash(m);
    return GDN_OK;
}

static int sweep_main(int argc, char **argv, int rank, int nranks)
{
    const char *model = "nsgan", *opt = "flow", *init = NULL, *out = NULL;
    gdn_sweep_plot plot_opts = {NULL, 0, 0};
    gdn_outset *os = NULL; /* OUT, its sidecar, the figure (rank 0) */
    const char *plot = NULL, *plot_value = "label", *initfile = NULL;
    const char *grids[GDN_SWEEP_MAX_AXES], *regs[GDN_MAX_REGS], *box = NULL;
    size_t ngrid = 0, nreg = 0;
    long dim = 2, random_n = 0, seed = 1, threads = 0, batch = 0;
    long chunk = 65536, steps = 1000, every = 10;
    double t_end = 100, dt = 0.1, eps = 1e-6, box_lo = -1, box_hi = 1;
    uint64_t file_hash = 0;
    size_t file_size = 0;
    int resume = 0, quiet = 0, given_flowopt = 0, given_discopt = 0;
    int id, rc;
    const char *val;
    gdn_error err;
    static plan pl; /* large: not on the stack */
    memset(&pl, 0, sizeof pl);
    cli_parser p;
    cli_init(&p, argc, argv, "sweep");
    while ((rc = cli_next(&p, options, &id, &val)) == 1) {
        switch (id) {
        case O_HELP: fputs(usage_text, stdout); return GDN_EXIT_OK;
        case O_MODEL: model = val; break;
        case O_OPT: opt = val; break;
        case O_INIT: init = val; break;
        case O_OUT: out = val; break;
        case O_PLOT: plot = val; break;
        case O_PLOTVALUE: plot_value = val; break;
        case O_PLOTTITLE: plot_opts.title = val; break;
        case O_PLOTBOUNDARY: plot_opts.boundary = 1; break;
        case O_INITFILE: initfile = val; break;
        case O_BOX: box = val; break;
        case O_RESUME: resume = 1; break;
        case O_QUIET: quiet = 1; break;
        case O_REG:
            if (nreg >= GDN_MAX_REGS) {
                cli_error("sweep: at most %d --reg", GDN_MAX_REGS);
                return GDN_EXIT_USAGE;
            }
            regs[nreg++] = val;
            break;
        case O_GRID:
            if (ngrid >= GDN_SWEEP_MAX_AXES) {
                cli_error("sweep: --grid '%s': at most %d axes", val,
                          GDN_SWEEP_MAX_AXES);
                return GDN_EXIT_USAGE;
            }
            grids[ngrid++] = val;
            break;
        case O_DIM:
            if (gdn_parse_long(val, "--dim", 1, 2048, &dim, &err))
                goto bad;
            break;
        case O_RANDOM:
            if (gdn_parse_long(val, "--random", 1, 1000000000L, &random_n, &err))
                goto bad;
            break;
        case O_SEED:
            if (gdn_parse_long(val, "--seed", 0, 2147483647L, &seed, &err))
                goto bad;
            break;
        case O_THREADS:
            if (gdn_parse_long(val, "--threads", 1, 4096, &threads, &err))
                goto bad;
            break;
        case O_BATCH:
            if (gdn_parse_long(val, "--batch", 1, 1 << 20, &batch, &err))
                goto bad;
            break;
        case O_CHUNK:
            if (gdn_parse_long(val, "--chunk", 1, 1L << 30, &chunk, &err))
                goto bad;
            break;
        case O_STEPS:
            if (gdn_parse_long(val, "--steps", 0, 1000000000000L, &steps, &err))
                goto bad;
            given_discopt = 1;
            break;
        case O_EVERY:
            if (gdn_parse_long(val, "--every", 1, 1000000000000L, &every, &err))
                goto bad;
            given_discopt = 1;
            break;
        case O_TEND:
        case O_DT:
        case O_EPS: {
            double d;
            const char *what = id == O_TEND ? "--t-end" : id == O_DT ? "--dt"
                                                                     : "--eps";
            if (gdn_parse_double(val, what, &d, &err))
                goto bad;
            if (!(d > 0)) {
                cli_error("%s: %s is out of range (accepted: > 0)", what, val);
                return GDN_EXIT_USAGE;
            }
            if (id == O_TEND)
                t_end = d, given_flowopt = 1;
            else if (id == O_DT)
                dt = d, given_flowopt = 1;
            else
                eps = d;
            break;
        }
        }
    }
    if (rc < 0)
        return GDN_EXIT_USAGE;
    if (!out) {
        cli_error("sweep: give --out FILE (.npy or .csv)");
        return GDN_EXIT_USAGE;
    }
    int fmt;
    if (gdn_format_of_path(out, &fmt, &err))
        goto bad;
    if (fmt == GDN_FMT_JSON) {
        cli_error("sweep: '%s': a sweep is written as .npy or .csv", out);
        return GDN_EXIT_USAGE;
    }
    if ((initfile != NULL) + (random_n > 0) > 1) {
        cli_error("sweep: give --init-file or --random, not both");
        return GDN_EXIT_USAGE;
    }
    if (ngrid == 0 && !initfile && random_n == 0) {
        cli_error("sweep: no points: give --grid, --init-file or --random");
        return GDN_EXIT_USAGE;
    }
    if ((box || seed != 1) && random_n == 0) {
        cli_error("sweep: --%s goes with --random", box ? "box" : "seed");
        return GDN_EXIT_USAGE;
    }
    /* the system and dynamics */
    if (gdn_system_from_specs(&pl.sw.sys, (size_t)dim, model, regs, nreg,
                              NULL, NULL, &err))
        goto bad;
    gdn_run_opts_init(&pl.sw.opts, gdn_opt_find("flow"));
    if (gdn_spec_opt(opt, &pl.sw.opts, NULL, &err))
        goto bad;
    int flow = gdn_run_opts_is_flow(&pl.sw.opts);
    if (flow && given_discopt) {
        cli_error("--steps and --every apply to discrete optimizers; the flow "
                  "takes --t-end and --dt");
        return GDN_EXIT_USAGE;
    }
    if (!flow && given_flowopt) {
        cli_error("--t-end and --dt apply to the flow; '%s' takes --steps "
                  "and --every", pl.sw.opts.opt->name);
        return GDN_EXIT_USAGE;
    }
    pl.sw.opts.t_end = t_end, pl.sw.opts.dt = dt;
    pl.sw.opts.steps = steps, pl.sw.opts.every = every;
    if (gdn_run_opts_check(&pl.sw.opts, &err))
        goto bad;
    gdn_diag_opts_init(&pl.sw.dopts);
    pl.sw.dopts.eps = eps;
    size_t n = (size_t)dim, m = 2 * n;
    pl.x0 = malloc(m * sizeof *pl.x0);
    if (!pl.x0)
        return GDN_EXIT_FAIL;
    for (size_t i = 0; i < n; i++) /* simulate's default start */
        pl.x0[i] = i % 2 == 0 ? 0.1 : 0.2, pl.x0[n + i] = i % 2 == 0 ? 0.2 : 0.1;
    if (init && gdn_parse_state(init, "--init", n, pl.x0, &err))
        goto bad_free;
    pl.sw.x0 = pl.x0;
    if (initfile) {
        if (gdn_sweep_starts_read(initfile, m, &pl.points, &pl.sw.npoints,
                                  &file_hash, &file_size, &err))
            goto bad_free;
        pl.sw.points = pl.points;
    } else if (random_n > 0) {
        double lo = -1, hi = 1;
        if (box) {
            char b[128];
            snprintf(b, sizeof b, "%s", box);
            char *c = strchr(b, ':');
            if (!c) {
                cli_error("--box '%s': expected LO:HI", box);
                goto usage_free;
            }
            *c = '\0';
            if (gdn_parse_double(b, "--box LO", &lo, &err) ||
                gdn_parse_double(c + 1, "--box HI", &hi, &err))
                goto bad_free;
            if (!(hi > lo)) {
                cli_error("--box '%s': empty (HI must exceed LO)", box);
                goto usage_free;
            }
        }
        if ((size_t)random_n > SIZE_MAX / m / sizeof(double) ||
            !(pl.points = malloc((size_t)random_n * m * sizeof(double)))) {
            cli_error("--random %ld: too many points for memory", random_n);
            goto usage_free;
        }
        uint64_t s = (uint64_t)seed;
        for (size_t k = 0; k < (size_t)random_n * m; k++)
            pl.points[k] = lo + (hi - lo) * ((double)(splitmix(&s) >> 11) *
                                             0x1p-53);
        pl.sw.points = pl.points, pl.sw.npoints = (size_t)random_n;
        box_lo = lo, box_hi = hi;
    }
    for (size_t d = 0; d < ngrid; d++) {
        if (gdn_sweep_axis_parse(grids[d], &pl.sw, &pl.sw.axes[d], &err)) {
            cli_error("--grid %s", err.msg);
            goto usage_free;
        }
        for (size_t e = 0; e < d; e++)
            if (!strcmp(pl.sw.axes[e].name, pl.sw.axes[d].name)) {
                cli_error("--grid: '%s' given twice", pl.sw.axes[d].name);
                goto usage_free;
            }
        if (pl.sw.points && pl.sw.axes[d].target == GDN_AXIS_COORD) {
            cli_error("--grid %s: the starts come from a list; a coordinate "
                      "axis would overwrite them", grids[d]);
            goto usage_free;
        }
        pl.sw.naxes = d + 1;
    }
    pl.total = gdn_sweep_count(&pl.sw);
    if (pl.total == 0 || pl.total > 4000000000ULL) {
        cli_error("sweep: the grid has too many points (at most 4e9)");
        goto usage_free;
    }
    size_t field = 0;
    for (; field < GDN_SWEEP_NFIELDS; field++)
        if (!strcmp(gdn_sweep_field_name(field), plot_value))
            break;
    if (field == GDN_SWEEP_NFIELDS) {
        cli_error("--plot-value: unknown field '%s' (accepted: label, "
                  "theta_norm, phi_norm, gram, distance, t_eps, t_stop, rate, rate_kind, t_eps_measured)",
                  plot_value);
        goto usage_free;
    }
    int pfmt;
    if (plot && gdn_figure_format(plot, &pfmt, &err))
        goto bad_free;
    if (plot_opts.boundary &&
        (!plot || pl.sw.naxes != 2 ||
         pl.sw.axes[0].target == GDN_AXIS_COORD ||
         pl.sw.axes[1].target == GDN_AXIS_COORD)) {
        cli_error("--plot-boundary: needs --plot and two --grid axes that "
                  "are parameters (not coordinates of the start)");
        return GDN_EXIT_USAGE;
    }
    if ((plot_opts.title || plot_opts.boundary) && !plot) {
        cli_error("--plot-title: needs --plot FILE");
        return GDN_EXIT_USAGE;
    }
    if (plot && (pfmt == GDN_FIG_GIF || pl.sw.points || pl.sw.naxes > 2)) {
        cli_error("--plot %s: draws one or two grid axes as .png, .svg or "
                  ".pdf", plot);
        goto usage_free;
    }
    /* one chunk holds at most the whole sweep */
    pl.chunk = (size_t)chunk < pl.total ? (size_t)chunk : pl.total;
    pl.nchunks = (pl.total + pl.chunk - 1) / pl.chunk;
    pl.ncols = naxis_cols(&pl) + GDN_SWEEP_NFIELDS;
    pl.specs[0] = model, pl.specs[1] = opt, pl.nreg = nreg;
    for (size_t k = 0; k < nreg; k++)
        pl.specs[2 + k] = regs[k];
    /* what a resumed sweep must match: everything that changes a record */
    if (build_manifest(&pl, initfile ? &file_hash : NULL, file_size,
                       random_n, seed, box_lo, box_hi, &err))
        goto bad_free;
    /* OUT, its sidecar and the figure: one output set, committed together
     * at the end or none of them.  It is tried once now, before OUT.parts/
     * exists, so that a refused run leaves nothing (and two options naming
     * one file are refused up front), then made again for the commit (a
     * staging directory held through a long sweep would outlive a kill -9) */
    int k_out = -1, k_side = -1, k_plot = -1;
    char side[4200];
    snprintf(side, sizeof side, "%s.json", out);
    if (rank == 0 &&
        stage_outputs(&os, out, side, plot, &k_out, &k_side, &k_plot, &err))
        goto bad_free;
    gdn_outset_free(os);
    os = NULL;
    gdn_sweep_rec *buf = malloc(pl.chunk * sizeof *buf);
    if (!buf) {
        cli_error("sweep: --chunk %ld is too large for memory", chunk);
        goto usage_free;
    }
    int mrc = rank == 0 ? manifest(out, &pl, resume, &err) : GDN_OK;
#ifdef GANDYN_MPI
    if (nranks > 1) /* every rank learns whether the directory is ready */
        MPI_Bcast(&mrc, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
    if (mrc) {
        if (rank == 0)
            cli_error("%s", err.msg);
        free(buf);
        goto usage_free;
    }
    int tty = isatty(2) && !quiet;
    double t0 = now_s(), shown = t0;
    size_t done = 0, skipped = 0;
    int failed = 0;
    /* resuming: every chunk already there must be this sweep's, whole and
     * unaltered, before anything runs (an altered chunk is refused, naming
     * it, rather than silently recomputed: something else wrote there) */
    for (size_t j = 0; resume && j < pl.nchunks && !failed; j++) {
        size_t lo = j * pl.chunk;
        size_t count = pl.total - lo < pl.chunk ? pl.total - lo : pl.chunk;
        char path[4300];
        chunk_path(out, j, path, sizeof path);
        if (j % (size_t)nranks == (size_t)rank && file_exists(path) &&
            read_chunk(out, &pl, j, buf, count, &err))
            failed = err.code;
    }
    /* with a progress bar, a chunk runs in blocks of about 0.3 s, from one
     * point per thread up (the records do not depend on how the points are
     * split) */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t minblock = (size_t)(threads > 0 ? threads : ncpu > 0 ? ncpu : 1);
    size_t block = minblock;
    for (size_t j = 0; j < pl.nchunks && !failed; j++) {
        size_t lo = j * pl.chunk;
        size_t count = pl.total - lo < pl.chunk ? pl.total - lo : pl.chunk;
        char path[4300];
        if (j % (size_t)nranks != (size_t)rank)
            continue; /* another rank's chunk */
        chunk_path(out, j, path, sizeof path);
        if (resume && file_exists(path)) {
            skipped += count;
            continue;
        }
        for (size_t off = 0; off < count && !failed;) {
            size_t b = tty ? (block < count - off ? block : count - off)
                           : count;
            double tb = now_s();
            if (gdn_sweep_run(&pl.sw, lo + off, b, (int)threads,
                              (size_t)batch, buf + off, &err)) {
                failed = err.code ? err.code : GDN_EIO;
                break;
            }
            off += b;
            if (!tty)
                continue;
            double tn = now_s(), want = 0.3 * (double)b / fmax(tn - tb, 1e-6);
            block = want < (double)minblock ? minblock
                    : want > 8.0 * (double)b ? 8 * b
                                             : (size_t)want;
            if (tn - shown >= 0.2 || off == count) {
                size_t now = done + off;
                double rate = (double)now / fmax(tn - t0, 1e-9);
                double left = (double)(pl.total - now - skipped) / rate;
                int pct = (int)(100.0 * (double)(now + skipped) /
                                (double)pl.total);
                fprintf(stderr, "\rgandyn sweep: %3d%% %zu/%zu  %.3g traj/s  "
                        "ETA %.0f s   ", pct, now + skipped, pl.total, rate,
                        left);
                shown = tn;
            }
        }
        if (failed)
            break;
        if (write_chunk(out, &pl, j, buf, count, &err)) {
            failed = err.code ? err.code : GDN_EIO;
            break;
        }
        done += count;
    }
    if (tty)
        fputs("\r\033[K", stderr);
#ifdef GANDYN_MPI
    if (nranks > 1) { /* all chunks written, by every rank, before assembly */
        int any = failed;
        MPI_Allreduce(&failed, &any, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
        failed = any;
        long d = (long)done, all = 0;
        MPI_Reduce(&d, &all, 1, MPI_LONG, MPI_SUM, 0, MPI_COMM_WORLD);
        done = (size_t)all;
    }
#endif
    if (failed) {
        free(buf);
        if (rank == 0 && err.code == GDN_OK)
            gdn_error_set(&err, failed, "sweep: another rank failed");
        goto fail;
    }
    if (rank != 0) { /* rank 0 assembles */
        free(buf);
        free(pl.x0), free(pl.points), gdn_manifest_free(&pl.man);
        return GDN_EXIT_OK;
    }
    double seconds = now_s() - t0;
    {
        FILE *fo = NULL, *fs = NULL;
        int orc = stage_outputs(&os, out, side, plot, &k_out, &k_side,
                                &k_plot, &err);
        if (!orc && !(fo = gdn_outset_fp(os, k_out, &err)))
            orc = err.code;
        if (!orc)
            orc = assemble(fo, out, fmt == GDN_FMT_NPY, &pl, buf, &err);
        if (!orc && !(fs = gdn_outset_fp(os, k_side, &err)))
            orc = err.code;
        if (!orc)
            write_sidecar(fs, out, &pl, seconds);
        if (!orc && plot &&
            (orc = plot_sweep(gdn_outset_path(os, k_plot), &pl, field,
                              &plot_opts, buf, out, &err))) {
            /* the message names the figure, not its staged name */
            cli_error_as(err.msg, gdn_outset_path(os, k_plot), plot);
            free(buf);
            goto fail_reported;
        }
        if (!orc)
            orc = gdn_outset_commit(os, &err);
        if (orc) {
            free(buf);
            goto fail;
        }
        gdn_outset_free(os);
        os = NULL;
    }
    if (!quiet) { /* counts of each label */
        size_t counts[7] = {0};
        for (size_t j = 0; j < pl.nchunks; j++) {
            size_t lo = j * pl.chunk;
            size_t count = pl.total - lo < pl.chunk ? pl.total - lo : pl.chunk;
            if (read_chunk(out, &pl, j, buf, count, &err))
                break;
            for (size_t i = 0; i < count; i++) {
                int l = (int)buf[i].label;
                counts[l >= 0 && l < 7 ? l : 5]++;
            }
        }
        printf("gandyn sweep: %zu trajectories of %s under %s in %.3g s "
               "(%.3g per second%s",
               pl.total, model, opt, seconds,
               (double)done / fmax(seconds, 1e-9),
               gdn_sweep_batched(&pl.sw) ? ", batched kernels" : "");
        if (nranks > 1)
            printf(", %d MPI ranks", nranks);
        printf(")\n");
        printf("  converges %zu, circle %zu, oscillates %zu, diverges %zu, "
               "undefined %zu, undecided %zu, stalls %zu\n",
               counts[0], counts[1], counts[2], counts[3], counts[4],
               counts[5], counts[6]);
        printf("  wrote %s and %s.json%s%s\n", out, out, plot ? " and " : "",
               plot ? plot : "");
    }
    free(buf);
    remove_parts(out);
    free(pl.x0), free(pl.points), gdn_manifest_free(&pl.man);
    return GDN_EXIT_OK;
fail: /* the chunks stay for --resume */
    cli_error("%s", err.msg);
fail_reported:
    gdn_outset_free(os); /* removes everything staged */
    free(pl.x0), free(pl.points), gdn_manifest_free(&pl.man);
    return err.code == GDN_ENOMEM ? GDN_EXIT_FAIL : GDN_EXIT_USAGE;
bad_free:
    cli_error("%s", err.msg);
usage_free:
    gdn_outset_free(os);
    free(pl.x0), free(pl.points), gdn_manifest_free(&pl.man);
    return GDN_EXIT_USAGE;
bad:
    cli_error("%s", err.msg);
    return GDN_EXIT_USAGE;
}

/* Whether this process was started by an MPI launcher. */
static int under_mpi(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") ||
           getenv("PMIX_RANK");
}

int cmd_sweep(int argc, char **argv)
{
    int rank = 0, nranks = 1;
#ifdef GANDYN_MPI
    int mpi = under_mpi();
    if (mpi) {
        MPI_Init(NULL, NULL);
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &nranks);
        if (rank != 0) { /* one voice: rank 0 reports, as one process would */
            if (!freopen("/dev/null", "w", stdout) ||
                !freopen("/dev/null", "w", stderr))
                return GDN_EXIT_FAIL;
        }
    }
    int rc = sweep_main(argc, argv, rank, nranks);
    if (mpi) {
        int worst = rc;
        MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
        MPI_Finalize();
        rc = worst;
    }
    return rc;
#else
    (void)under_mpi;
    return sweep_main(argc, argv, rank, nranks);
#endif
}
