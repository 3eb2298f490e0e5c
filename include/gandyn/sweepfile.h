/*
 * gandyn/sweepfile.h - the files of a sweep: the list of starts read by
 * --init-file, the manifest of OUT.parts/ and its chunk files.
 *
 * Every reader works on a buffer in memory (so it can be fuzzed) and has no
 * length limit.  A resumed sweep must never mix two configurations: the
 * manifest holds, one per line, every option as resolved, the contents'
 * hash of the starts file and the record format, then a 64-bit FNV-1a hash
 * of all of it; each chunk file starts with a header binding it to that
 * hash and to its index, and a checksum of its records.
 */
#ifndef GANDYN_SWEEPFILE_H
#define GANDYN_SWEEPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/sweep.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 64-bit FNV-1a: h = GDN_FNV_INIT, then h = gdn_fnv1a(h, data, len) over
 * the pieces. */
#define GDN_FNV_INIT 0xcbf29ce484222325ull
GDN_API uint64_t gdn_fnv1a(uint64_t h, const void *data, size_t len);

/* ---------------------------------------------------------------- starts */

/* Reads starts, m numbers per line, from buf[0..len): numbers separated by
 * commas or blanks (spaces, tabs), '#' to the end of a line a comment,
 * blank lines skipped, "\r\n" line ends and a leading UTF-8 byte order mark
 * accepted.  Refused (GDN_EINVAL, naming name and the line): an empty
 * field ("1,,2", a leading or trailing comma), a NUL byte, a hexadecimal
 * or non-finite number, a line without m numbers, no line at all.  On
 * success *pts (malloc'd, *np * m doubles) and *np. */
GDN_API int gdn_sweep_starts_parse(const char *buf, size_t len, const char *name,
                                   size_t m, double **pts, size_t *np,
                                   gdn_error *err);

/* Reads the whole file at path (no size limit; a directory is refused) and
 * parses it.  hash (if not NULL): gdn_fnv1a of the file's bytes, size (if
 * not NULL): their number.  GDN_EIO for a file that cannot be read. */
GDN_API int gdn_sweep_starts_read(const char *path, size_t m, double **pts,
                                  size_t *np, uint64_t *hash, size_t *size,
                                  gdn_error *err);

/* The same file read a few starts at a time, so that a sweep holds one
 * chunk's starts and never the whole list: gdn_sweep_starts_scan reads the
 * file once (no size limit) and checks it as gdn_sweep_starts_parse would,
 * with the same messages, giving the number of starts, and hash and size
 * as gdn_sweep_starts_read; then a reader gives them in order. */
GDN_API int gdn_sweep_starts_scan(const char *path, size_t m, size_t *np,
                                  uint64_t *hash, size_t *size,
                                  gdn_error *err);
typedef struct gdn_starts_reader gdn_starts_reader;
/* NULL with err set (GDN_EIO: cannot read, a directory; GDN_ENOMEM). */
GDN_API gdn_starts_reader *gdn_starts_open(const char *path, size_t m,
                                           gdn_error *err);
/* The next count starts into out (count * m doubles; NULL: skipped).
 * GDN_EINVAL naming the line for a bad one or when the file ends first. */
GDN_API int gdn_starts_next(gdn_starts_reader *r, size_t count, double *out,
                            gdn_error *err);
/* Reads the rest of the file: hash and size of all its bytes (to check it
 * did not change since gdn_sweep_starts_scan).  GDN_EIO. */
GDN_API int gdn_starts_finish(gdn_starts_reader *r, uint64_t *hash,
                              size_t *size, gdn_error *err);
GDN_API void gdn_starts_close(gdn_starts_reader *r);

/* ------------------------------------------------------------- manifest */

/* Entries "KEY VALUE": a key without blanks (an option name, "--steps",
 * or a word), a value without line breaks. */
typedef struct gdn_manifest {
    size_t count, cap;
    char **key, **value; /* owned */
} gdn_manifest;

