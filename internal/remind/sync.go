package remind

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
)

// Defaults of Options.
const (
	DefaultLabel     = "mta-sts"
	DefaultMaxWrites = 20
)

// labelColor and labelDescription are used when the label is created.
const (
	labelColor       = "0e8a16"
	labelDescription = "MTA-STS reminders by stsgate"
)

// Options configures Sync.
type Options struct {
	Owner, Repo string
	// Label finds and marks the issues; default DefaultLabel.
	Label string
	// BotLogin is the login the token writes as, whose issues alone are
	// adopted. Empty means: look it up, once per run (see identify).
	BotLogin string
	// SnoozeDays is the snooze of a "closed as not planned"; default 30.
	SnoozeDays int
	// MaxWrites bounds the API writes of one run (a write and its comment
	// count two), like actions/stale's operations-per-run: the max_writes
	// input; default DefaultMaxWrites. Closing the duplicates of an issue
	// this run created is not bounded, so a race is always cleaned up.
	MaxWrites int
	// DryRun plans and reads but writes nothing.
	DryRun bool
	// WriteInterval is the least time between two writes; zero means
	// DefaultWriteInterval, negative no pacing.
	WriteInterval time.Duration
	// Clock paces the writes; nil means the system clock.
	Clock Clock
	// History, when set, is where the testing-since of states that lack
	// one is read (see applier.testingSince).
	History History
	// Now is the time of the run; zero means the system clock.
	Now time.Time
}

func (o Options) withDefaults() Options {
	if o.Label == "" {
		o.Label = DefaultLabel
	}
	if o.SnoozeDays <= 0 {
		o.SnoozeDays = DefaultSnoozeDays
	}
	if o.MaxWrites <= 0 {
		o.MaxWrites = DefaultMaxWrites
	}
	if o.WriteInterval == 0 {
		o.WriteInterval = DefaultWriteInterval
	}
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.UTC()
	return o
}

func (o Options) plan() PlanOptions {
	return PlanOptions{BotLogin: o.BotLogin, SnoozeDays: o.SnoozeDays, Now: o.Now}
}

// Outcome is what Sync planned and did.
type Outcome struct {
	Domains  []DomainOutcome // one per state, in order
	Planned  []Write         // every write planned, in order
	Applied  []Write         // the writes made; none on a dry run
	Skipped  []Write         // planned but not made: over MaxWrites or denied
	Warnings diag.List       // permission problems, issues turned off, a dropped label
	Notices  diag.List       // the write limit, marked issues of other accounts, an assumed login
}

// DomainOutcome is the issue of one domain after the run.
type DomainOutcome struct {
	Domain string
	Kind   Kind
	Number int // the domain's issue; 0 when it has none
}

// Sync brings the reminder issues of owner/repo to the states: it looks up
// the token's login and lists the labelled issues once, plans every
// domain over the issues that login opened, applies the plan within
// MaxWrites, and after creating an issue lists again and closes the newer
// of any duplicates a racing run created. A denied permission becomes a
// warning in the Outcome; other API failures are returned as the error,
// with the Outcome so far.
func Sync(ctx context.Context, api IssueTracker, states []State, opts Options) (Outcome, error) {
	opts = opts.withDefaults()
	if strings.Contains(opts.Label, ",") {
		// The issue list API takes "a list of comma separated label names".
		return Outcome{}, fmt.Errorf("remind: the issue label %q has a comma, so the issue list API would read it as two labels and never find the reminders; choose a label without commas", opts.Label)
	}
	a := &applier{api: paced(api, opts), opts: opts, budget: opts.MaxWrites, noticed: map[int]bool{},
		byPath: map[string]sinceRead{}}
	if err := a.identify(ctx); err != nil || a.denied {
		return a.out, err
	}
	issues, err := api.ListIssues(ctx, opts.Owner, opts.Repo, opts.Label)
	if err != nil {
		return a.out, a.fail(err)
	}
	for _, s := range states {
		if err := a.planDomain(ctx, s, issues); err != nil {
			return a.out, err
		}
	}
	if err := a.findUnlabelled(ctx); err != nil {
		return a.out, err
	}
	if opts.DryRun {
		return a.out, nil
	}
	if err := a.applyAll(ctx, a.out.Planned, true); err != nil {
		return a.out, err
	}
	return a.out, a.cleanUpRaces(ctx)
}

// applier carries one Sync run.
type applier struct {
	api     IssueTracker
	opts    Options
	budget  int
	out     Outcome
	label   error // the outcome of EnsureLabel, once tried
	labeled bool  // EnsureLabel was tried
	denied  bool  // a write was denied: make no more
	created []string
	noticed map[int]bool         // foreign issues already reported
	byPath  map[string]sinceRead // testing-since read this run, by policy path
}

