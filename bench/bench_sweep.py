"""bench_sweep.py - gandyn's sweeps against numpy and scipy; prints tables.

Measured in one run (see README.md, section "Sweeps"):

  (a) nsgan 2-D, simgd lr 0.1, 1000 steps from 10^6 starts uniform in
      [-1, 1]^4: gandyn_bench_sweep (gdn_sweep_run in-process, every = 1000,
      all threads and 1 thread) against numpy over arrays of 10^6 (the
      natural vectorised update, one thread: numpy's element-wise ops do not
      thread), timed over a reduced number of steps and scaled linearly;
  (b) the same with the flow integrated by fixed-step RK4, h = 0.1 to
      T = 100 (1000 steps), against the natural RK4 over numpy arrays;
  (c) the flow by adaptive dopri5 from 10^4 starts to T = 100 (dt = 100:
      only the end is sampled) at gandyn's default tolerances (rtol 1e-10,
      atol 1e-12) and the seed's (1e-3, 1e-6), against a loop of scipy
      solve_ivp(method='RK45') at equal tolerances over a subset of the
      starts, scaled;

  growth: simgd 1000 steps against points (10^3..10^6), steps (100..10^4,
      10^5 points) and dimension n (2..1024, fewer points at large n; the
      default batch of 256 and a batch of 16);

  flops: per point-step of (a), counted from src/sweep/kernels.c, and the
      achieved GFLOP/s against the machine's double-precision peak.

Results are checked: numpy's and scipy's final states against gdn_run's on
the first starts, the records bit for bit across thread counts, the CLI's
records against the library's.  Speed targets are reported (met or the gap),
never an error.

usage: /usr/bin/python3 bench/bench_sweep.py --bench PATH --gandyn PATH
                                             [--quick] [--out-dir DIR]

Exit status 0 when everything ran, 1 when something failed to run or a
result was wrong.
"""
import argparse
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp

LR = 0.1


