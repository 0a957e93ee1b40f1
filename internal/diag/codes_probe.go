package diag

// MX probe codes: what an SMTP STARTTLS probe of the MX hosts predicts
// about senders that apply the policy in enforce mode (RFC 8461 §4.2,
// §5.1; DESIGN §1.12). The result types named in the messages are those of
// RFC 8460 §4.3.
const (
	ProbeMXWouldFail    Code = "probe-mx-would-fail"
	ProbeMXCertExpiring Code = "probe-mx-cert-expiring"
	ProbeMXUnprobed     Code = "probe-mx-unprobed"
	ProbePort25Blocked  Code = "probe-port25-blocked"
	ProbeMXDANEMatch    Code = "probe-mx-dane-match"
	ProbeMXDANEMismatch Code = "probe-mx-dane-mismatch"
	ProbeMXDANEUnusable Code = "probe-mx-dane-unusable"
	ProbeMXDANEUnknown  Code = "probe-mx-dane-unknown"
)

var probeCodes = []Info{
	{ProbeMXWouldFail, Error, "An MX host fails the checks of an MTA-STS sender: under enforce, mail to it is deferred (a warning in testing mode)", "RFC 8461 §4.2, §5.1"},
	{ProbeMXCertExpiring, Warning, "An MX host's certificate expires within 14 days", "RFC 8461 §4.2"},
	{ProbeMXUnprobed, Notice, "An MX host could not be probed: no address, no connection or no answer", "RFC 8460 §4.3.4"},
	{ProbePort25Blocked, Notice, "No MX host answered on port 25: this machine cannot reach port 25, so the probe says nothing", ""},
	{ProbeMXDANEMatch, Notice, "An MX host has TLSA records and its certificate matches them: senders that do DANE authenticate it that way", "RFC 7672 §3.1, RFC 8461 §2"},
	{ProbeMXDANEMismatch, Warning, "An MX host has TLSA records that its certificate does not match: senders that do DANE defer mail to it, whatever the MTA-STS mode", "RFC 7672 §2.2, §3.1"},
	{ProbeMXDANEUnusable, Notice, "An MX host's TLSA records are all unusable for SMTP: senders that do DANE treat it as if it had none", "RFC 7672 §3.1.3"},
	{ProbeMXDANEUnknown, Notice, "An MX host's TLSA records could not be looked up: senders that do DANE defer mail to it while the lookup fails", "RFC 7672 §2.2"},
}
