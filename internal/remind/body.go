package remind

import (
	"fmt"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/policy"
)

// defaultPolicyFile is where the policy lives unless configured.
const defaultPolicyFile = ".well-known/mta-sts.txt"

// body is the whole issue body: the hidden lines first (so that fit never
// cuts them), then the headline, the status, the evidence and the steps.
func (r renderer) body() string {
	var b strings.Builder
	b.WriteString(Marker(r.s.Domain) + "\n" + stateLine(r.h) + "\n\n")
	b.WriteString("## " + markdown.Text(strings.TrimPrefix(r.title(), "MTA-STS: ")) + "\n\n")
	b.WriteString(r.lead() + "\n\n")
	b.WriteString(r.statusTable())
	b.WriteString(r.inactivity())
	switch r.kind {
	case KindBlocked:
		b.WriteString(evidence(r.s))
		if reportsStopped(r.s) {
			b.WriteString(r.reportSteps())
			break
		}
		b.WriteString(r.flipSteps())
		b.WriteString(r.publishOrder())
	case KindReady:
		b.WriteString(evidence(r.s))
		b.WriteString(r.flipSteps())
		b.WriteString(r.publishOrder())
	case KindDrift:
		b.WriteString(r.policyDiff())
		b.WriteString(r.driftSteps())
	case KindTLSRPTMissing:
		b.WriteString(r.tlsrptSteps())
	}
	b.WriteString(r.footer())
	return b.String()
}

// policyURL is where senders fetch the policy (RFC 8461 §3.3).
func (r renderer) policyURL() string {
	return "https://mta-sts." + r.s.Domain + "/.well-known/mta-sts.txt"
}

// stsName and tlsrptName are the TXT owner names (RFC 8461 §3.1, RFC 8460
// §3).
func (r renderer) stsName() string    { return "_mta-sts." + r.s.Domain }
func (r renderer) tlsrptName() string { return "_smtp._tls." + r.s.Domain }

// policyFile is the repository path of the policy.
func (r renderer) policyFile() string {
	if r.s.PolicyFile == "" {
		return defaultPolicyFile
	}
	return r.s.PolicyFile
}

// lead is the paragraph under the headline: what is the case, why it
// matters for mail, what to do.
func (r renderer) lead() string {
	s := r.s
	switch r.kind {
	case KindReady:
		return fmt.Sprintf("The policy of %s has been in `mode: testing` since %s, and the TLS-RPT reports show %s. "+
			"No sender reported a failure that `mode: enforce` would turn into deferred mail. "+
			"Switch to `mode: enforce`, so that senders refuse to deliver over connections an attacker could downgrade: "+
			"that protection is what MTA-STS is for (RFC 8461 §5).",
			markdown.Text(s.Domain), sinceText(s.TestingSince), streakText(s))
	case KindBlocked:
		if reportsStopped(s) {
			return fmt.Sprintf("The policy of %s has been in `mode: testing` since %s, more than %d days, and no clean window "+
				"can be shown because %s. That is not a failure of your mail servers: without reports nobody can tell whether "+
				"`mode: enforce` would defer mail, so the pull-request gate refuses the switch until they arrive again.",
				markdown.Text(s.Domain), sinceText(s.TestingSince), s.StaleDays, stoppedText(s))
		}
		if clean(s) {
			return fmt.Sprintf("The policy of %s has been in `mode: testing` since %s, more than %d days, and the TLS-RPT "+
				"reports show %s, but a probe of the MX hosts found that `mode: enforce` would break delivery: senders that "+
				"enforce the policy would defer mail to them (RFC 8461 §4.2, §5.1).",
				markdown.Text(s.Domain), sinceText(s.TestingSince), s.StaleDays, streakText(s)) + mxFailuresText(s)
		}
		return fmt.Sprintf("The policy of %s has been in `mode: testing` since %s, more than %d days, but the TLS-RPT reports "+
			"do not show a clean window yet: %s. In `mode: enforce`, senders would defer mail on those failures instead of "+
			"only reporting them. Triage them; the pull-request gate lets the switch through once the window is clean.",
			markdown.Text(s.Domain), sinceText(s.TestingSince), s.StaleDays, notCleanText(s)) + mxFailuresText(s)
	case KindDrift:
		return r.driftLead()
	case KindTLSRPTMissing:
		return fmt.Sprintf("No valid %s TXT record is published, so senders send no TLS-RPT reports (RFC 8460 §3). "+
			"Without reports nobody can tell whether `mode: enforce` would bounce mail, and the pull-request gate refuses "+
			"the switch.", markdown.Code(r.tlsrptName()))
	case KindResolved:
		return fmt.Sprintf("%s is in `mode: enforce`, the policy host serves the repository's policy, %s publishes "+
			"the declared id and senders send TLS-RPT reports. Nothing is left to do, so stsgate closes this issue.",
			markdown.Text(s.Domain), markdown.Code(r.stsName()))
	}
	return ""
}

