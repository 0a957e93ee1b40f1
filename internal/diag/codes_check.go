package diag

// Consistency codes: the policy against the DNS declaration.
const (
	DNSUndeclared       Code = "dns-undeclared"
	MXNotCovered        Code = "mx-not-covered"
	MXPatternStale      Code = "mx-pattern-stale"
	MXNull              Code = "mx-null"
	TLSRPTRUASameDomain Code = "tlsrpt-rua-same-domain"
	PolicyModeTesting   Code = "policy-mode-testing"
	MXDeclaredNone      Code = "mx-undeclared"
	STSRecordDelegated  Code = "sts-record-delegated"
)

var consistencyCodes = []Info{
	{DNSUndeclared, Notice, "No DNS declaration: the id and MX hosts cannot be checked", ""},
	{MXNotCovered, Error, "An MX host matches no policy mx pattern (error in enforce, warning in testing)", "RFC 8461 §4.1"},
	{MXPatternStale, Warning, "A policy mx pattern matches no MX host", "RFC 8461 §4.1"},
	{MXNull, Error, "Null MX together with an MTA-STS policy", "RFC 7505 §3"},
	{TLSRPTRUASameDomain, Warning, "TLS-RPT reports go to the same domain in enforce mode", "RFC 8460 §3"},
	{PolicyModeTesting, Notice, "Policy is in testing mode: failures are only reported", "RFC 8461 §5"},
	{MXDeclaredNone, Warning, "DNS declaration has no MX records", "RFC 8461 §4.1"},
	{STSRecordDelegated, Notice, "_mta-sts is a CNAME to a provider's record", "RFC 8461 §8.2"},
}
