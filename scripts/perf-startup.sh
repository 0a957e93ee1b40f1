#!/usr/bin/env bash
# Measures how long the Action's binary takes from exec to its output and
# exit, built exactly as the Dockerfile builds it, on the demo repository:
#   --help                       start, print, exit
#   lint                         plus the configuration, policy and zone file
#   check --offline (16 reports) plus reading the TLS-RPT reports (JSON, gzip,
#                                e-mail) and the clean window
# Uses hyperfine when it is installed (apt-get install hyperfine), else a
# loop timed with date +%s%N (or with TIMER=loop). Target: each median under 50 ms. Then, unless
# BUILD=0, the cold build the runner does for `image: Dockerfile` (go build
# with an empty build cache; modules already downloaded).
#
# A documented measurement (docs/performance.md), not a CI gate: exit 1
# only when a median is over the target.
#
#   scripts/perf-startup.sh            # RUNS=200 by default
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
runs=${RUNS:-200}
target_ms=50

work=$(mktemp -d /tmp/stsgate-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT
bin=$work/stsgate
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$bin" ./cmd/stsgate
demo=$repo/testdata/demo

echo "$(nproc) cores, $(go env GOVERSION), binary $(stat -c %s "$bin") bytes, $runs runs each"

names=(help lint check-offline)
cmds=(
  "$bin --help"
  "$bin lint --dir $demo"
  "$bin check --offline --dir $demo --as-of 2026-11-28"
)
# Each must succeed (hyperfine also fails on a non-zero exit).
for c in "${cmds[@]}"; do $c >/dev/null; done

over=0
if [ "${TIMER:-}" != loop ] && command -v hyperfine >/dev/null && command -v jq >/dev/null; then
  hyperfine --version
  for i in "${!cmds[@]}"; do
    shown=${cmds[$i]/$bin/stsgate}
    hyperfine -N --warmup 20 --runs "$runs" --style basic --export-json "$work/${names[$i]}.json" \
      --command-name "${shown/$repo\//}" "${cmds[$i]}" >/dev/null 2>"$work/hyperfine.err" || { cat "$work/hyperfine.err"; exit 1; }
    read -r median mean sd min max < <(jq -r '.results[0] | [.median, .mean, .stddev, .min, .max] | map(. * 1000) | @tsv' "$work/${names[$i]}.json")
    printf '%-14s median %6.2f ms  mean %6.2f ± %5.2f ms  min %6.2f  max %6.2f\n' "${names[$i]}" "$median" "$mean" "$sd" "$min" "$max"
    awk -v m="$median" -v t="$target_ms" 'BEGIN { exit !(m >= t) }' && over=1
  done
else
  echo "timing a loop with date +%s%N (no hyperfine, or TIMER=loop); each time includes forking date"
  for i in "${!cmds[@]}"; do
    for ((r = 0; r < runs; r++)); do
      t0=$(date +%s%N)
      ${cmds[$i]} >/dev/null
      t1=$(date +%s%N)
      echo $(((t1 - t0) / 1000))
    done | sort -n | awk -v name="${names[$i]}" -v t="$target_ms" '
      { us[NR] = $1; sum += $1 }
      END {
        med = us[int((NR + 1) / 2)] / 1000
        printf "%-14s median %6.2f ms  mean %6.2f ms  min %6.2f  max %6.2f\n", name, med, sum / NR / 1000, us[1] / 1000, us[NR] / 1000
        exit med >= t
      }' || over=1
  done
fi

if [ "${BUILD:-1}" != 0 ]; then
  go mod download
  t0=$(date +%s%N)
  GOCACHE=$work/gocache CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/cold" ./cmd/stsgate
  t1=$(date +%s%N)
  echo "cold build (empty GOCACHE, as in a fresh docker build): $(((t1 - t0) / 1000000)) ms"
fi

if [ "$over" -ne 0 ]; then
  echo "perf-startup: a median is over the $target_ms ms target"
  exit 1
fi
echo "perf-startup: every median is under the $target_ms ms target"
