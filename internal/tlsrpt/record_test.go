package tlsrpt

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
)

// wantDiag is the part of a diagnostic the tables check: code, severity
// and the columns of its span on line 1.
type wantDiag struct {
	Code     diag.Code
	Severity diag.Severity
	Col, End int
}

func project(l diag.List) []wantDiag {
	var out []wantDiag
	for _, d := range l {
		out = append(out, wantDiag{d.Code, d.Severity, d.Start.Column, d.End.Column})
	}
	return out
}

func e(code diag.Code, col, end int) wantDiag { return wantDiag{code, diag.Error, col, end} }
func w(code diag.Code, col, end int) wantDiag { return wantDiag{code, diag.Warning, col, end} }
func n(code diag.Code, col, end int) wantDiag { return wantDiag{code, diag.Notice, col, end} }

// Verdicts: "error" (rec is nil), "warning" and "valid" (rec is set; valid
// may carry notices), "unrelated" (not a TLS-RPT record, no diagnostics).
type recordCase struct {
	name    string
	txt     string
	verdict string
	rec     *Record // for warning and valid
	diags   []wantDiag
	msg     string // a diagnostic's message contains this, if set
	hint    string // a diagnostic's hint contains this, if set
}

func rua(uris ...string) *Record { return &Record{RUA: uris} }

const (
	mA = "mailto:a@x.example"
	mB = "mailto:b@x.example"
)

