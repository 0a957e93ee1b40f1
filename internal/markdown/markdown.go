// Package markdown writes GitHub-flavoured markdown from untrusted text:
// the job summary (package report) and the reminder issues (package
// remind) show organisation names, MX hosts and policy text taken from
// reports, DNS and pull requests, which must not be able to change the
// page around them.
package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Text escapes s for inline markdown or a table cell: it cannot open a
// table column, a code span, a link, an image, HTML or a new line, mention
// a user or team (@), or hide itself with control or bidirectional
// characters. Invalid UTF-8 comes out as U+FFFD.
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\r' || r == '\n' || r == '\t':
			b.WriteByte(' ')
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case strings.ContainsRune("\\`*_[]|~#!$@", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case Hidden(r):
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Hidden reports a rune that breaks a line or hides text.
func Hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// Code puts a short identifier (a code, an id, a host name) in a code
// span, where markdown is literal; text a code span cannot hold (a
// backtick, a line break, or a pipe, which splits a table cell even
// inside a span) is escaped with Text instead.
func Code(s string) string {
	if s == "" || strings.ContainsAny(s, "`|") || strings.IndexFunc(s, Hidden) >= 0 {
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
