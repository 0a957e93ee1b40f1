package config

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// project renders diagnostics as "line:col code" for compact comparisons.
func project(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%d:%d %s", d.Start.Line, d.Start.Column, d.Code))
	}
	return out
}

// diagCases are inputs with the diagnostics they must produce. The fuzz
// test uses them as seeds.
var diagCases = []struct {
	name string
	src  string
	want []string
}{
	// Unknown keys at every level.
	{"unknown top key", "clean_day: 3\n", []string{"1:1 config-unknown-key"}},
	{"unknown domain key", "domains:\n  - domain: example.com\n    polcy: p.txt\n", []string{"3:5 config-unknown-key"}},
	{"unknown records key", "domains:\n  - domain: example.com\n    records:\n      mxx: [mx.example.com]\n", []string{"4:7 config-unknown-key"}},
	{"unknown sender key", "known_senders:\n  - org: A\n    name: B\n", []string{"3:5 config-unknown-key"}},
	{"unknown ignore key", "ignore:\n  - {ip: 192.0.2.1, reason: r, why: w}\n", []string{"2:32 config-unknown-key"}},
	{"quoted merge key is a plain key", "\"<<\": {clean_days: 3}\n", []string{"1:2 config-unknown-key"}},

	// Wrong types.
	{"string for list", "domains:\n  - domain: example.com\n    reports: reports/\n", []string{"3:14 config-type"}},
	{"string for mx list", "domains:\n  - domain: example.com\n    records: {mx: mx.example.com}\n", []string{"3:19 config-type"}},
	{"quoted text for int", "clean_days: \"x\"\n", []string{"1:14 config-type"}},
	{"quoted number for int", "clean_days: \"14\"\n", []string{"1:14 config-type"}},
	{"float for int", "parallel: 1.5\n", []string{"1:11 config-type"}},
	{"hex for int", "parallel: 0x10\n", []string{"1:11 config-type"}},
	{"list for int", "stale_days: [1]\n", []string{"1:13 config-type"}},
	{"list for duration", "fetch_timeout: [1s]\n", []string{"1:16 config-type"}},
	{"mapping for string", "issue_label: {a: b}\n", []string{"1:14 config-type"}},
	{"top level list", "- domain: example.com\n", []string{"1:1 config-type"}},
	{"top level scalar", "hello\n", []string{"1:1 config-type"}},
	{"domains mapping", "domains:\n  domain: example.com\n", []string{"2:3 config-type"}},
	{"domain entry string", "domains:\n  - example.com\n", []string{"2:5 config-type"}},
	{"mapping key", "? [a]\n: b\n", []string{"1:3 config-type"}},

	// Bad values.
	{"clean_days zero", "clean_days: 0\n", []string{"1:13 config-value"}},
	{"clean_days negative", "clean_days: -3\n", []string{"1:13 config-value"}},
	{"clean_days too large", "clean_days: 366\n", []string{"1:13 config-value"}},
	{"clean_days huge", "clean_days: 99999999999999999999999\n", []string{"1:13 config-value"}},
	{"min_report_days over clean_days", "clean_days: 5\nmin_report_days: 6\n", []string{"2:18 config-value"}},
	{"min_report_days before clean_days", "min_report_days: 8\nclean_days: 7\n", []string{"1:18 config-value"}},
	{"min_report_days zero", "min_report_days: 0\n", []string{"1:18 config-value"}},
	{"parallel zero", "parallel: 0\n", []string{"1:11 config-value"}},
	{"parallel too many", "parallel: 257\n", []string{"1:11 config-value"}},
	{"snooze negative", "snooze_days: -1\n", []string{"1:14 config-value"}},
	{"bad duration unit", "max_report_lag: 3x\n", []string{"1:17 config-value"}},
	{"duration without unit", "fetch_timeout: 5\n", []string{"1:16 config-value"}},
	{"negative duration", "max_report_lag: -1d\n", []string{"1:17 config-value"}},
	{"negative go duration", "dns_timeout: -5s\n", []string{"1:14 config-value"}},
	{"zero duration", "dns_timeout: 0s\n", []string{"1:14 config-value"}},
	{"timeout over 10m", "dns_timeout: 11m\n", []string{"1:14 config-value"}},
	{"fetch timeout 1d", "fetch_timeout: 1d\n", []string{"1:16 config-value"}},
	{"empty duration", "dns_timeout: ''\n", []string{"1:15 config-value"}},
	{"CIDR host bits", "known_senders:\n  - ip: 198.51.100.7/24\n", []string{"2:9 config-value"}},
	{"bad IP", "known_senders:\n  - ip: 300.1.1.1\n", []string{"2:9 config-value"}},
	{"IP with zone", "known_senders:\n  - ip: fe80::1%eth0\n", []string{"2:9 config-value"}},
	{"bad ignore IP", "ignore:\n  - {ip: 2001:db8::/129, reason: r}\n", []string{"2:10 config-value"}},
	{"domain underscore", "domains:\n  - domain: exa_mple.com\n", []string{"2:13 config-value"}},
	{"domain single label", "domains:\n  - domain: localhost\n", []string{"2:13 config-value"}},
	{"domain U-label", "domains:\n  - domain: bücher.example\n", []string{"2:13 config-value"}},
	{"domain IP", "domains:\n  - domain: 192.0.2.1\n", []string{"2:13 config-value"}},
	{"domain empty label", "domains:\n  - domain: example..com\n", []string{"2:13 config-value"}},
	{"domain hyphen", "domains:\n  - domain: -x.example.com\n", []string{"2:13 config-value"}},
	{"domain numeric tld", "domains:\n  - domain: example.123\n", []string{"2:13 config-value"}},
	{"domain blank", "domains:\n  - domain: \"  \"\n", []string{"2:14 config-value"}},
	{"ignore mx invalid", "ignore:\n  - {mx: \"*.example.com\", reason: r}\n", []string{"2:11 config-value"}},
	{"unknown result type", "ignore:\n  - {result_type: validation-failur, reason: r}\n", []string{"2:19 config-value"}},
	{"duplicate domains", "domains:\n  - domain: example.com\n  - domain: EXAMPLE.com.\n", []string{"3:13 config-value"}},
	{"zone and records", "domains:\n  - domain: example.com\n    zone: z.zone\n    records: {mx: [a.example.com]}\n", []string{"4:5 config-value"}},
	{"http report", "domains:\n  - domain: example.com\n    reports: [\"http://r.example.net/a.json\"]\n", []string{"3:16 config-value"}},
	{"ftp report", "domains:\n  - domain: example.com\n    reports: [ftp://r.example.net/a]\n", []string{"3:15 config-value"}},
	{"https report with credentials", "domains:\n  - domain: example.com\n    reports: [\"https://u:p@r.example.net/\"]\n", []string{"3:16 config-value"}},
	{"https report without host", "domains:\n  - domain: example.com\n    reports: [\"https:///a\"]\n", []string{"3:16 config-value"}},
	{"report path escapes", "domains:\n  - domain: example.com\n    reports: [../other/]\n", []string{"3:15 config-value"}},
	{"report bad glob", "domains:\n  - domain: example.com\n    reports: [\"r/[a\"]\n", []string{"3:16 config-value"}},
	{"empty report item", "domains:\n  - domain: example.com\n    reports:\n      -\n      - r/\n", []string{"4:8 config-value"}},
	{"absolute policy", "domains:\n  - domain: example.com\n    policy: /etc/policy.txt\n", []string{"3:13 config-value"}},
	{"backslash zone", "domains:\n  - domain: example.com\n    zone: dns\\example.zone\n", []string{"3:11 config-value"}},
	{"label with comma", "issue_label: a,b\n", []string{"1:14 config-value"}},
	{"label too long", "issue_label: " + strings.Repeat("l", 51) + "\n", []string{"1:14 config-value"}},
	{"same labels", "issue_label: MTA-STS\noverride_label: mta-sts\n", []string{"2:17 config-value"}},
	{"token env with value", "reports_token_env: ghp_abc-123\n", []string{"1:20 config-value"}},
	{"control char escape", "issue_label: \"a\\x01\"\n", []string{"1:15 config-value"}},

	// Missing values and bad combinations.
	{"domain missing", "domains:\n  - policy: p.txt\n", []string{"2:5 config-missing"}},
	{"ignore without reason", "ignore:\n  - {org: A}\n", []string{"2:5 config-missing"}},
	{"ignore null reason", "ignore:\n  - org: A\n    reason:\n", []string{"2:5 config-missing"}},
	{"ignore without matcher", "ignore:\n  - reason: r\n", []string{"2:5 config-missing"}},
	{"ignore empty", "ignore:\n  - {}\n", []string{"2:5 config-missing", "2:5 config-missing"}},
	{"sender neither", "known_senders:\n  - {}\n", []string{"2:5 config-missing"}},
	{"sender both", "known_senders:\n  - org: A\n    ip: 192.0.2.1\n", []string{"3:5 config-value"}},

	// YAML structure.
	{"duplicate key", "clean_days: 3\nclean_days: 4\n", []string{"2:1 config-duplicate-key"}},
	{"syntax error", "domains:\n  - domain: example.com\n   policy: x\n", []string{"3:0 config-syntax"}},
	{"syntax error first line", "a: {b: c}}\n", []string{"1:0 config-syntax"}},
	{"unclosed quote", "issue_label: \"abc\n", []string{"1:0 config-syntax"}},
	{"two documents", "clean_days: 3\n---\nclean_days: 4\n", []string{"2:1 config-syntax"}},
	{"unknown anchor", "domains:\n  - domain: example.com\n    reports: *nope\n", []string{"3:14 config-syntax"}},
	{"invalid UTF-8", "issue_label: a\xffb\n", []string{"1:15 config-syntax"}},
	{"control character", "issue_label: a\x01b\n", []string{"1:15 config-syntax"}},
	{"UTF-16", "\xff\xfec\x00", []string{"1:1 config-syntax"}},
	{"merge into itself", "domains:\n  - &d {domain: example.com, <<: *d}\n", []string{"2:34 config-value"}},
	{"merge of scalar", "<<: 3\n", []string{"1:5 config-type"}},

	// Positions: byte columns after multi-byte characters, CRLF, a BOM,
	// and line breaks YAML counts that editors may not.
	{"column after UTF-8", "# é\nissue_label: {é: 1}\nparallel: 0 # é\n", []string{"2:14 config-type", "3:11 config-value"}},
	{"UTF-8 before value", "ignore: [{org: é, reason: ü, mx: bad}]\n", []string{"1:36 config-value"}},
	{"CRLF", "clean_days: 3\r\nparallel: 0\r\n", []string{"2:11 config-value"}},
	{"BOM", "\uFEFFparallel: 0\n", []string{"1:14 config-value"}},
	{"line separator in string", "issue_label: \"a\u2028b\"\nparallel: 0\n", []string{"2:11 config-value"}},
	{"line separator in comment", "# a\u2028b\nparallel: 0\n", []string{"2:0 config-syntax"}},
	{"bare CR", "clean_days: 3\rparallel: 0\n", []string{"1:14 config-bare-cr", "1:25 config-value"}},
	{"bare CR ends a comment", "clean_days: &a # c\r 0\n", []string{"1:19 config-bare-cr", "1:21 config-value"}},
	{"line separator ends a comment", "clean_days: &a # c\u2028 0\n", []string{"1:23 config-value"}},
	{"bare CRs before a syntax error", "clean_days: 3\rparallel: [\r\n", []string{"1:0 config-syntax", "1:14 config-bare-cr"}},

	// Several problems are all reported, and parsing goes on after each.
	{"many problems", "clean_days: 0\nparallel: x\ndomains:\n  - domain: a_b.example\n    polcy: p\n  - domain: example.com\n    zone: z\n    records: {}\nextra: 1\n",
		[]string{"1:13 config-value", "2:11 config-type", "4:13 config-value", "5:5 config-unknown-key", "8:5 config-value", "9:1 config-unknown-key"}},
	{"alias reported once", "known_senders:\n  - &s {ip: bad}\n  - *s\n  - *s\n", []string{"2:13 config-value"}},
}

func TestParseDiagnostics(t *testing.T) {
	t.Parallel()
	for _, tc := range diagCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, got := Parse("stsgate.yml", []byte(tc.src))
			if diff := cmp.Diff(tc.want, project(got)); diff != "" {
				t.Errorf("Parse(%q) diagnostics mismatch (-want +got):\n%s\n%v", tc.src, diff, got)
			}
			for _, d := range got {
				info, ok := diag.Lookup(d.Code)
				if !ok {
					t.Errorf("code %s is not in the catalog", d.Code)
				}
				if d.File != "stsgate.yml" || d.Message == "" || d.Hint == "" || d.Severity != info.Severity {
					t.Errorf("diagnostic %v: want File, Message, Hint and severity %s", d, info.Severity)
				}
			}
		})
	}
}
