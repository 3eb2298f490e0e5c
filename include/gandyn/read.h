/*
 * gandyn/read.h - trajectories read back from the CSV and JSON files that
 * gdn_traj_write makes (for plotting a run after the fact).
 *
 * The columns say everything: "t" (or "step" for a discrete run), then
 * phi1..phin, theta1..thetan, then for each average group g the columns
 * "g_phi1" .. "g_thetan".  Values are read with strtod, which gives back
 * exactly the doubles written with 17 significant digits.  Reading is
 * strict: anything the writer would not have produced is refused with a
 * message naming the file, the line and the offending token.
 */
#ifndef GANDYN_READ_H
#define GANDYN_READ_H

#include <stddef.h>

#include "gandyn/error.h"
#include "gandyn/export.h"
#include "gandyn/traj.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the trajectory in path (.csv or .json) into tr, which is
 * initialised here (its previous contents are not freed); release it with
 * gdn_traj_release.  *group_names receives an allocated array of
 * *ngroups_names (= tr->ngroups) allocated names, free with
 * gdn_names_free.  Returns GDN_OK, or on failure tr empty, *group_names
 * NULL, *ngroups_names 0 and:
 *   GDN_EIO    "cannot read 'PATH': reason" (missing, unreadable);
 *   GDN_EINVAL "'PATH' line L: ..." naming the bad token (unknown column
 *              names, ragged rows, cells that are not numbers, non-finite
 *              values, malformed JSON, an empty file), or for a .npy or
 *              other extension, which cannot be read back;
 *   GDN_ENOMEM. */
GDN_API int gdn_traj_read(const char *path, gdn_traj *tr, char ***group_names,
                          size_t *ngroups_names, gdn_error *err);

/* Frees count names and the array.  NULL is a no-op. */
GDN_API void gdn_names_free(char **names, size_t count);

#ifdef __cplusplus
}
#endif
#endif
