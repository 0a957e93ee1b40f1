#!/usr/bin/env bash
# End-to-end test of the built stsgate binary against a real IMAP server:
# dovecot (imaps on 127.0.0.1:993, STARTTLS required on :143, certificate
# for imap.example.test from a throwaway CA trusted through SSL_CERT_FILE)
# inside a private network namespace that has only "lo"; nginx on :8080
# answers dovecot's OAuth2 token introspection. Two mailboxes, filled
# with report mails made here from the repository's fixtures for the days
# before today: "reports" (a password) holds 16 clean days, "oauth" (an
# OAuth2 token) the same, a failing report and a clean one whose DKIM pass
# is forged (kept as "dkim":"fail" and warned of). stsgate collect writes
# their summaries into two policy repositories; stsgate gate then judges
# a flip to enforce against each. The configurations are in
# testdata/e2e-imap/.
#
# Needs root, dovecot-imapd, nginx-light, openssl, iproute2, jq and git
# (.ci/run installs them). STSGATE=path tests that binary instead of
# building one; KEEP=1 keeps the work directory (configurations, mail,
# repositories, logs, output).
#
#   scripts/e2e-imap.sh            # exit status 0 when every scenario passed
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
data=$repo/testdata/e2e-imap
umask 022
PATH=$PATH:/usr/sbin:/sbin # dovecot and nginx live there
export TZ=UTC0 LC_ALL=C    # dates as mail headers write them, with the shell's printf

t0=$(date +%s%N)
elapsed() { local ms=$((($(date +%s%N) - t0) / 1000000)); printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); }

if [ "$(id -u)" -ne 0 ]; then
  echo "e2e-imap: needs root (ip netns, ports 143 and 993)" >&2
  exit 2
fi
for cmd in dovecot doveconf nginx openssl ip jq git gzip base64 od sha256sum timeout; do
  command -v "$cmd" >/dev/null || { echo "e2e-imap: $cmd not found" >&2; exit 2; }
done

W=$(mktemp -d /tmp/stsgate-e2e-imap.XXXXXX)
chmod 755 "$W" # dovecot's mail processes (user mail) and nginx workers read below it
NS=stsgate-imap-$$
X=(ip netns exec "$NS")
dovecot_pid=""
nginx_pid=""
ns_created=""
made_netns_etc=""
status=1

# shellcheck disable=SC2317 # called by the EXIT trap
teardown() {
  local pids pid
  for pid in "$dovecot_pid" "$nginx_pid"; do
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  done
  if [ -n "$ns_created" ]; then
    for _ in $(seq 100); do
      pids=$(ip netns pids "$NS")
      [ -z "$pids" ] && break
      sleep 0.05
    done
    pids=$(ip netns pids "$NS")
    if [ -n "$pids" ]; then
      echo "e2e-imap: killing what is left in the namespace: $pids" >&2
      # shellcheck disable=SC2086 # one PID per word
      kill -KILL $pids 2>/dev/null || true
    fi
    ip netns del "$NS"
  fi
  rm -rf "/etc/netns/$NS"
  if [ -n "$made_netns_etc" ]; then rmdir /etc/netns 2>/dev/null || true; fi
  if [ "$status" -eq 0 ] && [ -z "${KEEP:-}" ]; then
    rm -rf "$W"
  else
    echo "e2e-imap: logs kept in $W (dovecot/dovecot.log, nginx/error.log, out/)" >&2
  fi
}
trap teardown EXIT
trap 'echo "e2e-imap: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

mkdir -p "$W"/{pki,dovecot,nginx/tmp,mail,msg,out,gen}

# ---------- the binary under test, built before entering the netns ----------
bin=${STSGATE:-}
if [ -z "$bin" ]; then
  bin=$W/stsgate
  go build -o "$bin" ./cmd/stsgate
  echo "e2e-imap: built $bin in $(elapsed)"
fi
t0=$(date +%s%N)

# The run's clock: every report, mail date and window is relative to it.
# Days are counted back from today's midnight (UTC).
now=$(date +%s)
printf -v asof '%(%Y-%m-%dT%H:%M:%SZ)T' "$now"
midnight=$((now - now % 86400))
days=16 # clean days of reports, the last one yesterday; clean_days is 14
day() { printf '%(%F)T\n' $((midnight - $1 * 86400)); } # day N: the date N days ago

