#!/usr/bin/env bash
# C2 on the services: 420 s at 10 orders/s (bin/wakeups 30 near its end), 80 s idle, 10/s again for 90 s (bin/wakeups 30
# in the middle). usage: run.sh OUT (needs system-tests/target/bench.classpath). Writes OUT/wakeups-*.txt.
out=$(realpath -m "${1:?usage: run.sh OUT}"); mkdir -p "$out"; cd "$(dirname "${BASH_SOURCE[0]}")/../../../.."; rm -rf .data
ORDERSAGA_JAVA_OPTS="-Xmx256m -Xss512k -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" bin/ordersaga up --detach --no-build > $out/up.log 2>&1 || { bin/ordersaga down; exit 1; }
cp=system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown 10 420 20 > $out/stages1.txt 2>&1 &
l=$!; sleep 370; bin/wakeups 30 4 > $out/wakeups-before-idle.txt 2>&1; wait $l
sleep 80
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown 10 90 20 > $out/stages2.txt 2>&1 &
l=$!; sleep 30; bin/wakeups 30 4 > $out/wakeups-after-idle.txt 2>&1; wait $l
bin/ordersaga down > /dev/null 2>&1; echo done