func recordCases() []recordCase {
	return []recordCase{
		// Vectors R1-R16 of reference/mta-sts-and-tlsrpt.md §6.3.
		{name: "R1", txt: "v=TLSRPTv1; rua=mailto:tlsrpt@example.com", verdict: "valid", rec: rua("mailto:tlsrpt@example.com")},
		{name: "R2 two destinations", txt: "v=TLSRPTv1;rua=mailto:a@example.com,https://r.example.com/v1/tlsrpt", verdict: "valid",
			rec:   rua("mailto:a@example.com", "https://r.example.com/v1/tlsrpt"),
			diags: []wantDiag{n(diag.TLSRPTRUAMultiple, 37, 68)}},
		{name: "R3 spaces around comma", txt: "v=TLSRPTv1; rua=mailto:a@example.com , mailto:b@example.com", verdict: "valid",
			rec:   rua("mailto:a@example.com", "mailto:b@example.com"),
			diags: []wantDiag{n(diag.TLSRPTRUAMultiple, 40, 60)}},
		{name: "R4 version only", txt: "v=TLSRPTv1", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAMissing, 1, 11)}},
		{name: "R4 version and delimiter", txt: "v=TLSRPTv1;", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAMissing, 1, 12)}},
		{name: "R4 empty rua", txt: "v=TLSRPTv1; rua=", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 13, 17)}},
		{name: "R4 commas only", txt: "v=TLSRPTv1; rua=,, ,", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 18)}},
		{name: "R5 no scheme", txt: "v=TLSRPTv1; rua=postmaster@example.com", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 39)}, hint: "mailto:postmaster@example.com"},
		{name: "R6 http", txt: "v=TLSRPTv1; rua=http://r.example.com/", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRUAScheme, 17, 38)}, hint: "https://"},
		{name: "R6 ftp", txt: "v=TLSRPTv1; rua=ftp://r.example.com/tlsrpt", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRUAScheme, 17, 43)}, msg: `"ftp"`},
		{name: "R7 DMARC size limit", txt: "v=TLSRPTv1; rua=mailto:r@example.com!10m", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 41)}, msg: "%21", hint: "no size limit"},
		{name: "R8 repeated rua", txt: "v=TLSRPTv1; rua=" + mA + "; rua=" + mB, verdict: "warning", rec: rua(mA, mB),
			diags: []wantDiag{w(diag.TLSRPTRUARepeated, 37, 59), n(diag.TLSRPTRUAMultiple, 41, 59)}},
		{name: "R9 extension", txt: "v=TLSRPTv1; ext=1; rua=" + mA, verdict: "valid",
			rec:   &Record{RUA: []string{mA}, Extensions: []Extension{{"ext", "1"}}},
			diags: []wantDiag{n(diag.TLSRPTRecordExtension, 13, 18)}},
		{name: "R10 space before delimiter", txt: "v=TLSRPTv1 ; rua=" + mA, verdict: "warning", rec: rua(mA),
			diags: []wantDiag{w(diag.TLSRPTRecordSpaceBeforeSemi, 11, 12)}},
		{name: "R11 v2", txt: "v=TLSRPTv2; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordVersionInvalid, 1, 11)}},
		{name: "R11 v10", txt: "v=TLSRPTv10; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordVersionInvalid, 1, 12)}},
		{name: "R11 lower case", txt: "v=tlsrptv1; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordVersionInvalid, 1, 11)}},
		{name: "R14 trailing junk", txt: "v=TLSRPTv1; rua=" + mA + " other", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 41)}, msg: "whitespace"},
		{name: "R16 three destinations", txt: "v=TLSRPTv1; rua=" + mA + "," + mB + ",https://c.example/r", verdict: "valid",
			rec:   rua(mA, mB, "https://c.example/r"),
			diags: []wantDiag{n(diag.TLSRPTRUAMultiple, 36, 54)}, msg: "only one destination is guaranteed to receive each report"},

		// Destinations.
		{name: "mailto without @", txt: "v=TLSRPTv1; rua=mailto:a.example", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 33)}},
		{name: "mailto without address", txt: "v=TLSRPTv1; rua=mailto:", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 24)}},
		{name: "mailto with query only", txt: "v=TLSRPTv1; rua=mailto:?to=a@x.example", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 39)}},
		{name: "mailto empty local part", txt: "v=TLSRPTv1; rua=mailto:@x.example", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 34)}},
		{name: "mailto empty domain", txt: "v=TLSRPTv1; rua=mailto:a@", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 26)}},
		{name: "mailto bad domain", txt: "v=TLSRPTv1; rua=mailto:a@-x.example", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 36)}},
		{name: "mailto with slashes", txt: "v=TLSRPTv1; rua=mailto://a@x.example", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 37)}},
		{name: "mailto address literal", txt: "v=TLSRPTv1; rua=mailto:a@[192.0.2.1]", verdict: "valid", rec: rua("mailto:a@[192.0.2.1]")},
		{name: "mailto with query", txt: "v=TLSRPTv1; rua=mailto:a@x.example?subject=tlsrpt", verdict: "valid", rec: rua("mailto:a@x.example?subject=tlsrpt")},
		{name: "mailto percent-encoded", txt: "v=TLSRPTv1; rua=mailto:tls%2Brpt@x.example", verdict: "valid", rec: rua("mailto:tls%2Brpt@x.example")},
		{name: "scheme upper case", txt: "v=TLSRPTv1; rua=MAILTO:a@x.example", verdict: "valid", rec: rua("MAILTO:a@x.example")},
		{name: "https without host", txt: "v=TLSRPTv1; rua=https:///tlsrpt", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 32)}},
		{name: "https opaque", txt: "v=TLSRPTv1; rua=https:r.example/tlsrpt", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 39)}},
		{name: "https bad host", txt: "v=TLSRPTv1; rua=https://r_1.example/", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 37)}},
		{name: "https bad port", txt: "v=TLSRPTv1; rua=https://r.example:x/", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 37)}},
		{name: "https port and IPv6", txt: "v=TLSRPTv1; rua=https://r.example:8443/a,https://[2001:db8::1]/b", verdict: "valid",
			rec: rua("https://r.example:8443/a", "https://[2001:db8::1]/b"), diags: []wantDiag{n(diag.TLSRPTRUAMultiple, 42, 65)}},
		{name: "bad percent escape", txt: "v=TLSRPTv1; rua=http://bad/%", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 29)}},
		{name: "raw bang", txt: "v=TLSRPTv1; rua=mailto:a!b@x.example", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 37)}, hint: "%21"},
		{name: "character outside URI", txt: "v=TLSRPTv1; rua=mailto:<a@x.example>", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 37)}, hint: "%3C"},
		{name: "tab inside URI", txt: "v=TLSRPTv1; rua=mailto:a@x.example\tb", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 17, 37)}},
		{name: "non-ASCII host", txt: "v=TLSRPTv1; rua=https://rép.example/", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 26, 27), e(diag.TLSRPTRUAInvalid, 17, 38)}, hint: "A-labels"},
		{name: "invalid then valid", txt: "v=TLSRPTv1; rua=ftp://x.example/," + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAScheme, 17, 33)}},
		{name: "trailing comma", txt: "v=TLSRPTv1; rua=" + mA + ",", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 35, 36)}},
		{name: "double comma", txt: "v=TLSRPTv1; rua=" + mA + ",," + mB, verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRUAInvalid, 36, 37), n(diag.TLSRPTRUAMultiple, 37, 55)}},
		{name: "space after rua=", txt: "v=TLSRPTv1; rua= " + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 17, 18)}},
		{name: "tabs around delimiters and commas", txt: "v=TLSRPTv1;\trua=" + mA + "\t,\t" + mB + "\t;", verdict: "valid",
			rec: rua(mA, mB), diags: []wantDiag{n(diag.TLSRPTRUAMultiple, 38, 56)}},

		// Record grammar.
		{name: "trailing delimiter", txt: "v=TLSRPTv1; rua=" + mA + ";", verdict: "valid", rec: rua(mA)},
		{name: "trailing delimiter and space", txt: "v=TLSRPTv1; rua=" + mA + "; ", verdict: "valid", rec: rua(mA)},
		{name: "empty field", txt: "v=TLSRPTv1; rua=" + mA + ";;", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 36, 36)}},
		{name: "trailing space without delimiter", txt: "v=TLSRPTv1; rua=" + mA + " ", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 35, 36)}},
		{name: "leading space", txt: " v=TLSRPTv1; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 1, 2)}},
		{name: "version not first", txt: "rua=" + mA + "; v=TLSRPTv1", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 1, 23)}},
		{name: "version upper-case name", txt: "V=TLSRPTv1; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordVersionInvalid, 1, 11)}},
		{name: "field without equals", txt: "v=TLSRPTv1; rua=" + mA + "; bogus", verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 37, 42)}},
		{name: "invalid extension name", txt: "v=TLSRPTv1; 1%=a; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordExtensionInvalid, 13, 17)}},
		{name: "empty extension value", txt: "v=TLSRPTv1; ext=; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordExtensionInvalid, 13, 17)}},
		{name: "extension with equals", txt: "v=TLSRPTv1; test==; rua=" + mA, verdict: "error", diags: []wantDiag{e(diag.TLSRPTRecordExtensionInvalid, 13, 19)}},
		{name: "rua in upper case", txt: "v=TLSRPTv1; RUA=" + mA, verdict: "error",
			diags: []wantDiag{w(diag.TLSRPTRecordExtension, 13, 35), e(diag.TLSRPTRUAMissing, 1, 35)}, hint: `"rua="`},
		{name: "zero-width space", txt: "v=TLSRPTv1; rua=" + mA + "\u200b", verdict: "error",
			diags: []wantDiag{e(diag.TLSRPTRecordSyntax, 35, 36), e(diag.TLSRPTRUAInvalid, 17, 38)}},

		// Not TLS-RPT at all.
		{name: "SPF", txt: "v=spf1 -all", verdict: "unrelated"},
		{name: "rua without version", txt: "rua=" + mA, verdict: "unrelated"},
		{name: "empty", txt: "", verdict: "unrelated"},
		{name: "MTA-STS", txt: "v=STSv1; id=20240101", verdict: "unrelated"},
	}
}

