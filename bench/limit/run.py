"""run.py - the measurements and the table of bench/limit.sh (issue 11):
gandyn (whole CLI process and in-process), numpy (natural, tuned), PyTorch
(tuned), a plain AVX2 + FMA kernel, and the peak from the measured clock,
in ns per trajectory-step of CPU time on one core.  See bench/README.md,
section "At the machine's limit".

    run.py --bin-dir DIR --gandyn GANDYN [--points 200000,1000000]
           [--other-points 200000] [--steps 1000] [--reps 3]
           [--peer-steps K] [--no-torch] [--only nsgan|all]
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

PY = sys.executable
# the generic lanes' workloads beside the fused nsgan (bench/models.sh's list)
GENERIC = ("gan --reg l2:gamma=0.1", "wgan", "wgan-gp", "gan-qp", "wgan-clip",
           "lsgan", "hinge", "fgan-kl", "fgan-rkl", "fgan-pearson",
           "fgan-hellinger", "fgan-js", "nsgan --reg r1:gamma=0.1",
           "nsgan --reg gp:lambda=0.1", "nsgan --reg l2g:gamma=0.1")


def cpu_of_process(cmd):
    """Runs cmd (stdout captured), returns (user + sys CPU seconds of the
    child, its stdout)."""
    with tempfile.TemporaryFile() as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        _, status, ru = os.wait4(p.pid, 0)
        err = p.stderr.read().decode()
        p.stderr.close()
        if status != 0:
            sys.exit("limit: failed (%d): %s\n%s" % (status, " ".join(cmd),
                                                       err))
        out.seek(0)
        return ru.ru_utime + ru.ru_stime, out.read().decode()


def keyvals(text):
    return dict(re.findall(r"(\w+)=(\S+)", text))


class Row:
    """One implementation of one workload: run() returns CPU seconds of the
    timed part and (maybe) |theta| of point 0 at the end."""

    def __init__(self, group, name, kind, cmd, work, flops=None, scale=1.0):
        self.group, self.name, self.kind, self.cmd = group, name, kind, cmd
        self.work = work      # trajectory-steps (or trajectories) timed
        self.flops = flops    # flops per trajectory-step, for the peak
        self.scale = scale    # the timed work / the reported work
        self.times, self.theta = [], None

    def run(self):
        if self.kind == "process":  # the whole process, from rusage
            t, out = cpu_of_process(self.cmd)
        else:                        # the program's own cpu_s
            _, out = cpu_of_process(self.cmd)
            t = float(keyvals(out)["cpu_s"])
        kv = keyvals(out)
        if "theta_norm0" in kv:
            self.theta = kv["theta_norm0"]
        elif self.kind == "process" and "--out" in self.cmd:
            import numpy as np  # the record of point 0: 4 starts, label, |theta|
            rec = np.load(self.cmd[self.cmd.index("--out") + 1])
            self.theta = "%.17g" % rec[0, 5]
        self.out = out
        self.times.append(t)


def fmt_ns(x):
    return "%.3g" % x if x < 100 else "%.0f" % x


def cpu_name():
    info = open("/proc/cpuinfo").read()
    get = lambda k: (re.search(r"^%s\s*:\s*(.*)$" % k, info, re.M) or
                     [None, "?"])[1]
    flags = get("flags").split()
    return (get("model name"), get("cpu family"), get("model"),
            get("cpu MHz"), flags, os.cpu_count())


def blas_of_numpy():
    code = ("import numpy, numpy.core._multiarray_umath as m; print(m.__file__)")
    so = subprocess.run([PY, "-c", code], capture_output=True,
                        text=True).stdout.strip()
    libs = subprocess.run(["ldd", so], capture_output=True, text=True).stdout
    blas = [l.split("=>")[1].split()[0] for l in libs.splitlines()
            if "blas" in l and "=>" in l]
    real = [os.path.realpath(b) for b in blas]
    return ", ".join(real) if real else "none linked"


def summary(rows, ghz, peak_fpc):
    """Issue 11's targets, read off this run (min over the rounds)."""
    def best(group_part, name_part):
        exact = any(r.group == group_part for r in rows)
        for r in rows:
            if ((r.group == group_part if exact else group_part in r.group)
                    and r.name.startswith(name_part)):
                f = (1e6 if "per trajectory" in r.group else 1e9) * r.scale
                return min(r.times) * f / r.work, r
        return None, None
    print("### Issue 11's targets, read off this run\n")
    print("| target | this run | met |")
    print("|---|---|---|")
    groups = []
    for r in rows:
        if r.group not in groups:
            groups.append(r.group)
    for g in groups:
        if "simgd" not in g and "altgd" not in g or "generic" in g:
            continue
        cli, r = best(g, "gandyn CLI, defaults")
        if cli is None:
            continue
        pk = r.flops / (peak_fpc * ghz)
        print("| %s: <= 2.2 ns per trajectory-step, CLI defaults | %.3g | "
              "%s |" % (g, cli, "yes" if cli <= 2.2 else "no"))
        print("| %s: >= 0.4 of peak | %.2f | %s |" % (
            g, pk / cli, "yes" if pk / cli >= 0.4 else "no"))
        old, _ = best(g, "baseline CLI, defaults")
        if old:
            print("| %s: >= 3x the baseline | %.2fx | %s |" % (
                g, old / cli, "yes" if old / cli >= 3 else "no"))
        for peer in ("PyTorch", "numpy, tuned"):
            p, _ = best(g, peer)
            if p:
                print("| %s: >= 2x %s | %.2fx | %s |" % (
                    g, peer.replace(", tuned", "") + " tuned", p / cli,
                    "yes" if p / cli >= 2 else "no"))
        ip, _ = best(g, "gandyn in-process")
        if ip:
            print("| %s: whole process within 10 %% of in-process | %+.1f %% "
                  "| %s |" % (g, 100 * (cli / ip - 1),
                              "yes" if cli <= 1.1 * ip else "no"))
    rk, _ = best("RK4", "gandyn CLI, defaults")
    if rk:
        print("| RK4 flow: <= 8 ns per step, CLI defaults | %.3g | %s |" % (
            rk, "yes" if rk <= 8 else "no"))
        prk, _ = best("RK4", "plain AVX2+FMA RK4 kernel, diagnosis")
        if prk:
            print("| (RK4: the plain AVX2+FMA kernel with a diagnosis every "
                  "step, for scale) | %.3g (gandyn %.2fx of it) | |" % (
                      prk, rk / prk))
    for g in groups:
        if "dopri5" in g:
            cli, _ = best(g, "gandyn CLI, defaults")
            old, _ = best(g, "baseline CLI, defaults")
            print("| %s: >= 2.5x today | %s | %s |" % (
                g, "%.2fx" % (old / cli) if old else
                "%.3g us (no --baseline given)" % cli,
                ("yes" if old / cli >= 2.5 else "no") if old else "?"))
    fu, _ = best("generic", "gandyn CLI, defaults: nsgan (fused)")
    if fu:
        for name in ["nsgan --reg l2:gamma=0.1"] + ["generic " + g
                                                    for g in GENERIC]:
            ge, _ = best("generic", "gandyn CLI, defaults: " + name)
            if ge:
                print("| generic lanes: %s within 2x of the fused nsgan, CLI "
                      "defaults | %.2fx | %s |" % (
                          name.replace("generic ", ""), ge / fu,
                          "yes" if ge <= 2 * fu else "no"))
    print()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--gandyn", required=True)
    ap.add_argument("--points", default="200000,1000000")
    ap.add_argument("--other-points", type=int, default=200000)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--peer-steps", type=int, default=0,
                    help="steps the Python peers run (scaled to --steps)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-torch", action="store_true")
    ap.add_argument("--only", default="all")
    ap.add_argument("--baseline", default="",
                    help="another gandyn binary: its CLI rows too (today)")
    a = ap.parse_args()
    plain = os.path.join(a.bin_dir, "limit-plain")
    inproc = os.path.join(a.bin_dir, "limit-inproc")
    G = a.gandyn
    tmp = tempfile.mkdtemp(prefix="gandyn-limit-")
    K = a.steps
    PK = a.peer_steps or K
    here = os.path.dirname(os.path.abspath(__file__))
    peers = os.path.join(here, "peers.py")
    have_torch = (not a.no_torch and subprocess.run(
        [PY, "-c", "import torch"], capture_output=True).returncode == 0)

    # the clock and the FMA rate
    kv = keyvals(subprocess.run([plain, "clock"], capture_output=True,
                                text=True, check=True).stdout)
    ghz = float(kv["ghz"])
    kvf = keyvals(subprocess.run([plain, "fma", str(ghz)], capture_output=True,
                                 text=True, check=True).stdout)
    fma_fpc = float(kvf["flops_per_cycle"])
    cpu, fam, mod, mhz, flags, ncpu = cpu_name()
    if "avx512f" in flags:
        nominal_fpc, pipes = 32, "2 x 512-bit FMA (AVX-512)"
    elif "fma" in flags and "avx2" in flags:
        if fam == "23":   # AMD Zen 1/2: Zen 1 splits 256-bit ops in two
            # Zen and Zen+ (models 1, 8, 17, 24, 32): 128-bit FP pipes
            nominal_fpc = 8 if mod in ("1", "8", "17", "24", "32") else 16
            pipes = ("2 x 128-bit FMA pipes (Zen 1: a 256-bit FMA is two "
                     "128-bit halves)" if nominal_fpc == 8 else
                     "2 x 256-bit FMA pipes")
        else:
            nominal_fpc, pipes = 16, "2 x 256-bit FMA pipes (assumed)"
    else:
        nominal_fpc, pipes = 4, "2 x 128-bit, no FMA (assumed)"

    rows = []
    npts = [int(float(x)) for x in a.points.split(",")]
    # the nsgan simgd table, for each N
    for N in npts:
        grp = "nsgan simgd, N = %g" % N
        st = os.path.join(tmp, "starts-%d.bin" % N)
        subprocess.run([plain, "starts", str(N), "1", st], check=True)
        base = ["sweep", "--model", "nsgan", "--opt", "simgd:lr=0.1",
                "--steps", str(K), "--random", str(N), "--seed", "1",
                "--threads", "1", "--quiet", "--out",
                os.path.join(tmp, "out.npy")]
        W = N * K
        rows += [
            Row(grp, "gandyn CLI, defaults (--every 10), whole process",
                "process", [G] + base, W, 50),
            Row(grp, "gandyn CLI, --every 1000, whole process", "process",
                [G] + base + ["--every", "1000"], W, 50),
            Row(grp, "gandyn in-process (gdn_sweep_run), --every 10", "self",
                [inproc, "--random", str(N), "--steps", str(K)], W, 50),
            Row(grp, "gandyn in-process (gdn_sweep_run), --every 1000",
                "self", [inproc, "--random", str(N), "--steps", str(K),
                         "--every", "1000"], W, 50),
            Row(grp, "numpy, natural loop", "self",
                [PY, peers, "numpy-natural", st, str(N), str(PK)], N * PK,
                50, K / PK),
            Row(grp, "numpy, tuned (out=, in place)", "self",
                [PY, peers, "numpy-tuned", st, str(N), str(PK)], N * PK, 50,
                K / PK)]
        if have_torch:
            rows.append(Row(grp, "PyTorch CPU, tuned (in place, 1 thread)",
                            "self", [PY, peers, "torch-tuned", st, str(N),
                                     str(PK)], N * PK, 50, K / PK))
        rows += [
            Row(grp, "plain AVX2+FMA kernel, 12-statistic diagnosis every 10",
                "self", [plain, "step", "--points", str(N), "--steps", str(K),
                         "--every", "10"], W, 50),
            Row(grp, "plain AVX2+FMA kernel, no diagnosis", "self",
                [plain, "step", "--points", str(N), "--steps", str(K),
                 "--every", "0"], W, 50)]
    if a.only == "all":
        N = a.other_points
        st = os.path.join(tmp, "starts-%d.bin" % N)
        subprocess.run([plain, "starts", str(N), "1", st], check=True)
        out = ["--threads", "1", "--quiet", "--out",
               os.path.join(tmp, "out.npy")]
        for model, opt, fl in (("gan", "simgd", 50), ("nsgan", "altgd", 90)):
            grp = "%s %s, N = %g" % (model, opt, N)
            W = N * K
            cli = [G, "sweep", "--model", model, "--opt", opt + ":lr=0.1",
                   "--steps", str(K), "--random", str(N)] + out
            rows += [
                Row(grp, "gandyn CLI, defaults, whole process", "process",
                    cli, W, fl),
                Row(grp, "gandyn in-process, --every 10", "self",
                    [inproc, "--model", model, "--opt", opt + ":lr=0.1",
                     "--random", str(N), "--steps", str(K)], W, fl),
                Row(grp, "numpy, tuned", "self",
                    [PY, peers, "numpy-tuned", st, str(N), str(PK),
                     "--model", model, "--opt", opt], N * PK, fl, K / PK)]
            if have_torch:
                rows.append(Row(grp, "PyTorch CPU, tuned", "self",
                                [PY, peers, "torch-tuned", st, str(N),
                                 str(PK), "--model", model, "--opt", opt],
                                N * PK, fl, K / PK))
            rows += [
                Row(grp, "plain AVX2+FMA kernel, diagnosis every 10", "self",
                    [plain, "step", "--model", model, "--opt", opt,
                     "--points", str(N), "--steps", str(K), "--every", "10"],
                    W, fl),
                Row(grp, "plain AVX2+FMA kernel, no diagnosis", "self",
                    [plain, "step", "--model", model, "--opt", opt,
                     "--points", str(N), "--steps", str(K), "--every", "0"],
                    W, fl)]
        # the generic lanes (a regulariser) against the fused nsgan
        grp = "generic lanes vs fused, nsgan simgd, N = %g" % N
        for name, extra in (("nsgan (fused)", []),
                            ("nsgan --reg l2:gamma=0.1 (generic lanes)",
                             ["--reg", "l2:gamma=0.1"])):
            rows.append(Row(grp, "gandyn CLI, defaults: " + name, "process",
                            [G, "sweep", "--model", "nsgan", "--opt",
                             "simgd:lr=0.1", "--steps", str(K), "--random",
                             str(N)] + extra + out, N * K))
            rows.append(Row(grp, "gandyn in-process, --every 10: " + name,
                            "self", [inproc, "--random", str(N), "--steps",
                                     str(K)] + extra, N * K))
        # every other model and regulariser on the generic lanes (instance
        # noise, which runs lane by lane over its quadrature, left out)
        for spec in GENERIC:
            args = spec.split()
            rows.append(Row(grp, "gandyn CLI, defaults: generic " + spec,
                            "process", [G, "sweep", "--model", args[0],
                                        "--opt", "simgd:lr=0.1", "--steps",
                                        str(K), "--random", str(N)] +
                            args[1:] + out, N * K))
        # RK4 flow, h = 0.1 to T = 100: 1000 steps (the CLI's --dt 0.1)
        grp = "RK4 flow (h 0.1, T 100: 1000 steps), N = %g" % (N // 10)
        n10 = N // 10
        rk = ["--opt", "flow:method=rk4,h=0.1", "--t-end", "100"]
        prk = [plain, "step", "--opt", "rk4", "--h", "0.1", "--points",
               str(n10), "--steps", "1000"]
        rows += [
            Row(grp, "gandyn CLI, defaults (--dt 0.1), whole process",
                "process", [G, "sweep", "--random", str(n10)] + rk + out,
                n10 * 1000, 236),
            Row(grp, "gandyn CLI, --dt 100 (start and end sampled)",
                "process", [G, "sweep", "--random", str(n10)] + rk +
                ["--dt", "100"] + out, n10 * 1000, 236),
            Row(grp, "gandyn in-process, --dt 0.1", "self",
                [inproc, "--random", str(n10)] + rk, n10 * 1000, 236),
            Row(grp, "plain AVX2+FMA RK4 kernel, diagnosis every step",
                "self", prk + ["--every", "1"], n10 * 1000, 236),
            Row(grp, "plain AVX2+FMA RK4 kernel, no diagnosis", "self",
                prk + ["--every", "0"], n10 * 1000, 236)]
        # batched dopri5: per trajectory
        for tol, spec, nn in (("1e-10 (default)", "flow", N // 100),
                              ("1e-3, atol 1e-6", "flow:rtol=1e-3,atol=1e-6",
                               N // 10)):
            grp = "dopri5 rtol %s to T 100, N = %g (us per trajectory)" % (
                tol, nn)
            rows += [
                Row(grp, "gandyn CLI, defaults, whole process", "process",
                    [G, "sweep", "--random", str(nn), "--opt", spec,
                     "--t-end", "100"] + out, nn),
                Row(grp, "gandyn in-process", "self",
                    [inproc, "--random", str(nn), "--opt", spec, "--t-end",
                     "100"], nn)]

    if a.baseline:  # the baseline's CLI defaults beside every CLI row
        extra = []
        for r in rows:
            if (r.kind == "process" and r.cmd[0] == G and
                    r.name.startswith("gandyn CLI, defaults")):
                b = Row(r.group, "baseline " + r.name[len("gandyn "):],
                        "process", [a.baseline] + r.cmd[1:], r.work, r.flops)
                if not any(x.group == r.group and x.name == b.name
                           for x in rows + [e[1] for e in extra]):
                    extra.append((r, b))
        for r, b in extra:
            rows.insert(rows.index(r), b)
    t_start = time.time()
    for r in range(a.reps):      # interleaved: every row once per round
        for row in rows:
            row.run()
        print("limit: round %d of %d done (%.0f s)" % (r + 1, a.reps,
                                                      time.time() - t_start),
              file=sys.stderr, flush=True)

    # the report
    peak_fpc = nominal_fpc
    print("# gandyn at the machine's limit (bench/limit.sh)\n")
    print("- date: %s; host %s; %d CPUs seen; load average before: %s" % (
        time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(t_start)),
        platform.node(), ncpu, os.getloadavg()))
    print("- CPU: %s (family %s, model %s; /proc/cpuinfo MHz %s); AVX2 %s, "
          "FMA %s, AVX-512 %s" % (cpu, fam, mod, mhz, "avx2" in flags,
                                  "fma" in flags, "avx512f" in flags))
    print("- clock measured: %.3f GHz (a chain of %s dependent 64-bit integer "
          "adds, 1 cycle each, best of 5, process CPU time)" % (
              ghz, kv["adds"]))
    print("- nominal peak: %d double flops per cycle (%s) x %.3f GHz = "
          "%.1f GFLOP/s per core" % (nominal_fpc, pipes, ghz,
                                      nominal_fpc * ghz))
    print("- measured FMA rate: %.2f flops per cycle = %.2f GFLOP/s (12 "
          "independent chains of 256-bit FMAs, best of 5)" % (
              fma_fpc, float(kvf["fma_gflops"])))
    vers = subprocess.run([PY, "-c", "import numpy; print(numpy.__version__)"],
                          capture_output=True, text=True).stdout.strip()
    print("- numpy %s (BLAS: %s; element-wise ufuncs, no BLAS call)" % (
        vers, blas_of_numpy()))
    if have_torch:
        tv = subprocess.run([PY, "-c", "import torch; print(torch.__version__,"
                             " torch.backends.mkldnn.is_available())"],
                            capture_output=True, text=True).stdout.split()
        print("- PyTorch %s (Debian python3-torch), CPU, "
              "torch.set_num_threads(1), float64" % tv[0])
    else:
        print("- PyTorch: not available (skipped)")
    print("- gandyn: %s; %d rounds, every row once per round (interleaved); "
          "CPU time (user + sys) on one core" % (G, a.reps))
    if PK != K:
        print("- the Python peers ran %d steps, scaled linearly to %d" % (PK,
                                                                          K))
    print("- flops per trajectory-step (for the peak): 50 for a simgd step "
          "(the plain kernel's: t 3, exp 34, 1 + e and the division 2, e r "
          "1, lr s and lr sm 2, the updates 8; an FMA counted as 2), 90 for "
          "altgd (two t, two exps), 236 for an RK4 step (four right-hand "
          "sides of 46, three stages of 8, the combination 28); gandyn's own "
          "fused kernel performs 74 for simgd (its exp 54; no FMA)")
    print()
    groups = []
    for row in rows:
        if row.group not in groups:
            groups.append(row.group)
    for g in groups:
        per_traj = "per trajectory" in g
        unit = "us per trajectory" if per_traj else "ns per trajectory-step"
        print("### %s\n" % g)
        print("| implementation | %s, min | median | of peak (nominal / "
              "measured FMA rate) | speed vs the first row | |theta| of point "
              "0 at the end |" % unit)
        print("|---|---|---|---|---|---|")
        grows = [r for r in rows if r.group == g]
        ref = None
        for r in grows:
            f = (1e6 if per_traj else 1e9) * r.scale / r.work
            mn, md = min(r.times) * f, statistics.median(r.times) * f
            if ref is None:
                ref = mn
            frac = ""
            if r.flops and not per_traj:
                pk = r.flops / (peak_fpc * ghz)
                pkm = r.flops / (fma_fpc * ghz)
                frac = "%.0f %% / %.0f %%" % (100 * pk / mn, 100 * pkm / mn)
            print("| %s | %s | %s | %s | %.2fx | %s |" % (
                r.name, fmt_ns(mn), fmt_ns(md), frac, ref / mn,
                r.theta or ""))
        fl = grows[0].flops
        if fl and not per_traj:
            print("| theoretical peak: %d flops at %d flops/cycle x %.3f GHz "
                  "| %.3g | | 100 %% | %.2fx | |" % (
                      fl, peak_fpc, ghz, fl / (peak_fpc * ghz),
                      ref / (fl / (peak_fpc * ghz))))
            print("| the same at the measured FMA rate (%.2f flops/cycle) "
                  "| %.3g | | | %.2fx | |" % (
                      fma_fpc, fl / (fma_fpc * ghz),
                      ref / (fl / (fma_fpc * ghz))))
        print()
    summary(rows, ghz, peak_fpc)
    cmdline = " ".join(sys.argv[1:])
    print("(run.py %s; %.0f s)" % (cmdline, time.time() - t_start))


if __name__ == "__main__":
    main()
