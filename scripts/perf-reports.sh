#!/usr/bin/env bash
# Measures stsgate reports on a generated corpus of 100,000 gzipped TLS-RPT
# reports (about 200 MB of JSON) against the obvious shell pipelines
# computing the same per-day counts: zcat | jq | awk (jq extracts, awk
# sums) and zcat | jq (jq sums), and checks that all agree on those
# counts. Needs jq and GNU time (/usr/bin/time).
#
#   scripts/perf-reports.sh [N]     # default N=100000
#
# CORPUS=dir reuses a corpus made before by internal/cmd/gencorpus with
# the same N (generating 100,000 files takes longer than the runs).
# RUNS=k runs each k times (default 5), in turn; the medians are
# compared.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${RUNS:-5}
work=$(mktemp -d /tmp/stsgate-perf.XXXXXX)
trap 'rm -rf "$work"' EXIT

go build -o "$work/stsgate" ./cmd/stsgate
corpus=${CORPUS:-$work/corpus}
if [ -z "${CORPUS:-}" ]; then
  go run ./internal/cmd/gencorpus -n "$n" -out "$corpus"
fi
files=$(find "$corpus" -name '*.json.gz' | wc -l)
if [ "$files" -ne "$n" ]; then
  echo "$corpus holds $files reports, not $n" >&2
  exit 1
fi
bytes=$(find "$corpus" -name '*.json.gz' -print0 | xargs -0 zcat | wc -c)
echo "corpus: $n reports, $((bytes / 1000000)) MB of JSON, $(du -sh "$corpus" | cut -f1) on disk; $(nproc) cores"

# Warm the page cache so that both runs read from memory.
find "$corpus" -name '*.json.gz' -print0 | xargs -0 cat >/dev/null

# Both are run $runs times, alternately, so that a slow spell of a shared
# machine falls on both; the medians are compared.
pipeline() {
  find "$corpus" -name '*.json.gz' -print0 | xargs -0 zcat |
    jq -r '. as $r | .policies[] | select(.policy["policy-domain"] == "example.com")
           | [$r["date-range"]["start-datetime"][:10], .summary["total-successful-session-count"],
              .summary["total-failure-session-count"]] | @tsv' |
    awk -F'\t' '{n[$1]++; s[$1]+=$2; f[$1]+=$3} END {for (d in n) printf "%s\t%d\t%d\t%d\n", d, n[d], s[d], f[d]}' |
    sort
}
# The same with jq computing the sums itself, as the issue words it
# ("zcat ... | jq computing the same per-day counts"): slower than
# handing them to awk, so the comparison above is the stricter one.
jqsums() {
  find "$corpus" -name '*.json.gz' -print0 | xargs -0 zcat |
    jq -rn 'reduce (inputs | . as $r | .policies[] | select(.policy["policy-domain"] == "example.com")
                   | {d: $r["date-range"]["start-datetime"][:10], s: .summary["total-successful-session-count"],
                      f: .summary["total-failure-session-count"]}) as $x
              ({}; .[$x.d] |= {n: ((.n // 0) + 1), s: ((.s // 0) + $x.s), f: ((.f // 0) + $x.f)})
            | to_entries[] | [.key, .value.n, .value.s, .value.f] | @tsv' |
    sort
}
export -f pipeline jqsums; export corpus
timed() { /usr/bin/time -q -f "%e %U %S %M" -a -o "$work/$1.times" "${@:2}"; }
for i in $(seq "$runs"); do
  timed stsgate "$work/stsgate" reports --as-of 2026-11-28 --format json "$corpus" >"$work/stsgate.json" || true
  timed pipeline bash -c pipeline >"$work/jq.tsv"
  timed jqsums bash -c jqsums >"$work/jqsums.tsv"
done
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# report FILE LABEL prints the runs of FILE; the peak RSS only for
# stsgate (for a pipeline, time sees only the shell's).
report() {
  awk -v what="$2" -v rss="${3:-}" '{printf "%-9s %s s wall, %s s user, %s s sys", what, $1, $2, $3}
    rss {printf ", %d KB max RSS", $4} {print ""}' "$work/$1.times"
  echo "$2 median: $(awk '{print $1}' "$work/$1.times" | median) s wall"
}
echo "== stsgate reports --format json; find | xargs zcat | jq | awk; the same with jq summing: in turn, $runs runs each"
report stsgate stsgate rss
report pipeline "jq | awk"
report jqsums "jq sums"
s=$(awk '{print $1}' "$work/stsgate.times" | median)
for p in "pipeline:jq | awk" "jqsums:jq sums"; do
  m=$(awk '{print $1}' "$work/${p%%:*}.times" | median)
  # Each run of the pipeline against the stsgate run just before it.
  paired=$(paste "$work/stsgate.times" "$work/${p%%:*}.times" | awk '{print $5 / $1}' | median)
  echo "stsgate against ${p#*:}: $(awk -v s="$s" -v p="$m" 'BEGIN {printf "%.2f", p / s}')x faster (ratio of the medians), $(printf %.2f "$paired")x (median of the paired ratios)"
done
if ! cmp -s "$work/jq.tsv" "$work/jqsums.tsv"; then
  echo "the two pipelines DIFFER"; exit 1
fi

jq -r '.domains[0].days[] | select(.reports > 0) | [.date, .reports, .successful, .failed] | @tsv' \
  "$work/stsgate.json" | sort >"$work/stsgate.tsv"

# Every day stsgate shows must carry the same counts in the pipeline's output.
if join -t $'\t' "$work/stsgate.tsv" "$work/jq.tsv" | awk -F'\t' '$2 != $5 || $3 != $6 || $4 != $7 {bad=1} END {exit bad}' &&
   [ "$(wc -l <"$work/stsgate.tsv")" -gt 0 ] &&
   [ "$(join -t $'\t' "$work/stsgate.tsv" "$work/jq.tsv" | wc -l)" -eq "$(wc -l <"$work/stsgate.tsv")" ]; then
  echo "per-day counts agree on $(wc -l <"$work/stsgate.tsv") days"
else
  echo "per-day counts DIFFER:"; diff "$work/stsgate.tsv" <(join -t $'\t' -o 1.1,2.2,2.3,2.4 "$work/stsgate.tsv" "$work/jq.tsv") || true
  exit 1
fi
