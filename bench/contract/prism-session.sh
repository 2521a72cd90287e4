#!/usr/bin/env bash
# Every operation and status code of GradLab's API, sent with curl through Prism's validating proxy, which checks
# each request and response against the committed OpenAPI document (docs/openapi.json) and reports what breaks it.
# Prints each exchange (expected and actual status, violations), then the violations grouped by kind.
#   bench/contract/prism-session.sh [gradlab-url=http://127.0.0.1:18080]
# Needs a running GradLab on loopback and prism (npm install -g @stoplight/prism-cli@5.16.0). The 429 step needs a
# small queue: start the service with --gradlab.jobs.queue-capacity=4 (otherwise it reports "not reached").
# Measurement only: not part of CI. Jobs it leaves behind are small, finished or cancelled. KEEP=file keeps the raw
# exchanges.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:-http://127.0.0.1:18080}
port=${PRISM_PORT:-14010}
spec=${SPEC:-docs/openapi.json}
queue_probe=${QUEUE_PROBE:-8}
command -v prism >/dev/null || { echo "prism is missing: npm install -g @stoplight/prism-cli@5.16.0" >&2; exit 1; }
curl -sf -o /dev/null "$target/actuator/health" || { echo "no GradLab answers at $target" >&2; exit 1; }

work=$(mktemp -d /tmp/gradlab-prism-XXXXXX)
prism proxy "$spec" "$target" --host 127.0.0.1 --port "$port" >"$work/prism.log" 2>&1 &
prism_pid=$!
stop() {
    kill "$prism_pid" 2>/dev/null && wait "$prism_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap stop EXIT
proxy=http://127.0.0.1:$port
for _ in $(seq 1 60); do
    curl -s -o /dev/null "$proxy/api/v1/jobs?size=1" && break
    kill -0 "$prism_pid" 2>/dev/null || { cat "$work/prism.log" >&2; exit 1; }
    sleep 1
done

# call LABEL EXPECTED METHOD PATH [curl arguments]: one exchange through the proxy. Its status and Prism's
# sl-violations header are appended to exchanges.jsonl; the body is left in $work/body.
call() {
    local label=$1 expected=$2 method=$3 path=$4
    shift 4
    # "Expect:" off: curl would send "Expect: 100-continue" for bodies over 1 KB, and read two status lines.
    # --max-time: Prism never answers some malformed requests; such an exchange is listed with no status.
    : >"$work/headers"
    curl -s --max-time 20 -X "$method" -H 'Expect:' -D "$work/headers" -o "$work/body" "$@" "$proxy$path" || true
    python3 - "$label" "$expected" "$method $path" "$work/headers" >>"$work/exchanges.jsonl" <<'PY'
import json, sys
label, expected, request, headers = sys.argv[1:5]
status, violations = None, []
for line in open(headers, encoding="utf-8", errors="replace"):
    if line.startswith("HTTP/"):
        status = int(line.split()[1])
    elif line.lower().startswith("sl-violations:"):
        raw = line.split(":", 1)[1].strip()
        # Past some size Prism writes "Too many violations! " and a list it may cut short: read what is whole.
        raw = raw.removeprefix("Too many violations!").strip()
        try:
            violations = json.loads(raw)
        except ValueError:
            decoder, at = json.JSONDecoder(), raw.find('{"location"')
            while at >= 0:
                try:
                    violation, end = decoder.raw_decode(raw, at)
                    violations.append(violation)
                except ValueError:
                    violations.append({"location": ["cut short by Prism"], "severity": "?", "message": raw[at:at + 200]})
                    break
                at = raw.find('{"location"', end)
print(json.dumps({"label": label, "expected": int(expected), "status": status, "request": request,
                  "violations": violations}))
PY
}
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/body" "$1"; }
await_finished() { # polls GradLab directly, not through the proxy: polling would swamp the counts
    for _ in $(seq 1 600); do
        status=$(curl -s "$target/api/v1/jobs/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
        case $status in QUEUED|RUNNING) sleep 0.5 ;; *) echo "$status"; return ;; esac
    done
    echo "TIMEOUT"
}

