#!/bin/bash
# cli_sweep_stream.sh - 'gandyn sweep' holds one chunk's starts at a time:
# the table is the same bytes for any --chunk (down to a few points, chunks
# that split the rows of one start between them) and any --threads, for
# --random and --init-file; the starts in the table are the file's; and the
# peak memory does not grow with N (a sweep 5 times longer stays within a
# few MB of the shorter one, where holding every start would add 12.8 MB).
#
# usage: bash tests/cli_sweep_stream.sh PATH_TO_GANDYN
set -u

. "$(dirname "$0")/lib_cli.sh"

# Y NAME ARGS...: 'gandyn ARGS' exits 0 with an empty stderr.
Y() {
    local name=$1 rc
    shift
    "$G" "$@" >"$W/$name.out" 2>"$W/$name.err" </dev/null
    rc=$?
    if [ "$rc" -eq 0 ] && [ ! -s "$W/$name.err" ]; then
        ok
        return 0
    fi
    bad "$(show "$@"): exit $rc (expected 0), stderr: $(head -c 300 "$W/$name.err" | tr '\n' ' ')"
    return 1
}
same() {
    if [ -s "$1" ] && [ -s "$2" ] && cmp -s "$1" "$2"; then ok; else bad "$3 ($1 vs $2: $(cmp "$1" "$2" 2>&1 | head -1))"; fi
}

cd "$W" || exit 2

# ------------------------------------- --random: chunks and threads

RND=(sweep --opt simgd:lr=0.1 --steps 200 --random 700 --seed 3 --grid lr=0.05:0.2:3 --quiet)
Y r1 "${RND[@]}" --chunk 100000 --threads 1 --out r1.npy
Y r2 "${RND[@]}" --chunk 7 --threads 2 --out r2.npy
Y r3 "${RND[@]}" --chunk 3 --threads 2 --batch 5 --out r3.npy
SM=(sweep --opt simgd:lr=0.1 --steps 200 --random 70 --seed 3 --grid lr=0.05:0.2:3 --quiet)
Y r4 "${SM[@]}" --chunk 1 --threads 1 --out r4.csv
Y r5 "${SM[@]}" --chunk 210 --threads 2 --out r5.csv
same r1.npy r2.npy "--random: --chunk 7 --threads 2 differs from one chunk, one thread"
same r1.npy r3.npy "--random: --chunk 3 --batch 5 differs from one chunk"
same r4.csv r5.csv "--random .csv: --chunk 1 differs from one chunk"
# a list alone (no axis): a chunk is a run of starts
Y r6 sweep --opt altgd:lr=0.1 --steps 100 --random 1000 --seed 9 --chunk 13 --threads 2 --quiet --out r6.npy
Y r7 sweep --opt altgd:lr=0.1 --steps 100 --random 1000 --seed 9 --threads 1 --quiet --out r7.npy
same r6.npy r7.npy "--random 1000 --chunk 13 differs from one chunk"

# ----------------------------------------- --init-file: the same

awk 'BEGIN { print "# phi1 phi2 theta1 theta2";
             for (i = 0; i < 400; i++) {
                 printf "%.6f, %.6f  %.6f,%.6f", sin(i), cos(2 * i) * 0.7, sin(3 * i + 1) * 1.3, cos(i / 5);
                 if (i % 11 == 0) printf "  # a comment";
                 printf "\n"; if (i % 89 == 0) print "" } }' >starts.txt
LST=(sweep --opt simgd:lr=0.1 --steps 200 --init-file starts.txt --quiet)
Y f1 "${LST[@]}" --grid lr=0.05:0.2:3 --chunk 100000 --threads 1 --out f1.npy
Y f2 "${LST[@]}" --grid lr=0.05:0.2:3 --chunk 5 --threads 2 --out f2.npy
Y f3 "${LST[@]}" --grid lr=0.05:0.2:3 --chunk 2 --threads 2 --out f3.npy
same f1.npy f2.npy "--init-file: --chunk 5 --threads 2 differs from one chunk, one thread"
same f1.npy f3.npy "--init-file: --chunk 2 differs from one chunk"
Y f4 "${LST[@]}" --chunk 17 --threads 2 --out f4.csv
Y f5 "${LST[@]}" --threads 1 --out f5.csv
same f4.csv f5.csv "--init-file .csv: --chunk 17 differs from one chunk"
# the starts of the table are the file's, in order (awk prints them back
# with %.6f; the table has the shortest text of the same double)
check "--init-file: the table's starts are not the file's" \
    test "$(tail -n +2 f4.csv | cut -d, -f1-4 | awk -F, '{ printf "%.6f,%.6f,%.6f,%.6f\n", $1, $2, $3, $4 }' | md5sum)" = \
    "$(grep -v '^#' starts.txt | grep -v '^$' | sed 's/#.*//' | tr -s ' ,' ',' | sed 's/,$//' | md5sum)"
# and a list that is one chunk, or many, under --resume of a finished one:
# the chunk files carry the same records
Y f6 "${LST[@]}" --chunk 100 --out f6.csv
same f5.csv f6.csv "--init-file --chunk 100 differs"

# ----------------------------------------------- memory bounded in N

# peak RSS of one sweep (kB), from the kernel's accounting of the child
rss() {
    "$PY" -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$G" "$@"
}
if [ "$HAVE_PY" = 1 ]; then
    M=(sweep --opt simgd:lr=0.1 --dim 1 --steps 0 --quiet --out m.npy)
    small=$(rss "${M[@]}" --random 200000) || small=
    large=$(rss "${M[@]}" --random 1000000) || large=
    # every start held: 800000 more starts of 2 doubles = 12800 kB more
    check "--random: peak RSS grows with N ($small kB at 2e5, $large kB at 1e6)" \
        test -n "$small" -a -n "$large" -a "$((large - small))" -lt 4000
    awk 'BEGIN { for (i = 0; i < 1000000; i++) printf "%.4f,%.4f\n", sin(i), cos(i) }' >big.txt
    head -n 200000 big.txt >small.txt
    small=$(rss "${M[@]}" --init-file small.txt) || small=
    large=$(rss "${M[@]}" --init-file big.txt) || large=
    # the whole file read (15 MB) and parsed (16 MB) would add about 25 MB
    check "--init-file: peak RSS grows with N ($small kB at 2e5, $large kB at 1e6)" \
        test -n "$small" -a -n "$large" -a "$((large - small))" -lt 4000
    rm -f m.npy big.txt small.txt
else
    skip "memory bound: no $PY"
fi

finish
