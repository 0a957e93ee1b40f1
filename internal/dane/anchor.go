package dane

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// anchorProblems returns why chain fails for host at now with anchor, a
// certificate of chain that a DANE-TA record matched, and whether the
// chain verified to anchor. The order is that of OpenSSL's
// X509_verify_cert, used by most MTAs: the chain, the name, the validity
// period.
func anchorProblems(chain []*x509.Certificate, anchor *x509.Certificate, host string, now time.Time) (problems []string, chained bool) {
	leaf := chain[0]
	err := verifyToAnchor(chain, anchor, now)
	if err != nil {
		problems = append(problems, chainProblem(err))
	}
	// RFC 7672 §3.2.2: with DANE-TA the server's certificate must name a
	// reference identifier, the MX host; §3.2.3: a wildcard matches only
	// as the whole leftmost label. VerifyHostname matches exactly so: DNS
	// names of the subject alternative name, "*" only as the whole
	// leftmost label.
	if leaf.VerifyHostname(host) != nil {
		problems = append(problems, nameProblem(leaf, host))
	}
	// RFC 7672 §3.1.2: unlike DANE-EE, a DANE-TA chain is checked as in
	// PKIX, the server certificate's validity period included.
	if p := validityProblem(leaf, now); p != "" {
		problems = append(problems, p)
	}
	return problems, err == nil
}

// verifyToAnchor verifies chain from the server's certificate to anchor,
// with the other certificates the server sent as intermediates.
//
// The key usage is server authentication: OpenSSL, under most DANE MTAs,
// verifies a server's chain for the TLS server purpose (extended key
// usage serverAuth, or none, in the server's certificate and in any CA
// that restricts it), as crypto/x509 does with ExtKeyUsageServerAuth.
// The time is now, or the nearest moment of the leaf's validity when the
// leaf is not valid now: validityProblem reports that on its own.
func verifyToAnchor(chain []*x509.Certificate, anchor *x509.Certificate, now time.Time) error {
	leaf := chain[0]
	roots := x509.NewCertPool()
	roots.AddCert(anchor)
	intermediates := x509.NewCertPool()
	for _, c := range chain[1:] {
		intermediates.AddCert(c)
	}
	at := now
	if at.Before(leaf.NotBefore) {
		at = leaf.NotBefore
	} else if at.After(leaf.NotAfter) {
		at = leaf.NotAfter
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}

// chainProblem says why the chain did not verify to the anchor.
func chainProblem(err error) string {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknown):
		return "the server's certificate does not chain to it through the certificates the server sent"
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "a certificate in the chain is outside its validity period"
	case errors.As(err, &invalid) && invalid.Reason == x509.IncompatibleUsage:
		return "the chain is not for TLS servers (extended key usage)"
	}
	return "the chain does not verify (" + quote(err.Error()) + ")"
}

// nameProblem says that the server's certificate does not name host.
func nameProblem(leaf *x509.Certificate, host string) string {
	names := leaf.DNSNames
	if len(names) == 0 {
		return "the certificate has no DNS name, so it is not for " + quote(host)
	}
	const most = 3
	quoted := make([]string, 0, most+1)
	for _, n := range names[:min(len(names), most)] {
		quoted = append(quoted, quote(n))
	}
	if len(names) > most {
		quoted = append(quoted, fmt.Sprintf("%d more names", len(names)-most))
	}
	return "the certificate is for " + strings.Join(quoted, " or ") + ", not " + quote(host)
}

// validityProblem says how now lies outside the validity period of the
// server's certificate, or returns "" when it lies within.
func validityProblem(leaf *x509.Certificate, now time.Time) string {
	const layout = "2006-01-02"
	switch {
	case now.After(leaf.NotAfter):
		return "the certificate expired on " + leaf.NotAfter.UTC().Format(layout)
	case now.Before(leaf.NotBefore):
		return "the certificate is not valid before " + leaf.NotBefore.UTC().Format(layout)
	}
	return ""
}

// quote returns s as it is when it is printable ASCII, and quoted with Go
// escapes otherwise: names come from the certificate and must not carry
// control characters into a message.
func quote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r > '~' }) {
		return s
	}
	return strconv.QuoteToASCII(s)
}
