#!/usr/bin/env bash
# Measures stsgate reading a year of committed summaries: 50 domains x 12
# months = 600 files, 73,000 reports, 34 MB (the summary package's
# benchmark corpus, written by its TestWriteYear), with `stsgate reports`
# over the directory, RUNS times (default 7), printing wall time, CPU
# time and peak RSS of each (GNU time). Issue 13's target: reading them
# under 100 ms.
#
#   scripts/perf-summaries.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
work=$(mktemp -d /tmp/stsgate-perf-summaries.XXXXXX)
trap 'rm -rf "$work"' EXIT

go build -o "$work/stsgate" ./cmd/stsgate
STSGATE_SUMMARY_YEAR=$work/year go test -count 1 -run '^TestWriteYear$' ./internal/summary >/dev/null
echo "$(find "$work/year" -name '*.json' | wc -l) summary files, $(du -sh "$work/year" | cut -f1); $(nproc) cores"
cat "$work"/year/*/*.json >/dev/null # into the page cache
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e s wall  %U s user  %S s sys  %M KB" \
    "$work/stsgate" reports --domain domain00.example --as-of 2027-01-01 "$work/year" >/dev/null || true
done 2>&1