func TestParseRecord(t *testing.T) {
	t.Parallel()
	for _, tc := range recordCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec, isTLSRPT, diags := ParseRecord(tc.txt)
			if got, want := isTLSRPT, tc.verdict != "unrelated"; got != want {
				t.Errorf("ParseRecord(%q) isTLSRPT = %v, want %v", tc.txt, got, want)
			}
			if diff := cmp.Diff(tc.diags, project(diags)); diff != "" {
				t.Errorf("ParseRecord(%q) diagnostics mismatch (-want +got):\n%s", tc.txt, diff)
			}
			if diff := cmp.Diff(tc.rec, rec); diff != "" {
				t.Errorf("ParseRecord(%q) record mismatch (-want +got):\n%s", tc.txt, diff)
			}
			checkVerdict(t, tc, rec, diags)
			checkText(t, tc, diags)
		})
	}
}

func checkVerdict(t *testing.T, tc recordCase, rec *Record, diags diag.List) {
	t.Helper()
	var want diag.Severity
	switch tc.verdict {
	case "error":
		want = diag.Error
	case "warning":
		want = diag.Warning
	case "valid":
		want = min(diags.Max(), diag.Notice)
	}
	if got := diags.Max(); got != want {
		t.Errorf("ParseRecord(%q) highest severity = %v, want %v", tc.txt, got, want)
	}
	if (rec == nil) != (tc.verdict == "error" || tc.verdict == "unrelated") {
		t.Errorf("ParseRecord(%q) record = %v for verdict %s", tc.txt, rec, tc.verdict)
	}
}

// checkText checks that every diagnostic explains itself and is in the
// catalog, and that the expected words appear.
func checkText(t *testing.T, tc recordCase, diags diag.List) {
	t.Helper()
	msgFound, hintFound := tc.msg == "", tc.hint == ""
	for _, d := range diags {
		if _, ok := diag.Lookup(d.Code); !ok {
			t.Errorf("ParseRecord(%q): code %q is not in the catalog", tc.txt, d.Code)
		}
		if d.Message == "" || d.Hint == "" || d.Ref == "" {
			t.Errorf("ParseRecord(%q): %s lacks message, hint or ref", tc.txt, d)
		}
		if d.Start.Line != 1 || d.End.Line != 1 {
			t.Errorf("ParseRecord(%q): %s is not on line 1", tc.txt, d)
		}
		msgFound = msgFound || strings.Contains(d.Message, tc.msg)
		hintFound = hintFound || strings.Contains(d.Hint, tc.hint)
	}
	if !msgFound {
		t.Errorf("ParseRecord(%q): no message contains %q", tc.txt, tc.msg)
	}
	if !hintFound {
		t.Errorf("ParseRecord(%q): no hint contains %q", tc.txt, tc.hint)
	}
}