def default_batch(n):
    """The sweep's default batch for the fixed-step kernels (kernels.c)."""
    return min(256, max(16, 16384 // n))

FLOPS_EXP = 20   # the brief's convention for one exp
# gdn__exp_neg (src/models/fastexp.h), which the kernels now call, counted:
# round(x/ln2) 3, r (two-constant Cody-Waite) 4, the Taylor polynomial to
# r^13 in Horner form 26, the exponent split k1, k2 and the biases 4, the
# two scalings 2 (the clamp's two compares and the shifts not counted).
FLOPS_FASTEXP = 41
# Per point-step of simgd on nsgan, no regularizer, as src/sweep/kernels.c
# executes it (field() then descend() on each player), for dimension n:
#   t = 0; t += theta_i * phi_i            2n   (n mul, n add)
#   e = exp(-|t|)                          ~20  (stated assumption)
#   r = 1 / (1 + e)                         2   (add, div)
#   e * r (s or sm)                         1
#   p = 0 + s, g = 0 - sm                   2   (q2 = s2 = 2*0 fold to 0)
#   xi_phi = p th + q2 ph, xi_th = g ph + s2 th   6n  (4n mul, 2n add)
#   x -= lr * xi, both players              4n  (2n mul, 2n sub)
# = 12 n + 25 (49 at n = 2).  The update itself needs 8 n + 22 (38 at
# n = 2): the dot product 2n - 1, exp, 1 + e, the division, e * r, the
# field's 2n products and the 4n of the updates; the rest are the products
# with the zero coefficients q2, s2 and their adds (4n) and 0 + t, 0 + s,
# 0 - sm (3), which kernels.c keeps to match the generic path bit for bit.

def flops_simgd(n, fexp=FLOPS_EXP):
    return 12 * n + 5 + fexp


def flops_simgd_min(n):
    return (2 * n - 1) + FLOPS_EXP + 3 + 2 * n + 4 * n


# One RK4 step of the flow (kernels.c run_flow, K_RK4): four flow_rhs (the
# field, 8 n + 5 + exp, then -(lr * xi): 2n mul), three stages
# yt = y + c h k (2 flops per coordinate, c h hoisted), the update
# y += h/6 (k0 + 2 k1 + 2 k2 + k3) (7 per coordinate, h/6 hoisted).
def flops_rk4(n, fexp=FLOPS_EXP):
    rhs = 8 * n + 5 + fexp + 2 * n
    return 4 * rhs + 3 * 2 * (2 * n) + 7 * (2 * n)


def fail(msg):
    print("bench_sweep.py: " + msg, file=sys.stderr)
    sys.exit(1)


def log(msg):
    print("== " + msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------- machine

def machine():
    info = {"cpu": "unknown", "mhz": None, "flags": set(), "cores": None}
    try:
        with open("/proc/cpuinfo") as fp:
            for line in fp:
                key, _, val = line.partition(":")
                key = key.strip()
                if key == "model name" and info["cpu"] == "unknown":
                    info["cpu"] = val.strip()
                elif key == "cpu MHz" and info["mhz"] is None:
                    info["mhz"] = float(val)
                elif key == "flags" and not info["flags"]:
                    info["flags"] = set(val.split())
    except OSError:
        pass
    info["cores"] = len(os.sched_getaffinity(0))
    return info


def peaks(m):
    """Double-precision peaks in GFLOP/s, with and without FMA, and how."""
    ghz = (m["mhz"] or 0) / 1000.0
    cores = m["cores"]
    fl = m["flags"]
    if "avx512f" in fl:
        lanes, isa = 8, "AVX-512"
    elif "avx" in fl:
        lanes, isa = 4, "AVX/AVX2"
    else:
        lanes, isa = 2, "SSE2"
    fma = 2 if "fma" in fl else 1
    per_fma = 2 * lanes * fma     # two vector units, an FMA = 2 flops
    per_plain = 2 * lanes         # two vector units, one mul or add each
    how = ("%d cores x %.2f GHz x %%d flops/cycle (%s: 2 units x %d doubles"
           % (cores, ghz, isa, lanes))
    return (cores * ghz * per_fma, (how % per_fma) + (" x 2 for FMA)" if
                                                     fma == 2 else ")"),
            cores * ghz * per_plain, (how % per_plain) +
            ", no FMA: the library is built with -ffp-contract=off)")


def git_state():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short",
                               "HEAD"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL,
                              universal_newlines=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain",
                                "--", "src", "include", "CMakeLists.txt"],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL,
                               universal_newlines=True).stdout.strip()
    except OSError:
        return "?"
    return (head or "?") + (" (library sources modified)" if dirty else "")


def loadavg():
    try:
        with open("/proc/loadavg") as fp:
            return " ".join(fp.read().split()[:3])
    except OSError:
        return "?"


# ------------------------------------------------------------- the C side

def run_c(bench, args):
    cmd = [bench] + [str(a) for a in args]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode != 0:
        fail("%s failed (%d): %s" % (" ".join(cmd), r.returncode,
                                     r.stderr.strip()))
    rows = []
    for line in r.stdout.splitlines():
        d = {}
        for kv in line.split():
            k, _, v = kv.partition("=")
            d[k] = v
        if "median_s" not in d:
            continue
        d["median_s"] = float(d["median_s"])
        d["min_s"] = float(d["min_s"])
        d["threads"] = int(d["threads"])
        rows.append(d)
    if not rows:
        fail("%s printed no result" % " ".join(cmd))
    for d in rows:
        if d.get("same", "1") != "1":
            fail("%s: the records differ between thread counts" %
                 " ".join(cmd))
    return rows


def read_dump(path, n=2):
    d = np.genfromtxt(path, delimiter=",", names=True)
    m = 2 * n
    x0 = np.stack([d["x0_%d" % i] for i in range(m)], axis=1)
    xf = np.stack([d["xf_%d" % i] for i in range(m)], axis=1)
    return d, x0, xf


# ------------------------------------------------------------- numpy side

def np_sig(t):
    """sigmoid(t) and sigmoid(-t), stable: one exp of -|t|."""
    e = np.exp(-np.abs(t))
    r = 1.0 / (1.0 + e)
    pos = t >= 0
    return np.where(pos, r, e * r), np.where(pos, e * r, r)


def np_simgd(p1, p2, t1, t2, steps, lr=LR):
    for _ in range(steps):
        t = p1 * t1 + p2 * t2
        s, sm = np_sig(t)
        p1, p2, t1, t2 = (p1 - lr * s * t1, p2 - lr * s * t2,
                          t1 + lr * sm * p1, t2 + lr * sm * p2)
    return p1, p2, t1, t2


def np_field(p1, p2, t1, t2):
    """The nsgan flow: phi' = -sigmoid(t) theta, theta' = sigmoid(-t) phi."""
    s, sm = np_sig(p1 * t1 + p2 * t2)
    return -s * t1, -s * t2, sm * p1, sm * p2


def np_rk4(y, steps, h):
    for _ in range(steps):
        k1 = np_field(*y)
        k2 = np_field(*[a + 0.5 * h * k for a, k in zip(y, k1)])
        k3 = np_field(*[a + 0.5 * h * k for a, k in zip(y, k2)])
        k4 = np_field(*[a + h * k for a, k in zip(y, k3)])
        y = [a + h / 6 * (q1 + 2 * q2 + 2 * q3 + q4)
             for a, q1, q2, q3, q4 in zip(y, k1, k2, k3, k4)]
    return y


def time_numpy(kind, npts, steps_timed, warm=2):
    """Seconds per step over arrays of npts (kind: simgd or rk4)."""
    rng = np.random.default_rng(1)
    y = [rng.uniform(-1, 1, npts) for _ in range(4)]
    if kind == "simgd":
        y = list(np_simgd(*y, warm))
        t0 = time.perf_counter()
        np_simgd(*y, steps_timed)
    else:
        y = np_rk4(y, warm, 0.1)
        t0 = time.perf_counter()
        np_rk4(y, steps_timed, 0.1)
    return (time.perf_counter() - t0) / steps_timed


# ------------------------------------------------------------- scipy side

def F(t, x):
    """The seed's field (bojone/gan gan_numeric.py), as in bench.py."""
    varphi1, varphi2, theta1, theta2 = x
    p = 1 / (1 + np.exp(-(varphi1 * theta1 + varphi2 * theta2)))
    return [-p * theta1, -p * theta2, (1 - p) * varphi1, (1 - p) * varphi2]


def scipy_loop(x0s, rtol, atol, t_end=100.0):
    finals, steps, nfev = [], [], []
    t0 = time.perf_counter()
    for y0 in x0s:
        sol = solve_ivp(F, (0, t_end), y0, method="RK45", rtol=rtol,
                        atol=atol)
        if sol.status != 0:
            fail("solve_ivp failed: " + sol.message)
        finals.append(sol.y[:, -1])
        steps.append(len(sol.t) - 1)
        nfev.append(sol.nfev)
    return (time.perf_counter() - t0, np.array(finals), np.array(steps),
            np.array(nfev))


# ------------------------------------------------------------- formatting

def si(x, unit=""):
    for f, p in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= f:
            return "%.3g %s%s" % (x / f, p, unit)
    return ("%.3g %s" % (x, unit)).strip()


def secs(x):
    if x >= 1:
        return "%.3g s" % x
    if x >= 1e-3:
        return "%.3g ms" % (x * 1e3)
    return "%.3g µs" % (x * 1e6)


def verdict(ratio, target):
    if ratio >= target:
        return "met (%.0fx >= %gx)" % (ratio, target)
    return "**MISSED**: %.1fx, %.1fx short of %gx" % (ratio, target / ratio,
                                                     target)


def table(head, rows):
    out = ["| " + " | ".join(head) + " |",
           "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--gandyn", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out-dir", default=None)
    a = ap.parse_args()
    for p in (a.bench, a.gandyn):
        if not os.access(p, os.X_OK):
            fail("not executable: " + p)
    q = a.quick
    out_dir = a.out_dir or tempfile.mkdtemp(prefix="gandyn-sweep-bench-")
    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="gandyn-sweep-tmp-")

    mach = machine()
    peak_f, peak_f_how, peak_p, peak_p_how = peaks(mach)
    ghz = (mach["mhz"] or 0) / 1000.0
    load0 = loadavg()
    started = datetime.datetime.now()

    NA = 10**5 if q else 10**6          # points of (a), (b)
    NC = 10**3 if q else 10**4          # trajectories of (c)
    NP_CHUNK, NP_CHUNKS = (5, 2) if q else (20, 3)      # numpy simgd steps
    NP_CHUNK_RK4, NP_CHUNKS_RK4 = (2, 2) if q else (5, 3)
    SC_SUB = 20 if q else 200           # scipy trajectories timed
    NCHK = 1000                         # starts checked against numpy
    REPS_A, REPS_B, REPS_C = (1, 1, 1) if q else (3, 2, 3)
    B = a.bench

    # ---------------------------------------------------------------- (a)
    log("(a) simgd: gandyn %d points x 1000 steps, %d thread counts x %d"
        % (NA, 2, REPS_A))
    dump_a = os.path.join(tmp, "a.csv")
    ga = run_c(B, ["--opt", "simgd:lr=0.1", "--points", NA, "--steps", 1000,
                   "--every", 1000, "--threads", "0,1", "--reps", REPS_A,
                   "--dump", dump_a, "--dump-count", NCHK])
    nthreads = ga[0]["threads"]
    log("(a) simgd: numpy, best of %d x %d steps over %d points" %
        (NP_CHUNKS, NP_CHUNK, NA))
    np_a = min(time_numpy("simgd", NA, NP_CHUNK)
               for _ in range(NP_CHUNKS)) * 1000
    # check: numpy's 1000 steps on the first starts against gdn_run
    d, x0, xf = read_dump(dump_a)
    yn = np.stack(np_simgd(*x0.T, 1000), axis=1)
    err_a = np.max(np.abs(yn - xf) / np.maximum(1, np.abs(xf)))
    th = np.hypot(xf[:, 2], xf[:, 3])
    rec_a = np.max(np.abs(d["theta_norm"] - th) / th)
    if not err_a < 1e-9 or not rec_a < 1e-14:
        fail("(a): numpy and gandyn disagree (%.3g) or the records do not "
             "match gdn_run (%.3g)" % (err_a, rec_a))
    # the CLI on the same sweep: whole process, and the same records
    log("(a) simgd: gandyn sweep CLI, the same %d points" % NA)
    npy = os.path.join(tmp, "a.npy")
    t0 = time.perf_counter()
    r = subprocess.run([a.gandyn, "sweep", "--model", "nsgan", "--opt",
                        "simgd:lr=0.1", "--steps", "1000", "--every", "1000",
                        "--random", str(NA), "--out", npy, "--quiet"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       universal_newlines=True)
    cli_a = time.perf_counter() - t0
    if r.returncode != 0:
        fail("gandyn sweep failed: " + r.stderr.strip())
    cli = np.load(npy)
    recs = np.stack([d[k] for k in ("label", "theta_norm", "phi_norm",
                                    "gram", "distance")], axis=1)
    if not (cli.shape[0] == NA and np.array_equal(cli[:NCHK, :4], x0)
            and np.array_equal(cli[:NCHK, 4:9], recs)):
        fail("(a): the CLI's starts or records differ from the library's")

    # ---------------------------------------------------------------- (b)
    log("(b) RK4: gandyn %d points x 1000 steps" % NA)
    dump_b = os.path.join(tmp, "b.csv")
    gb = run_c(B, ["--opt", "flow:method=rk4,h=0.1", "--points", NA,
                   "--t-end", 100, "--dt", 100, "--threads", "0,1",
                   "--reps", REPS_B, "--dump", dump_b, "--dump-count", NCHK])
    log("(b) RK4: numpy, best of %d x %d steps over %d points" %
        (NP_CHUNKS_RK4, NP_CHUNK_RK4, NA))
    np_b = min(time_numpy("rk4", NA, NP_CHUNK_RK4)
               for _ in range(NP_CHUNKS_RK4)) * 1000
    d, x0, xf = read_dump(dump_b)
    yn = np.stack(np_rk4(list(x0.T), 1000, 0.1), axis=1)
    err_b = np.max(np.abs(yn - xf) / np.maximum(1, np.abs(xf)))
    if not err_b < 1e-9:
        fail("(b): numpy RK4 and gandyn disagree (%.3g)" % err_b)
    steps_b = int(d["accepted"][0])

    # ---------------------------------------------------------------- (c)
    rows_c = []
    for rtol, atol, label in ((1e-10, 1e-12, "gandyn defaults"),
                              (1e-3, 1e-6, "seed (scipy defaults)")):
        log("(c) dopri5 rtol %g: gandyn %d trajectories" % (rtol, NC))
        dump_c = os.path.join(tmp, "c.csv")
        gc = run_c(B, ["--opt", "flow:rtol=%g,atol=%g" % (rtol, atol),
                       "--points", NC, "--t-end", 100, "--dt", 100,
                       "--threads", "0,1", "--reps", REPS_C,
                       "--dump", dump_c, "--dump-count", SC_SUB])
        d, x0, xf = read_dump(dump_c)
        log("(c) dopri5 rtol %g: scipy RK45 loop, %d trajectories" %
            (rtol, SC_SUB))
        sc_t, sc_f, sc_steps, sc_nfev = scipy_loop(x0, rtol, atol)
        rows_c.append(dict(label=label, rtol=rtol, atol=atol, g=gc,
                           sc_per=sc_t / SC_SUB, sc_t=sc_t,
                           g_steps=d["accepted"].mean(),
                           g_rej=d["rejected"].mean(),
                           g_nfev=d["nevals"].mean(),
                           sc_steps=sc_steps.mean(), sc_nfev=sc_nfev.mean(),
                           diff=np.max(np.abs(sc_f - xf))))

    # ------------------------------------------------------------- growth
    growth = []   # (kind, x, seconds, point_steps)
    log("growth: points")
    for npts in ([10**3, 10**4] if q else [10**3, 10**4, 10**5]):
        g = run_c(B, ["--points", npts, "--steps", 1000, "--every", 1000,
                      "--threads", "0", "--reps", 5 if npts <= 10**4 else 3])
        growth.append(("points", npts, g[0]["min_s"], npts * 1000))
    growth.append(("points", NA, ga[0]["min_s"], NA * 1000))
    log("growth: steps")
    NS = 10**4 if q else 10**5
    for steps in ([100, 1000] if q else [100, 1000, 10000]):
        g = run_c(B, ["--points", NS, "--steps", steps, "--every", steps,
                      "--threads", "0", "--reps", 3 if steps < 10000 else 1])
        growth.append(("steps", steps, g[0]["min_s"], NS * steps))
    log("growth: dimension (the default batch, and 16)")
    pts_of = {2: 131072, 8: 32768, 32: 8192, 128: 2048, 512: 512, 1024: 512}
    if q:
        pts_of = {k: max(512, v // 8) for k, v in pts_of.items()}
    dim_rows = []
    for n in sorted(pts_of):
        row = [n, pts_of[n]]
        for bsz in (0, 16):
            g = run_c(B, ["--dim", n, "--points", pts_of[n], "--steps", 1000,
                          "--every", 1000, "--threads", "0", "--batch", bsz,
                          "--reps", 1 if q else 2])[0]
            row.append(g["min_s"])
        dim_rows.append(row)
    load1 = loadavg()

    # ------------------------------------------------------------- tables
    out = []
    P = out.append
    P("Measured %s with `bench/sweep.sh%s` at commit %s; %s (%d cores, %.0f MHz, %s); "
      "Python %s, numpy %s, scipy %s; load average %s at the start, %s at "
      "the end (others' builds and tests were running: 2-thread figures "
      "are the most affected)." % (
          started.strftime("%Y-%m-%d %H:%M"), " --quick" if q else "",
          git_state(), mach["cpu"], mach["cores"], mach["mhz"] or 0,
          ", ".join(f for f in ("avx2", "fma", "avx512f")
                    if f in mach["flags"]) or "no avx2",
          platform.python_version(), np.__version__, scipy.__version__,
          load0, load1))
    P("")
    P("gandyn: `gandyn_bench_sweep`, gdn_sweep_run in-process over starts "
      "uniform in [-1,1]^4 (splitmix64, seed 1: the starts of `gandyn sweep "
      "--random N`), %d threads ('all') and 1; best of %d runs for (a), %d "
      "for (b), %d for (c), the thread counts alternating. numpy: one thread (its element-wise operations "
      "do not thread); (a) timed over %d x %d steps and (b) over %d x %d "
      "RK4 steps on the full arrays, the best chunk scaled to 1000 steps. "
      "scipy: a loop of solve_ivp over the first %d starts, scaled to %s. "
      "Rates are trajectory-steps per second." % (
          nthreads, REPS_A, REPS_B, REPS_C, NP_CHUNKS, NP_CHUNK,
          NP_CHUNKS_RK4, NP_CHUNK_RK4, SC_SUB, si(NC)))
    P("")

    def rate(points, steps, s):
        return points * steps / s

    t_a2, t_a1 = ga[0]["min_s"], ga[1]["min_s"]
    t_b2, t_b1 = gb[0]["min_s"], gb[1]["min_s"]
    ra2, ra1, rnp = (rate(NA, 1000, t_a2), rate(NA, 1000, t_a1),
                     rate(NA, 1000, np_a))
    rb2, rb1, rnpb = (rate(NA, steps_b, t_b2), rate(NA, steps_b, t_b1),
                      rate(NA, steps_b, np_b))
    rows = [["(a) simgd lr 0.1, %s points x 1000 steps" % si(NA),
             "%s (%s)" % (si(ra2, "/s"), secs(t_a2)),
             "%s (%s)" % (si(ra1, "/s"), secs(t_a1)),
             "numpy: %s (%s)" % (si(rnp, "/s"), secs(np_a)),
             "**%.1fx** / %.1fx" % (ra2 / rnp, ra1 / rnp),
             verdict(ra2 / rnp, 20)],
            ["(b) flow RK4 h 0.1 to T 100, %s points x %d steps" % (
                si(NA), steps_b),
             "%s (%s)" % (si(rb2, "/s"), secs(t_b2)),
             "%s (%s)" % (si(rb1, "/s"), secs(t_b1)),
             "numpy: %s (%s)" % (si(rnpb, "/s"), secs(np_b)),
             "**%.1fx** / %.1fx" % (rb2 / rnpb, rb1 / rnpb),
             verdict(rb2 / rnpb, 20)]]
    for c in rows_c:
        t2, t1 = c["g"][0]["min_s"], c["g"][1]["min_s"]
        sc_all = c["sc_per"] * NC
        rows.append(["(c) dopri5 to T 100, rtol %g atol %g (%s), %s "
                     "trajectories" % (c["rtol"], c["atol"], c["label"],
                                       si(NC)),
                     "%s (%s; %s traj/s)" % (
                         si(NC * c["g_steps"] / t2, "/s"), secs(t2),
                         si(NC / t2)),
                     "%s (%s; %s traj/s)" % (
                         si(NC * c["g_steps"] / t1, "/s"), secs(t1),
                         si(NC / t1)),
                     "scipy RK45 loop: %s (%s; %s traj/s; measured: %d in "
                     "%s)" % (si(NC * c["sc_steps"] / sc_all, "/s"),
                              secs(sc_all), si(NC / sc_all), SC_SUB,
                              secs(c["sc_t"])),
                     "**%.0fx** / %.0fx" % (sc_all / t2, sc_all / t1),
                     verdict(sc_all / t2, 1000)])
    P(table(["case", "gandyn, %d threads" % nthreads, "gandyn, 1 thread",
             "reference, scaled to the whole case",
             "gandyn faster, %d threads / 1" % nthreads, "target "
             "(%d threads)" % nthreads], rows))
    P("")
    P("Steps per trajectory in (c) (first %d starts): " % SC_SUB +
      "; ".join("rtol %g: gandyn %.1f accepted + %.2f rejected, %.0f "
                "evaluations; scipy %.1f steps, %.0f evaluations" % (
                    c["rtol"], c["g_steps"], c["g_rej"], c["g_nfev"],
                    c["sc_steps"], c["sc_nfev"]) for c in rows_c) + ".")
    P("")

    chk = [["(a) numpy's 1000 steps vs gdn_run, first %d starts" % NCHK,
            "max rel. difference %.2g" % err_a],
           ["(a) records vs gdn_run's final state", "|theta|: max rel. "
            "difference %.2g" % rec_a],
           ["records, %d threads vs 1 (every case)" % nthreads,
            "bit-identical (FNV-1a of the records; (a): %s)" % ga[0]["hash"]],
           ["(a) `gandyn sweep --random %d` (whole process: %s) vs the "
            "library" % (NA, secs(cli_a)),
            "the same starts and records (first %d rows compared)" % NCHK],
           ["(b) numpy RK4 vs gdn_run, first %d starts" % NCHK,
            "max rel. difference %.2g" % err_b]]
    for c in rows_c:
        chk.append(["(c) scipy RK45 vs gandyn dopri5 at rtol %g, first %d "
                    "starts" % (c["rtol"], SC_SUB),
                    "max abs. difference of the final states %.2g" %
                    c["diff"]])
    chk.append(["(a) diagnosis labels (converges, circle, oscillates, "
                "diverges, undefined, undecided, stalls)",
                ga[0]["labels"].replace(",", ", ") + " (two samples: "
                "undecided expected)"])
    P(table(["check", "result"], chk))
    P("")

    fa, fa41 = flops_simgd(2), flops_simgd(2, FLOPS_FASTEXP)
    fb, fb41 = flops_rk4(2), flops_rk4(2, FLOPS_FASTEXP)
    rows = []
    for name, r2, r1, f, f41 in (
            ("(a) simgd", ra2, ra1, fa, fa41),
            ("(b) RK4", rb2, rb1, fb, fb41),
            ("(a) numpy", None, rnp, fa, fa41)):
        cyc = ghz * 1e9 / r1
        g2 = r2 * f / 1e9 if r2 else None
        rows.append([name, "%d (%d)" % (f, f41),
                     "%.3g ns" % (1e9 / r1), "%.0f" % cyc,
                     "%.2f (%.2f)" % (g2, r2 * f41 / 1e9) if r2 else "-",
                     "%.2f (%.2f)" % (r1 * f / 1e9, r1 * f41 / 1e9),
                     "%.1f %% / %.1f %%" % (100 * (g2 or r1 * f / 1e9) /
                                            peak_f, 100 * (g2 or r1 * f /
                                                           1e9) / peak_p)])
    P(table(["", "flops per point-step, exp as %d (as %d)" % (
        FLOPS_EXP, FLOPS_FASTEXP), "per point-step, 1 thread",
        "cycles per point-step, 1 thread", "GFLOP/s, %d threads" % nthreads,
        "GFLOP/s, 1 thread", "of peak (FMA / no FMA), %d threads (numpy: "
        "1)" % nthreads], rows))
    P("")
    P("Flops counted from src/sweep/kernels.c: (a) %d per point-step with "
      "exp as ~%d (12 n + 25 at n = 2: the dot product 4 (0 + a b + c d), "
      "exp, 1 + e and the division 2, e r 1, 0 + s and 0 - sm 2, the field "
      "with its zero terms q2 phi, s2 theta 12, the updates x - lr xi 8); "
      "%d without the zero terms and 0 + ... adds kept for bit-identity. "
      "In brackets: exp counted as %d, the flops of gdn__exp_neg "
      "(src/models/fastexp.h), the exp the kernels now call. (b) %d per "
      "RK4 step (four right-hand sides of 45, three stages of 8, the "
      "update 28). Peak: %.1f GFLOP/s = %s; %.1f GFLOP/s = %s. Assumed: "
      "the MHz /proc/cpuinfo reports is the sustained clock (a KVM guest; "
      "turbo unknown), two 512-bit FMA units per core." % (
          fa, FLOPS_EXP, flops_simgd_min(2), FLOPS_FASTEXP, fb, peak_f,
          peak_f_how, peak_p, peak_p_how))
    P("")

    rows = []
    base = {}
    for kind, x, s_, work in growth:
        per = s_ / work * 1e9
        base.setdefault(kind, per)
        rows.append([kind, "%s points x %s steps" % (
            si(x) if kind == "points" else si(NS),
            1000 if kind == "points" else x), secs(s_),
            si(work / s_, "/s"), "%.2f ns" % per,
            "%.2f" % (per / base[kind])])
    P(table(["varied", "sweep (simgd, n = 2, %d threads, best of 1-5)" %
             nthreads, "time", "point-steps/s", "per point-step",
             "per point-step / first row"], rows))
    P("")
    rows = []
    first = None
    for n, npts, s_def, s16 in dim_rows:
        per = s_def / (npts * 1000) * 1e9
        per16 = s16 / (npts * 1000) * 1e9
        if first is None:
            first = (per / n, per16 / n)
        rows.append([n, "%s x 1000" % si(npts), secs(s_def), "%.3g ns" % per,
                     "%.2f ns (x%.2f)" % (per / n, per / n / first[0]),
                     secs(s16), "%.3g ns" % per16,
                     "%.2f ns (x%.2f)" % (per16 / n, per16 / n / first[1]),
                     "%.3g MiB" % (3 * 2 * n * default_batch(n) * 8 / 2**20)])
    P(table(["n", "points x steps", "time, default batch",
             "per point-step", "per point-step / n (vs n = 2)",
             "time, batch 16", "per point-step", "per point-step / n "
             "(vs n = 2)", "simgd's working set at the default batch B = "
             "clamp(16384/n, 16, 256) (x, prev, xi: 3 x 2n x B doubles)"],
            rows))
    P("")

    csv = os.path.join(out_dir, "sweep_growth.csv")
    with open(csv, "w") as fp:
        fp.write("kind,x,y\n")
        for kind, x, s_, work in growth:
            fp.write("%s,%d,%.6g\n" % (kind, x, s_))
        for n, npts, s_def, s16 in dim_rows:
            fp.write("dim,%d,%.6g\n" % (n, s_def / (npts * 1000) * 1e9))
    png = os.path.join(out_dir, "sweep_growth.png")
    r = subprocess.run([B, "--plot-csv", csv, "--plot", png],
                       stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        fail("plot failed: " + r.stderr.strip())
    P("Growth data `%s`, figure `%s` (log-log; dashed: proportional to x "
      "through the last point; dimension: the default batch)." % (csv, png))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
