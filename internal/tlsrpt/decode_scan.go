package tlsrpt

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// jsonScanner reads a stream of JSON values into a buffer and cuts them
// out of it. It does not validate (fastParser or encoding/json does that
// on the value it cuts out); it only follows strings and brackets to
// find where a value ends, keeps the line count for positions, and hides
// object keys that differ from a report field only in case, which
// encoding/json would otherwise accept. A report that fastParser decodes
// where it lies in the buffer is not cut out (jsonReportUncut).
type jsonScanner struct {
	r   io.Reader
	err error // sticky read error; io.EOF at the end of the stream
	max int64 // MaxReport

	buf       []byte // buf[pos:n] is read but not consumed; buf[0] is at stream offset base
	own       []byte // the scanner's buffer, while buf is the caller's (resetBytes)
	borrowed  bool
	pos, n    int
	base      int64
	line      int   // line of buf[pos]
	lineStart int64 // stream offset where that line starts

	stack   []byte   // open brackets of the value being cut out
	mangled []mangle // keys hidden from encoding/json in the current value

	// fast decodes reports where it can (decode_fast.go), most before
	// they are cut out. cut counts the reports that were cut out first,
	// and fallbacks those that fast left to encoding/json.
	fast           fastParser
	mode           decodeMode
	cut, fallbacks int

	moved int64 // bytes moved within buf by compact and grow, for the tests
}

// decodeMode says how reports are decoded. Only tests change it from
// decodeFast, to compare the results of the modes.
type decodeMode uint8

const (
	decodeFast decodeMode = iota // with fastParser, not cut out where it can
	decodeCut                    // with fastParser, always cut out first
	decodeStd                    // with encoding/json alone
)

// mangle is a key whose first byte was replaced.
type mangle struct {
	at   int
	orig byte
}

// scanState says how cutting out a value ended.
type scanState int

const (
	scanOK        scanState = iota
	scanEOF                 // the input ended inside the value
	scanTooLarge            // the value exceeds MaxReport
	scanTooDeep             // brackets nest deeper than maxNesting
	scanReadError           // reading failed; the error is in err
)

const (
	// maxNesting bounds bracket nesting; a report nests four levels deep.
	maxNesting = 512
	readChunk  = 32 << 10
)

func (s *jsonScanner) reset(r io.Reader, max int64) {
	s.r, s.err, s.max = r, nil, max
	if s.borrowed {
		s.buf, s.own, s.borrowed = s.own, nil, false
	}
	if s.buf == nil {
		s.buf = make([]byte, 4<<10)
	}
	s.pos, s.n, s.base = 0, 0, 0
	s.line, s.lineStart = 1, 0
	s.mangled = s.mangled[:0]
}

// resetBytes makes the scanner read b, which holds the whole input,
// where it lies rather than copied into its buffer: b is its buffer
// until the next reset, and is written to (see checkKey and compact).
func (s *jsonScanner) resetBytes(b []byte, max int64) {
	s.reset(nil, max)
	s.own, s.buf, s.borrowed = s.buf, b, true
	s.n, s.err = len(b), io.EOF
}

// skipBOM skips a UTF-8 byte order mark at the start of the stream and
// reports whether there was one (J26).
func (s *jsonScanner) skipBOM() bool {
	for s.n < len(utf8BOM) && s.more() {
	}
	if !bytes.HasPrefix(s.buf[:s.n], []byte(utf8BOM)) {
		return false
	}
	s.pos = len(utf8BOM)
	return true
}

