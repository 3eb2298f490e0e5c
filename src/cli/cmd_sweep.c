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
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <pthread.h>

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
    "  --batch B         trajectories stepped together (default clamp(16384/n,\n"
    "                    16, 256); dopri5 clamp(2048/n, 16, 128)); every sweep\n"
    "                    whose axes set only starts and lr, lr_d, lr_g runs in\n"
    "                    batches, the others point by point\n"
    "  --chunk N         points per chunk file (default 65536); memory grows\n"
    "                    with it, not with the number of points\n"
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

/* ------------------------------------------------------------- the plan */

typedef struct plan {
    gdn_sweep sw;
    double *x0;
    /* the starts of a list, one chunk's at a time: made from the seed
     * (--random) or read in order from --init-file (rows held0..held1 - 1
     * in win, the reader past row held1) */
    const char *initfile;
    long random_n;
    uint64_t seed, file_hash;
    size_t file_size;
    double box_lo, box_hi;
    double *win;          /* winrows starts */
    size_t winrows, held0, held1;
    gdn_starts_reader *rd;
    const char *specs[3 + GDN_MAX_REGS]; /* model, opt, regs: the manifest */
    size_t nreg;
    gdn_sweep_plan ch;   /* the chunks */
    size_t ncols;        /* axis columns + record fields */
    gdn_manifest man;    /* what a resumed sweep must match */
    uint64_t hash;       /* its hash: the chunks carry it */
} plan;

/* Column c of point k: the axis values (or the start), then the record
 * (gdn_sweep_axis_columns and its kin). */
static size_t naxis_cols(const plan *pl)
{
    return gdn_sweep_axis_columns(&pl->sw);
}

/* ------------------------------------------------------------- starts */

/* Starts over from the first start (a new pass over the points). */
static int starts_rewind(plan *pl, gdn_error *err)
{
    pl->held0 = pl->held1 = 0;
    pl->sw.points_first = pl->sw.npoints, pl->sw.points_held = 0; /* none */
    if (!pl->initfile)
        return GDN_OK;
    gdn_starts_close(pl->rd);
    pl->rd = gdn_starts_open(pl->initfile, 2 * pl->sw.sys.n, err);
    return pl->rd ? GDN_OK : err->code;
}

/* Holds the starts of points [first, first + count) in pl->win, the points
 * of one chunk: a pass visits its chunks in order, so a file is read on
 * (what two chunks share is kept). */
static int starts_hold(plan *pl, size_t first, size_t count, gdn_error *err)
{
    size_t r0, r1, m = 2 * pl->sw.sys.n;
    if (!pl->sw.points)
        return GDN_OK;
    gdn_sweep_point_rows(&pl->sw, first, count, &r0, &r1);
    if (pl->random_n > 0) {
        gdn_sweep_random_starts_at(pl->seed, pl->box_lo, pl->box_hi, r0,
                                   r1 - r0, m, pl->win);
    } else {
        size_t have = 0;
        if (r0 < pl->held0 || r1 < pl->held1)
            return gdn_error_set(err, GDN_EINVAL, "sweep: starts out of order");
        if (r0 < pl->held1) { /* rows r0..held1 - 1 are held: keep them */
            have = pl->held1 - r0;
            memmove(pl->win, pl->win + (r0 - pl->held0) * m,
                    have * m * sizeof *pl->win);
        } else if (gdn_starts_next(pl->rd, r0 - pl->held1, NULL, err)) {
            return err->code;
        }
        if (gdn_starts_next(pl->rd, r1 - r0 - have, pl->win + have * m, err))
            return err->code;
    }
    pl->held0 = r0, pl->held1 = r1;
    pl->sw.points = pl->win;
    pl->sw.points_first = r0, pl->sw.points_held = r1 - r0;
    return GDN_OK;
}

/* At the end of a pass: the file is still the one the manifest names (the
 * records and the table must come from one list). */
static int starts_check(plan *pl, gdn_error *err)
{
    uint64_t h;
    size_t size;
    if (!pl->initfile)
        return GDN_OK;
    if (gdn_starts_finish(pl->rd, &h, &size, err))
        return err->code;
    if (h != pl->file_hash || size != pl->file_size)
        return gdn_error_set(err, GDN_EINVAL,
                             "sweep: '%s' changed during the sweep (run it "
                             "again with --resume to recompute from the new "
                             "file, or restore it)", pl->initfile);
    return GDN_OK;
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
                !strcmp(e->d_name, "table.part") ||
                !strncmp(e->d_name, ".gandyn-tmp-", 12)) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(d);
    }
    rmdir(dir);
}

