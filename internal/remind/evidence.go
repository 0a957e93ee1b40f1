package remind

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// evidence is the clean window in detail: the verdict, a strip of days and
// the failure groups, blocking ones first. Report contents are untrusted
// and escaped; long lists end in "and N more".
func evidence(s State) string {
	var b strings.Builder
	b.WriteString("### Evidence\n\n")
	w := s.Window
	if w == nil {
		b.WriteString("No TLS-RPT reports were read for this domain.\n\n")
		return b.String()
	}
	b.WriteString("**Clean window:** " + windowText(s) + "\n\n")
	if strip := markdown.DayStrip(w.Days, maxStrip); strip != "" {
		b.WriteString(strip + "\n\n")
	}
	var blocking, other []tlsrpt.Failure
	for _, f := range w.Failures {
		if f.Blocking {
			blocking = append(blocking, f)
		} else {
			other = append(other, f)
		}
	}
	b.WriteString(failureTable("Blocking failures", blocking))
	b.WriteString(failureTable("Listed, not blocking", other))
	if n := len(w.Ignored); n > 0 {
		fmt.Fprintf(&b, "Ignored by rules in the configuration: %s; the job summary lists them with their reasons.\n\n",
			plural(n, "failure group"))
	}
	return b.String()
}

// windowText is the verdict of the clean window in one sentence.
func windowText(s State) string {
	if s.Window == nil {
		return "no reports read"
	}
	if clean(s) {
		return "clean: " + streakText(s)
	}
	return "not clean: " + notCleanText(s)
}

// streakText describes the clean streak of a clean window.
func streakText(s State) string {
	w := s.Window
	if w == nil {
		return "no reports"
	}
	return fmt.Sprintf("%d clean days in a row through %s (%d needed), %d of the last %d days covered",
		w.CleanStreak, w.LastDay, s.CleanDays, w.CoveredDays, s.CleanDays)
}

// reportsStopped reports a window that is not clean for want of
// reports (none, the newest too old, too few days covered) and with no
// blocking failure: there is nothing to triage, the reports have to
// arrive again.
func reportsStopped(s State) bool {
	w := s.Window
	if w == nil || clean(s) {
		return false
	}
	for _, f := range w.Failures {
		if f.Blocking {
			return false
		}
	}
	return slices.ContainsFunc(w.Reasons, func(r string) bool {
		return r == tlsrpt.ReasonReportsStale || r == tlsrpt.ReasonNoReports || r == tlsrpt.ReasonCoverageLow
	})
}

// stoppedText says which reports are missing, for a window
// reportsStopped judges.
func stoppedText(s State) string {
	w := s.Window
	switch {
	case slices.Contains(w.Reasons, tlsrpt.ReasonNoReports):
		return "no TLS-RPT report has arrived for the domain"
	case slices.Contains(w.Reasons, tlsrpt.ReasonReportsStale):
		return fmt.Sprintf("reports stopped arriving: the newest is for %s, and none came in the %d days since", w.LastDay, daysSince(w))
	}
	return fmt.Sprintf("too few reports arrive: %d of the last %d days have one, %d needed",
		w.CoveredDays, w.Settings.CleanDays, w.Settings.MinReportDays)
}

// daysSince is the number of days from a window's newest report to its
// as-of date.
func daysSince(w *tlsrpt.Window) int {
	last, err1 := time.Parse(time.DateOnly, w.LastDay)
	asOf, err2 := time.Parse(time.DateOnly, w.Settings.AsOf)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(asOf.Sub(last).Hours() / 24)
}

// notCleanText says why a window is not clean (DESIGN §1.4 step 6).
func notCleanText(s State) string {
	w := s.Window
	if w == nil {
		return "no reports were read for the domain"
	}
	var why []string
	for _, reason := range w.Reasons {
		why = append(why, w.Why(reason))
	}
	if len(why) == 0 {
		return "the reports do not prove the policy yet"
	}
	return strings.Join(why, "; ")
}

// failureTable lists failure groups, at most maxRows.
func failureTable(title string, rows []tlsrpt.Failure) string {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%d)\n\n| Result type | Reporter | Sending IP | MX | Sessions | Days | Class |\n"+
		"| --- | --- | --- | --- | ---: | --- | --- |\n", title, len(rows))
	for i, f := range rows {
		if i == maxRows {
			fmt.Fprintf(&b, "\n_… and %d more; the job summary and `--format json` list them all._\n", len(rows)-i)
			break
		}
		days := f.FirstDay
		if f.LastDay != f.FirstDay {
			days += " – " + f.LastDay
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %d | %s | %s |\n", mdCell(f.ResultType), mdCell(f.Org),
			mdCell(f.SendingIP), mdCell(f.MX), f.Sessions, mdCell(days), mdCell(f.Class))
	}
	return b.String() + "\n"
}
