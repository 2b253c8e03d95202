#!/usr/bin/env bash
# What `listen --forward` costs: wrk through the forwarder to a minimal app against wrk
# straight to the same app, and the latency the forwarder adds at a fixed 1,000 requests/s.
# The app is examples/minimal_app (hyper, one thread, answers AutoX3's normal response): far
# faster than any real receiver, so that the forwarder is what is measured. Every request is
# a signed AutoX3 callback that the forwarder verifies and schema-checks before sending it on.
# wrk has no fixed rate (wrk2, which has, is not in Debian): examples/fixed_rate schedules
# requests at exact times and counts latency from when each was due.
# For context it also measures nginx (Debian's, one worker) as a plain reverse proxy to the
# same app: it checks nothing and logs nothing, so it shows what any proxy costs on this
# machine, where wrk, the app and the proxy share the same cores.
# usage: benches/forward.sh   (also run by benches/compare.sh)
# Environment: RUNS (3), WRK_SECONDS (5), WRK_CONNECTIONS (64), RATE (1000), RATE_SECONDS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
WRK_SECONDS=${WRK_SECONDS:-5}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
RATE=${RATE:-1000}
RATE_SECONDS=${RATE_SECONDS:-10}
pids=()
work=$(mktemp -d)
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
if ! command -v wrk > /dev/null; then
    apt-cache policy wrk | grep -q 'Candidate: [0-9]' || apt-get update -qq
    apt-get install -y -qq wrk > /dev/null
fi
if ! command -v nginx > /dev/null; then
    apt-cache policy nginx | grep -q 'Candidate: [0-9]' || apt-get update -qq
    apt-get install -y -qq nginx > /dev/null
fi
cargo build --release --quiet
cargo build --release --quiet --example minimal_app --example fixed_rate
target_dir=${CARGO_TARGET_DIR:-target}/release
body=fixtures/autox3/receivebase-create.compact.json

# Each server prints its port (the app) or address (listen) on its first line.
"$target_dir/examples/minimal_app" 0 > "$work/app.out" &
pids+=($!)
app_pid=$!
until [ -s "$work/app.out" ]; do sleep 0.05; done
app_port=$(awk '{print $3}' "$work/app.out")
# The log (a line a request) goes to /dev/null: writing it is part of the cost measured.
fwd_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$target_dir/cbtool" listen --addr "127.0.0.1:$fwd_port" --vendor autox3 \
    --secret-file fixtures/autox3/secret.txt --max-connections 1024 \
    --forward "http://127.0.0.1:$app_port" > /dev/null 2>&1 &
pids+=($!)
fwd_pid=$!
# The reference receiver alone (no --forward): the checks' own cost, for context.
ref_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$target_dir/cbtool" listen --addr "127.0.0.1:$ref_port" --vendor autox3 \
    --secret-file fixtures/autox3/secret.txt --max-connections 1024 > /dev/null 2>&1 &
