package tlsrpt

import (
	"bytes"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
)

// reportWith returns minimal with its policies array replaced by
// policies (the JSON text of the array's elements).
func reportWith(policies string) string {
	i := strings.Index(minimal, `"policies":[`) + len(`"policies":[`)
	return minimal[:i] + policies + "]}"
}

// TestDecodePolicyTypeCase checks that policy-type is compared without
// regard to case: an entry of type "STS" is an sts entry, not an
// unknown type dropped without a word.
func TestDecodePolicyTypeCase(t *testing.T) {
	t.Parallel()
	entry := func(typ string) string {
		return `{"policy":{"policy-type":"` + typ + `","policy-domain":"example.com"},` +
			`"summary":{"total-successful-session-count":3,"total-failure-session-count":0}}`
	}
	src := reportWith(entry("STS") + "," + entry("Tlsa") + "," + entry("No-Policy-Found") + "," + entry(" sts "))
	var types []string
	agg := NewAggregator(Options{AsOf: asOf}, nil)
	diags := NewDecoder(DefaultLimits()).DecodeBytes("in", []byte(src), func(r Report) {
		for _, p := range r.Policies {
			types = append(types, p.Type)
		}
		agg.Add(r)
	})
	if diff := cmp.Diff([]string{"sts", "tlsa", "no-policy-found", "sts"}, types); diff != "" || len(diags) != 0 {
		t.Errorf("types (-want +got):\n%s\n%v", diff, diags)
	}
	w := agg.Window("example.com")
	if day := w.dayOf("2026-05-01"); day.Successful != 6 || day.Status != DayDirty {
		t.Errorf("2026-05-01: %+v, want 6 successful sessions (sts) and dirty (no-policy-found)", day)
	}
}

// dayOf returns the day of w with the given date.
func (w *Window) dayOf(date string) Day {
	for _, d := range w.Days {
		if d.Date == date {
			return d
		}
	}
	return Day{}
}

// TestDetailsExceedTotal checks the Mail.ru quirk (reference §4, J10):
// failure-details that add up to more than total-failure-session-count.
// RFC 8460 §4.4 makes the total the count of failed sessions, so the
// day counts the total; the details still say what kind of failures
// they were (and make the day dirty), and a notice says that the two
// disagree.
func TestDetailsExceedTotal(t *testing.T) {
	t.Parallel()
	detail := func(rt string, n int) string {
		return `{"result-type":"` + rt + `","failed-session-count":` + strconv.Itoa(n) + `}`
	}
	entry := func(total int, details ...string) string {
		return `{"policy":{"policy-type":"sts","policy-domain":"example.com"},` +
			`"summary":{"total-successful-session-count":5,"total-failure-session-count":` + strconv.Itoa(total) + `},` +
			`"failure-details":[` + strings.Join(details, ",") + `]}`
	}
	for _, tc := range []struct {
		name                      string
		entry                     string
		failed, blocking, grouped int64
		status                    string
	}{
		{"Mail.ru: two details of one session each, total 1",
			entry(1, detail("sts-policy-fetch-error", 1), detail("sts-policy-fetch-error", 1)), 1, 1, 2, DayDirty},
		{"details of a blocking and an unrecognized type, total 3",
			entry(3, detail("certificate-expired", 2), detail("validation-failure", 4)), 3, 2, 6, DayDirty},
		{"unrecognized details over the total",
			entry(2, detail("validation-failure", 5)), 2, 0, 5, DayClean},
		{"details agree with the total",
			entry(3, detail("certificate-expired", 3)), 3, 3, 3, DayDirty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			agg := NewAggregator(Options{AsOf: asOf}, nil)
			var failed []int64
			diags := NewDecoder(DefaultLimits()).DecodeBytes("in", []byte(reportWith(tc.entry)), func(r Report) {
				failed = append(failed, r.Policies[0].Failed)
				agg.Add(r)
			})
			w := agg.Window("example.com")
			day := w.dayOf("2026-05-01")
			if len(failed) != 1 || failed[0] != tc.failed || day.Failed != tc.failed || day.Blocking != tc.blocking || day.Status != tc.status {
				t.Errorf("entry failed %v; day %+v; want failed %d, blocking %d, %s", failed, day, tc.failed, tc.blocking, tc.status)
			}
			var grouped int64
			for _, f := range w.Failures {
				grouped += f.Sessions
			}
			if grouped != tc.grouped {
				t.Errorf("failure groups hold %d sessions, want the details' %d: %+v", grouped, tc.grouped, w.Failures)
			}
			exceeds := diags.Has(diag.ReportFailuresExceed)
			if want := tc.grouped > tc.failed; exceeds != want || len(diags) != 0 && !exceeds {
				t.Errorf("diagnostics %v, want %s: %v", diags.Codes(), diag.ReportFailuresExceed, want)
			}
		})
	}
}

