package tlsrpt

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// minimal is a valid one-line report for example.com on 2026-05-01.
const minimal = `{"organization-name":"Org","date-range":{"start-datetime":"2026-05-01T00:00:00Z",` +
	`"end-datetime":"2026-05-01T23:59:59Z"},"report-id":"r1","policies":[{"policy":{"policy-type":"sts",` +
	`"policy-domain":"example.com"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}]}`

// spanDiag is a diagnostic with its whole span.
type spanDiag struct {
	Code       diag.Code
	Start, End diag.Pos
}

func sp(code diag.Code, l1, c1, l2, c2 int) spanDiag {
	return spanDiag{code, diag.Pos{Line: l1, Column: c1}, diag.Pos{Line: l2, Column: c2}}
}

// TestDecodeJSONErrors checks the diagnostics of broken JSON input and
// that their positions point at the offending text.
func TestDecodeJSONErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		src     string
		reports int
		want    []spanDiag
	}{
		{"syntax error", "{\n  \"organization-name\": \"x\",\n  \"policies\": [}\n}", 0,
			[]spanDiag{sp(diag.ReportJSONInvalid, 3, 16, 3, 17)}},
		{"bad last byte", "{\"a\":1,}", 0, []spanDiag{sp(diag.ReportJSONInvalid, 1, 8, 1, 9)}},
		{"unterminated", "{\"organization-name\": \"x\",\n \"policies\": [", 0,
			[]spanDiag{sp(diag.ReportJSONInvalid, 2, 15, 2, 15)}},
		{"string where an object belongs", "{\"date-range\": \"today\"}", 0,
			[]spanDiag{sp(diag.ReportFieldInvalid, 1, 16, 1, 23)}},
		{"number where a string belongs", "{\"policies\": [{\"policy\": {\"policy-domain\": 42}}]}", 0,
			[]spanDiag{sp(diag.ReportFieldInvalid, 1, 44, 1, 46)}},
		{"escaped string where an array belongs", `{"policies": "a\"b"}`, 0,
			[]spanDiag{sp(diag.ReportFieldInvalid, 1, 14, 1, 20)}},
		{"array elements", "[" + minimal + ",\n 42, \"x\", [1]\n]", 1,
			[]spanDiag{sp(diag.ReportJSONInvalid, 2, 2, 2, 4), sp(diag.ReportJSONInvalid, 2, 6, 2, 9), sp(diag.ReportJSONInvalid, 2, 11, 2, 14)}},
		{"array without comma", "[" + minimal + " " + minimal + "]", 1,
			[]spanDiag{sp(diag.ReportJSONInvalid, 1, len(minimal)+3, 1, len(minimal)+4)}},
		{"array trailing comma", "[" + minimal + ",]", 1,
			[]spanDiag{sp(diag.ReportJSONInvalid, 1, len(minimal)+3, 1, len(minimal)+4)}},
		{"array not closed", "[" + minimal + ",\n", 1,
			[]spanDiag{sp(diag.ReportJSONInvalid, 2, 1, 2, 1)}},
		{"empty array", "[ ]", 0, []spanDiag{{Code: diag.ReportNotFound}}},
		{"garbage after NDJSON", minimal + "\n" + minimal + "\nxyz", 2,
			[]spanDiag{sp(diag.ReportTrailingData, 3, 1, 3, 2)}},
		{"two objects on one line", minimal + minimal, 2, nil},
		{"not JSON at all", "hello, world", 0, []spanDiag{{Code: diag.ReportFormatUnknown}}},
		{"empty", "", 0, []spanDiag{{Code: diag.ReportNotFound}}},
		{"white space only", " \n\t ", 0, []spanDiag{{Code: diag.ReportFormatUnknown}}},
		{"no policies", `{"date-range":{"start-datetime":"2026-05-01T00:00:00Z","end-datetime":"2026-05-02T00:00:00Z"}}`, 0,
			[]spanDiag{sp(diag.ReportFieldMissing, 1, 1, 0, 0)}},
		{"no date-range", `{"policies":[]}`, 0, []spanDiag{sp(diag.ReportFieldMissing, 1, 1, 0, 0)}},
		{"range too long", strings.Replace(minimal, "2026-05-01T23", "2026-07-01T23", 1), 0,
			[]spanDiag{sp(diag.ReportRangeTooLong, 1, 1, 0, 0)}},
		{"lists of the wrong type", strings.Replace(minimal, `"policy-domain"`, `"mx-host":[1],"policy-domain"`, 1), 1,
			[]spanDiag{sp(diag.ReportPolicyInvalid, 1, 1, 0, 0)}},
		{"free text that is not a string", strings.Replace(minimal, `"summary"`,
			`"failure-details":[{"result-type":"x","failure-reason-code":421,"receiving-mx-helo":{"a":1},"failed-session-count":1}],"summary"`, 1), 1,
			[]spanDiag{sp(diag.ReportFailuresExceed, 1, 1, 0, 0)}},
		{"deep nesting", "{\"x\":" + strings.Repeat("[", 600) + strings.Repeat("]", 600) + "}", 0,
			[]spanDiag{sp(diag.ReportJSONInvalid, 1, 1, 0, 0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			diags := Decode("in.json", strings.NewReader(tc.src), DefaultLimits(), func(Report) { n++ })
			var got []spanDiag
			for _, d := range diags {
				got = append(got, spanDiag{d.Code, d.Start, d.End})
				if d.Subject != "in.json" {
					t.Errorf("%s: subject %q", d.Code, d.Subject)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, diags)
			}
			if n != tc.reports {
				t.Errorf("%d reports, want %d", n, tc.reports)
			}
		})
	}
}

