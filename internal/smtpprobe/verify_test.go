package smtpprobe

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

// TestChainProblem: chain errors the loopback servers do not produce
// (an expired intermediate, a CA not allowed to sign) and the hint for a
// server that sends its certificate without the intermediate.
func TestChainProblem(t *testing.T) {
	t.Parallel()
	ca := fetchtest.Must(fetchtest.NewCA())
	issued := fetchtest.Must(ca.Leaf("mx.example.com")).Leaf
	self := fetchtest.Must(fetchtest.SelfSigned("mx.example.com")).Leaf
	hint := "is the intermediate missing?"
	tests := []struct {
		name     string
		err      error
		certs    []*x509.Certificate
		want     ResultType
		wantHint bool
	}{
		{"no intermediate sent", x509.UnknownAuthorityError{Cert: issued}, []*x509.Certificate{issued}, CertificateNotTrusted, true},
		{"intermediate sent", x509.UnknownAuthorityError{Cert: issued}, []*x509.Certificate{issued, ca.Cert}, CertificateNotTrusted, false},
		{"self-signed", x509.UnknownAuthorityError{Cert: self}, []*x509.Certificate{self}, CertificateNotTrusted, false},
		{"expired intermediate", x509.CertificateInvalidError{Cert: ca.Cert, Reason: x509.Expired}, []*x509.Certificate{issued, ca.Cert}, CertificateExpired, false},
		{"CA not allowed to sign", x509.CertificateInvalidError{Cert: ca.Cert, Reason: x509.NotAuthorizedToSign}, []*x509.Certificate{issued, ca.Cert}, ValidationFailure, false},
		{"other", errors.New("x509: something else"), []*x509.Certificate{issued}, ValidationFailure, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := chainProblem(tc.err, tc.certs)
			if diff := cmp.Diff(tc.want, got.Type); diff != "" {
				t.Errorf("chainProblem(%v) type (-want +got):\n%s", tc.err, diff)
			}
			if strings.Contains(got.Reason, hint) != tc.wantHint {
				t.Errorf("chainProblem(%v) reason %q, want the hint %t", tc.err, got.Reason, tc.wantHint)
			}
		})
	}
}
