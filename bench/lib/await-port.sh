# Sourced by the bench scripts that start the jar. await_port LOG PID: waits (up to 180 s) until the server whose
# output goes to LOG says which port Tomcat took, and sets $port; exits with the log if the process dies first.
await_port() {
    local log=$1 pid=$2
    port=
    for _ in $(seq 1 180); do
        port=$(grep -oP 'Tomcat started on port\D*\K[0-9]+' "$log" || true)
        [ -n "$port" ] && return
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 1
    done
    echo "app did not start" >&2
    tail -50 "$log" >&2
    exit 1
}
