#!/usr/bin/env bash
# Measures cbtool next to its anchors in one run on this machine and prints the ratios.
# Absolute times on a shared machine are noise; the ratios are the figures that count.
# usage: benches/compare.sh            (N=100000 AutoX3 callbacks, M=2000 Dayu envelopes)
# Environment: N, M, RUNS (best of), WRK_SECONDS (5), WRK_CONNECTIONS (64), REPLAY_N (20000),
# RETRY_FULL=1 (the real 126 s retry sequence instead of a 7 s one at time scale 1),
# BUILD=1 (time a clean release build in a temporary target dir: slow).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
M=${M:-2000}
RUNS=${RUNS:-5}
WRK_SECONDS=${WRK_SECONDS:-5}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
REPLAY_N=${REPLAY_N:-20000}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

if ! command -v wrk > /dev/null; then
    # Debian packages it; fetch the index only if it does not know wrk yet.
    apt-cache policy wrk | grep -q 'Candidate: [0-9]' || apt-get update -qq
    apt-get install -y -qq wrk > /dev/null
fi

build_seconds=0
if [ "${BUILD:-0}" = 1 ]; then
    # A clean build in its own target dir, so the time includes every dependency.
    start=$(date +%s.%N)
    CARGO_TARGET_DIR="$work/target" cargo build --release --quiet
    build_seconds=$(echo "$(date +%s.%N) - $start" | bc)
    rm -rf "$work/target"
fi
cargo build --release --quiet
cargo build --release --quiet --example retry_timing
target_dir=${CARGO_TARGET_DIR:-target}
cbtool=$target_dir/release/cbtool
binary_bytes=$(stat -c %s "$cbtool")
secret=fixtures/autox3/secret.txt
python3 benches/make_corpus.py "$work" "$N" "$M"
"$cbtool" sign --embed --private-key fixtures/dayu/keys/private.pem "$work/dayu-bodies.jsonl" > "$work/dayu.jsonl"
# A stream twice as large, to see that memory stays flat as the file grows.
cat "$work/autox3.jsonl" "$work/autox3.jsonl" > "$work/autox3-2x.jsonl"

measure() { python3 benches/measure.py "$RUNS" "$@"; }
read -r t_cb rss_cb < <(measure "$cbtool" verify --secret-file "$secret" "$work/autox3.jsonl")
read -r _ rss_cb2 < <(measure "$cbtool" verify --secret-file "$secret" "$work/autox3-2x.jsonl")
read -r t_py _ < <(measure python3 benches/python_verify.py "$secret" "$work/autox3.jsonl")
read -r t_sha _ < <(measure openssl sha1 "$work/autox3.jsonl")
read -r t_dayu _ < <(measure "$cbtool" verify --public-key fixtures/dayu/keys/public.pem "$work/dayu.jsonl")
openssl_verifies=$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $(NF)}')
read -r t_start _ < <(measure bash -c "for i in \$(seq 100); do $cbtool --version; done")
read -r t_ossl _ < <(measure bash -c 'for i in $(seq 100); do openssl version; done')

# Receivers under wrk: a free loopback port each, then wait until it accepts.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; echo "port $1 never opened" >&2; exit 2; }
# prints: requests/s, p99 latency in ms, non-2xx count
run_wrk() {
    CB_BODY="$work/one.json" wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency \
        -s benches/post_callback.lua "$@" > "$work/wrk.out"
    python3 benches/wrk_summary.py < "$work/wrk.out"
}
head -n 1 "$work/autox3.jsonl" > "$work/one.json"
head -n "$REPLAY_N" "$work/autox3.jsonl" > "$work/replay.jsonl"
cb_port=$(free_port)
"$cbtool" listen --secret-file "$secret" --vendor autox3 --addr "127.0.0.1:$cb_port" \
    --max-connections 1024 > /dev/null 2>&1 &
pids+=($!)
wait_port "$cb_port"
# replay first, so that its callbacks are new to the receiver (each run after the first
# delivers duplicates: still verified, then acknowledged).
read -r t_replay _ < <(measure "$cbtool" replay --url "http://127.0.0.1:$cb_port/callback" \
    --no-retry --concurrency 64 --keep-alive "$work/replay.jsonl")
read -r t_replay_fresh _ < <(measure "$cbtool" replay --url "http://127.0.0.1:$cb_port/callback" \
    --no-retry --concurrency 64 "$work/replay.jsonl")
