package tlsrpt

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
)

// capLimits are small caps, to be hit by small inputs.
func capLimits() Limits {
	lim := DefaultLimits()
	lim.MaxPolicies, lim.MaxDetails, lim.MaxReportDetails, lim.MaxListItems, lim.MaxString = 3, 2, 5, 2, 24
	return lim
}

// capEntry is a policy entry for example.com with the given failure
// details, as JSON.
func capEntry(ok, failed int, details ...string) string {
	return fmt.Sprintf(`{"policy":{"policy-type":"sts","policy-domain":"example.com"},`+
		`"summary":{"total-successful-session-count":%d,"total-failure-session-count":%d},"failure-details":[%s]}`,
		ok, failed, strings.Join(details, ","))
}

func capDetail(rt, ip string, n int) string {
	return fmt.Sprintf(`{"result-type":%q,"sending-mta-ip":%q,"failed-session-count":%d}`, rt, ip, n)
}

// TestDecodeCaps checks the limits on the parts of a report (policy
// entries, failure details, list items, string lengths): what is cut,
// what still counts, and that each limit says so once per source.
func TestDecodeCaps(t *testing.T) {
	t.Parallel()
	entries := func(n int) string {
		var e []string
		for i := range n {
			e = append(e, capEntry(i+1, 0))
		}
		return strings.Join(e, ",")
	}
	expired, other := capDetail("certificate-expired", "192.0.2.1", 1), capDetail("validation-failure", "192.0.2.2", 1)
	for _, tc := range []struct {
		name  string
		src   string
		want  []PolicyResult
		codes []diag.Code
		says  string // in the first diagnostic's message
	}{
		{"policies within the cap", reportWith(entries(3)), []PolicyResult{sts("example.com", 1, 0), sts("example.com", 2, 0), sts("example.com", 3, 0)}, nil, ""},
		{"policies over the cap", reportWith(entries(5)) + "\n" + strings.Replace(reportWith(entries(4)), "r1", "r2", 1),
			[]PolicyResult{sts("example.com", 1, 0), sts("example.com", 2, 0), sts("example.com", 3, 0),
				sts("example.com", 1, 0), sts("example.com", 2, 0), sts("example.com", 3, 0)},
			[]diag.Code{diag.ReportPoliciesCapped}, "2 reports have more than 3 policy entries"},
		{"details over the cap: their sessions still count",
			reportWith(capEntry(9, 10, expired, other, capDetail("certificate-expired", "192.0.2.3", 3),
				capDetail("validation-failure", "192.0.2.4", 4), capDetail("x-new", "192.0.2.5", 1), "null")),
			[]PolicyResult{sts("example.com", 9, 10,
				FailureDetail{ResultType: "certificate-expired", SendingIP: ip("192.0.2.1"), Sessions: 1},
				FailureDetail{ResultType: "validation-failure", SendingIP: ip("192.0.2.2"), Sessions: 1},
				FailureDetail{ResultType: "certificate-expired", Sessions: 3},
				FailureDetail{Sessions: 5})},
			[]diag.Code{diag.ReportDetailsCapped}, "a policy entry has more than 2 failure-details"},
		{"details over the cap, no total",
			reportWith(strings.Replace(capEntry(9, 0, expired, expired, expired), `,"total-failure-session-count":0`, "", 1)),
			[]PolicyResult{sts("example.com", 9, 3,
				FailureDetail{ResultType: "certificate-expired", SendingIP: ip("192.0.2.1"), Sessions: 1},
				FailureDetail{ResultType: "certificate-expired", SendingIP: ip("192.0.2.1"), Sessions: 1},
				FailureDetail{ResultType: "certificate-expired", Sessions: 1})},
			[]diag.Code{diag.ReportDetailsCapped, diag.ReportCountMissing}, ""},
		{"details over the report's cap", reportWith(capEntry(1, 2, expired, expired) + "," + capEntry(2, 2, other, other) + "," + capEntry(3, 2, other, expired)),
			[]PolicyResult{
				sts("example.com", 1, 2, FailureDetail{ResultType: "certificate-expired", SendingIP: ip("192.0.2.1"), Sessions: 1},
					FailureDetail{ResultType: "certificate-expired", SendingIP: ip("192.0.2.1"), Sessions: 1}),
				sts("example.com", 2, 2, FailureDetail{ResultType: "validation-failure", SendingIP: ip("192.0.2.2"), Sessions: 1},
					FailureDetail{ResultType: "validation-failure", SendingIP: ip("192.0.2.2"), Sessions: 1}),
				sts("example.com", 3, 2, FailureDetail{ResultType: "validation-failure", SendingIP: ip("192.0.2.2"), Sessions: 1},
					FailureDetail{ResultType: "certificate-expired", Sessions: 1}),
			},
			[]diag.Code{diag.ReportDetailsCapped}, "5 failure-details in all"},
		{"lists over the cap", reportWith(`{"policy":{"policy-type":"sts","policy-domain":"example.com",` +
			`"policy-string":["version: STSv1","mode: testing","mx: a.example"],"mx-host":["a","b","c"]},` +
			`"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}`),
			[]PolicyResult{{Type: "sts", Domain: "example.com", MXHost: []string{"a", "b"}, Successful: 1}},
			[]diag.Code{diag.ReportListCapped}, "a report has lists longer than 2 items"},
		{"strings over the cap", strings.Replace(reportWith(capEntry(1, 1, capDetail("certificate-expired-"+strings.Repeat("é", 10), "192.0.2.1", 1))), `"Org"`, `"Organisation Inc. of Somewhere"`, 1),
			[]PolicyResult{sts("example.com", 1, 1, FailureDetail{ResultType: "certificate-expired-…", SendingIP: ip("192.0.2.1"), Sessions: 1})},
			[]diag.Code{diag.ReportStringCut}, "a report has fields longer than 24 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := sameAsStd(t, []byte(tc.src), capLimits())
			var pols []PolicyResult
			for _, r := range got.Reports {
				pols = append(pols, r.Policies...)
			}
			if diff := cmp.Diff(tc.want, pols, reportOpts); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.codes, got.Diags.Codes(), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("diagnostics (-want +got):\n%s\n%v", diff, got.Diags)
			}
			if tc.says != "" && !strings.Contains(got.Diags[0].Message, tc.says) {
				t.Errorf("message %q does not say %q", got.Diags[0].Message, tc.says)
			}
		})
	}
}

