package report

import (
	"bufio"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
)

// AnnotationsPerSeverity is how many annotations of one level GitHub shows
// per step: 10 errors, 10 warnings and 10 notices; it silently drops the
// rest (github-actions.md §3.5). WriteAnnotations keeps to it so that the
// most important findings are the ones shown.
const AnnotationsPerSeverity = 10

// annotation is one workflow command: ::level props::message. Zero
// numbers and empty strings are omitted.
type annotation struct {
	Level                         string // error, warning or notice
	File                          string
	Line, Col, EndLine, EndColumn int
	Title, Message                string
}

// WriteAnnotations writes diags as workflow-command annotations, most
// important first (diag.List.ByImportance): at most perSeverity of each
// level (AnnotationsPerSeverity when perSeverity <= 0). It returns the
// diagnostics left out, in the same order, for the job summary.
func WriteAnnotations(w io.Writer, diags diag.List, perSeverity int) (dropped diag.List, err error) {
	shown, dropped := selectAnnotations(boundedDiags(diags), perSeverity)
	bw := bufio.NewWriter(w)
	for _, d := range shown {
		bw.WriteString(annotationFor(d).command())
		bw.WriteByte('\n')
	}
	return dropped, bw.Flush()
}

// WriteGitHub is the --format github renderer: the annotations, then the
// findings over the budget and the verdict as plain log lines. Untrusted
// text in a plain line must not be read as a workflow command: every
// such line starts with "stsgate: " and is a PlainLine.
func WriteGitHub(w io.Writer, r Result) error {
	r = bounded(r)
	dropped, err := WriteAnnotations(w, r.Diagnostics, AnnotationsPerSeverity)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if len(dropped) > 0 {
		printLine(bw, "stsgate: %d more not annotated (GitHub shows %d per severity):", len(dropped), AnnotationsPerSeverity)
	}
	for _, d := range dropped {
		printLine(bw, "stsgate: %s: %s: %s [%s]", location(d), d.Severity, d.Message, d.Code)
	}
	printLine(bw, "stsgate: %s; verdict: %s", counts(r.Diagnostics), r.Verdict)
	return bw.Flush()
}

// selectAnnotations splits diags, ordered by importance, into those
// within the per-level budget and the rest.
func selectAnnotations(diags diag.List, perSeverity int) (shown, dropped diag.List) {
	perSeverity = budgetPerSeverity(perSeverity)
	used := map[string]int{}
	for _, d := range diags.ByImportance() {
		level := levelOf(d.Severity)
		if used[level] < perSeverity {
			used[level]++
			shown = append(shown, d)
			continue
		}
		dropped = append(dropped, d)
	}
	return shown, dropped
}

// budgetPerSeverity is n, or AnnotationsPerSeverity when n <= 0.
func budgetPerSeverity(n int) int {
	if n <= 0 {
		return AnnotationsPerSeverity
	}
	return n
}

// levelOf maps a severity to a workflow command; anything above Error is
// an error, anything below Warning (including an invalid zero) a notice.
func levelOf(s diag.Severity) string {
	switch {
	case s >= diag.Error:
		return "error"
	case s == diag.Warning:
		return "warning"
	}
	return "notice"
}

// annotationFor builds the annotation of d. Findings without a
// repository file (a DNS name, a URL, a whole domain) become annotations
// without a file: GitHub lists them on the run page, and a missing record
// is often the most important thing to say. Their message names where.
// Text from d shows its hidden characters as escapes (markdown.Visible),
// so that the only line break is the one before the fix.
func annotationFor(d diag.Diagnostic) annotation {
	title := "stsgate: " + string(d.Code)
	if d.Domain != "" {
		title += " (" + d.Domain + ")"
	}
	a := annotation{Level: levelOf(d.Severity), Title: markdown.Visible(title), Message: d.Message}
	file, ok := repoPath(d.File)
	if ok {
		a.File = markdown.Visible(file)
		a.Line, a.Col, a.EndLine, a.EndColumn = span(d.Start, d.End)
	} else if where := location(d); where != d.Domain {
		a.Message = where + ": " + a.Message
	}
	a.Message = markdown.Visible(a.Message)
	if fix := fixLine(d); fix != "" {
		a.Message += "\n" + markdown.Visible(fix)
	}
	return a
}

// repoPath returns p as GitHub wants an annotation path: relative to the
// repository root, forward slashes, no "./" or leading "/"
// (github-actions.md §6). It reports false for no path or one that
// leaves the repository.
func repoPath(p string) (string, bool) {
	p = path.Clean(strings.TrimLeft(strings.ReplaceAll(p, `\`, "/"), "/"))
	if p == "." || p == ".." || strings.HasPrefix(p, "../") || strings.TrimSpace(p) == "" {
		return "", false
	}
	return p, true
}

// span converts a diagnostic's [start, end) byte span into annotation
// properties. The runner drops columns unless the annotation is on one
// line, so columns are only given then; endColumn is inclusive.
func span(start, end diag.Pos) (line, col, endLine, endColumn int) {
	if start.Line <= 0 {
		return 0, 0, 0, 0
	}
	line = start.Line
	if end.Line >= line {
		endLine = end.Line
		if endLine > line && end.Column == 1 { // the span ends with a line break
			endLine--
		}
	}
	if endLine > line || start.Column <= 0 {
		return line, 0, endLine, 0
	}
	col = start.Column
	if end.Line == line && end.Column-1 >= col {
		endColumn = end.Column - 1
	}
	return line, col, endLine, endColumn
}

// maxAnnotationMessage bounds an annotation's message; messages can quote
// third-party text (report organizations, served policies).
const maxAnnotationMessage = 4096

// The escapes of actions/toolkit's command.ts (escapeProperty and
// escapeData), which the runner undoes (github-actions.md §1.3). A
// property value may not contain the ":" or "," that end it; a message
// runs to the end of the line.
var (
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	messageEscaper  = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
)

// command formats a as one workflow command line, without the line
// break: ::level file=F,line=L,col=C,endLine=E,endColumn=K,title=T::message.
func (a annotation) command() string {
	var b strings.Builder
	b.WriteString("::" + a.Level)
	sep := " "
	for _, p := range [...]struct{ key, value string }{
		{"file", a.File}, {"line", number(a.Line)}, {"col", number(a.Col)},
		{"endLine", number(a.EndLine)}, {"endColumn", number(a.EndColumn)}, {"title", a.Title},
	} {
		if p.value != "" {
			b.WriteString(sep + p.key + "=" + propertyEscaper.Replace(p.value))
			sep = ","
		}
	}
	b.WriteString("::" + messageEscaper.Replace(markdown.Truncate(a.Message, maxAnnotationMessage)))
	return b.String()
}

// number formats a positive n; zero and below are omitted.
func number(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}
