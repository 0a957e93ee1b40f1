package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/sethvargo/go-githubactions"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
)

// checkGolden compares got with testdata/name, rewriting it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestWriteGitHubGolden(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteGitHub(&b, sample()); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "sample.github", b.Bytes())
}

// parseCommand reads a workflow command line the way the runner does
// (ActionCommand.TryParseV2): "::", the name, optional properties up to
// the next "::", then the message; values are unescaped.
func parseCommand(line string) (annotation, error) {
	rest, ok := strings.CutPrefix(strings.TrimLeft(line, " \t"), "::")
	if !ok {
		return annotation{}, fmt.Errorf("no leading ::")
	}
	info, data, ok := strings.Cut(rest, "::")
	if !ok {
		return annotation{}, fmt.Errorf("no second ::")
	}
	name, props, _ := strings.Cut(info, " ")
	a := annotation{Level: name, Message: unescape(data, false)}
	if props == "" {
		return a, nil
	}
	for _, kv := range strings.Split(props, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return a, fmt.Errorf("property %q without =", kv)
		}
		if err := a.set(k, unescape(v, true)); err != nil {
			return a, err
		}
	}
	return a, nil
}

func (a *annotation) set(key, value string) error {
	n, err := strconv.Atoi(value)
	switch key {
	case "file":
		a.File = value
	case "title":
		a.Title = value
	case "line":
		a.Line = n
	case "col":
		a.Col = n
	case "endLine":
		a.EndLine = n
	case "endColumn":
		a.EndColumn = n
	default:
		return fmt.Errorf("unknown property %q", key)
	}
	if key != "file" && key != "title" && err != nil {
		return err
	}
	return nil
}

// unescape undoes the runner's escapes, %25 last, as the runner does.
func unescape(s string, property bool) string {
	s = strings.NewReplacer("%0D", "\r", "%0A", "\n").Replace(s)
	if property {
		s = strings.NewReplacer("%3A", ":", "%2C", ",").Replace(s)
	}
	return strings.ReplaceAll(s, "%25", "%")
}

func TestAnnotationEscaping(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a    annotation
		want string
	}{
		{"plain", annotation{Level: "error", File: "a.txt", Line: 2, Title: "t", Message: "m"}, "::error file=a.txt,line=2,title=t::m"},
		{"no properties", annotation{Level: "notice", Message: "m"}, "::notice::m"},
		{"percent", annotation{Level: "warning", Title: "100%", Message: "50% done"}, "::warning title=100%25::50%25 done"},
		{"newlines", annotation{Level: "error", Title: "a\r\nb", Message: "line 1\nline 2\r"}, "::error title=a%0D%0Ab::line 1%0Aline 2%0D"},
		{"colon and comma in property", annotation{Level: "error", File: "dir,x/a:b.txt", Title: "stsgate: x (a.com)"},
			"::error file=dir%2Cx/a%3Ab.txt,title=stsgate%3A x (a.com)::"},
		{"colon and comma in message are kept", annotation{Level: "error", Message: "a: b, c"}, "::error::a: b, c"},
		{"injection", annotation{Level: "notice", Message: "x\n::set-output name=verdict::pass\n::error::pwned"},
			"::notice::x%0A::set-output name=verdict::pass%0A::error::pwned"},
		{"property injection", annotation{Level: "notice", Title: "t,file=/etc/passwd::x"}, "::notice title=t%2Cfile=/etc/passwd%3A%3Ax::"},
		{"escape-looking text", annotation{Level: "notice", Title: "%3A", Message: "%0A"}, "::notice title=%253A::%250A"},
		{"span", annotation{Level: "error", File: "p", Line: 3, Col: 1, EndLine: 3, EndColumn: 13, Title: "t"},
			"::error file=p,line=3,col=1,endLine=3,endColumn=13,title=t::"},
	} {
		got := tc.a.command()
		if got != tc.want {
			t.Errorf("%s: command() = %q, want %q", tc.name, got, tc.want)
		}
		back, err := parseCommand(got)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.a, back); diff != "" {
			t.Errorf("%s: round trip (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestEscapingMatchesToolkit holds our escaping to go-githubactions',
// which follows actions/toolkit's command.ts.
func TestEscapingMatchesToolkit(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", "a%b:c,d\re\nf", "::x::", "%0A%3A", "ü,:"} {
		ours := annotation{Level: "warning", Title: s, Message: s}.command()
		cmd := githubactions.Command{Name: "warning", Message: s}
		if s != "" {
			cmd.Properties = githubactions.CommandProperties{"title": s}
		}
		if theirs := cmd.String(); ours != theirs {
			t.Errorf("%q: ours %q, go-githubactions %q", s, ours, theirs)
		}
	}
}

func TestAnnotationFor(t *testing.T) {
	t.Parallel()
	pos := func(l, c int) diag.Pos { return diag.Pos{Line: l, Column: c} }
	inFile := diag.New(diag.PolicyModeDuplicate, "mode is given again", "keep one").At(pos(3, 1), pos(3, 14))
	inFile.File, inFile.Domain = "./.well-known/mta-sts.txt", "example.com"
	subject := diag.New(diag.STSRecordUnrelated, "unrelated TXT", "")
	subject.Subject, subject.Domain = "TXT _mta-sts.example.org", "example.org"
	domainOnly := diag.New(diag.DNSUndeclared, "no DNS declared", "")
	domainOnly.Domain = "example.org"
	outside := diag.New(diag.FileUnreadable, "cannot read", "")
	outside.File, outside.Start = "../x.txt", pos(2, 0)
	for _, tc := range []struct {
		d    diag.Diagnostic
		want annotation
	}{
		{inFile, annotation{Level: "error", File: ".well-known/mta-sts.txt", Line: 3, Col: 1, EndLine: 3, EndColumn: 13,
			Title: "stsgate: policy-mode-duplicate (example.com)", Message: "mode is given again\nfix: keep one (RFC 8461 §3.2)"}},
		{subject, annotation{Level: "warning", Title: "stsgate: sts-record-unrelated (example.org)",
			Message: "TXT _mta-sts.example.org: unrelated TXT\n(RFC 8461 §3.1)"}},
		{domainOnly, annotation{Level: "notice", Title: "stsgate: dns-undeclared (example.org)", Message: "no DNS declared"}},
		{outside, annotation{Level: "error", Title: "stsgate: file-unreadable", Message: "../x.txt:2: cannot read"}},
	} {
		if diff := cmp.Diff(tc.want, annotationFor(tc.d)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.d, diff)
		}
	}
}

func TestRepoPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		".well-known/mta-sts.txt":   ".well-known/mta-sts.txt",
		"./.well-known/mta-sts.txt": ".well-known/mta-sts.txt",
		"/dns/example.com.zone":     "dns/example.com.zone",
		`dns\example.com.zone`:      "dns/example.com.zone",
		"a//b/./c":                  "a/b/c",
		"a/../b":                    "b",
		"../outside":                "",
		"..":                        "",
		"":                          "",
		".":                         "",
	} {
		got, ok := repoPath(in)
		if got != want || ok != (want != "") {
			t.Errorf("repoPath(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSpan(t *testing.T) {
	t.Parallel()
	p := func(l, c int) diag.Pos { return diag.Pos{Line: l, Column: c} }
	for _, tc := range []struct {
		start, end diag.Pos
		want       [4]int
	}{
		{p(0, 0), p(0, 0), [4]int{}},
		{p(3, 0), p(0, 0), [4]int{3, 0, 0, 0}},
		{p(3, 5), p(0, 0), [4]int{3, 5, 0, 0}},
		{p(3, 1), p(3, 14), [4]int{3, 1, 3, 13}},
		{p(3, 4), p(3, 5), [4]int{3, 4, 3, 4}},
		{p(3, 4), p(3, 4), [4]int{3, 4, 3, 0}}, // empty span: a point
		{p(3, 4), p(5, 2), [4]int{3, 0, 5, 0}}, // several lines: no columns
		{p(3, 4), p(4, 1), [4]int{3, 4, 3, 0}}, // ends with the line break
		{p(3, 4), p(2, 9), [4]int{3, 4, 0, 0}}, // reversed end ignored
		{p(3, 0), p(3, 0), [4]int{3, 0, 3, 0}}, // whole line
		{p(3, 2), p(3, 0), [4]int{3, 2, 3, 0}}, // end column unknown
	} {
		l, c, el, ec := span(tc.start, tc.end)
		if got := [4]int{l, c, el, ec}; got != tc.want {
			t.Errorf("span(%v, %v) = %v, want %v", tc.start, tc.end, got, tc.want)
		}
	}
}

// budgetList has n findings of each severity, with positions that tell
// their importance apart.
func budgetList(n int) diag.List {
	var l diag.List
	for i := range n {
		for _, code := range []diag.Code{diag.PolicyExtension, diag.PolicyMXWildcard, diag.PolicyModeDuplicate} {
			d := diag.New(code, fmt.Sprintf("finding %d", i), "")
			d.File, d.Domain, d.Start = "policy.txt", "example.com", diag.Pos{Line: n - i}
			l = append(l, d)
		}
	}
	return l
}

func TestAnnotationBudget(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	dropped, err := WriteAnnotations(&b, budgetList(25), 0)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 30 || len(dropped) != 45 {
		t.Fatalf("%d annotations and %d dropped, want 30 and 45:\n%s", len(lines), len(dropped), b.String())
	}
	var levels []string
	for i, line := range lines {
		a, err := parseCommand(line)
		if err != nil {
			t.Fatal(err)
		}
		levels = append(levels, a.Level)
		if want := i%10 + 1; a.Line != want { // lowest line first within a level
			t.Errorf("annotation %d is on line %d, want %d", i, a.Line, want)
		}
	}
	want := repeatEach([]string{"error", "warning", "notice"}, 10)
	if diff := cmp.Diff(want, levels); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
	if dropped[0].Severity != diag.Error || dropped[0].Start.Line != 11 || dropped[44].Severity != diag.Notice {
		t.Errorf("dropped not in order of importance: first %v, last %v", dropped[0], dropped[44])
	}
}

func repeatEach(levels []string, n int) []string {
	var out []string
	for _, l := range levels {
		for range n {
			out = append(out, l)
		}
	}
	return out
}

func TestAnnotationBudgetCustom(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	dropped, err := WriteAnnotations(&b, budgetList(3), 2)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != 6 || len(dropped) != 3 {
		t.Errorf("%d annotations, %d dropped; want 6 and 3", n, len(dropped))
	}
}

// FuzzAnnotation: whatever a diagnostic holds, its annotation is one
// line that starts with "::" and parses back to what was meant.
func FuzzAnnotation(f *testing.F) {
	f.Add("a.txt", "example.com", "message", "hint", 3, 1, 3, 14)
	f.Add("dir,x/a:b.txt", "a.com", "x\n::set-output name=v::pass", "%0A", 1, 0, 2, 1)
	f.Add("", "", "::error::x\r\n##[error]y", ":,%", 0, 0, 0, 0)
	f.Fuzz(func(t *testing.T, file, domain, message, hint string, l, c, el, ec int) {
		d := diag.New(diag.PolicyModeDuplicate, message, hint).At(diag.Pos{Line: l, Column: c}, diag.Pos{Line: el, Column: ec})
		d.File, d.Domain = file, domain
		want := annotationFor(d)
		line := want.command()
		if strings.ContainsAny(line, "\r\n") || !strings.HasPrefix(line, "::error") {
			t.Fatalf("not one command line: %q", line)
		}
		got, err := parseCommand(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		want.Message = markdown.Truncate(want.Message, maxAnnotationMessage)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%q (-want +got):\n%s", line, diff)
		}
		if got.Line < 0 || got.Col < 0 || (got.EndLine != 0 && got.EndLine < got.Line) || (got.Col > 0 && got.EndLine > got.Line) {
			t.Fatalf("invalid position: %+v", got)
		}
	})
}

// TestWriteGitHubUntrusted: findings over the budget are printed as plain
// lines, which the runner must not read as commands, whether "::" at the
// start of a line or the legacy "##[" anywhere in it.
func TestWriteGitHubUntrusted(t *testing.T) {
	t.Parallel()
	var r Result
	for i := range 12 {
		d := diag.New(diag.ReportOrganizationEmpty, fmt.Sprintf("report %d from x\n  ::error::pwned ##[error]boom #\n#[warning]w", i), "")
		d.Subject = "::notice::subject"
		r.Diagnostics = append(r.Diagnostics, d)
	}
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 10+1+2+1 {
		t.Fatalf("%d lines, want 14:\n%s", len(lines), b.String())
	}
	for i, line := range lines {
		if i < 10 {
			if a, err := parseCommand(line); err != nil || a.Level != "warning" {
				t.Errorf("line %d: %v, %+v", i, err, a)
			}
			continue
		}
		if !strings.HasPrefix(line, "stsgate: ") || strings.Contains(strings.ReplaceAll(line, `##[\`, ""), "##[") {
			t.Errorf("line %d could be read as a command: %q", i, line)
		}
	}
}
