#!/usr/bin/env bash
# End-to-end test of the built stsgate binary against real servers: nsd
# (authoritative for example.test on 127.0.0.53:53) and nginx (every
# mta-sts.<scenario>.example.test on 127.0.0.1:443, certificate from a
# throwaway CA trusted through SSL_CERT_FILE), inside a private network
# namespace that has only "lo". Each scenario is a policy domain
# <scenario>.example.test with its repository in testdata/e2e/<scenario>/;
# the published DNS is testdata/e2e/example.test.zone.
#
# Needs root, nsd, nginx-light, openssl, iproute2 and jq (.ci/run installs
# them). STSGATE=path tests that binary instead of building one; KEEP=1
# keeps the work directory (configurations, logs, JSON output).
#
#   scripts/e2e-netns.sh            # exit status 0 when every scenario passed
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
e2e=$repo/testdata/e2e
umask 022
PATH=$PATH:/usr/sbin:/sbin # nsd and nginx live there

# scenario, expected exit code, codes that must be reported about the live
# state ("-": none).
# Exit 0 also requires no error or warning; live-unverified is allowed only
# where it is expected.
scenarios=(
  "healthy        0 -"
  "drift          1 live-policy-drift"
  "redirect       1 live-policy-redirect"
  "content-type   1 live-policy-content-type"
  "mx-not-covered 1 mx-not-covered"
  "multiple-sts   1 sts-record-multiple"
  "servfail       3 live-unverified"
)

t0=$(date +%s%N)
elapsed() { local ms=$((($(date +%s%N) - t0) / 1000000)); printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); }

if [ "$(id -u)" -ne 0 ]; then
  echo "e2e-netns: needs root (ip netns, ports 53 and 443)" >&2
  exit 2
fi
for cmd in nsd nsd-checkconf nginx openssl ip jq timeout; do
  command -v "$cmd" >/dev/null || { echo "e2e-netns: $cmd not found" >&2; exit 2; }
done

W=$(mktemp -d /tmp/stsgate-e2e.XXXXXX)
chmod 755 "$W" # nginx workers drop root and read $W/www
NS=stsgate-e2e-$$
X=(ip netns exec "$NS")
nginx_pid=""
ns_created=""
status=1

# shellcheck disable=SC2317 # called by the EXIT trap
teardown() {
  local pids
  if [ -s "$W/dns/nsd.pid" ]; then kill "$(cat "$W/dns/nsd.pid")" 2>/dev/null || true; fi
  if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  if [ -n "$ns_created" ]; then
    for _ in $(seq 100); do
      pids=$(ip netns pids "$NS")
      [ -z "$pids" ] && break
      sleep 0.05
    done
    pids=$(ip netns pids "$NS")
    if [ -n "$pids" ]; then
      echo "e2e-netns: killing what is left in the namespace: $pids" >&2
      # shellcheck disable=SC2086 # one PID per word
      kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$NS"
  fi
  if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then
    rm -rf "$W"
  else
    echo "e2e-netns: logs kept in $W (dns/nsd.log, nginx/error.log, out/)" >&2
  fi
}
trap teardown EXIT
trap 'echo "e2e-netns: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

mkdir -p "$W"/{pki,dns,nginx/tmp,www,out}

# ---------- the binary under test, built before entering the netns ----------
bin=${STSGATE:-}
if [ -z "$bin" ]; then
  bin=$W/stsgate
  go build -o "$bin" ./cmd/stsgate
  echo "e2e-netns: built $bin in $(elapsed)"
fi
t0=$(date +%s%N)

# ---------- throwaway CA and one leaf for every mta-sts host (ECDSA P-256) ----------
sans=""
for s in "${scenarios[@]}"; do
  read -r name _ <<<"$s"
  sans+="${sans:+,}DNS:mta-sts.$name.example.test"
done
(
  cd "$W/pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 31 \
    -subj "/CN=stsgate e2e throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout mta-sts.key -out mta-sts.csr \
    -subj "/CN=mta-sts.healthy.example.test" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' \
    "$sans" >mta-sts.ext
  # 30 days: more than the 14 days under which stsgate warns about expiry.
  openssl x509 -req -in mta-sts.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out mta-sts.crt -days 30 \
    -extfile mta-sts.ext 2>/dev/null
)

