/*
 * gandyn/io.h - output files: atomic creation, trajectories as CSV, JSON and
 * NumPy .npy, and a small streaming JSON writer for summaries.
 *
 * Every file is written under a temporary name in the target's directory
 * and renamed over the target only when complete, so a failed or killed run
 * never leaves half a file.  Numbers are written with 17 significant digits:
 * reading them back gives the same doubles.
 *
 * What an output path may name:
 *   - a regular file, or nothing yet: written to a temporary in the same
 *     directory, renamed over the name when complete;
 *   - a symbolic link (to a regular file or to nothing): the link is kept
 *     and its final target is replaced as above (like 'cp', not 'mv'), so a
 *     link into a results tree keeps pointing at the fresh file;
 *   - a FIFO, a character or block device, or an open descriptor
 *     (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N): written in
 *     place, never replaced (a descriptor is dup'ed, so '>>' appends);
 *     such an output cannot be taken back if the command fails later;
 *   - a directory: refused.
 */
#ifndef GANDYN_IO_H
#define GANDYN_IO_H

#include <stdio.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/traj.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An output file in the making. */
typedef struct gdn_ofile {
    FILE *fp;        /* write here */
    char path[4096]; /* final name */
    char tmp[4096];  /* temporary name, same directory ("" when in place) */
    int inplace;     /* a FIFO, device or descriptor: written in place */
    char target[4096]; /* the file renamed over (path, links resolved) */
    void *priv;      /* the stream's state */
} gdn_ofile;

/* Creates the temporary file.  GDN_EIO with "cannot write 'PATH': reason". */
GDN_API int gdn_ofile_open(gdn_ofile *f, const char *path, gdn_error *err);
/* Flushes, closes and renames onto the final name; on any failure removes
 * the temporary file and returns GDN_EIO. */
GDN_API int gdn_ofile_commit(gdn_ofile *f, gdn_error *err);
/* Closes and removes the temporary file; safe on a file never opened. */
GDN_API void gdn_ofile_abort(gdn_ofile *f);

/* ------------------------------------------------------------ output sets
 *
 * All the outputs of one command, committed together: each output is
 * written under a private staging directory (".gandyn-tmp-XXXXXX", made in
 * the target's directory, one per directory) and gdn_outset_commit renames
 * all of them into place only after every one is complete; a failure before
 * or during the commit removes every staged file (targets replaced by a
 * commit that then fails are restored from hard links where the file
 * system allows).  Two outputs naming the same file (also through another
 * spelling, a link or a hard link) are refused when added.  Outputs that
 * are written in place (see above) stream as they are written.
 *
 * The set keeps no global state; the caller may pass hooks to learn which
 * staging directories exist (to remove them on a signal) and to bracket
 * the moments they are created and the commit. */
typedef struct gdn_io_hooks {
    void *ctx;
    void (*tmp_add)(void *ctx, const char *path, int is_dir);
    void (*tmp_remove)(void *ctx, const char *path);
    void (*hold)(void *ctx, int on); /* 1: entering, 0: leaving */
} gdn_io_hooks;

typedef struct gdn_outset gdn_outset;

/* A new, empty set; hooks may be NULL (copied).  NULL on no memory. */
GDN_API gdn_outset *gdn_outset_new(const gdn_io_hooks *hooks);
/* Adds the file output path; opt names it in messages ("--out").  Makes
 * the staging directory.  Returns the output's index (>= 0), or GDN_EINVAL
 * ("--summary 'x': the same file as --out './x'; ..."), GDN_EIO ("cannot
 * write 'x': reason"). */
GDN_API int gdn_outset_add(gdn_outset *s, const char *path, const char *opt,
                           gdn_error *err);
/* A directory output (reproduce's --out DIR): a new DIR is built as a
 * staging directory beside it and renamed into place at the commit; an
 * existing DIR gets its files staged and renamed one by one (files of DIR
 * that the command does not write are left alone).  Returns a handle for
 * gdn_outset_add_in. */
