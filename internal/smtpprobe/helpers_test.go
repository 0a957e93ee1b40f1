package smtpprobe_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/stsgate/stsgate/internal/smtpprobe"
)

const mxHost = "mx.example.com"

// smtpServer is an in-process SMTP server (go-smtp) on a loopback port
// that records the EHLO names and TLS server names it was sent.
type smtpServer struct {
	addr netip.AddrPort
	mu   sync.Mutex
	ehlo []string
	sni  []string
}

// startSMTP starts a server on 127.0.0.1 that offers STARTTLS with cert,
// or no STARTTLS when cert is nil; adjust, when not nil, changes its TLS
// configuration.
func startSMTP(t *testing.T, cert *tls.Certificate, adjust func(*tls.Config)) *smtpServer {
	t.Helper()
	s := &smtpServer{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		s.mu.Lock()
		s.ehlo = append(s.ehlo, c.Hostname())
		s.mu.Unlock()
		return session{}, nil
	}))
	srv.Domain = mxHost
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLSConfig = &tls.Config{GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			s.mu.Lock()
			s.sni = append(s.sni, hello.ServerName)
			s.mu.Unlock()
			return cert, nil
		}}
		if adjust != nil {
			adjust(srv.TLSConfig)
		}
	}
	l := listen(t, "127.0.0.1:0")
	s.addr = netip.MustParseAddrPort(l.Addr().String())
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpServer) seen() (ehlo, sni []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ehlo...), append([]string(nil), s.sni...)
}

// session is a go-smtp session that never gets as far as a message.
type session struct{}

func (session) Reset()                               {}
func (session) Logout() error                        { return nil }
func (session) Mail(string, *smtp.MailOptions) error { return errors.New("not here") }
func (session) Rcpt(string, *smtp.RcptOptions) error { return errors.New("not here") }
func (session) Data(io.Reader) error                 { return errors.New("not here") }
func listen(t testing.TB, addr string) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// newProber returns a prober for servers on port, trusting roots, with
// short timeouts (they bound the tests that never get an answer; nothing
// is asserted about time).
func newProber(t testing.TB, port uint16, roots *x509.CertPool, adjust func(*smtpprobe.Options)) *smtpprobe.Prober {
	t.Helper()
	opts := smtpprobe.Options{
		Roots:          roots,
		Port:           int(port),
		ConnectTimeout: 5 * time.Second,
		StepTimeout:    5 * time.Second,
		HostTimeout:    20 * time.Second,
	}
	if adjust != nil {
		adjust(&opts)
	}
	p, err := smtpprobe.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// probeOne probes host at addr and returns the one result.
func probeOne(t *testing.T, p *smtpprobe.Prober, host string, addr netip.Addr) smtpprobe.Result {
	t.Helper()
	hr := p.ProbeHost(context.Background(), smtpprobe.Host{Name: host, Addrs: []netip.Addr{addr}})
	if hr.Err != nil || len(hr.Results) != 1 {
		t.Fatalf("ProbeHost(%s) = %+v, want one result", host, hr)
	}
	return hr.Results[0]
}

// outcome is what most tests compare of a Result.
type outcome struct {
	Stage    smtpprobe.Stage
	Connect  smtpprobe.ConnectFailure
	STARTTLS bool
	Types    []smtpprobe.ResultType
	Failed   bool // Err != nil
	TimedOut bool
}

func outcomeOf(r smtpprobe.Result) outcome {
	o := outcome{Stage: r.Stage, Connect: r.Connect, STARTTLS: r.STARTTLS, Failed: r.Err != nil, TimedOut: r.TimedOut()}
	for _, p := range r.Problems {
		o.Types = append(o.Types, p.Type)
	}
	return o
}
