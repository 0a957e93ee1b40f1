package cli

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/remind"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/zone"
)

// githubAPI is what the schedule and push runs need from GitHub;
// *ghapi.Client implements it.
type githubAPI interface {
	remind.IssueTracker
	remind.History
}

// remind runs the live check, then keeps one reminder issue per domain
// (schedule, workflow_dispatch; DESIGN §1.6). Permission problems are
// warnings that never count toward fail_on.
func (a *actionRun) remind(ctx context.Context, f *checkFlags) (report.Result, int, error) {
	owner, name, err := a.owner()
	if err != nil {
		return report.Result{}, 0, usagef("%v", err)
	}
	api, err := a.api()
	if err != nil {
		return report.Result{}, 0, err
	}
	maxWrites, err := maxWritesInput(a.gha.GetInput)
	if err != nil {
		return report.Result{}, 0, err
	}
	c, err := runChecks(ctx, a.env, f, checkHooks{configure: a.in.applyTo})
	if err != nil || c.code == ExitUsage {
		return c.res, c.code, err
	}
	now := a.env.now()
	states, notes := a.states(ctx, api, owner, name, c, now)
	out, err := remind.Sync(ctx, api, states, remind.Options{
		Owner: owner, Repo: name, Label: c.cfg.IssueLabel, SnoozeDays: c.cfg.SnoozeDays,
		MaxWrites: maxWrites, DryRun: a.in.dryRun, Now: now, History: api,
	})
	a.reminders = &out
	res, code := c.res, c.code
	res.Diagnostics = append(res.Diagnostics, notes...)
	res.Diagnostics = append(res.Diagnostics, out.Warnings...)
	res.Diagnostics = append(res.Diagnostics, out.Notices...)
	if err != nil {
		a.gha.Errorf("stsgate could not update the reminder issues: %v", err)
		if code == ExitPass {
			res.Verdict, code = report.Error, ExitNoVerify
		}
	}
	return res, code, nil
}

// maxWritesInput reads the max_writes input, the bound on one run's
// issue writes (like actions/stale's operations-per-run); 0 when not
// given, for remind's default.
func maxWritesInput(get inputGetter) (int, error) {
	return intInput(get, "max_writes", 1, 1000)
}

// states turns the checked domains into the reminders' input. Sync reads
// each testing policy's testing-since from its commit history, or from
// what the domain's issue kept of an earlier read (the API budget of
// docs/performance.md). The notes are findings about the schedule itself.
func (a *actionRun) states(ctx context.Context, api githubAPI, owner, name string, c checked, now time.Time) ([]remind.State, diag.List) {
	var notes diag.List
	lastCommit := a.lastCommit(ctx, api, owner, name)
	var states []remind.State
	for _, dr := range c.domains {
		s := a.state(dr, now)
		s.StaleDays, s.CleanDays, s.SnoozeDays = c.cfg.StaleDays, c.cfg.CleanDays, c.cfg.SnoozeDays
		s.LastRepoCommit, s.Public, s.ReportDay = lastCommit, !a.ev.Private, firstReportDay(dr)
		states = append(states, s)
	}
	if len(states) > 0 {
		if d, ok := remind.ScheduleFinding(states[0]); ok {
			notes.Add(d)
		}
	}
	return states, notes
}

// lastCommit is the date of the newest commit on the default branch; zero
// when it cannot be read.
func (a *actionRun) lastCommit(ctx context.Context, api githubAPI, owner, name string) time.Time {
	page, err := api.PathCommits(ctx, remind.CommitQuery{Owner: owner, Repo: name, Limit: 1})
	if err != nil || len(page.Commits) == 0 {
		return time.Time{}
	}
	return page.Commits[0].Date
}

// state is what the checks found for one domain, as remind takes it.
func (a *actionRun) state(dr domainResult, now time.Time) remind.State {
	s := remind.State{
		Domain: dr.name, PolicyFile: dr.static.PolicyFile, PolicyText: dr.static.PolicyText,
		DNS: a.declared(dr), Unverified: dr.unverified || dr.live == nil,
		Window: dr.window, Now: now, MXFailures: dr.mxFailures,
	}
	if p := dr.static.Policy; p != nil {
		s.RepoMode = p.Mode
	}
	if l := dr.live; l != nil {
		s.LivePolicyMatches = l.Policy != nil && dr.static.Policy != nil && policy.Equal(l.Policy, dr.static.Policy)
		if l.Policy != nil {
			s.LiveMode = l.Policy.Mode
		}
		s.LivePolicyText = l.PolicyText
		if l.Record != nil {
			s.LiveID = l.Record.ID
		}
		s.TLSRPT = l.TLSRPT != nil
	}
	return s
}