# ---------- configurations, from testdata/e2e ----------
sed "s|@W@|$W|g" "$e2e/nsd.conf.in" >"$W/dns/nsd.conf"
sed "s|@W@|$W|g" "$e2e/nginx.conf.in" >"$W/nginx/nginx.conf"
cp "$e2e/example.test.zone" "$W/dns/"
for s in "${scenarios[@]}"; do
  read -r name _ <<<"$s"
  src=$e2e/$name # the repository's policy is what is deployed, unless deployed/ says otherwise
  [ -d "$src/deployed" ] && src=$src/deployed
  mkdir -p "$W/www/$name/.well-known"
  cp "$src/.well-known/mta-sts.txt" "$W/www/$name/.well-known/"
done
nsd-checkconf "$W/dns/nsd.conf"
nginx -q -t -p "$W/nginx" -c "$W/nginx/nginx.conf" </dev/null >"$W/nginx/check.log" 2>&1 ||
  { cat "$W/nginx/check.log" >&2; exit 1; }

# ---------- the namespace and the servers (daemons never get our stdout) ----------
ip netns add "$NS"
ns_created=1
ip -n "$NS" link set lo up
"${X[@]}" nsd -c "$W/dns/nsd.conf" </dev/null >>"$W/dns/stdout.log" 2>&1
"${X[@]}" nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" </dev/null >>"$W/nginx/stdout.log" 2>&1 &
nginx_pid=$!
# shellcheck disable=SC2016 # expanded by the inner bash
"${X[@]}" bash -c 'for _ in $(seq 250); do
  (exec 3<>/dev/tcp/127.0.0.53/53 && exec 4<>/dev/tcp/127.0.0.1/443) 2>/dev/null && exit 0
  sleep 0.02; done; exit 1' || { echo "e2e-netns: servers not ready after 5 s" >&2; exit 1; }
echo "e2e-netns: servers ready in netns $NS after $(elapsed)"

# ---------- the scenarios ----------
failed=0
for s in "${scenarios[@]}"; do
  read -r name want required <<<"$s"
  domain=$name.example.test
  out=$W/out/$name.json
  got=0
  "${X[@]}" env SSL_CERT_FILE="$W/pki/ca.crt" timeout 30 "$bin" check \
    --dns-resolver 127.0.0.53:53 --dir "$e2e/$name" --domain "$domain" \
    --policy "$e2e/$name/.well-known/mta-sts.txt" --zone "$e2e/$name/dns/$domain.zone" --format json \
    </dev/null >"$out" 2>"$W/out/$name.stderr" || got=$?
  problems=()
  [ "$got" -eq "$want" ] || problems+=("exit $got, want $want")
  if codes=$(jq -r '[.diagnostics[]?.code] | unique | join(",")' "$out" 2>/dev/null); then
    if [ "$required" != - ]; then
      for code in ${required//,/ }; do
        # Reported about the live state (a subject, no repository file),
        # not by the lint of the repository.
        jq -e --arg c "$code" 'any(.diagnostics[]?; .code == $c and .file == null)' "$out" >/dev/null ||
          problems+=("no live $code")
      done
    fi
    if [[ ",$codes," == *",live-unverified,"* && ",$required," != *",live-unverified,"* ]]; then
      problems+=("unexpected live-unverified")
    fi
    if [ "$want" -eq 0 ]; then
      bad=$(jq -r '[.diagnostics[]? | select(.severity == "error" or .severity == "warning") | .code] | join(",")' "$out")
      [ -z "$bad" ] || problems+=("errors or warnings: $bad")
    fi
  else
    codes="?"
    problems+=("no JSON on stdout: $(sed -n 1p "$W/out/$name.stderr")")
  fi
  if [ ${#problems[@]} -eq 0 ]; then
    printf 'PASS %-16s exit %d  codes: %s\n' "$name" "$got" "${codes:-none}"
  else
    failed=$((failed + 1))
    printf 'FAIL %-16s exit %d  codes: %s  (%s)\n' "$name" "$got" "${codes:-none}" "$(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
    jq -r '.diagnostics[]? | "       \(.severity) \(.code): \(.message)"' "$out" 2>/dev/null || sed 's/^/       /' "$W/out/$name.stderr"
  fi
done

echo "e2e-netns: $((${#scenarios[@]} - failed)) of ${#scenarios[@]} scenarios passed in $(elapsed)"
[ "$failed" -eq 0 ] && status=0
exit "$status"
