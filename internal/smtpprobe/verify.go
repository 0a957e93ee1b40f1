package smtpprobe

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// judge returns what an MTA-STS sender would fail on in a TLS session with
// host, the problem it would report first at the front.
//
// The handshake itself verifies nothing (so that the certificate of a
// failing server can still be described); the checks are made here, each
// on its own, so that a certificate that is both expired and for another
// name shows both.
//
// Spec note: RFC 8460 does not say which type to report when several
// apply. The order follows OpenSSL's X509_verify_cert, used by most MTAs:
// the chain, then the name, then the validity period. A TLS version below
// 1.2 comes first, as senders that require 1.2 fail before any certificate.
func judge(host string, state tls.ConnectionState, roots *x509.CertPool, now time.Time) []Problem {
	var problems []Problem
	// RFC 8461 §7.2: SMTP servers SHOULD use TLS 1.2 or newer, and
	// failing to MAY cause delivery failures.
	if state.Version < tls.VersionTLS12 {
		problems = append(problems, Problem{ValidationFailure,
			fmt.Sprintf("the server negotiated %s; MTA-STS senders may require TLS 1.2 or newer", tls.VersionName(state.Version))})
	}
	if len(state.PeerCertificates) == 0 {
		return append(problems, Problem{ValidationFailure, "the server sent no certificate"})
	}
	leaf := state.PeerCertificates[0]
	// RFC 8461 §4.2: the certificate MUST chain to a root CA the sender trusts.
	if err := verifyChain(state.PeerCertificates, roots, now); err != nil {
		problems = append(problems, chainProblem(err, state.PeerCertificates))
	}
	// RFC 8461 §4.2: a subject alternative name of type dNSName MUST match
	// the MX host name as RFC 6125 says, a wildcard only as the whole
	// leftmost label. VerifyHostname matches exactly so: DNS SANs only,
	// never the common name, "*" only as the whole leftmost label.
	if err := leaf.VerifyHostname(host); err != nil {
		problems = append(problems, Problem{CertificateHostMismatch, err.Error()})
	}
	// RFC 8461 §4.2: the certificate MUST NOT be expired.
	if p, bad := validity(leaf, now); bad {
		problems = append(problems, p)
	}
	return problems
}

// verifyChain verifies the server's chain to roots for server
// authentication. The time is now, or the nearest moment of the leaf's
// validity when the leaf is not valid now (validity reports that), so that
// an expired leaf does not hide an untrusted one.
func verifyChain(certs []*x509.Certificate, roots *x509.CertPool, now time.Time) error {
	leaf := certs[0]
	at := now
	if at.Before(leaf.NotBefore) {
		at = leaf.NotBefore
	}
	if at.After(leaf.NotAfter) {
		at = leaf.NotAfter
	}
	intermediates := x509.NewCertPool()
	for _, c := range certs[1:] {
		intermediates.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}

// chainProblem maps a chain verification error to its result type (RFC
// 8460 §4.3.1): no path to a trusted root is certificate-not-trusted, an
// expired intermediate certificate-expired, anything else (a CA not
// allowed to sign, a wrong key usage, a name constraint) validation-failure.
func chainProblem(err error, certs []*x509.Certificate) Problem {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		reason := err.Error()
		if leaf := certs[0]; len(certs) == 1 && !bytes.Equal(leaf.RawIssuer, leaf.RawSubject) {
			reason += " (the server sent only its own certificate: is the intermediate missing?)"
		}
		return Problem{CertificateNotTrusted, reason}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return Problem{CertificateExpired, err.Error()}
	}
	return Problem{ValidationFailure, err.Error()}
}

// validity returns a certificate-expired problem when now is outside the
// leaf's validity period. RFC 8460 has no type for a certificate that is
// not yet valid; it gets certificate-expired, the type for a validity
// period that does not hold now (Go's x509 names both "expired or is not
// yet valid").
func validity(leaf *x509.Certificate, now time.Time) (Problem, bool) {
	const layout = "2006-01-02 15:04:05 MST"
	switch {
	case now.After(leaf.NotAfter):
		return Problem{CertificateExpired, "the certificate expired on " + leaf.NotAfter.UTC().Format(layout)}, true
	case now.Before(leaf.NotBefore):
		return Problem{CertificateExpired, "the certificate is not valid before " + leaf.NotBefore.UTC().Format(layout)}, true
	}
	return Problem{}, false
}

// describe returns what a report needs of the negotiated session.
func describe(state tls.ConnectionState) *TLSInfo {
	info := &TLSInfo{Version: state.Version, CipherSuite: state.CipherSuite, Sent: state.PeerCertificates}
	if len(state.PeerCertificates) > 0 {
		leaf := state.PeerCertificates[0]
		info.Leaf = Certificate{
			CommonName: leaf.Subject.CommonName,
			DNSNames:   leaf.DNSNames,
			Issuer:     leaf.Issuer.String(),
			NotBefore:  leaf.NotBefore,
			NotAfter:   leaf.NotAfter,
		}
	}
	return info
}
