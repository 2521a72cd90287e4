#!/usr/bin/env bash
# What API keys cost: requests/s and p99 of GET /api/v1/jobs/{id} with authentication on (Authorization: Bearer
# <API key>: a SHA-256 of the key and one indexed read of api_key per request, nothing cached) and off (no key: the
# local admin, which local mode grants without a lookup). One server, one finished job, the same JIT and database for
# both, measured in alternating rounds (off, on, off, on, ...) so that drift (JIT, GC, the machine's other load)
# falls on both alike. Both go through the same Spring Security chain (headers, authorization); "off" skips only the
# key check. The key is a user's (not an admin's), so its requests also pass the per-key rate limit: the bench sets
# the limit far above what wrk sends (gradlab.quotas.requests-per-second 10^6), so the bucket is consulted on every
# request and never refuses. With BASELINE_JAR=<jar built without Spring Security> the same load is also run against that jar.
#   bench/auth-latency.sh [seconds=15] [connections=4] [rounds=3]
# Needs wrk (apt-get install -y wrk). Set SKIP_BUILD=1 to reuse target/gradlab-*.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
connections=${2:-4}
rounds=${3:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

[ "${SKIP_BUILD:-0}" = 1 ] || ./mvnw -B -q -DskipTests package
jar=$(ls target/gradlab-*.jar | head -1)
data=$(mktemp -d /tmp/gradlab-auth-latency-XXXXXX)
app=
. bench/lib/await-port.sh
stop() {
    [ -n "$app" ] && { kill "$app" 2>/dev/null && wait "$app" 2>/dev/null || true; }
    app=
}
trap 'stop; rm -rf "$data"' EXIT

# Starts $1 (a jar) in local mode on a free loopback port, sets $port; logs to $data/$2.log.
start() {
    local log=$data/$2.log
    OMP_NUM_THREADS=1 java ${JVM_OPTS:-} -jar "$1" --server.address=127.0.0.1 --server.port=0 \
        --gradlab.security.mode=local \
        --gradlab.quotas.requests-per-second=1000000 --gradlab.quotas.request-burst=1000000 \
        --spring.datasource.url="jdbc:h2:file:$data/$2;DB_CLOSE_ON_EXIT=FALSE" >"$log" 2>&1 &
    app=$!
    await_port "$log" "$app"
}

# Submits a small job (with the key in $1, if any), waits until it has finished, sets $url to it.
finished_job() {
    local auth=()
    [ -n "$1" ] && auth=(-H "Authorization: Bearer $1")
    local spec='{"name": "auth-latency", "model": {"depth": 3, "width": 8},
                 "dataset": {"name": "gaussians", "samples": 200}, "training": {"epochs": 2}}'
    local id
    id=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d "$spec" "http://127.0.0.1:$port/api/v1/jobs" \
        | grep -oP '"id"\s*:\s*"\K[^"]+')
    url=http://127.0.0.1:$port/api/v1/jobs/$id
    for _ in $(seq 1 120); do
        curl -sf "${auth[@]}" "$url" | grep -q '"status":"SUCCEEDED"' && return
        sleep 0.5
    done
    echo "job $id did not succeed" >&2
    exit 1
}

# One wrk run; prints "requests/s p99(ms)". Extra arguments go to wrk (the header).
measure() {
    local out
    out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@" "$url")
    local non2xx
    non2xx=$(grep -oP 'Non-2xx or 3xx responses:\s*\K[0-9]+' <<<"$out" || echo 0)
    [ "$non2xx" = 0 ] || { echo "$non2xx answers were not 200:" >&2; echo "$out" >&2; exit 1; }
    local rps p99
    rps=$(grep -oP 'Requests/sec:\s*\K[0-9.]+' <<<"$out")
    p99=$(grep -oP '^\s*99%\s*\K[0-9.]+(us|ms|s)' <<<"$out")
    case $p99 in
        *us) p99=$(awk -v v="${p99%us}" 'BEGIN { printf "%.2f", v / 1000 }') ;;
        *ms) p99=${p99%ms} ;;
        *s) p99=$(awk -v v="${p99%s}" 'BEGIN { printf "%.2f", v * 1000 }') ;;
    esac
    echo "$rps $p99"
}

start "$jar" keys
# Local mode: the local admin may create keys without one. The key's owner owns the job; the local admin sees all.
key=$(curl -sf -H 'Content-Type: application/json' -d '{"owner": "bench"}' \
    "http://127.0.0.1:$port/api/v1/admin/keys" | grep -oP '"key"\s*:\s*"\K[^"]+')
finished_job "$key"
grep -m1 -oP 'host: .*' "$data/keys.log" || true   # the server's CPU, OpenBLAS kernels and JVM, logged at start
echo "app on port $port; wrk -t1 -c$connections -d${seconds}s --latency GET /api/v1/jobs/{id} (a finished job), $rounds rounds"

# Unmeasured warm-up of both paths (WARMUP seconds each, default 30): the JIT compiles them (C2 takes a while on a
# busy machine), Tomcat grows its thread pool.
wrk -t1 -c"$connections" -d"${WARMUP:-30}s" "$url" >/dev/null
wrk -t1 -c"$connections" -d"${WARMUP:-30}s" -H "Authorization: Bearer $key" "$url" >/dev/null

off_rps=(); off_p99=(); on_rps=(); on_p99=()
for r in $(seq 1 "$rounds"); do
    read -r a b < <(measure)
    off_rps+=("$a"); off_p99+=("$b")
    read -r a b < <(measure -H "Authorization: Bearer $key")
    on_rps+=("$a"); on_p99+=("$b")
    echo "round $r: off ${off_rps[-1]} req/s p99 ${off_p99[-1]} ms | on (API key) ${on_rps[-1]} req/s p99 ${on_p99[-1]} ms"
done
stop

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_off_rps=$(median "${off_rps[@]}"); m_on_rps=$(median "${on_rps[@]}")
m_off_p99=$(median "${off_p99[@]}"); m_on_p99=$(median "${on_p99[@]}")
echo "median over $rounds rounds: off $m_off_rps req/s, p99 $m_off_p99 ms; on $m_on_rps req/s, p99 $m_on_p99 ms"
awk -v off="$m_off_rps" -v on="$m_on_rps" -v poff="$m_off_p99" -v pon="$m_on_p99" 'BEGIN {
    printf "with keys: requests/s %+.1f %%, p99 %+.1f %% (the target: requests/s no more than 10 %% lower)\n",
        100 * (on - off) / off, 100 * (pon - poff) / poff }'

if [ -n "${BASELINE_JAR:-}" ]; then
    start "$BASELINE_JAR" baseline
    finished_job ""
    wrk -t1 -c"$connections" -d10s "$url" >/dev/null
    for r in $(seq 1 "$rounds"); do
        read -r a b < <(measure)
        echo "baseline ($BASELINE_JAR) round $r: $a req/s p99 $b ms"
    done
    stop
fi
