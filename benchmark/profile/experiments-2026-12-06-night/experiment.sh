#!/usr/bin/env bash
# One experiment of the night session of 2026-12-06 (docs/performance.md): starts the system (built tree), warms it
# up for 60 s at RATE orders/s, then samples CPU and wake-ups per thread (bin/wakeups, 30 s) under 60 s more of the
# same load, with HopBreakdown's per-hop times; then 20 s idle. The environment passes through to the services, e.g.
#   ORDERSAGA_JAVA_OPTS="-Xmx256m -Xss512k -XX:+UseSerialGC" experiment.sh c2 10        (C2 JIT on)
#   AXON_PUBSUB_INBOUND_WAITAFTERIDLE=0s experiment.sh wait0 10                          (always a waiting pull)
# usage: experiment.sh NAME [RATE=10]; writes ${EXPERIMENT_OUT:-/tmp}/exp-NAME/
set -u
name=$1 rate=${2:-10}
root="$(cd "$(dirname "$0")/../../.." && pwd)"
out=${EXPERIMENT_OUT:-/tmp}/exp-$name; mkdir -p "$out"
cd "$root"
cp=system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)
bin/ordersaga up --detach --no-build > $out/up.log 2>&1 || { echo "up failed"; tail $out/up.log; bin/ordersaga down; exit 1; }
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown $rate 60 20 > $out/warmup.txt 2>&1
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown $rate 60 20 > $out/stages.txt 2>&1 &
load=$!
sleep 15
bin/wakeups 30 10 > $out/wakeups.txt 2>&1
wait $load
sleep 30
bin/wakeups 20 4 > $out/idle.txt 2>&1
bin/ordersaga down > /dev/null 2>&1
