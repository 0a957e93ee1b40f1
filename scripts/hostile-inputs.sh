#!/usr/bin/env bash
# Runs `stsgate reports` on hostile report inputs (issue 12: every input,
# however hostile, is read in time linear in its size, within 512 MB of
# peak RSS on the default limits). internal/cmd/genhostile writes them:
# header bombs, 7 million reports, 7 million empty policies, strings of
# megabytes, MIME nested 100,000 levels deep, a million MIME parts, a
# 15 MiB organization name, counts that overflow an int64, and a small
# valid report for comparison. Each is run on its own, built as the
# Dockerfile builds the binary, under
#
#   prlimit --as=$AS_LIMIT  timeout $TIMEOUT  stsgate reports --domain example.com --format json FILE
#
# and fails the script (exit 1) when it takes longer than TIMEOUT, peaks
# over 512 MB of RSS, crashes (a panic, a Go "fatal error", such as out
# of memory under the address-space limit, or an exit code other than 0,
# 1 or 3), or writes output that is not one JSON document, holds a
# negative count, or is larger than 8 MB (strings from reports are capped). Prints a markdown table for docs/performance.md.
#
# RLIMIT_AS, not RSS, is what the kernel enforces, and a Go binary
# reserves address space up front: a normal run's VmPeak is about 1.27 GB
# for 7 MB of RSS, and with 700 MiB the runtime does not start. The
# default AS_LIMIT of 2 GiB leaves a run of 512 MB of RSS (1.75 GB of
# address space) room to finish and be measured, and stops one that
# grows far past it before it takes the machine's memory. Time and peak
# RSS are measured by genhostile -measure (getrusage of the waited-for
# children, as GNU time does), so nothing needs installing.
#
#   scripts/hostile-inputs.sh               # full sizes: 150 MB of inputs in /tmp, outputs up to 800 MB; about a minute
#   FULL=0 scripts/hostile-inputs.sh        # every size times 0.01, a few seconds
#   SCALE=0.1 TIMEOUT=60 AS_LIMIT=3G scripts/hostile-inputs.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${SCALE:-1}
if [ "${FULL:-1}" = 0 ]; then scale=${SCALE:-0.01}; fi
timeout_s=${TIMEOUT:-120}
as_limit=${AS_LIMIT:-2G}
max_rss_kib=500000 # 512 MB (512,000,000 bytes), in the KiB getrusage reports
max_output=8000000 # bytes: strings from reports are capped in every output (DESIGN §1.11)
# The day after the reports' day (genhostile's reports.go, const day), so
# that it is inside the window and its counts are in the output.
as_of=2026-11-02

work=$(mktemp -d /tmp/stsgate-hostile.XXXXXX)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/stsgate" ./cmd/stsgate
go build -o "$work/genhostile" ./internal/cmd/genhostile
"$work/genhostile" -out "$work/in" -scale "$scale"

# size BYTES prints BYTES in B, KB, MB or GB (powers of 1000).
size() {
  awk -v b="$1" 'BEGIN {
    split("B KB MB GB", u); i = 1
    while (b >= 1000 && i < 4) { b /= 1000; i++ }
    printf (i == 1 || b >= 100) ? "%.0f %s" : "%.1f %s", b, u[i] }'
}

# verdict NAME STATUS KIB prints what is wrong with the run of NAME, or ok.
verdict() {
  local why=() err=$work/$1.err
  case $2 in
    124 | 137) why+=("over the ${timeout_s} s timeout") ;;
    0 | 1 | 3) ;;
    *) why+=("exit code $2") ;;
  esac
  if grep -q '^fatal error: .*out of memory' "$err"; then
    why+=("out of memory under --as=$as_limit")
  elif grep -qE '^(panic: |fatal error: )' "$err"; then
    why+=("crash: $(grep -m1 -E '^(panic: |fatal error: )' "$err")")
  fi
  if [ "$3" -gt "$max_rss_kib" ]; then why+=("peak RSS over 512 MB"); fi
  local out_bytes
  out_bytes=$(stat -c %s "$work/$1.json")
  if [ "$out_bytes" -gt "$max_output" ]; then why+=("output of $out_bytes bytes: strings from reports are not capped"); fi
  if ! "$work/genhostile" -check "$work/$1.json" 2>"$work/check"; then
    why+=("output: $(sed 's/^genhostile: [^:]*: //' "$work/check" | cut -c1-100)")
  fi
  if [ ${#why[@]} -eq 0 ]; then echo ok; return; fi
  local all=""
  for w in "${why[@]}"; do all+="${all:+; }$w"; done
  echo "**FAIL**: $all"
}

echo "== stsgate reports on hostile inputs: scale $scale, $(nproc) cores, $(go env GOVERSION), limits: prlimit --as=$as_limit, timeout ${timeout_s} s, 512 MB peak RSS"
rows=() failed=0
while IFS=$'\t' read -r name disk raw what; do
  "$work/genhostile" -measure "$work/measure" -- \
    prlimit --as="$(numfmt --from=iec "$as_limit")" timeout --kill-after=10 "$timeout_s" \
    "$work/stsgate" reports --domain example.com --as-of "$as_of" --format json "$work/in/$name" \
    </dev/null >"$work/$name.json" 2>"$work/$name.err" || { cat "$work/$name.err"; exit 1; }
  read -r wall kib status <"$work/measure"
  v=$(verdict "$name" "$status" "$kib")
  case $v in ok) ;; *) failed=$((failed + 1)) ;; esac
  compressed="—"
  case $name in *.gz) compressed=$(size "$disk") ;; esac
  row="| \`$name\` | $compressed | $(size "$raw") | $(size "$(stat -c %s "$work/$name.json")") | ${wall} s | $(size $((kib * 1024))) | $status | $v |"
  echo "$row   ($what)"
  if [ "$v" != ok ]; then sed -n '1,3s/^/    stderr: /p' "$work/$name.err" | cut -c1-200; fi
  rows+=("$row")
  rm -f "$work/$name.json"
done <"$work/in/MANIFEST.tsv"

echo
echo "Command: \`$( [ "$scale" = 1 ] || echo "SCALE=$scale ")scripts/hostile-inputs.sh\`, $(date -u +%Y-%m-%d), $(git rev-parse --short HEAD 2>/dev/null || echo 'no git'), $(nproc) cores, prlimit --as=$as_limit, timeout ${timeout_s} s:"
echo
echo "| Input | Compressed | Decompressed | Output | Wall | Peak RSS | Exit | Verdict |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
if [ "$failed" -gt 0 ]; then
  echo "$failed of ${#rows[@]} inputs FAILED"
  exit 1
fi
echo "all ${#rows[@]} inputs read within the limits"