GDN_API int gdn_outset_add_dir(gdn_outset *s, const char *dir, const char *opt,
                               gdn_error *err);
/* Adds the file NAME of directory output d; returns its index. */
GDN_API int gdn_outset_add_in(gdn_outset *s, int d, const char *name,
                              gdn_error *err);
/* Where output k is to be written now (for writers that take a path:
 * figures); the staged name has the target's extension. */
GDN_API const char *gdn_outset_path(const gdn_outset *s, int k);
/* The name output k was added under. */
GDN_API const char *gdn_outset_name(const gdn_outset *s, int k);
/* A stream on output k (opened on the first call); NULL with GDN_EIO. */
GDN_API FILE *gdn_outset_fp(gdn_outset *s, int k, gdn_error *err);
/* Closes every stream, then renames every output into place.  GDN_EIO
 * naming the file and the reason; nothing is left staged either way. */
GDN_API int gdn_outset_commit(gdn_outset *s, gdn_error *err);
/* Removes everything staged (nothing is committed). */
GDN_API void gdn_outset_abort(gdn_outset *s);
/* Aborts if not committed, and frees. */
GDN_API void gdn_outset_free(gdn_outset *s);

/* Fault injection (builds with GANDYN_FAULT_INJECTION only: the hook and
 * its calls are absent otherwise).  Before each I/O operation of this
 * layer, fn(ctx, op, path) is asked; a nonzero result is an errno with
 * which the operation fails.  The one global of the library, and only in
 * test builds. */
enum { GDN_IO_OPEN, GDN_IO_WRITE, GDN_IO_FLUSH, GDN_IO_CLOSE, GDN_IO_RENAME,
       GDN_IO_MKDIR, GDN_IO_ALLOC };
#ifdef GANDYN_FAULT_INJECTION
typedef int (*gdn_io_fault_fn)(void *ctx, int op, const char *path);
GDN_API void gdn_io_fault_set(gdn_io_fault_fn fn, void *ctx);
#endif

/* Trajectory formats. */
enum { GDN_FMT_CSV = 0, GDN_FMT_JSON = 1, GDN_FMT_NPY = 2 };

/* Format from a file name's extension (.csv, .json, .npy); GDN_EINVAL with
 * the accepted list otherwise. */
GDN_API int gdn_format_of_path(const char *path, int *fmt, gdn_error *err);

/* Writes tr in a format.  group_names: one name per average group.
 * Returns GDN_OK or GDN_EIO. */
GDN_API int gdn_traj_write(const gdn_traj *tr, const char *const *group_names, int fmt,
                           FILE *fp, gdn_error *err);

/* The header of a NumPy .npy file (format 1.0) of rows x cols float64,
 * little-endian, C order; the data follow. */
GDN_API void gdn_npy_header(FILE *fp, size_t rows, size_t cols);

/* Streaming JSON: objects, arrays, keys and scalars with commas and
 * indentation handled; non-finite numbers become null. */
#define GDN_JSON_DEPTH 32
typedef struct gdn_json {
    FILE *fp;
    int depth;
    int count[GDN_JSON_DEPTH]; /* items written at each level */
    int after_key;             /* a key was just written */
} gdn_json;

GDN_API void gdn_json_init(gdn_json *j, FILE *fp);
GDN_API void gdn_json_begin(gdn_json *j, char bracket); /* '{' or '[' */
GDN_API void gdn_json_end(gdn_json *j, char bracket);   /* '}' or ']' */
GDN_API void gdn_json_key(gdn_json *j, const char *key);
GDN_API void gdn_json_str(gdn_json *j, const char *s);
GDN_API void gdn_json_num(gdn_json *j, double v);
GDN_API void gdn_json_int(gdn_json *j, long v);
GDN_API void gdn_json_bool(gdn_json *j, int v);
GDN_API void gdn_json_null(gdn_json *j);
GDN_API void gdn_json_nums(gdn_json *j, const double *v, size_t count); /* [..] */

#ifdef __cplusplus
}
#endif
#endif
