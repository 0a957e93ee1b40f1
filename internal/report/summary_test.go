package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// windowSample is sample() with a clean window for example.com that is
// not clean yet: a dirty day, an uncovered day, failures from a reporter
// whose name tries to break the table.
func windowSample() Result {
	r := sample()
	var days []tlsrpt.Day
	for i := 1; i <= 17; i++ {
		d := tlsrpt.Day{Date: fmt.Sprintf("2026-11-%02d", i+7), Reports: 2, Successful: 400, Status: tlsrpt.DayClean}
		switch i {
		case 5:
			d.Failed, d.Blocking, d.Status = 3, 3, tlsrpt.DayDirty
		case 9:
			d.Reports, d.Successful, d.Status = 0, 0, tlsrpt.DayUncovered
		}
		days = append(days, d)
	}
	r.Domains[0].Window = &tlsrpt.Window{
		Domain: "example.com", CleanStreak: 12, LastDay: "2026-11-24", CoveredDays: 13,
		Reasons: []string{tlsrpt.ReasonStreakShort}, Days: days,
		Failures: []tlsrpt.Failure{
			{ResultType: "certificate-host-mismatch", Org: "Comcast", SendingIP: "96.114.1.1", MX: "mx1.example.com",
				Sessions: 3, Class: "ours", Blocking: true, FirstDay: "2026-11-12", LastDay: "2026-11-12"},
			{ResultType: "validation-failure", Org: "Evil | Org <script>`x`\n## heading", Sessions: 1,
				Class: "unrecognized", FirstDay: "2026-11-10", LastDay: "2026-11-11"},
		},
		Ignored: []tlsrpt.Failure{{ResultType: "validation-failure", Org: "Legacy Relay", Sessions: 9, Class: "ignored",
			FirstDay: "2026-11-09", LastDay: "2026-11-09", Reason: "retired in Q1"}},
		Settings: tlsrpt.WindowArgs{CleanDays: 14, MinReportDays: 7, MaxLagDays: 3, AsOf: "2026-11-24"},
	}
	return r
}

func TestSummaryGolden(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		r    Result
		opts SummaryOptions
	}{
		"summary-gate.md": {windowSample(), SummaryOptions{Run: "pull request gate", Override: "mta-sts-override",
			LinkBase: "https://github.com/o/r/blob/0123abcd/"}},
		"summary-plain.md": {sample(), SummaryOptions{}},
		"summary-pass.md":  {Result{Verdict: Pass, Domains: []Domain{{Domain: "example.com", Mode: "enforce"}}}, SummaryOptions{Run: "scheduled check"}},
		"summary-error.md": {Result{Verdict: Error}, SummaryOptions{}},
	} {
		checkGolden(t, name, []byte(Summary(tc.r, tc.opts)))
	}
}

func TestSummaryVerdictFirst(t *testing.T) {
	t.Parallel()
	got := Summary(windowSample(), SummaryOptions{Override: "mta-sts-override"})
	head, override, lead := strings.Index(got, "## ❌"), strings.Index(got, "Override applied"), strings.Index(got, "**example.com**")
	if head != 0 || override < head || lead < override {
		t.Errorf("want heading, override, then what to do; got:\n%s", got[:min(len(got), 600)])
	}
}

func TestSummaryStrip(t *testing.T) {
	t.Parallel()
	got := Summary(windowSample(), SummaryOptions{})
	want := "`2026-11-08` 🟩🟩🟩🟩🟥🟩🟩🟩⬜🟩🟩🟩🟩🟩🟩🟩🟩 `2026-11-24`"
	if !strings.Contains(got, want) {
		t.Errorf("summary lacks the strip %q:\n%s", want, got)
	}
	long := windowSample()
	w := long.Domains[0].Window
	for range 100 {
		w.Days = append(w.Days, tlsrpt.Day{Date: "2026-12-01", Status: tlsrpt.DayClean})
	}
	got = Summary(long, SummaryOptions{})
	if n := strings.Count(got, "🟩") - strings.Count(got, "🟩 clean"); n != maxStripDays {
		t.Errorf("strip has %d clean days, want the last %d", n, maxStripDays)
	}
}

func TestSummaryUntrustedRow(t *testing.T) {
	t.Parallel()
	got := Summary(windowSample(), SummaryOptions{})
	for _, line := range strings.Split(got, "\n") {
		if strings.Contains(line, "Evil") {
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 8 {
				t.Errorf("row has %d column separators, want 8: %s", n, line)
			}
			return
		}
	}
	t.Error("the reporter's row is missing")
}

func TestSummaryTruncated(t *testing.T) {
	t.Parallel()
	r := windowSample()
	for i := range 100_000 {
		d := diag.New(diag.ReportFieldInvalid, fmt.Sprintf("report %d has a field of the wrong type | <b>", i), "ask the reporter")
		d.File, d.Domain, d.Start = fmt.Sprintf("reports/r%06d.json", i), "example.com", diag.Pos{Line: 1, Column: 1}
		r.Diagnostics = append(r.Diagnostics, d)
	}
	got := Summary(r, SummaryOptions{LinkBase: "https://github.com/o/r/blob/abc"})
	if len(got) > MaxSummaryBytes-summaryMargin {
		t.Errorf("summary is %d bytes, over %d", len(got), MaxSummaryBytes-summaryMargin)
	}
	rows := strings.Count(got, "| ❌ error |")
	note := fmt.Sprintf("_… %d more findings not shown", 100_004-rows-strings.Count(got, "| ⚠️ warning |")-strings.Count(got, "| ℹ️ notice |"))
	if rows < 1000 || !strings.Contains(got, note) {
		t.Errorf("%d error rows; want many and the note %q; tail:\n%s", rows, note, got[len(got)-400:])
	}
	if !strings.Contains(got, "### example.com") || !strings.Contains(got, "🟥") {
		t.Error("the domain sections were cut for the findings")
	}
}

func TestSummaryManyDomains(t *testing.T) {
	t.Parallel()
	var r Result
	for i := range 2000 {
		d := windowSample().Domains[0]
		d.Domain = fmt.Sprintf("d%04d.example", i)
		r.Domains = append(r.Domains, d)
	}
	r.Diagnostics = windowSample().Diagnostics
	got := Summary(r, SummaryOptions{MaxBytes: 200_000})
	if len(got) > 200_000 {
		t.Errorf("summary is %d bytes, over 200000", len(got))
	}
	if !strings.Contains(got, "more domains not shown") || !strings.Contains(got, "### Findings (4)") || !strings.Contains(got, "`dns-undeclared`") {
		t.Errorf("want some domains left out and every finding kept; tail:\n%s", got[len(got)-1500:])
	}
}