/* ---------------------------------------------------------------- output */

/* The table goes out in blocks: rows are formatted into a buffer that is
 * written whole when full (no call into stdio per value). */
typedef struct outbuf {
    FILE *fp;
    char b[1 << 16];
    size_t len;
} outbuf;

static void out_flush(outbuf *o)
{
    fwrite(o->b, 1, o->len, o->fp);
    o->len = 0;
}

/* Room for n more bytes. */
static char *out_room(outbuf *o, size_t n)
{
    if (o->len + n > sizeof o->b)
        out_flush(o);
    return o->b + o->len;
}

static void put_le(outbuf *o, double v)
{
    uint64_t u;
    unsigned char *b = (unsigned char *)out_room(o, 8);
    memcpy(&u, &v, 8);
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    o->len += 8;
}

static void put_csv(outbuf *o, int comma, double v, int finite)
{
    char *b = out_room(o, 32); /* ",", then %.17g: at most 24 */
    size_t k = 0;
    if (comma)
        b[k++] = ',';
    if (finite)
        k += (size_t)snprintf(b + k, 31, "%.17g", v);
    o->len += k;
}

/* The table's header: the .npy header, or the CSV's column names. */
static void table_header(FILE *fp, int npy, const plan *pl)
{
    char name[96];
    size_t na = naxis_cols(pl);
    if (npy) {
        gdn_npy_header(fp, pl->ch.total, pl->ncols);
        return;
    }
    for (size_t c = 0; c < na; c++) {
        gdn_sweep_column_name(&pl->sw, c, name, sizeof name);
        fprintf(fp, "%s%s", c ? "," : "", name);
    }
    for (size_t c = 0; c < GDN_SWEEP_NFIELDS; c++)
        fprintf(fp, "%s%s", na + c ? "," : "", gdn_sweep_field_name(c));
    fputc('\n', fp);
}

/* The rows of points lo .. lo + count - 1 (their records recs, their starts
 * held by sw) into o, and the counts of each label.  An absent value (NaN,
 * or an overflow to +-inf) is an empty cell in the CSV and the one quiet
 * NaN in the .npy. */
static void table_rows(outbuf *o, int npy, const plan *pl,
                       const gdn_sweep *sw, size_t lo, size_t count,
                       const gdn_sweep_rec *recs, size_t counts[7])
{
    double vals[4096 + GDN_SWEEP_MAX_AXES];
    size_t na = naxis_cols(pl);
    for (size_t i = 0; i < count; i++) {
        gdn_sweep_point_values(sw, lo + i, vals);
        const double *rec = (const double *)&recs[i];
        int l = (int)recs[i].label;
        counts[l >= 0 && l < 7 ? l : 5]++;
        for (size_t c = 0; c < pl->ncols; c++) {
            double v = c < na ? vals[c] : rec[c - na];
            if (npy)
                put_le(o, isfinite(v) ? v : NAN);
            else
                put_csv(o, c != 0, v, isfinite(v));
        }
        if (!npy)
            *out_room(o, 1) = '\n', o->len++;
    }
}

/* The final table from the chunks of OUT, into fp (several ranks: each
 * wrote its own chunks; one process streams instead, see writer). */
static int assemble(FILE *fp, const char *out, int npy, plan *pl,
                    gdn_sweep_rec *buf, size_t counts[7], gdn_error *err)
{
    static outbuf o; /* large: not on the stack */
    table_header(fp, npy, pl);
    o.fp = fp, o.len = 0;
    if (starts_rewind(pl, err))
        return err->code;
    for (size_t j = 0; j < pl->ch.nchunks; j++) {
        size_t lo, count = gdn_sweep_plan_chunk(&pl->ch, j, &lo);
        if (read_chunk(out, pl, j, buf, count, err) ||
            starts_hold(pl, lo, count, err))
            return err->code;
        table_rows(&o, npy, pl, &pl->sw, lo, count, buf, counts);
    }
    out_flush(&o);
    return starts_check(pl, err);
}

/* ---------------------------------------------------------- the writer */

/* One process streams: while the threads run chunk j + 1, a writer thread
 * stores chunk j (its checksum and file) and appends its rows to
 * OUT.parts/table.part, so that neither waits for the other and nothing is
 * read back; at the end the table is copied into OUT's staged file (OUT
 * itself is staged only then: a kill -9 leaves nothing beside
 * OUT.parts/).  It holds one chunk's records and starts, the threads
 * another. */
