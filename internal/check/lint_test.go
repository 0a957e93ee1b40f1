package check

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/zone"
)

const (
	testingPolicy = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n"
	enforcePolicy = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 1209600\n"
	records       = "_mta-sts IN TXT \"v=STSv1; id=20261101T000000\"\n" +
		"_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.net\"\n" +
		"mta-sts IN CNAME example.github.io.\n"
	twoMX = "@ IN MX 10 mx1.example.com.\n@ IN MX 20 mx2.example.com.\n"
)

func declare(t *testing.T, src string) *zone.Declaration {
	t.Helper()
	// Diagnostics of the zone file itself are the zone package's; the
	// command adds them to Lint's.
	decl, _ := zone.ParseFile("example.com.zone", []byte(src), "example.com")
	return &decl
}

// short renders diagnostics as "file:line:col severity code".
func short(l diag.List) []string {
	l.Sort()
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%s:%d:%d %s %s", d.File, d.Start.Line, d.Start.Column, d.Severity, d.Code))
	}
	return out
}

func TestLint(t *testing.T) {
	t.Parallel()
	mode := func(p, m string) string { return strings.Replace(p, "mode: testing", "mode: "+m, 1) }
	tests := []struct {
		name   string
		policy string // "" for a missing file
		zone   string // "" for no DNS declaration
		want   []string
	}{
		{"healthy testing domain", testingPolicy, records + twoMX,
			[]string{"p.txt:2:1 notice policy-mode-testing"}},
		{"healthy enforce domain", enforcePolicy, records + twoMX, nil},
		{"no DNS declared", enforcePolicy, "",
			[]string{":0:0 notice dns-undeclared"}},
		{"policy file missing", "", records + twoMX,
			[]string{"p.txt:0:0 error file-unreadable"}},
		{"M1 trailing dot and case in DNS", enforcePolicy, records + "@ IN MX 10 MX1.Example.COM.\n@ IN MX 20 mx2.example.com.\n", nil},
		{"M2 wildcard covers", strings.Replace(enforcePolicy, "mx: mx1.example.com\nmx: mx2.example.com", "mx: *.example.com", 1), records + twoMX,
			[]string{"p.txt:3:5 warning policy-mx-wildcard"}},
		{"M3 wildcard does not cover the parent, testing", mode("version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 604800\n", "testing"), records + "@ IN MX 10 example.com.\n",
			[]string{"example.com.zone:4:1 warning mx-not-covered", "p.txt:2:1 notice policy-mode-testing", "p.txt:3:1 warning mx-pattern-stale", "p.txt:3:5 warning policy-mx-wildcard"}},
		{"M3 wildcard does not cover the parent, enforce", "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 1209600\n", records + "@ IN MX 10 example.com.\n",
			[]string{"example.com.zone:4:1 error mx-not-covered", "p.txt:3:1 warning mx-pattern-stale", "p.txt:3:5 warning policy-mx-wildcard"}},
		{"M4 wildcard covers one label only", "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 1209600\n", records + "@ IN MX 10 a.b.example.com.\n",
			[]string{"example.com.zone:4:1 error mx-not-covered", "p.txt:3:1 warning mx-pattern-stale", "p.txt:3:5 warning policy-mx-wildcard"}},
		{"M5 suffix is no match", "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 1209600\n", records + "@ IN MX 10 mx1.example.com.evil.net.\n",
			[]string{"example.com.zone:4:1 error mx-not-covered", "p.txt:3:1 warning mx-pattern-stale"}},
		{"M6 stale pattern", enforcePolicy, records + "@ IN MX 10 mx1.example.com.\n",
			[]string{"p.txt:4:1 warning mx-pattern-stale"}},
		{"M7 null MX with enforce", enforcePolicy, records + "@ IN MX 0 .\n",
			[]string{"example.com.zone:4:1 error mx-null", "p.txt:3:1 warning mx-pattern-stale", "p.txt:4:1 warning mx-pattern-stale"}},
		{"M8 backup MX not covered in enforce", enforcePolicy, records + twoMX + "@ IN MX 90 backup.example.net.\n",
			[]string{"example.com.zone:6:1 error mx-not-covered"}},
		{"mode none needs no coverage", "version: STSv1\nmode: none\nmax_age: 86400\n", records + twoMX, nil},
		{"no MX declared", enforcePolicy, records,
			[]string{"example.com.zone:0:0 warning mx-undeclared"}},
		{"no TLS-RPT record", enforcePolicy, "_mta-sts IN TXT \"v=STSv1; id=1\"\nmta-sts IN A 192.0.2.1\n" + twoMX,
			[]string{"example.com.zone:0:0 error tlsrpt-record-missing"}},
		{"R15 reports to the same domain in enforce", enforcePolicy, strings.Replace(records, "tlsrpt@example.net", "tlsrpt@example.com", 1) + twoMX,
			[]string{"example.com.zone:2:20 warning tlsrpt-rua-same-domain"}},
		{"R15 same domain in testing is fine", testingPolicy, strings.Replace(records, "tlsrpt@example.net", "tlsrpt@example.com", 1) + twoMX,
			[]string{"p.txt:2:1 notice policy-mode-testing"}},
		{"T17 delegated record", enforcePolicy, "_mta-sts IN CNAME _mta-sts.provider.example.\nmta-sts IN CNAME mta-sts.provider.example.\n_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:r@example.net\"\n" + twoMX,
			[]string{"example.com.zone:1:1 notice sts-record-delegated"}},
		{"T18 record at the apex", enforcePolicy, "@ IN TXT \"v=STSv1; id=1\"\n_smtp._tls IN TXT \"v=TLSRPTv1; rua=mailto:r@example.net\"\n" + twoMX,
			[]string{"example.com.zone:0:0 error sts-record-missing"}},
		{"record error mapped to its column", enforcePolicy, strings.Replace(records, "id=20261101T000000", "id=2026-11-01", 1) + twoMX,
			[]string{"example.com.zone:1:30 error sts-record-id-invalid"}},
		{"record of several strings maps to its line", enforcePolicy, strings.Replace(records, `"v=STSv1; id=20261101T000000"`, `"v=STSv1; " "id=2026-11-01"`, 1) + twoMX,
			[]string{"example.com.zone:1:0 error sts-record-id-invalid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := Repo{Domain: "example.com", PolicyFile: "p.txt"}
			if tc.policy != "" {
				r.Policy = []byte(tc.policy)
			}
			if tc.zone != "" {
				r.DNS = declare(t, tc.zone)
			}
			s := Lint(r)
			if diff := cmp.Diff(tc.want, short(s.Diags)); diff != "" {
				t.Errorf("Lint diagnostics mismatch (-want +got):\n%s", diff)
			}
			for _, d := range s.Diags {
				if d.Domain != "example.com" {
					t.Errorf("%s: domain %q, want example.com", d, d.Domain)
				}
			}
		})
	}
}

func TestLintState(t *testing.T) {
	t.Parallel()
	s := Lint(Repo{Domain: "example.com", PolicyFile: "p.txt", Policy: []byte(testingPolicy), DNS: declare(t, records+twoMX)})
	if s.Policy == nil || s.Policy.Mode != "testing" || s.Record == nil || s.Record.ID != "20261101T000000" || s.TLSRPT == nil {
		t.Fatalf("Lint state = %+v", s)
	}
	broken := Lint(Repo{Domain: "example.com", PolicyFile: "p.txt", Policy: []byte("mode: enforce\n")})
	if broken.Policy != nil {
		t.Errorf("Lint returned a policy with errors: %v", broken.Policy)
	}
}
