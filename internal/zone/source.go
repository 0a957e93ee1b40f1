package zone

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// The miekg/dns zone parser returns records without their positions. To
// point diagnostics and TXT offsets at the source, this file re-lexes the
// zone minimally: it splits it into entries (one record or directive,
// possibly spanning lines inside parentheses) made of tokens with byte
// offsets, following the lexer rules of miekg/dns (RFC 1035 §5.1: ';'
// comments, '(' ')' continuation, quoted strings, '\' escapes). Which entry
// a record came from is found through byteReader, which tells how far the
// parser has read.

// token is one token of an entry as it appears in the source.
type token struct {
	off, end int  // byte offsets [off, end); a quoted token includes its quotes
	quoted   bool // starts with '"'
	closed   bool // quoted and has its closing quote
}

// entry is one logical line of the zone file.
type entry struct {
	start      int  // offset of the first byte of its first line
	blankOwner bool // starts with a blank: the owner is the previous record's
	tokens     []token
}

// source is a zone file with its line index and entries.
type source struct {
	src        []byte
	lineStarts []int   // lines end at LF only, as git and grep -n count them
	bareCR     []int   // offsets of CRs not followed by LF
	entries    []entry // only entries with tokens, in source order
}

func newSource(src []byte) *source {
	s := &source{src: src, lineStarts: []int{0}}
	for i, c := range src {
		switch {
		case c == '\n':
			s.lineStarts = append(s.lineStarts, i+1)
		case c == '\r' && (i+1 == len(src) || src[i+1] != '\n'):
			s.bareCR = append(s.bareCR, i)
		}
	}
	for off := 0; off < len(src); {
		e, next := lexEntry(src, off)
		if len(e.tokens) > 0 {
			s.entries = append(s.entries, e)
		}
		off = next
	}
	return s
}

// pos returns the position of byte offset off (0 <= off <= len(src)).
func (s *source) pos(off int) diag.Pos {
	line := sort.SearchInts(s.lineStarts, off+1) // first start > off
	return diag.Pos{Line: line, Column: off - s.lineStarts[line-1] + 1}
}

// lineEnd returns the offset of the end of the line holding off, before
// its "\r\n" or "\n".
func (s *source) lineEnd(off int) int {
	line := s.pos(off).Line
	end := len(s.src)
	if line < len(s.lineStarts) {
		end = s.lineStarts[line] - 1
	}
	if end > 0 && end > s.lineStarts[line-1] && s.src[end-1] == '\r' {
		end--
	}
	return end
}

// text returns the source text of t.
func (s *source) text(t token) string { return string(s.src[t.off:t.end]) }

// entryBefore returns the last entry that starts before offset off, or nil.
func (s *source) entryBefore(off int) *entry {
	i := sort.Search(len(s.entries), func(i int) bool { return s.entries[i].start >= off })
	if i == 0 {
		return nil
	}
	return &s.entries[i-1]
}

// lexEntry reads the entry starting at off and returns it with the offset
// just past its terminating newline.
func lexEntry(src []byte, off int) (entry, int) {
	e := entry{start: off, blankOwner: src[off] == ' ' || src[off] == '\t'}
	depth := 0
	i := off
	for i < len(src) {
		switch c := src[i]; {
		case c == '\n':
			i++
			if depth == 0 {
				return e, i
			}
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '(':
			depth++
			i++
		case c == ')':
			depth = max(depth-1, 0)
			i++
		case c == '"':
			t := lexQuoted(src, i)
			e.tokens = append(e.tokens, t)
			i = t.end
		default:
			t := lexPlain(src, i)
			e.tokens = append(e.tokens, t)
			i = t.end
		}
	}
	return e, i
}

// lexQuoted reads a quoted string starting at the '"' at off. Inside it,
// newlines, ';' and parentheses are text, and '\' escapes the next byte.
func lexQuoted(src []byte, off int) token {
	for i := off + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '"':
			return token{off: off, end: i + 1, quoted: true, closed: true}
		}
	}
	return token{off: off, end: len(src), quoted: true}
}

// lexPlain reads an unquoted token starting at off. '\' escapes the next
// byte unless it is a newline.
func lexPlain(src []byte, off int) token {
	i := off
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r', '\n', ';', '(', ')', '"':
			return token{off: off, end: i}
		case '\\':
			if i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		}
		i++
	}
	return token{off: off, end: i}
}

// isDirective reports whether e is the directive name, such as "$INCLUDE".
func (s *source) isDirective(e *entry, name string) bool {
	return !e.blankOwner && strings.EqualFold(s.text(e.tokens[0]), name)
}

// byteReader hands the zone to the miekg/dns lexer one byte at a time and
// counts what it has read. The lexer uses an io.ByteReader as it is (it
// wraps other readers in a bufio.Reader), so read is exactly the number of
// bytes it has consumed; after a record it has read through the newline
// that ends the record.
type byteReader struct {
	src  []byte
	read int
}

func (r *byteReader) ReadByte() (byte, error) {
	if r.read >= len(r.src) {
		return 0, io.EOF
	}
	c := r.src[r.read]
	r.read++
	return c, nil
}

func (r *byteReader) Read(p []byte) (int, error) {
	if r.read >= len(r.src) {
		return 0, io.EOF
	}
	n := copy(p, r.src[r.read:])
	r.read += n
	return n, nil
}

// bareCRDiag reports the first of the carriage returns that no line feed
// follows. miekg/dns, like git and grep, ends lines at LF only: it drops
// such a CR outside quotes, joining the text on both sides, and keeps it
// in quoted text, while some editors show a line break there.
func (s *source) bareCRDiag() diag.Diagnostic {
	first := s.bareCR[0]
	what, it := "a carriage return here is not followed by a line feed", "it"
	if n := len(s.bareCR); n > 1 {
		what, it = fmt.Sprintf("%d carriage returns, the first here, are not followed by a line feed", n), "them"
	}
	return diag.New(diag.ZoneBareCR,
		fmt.Sprintf("%s, so lines do not end there: the zone parser drops %[2]s outside quotes, joining the text before and after, and keeps %[2]s inside quoted text. Editors that show a line break there show records other than those a name server loads", what, it),
		"end lines with LF or CRLF, and remove carriage returns elsewhere").
		At(s.pos(first), s.pos(first+1))
}
