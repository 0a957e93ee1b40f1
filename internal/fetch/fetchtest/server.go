package fetchtest

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
)

// NewServer starts an HTTPS test server on 127.0.0.1 that presents, for
// each client hello, the first of certs valid for the SNI name sent (the
// first of certs when none is). The caller closes it.
func NewServer(h http.Handler, certs ...tls.Certificate) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: certs}
	srv.StartTLS()
	return srv
}

// Port returns the TCP port srv listens on.
func Port(srv *httptest.Server) int {
	return srv.Listener.Addr().(*net.TCPAddr).Port
}

// Resolver is a fake resolver: it maps host names (any case, with or
// without the final dot) to addresses. A name it does not hold is NXDOMAIN,
// a *net.DNSError with IsNotFound set, as the real resolver reports it.
type Resolver map[string][]netip.Addr

// Loopback returns a Resolver that maps every name to 127.0.0.1.
func Loopback(names ...string) Resolver {
	r := Resolver{}
	for _, n := range names {
		r[n] = []netip.Addr{netip.AddrFrom4([4]byte{127, 0, 0, 1})}
	}
	return r
}

// LookupHost returns the addresses of host.
func (r Resolver) LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	want := strings.ToLower(strings.TrimSuffix(host, "."))
	for name, addrs := range r {
		if strings.ToLower(strings.TrimSuffix(name, ".")) == want {
			return addrs, nil
		}
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}
