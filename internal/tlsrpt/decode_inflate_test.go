package tlsrpt

import (
	"bytes"
	stdgzip "compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// gunzipRef reads in with klauspost/compress/gzip, the reader the
// inflater stands in for, up to limit+1 bytes.
func gunzipRef(in []byte, limit int) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(in))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(zr, int64(limit)+1))
}

// member wraps raw deflate data in a gzip member (RFC 1952 §2.3) with
// the right trailer for data.
func member(deflate, data []byte) []byte {
	b := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}
	b = append(b, deflate...)
	b = binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(b, uint32(len(data)))
}

// bitWriter writes a deflate stream LSB first (RFC 1951 §3.1.1).
type bitWriter struct {
	out   []byte
	acc   uint64
	nBits uint
}

func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nBits
	w.nBits += n
	for w.nBits >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nBits -= 8
	}
}

// code writes a Huffman code, which goes most significant bit first.
func (w *bitWriter) code(c uint64, n uint) {
	var rev uint64
	for i := range n {
		rev |= (c >> i & 1) << (n - 1 - i)
	}
	w.bits(rev, n)
}

func (w *bitWriter) bytes() []byte {
	if w.nBits > 0 {
		w.out = append(w.out, byte(w.acc))
	}
	return w.out
}

// fixedLiteral writes literal/length symbol sym with the fixed code
// (RFC 1951 §3.2.6).
func (w *bitWriter) fixedLiteral(sym int) {
	switch {
	case sym < 144:
		w.code(uint64(0x30+sym), 8)
	case sym < 256:
		w.code(uint64(0x190+sym-144), 9)
	case sym < 280:
		w.code(uint64(sym-256), 7)
	default:
		w.code(uint64(0xc0+sym-280), 8)
	}
}

// fixedBlock returns a final fixed-code block: the literal 'a', then a
// match of length 258 at distance dist, then the end of the block.
func fixedBlock(dist int) []byte {
	var w bitWriter
	w.bits(1, 1) // BFINAL
	w.bits(1, 2) // BTYPE 01
	w.fixedLiteral('a')
	w.fixedLiteral(285) // length 258, no extra bits
	// Distance codes are 5 bits; code 0 is distance 1, code 1 is 2.
	w.code(uint64(dist-1), 5)
	w.fixedLiteral(256)
	return w.bytes()
}

// storedBlock returns a final stored block of data (RFC 1951 §3.2.4),
// with nlen as its NLEN field.
func storedBlock(data []byte, nlen uint16) []byte {
	b := []byte{1} // BFINAL, BTYPE 00, then the rest of the byte
	b = binary.LittleEndian.AppendUint16(b, uint16(len(data)))
	b = binary.LittleEndian.AppendUint16(b, nlen)
	return append(b, data...)
}

// stdGzip compresses data with compress/gzip at level, with the given
// header fields.
func stdGzip(tb testing.TB, data []byte, level int, hdr stdgzip.Header) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := stdgzip.NewWriterLevel(&buf, level)
	if err != nil {
		tb.Fatal(err)
	}
	zw.Header = hdr
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// klauspostGzip compresses data with klauspost/compress/gzip at level.
func klauspostGzip(tb testing.TB, data []byte, level int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := zw.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// withHeaderCRC sets FHCRC on a member without other flags and inserts
// the header's CRC-16 (RFC 1952 §2.3.1) or, if bad, a wrong one.
func withHeaderCRC(m []byte, bad bool) []byte {
	hdr := append([]byte(nil), m[:10]...)
	hdr[3] |= 1 << 1
	crc := uint16(crc32.ChecksumIEEE(hdr))
	if bad {
		crc++
	}
	return append(binary.LittleEndian.AppendUint16(hdr, crc), m[10:]...)
}

// inflateText is JSON-like text of n bytes with repeats at every
// distance deflate allows.
func inflateText(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `{"sending-mta-ip":"198.51.100.%d","failed-session-count":%d,"n":"%x"},`, i%251, i%7, i*i*2654435761)
	}
	return b.Bytes()[:n]
}

