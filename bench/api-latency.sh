#!/usr/bin/env bash
# GET /api/v1/jobs/{id} latency and throughput while a job trains (default concurrency 1, so one job).
# Builds the jar, starts it on a free localhost port with a temporary data directory, submits a long job, waits
# until it trains, runs wrk against that job's URL, then stops the app and deletes the directory. Also prints the
# job's training rate without and with the API traffic (both share the machine's cores, and so does wrk).
#   bench/api-latency.sh [seconds=20] [connections=4]
# Needs wrk (apt-get install -y wrk). Set SKIP_BUILD=1 to reuse target/gradlab-*.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-4}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q -DskipTests package
jar=$(ls target/gradlab-*.jar | head -1)
data=$(mktemp -d /tmp/gradlab-api-latency-XXXXXX)
log=$data/app.log

# --server.port=0: the OS picks a free port, read back from the log below.
OMP_NUM_THREADS=1 java ${JVM_OPTS:-} -jar "$jar" --server.address=127.0.0.1 --server.port=0 \
    --spring.datasource.url="jdbc:h2:file:$data/gradlab;DB_CLOSE_ON_EXIT=FALSE" >"$log" 2>&1 &
app=$!
stop() {
    kill "$app" 2>/dev/null && wait "$app" 2>/dev/null || true
    rm -rf "$data"
}
trap stop EXIT

. bench/lib/await-port.sh
await_port "$log" "$app"
base=http://127.0.0.1:$port/api/v1/jobs

# 20x64 sigmoid MLP on the spirals, every statistic every iteration: 13,000 iterations, longer than the run.
spec='{"name": "api-latency", "model": {"depth": 20, "width": 64, "activation": "sigmoid"},
       "dataset": {"name": "spirals", "samples": 2000},
       "training": {"optimizer": "sgd", "learningRate": 0.1, "batchSize": 128, "epochs": 1000},
       "metrics": {"every": 1}}'
id=$(curl -sf -H 'Content-Type: application/json' -d "$spec" "$base" | grep -oP '"id"\s*:\s*"\K[^"]+')

iteration() { curl -sf "$base/$id" | grep -oP '"iteration"\s*:\s*\K[0-9]+' | head -1; }
status() { curl -sf "$base/$id" | grep -oP '"status"\s*:\s*"\K[A-Z]+' | head -1; }
# Wait until it trains and has stored its first metrics (progress moves after each metric write).
for _ in $(seq 1 120); do
    [ "$(status)" = RUNNING ] && [ "$(iteration)" -gt 0 ] && break
    sleep 0.5
done
[ "$(status)" = RUNNING ] || { echo "job $id is $(status), not RUNNING" >&2; exit 1; }

grep -m1 -oP 'host: .*' "$log" || true   # the server's CPU, OpenBLAS kernels and JVM, logged once it started

# The training rate with no API traffic, to compare with the rate while wrk runs.
quiet=10
before=$(iteration)
sleep "$quiet"
after=$(iteration)
echo "without API traffic the job trained $(( (after - before) / quiet )) iterations/s"

# Unmeasured warm-up: the JIT compiles the request path, Tomcat grows its thread pool.
wrk -t1 -c"$connections" -d5s "$base/$id" >/dev/null

echo "app on port $port, job $id RUNNING; wrk -t1 -c$connections -d${seconds}s GET /api/v1/jobs/{id}"
before=$(iteration)
wrk -t1 -c"$connections" -d"${seconds}s" --latency "$base/$id"
after=$(iteration)
echo "during the wrk run the job trained $(( (after - before) / seconds )) iterations/s; its status now: $(status)"
