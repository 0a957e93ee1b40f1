package smtpprobe_test

import (
	"crypto/tls"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// TestProbeCertificates: the certificate matrix against an in-process
// SMTP server, each case judged as an MTA-STS sender would (RFC 8461
// §4.2) and named with the TLS-RPT result type it would report.
func TestProbeCertificates(t *testing.T) {
	t.Parallel()
	ca := fetchtest.Must(fetchtest.NewCA())
	other := fetchtest.Must(fetchtest.NewCA())
	now := time.Now()
	done := func(types ...smtpprobe.ResultType) outcome {
		return outcome{Stage: smtpprobe.StageDone, STARTTLS: true, Types: types}
	}
	tests := []struct {
		name   string
		host   string
		cert   tls.Certificate
		adjust func(*tls.Config)
		want   outcome
	}{
		{"good", mxHost, fetchtest.Must(ca.Leaf(mxHost)), nil, done()},
		{"name in any case, with the trailing dot", "MX.Example.COM.", fetchtest.Must(ca.Leaf(mxHost)), nil, done()},
		{"wildcard", mxHost, fetchtest.Must(ca.Leaf("*.example.com")), nil, done()},
		{"one of several names", mxHost, fetchtest.Must(ca.Leaf("mail.example.net", mxHost)), nil, done()},
		{"wrong name", mxHost, fetchtest.Must(ca.Leaf("mail.other.example")), nil,
			done(smtpprobe.CertificateHostMismatch)},
		{"wildcard covers one label only", "a.mx.example.com", fetchtest.Must(ca.Leaf("*.example.com")), nil,
			done(smtpprobe.CertificateHostMismatch)},
		{"wildcard does not cover the parent", "example.com", fetchtest.Must(ca.Leaf("*.example.com")), nil,
			done(smtpprobe.CertificateHostMismatch)},
		{"partial wildcard", "mx1.example.com", fetchtest.Must(ca.Leaf("mx*.example.com")), nil,
			done(smtpprobe.CertificateHostMismatch)},
		{"expired", mxHost, fetchtest.Must(ca.Issue(now.AddDate(0, 0, -90), now.AddDate(0, 0, -1), mxHost)), nil,
			done(smtpprobe.CertificateExpired)},
		{"not yet valid", mxHost, fetchtest.Must(ca.Issue(now.AddDate(0, 0, 1), now.AddDate(0, 0, 90), mxHost)), nil,
			done(smtpprobe.CertificateExpired)},
		{"unknown CA", mxHost, fetchtest.Must(other.Leaf(mxHost)), nil, done(smtpprobe.CertificateNotTrusted)},
		{"self-signed", mxHost, fetchtest.Must(fetchtest.SelfSigned(mxHost)), nil, done(smtpprobe.CertificateNotTrusted)},
		{"everything wrong, in a sender's order", mxHost,
			fetchtest.Must(other.Issue(now.AddDate(0, 0, -90), now.AddDate(0, 0, -1), "mail.other.example")), nil,
			done(smtpprobe.CertificateNotTrusted, smtpprobe.CertificateHostMismatch, smtpprobe.CertificateExpired)},
		{"TLS 1.1", mxHost, fetchtest.Must(ca.Leaf(mxHost)),
			func(c *tls.Config) { c.MinVersion, c.MaxVersion = tls.VersionTLS10, tls.VersionTLS11 },
			done(smtpprobe.ValidationFailure)},
		{"TLS 1.2", mxHost, fetchtest.Must(ca.Leaf(mxHost)),
			func(c *tls.Config) { c.MaxVersion = tls.VersionTLS12 }, done()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startSMTP(t, &tc.cert, tc.adjust)
			p := newProber(t, srv.addr.Port(), ca.Pool, nil)
			res := probeOne(t, p, tc.host, srv.addr.Addr())
			if diff := cmp.Diff(tc.want, outcomeOf(res)); diff != "" {
				t.Errorf("probe of %s mismatch (-want +got):\n%s\nresult: %+v", tc.host, diff, res)
			}
			if _, sni := srv.seen(); !cmp.Equal(sni, []string{strings.ToLower(strings.TrimSuffix(tc.host, "."))}) {
				t.Errorf("server saw SNI %q, want the MX host name %q once", sni, tc.host)
			}
		})
	}
}

