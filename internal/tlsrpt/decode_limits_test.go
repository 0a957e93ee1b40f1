package tlsrpt

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// bomb returns gzip data that expands to a report of n bytes: a valid
// start and a string that never ends.
func bomb(tb testing.TB, n int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	buf.WriteString(`{"organization-name":"`)
	buf.Write(bytes.Repeat([]byte{'a'}, n))
	return gzipped(tb, buf.Bytes())
}

func zipOf(tb testing.TB, members map[string][]byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(members)) {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write(members[name]); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func gzipTimes(tb testing.TB, b []byte, n int) []byte {
	for range n {
		b = gzipped(tb, b)
	}
	return b
}

// TestDecodeLimits covers J23 and the other bounds: every input that
// would take too much memory or time is refused with a diagnostic naming
// the source, and what was read before it is kept.
func TestDecodeLimits(t *testing.T) {
	t.Parallel()
	small := Limits{MaxReport: 64 << 10, MaxSource: 1 << 20, MaxParts: 3}
	ndjson := strings.Repeat(minimal+"\n", (1<<20)/len(minimal)+10)
	mbox := strings.Repeat("From x\nContent-Type: application/tlsrpt+json\n\n"+minimal+"\n", 5)
	for _, tc := range []struct {
		name    string
		src     []byte
		lim     Limits
		reports int
		want    []gotDiag
	}{
		{"J23 gzip bomb, default limits", bomb(t, 21<<20), DefaultLimits(), 0, []gotDiag{dg(diag.ReportTooLarge, "in", 1, 1)}},
		{"J23 gzip bomb", bomb(t, 8<<20), small, 0, []gotDiag{dg(diag.ReportTooLarge, "in", 1, 1)}},
		{"J23 zip bomb", zipOf(t, map[string][]byte{"a.json": append([]byte(`{"a":"`), bytes.Repeat([]byte{'a'}, 8<<20)...)}), small, 0,
			[]gotDiag{dg(diag.ReportTooLarge, "in#a.json", 1, 1)}},
		{"gzip of white space", gzipped(t, append([]byte(minimal), bytes.Repeat([]byte{' '}, 8<<20)...)), small, 1,
			[]gotDiag{dg(diag.ReportTooLarge, "in", 0, 0)}},
		{"source budget", []byte(ndjson), small, (1 << 20) / (len(minimal) + 1), []gotDiag{dg(diag.ReportTooLarge, "in", 0, 0)}},
		{"zip members", zipOf(t, map[string][]byte{"1": []byte(minimal), "2": []byte(minimal), "3": []byte(minimal), "4": []byte(minimal)}), small, 3,
			[]gotDiag{dg(diag.ReportTooManyParts, "in#4", 0, 0)}},
		{"mbox messages", []byte(mbox), small, 3, []gotDiag{dg(diag.ReportTooManyParts, "in#4", 0, 0)}},
		{"gzip nesting", gzipTimes(t, []byte(minimal), 20), small, 0, []gotDiag{dg(diag.ReportUnreadable, "in", 0, 0)}},
		{"gzip nesting within bounds", gzipTimes(t, []byte(minimal), 5), small, 1, nil},
		{"truncated gzip", gzipped(t, []byte(minimal))[:60], small, 0, []gotDiag{dg(diag.ReportUnreadable, "in", 0, 0)}},
		{"corrupt gzip header", []byte{0x1f, 0x8b, 0, 0, 0}, small, 0, []gotDiag{dg(diag.ReportUnreadable, "in", 0, 0)}},
		{"corrupt zip", []byte("PK\x03\x04 not really"), small, 0, []gotDiag{dg(diag.ReportUnreadable, "in", 0, 0)}},
		{"gzip of text", gzipped(t, []byte("hello")), small, 0, []gotDiag{dg(diag.ReportFormatUnknown, "in", 0, 0)}},
		{"gzip of nothing", gzipped(t, nil), small, 0, []gotDiag{dg(diag.ReportNotFound, "in", 0, 0)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			diags := Decode("in", bytes.NewReader(tc.src), tc.lim, func(Report) { n++ })
			if diff := cmp.Diff(tc.want, projectDiags(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, diags)
			}
			if n != tc.reports {
				t.Errorf("%d reports, want %d", n, tc.reports)
			}
		})
	}
}

// TestDecodeBombMemory checks that refusing a bomb allocates in
// proportion to MaxReport, not to what the bomb expands to. It does not
// call t.Parallel: it measures the allocations of the whole process.
func TestDecodeBombMemory(t *testing.T) {
	const maxReport = 1 << 20
	for _, src := range [][]byte{
		bomb(t, 64<<20),
		zipOf(t, map[string][]byte{"bomb.json": append([]byte(`{"a":"`), bytes.Repeat([]byte{'a'}, 64<<20)...)}),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		diags := Decode("bomb", bytes.NewReader(src), Limits{MaxReport: maxReport}, func(Report) {})
		runtime.ReadMemStats(&after)
		if !diags.Has(diag.ReportTooLarge) {
			t.Errorf("bomb not refused: %v", diags)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4*maxReport+uint64(len(src))+1<<20 {
			t.Errorf("refusing a bomb of %d compressed bytes allocated %d bytes", len(src), alloc)
		}
	}
}

// TestDecodeReadError checks that a failing reader gives a diagnostic and
// keeps the reports read before the failure.
func TestDecodeReadError(t *testing.T) {
	t.Parallel()
	r := io.MultiReader(strings.NewReader(minimal+"\n"+minimal[:40]), errReader{})
	n := 0
	diags := Decode("in", r, DefaultLimits(), func(Report) { n++ })
	if n != 1 || len(diags) != 1 || diags[0].Code != diag.ReportUnreadable || !strings.Contains(diags[0].Message, "disk on fire") {
		t.Errorf("got %d reports and %v", n, diags)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, fmt.Errorf("disk on fire") }

// TestDecoderReuse checks that a Decoder gives the same results however
// it was used before.
func TestDecoderReuse(t *testing.T) {
	t.Parallel()
	dec := NewDecoder(DefaultLimits())
	inputs := [][]byte{readFixture(t, "reports.mbox"), bomb(t, 1<<10), readFixture(t, "reports.zip"), gzipped(t, []byte(minimal))}
	for round := range 2 {
		for i, src := range inputs {
			var got []Report
			dec.Decode("in", bytes.NewReader(src), func(r Report) { got = append(got, r) })
			fresh := []Report{}
			Decode("in", bytes.NewReader(src), DefaultLimits(), func(r Report) { fresh = append(fresh, r) })
			if diff := cmp.Diff(fresh, got, reportOpts); diff != "" {
				t.Errorf("round %d input %d: reused decoder differs (-fresh +reused):\n%s", round, i, diff)
			}
		}
	}
}

// TestDecodeOneByteReads checks that results do not depend on how the
// input is cut into reads.
func TestDecodeOneByteReads(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var whole, bytewise []Report
		d1 := Decode("in", bytes.NewReader(src), DefaultLimits(), func(r Report) { whole = append(whole, r) })
		d2 := Decode("in", iotest.OneByteReader(bytes.NewReader(src)), DefaultLimits(), func(r Report) { bytewise = append(bytewise, r) })
		if diff := cmp.Diff(whole, bytewise, reportOpts); diff != "" {
			t.Errorf("%s: reports differ (-whole +bytewise):\n%s", name, diff)
		}
		if diff := cmp.Diff(d1, d2); diff != "" {
			t.Errorf("%s: diagnostics differ (-whole +bytewise):\n%s", name, diff)
		}
	}
}

// TestDecodeLargeThenSmall checks that many small reports after a large
// one are read in linear time: the buffer the large one grew must not be
// moved for each small one. It counts the bytes moved (TestScanLinear)
// rather than timing the run.
func TestDecodeLargeThenSmall(t *testing.T) {
	t.Parallel()
	large := strings.Replace(minimal, `"r1"`, `"`+strings.Repeat("x", 4<<20)+`"`, 1)
	src := large + "\n" + strings.Repeat(minimal+"\n", 20000)
	n := 0
	d := NewDecoder(DefaultLimits())
	diags := d.Decode("in", strings.NewReader(src), func(Report) { n++ })
	if n != 20001 || len(diags) != 1 || diags[0].Code != diag.ReportStringCut { // the large report-id
		t.Fatalf("%d reports, %v", n, diags)
	}
	if d.scan.moved > 2*int64(len(src)) {
		t.Errorf("%d bytes moved for %d bytes of input", d.scan.moved, len(src))
	}
}

// TestDecodeFindingsCapped checks that one source lists at most 100
// findings of a code and says so, while its reports are still read, and
// that a different finding after them is still listed.
func TestDecodeFindingsCapped(t *testing.T) {
	t.Parallel()
	noZone := strings.ReplaceAll(minimal, ":00Z", ":00")
	noZone = strings.ReplaceAll(noZone, ":59Z", ":59")
	src := strings.Repeat(noZone+"\n", 1500) + "{}"
	n := 0
	diags := Decode("in", strings.NewReader(src), DefaultLimits(), func(Report) { n++ })
	want := slices.Repeat([]diag.Code{diag.ReportNoTimezone}, 100)
	want = append(want, diag.ReportProblemsCapped, diag.ReportFieldMissing)
	if diff := cmp.Diff(want, diags.Codes()); diff != "" || n != 1500 {
		t.Fatalf("%d reports; codes (-want +got):\n%s", n, diff)
	}
}
