#!/usr/bin/env bash
# mpi_sweep.sh - the MPI build of 'gandyn sweep': 2 ranks write exactly the
# bytes of 1 process (registered only when built with -DGANDYN_MPI=ON).
# usage: bash tests/mpi_sweep.sh PATH/TO/gandyn
. "$(dirname "$0")/lib_cli.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN=(mpirun -np 2 --mca btl self,vader)

run_both() { # name, then the sweep's options
    local name=$1; shift
    "$G" sweep "$@" --out "$name-1.npy" --quiet || { bad "$name: 1 process"; return; }
    "${MPIRUN[@]}" "$G" sweep "$@" --out "$name-2.npy" --quiet \
        || { bad "$name: 2 ranks exited $?"; return; }
    if cmp -s "$name-1.npy" "$name-2.npy"; then ok; else
        bad "$name: 2 ranks wrote other bytes than 1 process"; fi
    [ ! -e "$name-2.npy.parts" ] && ok || bad "$name: parts left behind"
}

# batched kernels, an odd number of chunks, more chunks than ranks
run_both grid --opt simgd:lr=0.3 --steps 500 --grid lr=0.05:1:40 \
    --grid theta1=-1:1:30 --chunk 77
# the one-by-one path, a single chunk (rank 1 has none)
run_both single --reg l2 --opt simgd --steps 300 --grid gamma=0.01:1:9 \
    --chunk 1000
# random starts through the flow
run_both random --opt flow:method=rk4,h=0.05 --t-end 10 --dt 0.5 \
    --random 500 --seed 3 --chunk 64
# a list of starts read a chunk at a time by each rank (chunks that split
# the rows of one start between ranks)
awk 'BEGIN { for (i = 0; i < 300; i++) printf "%.5f,%.5f,%.5f,%.5f\n", sin(i), cos(i), sin(2 * i), cos(3 * i) }' >starts.txt
run_both list --opt simgd:lr=0.1 --steps 200 --init-file starts.txt \
    --grid lr=0.05:0.2:3 --chunk 50

# bad input under MPI: exit 2, one line from rank 0, nothing written
out=$("${MPIRUN[@]}" "$G" sweep --grid bogus=0:1:3 --out bad.npy 2> err.txt)
rc=$?
if [ $rc -eq 2 ] && [ -z "$out" ] && [ "$(grep -c '^gandyn: ' err.txt)" -eq 1 ] &&
   grep -q bogus err.txt && [ ! -e bad.npy ] && [ ! -e bad.npy.parts ]; then ok
else bad "bad input under 2 ranks: rc $rc, stdout '$out', stderr '$(cat err.txt)'"; fi

finish
