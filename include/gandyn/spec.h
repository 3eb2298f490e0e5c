/*
 * gandyn/spec.h - reading component SPECs: "name" or "name:key=value,...".
 * (The numbers, suggestions and parameter lists these are made of:
 * gandyn/text.h and gandyn/param.h, included here.)
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
#include "gandyn/export.h"
#include "gandyn/model.h"
#include "gandyn/param.h"
#include "gandyn/run.h"
#include "gandyn/system.h"
#include "gandyn/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A state "phi1,..,phin,theta1,..,thetan" (2n numbers) into x; what
 * names the option in messages ("--init"). */
GDN_API int gdn_parse_state(const char *text, const char *what, size_t n, double *x,
                            gdn_error *err);

/* "nsgan" or "wgan-gp:lambda=0.1,c=0" from list (kind: "model",
 * "regularizer") into term. */
GDN_API int gdn_spec_term(const char *spec, const gdn_term_type *const *list,
                          const char *kind, gdn_term *term, unsigned char *given,
                          gdn_error *err);

/* A system of dimension n from a model SPEC and nreg regularizer SPECs.
 * model_given and reg_given (one row per regularizer) may be NULL.  The
 * result is checked (gdn_system_check). */
GDN_API int gdn_system_from_specs(gdn_system *sys, size_t n, const char *model_spec,
                                  const char *const *reg_specs, size_t nreg,
                                  unsigned char *model_given,
                                  unsigned char (*reg_given)[GDN_MAX_PARAMS],
                                  gdn_error *err);

/* "flow:rtol=1e-8" or "altgd:lr=0.1,order=gd" into opts->opt and opts->par
 * (other fields of opts untouched). */
GDN_API int gdn_spec_opt(const char *spec, gdn_run_opts *opts, unsigned char *given,
                         gdn_error *err);

#ifdef __cplusplus
}
#endif
#endif
