#!/usr/bin/env bash
# End-to-end test of stsgate check --probe-mx (issue 16) against real mail
# servers: Debian's exim4-daemon-light listening on port 25 of five loopback
# addresses, and nsd (authoritative for probe.test on 127.0.0.53:53) naming
# them as the MX hosts of probe.test, inside a private network namespace
# that has only "lo". The certificates come from a throwaway CA trusted
# through SSL_CERT_FILE. Each MX host must give exactly its TLS-RPT result
# type (RFC 8460 §4.3), and the good one none:
#
#   good.probe.test       127.0.0.21  a certificate for its name            -
#   wrong.probe.test      127.0.0.22  a certificate for mail.other.test     certificate-host-mismatch
#   expired.probe.test    127.0.0.23  a certificate that expired            certificate-expired
#   untrusted.probe.test  127.0.0.24  a certificate from an unknown CA      certificate-not-trusted
#   plain.probe.test      127.0.0.25  no STARTTLS                           starttls-not-supported
#
# Two hosts have TLSA records (RFC 7672), added to the zone once the keys
# exist: good.probe.test's names its own key (probe-mx-dane-match), and
# wrong.probe.test's names good's key (probe-mx-dane-mismatch).
#
# The repository is testdata/e2e-smtp/repo (an enforce policy); the
# configurations are in testdata/e2e-smtp. No policy host is served: the
# live check's findings about it are not what this test looks at.
#
# A second run checks blocked.probe.test, whose two MX hosts sit behind a
# veth link with static neighbour entries for MAC addresses nobody has: the
# SYNs vanish, as where outbound port 25 is blocked (GitHub-hosted
# runners). It must give exactly one probe-port25-blocked notice and no
# other probe finding, after one connect timeout (10 s).
#
# Needs root, exim4-daemon-light, nsd, openssl, iproute2 and jq (.ci/run
# installs them). STSGATE=path tests that binary instead of building one;
# KEEP=1 keeps the work directory (configurations, logs, JSON output).
#
#   scripts/e2e-smtp.sh            # exit status 0 when every MX host gave its result
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
e2e=$repo/testdata/e2e-smtp
umask 022
PATH=$PATH:/usr/sbin:/sbin # nsd and exim live there

# MX host, address, certificate kind, expected result type ("-": passes).
hosts=(
  "good      127.0.0.21 good      probe-mx-dane-match"
  "wrong     127.0.0.22 wrong     certificate-host-mismatch,probe-mx-dane-mismatch"
  "expired   127.0.0.23 expired   certificate-expired"
  "untrusted 127.0.0.24 untrusted certificate-not-trusted"
  "plain     127.0.0.25 none      starttls-not-supported"
)

t0=$(date +%s%N)
elapsed() { local ms=$((($(date +%s%N) - t0) / 1000000)); printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); }

if [ "$(id -u)" -ne 0 ]; then
  echo "e2e-smtp: needs root (ip netns, ports 25 and 53)" >&2
  exit 2
fi
for cmd in nsd nsd-checkconf exim4 openssl ip jq timeout; do
  command -v "$cmd" >/dev/null || { echo "e2e-smtp: $cmd not found" >&2; exit 2; }
done

W=$(mktemp -d /tmp/stsgate-e2e-smtp.XXXXXX)
chmod 755 "$W" # exim's receiving process runs as Debian-exim and reads $W/pki
NS=stsgate-e2e-smtp-$$
X=(ip netns exec "$NS")
exim_pid=""
ns_created=""
status=1

# shellcheck disable=SC2317 # called by the EXIT trap
teardown() {
  local pids
  if [ -s "$W/dns/nsd.pid" ]; then kill "$(cat "$W/dns/nsd.pid")" 2>/dev/null || true; fi
  if [ -n "$exim_pid" ]; then kill "$exim_pid" 2>/dev/null || true; wait "$exim_pid" 2>/dev/null || true; fi
  if [ -n "$ns_created" ]; then
    for _ in $(seq 100); do
      pids=$(ip netns pids "$NS")
      [ -z "$pids" ] && break
      sleep 0.05
    done
    pids=$(ip netns pids "$NS")
    if [ -n "$pids" ]; then
      echo "e2e-smtp: killing what is left in the namespace: $pids" >&2
      # shellcheck disable=SC2086 # one PID per word
      kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$NS"
  fi
  if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then
    rm -rf "$W"
  else
    echo "e2e-smtp: logs kept in $W (dns/nsd.log, exim/log/, out/)" >&2
  fi
}
trap teardown EXIT
trap 'echo "e2e-smtp: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

