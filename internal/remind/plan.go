package remind

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Action is what a write does to an issue.
type Action string

// The actions. Each is one API call, plus one for its comment if any.
const (
	ActionCreate Action = "create" // open a new issue with the label
	ActionEdit   Action = "edit"   // change the title or body of an open issue
	ActionReopen Action = "reopen" // reopen a closed issue with new content
	ActionClose  Action = "close"  // close as completed
)

// Write is one planned change of an issue and the comment that goes with
// it. A write and its comment are budgeted together, so that a run never
// closes an issue without saying why.
type Write struct {
	Action Action
	Domain string
	Number int    // the issue; 0 for ActionCreate
	Title  string // ActionCreate, ActionEdit, ActionReopen; ActionClose when non-empty
	Body   string // likewise
	// Comment is posted after the action; "" for none.
	Comment string
	// Why says in a few words why the write is planned, for dry runs.
	Why string
}

// calls is the number of API writes w makes.
func (w Write) calls() int {
	if w.Comment != "" {
		return 2
	}
	return 1
}

// String describes w in one line, for dry runs and logs.
func (w Write) String() string {
	target := "a new issue"
	if w.Number > 0 {
		target = fmt.Sprintf("#%d", w.Number)
	}
	s := fmt.Sprintf("%s %s for %s: %s", w.Action, target, w.Domain, w.Why)
	if w.Comment != "" {
		s += ", with a comment"
	}
	return s
}

// PlanOptions are the settings Plan needs besides the issues.
type PlanOptions struct {
	// BotLogin is the login stsgate writes as: only issues it opened are
	// adopted, and a close by anyone else is a person's decision. Empty
	// means DefaultBotLogin.
	BotLogin string
	// SnoozeDays is how long a person's "closed as not planned" silences
	// the domain, from the issue's closed_at. Zero means the default.
	SnoozeDays int
	// Now is the time of the run.
	Now time.Time
}

// DefaultBotLogin is the login of the workflow's GITHUB_TOKEN: the GitHub
// Actions app's bot.
const DefaultBotLogin = "github-actions[bot]"

func (o PlanOptions) withDefaults() PlanOptions {
	if o.BotLogin == "" {
		o.BotLogin = DefaultBotLogin
	}
	if o.SnoozeDays <= 0 {
		o.SnoozeDays = DefaultSnoozeDays
	}
	return o
}

// Marked returns the issues among all that carry domain's marker, by
// number. The caller lists them by label (IssueTracker.ListIssues), so each has
// the label too.
func Marked(all []TrackedIssue, domain string) []TrackedIssue {
	var out []TrackedIssue
	for _, is := range all {
		if HasMarker(is.Body, domain) {
			out = append(out, is)
		}
	}
	slices.SortFunc(out, func(a, b TrackedIssue) int { return a.Number - b.Number })
	return out
}

// ownIssues splits marked issues into those login opened, the only ones
// stsgate adopts, and the others. Anyone who can open an issue can copy
// the hidden marker (and a triager can add the label), so an issue from
// another account is never edited, closed, read as a snooze or kept as
// the domain's issue: its author could otherwise silence the reminders or
// get the real issue closed as a duplicate (DESIGN §1.11). Logins are
// compared without case, as GitHub does.
func ownIssues(marked []TrackedIssue, login string) (own, foreign []TrackedIssue) {
	for _, is := range marked {
		if strings.EqualFold(is.Author, login) {
			own = append(own, is)
		} else {
			foreign = append(foreign, is)
		}
	}
	return own, foreign
}

// Kept returns the issue a domain keeps among its marked issues: the
// lowest-numbered open one, else the lowest-numbered one; nil when there
// are none. Lowest wins so that racing runs agree on which to keep.
func Kept(marked []TrackedIssue) *TrackedIssue {
	for i := range marked {
		if marked[i].State == "open" {
			return &marked[i]
		}
	}
	if len(marked) > 0 {
		return &marked[0]
	}
	return nil
}

// Plan returns the writes that bring the issues of want.Domain to want.
// existing is every issue listed by label; those of other domains, and
// those opts.BotLogin did not open, are ignored. Plan is pure.
func Plan(want Issue, existing []TrackedIssue, opts PlanOptions) []Write {
	opts = opts.withDefaults()
	marked, _ := ownIssues(Marked(existing, want.Domain), opts.BotLogin)
	kept := Kept(marked)
	writes := Duplicates(want.Domain, marked)
	if w, ok := reconcile(want, kept, snoozed(marked, opts), opts); ok {
		writes = append(writes, w)
	}
	return writes
}