// driftLead explains the drift and why it matters.
func (r renderer) driftLead() string {
	s := r.s
	served := "no valid policy"
	if s.LiveMode != "" {
		served = "a different policy (`mode: " + markdown.Text(string(s.LiveMode)) + "`)"
	}
	switch {
	case idBeforePolicy(s):
		return fmt.Sprintf("%s already publishes the new id %s, but %s still serves %s. Senders that looked up the "+
			"record since then fetched the old policy, cached it under the new id, and will not fetch again until its "+
			"max_age runs out (RFC 8461 §8.1): the id change was spent. Deploy the policy, then change the id once more.",
			markdown.Code(r.stsName()), markdown.Code(s.LiveID), markdown.Code(r.policyURL()), served)
	case !s.LivePolicyMatches:
		return fmt.Sprintf("%s serves %s, not the repository's policy (`mode: %s` in %s). Senders apply what is served. "+
			"Deploy the repository's policy first, and only then publish its id (RFC 8461 §8.1).",
			markdown.Code(r.policyURL()), served, markdown.Text(string(s.RepoMode)), markdown.Code(r.policyFile()))
	case s.LiveID == "":
		return fmt.Sprintf("%s publishes no MTA-STS record, so senders never look for the policy (RFC 8461 §3.1). "+
			"The repository declares id %s.", markdown.Code(r.stsName()), markdown.Code(s.DNS.ID))
	}
	return fmt.Sprintf("The policy host serves the repository's policy, but %s publishes id %s while the repository "+
		"declares %s. Senders that cached the previous policy keep it until the id changes (RFC 8461 §3.1).",
		markdown.Code(r.stsName()), markdown.Code(s.LiveID), markdown.Code(s.DNS.ID))
}

// sinceText is a testing-since date for prose.
func sinceText(s Since) string {
	switch {
	case !s.Known():
		return "an unknown date"
	case s.AtLeast:
		return day(s.Time) + " or earlier"
	}
	return day(s.Time)
}

// day formats a UTC date.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// statusTable is the table of what the checks found.
func (r renderer) statusTable() string {
	s := r.s
	var b strings.Builder
	row := func(k, v string) { b.WriteString("| " + k + " | " + v + " |\n") }
	b.WriteString("| Check | State |\n| --- | --- |\n")
	row("Repository policy", fmt.Sprintf("`mode: %s` in %s", markdown.Text(string(s.RepoMode)), markdown.Code(r.policyFile())))
	row("Declared id", declaredText(s.DNS))
	row("Served policy", r.servedText())
	row("Published id", r.publishedText())
	row("TLS-RPT record", yesNo(s.TLSRPT, "published at "+markdown.Code(r.tlsrptName()), "none at "+markdown.Code(r.tlsrptName())))
	if s.RepoMode == policy.ModeTesting {
		row("Testing since", r.testingSinceText())
		row("Clean window", yesNo(clean(s), windowText(s), windowText(s)))
	}
	row("This state since", day(r.h.Since))
	return b.String() + "\n"
}

// yesNo marks a check as passed or failed.
func yesNo(ok bool, yes, no string) string {
	if ok {
		return "✅ " + yes
	}
	return "❌ " + no
}