typedef struct writer {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int busy, quit, failed;
    gdn_error err;
    const char *out;
    const plan *pl;
    int npy;
    size_t j, lo, count;  /* the job: chunk j, its points lo.. */
    gdn_sweep_rec *recs;  /* its records */
    int from_disk;        /* a chunk resumed: read (and checked), not written */
    gdn_sweep sw;         /* the sweep with the job's starts */
    double *win;          /* the job's starts */
    outbuf *o;            /* into OUT.parts/table.part */
    size_t counts[7];
} writer;

static void *writer_main(void *arg)
{
    writer *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->busy && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        int quit = !w->busy;
        pthread_mutex_unlock(&w->mu);
        if (quit)
            break;
        if (!w->failed) {
            int rc = w->from_disk
                         ? read_chunk(w->out, w->pl, w->j, w->recs, w->count,
                                      &w->err)
                         : write_chunk(w->out, w->pl, w->j, w->recs, w->count,
                                       &w->err);
            if (rc)
                w->failed = w->err.code ? w->err.code : GDN_EIO;
            else
                table_rows(w->o, w->npy, w->pl, &w->sw, w->lo, w->count,
                           w->recs, w->counts);
        }
        pthread_mutex_lock(&w->mu);
        w->busy = 0;
        pthread_cond_broadcast(&w->cv);
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

/* Waits until the writer is idle: its failure code (0). */
static int writer_wait(writer *w)
{
    pthread_mutex_lock(&w->mu);
    while (w->busy)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
    return w->failed;
}

/* Hands chunk j (records recs, the starts pl holds now) to the idle
 * writer. */
static void writer_post(writer *w, const plan *pl, size_t j, size_t lo,
                        size_t count, gdn_sweep_rec *recs, int from_disk)
{
    w->j = j, w->lo = lo, w->count = count, w->recs = recs;
    w->from_disk = from_disk;
    w->sw = pl->sw;
    if (pl->sw.points) {
        memcpy(w->win, pl->win,
               pl->sw.points_held * 2 * pl->sw.sys.n * sizeof *w->win);
        w->sw.points = w->win;
    }
    pthread_mutex_lock(&w->mu);
    w->busy = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* Starts the writer (0: cannot, the caller assembles at the end). */
static int writer_start(writer *w, const char *out, const plan *pl, int npy,
                        size_t winsize, FILE *table)
{
    memset(w, 0, sizeof *w);
    w->out = out, w->pl = pl, w->npy = npy;
    w->o = malloc(sizeof *w->o);
    w->win = winsize ? malloc(winsize * sizeof *w->win) : NULL;
    if (!w->o || (winsize && !w->win)) {
        free(w->o), free(w->win);
        return 0;
    }
    w->o->fp = table, w->o->len = 0;
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        free(w->o), free(w->win);
        return 0;
    }
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        free(w->o), free(w->win);
        return 0;
    }
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        pthread_cond_destroy(&w->cv), pthread_mutex_destroy(&w->mu);
        free(w->o), free(w->win);
        return 0;
    }
    return 1;
}

/* Waits for the last job, stops the writer, flushes the table: its
 * failure code (0). */
static int writer_stop(writer *w)
{
    writer_wait(w);
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_cond_destroy(&w->cv), pthread_mutex_destroy(&w->mu);
    out_flush(w->o);
    if (!w->failed && ferror(w->o->fp))
        w->failed = gdn_error_set(&w->err, GDN_EIO, "cannot write the table "
                                  "in the sweep's parts directory");
    free(w->o), free(w->win);
    w->o = NULL, w->win = NULL;
    return w->failed;
}