// more reads more input into buf, making room by compacting or growing it
// (up to MaxReport+1 bytes). It returns false at the end of the input or
// on a read error.
func (s *jsonScanner) more() bool {
	if s.err != nil {
		return false
	}
	if s.n == len(s.buf) {
		if s.pos > 0 {
			s.compact()
		} else {
			grown := make([]byte, max(min(2*int64(len(s.buf)), s.max+1), int64(len(s.buf))+1))
			s.moved += int64(copy(grown, s.buf[:s.n]))
			s.buf = grown
		}
	}
	// Reading in chunks keeps what compact must move small, even after a
	// large report has grown buf.
	end := min(len(s.buf), s.n+readChunk)
	for range 100 {
		m, err := s.r.Read(s.buf[s.n:end])
		s.n += m
		if err != nil {
			s.err = err
		}
		if m > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	s.err = io.ErrNoProgress
	return false
}

// compact moves the unconsumed bytes to the front of buf. It is only
// called when buf is full or all consumed, so that no byte is moved
// more than once per buffer's worth of input: compacting for every
// value would move the rest of the buffer each time, which for a large
// buffer of small values is quadratic.
func (s *jsonScanner) compact() {
	if s.pos == 0 {
		return
	}
	s.n = copy(s.buf, s.buf[s.pos:s.n])
	s.moved += int64(s.n)
	s.base += int64(s.pos)
	for i := range s.mangled {
		s.mangled[i].at -= s.pos
	}
	s.pos = 0
}

// consume moves past k bytes, counting lines.
func (s *jsonScanner) consume(k int) {
	seg := s.buf[s.pos : s.pos+k]
	// bytes.Count is vectorised, LastIndexByte is not: most reports
	// are one line.
	if n := bytes.Count(seg, []byte{'\n'}); n > 0 {
		s.line += n
		s.lineStart = s.base + int64(s.pos+bytes.LastIndexByte(seg, '\n')+1)
	}
	s.pos += k
}

// skipSpace moves past white space and returns the next byte; false at
// the end of the input.
func (s *jsonScanner) skipSpace() (byte, bool) {
	for {
		for s.pos < s.n {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\r':
				s.pos++
			case '\n':
				s.pos++
				s.line++
				s.lineStart = s.base + int64(s.pos)
			default:
				return c, true
			}
		}
		s.compact()
		if !s.more() {
			return 0, false
		}
	}
}

// where returns the position of buf[i], for i at or after pos.
func (s *jsonScanner) where(i int) diag.Pos {
	i = max(s.pos, min(i, s.n))
	seg := s.buf[s.pos:i]
	if j := bytes.LastIndexByte(seg, '\n'); j >= 0 {
		return diag.Pos{Line: s.line + bytes.Count(seg, []byte{'\n'}), Column: i - (s.pos + j)}
	}
	return diag.Pos{Line: s.line, Column: int(s.base+int64(i)-s.lineStart) + 1}
}

// extent finds the end of the JSON value that starts at buf[pos] and
// returns its index in buf with how the scan ended. Reading more may
// move the value to the front of buf.
func (s *jsonScanner) extent() (int, scanState) {
	s.mangled = s.mangled[:0]
	switch s.buf[s.pos] {
	case '{', '[':
		return s.nested()
	case '"':
		return s.stringEnd()
	}
	return s.literalEnd()
}

// need is called when the value that starts at pos goes on past the
// bytes read so far: it reads more, or says why the scan ends. shift is
// how far the value moved towards the front of buf to make room.
func (s *jsonScanner) need() (shift int, st scanState, ok bool) {
	pos := s.pos
	switch {
	case int64(s.n-s.pos) > s.max:
		return 0, scanTooLarge, false
	case s.more():
		return pos - s.pos, scanOK, true
	case s.err == io.EOF:
		return pos - s.pos, scanEOF, false
	}
	return pos - s.pos, scanReadError, false
}

// nested scans an object or array.
func (s *jsonScanner) nested() (int, scanState) {
	s.stack = append(s.stack[:0], s.buf[s.pos])
	st := nestState{expectKey: s.buf[s.pos] == '{', keyStart: -1}
	for i := s.pos + 1; ; {
		if end, state, done := s.scanNested(&st, i); done {
			return end, state
		}
		i = s.n // scanned up to here; need may read more
		shift, state, ok := s.need()
		if !ok {
			return s.n, state
		}
		i -= shift
		if st.keyStart >= 0 {
			st.keyStart -= shift
		}
	}
}

// nestState is where nested is inside its value.
type nestState struct {
	inStr, esc, expectKey bool
	keyStart              int // first byte of the key being read, or -1
}

