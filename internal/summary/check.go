package summary

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// withDefaults gives the limits a checker uses their defaults where lim
// leaves them zero, as tlsrpt does.
func withDefaults(lim tlsrpt.Limits) tlsrpt.Limits {
	def := tlsrpt.DefaultLimits()
	lim.MaxString = cmp.Or(max(lim.MaxString, 0), def.MaxString)
	lim.MaxPolicies = cmp.Or(max(lim.MaxPolicies, 0), def.MaxPolicies)
	lim.MaxDetails = cmp.Or(max(lim.MaxDetails, 0), def.MaxDetails)
	lim.MaxListItems = cmp.Or(max(lim.MaxListItems, 0), def.MaxListItems)
	return lim
}

// cutMark is what tlsrpt appends to a string it cut to MaxString.
const cutMark = "…"

// strings checks that no string is longer than tlsrpt keeps one.
func (c *checker) strings(ss ...string) error {
	for _, s := range ss {
		if len(s) > c.lim.MaxString+len(cutMark) {
			return fmt.Errorf(": a string of %d bytes is longer than the limit of %d", len(s), c.lim.MaxString)
		}
	}
	return nil
}

// messageIDs checks a record's Message-IDs: at most maxMessageIDs, each
// a non-empty string within the limit, sorted and distinct, as Render
// writes them.
func (c *checker) messageIDs(ids []string) error {
	if len(ids) > maxMessageIDs {
		return fmt.Errorf(": it lists %d message_ids, more than %d", len(ids), maxMessageIDs)
	}
	for i, id := range ids {
		if id == "" || i > 0 && ids[i-1] >= id {
			return fmt.Errorf(".message_ids[%d] is empty, out of order or repeated", i)
		}
	}
	return c.strings(ids...)
}

func (c *checker) policy(p *tlsrpt.PolicyResult, rp *Policy) error {
	*p = tlsrpt.PolicyResult{Type: rp.Type, Domain: rp.Domain, PolicyString: rp.PolicyString, MXHost: rp.MXHost,
		Successful: rp.Successful, Failed: rp.Failed}
	switch {
	case rp.Successful < 0 || rp.Failed < 0:
		return fmt.Errorf(": a session count is negative (successful %d, failed %d)", rp.Successful, rp.Failed)
	case len(rp.PolicyString) > c.lim.MaxListItems || len(rp.MXHost) > c.lim.MaxListItems:
		return fmt.Errorf(": policy_string or mx_host has more than %d items", c.lim.MaxListItems)
	case len(rp.Failures) > c.lim.MaxDetails:
		return fmt.Errorf(": it has more than %d failures", c.lim.MaxDetails)
	}
	if err := errors.Join(c.strings(rp.Type, rp.Domain), c.strings(rp.PolicyString...), c.strings(rp.MXHost...)); err != nil {
		return err
	}
	if n := len(rp.Failures); n > 0 {
		p.Details = c.details.take(n)
	}
	for i := range rp.Failures {
		if err := c.failure(&p.Details[i], &rp.Failures[i]); err != nil {
			return fmt.Errorf(".failures[%d]%w", i, err)
		}
	}
	return nil
}

func (c *checker) failure(d *tlsrpt.FailureDetail, f *Failure) error {
	*d = tlsrpt.FailureDetail{ResultType: f.ResultType, ReceivingMX: f.ReceivingMX, ReceivingHELO: f.ReceivingHELO,
		Sessions: f.Sessions, ReasonCode: f.ReasonCode, AdditionalInfo: f.AdditionalInfo}
	if f.Sessions < 0 {
		return fmt.Errorf(".sessions is negative (%d)", f.Sessions)
	}
	var err1, err2 error
	d.SendingIP, err1 = parseAddr(f.SendingIP)
	d.ReceivingIP, err2 = parseAddr(f.ReceivingIP)
	if err := errors.Join(err1, err2); err != nil {
		return fmt.Errorf(": %w", err)
	}
	return c.strings(f.ResultType, f.ReceivingMX, f.ReceivingHELO, f.ReasonCode, f.AdditionalInfo)
}

func parseAddr(s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return a, fmt.Errorf("%q is not an IP address", s)
	}
	return a, nil
}
