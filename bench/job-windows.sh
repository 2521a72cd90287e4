#!/usr/bin/env bash
# One GradLab server (gradlab.jobs.concurrency=2): after a warm-up (one job, then two at once), `rounds` times one job
# alone and then two at once. Per window (first POST to the last job no longer QUEUED or RUNNING, polled every 0.5 s):
# its wall time, the process's CPU, and the CPU of each kind of thread (training threads: db-scheduler-pool; the
# collector: GC_Thread; nd4j's and javacpp's deallocator threads; the JIT; metric-writer; H2), read from
# /proc/<pid>/task before and after; at the end the server's peak resident memory (VmHWM).
#   [SERVER_OPTS="<JVM flags>"] [JAR=<jar>] bench/job-windows.sh [spec=M1] [rounds=2]
# SERVER_OPTS defaults to the container's flags (Dockerfile, for a 4 GB container); JAR to target/gradlab-*.jar
# (./mvnw -B package -DskipTests first). docs/PERFORMANCE.md, "DL4J's updater", shows what it measured.
set -euo pipefail
cd "$(dirname "$0")/.."
spec=bench/specs/${1:-M1}.json
rounds=${2:-2}
jar=${JAR:-$(ls target/gradlab-*.jar | head -1)}
opts=${SERVER_OPTS:--XX:+UseParallelGC -Xms1434m -Xmx1434m -XX:NewRatio=1 -XX:SurvivorRatio=3 -XX:-UseAdaptiveSizePolicy}
. src/main/docker/openblas-coretype.sh
dir=$(mktemp -d /tmp/gradlab-job-windows-XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

# shellcheck disable=SC2086 # a list of flags
OMP_NUM_THREADS=1 java $opts -jar "$jar" --server.address=127.0.0.1 --server.port=0 \
    --gradlab.jobs.concurrency=2 --spring.datasource.url="jdbc:h2:file:$dir/gradlab" >"$dir/server.log" 2>&1 &
pid=$!
. bench/lib/await-port.sh
await_port "$dir/server.log" "$pid"
jobs=http://127.0.0.1:$port/api/v1/jobs

post() { curl -sf -H 'Content-Type: application/json' -d @"$spec" "$jobs" | grep -oP '"id":"\K[^"]+' | head -1; }
await() {
    for id in "$@"; do
        while curl -sf "$jobs/$id" | grep -q '"status":"\(QUEUED\|RUNNING\)"'; do sleep 0.5; done
    done
}
# CPU ticks per thread kind: the thread's name with trailing digits dropped, so the pool's threads add up.
threads() {
    for t in /proc/"$pid"/task/*; do
        echo "$(tr ' ' _ <"$t/comm" | sed 's/[0-9]*$//') $(awk '{print $14 + $15}' "$t/stat")"
    done
}
window() { # name, jobs at once
    local before after t0 t1 ids=()
    before=$(threads)
    t0=$(date +%s.%N)
    for _ in $(seq 1 "$2"); do ids+=("$(post)"); done
    await "${ids[@]}"
    t1=$(date +%s.%N)
    after=$(threads)
    python3 - "$1" "$t0" "$t1" "$(getconf CLK_TCK)" "$before" "$after" <<'PY'
import collections, sys
name, t0, t1, hz = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
def ticks(text):
    sums = collections.Counter()
    for line in text.splitlines():
        kind, value = line.rsplit(' ', 1)
        sums[kind] += int(value)
    return sums
before, after = ticks(sys.argv[5]), ticks(sys.argv[6])
cpu = {k: (after[k] - before.get(k, 0)) / hz for k in after}
wall = t1 - t0
print(f"{name}: wall {wall:.2f} s, process CPU {sum(cpu.values()):.2f} s = {sum(cpu.values()) / wall:.2f} cores;",
      ", ".join(f"{k} {v:.2f}" for k, v in sorted(cpu.items(), key=lambda kv: -kv[1]) if v >= 0.05))
PY
}
await "$(post)"
a=$(post); b=$(post); await "$a" "$b"
# The host line is logged once the application has started, after Tomcat's port: read it after the warm-up.
grep -m1 -oP 'host: .*' "$dir/server.log"
echo "server: $opts; $(basename "$spec" .json), $rounds rounds"
for r in $(seq 1 "$rounds"); do
    window "one job, round $r" 1
    window "two jobs, round $r" 2
done
grep VmHWM /proc/"$pid"/status