// declaredText says where the repository declares the id.
func declaredText(d Declared) string {
	switch {
	case d.File == "" || d.ID == "":
		return "not declared in the repository"
	case d.Line > 0:
		return fmt.Sprintf("%s in %s line %d", markdown.Code(d.ID), markdown.Code(d.File), d.Line)
	}
	return markdown.Code(d.ID) + " in " + markdown.Code(d.File)
}

// servedText describes the served policy.
func (r renderer) servedText() string {
	switch {
	case r.s.LivePolicyMatches:
		return "✅ the repository's policy"
	case r.s.LiveMode != "":
		return "❌ a different policy (`mode: " + markdown.Text(string(r.s.LiveMode)) + "`)"
	}
	return "❌ no valid policy at " + markdown.Code(r.policyURL())
}

// publishedText describes the published id.
func (r renderer) publishedText() string {
	s := r.s
	switch {
	case s.LiveID == "":
		return "❌ no record at " + markdown.Code(r.stsName())
	case s.DNS.ID == "":
		return markdown.Code(s.LiveID)
	case idBeforePolicy(s):
		return "⚠️ " + markdown.Code(s.LiveID) + ", published before the policy it stands for"
	case s.LiveID == s.DNS.ID:
		return "✅ " + markdown.Code(s.LiveID)
	}
	return "❌ " + markdown.Code(s.LiveID)
}

// testingSinceText is the testing-since row: the date, its source, and
// when testing mode goes or went stale.
func (r renderer) testingSinceText() string {
	t := r.s.TestingSince
	if !t.Known() {
		return "unknown: neither the policy's commit history nor the reports date it"
	}
	src := "the policy's commit history"
	if t.Source == SinceReports {
		src = "the oldest report that saw it"
	}
	return fmt.Sprintf("%s (from %s); stale after %d days, on %s", sinceText(t), src, r.s.StaleDays, day(staleAt(r.s)))
}

// inactivityDays and disableDays: GitHub disables the scheduled workflows
// of a public repository after 60 days without activity
// (https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#schedule);
// the issue warns 10 days before.
const (
	inactivityDays = 50
	disableDays    = 60
)

// inactive reports a public repository quiet for inactivityDays.
func inactive(s State) bool {
	return s.Public && !s.LastRepoCommit.IsZero() && s.Now.Sub(s.LastRepoCommit) >= inactivityDays*24*time.Hour
}

// inactivity is the warning about scheduled workflows being disabled.
func (r renderer) inactivity() string {
	if !inactive(r.s) {
		return ""
	}
	last := r.s.LastRepoCommit
	return fmt.Sprintf("> [!WARNING]\n> This public repository has had no commit since %s. GitHub disables scheduled "+
		"workflows after %d days without activity, so these reminders stop by %s. Push a commit to keep them running, "+
		"or re-enable the workflow in the Actions tab once GitHub has disabled it.\n\n",
		day(last), disableDays, day(last.Add(disableDays*24*time.Hour)))
}

// footer says who maintains the issue and how to snooze it.
func (r renderer) footer() string {
	if r.kind == KindResolved {
		return "---\n<sub>Maintained by stsgate: it reopens this issue if a problem returns.</sub>\n"
	}
	return fmt.Sprintf("---\n<sub>Maintained by stsgate: it rewrites this description when the state changes and "+
		"comments only on a change of state. It closes the issue once %s enforces its policy and the live state matches "+
		"the repository. Close it as <b>not planned</b> to snooze it for %d days.</sub>\n", markdown.Text(r.s.Domain), r.s.SnoozeDays)
}

// mxFailuresText lists the MX hosts that a probe found would fail under
// enforce, after a lead; "" when there are none.
func mxFailuresText(s State) string {
	if len(s.MXFailures) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nThe MX hosts that would fail under `mode: enforce`, with what senders would report:\n\n")
	for _, f := range s.MXFailures {
		b.WriteString("- " + markdown.Text(f) + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}
