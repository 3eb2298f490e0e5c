/* terms.h - internal: every term type and shared pieces of the models. */
#ifndef GANDYN_TERMS_H
#define GANDYN_TERMS_H

#include "gandyn/model.h"

extern const gdn_term_type gdn_model_gan;
extern const gdn_term_type gdn_model_nsgan;
extern const gdn_term_type gdn_model_wgan;
extern const gdn_term_type gdn_model_wgan_gp;
extern const gdn_term_type gdn_model_gan_qp;
extern const gdn_term_type gdn_model_wgan_clip;
extern const gdn_term_type gdn_model_lsgan;
extern const gdn_term_type gdn_model_hinge;
extern const gdn_term_type gdn_model_fgan_kl;
extern const gdn_term_type gdn_model_fgan_rkl;
extern const gdn_term_type gdn_model_fgan_pearson;
extern const gdn_term_type gdn_model_fgan_hellinger;
extern const gdn_term_type gdn_model_fgan_js;

extern const gdn_term_type gdn_reg_l2;
extern const gdn_term_type gdn_reg_r1;
extern const gdn_term_type gdn_reg_r2;
extern const gdn_term_type gdn_reg_gp;
extern const gdn_term_type gdn_reg_l2g;
extern const gdn_term_type gdn_reg_noise;

/* A term reads its parameters (gdn_term.par, in table order) as a struct
 * of doubles whose fields follow its table, so that the values array and
 * the struct gdn_params_fill fills from it are the same (tests/
 * test_params.c checks every table's offsets). */

/* lambda (sqrt(a) - c)^2: wgan-gp and the gp regulariser. */
struct gdn__penalty_par {
    double lambda, c;
};

/* The instance noise regulariser. */
struct gdn__noise_par {
    double sigma;
};

/* Adds lambda (sqrt(a) - c)^2 to F (the WGAN-GP penalty for a linear D,
 * whose input gradient is phi).  At a = 0 with c > 0 the penalty's gradient
 * has no limit; its minimum-norm subgradient, 0, is used and
 * GDN_PT_EXTENDED returned. */
int gdn__add_norm_penalty(double lambda, double c, double a, int order,
                          gdn_partials *F);

/* Adds the sigmoid GAN losses under instance noise sigma (noise.c):
 * L_D = S(0, v) + S(t, v), L_G = -S(t, v) or, nonsaturating, S(-t, v),
 * v = sigma^2 a, S(m, v) = E softplus(m + sqrt(v) z). */
int gdn__noisy_sigmoid(int nonsaturating, double sigma, double t, double a,
                       int order, gdn_partials *F, gdn_partials *G);

#endif
