#!/usr/bin/env bash
# The README's two ways to start the service, compared on training speed, on one build: `./mvnw spring-boot:run`
# against `java -jar` with the README's flags. Rounds alternate run, jar, run, jar ...; each server, fresh, trains
# `jobs` copies of a bench spec one after the other. Prints the server JVM's command line (its JIT flags), each
# job's wall time (result.wallTimeMillis) with the load average at its end, and the ratio of the medians run/jar.
#   bench/launch-compare.sh [rounds=2] [jobs=2] [spec=M1] [port=8080]
# MAVEN_ARGS=-o runs Maven offline. Set SKIP_BUILD=1 to reuse target/ as it is.
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
stop_server() {
    if [ -n "$server" ]; then
        # spring-boot:run forks the application's JVM: stop that one (its PID is in the log), then Maven.
        local app
        app=$(grep -oP 'with PID \K[0-9]+' "$data/server.log" | head -1 || true)
        [ -n "$app" ] && kill "$app" 2>/dev/null || true
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap 'stop_server; rm -rf "$data"' EXIT

start_server() { # $1: run | jar
    rm -rf "$data/db" "$data/server.log"
    local args="--server.port=$port --spring.datasource.url=jdbc:h2:file:$data/db/gradlab"
    if [ "$1" = run ]; then
        ./mvnw -B -q spring-boot:run -Djacoco.skip=true -Dspring-boot.run.arguments="$args" >"$data/server.log" 2>&1 &
    else
        # shellcheck disable=SC2086 # args is a list of arguments
        OMP_NUM_THREADS=1 java -XX:+UseParallelGC -Xmx2g -jar "$jar" $args >"$data/server.log" 2>&1 &
    fi
    server=$!
    for _ in $(seq 1 300); do
        curl -sf "$base/actuator/health/readiness" >/dev/null 2>&1 && break
        kill -0 "$server" 2>/dev/null || { tail -40 "$data/server.log" >&2; exit 1; }
        sleep 1
    done
    local app
    app=$(grep -oP 'with PID \K[0-9]+' "$data/server.log" | head -1)
    echo "$1: $(tr '\0' ' ' </proc/"$app"/cmdline | sed 's/ -cp [^ ]*/ -cp .../; s/ -classpath [^ ]*/ -classpath .../')"
    grep -m1 -oP 'host: .*' "$data/server.log" || true
}

run_job() { # prints the job's wall time in ms
    local id job
    id=$(curl -sf -H 'Content-Type: application/json' -d @"$spec" "$base/api/v1/jobs" | grep -oP '"id"\s*:\s*"\K[^"]+')
    while :; do
        job=$(curl -sf "$base/api/v1/jobs/$id")
        grep -qP '"status"\s*:\s*"(QUEUED|RUNNING)"' <<<"$job" || break
        sleep 0.5
    done
    grep -qP '"status"\s*:\s*"SUCCEEDED"' <<<"$job" || { echo "job $id did not succeed: $job" >&2; exit 1; }
    grep -oP '"wallTimeMillis"\s*:\s*\K[0-9]+' <<<"$job"
}

echo "# bench/launch-compare.sh $rounds $jobs $spec; OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $(date -u +%FT%TZ)"
declare -A times=([run]="" [jar]="")
for round in $(seq 1 "$rounds"); do
    for how in run jar; do
        start_server "$how"
        for j in $(seq 1 "$jobs"); do
            ms=$(run_job)
            times[$how]="${times[$how]} $ms"
            echo "round $round $how job $j: ${ms} ms (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        done
        stop_server
    done
done
python3 - "${times[run]}" "${times[jar]}" <<'EOF'
import statistics, sys
run = [int(x) for x in sys.argv[1].split()]
jar = [int(x) for x in sys.argv[2].split()]
print(f"median wall time: spring-boot:run {statistics.median(run):.0f} ms, java -jar {statistics.median(jar):.0f} ms, "
      f"run/jar {statistics.median(run) / statistics.median(jar):.3f}")
EOF
