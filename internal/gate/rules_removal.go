package gate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// removalRules applies G11 (reference §6.7). RFC 8461 §8.3: to remove
// MTA-STS, first publish mode none with a new id, wait until every
// policy served before has expired, and only then remove the record and
// the policy; senders that cached an enforce policy keep applying it.
func (c *change) removalRules() diag.List {
	if !c.baseEnforced() {
		return nil
	}
	var gone []string
	if c.policyRemoved() {
		gone = append(gone, "the policy file")
	}
	if c.recordRemoved() {
		gone = append(gone, "the _mta-sts record")
	}
	if len(gone) == 0 {
		return nil
	}
	d := diag.New(diag.GateRemovalWithoutNone,
		fmt.Sprintf("the change removes %s while senders may hold an enforce policy; they keep enforcing it for %s, and nothing tells them that MTA-STS was withdrawn, so mail to you bounces if MX hosts or their certificates change meanwhile",
			strings.Join(gone, " and "), c.cacheLifetime()),
		"first publish \"mode: none\" with a short max_age and a new id, wait until the longest max_age ever served has passed, then remove the record and the policy (RFC 8461 §8.3)")
	if c.policyRemoved() {
		return diag.List{c.atLine(d, 0)}
	}
	return diag.List{c.atDeclaration(d, diag.Pos{}, diag.Pos{})}
}

// rollbackRules applies G14 (reference §6.7): leaving enforce is allowed,
// with a note that cached enforce policies outlive the change (RFC 8461
// §3.2: senders cache a policy for up to max_age from the last fetch).
func (c *change) rollbackRules() diag.List {
	if !isEnforce(c.base) || c.head == nil || isEnforce(c.head) {
		return nil
	}
	msg := fmt.Sprintf("the policy leaves enforce for %s; senders that cached the enforce policy re-fetch only when they see a new id, and those that miss it keep enforcing the old policy for %s", c.head.Mode, c.cacheLifetime())
	if !c.idChanged {
		msg = fmt.Sprintf("the policy leaves enforce for %s; without a new id senders keep enforcing the cached policy for %s", c.head.Mode, c.cacheLifetime())
	}
	return diag.List{c.atMode(diag.New(diag.GateRollbackCached, msg,
		"keep the MX hosts and their certificates valid for the old policy until its max_age has passed, and change the _mta-sts id with this policy"))}
}

// cacheLifetime says how long senders may keep the base's enforce policy.
func (c *change) cacheLifetime() string {
	if isEnforce(c.base) {
		return fmt.Sprintf("up to its max_age of %d seconds (%s) after they last fetched it", c.base.MaxAge, days(c.base.MaxAge))
	}
	return "up to the max_age it was served with"
}

// days renders a number of seconds in days, as in "14 days" or "365.25
// days".
func days(seconds int64) string {
	const day = 24 * 60 * 60
	switch {
	case seconds < day:
		return "under a day"
	case seconds == day:
		return "1 day"
	}
	return strconv.FormatFloat(math.Round(float64(seconds)/day*100)/100, 'f', -1, 64) + " days"
}
