package fetch

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"mime"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

// The MTA-STS result types of RFC 8460 §4.3.2.2.
const (
	ResultFetchError    = "sts-policy-fetch-error"
	ResultWebPKIInvalid = "sts-webpki-invalid"
	ResultPolicyInvalid = "sts-policy-invalid"
)

// ResultType returns the TLS-RPT result type (RFC 8460 §4.3) that a
// sender would report for the outcome of a policy fetch, err and f as
// Policy returned them, or "" when a sender would use the policy.
//
// Our reading of the RFC's three types:
//   - sts-webpki-invalid: the certificate did not verify (untrusted,
//     expired, wrong name: "could not be authenticated using PKIX").
//   - sts-policy-fetch-error: no policy was retrieved: DNS, connect, TLS
//     failures other than verification, timeouts, any status but 200
//     (redirects and 404 included; mox does the same), and a body over
//     64 KiB, which senders stop reading.
//   - sts-policy-invalid: a policy was retrieved but a sender rejects it:
//     a media type other than text/plain (RFC 8461 §3.2 says senders
//     SHOULD check it; Postfix's resolvers do, mox does not), or a body
//     that does not parse (see rejects).
func ResultType(err error, f policy.Fetched) string {
	switch {
	case err != nil && isCertificateError(err):
		return ResultWebPKIInvalid
	case err != nil, f.Status != 200, f.Truncated:
		return ResultFetchError
	case !isTextPlain(f.ContentType), rejects(f.Body):
		return ResultPolicyInvalid
	}
	return ""
}

// isCertificateError reports a failed certificate verification.
func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var host x509.HostnameError
	var authority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &host) || errors.As(err, &authority) || errors.As(err, &invalid)
}

// isTextPlain reports whether a Content-Type names text/plain, in any case
// and with any parameters (RFC 8461 §3.2: parameters other than charset
// are ignored; the charset itself is judged by the rules, not here).
func isTextPlain(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	return mt == "text/plain"
}

// advisory reports the error codes of policy.Parse that an RFC 8461
// sender still accepts: a duplicate field after the first is ignored
// (§3.2), and a short max_age is stsgate's advice (§10.2), not grammar.
func advisory(c diag.Code) bool {
	switch c {
	case diag.PolicyVersionDuplicate, diag.PolicyModeDuplicate, diag.PolicyMaxAgeDuplicate, diag.PolicyMaxAgeUnderDay:
		return true
	}
	return false
}

// rejects reports whether a sender would reject the body: policy.Parse
// finds an error other than an advisory one.
func rejects(body []byte) bool {
	_, diags := policy.Parse(body)
	for _, d := range diags {
		if d.Severity == diag.Error && !advisory(d.Code) {
			return true
		}
	}
	return false
}
