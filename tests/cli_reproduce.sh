#!/usr/bin/env bash
# cli_reproduce.sh - 'gandyn reproduce' end to end: every claim present with
# numbers, the verdicts specification §5 expects (as refined there), the
# files the report promises, determinism, and its bad-input paths.
# usage: bash tests/cli_reproduce.sh PATH/TO/gandyn
set -u
. "$(dirname "$0")/lib_cli.sh"

if "$G" reproduce --out "$W/rep" > "$W/out.txt" 2> "$W/err.txt"; then ok; else
    bad "reproduce exited $?: $(cat "$W/err.txt")"; fi
[ ! -s "$W/err.txt" ] && ok || bad "stderr not empty when it is not a terminal"
for f in index.html claims.json nsgan.png nsgan.gif wgan.png wgan.gif \
         wgan-gp-c0.png wgan-gp-c0.gif wgan-gp-c1.png wgan-gp-c1.gif \
         gan-qp.png gan-qp.gif gan-qp-l2.png gan-qp-l2.gif 1d-vs-2d.png \
         nsgan-ema.png ema-distance.png fgans.png; do
    [ -s "$W/rep/$f" ] && ok || bad "missing $f"
done
grep -q 'holds with a refinement' "$W/out.txt" && ok || bad "no table on stdout"

# claims.json: ten claims with numbers and the expected verdicts
if "$PY" - "$W/rep/claims.json" "$W/rep" <<'PYEOF'
import json, math, os, sys
doc = json.load(open(sys.argv[1]))
claims = {c["id"]: c for c in doc["claims"]}
bad = []
if sorted(claims) != list(range(1, 11)):
    bad.append("claims %s, expected 1..10" % sorted(claims))
for i, c in claims.items():
    nums = c["numbers"]
    if not nums or not all(isinstance(v, (int, float)) and math.isfinite(v)
                           for v in nums.values()):
        bad.append("claim %d: numbers %r" % (i, nums))
    if not c["commands"] and i != 2:
        bad.append("claim %d: no command" % i)
    for f in c["figures"]:
        if not os.path.exists(os.path.join(sys.argv[2], f)):
            bad.append("claim %d: figure %s missing" % (i, f))
# docs/specification.md §5, as refined there
want = {1: "holds with a refinement", 4: "holds", 5: "holds",
        6: "holds with a refinement", 7: "holds with a refinement",
        8: "holds", 10: "holds"}
for i, v in want.items():
    if claims.get(i, {}).get("verdict") != v:
        bad.append("claim %d: verdict %r, expected %r"
                   % (i, claims.get(i, {}).get("verdict"), v))
n1 = claims[1]["numbers"]
if abs(n1["radius_T3000"] / 0.0009 ** 0.25 - 1) > 1e-4:
    bad.append("claim 1: radius %r" % n1["radius_T3000"])
n5 = claims[5]["numbers"]
if abs(n5["rate"] / 0.1 - 1) > 0.02:
    bad.append("claim 5: rate %r" % n5["rate"])
n10 = claims[10]["numbers"]
if not n10["ema0.99_mean_distance"] < 0.5 * n10["iterate_mean_distance"]:
    bad.append("claim 10: %r" % n10)
# the stability table: every model x method, theory against simulation
st = doc.get("stability", [])
if len(st) != 105:
    bad.append("stability table has %d cells, expected 105" % len(st))
if doc.get("stability_disagreements") != sum(c["disagree"] for c in st):
    bad.append("stability_disagreements does not count the flagged cells")
flagged = [(c["model"], c["method"]) for c in st if c["disagree"]]
if flagged:
    bad.append("theory and simulation disagree: %r" % flagged)
for c in st:
    if c["theory"] in ("stable", "unstable") and not c["disagree"]:
        if abs(c["simulation_rate"] / c["theory_rate"] - 1) > 0.1:
            bad.append("cell %r not flagged" % ((c["model"], c["method"]),))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PYEOF
then ok; else bad "claims.json checks above"; fi
# no key twice in any object of claims.json (issue 9: duplicate keys)
check "claims.json: a key twice" "$PY" -c '
import json, sys
def strict(pairs):
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)
json.load(open(sys.argv[1]), object_pairs_hook=strict)' "$W/rep/claims.json"

