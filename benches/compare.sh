#!/usr/bin/env bash
# Measures cbtool next to its anchors in one run on this machine and prints the ratios.
# Absolute times on a shared machine are noise; the ratios are the figures that count.
# usage: benches/compare.sh            (N=100000 AutoX3 callbacks, M=2000 Dayu envelopes)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
M=${M:-2000}
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
cbtool=target/release/cbtool
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

mb=$(du -m "$work/autox3.jsonl" | cut -f1)
python3 - "$N" "$M" "$mb" "$t_cb" "$rss_cb" "$rss_cb2" "$t_py" "$t_sha" "$t_dayu" "$openssl_verifies" "$t_start" "$t_ossl" <<'PY'
import sys
n, m, mb = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t_cb, rss, rss2, t_py, t_sha, t_dayu, ossl_v, t_start, t_ossl = map(float, sys.argv[4:])
rows = [
    ("AutoX3 JSONL verify", f"{n / t_cb:,.0f} callbacks/s", f"{t_py / t_cb:.1f}x the Python verifier", ">= 20x"),
    ("  vs one SHA-1 pass", f"{t_cb:.3f} s vs {t_sha:.3f} s", f"{t_cb / t_sha:.2f}x openssl sha1's time", "<= 4x"),
    ("peak RSS", f"{rss / 1024:.1f} MiB on {mb} MB", f"{rss2 / 1024:.1f} MiB on {2 * mb} MB", "<= 32 MiB, flat"),
    ("Dayu verify", f"{m / t_dayu:,.0f} envelopes/s", f"{(m / t_dayu) / ossl_v:.2f}x openssl speed ({ossl_v:,.0f}/s)", ">= 0.5x"),
    ("start-up (100 runs)", f"{t_start:.3f} s", f"{t_start / t_ossl:.2f}x openssl version ({t_ossl:.3f} s)", "<= 1x"),
]
print(f"{'what':24} {'measured':32} {'ratio':44} goal")
for r in rows:
    print(f"{r[0]:24} {r[1]:32} {r[2]:44} {r[3]}")
PY
