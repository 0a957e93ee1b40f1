package remind

import (
	"fmt"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
)

// DefaultDeployGrace is how long after the policy's commit a push run
// waits for the policy host to serve it before calling it overdue: GitHub
// Pages deploys usually take a few minutes.
const DefaultDeployGrace = 30 * time.Minute

// Deploy is what the post-merge check needs beyond State.
type Deploy struct {
	// PolicyCommitted is when the policy file last changed on the default
	// branch (the push's commit, or PathCommits with limit 1); zero when
	// unknown, which allows no grace.
	PolicyCommitted time.Time
	// Grace is the deploy grace period; zero means DefaultDeployGrace.
	Grace time.Duration
}

// PostMerge checks the publish order after a push to the default branch
// (RFC 8461 §8.1, reference G13): first the policy host must serve the
// repository's policy, allowing a grace period for the deploy; then the
// published id must be the declared one. It returns the findings with the
// exact next step; none when both hold or the live state could not be
// checked (the live checks report that). PostMerge is pure.
func PostMerge(s State, d Deploy) diag.List {
	s = s.withDefaults()
	if d.Grace <= 0 {
		d.Grace = DefaultDeployGrace
	}
	var l diag.List
	switch {
	case s.Unverified:
	case idBeforePolicy(s):
		l.Add(trapFinding(s))
	case !s.LivePolicyMatches:
		l.Add(deployFinding(s, d))
	case idDrift(s):
		l.Add(publishFinding(s))
	}
	return l.ForDomain(s.Domain)
}

// deployFinding says the new policy is not served yet: pending within the
// grace period, overdue after it.
func deployFinding(s State, d Deploy) diag.Diagnostic {
	url := "https://mta-sts." + s.Domain + "/.well-known/mta-sts.txt"
	age := s.Now.Sub(d.PolicyCommitted)
	if !d.PolicyCommitted.IsZero() && age < d.Grace {
		f := diag.New(diag.DeployPolicyPending,
			fmt.Sprintf("the policy host does not serve the repository's policy yet, %s after the commit; deploys usually take a few minutes", roundAge(age)),
			fmt.Sprintf("wait for the deploy; do not publish the new _mta-sts id until %s serves the new policy", url))
		f.Subject = url
		return f
	}
	since := "since an unknown time"
	if !d.PolicyCommitted.IsZero() {
		since = fmt.Sprintf("%s after the commit", roundAge(age))
	}
	f := diag.New(diag.DeployPolicyOverdue,
		fmt.Sprintf("the policy host still does not serve the repository's policy, %s; senders apply the served one", since),
		"check the deployment of the policy host (on GitHub Pages, the latest pages-build-deployment run and .nojekyll); publish the new _mta-sts id only once it serves the new policy")
	f.Subject = url
	return f
}

// publishFinding gives the exact record to publish now.
func publishFinding(s State) diag.Diagnostic {
	published := "no _mta-sts record is published"
	if s.LiveID != "" {
		published = fmt.Sprintf("_mta-sts.%s still publishes id %s", s.Domain, s.LiveID)
	}
	f := diag.New(diag.DeployPublishID,
		fmt.Sprintf("the policy host serves the repository's policy, but %s; senders that cached the previous policy keep it until the id changes", published),
		fmt.Sprintf("publish _mta-sts.%s TXT \"v=STSv1; id=%s\" now that the new policy is live", s.Domain, s.DNS.ID))
	f.Subject = "TXT _mta-sts." + s.Domain
	return f
}

// trapFinding is the ordering trap: the new id went out before the policy.
func trapFinding(s State) diag.Diagnostic {
	next := newIDAt(s.Now)
	f := diag.New(diag.LiveIDBeforePolicy,
		fmt.Sprintf("the new id %s is already published while the policy host still serves another policy; senders that fetched since cached that policy under the new id and will not fetch again", s.LiveID),
		fmt.Sprintf("deploy the policy; once it is served, change the id again, for example to _mta-sts.%s TXT \"v=STSv1; id=%s\", in the repository and then in DNS", s.Domain, next))
	f.Subject = "TXT _mta-sts." + s.Domain
	return f
}

// roundAge formats a duration in whole minutes, hours or days.
func roundAge(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// plural formats a count of units.
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ScheduleFinding warns when a public repository has had no commit for 50
// days: GitHub disables its scheduled workflows after 60, and with them
// the reminders
// (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule).
func ScheduleFinding(s State) (diag.Diagnostic, bool) {
	s = s.withDefaults()
	if !inactive(s) {
		return diag.Diagnostic{}, false
	}
	off := s.LastRepoCommit.Add(disableDays * 24 * time.Hour)
	return diag.New(diag.ScheduleInactive,
		fmt.Sprintf("the repository has had no commit since %s; GitHub disables scheduled workflows of public repositories after %d days without activity, so the reminders stop by %s", day(s.LastRepoCommit), disableDays, day(off)),
		"push a commit before then, or re-enable the workflow in the Actions tab once it is disabled"), true
}
