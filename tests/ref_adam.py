#!/usr/bin/python3
"""ref_adam.py - gandyn's Adam and RMSprop against PyTorch's update formulas.

Usage:  /usr/bin/python3 tests/ref_adam.py PATH_TO_GANDYN

For each case this runs

    gandyn simulate --model nsgan --opt SPEC --steps 200 --out F.csv --quiet

from the default start (the seed's phi = (0.1, 0.2), theta = (0.2, 0.1)),
reads every step back and compares it with an independent numpy
implementation of PyTorch's documented algorithms (torch.optim.Adam and
torch.optim.RMSprop, no weight decay, amsgrad=False, centered=False,
momentum=0, maximize=False), applied per player to the nsgan field written
out here from docs/models.md:

    xi_phi   = sigmoid(t) theta          (phi'   = -sigmoid(t) theta)
    xi_theta = -(1 - sigmoid(t)) phi     (theta' = (1 - sigmoid(t)) phi)

Adam, step k of a player (k counts that player's own updates):
    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
    denom = sqrt(v) / sqrt(1 - b2^k) + eps;  step = lr / (1 - b1^k)
    p = p - step * m / denom
RMSprop:
    v = alpha v + (1 - alpha) g^2;  p = p - lr g / (sqrt(v) + eps)

Schedules: sim (both players' gradients at the same point) and alt with
order dg (D's ndis updates first, G then sees the new phi) or gd.

Every component of every step must agree to 1e-12.  The last line printed
is always "N passed, M failed"; exit status 0 when all pass, 1 otherwise,
2 on bad usage or a missing numpy.
"""

import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
except ImportError as e:  # pragma: no cover - environment problem
    print("ref_adam.py: needs numpy (run it with /usr/bin/python3): %s" % e)
    print("0 passed, 1 failed")
    sys.exit(2)

TOL = 1e-12
STEPS = 200
X0 = np.array([0.1, 0.2, 0.2, 0.1])


def sigmoid(u):
    if u >= 0:
        return 1.0 / (1.0 + np.exp(-u))
    e = np.exp(u)
    return e / (1.0 + e)


def xi_nsgan(x):
    phi, th = x[:2], x[2:]
    t = float(th @ phi)
    s, sm = sigmoid(t), sigmoid(-t)
    return np.concatenate((s * th, -sm * phi))


class Adam:
    """torch.optim.Adam's per-parameter update for one player."""

    def __init__(self, lr, b1, b2, eps, n):
        self.lr, self.b1, self.b2, self.eps = lr, b1, b2, eps
        self.m = np.zeros(n)
        self.v = np.zeros(n)
        self.k = 0

    def step(self, p, g):
        self.k += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        bc1 = 1 - self.b1 ** self.k
        bc2 = 1 - self.b2 ** self.k
        denom = np.sqrt(self.v) / np.sqrt(bc2) + self.eps
        return p - (self.lr / bc1) * (self.m / denom)


class RMSprop:
    """torch.optim.RMSprop (not centered, no momentum) for one player."""

    def __init__(self, lr, alpha, eps, n):
        self.lr, self.alpha, self.eps = lr, alpha, eps
        self.v = np.zeros(n)

    def step(self, p, g):
        self.v = self.alpha * self.v + (1 - self.alpha) * g * g
        return p - self.lr * (g / (np.sqrt(self.v) + self.eps))


def reference(make_opt, lr_d, lr_g, schedule, order, ndis, steps):
    """States after 0..steps steps; make_opt(lr) builds one player's
    optimizer."""
    d, g = make_opt(lr_d), make_opt(lr_g)
    x = X0.copy()
    out = [x.copy()]
    for _ in range(steps):
        if schedule == "sim":
            xi = xi_nsgan(x)
            phi = d.step(x[:2], xi[:2])
            th = g.step(x[2:], xi[2:])
            x = np.concatenate((phi, th))
        else:
            if order == "gd":
                xi = xi_nsgan(x)
                x = np.concatenate((x[:2], g.step(x[2:], xi[2:])))
            for _ in range(ndis):
                xi = xi_nsgan(x)
                x = np.concatenate((d.step(x[:2], xi[:2]), x[2:]))
            if order == "dg":
                xi = xi_nsgan(x)
                x = np.concatenate((x[:2], g.step(x[2:], xi[2:])))
        out.append(x.copy())
    return np.array(out)


def run_gandyn(exe, spec, path):
    cmd = [exe, "simulate", "--model", "nsgan", "--opt", spec, "--steps",
           str(STEPS), "--out", path, "--quiet"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode,
                                                 r.stderr.strip()))
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return header, data


# (SPEC for gandyn, optimizer factory, lr_d, lr_g, schedule, order, ndis)
def adam(b1, b2, eps):
    return lambda lr: Adam(lr, b1, b2, eps, 2)


def rmsprop(alpha, eps):
    return lambda lr: RMSprop(lr, alpha, eps, 2)


