#!/usr/bin/env bash
# Measures stsgate collect against a loopback IMAP server holding N report
# mails (internal/cmd/imapfake: go-imap's memory backend over imaps, each
# mail a gzipped report of its own with a distinct Message-ID): the first
# run downloads and summarises every mail, the second finds every
# Message-ID in the summaries and downloads no message body. Prints the
# wall time and peak RSS of each (GNU time) and checks what each says it
# did. Issue 13's budget: first run at most 10 s and 200 MB, second under
# 1 s, on 2 cores.
#
#   scripts/perf-collect.sh [N]     # default N=10000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d /tmp/stsgate-perf-collect.XXXXXX)
server=""
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/stsgate" ./cmd/stsgate
go build -o "$work/imapfake" ./internal/cmd/imapfake
coproc IMAP { exec "$work/imapfake" -n "$n" -ca "$work/ca.pem"; }
server=$IMAP_PID
read -r url <&"${IMAP[0]}" # printed once the mailbox is filled and it listens

repo=$work/repo
mkdir -p "$repo/.github" "$repo/.well-known"
cat >"$repo/.github/stsgate.yml" <<YAML
domains:
  - domain: example.com
    reports: [$url]
imap_password_env: PERF_IMAP_PASSWORD
YAML
printf 'version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n' >"$repo/.well-known/mta-sts.txt"

run() { # label, expected stderr line, then the command
  local label=$1 want=$2
  shift 2
  SSL_CERT_FILE=$work/ca.pem PERF_IMAP_PASSWORD=password \
    /usr/bin/time -q -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
  read -r secs kb <"$work/time"
  if ! grep -q "$want" "$work/err" "$work/out"; then
    echo "$label: expected \"$want\"; got:" >&2
    cat "$work/err" "$work/out" >&2
    exit 1
  fi
  printf '%-44s %6.2f s  %4d MB\n' "$label" "$secs" $((kb / 1024))
}
echo "$n report mails on $url; $(nproc) cores"
run "collect, first run (downloads every mail)" "^collect: $n reports new, " \
  "$work/stsgate" collect --dir "$repo"
run "collect, second run (nothing new)" "^collect: $n mails already in the summaries, not downloaded$" \
  "$work/stsgate" collect --dir "$repo"
run "reports, from the summaries" "^example.com: " \
  "$work/stsgate" reports --dir "$repo" --domain example.com "$repo/reports/summary"
echo "summaries: $(find "$repo/reports/summary" -name '*.json' | wc -l) files, $(du -sh "$repo/reports/summary" | cut -f1)"
