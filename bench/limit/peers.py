"""peers.py - numpy and PyTorch doing gandyn's 2-D Dirac GAN steps, one
thread, float64 (bench/limit.sh runs it; see bench/README.md).

    peers.py IMPL STARTS N STEPS [--model nsgan|gan] [--opt simgd|altgd]
             [--lr LR] [--dump FILE]

IMPL: numpy-natural (plain array expressions, a new array per operation),
numpy-tuned (preallocated float64 buffers, every ufunc with out=, in place,
one exp(-t) for both sigmoids), torch-tuned (preallocated float64
tensors, in-place ops, torch.sigmoid, torch.set_num_threads(1)).  STARTS is
the raw float64 N x 4 file of `plain starts` (gandyn sweep's starts).  Only
the STEPS steps are timed, in process CPU time (time.process_time).  The
step (src/dynamics/fused.c's, gd.c's order for altgd):
    t = theta.phi; phi <- phi - lr sigmoid(t) theta;
    theta <- theta + lr sigmoid(-t) phi    (gan: + lr sigmoid(t) phi)
altgd updates phi first and takes theta's t at the new phi.
Prints key=value: cpu_s, theta_norm0 (|theta| of point 0 at the end),
and the library versions.
"""
import os
import sys

for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
          "BLIS_NUM_THREADS"):
    os.environ[v] = "1"

import time  # noqa: E402

import numpy as np  # noqa: E402


def numpy_natural(x, steps, lr, ns, alt):
    p1, p2, q1, q2 = (x[:, i].copy() for i in range(4))
    t0 = time.process_time()
    for _ in range(steps):
        t = p1 * q1 + p2 * q2
        s = 1 / (1 + np.exp(-t))
        if alt:
            p1, p2 = p1 - lr * s * q1, p2 - lr * s * q2
            t = p1 * q1 + p2 * q2
            s = 1 / (1 + np.exp(-t))
        g = 1 / (1 + np.exp(t)) if ns else s
        if alt:
            q1, q2 = q1 + lr * g * p1, q2 + lr * g * p2
        else:
            p1, p2, q1, q2 = (p1 - lr * s * q1, p2 - lr * s * q2,
                              q1 + lr * g * p1, q2 + lr * g * p2)
    dt = time.process_time() - t0
    return dt, np.stack([p1, p2, q1, q2], axis=1)


def numpy_tuned(x, steps, lr, ns, alt):
    p1, p2, q1, q2 = (np.ascontiguousarray(x[:, i]) for i in range(4))
    n = len(p1)
    t, u, v, e, r, s, g = (np.empty(n) for _ in range(7))

    def sig(a, b):  # t from phi = (a, b); s = lr sigmoid(t), g = lr sigmoid(-t)
        np.multiply(a, q1, out=t)
        np.multiply(b, q2, out=u)
        np.add(t, u, out=t)
        np.negative(t, out=e)
        np.exp(e, out=e)                 # e = exp(-t): one exp for both
        np.add(e, 1.0, out=r)
        np.divide(lr, r, out=s)          # lr / (1 + e^-t)
        if ns:
            np.multiply(e, s, out=g)     # lr e^-t / (1 + e^-t)
        # (|t| stays far below 709 here; a select on t >= 0 avoiding the
        # overflow, np.copyto(where=), cost 20 ns per element: slower)

    t0 = time.process_time()
    for _ in range(steps):
        sig(p1, p2)
        if alt:
            np.multiply(s, q1, out=u)
            np.subtract(p1, u, out=p1)
            np.multiply(s, q2, out=u)
            np.subtract(p2, u, out=p2)
            sig(p1, p2)
            gg = g if ns else s
            np.multiply(gg, p1, out=u)
            np.add(q1, u, out=q1)
            np.multiply(gg, p2, out=u)
            np.add(q2, u, out=q2)
        else:
            gg = g if ns else s
            np.multiply(s, q1, out=u)
            np.multiply(gg, p1, out=v)
            np.subtract(p1, u, out=p1)
            np.add(q1, v, out=q1)
            np.multiply(s, q2, out=u)
            np.multiply(gg, p2, out=v)
            np.subtract(p2, u, out=p2)
            np.add(q2, v, out=q2)
    dt = time.process_time() - t0
    return dt, np.stack([p1, p2, q1, q2], axis=1)


def torch_tuned(x, steps, lr, ns, alt):
    import torch
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.set_grad_enabled(False)
    X = torch.from_numpy(np.ascontiguousarray(x.T.copy()))
    p1, p2, q1, q2 = (X[i].clone() for i in range(4))
    n = p1.shape[0]
    t, u, s, g = (torch.empty(n, dtype=torch.float64) for _ in range(4))

    def sig(a, b):
        torch.mul(a, q1, out=t)
        t.addcmul_(b, q2)
        torch.sigmoid(t, out=s)
        if ns:
            torch.neg(t, out=u)
            torch.sigmoid(u, out=g)

    t0 = time.process_time()
    for _ in range(steps):
        sig(p1, p2)
        if alt:
            p1.addcmul_(s, q1, value=-lr)
            p2.addcmul_(s, q2, value=-lr)
            sig(p1, p2)
            gg = g if ns else s
            q1.addcmul_(gg, p1, value=lr)
            q2.addcmul_(gg, p2, value=lr)
        else:
            gg = g if ns else s
            torch.mul(gg, p1, out=u)
            p1.addcmul_(s, q1, value=-lr)
            q1.add_(u, alpha=lr)
            torch.mul(gg, p2, out=u)
            p2.addcmul_(s, q2, value=-lr)
            q2.add_(u, alpha=lr)
    dt = time.process_time() - t0
    return dt, torch.stack([p1, p2, q1, q2], dim=1).numpy()


IMPLS = {"numpy-natural": numpy_natural, "numpy-tuned": numpy_tuned,
         "torch-tuned": torch_tuned}


def main(argv):
    impl, starts, N, steps = argv[1], argv[2], int(argv[3]), int(argv[4])
    opts = dict(zip(argv[5::2], argv[6::2]))
    model = opts.get("--model", "nsgan")
    alt = opts.get("--opt", "simgd") == "altgd"
    lr = float(opts.get("--lr", "0.1"))
    x = np.fromfile(starts, dtype=np.float64, count=N * 4).reshape(N, 4)
    dt, xf = IMPLS[impl](x, steps, lr, model == "nsgan", alt)
    vers = "numpy=" + np.__version__
    if impl.startswith("torch"):
        import torch
        vers += " torch=" + torch.__version__
    print("cpu_s=%.6f theta_norm0=%.17g %s" % (dt, np.hypot(xf[0, 2], xf[0, 3]),
                                               vers))
    if "--dump" in opts:
        np.savetxt(opts["--dump"], xf[:1000], fmt="%.17g")


if __name__ == "__main__":
    main(sys.argv)