// TestDecodeSaturation checks that failed-session-counts that add up to
// more than 2^63-1 give a sum held there, with one warning per source.
func TestDecodeSaturation(t *testing.T) {
	t.Parallel()
	const max = "9223372036854775807"
	entry := `{"policy":{"policy-type":"sts","policy-domain":"example.com"},"summary":{"total-successful-session-count":1},` +
		`"failure-details":[{"result-type":"certificate-expired","failed-session-count":` + max + `},` +
		`{"result-type":"certificate-expired","failed-session-count":` + max + `}]}`
	src := reportWith(entry) + "\n" + strings.Replace(reportWith(entry), `"r1"`, `"r2"`, 1)
	var failed []int64
	diags := NewDecoder(DefaultLimits()).DecodeBytes("in", []byte(src), func(r Report) { failed = append(failed, r.Policies[0].Failed) })
	if diff := cmp.Diff([]int64{math.MaxInt64, math.MaxInt64}, failed); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
	want := []diag.Code{diag.ReportCountSaturated, diag.ReportCountMissing, diag.ReportCountMissing}
	if diff := cmp.Diff(want, diags.Codes()); diff != "" {
		t.Fatalf("diagnostics (-want +got):\n%s", diff)
	}
	if !strings.Contains(diags[0].Message, "in 2 policy entries") {
		t.Errorf("message %q does not count the entries", diags[0].Message)
	}
}

// dropLines returns b without its last n lines.
func dropLines(b []byte, n int) []byte {
	lines := bytes.SplitAfter(bytes.TrimRight(b, "\r\n"), []byte("\n"))
	return bytes.Join(lines[:len(lines)-n], nil)
}

// TestDecodeReadToTheEnd checks inputs whose reports were all read but
// that do not end as they should: a report mail without the closing
// MIME delimiter (a real Mail.ru report), gzip data followed by bytes
// that are not a gzip member. That is a notice, not "reports lost";
// where a report is cut short, it is still an error.
func TestDecodeReadToTheEnd(t *testing.T) {
	t.Parallel()
	mail := readFixture(t, "google-gzip.eml")
	qp := readFixture(t, "quoted-printable.eml")
	gz := gzipped(t, []byte(minimal))
	for _, tc := range []struct {
		name    string
		src     []byte
		reports int
		want    []diag.Code
	}{
		{"mail with its closing delimiter", mail, 1, nil},
		{"mail without its closing delimiter", dropLines(mail, 1), 1, []diag.Code{diag.ReportMIMEUnterminated}},
		{"JSON part without the closing delimiter", dropLines(qp, 1), 1, []diag.Code{diag.ReportMIMEUnterminated}},
		{"mail cut inside its gzip part", dropLines(mail, 2), 0, []diag.Code{diag.ReportUnreadable, diag.ReportMIMEUnterminated}},
		{"mbox message without the closing delimiter", append(append([]byte("From x\n"), dropLines(qp, 1)...), "\nFrom y\n"+string(qp)...), 2,
			[]diag.Code{diag.ReportMIMEUnterminated}},
		{"gzip, then text", append(slices.Clip(gz), "garbage\n"...), 1, []diag.Code{diag.ReportGzipTrailingData}},
		{"gzip, then zeros", append(slices.Clip(gz), make([]byte, 512)...), 1, []diag.Code{diag.ReportGzipTrailingData}},
		{"two gzip members", append(slices.Clip(gz), gzipped(t, []byte("\n"+strings.Replace(minimal, "r1", "r2", 1)))...), 2, nil},
		{"gzip, then a broken gzip member", append(slices.Clip(gz), 0x1f, 0x8b, 0, 0), 1, []diag.Code{diag.ReportUnreadable}},
		{"gzip trailer cut short", gz[:len(gz)-4], 1, []diag.Code{diag.ReportUnreadable}},
		{"gzip cut short", gz[:len(gz)-12], 0, []diag.Code{diag.ReportUnreadable}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, whole := range []bool{false, true} {
				n := 0
				emit := func(Report) { n++ }
				var diags diag.List
				if whole {
					diags = NewDecoder(DefaultLimits()).DecodeBytes("in", tc.src, emit)
				} else {
					diags = Decode("in", bytes.NewReader(tc.src), DefaultLimits(), emit)
				}
				if diff := cmp.Diff(tc.want, diags.Codes(), cmpopts.EquateEmpty()); diff != "" || n != tc.reports {
					t.Errorf("DecodeBytes %v: %d reports, want %d; codes (-want +got):\n%s\n%v", whole, n, tc.reports, diff, diags)
				}
			}
		})
	}
}

