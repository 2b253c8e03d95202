#!/bin/sh
# Coverage-guided fuzzing with cargo-fuzz (libFuzzer, nightly toolchain).
#   fuzz/run.sh MINUTES TARGET...   each target for MINUTES, two at a time, at nice 19
#   fuzz/run.sh MINUTES             every target
# A run grows fuzz/runs/corpus/TARGET (ignored by git) from the committed seeds in
# fuzz/corpus/TARGET; a crash, a time-out (-timeout, seconds) or running out of memory
# stops that target and leaves the input in fuzz/artifacts/TARGET/. Logs: fuzz/runs/logs/.
set -eu
cd "$(dirname "$0")"
if [ "${1:-}" = "--one" ]; then
    mins=$2 t=$3
    mkdir -p "runs/corpus/$t" "artifacts/$t" runs/logs
    echo "== $t: $(date -u +%FT%TZ), $mins min" >>"runs/logs/$t.log"
    status=0
    # The binaries `fuzz build` made (below): a source edit during a long rotation must
    # not rebuild in every slot.
    nice -n 19 "target/x86_64-unknown-linux-gnu/release/$t" "runs/corpus/$t" "corpus/$t" \
        -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=65536 \
        -max_total_time=$((mins * 60)) -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" >>"runs/logs/$t.log" 2>&1 || status=$?
    echo "== $t: $(date -u +%FT%TZ), exit $status" >>"runs/logs/$t.log"
    [ $status -eq 0 ] || echo "$t: stopped with $status: a finding in fuzz/artifacts/$t/ (see fuzz/runs/logs/$t.log)"
    exit 0
fi
mins=${1:?usage: fuzz/run.sh MINUTES [TARGET...]}
shift
targets=${*:-autox3 dayu keys http schedule schema json_scan blocks minify listen}
nice -n 19 cargo +nightly fuzz build --sanitizer none >/dev/null
printf '%s\n' $targets | xargs -P 2 -I{} sh ./run.sh --one "$mins" {}
