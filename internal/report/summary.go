package report

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
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
	// Issues are the reminder issues the run wrote to or found up to
	// date (DESIGN §1.6), linked after the next step.
	Issues []IssueLink
	// Stopped is the error that stopped the run before it could judge
	// anything; the summary says it in place of a next step.
	Stopped string
}

// IssueLink is a reminder issue and what the run did to it.
type IssueLink struct {
	Domain string
	Number int
	// URL is the issue's page, such as
	// https://github.com/owner/repo/issues/7.
	URL string
	// Status says what happened, such as "opened", "updated" or "up to
	// date".
	Status string
}

// summaryMargin is left free under MaxSummaryBytes by default;
// minSummaryBytes is the smallest limit honoured.
const (
	summaryMargin   = 8 << 10
	minSummaryBytes = 16 << 10
)

// The strip of days, and room for the closing notes of the summary.
const (
	maxStripDays = 62
	noteReserve  = 1024
)

// Summary renders r as the job summary's markdown (DESIGN §1.7), laid out
// for the width of GitHub's summary pane, where a table of prose scrolls
// sideways: the verdict and the one next step first, then a compact
// block per finding to act on (message, place, fix), each domain's state
// and clean window, and the notices that need nothing done folded into a
// <details> group by code. It stays under opts.MaxBytes by leaving out
// what does not fit, and saying so: the findings to act on keep at least
// half the room, the domains most of the rest.
func Summary(r Result, opts SummaryOptions) string {
	r = bounded(r)
	diags := r.Diagnostics.ByImportance()
	todo, notices := splitTodo(diags)
	b := &budget{limit: max(summaryLimit(opts)-noteReserve, 0)}
	b.WriteString(headline(r, opts, diags, todo))
	room := b.limit - b.Len()
	blocks := todoBlocks(todo, opts.LinkBase, room)
	sections := domainSections(r.Domains)
	group := noticeLines(notices, opts.LinkBase, room)
	// The findings to act on may take all the room but what the rest
	// needs, and at least half of it.
	writeTodo(b, len(todo), blocks, b.Len()+room-min(size(sections)+size(group), room/2))
	room = b.limit - b.Len()
	writeDomains(b, sections, b.Len()+room-min(size(group), room/4))
	writeNotices(b, notices, group)
	return b.String()
}

// summaryLimit is the size the summary is kept under.
func summaryLimit(opts SummaryOptions) int {
	if opts.MaxBytes <= 0 {
		return MaxSummaryBytes - summaryMargin
	}
	return max(opts.MaxBytes, minSummaryBytes)
}

// splitTodo separates the findings to act on, errors, warnings and the
// notices that name a step (needsAction), from the other notices.
func splitTodo(diags diag.List) (todo, notices diag.List) {
	for _, d := range diags {
		if needsAction(d) {
			todo = append(todo, d)
		} else {
			notices = append(notices, d)
		}
	}
	return todo, notices
}

// needsAction reports a finding someone has to act on: an error, a
// warning, or a step notice.
func needsAction(d diag.Diagnostic) bool {
	return d.Severity >= diag.Warning || isStep(d)
}

// isStep reports the notices that say what to do next, in order, after a
// change that passed: the publish order of RFC 8461 §8.1.
func isStep(d diag.Diagnostic) bool {
	return d.Code == diag.GatePublishOrder || d.Code == diag.DeployPolicyPending
}

