"""bench.py - gandyn vs scipy on the seed's figure; prints a results table.

The figure: nsgan, 2-D, start (phi, theta) = (0.1, 0.2, 0.2, 0.1), gradient
flow to T = 100, a sample every 0.1.  Both sides use the Dormand-Prince 5(4)
pair (gandyn's dopri5, scipy's RK45) at equal tolerances:

  (i)  rtol 1e-3,  atol 1e-6   the seed script's (scipy's defaults)
  (ii) rtol 1e-10, atol 1e-12  gandyn's defaults

Measured:
  in-process   gandyn: bench_flow (C, gdn_run_new + gdn_run_collect), median
               per trajectory; scipy: solve_ivp(F, (0, 100), y0,
               method='RK45', t_eval=np.arange(0, 100, 0.1)) with the seed's
               F, time.perf_counter, median per trajectory
  processes    wall time of whole processes (posix_spawn + waitpid, stdout to
               /dev/null), median of --proc-runs runs each after one warm-up:
               'gandyn simulate ... --out FILE.csv --quiet',
               '/usr/bin/python3 -c pass', '... -c "import scipy.integrate"',
               and bench/seed_nsgan.py (the seed script minus plotting,
               writing the same CSV)

usage: /usr/bin/python3 bench/bench.py --gandyn PATH --bench PATH
                                       [--quick] [--proc-runs N]

Exit status 0 when everything ran (missed speed targets are reported, not
errors), 1 when something failed.
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp

HERE = os.path.dirname(os.path.abspath(__file__))
T, H = 100, 0.1
Y0 = [0.1, 0.2, 0.2, 0.1]
TOLS = [("seed (scipy defaults)", 1e-3, 1e-6),
        ("gandyn defaults", 1e-10, 1e-12)]
TARGET_INPROC = 300.0


# The seed script's field, verbatim in substance (bojone/gan gan_numeric.py).
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def F(t, x):
    varphi1, varphi2, theta1, theta2 = x
    p = sigmoid(varphi1 * theta1 + varphi2 * theta2)
    return [-p * theta1, -p * theta2, (1 - p) * varphi1, (1 - p) * varphi2]


def fail(msg):
    print("bench.py: " + msg, file=sys.stderr)
    sys.exit(1)


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fp:
            for line in fp:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        nproc = subprocess.run(["nproc"], stdout=subprocess.PIPE,
                               universal_newlines=True).stdout.strip()
    except OSError:
        nproc = str(len(os.sched_getaffinity(0)))
    return cpu, nproc


def c_inproc(bench, rtol, atol, min_time):
    cmd = [bench, "--rtol", repr(rtol), "--atol", repr(atol),
           "--min-time", repr(min_time), "--reps", "20"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != 0:
        fail("'%s' failed: %s" % (" ".join(cmd), p.stderr.strip()))
    kv = dict(f.split("=", 1) for f in p.stdout.split())
    return {"median": float(kv["median_s"]), "min": float(kv["min_s"]),
            "reps": int(kv["reps"]), "nevals": int(kv["nevals"]),
            "accepted": int(kv["accepted"]), "rejected": int(kv["rejected"]),
            "samples": int(kv["samples"])}


def py_inproc(rtol, atol, reps, min_time):
    ts = np.arange(0, T, H)
    sol = solve_ivp(F, (0, T), Y0, method="RK45", t_eval=ts, rtol=rtol,
                    atol=atol)  # warm-up, and the work counters
    if not sol.success:
        fail("solve_ivp failed: " + sol.message)
    # t_eval does not change scipy's steps: count them without it.
    steps = len(solve_ivp(F, (0, T), Y0, method="RK45", rtol=rtol,
                          atol=atol).t) - 1
    # scipy RK45: 1 eval at t0 + 1 for the initial step + 6 per attempt.
    attempts = (sol.nfev - 2) // 6
    times = []
    start = time.perf_counter()
    while len(times) < reps or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        solve_ivp(F, (0, T), Y0, method="RK45", t_eval=ts, rtol=rtol,
                  atol=atol)
        times.append(time.perf_counter() - t0)
    return {"median": statistics.median(times), "min": min(times),
            "reps": len(times), "nevals": sol.nfev, "accepted": steps,
            "rejected": attempts - steps, "samples": len(sol.t), "sol": sol}


def wall(argv, runs):
    """Median wall time of a whole process (stdout, stderr to /dev/null)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    fa = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    times = []
    try:
        for i in range(runs + 1):
            t0 = time.perf_counter()
            pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=fa)
            _, status = os.waitpid(pid, 0)
            dt = time.perf_counter() - t0
            if os.waitstatus_to_exitcode(status) != 0:
                fail("'%s' exited with status %d" %
                     (" ".join(argv), os.waitstatus_to_exitcode(status)))
            if i > 0:  # the first run only warms the page cache
                times.append(dt)
    finally:
        os.close(devnull)
    return statistics.median(times), min(times)