GDN_API void gdn_manifest_init(gdn_manifest *m);
GDN_API void gdn_manifest_free(gdn_manifest *m);
/* Appends KEY with a printf-style value.  GDN_EINVAL for a key with blanks
 * or a value with a line break, GDN_ENOMEM. */
GDN_API int gdn_manifest_add(gdn_manifest *m, gdn_error *err, const char *key,
                             const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* The hash of the entries (of the text before the "hash" line). */
GDN_API uint64_t gdn_manifest_hash(const gdn_manifest *m);
/* The text: "gandyn sweep manifest 2\n", "KEY VALUE\n" per entry, then
 * "hash HHHHHHHHHHHHHHHH\n" (16 hex digits).  malloc'd, NUL-terminated,
 * *len its length; NULL when out of memory. */
GDN_API char *gdn_manifest_text(const gdn_manifest *m, size_t *len);
/* Parses such a text (buf need not be NUL-terminated).  GDN_EINVAL when it
 * is not one or is damaged (its hash does not match its entries). */
GDN_API int gdn_manifest_parse(const char *buf, size_t len, gdn_manifest *out,
                               gdn_error *err);
/* GDN_OK when had and want are the same configuration; else GDN_EINVAL
 * naming the first entry that differs: "was made with --steps 2000, now
 * 3000", "the contents of --init-file changed", ... */
GDN_API int gdn_manifest_compare(const gdn_manifest *had, const gdn_manifest *want,
                                 gdn_error *err);
/* gdn_manifest_parse, then gdn_manifest_compare against want. */
GDN_API int gdn_manifest_check(const char *buf, size_t len, const gdn_manifest *want,
                               gdn_error *err);

/* Where a sweep's starts came from, besides sw (it changes the records). */
typedef struct gdn_sweep_source {
    const uint64_t *file_hash; /* --init-file: gdn_fnv1a of its bytes; NULL:
                                  no file */
    size_t file_size;          /* its bytes */
    long random_n, seed;       /* --random N (0: none) and --seed */
    double box_lo, box_hi;     /* --box */
} gdn_sweep_source;

/* The manifest of sweep sw run in the chunks of pl (appended to m, made by
 * gdn_manifest_init): everything that determines the records, as resolved
 * (the shortest text that reads back as the same double, names for
 * choices), one entry per option, named as the option ("--steps 2000"),
 * in a fixed order; what does not change a record (threads, batch,
 * outputs) is not in it.  *hash: gdn_manifest_hash, which the chunks
 * carry.  GDN_ENOMEM. */
GDN_API int gdn_sweep_manifest(const gdn_sweep *sw, const gdn_sweep_plan *pl,
                               const gdn_sweep_source *src, gdn_manifest *m,
                               uint64_t *hash, gdn_error *err);

/* The record format: a hash of the names of the record's fields (adding,
 * removing or renaming one changes it). */
GDN_API uint64_t gdn_sweep_record_format(void);

/* --------------------------------------------------------------- chunks */

/* A chunk file: a header of GDN_CHUNK_HEADER bytes, then count records as
 * they lie in memory.  The header: "GDNCHNK1", the sweep's hash, the chunk
 * index, count, the record size, and gdn_fnv1a of those four and of the
 * records (all little-endian 64-bit). */
#define GDN_CHUNK_HEADER 48
GDN_API void gdn_sweep_chunk_header(unsigned char hdr[GDN_CHUNK_HEADER],
                                    uint64_t sweep_hash, uint64_t index,
                                    const gdn_sweep_rec *recs, size_t count);
/* Checks a header and its records: GDN_EINVAL naming name when the chunk
 * is not chunk index of count records of the sweep sweep_hash, or its
 * records do not match their checksum. */
GDN_API int gdn_sweep_chunk_check(const unsigned char *hdr, size_t hdr_len,
                                  uint64_t sweep_hash, uint64_t index,
                                  const gdn_sweep_rec *recs, size_t count,
                                  const char *name, gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