# The secrets of the run; the output is searched for each of them.
password=pw-$(openssl rand -hex 12)
token=tok-$(openssl rand -hex 16)
wrong_password=wrong-pw-$(openssl rand -hex 8)
wrong_token=wrong-tok-$(openssl rand -hex 8)

# ---------- throwaway CA and the IMAP server's leaf (ECDSA P-256) ----------
(
  cd "$W/pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 31 \
    -subj "/CN=stsgate e2e-imap throwaway CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout imap.key -out imap.csr \
    -subj "/CN=imap.example.test" 2>/dev/null
  printf 'subjectAltName=DNS:imap.example.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' >imap.ext
  openssl x509 -req -in imap.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out imap.crt -days 30 \
    -extfile imap.ext 2>/dev/null
)

# ---------- report mails, made from the repository's fixtures ----------
# report_json DAY ORG ID SUCCESSFUL [RESULT-TYPE FAILED]: the Google report
# of the demo, moved to DAY, with another sender, id and counts.
report_json() {
  jq -c --arg day "$1" --arg org "$2" --arg id "$3" --argjson ok "$4" --arg type "${5:-}" --argjson failed "${6:-0}" '
    .["organization-name"] = $org | .["report-id"] = $id
    | .["date-range"] = {"start-datetime": ($day + "T00:00:00Z"), "end-datetime": ($day + "T23:59:59Z")}
    | .policies[0].summary = {"total-successful-session-count": $ok, "total-failure-session-count": $failed}
    | if $type == "" then . else .policies[0]["failure-details"] = [{"result-type": $type,
        "sending-mta-ip": "209.85.220.41", "receiving-mx-hostname": "mx1.example.com", "failed-session-count": $failed}] end' \
    "$repo/testdata/demo/reports/google/google.com!example.com!2026-11-13.json"
}

# le WIDTH N...: each N as WIDTH bytes, little-endian.
le() {
  local width=$1 v i out=""
  shift
  for v; do
    for ((i = 0; i < width; i++)); do
      printf -v out '%s\\x%02x' "$out" $(((v >> (8 * i)) & 255))
    done
  done
  # shellcheck disable=SC2059 # the format is the bytes
  printf "$out"
}

