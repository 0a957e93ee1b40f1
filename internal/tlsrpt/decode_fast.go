package tlsrpt

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// fastParser decodes the JSON of one report into a reportWire without
// reflection and without a separate validation pass: a scanner for
// exactly the fields of RFC 8460 §4.4 that reads the report once.
//
// It takes only the documents that encoding/json decodes without error,
// and makes of them the same reportWire: the same values, the same nil
// or empty lists, the same raw text kept for lenient fields. For
// anything else it gives up (returns false) and the caller decodes the
// report with encoding/json, which finds the error and its position:
// invalid JSON, a value of the wrong type, or a field given twice (which
// encoding/json merges). Results and diagnostics are therefore the same
// whichever decoder ran; a differential fuzz test holds the two to that.
//
// Object keys are unescaped and compared exactly. That is what
// encoding/json does after jsonScanner has hidden the keys that differ
// from a field name only in case.
type fastParser struct {
	doc []byte
	i   int    // next byte of doc to read
	esc []byte // unescaped string bytes, reused
	// strs holds strings read before: report after report, the same
	// reporters, result types, policies and MX names come back.
	strs internTable
	list []string // elements of the list being read, reused
	// spare is a failure-details buffer that a null list left unused.
	spare []detailWire
	// uncut is set when doc is the stream read so far rather than a
	// value jsonScanner has cut out (and changed: see checkKey).
	uncut bool

	// caps bound the entries, details and list items kept of a report;
	// detailsLeft is what MaxReportDetails leaves of the report being
	// read. What is beyond them is read into the scratch values, for
	// its syntax and types, and discarded (or summed up: cutDetails).
	caps          wireCaps
	detailsLeft   int
	discard       bool // read lists without keeping them
	scratchPolicy policyWire
	scratchDetail detailWire
}

// next skips white space and returns the byte at p.i; 0 at the end (a
// NUL byte is invalid JSON anyway).
func (p *fastParser) next() byte {
	for p.i < len(p.doc) {
		switch c := p.doc[p.i]; c {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return c
		}
	}
	return 0
}

// plain reports whether a string may hold c as it is, without it ending
// the string, escaping or checking.
func plain(c byte) bool {
	return c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\'
}

