package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// target is where one fetch goes: the host name that the certificate must
// be valid for and that is sent as SNI, and the addresses and port dialled.
type target struct {
	host  string
	port  int
	addrs []netip.Addr
}

// resolve looks host up through the configured resolver. An IP literal (a
// report URL may name one) is used as is.
func (c *Client) resolve(ctx context.Context, host string, port int) (target, error) {
	if c.opts.Resolver == nil {
		return target{}, errors.New("no resolver configured")
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return target{host: host, port: port, addrs: []netip.Addr{a}}, nil
	}
	addrs, err := c.opts.Resolver.LookupHost(ctx, host)
	if err != nil {
		return target{}, fmt.Errorf("resolve %s: %w", host, err)
	}
	if len(addrs) == 0 {
		return target{}, fmt.Errorf("resolve %s: no addresses", host)
	}
	return target{host: host, port: port, addrs: addrs}, nil
}

// transport returns a single-use HTTP/1.1 transport that only reaches t.
// It takes no proxy from the environment, keeps no connection alive, asks
// for no compression (the bytes counted are the bytes served) and stops
// waiting for response headers after HeaderTimeout.
func (c *Client) transport(t target) *http.Transport {
	return &http.Transport{
		Proxy: nil,
		DialContext: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("plain-text connections are not allowed")
		},
		DialTLSContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return c.connect(ctx, t)
		},
		DisableKeepAlives:      true,
		DisableCompression:     true,
		ResponseHeaderTimeout:  c.opts.HeaderTimeout,
		MaxResponseHeaderBytes: 64 << 10,
	}
}

// connect opens a TCP connection to one of t's addresses, in turn, and
// does the TLS handshake, all within ConnectTimeout.
//
// RFC 8461 §3.3 and §7.1: the certificate must be valid for the policy host
// name, which is also sent as SNI; §7.2: TLS 1.2 or later. A verification
// failure ends the fetch; only TCP failures move on to the next address.
func (c *Client) connect(ctx context.Context, t target) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.ConnectTimeout)
	defer cancel()
	conn, err := dialAny(ctx, t)
	if err != nil {
		return nil, c.connectFailed(ctx, t, err)
	}
	tc := tls.Client(conn, &tls.Config{
		ServerName: t.host,
		RootCAs:    c.opts.Roots,
		MinVersion: tls.VersionTLS12,
	})
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, c.connectFailed(ctx, t, fmt.Errorf("TLS handshake with %s: %w", conn.RemoteAddr(), err))
	}
	return tc, nil
}

// connectFailed names the host and, when time ran out, the limit.
func (c *Client) connectFailed(ctx context.Context, t target, err error) error {
	var netErr net.Error
	if ctx.Err() != nil || errors.As(err, &netErr) && netErr.Timeout() {
		err = &limitError{limit: "connect timeout", d: c.opts.ConnectTimeout, err: err}
	}
	return fmt.Errorf("connect to %s port %d: %w", t.host, t.port, err)
}

// dialAny tries t's addresses in order. Like net.Dialer, it gives each
// attempt an equal share of the time left, so that one silent address
// cannot use up the time of the others.
func dialAny(ctx context.Context, t target) (net.Conn, error) {
	var d net.Dialer
	var errs dialErrors
	for i, a := range t.addrs {
		actx, cancel := shareDeadline(ctx, len(t.addrs)-i)
		conn, err := d.DialContext(actx, "tcp", netip.AddrPortFrom(a, uint16(t.port)).String())
		cancel()
		if err == nil {
			return conn, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	return nil, errs
}

// shareDeadline returns ctx with a deadline of 1/n of the time left.
func shareDeadline(ctx context.Context, n int) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok || n <= 1 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, time.Until(deadline)/time.Duration(n))
}

// dialErrors holds the failure of every address tried.
type dialErrors []error

func (e dialErrors) Error() string {
	s := make([]string, len(e))
	for i, err := range e {
		s[i] = err.Error()
	}
	return strings.Join(s, "; ")
}

func (e dialErrors) Unwrap() []error { return e }
