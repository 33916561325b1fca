#!/usr/bin/env bash
# Alternating A/B runs of ../experiments-2026-12-07-polling/experiment.sh (each a fresh start with an empty .data,
# 60 s of warm-up at 10 orders/s, then bin/wakeups 30 and the receivers' pull counters under the same load).
#   ab.sh OUT NAME:CHECKOUT [NAME:CHECKOUT ...]    (ROUNDS=2 by default; each checkout built, with
#                                                   system-tests/target/bench.classpath)
# Writes OUT/<name><round>/ and OUT/summary.txt. The checkouts' .data directories are deleted before each run.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out=$1; shift; mkdir -p "$out"; export EXPERIMENT_OUT=$out
for r in $(seq 1 "${ROUNDS:-2}"); do
  for spec in "$@"; do
    name=${spec%%:*}; dir=${spec#*:}
    rm -rf "$dir/.data"
    bash "$here/../experiments-2026-12-07-polling/experiment.sh" "$dir" "$name$r"
  done
done
cd "$out" && python3 "$here/../experiments-2026-12-07-polling/summary.py" $(ls -d */) > summary.txt && cat summary.txt
