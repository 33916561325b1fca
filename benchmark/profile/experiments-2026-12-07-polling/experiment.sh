#!/usr/bin/env bash
# One run of the polling experiment (docs/performance.md, "2026-12-07, late morning"): starts the system of a built
# checkout, warms it up at RATE orders/s (default 10) for WARM s (default 60), then under 90 s more of the same load samples CPU and
# wake-ups per thread (bin/wakeups 30) and the receivers' pull counters (/actuator/pubsub) before and after.
# usage: experiment.sh CHECKOUT NAME; writes ${EXPERIMENT_OUT:-/tmp/ab}/NAME/
root=$1; name=$2; out=${EXPERIMENT_OUT:-/tmp/ab}/$name; mkdir -p $out
cd $root
cp=system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)
bin/ordersaga up --detach --no-build > $out/up.log 2>&1 || { echo "up failed"; tail $out/up.log; bin/ordersaga down; exit 1; }
tok=$(cat .data/run/operator-token)
snap() { for port in 8081 8082 8083 8084 8080; do echo "== $port"; curl -s -H "Authorization: Bearer $tok" http://127.0.0.1:$port/actuator/pubsub; echo; done; }
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown ${RATE:-10} ${WARM:-60} 20 > $out/warmup.txt 2>&1
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown ${RATE:-10} 90 20 > $out/stages.txt 2>&1 &
load=$!
sleep 20
snap > $out/pubsub0.json
bin/wakeups 30 8 > $out/wakeups.txt 2>&1
snap > $out/pubsub1.json
wait $load
bin/ordersaga down > /dev/null 2>&1
echo "$name done"
