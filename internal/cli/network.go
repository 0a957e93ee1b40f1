package cli

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/fetch"
	"github.com/stsgate/stsgate/internal/source"
)

// Network is what the live checks and report URLs use: one resolver that
// decides every name, and the HTTPS client for policy hosts and report
// URLs, which resolves through it.
type Network struct {
	Resolver check.Resolver
	Fetcher  Fetcher
	// Roots are the roots certificates must chain to (nil = the
	// system's), and SMTPPort the port the MX probe dials (0 = 25): test
	// hooks, as in NetworkOptions.
	Roots    *x509.CertPool
	SMTPPort int
}

// Fetcher fetches policies and report URLs; fetch.Client is the real one.
type Fetcher interface {
	check.PolicyFetcher
	source.Fetcher
}

// NetworkOptions are the settings a Network is built from.
type NetworkOptions struct {
	Resolver     string // host:port; "" = /etc/resolv.conf
	DNSTimeout   time.Duration
	FetchTimeout time.Duration
	// Test hooks: the port policy hosts are dialled on (0 = 443) and the
	// roots their certificates chain to (nil = the system's, which honour
	// SSL_CERT_FILE).
	HTTPSPort int
	Roots     *x509.CertPool
	SMTPPort  int // the port MX hosts are probed on (0 = 25)
}

// NewNetwork builds the real network: dnsx for DNS, fetch for HTTPS.
func NewNetwork(o NetworkOptions) (*Network, error) {
	res, err := dnsx.New(dnsx.Options{Server: o.Resolver, Timeout: o.DNSTimeout})
	if err != nil {
		return nil, fmt.Errorf("dns resolver: %w", err)
	}
	f := fetch.New(fetch.Options{Resolver: res, Timeout: o.FetchTimeout, Port: o.HTTPSPort, Roots: o.Roots})
	return &Network{Resolver: res, Fetcher: f, Roots: o.Roots, SMTPPort: o.SMTPPort}, nil
}

// network builds the Network for a run: through Env.NewNetwork when a
// test injects one, else the real one.
func (e Env) network(cfg config.Config, resolver string) (*Network, error) {
	o := NetworkOptions{Resolver: resolver, DNSTimeout: cfg.DNSTimeout, FetchTimeout: cfg.FetchTimeout}
	build := NewNetwork
	if e.NewNetwork != nil {
		build = e.NewNetwork
	}
	n, err := build(o)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return n, nil
}

// source.Fetcher returns the client that fetches report URLs, or nil when
// no network can be built (the URLs then become diagnostics).
func (e Env) reportFetcher(cfg config.Config) source.Fetcher {
	n, err := e.network(cfg, "")
	if err != nil {
		return nil
	}
	return n.Fetcher
}
