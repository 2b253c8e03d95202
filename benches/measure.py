#!/usr/bin/env python3
"""Runs a command several times; prints the best wall time (s) and the peak RSS (KiB)
of the children. usage: measure.py RUNS CMD [ARGS...]  (output of CMD is discarded)"""
import resource
import subprocess
import sys
import time

runs = int(sys.argv[1])
best = float("inf")
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    best = min(best, time.perf_counter() - start)
print(f"{best:.4f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
