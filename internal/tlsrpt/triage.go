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

// failureClass is a failure class as a small number, as every failure
// group keeps it.
type failureClass uint8

const (
	classOurs failureClass = iota + 1
	classKnownSender
	classUnrecognized
	classDANE
	classNoPolicy
)

var classNames = [...]string{
	classOurs: ClassOurs, classKnownSender: ClassKnownSender, classUnrecognized: ClassUnrecognized,
	classDANE: ClassDANE, classNoPolicy: ClassNoPolicy,
}

func (c failureClass) String() string { return classNames[c] }

// blocks reports whether a failure of class c makes its days dirty
// (DESIGN §1.4 step 3).
func (c failureClass) blocks() bool {
	return c == classOurs || c == classKnownSender || c == classNoPolicy
}

// outranks reports whether a group with failures of classes c and o
// takes class c: a class that blocks outranks one that does not, and
// among those the one listed first above.
func (c failureClass) outranks(o failureClass) bool {
	if c.blocks() != o.blocks() {
		return c.blocks()
	}
	return c < o
}

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

// decisiveTypes are the result types that decide the class of a
// failure whoever reported it (RFC 8460 §4.3): those of the receiving
// side (oursResultType), which always block, and DANE's, which never do.
var decisiveTypes = [...]string{
	"starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
	"sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid",
	"tlsa-invalid", "dnssec-invalid", "dane-required",
}

// decisiveType returns the index of rt in decisiveTypes, or -1.
func decisiveType(rt string) int {
	if !oursResultType(rt) && !daneResultType(rt) {
		return -1
	}
	for i, t := range decisiveTypes {
		if t == rt {
			return i
		}
	}
	return -1
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
func (o *Options) classify(rt, org string, ip netip.Addr) failureClass {
	switch {
	case oursResultType(rt):
		return classOurs
	case daneResultType(rt):
		return classDANE
	case o.isKnownSender(org, ip):
		return classKnownSender
	}
	return classUnrecognized
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

// ignoredBy returns the index+1 in o.Ignore of the rule that removes the
// failure, or 0.
func (o *Options) ignoredBy(domain string, k failureKey) int {
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
		return i + 1
	}
	return 0
}