// scanNested follows strings and brackets in buf[i:n]. done is true when
// the value ended (or nests too deeply) at end.
func (s *jsonScanner) scanNested(st *nestState, i int) (end int, state scanState, done bool) {
	for ; i < s.n; i++ {
		c := s.buf[i]
		if st.inStr {
			i = s.inString(st, i)
			continue
		}
		switch c {
		case '"':
			st.inStr = true
			if st.expectKey {
				st.keyStart, st.expectKey = i+1, false
			}
		case '{', '[':
			if len(s.stack) >= maxNesting {
				return i, scanTooDeep, true
			}
			s.stack = append(s.stack, c)
			st.expectKey = c == '{'
		case '}', ']':
			s.stack = s.stack[:len(s.stack)-1]
			if len(s.stack) == 0 {
				return i + 1, scanOK, true
			}
			st.expectKey = false
		case ',':
			st.expectKey = s.stack[len(s.stack)-1] == '{'
		}
	}
	return 0, scanOK, false
}

// inString handles buf[i] inside a string and returns the index of the
// last byte it handled.
func (s *jsonScanner) inString(st *nestState, i int) int {
	switch c := s.buf[i]; {
	case st.esc:
		st.esc = false
	case c == '\\':
		st.esc = true
	case c != '"':
		return s.stringRun(i)
	default:
		st.inStr = false
		if st.keyStart >= 0 {
			s.checkKey(st.keyStart, i)
			st.keyStart = -1
		}
	}
	return i
}

// stringRun returns the index of the last byte of the run of ordinary
// string bytes that starts at i: the byte before the next quote or
// backslash, or before n.
func (s *jsonScanner) stringRun(i int) int {
	for i+1 < s.n && s.buf[i+1] != '"' && s.buf[i+1] != '\\' {
		i++
	}
	return i
}

// stringEnd scans a string.
func (s *jsonScanner) stringEnd() (int, scanState) {
	esc := false
	for i := s.pos + 1; ; {
		for ; i < s.n; i++ {
			switch c := s.buf[i]; {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				return i + 1, scanOK
			}
		}
		shift, st, ok := s.need()
		if !ok {
			return s.n, st
		}
		i -= shift
	}
}

// literalEnd scans a number, true, false or null (or garbage).
func (s *jsonScanner) literalEnd() (int, scanState) {
	for i := s.pos + 1; ; {
		for ; i < s.n; i++ {
			switch s.buf[i] {
			case ' ', '\t', '\r', '\n', ',', ']', '}', '[', '{', '"':
				return i, scanOK
			}
		}
		shift, st, ok := s.need()
		if !ok {
			return s.n, st
		}
		i -= shift
	}
}

// checkKey hides the object key buf[start:end] from encoding/json when it
// differs from a report field name only in case: RFC 8460 §4.4 names the
// fields exactly, and encoding/json would match "Policies" or
// "ORGANIZATION-NAME" (and the Kelvin sign for 'k') to them.
func (s *jsonScanner) checkKey(start, end int) {
	key := s.buf[start:end]
	if start == end || !mayFold(key) || !caseVariant(key) {
		return
	}
	s.mangled = append(s.mangled, mangle{start, key[0]})
	key[0] = '~'
}

// restore undoes checkKey's changes to the current value.
func (s *jsonScanner) restore() {
	for _, m := range s.mangled {
		s.buf[m.at] = m.orig
	}
	s.mangled = s.mangled[:0]
}

// mayFold reports whether key has a byte that case folding or unescaping
// could change; keys without one match a field exactly or not at all.
func mayFold(key []byte) bool {
	for _, c := range key {
		if c >= 'A' && c <= 'Z' || c >= 0x80 || c == '\\' {
			return true
		}
	}
	return false
}

// caseVariant reports whether the raw (still escaped) key folds to a
// report field name without being that name.
func caseVariant(raw []byte) bool {
	key := string(raw)
	if strings.IndexByte(key, '\\') >= 0 {
		var k string
		if json.Unmarshal([]byte(`"`+key+`"`), &k) != nil {
			return false
		}
		key = k
	}
	folded := foldKey(key)
	return folded != key && knownField(folded)
}

// foldKey folds key the way encoding/json matches names: ASCII letters
// to lower case, and the two non-ASCII runes that fold to ASCII letters.
func foldKey(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r == '\u017f': // LATIN SMALL LETTER LONG S
			r = 's'
		case r == '\u212a': // KELVIN SIGN
			r = 'k'
		}
		b.WriteRune(r)
	}
	return b.String()
}
