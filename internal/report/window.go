package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// maxFailureRows bounds the failure groups printed per list; the JSON
// document has them all.
const maxFailureRows = 20

// writeWindow prints a domain's clean window: the verdict and why, the
// per-day table, and the failure groups.
func writeWindow(w io.Writer, domain string, win *tlsrpt.Window) {
	io.WriteString(w, "\n")
	printLine(w, "%s: %s", domain, windowVerdict(win))
	printLine(w, "  %-10s  %7s  %10s  %6s  %8s  %s", "date", "reports", "successful", "failed", "blocking", "status")
	for _, d := range win.Days {
		printLine(w, "  %-10s  %7d  %10d  %6d  %8d  %s", d.Date, d.Reports, d.Successful, d.Failed, d.Blocking, d.Status)
	}
	writeFailures(w, "failures", win.Failures)
	writeFailures(w, "ignored by configuration", win.Ignored)
	writeFailures(w, "evaluated against another policy (not counted)", win.OtherPolicies)
}

func windowVerdict(win *tlsrpt.Window) string {
	s := win.Settings
	if win.Clean {
		return fmt.Sprintf("clean: %d clean days through %s (need %d), %d covered", win.CleanStreak, win.LastDay, s.CleanDays, win.CoveredDays)
	}
	var why []string
	for _, r := range win.Reasons {
		why = append(why, win.Why(r))
	}
	return "not clean: " + strings.Join(why, "; ")
}

func writeFailures(w io.Writer, title string, rows []tlsrpt.Failure) {
	if len(rows) == 0 {
		return
	}
	printLine(w, "  %s:", title)
	for i, f := range rows {
		if i == maxFailureRows {
			printLine(w, "    ... and %d more (see --format json)", len(rows)-i)
			break
		}
		printLine(w, "    %s", failureLine(f))
	}
}

func failureLine(f tlsrpt.Failure) string {
	from := f.Org
	if f.SendingIP != "" {
		from += " " + f.SendingIP
	}
	if f.MX != "" {
		from += " to " + f.MX
	}
	days := f.FirstDay
	if f.LastDay != f.FirstDay {
		days += ".." + f.LastDay
	}
	tag := f.Class
	if f.Blocking {
		tag += ", blocking"
	}
	sessions := "sessions"
	if f.Sessions == 1 {
		sessions = "session"
	}
	line := fmt.Sprintf("%s from %s: %d %s on %s (%s)", f.ResultType, strings.TrimSpace(from), f.Sessions, sessions, days, tag)
	if f.Reason != "" {
		line += ": " + f.Reason
	}
	return line
}