# zip_from_gzip NAME GZ: a zip archive (APPNOTE.TXT §4.3) holding one member
# NAME, deflated, made from the gzip stream GZ (written with -n: a 10-byte
# header), whose raw deflate data, CRC-32 and size a zip entry takes as
# they are; no zip tool needed.
zip_from_gzip() {
  local name=$1 gz=$2 crc usize csize n=${#1}
  read -r crc usize < <(tail -c 8 "$gz" | od -An -tu4 --endian=little)
  csize=$(($(stat -c %s "$gz") - 18))
  printf 'PK\3\4'; le 2 20 0 8 0 33; le 4 "$crc" "$csize" "$usize"; le 2 "$n" 0; printf %s "$name"
  tail -c +11 "$gz" | head -c "$csize"
  printf 'PK\1\2'; le 2 20 20 0 8 0 33; le 4 "$crc" "$csize" "$usize"; le 2 "$n" 0 0 0 0; le 4 0 0; printf %s "$name"
  printf 'PK\5\6'; le 2 0 0 1 1; le 4 $((46 + n)) $((30 + n + csize)); le 2 0
}

# report_mail FORMAT N ORG ID SUCCESSFUL [RESULT-TYPE FAILED]: writes the
# report mail for the day N days ago to $W/msg/ID.eml, sent the next
# morning: gzip (a Google-style multipart/report), zip (a zip attachment)
# or json (application/tlsrpt+json, not encoded).
report_mail() {
  local format=$1 start=$((midnight - $2 * 86400)) org=$3 id=$4 end day sent file body tpl
  end=$((start + 86399))
  printf -v day '%(%F)T' "$start"
  printf -v sent '%(%a, %d %b %Y %H:%M:%S +0000)T' $((end + 1 + 4 * 3600 + 12 * 60))
  report_json "$day" "$org" "$id" "${@:5}" >"$W/gen/$id.json"
  file="${org// /-}!example.com!$start!$end!$id.json"
  case $format in
    gzip) gzip -9n <"$W/gen/$id.json" | base64 -w 76 >"$W/gen/$id.b64"; file+=.gz ;;
    zip)
      gzip -9n <"$W/gen/$id.json" >"$W/gen/$id.gz"
      zip_from_gzip "$file" "$W/gen/$id.gz" | base64 -w 76 >"$W/gen/$id.b64"
      file=${file%.json}.zip ;;
    json | forged) cp "$W/gen/$id.json" "$W/gen/$id.b64" ;;
  esac
  body=$(<"$W/gen/$id.b64")
  tpl=$(<"$data/mail-$format.eml.in")
  tpl=${tpl//@BODY@/$body}
  tpl=${tpl//@FILE@/$file}
  tpl=${tpl//@ID@/$id}
  printf '%s\n' "${tpl//@DATE@/$sent}" >"$W/msg/$id.eml"
}

# deliver USER EML N: puts the mail into USER's Maildir, received N days
# ago (the file's mtime is the IMAP internal date that SEARCH SINCE
# reads), with no flags (":2,").
delivered=0
deliver() {
  local dir=$W/mail/$1 t=$((midnight - $3 * 86400 + 6 * 3600)) name
  mkdir -p "$dir"/{cur,new,tmp}
  delivered=$((delivered + 1))
  name=$dir/cur/$t.M${delivered}P$$.e2e:2,
  cp "$2" "$name"
  touch -d "@$t" "$name"
}

formats=(gzip zip json)
orgs=("Google Inc." "Example Mail Co" "Sender Example")
for ((i = days; i >= 1; i--)); do
  f=$((i % 3))
  printf -v id 'e2e-%(%F)T-%s' $((midnight - i * 86400)) "${formats[f]}"
  report_mail "${formats[f]}" "$i" "${orgs[f]}" "$id" $((200 + i))
  deliver reports "$W/msg/$id.eml" $((i - 1))
  deliver oauth "$W/msg/$id.eml" $((i - 1))
done
# Mail that holds no TLS-RPT report: a newsletter and a DMARC report.
for m in not-report dmarc; do
  deliver reports "$repo/internal/imapsource/testdata/$m.eml" 2
  deliver oauth "$repo/internal/imapsource/testdata/$m.eml" 2
done
# The failing report: certificate-expired three days ago, for "oauth" only.
report_mail gzip 3 "Google Inc." "e2e-$(day 3)-expired" 180 certificate-expired 4
deliver oauth "$W/msg/e2e-$(day 3)-expired.eml" 2
# A clean report whose DKIM pass only a header the receiving server did not
# write claims (forged.eml.in), for "oauth" only: counted, with a warning
# that the summary keeps (RFC 8460 §3, RFC 8601 §5).
report_mail forged 5 "Sender Example" "e2e-$(day 5)-forged" 150
deliver oauth "$W/msg/e2e-$(day 5)-forged.eml" 4
chown -R mail:mail "$W/mail"
mailbox_files() { (cd "$W/mail" && find . -path '*/cur/*' -o -path '*/new/*' | sort); }
mailbox_files >"$W/out/mailbox-before.txt"
echo "e2e-imap: $(grep -c . "$W/out/mailbox-before.txt") mails in two mailboxes, for $(day "$days") to $(day 1), made in $(elapsed)"

# ---------- configurations, from testdata/e2e-imap ----------
sed "s|@W@|$W|g" "$data/dovecot.conf.in" >"$W/dovecot/dovecot.conf"
sed "s|@W@|$W|g" "$data/oauth2.conf.ext.in" >"$W/dovecot/oauth2.conf.ext"
sed -e "s|@W@|$W|g" -e "s|@TOKEN@|$token|g" "$data/nginx-oauth2.conf.in" >"$W/nginx/nginx.conf"
printf 'reports:{PLAIN}%s\n' "$password" >"$W/dovecot/passwd"
chgrp dovecot "$W/dovecot/passwd"
chmod 640 "$W/dovecot/passwd"
doveconf -c "$W/dovecot/dovecot.conf" -n >"$W/dovecot/check.log" 2>&1 || { cat "$W/dovecot/check.log" >&2; exit 1; }
nginx -q -t -p "$W/nginx" -c "$W/nginx/nginx.conf" </dev/null >"$W/nginx/check.log" 2>&1 ||
  { cat "$W/nginx/check.log" >&2; exit 1; }
# imap.example.test resolves to 127.0.0.1 in the namespace only: ip netns
# exec mounts /etc/netns/NS/hosts over /etc/hosts.
[ -d /etc/netns ] || made_netns_etc=1
mkdir -p "/etc/netns/$NS"
printf '127.0.0.1 localhost imap.example.test\n' >"/etc/netns/$NS/hosts"

# ---------- the namespace and the servers (daemons never get our stdout) ----------
ip netns add "$NS"
ns_created=1
ip -n "$NS" link set lo up
"${X[@]}" nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" </dev/null >>"$W/nginx/stdout.log" 2>&1 &
nginx_pid=$!
"${X[@]}" dovecot -F -c "$W/dovecot/dovecot.conf" </dev/null >>"$W/dovecot/stdout.log" 2>&1 &
dovecot_pid=$!
# shellcheck disable=SC2016 # expanded by the inner bash
"${X[@]}" bash -c 'for _ in $(seq 250); do
  (exec 3<>/dev/tcp/127.0.0.1/993 && exec 4<>/dev/tcp/127.0.0.1/143 && exec 5<>/dev/tcp/127.0.0.1/8080) 2>/dev/null && exit 0
  sleep 0.02; done; exit 1' || { echo "e2e-imap: servers not ready after 5 s" >&2; exit 1; }
echo "e2e-imap: dovecot $(dovecot --version | cut -d' ' -f1) and nginx ready in netns $NS after $(elapsed)"

# ---------- running stsgate, judging a scenario ----------
# sts NAME [VAR=VALUE]... ARGS...: runs stsgate ARGS in the namespace with
# only the environment given (and PATH, SSL_CERT_FILE, git's settings);
# stdout and stderr go to $W/out/NAME.{out,err}, the exit status to $got.
sts() {
  local name=$1 envs=()
  shift
  while [[ $1 == *=* ]]; do envs+=("$1"); shift; done
  got=0
  "${X[@]}" env -i PATH="$PATH" SSL_CERT_FILE="$W/pki/ca.crt" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
    "${envs[@]}" timeout 30 "$bin" "$@" </dev/null >"$W/out/$name.out" 2>"$W/out/$name.err" || got=$?
}

failed=0
total=0
problems=()
# want COND MESSAGE: a problem when the test COND (a command) fails.
want() { "${@:1:$#-1}" >/dev/null 2>&1 || problems+=("${*: -1}"); }
# verdict NAME [DETAIL]: PASS or FAIL for the scenario just run (the
# output of the last stsgate run is shown under a FAIL).
verdict() {
  total=$((total + 1))
  if [ ${#problems[@]} -eq 0 ]; then
    printf 'PASS %-18s exit %d  %s\n' "$1" "$got" "${2:-}"
  else
    failed=$((failed + 1))
    printf 'FAIL %-18s exit %d  %s (%s)\n' "$1" "$got" "${2:-}" "$(printf '%s; ' "${problems[@]}" | sed 's/; $//')"
    cat "$W/out/$1.out" "$W/out/$1.err" 2>/dev/null | sed 's/^/       /'
  fi
  problems=()
}
# no_secrets NAME: a problem for every secret of the run in NAME's output.
no_secrets() {
  local s
  for s in "$password" "$token" "$wrong_password" "$wrong_token"; do
    if grep -qF -- "$s" "$W/out/$1.out" "$W/out/$1.err"; then problems+=("a secret is in the output"); fi
  done
}
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0r sha256sum); }
# shellcheck disable=SC2317 # called by want
is() { [ "$1" = "$2" ]; }

# The months the reports cover: one summary file each.
months=$(for ((i = days; i >= 1; i--)); do day "$i" | cut -c1-7; done | sort -u)
expected_files=$(for m in $months; do echo "./example.com/$m.json"; done)
nmonths=$(echo "$months" | grep -c .)
plural() { if [ "$1" -eq 1 ]; then echo "$1 $2"; else echo "$1 ${2}s"; fi; }

# make_repo CONFIG [NAME]: testdata/e2e-imap/repo with the configuration
# in testdata/e2e-imap/CONFIG, as $W/NAME (default CONFIG).
make_repo() {
  local dir=$W/${2:-$1}
  mkdir -p "$dir"
  cp -r "$data/repo/." "$data/$1/." "$dir/"
}
make_repo password
make_repo token
pw_sum=$W/password/reports/summary

# ---------- the scenarios ----------
# 1. collect over imaps:// (a SOURCE argument) into a repository without
# summaries.
sts collect-imaps E2E_IMAP_PASSWORD="$password" collect --dir "$W/password" --as-of "$asof" \
  imaps://reports@imap.example.test/INBOX
want is "$got" 0 "exit $got, want 0"
want grep -qx "collect: $(plural "$days" report) new, $(plural "$nmonths" month) changed" "$W/out/collect-imaps.err" "no line saying $days reports new"
want is "$( (cd "$pw_sum" 2>/dev/null && find . -type f | sort))" "$expected_files" "summary files are not ${expected_files//$'\n'/ }"
want grep -q 'imaps://reports@imap.example.test/INBOX holds 2 mails without a TLS-RPT report.*\[report-mail-skipped\]' "$W/out/collect-imaps.out" "no report-mail-skipped notice for 2 mails"
want grep -q 'imap-login: Info: Login: user=<reports>, method=PLAIN, .*, lport=993, .*, TLS' "$W/dovecot/dovecot.log" "no PLAIN login over TLS in dovecot.log"
no_secrets collect-imaps
verdict collect-imaps "$(grep '^collect: .* new' "$W/out/collect-imaps.err" || true)"
sums "$pw_sum" >"$W/out/summaries-first.txt"

# 2. collect again, from the sources of the configuration (the summaries
# and the mailbox): nothing new, no file changed.
sts collect-again E2E_IMAP_PASSWORD="$password" collect --dir "$W/password" --as-of "$asof"
want is "$got" 0 "exit $got, want 0"
want grep -qx "collect: 0 reports new, 0 months changed" "$W/out/collect-again.err" "no line saying 0 reports new"
want cmp -s "$W/out/summaries-first.txt" <(sums "$pw_sum") "a summary file changed"
verdict collect-again "$(grep '^collect: .* new' "$W/out/collect-again.err" || true)"

# 3. imap:// (STARTTLS), into a directory of its own: the same files, byte
# for byte.
sts collect-starttls E2E_IMAP_PASSWORD="$password" collect --dir "$W/password" --as-of "$asof" \
  --out "$W/starttls-summary" imap://reports@imap.example.test/INBOX
want is "$got" 0 "exit $got, want 0"
want diff -r "$pw_sum" "$W/starttls-summary" "the summaries differ from those read over imaps"
want grep -q 'imap-login: Info: Login: user=<reports>, method=PLAIN, .*, lport=143, .*, TLS' "$W/dovecot/dovecot.log" "no login on port 143 over TLS in dovecot.log"
no_secrets collect-starttls
verdict collect-starttls "$(grep '^collect: .* new' "$W/out/collect-starttls.err" || true)"

# 4. An OAuth2 access token (dovecot's oauth2 passdb asks nginx): the
# mailbox with the failing report.
sts collect-token E2E_IMAP_TOKEN="$token" collect --dir "$W/token" --as-of "$asof" \
  imaps://oauth@imap.example.test/INBOX
want is "$got" 0 "exit $got, want 0"
want grep -qx "collect: $(plural $((days + 2)) report) new, $(plural "$nmonths" month) changed" "$W/out/collect-token.err" "no line saying $((days + 2)) reports new"
want grep -q 'report-dkim-failed' "$W/out/collect-token.out" "no report-dkim-failed warning for the forged mail"
want grep -rq "\"id\":\"e2e-$(day 5)-forged\".*\"dkim\":\"fail\"" "$W/token/reports/summary" "the summary does not keep the forged mail's DKIM verdict"
mech=$(sed -n 's/.*Login: user=<oauth>, method=\([A-Z0-9]*\),.*/\1/p' "$W/dovecot/dovecot.log" | head -n 1)
want test -n "$mech" "no login of oauth in dovecot.log"
no_secrets collect-token
verdict collect-token "$(grep '^collect: .* new' "$W/out/collect-token.err" || true), SASL ${mech:-?}"

# 5. The first run of the setup docs/action.md describes: the
# configuration names the summary directory, which does not exist yet,
# and the mailbox.
make_repo password first-run
sts collect-first-run E2E_IMAP_PASSWORD="$password" collect --dir "$W/first-run" --as-of "$asof" --dry-run
want is "$got" 0 "exit $got, want 0"
want is "$(sed -n 's|^collect: would write .*/reports/summary/|./|p' "$W/out/collect-first-run.err")" "$expected_files" "does not say it would write ${expected_files//$'\n'/ }"
verdict collect-first-run "$(grep '^collect: .* new' "$W/out/collect-first-run.err" || true)"

# 6. A wrong password: one error naming the mailbox, exit 3 (could not
# evaluate), no secret shown, and no summary changed.
sts wrong-password E2E_IMAP_PASSWORD="$wrong_password" collect --dir "$W/password" --as-of "$asof"
want is "$got" 3 "exit $got, want 3"
want is "$(grep -c 'report-fetch-failed' "$W/out/wrong-password.out")" 1 "not one report-fetch-failed"
want grep -q '^imaps://reports@imap.example.test/INBOX: error: .*\[report-fetch-failed\]' "$W/out/wrong-password.out" "the error does not name the mailbox"
want cmp -s "$W/out/summaries-first.txt" <(sums "$pw_sum") "a summary file changed"
no_secrets wrong-password
verdict wrong-password "$(grep -o 'report-fetch-failed' "$W/out/wrong-password.out" | head -n 1)"

# 7. A token the introspection endpoint says is not active.
sts wrong-token E2E_IMAP_TOKEN="$wrong_token" collect --dir "$W/token" --as-of "$asof" --dry-run
want is "$got" 3 "exit $got, want 3"
want grep -q '^imaps://oauth@imap.example.test/INBOX: error: .*invalid_token.*\[report-fetch-failed\]' "$W/out/wrong-token.out" "no report-fetch-failed naming the mailbox and the token's status"
want grep -q '^ *fix: renew the OAuth2 access token' "$W/out/wrong-token.out" "the fix does not say to renew the token"
no_secrets wrong-token
verdict wrong-token "$(grep -o 'report-fetch-failed' "$W/out/wrong-token.out" | head -n 1)"

# 8. The mailboxes as they were: same files and flags (Maildir keeps the
# flags in the file name), and no change in dovecot's mail_log.
got=0
mailbox_files >"$W/out/mailbox-after.txt"
want cmp -s "$W/out/mailbox-before.txt" "$W/out/mailbox-after.txt" "a mail was moved, deleted or flagged"
changes=$(grep -E ': (delete|undelete|expunge|copy|flag_change|save|mailbox_delete|mailbox_rename)' "$W/dovecot/dovecot.log" || true)
want test -z "$changes" "dovecot's mail_log shows changes: $(echo "$changes" | head -n 1)"
verdict mailbox-untouched "$(grep -c . "$W/out/mailbox-after.txt") mails, no flag changes"

# gate SCENARIO REPO: commits the repository REPO with its summaries as
# the base (main), flips it to enforce with a new id in the working tree,
# and runs the gate with no secret, as on a pull request.
gate() {
  (
    cd "$W/$2"
    export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=e2e GIT_AUTHOR_EMAIL=e2e@example.test \
      GIT_COMMITTER_NAME=e2e GIT_COMMITTER_EMAIL=e2e@example.test
    git init -q -b main
    git add .
    git commit -q -m "base: testing, with the summaries collected"
    git switch -q -c flip
  )
  cp -r "$data/flip/." "$W/$2/"
  sts "$1" gate --base main --offline --dir "$W/$2" --as-of "$asof"
}

# 9. The gate on the summaries of 16 clean days: the flip passes.
gate gate-clean password
want is "$got" 0 "exit $got, want 0"
want grep -q "example.com: clean: $days clean days through $(day 1) (need 14)" "$W/out/gate-clean.out" "the window is not $days clean days through $(day 1)"
verdict gate-clean "$(grep -o 'verdict: .*' "$W/out/gate-clean.out" || true)"

# 10. The gate on the summaries with the failing report: the flip fails.
gate gate-dirty token
want is "$got" 1 "exit $got, want 1"
want grep -q 'streak-short.*\[gate-enforce-unproven\]' "$W/out/gate-dirty.out" "no gate-enforce-unproven for a short streak"
want grep -q 'were collected from mails without a DKIM pass.*\[report-dkim-failed\]' "$W/out/gate-dirty.out" "the gate does not warn of the forged report in the summary"
verdict gate-dirty "$(grep -o 'gate-enforce-unproven' "$W/out/gate-dirty.out" | head -n 1)"

echo "e2e-imap: $((total - failed)) of $total scenarios passed in $(elapsed)"
[ "$failed" -eq 0 ] && status=0
exit "$status"
