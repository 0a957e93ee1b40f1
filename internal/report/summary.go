package report

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// SummaryOptions adjust the job summary. The zero value is usable.
type SummaryOptions struct {
	// Run names what ran, such as "pull request gate" or "scheduled
	// check"; it goes into the heading.
	Run string
	// Override is the override label when it was applied (DESIGN §1.5);
	// the summary then says so before anything else.
	Override string
	// LinkBase, such as https://github.com/owner/repo/blob/<sha>, turns
	// file locations into links; empty means no links.
	LinkBase string
	// AnnotationsPerSeverity is the budget WriteAnnotations was given, to
	// say how many findings appear only here; 0 means the default.
	AnnotationsPerSeverity int
	// MaxBytes caps the summary; 0 means MaxSummaryBytes less a margin
	// for anything else the step writes. Values under 16 KiB are raised
	// to 16 KiB, which the verdict and the notes always fit in.
	MaxBytes int
}

// summaryMargin is left free under MaxSummaryBytes by default;
// minSummaryBytes is the smallest limit honoured.
const (
	summaryMargin   = 8 << 10
	minSummaryBytes = 16 << 10
)

// The strip of days, and the table of findings. Table cells need no
// limit of their own: bounded caps the strings in them.
const (
	maxStripDays  = 62
	noteReserve   = 1024 // room for the closing notes
	findingHeader = "| Severity | Code | Domain | Where | Message | Fix |\n| --- | --- | --- | --- | --- | --- |\n"
)

// Summary renders r as the job summary's markdown (DESIGN §1.7): the
// verdict and what to do, an applied override, each domain's state and
// clean window, then every finding, including those not annotated. It
// stays under opts.MaxBytes by leaving out findings, then domains, and
// saying how many.
func Summary(r Result, opts SummaryOptions) string {
	r = bounded(r)
	limit := max(opts.MaxBytes, minSummaryBytes)
	if opts.MaxBytes <= 0 {
		limit = MaxSummaryBytes - summaryMargin
	}
	diags := r.Diagnostics.ByImportance()
	b := &budget{limit: max(limit-noteReserve, 0)}
	b.WriteString(headline(r, opts, diags))
	sections := domainSections(r.Domains)
	rows := findingRows(diags, opts.LinkBase, b.limit)
	domainLimit := b.limit
	if size(sections)+size(rows)+b.Len() > b.limit {
		domainLimit -= min(size(rows)+len(findingHeader)+200, (b.limit-b.Len())/2)
	}
	writeDomains(b, sections, domainLimit)
	writeFindings(b, len(diags), rows)
	return b.String()
}

// headline is the verdict, the override and what to do, in a few lines.
func headline(r Result, opts SummaryOptions, diags diag.List) string {
	icon, word := "✅", "pass"
	switch r.Verdict {
	case Fail:
		icon, word = "❌", "fail"
	case Error:
		icon, word = "⚠️", "could not evaluate"
	}
	head := "## " + icon + " stsgate: " + word
	if opts.Run != "" {
		head += " (" + markdown.Text(opts.Run) + ")"
	}
	var b strings.Builder
	b.WriteString(head + "\n\n")
	if opts.Override != "" {
		fmt.Fprintf(&b, "> ⚠️ **Override applied:** the %s label is on the pull request, so the gate's rules are reported as warnings instead of failing the check. Errors in the changed files still fail it.\n\n", markdown.Code(field(opts.Override)))
	}
	b.WriteString(todo(r.Verdict, diags) + "\n\n")
	if _, dropped := selectAnnotations(diags, opts.AnnotationsPerSeverity); len(dropped) > 0 {
		fmt.Fprintf(&b, "Not shown as annotations: %s (GitHub shows at most %d per severity in a step).\n\n",
			plural(len(dropped), "finding"), budgetPerSeverity(opts.AnnotationsPerSeverity))
	}
	return b.String()
}

// todo says in a sentence or two what to do: the most important
// finding and its fix, then the counts.
func todo(v Verdict, diags diag.List) string {
	total := counts(diags) + "."
	switch {
	case len(diags) == 0 && v == Error:
		return "The run stopped before it could judge anything; the log says why."
	case len(diags) == 0:
		return "No findings."
	case v == Pass:
		return "Nothing at or above the failure level. " + total
	}
	d := diags[0]
	s := "**" + markdown.Text(cmp.Or(d.Domain, location(d))) + "**"
	if where := location(d); where != d.Domain && d.Domain != "" {
		s += " (" + markdown.Text(where) + ")"
	}
	s += ": " + markdown.Text(sentence(d.Message))
	if d.Hint != "" {
		s += " **Fix:** " + markdown.Text(sentence(d.Hint))
	}
	return s + "\n\n" + total
}

// sentence ends a diagnostic clause with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func size(parts []string) int {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	return n
}

// writeDomains adds the domain sections that fit under limit and says
// how many did not.
func writeDomains(b *budget, sections []string, limit int) {
	outer := b.limit
	b.limit = min(limit, outer)
	for i, s := range sections {
		if !b.add(s) {
			b.limit = outer
			fmt.Fprintf(b, "_%s not shown: the summary is limited in size; the JSON report has them all._\n\n", plural(len(sections)-i, "more domain"))
			return
		}
	}
	b.limit = outer
}

// writeFindings adds the findings table, as many rows as fit.
func writeFindings(b *budget, total int, rows []string) {
	if total == 0 {
		return
	}
	fmt.Fprintf(b, "### Findings (%d)\n\n", total)
	if !b.add(findingHeader) {
		rows = nil
	}
	shown := 0
	for _, row := range rows {
		if !b.add(row) {
			break
		}
		shown++
	}
	if shown < total {
		fmt.Fprintf(b, "\n_… %s not shown: the summary is kept under 1 MiB. The JSON report (`--format json`, output `report_json`) lists them all._\n", plural(total-shown, "more finding"))
	}
}

// findingRows renders one table row per diagnostic, stopping once the
// rows exceed limit bytes: no more could be shown.
func findingRows(diags diag.List, linkBase string, limit int) []string {
	var rows []string
	n := 0
	for _, d := range diags {
		row := findingRow(d, linkBase)
		rows = append(rows, row)
		if n += len(row); n > limit {
			break
		}
	}
	return rows
}

// severityCell is a level with its icon.
func severityCell(level string) string {
	switch level {
	case "error":
		return "❌ error"
	case "warning":
		return "⚠️ warning"
	}
	return "ℹ️ " + level
}

func findingRow(d diag.Diagnostic, linkBase string) string {
	fix := d.Hint
	if d.Ref != "" {
		fix = strings.TrimSpace(fix + " (" + d.Ref + ")")
	}
	return "| " + severityCell(levelOf(d.Severity)) + " | " + markdown.Code(string(d.Code)) + " | " + or(markdown.Text(d.Domain)) +
		" | " + where(d, linkBase) + " | " + markdown.Text(d.Message) + " | " + or(markdown.Text(fix)) + " |\n"
}

// where is the finding's location, a link into the repository when it
// is a file and linkBase is set.
func where(d diag.Diagnostic, linkBase string) string {
	text := markdown.Text(location(d))
	file, ok := repoPath(d.File)
	if !ok || linkBase == "" {
		return text
	}
	line, _, endLine, _ := span(d.Start, d.End)
	return "[" + text + "](" + fileURL(linkBase, file, line, endLine) + ")"
}

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