// headline is the verdict, the override, the one next step and the
// counts, in a few lines.
func headline(r Result, opts SummaryOptions, diags, todo diag.List) string {
	icon, word := "✅", "pass"
	switch r.Verdict {
	case Fail:
		icon, word = "❌", "fail"
	case Error:
		icon, word = "⚠️", "could not evaluate"
		if opts.Stopped != "" {
			word = "stopped before judging" // the reason follows, as "Stopped:"
		}
	}
	head := "## " + icon + " stsgate: " + word
	if opts.Run != "" {
		head += " (" + markdown.Text(field(opts.Run)) + ")"
	}
	var b strings.Builder
	b.WriteString(head + "\n\n")
	if opts.Override != "" {
		fmt.Fprintf(&b, "> ⚠️ **Override applied:** the %s label is on the pull request, so the gate's rules are reported as warnings instead of failing the check. Errors in the changed files still fail it.\n\n", markdown.Code(field(opts.Override)))
	}
	b.WriteString(nextStep(r, todo, opts) + "\n\n")
	if links := issueLinks(opts.Issues); links != "" {
		b.WriteString(links + "\n\n")
	}
	if len(diags) > 0 {
		b.WriteString(counts(diags) + ".")
		if _, dropped := selectAnnotations(diags, opts.AnnotationsPerSeverity); len(dropped) > 0 {
			fmt.Fprintf(&b, " %s not shown as annotations: GitHub shows at most %d per severity in a step.",
				plural(len(dropped), "finding"), budgetPerSeverity(opts.AnnotationsPerSeverity))
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// nextStep says in a sentence what to do: the fix of the most important
// finding to act on, or for a run that could not judge, where to look.
// After a pass, progress comes first (passStep).
func nextStep(r Result, todo diag.List, opts SummaryOptions) string {
	switch {
	case r.Verdict == Pass:
		return passStep(r, todo, opts.LinkBase)
	case len(todo) > 0:
		return findingStep(todo[0], opts.LinkBase)
	case r.Verdict == Error && opts.Stopped != "":
		return "**Stopped:** " + markdown.Text(sentence(markdown.Truncate(opts.Stopped, maxMessageBytes))) +
			" Nothing was judged. **Next step:** fix the cause and run the job again; the step's log has the details."
	case r.Verdict == Error:
		return "The run stopped before it could judge anything; the log says why."
	}
	return "Nothing to do."
}

// passStep is the next step after a pass: a step notice, such as the
// publish order after a flip; else, for a domain in testing mode whose
// reports are clean, the switch to enforce; else the fix of the first
// warning.
func passStep(r Result, todo diag.List, linkBase string) string {
	for _, d := range todo {
		if isStep(d) {
			return findingStep(d, linkBase)
		}
	}
	for _, d := range r.Domains {
		if w := d.Window; d.Mode == "testing" && w != nil && w.Clean {
			return fmt.Sprintf("**Next step** for **%s**: the reports have been clean for %d days (%d needed), so senders can be made to require TLS: in one pull request, change `mode: testing` to `mode: enforce` and the `_mta-sts` id. stsgate checks the change before it is merged.",
				markdown.Text(d.Domain), w.CleanStreak, w.Settings.CleanDays)
		}
	}
	switch {
	case len(todo) > 0:
		return findingStep(todo[0], linkBase)
	case len(r.Diagnostics) > 0:
		return "Nothing to do: nothing at or above the failure level."
	}
	return "Nothing to do."
}

// findingStep is the fix of d, or its message when it has none.
func findingStep(d diag.Diagnostic, linkBase string) string {
	what := d.Hint
	if what == "" {
		what = d.Message
	}
	return "**Next step**" + about(d, linkBase) + ": " + markdown.Text(sentence(what))
}

// maxIssueLinks bounds the issues linked at the top of the summary.
const maxIssueLinks = 20

// issueLinks is a line that links the reminder issues, or "".
func issueLinks(issues []IssueLink) string {
	var parts []string
	for i, is := range issues {
		if i == maxIssueLinks {
			parts = append(parts, fmt.Sprintf("%d more", len(issues)-i))
			break
		}
		link := fmt.Sprintf("#%d", is.Number)
		if is.URL != "" {
			link = "[" + link + "](" + linkDest(markdown.Truncate(is.URL, maxMessageBytes)) + ")"
		}
		parts = append(parts, link+" for **"+markdown.Text(field(is.Domain))+"**, "+markdown.Text(field(is.Status)))
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return "**Reminder issue:** " + parts[0] + "."
	}
	return "**Reminder issues:** " + strings.Join(parts, " · ") + "."
}

// about names the domain and the place of d for the next step.
func about(d diag.Diagnostic, linkBase string) string {
	if h := strings.TrimSuffix(head(d, linkBase), " · "); h != "" {
		return " for " + h
	}
	return ""
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
	restore := b.lower(limit)
	shown := b.addEach(sections)
	restore()
	if shown < len(sections) {
		fmt.Fprintf(b, "_%s not shown: the summary is limited in size; the JSON report has them all._\n\n", plural(len(sections)-shown, "more domain"))
	}
}
