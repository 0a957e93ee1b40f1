package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// injections try to start a workflow command on a line of their own,
// or to hide or disguise text.
func injections() []string {
	return []string{
		"x\n::error::pwned", "x\r::add-mask::y", "\u2028::warning::z", "x\r\n::stop-commands::t",
		"::error::at the start", " \u00a0\u3000::notice::after spaces", "a ##[add-mask]b", "\u0085::error::nel",
		"\u202egnp.exe", "\x1b[2J\x1b[31mred", "caf\xe9 \x00 \x7f \u009b", "%0A::error::escaped",
	}
}

// hostileResult puts s into every string of a result that comes from
// input: the domain's state, its failure rows, and the domain, file,
// subject, message and hint of its findings. copies findings without a
// file come first, so that --format github prints those over the
// annotation budget as plain lines.
func hostileResult(s string, copies int) Result {
	var diags diag.List
	for i := range copies {
		d := diag.New(diag.ReportOrganizationEmpty, fmt.Sprintf("report %d from %s", i, s), "ask "+s)
		d.Domain, d.Subject = s, s
		diags = append(diags, d)
	}
	inFile := diag.New(diag.PolicyModeDuplicate, "mode "+s, "keep "+s).At(diag.Pos{Line: 3, Column: 1}, diag.Pos{Line: 3, Column: 9})
	inFile.File, inFile.Domain = s, s
	row := tlsrpt.Failure{ResultType: s, Org: s, SendingIP: s, MX: s, Sessions: 2, Class: s, Blocking: true,
		FirstDay: "2026-11-01", LastDay: "2026-11-02", Reason: s}
	w := &tlsrpt.Window{Reasons: []string{s}, Days: []tlsrpt.Day{{Date: "2026-11-01", Status: tlsrpt.DayDirty}},
		Failures: []tlsrpt.Failure{row}, Ignored: []tlsrpt.Failure{row}, OtherPolicies: []tlsrpt.Failure{row}}
	return Result{Verdict: Fail, Diagnostics: append(diags, inFile),
		Domains: []Domain{{Domain: s, Mode: s, ID: s, TLSRPT: []string{s}, MX: []string{s}, Window: w}}}
}

// renderAll renders r in every output format, by format name.
func renderAll(t *testing.T, r Result) map[string]string {
	t.Helper()
	s := r.Domains[0].Domain
	issues := []IssueLink{{Domain: s, Number: 1, URL: "https://github.com/o/r/issues/1", Status: s}}
	outs := map[string]string{
		"summary":         Summary(r, SummaryOptions{Run: "gate", Override: s, LinkBase: "https://github.com/o/r/blob/abc", Issues: issues}),
		"summary-stopped": Summary(Result{Verdict: Error}, SummaryOptions{Run: s, Stopped: s, Issues: issues}),
	}
	inline := r
	inline.InlineWindow = true
	for name, write := range map[string]func(io.Writer) error{
		"text":        func(w io.Writer) error { return WriteText(w, r) },
		"json":        func(w io.Writer) error { return WriteJSON(w, r) },
		"json-inline": func(w io.Writer) error { return WriteJSON(w, inline) },
		"github":      func(w io.Writer) error { return WriteGitHub(w, r) },
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		outs[name] = b.String()
	}
	return outs
}

// checkLines fails when a line of out shows a hidden character or
// invalid UTF-8, or could be read by the runner as a workflow command:
// "::" at its start after white space (ActionCommand.TryParseV2 trims
// it), or, in what is printed to a step's output rather than to the
// summary file, the legacy "##[" anywhere. The github format's own
// commands must parse as annotations.
func checkLines(t *testing.T, format, out string) {
	t.Helper()
	for i, line := range strings.Split(out, "\n") {
		if j := strings.IndexFunc(line, markdown.Hidden); j >= 0 || !utf8.ValidString(line) {
			t.Errorf("%s line %d shows a hidden character or invalid UTF-8: %q", format, i+1, line)
		}
		if format == "github" && strings.HasPrefix(line, "::") {
			if a, err := parseCommand(line); err != nil || levelOf(diag.Error) != a.Level && levelOf(diag.Warning) != a.Level && levelOf(diag.Notice) != a.Level {
				t.Errorf("github line %d is no annotation (%v): %q", i+1, err, line)
			}
			continue
		}
		start := strings.TrimLeftFunc(line, unicode.IsSpace)
		legacy := format != "summary" && strings.Contains(strings.ReplaceAll(line, `##[\`, ""), "##[")
		if strings.HasPrefix(start, "::") || legacy {
			t.Errorf("%s line %d could be read as a workflow command: %q", format, i+1, line)
		}
		if format == "github" && line != "" && !strings.HasPrefix(line, "stsgate: ") {
			t.Errorf("github line %d is neither an annotation nor a stsgate line: %q", i+1, line)
		}
	}
}

// jsonStrings are the strings of the JSON document that come from s.
type jsonStrings struct {
	Domains []struct {
		Domain   string
		Window   *struct{ Failures []tlsrpt.Failure }
		Failures []tlsrpt.Failure
	}
	Diagnostics []struct{ Domain, Subject, Message string }
}

// checkJSON fails unless out is valid JSON that holds s capped.
func checkJSON(t *testing.T, format, out, s string) {
	t.Helper()
	var doc jsonStrings
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%s is not JSON: %v", format, err)
	}
	if !utf8.ValidString(s) {
		return // encoding/json holds U+FFFD for the bytes that are not UTF-8
	}
	rows := doc.Domains[0].Failures
	if w := doc.Domains[0].Window; w != nil {
		rows = w.Failures
	}
	field := markdown.Truncate(s, 256)
	got := []string{doc.Domains[0].Domain, rows[0].Org, rows[0].MX, rows[0].Reason, doc.Diagnostics[0].Subject}
	if diff := cmp.Diff([]string{field, field, field, field, field}, got); diff != "" {
		t.Errorf("%s does not hold the capped strings (-want +got):\n%s", format, diff)
	}
}

// checkHostile renders a result that holds s in every output format and
// holds each to checkLines, and the JSON documents to checkJSON.
func checkHostile(t *testing.T, s string) {
	t.Helper()
	for name, out := range renderAll(t, hostileResult(s, 12)) {
		checkLines(t, name, out)
		if strings.HasPrefix(name, "json") {
			checkJSON(t, name, out, s)
		}
	}
}

// TestHostileStrings: no string from input can start a line, hide text
// or be read as a workflow command, in any output format.
func TestHostileStrings(t *testing.T) {
	t.Parallel()
	for _, s := range injections() {
		checkHostile(t, s)
	}
}

// TestLongStrings: strings from reports are capped, so that the output
// grows with the number of rows and findings, not with their lengths.
func TestLongStrings(t *testing.T) {
	t.Parallel()
	for _, s := range []string{strings.Repeat("A", 15<<20), strings.Repeat("\u2028é", 5<<20)} {
		for name, out := range renderAll(t, hostileResult(s, 2)) {
			if len(out) > 64<<10 {
				t.Errorf("%s: %d bytes of output, want under 64 KiB", name, len(out))
			}
			if strings.HasPrefix(name, "json") {
				checkJSON(t, name, out, s)
			}
		}
	}
}

// FuzzRenderers holds every output format to the rules of
// TestHostileStrings for any string.
func FuzzRenderers(f *testing.F) {
	for _, s := range injections() {
		f.Add(s)
	}
	f.Fuzz(checkHostile)
}