def fmt_t(s):
    if s >= 1:
        return "%.3g s" % s
    if s >= 1e-3:
        return "%.3g ms" % (s * 1e3)
    return "%.3g us" % (s * 1e6)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gandyn", required=True, help="the gandyn binary")
    ap.add_argument("--bench", required=True, help="gandyn_bench_flow binary")
    ap.add_argument("--quick", action="store_true",
                    help="fewer repetitions (a smoke test, noisier)")
    ap.add_argument("--proc-runs", type=int, default=None,
                    help="runs per process measurement (default 20)")
    a = ap.parse_args()
    quick = a.quick
    proc_runs = a.proc_runs or (5 if quick else 20)
    c_min = 0.2 if quick else 2.0
    py = sys.executable or "/usr/bin/python3"

    cpu, nproc = machine()
    print("# gandyn vs scipy: the seed's figure (nsgan, 2-D, T = 100, "
          "output every 0.1)")
    print()
    print("- date: %s" % datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M UTC"))
    print("- machine: %s, nproc %s, %s %s" % (cpu, nproc, platform.system(),
                                              platform.release()))
    print("- python %s, numpy %s, scipy %s (%s)" % (
        platform.python_version(), np.__version__, scipy.__version__, py))
    print("- gandyn: %s; bench: %s" % (a.gandyn, a.bench))
    print()

    # In-process.
    rows = []
    for label, rtol, atol in TOLS:
        c = c_inproc(a.bench, rtol, atol, c_min)
        p = py_inproc(rtol, atol, 3 if quick else (20 if rtol > 1e-6 else 5),
                      0.5 if quick else 3.0)
        rows.append((label, rtol, atol, c, p))

    print("## In-process, per trajectory (median)")
    print()
    print("| tolerances | gandyn (C) | scipy RK45 | gandyn faster | "
          "gandyn steps (rej) / evals | scipy steps (rej) / evals | "
          "reps C / py |")
    print("|---|---|---|---|---|---|---|")
    ratios = []
    for label, rtol, atol, c, p in rows:
        r = p["median"] / c["median"]
        ratios.append(r)
        print("| %s: rtol %g, atol %g | %s | %s | **%.0fx** | %d (%d) / %d | "
              "%d (%d) / %d | %d / %d |" % (
                  label, rtol, atol, fmt_t(c["median"]), fmt_t(p["median"]),
                  r, c["accepted"], c["rejected"], c["nevals"],
                  p["accepted"], p["rejected"], p["nevals"], c["reps"],
                  p["reps"]))
    print()
    print("Samples: gandyn %d (t = 0, 0.1, ..., 100), scipy %d "
          "(np.arange(0, 100, 0.1) stops at 99.9)." %
          (rows[0][3]["samples"], rows[0][4]["samples"]))
    print()

    # Whole processes.
    with tempfile.TemporaryDirectory(prefix="gandyn_bench_") as tmp:
        g_csv = os.path.join(tmp, "g.csv")
        p_csv = os.path.join(tmp, "p.csv")
        procs = [
            ("gandyn simulate (rtol 1e-10, default)",
             [a.gandyn, "simulate", "--model", "nsgan", "--t-end", "100",
              "--dt", "0.1", "--out", g_csv, "--quiet"]),
            ("gandyn simulate --opt flow:rtol=1e-3,atol=1e-6",
             [a.gandyn, "simulate", "--model", "nsgan", "--t-end", "100",
              "--dt", "0.1", "--opt", "flow:rtol=1e-3,atol=1e-6",
              "--out", g_csv + ".loose.csv", "--quiet"]),
            ("python3 -c pass", [py, "-c", "pass"]),
            ("python3 -c 'import scipy.integrate'",
             [py, "-c", "import scipy.integrate"]),
            ("python3 seed_nsgan.py (RK45 defaults, writes CSV)",
             [py, os.path.join(HERE, "seed_nsgan.py"), p_csv]),
            ("python3 seed_nsgan.py (rtol 1e-10, atol 1e-12)",
             [py, os.path.join(HERE, "seed_nsgan.py"), p_csv + ".tight.csv",
              "1e-10", "1e-12"]),
        ]
        res = [(name, wall(argv, proc_runs)) for name, argv in procs]

        # Sanity: at tight tolerances both paths agree at t = 0 .. 99.9.
        g = np.loadtxt(g_csv, delimiter=",", skiprows=1)
        s = np.loadtxt(p_csv + ".tight.csv", delimiter=",", skiprows=1)
        agree = float(np.max(np.abs(g[:len(s), 1:] - s[:, 1:])))
        s0 = np.loadtxt(p_csv, delimiter=",", skiprows=1)
        seed_off = float(np.max(np.abs(g[:len(s0), 1:] - s0[:, 1:])))

    g_med = res[0][1][0]
    print("## Whole processes (wall time, median of %d runs)" % proc_runs)
    print()
    print("| process | median | min | time / gandyn simulate (default) |")
    print("|---|---|---|---|")
    for name, (med, mn) in res:
        print("| %s | %s | %s | %s |" % (
            name, fmt_t(med), fmt_t(mn),
            "1x" if name == res[0][0] else "%.1fx" % (med / g_med)))
    print()
    imp = res[3][1][0]
    print("Paths agree: gandyn (default) vs scipy RK45 at rtol 1e-10: max "
          "|diff| %.2g; vs the seed's RK45 defaults: %.2g." % (agree,
                                                               seed_off))
    print()
    print("## Targets")
    print()
    for (label, rtol, atol, _, _), r in zip(rows, ratios):
        print("- in-process >= %gx at rtol %g: %.0fx, %s" % (
            TARGET_INPROC, rtol, r, "met" if r >= TARGET_INPROC else "MISSED"))
    print("- whole gandyn process faster than python importing scipy: "
          "%s vs %s (%.1fx), %s" % (fmt_t(g_med), fmt_t(imp), imp / g_med,
                                    "met" if g_med < imp else "MISSED"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
