/*
 * gandyn/spec.h - reading component SPECs: "name" or "name:key=value,...".
 *
 * Keys are the ASCII names of the symbols (lambda, c, gamma, lr, lr_d,
 * lr_g, beta, ...).  Every failure names the bad token and what is accepted,
 * in one line, e.g.
 *     unknown model 'wgna' (did you mean 'wgan'? accepted: gan, nsgan, ...)
 *     wgan-gp: unknown key 'lamda' (did you mean 'lambda'? accepted: lambda, c)
 *     adam: key 'lr' given twice
 *     gan-qp: lambda=0 is out of range (accepted: > 0)
 */
#ifndef GANDYN_SPEC_H
#define GANDYN_SPEC_H

#include "gandyn/error.h"
#include "gandyn/model.h"
#include "gandyn/run.h"
#include "gandyn/system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strict number: the whole of s, decimal (no hexadecimal "0x10"),
 * finite.  A subnormal (1e-310) is accepted; a nonzero text that
 * underflows to 0 (1e-400) is refused as too small.  GDN_EINVAL otherwise,
 * with a message naming s and what (e.g. "--t-end"). */
int gdn_parse_double(const char *s, const char *what, double *out,
                     gdn_error *err);
/* Strict whole number in [lo, hi]. */
int gdn_parse_long(const char *s, const char *what, long lo, long hi,
                   long *out, gdn_error *err);

/* Did-you-mean suggestions: the candidate nearest to word by optimal
 * string alignment distance (Damerau-Levenshtein with adjacent
 * transpositions), if at most 2 edits away and at most one edit per three
 * letters of word ("nsgn" -> "nsgan", "lamda" -> "lambda", "stpes" ->
 * "steps"; none for "x").  The first of equally near candidates wins. */
typedef struct gdn_suggest {
    const char *word; /* the misspelled token */
    char best[64];    /* the suggestion so far ("" for none) */
    size_t dist;
} gdn_suggest;
void gdn_suggest_init(gdn_suggest *s, const char *word);
/* Offers the candidate cand[0..len). */
void gdn_suggest_add(gdn_suggest *s, const char *cand, size_t len);
/* Offers every word of list, separated by sep ("a|b|c", '|'). */
void gdn_suggest_words(gdn_suggest *s, const char *list, char sep);
/* "did you mean 'nsgan'? " (note the trailing space) or "" into buf. */
const char *gdn_suggest_text(const gdn_suggest *s, char *buf, size_t size);

/* Shortest "%.Ng" text of v that reads back as v (for messages). */
void gdn_format_double(double v, char *buf, size_t size);

/* A state "phi1,..,phin,theta1,..,thetan" (2n numbers) into x; what
 * names the option in messages ("--init"). */
int gdn_parse_state(const char *text, const char *what, size_t n, double *x,
                    gdn_error *err);

/* Applies "key=value,..." to values (already holding the defaults) of the
 * table params owned by owner (a name used in messages).  given[k] (if not
 * NULL) is set to 1 for each key given.  An empty list is fine. */
int gdn_params_apply(const gdn_param *params, const char *owner,
                     const char *kvlist, double *values, unsigned char *given,
                     gdn_error *err);

/* The SPEC that gdn_params_apply reads back into exactly values:
 * "name:key=value,..." with every parameter of the table (none: "name"),
 * numbers in their shortest round-trip form, choices by name; a NaN value
 * whose default is NaN (lr_d, lr_g: inherit lr) is left out.  GDN_EINVAL
 * if it does not fit in size bytes. */
int gdn_params_format(const char *name, const gdn_param *params,
                      const double *values, char *buf, size_t size);

/* Checks values[k] against params[k]'s range, type and choices. */
int gdn_param_check(const gdn_param *p, const char *owner, double v,
                    gdn_error *err);

/* Writes the accepted range of p ("> 0", "in [0, 1)", "dg|gd", "whole
 * number >= 1") into buf. */
void gdn_param_describe(const gdn_param *p, char *buf, size_t size);

/* "nsgan" or "wgan-gp:lambda=0.1,c=0" from list (kind: "model",
 * "regularizer") into term. */
int gdn_spec_term(const char *spec, const gdn_term_type *const *list,
                  const char *kind, gdn_term *term, unsigned char *given,
                  gdn_error *err);

/* A system of dimension n from a model SPEC and nreg regularizer SPECs.
 * model_given and reg_given (one row per regularizer) may be NULL.  The
 * result is checked (gdn_system_check). */
int gdn_system_from_specs(gdn_system *sys, size_t n, const char *model_spec,
                          const char *const *reg_specs, size_t nreg,
                          unsigned char *model_given,
                          unsigned char (*reg_given)[GDN_MAX_PARAMS],
                          gdn_error *err);

/* "flow:rtol=1e-8" or "altgd:lr=0.1,order=gd" into opts->opt and opts->par
 * (other fields of opts untouched). */
int gdn_spec_opt(const char *spec, gdn_run_opts *opts, unsigned char *given,
                 gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
