package zone

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/diag"
)

const (
	// MaxFileSize bounds the input: a declaration for a few mail domains
	// is a few kilobytes.
	MaxFileSize = 1 << 20
	// maxRecords bounds the records read.
	maxRecords = 100_000
	// maxGenerated bounds the text $GENERATE directives make: the zone
	// parser re-reads the directive's line once per step, up to 65536
	// times.
	maxGenerated = 16 << 20
	// defaultTTL applies until the file sets one ($TTL or a record's TTL),
	// so that snippets without TTLs parse; TTLs play no part in the checks.
	defaultTTL = 3600
)

// wholeFile returns the position of a finding about the whole file.
func wholeFile() diag.Pos { return diag.Pos{Line: 1} }

// record is one record the zone parser returned, with where it came from.
type record struct {
	rr   dns.RR
	e    *entry // nil when not found
	typ  int    // index of the type token in e.tokens, or -1
	line int    // line of the record's entry, or of where the parser was
}

// read runs the miekg/dns zone parser over s with the given origin (an
// absolute name without the trailing dot) and returns the records it read
// and the diagnostics for refused directives (see screen) and the syntax
// error that stopped it.
//
// miekg/dns stops at the first syntax error; the records read before it
// are returned, the rest of the file is not read. A record without data
// (see noData) counts as such an error.
func (s *source) read(origin string) ([]record, diag.List) {
	l, text := s.screen()
	if len(s.bareCR) > 0 {
		l.Add(s.bareCRDiag())
	}
	e, typ := s.noData()
	if e != nil {
		text = text[:e.start]
	}
	r := &byteReader{src: text}
	zp := dns.NewZoneParser(r, dns.Fqdn(origin), "")
	zp.SetDefaultTTL(defaultTTL)
	var recs []record
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if len(recs) == maxRecords {
			l.Add(diag.New(diag.ZoneSyntax,
				fmt.Sprintf("the zone file holds more than %d records; stsgate stops reading there, so records after this line are not checked", maxRecords),
				"keep only the records of the mail domains in the declaration file").
				At(diag.Pos{Line: s.pos(max(r.read-1, 0)).Line}, diag.Pos{}))
			return recs, l
		}
		recs = append(recs, s.locate(rr, r.read))
	}
	switch err := zp.Err(); {
	case err != nil:
		l.Add(s.syntaxDiag(err, r.read))
	case e != nil:
		l.Add(s.noDataDiag(e, typ))
	}
	return recs, l
}

// locate finds the entry of rr, which the parser returned after reading
// read bytes.
func (s *source) locate(rr dns.RR, read int) record {
	rec := record{rr: rr, typ: -1, line: s.pos(max(read-1, 0)).Line}
	rec.e = s.entryBefore(read)
	if rec.e == nil {
		return rec
	}
	rec.line = s.pos(rec.e.start).Line
	rec.typ = s.typeIndex(rec.e, rr.Header().Rrtype)
	return rec
}

// typeIndex returns the index of the token naming type t in e, or -1. The
// owner, when present, is skipped: a record may be owned by "txt". TTLs
// and classes never spell a type.
func (s *source) typeIndex(e *entry, t uint16) int {
	name, generic := dns.TypeToString[t], "TYPE"+strconv.Itoa(int(t))
	first := 1
	if e.blankOwner {
		first = 0
	}
	for i := first; i < len(e.tokens); i++ {
		if tok := e.tokens[i]; !tok.quoted {
			text := s.text(tok)
			if strings.EqualFold(text, name) || strings.EqualFold(text, generic) {
				return i
			}
		}
	}
	return -1
}

// rdata returns the tokens after the type token of rec, or nil.
func (rec record) rdata() []token {
	if rec.e == nil || rec.typ < 0 {
		return nil
	}
	return rec.e.tokens[rec.typ+1:]
}

// start returns the position of the start of rec's line.
func (s *source) start(rec record) diag.Pos {
	if rec.e == nil {
		return diag.Pos{Line: rec.line}
	}
	return s.pos(rec.e.start)
}

