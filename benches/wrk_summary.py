#!/usr/bin/env python3
"""Reads wrk --latency output on stdin; prints requests/s, the p99 latency in ms and the
number of non-2xx/3xx answers (wrk counts them; socket errors are added)."""
import re
import sys

text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
p99 = float(m.group(1)) * unit[m.group(2)] if m else float("nan")
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
count = (int(bad.group(1)) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0)
print(f"{rps} {p99} {count}")