CASES = [
    ("adam:lr=0.01,beta1=0.5,beta2=0.9,eps=1e-8",
     adam(0.5, 0.9, 1e-8), 0.01, 0.01, "sim", "dg", 1),
    ("adam:lr=0.01,beta1=0.5,beta2=0.9,eps=1e-8,schedule=alt",
     adam(0.5, 0.9, 1e-8), 0.01, 0.01, "alt", "dg", 1),
    ("adam:lr=0.01,beta1=0.5,beta2=0.9,eps=1e-8,schedule=alt,order=gd",
     adam(0.5, 0.9, 1e-8), 0.01, 0.01, "alt", "gd", 1),
    ("adam:lr=0.02,lr_g=0.005,beta1=0.9,beta2=0.999,eps=1e-3,"
     "schedule=alt,ndis=3",
     adam(0.9, 0.999, 1e-3), 0.02, 0.005, "alt", "dg", 3),
    ("adam", adam(0.9, 0.999, 1e-8), 0.01, 0.01, "sim", "dg", 1),
    ("rmsprop:lr=0.01,alpha=0.9,eps=1e-8",
     rmsprop(0.9, 1e-8), 0.01, 0.01, "sim", "dg", 1),
    ("rmsprop:lr=0.01,alpha=0.9,eps=1e-8,schedule=alt",
     rmsprop(0.9, 1e-8), 0.01, 0.01, "alt", "dg", 1),
    ("rmsprop:lr=0.02,lr_d=0.03,alpha=0.5,eps=1e-2,schedule=alt,order=gd,"
     "ndis=2",
     rmsprop(0.5, 1e-2), 0.03, 0.02, "alt", "gd", 2),
    ("rmsprop", rmsprop(0.99, 1e-8), 0.01, 0.01, "sim", "dg", 1),
]


def main():
    if len(sys.argv) != 2:
        print("usage: ref_adam.py PATH_TO_GANDYN")
        print("0 passed, 1 failed")
        return 2
    exe = sys.argv[1]
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="gandyn_ref_adam_")
    try:
        for k, (spec, factory, lr_d, lr_g, sched, order, ndis) in \
                enumerate(CASES):
            path = os.path.join(tmp, "run%d.csv" % k)
            try:
                header, got = run_gandyn(exe, spec, path)
            except (RuntimeError, OSError, ValueError) as e:
                print("FAIL %s: %s" % (spec, e))
                failed += 1
                continue
            want = reference(factory, lr_d, lr_g, sched, order, ndis, STEPS)
            ok = True
            if header != ["step", "phi1", "phi2", "theta1", "theta2"]:
                print("FAIL %s: unexpected header %s" % (spec, header))
                ok = False
            elif got.shape != (STEPS + 1, 5):
                print("FAIL %s: %s values, expected %s"
                      % (spec, got.shape, (STEPS + 1, 5)))
                ok = False
            else:
                if not np.array_equal(got[:, 0], np.arange(STEPS + 1)):
                    print("FAIL %s: step column is not 0..%d" % (spec, STEPS))
                    ok = False
                err = np.abs(got[:, 1:] - want)
                worst = float(err.max())
                moved = float(np.abs(want[-1] - want[0]).max())
                if not worst <= TOL:
                    k_bad = int(np.argmax(err.max(axis=1)))
                    print("FAIL %s: max |gandyn - reference| = %.3g > %g "
                          "(first at step %d: gandyn %s, reference %s)"
                          % (spec, worst, TOL,
                             int(np.argmax(err.max(axis=1) > TOL)),
                             got[k_bad, 1:], want[k_bad]))
                    ok = False
                elif not moved > 1e-2:
                    print("FAIL %s: the reference barely moves (%.3g)"
                          % (spec, moved))
                    ok = False
                else:
                    print("ok   %-70s max |diff| %.2e over %d steps"
                          % (spec, worst, STEPS))
            if ok:
                passed += 1
            else:
                failed += 1
        # the comparison can fail: the reference without bias correction
        # (a common mistake) must NOT match gandyn's Adam
        spec = CASES[0][0]
        try:
            _, got = run_gandyn(exe, spec, os.path.join(tmp, "neg.csv"))

            class AdamNoBC(Adam):
                def step(self, p, g):
                    self.k += 1
                    self.m = self.b1 * self.m + (1 - self.b1) * g
                    self.v = self.b2 * self.v + (1 - self.b2) * g * g
                    return p - self.lr * self.m / (np.sqrt(self.v) + self.eps)

            wrong = reference(lambda lr: AdamNoBC(lr, 0.5, 0.9, 1e-8, 2),
                              0.01, 0.01, "sim", "dg", 1, STEPS)
            diff = float(np.abs(got[:, 1:] - wrong).max())
            if diff > 1e-4:
                print("ok   negative control: Adam without bias correction "
                      "differs by %.3g" % diff)
                passed += 1
            else:
                print("FAIL negative control: Adam without bias correction "
                      "matches (%.3g)" % diff)
                failed += 1
        except (RuntimeError, OSError, ValueError) as e:
            print("FAIL negative control: %s" % e)
            failed += 1
    finally:
        for name in os.listdir(tmp):
            os.remove(os.path.join(tmp, name))
        os.rmdir(tmp)
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
