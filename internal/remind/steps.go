package remind

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// enforceMaxAge is the max_age the switch to enforce suggests when the
// policy has less: RFC 8461 §3.2 expects "weeks or greater", and the
// static checks warn below 14 days in enforce mode (DESIGN §1.2).
const enforceMaxAge = 14 * 24 * 3600

// flipSteps are the four steps of the switch to enforce: check TLS-RPT,
// read the reports, triage, switch and change the id.
func (r renderer) flipSteps() string {
	var b strings.Builder
	b.WriteString("### What to do\n\n")
	b.WriteString("1. **Check that TLS-RPT is on.** " + markdown.Code(r.tlsrptName()) +
		" publishes a TLS-RPT record, so senders report every failed TLS session. Keep it published after the switch.\n")
	b.WriteString("2. **Read the reports.** " + readText(r.s) + "\n")
	b.WriteString("3. **Triage.** " + triageText(r.s) + "\n")
	b.WriteString("4. **Switch to enforce and change the id, in one pull request.** ")
	switch {
	case r.kind == KindBlocked && clean(r.s):
		b.WriteString("Once every MX host passes the probe (the gate refuses the switch before), change ")
	case r.kind == KindBlocked:
		b.WriteString("Once the window is clean (the gate refuses the switch before), change ")
	default:
		b.WriteString("Change ")
	}
	b.WriteString(markdown.Code(r.policyFile()) + ":\n\n")
	b.WriteString(indent(r.policyChange()))
	b.WriteString("\n   And give the declared record a new id:\n\n")
	b.WriteString(indent(r.dnsChange(r.h.NewID)))
	b.WriteString("\n")
	return b.String()
}

// readText is the reading step.
func readText(s State) string {
	w := s.Window
	if w == nil {
		return "stsgate read no reports for this domain: list where they arrive under `reports:` in `.github/stsgate.yml`."
	}
	blocking := 0
	for _, f := range w.Failures {
		if f.Blocking {
			blocking++
		}
	}
	return fmt.Sprintf("The window is %s. %s reported, %d of them blocking; the evidence above lists them.",
		windowText(s), plural(len(w.Failures), "failure group"), blocking)
}

// triageText is the triage step.
func triageText(s State) string {
	if clean(s) && len(s.MXFailures) > 0 {
		return "The reports show nothing blocking, but the MX probe does. Fix each MX host listed above: a certificate " +
			"from a public CA that names the host, not expired, offered over STARTTLS. The probe runs again on every run."
	}
	if clean(s) {
		return "Nothing blocks. Failures from senders not in `known_senders` are listed but do not block: " +
			"their TLS stacks are not yours to fix."
	}
	return "For each blocking failure: `ours` (certificate, STARTTLS, policy fetch) is a problem of your MX or policy " +
		"host, fix it; `known-sender` is a sender you listed, check your side with them; `no-policy-found` means the " +
		"sender did not see the policy. A failure that is not yours to fix gets an `ignore` rule with its reason."
}

// policyChange is the diff of the policy file for the switch to enforce.
func (r renderer) policyChange() string {
	p, _ := policy.Parse(r.s.PolicyText)
	var changes []lineChange
	if l := p.Line("mode"); l > 0 {
		changes = append(changes, lineChange{l, "mode: enforce"})
	}
	raise := p.Line("max_age") > 0 && p.MaxAge < enforceMaxAge
	if raise {
		changes = append(changes, lineChange{p.Line("max_age"), "max_age: " + strconv.Itoa(enforceMaxAge)})
	}
	diff := unifiedDiff(r.policyFile(), splitFile(string(r.s.PolicyText)), changes)
	if diff == "" {
		return "Set `mode: enforce`.\n"
	}
	out := fenced("diff", diff)
	if raise {
		out += fmt.Sprintf("\nThe diff also raises `max_age` to %d (14 days): in enforce mode senders should cache the "+
			"policy for weeks (RFC 8461 §3.2), and stsgate warns below 14 days.\n", enforceMaxAge)
	}
	return out
}

// dnsChange is the change of the declared _mta-sts record to id.
func (r renderer) dnsChange(id string) string {
	d := r.s.DNS
	rec := "v=STSv1; id=" + id
	if d.File == "" {
		return fmt.Sprintf("The repository declares no DNS: publish %s TXT %s at your DNS provider, and declare it "+
			"(`zone:` or `records.mta_sts` in `.github/stsgate.yml`) so that stsgate can check it.\n",
			markdown.Code(r.stsName()), markdown.Code(rec))
	}
	if changed, ok := replaceID(d.LineText, d.ID, id); ok && d.Line > 0 {
		diff := fmt.Sprintf("--- a/%s\n+++ b/%s\n@@ -%d,1 +%d,1 @@\n-%s\n+%s\n", d.File, d.File, d.Line, d.Line, d.LineText, changed)
		return fenced("diff", diff)
	}
	return fmt.Sprintf("In %s, change the %s record to %s.\n", markdown.Code(d.File), markdown.Code(r.stsName()), markdown.Code(rec))
}

// replaceID replaces the id=old field in line with id=id, where old is a
// whole id (not the prefix of a longer one).
func replaceID(line, old, id string) (string, bool) {
	if old == "" {
		return "", false
	}
	field := "id=" + old
	for i := 0; ; {
		j := strings.Index(line[i:], field)
		if j < 0 {
			return "", false
		}
		end := i + j + len(field)
		if end == len(line) || !validID(line[end:end+1]) {
			return line[:i+j] + "id=" + id + line[end:], true
		}
		i = end
	}
}

