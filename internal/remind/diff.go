package remind

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/markdown"
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

// Bounds on a diff of two whole texts: policies are a handful of lines,
// and what a policy host serves is untrusted (up to the fetch cap).
const (
	maxDiffLines     = 400 // lines of each side compared; beyond, no diff
	maxDiffLineBytes = 200 // a longer line is cut
	maxDiffOutput    = 80  // lines of diff shown
)

// edit is one line of an edit script: ' ' kept, '-' removed, '+' added.
type edit struct {
	op   byte
	text string
}

// lineEdits returns an edit script from a to b of the fewest changes: a
// longest common subsequence of lines, by dynamic programming (both sides
// are at most maxDiffLines).
func lineEdits(a, b []string) []edit {
	// lcs[i][j] is the length of the LCS of a[i:] and b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []edit
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, edit{' ', a[i]})
			i, j = i+1, j+1
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, edit{'-', a[i]}) // removals first, as diff -u shows them
			i++
		default:
			out = append(out, edit{'+', b[j]})
			j++
		}
	}
	return out
}

// textDiff renders the change from the lines of a to those of b as a
// unified diff with diffContext lines of context, "" when they are
// equal. Lines are shown with hidden characters escaped and cut to
// maxDiffLineBytes; a diff longer than maxDiffOutput lines is cut, and
// sides longer than maxDiffLines are not compared at all.
func textDiff(aName, bName string, a, b []string) string {
	if slices.Equal(a, b) {
		return ""
	}
	if len(a) > maxDiffLines || len(b) > maxDiffLines {
		return fmt.Sprintf("--- %s\n+++ %s\n(%d and %d lines: too long to compare here)\n", aName, bName, len(a), len(b))
	}
	edits := lineEdits(a, b)
	var out []string
	for _, h := range editHunks(edits) {
		out = append(out, hunkLines(edits, h[0], h[1])...)
	}
	if len(out) > maxDiffOutput {
		out = append(out[:maxDiffOutput], fmt.Sprintf("(… %d more lines of diff)", len(out)-maxDiffOutput))
	}
	return "--- " + aName + "\n+++ " + bName + "\n" + strings.Join(out, "\n") + "\n"
}

// editHunks returns the ranges [from, to) of edits to show: each change
// with diffContext kept lines around it, ranges that touch merged.
func editHunks(edits []edit) [][2]int {
	var out [][2]int
	for i, e := range edits {
		if e.op == ' ' {
			continue
		}
		from, to := max(i-diffContext, 0), min(i+diffContext+1, len(edits))
		if n := len(out); n > 0 && from <= out[n-1][1] {
			out[n-1][1] = to
			continue
		}
		out = append(out, [2]int{from, to})
	}
	return out
}

// hunkLines renders edits[from:to] as a hunk: its header, with the line
// numbers of both sides as diff -u gives them, then its lines.
func hunkLines(edits []edit, from, to int) []string {
	aStart, bStart := 1, 1 // the first line of each side in the hunk
	for _, e := range edits[:from] {
		if e.op != '+' {
			aStart++
		}
		if e.op != '-' {
			bStart++
		}
	}
	aLen, bLen := 0, 0
	lines := []string{""}
	for _, e := range edits[from:to] {
		if e.op != '+' {
			aLen++
		}
		if e.op != '-' {
			bLen++
		}
		lines = append(lines, string(e.op)+markdown.Truncate(markdown.Visible(e.text), maxDiffLineBytes))
	}
	if aLen == 0 {
		aStart-- // diff -u numbers an empty side by the line before it
	}
	if bLen == 0 {
		bStart--
	}
	lines[0] = fmt.Sprintf("@@ -%d,%d +%d,%d @@", aStart, aLen, bStart, bLen)
	return lines
}
