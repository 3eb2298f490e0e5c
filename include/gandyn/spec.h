/*
 * gandyn/spec.h - reading component SPECs: "name" or "name:key=value,...".
 *
 * Keys are the ASCII names of the symbols (lambda, c, gamma, lr, lr_d,
 * lr_g, beta, ...).  Every failure names the bad token and what is accepted,
 * in one line, e.g.
 *     unknown model 'wgna' (accepted: gan, nsgan, wgan, wgan-gp, gan-qp)
 *     wgan-gp: unknown key 'lamda' (accepted: lambda, c)
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

/* Strict number: the whole of s, finite.  GDN_EINVAL otherwise, with a
 * message naming s and what (e.g. "--t-end"). */
int gdn_parse_double(const char *s, const char *what, double *out,
                     gdn_error *err);
/* Strict whole number in [lo, hi]. */
int gdn_parse_long(const char *s, const char *what, long lo, long hi,
                   long *out, gdn_error *err);

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
