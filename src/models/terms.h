/* terms.h - internal: every term type and shared pieces of the models. */
#ifndef GANDYN_TERMS_H
#define GANDYN_TERMS_H

#include "gandyn/model.h"

extern const gdn_term_type gdn_model_gan;
extern const gdn_term_type gdn_model_nsgan;
extern const gdn_term_type gdn_model_wgan;
extern const gdn_term_type gdn_model_wgan_gp;
extern const gdn_term_type gdn_model_gan_qp;

extern const gdn_term_type gdn_reg_l2;
extern const gdn_term_type gdn_reg_r1;
extern const gdn_term_type gdn_reg_r2;
extern const gdn_term_type gdn_reg_gp;
extern const gdn_term_type gdn_reg_l2g;

/* Adds lambda (sqrt(a) - c)^2 to F (the WGAN-GP penalty for a linear D,
 * whose input gradient is phi).  At a = 0 with c > 0 the penalty's gradient
 * has no limit; its minimum-norm subgradient, 0, is used and
 * GDN_PT_EXTENDED returned. */
int gdn__add_norm_penalty(double lambda, double c, double a, int order,
                          gdn_partials *F);

#endif
