#!/usr/bin/env bash
# Counts the order service's file writes and syncs (strace -c, 10 s) under 10 orders/s: does H2 sync the file on a
# commit? (It does not: pwrite64 only.) usage: strace.sh; writes ${EXPERIMENT_OUT:-/tmp}/exp-strace/
set -u
out=${EXPERIMENT_OUT:-/tmp}/exp-strace; mkdir -p $out
root="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$root"
cp=system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)
bin/ordersaga up --detach --no-build > $out/up.log 2>&1 || { echo "up failed"; tail $out/up.log; bin/ordersaga down; exit 1; }
java -cp "$cp" io.github.ordersaga.system.bench.HopBreakdown 10 60 20 > $out/stages.txt 2>&1 &
load=$!
sleep 30
timeout 10 strace -f -c -e trace=fsync,fdatasync,pwrite64,write,futex -p $(cat .data/run/order.pid) > $out/strace-order.txt 2>&1
wait $load
bin/ordersaga down > /dev/null 2>&1
