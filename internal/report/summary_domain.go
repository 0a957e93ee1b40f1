package report

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// domainSections renders each domain's state and clean window.
func domainSections(domains []Domain) []string {
	out := make([]string, 0, len(domains))
	for _, d := range domains {
		var b strings.Builder
		b.WriteString("### " + markdown.Text(d.Domain) + "\n\n")
		switch {
		case hasState(d):
			b.WriteString(stateTable(d))
		case d.Window == nil:
			b.WriteString("No usable policy or records.\n\n")
		}
		if d.Window != nil {
			b.WriteString(windowSection(d.Window))
		}
		out = append(out, b.String())
	}
	return out
}

func stateTable(d Domain) string {
	streak := "—"
	if w := d.Window; w != nil {
		streak = fmt.Sprintf("%d days", w.CleanStreak)
		if n := w.Settings.CleanDays; n > 0 {
			streak = fmt.Sprintf("%d of %d days", w.CleanStreak, n)
		}
		if w.Clean {
			streak += " ✅"
		}
	}
	return "| Mode | id | TLS-RPT | MX | Clean streak |\n| --- | --- | --- | --- | --- |\n" +
		"| " + or(markdown.Text(d.Mode)) + " | " + or(markdown.Code(d.ID)) + " | " +
		or(mdJoin(d.TLSRPT)) + " | " + or(mdJoin(d.MX)) + " | " + streak + " |\n\n"
}

// windowSection is the verdict of the clean window, the strip of days and
// the failure groups.
func windowSection(w *tlsrpt.Window) string {
	var b strings.Builder
	b.WriteString("**Clean window:** " + markdown.Text(windowVerdict(w)) + "\n\n")
	if strip := markdown.DayStrip(w.Days, maxStripDays); strip != "" {
		b.WriteString(strip + "\n\n")
	}
	b.WriteString(failureTable("Failures", w.Failures, false))
	b.WriteString(failureTable("Ignored by configuration", w.Ignored, true))
	b.WriteString(failureTable("Evaluated against another policy (not counted)", w.OtherPolicies, true))
	return b.String()
}

// failureTable lists failure groups; reasons are shown for ignored and
// other-policy rows.
func failureTable(title string, rows []tlsrpt.Failure, reason bool) string {
	if len(rows) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%d)\n\n| Result type | Reporter | Sending IP | MX | Sessions | Days | Class |", title, len(rows))
	sep := "\n| --- | --- | --- | --- | ---: | --- | --- |"
	if reason {
		b.WriteString(" Reason |")
		sep += " --- |"
	}
	b.WriteString(sep + "\n")
	for i, f := range rows {
		if i == maxFailureRows {
			fmt.Fprintf(&b, "\n_… and %d more; the JSON report lists them all._\n", len(rows)-i)
			break
		}
		b.WriteString(failureRow(f, reason))
	}
	b.WriteString("\n")
	return b.String()
}

func failureRow(f tlsrpt.Failure, reason bool) string {
	days := f.FirstDay
	if f.LastDay != f.FirstDay {
		days += " – " + f.LastDay
	}
	class := markdown.Text(f.Class)
	if f.Blocking {
		class = "🟥 " + class + ", blocking"
	}
	row := "| " + or(markdown.Text(f.ResultType)) + " | " + or(markdown.Text(f.Org)) + " | " +
		or(markdown.Text(f.SendingIP)) + " | " + or(markdown.Text(f.MX)) + " | " +
		fmt.Sprint(f.Sessions) + " | " + markdown.Text(days) + " | " + or(class) + " |"
	if reason {
		row += " " + or(markdown.Text(f.Reason)) + " |"
	}
	return row + "\n"
}
