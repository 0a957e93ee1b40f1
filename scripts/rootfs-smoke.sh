#!/usr/bin/env bash
# Smoke test of the Action's image without a Docker engine: builds stsgate
# exactly as the Dockerfile does (same flags), lays out a root that holds
# only what the image's final stage holds (/stsgate and
# /etc/ssl/certs/ca-certificates.crt), checks its size, and runs the binary
# in it with no network and an empty environment, the way the runner starts
# the container: the demo repository mounted at /github/workspace as the
# working directory, the file-command files under /github/file_commands.
# A dynamically linked binary, or one that needs any other file (time zone
# data, /etc/passwd, a shell), fails here.
#
# Needs root (chroot; a network namespace when the kernel allows one).
# Skips with exit 0 otherwise. KEEP=1 keeps the root.
#
#   scripts/rootfs-smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

max_bytes=20000000 # the image (binary + CA bundle) stays under 20 MB
build_flags='-trimpath -ldflags="-s -w"'

if [ "$(id -u)" -ne 0 ]; then
  echo "rootfs-smoke: skipped: needs root for chroot; run it as root"
  exit 0
fi

fail() { echo "rootfs-smoke: FAIL: $*" >&2; exit 1; }

# The Dockerfile must still build and lay out the image the way this
# script does; if it changes, change both.
grep -qF "CGO_ENABLED=0" Dockerfile || fail "Dockerfile no longer builds with CGO_ENABLED=0"
grep -qF "go build $build_flags -o /out/stsgate ./cmd/stsgate" Dockerfile ||
  fail "Dockerfile's go build line differs from this script's: go build $build_flags"
grep -qx 'FROM scratch' Dockerfile || fail "Dockerfile's final stage is not scratch"
copies=$(sed -n '/^FROM scratch/,$p' Dockerfile | grep '^COPY' | awk '{print $NF}' | sort | tr '\n' ' ')
[ "$copies" = "/etc/ssl/certs/ca-certificates.crt /stsgate " ] ||
  fail "the final stage copies $copies, not /etc/ssl/certs/ca-certificates.crt and /stsgate"
grep -qxF 'ENTRYPOINT ["/stsgate", "action"]' Dockerfile || fail "Dockerfile's ENTRYPOINT changed"
if grep -q '^USER' Dockerfile; then fail "Dockerfile sets USER; container actions must run as root"; fi

ca=/etc/ssl/certs/ca-certificates.crt
[ -s "$ca" ] || fail "$ca not found (install ca-certificates)"

root=$(mktemp -d /tmp/stsgate-rootfs.XXXXXX)
out=$(mktemp -d /tmp/stsgate-rootfs-out.XXXXXX)
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() { if [ -z "${KEEP:-}" ]; then rm -rf "$root" "$out"; else echo "kept $root and $out"; fi; }
trap cleanup EXIT
chmod 755 "$root"

echo "-- build: CGO_ENABLED=0 go build $build_flags ./cmd/stsgate"
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$root/stsgate" ./cmd/stsgate
install -D -m 644 "$ca" "$root/etc/ssl/certs/ca-certificates.crt"
certs=$(grep -c 'BEGIN CERTIFICATE' "$root/etc/ssl/certs/ca-certificates.crt")
[ "$certs" -ge 50 ] || fail "the CA bundle holds only $certs certificates"

bin_bytes=$(stat -c %s "$root/stsgate")
ca_bytes=$(stat -c %s "$root/etc/ssl/certs/ca-certificates.crt")
total=$((bin_bytes + ca_bytes))
mb() { awk -v n="$1" 'BEGIN { printf "%.1f MB", n / 1e6 }'; }
echo "-- root: /stsgate $bin_bytes bytes + CA bundle $ca_bytes bytes ($certs certificates)" \
  "= $total bytes, $(mb "$total") (limit $(mb "$max_bytes"))"
[ "$total" -lt "$max_bytes" ] || fail "the image's files take $total bytes, over $max_bytes"

# The runner's mounts: the checkout (here the demo repository), the event
# payload and the file-command files.
mkdir -p "$root/github/workspace" "$root/github/workflow" "$root/github/file_commands" "$root/github/runner_temp"
cp -a testdata/demo/. "$root/github/workspace/"
echo '{}' >"$root/github/workflow/event.json"