mkdir -p "$W"/{pki/db,dns,exim/spool,exim/log,out}
chown -R Debian-exim:Debian-exim "$W/exim"

# ---------- the binary under test, built before entering the netns ----------
bin=${STSGATE:-}
if [ -z "$bin" ]; then
  bin=$W/stsgate
  go build -o "$bin" ./cmd/stsgate
  echo "e2e-smtp: built $bin in $(elapsed)"
fi
t0=$(date +%s%N)

# ---------- certificates (ECDSA P-256) ----------
# openssl ca, because it sets both ends of the validity period: the CA is
# valid from two years ago, so that a certificate that expired last year
# still chains to it and fails for its date alone.
stamp() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
cat >"$W/pki/ca.cnf" <<EOF
[ca]
default_ca = throwaway
[throwaway]
dir = $W/pki
database = $W/pki/db/index.txt
new_certs_dir = $W/pki/db
serial = $W/pki/db/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[leaf_ext]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
keyUsage = critical,digitalSignature
subjectAltName = \${ENV::SAN}
EOF
: >"$W/pki/db/index.txt"
echo 01 >"$W/pki/db/serial"
# sign NAME CA SAN START END: a key and certificate NAME.{key,crt} issued by
# CA (ca or other) for SAN, valid from START to END (date -d syntax).
sign() {
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -out "$1.csr" \
    -subj "/CN=${3#DNS:}" 2>/dev/null
  SAN=$3 openssl ca -batch -notext -config ca.cnf -name throwaway -cert "$2.crt" -keyfile "$2.key" \
    -in "$1.csr" -out "$1.crt" -extensions leaf_ext -startdate "$(stamp "$4")" -enddate "$(stamp "$5")" 2>/dev/null
}
(
  cd "$W/pki"
  for ca in ca other; do
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $ca.key -out $ca.csr \
      -subj "/CN=stsgate e2e-smtp $ca CA" 2>/dev/null
    SAN=DNS:unused openssl ca -batch -notext -selfsign -config ca.cnf -name throwaway -keyfile $ca.key \
      -in $ca.csr -out $ca.crt -extensions ca_ext -startdate "$(stamp '2 years ago')" -enddate "$(stamp '+31 days')" 2>/dev/null
  done
  sign good ca DNS:good.probe.test '1 day ago' '+30 days'
  sign wrong ca DNS:mail.other.test '1 day ago' '+30 days'
  sign expired ca DNS:expired.probe.test '13 months ago' '1 month ago'
  sign untrusted other DNS:untrusted.probe.test '1 day ago' '+30 days'
  for h in "${hosts[@]}"; do
    read -r _ addr kind _ <<<"$h"
    [ "$kind" = none ] && continue
    cp "$kind.crt" "$addr.crt"
    cp "$kind.key" "$addr.key"
    chmod 644 "$addr.key" # throwaway keys; exim reads them as Debian-exim
  done
)

# ---------- configurations, from testdata/e2e-smtp ----------
sed "s|@W@|$W|g" "$e2e/nsd.conf.in" >"$W/dns/nsd.conf"
sed "s|@W@|$W|g" "$e2e/exim.conf.in" >"$W/exim/exim.conf"
cp "$e2e/probe.test.zone" "$W/dns/"
spki=$(openssl x509 -in "$W/pki/good.crt" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)
printf '_25._tcp.%s IN TLSA 3 1 1 %s\n' good "$spki" wrong "$spki" >>"$W/dns/probe.test.zone"
nsd-checkconf "$W/dns/nsd.conf"
exim4 -C "$W/exim/exim.conf" -bV >"$W/exim/check.log" 2>&1 || { cat "$W/exim/check.log" >&2; exit 1; }

