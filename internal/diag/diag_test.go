package diag

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestClause(t *testing.T) {
	for in, want := range map[string]string{
		"The zone file is broken.":        "the zone file is broken",
		"MX host is bad.":                 "MX host is bad",
		"already fine":                    "already fine",
		"Nothing to do; Mail.ru does so.": "nothing to do; Mail.ru does so",
		"wait...":                         "wait...",
		"":                                "",
		"A":                               "A",
	} {
		if got := clause(in); got != want {
			t.Errorf("clause(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPosOffset(t *testing.T) {
	base := Pos{Line: 5, Column: 20}
	for _, tc := range []struct{ in, want Pos }{
		{Pos{1, 1}, Pos{5, 20}},
		{Pos{1, 10}, Pos{5, 29}},
		{Pos{2, 3}, Pos{6, 3}},
		{Pos{}, base},
		{Pos{1, 0}, Pos{5, 0}},
	} {
		if got := tc.in.Offset(base); got != tc.want {
			t.Errorf("%v.Offset(%v) = %v, want %v", tc.in, base, got, tc.want)
		}
	}
}

// TestByImportance: severity first, then findings on a line of a file
// before findings about other inputs, then position.
func TestByImportance(t *testing.T) {
	t.Parallel()
	at := func(d Diagnostic, file string, line int) Diagnostic {
		d.File, d.Start = file, Pos{Line: line, Column: 1}
		return d
	}
	report := New(ReportNoTimezone, "no time zone", "")
	report.Subject = "reports/a.json"
	l := List{
		report,
		at(New(PolicyModeTesting, "testing", ""), "policy.txt", 2),
		at(New(PolicyVersionMissing, "no version", ""), "policy.txt", 1),
		at(New(PolicyModeTesting, "testing", ""), "a.txt", 9),
	}
	var got []string
	for _, d := range l.ByImportance() {
		got = append(got, fmt.Sprintf("%s %s:%d", d.Code, d.File, d.Start.Line))
	}
	want := []string{
		"policy-version-missing policy.txt:1",
		"policy-mode-testing a.txt:9",
		"policy-mode-testing policy.txt:2",
		"report-no-timezone :0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("ByImportance order:\n got %q\nwant %q", got, want)
	}
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"mx1.example.com":             `"mx1.example.com"`,
		"a\nb\x00c":                   `"a\nb\x00c"`,
		strings.Repeat("x", 40):       `"` + strings.Repeat("x", 40) + `"`,
		strings.Repeat("x", 41):       `"` + strings.Repeat("x", 40) + `"…`,
		strings.Repeat("x", 39) + "é": `"` + strings.Repeat("x", 39) + `"…`, // not cut inside the é
	} {
		if got := Excerpt(in); got != want {
			t.Errorf("Excerpt(%q) = %s, want %s", in, got, want)
		}
	}
}
