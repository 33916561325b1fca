#!/usr/bin/env bash
# One experiment of the morning of 2026-12-07 (docs/performance.md): starts the system (built tree), warms it up at
# 10 orders/s (WARM seconds, default 60), then runs 90 s more of the same load (HopBreakdown's per-hop times), samples
# CPU and wake-ups per thread (bin/wakeups 30) 20 s into it, and the services' GC counters (jstat -gc) before and after.
# The environment passes through to the services, e.g.
#   AXON_PUBSUB_REPUBLISH_WINDOW=0 experiment.sh off
#   ORDERSAGA_JAVA_OPTS="-Xmx256m -Xss512k -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" WARM=180 experiment.sh c2long
# usage: experiment.sh NAME; writes ${EXPERIMENT_OUT:-/tmp}/exp-NAME/
set -u
name=$1; out=${EXPERIMENT_OUT:-/tmp}/exp-$name; mkdir -p $out
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
cp=system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)
bin/ordersaga up --detach --no-build > $out/up.log 2>&1 || { echo "up failed"; tail $out/up.log; bin/ordersaga down; exit 1; }
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown 10 ${WARM:-60} 20 > $out/warmup.txt 2>&1
gcsnap() { for f in .data/run/*.pid; do n=$(basename $f .pid); [ $n = emulators ] && continue; case $n in *emulator*) continue;; esac; echo "$n $(jstat -gc $(cat $f) | tail -1)"; done; }
gcsnap > $out/gc0.txt
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown 10 90 20 > $out/stages.txt 2>&1 &
load=$!
sleep 20
bin/wakeups 30 8 > $out/wakeups.txt 2>&1
wait $load
gcsnap > $out/gc1.txt
bin/ordersaga down > /dev/null 2>&1