// TestProbeRecordsSession: what the report needs of a good session.
func TestProbeRecordsSession(t *testing.T) {
	t.Parallel()
	ca := fetchtest.Must(fetchtest.NewCA())
	cert := fetchtest.Must(ca.Leaf(mxHost, "mail.example.com"))
	srv := startSMTP(t, &cert, nil)
	res := probeOne(t, newProber(t, srv.addr.Port(), ca.Pool, nil), mxHost, srv.addr.Addr())
	want := &smtpprobe.TLSInfo{
		Version:     tls.VersionTLS13,
		CipherSuite: res.TLS.CipherSuite, // whichever the stacks agree on
		Leaf: smtpprobe.Certificate{
			CommonName: mxHost,
			DNSNames:   []string{mxHost, "mail.example.com"},
			Issuer:     "CN=stsgate test CA",
			NotBefore:  cert.Leaf.NotBefore,
			NotAfter:   cert.Leaf.NotAfter,
		},
		Sent: []*x509.Certificate{cert.Leaf},
	}
	if diff := cmp.Diff(want, res.TLS); diff != "" {
		t.Errorf("TLS mismatch (-want +got):\n%s", diff)
	}
	if res.TLS.VersionName() != "TLS 1.3" || tls.CipherSuiteName(res.TLS.CipherSuite) != res.TLS.CipherSuiteName() {
		t.Errorf("TLS names: %q, %q", res.TLS.VersionName(), res.TLS.CipherSuiteName())
	}
	if res.Greeting == "" || !strings.Contains(res.Greeting, mxHost) {
		t.Errorf("Greeting = %q, want go-smtp's greeting naming %s", res.Greeting, mxHost)
	}
	if res.Err != nil || res.ResultType() != "" {
		t.Errorf("Err = %v, ResultType = %q, want neither", res.Err, res.ResultType())
	}
}

// TestProbeNoSTARTTLS: a server that does not offer STARTTLS is what a
// sender reports as starttls-not-supported; the probe still says QUIT.
func TestProbeNoSTARTTLS(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, nil, nil)
	res := probeOne(t, newProber(t, srv.addr.Port(), x509.NewCertPool(), nil), mxHost, srv.addr.Addr())
	want := outcome{Stage: smtpprobe.StageDone, Types: []smtpprobe.ResultType{smtpprobe.StartTLSNotSupported}}
	if diff := cmp.Diff(want, outcomeOf(res)); diff != "" {
		t.Errorf("probe mismatch (-want +got):\n%s\nresult: %+v", diff, res)
	}
	if res.TLS != nil || res.ResultType() != smtpprobe.StartTLSNotSupported {
		t.Errorf("TLS = %+v, ResultType = %q", res.TLS, res.ResultType())
	}
}

// TestProbeEHLOName: the EHLO name is the configured one, or the address
// literal of the local address (RFC 5321 §4.1.3).
func TestProbeEHLOName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, want string }{{"", "[127.0.0.1]"}, {"probe.example.net", "probe.example.net"}} {
		srv := startSMTP(t, nil, nil)
		p := newProber(t, srv.addr.Port(), x509.NewCertPool(), func(o *smtpprobe.Options) { o.EHLOName = tc.name })
		probeOne(t, p, mxHost, srv.addr.Addr())
		if ehlo, _ := srv.seen(); !cmp.Equal(ehlo, []string{tc.want}) {
			t.Errorf("EHLOName %q: server saw EHLO %q, want %q", tc.name, ehlo, tc.want)
		}
	}
}

func TestNewRejectsEHLOName(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"probe.example.net\r\nRSET", "two words", "-bad.example", "a..b", "[not an address]", "[IPv6:192.0.2.1]", "[2001:db8::1]", "[IPv6:fe80::1%eth0]", "é.example", "[192.0.2.1"} {
		if _, err := smtpprobe.New(smtpprobe.Options{EHLOName: name, Roots: x509.NewCertPool()}); err == nil {
			t.Errorf("New(EHLOName: %q) accepted it", name)
		}
	}
	for _, name := range []string{"probe.example.net", "localhost", "[192.0.2.1]", "[IPv6:2001:db8::1]"} {
		if _, err := smtpprobe.New(smtpprobe.Options{EHLOName: name, Roots: x509.NewCertPool()}); err != nil {
			t.Errorf("New(EHLOName: %q): %v", name, err)
		}
	}
}