// plainRun returns the number of bytes at the start of b that plain
// allows, looking at eight bytes at a time: strings in reports are
// mostly long runs of them.
func plainRun(b []byte) int {
	const (
		ones = 0x0101010101010101
		high = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		v := binary.LittleEndian.Uint64(b[i:])
		// The high bit of a byte of m is set for a byte below 0x20,
		// a '"' or '\\', or a byte of 0x80 or more: each test is
		// exact for the lowest such byte, which is all that counts.
		quote, backslash := v^(ones*'"'), v^(ones*'\\')
		m := ((v - ones*0x20) | (quote-ones)&^quote | (backslash-ones)&^backslash | v) & high
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for i < len(b) && plain(b[i]) {
		i++
	}
	return i
}

// str reads the string that starts at p.i (a '"') and returns its
// content, unescaped: a slice of doc when it has no escape, else of
// p.esc, valid until the next call.
func (p *fastParser) str() ([]byte, bool) {
	doc := p.doc
	start := p.i + 1
	i := start + plainRun(doc[start:])
	if i < len(doc) && doc[i] == '"' {
		p.i = i + 1
		return doc[start:i], true
	}
	return p.strSlow(start, i)
}

// strSlow is str for strings with escapes or non-ASCII bytes;
// doc[start:i] has been read. Like encoding/json, it replaces invalid
// UTF-8 and escaped surrogates that do not pair up with U+FFFD.
func (p *fastParser) strSlow(start, i int) ([]byte, bool) {
	doc := p.doc
	out, changed, from := p.esc[:0], false, start
	for i < len(doc) {
		switch c := doc[i]; {
		case c == '"':
			p.i = i + 1
			if !changed {
				return doc[start:i], true
			}
			p.esc = append(out, doc[from:i]...)
			return p.esc, true
		case c == '\\':
			out, changed = append(out, doc[from:i]...), true
			var ok bool
			if out, i, ok = unescape(out, doc, i); !ok {
				return nil, false
			}
			from = i
		case c < 0x20:
			return nil, false // RFC 8259 §7: control characters must be escaped
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(doc[i:])
			if r == utf8.RuneError && size == 1 {
				out, changed = append(out, doc[from:i]...), true
				out = utf8.AppendRune(out, utf8.RuneError)
				from = i + 1
			}
			i += size
		}
	}
	return nil, false
}

// unescape appends the character of the escape sequence at doc[i] to
// out and returns the index after the sequence.
func unescape(out, doc []byte, i int) ([]byte, int, bool) {
	if i+1 >= len(doc) {
		return out, i, false
	}
	switch c := doc[i+1]; c {
	case '"', '\\', '/':
		return append(out, c), i + 2, true
	case 'b':
		return append(out, '\b'), i + 2, true
	case 'f':
		return append(out, '\f'), i + 2, true
	case 'n':
		return append(out, '\n'), i + 2, true
	case 'r':
		return append(out, '\r'), i + 2, true
	case 't':
		return append(out, '\t'), i + 2, true
	case 'u':
		r := hex4(doc, i+2)
		switch {
		case r < 0:
			return out, i, false
		case !utf16.IsSurrogate(r):
			return utf8.AppendRune(out, r), i + 6, true
		}
		// RFC 8259 §7: a character outside the BMP is a pair of
		// escaped surrogates.
		if i+7 < len(doc) && doc[i+6] == '\\' && doc[i+7] == 'u' {
			if pair := utf16.DecodeRune(r, hex4(doc, i+8)); pair != utf8.RuneError {
				return utf8.AppendRune(out, pair), i + 12, true
			}
		}
		return utf8.AppendRune(out, utf8.RuneError), i + 6, true
	}
	return out, i, false
}

// hex4 decodes the four hexadecimal digits at doc[i:], or returns -1.
func hex4(doc []byte, i int) rune {
	if i+4 > len(doc) {
		return -1
	}
	var r rune
	for _, c := range doc[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// skipStr moves past the string at p.i without unescaping it. Its bytes
// are only checked as far as encoding/json checks them: escapes and
// control characters; any other byte is allowed.
func (p *fastParser) skipStr() bool {
	doc := p.doc
	for i := p.i + 1; i < len(doc); {
		switch c := doc[i]; {
		case c == '"':
			p.i = i + 1
			return true
		case c == '\\':
			if i+1 >= len(doc) {
				return false
			}
			switch doc[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if hex4(doc, i+2) < 0 {
					return false
				}
				i += 6
			default:
				return false
			}
		case c < 0x20:
			return false
		default:
			i++
		}
	}
	return false
}

// number moves past the number at p.i (RFC 8259 §6).
func (p *fastParser) number() bool {
	doc, i := p.doc, p.i
	if i < len(doc) && doc[i] == '-' {
		i++
	}
	switch {
	case i < len(doc) && doc[i] == '0':
		i++
	case i < len(doc) && doc[i] >= '1' && doc[i] <= '9':
		i = digits(doc, i)
	default:
		return false
	}
	if i < len(doc) && doc[i] == '.' {
		j := digits(doc, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(doc) && (doc[i] == 'e' || doc[i] == 'E') {
		i++
		if i < len(doc) && (doc[i] == '+' || doc[i] == '-') {
			i++
		}
		j := digits(doc, i)
		if j == i {
			return false
		}
		i = j
	}
	p.i = i
	return true
}

// digits returns the index after the run of digits at doc[i:].
func digits(doc []byte, i int) int {
	for i < len(doc) && doc[i] >= '0' && doc[i] <= '9' {
		i++
	}
	return i
}

// literal moves past lit (true, false or null) at p.i.
func (p *fastParser) literal(lit string) bool {
	if len(p.doc)-p.i < len(lit) || string(p.doc[p.i:p.i+len(lit)]) != lit {
		return false
	}
	p.i += len(lit)
	return true
}

// null moves past a null at p.i.
func (p *fastParser) null() bool { return p.literal("null") }

// skip moves past the value that starts at the next non-space byte,
// checking its syntax; depth is the nesting of that value.
func (p *fastParser) skip(depth int) bool {
	switch c := p.next(); c {
	case '{':
		return depth < maxNesting && p.skipObject(depth)
	case '[':
		return depth < maxNesting && p.skipArray(depth)
	case '"':
		return p.skipStr()
	case 't':
		return p.literal("true")
	case 'f':
		return p.literal("false")
	case 'n':
		return p.null()
	}
	return p.number()
}

func (p *fastParser) skipObject(depth int) bool {
	p.i++
	for first := true; ; {
		_, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		if !p.skip(depth + 1) {
			return false
		}
	}
}

func (p *fastParser) skipArray(depth int) bool {
	p.i++
	for first := true; ; {
		done, ok := p.element(&first)
		if !ok || done {
			return ok
		}
		if !p.skip(depth + 1) {
			return false
		}
	}
}

// member reads the next member of an object up to its value: the ','
// before it (unless first), its key and the ':'. done is true, and key
// nil, when the object ends instead. The key is valid until the next
// string is read.
func (p *fastParser) member(first *bool) (key []byte, done, ok bool) {
	c := p.next()
	switch {
	case c == '}':
		// "{}" or the end after a member; "{...,}" fails below.
		p.i++
		return nil, true, true
	case *first:
		*first = false
	case c == ',':
		p.i++
		if c = p.next(); c == '}' {
			return nil, false, false
		}
	default:
		return nil, false, false
	}
	if c != '"' {
		return nil, false, false
	}
	if key, ok = p.str(); !ok || p.next() != ':' {
		return nil, false, false
	}
	p.i++
	return key, false, true
}

// element reads up to the next element of an array: the ',' before it
// (unless first). done is true when the array ends instead.
func (p *fastParser) element(first *bool) (done, ok bool) {
	c := p.next()
	switch {
	case c == ']' && *first:
		p.i++
		return true, true
	case *first:
		*first = false
		return false, true
	case c == ']':
		p.i++
		return true, true
	case c == ',':
		p.i++
		return false, true
	}
	return false, false
}
