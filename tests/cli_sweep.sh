#!/bin/bash
# cli_sweep.sh - 'gandyn sweep': the table (.csv and .npy, equal to the last
# bit), its JSON sidecar, independence of --threads and --batch, rows equal
# to 'gandyn simulate' of the same point, --resume after a real kill -9,
# random and listed starts, maps, and every bad-input path.
#
# usage: bash tests/cli_sweep.sh PATH_TO_GANDYN
set -u

. "$(dirname "$0")/lib_cli.sh"

hex() { head -c "$2" "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n'; }
is_png() { [ "$(hex "$1" 8)" = 89504e470d0a1a0a ]; }
is_svg() { [ -s "$1" ] && grep -q '<svg' "$1"; }

# R NAME ARGS...: runs 'gandyn ARGS' in the current directory, stdout in
# $W/NAME.out, stderr in $W/NAME.err; returns the exit status.
R() {
    local name=$1
    shift
    "$G" "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null
}
# Y NAME ARGS...: R, and a failure unless exit 0 with an empty stderr.
Y() {
    local name=$1 rc
    R "$@"
    rc=$?
    shift
    if [ "$rc" -eq 0 ] && [ ! -s "$W/$name.err" ]; then
        ok
        return 0
    fi
    bad "$(show "$@"): exit $rc (expected 0), stderr: $(head -c 300 "$W/$name.err" | tr '\n' ' ')"
    return 1
}
# same A B DESCRIPTION: A and B exist and hold the same bytes.
same() {
    if [ -s "$1" ] && [ -s "$2" ] && cmp -s "$1" "$2"; then ok; else bad "$3 ($1 vs $2: $(cmp "$1" "$2" 2>&1 | head -1))"; fi
}
# py DESCRIPTION SCRIPT ARGS...: a Python check; it prints why it fails.
py() {
    local desc=$1 out
    shift
    if [ "$HAVE_PY" != 1 ]; then
        skip "$desc: no $PY"
        return
    fi
    if out=$("$PY" "$@" 2>&1); then ok; else bad "$desc: $out"; fi
}

# ----------------------------------------------------- python checkers

# table.py CSV NPY JSON NAMES COUNTS LOS HIS STEPS: the CSV, the .npy and
# the sidecar of a grid sweep agree with each other and with the grid.
cat >"$W/table.py" <<'PYEOF'
import ast, json, math, struct, sys

csv_path, npy_path, js_path, names, counts, los, his = sys.argv[1:8]
names = names.split(",")
counts = [int(c) for c in counts.split(",")]
los = [float(v) for v in los.split(",")]
his = [float(v) for v in his.split(",")]
fields = ["label", "theta_norm", "phi_norm", "gram", "distance", "t_eps",
          "t_stop", "rate", "rate_kind", "t_eps_measured"]
rows = 1
for c in counts:
    rows *= c
cols = len(names) + len(fields)
errs = []

lines = open(csv_path).read().split("\n")
if lines[-1] != "":
    errs.append("the CSV does not end with a newline")
lines = lines[:-1]
if lines[0] != ",".join(names + fields):
    errs.append("CSV header %r, expected %r" % (lines[0], ",".join(names + fields)))
if len(lines) != rows + 1:
    errs.append("CSV has %d rows, expected %d" % (len(lines) - 1, rows))
table = []
for i, l in enumerate(lines[1:]):
    cells = l.split(",")
    if len(cells) != cols:
        errs.append("CSV row %d has %d columns, expected %d" % (i, len(cells), cols))
        continue
    # an absent value is an empty cell, never inf or nan text
    table.append([float(c) if c != "" else math.nan for c in cells])
    for c in cells:
        if c == "":
            continue
        v = float(c)
        if not math.isfinite(v):
            errs.append("CSV cell %r: an absent value must be an empty cell" % c)
            break
        if c != "%.17g" % v:
            errs.append("CSV cell %r is not %%.17g" % c)
            break

# the axis columns: row-major, the last axis fastest, both ends exact
for k, row in enumerate(table):
    rest = k
    idx = [0] * len(counts)
    for d in reversed(range(len(counts))):
        idx[d] = rest % counts[d]
        rest //= counts[d]
    for d in range(len(counts)):
        u = idx[d] / (counts[d] - 1)
        want = his[d] if idx[d] == counts[d] - 1 else los[d] + (his[d] - los[d]) * u
        if row[d] != want:
            errs.append("row %d column %s = %r, expected %r" % (k, names[d], row[d], want))
    lab = row[len(names)]
    if lab not in (0, 1, 2, 3, 4, 5):
        errs.append("row %d: label %r" % (k, lab))

# the .npy: header, then rows x cols little-endian doubles, equal to the CSV
raw = open(npy_path, "rb").read()
if raw[:8] != b"\x93NUMPY\x01\x00":
    errs.append("npy magic/version %r" % raw[:8])
hlen = struct.unpack("<H", raw[8:10])[0]
if (10 + hlen) % 64:
    errs.append("npy header not aligned to 64 bytes (%d)" % (10 + hlen))
header = ast.literal_eval(raw[10:10 + hlen].decode("latin1"))
if header != {"descr": "<f8", "fortran_order": False, "shape": (rows, cols)}:
    errs.append("npy header %r" % header)
data = raw[10 + hlen:]
if len(data) != rows * cols * 8:
    errs.append("npy holds %d bytes of data, expected %d" % (len(data), rows * cols * 8))
else:
    vals = struct.unpack("<%dd" % (rows * cols), data)
    bad = 0
    for k, row in enumerate(table):
        for c in range(cols):
            a, b = vals[k * cols + c], row[c]
            if math.isnan(a) and struct.pack("<d", a) != struct.pack("<Q", 0x7ff8000000000000):
                errs.append("npy[%d][%d]: an absent value is not the one quiet NaN" % (k, c))
            if math.isinf(a):
                errs.append("npy[%d][%d] = %r: an overflow must be absent (NaN)" % (k, c, a))
            if not (struct.pack("<d", a) == struct.pack("<d", b) or
                    (math.isnan(a) and math.isnan(b))):
                if bad < 3:
                    errs.append("npy[%d][%d] = %r, CSV %r" % (k, c, a, b))
                bad += 1
try:
    import numpy as np
    arr = np.load(npy_path)
    if arr.shape != (rows, cols) or arr.dtype != np.float64:
        errs.append("numpy.load: shape %r dtype %r" % (arr.shape, arr.dtype))
    elif not np.array_equal(arr, np.array(table), equal_nan=True):
        errs.append("numpy.load differs from the CSV")
except ImportError:
    pass

# the sidecar
js = json.load(open(js_path))
want_axes = [(names[d], los[d], his[d], counts[d]) for d in range(len(names))]
got_axes = [(a.get("name"), a.get("lo"), a.get("hi"), a.get("count"))
            for a in js.get("axes", [])]
if got_axes != want_axes:
    errs.append("sidecar axes %r, expected %r" % (got_axes, want_axes))
if any(a.get("log") is not False for a in js.get("axes", [])):
    errs.append("sidecar axes: log should be false")
if js.get("columns") != names + fields:
    errs.append("sidecar columns %r" % js.get("columns"))
if js.get("shape") != counts:
    errs.append("sidecar shape %r, expected %r" % (js.get("shape"), counts))
if js.get("points") != rows:
    errs.append("sidecar points %r, expected %d" % (js.get("points"), rows))
if js.get("gandyn") != "sweep":
    errs.append("sidecar gandyn %r" % js.get("gandyn"))
if js.get("absent", "").find("empty cell in .csv, NaN in .npy") != 0:
    errs.append("sidecar absent %r: does not state the convention" % js.get("absent"))
if sorted(js.get("fields", {})) != sorted(fields):
    errs.append("sidecar fields %r" % js.get("fields"))
extra = sys.argv[8:]
for kv in extra:
    k, v = kv.split("=", 1)
    if json.dumps(js.get(k)) != v:
        errs.append("sidecar %s = %s, expected %s" % (k, json.dumps(js.get(k)), v))
if errs:
    print("; ".join(errs[:6]))
    sys.exit(1)
PYEOF

# rowsim.py SWEEP.csv SUMMARY.json COL=VALUE...: the sweep's row where the
# named columns have those values equals simulate's summary (%.17g text).
cat >"$W/rowsim.py" <<'PYEOF'
import json, sys

csv_path, js_path = sys.argv[1:3]
want = [kv.split("=", 1) for kv in sys.argv[3:]]
lines = open(csv_path).read().split("\n")[:-1]
head = lines[0].split(",")
rows = [dict(zip(head, l.split(","))) for l in lines[1:]]
match = [r for r in rows if all(float(r[k]) == float(v) for k, v in want)]
if len(match) != 1:
    print("%d rows match %r" % (len(match), want))
    sys.exit(1)
r = match[0]
s = json.load(open(js_path))
d, f = s["diagnosis"], s["final"]
labels = ["converges", "circle", "oscillates", "diverges", "undefined", "undecided", "stalls"]
def txt(v):  # absent (JSON null): an empty cell
    return "" if v is None else "%.17g" % v
errs = []
if labels[int(float(r["label"]))] != d["label"]:
    errs.append("label %s (%s), simulate %s" % (r["label"], labels[int(float(r["label"]))], d["label"]))
for col, val in (("theta_norm", f["theta_norm"]), ("phi_norm", f["phi_norm"]),
                 ("gram", f["gram"]), ("distance", d["distance_end"]),
                 ("rate", d["rate"]), ("t_eps", d["time_to_eps"])):
    if r[col] != txt(val):
        errs.append("%s %s, simulate %s" % (col, r[col], txt(val)))
if errs:
    print("; ".join(errs))
    sys.exit(1)
PYEOF

# startcols.py CSV NCOLS LO HI: the first NCOLS columns lie in [LO, HI) and
# the rows are distinct.
cat >"$W/startcols.py" <<'PYEOF'
import sys
path, nc, lo, hi = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
lines = open(path).read().split("\n")[:-1]
seen = set()
for l in lines[1:]:
    v = [float(c) for c in l.split(",")[:nc]]
    if not all(lo <= x < hi for x in v):
        print("start %r outside [%g, %g)" % (v, lo, hi))
        sys.exit(1)
    seen.add(tuple(v))
if len(seen) != len(lines) - 1:
    print("repeated starts")
    sys.exit(1)
PYEOF

# ------------------------------------------------------- the basic table

mkdir "$W/basic" && cd "$W/basic" || exit 2
BASE=(sweep --opt simgd:lr=0.3 --steps 500 --quiet)
Y b1 "${BASE[@]}" --grid lr=0.1:0.5:3 --grid theta1=-1:1:4 --out g.csv
check "sweep --quiet: stdout not empty" test ! -s "$W/b1.out"
Y b2 "${BASE[@]}" --grid lr=0.1:0.5:3 --grid theta1=-1:1:4 --out g.npy
py "basic 3x4 grid: CSV, NPY and sidecar" "$W/table.py" g.csv g.npy g.csv.json \
    opt.lr,theta1 3,4 0.1,-1 0.5,1 steps=500 every=10 dim=2 batched=true \
    data='"g.csv"' model='"nsgan"' optimizer='"simgd:lr=0.3"'
py "basic 3x4 grid: the .npy sidecar" "$W/table.py" g.csv g.npy g.npy.json \
    opt.lr,theta1 3,4 0.1,-1 0.5,1 data='"g.npy"'
check "basic: .parts left behind" test ! -e g.csv.parts -a ! -e g.npy.parts
check "basic: temporary files left" no_tmps .

# the summary (without --quiet) counts the labels
Y b3 sweep --opt simgd:lr=0.3 --steps 500 --grid lr=0.1:0.5:3 --grid theta1=-1:1:4 --out g2.csv
check "sweep: the summary does not say 12 trajectories" grep -q "12 trajectories" "$W/b3.out"
same g.csv g2.csv "sweep with and without --quiet: different tables"

# a one-by-one sweep (a regularizer), a flow sweep, a 1-axis and a 3-axis one
Y b4 sweep --reg l2 --opt extragradient --steps 300 --every 5 --grid gamma=0:1:3 \
    --grid phi2=-1:1:5 --out r.csv --quiet
Y b5 sweep --reg l2 --opt extragradient --steps 300 --every 5 --grid gamma=0:1:3 \
    --grid phi2=-1:1:5 --out r.npy --quiet
py "l2 extragradient grid: tables" "$W/table.py" r.csv r.npy r.csv.json \
    reg.gamma,phi2 3,5 0,-1 1,1 batched=false regularizers='["l2"]' every=5
Y b6 sweep --model gan --opt flow:method=rk4,h=0.05 --t-end 7 --dt 0.5 \
    --grid theta2=-2:2:9 --out f.csv --quiet
Y b7 sweep --model gan --opt flow:method=rk4,h=0.05 --t-end 7 --dt 0.5 \
    --grid theta2=-2:2:9 --out f.npy --quiet
py "rk4 flow 1-axis grid: tables" "$W/table.py" f.csv f.npy f.csv.json \
    theta2 9 -2 2 t_end=7 dt=0.5 batched=true
Y b8 sweep --opt altgd --steps 100 --grid ndis=1:3:3 --grid lr=0.05:0.2:2 \
    --grid phi1=0:1:3 --out t.csv --quiet
Y b9 sweep --opt altgd --steps 100 --grid ndis=1:3:3 --grid lr=0.05:0.2:2 \
    --grid phi1=0:1:3 --out t.npy --quiet
py "altgd 3-axis grid: tables" "$W/table.py" t.csv t.npy t.csv.json \
    opt.ndis,opt.lr,phi1 3,2,3 1,0.05,0 3,0.2,1

# a log grid: geometric values, both ends exact
Y b10 sweep --opt simgd --steps 100 --grid lr=log:0.001:1:4 --out lg.csv --quiet
if [ "$HAVE_PY" = 1 ]; then
    py "log grid lr=log:0.001:1:4: values" -c '
import json, sys
lines = open("lg.csv").read().split("\n")[1:-1]
v = [float(l.split(",")[0]) for l in lines]
w = [0.001 * 1000 ** (i / 3) for i in range(4)]
w[0], w[3] = 0.001, 1.0
if len(v) != 4 or v[0] != 0.001 or v[3] != 1 or any(abs(a / b - 1) > 1e-14 for a, b in zip(v, w)):
    sys.exit("values %r" % v)
a = json.load(open("lg.csv.json"))["axes"][0]
if a["log"] is not True or a["name"] != "opt.lr":
    sys.exit("sidecar axis %r" % a)'
fi

# diverged points: a gram beyond the double range and t_eps never reached
# are absent (an empty cell, NaN in the .npy), never 'inf' or 'nan' text
Y b11 sweep --opt simgd --steps 3000 --grid lr=1:3:3 --grid theta1=-3:3:5 --out dv.csv --quiet
Y b12 sweep --opt simgd --steps 3000 --grid lr=1:3:3 --grid theta1=-3:3:5 --out dv.npy --quiet
check "diverged grid: no diverged point (label 3) to check" \
    test "$(cut -d, -f3 dv.csv | grep -c '^3$')" -ge 3
check "diverged grid: 'inf' or 'nan' text in the CSV" eval '! grep -qi "inf\|nan" dv.csv'
check "diverged grid: no absent gram (an empty 6th cell) for the diverged runs" \
    test "$(cut -d, -f6 dv.csv | grep -c '^$')" -ge 1
py "diverged grid: CSV, NPY and sidecar" "$W/table.py" dv.csv dv.npy dv.csv.json \
    opt.lr,theta1 3,5 1,-3 3,3
if [ "$HAVE_PY" = 1 ]; then
    py "diverged grid: the sidecar does not state the absent convention" -c '
import json, sys
for p in ("dv.csv.json", "dv.npy.json"):
    a = json.load(open(p)).get("absent", "")
    if not a.startswith("empty cell in .csv, NaN in .npy"):
        sys.exit("%s: absent = %r" % (p, a))'
fi

# --------------------------------------------- threads and batch sizes

mkdir "$W/det" && cd "$W/det" || exit 2
DET=(sweep --opt simgd:lr=0.3 --steps 400 --grid lr=0.05:1.2:17 --grid theta1=-1:1:19 --quiet)
Y d1 "${DET[@]}" --threads 1 --out t1.npy
Y d2 "${DET[@]}" --threads 2 --out t2.npy
Y d3 "${DET[@]}" --batch 1 --out b1.npy
Y d4 "${DET[@]}" --batch 256 --threads 2 --out b256.npy
Y d5 "${DET[@]}" --batch 7 --threads 2 --chunk 50 --out b7.npy
Y d6 "${DET[@]}" --threads 1 --out t1.csv
Y d7 "${DET[@]}" --threads 2 --batch 3 --out t2.csv
same t1.npy t2.npy "batched sweep: --threads 1 and --threads 2 differ"
same t1.npy b1.npy "batched sweep: --batch 1 differs from the default"
same b1.npy b256.npy "batched sweep: --batch 1 and --batch 256 differ"
same b1.npy b7.npy "batched sweep: --batch 7 --chunk 50 differs"
same t1.csv t2.csv "batched sweep (CSV): --threads 1 and 2 --batch 3 differ"
# the one-by-one path
ONE=(sweep --model wgan-gp:c=0 --opt flow --t-end 8 --grid lambda=0:1:9 --grid phi1=-1:1:11 --quiet)
Y d8 "${ONE[@]}" --threads 1 --out o1.csv
Y d9 "${ONE[@]}" --threads 2 --chunk 13 --out o2.csv
same o1.csv o2.csv "one-by-one sweep: --threads 1 and --threads 2 --chunk 13 differ"
if [ "$HAVE_PY" = 1 ]; then
    check "batched sweep: the grid is not 323 rows" \
        test "$("$PY" -c 'import json; print(json.load(open("t1.npy.json"))["points"])')" = 323
fi

# --------------------------------------- a row is simulate's same point

mkdir "$W/sim" && cd "$W/sim" || exit 2
Y s0 sweep --opt simgd:lr=0.3 --steps 500 --grid theta1=-1:1:5 --grid phi1=-1:1:5 --out sw.csv --quiet
# the default start is 0.1,0.2,0.2,0.1 (phi1, phi2, theta1, theta2)
Y s1 simulate --opt simgd:lr=0.3 --steps 500 --every 10 --init 1,0.2,-0.5,0.1 \
    --summary s1.json --out x1.csv --quiet
Y s2 simulate --opt simgd:lr=0.3 --steps 500 --every 10 --init -0.5,0.2,0.5,0.1 \
    --summary s2.json --out x2.csv --quiet
py "sweep row theta1=-0.5, phi1=1 vs simulate" "$W/rowsim.py" sw.csv s1.json theta1=-0.5 phi1=1
py "sweep row theta1=0.5, phi1=-0.5 vs simulate" "$W/rowsim.py" sw.csv s2.json theta1=0.5 phi1=-0.5
# and a flow point, a parameter axis
Y s3 sweep --model gan --opt flow:method=euler,h=0.1 --t-end 20 --grid lr_g=1:3:3 --out fl.csv --quiet
Y s4 simulate --model gan --opt flow:method=euler,h=0.1,lr_g=1 --t-end 20 \
    --summary s4.json --out x4.csv --quiet
py "sweep row lr_g=1 (flow, euler) vs simulate" "$W/rowsim.py" fl.csv s4.json opt.lr_g=1
Y s5 sweep --reg l2:gamma=0.3 --opt momentum:schedule=alt --steps 300 --grid beta=-0.5:0.5:3 \
    --grid theta2=-1:1:3 --out mo.csv --quiet
Y s6 simulate --reg l2:gamma=0.3 --opt momentum:schedule=alt,beta=0.5 --steps 300 --every 10 \
    --init 0.1,0.2,0.2,-1 --summary s6.json --out x6.csv --quiet
py "sweep row beta=0.5, theta2=-1 (momentum, l2) vs simulate" "$W/rowsim.py" mo.csv s6.json opt.beta=0.5 theta2=-1

# ------------------------------------------------------------- --resume

mkdir "$W/res" && cd "$W/res" || exit 2
RS=(sweep --opt simgd --steps 40000 --every 100 --grid theta1=-1:1:40 --grid phi1=-1:1:40 --chunk 20 --quiet)
t0=$EPOCHREALTIME
Y r0 "${RS[@]}" --threads 1 --out ref.csv
t1=$EPOCHREALTIME
check "resume: the reference run left its .parts" test ! -e ref.csv.parts
# microseconds the reference took
ref_us=$(( (${t1%.*} - ${t0%.*}) * 1000000 + 10#${t1#*.} - 10#${t0#*.} ))
killed=0
for div in 2 4 8 16 32; do
    rm -rf k.csv k.csv.json k.csv.parts .gandyn-tmp-*
    "$G" "${RS[@]}" --threads 1 --out k.csv >/dev/null 2>&1 </dev/null &
    pid=$!
    us=$((ref_us / div))
    sleep "$((us / 1000000)).$(printf '%06d' $((us % 1000000)))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if [ -f k.csv.parts/manifest.txt ]; then
        killed=1
        break
    fi
done
if [ "$killed" = 0 ]; then
    skip "resume: could not interrupt the sweep (${ref_us} us) before it finished"
else
    nch=$(find k.csv.parts -name 'chunk-*.bin' | wc -l)
    check "resume: killed after $nch of 80 chunks, yet k.csv exists" test ! -e k.csv
    check "resume: killed, yet k.csv.json exists" test ! -e k.csv.json
    check "resume: killed, yet all 80 chunks exist" test "$nch" -lt 80
    stray=$(find k.csv.parts -name '.gandyn-tmp-*' | wc -l)
    cp -r k.csv.parts "$W/killed.parts"
    # a temporary file the kill left behind is not the refused runs' to
    # clean up: the checks below must see only what those runs write
    rm -f "$W"/killed.parts/.gandyn-tmp-*
    Y r1 "${RS[@]}" --threads 2 --out k.csv --resume
    same ref.csv k.csv "resume after kill -9: the table differs from an uninterrupted run"
    if [ "$stray" = 0 ]; then
        check "resume: k.csv.parts left behind" test ! -e k.csv.parts
    fi
    # without --resume, an existing .parts is an error
    PRE="cp -r '$W/killed.parts' k.csv.parts"
    E "k.csv.parts" "--resume" -- "${RS[@]}" --out k.csv
    # --resume with other options: an error
    PRE="cp -r '$W/killed.parts' k.csv.parts"
    E "k.csv.parts" "different" "made with --steps 40000, now 30000" -- "${RS[@]/40000/30000}" --out k.csv --resume
    PRE="cp -r '$W/killed.parts' k.csv.parts"
    E "k.csv.parts" "different" "made with --grid theta1=-1:1:40" "now theta1=-1:1:41" -- "${RS[@]/theta1=-1:1:40/theta1=-1:1:41}" --out k.csv --resume
    PRE="cp -r '$W/killed.parts' k.csv.parts"
    E "k.csv.parts" "different" "made with --model nsgan, now gan" -- "${RS[@]}" --model gan --out k.csv --resume
    PRE="cp -r '$W/killed.parts' k.csv.parts"
    E "k.csv.parts" "different" "made with --chunk 20, now 21" -- "${RS[@]/#20/21}" --out k.csv --resume
    # a chunk being written when the process died leaves a temporary file
    # in the parts; a resumed sweep still finishes and cleans up
    cp -r "$W/killed.parts" k2.csv.parts
    printf 'partial' >k2.csv.parts/.gandyn-tmp-AbC123
    Y r2 "${RS[@]}" --out k2.csv --resume
    same ref.csv k2.csv "resume with a stray temporary chunk: the table differs"
    check "resume with a stray temporary chunk in k2.csv.parts: the directory is left behind ($(ls -A k2.csv.parts 2>/dev/null | tr '\n' ' '))" \
        test ! -e k2.csv.parts
    # a chunk file is bound to its sweep and its index, and checksummed: a
    # chunk copied over another (chunk 1 as chunk 0, the same size) or
    # altered in place (one byte, the same size) is refused before anything
    # runs, naming the file; removed, it is recomputed
    if [ -f "$W/killed.parts/chunk-00000001.bin" ]; then
        PRE="cp -r '$W/killed.parts' k.csv.parts; cp k.csv.parts/chunk-00000001.bin k.csv.parts/chunk-00000000.bin"
        E "k.csv.parts/chunk-00000000.bin" "not chunk 0" "remove it" -- "${RS[@]}" --out k.csv --resume
        PRE="cp -r '$W/killed.parts' k.csv.parts; printf '\\377' | dd of=k.csv.parts/chunk-00000001.bin bs=1 seek=100 conv=notrunc 2>/dev/null"
        E "k.csv.parts/chunk-00000001.bin" "altered" -- "${RS[@]}" --out k.csv --resume
        cp -r "$W/killed.parts" k3.csv.parts
        cp k3.csv.parts/chunk-00000001.bin k3.csv.parts/chunk-00000000.bin
        R r3 "${RS[@]}" --out k3.csv --resume
        rm k3.csv.parts/chunk-00000000.bin
        Y r3b "${RS[@]}" --out k3.csv --resume
        same ref.csv k3.csv "resume after removing a refused chunk: the table differs"
    else
        skip "resume: killed before two chunks were written; the checks of chunks are not made"
    fi
    echo "resume: the sweep was killed after $nch of 80 chunks"
fi
# ------------------------------ --resume never mixes two configurations

mkdir "$W/mix" && cd "$W/mix" || exit 2
# interrupt OUT ARGS...: starts 'gandyn ARGS' (which writes OUT) and kills
# it (-9) as soon as OUT.parts/manifest.txt exists; succeeds when it does
interrupt() {
    local out=$1 i pid
    shift
    "$G" "$@" >/dev/null 2>&1 </dev/null &
    pid=$!
    for i in $(seq 1 1000); do
        [ -f "$out.parts/manifest.txt" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$out".parts/.gandyn-tmp-*
    [ -f "$out.parts/manifest.txt" ] && [ ! -e "$out" ]
}
# 1000 starts; the same file with line 700 changed
if [ "$HAVE_PY" = 1 ]; then
    "$PY" -c '
import random
r = random.Random(5)
for i in range(1000):
    print(",".join("%.6f" % r.uniform(-1, 1) for _ in range(4)))' >s1.txt
else
    for i in $(seq 1 1000); do echo "0.$i,0.2,-0.$i,0.1"; done >s1.txt
fi
sed '700s/$/ # a changed comment is a change of contents too/' s1.txt >s2.txt
sed '700s/.*/0.5,0.25,-0.5,0.125/' s1.txt >s3.txt
check "mix: the changed starts file is the same" eval '! cmp -s s1.txt s3.txt'
LS=(sweep --opt simgd:lr=0.2 --steps 20000 --every 100 --chunk 20 --threads 1 --quiet)
Y x0 "${LS[@]}" --init-file s1.txt --out ref.csv
if interrupt x.csv "${LS[@]}" --init-file s1.txt --out x.csv; then
    cp -r x.csv.parts "$W/mix.parts"
    # the contents of --init-file changed, under the same name: refused
    PRE="cp -r '$W/mix.parts' x.csv.parts; cp '$W/mix/s3.txt' s1.txt"
    E "x.csv.parts" "the contents of --init-file changed" -- "${LS[@]}" --init-file s1.txt --out x.csv --resume
    PRE="cp -r '$W/mix.parts' x.csv.parts; cp '$W/mix/s2.txt' s1.txt"
    E "x.csv.parts" "the contents of --init-file changed" -- "${LS[@]}" --init-file s1.txt --out x.csv --resume
    # the same contents under another name: the same sweep
    cp s1.txt s1-copy.txt
    Y x1 "${LS[@]}" --init-file s1-copy.txt --out x.csv --resume
    same ref.csv x.csv "resume with the same starts: the table differs from an uninterrupted run"
    check "mix: x.csv.parts left behind" test ! -e x.csv.parts
else
    skip "mix: the init-file sweep finished before it could be interrupted"
fi
# a long configuration (--dim 200: the --init alone is over 8191 bytes)
# that differs late: in --steps, in the last coordinate of --init, in
# --chunk (the last option of the manifest)
INIT=$(for i in $(seq 1 400); do printf '%s-1.%03d4567890123e-05' "$([ "$i" -gt 1 ] && echo ,)" "$i"; done)
INIT2="${INIT%3e-05}4e-05"
at=$((${#INIT} - 4)) # the character where they differ
DM=(sweep --dim 200 --opt simgd:lr=0.1 --every 100 --grid lr=0.01:0.1:100 --chunk 1 --threads 1 --quiet)
Y y0 "${DM[@]}" --steps 2000 --init "$INIT" --out ref.csv
if interrupt y.csv "${DM[@]}" --steps 2000 --init "$INIT" --out y.csv; then
    cp -r y.csv.parts "$W/dim.parts"
    msize=$(wc -c <y.csv.parts/manifest.txt)
    check "mix: the --dim 200 manifest is only $msize bytes" test "$msize" -gt 8191
    PRE="cp -r '$W/dim.parts' y.csv.parts"
    E "y.csv.parts" "made with --steps 2000, now 3000" -- "${DM[@]}" --steps 3000 --init "$INIT" --out y.csv --resume
    PRE="cp -r '$W/dim.parts' y.csv.parts"
    E "y.csv.parts" "made with --init" "1.4004567890123e-05, now" "1.4004567890124e-05 (from character $at)" -- "${DM[@]}" --steps 2000 --init "$INIT2" --out y.csv --resume
    PRE="cp -r '$W/dim.parts' y.csv.parts"
    DM2=("${DM[@]}")
    DM2[10]=2 # --chunk 2
    E "y.csv.parts" "made with --chunk 1, now 2" -- "${DM2[@]}" --steps 2000 --init "$INIT" --out y.csv --resume
    # a manifest edited by hand: its hash no longer matches its lines
    PRE="cp -r '$W/dim.parts' y.csv.parts; sed -i 's/^--steps 2000/--steps 2001/' y.csv.parts/manifest.txt"
    E "y.csv.parts" "damaged" -- "${DM[@]}" --steps 2001 --init "$INIT" --out y.csv --resume
    Y y1 "${DM[@]}" --steps 2000 --init "$INIT" --out y.csv --resume
    same ref.csv y.csv "--dim 200 resume: the table differs from an uninterrupted run"
else
    skip "mix: the --dim 200 sweep finished before it could be interrupted"
fi
# the sidecar (or the figure) cannot be written at the end: no OUT either,
# the chunks stay, and a resume then gives the uninterrupted bytes
PS=(sweep --opt simgd:lr=0.2 --steps 50000 --every 100 --grid lr=0.01:0.3:20 --grid theta1=-1:1:20 --chunk 10 --threads 1 --quiet)
Y z0 "${PS[@]}" --out zref.csv --plot zref.png
for victim in z.csv.json z.png; do
    rm -rf z.csv z.csv.json z.png z.csv.parts
    "$G" "${PS[@]}" --out z.csv --plot z.png >"$W/z.out" 2>"$W/z.err" </dev/null &
    pid=$!
    for i in $(seq 1 1000); do
        [ -f z.csv.parts/manifest.txt ] && break
        sleep 0.01
    done
    mkdir "$victim" # a directory where the output goes: its rename fails
    wait "$pid"
    rc=$?
    if [ ! -f z.csv.parts/manifest.txt ]; then
        skip "all or nothing ($victim): the sweep finished before the directory was made"
        rmdir "$victim"
        continue
    fi
    check "$victim unwritable at the end: exit $rc, not 2" test "$rc" = 2
    check "$victim unwritable at the end: stderr is not one line naming it ($(cat "$W/z.err"))" \
        eval 'test "$(wc -l <"$W/z.err")" = 1 && grep -qF "$victim" "$W/z.err"'
    check "$victim unwritable at the end: z.csv committed all the same" test ! -e z.csv
    [ "$victim" = z.png ] && check "z.png unwritable at the end: z.csv.json committed all the same" test ! -e z.csv.json
    [ "$victim" = z.csv.json ] && check "z.csv.json unwritable at the end: z.png committed all the same" test ! -e z.png
    check "$victim unwritable at the end: temporary files left" no_tmps .
    check "$victim unwritable at the end: the chunks are gone" test -d z.csv.parts
    rmdir "$victim"
    Y z1 "${PS[@]}" --out z.csv --plot z.png --resume
    same zref.csv z.csv "resume after a failed $victim: the table differs"
    same zref.png z.png "resume after a failed $victim: the figure differs"
done
cd "$W" || exit 2
# a refused run creates no OUT.parts/ (which would block the next run):
# an unwritable sidecar is refused before anything runs
PRE="mkdir o.csv.json"
E "o.csv.json" "directory" -- sweep --opt simgd --steps 50 --grid lr=0.1:1:3 --out o.csv
PRE="mkdir o.csv.json"
E "o.csv.json" "directory" -- sweep --opt simgd --steps 50 --grid lr=0.1:1:3 --out o.csv --resume

# nothing to resume
E "--resume" "x.csv.parts" -- sweep --opt simgd --grid lr=0.1:1:3 --out x.csv --resume

# ------------------------------------------- random and listed starts

mkdir "$W/pts" && cd "$W/pts" || exit 2
RND=(sweep --opt simgd:lr=0.3 --steps 200 --random 40 --quiet)
Y p1 "${RND[@]}" --seed 7 --out a.csv
Y p2 "${RND[@]}" --seed 7 --threads 1 --out b.csv
Y p3 "${RND[@]}" --seed 8 --out c.csv
Y p4 "${RND[@]}" --out d.csv
Y p5 "${RND[@]}" --seed 1 --out e.csv
same a.csv b.csv "--random 40 --seed 7: two runs differ"
check "--random 40: --seed 7 and --seed 8 give the same table" eval '! cmp -s a.csv c.csv'
same d.csv e.csv "--random: no --seed differs from --seed 1 (the default)"
check "--random 40: not 41 lines" test "$(wc -l <a.csv)" = 41
check "--random: header" test "$(head -1 a.csv)" = \
    "phi1,phi2,theta1,theta2,label,theta_norm,phi_norm,gram,distance,t_eps,t_stop,rate,rate_kind,t_eps_measured"
py "--random 40: starts in [-1, 1)" "$W/startcols.py" a.csv 4 -1 1
Y p6 "${RND[@]}" --seed 7 --box 2:3 --out box.csv
py "--random --box 2:3: starts in [2, 3)" "$W/startcols.py" box.csv 4 2 3
if [ "$HAVE_PY" = 1 ]; then
    check "--random 40: sidecar shape is not [40]" \
        test "$("$PY" -c 'import json; print(json.load(open("a.csv.json"))["shape"])')" = "[40]"
fi

# --init-file: commas or spaces, comments, blank lines
cat >starts.txt <<'EOF'
# phi1, phi2, theta1, theta2
1,0.2,-0.5,0.1

  -0.5 0.2 0.5 0.1   # with spaces
0.25,0.5,0.75,1
EOF
Y p7 sweep --opt simgd:lr=0.3 --steps 500 --init-file starts.txt --out l.csv --quiet
check "--init-file: not 3 rows" test "$(wc -l <l.csv)" = 4
check "--init-file: the starts are not the file's" \
    test "$(cut -d, -f1-4 l.csv | tail -n +2 | tr '\n' ' ')" = \
    "1,0.20000000000000001,-0.5,0.10000000000000001 -0.5,0.20000000000000001,0.5,0.10000000000000001 0.25,0.5,0.75,1 "
# the records equal the grid sweep's (and so simulate's) for the same starts
Y p8 sweep --opt simgd:lr=0.3 --steps 500 --grid theta1=-1:1:5 --grid phi1=-1:1:5 --out gr.csv --quiet
if [ "$HAVE_PY" = 1 ]; then
    py "--init-file rows vs grid rows of the same starts" -c '
import sys
def rows(p):
    ls = open(p).read().split("\n")[:-1]
    h = ls[0].split(",")
    return [dict(zip(h, l.split(","))) for l in ls[1:]]
L, G = rows("l.csv"), rows("gr.csv")
f = ["label", "theta_norm", "phi_norm", "gram", "distance", "t_eps", "t_stop", "rate", "rate_kind", "t_eps_measured"]
for a, th, ph in ((L[0], -0.5, 1), (L[1], 0.5, -0.5)):
    g = [r for r in G if float(r["theta1"]) == th and float(r["phi1"]) == ph][0]
    if [a[k] for k in f] != [g[k] for k in f]:
        sys.exit("start theta1=%g phi1=%g: %r vs %r" % (th, ph, [a[k] for k in f], [g[k] for k in f]))'
fi
# a UTF-8 byte order mark, CRLF line ends, lines longer than 65536 bytes
# (numbers of 20000 digits: a line of 80 kB, and a comment of 70 kB)
printf '\357\273\2771,0.2,-0.5,0.1\r\n-0.5 0.2 0.5 0.1\r\n' >bom.txt
Y p10 sweep --opt simgd:lr=0.3 --steps 500 --init-file bom.txt --out bom.csv --quiet
check "--init-file with a BOM and CRLF: not the rows of the plain file" \
    test "$(cut -d, -f5- bom.csv | sed -n 2,3p)" = "$(cut -d, -f5- l.csv | sed -n 2,3p)"
long=$(printf '0.25%020000d' 0)
printf '%s,%s,%s,%s\n' "$long" "$long" "-$long" "$long" >long.txt
printf '# %070000d\n%s\n' 0 "$(head -1 long.txt)" >>long.txt
check "long.txt: no line longer than 65536 bytes" test "$(wc -L <long.txt)" -gt 65536
Y p11 sweep --opt simgd:lr=0.3 --steps 100 --init-file long.txt --out long.csv --quiet
check "--init-file with 80 kB lines and a 70 kB comment: not 2 rows of 0.25,0.25,-0.25,0.25" \
    test "$(cut -d, -f1-4 long.csv | tail -n +2 | tr '\n' ' ')" = "0.25,0.25,-0.25,0.25 0.25,0.25,-0.25,0.25 "
# a list of starts and a parameter axis: the starts are the slowest axis
Y p9 sweep --opt simgd --steps 100 --init-file starts.txt --grid lr=0.1:0.3:3 --out la.csv --quiet
check "--init-file x --grid lr (3 x 3): the rows are not in order (start, then lr)" \
    test "$(cut -d, -f1,5 la.csv | tail -n +2 | tr '\n' ' ')" = \
    "1,0.10000000000000001 1,0.20000000000000001 1,0.29999999999999999 -0.5,0.10000000000000001 -0.5,0.20000000000000001 -0.5,0.29999999999999999 0.25,0.10000000000000001 0.25,0.20000000000000001 0.25,0.29999999999999999 "

# ------------------------------------------------------------------ maps

mkdir "$W/map" && cd "$W/map" || exit 2
MAP=(sweep --opt simgd:lr=0.3 --steps 300 --grid theta1=-1:1:9 --grid phi1=-1:1:7 --quiet)
Y m1 "${MAP[@]}" --out m.csv --plot m.png
check "--plot m.png: not a PNG" is_png m.png
Y m2 "${MAP[@]}" --out d.csv --plot d.png --plot-value distance
check "--plot d.png --plot-value distance: not a PNG" is_png d.png
check "--plot-value distance draws the same picture as label" eval '! cmp -s m.png d.png'
same m.csv d.csv "--plot changes the table"
Y m3 sweep --opt simgd --steps 100 --grid lr=0.05:0.5:6 --out l.csv --plot l.svg --plot-value theta_norm --quiet
check "--plot l.svg (one axis): not an SVG" is_svg l.svg
# log grids are drawn on log10 axes (they used to be refused)
Y m4 sweep --opt simgd --reg l2 --steps 200 --grid lr=log:0.01:1:5 \
    --grid gamma=log:0.05:1:4 --out lg.csv --plot lg.png --quiet
check "--plot lg.png (log grids): not a PNG" is_png lg.png
Y m5 sweep --opt simgd --steps 100 --grid lr=log:0.01:1:6 --out l1.csv \
    --plot l1.svg --plot-value theta_norm --quiet
check "--plot l1.svg (one log axis): not an SVG" is_svg l1.svg
check "maps: temporary files left" no_tmps .

# ---------------------------------------------------- the progress bar

# On a terminal (util-linux 'script' gives one) the bar moves at least
# once a second, not once per chunk (here the whole sweep is one chunk);
# the table is the same bytes as without a terminal.
mkdir "$W/tty" && cd "$W/tty" || exit 2
PB=(sweep --reg l2 --opt simgd:lr=0.1 --steps 10000 --random 800)
if command -v script >/dev/null 2>&1; then
    Y t0 "${PB[@]}" --threads 2 --out plain.csv
    t0=$EPOCHREALTIME
    script -q -e -T timing.txt -c "$(printf '%q ' "$G" "${PB[@]}" --threads 1 --out tty.csv) >/dev/null" typescript.txt \
        </dev/null >/dev/null 2>&1
    rc=$?
    t1=$EPOCHREALTIME
    check "progress bar: the sweep under 'script' exits $rc" test "$rc" = 0
    same plain.csv tty.csv "progress bar: the table on a terminal differs"
    secs=$(( ${t1%.*} - ${t0%.*} ))
    n=$(grep -ao 'gandyn sweep: *[0-9]*%' typescript.txt | wc -l)
    # the longest silence between two writes to the terminal
    gap=$(awk '$1 > m { m = $1 } END { printf "%.3f", m }' timing.txt)
    if [ "$secs" -ge 2 ]; then
        check "progress bar: $n updates in a ${secs} s chunk (at least 3)" test "$n" -ge 3
    else
        skip "progress bar: the chunk took under 2 s; the number of updates is not checked"
    fi
    check "progress bar: $n updates in ${secs} s, fewer than one a second" test "$n" -ge "$secs"
    check "progress bar: ${gap} s without an update (more than 1 s)" \
        awk -v g="$gap" 'BEGIN { exit !(g <= 1.0) }'
    echo "progress bar: $n updates in ${secs} s, longest gap ${gap} s"
else
    skip "progress bar: no 'script' (util-linux) to give the sweep a terminal"
fi
cd "$W" || exit 2

# ----------------------------------------------------------- bad input

cd "$W" || exit 2
B=(sweep --opt simgd --steps 50)
E "--out" -- "${B[@]}" --grid lr=0.1:1:3
E "o.json" -- "${B[@]}" --grid lr=0.1:1:3 --out o.json
E "o.txt" -- "${B[@]}" --grid lr=0.1:1:3 --out o.txt
E "lrr" -- "${B[@]}" --grid lrr=0.1:1:3 --out o.csv
E "psi1" -- "${B[@]}" --grid psi1=0:1:3 --out o.csv
E "theta3" -- "${B[@]}" --grid theta3=0:1:3 --out o.csv
E "lr=1:0.5:3" -- "${B[@]}" --grid lr=1:0.5:3 --out o.csv
E "lr=1:1:3" -- "${B[@]}" --grid lr=1:1:3 --out o.csv
E "--grid" "N" "0" -- "${B[@]}" --grid lr=0.1:1:0 --out o.csv
E "--grid" "N" "1" -- "${B[@]}" --grid lr=0.1:1:1 --out o.csv
E "lr=0.1:1:3:4" -- "${B[@]}" --grid lr=0.1:1:3:4 --out o.csv
E "lr=log:0:1:3" -- "${B[@]}" --grid lr=log:0:1:3 --out o.csv
E "lr=0" -- "${B[@]}" --grid lr=0:1:5 --out o.csv
E "lambda" "ambiguous" -- sweep --model wgan-gp --reg gp --opt simgd --grid lambda=0:1:3 --out o.csv
E "order" -- sweep --opt altgd --grid order=0:1:2 --out o.csv
E "opt.lr" "twice" -- "${B[@]}" --grid lr=0.1:1:3 --grid opt.lr=0.2:1:3 --out o.csv
E "at most 4" -- "${B[@]}" --grid lr=0.1:1:2 --grid phi1=0:1:2 --grid phi2=0:1:2 \
    --grid theta1=0:1:2 --grid theta2=0:1:2 --out o.csv
E "--grid" "--init-file" "--random" -- "${B[@]}" --out o.csv
E "--init-file" "--random" -- "${B[@]}" --random 5 --init-file s.txt --out o.csv
E "--seed" -- "${B[@]}" --grid lr=0.1:1:3 --seed 3 --out o.csv
E "--box" -- "${B[@]}" --grid lr=0.1:1:3 --box 0:1 --out o.csv
E "--box" "'1'" -- "${B[@]}" --random 5 --box 1 --out o.csv
E "--box" "1:0" -- "${B[@]}" --random 5 --box 1:0 --out o.csv
E "--box" "a" -- "${B[@]}" --random 5 --box a:1 --out o.csv
E "--random" -- "${B[@]}" --random 0 --out o.csv
E "--seed" "-1" -- "${B[@]}" --random 5 --seed -1 --out o.csv
E "--steps" -- sweep --opt flow --steps 10 --grid lr=0.1:1:3 --out o.csv
E "--every" -- sweep --grid lr=0.1:1:3 --every 10 --out o.csv
E "--t-end" -- "${B[@]}" --grid lr=0.1:1:3 --t-end 10 --out o.csv
E "--dt" -- "${B[@]}" --grid lr=0.1:1:3 --dt 0.5 --out o.csv
E "too many" -- "${B[@]}" --grid phi1=0:1:100000 --grid phi2=0:1:100000 \
    --grid theta1=0:1:100000 --grid theta2=0:1:100000 --out o.csv
E "x.gif" -- "${B[@]}" --grid lr=0.1:1:3 --plot x.gif --out o.csv
E "x.bmp" -- "${B[@]}" --grid lr=0.1:1:3 --plot x.bmp --out o.csv
E "--plot" "p.png" -- "${B[@]}" --grid lr=0.1:1:2 --grid phi1=0:1:2 --grid theta1=0:1:2 \
    --plot p.png --out o.csv
E "--plot" "p.png" -- "${B[@]}" --random 4 --plot p.png --out o.csv
E "bogus" -- "${B[@]}" --grid lr=0.1:1:3 --plot-value bogus --out o.csv
E "bogus" -- "${B[@]}" --grid lr=0.1:1:3 --plot-value bogus --plot p.png --out o.csv
E "nodir/o.csv" -- "${B[@]}" --grid lr=0.1:1:3 --out nodir/o.csv
E "nodir/p.png" -- "${B[@]}" --grid lr=0.1:1:3 --plot nodir/p.png --out o.csv
E "nofile.txt" -- "${B[@]}" --init-file nofile.txt --out o.csv
PRE="printf '0.1,0.2,0.3,0.4\n0.1,abc,0.3,0.4\n' >p.txt"
E "p.txt" "line 2" "abc" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '# a comment\n0.1,0.2,0.3\n' >p.txt"
E "p.txt" "line 2" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,0.2,0.3,0.4,0.5\n' >p.txt"
E "p.txt" "line 1" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '# nothing\n\n' >p.txt"
E "p.txt" -- "${B[@]}" --init-file p.txt --out o.csv
# the starts file: empty fields, NUL bytes, directories, hexadecimal
# numbers are refused, naming the right line (even after a line longer than
# any buffer)
PRE="printf '0.1,0.2,0.3,0.4\n0.1,,0.3,0.4\n' >p.txt"
E "p.txt" "line 2" "empty field 2" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,0.2,0.3,0.4,\n' >p.txt"
E "p.txt" "line 1" "empty field 5" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf ',0.1,0.2,0.3,0.4\n' >p.txt"
E "p.txt" "line 1" "empty field 1" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1 , ,0.3,0.4\n' >p.txt"
E "p.txt" "line 1" "empty field 2" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,0.2,0.3,0.4\n\n0.1,0.2\0,0.3,0.4\n' >p.txt"
E "p.txt" "line 3" "NUL" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="mkdir p.txt"
E "p.txt" "directory" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,0x1p-3,0.3,0.4\n' >p.txt"
E "p.txt" "line 1" "0x1p-3" "hexadecimal" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,-0X10,0.3,0.4\n' >p.txt"
E "p.txt" "line 1" "-0X10" "hexadecimal" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,inf,0.3,0.4\n' >p.txt"
E "p.txt" "line 1" "inf" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="{ printf '# '; head -c 100000 /dev/zero | tr '\\0' x; printf '\n0.1,0.2,0.3,0.4\n0.1,0.2,0.3\n'; } >p.txt"
E "p.txt" "line 3" "3 values, 4 expected" -- "${B[@]}" --init-file p.txt --out o.csv
PRE="printf '0.1,0.2,0.3,0.4\n' >p.txt"
E "theta1=0:1:3" -- "${B[@]}" --init-file p.txt --grid theta1=0:1:3 --out o.csv
E "--threads" -- "${B[@]}" --grid lr=0.1:1:3 --threads 0 --out o.csv
E "--batch" -- "${B[@]}" --grid lr=0.1:1:3 --batch 0 --out o.csv
E "--chunk" -- "${B[@]}" --grid lr=0.1:1:3 --chunk 0 --out o.csv
E "--eps" -- "${B[@]}" --grid lr=0.1:1:3 --eps 0 --out o.csv
E "--dim" -- "${B[@]}" --grid lr=0.1:1:3 --dim 0 --out o.csv
E "--init" -- "${B[@]}" --grid lr=0.1:1:3 --init 1,2,3 --out o.csv
E "--bogus" -- "${B[@]}" --grid lr=0.1:1:3 --bogus --out o.csv
if ro_dir; then
    E "$W/ro/x.csv" -- "${B[@]}" --grid lr=0.1:1:3 --out "$W/ro/x.csv"
    E "$W/ro/p.png" -- "${B[@]}" --grid lr=0.1:1:3 --out "$W/rw.csv" --plot "$W/ro/p.png"
    ro_clean
    check "read-only plot: rw.csv.parts or rw.csv.json left" \
        test ! -e "$W/rw.csv.parts" -a ! -e "$W/rw.csv.json"
fi

# --help
Y h1 sweep --help
check "sweep --help: no usage" grep -q "usage: gandyn sweep" "$W/h1.out"

finish
