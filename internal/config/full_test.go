package config

import (
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// cmpOpts compares netip values, whose fields are unexported.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
}

func TestParseFull(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/full.yml")
	if err != nil {
		t.Fatal(err)
	}
	got, diags := Parse(".github/stsgate.yml", src)
	if len(diags) != 0 {
		t.Fatalf("Parse(testdata/full.yml) diagnostics: %v", diags)
	}
	shared := []string{"reports/example.com/", "https://reports.example.net/all.json.gz"}
	want := Config{
		File: ".github/stsgate.yml",
		Domains: []Domain{
			{Name: "example.com", Pos: diag.Pos{Line: 4, Column: 13}, Policy: "site/.well-known/mta-sts.txt",
				Zone: "dns/example.com.zone", Reports: shared},
			{Name: "example.org", Pos: diag.Pos{Line: 8, Column: 13}, Policy: DefaultPolicy,
				Records: &Records{
					MTASTS: &Value{"v=STSv1; id=20261101T000000", diag.Pos{Line: 10, Column: 17}, true},
					TLSRPT: &Value{"v=TLSRPTv1; rua=mailto:tlsrpt@example.net", diag.Pos{Line: 11, Column: 17}, true},
					MX: []Value{
						{"mail.example.org", diag.Pos{Line: 12, Column: 12}, true},
						{"mx2.example.org.", diag.Pos{Line: 12, Column: 30}, true},
					},
				},
				Reports: shared},
			{Name: "xn--bcher-kva.example", Pos: diag.Pos{Line: 14, Column: 13}, Policy: DefaultPolicy,
				Records: &Records{MX: []Value{{".", diag.Pos{Line: 15, Column: 21}, true}}}},
		},
		ReportsTokenEnv: "TLSRPT_TOKEN",
		IMAPPasswordEnv: "TLSRPT_IMAP_PASSWORD",
		IMAPTokenEnv:    "TLSRPT_IMAP_TOKEN",
		CleanDays:       21,
		MinReportDays:   11,
		MaxReportLag:    36 * time.Hour,
		StaleDays:       45,
		SnoozeDays:      14,
		KnownSenders: []Sender{
			{Org: "Partner Mail Inc.", Pos: diag.Pos{Line: 22, Column: 5}},
			{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Pos: diag.Pos{Line: 23, Column: 5}},
			{Prefix: netip.MustParsePrefix("2001:db8::7/128"), Pos: diag.Pos{Line: 24, Column: 5}},
		},
		Ignore: []IgnoreRule{
			{ResultType: "validation-failure", Org: "Legacy Relay", Reason: "retired in Q1", Pos: diag.Pos{Line: 26, Column: 5}},
			{Prefix: netip.MustParsePrefix("203.0.113.7/32"), Reason: "known scanner", Pos: diag.Pos{Line: 27, Column: 5}},
			{MX: "mx3.example.com", Domain: "example.com", Reason: "decommissioned backup MX, still listed by some senders",
				Pos: diag.Pos{Line: 28, Column: 5}},
		},
		IssueLabel:    "mail/mta-sts",
		OverrideLabel: "mta-sts-override",
		Parallel:      8,
		DNSTimeout:    3 * time.Second,
		FetchTimeout:  90 * time.Second,
		ProbeMX:       ProbeOff,
		ProbeEHLOName: "runner1.example.com", UnsignedReports: UnsignedIgnore,
		TrustedAuthServIDs: []string{"mx.google.com", "mx.reports.example.net"},
	}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("Parse(testdata/full.yml) mismatch (-want +got):\n%s", diff)
	}
	if d, ok := got.Domain("EXAMPLE.org."); !ok || d.Name != "example.org" {
		t.Errorf("Domain(EXAMPLE.org.) = %v, %v; want the example.org entry", d.Name, ok)
	}
	if _, ok := got.Domain("example.net"); ok {
		t.Error("Domain(example.net) found an entry; want none")
	}
}

func TestParseEmpty(t *testing.T) {
	t.Parallel()
	want := Default()
	want.File = "c.yml"
	for _, src := range []string{"", "\n", "# only a comment\n# and another\n", "---\n", "~\n", "\uFEFF"} {
		got, diags := Parse("c.yml", []byte(src))
		if len(diags) != 0 {
			t.Errorf("Parse(%q) diagnostics: %v", src, diags)
		}
		if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", src, diff)
		}
	}
}

func TestDefault(t *testing.T) {
	t.Parallel()
	want := Config{
		CleanDays: 14, MinReportDays: 7, MaxReportLag: 72 * time.Hour, StaleDays: 30, SnoozeDays: 30,
		IssueLabel: "mta-sts", OverrideLabel: "mta-sts-override", Parallel: 32,
		DNSTimeout: 5 * time.Second, FetchTimeout: 60 * time.Second, ProbeMX: ProbeAuto, UnsignedReports: UnsignedCount,
	}
	if diff := cmp.Diff(want, Default(), cmpOpts); diff != "" {
		t.Errorf("Default() mismatch (-want +got):\n%s", diff)
	}
}
