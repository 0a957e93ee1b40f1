package tlsrpt

import (
	"strings"
	"testing"
	"testing/iotest"
)

// TestScanLinear checks that cutting reports out of the stream takes
// work in proportion to the input, whatever its shape, by counting the
// bytes the scanner moves within its buffer (when it compacts or grows
// it): never more than the input has. Counting work rather than timing
// it keeps the test exact on a busy machine. The inputs are arrays and
// streams of many small reports, read from memory (DecodeBytes, gzip)
// and through a stream (Decode), and small reports after a large one,
// which grew the buffer.
func TestScanLinear(t *testing.T) {
	t.Parallel()
	large := strings.Replace(minimal, `"r1"`, `"`+strings.Repeat("x", 1<<20)+`"`, 1)
	inputs := map[string]func(n int) string{
		"array of {}": func(n int) string { return "[" + strings.Repeat("{},", n) + "{}]" },
		"array of reports": func(n int) string {
			return "[" + strings.Repeat(minimal+",", n/20) + minimal + "]"
		},
		"NDJSON after a large report": func(n int) string {
			return large + "\n" + strings.Repeat(minimal+"\n", n/20)
		},
	}
	for name, input := range inputs {
		for _, n := range []int{100000, 200000} {
			src := input(n)
			for _, whole := range []bool{false, true} {
				d := NewDecoder(DefaultLimits())
				d.scan.moved = 0
				if whole {
					d.DecodeBytes("in", gzipped(t, []byte(src)), nil)
				} else {
					d.Decode("in", strings.NewReader(src), nil)
				}
				if d.scan.moved > 2*int64(len(src)) {
					t.Errorf("%s, %d elements, DecodeBytes %v: %d bytes moved for %d bytes of input", name, n, whole, d.scan.moved, len(src))
				}
			}
		}
	}
}

// TestScanValueAfterCompaction checks that a value the scanner has read
// partly, with keys hidden from encoding/json, survives the buffer being
// compacted under it.
func TestScanValueAfterCompaction(t *testing.T) {
	t.Parallel()
	variant := strings.Replace(minimal, `"organization-name"`, `"Organization-Name"`, 1)
	variant = strings.Replace(variant, `"report-id"`, `"REPORT-ID"`, 1)
	for pad := 0; pad < 5000; pad += 97 {
		src := minimal + strings.Repeat(" ", pad) + "\n" + variant + "\n" + minimal
		d := NewDecoder(DefaultLimits())
		d.scan.mode = decodeCut
		var got []Report
		diags := d.Decode("in", iotest.OneByteReader(strings.NewReader(src)), func(r Report) { got = append(got, r) })
		if len(got) != 3 || got[1].Organization != "" || got[1].ReportID != "" || got[2].ReportID != "r1" {
			t.Fatalf("pad %d: %+v, %v", pad, got, diags)
		}
	}
}