type setCase struct {
	name    string
	texts   []string
	index   int
	rec     *Record
	records [][]wantDiag
	set     []diag.Code
}

func setCases() []setCase {
	valid := "v=TLSRPTv1; rua=" + mA
	return []setCase{
		{name: "one valid record", texts: []string{valid}, index: 0, rec: rua(mA), records: [][]wantDiag{nil}},
		{name: "R13 two valid records", texts: []string{valid, "v=TLSRPTv1; rua=" + mB}, index: -1,
			records: [][]wantDiag{nil, {e(diag.TLSRPTRecordMultiple, 1, 35)}}},
		{name: "unrelated SPF and a valid record", texts: []string{"v=spf1 -all", valid}, index: 1, rec: rua(mA),
			records: [][]wantDiag{{w(diag.TLSRPTRecordUnrelated, 1, 12)}, nil}},
		{name: "no records", texts: nil, index: -1, records: [][]wantDiag{}, set: []diag.Code{diag.TLSRPTRecordMissing}},
		{name: "only SPF", texts: []string{"v=spf1 -all"}, index: -1,
			records: [][]wantDiag{{w(diag.TLSRPTRecordUnrelated, 1, 12)}}, set: []diag.Code{diag.TLSRPTRecordMissing}},
		{name: "one invalid record", texts: []string{"v=TLSRPTv1"}, index: -1,
			records: [][]wantDiag{{e(diag.TLSRPTRUAMissing, 1, 11)}}},
		{name: "valid and broken TLS-RPT", texts: []string{valid, "v=TLSRPTv2; rua=" + mB}, index: -1,
			records: [][]wantDiag{nil, {e(diag.TLSRPTRecordVersionInvalid, 1, 11), e(diag.TLSRPTRecordMultiple, 1, 35)}}},
	}
}

func TestParseRecordSet(t *testing.T) {
	t.Parallel()
	for _, tc := range setCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			set := ParseRecordSet(tc.texts)
			if set.Index != tc.index {
				t.Errorf("ParseRecordSet(%q) Index = %d, want %d", tc.texts, set.Index, tc.index)
			}
			if diff := cmp.Diff(tc.rec, set.Record); diff != "" {
				t.Errorf("ParseRecordSet(%q) record mismatch (-want +got):\n%s", tc.texts, diff)
			}
			var got [][]wantDiag
			for _, l := range set.Records {
				got = append(got, project(l))
			}
			if diff := cmp.Diff(tc.records, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseRecordSet(%q) record diagnostics mismatch (-want +got):\n%s", tc.texts, diff)
			}
			if diff := cmp.Diff(tc.set, set.Set.Codes(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseRecordSet(%q) set diagnostics mismatch (-want +got):\n%s", tc.texts, diff)
			}
			for _, d := range set.Set {
				if !d.Start.IsZero() || d.Message == "" || d.Hint == "" {
					t.Errorf("ParseRecordSet(%q): set diagnostic %s has a position or lacks text", tc.texts, d)
				}
			}
		})
	}
}

func TestRecordSetDiagnostics(t *testing.T) {
	t.Parallel()
	set := ParseRecordSet([]string{"v=spf1 -all", "v=TLSRPTv1; rua=mailto:a@x.example other", "v=TLSRPTv1; rua=" + mB})
	all := set.Diagnostics(func(i int) (string, diag.Pos) {
		return "dns/example.com.zone", diag.Pos{Line: 10 + i, Column: 20}
	})
	type placed struct {
		Code       diag.Code
		File       string
		Start, End diag.Pos
	}
	var got []placed
	for _, d := range all {
		got = append(got, placed{d.Code, d.File, d.Start, d.End})
	}
	const f = "dns/example.com.zone"
	want := []placed{
		{diag.TLSRPTRecordUnrelated, f, diag.Pos{Line: 10, Column: 20}, diag.Pos{Line: 10, Column: 31}},
		{diag.TLSRPTRUAInvalid, f, diag.Pos{Line: 11, Column: 36}, diag.Pos{Line: 11, Column: 60}},
		{diag.TLSRPTRecordMultiple, f, diag.Pos{Line: 12, Column: 20}, diag.Pos{Line: 12, Column: 54}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diagnostics mismatch (-want +got):\n%s", diff)
	}
}
