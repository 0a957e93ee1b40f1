package tlsrpt

import (
	"bytes"
	"fmt"
	"io"

	"github.com/stsgate/stsgate/internal/diag"
)

// jsonStream decodes a stream of JSON texts: one report object, an array
// of report objects, or several of either one after the other (NDJSON).
// Each report is read into a reused buffer, at most MaxReport bytes,
// and decoded on its own, so that one bad report does not stop the
// others and positions are exact.
func (d *Decoder) jsonStream(src string, r io.Reader) {
	d.scan.reset(r, d.lim.MaxReport)
	d.jsonTexts(src)
}

// jsonBytes is jsonStream for an input that b holds whole, read where
// it lies; b is written to.
func (d *Decoder) jsonBytes(src string, b []byte) {
	d.scan.resetBytes(b, d.lim.MaxReport)
	defer d.scan.reset(nil, d.lim.MaxReport) // let go of b
	d.jsonTexts(src)
}

// jsonTexts reads the JSON texts of the scanner's input.
func (d *Decoder) jsonTexts(src string) {
	s := &d.scan
	if s.skipBOM() {
		d.add(src, diag.New(diag.ReportBOM,
			"A UTF-8 byte order mark precedes the JSON; RFC 8259 §8.1 forbids it, and strict readers reject the report. It was ignored.",
			"Nothing to do for a received report; a report you write yourself should start with '{'.").
			At(diag.Pos{Line: 1, Column: 1}, diag.Pos{Line: 1, Column: 4}))
	}
	for first := true; !d.stop; first = false {
		c, ok := s.skipSpace()
		if !ok {
			d.streamEnd(src)
			return
		}
		if c != '{' && c != '[' {
			if !first {
				d.trailing(src)
			}
			return
		}
		if c == '{' && !d.jsonValue(src, -1) || c == '[' && !d.jsonArray(src) {
			return
		}
	}
}

// streamEnd reports a read error that ended the stream, if any.
func (d *Decoder) streamEnd(src string) {
	if err := d.scan.err; err != nil && err != io.EOF {
		d.readError(src, err)
	}
}

// trailing notes data after the last JSON text (J26): mox ignores it, and
// so do we, with a warning.
func (d *Decoder) trailing(src string) {
	s := &d.scan
	at := s.where(s.pos)
	d.add(src, diag.New(diag.ReportTrailingData,
		"Data follows the report's JSON; it was ignored. A strict reader would reject the whole report.",
		"Nothing to do for a received report; check that the file was not damaged or concatenated with something else.").
		At(at, s.where(s.pos+1)))
}

// jsonArray decodes a top-level array of reports. It returns false when
// the stream cannot be read on (a broken array).
func (d *Decoder) jsonArray(src string) bool {
	s := &d.scan
	s.consume(1)
	c, ok := s.skipSpace()
	if ok && c == ']' {
		s.consume(1)
		return true
	}
	for i := 0; ok && !d.stop; i++ {
		if !d.jsonValue(src, i) {
			return false
		}
		if c, ok = s.skipSpace(); !ok {
			break
		}
		switch c {
		case ']':
			s.consume(1)
			return true
		case ',':
			s.consume(1)
			c, ok = s.skipSpace()
			continue
		}
		d.jsonSyntax(src, s.pos, fmt.Sprintf("%q after an array element, where ',' or ']' belongs", c))
		return false
	}
	if !d.stop && s.err == io.EOF {
		d.jsonSyntax(src, s.pos, "the input ends inside the array of reports")
	}
	d.streamEnd(src)
	return false
}

// jsonSyntax reports a syntax error at buffer index i of the scanner.
func (d *Decoder) jsonSyntax(src string, i int, what string) {
	s := &d.scan
	end := s.where(i)
	if i < s.n && s.buf[i] != '\n' {
		end = s.where(i + 1)
	}
	d.add(src, diag.New(diag.ReportJSONInvalid,
		"The report file is not valid JSON: "+what+". Reports after this point are lost.",
		"Check that the file is complete; fetch or export it again.").At(s.where(i), end))
}

// jsonValue decodes the JSON value that starts at the scanner's position:
// a report object, or element index of a top-level array (-1 outside
// one). It returns false when the stream cannot be read on.
func (d *Decoder) jsonValue(src string, index int) bool {
	s := &d.scan
	at := s.where(s.pos)
	if c := s.buf[s.pos]; !startsValue(c) {
		d.jsonSyntax(src, s.pos, fmt.Sprintf("%q where a report object belongs", c))
		return false
	}
	if end, ok := d.jsonReportUncut(src, at); ok {
		s.consume(end)
		return true
	}
	end, st := s.extent() // may move the value to buf[0]
	switch st {
	case scanTooLarge:
		d.add(src, diag.New(diag.ReportTooLarge,
			fmt.Sprintf("A report is larger than %d bytes after decompression; it is not read (a compression bomb, or not a TLS-RPT report).", s.max),
			"Check where the file comes from; real reports are a few kilobytes.").At(at, diag.Pos{}))
		return false
	case scanTooDeep:
		d.add(src, diag.New(diag.ReportJSONInvalid,
			fmt.Sprintf("The JSON nests deeper than %d levels; it is not read.", maxNesting),
			"Check where the file comes from: TLS-RPT reports nest four levels deep.").At(at, diag.Pos{}))
		return false
	case scanReadError:
		d.streamEnd(src)
		return false
	}
	doc := s.buf[s.pos:end]
	if doc[0] == '{' {
		d.jsonReport(src, doc, at)
	} else {
		d.notObject(src, doc, at, index)
	}
	s.consume(len(doc))
	return st == scanOK
}

// notObject reports an array element that is not an object.
func (d *Decoder) notObject(src string, doc []byte, at diag.Pos, index int) {
	d.add(src, diag.New(diag.ReportJSONInvalid,
		fmt.Sprintf("Element %d of the array is a JSON %s, not a report object; it is skipped.", index, jsonKind(doc[0])),
		"An array of reports must hold only report objects (RFC 8460 §4.4).").At(at, posIn(doc, at, len(doc))))
}

// startsValue reports whether c can start a JSON value.
func startsValue(c byte) bool {
	return c == '{' || c == '[' || c == '"' || c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n'
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// posIn returns the position of doc[off], where doc starts at position
// at. Columns count bytes.
func posIn(doc []byte, at diag.Pos, off int) diag.Pos {
	off = max(0, min(off, len(doc)))
	seg := doc[:off]
	nl := bytes.Count(seg, []byte{'\n'})
	if nl == 0 {
		return diag.Pos{Line: at.Line, Column: at.Column + off}
	}
	return diag.Pos{Line: at.Line + nl, Column: off - bytes.LastIndexByte(seg, '\n')}
}
