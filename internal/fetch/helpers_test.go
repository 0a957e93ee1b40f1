package fetch_test

import (
	"context"
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/fetch"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

const (
	domain     = "example.com"
	policyHost = "mta-sts.example.com"
	policyURL  = "https://mta-sts.example.com/.well-known/mta-sts.txt"
	reportHost = "reports.example.net"
	goodPolicy = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n"
)

// pki is the throwaway PKI of one test: a CA and the leaves of the
// certificate matrix (reference §6.4 H9, H10).
type pki struct {
	ca                                         *fetchtest.CA
	good, expired, wrongName, wildcard, selfie tls.Certificate
}

func newPKI(t *testing.T) pki {
	t.Helper()
	ca, err := fetchtest.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	must := func(c tls.Certificate, err error) tls.Certificate {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return pki{
		ca:        ca,
		good:      must(ca.Leaf(policyHost, reportHost)),
		expired:   must(ca.Issue(now.AddDate(0, 0, -90), now.AddDate(0, 0, -1), policyHost)),
		wrongName: must(ca.Leaf("*.github.io")),
		wildcard:  must(ca.Leaf("*.example.com")),
		selfie:    must(fetchtest.SelfSigned(policyHost)),
	}
}

// server is an HTTPS test server that records the SNI names it was sent.
type server struct {
	*httptest.Server
	mu  sync.Mutex
	sni []string
}

// handlerFunc builds a handler; release is closed when the test ends,
// before the server is closed, so that blocking handlers can return.
type handlerFunc func(release <-chan struct{}) http.Handler

func startServer(t *testing.T, cert tls.Certificate, h handlerFunc) *server {
	t.Helper()
	release := make(chan struct{})
	s := &server{Server: httptest.NewUnstartedServer(h(release))}
	s.TLS = &tls.Config{GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		s.mu.Lock()
		s.sni = append(s.sni, hello.ServerName)
		s.mu.Unlock()
		return &cert, nil
	}}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // handshakes the client aborts on purpose
	s.StartTLS()
	t.Cleanup(s.Close)
	t.Cleanup(func() { close(release) })
	return s
}

func (s *server) names() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.sni...)
}

// client returns a client that trusts p's CA, resolves the test names to
// loopback and dials the server's port.
func (p pki) client(s *server, mod func(*fetch.Options)) *fetch.Client {
	opts := fetch.Options{
		Resolver: fetchtest.Loopback(policyHost, reportHost),
		Roots:    p.ca.Pool,
		Port:     fetchtest.Port(s.Server),
	}
	if mod != nil {
		mod(&opts)
	}
	return fetch.New(opts)
}

// counter counts the requests to a handler.
type counter struct{ n atomic.Int64 }

func (c *counter) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c.n.Add(1)
		h(w, r)
	}
}

// block waits for the end of the test or of the request.
func block(release <-chan struct{}, r *http.Request) {
	select {
	case <-release:
	case <-r.Context().Done():
	}
}

// countingResolver counts lookups, to show that nothing was looked up.
type countingResolver struct {
	fetch.Resolver
	n atomic.Int64
}

func (c *countingResolver) LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	c.n.Add(1)
	return c.Resolver.LookupHost(ctx, host)
}

// silentListener accepts TCP connections on loopback and never answers.
func silentListener(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}