# the commands in the report regenerate its numbers: claim 5's run
cmd=$("$PY" -c 'import json,sys; print([c for c in json.load(open(sys.argv[1]))["claims"] if c["id"] == 5][0]["commands"][0])' "$W/rep/claims.json")
( cd "$W" && eval "${cmd/gandyn/\"$G\"} --summary s.json --quiet" ) && ok || bad "command '$cmd' failed"
if "$PY" - "$W/s.json" "$W/rep/claims.json" <<'PYEOF'
import json, sys
s = json.load(open(sys.argv[1]))
c = [c for c in json.load(open(sys.argv[2]))["claims"] if c["id"] == 5][0]
sys.exit(0 if s["diagnosis"]["rate"] == c["numbers"]["rate"] else 1)
PYEOF
then ok; else bad "the printed command does not give claim 5's rate"; fi

# every figure comes from the one command printed for it: run the printed
# commands (the runs, then each figure's) in an empty directory and compare
# every figure byte for byte
mkdir -p "$W/regen"
if "$PY" - "$G" "$W/rep" "$W/regen" <<'PYEOF'
import filecmp, json, os, shlex, subprocess, sys
g, rep, work = sys.argv[1:4]
doc = json.load(open(os.path.join(rep, "claims.json")))
bad, figs = [], {}
def run(cmd):
    args = shlex.split(cmd)
    if args[0] != "gandyn":
        bad.append("not a gandyn command: " + cmd)
        return False
    r = subprocess.run([g] + args[1:], cwd=work, capture_output=True)
    if r.returncode:
        bad.append("'%s' exited %d: %s" % (cmd, r.returncode, r.stderr.decode()))
    return r.returncode == 0
for c in doc["claims"]:
    for cmd in c["commands"]:
        run(cmd)
    if set(c["figure_commands"]) != set(c["figures"]):
        bad.append("claim %d: figures without a command" % c["id"])
    figs.update(c["figure_commands"])
figs.update(doc["map_commands"])
if len(figs) < 20 or "nsgan-eigs.png" not in figs:
    bad.append("only %d figures have commands" % len(figs))
for f, cmd in sorted(figs.items()):
    if run(cmd) and not filecmp.cmp(os.path.join(work, f),
                                    os.path.join(rep, f), shallow=False):
        bad.append("%s: '%s' makes other bytes" % (f, cmd))
# every image of the page is a figure with a command, and the page needs
# nothing outside its directory
html = open(os.path.join(rep, "index.html")).read()
import re
for src in re.findall(r'<img src="([^"]+)"', html):
    if src not in figs:
        bad.append("image %s has no command" % src)
    if "/" in src or ":" in src:
        bad.append("image %s is outside the directory" % src)
if re.search(r'(src|href)="(https?:|/)', html):
    bad.append("the page links outside its directory")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PYEOF
then ok; else bad "a printed command does not make its figure (above)"; fi
# claim 2 has its figure and its command, no empty block
grep -q 'nsgan-eigs.png' "$W/rep/index.html" && ok || bad "claim 2 has no figure"
if "$PY" - "$W/rep/index.html" <<'PYEOF'
import re, sys
html = open(sys.argv[1]).read()
bad = []
if re.search(r'<pre>\s*</pre>', html): bad.append("an empty Regenerate block")
if re.search(r'<div class="figs">\s*</div>', html): bad.append("an empty figure block")
# images keep their aspect ratio in the flex rows
if not re.search(r'\.figs img\{[^}]*height:auto', html) or \
   not re.search(r'\.figs img\{[^}]*align-self:flex-start', html):
    bad.append("images may be stretched")
if "the third stage of GANs" not in html: bad.append("no English title")
# the stability table is a coloured grid with a key
if html.count('class="st-') < 105: bad.append("stability cells not coloured")
print("\n".join(bad)); sys.exit(1 if bad else 0)
PYEOF
then ok; else bad "page structure (above)"; fi

# determinism: a second report is byte-identical
"$G" reproduce --out "$W/rep2" --quiet 2>/dev/null && ok || bad "second run"
diff -r "$W/rep" "$W/rep2" > /dev/null && ok || bad "reports differ between runs"

# bad input: one line, exit 2, nothing written (E, lib_cli.sh)
touch "$W/afile"
E "afile" -- reproduce --out "$W/afile"
E "missing/sub" -- reproduce --out "$W/missing/sub"
E "--bogus" -- reproduce --bogus
[ ! -e "$W/missing" ] && ok || bad "created a directory on bad input"
"$G" reproduce --help | grep -q 'usage: gandyn reproduce' && ok || bad "--help"

finish
