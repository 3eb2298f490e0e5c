/*
 * dopri5_tableau.h - internal: the coefficients of Dormand & Prince's 5(4)
 * pair and of its dense output (dopri5.c, over lanes: single runs and
 * batched sweeps alike).
 */
#ifndef GANDYN_DOPRI5_TABLEAU_H
#define GANDYN_DOPRI5_TABLEAU_H

/* The Butcher tableau. */
static const double A21 = 1.0 / 5;
static const double A31 = 3.0 / 40, A32 = 9.0 / 40;
static const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
static const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187,
                    A53 = 64448.0 / 6561, A54 = -212.0 / 729;
static const double A61 = 9017.0 / 3168, A62 = -355.0 / 33,
                    A63 = 46732.0 / 5247, A64 = 49.0 / 176,
                    A65 = -5103.0 / 18656;
static const double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192,
                    A75 = -2187.0 / 6784, A76 = 11.0 / 84;
/* b5 - b4: the error weights. */
static const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920,
                    E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;
/* Dense output weights. */
static const double D1 = -12715105075.0 / 11282082432.0,
                    D3 = 87487479700.0 / 32700410799.0,
                    D4 = -10690763975.0 / 1880347072.0,
                    D5 = 701980252875.0 / 199316789632.0,
                    D6 = -1453857185.0 / 822651844.0,
                    D7 = 69997945.0 / 29380423.0;

#endif
