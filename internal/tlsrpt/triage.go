package tlsrpt

import (
	"net/netip"
	"strings"
)

// Failure classes (DESIGN §1.4 step 3).
const (
	// ClassOurs is a failure on the receiving side: our MX hosts or our
	// policy host. It always blocks.
	ClassOurs = "ours"
	// ClassKnownSender is a validation-failure, an unknown result type or
	// an unexplained failure reported by a known sender. It blocks.
	ClassKnownSender = "known-sender"
	// ClassUnrecognized is the same from a sender not in known_senders:
	// listed, not blocking (an exotic sender's TLS stack is not our bug).
	ClassUnrecognized = "unrecognized"
	// ClassDANE is a DANE result. MTA-STS does not judge it; listed only.
	ClassDANE = "dane"
	// ClassNoPolicy is a no-policy-found entry for the domain: the sender
	// did not see the policy. It blocks.
	ClassNoPolicy = "no-policy-found"
)

// oursResultType reports whether rt is one of the RFC 8460 §4.3 result
// types that name a problem of the receiving domain. (A switch: it is
// asked for every failure detail of every report, and needs no hash.)
func oursResultType(rt string) bool {
	switch rt {
	case "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
		"sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid":
		return true
	}
	return false
}

// daneResultType reports whether rt is one of the RFC 8460 §4.3.3 DANE
// result types.
func daneResultType(rt string) bool {
	switch rt {
	case "tlsa-invalid", "dnssec-invalid", "dane-required":
		return true
	}
	return false
}

// Sender identifies a known sender by organization name or sending IP.
type Sender struct {
	Org    string       // compared case-insensitively; "" = any
	Prefix netip.Prefix // invalid = any
}

// IgnoreRule removes matching failures from the window; every field that
// is set must match.
type IgnoreRule struct {
	ResultType string
	Org        string
	MX         string
	Domain     string
	Prefix     netip.Prefix
	Reason     string
}

// failureKey identifies a failure as the report shows it.
type failureKey struct {
	resultType string
	org        string
	sendingIP  netip.Addr
	mx         string
}

// classify returns the class of a failure of result type rt reported by
// org from ip. An empty rt is a failure the details do not explain.
func (o *Options) classify(rt, org string, ip netip.Addr) string {
	switch {
	case oursResultType(rt):
		return ClassOurs
	case daneResultType(rt):
		return ClassDANE
	case o.isKnownSender(org, ip):
		return ClassKnownSender
	}
	return ClassUnrecognized
}

func (o *Options) isKnownSender(org string, ip netip.Addr) bool {
	for _, s := range o.KnownSenders {
		if s.Org != "" && strings.EqualFold(s.Org, org) {
			return true
		}
		if s.Prefix.IsValid() && ip.IsValid() && s.Prefix.Contains(ip) {
			return true
		}
	}
	return false
}

// ignored returns the rule that removes the failure, if any.
func (o *Options) ignored(domain string, k failureKey) *IgnoreRule {
	for i := range o.Ignore {
		r := &o.Ignore[i]
		switch {
		case r.ResultType != "" && r.ResultType != k.resultType,
			r.Org != "" && !strings.EqualFold(r.Org, k.org),
			r.MX != "" && !strings.EqualFold(r.MX, k.mx),
			r.Domain != "" && !strings.EqualFold(r.Domain, domain),
			r.Prefix.IsValid() && !(k.sendingIP.IsValid() && r.Prefix.Contains(k.sendingIP)):
			continue
		}
		return r
	}
	return nil
}

func blocks(class string) bool {
	return class == ClassOurs || class == ClassKnownSender || class == ClassNoPolicy
}
