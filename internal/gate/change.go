package gate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/zone"
)

// change is an Input with the facts the rules share worked out once.
type change struct {
	in               Input
	base, head       *policy.Policy // nil when absent or invalid
	baseRec, headRec *policy.Record // nil when not declared or invalid
	policyChanged    bool
	idChanged        bool
	recordAdded      bool // the base declares DNS without a record, the head has one
	flip             bool // head enforce, base testing, none or no policy
}

func newChange(in Input) *change {
	c := &change{
		in:      in,
		base:    in.Base.Static.Policy,
		head:    in.Head.Static.Policy,
		baseRec: in.Base.Static.Record,
		headRec: in.Head.Static.Record,
	}
	c.policyChanged = policyChanged(c.base, c.head)
	c.idChanged = c.baseRec != nil && c.headRec != nil && c.baseRec.ID != c.headRec.ID
	c.recordAdded = in.Base.DNS != nil && c.baseRec == nil && c.headRec != nil
	c.flip = isEnforce(c.head) && !isEnforce(c.base)
	return c
}

// policyChanged reports whether senders see a different policy: a
// semantic difference (policy.Equal), or a policy on one side only.
func policyChanged(base, head *policy.Policy) bool {
	if base == nil || head == nil {
		return (base == nil) != (head == nil)
	}
	return !policy.Equal(base, head)
}

func isEnforce(p *policy.Policy) bool { return p != nil && p.Mode == policy.ModeEnforce }

// any reports whether the change touches what the gate judges.
func (c *change) any() bool {
	return c.policyChanged || c.idChanged || c.recordAdded ||
		c.policyRemoved() || c.recordRemoved() ||
		!slices.Equal(declaredHosts(c.in.Base.DNS), declaredHosts(c.in.Head.DNS))
}

// idUnchanged reports whether both revisions declare the same id.
func (c *change) idUnchanged() bool {
	return c.baseRec != nil && c.headRec != nil && c.baseRec.ID == c.headRec.ID
}

// policyRemoved reports whether the head deletes the policy file.
func (c *change) policyRemoved() bool {
	return c.in.Base.Static.PolicyText != nil && c.in.Head.Static.PolicyText == nil
}

// recordRemoved reports whether the head's DNS declaration drops the
// _mta-sts record (not merely breaks it, which check.Lint reports).
func (c *change) recordRemoved() bool {
	h := c.in.Head.DNS
	return c.baseRec != nil && h != nil && len(h.STS) == 0 && h.STSAlias == ""
}

// delegated reports whether the head's _mta-sts record is a CNAME to a
// provider's record (RFC 8461 §8.2), whose id the repository cannot show.
func (c *change) delegated() bool {
	h := c.in.Head.DNS
	return h != nil && len(h.STS) == 0 && h.STSAlias != ""
}

// baseEnforced reports whether senders may hold an enforce policy: the
// base policy enforces, or the live one does.
func (c *change) baseEnforced() bool {
	return isEnforce(c.base) || c.in.LiveMode == policy.ModeEnforce
}

// declaredHosts returns the declared MX host names, sorted, without the
// null MX.
func declaredHosts(d *zone.Declaration) []string {
	if d == nil {
		return nil
	}
	var hosts []string
	for _, mx := range d.MX {
		if mx.Host != "" {
			hosts = append(hosts, mx.Host)
		}
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}

// mxHosts returns the MX hosts coverage is judged against: the live ones
// when known, else the head's declared ones.
func (c *change) mxHosts() []string {
	if c.in.LiveMX == nil {
		return declaredHosts(c.in.Head.DNS)
	}
	var hosts []string
	for _, h := range c.in.LiveMX {
		if h = policy.NormalizeHost(h); h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// describe lists what changed between two policies, as in "mode testing
// → enforce, max_age 604800 → 1209600".
func describe(base, head *policy.Policy) string {
	var parts []string
	if base.Mode != head.Mode {
		parts = append(parts, fmt.Sprintf("mode %s → %s", base.Mode, head.Mode))
	}
	if base.MaxAge != head.MaxAge {
		parts = append(parts, fmt.Sprintf("max_age %d → %d", base.MaxAge, head.MaxAge))
	}
	if b, h := base.MXSet(), head.MXSet(); !slices.Equal(b, h) {
		parts = append(parts, fmt.Sprintf("mx %s → %s", strings.Join(b, " "), strings.Join(h, " ")))
	}
	if len(parts) == 0 {
		parts = append(parts, "the extensions change")
	}
	return strings.Join(parts, ", ")
}

// changedLine returns the head line of the first thing that changed, for
// findings about the policy change itself.
func changedLine(base, head *policy.Policy) int {
	switch {
	case base.Mode != head.Mode:
		return head.Line("mode")
	case base.MaxAge != head.MaxAge:
		return head.Line("max_age")
	case !slices.Equal(base.MXSet(), head.MXSet()):
		for _, f := range head.Fields {
			if f.Key == "mx" && !slices.Contains(base.MXSet(), strings.ToLower(f.Value)) {
				return f.Line
			}
		}
		return head.Line("mx")
	}
	if len(head.Extensions) > 0 {
		return head.Line(head.Extensions[0].Name)
	}
	return head.Line("mode")
}