// planDomain plans one domain over the issues the token's login opened:
// its kept issue's prior state, the closer of a not-planned close (only
// the single-issue answer has it), then Plan. Marked issues of other
// accounts get a notice and nothing else.
func (a *applier) planDomain(ctx context.Context, s State, issues []TrackedIssue) error {
	s.SnoozeDays = a.opts.SnoozeDays
	if s.Now.IsZero() {
		s.Now = a.opts.Now
	}
	marked, foreign := ownIssues(Marked(issues, s.Domain), a.opts.BotLogin)
	a.noticeForeign(s.Domain, foreign)
	if err := a.fillClosers(ctx, marked); err != nil {
		return err
	}
	var prior Hidden
	if kept := Kept(marked); kept != nil {
		prior, _ = ParseState(kept.Body)
	}
	s = a.testingSince(ctx, s, prior)
	want := Desired(s, prior)
	writes := Plan(want, marked, a.opts.plan())
	a.out.Planned = append(a.out.Planned, writes...)
	a.out.Domains = append(a.out.Domains, DomainOutcome{Domain: want.Domain, Kind: want.Kind, Number: number(Kept(marked))})
	return nil
}

// fillClosers reads ClosedBy for issues closed as not planned or as a
// duplicate within the snooze period, the only ones where it matters.
func (a *applier) fillClosers(ctx context.Context, marked []TrackedIssue) error {
	for i, is := range marked {
		recent := a.opts.Now.Before(is.ClosedAt.Add(time.Duration(a.opts.SnoozeDays) * 24 * time.Hour))
		if is.State != "closed" || !snoozes(is.StateReason) || !recent || is.ClosedBy != "" {
			continue
		}
		full, err := a.api.GetIssue(ctx, a.opts.Owner, a.opts.Repo, is.Number)
		if err != nil {
			return a.fail(err)
		}
		marked[i].ClosedBy = full.ClosedBy
	}
	return nil
}

// number is the number of is, or 0.
func number(is *TrackedIssue) int {
	if is == nil {
		return 0
	}
	return is.Number
}

// fail turns a permission error into a warning and returns any other.
func (a *applier) fail(err error) error {
	var perm *PermissionError
	switch {
	case errors.Is(err, ErrIssuesDisabled):
		a.issuesOff(err)
		return nil
	case !errors.As(err, &perm):
		return fmt.Errorf("remind: %w", err)
	}
	if !a.denied {
		hint := fmt.Sprintf("add %q to the permissions of the workflow", perm.Permission)
		if perm.Status == http.StatusUnauthorized {
			hint = "give the action a valid token: the default github_token is the workflow's own; a personal access token may have expired or been revoked"
		}
		a.out.Warnings.Add(diag.New(diag.IssuePermission,
			fmt.Sprintf("the reminder issues of %s/%s were not updated (%v), so they may still tell people to do what is already done, or not tell them what is now needed", a.opts.Owner, a.opts.Repo, err),
			hint))
	}
	a.denied = true
	return nil
}

// applyAll applies writes in order; bounded says whether they count
// against MaxWrites.
func (a *applier) applyAll(ctx context.Context, writes []Write, bounded bool) error {
	over := 0
	for _, w := range writes {
		switch {
		case a.denied:
			a.out.Skipped = append(a.out.Skipped, w)
		case bounded && w.calls() > a.budget:
			a.out.Skipped = append(a.out.Skipped, w)
			over++
		default:
			if bounded {
				a.budget -= w.calls()
			}
			if err := a.apply(ctx, w); err != nil {
				return err
			}
		}
	}
	if over > 0 {
		a.out.Notices.Add(diag.New(diag.IssueWriteLimit,
			fmt.Sprintf("%d planned issue changes were left for the next run: this run reached its limit of %d writes (max_writes), which keeps a run that goes wrong from flooding the repository and stays under GitHub's limits on content creation", over, a.opts.MaxWrites),
			"nothing to do: the next scheduled run continues where this one stopped; raise max_writes, or run the workflow by hand, to catch up sooner"))
	}
	return nil
}