/* The streamed table: the header, then table.part, into fp. */
static int copy_table(FILE *fp, const char *path, int npy, const plan *pl,
                      gdn_error *err)
{
    static char blk[1 << 20];
    FILE *in = fopen(path, "rb");
    if (!in)
        return gdn_error_set(err, GDN_EIO, "cannot read '%s': %s", path,
                             strerror(errno));
    table_header(fp, npy, pl);
    size_t got;
    while ((got = fread(blk, 1, sizeof blk, in)) > 0)
        fwrite(blk, 1, got, fp);
    int bad = ferror(in);
    fclose(in);
    return bad ? gdn_error_set(err, GDN_EIO, "cannot read '%s'", path)
               : GDN_OK;
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
    gdn_json_key(&j, "points"), gdn_json_int(&j, (long)pl->ch.total);
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
        gdn_sweep_column_name(&pl->sw, c, name, sizeof name);
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
    double *v = malloc(pl->ch.total * sizeof *v);
    double *lab = malloc(pl->ch.total * sizeof *lab);
    if (!v || !lab) {
        free(v), free(lab);
        return gdn_error_set(err, GDN_ENOMEM, "out of memory");
    }
    for (size_t j = 0; j < pl->ch.nchunks; j++) { /* the field, from the chunks */
        size_t lo, count = gdn_sweep_plan_chunk(&pl->ch, j, &lo);
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
    if (initfile) { /* checked and counted now, read a chunk at a time */
        if (gdn_sweep_starts_scan(initfile, m, &pl.sw.npoints, &file_hash,
                                  &file_size, &err))
            goto bad_free;
        pl.initfile = initfile;
        pl.file_hash = file_hash, pl.file_size = file_size;
        pl.sw.points = pl.x0; /* a list: win, once the chunks are known */
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
        /* made a chunk at a time, from the seed */
        pl.random_n = random_n, pl.seed = (uint64_t)seed;
        pl.box_lo = lo, pl.box_hi = hi;
        pl.sw.points = pl.x0, pl.sw.npoints = (size_t)random_n;
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
    size_t total = gdn_sweep_count(&pl.sw);
    if (total == 0 || total > 4000000000ULL) {
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
    if (gdn_sweep_plan_init(&pl.ch, total, (size_t)chunk, &err))
        goto bad_free;
    if (pl.sw.points) { /* the starts of one chunk: at most 2 + (chunk - 1)
                         * / (points per start) rows */
        size_t per = total / pl.sw.npoints;
        size_t rows = (pl.ch.chunk - 1) / per + 2;
        rows = rows < pl.sw.npoints ? rows : pl.sw.npoints;
        if (rows > SIZE_MAX / m / sizeof(double) ||
            !(pl.win = malloc(rows * m * sizeof(double)))) {
            cli_error("sweep: --chunk %ld is too large for memory", chunk);
            goto usage_free;
        }
        pl.sw.points = pl.win, pl.winrows = rows;
        pl.sw.points_first = pl.sw.npoints; /* nothing held yet */
    }
    pl.ncols = naxis_cols(&pl) + GDN_SWEEP_NFIELDS;
    pl.specs[0] = model, pl.specs[1] = opt, pl.nreg = nreg;
    for (size_t k = 0; k < nreg; k++)
        pl.specs[2 + k] = regs[k];
    /* what a resumed sweep must match: everything that changes a record */
    gdn_sweep_source source = {initfile ? &file_hash : NULL, file_size,
                               random_n, seed, box_lo, box_hi};
    if (gdn_sweep_manifest(&pl.sw, &pl.ch, &source, &pl.man, &pl.hash, &err))
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
    /* one process: two chunks of records, one run by the threads while the
     * writer stores the other */
    int streamed = nranks == 1;
    size_t nbuf = streamed ? 2 : 1;
    gdn_sweep_rec *buf = pl.ch.chunk <= SIZE_MAX / nbuf / sizeof *buf
                             ? malloc(nbuf * pl.ch.chunk * sizeof *buf)
                             : NULL;
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
    for (size_t j = 0; resume && j < pl.ch.nchunks && !failed; j++) {
        size_t lo, count = gdn_sweep_plan_chunk(&pl.ch, j, &lo);
        char path[4300];
        chunk_path(out, j, path, sizeof path);
        if (gdn_sweep_plan_owns(&pl.ch, j, rank, nranks) && file_exists(path) &&
            read_chunk(out, &pl, j, buf, count, &err))
            failed = err.code;
    }
    if (!failed && starts_rewind(&pl, &err))
        failed = err.code;
    writer wr;
    char table[4300];
    FILE *tfp = NULL;
    snprintf(table, sizeof table, "%s.parts/table.part", out);
    if (failed)
        streamed = 0; /* nothing to run: no writer */
    if (streamed) {
        size_t winsize = pl.sw.points ? pl.winrows * m : 0;
        if (!(tfp = fopen(table, "wb")) ||
            !writer_start(&wr, out, &pl, fmt == GDN_FMT_NPY, winsize, tfp)) {
            if (tfp)
                fclose(tfp), tfp = NULL;
            unlink(table);
            streamed = 0; /* assembled from the chunks at the end */
        }
    }
    gdn_sweep_rec *cur = buf; /* the records the threads fill */
    /* with a progress bar, a chunk runs in blocks of about 0.3 s, from one
     * point per thread up (the records do not depend on how the points are
     * split) */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t minblock = (size_t)(threads > 0 ? threads : ncpu > 0 ? ncpu : 1);
    size_t block = minblock;
    for (size_t j = 0; j < pl.ch.nchunks && !failed; j++) {
        size_t lo, count = gdn_sweep_plan_chunk(&pl.ch, j, &lo);
        char path[4300];
        if (!gdn_sweep_plan_owns(&pl.ch, j, rank, nranks))
            continue; /* another rank's chunk */
        chunk_path(out, j, path, sizeof path);
        int have = resume && file_exists(path);
        if ((have || streamed) && starts_hold(&pl, lo, count, &err)) {
            failed = err.code ? err.code : GDN_EIO;
            break;
        }
        if (have) {
            skipped += count;
            if (streamed) { /* its rows, from its file */
                if ((failed = writer_wait(&wr)) != 0) {
                    err = wr.err;
                    break;
                }
                writer_post(&wr, &pl, j, lo, count, cur, 1);
                cur = cur == buf ? buf + pl.ch.chunk : buf;
            }
            continue;
        }
        if (!streamed && starts_hold(&pl, lo, count, &err)) {
            failed = err.code ? err.code : GDN_EIO;
            break;
        }
        for (size_t off = 0; off < count && !failed;) {
            size_t b = tty ? (block < count - off ? block : count - off)
                           : count;
            double tb = now_s();
            if (gdn_sweep_run(&pl.sw, lo + off, b, (int)threads,
                              (size_t)batch, cur + off, &err)) {
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
                double left = (double)(pl.ch.total - now - skipped) / rate;
                int pct = (int)(100.0 * (double)(now + skipped) /
                                (double)pl.ch.total);
                fprintf(stderr, "\rgandyn sweep: %3d%% %zu/%zu  %.3g traj/s  "
                        "ETA %.0f s   ", pct, now + skipped, pl.ch.total, rate,
                        left);
                shown = tn;
            }
        }
        if (failed)
            break;
        if (streamed) { /* stored while the next chunk runs */
            if ((failed = writer_wait(&wr)) != 0) {
                err = wr.err;
                break;
            }
            writer_post(&wr, &pl, j, lo, count, cur, 0);
            cur = cur == buf ? buf + pl.ch.chunk : buf;
        } else if (write_chunk(out, &pl, j, cur, count, &err)) {
            failed = err.code ? err.code : GDN_EIO;
            break;
        }
        done += count;
    }
    if (streamed) {
        int wf = writer_stop(&wr);
        if (fclose(tfp) != 0 && !wf)
            wf = gdn_error_set(&wr.err, GDN_EIO, "cannot write '%s'", table);
        if (wf && !failed)
            failed = wf, err = wr.err;
    }
    if (tty)
        fputs("\r\033[K", stderr);
    if (!failed && starts_check(&pl, &err))
        failed = err.code;
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
        free(pl.x0), free(pl.win), gdn_starts_close(pl.rd);
    gdn_manifest_free(&pl.man);
        return GDN_EXIT_OK;
    }
    double seconds = now_s() - t0;
    size_t counts[7] = {0}; /* of each label, counted by the table */
    if (streamed)
        memcpy(counts, wr.counts, sizeof counts);
    {
        FILE *fo = NULL, *fs = NULL;
        int orc = stage_outputs(&os, out, side, plot, &k_out, &k_side,
                                &k_plot, &err);
        if (!orc && !(fo = gdn_outset_fp(os, k_out, &err)))
            orc = err.code;
        if (!orc)
            orc = streamed ? copy_table(fo, table, fmt == GDN_FMT_NPY, &pl,
                                        &err)
                           : assemble(fo, out, fmt == GDN_FMT_NPY, &pl, buf,
                                      counts, &err);
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
    if (!quiet) {
        printf("gandyn sweep: %zu trajectories of %s under %s in %.3g s "
               "(%.3g per second%s",
               pl.ch.total, model, opt, seconds,
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
    free(pl.x0), free(pl.win), gdn_starts_close(pl.rd);
    gdn_manifest_free(&pl.man);
    return GDN_EXIT_OK;
fail: /* the chunks stay for --resume */
    cli_error("%s", err.msg);
fail_reported:
    gdn_outset_free(os); /* removes everything staged */
    free(pl.x0), free(pl.win), gdn_starts_close(pl.rd);
    gdn_manifest_free(&pl.man);
    return err.code == GDN_ENOMEM ? GDN_EXIT_FAIL : GDN_EXIT_USAGE;
bad_free:
    cli_error("%s", err.msg);
usage_free:
    gdn_outset_free(os);
    free(pl.x0), free(pl.win), gdn_starts_close(pl.rd);
    gdn_manifest_free(&pl.man);
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
