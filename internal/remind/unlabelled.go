package remind

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/stsgate/stsgate/internal/diag"
)

// findUnlabelled looks, before any issue is opened, for issues of the
// token's own account that carry a planned domain's marker but not the
// label: GitHub silently drops the labels set by a token without push
// access (its REST description of issues/create and issues/update), so
// the labelled list misses them and every run would open another one.
// Such an issue stands in for the create, with a warning. One list call,
// only in runs that plan a create.
func (a *applier) findUnlabelled(ctx context.Context) error {
	if !slices.ContainsFunc(a.out.Planned, func(w Write) bool { return w.Action == ActionCreate }) {
		return nil
	}
	mine, err := a.api.ListIssuesByCreator(ctx, a.opts.Owner, a.opts.Repo, a.opts.BotLogin)
	var perm *PermissionError
	switch {
	case errors.As(err, &perm), errors.Is(err, ErrIssuesDisabled):
		return a.fail(err)
	case err != nil:
		return nil // a safeguard only: without it the creates go ahead, as they would have
	}
	a.out.Planned = slices.DeleteFunc(a.out.Planned, func(w Write) bool {
		if w.Action != ActionCreate {
			return false
		}
		own, _ := ownIssues(Marked(mine, w.Domain), a.opts.BotLogin)
		kept := Kept(own)
		if kept == nil || hasLabel(kept.Labels, a.opts.Label) {
			return false
		}
		a.setNumber(w.Domain, kept.Number)
		a.labelDropped(w.Domain, kept.Number)
		return true
	})
	return nil
}

// labelDropped warns that issue n of domain lacks the label.
func (a *applier) labelDropped(domain string, n int) {
	d := diag.New(diag.IssueLabelDropped,
		fmt.Sprintf("the reminder issue #%d of %s does not carry the label %q: GitHub silently drops labels set by a token without push access to the repository, and without the label stsgate cannot keep the issue up to date (it finds its issues by label)", n, domain, a.opts.Label),
		fmt.Sprintf("add the label %q to #%d by hand, and run stsgate with a token that may set labels, such as the workflow's GITHUB_TOKEN with `permissions: issues: write`; until then stsgate opens no second issue", a.opts.Label, n))
	d.Domain = domain
	a.out.Warnings.Add(d)
}

// issuesOff warns, once, that the repository has issues turned off and
// stops the writes: the scheduled run still passes.
func (a *applier) issuesOff(err error) {
	if !a.denied {
		a.out.Warnings.Add(diag.New(diag.IssuesDisabled,
			fmt.Sprintf("issues are turned off in %s/%s (%v), so stsgate cannot open or update the reminder issues; the checks themselves ran and their findings are in this report", a.opts.Owner, a.opts.Repo, err),
			"turn issues on in the repository settings (Features: Issues) to get reminders, or run stsgate with `mode: check` on the schedule"))
	}
	a.denied = true
}
