package tlsrpt

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// decodeBytesSame fails unless DecodeBytes, with dec (reused) and with
// a new Decoder, makes the same reports and diagnostics of src as
// Decode; it returns the reports.
func decodeBytesSame(t *testing.T, dec *Decoder, name string, src []byte, lim Limits) []Report {
	t.Helper()
	var want, got, fresh []Report
	wantDiags := NewDecoder(lim).Decode("in", bytes.NewReader(src), func(r Report) { want = append(want, r) })
	orig := append([]byte(nil), src...)
	gotDiags := dec.DecodeBytes("in", src, func(r Report) { got = append(got, r) })
	freshDiags := NewDecoder(lim).DecodeBytes("in", src, func(r Report) { fresh = append(fresh, r) })
	for _, c := range []struct {
		what    string
		reports []Report
		diags   diag.List
	}{{"reused", got, gotDiags}, {"new", fresh, freshDiags}} {
		if diff := cmp.Diff(want, c.reports, exactOpts); diff != "" {
			t.Errorf("%s, %s decoder: reports (-Decode +DecodeBytes):\n%s", name, c.what, diff)
		}
		if diff := cmp.Diff(wantDiags, c.diags); diff != "" {
			t.Errorf("%s, %s decoder: diagnostics (-Decode +DecodeBytes):\n%s", name, c.what, diff)
		}
	}
	if !bytes.Equal(src, orig) {
		t.Errorf("%s: DecodeBytes changed its input", name)
	}
	return got
}

// TestDecodeBytes checks that DecodeBytes is Decode, for every test
// report as it is and gzipped, and for the inputs its gzip shortcut
// leaves to the stream: gzip of other formats, gzip beyond the limits,
// broken gzip.
func TestDecodeBytes(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sources[filepath.Base(name)] = src
		sources[filepath.Base(name)+" gzipped"] = gzipped(t, src)
	}
	good := gzipped(t, []byte(minimal))
	for name, src := range map[string][]byte{
		"gzip, two members":    append(append([]byte(nil), good...), good...),
		"gzip of NDJSON":       gzipped(t, []byte(strings.Repeat(minimal+"\n", 50))),
		"gzip, trailing data":  gzipped(t, []byte(minimal+"}")),
		"gzip of text":         gzipped(t, []byte("hello")),
		"gzip of nothing":      gzipped(t, nil),
		"gzip of white space":  gzipped(t, []byte("  \n ")),
		"gzip of gzip":         gzipTimes(t, []byte(minimal), 2),
		"gzip of zip":          gzipped(t, zipOf(t, map[string][]byte{"a.json": []byte(minimal)})),
		"gzip nested too deep": gzipTimes(t, []byte(minimal), 20),
		"truncated gzip":       good[:len(good)-3],
		"gzip, bad CRC":        append(append([]byte(nil), good[:len(good)-8]...), 0, 0, 0, 0, good[len(good)-4], good[len(good)-3], good[len(good)-2], good[len(good)-1]),
		"gzip header only":     good[:10],
		"gzip magic only":      good[:2],
		"gzip bomb":            bomb(t, 2<<20),
		"empty":                nil,
	} {
		sources[name] = src
	}
	dec := NewDecoder(DefaultLimits())
	small := NewDecoder(Limits{MaxReport: 1 << 10, MaxSource: 1 << 20, MaxParts: 3})
	for round := range 2 { // the second round with decoders used before
		for name, src := range sources {
			decodeBytesSame(t, dec, name, src, DefaultLimits())
			decodeBytesSame(t, small, name+", small limits", src, small.lim)
		}
		if round == 0 && t.Failed() {
			return
		}
	}
}

