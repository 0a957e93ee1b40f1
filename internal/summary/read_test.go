package summary

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// TestDecodeRoundTrip checks that every report comes back from its
// summary as it went in, but for its source.
func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, r := range append(fixtureReports(t), generated(11, 300)...) {
		var s Set
		if !s.Add(r) {
			if len(domains(&r)) == 0 {
				continue // no domain: no document to go in
			}
			t.Fatalf("Add(%s) changed nothing in an empty set", r.Key)
		}
		id := s.Changed()[0]
		var got []tlsrpt.Report
		dl := Decode("x.json", s.Render(id), tlsrpt.Limits{}, func(r tlsrpt.Report) { got = append(got, r) })
		if wantDiags := unsignedCodes(r); !slices.Equal(codes(dl), wantDiags) {
			t.Fatalf("Decode: got %v, want codes %v", dl, wantDiags)
		}
		if r.Auth == tlsrpt.AuthPass {
			r.Auth = tlsrpt.AuthNone // a summary marks only the verdicts to warn of
		}
		if diff := cmp.Diff([]tlsrpt.Report{r}, got, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(tlsrpt.Report{}, "Source"),
			cmp.Comparer(func(a, b interface{ String() string }) bool { return a.String() == b.String() })); diff != "" {
			t.Errorf("report %s from its summary (-want +got):\n%s", r.Key, diff)
		}
	}
}

// TestDecodeInvalid checks that a summary broken by hand gives one
// diagnostic that names it, and no report, and that the next file is
// still read.
func TestDecodeInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		code diag.Code
		says string
	}{
		{"truncated.json", diag.SummaryInvalid, "not valid JSON at line"},
		{"version-2.json", diag.SummaryVersionUnknown, "unknown schema_version 2"},
		{"no-version.json", diag.SummaryInvalid, "no schema_version"},
		{"negative-count.json", diag.SummaryInvalid, "days[0].orgs[0].reports[0].policies[0]: a session count is negative"},
		{"negative-sessions.json", diag.SummaryInvalid, "failures[0].sessions is negative"},
		{"unknown-field.json", diag.SummaryInvalid, `unknown field "kontakt"`},
		{"wrong-day.json", diag.SummaryInvalid, "is not on the day 2026-11-08"},
		{"wrong-month.json", diag.SummaryInvalid, "days[0].date \"2026-11-07\" is not a date of the month"},
		{"bad-ip.json", diag.SummaryInvalid, `"198.51.100.999" is not an IP address`},
		{"count-string.json", diag.SummaryInvalid, "days.orgs.reports.policies.successful at line"},
		{"domain-path.json", diag.SummaryInvalid, `domain "../../etc" is not`},
		{"trailing.json", diag.SummaryInvalid, "invalid character '{' after top-level value"},
	}
	good, err := os.ReadFile(filepath.Join("testdata", "example.com-2026-11.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", "invalid", tc.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !Is(data) && tc.file != "truncated.json" {
				t.Errorf("Is(%s) = false: it would be read as a report", tc.file)
			}
			n := 0
			emit := func(tlsrpt.Report) { n++ }
			dl := Decode(path, data, tlsrpt.Limits{}, emit)
			if len(dl) != 1 || dl[0].Code != tc.code || dl[0].Subject != path || !strings.Contains(dl[0].Message, tc.says) {
				t.Fatalf("Decode(%s) = %v, want one %s naming the file and saying %q", tc.file, dl, tc.code, tc.says)
			}
			if n != 0 {
				t.Errorf("Decode(%s) emitted %d reports of a broken file, want none", tc.file, n)
			}
			if dl := Decode("good.json", good, tlsrpt.Limits{}, emit); len(dl) != 0 || n == 0 {
				t.Errorf("the next file gave %v and %d reports", dl, n)
			}
		})
	}
}

// TestIs checks that reports are not taken for summaries.
func TestIs(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{"schema_version": 1, "kind": "stsgate-tlsrpt-summary"}`, true},
		{"\n {\"kind\"\t:\n\"stsgate-tlsrpt-summary\", \"schema_version\": 7}", true},
		{`{"organization-name": "x \"kind\": \"stsgate-tlsrpt-summary\""}`, false},
		{`{"organization-name": "stsgate-tlsrpt-summary"}`, false},
		{`{"kind": "stsgate-tlsrpt-summary-2"}`, false},
		{`["kind", "stsgate-tlsrpt-summary"]`, false},
		{``, false},
	} {
		if got := Is([]byte(tc.in)); got != tc.want {
			t.Errorf("Is(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	files, _ := filepath.Glob(filepath.Join(reportDir, "*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if Is(data) {
			t.Errorf("Is(%s) = true for a report", f)
		}
	}
}

// TestDecodeBounds checks that a document over the bounds on bytes,
// objects or values is one diagnostic, decided before it is parsed, and
// that a large document within them is read.
func TestDecodeBounds(t *testing.T) {
	t.Parallel()
	head := `{"schema_version":1,"kind":"stsgate-tlsrpt-summary","domain":"example.com","month":"2026-11","days":[{"date":"2026-11-01","orgs":[{"org":"x","reports":[`
	rec := `{"id":"r%d","policies":[{"type":"sts","domain":"example.com","successful":1,"failed":0%s}]}`
	doc := func(body string) []byte { return []byte(head + body + `]}]}]}`) }
	list := func(elem string, n int) string { return strings.TrimSuffix(strings.Repeat(elem+",", n), ",") }
	var many strings.Builder
	for i := range 20000 {
		if i > 0 {
			many.WriteByte(',')
		}
		fmt.Fprintf(&many, rec, i, "")
	}
	tests := []struct {
		name string
		data []byte
		says string // "" for none: read
	}{
		{"objects", doc(fmt.Sprintf(rec, 1, `,"failures":[`+list("{}", maxDocObjects+1)+`]`)), "more than 524288 JSON objects"},
		{"values", doc(fmt.Sprintf(rec, 1, `,"mx_host":[`+list(`""`, maxDocElements+1)+`]`)), "more than 2097152 values"},
		{"bytes", doc(fmt.Sprintf(rec, 1, "") + strings.Repeat(" ", MaxDocument)), "more than the 67108864 a month's summary may take"},
		{"many records", doc(many.String()), ""},
	}
	for _, tc := range tests {
		n := 0
		dl := Decode(tc.name, tc.data, tlsrpt.Limits{}, func(tlsrpt.Report) { n++ })
		switch {
		case tc.says == "" && (len(dl) > 0 || n != 20000):
			t.Errorf("%s: %d reports and %v, want 20000 and none", tc.name, n, dl)
		case tc.says != "" && (len(dl) != 1 || !strings.Contains(dl[0].Message, tc.says) || n != 0):
			t.Errorf("%s: %d reports and %v, want none and one diagnostic saying %q", tc.name, n, dl, tc.says)
		}
	}
}

// unsignedCodes are the codes Decode gives for the summary of r alone.
func unsignedCodes(r tlsrpt.Report) []diag.Code {
	switch r.Auth {
	case tlsrpt.AuthFail:
		return []diag.Code{diag.ReportDKIMFailed}
	case tlsrpt.AuthUnverified:
		return []diag.Code{diag.ReportDKIMUnverified}
	}
	return nil
}

func codes(l diag.List) []diag.Code {
	var out []diag.Code
	for _, d := range l {
		out = append(out, d.Code)
	}
	return out
}
