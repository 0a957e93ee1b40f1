package fetchtest_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

// TestCA checks each certificate against the CA's pool the way a TLS
// client does.
func TestCA(t *testing.T) {
	t.Parallel()
	ca := fetchtest.Must(fetchtest.NewCA())
	now := time.Now()
	tests := []struct {
		name string
		cert func() (*x509.Certificate, error)
		host string
		ok   bool
	}{
		{"leaf", leaf(ca.Leaf("mta-sts.example.com")), "mta-sts.example.com", true},
		{"wildcard", leaf(ca.Leaf("*.example.com")), "mta-sts.example.com", true},
		{"IP address", leaf(ca.Leaf("127.0.0.1")), "127.0.0.1", true},
		{"wrong name", leaf(ca.Leaf("*.github.io")), "mta-sts.example.com", false},
		{"expired", leaf(ca.Issue(now.AddDate(0, -1, 0), now.Add(-time.Hour), "mta-sts.example.com")), "mta-sts.example.com", false},
		{"self-signed", leaf(fetchtest.SelfSigned("mta-sts.example.com")), "mta-sts.example.com", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cert, err := tc.cert()
			if err != nil {
				t.Fatal(err)
			}
			_, err = cert.Verify(x509.VerifyOptions{DNSName: tc.host, Roots: ca.Pool})
			if (err == nil) != tc.ok {
				t.Errorf("Verify = %v, want ok %v", err, tc.ok)
			}
		})
	}
	block, _ := pem.Decode(ca.PEM())
	if block == nil || !ca.Cert.Equal(fetchtest.Must(x509.ParseCertificate(block.Bytes))) {
		t.Error("PEM does not hold the CA certificate")
	}
}

func leaf(c tls.Certificate, err error) func() (*x509.Certificate, error) {
	return func() (*x509.Certificate, error) { return c.Leaf, err }
}

// TestResolver: names in any case and with the final dot; others NXDOMAIN.
func TestResolver(t *testing.T) {
	t.Parallel()
	r := fetchtest.Loopback("MTA-STS.example.com.")
	got, err := r.LookupHost(t.Context(), "mta-sts.EXAMPLE.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]netip.Addr{netip.MustParseAddr("127.0.0.1")}, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("LookupHost mismatch (-want +got):\n%s", diff)
	}
	var dnsErr *net.DNSError
	if _, err := r.LookupHost(t.Context(), "other.example"); !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Errorf("LookupHost(other.example) error = %v, want NXDOMAIN", err)
	}
}

// TestNewServer: the server presents the certificate for the SNI name.
func TestNewServer(t *testing.T) {
	t.Parallel()
	ca := fetchtest.Must(fetchtest.NewCA())
	a := fetchtest.Must(ca.Leaf("mta-sts.a.example"))
	b := fetchtest.Must(ca.Leaf("mta-sts.b.example"))
	srv := fetchtest.NewServer(http.NotFoundHandler(), a, b)
	t.Cleanup(srv.Close)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(fetchtest.Port(srv)))
	for _, name := range []string{"mta-sts.a.example", "mta-sts.b.example"} {
		conn, err := tls.Dial("tcp", addr, &tls.Config{ServerName: name, RootCAs: ca.Pool})
		if err != nil {
			t.Fatalf("handshake for %s: %v", name, err)
		}
		if got := conn.ConnectionState().PeerCertificates[0].DNSNames; !cmp.Equal(got, []string{name}) {
			t.Errorf("certificate for %s names %v", name, got)
		}
		conn.Close()
	}
}