// declared is the _mta-sts record the repository declares for dr, with
// its line for the diff in the issue.
func (a *actionRun) declared(dr domainResult) remind.Declared {
	var d remind.Declared
	if dr.static.Record != nil {
		d.ID = dr.static.Record.ID
	}
	decl := dr.repo.DNS
	if decl == nil {
		return d
	}
	d.File = decl.Source
	if decl.Source == zone.SourceConfig || len(decl.STS) == 0 {
		return d
	}
	d.Line = decl.STS[0].Pos.Line
	d.LineText = lineOf(a.workspace, decl.Source, d.Line)
	return d
}

// lineOf returns line n (1-based) of the repository file name, read as
// every repository file is (readRepoFile), or "".
func lineOf(dir, name string, n int) string {
	fsys, err := openRootFS(dir)
	if err != nil {
		return ""
	}
	defer fsys.Close()
	data, err := readRepoFile(fsys, name, maxZoneFile)
	if err != nil || n < 1 {
		return ""
	}
	lines := bytes.Split(data, []byte("\n"))
	if n > len(lines) {
		return ""
	}
	return string(bytes.TrimRight(lines[n-1], "\r"))
}

// firstReportDay is the oldest day of the window with reports: the
// fallback for testing-since when the history cannot be read.
func firstReportDay(dr domainResult) time.Time {
	if dr.window == nil {
		return time.Time{}
	}
	for _, day := range dr.window.Days {
		if day.Reports > 0 {
			t, err := time.Parse(time.DateOnly, day.Date)
			if err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

// postMerge replaces the drift findings of the live check with the
// publish-order checks of a push to the default branch (RFC 8461 §8.1):
// the new policy is given a grace period to deploy, and then the exact
// next step is named.
func (a *actionRun) postMerge(ctx context.Context, api remind.History, owner, name string) func([]domainResult) {
	return func(results []domainResult) {
		now := a.env.now()
		for i := range results {
			dr := &results[i]
			if dr.live == nil || dr.unverified {
				continue
			}
			deploy := remind.Deploy{PolicyCommitted: a.policyCommitted(ctx, api, owner, name, dr.static.PolicyFile)}
			dr.diags = slices.DeleteFunc(dr.diags, isDriftFinding)
			dr.diags = append(dr.diags, remind.PostMerge(a.state(*dr, now), deploy)...)
		}
	}
}

// isDriftFinding reports the live check's findings that PostMerge judges
// again with the deploy's timing.
func isDriftFinding(d diag.Diagnostic) bool {
	switch d.Code {
	case diag.LivePolicyDrift, diag.LiveIDDrift, diag.LiveIDBeforePolicy:
		return true
	}
	return false
}

// policyCommitted is when the policy file last changed on the default
// branch: from the commits API, else the pushed commit's time.
func (a *actionRun) policyCommitted(ctx context.Context, api remind.History, owner, name, path string) time.Time {
	if api != nil {
		page, err := api.PathCommits(ctx, remind.CommitQuery{Owner: owner, Repo: name, Path: path, Limit: 1})
		if err == nil && len(page.Commits) > 0 {
			return page.Commits[0].Date
		}
	}
	return a.ev.HeadCommitTime
}

// push runs the live check with the post-merge order checks.
func (a *actionRun) push(ctx context.Context, f *checkFlags) (report.Result, int, error) {
	var api remind.History
	owner, name, err := a.owner()
	if err == nil {
		if client, cerr := a.api(); cerr == nil {
			api = client
		}
	}
	c, err := runChecks(ctx, a.env, f, checkHooks{configure: a.in.applyTo, adjust: a.postMerge(ctx, api, owner, name)})
	return c.res, c.code, err
}

// reminderLines describes what the reminder run did, for the log and the
// job summary.
func reminderLines(out *remind.Outcome, dryRun bool) []string {
	var lines []string
	writes := out.Applied
	verb := "done"
	if dryRun {
		writes, verb = out.Planned, "planned (dry run, nothing written)"
	}
	for _, w := range writes {
		lines = append(lines, fmt.Sprintf("%s: %s", verb, w))
	}
	for _, w := range out.Skipped {
		lines = append(lines, fmt.Sprintf("skipped: %s", w))
	}
	for _, d := range out.Domains {
		if len(writes) == 0 && d.Number > 0 {
			lines = append(lines, fmt.Sprintf("%s: issue #%d is up to date (%s)", d.Domain, d.Number, d.Kind))
		}
	}
	return lines
}

var _ githubAPI = (*ghapi.Client)(nil)
