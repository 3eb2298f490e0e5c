/*
 * writers.c - trajectories as CSV, JSON or .npy, and the JSON writer.
 *
 * .npy is NumPy's format 1.0: magic "\x93NUMPY", version 1.0, a little-endian
 * uint16 header length, a Python-dict header padded with spaces to a
 * multiple of 64 bytes and ending in '\n', then the float64 data row-major.
 * The columns are those of the CSV; their names go to the summary.
 */
#include "gandyn/io.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

int gdn_format_of_path(const char *path, int *fmt, gdn_error *err)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (strcmp(dot, ".csv") == 0)
            return *fmt = GDN_FMT_CSV, GDN_OK;
        if (strcmp(dot, ".json") == 0)
            return *fmt = GDN_FMT_JSON, GDN_OK;
        if (strcmp(dot, ".npy") == 0)
            return *fmt = GDN_FMT_NPY, GDN_OK;
    }
    return gdn_error_set(err, GDN_EINVAL,
                         "'%s': unknown output format (accepted extensions: "
                         ".csv, .json, .npy)", path);
}

/* Value of column col in sample k. */
static double cell(const gdn_traj *tr, size_t k, size_t col)
{
    size_t m = 2 * tr->n;
    if (col == 0)
        return tr->t[k];
    size_t g = (col - 1) / m, i = (col - 1) % m;
    if (g == 0)
        return tr->x[k * m + i];
    return tr->avg[(k * tr->ngroups + g - 1) * m + i];
}

static int write_csv(const gdn_traj *tr, const char *const *names, FILE *fp)
{
    size_t nc = gdn_traj_ncols(tr);
    char name[GDN_COLNAME_MAX];
    for (size_t c = 0; c < nc; c++) {
        gdn_traj_colname(tr, names, c, name);
        fprintf(fp, "%s%s", c ? "," : "", name);
    }
    fputc('\n', fp);
    for (size_t k = 0; k < tr->count; k++) {
        for (size_t c = 0; c < nc; c++) {
            double v = cell(tr, k, c);
            if (c == 0 && tr->discrete)
                fprintf(fp, "%.0f", v);
            else
                fprintf(fp, "%s%.17g", c ? "," : "", v);
        }
        fputc('\n', fp);
    }
    return 0;
}

static int write_json(const gdn_traj *tr, const char *const *names, FILE *fp)
{
    size_t nc = gdn_traj_ncols(tr);
    char name[GDN_COLNAME_MAX];
    gdn_json j;
    gdn_json_init(&j, fp);
    gdn_json_begin(&j, '{');
    gdn_json_key(&j, "columns");
    gdn_json_begin(&j, '[');
    for (size_t c = 0; c < nc; c++) {
        gdn_traj_colname(tr, names, c, name);
        gdn_json_str(&j, name);
    }
    gdn_json_end(&j, ']');
    gdn_json_key(&j, "rows");
    gdn_json_begin(&j, '[');
    double row[1 + 2 * 64];
    for (size_t k = 0; k < tr->count; k++) {
        if (nc <= sizeof row / sizeof row[0]) {
            for (size_t c = 0; c < nc; c++)
                row[c] = cell(tr, k, c);
            gdn_json_nums(&j, row, nc);
        } else {
            gdn_json_begin(&j, '[');
            for (size_t c = 0; c < nc; c++)
                gdn_json_num(&j, cell(tr, k, c));
            gdn_json_end(&j, ']');
        }
    }
    gdn_json_end(&j, ']');
    gdn_json_end(&j, '}');
    fputc('\n', fp);
    return 0;
}

void gdn_npy_header(FILE *fp, size_t rows, size_t cols)
{
    char header[256];
    int len = snprintf(header, sizeof header,
                       "{'descr': '<f8', 'fortran_order': False, "
                       "'shape': (%zu, %zu), }",
                       rows, cols);
    size_t total = 10 + (size_t)len + 1; /* magic..hlen, dict, '\n' */
    size_t pad = (64 - total % 64) % 64;
    size_t hlen = (size_t)len + pad + 1;
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                             (unsigned char)(hlen & 0xff),
                             (unsigned char)(hlen >> 8)};
    fwrite(pre, 1, sizeof pre, fp);
    fwrite(header, 1, (size_t)len, fp);
    for (size_t i = 0; i < pad; i++)
        fputc(' ', fp);
    fputc('\n', fp);
}

static int write_npy(const gdn_traj *tr, FILE *fp)
{
    size_t nc = gdn_traj_ncols(tr);
    gdn_npy_header(fp, tr->count, nc);
    for (size_t k = 0; k < tr->count; k++)
        for (size_t c = 0; c < nc; c++) {
            double v = cell(tr, k, c);
            uint64_t u;
            unsigned char b[8];
            memcpy(&u, &v, 8);
            for (int i = 0; i < 8; i++)
                b[i] = (unsigned char)(u >> (8 * i)); /* little-endian */
            fwrite(b, 1, 8, fp);
        }
    return 0;
}

int gdn_traj_write(const gdn_traj *tr, const char *const *group_names, int fmt,
                   FILE *fp, gdn_error *err)
{
    if (fmt == GDN_FMT_CSV)
        write_csv(tr, group_names, fp);
    else if (fmt == GDN_FMT_JSON)
        write_json(tr, group_names, fp);
    else
        write_npy(tr, fp);
    if (ferror(fp))
        return gdn_error_set(err, GDN_EIO, "write error");
    return GDN_OK;
}

/* ------------------------------------------------------------------ JSON */

void gdn_json_init(gdn_json *j, FILE *fp)
{
    memset(j, 0, sizeof *j);
    j->fp = fp;
}

static void indent(gdn_json *j)
{
    fputc('\n', j->fp);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->fp);
}

/* Comma and line break before a new item (not after a key). */
static void item(gdn_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->count[j->depth]++)
            fputc(',', j->fp);
        indent(j);
    }
}

void gdn_json_begin(gdn_json *j, char bracket)
{
    item(j);
    fputc(bracket, j->fp);
    if (j->depth + 1 < GDN_JSON_DEPTH)
        j->depth++;
    j->count[j->depth] = 0;
}

void gdn_json_end(gdn_json *j, char bracket)
{
    int had = j->count[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (had)
        indent(j);
    fputc(bracket, j->fp);
}

static void put_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
}

void gdn_json_key(gdn_json *j, const char *key)
{
    item(j);
    put_string(j->fp, key);
    fputs(": ", j->fp);
    j->after_key = 1;
}

void gdn_json_str(gdn_json *j, const char *s)
{
    item(j);
    put_string(j->fp, s);
}

static void put_num(FILE *fp, double v)
{
    if (isfinite(v))
        fprintf(fp, "%.17g", v);
    else
        fputs("null", fp);
}

void gdn_json_num(gdn_json *j, double v)
{
    item(j);
    put_num(j->fp, v);
}

void gdn_json_int(gdn_json *j, long v)
{
    item(j);
    fprintf(j->fp, "%ld", v);
}

void gdn_json_bool(gdn_json *j, int v)
{
    item(j);
    fputs(v ? "true" : "false", j->fp);
}

void gdn_json_null(gdn_json *j)
{
    item(j);
    fputs("null", j->fp);
}

void gdn_json_nums(gdn_json *j, const double *v, size_t count)
{
    item(j);
    fputc('[', j->fp);
    for (size_t i = 0; i < count; i++) {
        if (i)
            fputs(", ", j->fp);
        put_num(j->fp, v[i]);
    }
    fputc(']', j->fp);
}