read -r rps_cb p99_cb bad_cb < <(run_wrk "http://127.0.0.1:$cb_port/callback")
read -r rps_cb_close _ _ < <(run_wrk -H "Connection: close" "http://127.0.0.1:$cb_port/callback")
py_port=$(free_port)
python3 benches/python_receiver.py "$secret" "$py_port" &
pids+=($!)
wait_port "$py_port"
read -r rps_py p99_py bad_py < <(run_wrk "http://127.0.0.1:$py_port/callback")

# Retry timing: p99 of |arrival gap - nominal wait|, at time scale 1 and 0.01.
retry() { "$target_dir/release/examples/retry_timing" "$@" | awk '/^p99_abs_late_ms/ {print $2}'; }
if [ "${RETRY_FULL:-0}" = 1 ]; then
    retry_real=$(retry 1 1); retry_real_what="126 s x1"
else
    retry_real=$(retry 1 2 1,2,4); retry_real_what="1,2,4 s x2"
fi
retry_fast=$(retry 0.01 10)

mb=$(du -m "$work/autox3.jsonl" | cut -f1)
python3 - "$N" "$M" "$mb" "$t_cb" "$rss_cb" "$rss_cb2" "$t_py" "$t_sha" "$t_dayu" "$openssl_verifies" "$t_start" "$t_ossl" \
    "$rps_cb" "$p99_cb" "$bad_cb" "$rps_cb_close" "$rps_py" "$p99_py" "$bad_py" "$REPLAY_N" "$t_replay" \
    "$retry_real" "$retry_fast" "$build_seconds" "$binary_bytes" "$retry_real_what" "$t_replay_fresh" <<'PY'
import sys
n, m, mb = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t_cb, rss, rss2, t_py, t_sha, t_dayu, ossl_v, t_start, t_ossl = map(float, sys.argv[4:13])
rps_cb, p99_cb, bad_cb, rps_close, rps_py, p99_py, bad_py, replay_n, t_replay = map(float, sys.argv[13:22])
retry_real, retry_fast, build_s, binary = map(float, sys.argv[22:26])
retry_what = sys.argv[26]
replay_rps = replay_n / t_replay
fresh_rps = replay_n / float(sys.argv[27])
rows = [
    ("AutoX3 JSONL verify", f"{n / t_cb:,.0f} callbacks/s", f"{t_py / t_cb:.1f}x the Python verifier", ">= 20x"),
    ("  vs one SHA-1 pass", f"{t_cb:.3f} s vs {t_sha:.3f} s", f"{t_cb / t_sha:.2f}x openssl sha1's time", "<= 4x"),
    ("peak RSS", f"{rss / 1024:.1f} MiB on {mb} MB", f"{rss2 / 1024:.1f} MiB on {2 * mb} MB", "<= 32 MiB, flat"),
    ("Dayu verify", f"{m / t_dayu:,.0f} envelopes/s", f"{(m / t_dayu) / ossl_v:.2f}x openssl speed ({ossl_v:,.0f}/s)", ">= 0.5x"),
    ("start-up (100 runs)", f"{t_start:.3f} s", f"{t_start / t_ossl:.2f}x openssl version ({t_ossl:.3f} s)", "<= 1x"),
    ("listen (wrk)", f"{rps_cb:,.0f} verified/s, p99 {p99_cb:.2f} ms", f"{rps_cb / rps_py:.1f}x Python ({rps_py:,.0f}/s, p99 {p99_py:.1f} ms)", ">= 30x"),
    ("  non-2xx answers", f"{bad_cb:.0f}", f"Python {bad_py:.0f}", "0"),
    ("replay --no-retry -c 64", f"{replay_rps:,.0f} callbacks/s --keep-alive", f"{replay_rps / rps_cb:.2f}x wrk keep-alive", ">= 0.5x"),
    ("  fresh connections", f"{fresh_rps:,.0f} callbacks/s (default)", f"{fresh_rps / rps_close:.2f}x wrk Connection: close ({rps_close:,.0f}/s)", "report"),
    ("retry timing p99", f"{retry_real:.2f} ms at scale 1 ({retry_what})", f"{retry_fast:.2f} ms at scale 0.01 (x10)", "<= 10 ms"),
    ("release build", f"{binary / 1e6:.1f} MB binary", f"{build_s:.0f} s clean build" if build_s else "(BUILD=1 to time)", "report"),
]
print(f"{'what':24} {'measured':32} {'ratio':44} goal")
for r in rows:
    print(f"{r[0]:24} {r[1]:32} {r[2]:44} {r[3]}")
PY
# listen --forward against a minimal app: rows of its own (benches/forward.sh).
benches/forward.sh
