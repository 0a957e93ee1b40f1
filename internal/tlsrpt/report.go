package tlsrpt

import (
	"net/netip"
	"time"
)

// Report is one TLS-RPT report (RFC 8460 §4.4) after normalisation: the
// tolerated quirks of real reporters are smoothed out (see Decode), so
// that the aggregation never sees them.
type Report struct {
	Organization string // organization-name; may be empty (J5)
	ReportID     string // report-id; may be empty (J5)
	ContactInfo  string // contact-info; empty when null or missing
	// Start and End are in UTC and End is exclusive: an end of 23:59:59
	// is normalised to the next midnight (J3), so that both styles of
	// reporter cover the same days.
	Start, End time.Time
	Policies   []PolicyResult
	// Source says where the report came from: the source name given to
	// Decode, plus "#<part>" for every archive member, mbox message or
	// MIME part it sits in.
	Source string
	// Key identifies the report for deduplication (RFC 8460 §4.4: the
	// report-id is unique per reporting organization): "id:" +
	// organization + "\x00" + report-id when the report has a report-id
	// (or "id-sha256:" + the hex SHA-256 of that where it is longer than
	// MaxString), else "sha256:" + the hex SHA-256 of the report's JSON
	// bytes. It is made of the strings before they are cut (MaxString).
	Key string
	// Auth is what the receiving mail server recorded about the DKIM
	// signature of the mail the report came in (RFC 8460 §3); AuthNone
	// for a report that did not come in a report mail.
	Auth Auth
}

// Auth is the DKIM verdict on a report mail (RFC 8460 §3: a report mail
// must carry a valid DKIM signature of the reporting domain, and
// receivers must ignore reports without one).
type Auth uint8

const (
	AuthNone       Auth = iota // not from a report mail
	AuthPass                   // the receiving server recorded dkim=pass for the submitter
	AuthFail                   // it recorded no pass for the submitter
	AuthUnverified             // the mail has no Authentication-Results header
)

// String returns the verdict as a summary records it: "" for AuthNone
// and AuthPass, which need no mark, else "fail" or "unverified".
func (a Auth) String() string {
	switch a {
	case AuthFail:
		return "fail"
	case AuthUnverified:
		return "unverified"
	}
	return ""
}

// ParseAuth is the inverse of String for the verdicts that need a mark.
func ParseAuth(s string) (Auth, bool) {
	switch s {
	case "":
		return AuthNone, true
	case "fail":
		return AuthFail, true
	case "unverified":
		return AuthUnverified, true
	}
	return AuthNone, false
}

// PolicyResult is one entry of a report's "policies" array: the
// policy a sender evaluated and the sessions it counted against it.
type PolicyResult struct {
	// Type is "sts", "tlsa", "no-policy-found", or an unknown type
	// (J9), in lower case without surrounding white space whatever the
	// reporter wrote.
	Type string
	// Domain is the policy-domain, lower-case, without a trailing dot; ""
	// when the reporter left it out (J6).
	Domain       string
	PolicyString []string // as given; a tlsa entry may hold one JSON-encoded string (J15)
	// MXHost is the mx-host list as given; a plain string is coerced to a
	// one-element list (J1, RFC 8460 errata 6241).
	MXHost     []string
	Successful int64
	// Failed is total-failure-session-count (RFC 8460 §4.4), or the sum
	// of the failed-session-counts of Details where the total is
	// missing (J12). Details may add up to more than the total (J10):
	// they then say what kind the failures were, not how many.
	Failed  int64
	Details []FailureDetail
}

// FailureDetail is one entry of a policy's "failure-details" array.
// The details beyond MaxDetails or MaxReportDetails come summed up, one
// per result type that decides a failure's class on its own (with
// neither addresses nor MX host), and one without a result type for the
// others.
type FailureDetail struct {
	ResultType    string     // as given; unknown types are kept (J9)
	SendingIP     netip.Addr // zero when absent or not an address (J14)
	ReceivingMX   string     // lower-case, without a trailing dot
	ReceivingIP   netip.Addr // zero when absent or not an address
	ReceivingHELO string
	Sessions      int64
	ReasonCode    string
	// AdditionalInfo is "additional-information", or its prose alias
	// "additional-info-uri" (RFC 8460 §4.4 uses both names).
	AdditionalInfo string
}
