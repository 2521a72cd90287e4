#!/usr/bin/env bash
# The README's two ways to start the service, compared on training speed, on one build: `./mvnw spring-boot:run`
# against `java -jar` with the README's flags. Rounds alternate run, jar, run, jar ...; each server, fresh, trains
# `jobs` copies of a bench spec one after the other. Prints the server JVM's command line (its JIT flags) and host
# line, each job's wall time (result.wallTimeMillis) and the CPU time the server process used meanwhile (all its
# threads: training, JIT compilers, collector, metric writer; on a shared machine steadier than wall time),
# with the load average at its end, and the ratios of the medians run/jar. (A thread that exits during a job, as the
# JVM's extra compiler threads do, drops out of the per-thread sums, which can then come out negative.)
#   bench/launch-compare.sh [rounds=2] [jobs=2] [spec=M1] [port=8080]
# MAVEN_ARGS=-o runs Maven offline. Set SKIP_BUILD=1 to reuse target/ as it is. JAR_JVM_OPTIONS replaces the README's
# flags for java -jar (-XX:+UseParallelGC -Xmx2g); spring-boot:run takes pom.xml's (its jvmArguments).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
jobs=${2:-2}
spec=bench/specs/${3:-M1}.json
port=${4:-8080}
[ -r "$spec" ] || { echo "no such spec: $spec" >&2; exit 1; }

. src/main/docker/openblas-coretype.sh
[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q package -DskipTests -Djacoco.skip=true
jar=$(ls target/gradlab-*.jar | head -1)
base=http://127.0.0.1:$port
data=$(mktemp -d /tmp/gradlab-launch-compare-XXXXXX)
server=
app=
stop_server() {
    if [ -n "$server" ]; then
        # spring-boot:run forks the application's JVM: stop that one, then Maven.
        [ -n "$app" ] && kill "$app" 2>/dev/null || true
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
        app=
    fi
}
trap 'stop_server; rm -rf "$data"' EXIT

start_server() { # $1: run | jar
    rm -rf "$data/db" "$data/server.log"
    local args="--server.port=$port --spring.datasource.url=jdbc:h2:file:$data/db/gradlab"
    if [ "$1" = run ]; then
        ./mvnw -B -q spring-boot:run -Djacoco.skip=true -Dspring-boot.run.arguments="$args" >"$data/server.log" 2>&1 &
    else
        # shellcheck disable=SC2086 # lists of flags and arguments
        OMP_NUM_THREADS=1 java ${JAR_JVM_OPTIONS:--XX:+UseParallelGC -Xmx2g} -jar "$jar" $args >"$data/server.log" 2>&1 &
    fi
    server=$!
    for _ in $(seq 1 300); do
        curl -sf "$base/actuator/health/readiness" >/dev/null 2>&1 && break
        kill -0 "$server" 2>/dev/null || { tail -40 "$data/server.log" >&2; exit 1; }
        sleep 1
    done
    # The application's JVM (spring-boot:run forks one): its PID is in the log.
    app=$(grep -oP 'with PID \K[0-9]+' "$data/server.log" | head -1)
    echo "$1: $(tr '\0' ' ' </proc/"$app"/cmdline | sed 's/ -cp [^ ]*/ -cp .../; s/ -classpath [^ ]*/ -classpath .../')"
    grep -m1 -oP 'host: .*' "$data/server.log" || true
}

cpu_ticks() { # clock ticks of the application's JVM: user + system, system, and user + system of its JIT compiler
    # threads, its collector's threads (GC Thread#n, VM Thread) and the job queue's threads, which train (db-scheduler-pool-n)
    local compiler_gc_training
    compiler_gc_training=$(for f in /proc/"$app"/task/*/stat; do cat "$f" 2>/dev/null && echo; done | awk '
        NF { name = $0; sub(/^[0-9]+ \(/, "", name); sub(/\) .*$/, "", name)
             rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); t = f[12] + f[13]   # utime, stime
             if (name ~ /Compiler/) c += t; else if (name ~ /^GC Thread|^VM Thread/) g += t
             else if (name ~ /^db-scheduler-po/) p += t }
        END { print c + 0, g + 0, p + 0 }')
    echo "$(awk '{print $14 + $15, $15}' "/proc/$app/stat") $compiler_gc_training"
}

run_job() { # prints the job's wall time, then the server's CPU time meanwhile (as cpu_ticks), in ms
    local id job before after hz
    read -ra before < <(cpu_ticks)
    id=$(curl -sf -H 'Content-Type: application/json' -d @"$spec" "$base/api/v1/jobs" | grep -oP '"id"\s*:\s*"\K[^"]+') \
        || { echo "POST failed; server log: $(tail -5 "$data/server.log")" >&2; exit 1; }
    while :; do
        job=$(curl -sf "$base/api/v1/jobs/$id") || { echo "GET failed; server log: $(tail -5 "$data/server.log")" >&2; exit 1; }
        grep -qP '"status"\s*:\s*"(QUEUED|RUNNING)"' <<<"$job" || break
        sleep 0.5
    done
    grep -qP '"status"\s*:\s*"SUCCEEDED"' <<<"$job" || { echo "job $id did not succeed: $job" >&2; exit 1; }
    read -ra after < <(cpu_ticks)
    hz=$(getconf CLK_TCK)
    echo -n "$(grep -oP '"wallTimeMillis"\s*:\s*\K[0-9]+' <<<"$job")"
    for i in 0 1 2 3 4; do echo -n " $(( (after[i] - before[i]) * 1000 / hz ))"; done
    echo
}

echo "# bench/launch-compare.sh $rounds $jobs $spec; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $(date -u +%FT%TZ)"
declare -A times=([run]="" [jar]="") cpu=([run]="" [jar]="")
for round in $(seq 1 "$rounds"); do
    for how in run jar; do
        start_server "$how"
        for j in $(seq 1 "$jobs"); do
            read -r ms cpu_ms sys_ms jit_ms gc_ms train_ms < <(run_job) && [ -n "$train_ms" ] \
                || { echo "no result" >&2; exit 1; }
            times[$how]="${times[$how]} $ms"
            cpu[$how]="${cpu[$how]} $cpu_ms"
            echo "round $round $how job $j: wall ${ms} ms, server CPU ${cpu_ms} ms (system ${sys_ms};"\
" JIT compilers ${jit_ms}, collector ${gc_ms}, training ${train_ms}) (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        done
        stop_server
    done
done
python3 - "${times[run]}" "${times[jar]}" "${cpu[run]}" "${cpu[jar]}" <<'EOF'
import statistics, sys
run, jar, run_cpu, jar_cpu = ([int(x) for x in a.split()] for a in sys.argv[1:5])
for what, r, j in (("wall time", run, jar), ("server CPU time", run_cpu, jar_cpu)):
    print(f"median {what}: spring-boot:run {statistics.median(r):.0f} ms, java -jar {statistics.median(j):.0f} ms, "
          f"run/jar {statistics.median(r) / statistics.median(j):.3f}")
EOF
