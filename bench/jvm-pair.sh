#!/usr/bin/env bash
# Two GradLab servers with different JVM flags, side by side: both get the same M1 job at the same moment, `jobs`
# times, so the machine's other load falls on both alike. Per job and server, the CPU time (10 ms ticks) of its
# training threads (db-scheduler-pool), collector threads (GC Thread#n, VM Thread), JIT compiler threads, and all
# (a thread that exits during a job, as the JVM's extra compiler threads do, drops out of the per-thread sums).
#   bench/jvm-pair.sh "<JVM flags A>" "<JVM flags B>" [jobs=3] [spec=M1]
# e.g. bench/jvm-pair.sh "-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -Xmx2g" "-XX:+UseParallelGC -Xmx2g" 4
# Runs target/gradlab-*.jar (./mvnw -B package -DskipTests first); the servers listen on ports the OS picks.
set -euo pipefail
cd "$(dirname "$0")/.."
flags_a=$1
flags_b=$2
jobs=${3:-3}
spec=bench/specs/${4:-M1}.json
jar=$(ls target/gradlab-*.jar | head -1)
. src/main/docker/openblas-coretype.sh
dir=$(mktemp -d /tmp/gradlab-jvm-pair-XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

for s in A B; do
    flags=$flags_a; [ $s = B ] && flags=$flags_b
    # shellcheck disable=SC2086 # a list of flags
    OMP_NUM_THREADS=1 java $flags -jar "$jar" --server.address=127.0.0.1 --server.port=0 \
        --spring.datasource.url="jdbc:h2:file:$dir/$s/gradlab" >"$dir/$s.log" 2>&1 &
    pids+=($!)
done
port() { grep -oP 'Tomcat started on port\D*\K[0-9]+' "$dir/$1.log" | head -1 || true; }
for _ in $(seq 1 300); do
    grep -q 'host: ' "$dir/A.log" && grep -q 'host: ' "$dir/B.log" && break
    sleep 1
done
declare -A base pid
for s in A B; do
    base[$s]=http://127.0.0.1:$(port $s)/api/v1/jobs
    pid[$s]=$(grep -oP 'with PID \K[0-9]+' "$dir/$s.log" | head -1)
    echo "$s: $(tr '\0' ' ' </proc/"${pid[$s]}"/cmdline | cut -d' ' -f1-12)"
done
grep -m1 -oP 'host: .*' "$dir/A.log"

ticks() { # training, collector, JIT compilers, all threads (user + system)
    for f in /proc/"$1"/task/*/stat; do cat "$f" 2>/dev/null && echo; done | awk -v all="$(awk '{print $14 + $15}' /proc/"$1"/stat)" '
        NF { name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) .*$/, "", name)
             rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); t = f[12] + f[13]
             if (name ~ /^db-scheduler-po/) p += t; else if (name ~ /^GC Thread|^VM Thread/) g += t
             else if (name ~ /Compiler/) c += t }
        END { print p + 0, g + 0, c + 0, all }'
}
finished() { curl -sf "${base[$1]}/$2" | grep -qP '"status"\s*:\s*"(SUCCEEDED|FAILED|DIVERGED|CANCELLED)"'; }
for j in $(seq 1 "$jobs"); do
    declare -A before after id
    for s in A B; do before[$s]=$(ticks "${pid[$s]}"); done
    for s in A B; do
        id[$s]=$(curl -sf -H 'Content-Type: application/json' -d @"$spec" "${base[$s]}" | grep -oP '"id"\s*:\s*"\K[^"]+')
        after[$s]=
    done
    while [ -z "${after[A]}" ] || [ -z "${after[B]}" ]; do
        sleep 0.5
        for s in A B; do
            if [ -z "${after[$s]}" ] && finished $s "${id[$s]}"; then after[$s]=$(ticks "${pid[$s]}"); fi
        done
    done
    line="job $j:"
    for s in A B; do
        read -r p0 g0 c0 a0 <<<"${before[$s]}"
        read -r p1 g1 c1 a1 <<<"${after[$s]}"
        line+="  $s training $((p1 - p0)), collector $((g1 - g0)), JIT $((c1 - c0)), all $((a1 - a0));"
    done
    echo "$line load average $(cut -d' ' -f1 /proc/loadavg)"
done