// headerMail returns a report mail whose header block holds n more
// bytes of header fields.
func headerMail(n int) []byte {
	var b bytes.Buffer
	b.WriteString("From: reports@sender.example\r\n")
	for b.Len() < n {
		b.WriteString("X-Padding: some header field\r\n")
	}
	b.WriteString("Content-Type: application/tlsrpt+json\r\n\r\n" + minimal + "\r\n")
	return b.Bytes()
}

// TestDecodeHeaderLimit checks MaxHeaderBytes: a mail whose header block
// is larger is not read (one error for the source, however many such
// mails it holds), and the mails around it still are.
func TestDecodeHeaderLimit(t *testing.T) {
	t.Parallel()
	lim := DefaultLimits()
	lim.MaxHeaderBytes = 4 << 10
	small, large := headerMail(1<<10), headerMail(8<<10)
	mbox := func(mails ...[]byte) []byte {
		var b bytes.Buffer
		for _, m := range mails {
			b.WriteString("From x\n")
			b.Write(m)
		}
		return b.Bytes()
	}
	for _, tc := range []struct {
		name    string
		src     []byte
		reports int
		want    []diag.Code
		message string
	}{
		{"header under the limit", small, 1, nil, ""},
		{"header over the limit", large, 0, []diag.Code{diag.ReportHeaderTooLarge}, "a mail"},
		{"gzip of a mail with a large header", gzipped(t, large), 0, []diag.Code{diag.ReportHeaderTooLarge}, "a mail"},
		{"mbox", mbox(small, large, large, small, large), 2, []diag.Code{diag.ReportHeaderTooLarge}, "3 mails"},
		{"forwarded", []byte("Content-Type: message/rfc822\r\n\r\n" + string(large)), 0, []diag.Code{diag.ReportHeaderTooLarge}, "a mail"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			diags := Decode("in", bytes.NewReader(tc.src), lim, func(Report) { n++ })
			if diff := cmp.Diff(tc.want, diags.Codes(), cmpopts.EquateEmpty()); diff != "" || n != tc.reports {
				t.Fatalf("%d reports, want %d; codes (-want +got):\n%s\n%v", n, tc.reports, diff, diags)
			}
			if tc.message != "" && !strings.Contains(diags[0].Message, tc.message+" with a header") {
				t.Errorf("message %q does not say %q", diags[0].Message, tc.message)
			}
		})
	}
}