pids+=($!)
# nginx: HTTP/1.1 keep-alive to the app, as the forwarder does; no access log.
ngx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx-body;
    upstream app { server 127.0.0.1:$app_port; keepalive 128; }
    server {
        listen 127.0.0.1:$ngx_port;
        location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
NGX
nginx -p "$work" -e "$work/nginx-error.log" -c "$work/nginx.conf" &
pids+=($!)
ngx_master=$!
for port in "$fwd_port" "$ref_port" "$ngx_port"; do
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done
fwd_addr=127.0.0.1:$fwd_port
ngx_pid=$(pgrep -P "$ngx_master" | head -1)

run_wrk() {
    CB_BODY="$body" wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency \
        -s benches/post_callback.lua "$1" | python3 benches/wrk_summary.py
}
# CPU time (user + system, in clock ticks) a process has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# wrk against URL while counting what PID spends: "requests/s non-2xx cpu-ticks".
measure() {
    local before rps bad
    before=$(ticks "$2")
    read -r rps _ bad < <(run_wrk "$1")
    echo "$rps $bad $(( $(ticks "$2") - before ))"
}
# Best of RUNS, direct and forwarded in turns so that both see the same machine; the CPU
# each server spends a request is summed over the runs.
best_direct=0; best_fwd=0; bad_fwd=0; best_ref=0; best_ngx=0
req_direct=0; cpu_app=0; req_fwd=0; cpu_fwd=0; req_ngx=0; cpu_ngx=0
for _ in $(seq "$RUNS"); do
    read -r rps _ cpu < <(measure "http://127.0.0.1:$app_port/callback" "$app_pid")
    best_direct=$(python3 -c "print(max($best_direct, $rps))")
    req_direct=$(python3 -c "print($req_direct + $rps * $WRK_SECONDS)"); cpu_app=$((cpu_app + cpu))
    read -r rps _ _ < <(run_wrk "http://127.0.0.1:$ref_port/callback")
    best_ref=$(python3 -c "print(max($best_ref, $rps))")
    read -r rps bad cpu < <(measure "http://$fwd_addr/callback" "$fwd_pid")
    best_fwd=$(python3 -c "print(max($best_fwd, $rps))")
    req_fwd=$(python3 -c "print($req_fwd + $rps * $WRK_SECONDS)"); cpu_fwd=$((cpu_fwd + cpu))
    bad_fwd=$((bad_fwd + bad))
    read -r rps _ cpu < <(measure "http://127.0.0.1:$ngx_port/callback" "$ngx_pid")
    best_ngx=$(python3 -c "print(max($best_ngx, $rps))")
    req_ngx=$(python3 -c "print($req_ngx + $rps * $WRK_SECONDS)"); cpu_ngx=$((cpu_ngx + cpu))
done
hz=$(getconf CLK_TCK)
us_a_request() { python3 -c "print($1 / $hz * 1e6 / $2)"; }
# Fixed rate: the median of RUNS p99s, each way.
rate_p99() {
    for _ in $(seq "$RUNS"); do
        "$target_dir/examples/fixed_rate" "$1" "$body" "$RATE" "$RATE_SECONDS" | awk '{print $4, $8}'
    done | sort -n | awk '{a[NR]=$1; e+=$2} END {print a[int((NR+1)/2)], e}'
}
read -r p99_direct err_direct < <(rate_p99 "http://127.0.0.1:$app_port/callback")
read -r p99_fwd err_fwd < <(rate_p99 "http://$fwd_addr/callback")

python3 - "$best_direct" "$best_fwd" "$bad_fwd" "$p99_direct" "$p99_fwd" "$err_direct" "$err_fwd" "$RATE" "$best_ref" "$best_ngx" \
    "$(us_a_request "$cpu_fwd" "$req_fwd")" "$(us_a_request "$cpu_ngx" "$req_ngx")" \
    "$(us_a_request "$cpu_app" "$req_direct")" <<'PY'
import sys
direct, fwd, bad, p99_d, p99_f, err_d, err_f, rate, ref, ngx, us_f, us_n, us_a = map(float, sys.argv[1:14])
rows = [
    ("listen --forward (wrk)", f"{fwd:,.0f} req/s through", f"{fwd / direct:.2f}x direct ({direct:,.0f} req/s)", ">= 0.5x"),
    ("  non-2xx answers", f"{bad:.0f}", "", "0"),
    ("  listen alone (context)", f"{ref:,.0f} verified/s", f"{ref / direct:.2f}x direct; forward is {fwd / ref:.2f}x it", "report"),
    ("  nginx proxy (context)", f"{ngx:,.0f} req/s, no checks", f"{ngx / direct:.2f}x direct; forward is {fwd / ngx:.2f}x it", "report"),
    ("  CPU a request", f"{us_f:.1f} us forwarding", f"nginx {us_n:.1f} us; the app {us_a:.1f} us", "report"),
    (f"  p99 at {rate:,.0f} req/s", f"{p99_f:.2f} ms through", f"{p99_f - p99_d:+.2f} ms over direct ({p99_d:.2f} ms)", "<= +2 ms"),
    ("  failed at fixed rate", f"{err_f:.0f} through", f"{err_d:.0f} direct", "0"),
]
for r in rows:
    print(f"{r[0]:24} {r[1]:32} {r[2]:44} {r[3]}")
PY
