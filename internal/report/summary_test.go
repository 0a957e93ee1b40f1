package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// noticeSample is sample() with the notices of a run that read many
// reports: quirks of reports inside mails and in deep directories, and
// the testing-mode notice of the policy.
func noticeSample() Result {
	r := sample()
	long := "reports/bulk/sender-1/deep/nested/path/sender-1.example!example.com!2026-11-%02d!a-long-name.json"
	for i := range 3 {
		tz := diag.New(diag.ReportNoTimezone, "the report's date-range has no time zone; it is read as UTC", "nothing to do")
		tz.Domain, tz.Subject = "example.com", fmt.Sprintf("reports/microsoft/2026-11-%02d.eml#microsoft.com!example.com!17946!1332014.json.gz", 14+i)
		mx := diag.New(diag.ReportMXHostString, "mx-host is a string; it is read as a list of one", "nothing to do")
		mx.Domain, mx.Subject = "example.com", fmt.Sprintf(long, 12+i)
		r.Diagnostics = append(r.Diagnostics, tz, mx)
	}
	testing := diag.New(diag.PolicyModeTesting, "the policy is in testing mode", "move to mode: enforce once the reports are clean").At(diag.Pos{Line: 2, Column: 1}, diag.Pos{Line: 2, Column: 14})
	testing.File, testing.Domain = ".well-known/mta-sts.txt", "example.com"
	r.Diagnostics = append(r.Diagnostics, testing)
	return r
}

// flipSample is a passing flip to enforce: the only finding to act on
// is the publish order, a notice.
func flipSample() Result {
	order := diag.New(diag.GatePublishOrder, "the policy and the _mta-sts id change together",
		"after merging, deploy the policy file first, then publish the _mta-sts record").At(diag.Pos{Line: 24, Column: 32}, diag.Pos{Line: 24, Column: 47})
	order.File, order.Domain = "dns/example.com.zone", "example.com"
	tz := diag.New(diag.ReportNoTimezone, "the report's date-range has no time zone; it is read as UTC", "nothing to do")
	tz.Domain, tz.Subject = "example.com", "reports/microsoft/2026-11-14.eml#part.json.gz"
	return Result{Verdict: Pass, Domains: []Domain{{Domain: "example.com", Mode: "enforce", ID: "20261128T103000"}},
		Diagnostics: diag.List{tz, order}}
}

func TestSummaryGolden(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		r    Result
		opts SummaryOptions
	}{
		"summary-gate.md": {windowSample(), SummaryOptions{Run: "pull request gate", Override: "mta-sts-override",
			LinkBase: "https://github.com/o/r/blob/0123abcd/"}},
		"summary-plain.md":   {sample(), SummaryOptions{}},
		"summary-pass.md":    {Result{Verdict: Pass, Domains: []Domain{{Domain: "example.com", Mode: "enforce"}}}, SummaryOptions{Run: "scheduled check"}},
		"summary-error.md":   {Result{Verdict: Error}, SummaryOptions{}},
		"summary-notices.md": {noticeSample(), SummaryOptions{Run: "check", LinkBase: "https://github.com/o/r/blob/0123abcd"}},
		"summary-flip.md":    {flipSample(), SummaryOptions{Run: "pull request gate", LinkBase: "https://github.com/o/r/blob/0123abcd"}},
		"summary-stopped.md": {Result{Verdict: Error}, SummaryOptions{Run: "pull request gate",
			Stopped: `reading the base revision bbbb: permission denied; the token needs "contents: read"`}},
	} {
		checkGolden(t, name, []byte(Summary(tc.r, tc.opts)))
	}
}

func TestSummaryVerdictFirst(t *testing.T) {
	t.Parallel()
	got := Summary(windowSample(), SummaryOptions{Override: "mta-sts-override"})
	head, override, next := strings.Index(got, "## ❌"), strings.Index(got, "Override applied"), strings.Index(got, "**Next step** for **example.com**")
	if head != 0 || override < head || next < override || next > strings.Index(got, "### To do") {
		t.Errorf("want heading, override, then the next step; got:\n%s", got[:min(len(got), 600)])
	}
}

// nextStepOf is the paragraph after the heading of a summary.
func nextStepOf(summary string) string {
	paragraphs := strings.Split(summary, "\n\n")
	if len(paragraphs) < 2 {
		return ""
	}
	return paragraphs[1]
}