// TestDecodeBytesInMemory checks that gzip of JSON, and only that, is
// read in memory: the other tests compare results, which would also
// agree if every source were left to the stream.
func TestDecodeBytesInMemory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		src      []byte
		inMemory bool
	}{
		{"gzip of a report", gzipped(t, []byte(minimal)), true},
		{"gzip of an array", gzipped(t, []byte("["+minimal+"]")), true},
		{"gzip, two members", append(gzipped(t, []byte(minimal)), gzipped(t, []byte(minimal))...), true},
		{"corpus report", corpusFiles(t, 1)[0], true},
		{"JSON", []byte(minimal), false},
		{"gzip of gzip", gzipTimes(t, []byte(minimal), 2), false},
		{"gzip of text", gzipped(t, []byte("hello")), false},
		{"gzip bomb", bomb(t, DefaultMaxReport+1), false},
	} {
		dec := NewDecoder(DefaultLimits())
		dec.DecodeBytes("in", tc.src, nil)
		if got := dec.whole.decoded == 1; got != tc.inMemory {
			t.Errorf("%s: read in memory: %v, want %v", tc.name, got, tc.inMemory)
		}
	}
}

// TestDecodeBytesBudget checks the source budget at its edge: a gzip
// report whose compressed and decompressed bytes together fill
// MaxSource exactly is read in memory, with one byte less it is left to
// the stream; either way as Decode reads it.
func TestDecodeBytesBudget(t *testing.T) {
	t.Parallel()
	src := gzipped(t, []byte(minimal))
	exact := int64(len(src) + len(minimal))
	for _, max := range []int64{exact + 1, exact, exact - 1, exact - 100} {
		lim := Limits{MaxSource: max}
		dec := NewDecoder(lim)
		decodeBytesSame(t, dec, fmt.Sprintf("MaxSource %d for %d bytes", max, exact), src, lim)
		if inMemory := dec.whole.decoded == 1; inMemory != (max >= exact) {
			t.Errorf("MaxSource %d for %d bytes: read in memory: %v", max, exact, inMemory)
		}
	}
}

// TestDecodeBytesBombMemory checks that DecodeBytes, like Decode,
// allocates in proportion to MaxReport when it refuses a bomb: the
// in-memory gzip shortcut stops at MaxReport. It does not call
// t.Parallel: it measures the allocations of the whole process.
func TestDecodeBytesBombMemory(t *testing.T) {
	const maxReport = 1 << 20
	src := bomb(t, 64<<20)
	dec := NewDecoder(Limits{MaxReport: maxReport})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	diags := dec.DecodeBytes("bomb", src, func(Report) {})
	runtime.ReadMemStats(&after)
	if !diags.Has(diag.ReportTooLarge) {
		t.Errorf("bomb not refused: %v", diags)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 6*maxReport+uint64(len(src))+1<<20 {
		t.Errorf("refusing a bomb of %d compressed bytes allocated %d bytes", len(src), alloc)
	}
	if cap(dec.whole.out) > maxKeptOutput {
		t.Errorf("the decoder keeps an output buffer of %d bytes", cap(dec.whole.out))
	}
}

// FuzzDecodeBytes holds DecodeBytes to Decode on any input.
func FuzzDecodeBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
			f.Add(gzipped(f, b))
		}
	}
	f.Add(gzipped(f, []byte(minimal+"\n"+minimal)))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<20 {
			return
		}
		decodeBytesSame(t, NewDecoder(fuzzLimits), "input", src, fuzzLimits)
	})
}

// TestDecoderReuseAnyOrder decodes every test report after every other
// with one Decoder, and checks each against a new Decoder: the buffers a
// Decoder keeps for each level of nesting must not depend on what it
// read before (an e-mail part read through the buffer of the message
// once made two levels share one buffer, and the next gzip of gzip
// read from itself).
func TestDecoderReuseAnyOrder(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "reports", "*"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{"gzip of gzip": gzipTimes(t, []byte(minimal), 2)}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sources[filepath.Base(name)] = src
	}
	names := slices.Sorted(maps.Keys(sources))
	for _, first := range names {
		for _, second := range names {
			dec := NewDecoder(DefaultLimits())
			dec.DecodeBytes(first, sources[first], nil)
			decodeBytesSame(t, dec, first+", then "+second, sources[second], DefaultLimits())
		}
	}
}
