package config

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/diag"
)

// source maps the positions of the YAML library to diagnostic positions.
//
// The library counts lines at CR, LF, CRLF, NEL, LS and PS, and columns in
// characters after a UTF-8 byte order mark; diagnostics use lines ended by
// LF and byte columns (diag.Pos). source keeps both line tables and converts
// through byte offsets.
type source struct {
	text       string
	yamlStarts []int // byte offset where each YAML line starts
	yamlASCII  []bool
	lineStarts []int           // byte offset where each LF-terminated line starts
	bareCR     []int           // byte offsets of CRs not followed by LF
	runeCache  map[int][]int32 // YAML line index -> byte offset of each character
}

func newSource(text string) *source {
	s := &source{text: text, runeCache: make(map[int][]int32)}
	s.lineStarts = append(s.lineStarts, 0)
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '\n':
			s.lineStarts = append(s.lineStarts, i+1)
		case text[i] == '\r' && (i+1 == len(text) || text[i+1] != '\n'):
			s.bareCR = append(s.bareCR, i)
		}
	}
	start := 0
	if len(text) >= 3 && text[:3] == "\uFEFF" {
		start = 3 // the library skips the byte order mark without counting it
	}
	s.scanYAMLLines(start)
	return s
}

// scanYAMLLines fills the YAML line table starting at byte offset start.
func (s *source) scanYAMLLines(start int) {
	ascii := true
	s.yamlStarts = append(s.yamlStarts, start)
	for i := start; i < len(s.text); {
		n := yamlBreak(s.text[i:])
		if n == 0 {
			if s.text[i] >= utf8.RuneSelf {
				ascii = false
			}
			i++
			continue
		}
		i += n
		s.yamlASCII = append(s.yamlASCII, ascii)
		s.yamlStarts = append(s.yamlStarts, i)
		ascii = true
	}
	s.yamlASCII = append(s.yamlASCII, ascii)
}

// yamlBreak returns the length of the line break at the start of t, or 0.
// It follows is_break and is_crlf of the YAML library.
func yamlBreak(t string) int {
	switch {
	case len(t) >= 2 && t[:2] == "\r\n":
		return 2
	case t[0] == '\r' || t[0] == '\n':
		return 1
	case len(t) >= 2 && t[:2] == "\u0085":
		return 2
	case len(t) >= 3 && (t[:3] == "\u2028" || t[:3] == "\u2029"):
		return 3
	}
	return 0
}

// offset returns the byte offset of the library's 1-based line and
// character column, clamped to the text.
func (s *source) offset(line, column int) int {
	li := min(max(line-1, 0), len(s.yamlStarts)-1)
	start := s.yamlStarts[li]
	end := len(s.text)
	if li+1 < len(s.yamlStarts) {
		end = s.yamlStarts[li+1]
	}
	col := max(column-1, 0)
	if s.yamlASCII[li] {
		return min(start+col, end)
	}
	runes, ok := s.runeCache[li]
	if !ok {
		for i := range s.text[start:end] {
			runes = append(runes, int32(start+i))
		}
		s.runeCache[li] = runes
	}
	if col < len(runes) {
		return int(runes[col])
	}
	return end
}

// pos converts a byte offset to a diagnostic position.
func (s *source) pos(off int) diag.Pos {
	off = min(max(off, 0), len(s.text))
	li := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off }) - 1
	return diag.Pos{Line: li + 1, Column: off - s.lineStarts[li] + 1}
}

// linePos returns the whole-line position (column 0) of the library's
// 1-based line number, clamped to the text.
func (s *source) linePos(line int) diag.Pos {
	return diag.Pos{Line: s.pos(s.offset(line, 1)).Line}
}

// checkBareCR reports the first carriage return that no line feed
// follows, if any: YAML ends a line there, but git and grep -n count it
// as part of the line, and so do many editors and diff views.
func (s *source) checkBareCR() (diag.Diagnostic, bool) {
	if len(s.bareCR) == 0 {
		return diag.Diagnostic{}, false
	}
	what := "a carriage return here is not followed by a line feed"
	if n := len(s.bareCR); n > 1 {
		what = fmt.Sprintf("%d carriage returns, the first here, are not followed by a line feed", n)
	}
	p := s.pos(s.bareCR[0])
	return diag.New(diag.ConfigBareCR,
		what+"; YAML ends a line there, but git and grep -n do not, and many editors and diff views show what follows on the same line, so reviewers may not see the settings stsgate reads",
		"End lines with LF or CRLF.").At(p, diag.Pos{Line: p.Line, Column: p.Column + 1}), true
}

// checkEncoding reports the first byte the YAML library would refuse:
// invalid UTF-8 or a control character (YAML 1.2 §5.1).
func (s *source) checkEncoding() (diag.Diagnostic, bool) {
	t := s.text
	if len(t) >= 2 && (t[:2] == "\xff\xfe" || t[:2] == "\xfe\xff") {
		return s.syntaxAt(0, "the configuration is encoded in UTF-16",
			"Save the file as UTF-8."), false
	}
	for i, r := range t {
		if r == utf8.RuneError && !validRuneAt(t, i) {
			return s.syntaxAt(i, fmt.Sprintf("byte 0x%02x is not valid UTF-8", t[i]),
				"Save the file as UTF-8."), false
		}
		if !printable(r) {
			return s.syntaxAt(i, fmt.Sprintf("control character %U is not allowed in YAML", r),
				"Remove the character; write it as an escape inside a double-quoted string if you need it."), false
		}
	}
	return diag.Diagnostic{}, true
}

func (s *source) syntaxAt(off int, msg, hint string) diag.Diagnostic {
	p := s.pos(off)
	return diag.New(diag.ConfigSyntax, msg, hint).At(p, diag.Pos{Line: p.Line, Column: p.Column + 1})
}

func validRuneAt(t string, i int) bool {
	_, n := utf8.DecodeRuneInString(t[i:])
	return n == 3 // a literal U+FFFD is three bytes; an invalid byte decodes with size 1
}

// printable follows the character set of the YAML library's reader.
func printable(r rune) bool {
	switch {
	case r == 0x09, r == 0x0A, r == 0x0D, r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}