// inflateValid are gzip streams the inflater must read, each with the
// data it holds.
func inflateValid(tb testing.TB) map[string][2][]byte {
	tb.Helper()
	text := inflateText(100 << 10)
	report := benchReport()
	runs := bytes.Repeat([]byte("a"), 259)
	cases := map[string][2][]byte{
		"empty":                 {gzipped(tb, nil), nil},
		"stored blocks":         {stdGzip(tb, text[:70<<10], stdgzip.NoCompression, stdgzip.Header{}), text[:70<<10]},
		"stored by hand":        {member(storedBlock([]byte("hello"), ^uint16(5)), []byte("hello")), []byte("hello")},
		"empty stored block":    {member(storedBlock(nil, 0xffff), nil), nil},
		"fixed, overlapping":    {member(fixedBlock(1), runs), runs},
		"fixed, from encoder":   {stdGzip(tb, []byte("ab"), stdgzip.BestCompression, stdgzip.Header{}), []byte("ab")},
		"dynamic, huffman only": {stdGzip(tb, text[:8<<10], stdgzip.HuffmanOnly, stdgzip.Header{}), text[:8<<10]},
		"dynamic, best":         {stdGzip(tb, text, stdgzip.BestCompression, stdgzip.Header{}), text},
		"dynamic, report":       {gzipped(tb, report), report},
		"klauspost level 1":     {klauspostGzip(tb, text, 1), text},
		"klauspost level 9":     {klauspostGzip(tb, text, 9), text},
		"klauspost stateless":   {klauspostGzip(tb, text[:4<<10], gzip.StatelessCompression), text[:4<<10]},
		"two members":           {append(gzipped(tb, report), gzipped(tb, []byte("\n"))...), append(append([]byte(nil), report...), '\n')},
		"header fields": {stdGzip(tb, report, stdgzip.DefaultCompression, stdgzip.Header{
			Name: "report.json", Comment: "from the tests", Extra: []byte("xy\x02\x00ab")}), report},
		"header CRC": {withHeaderCRC(gzipped(tb, report), false), report},
	}
	for level := stdgzip.BestSpeed; level <= stdgzip.BestCompression; level++ {
		cases[fmt.Sprintf("compress/gzip level %d", level)] = [2][]byte{stdGzip(tb, text[:20<<10], level, stdgzip.Header{}), text[:20<<10]}
	}
	return cases
}

// blockType returns BTYPE of the first block of a member without
// header fields.
func blockType(m []byte) byte { return m[10] >> 1 & 3 }

// TestInflateValid reads streams of every block type and feature, with
// one inflater reused across them (its tables are rebuilt per block),
// and compares the data with what was compressed and with klauspost's
// reading of it.
func TestInflateValid(t *testing.T) {
	t.Parallel()
	cases := inflateValid(t)
	for name, want := range map[string]byte{"stored blocks": 0, "fixed, overlapping": 1, "fixed, from encoder": 1, "dynamic, best": 2} {
		if got := blockType(cases[name][0]); got != want {
			t.Fatalf("%s: first block has type %d, want %d: the test does not cover what it says", name, got, want)
		}
	}
	var f inflater
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		in, data := cases[name][0], cases[name][1]
		prefix := []byte("before")
		out, ok := f.gunzip(in, append([]byte(nil), prefix...), len(prefix)+len(data))
		if !ok {
			t.Errorf("%s: gave up", name)
			continue
		}
		if !bytes.HasPrefix(out, prefix) || !bytes.Equal(out[len(prefix):], data) {
			t.Errorf("%s: got %d bytes after the prefix, want %d", name, len(out)-len(prefix), len(data))
		}
		if ref, err := gunzipRef(in, len(data)); err != nil || !bytes.Equal(ref, data) {
			t.Errorf("%s: klauspost reads %d bytes, %v", name, len(ref), err)
		}
	}
}

// TestInflateGivesUp covers the inputs the inflater must leave to
// klauspost: all invalid (klauspost fails too), or beyond the limit.
func TestInflateGivesUp(t *testing.T) {
	t.Parallel()
	report := benchReport()
	good := gzipped(t, report)
	flip := func(i int) []byte {
		b := append([]byte(nil), good...)
		b[i] ^= 0x55
		return b
	}
	var fixedNoEnd bitWriter
	fixedNoEnd.bits(3, 3)
	fixedNoEnd.fixedLiteral('a')
	var btype3 bitWriter
	btype3.bits(7, 3)
	for _, tc := range []struct {
		name   string
		in     []byte
		limit  int
		broken bool // klauspost fails too
	}{
		{"bad CRC", flip(len(good) - 8), len(report), true},
		{"bad size", flip(len(good) - 1), len(report), true},
		{"trailing garbage", append(append([]byte(nil), good...), 'x'), len(report), true},
		{"trailing zeros", append(append([]byte(nil), good...), make([]byte, 20)...), len(report), true},
		{"reserved flag", func() []byte { b := append([]byte(nil), good...); b[3] = 0x80; return b }(), len(report), true},
		{"method 7", func() []byte { b := append([]byte(nil), good...); b[2] = 7; return b }(), len(report), true},
		{"not gzip", []byte("hello, world, this is not gzip"), 100, true},
		{"block type 3", member(btype3.bytes(), nil), 100, true},
		{"stored NLEN wrong", member(storedBlock([]byte("hello"), 0), []byte("hello")), 100, true},
		{"distance before the start", member(fixedBlock(2), nil), 1000, true},
		{"no end of block", member(fixedNoEnd.bytes(), []byte("a")), 100, true},
		{"bad header CRC", withHeaderCRC(good, true), len(report), true},
		{"one byte over the limit", good, len(report) - 1, false},
		{"limit 0", good, 0, false},
		{"overlapping match over the limit", member(fixedBlock(1), bytes.Repeat([]byte("a"), 259)), 258, false},
	} {
		var f inflater
		if _, ok := f.gunzip(tc.in, nil, tc.limit); ok {
			t.Errorf("%s: did not give up", tc.name)
		}
		if _, err := gunzipRef(tc.in, 1<<20); (err != nil) != tc.broken {
			t.Errorf("%s: klauspost error %v, want one: %v", tc.name, err, tc.broken)
		}
	}
}