// span returns the span of rec's first line: from its start to the end of
// the last token that begins on that line.
func (s *source) span(rec record) (diag.Pos, diag.Pos) {
	if rec.e == nil {
		return diag.Pos{Line: rec.line}, diag.Pos{}
	}
	lineEnd := s.lineEnd(rec.e.start)
	end := rec.e.start
	for _, t := range rec.e.tokens {
		if t.off < lineEnd {
			end = t.end
		}
	}
	return s.pos(rec.e.start), s.pos(end)
}

// syntaxDiag turns the error that stopped the parser into a zone-syntax
// diagnostic at the line and column the parser gives, when they lie in the
// entry it was reading, else at that entry's line.
func (s *source) syntaxDiag(err error, read int) diag.Diagnostic {
	msg := err.Error()
	var pe *dns.ParseError
	var se syntaxError
	if errors.As(err, &pe) {
		se = splitParseError(msg)
		msg = se.msg
	}
	if se.token != "" {
		msg += fmt.Sprintf(" at %s", diag.Excerpt(se.token))
	}
	d := diag.New(diag.ZoneSyntax,
		"the zone file does not parse: "+msg+". The zone parser stops at the first error, so stsgate does not see the records after it and cannot check them",
		"fix the record on this line; the file must be a BIND master file (RFC 1035 §5) with names relative to $ORIGIN or to the policy domain")
	start, end := s.errorSpan(se, read)
	return d.At(start, end)
}

// errorSpan places a syntax error. The parser reports the line and column
// of the last byte it read: the byte after the offending token or, before
// a newline, its last byte. When the token is found ending there, the
// span covers it.
func (s *source) errorSpan(se syntaxError, read int) (diag.Pos, diag.Pos) {
	last := s.pos(max(read-1, 0)).Line
	first := last
	e := s.entryBefore(read)
	if e != nil {
		first = s.pos(e.start).Line
	}
	if se.line < first || se.line > last || e != nil && s.isDirective(e, "$GENERATE") {
		// Not in the entry being read, or counted in the text that
		// $GENERATE made rather than in the file, or no position at all.
		return diag.Pos{Line: first}, diag.Pos{}
	}
	lineStart := s.lineStarts[se.line-1]
	line := string(s.src[lineStart:s.lineEnd(lineStart)])
	col := se.col
	if col > len(line)+1 {
		col = 0
	}
	at := diag.Pos{Line: se.line, Column: col}
	tok := se.token
	if tok == "" || col == 0 {
		return at, diag.Pos{}
	}
	for _, end := range []int{col, col - 1} { // exclusive end, 0-based
		if begin := end - len(tok); begin >= 0 && end <= len(line) && line[begin:end] == tok {
			return diag.Pos{Line: se.line, Column: begin + 1}, diag.Pos{Line: se.line, Column: end + 1}
		}
	}
	return at, diag.Pos{}
}

// syntaxError is the text of a *dns.ParseError taken apart. The type keeps
// its fields unexported; its Error method formats them as
//
//	[file ": "] "dns: " message ": " quoted-token " at line: " L ":" C
type syntaxError struct {
	msg       string // the parser's message
	token     string // the token it stopped at
	line, col int    // 0 when absent
}

func splitParseError(s string) syntaxError {
	se := syntaxError{msg: s}
	const at = " at line: "
	i := strings.LastIndex(s, at)
	if i < 0 {
		return se
	}
	ls, cs, ok := strings.Cut(s[i+len(at):], ":")
	line, lerr := strconv.Atoi(ls)
	col, cerr := strconv.Atoi(cs)
	if !ok || lerr != nil || cerr != nil || line < 0 || col < 0 {
		return se
	}
	se.line, se.col = line, col
	head := s[:i]
	for j := 0; ; {
		k := strings.Index(head[j:], `: "`)
		if k < 0 {
			break
		}
		if tok, err := strconv.Unquote(head[j+k+2:]); err == nil {
			se.token, head = tok, head[:j+k]
			break
		}
		j += k + 1
	}
	if _, after, found := strings.Cut(head, "dns: "); found {
		head = after
	}
	se.msg = head
	return se
}