// apply makes one write and its comment.
func (a *applier) apply(ctx context.Context, w Write) error {
	var err error
	switch w.Action {
	case ActionCreate:
		w.Number, err = a.create(ctx, w)
	case ActionEdit:
		_, err = a.api.EditIssue(ctx, a.opts.Owner, a.opts.Repo, w.Number, IssueEdit{Title: &w.Title, Body: &w.Body})
	case ActionReopen:
		_, err = a.api.EditIssue(ctx, a.opts.Owner, a.opts.Repo, w.Number, IssueEdit{Title: &w.Title, Body: &w.Body, State: ptr("open")})
	case ActionClose:
		_, err = a.api.EditIssue(ctx, a.opts.Owner, a.opts.Repo, w.Number, closeEdit(w))
	}
	if err == nil && w.Comment != "" && w.Number > 0 {
		err = a.api.CreateComment(ctx, a.opts.Owner, a.opts.Repo, w.Number, w.Comment)
	}
	if err != nil {
		a.out.Skipped = append(a.out.Skipped, w)
		return a.fail(err)
	}
	if w.Number > 0 {
		a.out.Applied = append(a.out.Applied, w)
	}
	return nil
}

// closeEdit closes as completed, with the new title and body if any.
func closeEdit(w Write) IssueEdit {
	e := IssueEdit{State: ptr("closed"), StateReason: ptr("completed")}
	if w.Title != "" {
		e.Title = &w.Title
	}
	if w.Body != "" {
		e.Body = &w.Body
	}
	return e
}

func ptr(s string) *string { return &s }

// create opens the issue with the label, ensuring the label first. An
// issue without its label could never be found again (DESIGN §1.6), so
// when the label cannot be created the issue is not opened: number 0 and
// a warning.
func (a *applier) create(ctx context.Context, w Write) (int, error) {
	if err := a.ensureLabel(ctx); err != nil {
		return 0, err
	}
	if a.label != nil {
		a.out.Skipped = append(a.out.Skipped, w)
		return 0, nil
	}
	is, err := a.api.CreateIssue(ctx, a.opts.Owner, a.opts.Repo, NewIssue{Title: w.Title, Body: w.Body, Labels: []string{a.opts.Label}})
	if err != nil {
		return 0, err
	}
	a.created = append(a.created, w.Domain)
	a.setNumber(w.Domain, is.Number)
	if !hasLabel(is.Labels, a.opts.Label) {
		labels := append(slices.Clone(is.Labels), a.opts.Label)
		is, err = a.api.EditIssue(ctx, a.opts.Owner, a.opts.Repo, is.Number, IssueEdit{Labels: &labels})
	}
	if err == nil && !hasLabel(is.Labels, a.opts.Label) {
		a.labelDropped(w.Domain, is.Number)
	}
	return is.Number, err
}

// ensureLabel makes sure the label exists, once per run. A permission
// error becomes a warning and a.label records it; other errors return.
func (a *applier) ensureLabel(ctx context.Context) error {
	if a.labeled {
		return nil
	}
	a.labeled = true
	_, err := a.api.EnsureLabel(ctx, a.opts.Owner, a.opts.Repo, Label{Name: a.opts.Label, Color: labelColor, Description: labelDescription})
	var perm *PermissionError
	if errors.As(err, &perm) {
		a.label = err
		a.out.Warnings.Add(diag.New(diag.IssueLabelUnavailable,
			fmt.Sprintf("the label %q could not be created (%v), so no reminder issue was opened: without the label stsgate could not find it again", a.opts.Label, err),
			fmt.Sprintf("create the label %q in the repository once, or give the workflow `permissions: issues: write`", a.opts.Label)))
		return nil
	}
	if err != nil {
		return fmt.Errorf("remind: %w", err)
	}
	return nil
}

// hasLabel reports whether labels has name (case-insensitively).
func hasLabel(labels []string, name string) bool {
	return slices.ContainsFunc(labels, func(l string) bool { return strings.EqualFold(l, name) })
}

// setNumber records the issue of domain.
func (a *applier) setNumber(domain string, n int) {
	for i := range a.out.Domains {
		if a.out.Domains[i].Domain == domain {
			a.out.Domains[i].Number = n
		}
	}
}

// cleanUpRaces lists the issues again after creating some and closes the
// newer of any duplicates, which a run racing this one may have created
// between its list and its create. Both runs keep the lowest number, so
// they never close each other's kept issue.
func (a *applier) cleanUpRaces(ctx context.Context) error {
	if len(a.created) == 0 || a.denied {
		return nil
	}
	issues, err := a.api.ListIssues(ctx, a.opts.Owner, a.opts.Repo, a.opts.Label)
	if err != nil {
		return a.fail(err)
	}
	for _, domain := range a.created {
		marked, _ := ownIssues(Marked(issues, domain), a.opts.BotLogin)
		dups := Duplicates(domain, marked)
		a.out.Planned = append(a.out.Planned, dups...)
		if err := a.applyAll(ctx, dups, false); err != nil {
			return err
		}
		a.setNumber(domain, number(Kept(marked)))
	}
	return nil
}