// Duplicates plans the closing of every open marked issue but the kept
// one, each as completed with a comment linking the kept issue. The
// caller passes only its own issues (see Plan).
func Duplicates(domain string, marked []TrackedIssue) []Write {
	kept := Kept(marked)
	var writes []Write
	for _, is := range marked {
		if is.State != "open" || is.Number == kept.Number {
			continue
		}
		writes = append(writes, Write{Action: ActionClose, Domain: domain, Number: is.Number,
			Comment: fmt.Sprintf("Closing as a duplicate of #%d: stsgate keeps one issue per domain.", kept.Number),
			Why:     fmt.Sprintf("duplicate of #%d", kept.Number)})
	}
	return writes
}

// snoozes reports a close reason that snoozes the domain when a person
// chose it: "not planned", and "duplicate", which says the same (another
// issue tracks it) and is no reason to reopen.
func snoozes(reason string) bool { return reason == "not_planned" || reason == "duplicate" }

// snoozed reports a person's "closed as not planned" (or as a duplicate)
// within SnoozeDays of its closed_at. The bot closes only as completed; a
// close with an unknown closer (ClosedBy empty, as in list answers) counts
// as a person's.
func snoozed(marked []TrackedIssue, opts PlanOptions) bool {
	for _, is := range marked {
		if is.State != "closed" || !snoozes(is.StateReason) || strings.EqualFold(is.ClosedBy, opts.BotLogin) {
			continue
		}
		until := is.ClosedAt.Add(time.Duration(opts.SnoozeDays) * 24 * time.Hour)
		if is.ClosedAt.IsZero() || opts.Now.Before(until) {
			return true
		}
	}
	return false
}

// reconcile plans the one write, if any, that brings kept to want.
func reconcile(want Issue, kept *TrackedIssue, snooze bool, opts PlanOptions) (Write, bool) {
	switch {
	case want.Kind == KindResolved:
		return closeResolved(want, kept)
	case want.Kind == KindQuiet:
		return closeFixed(want, kept)
	case !want.Kind.Wanted():
		return Write{}, false // unknown: leave any issue as it is
	case kept == nil:
		return Write{Action: ActionCreate, Domain: want.Domain, Title: want.Title, Body: want.Body,
			Why: "open the " + string(want.Kind) + " issue"}, true
	case kept.State == "open":
		return updateOpen(want, kept)
	case snooze:
		return Write{}, false
	}
	return Write{Action: ActionReopen, Domain: want.Domain, Number: kept.Number, Title: want.Title, Body: want.Body,
		Comment: "Reopened by stsgate. " + want.Change, Why: "reopen: " + string(want.Kind)}, true
}

// closeResolved closes an open issue on resolution, with the final body.
func closeResolved(want Issue, kept *TrackedIssue) (Write, bool) {
	if kept == nil || kept.State != "open" {
		return Write{}, false
	}
	return Write{Action: ActionClose, Domain: want.Domain, Number: kept.Number, Title: want.Title, Body: want.Body,
		Comment: want.Change, Why: "resolved"}, true
}

// closeFixed closes an open drift or TLS-RPT issue once its problem is
// gone and nothing else needs doing; any other issue, such as a reminder
// about stale testing mode, is left as it is while the domain is quiet.
func closeFixed(want Issue, kept *TrackedIssue) (Write, bool) {
	if kept == nil || kept.State != "open" || want.Change == "" {
		return Write{}, false
	}
	prior, ok := ParseState(kept.Body)
	if !ok || prior.State != KindDrift && prior.State != KindTLSRPTMissing {
		return Write{}, false
	}
	return Write{Action: ActionClose, Domain: want.Domain, Number: kept.Number, Comment: want.Change,
		Why: string(prior.State) + " fixed"}, true
}

// updateOpen edits an open issue whose content changed, with a comment when
// its kind changed.
func updateOpen(want Issue, kept *TrackedIssue) (Write, bool) {
	if kept.Title == want.Title && sameBody(kept.Body, want.Body) {
		return Write{}, false
	}
	w := Write{Action: ActionEdit, Domain: want.Domain, Number: kept.Number, Title: want.Title, Body: want.Body,
		Why: "content changed"}
	if prior, ok := ParseState(kept.Body); ok && prior.State != want.Kind {
		w.Comment = fmt.Sprintf("State changed from **%s** to **%s**.\n\n%s", prior.State, want.Kind, want.Change)
		w.Why = fmt.Sprintf("state changed from %s to %s", prior.State, want.Kind)
	}
	return w, true
}

// sameBody compares bodies, ignoring CRLF versus LF and trailing line
// breaks, which clients and GitHub's editor may change.
func sameBody(a, b string) bool {
	norm := func(s string) string { return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }
	return norm(a) == norm(b)
}
