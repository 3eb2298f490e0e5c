/*
 * gandyn/io.h - output files: atomic creation, trajectories as CSV, JSON and
 * NumPy .npy, and a small streaming JSON writer for summaries.
 *
 * Every file is written under a temporary name in the target's directory
 * and renamed over the target only when complete, so a failed or killed run
 * never leaves half a file.  Numbers are written with 17 significant digits:
 * reading them back gives the same doubles.
 */
#ifndef GANDYN_IO_H
#define GANDYN_IO_H

#include <stdio.h>

#include "gandyn/error.h"
#include "gandyn/traj.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An output file in the making. */
typedef struct gdn_ofile {
    FILE *fp;        /* write here */
    char path[4096]; /* final name */
    char tmp[4096];  /* temporary name, same directory */
} gdn_ofile;

/* Creates the temporary file.  GDN_EIO with "cannot write 'PATH': reason". */
int gdn_ofile_open(gdn_ofile *f, const char *path, gdn_error *err);
/* Flushes, closes and renames onto the final name; on any failure removes
 * the temporary file and returns GDN_EIO. */
int gdn_ofile_commit(gdn_ofile *f, gdn_error *err);
/* Closes and removes the temporary file; safe on a file never opened. */
void gdn_ofile_abort(gdn_ofile *f);

/* Trajectory formats. */
enum { GDN_FMT_CSV = 0, GDN_FMT_JSON = 1, GDN_FMT_NPY = 2 };

/* Format from a file name's extension (.csv, .json, .npy); GDN_EINVAL with
 * the accepted list otherwise. */
int gdn_format_of_path(const char *path, int *fmt, gdn_error *err);

/* Column names: "t" (or "step"), phi1..phin, theta1..thetan, then for each
 * average group g: "<g>_phi1" ... .  names has room for 2n (1 + ngroups) + 1
 * entries of size GDN_COLNAME_MAX. */
#define GDN_COLNAME_MAX 48
size_t gdn_traj_ncols(const gdn_traj *tr);
void gdn_traj_colname(const gdn_traj *tr, const char *const *group_names,
                      size_t col, char *buf);

/* Writes tr in a format.  group_names: one name per average group.
 * Returns GDN_OK or GDN_EIO. */
int gdn_traj_write(const gdn_traj *tr, const char *const *group_names, int fmt,
                   FILE *fp, gdn_error *err);

/* The header of a NumPy .npy file (format 1.0) of rows x cols float64,
 * little-endian, C order; the data follow. */
void gdn_npy_header(FILE *fp, size_t rows, size_t cols);

/* Streaming JSON: objects, arrays, keys and scalars with commas and
 * indentation handled; non-finite numbers become null. */
#define GDN_JSON_DEPTH 32
typedef struct gdn_json {
    FILE *fp;
    int depth;
    int count[GDN_JSON_DEPTH]; /* items written at each level */
    int after_key;             /* a key was just written */
} gdn_json;

void gdn_json_init(gdn_json *j, FILE *fp);
void gdn_json_begin(gdn_json *j, char bracket); /* '{' or '[' */
void gdn_json_end(gdn_json *j, char bracket);   /* '}' or ']' */
void gdn_json_key(gdn_json *j, const char *key);
void gdn_json_str(gdn_json *j, const char *s);
void gdn_json_num(gdn_json *j, double v);
void gdn_json_int(gdn_json *j, long v);
void gdn_json_bool(gdn_json *j, int v);
void gdn_json_null(gdn_json *j);
void gdn_json_nums(gdn_json *j, const double *v, size_t count); /* [..] */

#ifdef __cplusplus
}
#endif
#endif
