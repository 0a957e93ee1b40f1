package report

import (
	"net/url"
	"strings"

	"github.com/stsgate/stsgate/internal/markdown"
)

// mdJoin escapes every item and joins them with commas.
func mdJoin(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = markdown.Text(s)
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
func MarkdownText(s string) string { return markdown.Text(s) }

// addEach appends items in order while they fit and returns how many
// did.
func (b *budget) addEach(items []string) int {
	for i, s := range items {
		if !b.add(s) {
			return i
		}
	}
	return len(items)
}

// lower lowers the limit to at most limit until the returned function
// restores it.
func (b *budget) lower(limit int) (restore func()) {
	outer := b.limit
	b.limit = min(limit, outer)
	return func() { b.limit = outer }
}
