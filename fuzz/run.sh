#!/bin/sh
# Runs every fuzz target for SECONDS each (default 60), one after another, in one
# process at a time (the machine is shared). Crashing inputs land in fuzz/crashes/.
# Usage: fuzz/run.sh [SECONDS] [SEED] [TARGET...]
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
seed=${2:-$(date +%s)}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
targets=${*:-autox3 dayu keys http schedule schema}
cargo build --quiet --example fuzz
bin=${CARGO_TARGET_DIR:-target}/debug/examples/fuzz
status=0
for t in $targets; do
    "$bin" run "$t" "$secs" "$seed" || status=1
done
exit $status
