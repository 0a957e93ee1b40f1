package gate

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
)

// idRules applies the id rules (reference §6.7 G1, G2, G3, G13). RFC 8461
// §3.1: the id identifies a policy instance, and senders holding a cached
// policy re-fetch it only when they see a new id.
func (c *change) idRules() diag.List {
	both := c.base != nil && c.head != nil
	switch {
	case c.policyChanged && both && c.idUnchanged():
		return diag.List{c.idUnchangedFinding()}
	case c.policyChanged && both && c.in.Head.DNS == nil:
		return diag.List{c.idUndeclaredFinding()}
	case c.policyChanged && both && c.delegated():
		return diag.List{c.idDelegatedFinding()}
	case c.policyChanged && c.head != nil && (c.idChanged || c.recordAdded):
		return diag.List{c.publishOrderFinding()}
	case c.idChanged && !c.policyChanged && c.head != nil:
		return diag.List{c.idBumpOnlyFinding()}
	}
	return nil
}

// idUnchangedFinding is G1 and G2: the policy changes, the id does not.
func (c *change) idUnchangedFinding() diag.Diagnostic {
	return c.atID(diag.New(diag.GateIDUnchanged,
		fmt.Sprintf("the policy changes (%s) but the _mta-sts id stays %s; senders that cached the old policy see no new id, do not re-fetch, and keep applying the old policy for up to max_age %d seconds",
			describe(c.base, c.head), c.headRec.ID, c.base.MaxAge),
		"change the id in the _mta-sts record in the same change, for example to a timestamp such as 20261128T103000"))
}

// idUndeclaredFinding covers a policy change where the repository
// declares no DNS: a warning, or an error for a flip to enforce, which
// senders must not miss.
func (c *change) idUndeclaredFinding() diag.Diagnostic {
	d := diag.New(diag.GateIDUnverified,
		fmt.Sprintf("the policy changes (%s) but the repository declares no DNS, so stsgate cannot check that the _mta-sts id changes with it; senders that cached the old policy keep it until they see a new id", describe(c.base, c.head)),
		"change the _mta-sts id when this is deployed, and declare the domain's DNS in .github/stsgate.yml (zone: <zone file>, or records: with mta_sts:) so that the gate can check it")
	if c.flip {
		d = diag.New(diag.GateIDUnverified,
			fmt.Sprintf("the policy flips to enforce (%s) but the repository declares no DNS, so stsgate cannot check that the _mta-sts id changes; if it does not, senders keep the old policy and the switch to enforce goes unnoticed for up to max_age %d seconds", describe(c.base, c.head), c.base.MaxAge),
			`declare the domain's DNS in .github/stsgate.yml, either zone: <zone file> or records: with mta_sts: "v=STSv1; id=<new id>", tls_rpt: and mx:, and change the id in this pull request`).
			As(diag.Error)
	}
	return c.atLine(d, changedLine(c.base, c.head))
}

// idDelegatedFinding covers a policy change whose _mta-sts record is
// delegated to a provider (RFC 8461 §8.2).
func (c *change) idDelegatedFinding() diag.Diagnostic {
	return c.atLine(diag.New(diag.GateIDUnverified,
		fmt.Sprintf("the policy changes (%s) but _mta-sts.%s is a CNAME to %s, so the id lives with the provider and stsgate cannot check that it changes; senders that cached the old policy keep it until they see a new id",
			describe(c.base, c.head), c.in.Head.DNS.Domain, c.in.Head.DNS.STSAlias),
		"make sure the provider publishes a new id once this policy is served"),
		changedLine(c.base, c.head))
}

// publishOrderFinding is G13: policy and id change together. RFC 8461
// §8.1: update the policy before the TXT record; a sender that sees the
// new id first fetches the old policy and caches it under the new id.
func (c *change) publishOrderFinding() diag.Diagnostic {
	return c.atID(diag.New(diag.GatePublishOrder,
		fmt.Sprintf("the policy and the _mta-sts id (now %s) change together; if the new id is live before the policy host serves the new policy, senders fetch the old policy and keep it under the new id for up to its max_age", c.headRec.ID),
		fmt.Sprintf("after merging, deploy the policy file first, check that https://mta-sts.%s/.well-known/mta-sts.txt serves it, then publish the _mta-sts record", c.in.Domain)))
}

// idBumpOnlyFinding is G3: a new id for the same policy, harmless.
func (c *change) idBumpOnlyFinding() diag.Diagnostic {
	return c.atID(diag.New(diag.GateIDBumpOnly,
		fmt.Sprintf("the _mta-sts id changes (%s → %s) but the policy does not; senders re-fetch the same policy, which is harmless", c.baseRec.ID, c.headRec.ID),
		"nothing to do, unless a policy change was meant to be part of this pull request"))
}
