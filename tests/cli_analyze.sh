#!/bin/bash
# cli_analyze.sh - 'gandyn analyze' from the command line: the report, its
# JSON against closed forms (docs/specification.md §4), the 1-D scan's boundary
# against h = 4 gamma, figures, and every bad-input path.
#
# usage: bash tests/cli_analyze.sh PATH_TO_GANDYN
#
# Closed forms (nsgan at the equilibrium, f'(0) = 1/2):
#   flow                        eigenvalues +-0.5i, neutral
#   simgd lr = h                rho = sqrt(1 + h^2/4)   (h = 0.1: sqrt(1.0025))
#   simgd on nsgan + l2 gamma   rho^2 = 1 - gamma h + h^2/4 (gamma < 1):
#                               stable iff h < 4 gamma  (gamma = 0.3: 1.2)
#
# Project rule for bad input: exit status 2, ONE line on stderr starting
# "gandyn: " that names the bad token, nothing on stdout, and no file left
# behind (neither the target nor a temporary).
set -u

if [ $# -ne 1 ]; then
    echo "usage: bash $0 PATH_TO_GANDYN" >&2
    exit 2
fi
G=$1
case "$G" in /*) ;; *) G="$PWD/$G" ;; esac
if [ ! -x "$G" ]; then
    echo "$(basename "$0"): '$G' is not an executable" >&2
    exit 2
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/gandyn-cli-analyze.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$W" 2>/dev/null; rm -rf "$W"' EXIT
cd "$W" || exit 2
umask 022

PY=/usr/bin/python3
HAVE_PY=0
[ -x "$PY" ] && HAVE_PY=1

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    printf 'FAIL: %s\n' "$*"
}
check() { # DESCRIPTION COMMAND...: passes when COMMAND succeeds
    local desc=$1
    shift
    if "$@"; then ok; else bad "$desc"; fi
}

# Runs gandyn analyze ARGS in the current directory: $rc, files out, err.
run() {
    "$G" analyze "$@" >out 2>err
    rc=$?
}

# jcheck DESCRIPTION FILE PYTHON: runs PYTHON (assert statements) with j the
# parsed JSON of FILE; fails if it does not parse or an assertion fails.
jcheck() {
    local desc=$1 file=$2 code=$3 msg
    if [ "$HAVE_PY" != 1 ]; then
        printf 'SKIP: %s (no %s)\n' "$desc" "$PY"
        return
    fi
    if msg=$("$PY" - "$file" "$code" 2>&1 <<'PYEOF'
import json, math, sys
with open(sys.argv[1]) as f:
    j = json.load(f)
exec(sys.argv[2])
PYEOF
    ); then
        ok
    else
        bad "$desc: $(printf '%s' "$msg" | tail -n 3 | tr '\n' ' ')"
    fi
}

# listing NAME...: the entries of . (dot-files too), one per line, but NAMEs
listing() {
    local f x
    for f in .[!.]* ..?* *; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        for x in "$@"; do [ "$f" = "$x" ] && continue 2; done
        printf '%s\n' "$f"
    done
}

hex() { head -c "$2" "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n'; }
is_png() { [ "$(hex "$1" 8)" = 89504e470d0a1a0a ]; }
is_svg() { [ -s "$1" ] && grep -q '<svg' "$1"; }

# ----------------------------------------------------------- the report

run
check "default: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "default: mentions '0 ± 0.5i'" grep -qF '0 ± 0.5i' out
check "default: says neutral" grep -q 'neutral' out
check "default: names the conserved Gram determinant" grep -q 'conserved' out
check "default: nothing on stderr" [ ! -s err ]

run --dim 2
check "--dim 2: each eigenvalue twice" grep -qF '0 ± 0.5i   (x2)' out

run --opt simgd:lr=0.1
check "simgd report: exit 0" [ "$rc" -eq 0 ]
check "simgd report: diverges with rho = sqrt(1.0025)" \
    grep -qF 'spectral radius 1.00124922 > 1' out

run --model wgan
check "wgan: a result, exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "wgan: not differentiable, with the model's reason" \
    grep -q 'not differentiable at this point: the critic phi/|phi|' out

run --quiet
check "--quiet: exit 0" [ "$rc" -eq 0 ]
check "--quiet: stdout empty" [ ! -s out ]

# ----------------------------------------------------------------- JSON

run --json
check "--json: exit 0" [ "$rc" -eq 0 ]
check "--json: nothing on stderr" [ ! -s err ]
jcheck "--json: the flow of nsgan" out '
assert j["gandyn"] == "analyze" and j["model"] == "nsgan", j
assert j["optimizer"] == "flow" and j["dim"] == 1 and j["discrete"] is False
assert j["verdict"] == "neutral", j["verdict"]
assert j["point"] == "equilibrium"
assert abs(j["max_real_part"]) <= 1e-15
assert j["matrix"] == [[0, -0.5], [0.5, 0]], j["matrix"]
ev = sorted(j["eigenvalues"], key=lambda e: -e[1])
assert len(ev) == 2
for (re, im), want in zip(ev, (0.5, -0.5)):
    assert abs(re) <= 1e-15 and abs(im - want) <= 1e-12, ev
'
cp out flow.json
run --json -
check "--json -: the same bytes as --json" cmp -s out flow.json

run --json res.json
check "--json FILE: exit 0" [ "$rc" -eq 0 ]
check "--json FILE: the report still on stdout" grep -qF '0 ± 0.5i' out
check "--json FILE: the same bytes as --json on stdout" cmp -s res.json flow.json
check "--json FILE: no temporary left" [ -z "$(listing out err res.json flow.json)" ]
rm -f res.json flow.json

run --opt simgd:lr=0.1 --json
jcheck "simgd lr=0.1: rho = sqrt(1.0025)" out '
rho = math.sqrt(1.0025)
assert j["discrete"] is True and j["verdict"] == "unstable", j["verdict"]
assert abs(j["spectral_radius"] - rho) <= 1e-12, (j["spectral_radius"], rho)
assert abs(j["rate"] + math.log(rho)) <= 1e-12, j["rate"]
for re, im in j["eigenvalues"]:
    assert abs(re - 1) <= 1e-12 and abs(abs(im) - 0.05) <= 1e-12, (re, im)
'

run --opt ogda:lr=0.2 --dim 2 --json
jcheck "ogda: a 4n x 4n map, rho = sqrt((1 + sqrt(1 - h^2))/2)" out '
assert len(j["matrix"]) == 8 and all(len(r) == 8 for r in j["matrix"])
assert len(j["eigenvalues"]) == 8
rho = math.sqrt((1 + math.sqrt(1 - 0.04)) / 2)
assert abs(j["spectral_radius"] - rho) <= 1e-12, (j["spectral_radius"], rho)
assert j["verdict"] == "stable"
'

# ----------------------------------------------------------------- scans

run --opt simgd --reg l2:gamma=0.3 --scan lr=0.01:2:40 --json
check "1-D scan: exit 0 (got $rc)" [ "$rc" -eq 0 ]
jcheck "1-D scan: boundary at h = 4 gamma = 1.2, rho on the grid" out '
assert j["axes"][0]["name"] == "opt.lr", j["axes"]
h = j["axes"][0]["values"]
assert len(h) == 40 and abs(h[0] - 0.01) <= 1e-15 and abs(h[-1] - 2) <= 1e-15
assert len(j["boundaries"]) == 1, j["boundaries"]
assert abs(j["boundaries"][0] - 1.2) <= 1e-9, repr(j["boundaries"][0])
for x, r, v in zip(h, j["spectral_radius"], j["verdicts"]):
    assert abs(r - math.sqrt(1 - 0.3 * x + x * x / 4)) <= 1e-12, (x, r)
    assert v == ("stable" if x < 1.2 else "unstable"), (x, v)
'
run --opt simgd --reg l2:gamma=0.3 --scan lr=0.01:2:40
check "1-D scan report: the boundary" grep -qF 'boundary: opt.lr = 1.2 (stable below)' out

run --opt simgd --reg l2:gamma=0.3 --scan lr=log:0.05:3:25 --json
jcheck "1-D log scan: the same boundary" out '
h = j["axes"][0]["values"]
assert abs(h[1] / h[0] - (3 / 0.05) ** (1 / 24)) <= 1e-12
assert len(j["boundaries"]) == 1 and abs(j["boundaries"][0] - 1.2) <= 1e-9, j["boundaries"]
'

# the flow over gamma: max Re = -gamma/2 (gamma <= 1), no boundary
run --reg l2 --scan gamma=0.1:0.9:9 --json
jcheck "flow scan over gamma: max Re = -gamma/2" out '
for g, m, v in zip(j["axes"][0]["values"], j["max_real_part"], j["verdicts"]):
    assert abs(m + g / 2) <= 1e-12 and v == "stable", (g, m, v)
assert j["boundaries"] == []
'

run --opt simgd --reg l2 --scan lr=0.05:2:30 --scan gamma=0.05:0.9:25 \
    --plot map.png --json map.json
check "2-D scan: exit 0 (got $rc)" [ "$rc" -eq 0 ]
check "2-D scan: map.png is a PNG" is_png map.png
jcheck "2-D scan: stable exactly where h < 4 gamma" map.json '
h, g = j["axes"][0]["values"], j["axes"][1]["values"]
assert j["axes"][1]["name"] == "reg.gamma"
assert len(j["verdicts"]) == len(h) * len(g) == 750
n = 0
for b, gam in enumerate(g):
    for a, x in enumerate(h):
        k = b * len(h) + a
        r = math.sqrt(1 - gam * x + x * x / 4)
        assert abs(j["spectral_radius"][k] - r) <= 1e-12, (x, gam)
        if abs(x - 4 * gam) > 1e-9:
            assert j["verdicts"][k] == ("stable" if x < 4 * gam else "unstable"), (x, gam)
            n += 1
assert n > 700
'
rm -f map.png map.json

run --plot eig.png
check "--plot eig.png: exit 0" [ "$rc" -eq 0 ]
check "--plot eig.png: a PNG" is_png eig.png
run --opt extragradient:lr=0.5 --plot eig.svg
check "--plot eig.svg (a map): an SVG" is_svg eig.svg
run --opt simgd --scan lr=0.1:1:5 --plot line.png --quiet
check "1-D scan --plot: a PNG" is_png line.png
rm -f eig.png eig.svg line.png

# ------------------------------------------------------------ bad input

: >afile # a file where a directory is expected: unwritable even for root

# expect_bad TOKEN ARGS...: exit 2, one stderr line starting 'gandyn: '
# that contains TOKEN, nothing on stdout, no file created or left.
expect_bad() {
    local token=$1 before after desc
    shift
    desc="analyze $*"
    before=$(listing bad.out bad.err)
    "$G" analyze "$@" >bad.out 2>bad.err
    local code=$?
    after=$(listing bad.out bad.err)
    if [ "$code" -ne 2 ]; then
        bad "$desc: exit $code, expected 2"
    elif [ -s bad.out ]; then
        bad "$desc: wrote to stdout: $(head -c 200 bad.out)"
    elif [ "$(wc -l <bad.err)" -ne 1 ]; then
        bad "$desc: $(wc -l <bad.err) stderr lines: $(head -c 300 bad.err)"
    elif ! head -n 1 bad.err | grep -q '^gandyn: '; then
        bad "$desc: stderr does not start with 'gandyn: ': $(cat bad.err)"
    elif ! grep -qF -- "$token" bad.err; then
        bad "$desc: stderr does not name '$token': $(cat bad.err)"
    elif [ "$before" != "$after" ]; then
        bad "$desc: files left: $(comm -13 <(printf '%s\n' "$before" | sort) \
            <(printf '%s\n' "$after" | sort) | tr '\n' ' ')"
    else
        ok
    fi
}

expect_bad "'foo'" --scan foo=0:1:5
expect_bad "'opt.foo'" --opt simgd --scan opt.foo=0:1:5
expect_bad "'lambda'" --model wgan-gp --reg gp --scan lambda=0:1:5
expect_bad "ambiguous" --model wgan-gp --reg gp --scan lambda=0:1:5
expect_bad "'method'" --scan method=0:2:3
expect_bad "'order'" --opt altgd --scan order=0:1:2
expect_bad "lr=1:1:5" --opt simgd --scan lr=1:1:5
expect_bad "lr=2:1:5" --opt simgd --scan lr=2:1:5
expect_bad "--scan N" --opt simgd --scan lr=0.1:1:1
expect_bad "--scan N" --opt simgd --scan lr=0.1:1:0
expect_bad "lr=0.1:1" --opt simgd --scan lr=0.1:1
expect_bad "'a'" --opt simgd --scan lr=a:1:3
expect_bad "lr=log:0:1:3" --opt simgd --scan lr=log:0:1:3
expect_bad "'opt.lr' given twice" --opt simgd --scan lr=0.1:1:3 --scan opt.lr=0.2:1:3
expect_bad "--at" --at 0
expect_bad "--at" --at 0,0,0
expect_bad "--at" --dim 2 --at 0,0
expect_bad "'x'" --at 0,x
expect_bad "fixed point of 'simgd'" --opt simgd --at 0.1,0.2
expect_bad "fixed point of 'ogda'" --opt ogda:lr=0.2 --at 0,1e-3
expect_bad "x.gif" --plot x.gif
expect_bad "x.gif" --opt simgd --scan lr=0.1:1:3 --plot x.gif
expect_bad "--tol" --tol -1
expect_bad "--tol" --tol 0
expect_bad "--tol" --tol abc
expect_bad "afile/o.json" --json afile/o.json
expect_bad "nodir/o.json" --json nodir/o.json
expect_bad "afile/o.png" --plot afile/o.png
expect_bad "afile/o.png" --json o.json --plot afile/o.png
expect_bad "afile/o.png" --opt simgd --scan lr=0.1:2:5 --json o.json \
    --plot afile/o.png
expect_bad "eig.png" --model wgan --plot eig.png --json o.json

# ------------------------------------------------ issue 9: analyze records

# a discrete method's record never borrows the flow's Gamma argument:
# extragradient is stable and says nothing about Gamma; altgd keeps Gamma
# (shears); simgd multiplies it by (1 + h^2/4)^2 per step at 0 (nsgan)
run --opt extragradient:lr=0.1 --json o.json
jcheck "extragradient: stable, no Gamma claim" o.json '
assert j["verdict"] == "stable", j["verdict"]
assert j["invariant"] is None, j["invariant"]
assert j["gram_rate"] is None
assert "never reached" not in json.dumps(j)'
run --opt extragradient:lr=0.1
check "extragradient report: no 'never reached'" bash -c '! grep -q "never reached" out'
run --opt altgd:lr=0.1 --dim 2 --json o.json
jcheck "altgd: Gamma kept exactly" o.json '
assert j["verdict"] == "neutral"
assert j["invariant"].startswith("altgd keeps Gamma"), j["invariant"]
assert j["gram_rate"] == 0'
run --opt simgd:lr_d=0.37,lr_g=0.06 --dim 2 --json o.json
jcheck "simgd: log Gamma factor 2 log(1 + h_d h_g/4)" o.json '
want = 2 * math.log(1 + 0.37 * 0.06 / 4)
assert abs(j["gram_rate"] - want) <= 1e-15, (j["gram_rate"], want)
assert "grows" in j["invariant"]'
if [ "$HAVE_PY" = 1 ]; then
    # the altgd claim against a run: Gamma after 3000 steps from the seed's
    # start (Gamma computed here from the recorded coordinates)
    "$G" simulate --opt altgd:lr=0.1 --steps 3000 --every 1000 --out g.csv >/dev/null 2>&1
    check "altgd run: Gamma kept to 1e-12 over 3000 steps" "$PY" -c '
import csv, sys
rows = [list(map(float, r)) for r in list(csv.reader(open("g.csv")))[1:]]
def gram(r):
    p, t = r[1:3], r[3:5]
    return (p[0]**2 + p[1]**2) * (t[0]**2 + t[1]**2) - (p[0]*t[0] + p[1]*t[1])**2
g0 = gram(rows[0])
sys.exit(0 if all(abs(gram(r) / g0 - 1) < 1e-12 for r in rows) else 1)'
fi

# every JSON record holds what reruns it: "argv" given back to gandyn
# reproduces the record byte for byte, and "spec" has every parameter
rerun() { # DESCRIPTION ARGS...
    local desc=$1
    shift
    rm -f r1.json r2.json
    "$G" analyze "$@" --json r1.json --quiet 2>err
    if [ ! -s r1.json ] || [ "$HAVE_PY" != 1 ]; then
        bad "$desc: no record ($(cat err))"
        return
    fi
    local args=()
    mapfile -t args < <("$PY" -c 'import json,sys
for a in json.load(open(sys.argv[1]))["argv"]: print(a)' r1.json)
    if [ "${args[0]:-}" != analyze ]; then
        bad "$desc: argv[0] is '${args[0]:-}'"
        return
    fi
    "$G" "${args[@]}" --json r2.json --quiet 2>err
    if cmp -s r1.json r2.json; then ok; else bad "$desc: rerun of $(show "${args[@]}") differs: $(diff r1.json r2.json | head -5 | tr '\n' ' ')"; fi
}
rerun "rerun: default"
rerun "rerun: simgd with lr" --opt simgd:lr=0.3
rerun "rerun: TTUR and a regularizer" --opt simgd:lr_d=0.37,lr_g=0.0600000000000001 --reg l2:gamma=0.30000000000000004
rerun "rerun: model parameters, --dim, --tol" --model wgan-gp:lambda=0.7,c=0 --dim 3 --tol 1e-6
rerun "rerun: --at" --model gan --at 0.1,-0.2 --dim 1
rerun "rerun: altgd with order, ndis" --opt altgd:lr=0.2,order=gd,ndis=3
rerun "rerun: momentum" --opt momentum:lr=0.1,beta=-0.5 --reg r1:gamma=0.2
rerun "rerun: flow method" --opt flow:method=rk4,h=0.05,lr_d=2
rerun "rerun: 1-D scan (lr inherited by lr_d, lr_g)" --opt simgd --reg l2:gamma=0.3 --scan lr=0.01:2:20
rerun "rerun: log scan" --opt altgd --scan lr=log:0.01:4:7
rerun "rerun: 2-D scan" --opt simgd --reg l2 --scan lr=0.02:2:6 --scan gamma=0.02:1.5:5
run --opt simgd:lr=0.3 --reg l2 --json o.json
jcheck "spec: the optimizer with its lr, the regularizer with gamma" o.json '
s = j["spec"]
assert s["optimizer"] == "simgd:lr=0.3", s
assert s["regularizers"] == ["l2:gamma=0.1"], s
assert s["model"] == "nsgan" and s["dim"] == 1 and s["at"] == "equilibrium"
assert s["tol"] == 1e-10 and s["scan"] == []'
run --model wgan-gp --opt altgd --json o.json
jcheck "spec: every parameter, choices by name" o.json '
s = j["spec"]
assert s["model"] == "wgan-gp:lambda=0.1,c=1", s
assert s["optimizer"] == "altgd:lr=0.1,order=dg,ndis=1", s'

# wgan-gp with lambda = 0 is the bilinear game: smooth, mu = +-i
run --model wgan-gp:lambda=0 --json o.json
jcheck "wgan-gp:lambda=0: differentiable, eigenvalues +-i" o.json '
assert j["verdict"] == "neutral", j["verdict"]
ev = sorted(j["eigenvalues"])
assert ev == [[0, -1], [0, 1]], ev'
run --model nsgan --reg gp:lambda=0,c=2
check "gp:lambda=0: differentiable (0 ± 0.5i)" grep -qF '0 ± 0.5i' out

# no NaN or Inf, ever: an overflowing linearisation is "not computable",
# names its parameters, exit 0 (a result, like "not differentiable")
run --opt simgd:lr=1e300 --reg l2:gamma=1e300
check "simgd:lr=1e300 + l2:gamma=1e300: exit 0 (got $rc: $(cat err))" [ "$rc" -eq 0 ]
check "lr=1e300: verdict not computable, naming lr and gamma" \
    grep -q 'verdict: not computable: .*simgd:lr=1e+300.*l2:gamma=1e+300' out
check "lr=1e300: no nan or inf printed" bash -c '! grep -qiE "nan|inf" out'
check "lr=1e300: not 'linearly neutral'" bash -c '! grep -q neutral out'
run --opt simgd:lr=1e300 --reg l2:gamma=1e300 --json o.json
jcheck "lr=1e300 JSON: not computable, no matrix, nulls" o.json '
assert j["verdict"] == "not computable"
assert j["spectral_radius"] is None and j["rate"] is None
assert "matrix" not in j and "eigenvalues" not in j'
check "lr=1e300 JSON: no NaN token" bash -c '! grep -qiE "nan|inf" o.json'
run --opt flow:lr_d=1e308 --model wgan-gp:lambda=1e308,c=0
check "flow overflow: not computable, no nan/inf ($(grep verdict out))" \
    bash -c 'grep -q "not computable" out && ! grep -qiE "nan|[^a-z]inf" out'
run --opt simgd --reg l2:gamma=1e300 --scan lr=log:1e-3:1e300:5
check "scan into overflow: exit 0" [ "$rc" -eq 0 ]
check "scan into overflow: rows say 'not computable', no nan" \
    bash -c 'grep -q "not computable" out && ! grep -qi nan out'
run --model wgan --scan lr_d=1:2:3
check "scan of a non-differentiable model: no nan in the table" bash -c '! grep -qi nan out'
expect_bad "no eigenvalues" --opt simgd:lr=1e300 --reg l2:gamma=1e300 --plot e.png

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