# Without a network namespace the root still has the host's network; the
# commands below do not use it (--offline, or a resolver on a port that
# nothing serves).
unshare=$(command -v unshare) || fail "unshare not found (util-linux)"
netns=(--net)
if ! "$unshare" --net true 2>/dev/null; then
  echo "(no network namespace available: running with the host's network)"
  netns=()
fi

# inroot RC NAME [VAR=VALUE...] -- ARGS...: runs /stsgate ARGS in the root,
# in /github/workspace, with only the given environment, and checks that
# it exits with RC. Output goes to $out/NAME.out and $out/NAME.err.
inroot() {
  local want=$1 name=$2 envs=() rc=0
  shift 2
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env -i "${envs[@]}" "$unshare" "${netns[@]}" --root="$root" --wd=/github/workspace /stsgate "$@" \
    >"$out/$name.out" 2>"$out/$name.err" </dev/null || rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "--- stdout"; cat "$out/$name.out"; echo "--- stderr"; cat "$out/$name.err"
    fail "$name: stsgate $* exited $rc, want $want"
  fi
  echo "ok $name (exit $rc)"
}
# expect NAME FILE PATTERN: FILE ($out/NAME.out by default) has a line
# matching the extended regular expression PATTERN.
expect() {
  local name=$1 file=$2 pattern=$3
  grep -Eq -- "$pattern" "$file" || { echo "--- $file"; cat "$file"; fail "$name: no line matches /$pattern/"; }
}

inroot 0 help -- --help
expect help "$out/help.out" '^Usage:'
inroot 0 action-help -- action --help
expect action-help "$out/action-help.out" 'stsgate action'
inroot 2 bad-flag -- lint --no-such-flag

inroot 0 lint -- lint --dir .
expect lint "$out/lint.out" 'verdict: pass$'
expect lint "$out/lint.out" '^example\.com: mode testing; id 20261101T000000'

# Reports: JSON, gzip and report e-mails, the clean window (no time zone
# data in the root: dates are UTC).
inroot 0 check-offline -- check --offline --dir . --as-of 2026-11-28
expect check-offline "$out/check-offline.out" 'clean: 16 clean days through 2026-11-27 \(need 14\), 14 covered'
inroot 0 check-json -- check --offline --dir . --as-of 2026-11-28 --format json
expect check-json "$out/check-json.out" '"verdict": ?"pass"'

# The entrypoint as the runner starts it (push event: the live check). The
# resolver answers nothing here, so every live lookup is "could not check":
# exit 3, verdict error, never a pass; outputs and summary are written.
inroot 3 action \
  GITHUB_ACTIONS=true CI=true HOME=/github/home \
  GITHUB_WORKSPACE=/github/workspace GITHUB_EVENT_NAME=push \
  GITHUB_EVENT_PATH=/github/workflow/event.json GITHUB_REPOSITORY=stsgate/demo \
  GITHUB_OUTPUT=/github/file_commands/set_output GITHUB_STEP_SUMMARY=/github/file_commands/step_summary \
  RUNNER_TEMP=/github/runner_temp \
  INPUT_GITHUB_TOKEN= INPUT_MODE=auto INPUT_DNS_RESOLVER=127.0.0.1:9 INPUT_PARALLEL=4 \
  -- action
outputs=$root/github/file_commands/set_output
[ -s "$outputs" ] || fail "action: wrote no outputs"
# output NAME: the value of step output NAME, written as NAME=VALUE or as
# NAME<<DELIMITER, VALUE, DELIMITER.
output() {
  awk -v n="$1" 'index($0, n "<<") == 1 { getline; print; exit } index($0, n "=") == 1 { print substr($0, length(n) + 2); exit }' "$outputs"
}
for want in verdict=error mode=testing errors=0; do
  got=$(output "${want%%=*}")
  [ "$got" = "${want#*=}" ] || { cat "$outputs"; fail "action: output ${want%%=*} is \"$got\", want \"${want#*=}\""; }
done
[ -s "$root/github/file_commands/step_summary" ] || fail "action: wrote no job summary"
expect action "$out/action.out" 'live-unverified'

echo "rootfs-smoke: the image's two files run stsgate (help, lint, check, reports, the action entrypoint) with nothing else"
