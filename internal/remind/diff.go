package remind

import (
	"fmt"
	"slices"
	"strings"
)

// diffContext is the number of unchanged lines shown around a change, as
// in `diff -u`.
const diffContext = 3

// lineChange replaces one line of a file.
type lineChange struct {
	line int // 1-based
	text string
}

// splitFile splits a text file into lines without their line endings
// (LF or CRLF) and without a leading byte order mark.
func splitFile(text string) []string {
	text = strings.TrimPrefix(text, "\ufeff")
	text = strings.TrimSuffix(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// unifiedDiff renders changes to lines of file as a unified diff with
// diffContext lines of context, hunks merged where their context meets.
// Changes outside the file are left out.
func unifiedDiff(file string, lines []string, changes []lineChange) string {
	changes = slices.DeleteFunc(slices.Clone(changes), func(c lineChange) bool {
		return c.line < 1 || c.line > len(lines) || lines[c.line-1] == c.text
	})
	if len(changes) == 0 {
		return ""
	}
	slices.SortFunc(changes, func(a, b lineChange) int { return a.line - b.line })
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n", file, file)
	for _, hunk := range hunks(changes) {
		writeHunk(&b, lines, hunk)
	}
	return b.String()
}

// hunks groups changes whose context windows touch.
func hunks(changes []lineChange) [][]lineChange {
	var out [][]lineChange
	for _, c := range changes {
		if n := len(out); n > 0 && c.line-out[n-1][len(out[n-1])-1].line <= 2*diffContext+1 {
			out[n-1] = append(out[n-1], c)
			continue
		}
		out = append(out, []lineChange{c})
	}
	return out
}

// writeHunk writes one hunk: a header, context, and each change as a
// removed and an added line.
func writeHunk(b *strings.Builder, lines []string, hunk []lineChange) {
	first := max(hunk[0].line-diffContext, 1)
	last := min(hunk[len(hunk)-1].line+diffContext, len(lines))
	n := last - first + 1
	fmt.Fprintf(b, "@@ -%d,%d +%d,%d @@\n", first, n, first, n)
	next := 0
	for i := first; i <= last; i++ {
		if next < len(hunk) && hunk[next].line == i {
			b.WriteString("-" + lines[i-1] + "\n+" + hunk[next].text + "\n")
			next++
			continue
		}
		b.WriteString(" " + lines[i-1] + "\n")
	}
}