# ---------- the namespace and the servers (daemons never get our stdout) ----------
ip netns add "$NS"
ns_created=1
ip -n "$NS" link set lo up
ip -n "$NS" link add stsgate0 type veth peer name stsgate1
ip -n "$NS" addr add 10.9.0.1/24 dev stsgate0
ip -n "$NS" link set stsgate0 up
ip -n "$NS" link set stsgate1 up
for a in 2 3; do ip -n "$NS" neigh add "10.9.0.$a" lladdr "02:00:00:00:00:0$a" dev stsgate0; done
"${X[@]}" nsd -c "$W/dns/nsd.conf" </dev/null >>"$W/dns/stdout.log" 2>&1
"${X[@]}" exim4 -C "$W/exim/exim.conf" -bdf </dev/null >>"$W/exim/stdout.log" 2>&1 &
exim_pid=$!
# shellcheck disable=SC2016 # expanded by the inner bash
"${X[@]}" bash -c 'for _ in $(seq 250); do
  (exec 3<>/dev/tcp/127.0.0.53/53 && exec 4<>/dev/tcp/127.0.0.21/25 && exec 5<>/dev/tcp/127.0.0.25/25) 2>/dev/null && exit 0
  sleep 0.02; done; exit 1' || { echo "e2e-smtp: servers not ready after 5 s" >&2; exit 1; }
echo "e2e-smtp: servers ready in netns $NS after $(elapsed)"

# ---------- the probe ----------
out=$W/out/check.json
got=0
"${X[@]}" env SSL_CERT_FILE="$W/pki/ca.crt" timeout 60 "$bin" check --probe-mx \
  --dns-resolver 127.0.0.53:53 --dir "$e2e/repo" --domain probe.test \
  --policy "$e2e/repo/.well-known/mta-sts.txt" --zone "$e2e/repo/dns/probe.test.zone" --format json \
  </dev/null >"$out" 2>"$W/out/check.stderr" || got=$?
if ! jq -e . "$out" >/dev/null 2>&1; then
  echo "FAIL no JSON on stdout (exit $got): $(sed -n 1p "$W/out/check.stderr")"
  exit 1
fi
failed=0
for h in "${hosts[@]}"; do
  read -r name _ _ want <<<"$h"
  host=$name.probe.test
  # What the probe said about the host: its codes, and the result type in
  # the message of each probe-mx-would-fail.
  said=$(jq -r --arg s "MX $host" '[.diagnostics[]? | select(.subject == $s and (.code | startswith("probe-")))
    | if .code == "probe-mx-would-fail" then (.message | capture("report(s show)? (?<t>[a-z-]+)\\)").t) else .code end] | join(",")' "$out")
  if [ "$said" = "${want#-}" ]; then
    printf 'PASS %-22s %s\n' "$host" "${said:-delivers}"
  else
    failed=$((failed + 1))
    printf 'FAIL %-22s got "%s", want "%s"\n' "$host" "$said" "${want#-}"
  fi
done
if jq -e 'any(.diagnostics[]?; .code == "probe-port25-blocked")' "$out" >/dev/null; then
  failed=$((failed + 1))
  echo "FAIL port 25 reported as blocked"
fi
# The failures are errors under an enforce policy: exit 1.
[ "$got" -eq 1 ] || { failed=$((failed + 1)); echo "FAIL exit $got, want 1"; }
if [ "$failed" -ne 0 ]; then
  jq -r '.diagnostics[]? | "       \(.severity) \(.code) \(.subject // ""): \(.message)"' "$out"
fi

# ---------- port 25 blocked on the way ----------
out=$W/out/blocked.json
got=0
"${X[@]}" env SSL_CERT_FILE="$W/pki/ca.crt" timeout 60 "$bin" check --probe-mx \
  --dns-resolver 127.0.0.53:53 --dir "$e2e/blocked" --domain blocked.probe.test \
  --policy "$e2e/blocked/.well-known/mta-sts.txt" --format json \
  </dev/null >"$out" 2>"$W/out/blocked.stderr" || got=$?
said=$(jq -r '[.diagnostics[]? | select(.code | startswith("probe-")) | .code] | join(",")' "$out" 2>/dev/null || echo "no JSON")
if [ "$said" = probe-port25-blocked ]; then
  printf 'PASS %-22s %s\n' "port 25 blocked" "$said"
else
  failed=$((failed + 1))
  printf 'FAIL %-22s got "%s", want "probe-port25-blocked" (exit %d)\n' "port 25 blocked" "$said" "$got"
fi

echo "e2e-smtp: $((${#hosts[@]} + 1 - failed)) of $((${#hosts[@]} + 1)) cases as expected in $(elapsed)"
[ "$failed" -eq 0 ] && status=0
exit "$status"
