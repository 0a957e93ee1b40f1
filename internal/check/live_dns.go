package check

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/zone"
)

// notFound reports whether err says the name or record does not exist
// (NXDOMAIN or NODATA), as opposed to a lookup that failed.
func notFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// unverified notes that something could not be checked (reference T20:
// SERVFAIL and timeouts are neither "valid" nor "invalid").
func (c *comparer) unverified(subject, what string, err error) {
	c.res.Unverified = true
	c.add(diag.New(diag.LiveUnverified,
		fmt.Sprintf("could not check %s: %v; this is a temporary failure, not a verdict on the record", what, err),
		"run the check again; if it persists, check the domain's name servers"), subject)
}

// records checks the published _mta-sts and _smtp._tls records.
func (c *comparer) records() {
	stsName, rptName := "TXT _mta-sts."+c.domain, "TXT _smtp._tls."+c.domain
	switch err := c.live.STSErr; {
	case notFound(err):
		c.add(diag.New(diag.LiveSTSRecordMissing,
			fmt.Sprintf("_mta-sts.%s has no TXT record; senders do not look for a policy, so MTA-STS is off", c.domain),
			fmt.Sprintf("publish _mta-sts.%s TXT \"v=STSv1; id=<id>\" once the policy is served", c.domain)), stsName)
	case err != nil:
		c.unverified(stsName, "the _mta-sts record", err)
	default:
		set := policy.ParseRecordSet(c.live.STSTexts)
		c.res.Record = set.Record
		c.addRecordDiags(stsName, set.Records, set.Set)
	}
	switch err := c.live.TLSRPTErr; {
	case notFound(err):
		c.add(diag.New(diag.LiveTLSRPTRecordMissing,
			fmt.Sprintf("_smtp._tls.%s has no TXT record; senders send no TLS reports, so failures in testing mode go unseen", c.domain),
			fmt.Sprintf("publish _smtp._tls.%s TXT \"v=TLSRPTv1; rua=mailto:<address>\"", c.domain)), rptName)
	case err != nil:
		c.unverified(rptName, "the _smtp._tls record", err)
	default:
		set := tlsrpt.ParseRecordSet(c.live.TLSRPTTexts)
		c.res.TLSRPT = set.Record
		c.addRecordDiags(rptName, set.Records, set.Set)
	}
}

func (c *comparer) addRecordDiags(subject string, perRecord []diag.List, set diag.List) {
	for _, l := range perRecord {
		for _, d := range l {
			c.add(d, subject)
		}
	}
	for _, d := range set {
		c.add(d, subject)
	}
}

// mx checks the published MX hosts against the repository's policy and,
// when it differs, the served one (RFC 8461 §4.1; reference §6.5).
func (c *comparer) mx() {
	subject := "MX " + c.domain
	switch err := c.live.MXErr; {
	case notFound(err):
		c.add(diag.New(diag.LiveMXMissing,
			fmt.Sprintf("%s publishes no MX records; senders fall back to its address records, which an MTA-STS policy cannot name reliably", c.domain),
			"publish MX records for the hosts that receive mail"), subject)
		return
	case err != nil:
		c.unverified(subject, "the MX records", err)
		return
	}
	mxs := liveMX(c.live.MX)
	for _, p := range c.policies() {
		for _, d := range coverage(p, mxs, "published") {
			switch {
			case d.Code != diag.MXPatternStale:
				c.add(d, subject)
			case p == c.repo.Policy:
				d.File = c.repo.PolicyFile
				c.add(d, "")
			default:
				d.Start = diag.Pos{}
				c.add(d, c.live.Fetched.URL)
			}
		}
	}
	c.aliasTargets(subject)
}

// policies returns the repository's policy and, when it differs, the
// served one: both must cover the MX hosts.
func (c *comparer) policies() []*policy.Policy {
	var out []*policy.Policy
	if c.repo.Policy != nil {
		out = append(out, c.repo.Policy)
	}
	if p := c.res.Policy; p != nil && (c.repo.Policy == nil || !policy.Equal(p, c.repo.Policy)) {
		out = append(out, p)
	}
	return out
}

func liveMX(mxs []*net.MX) []zone.MX {
	out := make([]zone.MX, 0, len(mxs))
	for _, mx := range mxs {
		host := policy.NormalizeHost(mx.Host)
		out = append(out, zone.MX{Host: host, Preference: mx.Pref})
	}
	return out
}

// aliasTargets warns about MX targets that are CNAMEs or IP addresses
// (RFC 5321 §5.1; reference §6.5 M9).
func (c *comparer) aliasTargets(subject string) {
	for _, mx := range c.live.MX {
		host := policy.NormalizeHost(mx.Host)
		if _, err := netip.ParseAddr(host); err == nil {
			c.add(diag.New(diag.LiveMXTargetAlias,
				fmt.Sprintf("the MX record names the IP address %s; MX targets must be host names, and an MTA-STS policy cannot match an address", host),
				"publish an address record for a host name and point the MX record at it"), subject)
		}
		if chain := c.live.MXAliases[host]; len(chain) > 0 {
			c.add(diag.New(diag.LiveMXTargetAlias,
				fmt.Sprintf("MX host %s is a CNAME to %s; RFC 5321 forbids it, and senders match the policy against %s, not the alias target", host, chain[len(chain)-1], host),
				"point the MX record at the canonical host name and list that name in the policy"), subject)
		}
	}
}
