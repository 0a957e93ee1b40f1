package diag

// Live-state codes: what DNS and the policy host serve, compared with the
// repository (RFC 8461 §3.3, §4; DESIGN §1.3).
const (
	LiveUnverified          Code = "live-unverified"
	LiveSTSRecordMissing    Code = "live-sts-record-missing"
	LiveTLSRPTRecordMissing Code = "live-tlsrpt-record-missing"
	LiveIDDrift             Code = "live-id-drift"
	LiveIDBeforePolicy      Code = "live-id-before-policy"
	LiveMXMissing           Code = "live-mx-missing"
	LiveMXTargetAlias       Code = "live-mx-target-alias"
	LivePolicyHostMissing   Code = "live-policy-host-missing"
	LivePolicyFetchFailed   Code = "live-policy-fetch-failed"
	LivePolicyWebPKI        Code = "live-policy-webpki-invalid"
	LivePolicyRedirect      Code = "live-policy-redirect"
	LivePolicyStatus        Code = "live-policy-status"
	LivePolicyContentType   Code = "live-policy-content-type"
	LivePolicyCharset       Code = "live-policy-charset"
	LivePolicyTooLarge      Code = "live-policy-too-large"
	LivePolicyDrift         Code = "live-policy-drift"
	LivePolicyBytesDrift    Code = "live-policy-bytes-drift"
	LivePolicyCertExpiring  Code = "live-policy-cert-expiring"
)

const rfc8461p33 = "RFC 8461 §3.3"

var liveCodes = []Info{
	{LiveUnverified, Warning, "A lookup or fetch failed temporarily: the state could not be checked", ""},
	{LiveSTSRecordMissing, Error, "No _mta-sts TXT record is published", "RFC 8461 §3.1"},
	{LiveTLSRPTRecordMissing, Error, "No _smtp._tls TXT record is published", "RFC 8460 §3"},
	{LiveIDDrift, Warning, "The published id differs from the declared id", "RFC 8461 §3.1"},
	{LiveIDBeforePolicy, Error, "The new id is published while the policy host still serves the old policy", "RFC 8461 §8.1"},
	{LiveMXMissing, Warning, "The domain publishes no MX records", "RFC 5321 §5.1"},
	{LiveMXTargetAlias, Warning, "An MX target is a CNAME or an IP address", "RFC 5321 §5.1"},
	{LivePolicyHostMissing, Error, "mta-sts.<domain> does not resolve", rfc8461p33},
	{LivePolicyFetchFailed, Error, "The policy could not be fetched", rfc8461p33},
	{LivePolicyWebPKI, Error, "The policy host's certificate is not valid for mta-sts.<domain>", rfc8461p33},
	{LivePolicyRedirect, Error, "The policy host answers with a redirect, which senders do not follow", rfc8461p33},
	{LivePolicyStatus, Error, "The policy host answers with a status other than 200", rfc8461p33},
	{LivePolicyContentType, Error, "The policy is not served as text/plain", rfc8461p33},
	{LivePolicyCharset, Warning, "The policy's charset is neither utf-8 nor us-ascii", rfc8461p33},
	{LivePolicyTooLarge, Error, "The served policy is larger than 64 KiB", rfc8461p33},
	{LivePolicyDrift, Error, "The served policy differs from the repository's", "RFC 8461 §8.1"},
	{LivePolicyBytesDrift, Warning, "The served policy means the same but is not the repository's text", "RFC 8461 §8.1"},
	{LivePolicyCertExpiring, Warning, "The policy host's certificate expires within 14 days", rfc8461p33},
}
