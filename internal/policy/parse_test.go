package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// lines joins policy lines with LF and ends the text with LF.
func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

const (
	vers     = "version: STSv1"
	testing_ = "mode: testing"
	enforce  = "mode: enforce"
	mx1      = "mx: mx1.example.com"
	age      = "max_age: 1296000"
)

// project renders diagnostics compactly: "line:col severity code".
func project(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%d:%d %s %s", d.Start.Line, d.Start.Column, d.Severity, d.Code))
	}
	return out
}

// verdict is the highest severity that matters for the gate: "valid" when
// there is nothing above a notice.
func verdict(l diag.List) string {
	switch l.Max() {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "valid"
}

type policyCase struct {
	name    string
	in      string
	verdict string
	diags   []string
}

// policyVectors are the vectors of reference/mta-sts-and-tlsrpt.md §6.1,
// with the verdicts of DESIGN §1.8 where it overrides them.
var policyVectors = []policyCase{
	{"P1 RFC appendix A", lines(vers, testing_, "mx: mx1.example.com", "mx: mx2.example.com", "mx: mx.backup-example.com", "max_age: 1296000"), "valid", nil},
	{"P2 CRLF", "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmax_age: 1296000\r\n", "valid", nil},
	{"P2 mixed CRLF and LF", "version: STSv1\r\nmode: testing\nmx: mx1.example.com\r\nmax_age: 1296000\n", "valid", nil},
	{"P3 no final newline", "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 1296000", "valid", nil},
	{"P4 two final newlines", lines(vers, testing_, mx1, age) + "\n", "error", []string{"5:1 error policy-blank-line"}},
	{"P5 blank line between fields", lines(vers, testing_, "", mx1, age), "error", []string{"3:1 error policy-blank-line"}},
	{"P5 whitespace-only line", lines(vers, testing_, "  ", mx1, age), "error", []string{"3:1 error policy-blank-line"}},
	{"P6 BOM", "\ufeff" + lines(vers, testing_, mx1, age), "error", []string{"1:1 error policy-bom"}},
	{"P7 leading spaces", lines(vers, "  mode: enforce", mx1, age), "error", []string{"2:1 error policy-leading-space"}},
	{"P8 space before colon", lines(vers, "mode : enforce", mx1, age), "error", []string{"1:0 error policy-mode-missing", "2:1 error policy-line-syntax"}},
	{"P9 no space after colon", lines("version:STSv1", testing_, "mx:\t mail.example.com", age), "valid", nil},
	{"P10 trailing whitespace", lines(vers, "mode: enforce   ", mx1, age+" \t"), "valid", nil},
	{"P11 capital key", lines(vers, "Mode: enforce", mx1, age), "error", []string{"1:0 error policy-mode-missing", "2:1 warning policy-key-typo"}},
	{"P12 capital value", lines(vers, "mode: Enforce", mx1, age), "error", []string{"2:7 error policy-mode-invalid"}},
	{"P13 old draft mode", lines(vers, "mode: report", mx1, age), "error", []string{"2:7 error policy-mode-invalid"}},
	{"P14 STSv2", lines("version: STSv2", testing_, mx1, age), "error", []string{"1:10 error policy-version-invalid"}},
	{"P14 STSv10", lines("version: STSv10", testing_, mx1, age), "error", []string{"1:10 error policy-version-invalid"}},
	{"P14 no version", lines(testing_, mx1, age), "error", []string{"1:0 error policy-version-missing"}},
	{"P15 version not first", lines(testing_, vers, mx1, age), "warning", []string{"2:1 warning policy-version-not-first"}},
	{"P16 mode twice", lines(vers, testing_, enforce, mx1, age), "error", []string{"3:1 error policy-mode-duplicate"}},
	{"P17 enforce without mx", lines(vers, enforce, age), "error", []string{"1:0 error policy-mx-missing"}},
	{"P17 testing without mx", lines(vers, testing_, age), "error", []string{"1:0 error policy-mx-missing"}},
	{"P18 none without mx", lines(vers, "mode: none", age), "valid", nil},
	{"P18 none with mx", lines(vers, "mode: none", mx1, age), "valid", nil},
	{"P19 nmx typo", lines(vers, enforce, "nmx: mx0.example.com", age), "error", []string{"1:0 error policy-mx-missing", "3:1 warning policy-key-typo"}},
	{"P20 max_age maximum", lines(vers, testing_, mx1, "max_age: 31557600"), "valid", nil},
	{"P21 max_age over maximum", lines(vers, testing_, mx1, "max_age: 31557601"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P21 max_age 2^32", lines(vers, testing_, mx1, "max_age: 4294967296"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P22 eleven digits", lines(vers, testing_, mx1, "max_age: 01234567890"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P23 negative", lines(vers, testing_, mx1, "max_age: -1"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P23 plus sign", lines(vers, testing_, mx1, "max_age: +86400"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P23 exponent", lines(vers, testing_, mx1, "max_age: 1e5"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P23 fraction", lines(vers, testing_, mx1, "max_age: 86400.5"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P23 word", lines(vers, testing_, mx1, "max_age: abc"), "error", []string{"4:10 error policy-max-age-invalid"}},
	{"P23 empty", lines(vers, testing_, mx1, "max_age:"), "error", []string{"4:9 error policy-max-age-invalid"}},
	{"P24 leading zeros", lines(vers, testing_, mx1, "max_age: 0086400"), "warning", []string{"4:10 warning policy-max-age-leading-zero"}},
	{"P25 zero in testing", lines(vers, testing_, mx1, "max_age: 0"), "warning", []string{"4:10 warning policy-max-age-under-day"}},
	{"P25 zero in enforce", lines(vers, enforce, mx1, "max_age: 0"), "error", []string{"4:10 error policy-max-age-under-day"}},
	{"P25 zero in none", lines(vers, "mode: none", "max_age: 0"), "valid", nil},
	{"P26 one day in enforce", lines(vers, enforce, mx1, "max_age: 86400"), "warning", []string{"4:10 warning policy-max-age-short"}},
	{"P27 wildcard", lines(vers, testing_, "mx: *.example.com", age), "warning", []string{"3:5 warning policy-mx-wildcard"}},
	{"P28 glued wildcard", lines(vers, testing_, "mx: *example.com", age), "error", mxInvalid},
	{"P28 inner wildcard", lines(vers, testing_, "mx: mail.*.example.com", age), "error", mxInvalid},
	{"P28 two wildcards", lines(vers, testing_, "mx: *.*.example.com", age), "error", mxInvalid},
	{"P28 double star", lines(vers, testing_, "mx: **.example", age), "error", mxInvalid},
	{"P28 lone star", lines(vers, testing_, "mx: *", age), "error", mxInvalid},
	{"P29 leading dot", lines(vers, testing_, "mx: .example.com", age), "error", mxInvalid},
	{"P30 trailing dot", lines(vers, testing_, "mx: mail.example.com.", age), "error", mxInvalid},
	{"P31 mixed case", lines(vers, testing_, "mx: MAIL.Example.COM", age), "valid", nil},
	{"P32 U-label", lines(vers, testing_, "mx: møx.example", age), "error", mxInvalid},
	{"P33 A-label", lines(vers, testing_, "mx: xn--mx-1ia.example", age), "valid", nil},
	{"P34 IPv4", lines(vers, testing_, "mx: 192.0.2.1", age), "error", mxInvalid},
	{"P34 wildcard IPv4", lines(vers, testing_, "mx: *.1.2.3.4", age), "error", mxInvalid},
	{"P34 IPv6", lines(vers, testing_, "mx: [2001:db8::1]", age), "error", mxInvalid},
	{"P35 underscore", lines(vers, testing_, "mx: _mx.example.com", age), "error", mxInvalid},
	{"P35 leading hyphen", lines(vers, testing_, "mx: -mx.example.com", age), "error", mxInvalid},
	{"P35 trailing hyphen", lines(vers, testing_, "mx: mx-.example.com", age), "error", mxInvalid},
	{"P36 empty mx", lines(vers, testing_, "mx:", age), "error", []string{"1:0 error policy-mx-missing", "3:4 error policy-mx-invalid"}},
	{"P37 comment", lines("# MTA-STS policy", vers, testing_, mx1, age), "error", []string{"1:1 error policy-line-syntax"}},
	{"P38 extension", lines(vers, testing_, mx1, age, "x-note: hello world"), "valid", []string{"5:1 notice policy-extension"}},
	{"P39 empty extension value", lines(vers, testing_, mx1, age, "x-note:"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"P39 tab in extension value", lines(vers, testing_, mx1, age, "x-note: a\tb"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"P39 underscore key", lines(vers, testing_, mx1, age, "_note: a"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"P39 hyphen key", lines(vers, testing_, mx1, age, "-note: a"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"P39 33-char key", lines(vers, testing_, mx1, age, strings.Repeat("k", 33)+": a"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"P40 UTF-8 extension value", lines(vers, testing_, mx1, age, "comment: café au lait"), "valid", []string{"5:1 notice policy-extension"}},
	{"P41 over 64 KiB", lines(vers, testing_, mx1, age, "x-pad: "+strings.Repeat("a", MaxSize)), "error", []string{"1:0 error policy-too-large", "5:1 notice policy-extension"}},
	{"P42 bare CR", "version: STSv1\rmode: testing\rmx: mx1.example.com\rmax_age: 1296000\r", "error", []string{"1:15 error policy-bare-cr"}},
	{"P43 duplicate mx", lines(vers, testing_, mx1, "mx: MX1.example.com", age), "warning", []string{"4:5 warning policy-mx-duplicate"}},
}

var (
	mxInvalid = []string{"1:0 error policy-mx-missing", "3:5 error policy-mx-invalid"}
	mxIDNA    = []string{"3:5 warning policy-mx-idna"}
)

// moreCases cover rules beyond the reference vectors.
var moreCases = []policyCase{
	{"empty file", "", "error", []string{"1:0 error policy-empty", "1:0 error policy-max-age-missing", "1:0 error policy-mode-missing", "1:0 error policy-version-missing"}},
	{"version twice", lines(vers, vers, testing_, mx1, age), "error", []string{"2:1 error policy-version-duplicate"}},
	{"max_age twice", lines(vers, testing_, mx1, age, "max_age: 86400"), "error", []string{"5:1 error policy-max-age-duplicate"}},
	{"no colon", lines(vers, testing_, "mx mx1.example.com", age), "error", []string{"1:0 error policy-mx-missing", "3:1 error policy-line-syntax"}},
	{"mx_host typo", lines(vers, testing_, mx1, age, "mx_host: mx2.example.com"), "warning", []string{"5:1 warning policy-key-typo"}},
	{"maxage typo", lines(vers, testing_, mx1, "maxage: 86400"), "error", []string{"1:0 error policy-max-age-missing", "4:1 warning policy-key-typo"}},
	{"note is no typo of mode", lines(vers, testing_, mx1, age, "note: hello"), "valid", []string{"5:1 notice policy-extension"}},
	// RFC 8461 §3.2: a key outside sts-policy-ext-name makes the line no
	// field, so senders reject the policy, whatever the key looks like.
	{"commented-out mx", lines(vers, testing_, mx1, age, "#mx: mx2.example.com"), "error", []string{"5:1 error policy-line-syntax"}},
	{"m; is no key", lines(vers, testing_, mx1, age, "m;: mx2.example.com"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"m= is no key", lines(vers, testing_, mx1, age, "m=: mx2.example.com"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"mx; is no key", lines(vers, testing_, mx1, age, "mx;: mx2.example.com"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"-mx is no key", lines(vers, testing_, mx1, age, "-mx: mx2.example.com"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"_mx is no key", lines(vers, testing_, mx1, age, "_mx: mx2.example.com"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"33-char mx_ key", lines(vers, testing_, mx1, age, "mx_"+strings.Repeat("h", 30)+": mx2.example.com"), "error", []string{"5:1 error policy-extension-invalid"}},
	{"-mode is no key", lines(vers, "-mode: enforce", mx1, age), "error", []string{"1:0 error policy-mode-missing", "2:1 error policy-extension-invalid"}},
	{"m; as the only mx", lines(vers, enforce, "m;: mx0.example.com", age), "error", []string{"1:0 error policy-mx-missing", "3:1 error policy-extension-invalid"}},
	{"mx. typo", lines(vers, testing_, mx1, age, "mx.: mx2.example.com"), "warning", []string{"5:1 warning policy-key-typo"}},
	{"MX typo", lines(vers, testing_, mx1, age, "MX: mx2.example.com"), "warning", []string{"5:1 warning policy-key-typo"}},
	// RFC 5891 §4.2.3: LDH labels that are no valid IDNA 2008 name; mox
	// (golang.org/x/net/idna) rejects them.
	{"reserved -- label", lines(vers, testing_, "mx: ab--cd.example.com", age), "warning", mxIDNA},
	{"xn-- label decoding to a control character", lines(vers, testing_, "mx: xn--a.example.com", age), "warning", mxIDNA},
	{"xn-- label that is no Punycode", lines(vers, testing_, "mx: xn--9.example.com", age), "warning", mxIDNA},
	{"xn-- label decoding to an upper-case letter", lines(vers, testing_, "mx: xn--wca.example.com", age), "warning", mxIDNA},
	{"xn-- label starting with a combining mark", lines(vers, testing_, "mx: xn--a-wbb.example.com", age), "warning", mxIDNA},
	{"xn-- label decoding to a reserved -- label", lines(vers, testing_, "mx: xn--ab---3ra.example.com", age), "warning", mxIDNA},
	{"xn-- label decoding to a leading hyphen", lines(vers, testing_, "mx: xn----eha.example.com", age), "warning", mxIDNA},
	{"xn-- label decoding to a no-break space", lines(vers, testing_, "mx: mail.xn--6a7p.example", age), "warning", mxIDNA},
	{"wildcard over a reserved -- label", lines(vers, testing_, "mx: *.ab--cd.example.com", age), "warning", []string{"3:5 warning policy-mx-idna", "3:5 warning policy-mx-wildcard"}},
	{"upper-case A-label", lines(vers, testing_, "mx: XN--BCHER-KVA.example", age), "valid", nil},
	{"A-label with an emoji", lines(vers, testing_, "mx: xn--ls8h.example", age), "valid", nil},
	{"enforce 14 days", lines(vers, enforce, mx1, "max_age: 1209600"), "valid", nil},
	{"two bare CRs", "version: STSv1\rmode: testing\nmx: mx1.example.com\rmax_age: 1296000\n", "error", []string{"1:15 error policy-bare-cr"}},
	// A bare CR is no line break: what follows it stays on its line, as
	// git and grep -n count lines, and later lines keep their numbers.
	{"bare CR: positions count lines at LF", "version: STSv1\rmode: Testing\nmx: mx1.example.com\n  max_age: 1296000\n", "error",
		[]string{"1:15 error policy-bare-cr", "1:22 error policy-mode-invalid", "3:1 error policy-leading-space"}},
	{"bare CR before a blank and a bad line", "version: STSv1\r\rmode: testing\nmx: mx1.example.com\nmax_age: 1296000\r# note\n", "error",
		[]string{"1:15 error policy-bare-cr", "1:16 error policy-blank-line", "3:18 error policy-line-syntax"}},
	// The BOM's three bytes count in the columns of the first line.
	{"BOM: byte columns", "\ufeff" + lines("version: STSv2", testing_, mx1, age), "error",
		[]string{"1:1 error policy-bom", "1:13 error policy-version-invalid"}},
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range append(policyVectors, moreCases...) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, diags := Parse([]byte(tc.in))
			diags.Sort()
			if diff := cmp.Diff(tc.diags, project(diags)); diff != "" {
				t.Errorf("Parse(%q) diagnostics mismatch (-want +got):\n%s", tc.in, diff)
			}
			if got := verdict(diags); got != tc.verdict {
				t.Errorf("Parse(%q) verdict = %s, want %s", tc.in, got, tc.verdict)
			}
			checkPositions(t, tc.in, diags)
		})
	}
}

// TestUnknownKeyHint checks that a key outside the grammar that looks like
// a known key names that key in its hint.
func TestUnknownKeyHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"m;: mx2.example.com", []string{`policy-extension-invalid: did you mean "mx"? Rename the key to "mx"`}},
		{"-max_age: 86400", []string{`policy-extension-invalid: did you mean "max_age"? Rename the key to "max_age"`}},
		{"x@y: z", []string{"policy-extension-invalid: fix or remove the line"}},
		{"nmx: mx2.example.com", []string{`policy-key-typo: rename the key to "mx"`}},
		{"#mx: mx2.example.com", []string{"policy-line-syntax: delete the comment line, or remove the '#' if the line is a field that should count; keep notes in the repository"}},
	} {
		_, diags := Parse([]byte(lines(vers, testing_, mx1, age, tc.line)))
		var got []string
		for _, d := range diags {
			got = append(got, fmt.Sprintf("%s: %s", d.Code, d.Hint))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("Parse(... %q) hints mismatch (-want +got):\n%s", tc.line, diff)
		}
	}
}

// TestFieldLines: the line of a field is its line in the file, counted
// at LF as git and grep -n do, also after a bare CR.
func TestFieldLines(t *testing.T) {
	t.Parallel()
	p, _ := Parse([]byte("version: STSv1\rmode: testing\r\nmx: mx1.example.com\rmx: mx2.example.com\nmax_age: 1296000"))
	want := []Field{
		{"version", "STSv1", 1}, {"mode", "testing", 1}, {"mx", "mx1.example.com", 2},
		{"mx", "mx2.example.com", 2}, {"max_age", "1296000", 3},
	}
	if diff := cmp.Diff(want, p.Fields); diff != "" {
		t.Errorf("Fields mismatch (-want +got):\n%s", diff)
	}
}

func TestParseValue(t *testing.T) {
	t.Parallel()
	in := "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.mx.example.net\r\nmax_age: 31557600\r\nx-note: hi\r\n"
	got, diags := Parse([]byte(in))
	if diags.Max() == diag.Error {
		t.Fatalf("Parse: unexpected errors %v", diags)
	}
	want := &Policy{
		Mode:       ModeEnforce,
		MaxAge:     31557600,
		MX:         []string{"mail.example.com", "*.mx.example.net"},
		Extensions: []Extension{{"x-note", "hi"}},
		Fields: []Field{
			{"version", "STSv1", 1}, {"mode", "enforce", 2}, {"mx", "mail.example.com", 3},
			{"mx", "*.mx.example.net", 4}, {"max_age", "31557600", 5}, {"x-note", "hi", 6},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse mismatch (-want +got):\n%s", diff)
	}
	if got.Line("mode") != 2 || got.Line("absent") != 0 {
		t.Errorf("Line: mode on %d, absent on %d", got.Line("mode"), got.Line("absent"))
	}
	if got.Format() != in {
		t.Errorf("Format() = %q, want %q", got.Format(), in)
	}
}

// checkPositions asserts that every diagnostic lies inside the input,
// with lines counted at LF and byte columns, as git and grep -n count them.
func checkPositions(t *testing.T, in string, diags diag.List) {
	t.Helper()
	ls := strings.Split(in, "\n")
	for _, d := range diags {
		for _, p := range []diag.Pos{d.Start, d.End} {
			if p.IsZero() {
				continue
			}
			if p.Line < 1 || p.Line > len(ls) {
				t.Errorf("%s: line %d outside 1..%d", d, p.Line, len(ls))
				continue
			}
			if width := len(ls[p.Line-1]); p.Column < 0 || p.Column > width+1 {
				t.Errorf("%s: column %d outside 0..%d", d, p.Column, width+1)
			}
		}
	}
}

// TestMessagesQuoteExcerpts: a message names the offending token by a
// short excerpt, however long the line (DESIGN §1.11).
func TestMessagesQuoteExcerpts(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("SECRET", 2000)
	for _, line := range []string{"mode: " + long, "mx: " + long, "max_age: " + long, long + ": x", "x" + long[:20] + ": \x01"} {
		_, diags := Parse([]byte(lines(vers, line, mx1, age)))
		if len(diags) == 0 {
			t.Errorf("Parse(%.20q…) gave no diagnostic", line)
		}
		for _, d := range diags {
			if len(d.Message) > 600 || strings.Count(d.Message, "SECRET") > 7 {
				t.Errorf("Parse(%.20q…): %s message of %d bytes quotes too much", line, d.Code, len(d.Message))
			}
		}
	}
}