func TestSummaryNextStep(t *testing.T) {
	t.Parallel()
	ready := windowSample()
	ready.Verdict, ready.Diagnostics = Pass, nil
	ready.Domains[0].Window.Clean, ready.Domains[0].Window.CleanStreak = true, 16
	warning := diag.New(diag.GateUnrecognizedFailures, "senders outside known_senders reported failures", "check the failures")
	warning.Domain = "example.com"
	flipWarned, readyWarned, warned := flipSample(), ready, Result{Verdict: Pass, Diagnostics: diag.List{warning}}
	flipWarned.Diagnostics = append(flipWarned.Diagnostics, warning)
	readyWarned.Diagnostics = diag.List{warning}
	readyStep := "**Next step** for **example.com**: the reports have been clean for 16 days (14 needed), so senders can be made to require TLS: in one pull request, change `mode: testing` to `mode: enforce` and the `_mta-sts` id. stsgate checks the change before it is merged."
	publishStep := "**Next step** for **example.com** · [example.com.zone:24](https://github.com/o/r/blob/abc/dns/example.com.zone#L24 \"dns/example.com.zone:24:32\"): after merging, deploy the policy file first, then publish the \\_mta-sts record."
	for _, tc := range []struct {
		name string
		r    Result
		want string
	}{
		{"the fix of the first error", sample(),
			"**Next step** for **example.com** · .well-known/mta-sts.txt:3:1: keep one mode line."},
		{"the publish order after a passing flip", flipSample(), publishStep},
		{"the publish order before a warning", flipWarned, publishStep},
		{"a clean window in testing mode", ready, readyStep},
		{"a clean window before a warning", readyWarned, readyStep},
		{"a warning after a pass", warned, "**Next step** for **example.com**: check the failures."},
		{"only notices", Result{Verdict: Pass, Diagnostics: noticeSample().Diagnostics[4:5]},
			"Nothing to do: nothing at or above the failure level."},
		{"nothing", Result{Verdict: Pass}, "Nothing to do."},
		{"could not evaluate", Result{Verdict: Error}, "The run stopped before it could judge anything; the log says why."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			link := "https://github.com/o/r/blob/abc"
			if tc.name == "the fix of the first error" {
				link = ""
			}
			if diff := cmp.Diff(tc.want, nextStepOf(Summary(tc.r, SummaryOptions{LinkBase: link}))); diff != "" {
				t.Errorf("next step mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSummaryIssueLinks: the reminder issues the run wrote to are linked
// right after the next step.
func TestSummaryIssueLinks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		issues []IssueLink
		want   string
	}{
		{"one", []IssueLink{{Domain: "example.com", Number: 7, URL: "https://github.com/o/r/issues/7", Status: "opened"}},
			"**Reminder issue:** [#7](https://github.com/o/r/issues/7) for **example.com**, opened."},
		{"two, one without a URL", []IssueLink{
			{Domain: "example.com", Number: 7, URL: "https://github.com/o/r/issues/7", Status: "updated"},
			{Domain: "example.org", Number: 9, Status: "up to date"}},
			"**Reminder issues:** [#7](https://github.com/o/r/issues/7) for **example.com**, updated · #9 for **example.org**, up to date."},
		{"many", manyIssues(22), "**Reminder issues:** " + strings.Repeat("#1 for **d.example**, opened · ", 20) + "2 more."},
		{"a URL that would end the link", []IssueLink{{Domain: "a_b", Number: 1, URL: "https://x/o (1)/r\"<", Status: "closed"}},
			"**Reminder issue:** [#1](https://x/o%20%281%29/r%22%3C) for **a\\_b**, closed."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			paragraphs := strings.Split(Summary(sample(), SummaryOptions{Issues: tc.issues}), "\n\n")
			if diff := cmp.Diff(tc.want, paragraphs[2]); diff != "" {
				t.Errorf("the paragraph after the next step (-want +got):\n%s", diff)
			}
		})
	}
}

func manyIssues(n int) []IssueLink {
	issues := make([]IssueLink, n)
	for i := range issues {
		issues[i] = IssueLink{Domain: "d.example", Number: 1, Status: "opened"}
	}
	return issues
}

func TestSummaryStopped(t *testing.T) {
	t.Parallel()
	got := nextStepOf(Summary(Result{Verdict: Error}, SummaryOptions{Stopped: "reading reports/a_b: denied\n::error::x"}))
	want := "**Stopped:** reading reports/a\\_b: denied\\\\n::error::x. Nothing was judged. **Next step:** fix the cause and run the job again; the step's log has the details."
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("next step of a run that stopped (-want +got):\n%s", diff)
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

// TestSummaryTodoBlocks: each finding to act on is a list item that
// wraps in the narrow summary pane, its place short and linked, with the
// whole path in the link's title.
func TestSummaryTodoBlocks(t *testing.T) {
	t.Parallel()
	const base = "https://github.com/o/r/blob/abc"
	at := func(d diag.Diagnostic, file, subject string) diag.Diagnostic {
		d.Domain, d.File, d.Subject = "example.com", file, subject
		return d
	}
	dup := diag.New(diag.PolicyModeDuplicate, "mode is given again", "keep one mode line").At(diag.Pos{Line: 3, Column: 1}, diag.Pos{Line: 3, Column: 14})
	fetch := diag.New(diag.ReportFetchFailed, "https://r.example/x.json could not be read", "check the URL")
	for _, tc := range []struct {
		name     string
		d        diag.Diagnostic
		linkBase string
		want     string
	}{
		{"a policy line", at(dup, ".well-known/mta-sts.txt", ""), base,
			"- ❌ **example.com** · [mta-sts.txt:3](https://github.com/o/r/blob/abc/.well-known/mta-sts.txt#L3 \".well-known/mta-sts.txt:3:1\") · `policy-mode-duplicate`<br>mode is given again.<br>\n  **Fix:** keep one mode line. (RFC 8461 §3.2)\n\n"},
		{"no link base: the whole path", at(dup, ".well-known/mta-sts.txt", ""), "",
			"- ❌ **example.com** · .well-known/mta-sts.txt:3:1 · `policy-mode-duplicate`<br>mode is given again.<br>\n  **Fix:** keep one mode line. (RFC 8461 §3.2)\n\n"},
		{"a report inside a mail: the mail", at(diag.New(diag.ReportFieldInvalid, "bad field", "ask the reporter"), "", "reports/ms/2026-11-14.eml#a (1).json.gz"), base,
			"- ❌ **example.com** · [2026-11-14.eml\\#…](https://github.com/o/r/blob/abc/reports/ms/2026-11-14.eml \"reports/ms/2026-11-14.eml\\#a (1).json.gz\") · `report-field-invalid`<br>bad field.<br>\n  **Fix:** ask the reporter. (RFC 8460 §4.4)\n\n"},
		{"a report URL: not a file", at(fetch, "", "https://r.example/x.json"), base,
			"- ❌ **example.com** · https://r.example/x.json · `report-fetch-failed`<br>https://r.example/x.json could not be read.<br>\n  **Fix:** check the URL. (RFC 8460 §5.4)\n\n"},
		{"no domain, no place, no fix", diag.Diagnostic{Code: diag.GateOverride, Severity: diag.Warning, Message: "something"}, base,
			"- ⚠️ `gate-override`<br>something.\n\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, todoBlock(tc.d, tc.linkBase)); diff != "" {
				t.Errorf("todoBlock mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSummaryNoticesFolded: notices that need nothing done are in one
// <details> group with a count per code; the ones to act on are not.
func TestSummaryNoticesFolded(t *testing.T) {
	t.Parallel()
	got := Summary(noticeSample(), SummaryOptions{LinkBase: "https://github.com/o/r/blob/abc"})
	open, end := strings.Index(got, "<details>"), strings.Index(got, "</details>")
	if open < 0 || end < open {
		t.Fatalf("no <details> group:\n%s", got)
	}
	want := "<details><summary>ℹ️ 8 notices, nothing to do now: policy-mode-testing × 1, report-mx-host-string × 3, report-no-timezone × 3, dns-undeclared × 1</summary>\n\n"
	if !strings.HasPrefix(got[open:], want) {
		t.Errorf("group starts %q, want %q", got[open:min(len(got), open+len(want))], want)
	}
	for _, code := range []string{"report-no-timezone", "report-mx-host-string", "dns-undeclared", "policy-mode-testing"} {
		if i := strings.Index(got, "`"+code+"`"); i < open || i > end {
			t.Errorf("%s is outside the group", code)
		}
	}
	if n := strings.Count(got[open:end], "\n  - "); n != 8 {
		t.Errorf("the group lists %d notices, want 8", n)
	}
	if !strings.Contains(flipSummary(), "### To do (1)") {
		t.Error("the publish order of a passing flip is not a finding to act on")
	}
}

func flipSummary() string { return Summary(flipSample(), SummaryOptions{}) }

func TestSummaryTruncated(t *testing.T) {
	t.Parallel()
	r := windowSample()
	for i := range 100_000 {
		d := diag.New(diag.ReportFieldInvalid, fmt.Sprintf("report %d has a field of the wrong type | <b>", i), "ask the reporter")
		d.Subject, d.Domain = fmt.Sprintf("reports/r%06d.json", i), "example.com"
		r.Diagnostics = append(r.Diagnostics, d)
	}
	got := Summary(r, SummaryOptions{LinkBase: "https://github.com/o/r/blob/abc"})
	if len(got) > MaxSummaryBytes-summaryMargin {
		t.Errorf("summary is %d bytes, over %d", len(got), MaxSummaryBytes-summaryMargin)
	}
	blocks := strings.Count(got, "\n- ❌ ") + strings.Count(got, "\n- ⚠️ ")
	note := fmt.Sprintf("_… %d more findings not shown", 100_003-blocks)
	if blocks < 1000 || !strings.Contains(got, note) {
		t.Errorf("%d blocks; want many and the note %q; tail:\n%s", blocks, note, got[len(got)-400:])
	}
	if !strings.Contains(got, "### example.com") || !strings.Contains(got, "🟥") || !strings.Contains(got, "</details>") {
		t.Error("the domain sections or the notices were cut for the findings")
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
	if !strings.Contains(got, "more domains not shown") || !strings.Contains(got, "### To do (3)") || !strings.Contains(got, "`dns-undeclared`") {
		t.Errorf("want some domains left out and every finding kept; tail:\n%s", got[len(got)-1500:])
	}
}