// TestInflateTruncated gives up on every proper prefix of valid streams,
// and never reads past the input.
func TestInflateTruncated(t *testing.T) {
	t.Parallel()
	cases := inflateValid(t)
	for _, name := range []string{"dynamic, report", "stored by hand", "fixed, overlapping", "header fields", "two members"} {
		in := cases[name][0]
		var f inflater
		for n := range len(in) {
			if name == "two members" && n == len(gzipped(t, benchReport())) {
				continue // the first member alone is a valid stream
			}
			// A copy of exactly n bytes: reading past it panics.
			if _, ok := f.gunzip(append([]byte(nil), in[:n]...), nil, 1<<20); ok {
				t.Errorf("%s: %d of %d bytes read as complete", name, n, len(in))
			}
		}
	}
}

// TestInflateLimitExact accepts output of exactly the limit.
func TestInflateLimitExact(t *testing.T) {
	t.Parallel()
	for name, c := range inflateValid(t) {
		var f inflater
		if _, ok := f.gunzip(c[0], nil, len(c[1])); !ok {
			t.Errorf("%s: gave up at a limit of exactly its %d bytes", name, len(c[1]))
		}
	}
}

// TestInflateCorrupted holds the inflater to klauspost (see
// FuzzInflate) on a few thousand damaged copies of valid streams: bits
// flipped, bytes changed, cut out or put in, anywhere.
func TestInflateCorrupted(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	var f inflater
	cases := inflateValid(t)
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		in, data := cases[name][0], cases[name][1]
		if len(in) > 16<<10 {
			continue
		}
		for range 300 {
			bad := damage(rng, in)
			checkInflate(t, &f, bad, len(data)+rng.IntN(64))
		}
	}
}

// damage returns a copy of in with one to three random changes.
func damage(rng *rand.Rand, in []byte) []byte {
	b := append([]byte(nil), in...)
	for range 1 + rng.IntN(3) {
		i := rng.IntN(len(b))
		switch rng.IntN(4) {
		case 0:
			b[i] ^= 1 << rng.IntN(8)
		case 1:
			b[i] = byte(rng.IntN(256))
		case 2:
			b = append(b[:i], b[i+1:]...)
		default:
			b = slices.Insert(b, i, byte(rng.IntN(256)))
		}
		if len(b) == 0 {
			break
		}
	}
	return b
}

// checkInflate fails unless the inflater gives up on in, or returns, at
// most limit bytes, exactly what klauspost reads to a clean end.
func checkInflate(t *testing.T, f *inflater, in []byte, limit int) {
	t.Helper()
	out, ok := f.gunzip(in, []byte("x"), 1+limit)
	if !ok {
		return
	}
	if len(out) > 1+limit || out[0] != 'x' {
		t.Fatalf("output of %d bytes for a limit of %d, or the prefix lost, for %q", len(out), 1+limit, in)
	}
	ref, err := gunzipRef(in, limit)
	if err != nil {
		t.Fatalf("inflater read %d bytes where klauspost fails (%v): %q", len(out)-1, err, in)
	}
	if !bytes.Equal(out[1:], ref) {
		t.Fatalf("inflater read %d bytes, klauspost %d, and they differ: %q", len(out)-1, len(ref), in)
	}
}

// FuzzInflate holds the inflater to klauspost/compress/gzip: whatever
// the input and limit, it gives up or returns exactly what klauspost
// reads, within the limit, and klauspost then reads to a clean end. It
// is seeded with the (smaller) valid streams of every block type and
// the gzip files of testdata.
func FuzzInflate(f *testing.F) {
	for _, c := range inflateValid(f) {
		if len(c[0]) <= 16<<10 { // larger seeds make minimizing slow
			f.Add(c[0], uint32(len(c[1])))
		}
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "reports", "*.gz"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, uint32(1<<20))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte, limit uint32) {
		var inf inflater
		checkInflate(t, &inf, in, int(limit%(4<<20)))
	})
}

// BenchmarkInflate decompresses gzipped corpus reports of about 2 KB
// (one op is one report), with the inflater and with klauspost.
func BenchmarkInflate(b *testing.B) {
	files := corpusFiles(b, 1024)
	b.Run("inflater", func(b *testing.B) {
		var f inflater
		var out []byte
		for i := 0; b.Loop(); i++ {
			var ok bool
			if out, ok = f.gunzip(files[i%len(files)], out[:0], 1<<20); !ok {
				b.Fatal("gave up")
			}
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		var zr gzip.Reader
		var out bytes.Buffer
		for i := 0; b.Loop(); i++ {
			if err := zr.Reset(bytes.NewReader(files[i%len(files)])); err != nil {
				b.Fatal(err)
			}
			out.Reset()
			if _, err := out.ReadFrom(&zr); err != nil {
				b.Fatal(err)
			}
		}
	})
}
