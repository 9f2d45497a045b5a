#!/usr/bin/env python3
"""Writes RELIABILITY.md from the harness's results.tsv (item, database, detail, runs, failures)."""
import collections
import datetime
import platform
import subprocess
import sys


def upper_bound(failures, n, confidence=0.95):
    """One-sided Clopper-Pearson upper bound of the failure rate; 1 - 0.05^(1/n) (about 3/n) at zero."""
    if n == 0:
        return 1.0
    if failures == 0:
        return 1 - (1 - confidence) ** (1 / n)
    if failures >= n:
        return 1.0

    def cdf(p):  # P(X <= failures) for Binomial(n, p)
        total, term = 0.0, (1 - p) ** n
        for k in range(failures + 1):
            total += term
            term *= (n - k) / (k + 1) * p / (1 - p)
        return total

    lo, hi = failures / n, 1.0
    for _ in range(100):
        mid = (lo + hi) / 2
        if cdf(mid) > 1 - confidence:
            lo = mid
        else:
            hi = mid
    return hi


results, out, rounds, kills, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
identifiers = sys.argv[6] if len(sys.argv) > 6 else "10000"
origin = sys.argv[7] if len(sys.argv) > 7 else "scripts/chaos.sh"
rows = collections.OrderedDict()
for line in open(results, encoding="utf-8"):
    item, database, detail, runs, failures = line.rstrip("\n").split("\t")
    if item.startswith("tampered tracker table"):
        detail = "scenarios over the three trackers"  # one row per database, not per scenario
    key = (item, database, detail.split(",")[0] if detail.startswith(("kills", "terminations", "names")) else detail)
    r = rows.setdefault(key, [0, 0])
    r[0] += int(runs)
    r[1] += int(failures)

java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
lines = [
    "# Reliability figures",
    "",
    f"Written by `scripts/reliability-report.py` from a run of {origin} on {datetime.date.today().isoformat()} — do not"
    " edit by hand.",
    "",
    f"- Machine: {platform.system()} {platform.release()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; {java}",
    f"- Size of this run: {rounds} rounds per separate-process configuration, {kills} kills (or terminations) per"
    f" database, {identifiers} generated identifiers per database; {seconds // 60} minutes",
    "- Every run checks: no migration applied twice (a side table without a key counts applications), every boot"
    " succeeds (separate processes), no `SQLITE_BUSY` reaches a caller, after a kill the schema is the state before or"
    " after each migration and the tracker agrees with it, and the next boot succeeds within the lock lease (3 s) with"
    " no manual step. Trackers cycle through applied-set, counter and identity.",
    "- The bound is the one-sided 95% upper bound on the failure rate (Clopper-Pearson; about 3/n with no failure).",
    "",
    "| scenario | database | runs | failures | 95% upper bound |",
    "|---|---|---:|---:|---:|",
]
for (item, database, detail), (runs, failures) in rows.items():
    lines.append(f"| {item} ({detail}) | {database} | {runs} | {failures} | {upper_bound(failures, runs):.2%} |")
lines += [
    "",
    "The PgBouncer rows run through Debian's pgbouncer in `pool_mode = transaction` (started by `scripts/test.sh`);"
    " besides the checks above, each round requires that every boot that migrated logged its fall-back to the lease"
    " row and that no advisory lock and no lease row is left afterwards.",
    "",
]
open(out, "w", encoding="utf-8").write("\n".join(lines))
