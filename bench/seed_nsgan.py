"""seed_nsgan.py - the seed's nsgan figure as a whole Python process.

The seed script (bojone/gan, gan_numeric.py, "Vanilla GAN") without its
plotting: the same field, the same solve_ivp call with scipy's default RK45
tolerances, and the path written as CSV so that it does the same job as
'gandyn simulate --out FILE.csv'.

usage: /usr/bin/python3 bench/seed_nsgan.py OUT.csv [RTOL ATOL]
"""
import sys

import numpy as np
from scipy.integrate import solve_ivp

T = 100
h = 0.1


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def F(t, x):
    varphi1, varphi2, theta1, theta2 = x
    p = sigmoid(varphi1 * theta1 + varphi2 * theta2)
    return [-p * theta1, -p * theta2, (1 - p) * varphi1, (1 - p) * varphi2]


tol = {}
if len(sys.argv) == 4:
    tol = dict(rtol=float(sys.argv[2]), atol=float(sys.argv[3]))
ts = np.arange(0, T, h)
xs = solve_ivp(F, (0, T), [0.1, 0.2, 0.2, 0.1], method='RK45', t_eval=ts,
               **tol)
np.savetxt(sys.argv[1], np.column_stack((xs.t, xs.y.T)), delimiter=',',
           header='t,phi1,phi2,theta1,theta2', comments='', fmt='%.17g')
