package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
)

// WriteText writes r for people: one line per finding in the form
// "file:line:col: severity: message [code]", the fix indented below it,
// then a count and the verdict. Every line is a PlainLine: text from
// input cannot start another or be read as a workflow command when the
// report is printed in a GitHub Actions step.
func WriteText(w io.Writer, r Result) error {
	r = bounded(r)
	bw := bufio.NewWriter(w)
	diags := append(diag.List(nil), r.Diagnostics...)
	diags.Sort()
	for _, d := range diags {
		printLine(bw, "%s: %s: %s [%s]", location(d), d.Severity, d.Message, d.Code)
		if fix := fixLine(d); fix != "" {
			printLine(bw, "    %s", fix)
		}
	}
	for _, dom := range r.Domains {
		if dom.Window == nil || hasState(dom) {
			printLine(bw, "%s: %s", dom.Domain, domainLine(dom))
		}
		if dom.Window != nil {
			writeWindow(bw, dom.Domain, dom.Window)
		}
	}
	printLine(bw, "%s; verdict: %s", counts(diags), r.Verdict)
	return bw.Flush()
}

// printLine writes the formatted text as one PlainLine and a line break.
func printLine(w io.Writer, format string, args ...any) {
	io.WriteString(w, PlainLine(fmt.Sprintf(format, args...))+"\n")
}

// PlainLine makes s one line of a log that the runner cannot read as a
// workflow command (github-actions.md §3.4), whoever wrote its parts:
//   - hidden characters, line breaks among them, are shown as escapes
//     (markdown.Visible), so s stays one line;
//   - the legacy "##[" form, which the runner reads anywhere in a line
//     (ActionCommand.TryParse), becomes "##[\", which names no command;
//   - a "::" at the start, which it reads after trimming white space
//     (ActionCommand.TryParseV2), has its first colon escaped as \x3a.
func PlainLine(s string) string {
	s = strings.ReplaceAll(markdown.Visible(s), "##[", `##[\`)
	rest := strings.TrimLeftFunc(s, leadingSpace)
	if strings.HasPrefix(rest, "::") {
		s = s[:len(s)-len(rest)] + `\x3a` + rest[1:]
	}
	return s
}

// leadingSpace is what .NET's String.TrimStart removes (Char.IsWhiteSpace,
// the same set as unicode.IsSpace), and to be safe the zero-width space
// and the byte order mark that older .NET versions removed too.
func leadingSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

// location is where a finding is: file:line:col, the subject (a DNS name,
// a URL), or the domain.
func location(d diag.Diagnostic) string {
	switch {
	case d.File != "" && d.Start.Line > 0 && d.Start.Column > 0:
		return fmt.Sprintf("%s:%d:%d", d.File, d.Start.Line, d.Start.Column)
	case d.File != "" && d.Start.Line > 0:
		return fmt.Sprintf("%s:%d", d.File, d.Start.Line)
	case d.File != "":
		return d.File
	case d.Subject != "":
		return d.Subject
	case d.Domain != "":
		return d.Domain
	}
	return "stsgate"
}

func fixLine(d diag.Diagnostic) string {
	var parts []string
	if d.Hint != "" {
		parts = append(parts, "fix: "+d.Hint)
	}
	if d.Ref != "" {
		parts = append(parts, "("+d.Ref+")")
	}
	return strings.Join(parts, " ")
}

func hasState(d Domain) bool {
	return d.Mode != "" || d.ID != "" || len(d.MX) > 0 || len(d.TLSRPT) > 0
}

func domainLine(d Domain) string {
	var parts []string
	if d.Mode != "" {
		parts = append(parts, "mode "+d.Mode)
	}
	if d.ID != "" {
		parts = append(parts, "id "+d.ID)
	}
	if len(d.MX) > 0 {
		parts = append(parts, "mx "+strings.Join(d.MX, ", "))
	}
	if len(d.TLSRPT) > 0 {
		parts = append(parts, "tls-rpt "+strings.Join(d.TLSRPT, ", "))
	}
	if len(parts) == 0 {
		return "no usable policy or records"
	}
	return strings.Join(parts, "; ")
}

func counts(l diag.List) string {
	return fmt.Sprintf("%s, %s, %s",
		plural(l.Count(diag.Error), "error"),
		plural(l.Count(diag.Warning), "warning"),
		plural(l.Count(diag.Notice), "notice"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