// TestDecodeStringCut checks how long strings are cut: at most
// MaxString bytes, on a UTF-8 boundary, marked with "…"; and that a
// report with a long organization-name or report-id keeps a key of its
// own.
func TestDecodeStringCut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("a", 16), strings.Repeat("a", 16)},
		{strings.Repeat("a", 17), strings.Repeat("a", 13) + "…"},
		{"abcdefghijkl" + "é" + "xy", "abcdefghijkl" + "é" + "xy"},
		{"abcdefghijkl" + "é" + "xyz", "abcdefghijkl" + "…"},
		{"abcdefghijkl" + "é" + "xyzw", "abcdefghijkl" + "…"},
		{"abcdefghijk" + "😀" + "xyz", "abcdefghijk" + "…"},
	} {
		if got := cutString(tc.in, 16); got != tc.want || len(got) > 16 {
			t.Errorf("cutString(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := strings.Repeat("x", 40)
	var keys []string
	for _, id := range []string{long + "1", long + "2"} {
		src := strings.Replace(minimal, `"r1"`, `"`+id+`"`, 1)
		NewDecoder(capLimits()).DecodeBytes("in", []byte(src), func(r Report) {
			keys = append(keys, r.Key)
			if r.ReportID != strings.Repeat("x", 21)+"…" {
				t.Errorf("report-id %q", r.ReportID)
			}
		})
	}
	if len(keys) != 2 || keys[0] == keys[1] || len(keys[0]) > 100 {
		t.Errorf("keys %q", keys)
	}
}

// TestCapsKeepDirtyDays checks that failure details beyond the caps
// still make their day dirty when they are failures of our MX hosts, and
// count as failures otherwise.
func TestCapsKeepDirtyDays(t *testing.T) {
	t.Parallel()
	other := capDetail("validation-failure", "192.0.2.2", 1)
	src := reportWith(capEntry(5, 4, other, other, capDetail("certificate-expired", "192.0.2.9", 2)))
	agg := NewAggregator(Options{AsOf: asOf}, nil)
	NewDecoder(capLimits()).DecodeBytes("in", []byte(src), func(r Report) { agg.Add(r) })
	w := agg.Window("example.com")
	if day := w.dayOf("2026-05-01"); day.Status != DayDirty || day.Failed != 4 || day.Blocking != 2 {
		t.Errorf("day %+v, want dirty with 4 failed and 2 blocking sessions", day)
	}
}

// TestDecodeManyEntriesMemory checks that a report of many policy
// entries or failure details (7 million take 20 MiB of JSON) is read
// keeping only the entries within the caps: while the report is
// emitted, the live heap does not grow with the entries beyond them, on
// the fast path or on encoding/json's (forced by a field given twice);
// and on the fast path, neither do the allocations. It does not call
// t.Parallel: it measures the memory of the whole process.
func TestDecodeManyEntriesMemory(t *testing.T) {
	const n = 300000
	policies := reportWith(strings.Repeat("{},", n) + "{}")
	details := reportWith(capEntry(1, 1, strings.Repeat("{},", n)+"{}"))
	twice := func(s string) string {
		return strings.Replace(s, `"report-id":"r1"`, `"report-id":"r0","report-id":"r1"`, 1)
	}
	for _, tc := range []struct {
		name, src string
		fast      bool
	}{
		{"policies", policies, true}, {"details", details, true},
		{"policies, encoding/json", twice(policies), false}, {"details, encoding/json", twice(details), false},
	} {
		gz := gzipped(t, []byte(tc.src))
		var before, during, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		kept := 0
		diags := NewDecoder(DefaultLimits()).DecodeBytes("in", gz, func(r Report) {
			runtime.GC()
			runtime.ReadMemStats(&during)
			for _, p := range r.Policies {
				kept += 1 + len(p.Details)
			}
		})
		runtime.ReadMemStats(&after)
		if !diags.Has(diag.ReportPoliciesCapped) && !diags.Has(diag.ReportDetailsCapped) || kept > DefaultMaxPolicies+DefaultMaxDetails+20 {
			t.Errorf("%s: %d entries kept; %v", tc.name, kept, diags.Codes())
		}
		if live := int64(during.HeapAlloc) - int64(before.HeapAlloc); live > 4*int64(len(tc.src))+16<<20 {
			t.Errorf("%s: %d entries of %d bytes keep %d bytes alive", tc.name, n, len(tc.src), live)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; tc.fast && alloc > 4*uint64(len(tc.src))+16<<20 {
			t.Errorf("%s: %d entries of %d bytes allocated %d bytes", tc.name, n, len(tc.src), alloc)
		}
	}
}

// TestStdMatchesEncodingJSON checks that the encoding/json way of
// decoding a report, which walks lists itself to keep to the caps, makes
// what json.Unmarshal into a reportWire makes (the same wire, or the
// same error) of every report within the caps.
func TestStdMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	docs := trickyReports()
	files, _ := filepath.Glob(filepath.Join("testdata", "reports", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	for _, doc := range docs {
		if doc = strings.TrimSpace(doc); strings.HasPrefix(doc, "{") {
			sameAsUnmarshal(t, hideCaseVariants(doc))
		}
	}
}

// hideCaseVariants returns doc with the keys that differ from a field
// name only in case hidden, as jsonScanner hides them before a report
// is decoded.
func hideCaseVariants(doc string) []byte {
	b := []byte(doc)
	var s jsonScanner
	s.resetBytes(b, math.MaxInt64)
	s.extent()
	return b
}

// FuzzStdMatchesEncodingJSON holds stdDecoder to json.Unmarshal for
// any report within the caps.
func FuzzStdMatchesEncodingJSON(f *testing.F) {
	for _, doc := range trickyReports() {
		f.Add(doc)
	}
	f.Add(reportWith(capEntry(1, 2, capDetail("certificate-expired", "192.0.2.1", 1), "null", "{}")))
	f.Fuzz(func(t *testing.T, doc string) {
		if doc = strings.TrimSpace(doc); !strings.HasPrefix(doc, "{") || len(doc) > 1<<20 {
			return
		}
		var plain reportWire
		if json.Unmarshal([]byte(doc), &plain) == nil && !withinCaps(&plain, DefaultLimits().caps()) {
			return
		}
		sameAsUnmarshal(t, hideCaseVariants(doc))
	})
}

// withinCaps reports whether no cap would cut anything of w.
func withinCaps(w *reportWire, c wireCaps) bool {
	details := 0
	for _, p := range w.Policies {
		details += len(p.Details)
		for _, l := range []stringList{p.Policy.String, p.Policy.MXHost, p.Policy.MXHostPattern} {
			if len(l.v) > c.listItems {
				return false
			}
		}
		if len(p.Details) > c.details {
			return false
		}
	}
	return len(w.Policies) <= c.policies && details <= c.reportDetails
}

// sameAsUnmarshal fails unless stdDecoder makes of doc what
// json.Unmarshal makes of it.
func sameAsUnmarshal(t *testing.T, doc []byte) {
	t.Helper()
	var plain, walked reportWire
	errPlain := json.Unmarshal(doc, &plain)
	var std stdDecoder
	std.caps = DefaultLimits().caps()
	errWalked := std.report(doc, &walked)
	if diff := cmp.Diff(describeErr(errPlain), describeErr(errWalked)); diff != "" {
		t.Errorf("%s: errors (-json.Unmarshal +stdDecoder):\n%s", clipTest(doc), diff)
		return
	}
	if errPlain != nil {
		return
	}
	if diff := cmp.Diff(plain, walked, cmp.AllowUnexported(reportWire{}, policyWire{}, stringList{}, count{}, cutDetails{}, typeSum{}),
		cmpopts.IgnoreFields(stringList{}, "max")); diff != "" {
		t.Errorf("%s: wire (-json.Unmarshal +stdDecoder):\n%s", clipTest(doc), diff)
	}
}

// describeErr is what jsonError reads of a decoding error.
func describeErr(err error) string {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &syntax):
		return fmt.Sprintf("syntax %d %v", syntax.Offset, err)
	case errors.As(err, &typ):
		return fmt.Sprintf("type %q %s %s %d", typ.Field, typ.Value, wantedJSON(typ.Type), typ.Offset)
	}
	return err.Error()
}