// TestParseDateTime covers the date-time forms of RFC 3339 and the
// zone-less form of Microsoft's reports (J2), and the end-of-day
// normalisation (J3).
func TestParseDateTime(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time { tt, _ := time.Parse(time.RFC3339Nano, s); return tt }
	for _, tc := range []struct {
		in          string
		want, end   time.Time
		zoned, okay bool
	}{
		{"2026-05-01T00:00:00Z", utc("2026-05-01T00:00:00Z"), utc("2026-05-01T00:00:00Z"), true, true},
		{"2026-05-01T23:59:59Z", utc("2026-05-01T23:59:59Z"), utc("2026-05-02T00:00:00Z"), true, true},
		{"2026-05-01T23:59:59.999Z", utc("2026-05-01T23:59:59.999Z"), utc("2026-05-02T00:00:00Z"), true, true},
		{"2026-05-01t23:59:59z", utc("2026-05-01T23:59:59Z"), utc("2026-05-02T00:00:00Z"), true, true},
		{"2026-05-01 12:00:00+02:00", utc("2026-05-01T10:00:00Z"), utc("2026-05-01T10:00:00Z"), true, true},
		{"2026-05-01T23:59:59-05:00", utc("2026-05-02T04:59:59Z"), utc("2026-05-02T05:00:00Z"), true, true},
		{"2026-05-01T01:59:59+02:00", utc("2026-04-30T23:59:59Z"), utc("2026-05-01T00:00:00Z"), true, true},
		{"2026-05-01T00:00:00", utc("2026-05-01T00:00:00Z"), utc("2026-05-01T00:00:00Z"), false, true},
		{"2026-05-01T23:59:59.5", utc("2026-05-01T23:59:59.5Z"), utc("2026-05-02T00:00:00Z"), false, true},
		{"2026-05-01", time.Time{}, time.Time{}, false, false},
		{"2026-05-01T24:00:00Z", time.Time{}, time.Time{}, false, false},
		{"01/05/2026", time.Time{}, time.Time{}, false, false},
		{"", time.Time{}, time.Time{}, false, false},
	} {
		got, zoned, ok := parseDateTime(tc.in)
		if ok != tc.okay || zoned != tc.zoned || !got.Equal(tc.want) {
			t.Errorf("parseDateTime(%q) = %v, %v, %v; want %v, %v, %v", tc.in, got, zoned, ok, tc.want, tc.zoned, tc.okay)
		}
		if ok && !exclusiveEnd(got).Equal(tc.end) {
			t.Errorf("exclusiveEnd(%q) = %v, want %v", tc.in, exclusiveEnd(got), tc.end)
		}
	}
}

// TestCount covers the lenient session counts (J13).
func TestCount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    count
		message string
	}{
		{"0", count{n: 0, present: true}, ""},
		{"9223372036854775807", count{n: 9223372036854775807, present: true}, ""},
		{"null", count{}, ""},
		{"9223372036854775808", count{present: true, invalid: "9223372036854775808"}, "not a whole number that fits in 64 bits"},
		{`"3"`, count{present: true, invalid: `"3"`}, "is a string"},
		{"1.5", count{present: true, invalid: "1.5"}, "not a whole number"},
		{"1e3", count{present: true, invalid: "1e3"}, "not a whole number"},
		{"-1", count{present: true, invalid: "-1"}, "negative"},
		{"true", count{present: true, invalid: "true"}, "not a number"},
	} {
		var c count
		if err := c.UnmarshalJSON([]byte(tc.in)); err != nil {
			t.Fatal(err)
		}
		if c != tc.want {
			t.Errorf("count(%s) = %+v, want %+v", tc.in, c, tc.want)
		}
		if tc.message != "" && !strings.Contains(describeCount(c.invalid), tc.message) {
			t.Errorf("describeCount(%s) = %q, want it to say %q", tc.in, describeCount(c.invalid), tc.message)
		}
	}
}
