package config

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

func TestMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		src       string
		message   string // a part of the first diagnostic's message
		hint      string // a part of its hint
		notInHint string
	}{
		{"suggest top key", "clean_day: 3\n", `unknown key "clean_day" in the top level`, `Did you mean "clean_days"? The keys allowed here are domains, reports_token_env, clean_days,`, ""},
		{"suggest with dash", "dns-timeout: 3s\n", `unknown key "dns-timeout"`, `Did you mean "dns_timeout"?`, ""},
		{"suggest domain key", "domains:\n  - domain: example.com\n    polcy: p\n", "in a domains entry", `Did you mean "policy"? The keys allowed here are domain, policy, zone, records, reports.`, ""},
		{"no suggestion", "zzz: 1\n", `unknown key "zzz"`, "The keys allowed here are", "Did you mean"},
		{"no suggestion for short key", "known_senders: [{mx: a.example}]\n", `unknown key "mx" in a known_senders entry`, "The keys allowed here are org, ip.", "Did you mean"},
		{"U-label", "domains: [{domain: bücher.example}]\n", "must be written as A-labels (xn--...)", "A-label", ""},
		{"http", "domains: [{domain: example.com, reports: ['http://r.example/x']}]\n", "only over https://", "https://", ""},
		{"url password", "domains: [{domain: example.com, reports: ['https://u:hunter2@r.example/x']}]\n", "holds credentials", "reports_token_env", "hunter2"},
		{"mailbox password", "domains: [{domain: example.com, reports: ['imaps://u:hunter2@mail.example/INBOX']}]\n", "holds a password", "imap_password_env", "hunter2"},
		{"mailbox user", "domains: [{domain: example.com, reports: ['imaps://mail.example/INBOX']}]\n", "names no user", "imaps://user@host/Mailbox", ""},
		{"mailbox query", "domains: [{domain: example.com, reports: ['imap://u@mail.example/INBOX?x=1']}]\n", "has a query or fragment", "imaps://user@host/Mailbox", ""},
		{"secret in env key", "imap_token_env: ya29.abc-def\n", "imap_token_env", "not the secret itself", ""},
		{"ftp", "domains: [{domain: example.com, reports: ['ftp://r.example/x']}]\n", "neither a repository path nor an https:// or imaps:// URL", "imaps://user@host/Mailbox", ""},
		{"result type typo", "ignore: [{result_type: sts-policy-invlid, reason: r}]\n", "not a TLS-RPT result type", `Did you mean "sts-policy-invalid"?`, ""},
		{"result type list", "ignore: [{result_type: other, reason: r}]\n", "not a TLS-RPT result type", "sts-webpki-invalid, no-policy-found.", "Did you mean"},
		{"duplicate domain", "domains:\n  - domain: example.com\n  - domain: example.com\n", "listed twice (first at line 2)", "Merge", ""},
		{"duplicate key", "parallel: 1\nparallel: 2\n", `key "parallel" is given twice (first at line 1)`, "Keep one", ""},
		{"host bits", "known_senders: [{ip: 192.0.2.9/24}]\n", "bits set after the prefix length", "192.0.2.0/24", ""},
		{"no unit", "dns_timeout: 5\n", "it has no unit (write 5d, 5h, 5m or 5s)", "1m30s", ""},
		{"range", "clean_days: 0\n", "clean_days is 0, outside 1..365", "or remove it to use the default 14.", ""},
		{"min_report_days hint", "min_report_days: 0\n", "min_report_days is 0, outside 1..365", "default (half of clean_days, rounded up).", ""},
		{"type", "clean_days: \"x\"\n", `clean_days must be a whole number, not the text "x"`, "whole number from 1 to 365", ""},
		{"list type", "domains:\n  - domain: example.com\n    reports: r/\n", `reports must be a list of values, not the text "r/"`, "even a single item goes in a list", ""},
		{"probe_mx", "probe_mx: sometimes\n", `probe_mx "sometimes" is not auto, on or off`, "GitHub-hosted runners, which block port 25", ""},
		{"probe_mx list", "probe_mx: [on]\n", "probe_mx must be auto, on or off, not a list", "probe_mx to auto", ""},
		{"probe_ehlo_name", "probe_ehlo_name: \"[192.0.2.1]\"\n", "probe_ehlo_name \"[192.0.2.1]\" is not a host name", "runner1.example.com", ""},
		{"unsigned_reports", "unsigned_reports: drop\n", "unsigned_reports \"drop\" is not count or ignore", "ignore (leave them out", ""},
		{"trusted_authserv_ids", "trusted_authserv_ids: [\"mx google\"]\n", "trusted_authserv_ids entry \"mx google\" is not a host name", "mx.google.com", ""},
		{"syntax", "a: {b: c}}\n", "not valid YAML: did not find expected key", "YAML syntax", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, diags := Parse("c.yml", []byte(tc.src))
			if len(diags) == 0 {
				t.Fatalf("Parse(%q) gave no diagnostics", tc.src)
			}
			i := slices.IndexFunc(diags, func(d diag.Diagnostic) bool { return strings.Contains(d.Message, tc.message) })
			if i < 0 {
				t.Fatalf("Parse(%q) gave %v; want a message containing %q", tc.src, diags, tc.message)
			}
			d := diags[i]
			// diag.New lower-cases the first letter and drops a final
			// period; compare the wording, not that form.
			if !strings.Contains(strings.ToLower(d.Hint), strings.ToLower(strings.TrimSuffix(tc.hint, "."))) {
				t.Errorf("Parse(%q) hint %q; want it to contain %q", tc.src, d.Hint, tc.hint)
			}
			if tc.notInHint != "" && (strings.Contains(d.Hint, tc.notInHint) || strings.Contains(d.Message, tc.notInHint)) {
				t.Errorf("Parse(%q) message %q, hint %q; want neither to contain %q", tc.src, d.Message, d.Hint, tc.notInHint)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	t.Parallel()
	src := "# " + strings.Repeat("x", MaxSize) + "\n"
	_, diags := Parse("c.yml", []byte(src))
	want := []string{"0:0 config-too-large"}
	if diff := cmp.Diff(want, project(diags)); diff != "" {
		t.Errorf("Parse(%d bytes) mismatch (-want +got):\n%s", len(src), diff)
	}
}

// TestAliasBomb checks that aliases expanding to far more nodes than the
// file holds stop the walk quickly with one diagnostic at an alias.
func TestAliasBomb(t *testing.T) {
	t.Parallel()
	var wide strings.Builder
	wide.WriteString("domains:\n  - &d {domain: example.com, reports: [" + strings.Repeat("r/, ", 2000) + "r/]}\n")
	for range 200 {
		wide.WriteString("  - *d\n")
	}
	var deep strings.Builder
	deep.WriteString("known_senders:\n  - &m0 {org: a}\n")
	for i := 1; i <= 9; i++ {
		prev := "*m" + string(rune('0'+i-1))
		deep.WriteString("  - &m" + string(rune('0'+i)) + " {<<: [" + strings.Repeat(prev+", ", 9) + prev + "]}\n")
	}
	for name, src := range map[string]string{"wide": wide.String(), "deep merges": deep.String()} {
		start := time.Now()
		_, diags := Parse("c.yml", []byte(src))
		if !diags.Has(diag.ConfigTooLarge) {
			t.Errorf("%s: Parse gave %v; want config-too-large", name, project(diags))
		}
		for _, d := range diags {
			if d.Code == diag.ConfigTooLarge && d.Start.Line < 2 {
				t.Errorf("%s: config-too-large at %v; want it at an alias", name, d.Start)
			}
		}
		if el := time.Since(start); el > 10*time.Second {
			t.Errorf("%s: Parse took %v", name, el)
		}
	}
}
