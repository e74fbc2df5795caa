#!/usr/bin/env python3
"""Sums the outcome counters of every TRX file under a directory and prints one line: N passed, N failed, N skipped."""
import glob
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = sorted(glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True))
for path in files:
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", NS)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    # Ignored tests are counted in total but not executed; the notExecuted counter stays 0 for them.
    not_run = max(int(counters.get("notExecuted", 0)), int(counters.get("total", 0)) - int(counters.get("executed", 0)))
    skipped += not_run + int(counters.get("inconclusive", 0))
if not files:
    failed += 1
    print("no test results were produced (build failure?)", file=sys.stderr)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
