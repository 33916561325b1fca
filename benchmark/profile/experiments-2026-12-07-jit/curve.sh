#!/usr/bin/env bash
# The JIT's warm-up curve: starts the built system fresh (empty .data) with the services on C1 only (c1, the
# launcher's default) or on the JVM's tiered default with C2 (c2), offers RATE orders/s (default 10) from HopBreakdown
# for LOAD seconds, and every minute samples bin/wakeups over 30 s (the compiler threads and each process's total)
# and each service's RSS.
#   curve.sh OUT c1|c2 LOAD      e.g. curve.sh /tmp/jit c2 600; curve.sh /tmp/jit c1 300
# Needs system-tests/target/bench.classpath (see ../experiments-2026-12-07-linger/ab.sh). Writes OUT/<variant>/.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
out=$1/$2; mkdir -p "$out"; cd "$root"
c1="-Xmx256m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
c2="-Xmx256m -Xss512k -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
opts=$c1; [ "$2" = c1 ] || opts=$c2
rm -rf .data
ORDERSAGA_JAVA_OPTS="$opts" bin/ordersaga up --detach --no-build > "$out/up.log" 2>&1 || { bin/ordersaga down; exit 1; }
cp=system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown "${RATE:-10}" "$3" 20 > "$out/stages.txt" 2>&1 &
load=$!
t=0
while kill -0 $load 2>/dev/null; do
  sleep 30; t=$((t + 60))
  kill -0 $load 2>/dev/null || break
  echo "== t=${t}s" >> "$out/curve.txt"
  bin/wakeups 30 3 2>&1 | grep -E "^==|Compiler" >> "$out/curve.txt"
  for f in .data/run/*.pid; do
    n=$(basename "$f" .pid); [ "$n" = emulators ] && continue
    echo "rss $n $(ps -o rss= -p "$(cat "$f")")"
  done >> "$out/curve.txt"
done
wait $load
bin/ordersaga down > /dev/null 2>&1
echo "done $2"
