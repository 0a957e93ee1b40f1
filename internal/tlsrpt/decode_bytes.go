package tlsrpt

import (
	"bytes"
	"encoding/binary"

	"github.com/stsgate/stsgate/internal/diag"
)

// DecodeBytes reads every report in src, exactly as Decode(source,
// bytes.NewReader(src), emit) does: the same reports, in the same
// order, with the same diagnostics. It is faster for the common case of
// a source that is a gzip-compressed JSON report (RFC 8460 §5.2), which
// it decompresses in one go rather than through a stream. It neither
// changes src nor keeps it.
func (d *Decoder) DecodeBytes(source string, src []byte, emit func(Report)) diag.List {
	d.begin(emit)
	m := d.mark()
	if !d.gunzipWhole(source, src) {
		br := d.reader(0, &meter{r: bytes.NewReader(src), d: d})
		k := d.content(source, br, anyKind, 0)
		if d.quiet(m) {
			d.nothingFound(source, br, k)
		}
		return d.end()
	}
	if d.quiet(m) {
		d.nothingFound(source, nil, kindGzip) // a known kind: br is not read
	}
	return d.end()
}

// wholeGzip is what DecodeBytes keeps between calls for gzip sources:
// the inflater and its output buffer.
type wholeGzip struct {
	inflater *inflater // made on first use
	out      []byte
	decoded  int // sources decoded in memory, for the tests
}

// maxKeptOutput bounds the output buffer kept from one call to the next;
// a larger one, for an unusually large report, is dropped.
const maxKeptOutput = 1 << 20

// gunzipWhole decodes src when it is gzip of JSON, as content and
// gunzip would, and reports whether it did. It decompresses src in
// memory, at most MaxReport bytes (J23) and within the source's budget,
// and leaves everything else (gzip of other formats, larger or invalid
// data) to the stream, which reports what is wrong. Its output is then
// read by the stream's scanner, where it lies, so that the reports and
// diagnostics are those of the stream.
func (d *Decoder) gunzipWhole(source string, src []byte) bool {
	const minGzip = 20 // header, an empty block and trailer (RFC 1952 §2.3)
	if len(src) < minGzip || sniff(src[:min(len(src), sniffLen)]) != kindGzip {
		return false
	}
	w := &d.whole
	if w.inflater == nil {
		w.inflater = new(inflater)
	}
	limit := min(d.lim.MaxReport, d.budget-int64(len(src)))
	if limit < 0 {
		return false
	}
	out, ok := w.inflater.gunzip(src, w.outBuffer(src, limit), int(limit))
	w.out = out
	defer w.release()
	if !ok || sniff(out[:min(len(out), sniffLen)]) != kindJSON {
		return false
	}
	// The stream would have read all of src and out by the end: the
	// budget was checked above for both together.
	d.budget -= int64(len(src) + len(out))
	w.decoded++
	d.jsonBytes(source, out)
	return true
}

// outBuffer returns an empty buffer for the data of src, sized by the
// size its last gzip member declares (RFC 1952 §2.3.1, ISIZE): a hint
// only, bounded by limit and by what deflate can expand src to.
func (w *wholeGzip) outBuffer(src []byte, limit int64) []byte {
	const maxRatio = 1032 // RFC 1951: a 258-byte match in under two bits
	size := int64(binary.LittleEndian.Uint32(src[len(src)-4:]))
	size = min(size, limit, int64(len(src))*maxRatio)
	if int64(cap(w.out)) >= size {
		return w.out[:0]
	}
	return make([]byte, 0, size)
}

// release drops the output buffer when it is too large to keep.
func (w *wholeGzip) release() {
	if cap(w.out) > maxKeptOutput {
		w.out = nil
	}
}
