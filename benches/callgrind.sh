#!/usr/bin/env bash
# Counts instructions (valgrind's callgrind, Ir) for two single operations, the figures a
# refactor compares before and after: `verify --explain` of one failing callback, and
# `listen` answering one callback (start-up, one request, shutdown).
# usage: benches/callgrind.sh        (needs valgrind and curl; builds in release)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cbtool=${CARGO_TARGET_DIR:-target}/release/cbtool
secret=fixtures/autox3/secret.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ir() { awk '/^summary:/ {print $2}' "$1"; }

# One failing callback: a pretty-printed copy of a signed body (a re-encoding --explain names).
valgrind --tool=callgrind --callgrind-out-file="$work/explain.out" \
    "$cbtool" verify --explain --secret-file "$secret" fixtures/autox3/diagnosis/pretty_printed.json \
    > /dev/null 2> "$work/explain.log" || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$work/listen.out" \
    "$cbtool" listen --secret-file "$secret" --addr "127.0.0.1:$port" --max-requests 1 \
    > /dev/null 2> "$work/listen.log" &
pid=$!
for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
curl -s -o /dev/null -H 'Content-Type: application/json' \
    --data-binary @fixtures/autox3/receivebase-create.en.json "http://127.0.0.1:$port/callback"
wait "$pid" || true
printf '%-40s %16s\n' "operation" "instructions (Ir)"
printf '%-40s %16s\n' "verify --explain, one failing callback" "$(ir "$work/explain.out")"
printf '%-40s %16s\n' "listen, answering one callback" "$(ir "$work/listen.out")"