// publishOrder says to publish the policy before the id.
func (r renderer) publishOrder() string {
	return fmt.Sprintf("### Publish order (RFC 8461 §8.1)\n\n"+
		"1. Merge, then wait until %s serves the new policy; stsgate's run on push checks it.\n"+
		"2. Only then publish %s TXT %s.\n\n"+
		"Never the other way round: a sender that sees the new id first fetches the old policy, caches it under the new "+
		"id and does not fetch again until its max_age runs out.\n\n",
		markdown.Code(r.policyURL()), markdown.Code(r.stsName()), markdown.Code("v=STSv1; id="+r.h.NewID))
}

// driftSteps are the steps that end a drift.
func (r renderer) driftSteps() string {
	s := r.s
	deploy := fmt.Sprintf("1. **Deploy the policy.** Make %s serve %s exactly as the repository has it (on GitHub "+
		"Pages, look at the latest deployment run and at `.nojekyll`, without which `.well-known` is not published).\n",
		markdown.Code(r.policyURL()), markdown.Code(r.policyFile()))
	switch {
	case idBeforePolicy(s) || !s.LivePolicyMatches && s.DNS.ID == "":
		return "### What to do\n\n" + deploy + "2. **Then change the id once more**, so that every sender fetches " +
			"the deployed policy:\n\n" + indent(r.dnsChange(r.h.NewID)) + "\n   Publish " + markdown.Code(r.stsName()) + " TXT " +
			markdown.Code("v=STSv1; id="+r.h.NewID) + " only after step 1 shows the new policy.\n\n"
	case !s.LivePolicyMatches:
		return "### What to do\n\n" + deploy + "2. **Then publish the declared id:** " + markdown.Code(r.stsName()) + " TXT " +
			markdown.Code("v=STSv1; id="+s.DNS.ID) + ".\n\n"
	}
	return "### What to do\n\n1. **Publish " + markdown.Code(r.stsName()) + " TXT " + markdown.Code("v=STSv1; id="+s.DNS.ID) +
		"** now that the policy host serves the repository's policy.\n\n"
}

// stoppedTitle completes the title of an issue about missing reports.
func stoppedTitle(s State) string {
	if slices.Contains(s.Window.Reasons, tlsrpt.ReasonCoverageLow) &&
		!slices.Contains(s.Window.Reasons, tlsrpt.ReasonReportsStale) && !slices.Contains(s.Window.Reasons, tlsrpt.ReasonNoReports) {
		return "too few TLS-RPT reports arrive"
	}
	return "TLS-RPT reports stopped arriving"
}

// reportSteps are the steps that bring the reports back, in place of the
// triage of failures that do not exist.
func (r renderer) reportSteps() string {
	return "### What to do\n\n" +
		"1. **Check the mailbox that `rua=` names.** " + markdown.Code(r.tlsrptName()) + " tells senders where to send " +
		"reports (RFC 8460 §3). Check that mail still arrives there: a full mailbox, a changed forward or a spam filter " +
		"stops the reports, not the senders.\n" +
		"2. **Check how the reports reach stsgate.** If a scheduled `stsgate collect` job commits them " +
		"(`docs/workflows/collect.yml`), look at its latest runs: an expired mailbox password or OAuth2 token stops it " +
		"(it fails with exit code 3). Otherwise check the sources under `reports:` in `.github/stsgate.yml`.\n" +
		"3. **Wait for the window.** Once reports arrive again for " + strconv.Itoa(r.s.CleanDays) + " days in a row, this " +
		"issue says the domain is ready, and the gate lets the switch to `mode: enforce` through.\n\n"
}

// policyDiff shows how the served policy differs from the repository's,
// as the change that deploying the repository's policy makes.
func (r renderer) policyDiff() string {
	s := r.s
	if s.LivePolicyMatches || s.LivePolicyText == nil || s.PolicyText == nil {
		return ""
	}
	diff := textDiff("served "+r.policyURL(), "repository "+r.policyFile(),
		splitFile(string(s.LivePolicyText)), splitFile(string(s.PolicyText)))
	if diff == "" {
		return "### What differs\n\nThe served policy and the repository's have the same lines but differ in their " +
			"line endings or white space, which policy parsers may read differently.\n\n"
	}
	return "### What differs\n\nWhat deploying the repository's policy changes on the policy host:\n\n" + fenced("diff", diff) + "\n"
}

// tlsrptSteps are the steps that publish a TLS-RPT record.
func (r renderer) tlsrptSteps() string {
	return "### What to do\n\n1. **Publish a TLS-RPT record**: " + markdown.Code(r.tlsrptName()) + " TXT " +
		markdown.Code("v=TLSRPTv1; rua=mailto:tls-reports@example.net") + ", with a mailbox you read, preferably at another " +
		"domain, so that reports still arrive when mail to " + markdown.Text(r.s.Domain) + " breaks (RFC 8460 §3). Declare it " +
		"in the repository too (`zone:` or `records.tls_rpt`) so that the gate checks it.\n" +
		"2. **Let stsgate read the reports**: list where they arrive under `reports:` in `.github/stsgate.yml`.\n\n"
}

// indent indents text as the continuation of a numbered list item.
func indent(text string) string {
	var b strings.Builder
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString("   " + line)
	}
	return b.String()
}