small='{"name":"prism small","model":{"depth":3,"width":8},"dataset":{"name":"gaussians","samples":200},"training":{"epochs":2}}'
rnn=$(python3 -c 'import json; s=json.load(open("examples/rnn-exploding.json")); print(json.dumps(s))')
long='{"name":"prism long","model":{"depth":20,"width":64},"dataset":{"samples":20000},"training":{"batchSize":32,"epochs":20}}'
key=prism-$RANDOM$RANDOM

# --- jobs -----------------------------------------------------------------------------------------------------
call "submit" 202 POST /api/v1/jobs -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "$small"
small_id=$(json_field id)
call "submit, idempotent replay" 202 POST /api/v1/jobs -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "$small"
call "submit, key reused with another body" 422 POST /api/v1/jobs -H 'Content-Type: application/json' -H "Idempotency-Key: $key" -d "${small/prism small/other}"
call "submit rnn-exploding example" 202 POST /api/v1/jobs -H 'Content-Type: application/json' -d "$rnn"
rnn_id=$(json_field id)
call "submit a long job" 202 POST /api/v1/jobs -H 'Content-Type: application/json' -d "$long"
long_id=$(json_field id)
call "cancel it" 200 POST "/api/v1/jobs/$long_id/cancel"
await_finished "$long_id" >/dev/null
call "cancel it again" 409 POST "/api/v1/jobs/$long_id/cancel"
call "cancel an unknown job" 404 POST /api/v1/jobs/00000000-0000-0000-0000-000000000000/cancel
call "cancel with GET" 405 GET "/api/v1/jobs/$long_id/cancel"
call "invalid spec" 400 POST /api/v1/jobs -H 'Content-Type: application/json' -d '{"model":{"depth":0}}'
call "unknown field" 400 POST /api/v1/jobs -H 'Content-Type: application/json' -d '{"model":{"depht":3}}'
call "malformed JSON" 400 POST /api/v1/jobs -H 'Content-Type: application/json' -d '{"model":'
call "text/plain body" 415 POST /api/v1/jobs -H 'Content-Type: text/plain' -d '{}'
call "no Content-Type" 415 POST /api/v1/jobs -H 'Content-Type:' -d '{}'
call "body over 64 KB" 413 POST /api/v1/jobs -H 'Content-Type: application/json' \
    -d "{\"name\":\"$(head -c 70000 /dev/zero | tr '\0' x)\"}"
call "DELETE on the collection" 405 DELETE /api/v1/jobs
call "Accept: application/xml" 406 GET "/api/v1/jobs/$small_id" -H 'Accept: application/xml'
call "get a job" 200 GET "/api/v1/jobs/$small_id"
call "get an unknown job" 404 GET /api/v1/jobs/00000000-0000-0000-0000-000000000000
call "get with a bad id" 400 GET /api/v1/jobs/not-a-uuid
call "unknown path" 404 GET /api/v1/nothing
call "list" 200 GET '/api/v1/jobs?page=0&size=5'
call "list by status" 200 GET '/api/v1/jobs?status=CANCELLED'
call "list, unknown status" 400 GET '/api/v1/jobs?status=DONE'
call "list, page size 1000" 400 GET '/api/v1/jobs?size=1000'

echo "waiting for the jobs: small $(await_finished "$small_id"), rnn-exploding $(await_finished "$rnn_id")" >&2

# --- curves ---------------------------------------------------------------------------------------------------
for id in "$small_id" "$rnn_id"; do
    call "loss" 200 GET "/api/v1/jobs/$id/curves/loss"
    call "loss, downsampled" 200 GET "/api/v1/jobs/$id/curves/loss?maxPoints=10&from=1&to=1000"
    call "gradients" 200 GET "/api/v1/jobs/$id/curves/gradients"
done
for stat in biasGradientNorm clippedWeightGradientNorm clippedBiasGradientNorm; do
    call "gradients stat=$stat" 200 GET "/api/v1/jobs/$small_id/curves/gradients?stat=$stat"
done
for stat in recurrentWeightGradientNorm clippedRecurrentWeightGradientNorm; do
    call "gradients stat=$stat" 200 GET "/api/v1/jobs/$rnn_id/curves/gradients?stat=$stat"
    call "layers stat=$stat" 200 GET "/api/v1/jobs/$rnn_id/curves/layers?stat=$stat"
done
for stat in weightGradientNorm biasGradientNorm clippedWeightGradientNorm clippedBiasGradientNorm updateRatio \
            activationMean activationStd; do
    call "layers stat=$stat" 200 GET "/api/v1/jobs/$small_id/curves/layers?stat=$stat&maxPoints=50"
