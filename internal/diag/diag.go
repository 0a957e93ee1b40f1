// Package diag defines the diagnostics every stsgate check produces: a
// finding with a stable code, a severity, a position in a file or a named
// piece of evidence (a DNS name, a URL), and a message that says what is
// wrong, why it matters for mail delivery and how to fix it.
//
// Diagnostics are values. Nothing in this package prints; renderers in
// package report turn a List into text, JSON or GitHub annotations.
package diag

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Severity orders findings. The zero value is not a valid severity.
type Severity int

// The severities, lowest first.
const (
	Notice Severity = iota + 1
	Warning
	Error
)

// String returns the lower-case name used in text output, JSON and the
// fail_on input.
func (s Severity) String() string {
	switch s {
	case Notice:
		return "notice"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses the names returned by String.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "notice":
		return Notice, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("diag: unknown severity %q (want error, warning or notice)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Pos is a position in a text: 1-based line and 1-based byte column. A zero
// Line means "no position"; a zero Column means "the whole line".
type Pos struct {
	Line   int
	Column int
}

// IsZero reports whether p carries no position.
func (p Pos) IsZero() bool { return p.Line == 0 }

// Offset maps p, a position inside a piece of text, to the position in the
// enclosing file where that text starts at base. Positions on the text's
// first line are shifted by base's column; later lines only by its line.
func (p Pos) Offset(base Pos) Pos {
	if p.IsZero() {
		return base
	}
	if base.IsZero() {
		return p
	}
	if p.Line == 1 {
		col := 0
		if base.Column > 0 && p.Column > 0 {
			col = base.Column + p.Column - 1
		}
		return Pos{Line: base.Line, Column: col}
	}
	return Pos{Line: base.Line + p.Line - 1, Column: p.Column}
}

func (p Pos) compare(q Pos) int {
	return cmp.Or(cmp.Compare(p.Line, q.Line), cmp.Compare(p.Column, q.Column))
}

// Diagnostic is one finding.
type Diagnostic struct {
	Code     Code
	Severity Severity
	Domain   string // policy domain the finding is about, if any
	File     string // repository-relative path with forward slashes, if any
	Start    Pos    // first byte of the offending text
	End      Pos    // one past its last byte; zero when unknown
	Subject  string // non-file evidence: "TXT _mta-sts.example.com", a URL
	Message  string // what is wrong and why it matters
	Hint     string // how to fix it
	Ref      string // specification reference, such as "RFC 8461 §3.2"
}

// New returns a diagnostic with the catalog's default severity and
// reference for code. Unknown codes get severity Error, so that a missing
// catalog entry is loud rather than silent; a test keeps the catalog
// complete.
func New(code Code, message, hint string) Diagnostic {
	d := Diagnostic{Code: code, Severity: Error, Message: clause(message), Hint: clause(hint)}
	if info, ok := Lookup(code); ok {
		d.Severity = info.Severity
		d.Ref = info.Ref
	}
	return d
}

// clause puts a message into the form every renderer expects, whatever
// the style of the rule that wrote it: a lower-case first word (unless it
// is an acronym or a name, as in "MX" or "TXT") and no final period, so
// that it reads after "error: " or "fix: ".
func clause(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "..") {
		s = s[:len(s)-1]
	}
	if len(s) >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z' {
		s = string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

// At returns d with its span set to [start, end).
func (d Diagnostic) At(start, end Pos) Diagnostic {
	d.Start, d.End = start, end
	return d
}

// As returns d with severity s.
func (d Diagnostic) As(s Severity) Diagnostic {
	d.Severity = s
	return d
}

// String formats d the way the text renderer does, without a hint; it is
// meant for tests and debugging.
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if !d.Start.IsZero() {
			fmt.Fprintf(&b, ":%d", d.Start.Line)
			if d.Start.Column > 0 {
				fmt.Fprintf(&b, ":%d", d.Start.Column)
			}
		}
		b.WriteString(": ")
	} else if d.Subject != "" {
		b.WriteString(d.Subject + ": ")
	}
	fmt.Fprintf(&b, "%s: %s [%s]", d.Severity, d.Message, d.Code)
	return b.String()
}

// maxExcerpt bounds the bytes of file content a message quotes.
const maxExcerpt = 40

// Excerpt quotes s for a message as Go does with %q (control characters
// escaped), cut to its first 40 bytes on a UTF-8 boundary with an
// ellipsis: a message names the offending token, it does not reproduce
// the file (DESIGN §1.11).
func Excerpt(s string) string {
	if len(s) <= maxExcerpt {
		return strconv.Quote(s)
	}
	cut := maxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}
