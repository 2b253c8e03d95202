#!/usr/bin/env bash
# Benchmark, not a test: how late each retry arrives at a loopback receiver compared
# with the schedule's wait (see examples/retry_timing.rs). Arguments: TIME_SCALE RUNS.
#   benches/retry_timing.sh            # scale 0.05 (the vendor's 126 s in 6.3 s), 3 runs
#   benches/retry_timing.sh 1 1        # the real schedule, once (about two minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --quiet --release --example retry_timing -- "${1:-0.05}" "${2:-3}"