done
call "timesteps" 200 GET "/api/v1/jobs/$rnn_id/curves/timesteps"
call "timesteps/iterations" 200 GET "/api/v1/jobs/$rnn_id/curves/timesteps/iterations"
last=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["iterations"][-1])' "$work/body")
call "timesteps at the last recorded iteration" 200 GET "/api/v1/jobs/$rnn_id/curves/timesteps?iteration=$last"
call "timesteps at an unrecorded iteration" 404 GET "/api/v1/jobs/$rnn_id/curves/timesteps?iteration=999999"
call "timesteps of an mlp (not-recurrent)" 404 GET "/api/v1/jobs/$small_id/curves/timesteps"
call "loss of an unknown job" 404 GET /api/v1/jobs/00000000-0000-0000-0000-000000000000/curves/loss
call "loss, maxPoints=1" 400 GET "/api/v1/jobs/$small_id/curves/loss?maxPoints=1"
call "loss, to before from" 400 GET "/api/v1/jobs/$small_id/curves/loss?from=10&to=5"
call "gradients stat=updateRatio" 400 GET "/api/v1/jobs/$small_id/curves/gradients?stat=updateRatio"
call "layers without stat" 400 GET "/api/v1/jobs/$small_id/curves/layers"
call "layers stat=foo" 400 GET "/api/v1/jobs/$small_id/curves/layers?stat=foo"

# --- 429: fill the queue with long jobs (one runs, the others wait), then cancel them ---------------------------
queued=()
reached=no
for _ in $(seq 1 "$queue_probe"); do
    call "submit while the queue fills" 202 POST /api/v1/jobs -H 'Content-Type: application/json' -d "$long"
    status=$(tail -1 "$work/exchanges.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    if [ "$status" = 429 ]; then
        # Relabel: this one was the queue-full answer.
        python3 - "$work/exchanges.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
last = json.loads(lines[-1]); last["label"], last["expected"] = "submit, queue full", 429
open(sys.argv[1], "w").write("\n".join(lines[:-1] + [json.dumps(last)]) + "\n")
PY
        reached=yes
        break
    fi
    queued+=("$(json_field id)")
done
for id in "${queued[@]}"; do
    call "cancel a queued job" 200 POST "/api/v1/jobs/$id/cancel"
done
[ "$reached" = yes ] || echo "429 not reached: the queue took $queue_probe jobs (start GradLab with --gradlab.jobs.queue-capacity=4)" >&2

# KEEP=file keeps the raw exchanges (one JSON object a line) for another look.
[ -z "${KEEP:-}" ] || cp "$work/exchanges.jsonl" "$KEEP"

# --- summary --------------------------------------------------------------------------------------------------
python3 - "$work/exchanges.jsonl" <<'PY'
import collections, json, re, sys
exchanges = [json.loads(l) for l in open(sys.argv[1])]
print(f"{'exchange':45} {'expect':>6} {'got':>4} {'violations':>10}")
for e in exchanges:
    mark = "" if e["status"] == e["expected"] else "   <-- status differs"
    print(f"{e['label'][:45]:45} {e['expected']:>6} {e['status']!s:>4} {len(e['violations']):>10}{mark}")
responses = len(exchanges)
with_violations = sum(1 for e in exchanges if e["violations"])
total = sum(len(e["violations"]) for e in exchanges)
print(f"\n{responses} responses, {with_violations} with violations, {total} violations "
      f"({sum(1 for e in exchanges for v in e['violations'] if v['location'][0] == 'request')} on requests)")
print(f"statuses: {dict(sorted(collections.Counter(str(e['status']) for e in exchanges).items()))}")
groups = collections.Counter()
for e in exchanges:
    for v in e["violations"]:
        where = ".".join(re.sub(r"^\d+$", "*", str(p)) for p in v["location"])
        groups[(str(v["location"][0]), str(v.get("code", v.get("severity", "-"))), where)] += 1
print("\nviolations by kind (request/response, Prism code, location; array indices as *):")
for (side, code, where), n in sorted(groups.items(), key=lambda g: (-g[1], g[0])):
    print(f"  {n:4}  {side:8} {code:22} {where}")
PY
