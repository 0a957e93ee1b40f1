package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// WriteText writes r for people: one line per finding in the form
// "file:line:col: severity: message [code]", the fix indented below it,
// then a count and the verdict.
func WriteText(w io.Writer, r Result) error {
	r = bounded(r)
	bw := bufio.NewWriter(w)
	diags := append(diag.List(nil), r.Diagnostics...)
	diags.Sort()
	for _, d := range diags {
		fmt.Fprintf(bw, "%s: %s: %s [%s]\n", location(d), d.Severity, d.Message, d.Code)
		if fix := fixLine(d); fix != "" {
			fmt.Fprintf(bw, "    %s\n", fix)
		}
	}
	for _, dom := range r.Domains {
		if dom.Window == nil || hasState(dom) {
			fmt.Fprintf(bw, "%s: %s\n", dom.Domain, domainLine(dom))
		}
		if dom.Window != nil {
			writeWindow(bw, dom.Domain, dom.Window)
		}
	}
	fmt.Fprintf(bw, "%s; verdict: %s\n", counts(diags), r.Verdict)
	return bw.Flush()
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