// TestDecodeHeaderMemory checks that refusing a mail with a header of
// many megabytes allocates in proportion to MaxHeaderBytes, not to the
// header. It does not call t.Parallel: it measures the allocations of
// the whole process.
func TestDecodeHeaderMemory(t *testing.T) {
	src := gzipped(t, headerMail(32<<20))
	lim := DefaultLimits()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	diags := Decode("in", bytes.NewReader(src), lim, nil)
	runtime.ReadMemStats(&after)
	if !diags.Has(diag.ReportHeaderTooLarge) {
		t.Errorf("header not refused: %v", diags)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*uint64(lim.MaxHeaderBytes)+2<<20 {
		t.Errorf("refusing a header of 32 MiB allocated %d bytes", alloc)
	}
}

// TestDecodeDepthLimit checks MaxDepth: content nested deeper is not
// read, with one error for the source however often that happens.
func TestDecodeDepthLimit(t *testing.T) {
	t.Parallel()
	lim := DefaultLimits()
	lim.MaxDepth = 3
	deep := gzipTimes(t, []byte(minimal), 4)
	for _, tc := range []struct {
		name    string
		src     []byte
		reports int
		message string
	}{
		{"within the limit", gzipTimes(t, []byte(minimal), 2), 1, ""},
		{"one too deep", deep, 0, "one input"},
		{"zip of three too deep", zipOf(t, map[string][]byte{"a": deep, "b": []byte(minimal), "c": deep, "d": deep}), 1, "3 inputs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			diags := Decode("in", bytes.NewReader(tc.src), lim, func(Report) { n++ })
			var want []diag.Code
			if tc.message != "" {
				want = []diag.Code{diag.ReportUnreadable}
			}
			if diff := cmp.Diff(want, diags.Codes(), cmpopts.EquateEmpty()); diff != "" || n != tc.reports {
				t.Fatalf("%d reports, want %d; codes (-want +got):\n%s\n%v", n, tc.reports, diff, diags)
			}
			if tc.message != "" && !strings.Contains(diags[0].Message, tc.message+" nested") {
				t.Errorf("message %q does not say %q", diags[0].Message, tc.message)
			}
		})
	}
}

// hostileSeeds are small versions of the hostile inputs the limits are
// for (issue 12), for the fuzz tests: every cap is hit with fuzzLimits.
func hostileSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	mail := readFixture(tb, "google-gzip.eml")
	gz := gzipped(tb, []byte(minimal))
	many := func(elem string, n int) string { return strings.Repeat(elem+",", n) + elem }
	detail := capDetail("certificate-expired", "192.0.2.1", 1)
	return [][]byte{
		headerMail(8 << 10),
		[]byte("From x\n" + string(headerMail(1<<10)) + "From y\n" + string(headerMail(8<<10))),
		gzipTimes(tb, []byte(minimal), 14),
		dropLines(mail, 1),
		append(slices.Clip(gz), "garbage"...),
		[]byte("[" + many("{}", 500) + "]"),
		[]byte(reportWith(many("{}", 50))),
		[]byte(reportWith(capEntry(1, 9, many(detail, 12)))),
		[]byte(reportWith(many(capEntry(1, 3, detail, detail, detail), 4))),
		[]byte(strings.Replace(reportWith(capEntry(1, 0)), `"sts"`, `"STS"`, 1)),
		[]byte(reportWith(`{"policy":{"policy-type":"sts","policy-domain":"example.com","policy-string":[` +
			many(`"mx: a.example"`, 20) + `]},"summary":{"total-successful-session-count":1}}`)),
		[]byte(strings.Replace(minimal, `"Org"`, `"`+strings.Repeat("é", 40)+`"`, 1)),
		[]byte(reportWith(capEntry(1, 0, capDetail("certificate-expired", "192.0.2.1", math.MaxInt64), capDetail("x", "192.0.2.2", math.MaxInt64)))),
	}
}

// TestDecoderAfterBadGzip checks that a Decoder that met gzip data with
// a broken header reads the next gzip source.
func TestDecoderAfterBadGzip(t *testing.T) {
	t.Parallel()
	dec := NewDecoder(DefaultLimits())
	dec.Decode("bad", bytes.NewReader([]byte{0x1f, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), nil)
	n := 0
	diags := dec.Decode("good", bytes.NewReader(gzipped(t, []byte(minimal))), func(Report) { n++ })
	if n != 1 || len(diags) != 0 {
		t.Errorf("%d reports, %v", n, diags)
	}
}
