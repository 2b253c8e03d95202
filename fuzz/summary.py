#!/usr/bin/env python3
"""The results table of fuzz/README.md, from the logs fuzz/run.sh leaves in fuzz/runs/logs/:
per target the wall-clock minutes of every run (from run.sh's start and end marks), the
executions (libFuzzer's final stat::number_of_executed_units), the last coverage (`cov:`,
edges) and the runs that stopped on a finding (exit 77 crash, 70 time-out, 71 memory)."""

import glob
import os
import re
from datetime import datetime

TARGETS = "autox3 dayu keys http schedule schema json_scan blocks minify listen".split()
MARK = re.compile(r"^== (\S+): (\S+Z), (?:(\d+) min|exit (\d+))$")


def stamp(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def summary(path):
    seconds, execs, cov, findings, runs = 0, 0, 0, 0, 0
    start = None
    with open(path, errors="replace") as log:
        for line in log:
            line = line.rstrip("\n")
            mark = MARK.match(line)
            if mark and mark.group(3):
                start = stamp(mark.group(2))
            elif mark and start:
                seconds += (stamp(mark.group(2)) - start).total_seconds()
                runs += 1
                findings += mark.group(4) != "0"
                start = None
            elif line.startswith("stat::number_of_executed_units:"):
                execs += int(line.split()[-1])
            found = re.search(r" cov: (\d+) ", line)
            if found:
                cov = int(found.group(1))
    return seconds / 60, execs, cov, findings, runs


def main():
    logs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runs", "logs")
    print("| target | minutes | runs | executions | coverage (`cov:`) | runs stopped by a finding |")
    print("|---|---:|---:|---:|---:|---:|")
    for target in TARGETS:
        path = os.path.join(logs, target + ".log")
        if not glob.glob(path):
            continue
        minutes, execs, cov, findings, runs = summary(path)
        print(f"| {target} | {minutes:.1f} | {runs} | {execs:,} | {cov:,} | {findings} |")


if __name__ == "__main__":
    main()
