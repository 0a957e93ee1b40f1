package gate

import (
	"fmt"
	"slices"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

// coverageRules applies G10 and G12 (reference §6.7) to an enforce head.
// RFC 8461 §4.1: an MX host is valid only if it matches an mx pattern;
// under enforce, senders refuse to deliver to the others.
func (c *change) coverageRules() diag.List {
	if !isEnforce(c.head) {
		return nil
	}
	declared := declaredHosts(c.in.Head.DNS)
	var l diag.List
	for _, host := range c.mxHosts() {
		switch pattern := c.droppedPattern(host); {
		case c.head.Matches(host):
			// Covered.
		case pattern != "":
			l.Add(c.mxDroppedFinding(host, pattern))
		case slices.Contains(declared, host):
			// check.Lint already fails the head on that MX record
			// (mx-not-covered); saying it twice adds nothing.
		default:
			l.Add(c.mxNotCoveredFinding(host))
		}
	}
	return l
}

// droppedPattern returns the mx pattern of an enforce base policy that
// matched host, or "" when there is none.
func (c *change) droppedPattern(host string) string {
	if !isEnforce(c.base) {
		return ""
	}
	for _, p := range c.base.MX {
		if policy.MatchMX(p, host) {
			return p
		}
	}
	return ""
}

// mxNotCoveredFinding is G10: a live MX host the enforce policy refuses.
func (c *change) mxNotCoveredFinding(host string) diag.Diagnostic {
	return c.atMode(diag.New(diag.GateMXNotCovered,
		fmt.Sprintf("live MX host %s matches no mx line of the enforce policy; senders that apply it refuse to deliver to that host, and to the domain when it is the only one that answers", host),
		fmt.Sprintf("add \"mx: %s\" to the policy, or remove the MX record first", host)))
}

// mxDroppedFinding is G12: the head drops the pattern of a host that is
// still an MX. RFC 8461 §3.2: senders cache the old policy for up to its
// max_age, so the refusals grow as their caches pick up the new policy
// rather than showing at once.
func (c *change) mxDroppedFinding(host, pattern string) diag.Diagnostic {
	return c.atMode(diag.New(diag.GateMXDropped,
		fmt.Sprintf("the enforce policy drops \"mx: %s\", but %s is still an MX host of the domain; senders that fetch the new policy refuse to deliver to it, and more of them do as cached copies of the old policy expire (max_age %d seconds)", pattern, host, c.base.MaxAge),
		fmt.Sprintf("remove %s from the MX records first and wait for their TTL, then drop the mx line in a later change; or keep the line", host)))
}
