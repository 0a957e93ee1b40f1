// Package fetch is stsgate's only HTTPS client. It fetches the live
// MTA-STS policy of a domain the way RFC 8461 §3.3 says senders do, and
// TLS-RPT reports that a collector publishes at https:// URLs.
//
// The package enforces the transport rules itself: HTTPS only, a verified
// certificate for the host name with SNI, TLS 1.2 or later, redirects never
// followed, a size cap and three timeouts (connect, response headers, the
// whole fetch). It judges nothing else: the status, media type and body of
// a policy response are returned as served, for the rules in package check.
// Host names are resolved through the Resolver the caller passes, so the
// same DNS resolver decides everything stsgate reports.
package fetch

import (
	"context"
	"crypto/x509"
	"net/netip"
	"time"
)

// Resolver resolves host names to addresses. The real one is the dnsx
// client; a failed lookup returns a *net.DNSError, which the fetch errors
// wrap unchanged.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]netip.Addr, error)
}

// The defaults of Options.
const (
	DefaultPort           = 443
	DefaultConnectTimeout = 10 * time.Second
	DefaultHeaderTimeout  = 30 * time.Second
	DefaultTimeout        = time.Minute // RFC 8461 §3.3 suggests one minute
	DefaultMaxReport      = 20 << 20
	DefaultUserAgent      = "stsgate"
)

// Options configures a Client. Zero fields take the defaults above.
type Options struct {
	Resolver       Resolver       // required: every host name is resolved through it
	Roots          *x509.CertPool // nil = system roots (which honour SSL_CERT_FILE)
	Port           int            // TCP port of policy hosts and of report URLs without one; default 443
	ConnectTimeout time.Duration  // TCP connect over all addresses plus the TLS handshake; default 10s
	HeaderTimeout  time.Duration  // from sending the request to the response headers; default 30s
	Timeout        time.Duration  // the whole fetch, body included; default 60s
	MaxReport      int64          // report body cap in bytes; default 20 MiB
	UserAgent      string         // default "stsgate"
}

// Client fetches policies and reports. It holds no connections between
// fetches and is safe for concurrent use.
type Client struct {
	opts Options
}

// New returns a client with opts, missing values replaced by the
// defaults. A nil Resolver makes every fetch fail with an error.
func New(opts Options) *Client {
	if opts.Port <= 0 {
		opts.Port = DefaultPort
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = DefaultConnectTimeout
	}
	if opts.HeaderTimeout <= 0 {
		opts.HeaderTimeout = DefaultHeaderTimeout
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxReport <= 0 {
		opts.MaxReport = DefaultMaxReport
	}
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	return &Client{opts: opts}
}
