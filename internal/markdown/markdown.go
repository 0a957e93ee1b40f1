// Package markdown writes GitHub-flavoured markdown from untrusted text:
// the job summary (package report) and the reminder issues (package
// remind) show organisation names, MX hosts and policy text taken from
// reports, DNS and pull requests, which must not be able to change the
// page around them.
package markdown

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Text escapes s for inline markdown or a table cell: it cannot open a
// table column, a code span, a link, an image, HTML or a new line, mention
// a user or team (@), or hide itself with control or bidirectional
// characters, which it shows as Visible does (a line break as \n).
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1 || Hidden(r):
			// The escape's backslash, escaped for markdown.
			b.WriteString(`\` + Visible(s[i:i+n]))
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case strings.ContainsRune("\\`*_[]|~#!$@", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Hidden reports a rune that breaks a line or hides text: a C0 or C1
// control character or DEL, the line and paragraph separators U+2028
// and U+2029, or a bidirectional control (U+202A-U+202E, U+2066-U+2069
// and the marks U+061C, U+200E, U+200F), which makes text read
// differently from what it holds.
func Hidden(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// Visible returns s with every hidden rune written as a Go escape
// (\n, \r, \t, \x1b, \u0085, \u2028, \u202e) and every byte that is
// not UTF-8 as \xff, so that untrusted text stays on its line in a log
// and shows what it holds. Backslashes are kept as they are: the result
// is for reading, not for decoding.
func Visible(s string) string {
	if !hasHidden(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || Hidden(r) {
			q := strconv.Quote(s[i : i+n]) // one escape between quotes
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// hasHidden reports whether s holds a hidden rune or a byte that is not
// UTF-8.
func hasHidden(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return !utf8.ValidString(s) || strings.IndexFunc(s, Hidden) >= 0
		}
	}
	return false
}

// Code puts a short identifier (a code, an id, a host name) in a code
// span, where markdown is literal; text a code span cannot hold (a
// backtick, a pipe, which splits a table cell even inside a span, or
// anything Visible would escape) is escaped with Text instead.
func Code(s string) string {
	if s == "" || strings.ContainsAny(s, "`|") || hasHidden(s) {
		return Text(s)
	}
	return "`" + s + "`"
}

// Truncate cuts s to at most limit bytes, on a rune boundary, ending it
// with an ellipsis when it was cut.
func Truncate(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const ellipsis = "…"
	cut := max(limit-len(ellipsis), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

// DayIcon is the square of a day's status in a day strip.
func DayIcon(status string) string {
	switch status {
	case tlsrpt.DayClean:
		return "🟩"
	case tlsrpt.DayDirty:
		return "🟥"
	case tlsrpt.DayUncovered:
		return "⬜"
	}
	return "⬛"
}

// DayStrip shows a clean window's days as one square each, oldest first,
// at most maxDays of the newest, between the first and last dates, then a
// legend.
func DayStrip(days []tlsrpt.Day, maxDays int) string {
	if len(days) == 0 {
		return ""
	}
	days = days[max(len(days)-maxDays, 0):]
	var b strings.Builder
	b.WriteString(Code(days[0].Date) + " ")
	for _, d := range days {
		b.WriteString(DayIcon(d.Status))
	}
	b.WriteString(" " + Code(days[len(days)-1].Date) + "<br>\n🟩 clean · 🟥 blocking failures · ⬜ no reports")
	return b.String()
}
