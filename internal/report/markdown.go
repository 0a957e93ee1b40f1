package report

import (
	"net/url"
	"strings"
	"unicode"
)

// mdText escapes text for markdown, inline or in a table cell. Text from
// reports, DNS and pull requests is untrusted: it must not open a table
// column, a code span, a link, an image, HTML or a new line, and must not
// hide itself with control or bidirectional characters.
func mdText(s string) string {
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
		case strings.ContainsRune("\\`*_[]|~#!$", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r) // invalid UTF-8 comes out as U+FFFD
		}
	}
	return b.String()
}

// mdCell is mdText of s cut to limit bytes first.
func mdCell(s string, limit int) string { return mdText(truncate(s, limit)) }

// mdCode puts a short identifier (a code, an id) in a code span. Text
// with anything markdown would need escaped is escaped instead.
func mdCode(s string) string {
	if e := mdText(s); s == "" || e != s {
		return e
	}
	return "`" + s + "`"
}

// mdJoin escapes every item and joins them with commas.
func mdJoin(items []string, limit int) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = mdCell(s, limit)
	}
	return strings.Join(out, ", ")
}

// or returns s, or a dash for an empty table cell.
func or(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// fileURL links to path at line (and through endLine) under base, such as
// https://github.com/owner/repo/blob/<sha>.
func fileURL(base, path string, line, endLine int) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	u := strings.TrimRight(base, "/") + "/" + strings.Join(segs, "/")
	if line > 0 {
		u += "#L" + number(line)
		if endLine > line {
			u += "-L" + number(endLine)
		}
	}
	return u
}

// budget is a markdown builder that stops taking text at a byte limit.
type budget struct {
	strings.Builder
	limit int
}

// add appends s when it fits and reports whether it did.
func (b *budget) add(s string) bool {
	if b.Len()+len(s) > b.limit {
		return false
	}
	b.WriteString(s)
	return true
}

// MarkdownText escapes s for a line of the job summary, as the summary's
// own text is escaped.
func MarkdownText(s string) string { return mdText(s) }
