package smtpprobe

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Resolver looks up the addresses of an MX host. The real one is the dnsx
// client; its errors are returned in HostResult.Err unchanged.
type Resolver interface {
	LookupHost(ctx context.Context, name string) ([]netip.Addr, error)
}

// The defaults of Options.
const (
	DefaultPort           = 25
	DefaultConnectTimeout = 10 * time.Second
	DefaultStepTimeout    = 30 * time.Second
	DefaultHostTimeout    = 2 * time.Minute
	DefaultConcurrency    = 8
)

// Options configures a Prober. Zero fields take the defaults above.
type Options struct {
	Resolver Resolver       // looks up hosts given without addresses
	Roots    *x509.CertPool // nil = the system roots (which honour SSL_CERT_FILE and SSL_CERT_DIR)
	Port     int            // the SMTP port; default 25
	// EHLOName is the name sent in EHLO: a domain name that says who
	// probes, such as the host the probe runs on. Default: the address
	// literal of the local address ("[192.0.2.1]"), which RFC 5321 §4.1.4
	// allows a client without a name to send.
	EHLOName       string
	ConnectTimeout time.Duration // the TCP connect to one address; default 10s
	StepTimeout    time.Duration // each of greeting, EHLO, STARTTLS, handshake, QUIT; default 30s
	// HostTimeout bounds the whole probe of one host: the address lookup
	// and every address in turn, including any wait for another probe of
	// the same address. Default 2m.
	HostTimeout time.Duration
	// Concurrency is how many hosts are probed at once, over every call
	// of the Prober; each host has one connection open at a time.
	// Default 8.
	Concurrency int
	Now         func() time.Time // the clock certificates are judged by; default time.Now
}

// Prober probes MX hosts. It is safe for concurrent use; its limits hold
// across all its calls: at most Concurrency hosts at once and never two
// connections to one address.
type Prober struct {
	opts  Options
	slots chan struct{}
	locks addrLocks
}

// New returns a prober with opts, missing values replaced by the defaults.
// It fails when EHLOName is not a domain name or address literal, Port is
// not a TCP port, or Roots is nil and the system roots cannot be loaded.
func New(opts Options) (*Prober, error) {
	if opts.EHLOName != "" && !validEHLOName(opts.EHLOName) {
		return nil, fmt.Errorf("smtpprobe: EHLO name %q is not a domain name or address literal", opts.EHLOName)
	}
	if opts.Port > 65535 {
		return nil, fmt.Errorf("smtpprobe: port %d is not a TCP port", opts.Port)
	}
	if opts.Roots == nil {
		roots, err := x509.SystemCertPool()
		if err != nil {
			return nil, fmt.Errorf("smtpprobe: system roots: %w", err)
		}
		opts.Roots = roots
	}
	opts.Port = orDefault(opts.Port, DefaultPort)
	opts.ConnectTimeout = orDefault(opts.ConnectTimeout, DefaultConnectTimeout)
	opts.StepTimeout = orDefault(opts.StepTimeout, DefaultStepTimeout)
	opts.HostTimeout = orDefault(opts.HostTimeout, DefaultHostTimeout)
	opts.Concurrency = orDefault(opts.Concurrency, DefaultConcurrency)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Prober{opts: opts, slots: make(chan struct{}, opts.Concurrency), locks: addrLocks{m: map[netip.Addr]chan struct{}{}}}, nil
}

// orDefault returns v, or def when v is not positive.
func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Host is an MX host to probe.
type Host struct {
	Name  string       // as in the MX record; case and a trailing dot do not matter
	Addrs []netip.Addr // its addresses; nil = look them up through Options.Resolver
}

// Probe probes hosts, at most Concurrency at once, and returns their
// results in the order of hosts.
func (p *Prober) Probe(ctx context.Context, hosts []Host) []HostResult {
	results := make([]HostResult, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { results[i] = p.ProbeHost(ctx, h) })
	}
	wg.Wait()
	return results
}

// ProbeHost probes every address of h in turn. It waits for one of the
// Concurrency slots first; HostTimeout starts when it has one.
func (p *Prober) ProbeHost(ctx context.Context, h Host) HostResult {
	res := HostResult{Host: normalizeHost(h.Name)}
	if ctx.Err() != nil {
		res.Err = context.Cause(ctx)
		return res
	}
	select {
	case p.slots <- struct{}{}:
		defer func() { <-p.slots }()
	case <-ctx.Done():
		res.Err = context.Cause(ctx)
		return res
	}
	ctx, cancel := context.WithTimeoutCause(ctx, p.opts.HostTimeout, hostTimeout{p.opts.HostTimeout})
	defer cancel()
	addrs, err := p.addresses(ctx, res.Host, h.Addrs)
	if err != nil {
		res.Err = err
		return res
	}
	for _, a := range addrs {
		res.Results = append(res.Results, p.probeAddr(ctx, res.Host, a))
	}
	return res
}

// hostTimeout is the cause of a host's context that HostTimeout ended.
// Like context.DeadlineExceeded, it is a timeout.
type hostTimeout struct{ d time.Duration }

func (e hostTimeout) Error() string        { return fmt.Sprintf("host timeout of %s reached", e.d) }
func (e hostTimeout) Is(target error) bool { return target == context.DeadlineExceeded }
func (e hostTimeout) Timeout() bool        { return true }
func (e hostTimeout) Temporary() bool      { return true }

// addresses returns the given addresses, or looks host up.
func (p *Prober) addresses(ctx context.Context, host string, given []netip.Addr) ([]netip.Addr, error) {
	if len(given) > 0 {
		return given, nil
	}
	if p.opts.Resolver == nil {
		return nil, errors.New("smtpprobe: no resolver to look up " + host)
	}
	addrs, err := p.opts.Resolver.LookupHost(ctx, host)
	if err == nil && len(addrs) == 0 {
		err = errors.New("smtpprobe: no addresses for " + host)
	}
	return addrs, err
}

// probeAddr probes one address of host, once no other probe of this
// Prober uses the address.
func (p *Prober) probeAddr(ctx context.Context, host string, addr netip.Addr) Result {
	unlock, err := p.locks.lock(ctx, addr)
	if err != nil {
		return Result{Host: host, Addr: addr, Stage: StageConnect, Connect: ConnectNotTried,
			Err: fmt.Errorf("the host's time ran out before %s was free to probe: %w", addr, err)}
	}
	defer unlock()
	return p.converse(ctx, host, addr)
}

// addrLocks keeps probes of one address apart: one connection per
// address at a time.
type addrLocks struct {
	mu sync.Mutex
	m  map[netip.Addr]chan struct{} // a held lock holds a token
}

// lock waits until addr is free or ctx ends, and returns the unlock.
func (l *addrLocks) lock(ctx context.Context, addr netip.Addr) (func(), error) {
	l.mu.Lock()
	ch, ok := l.m[addr]
	if !ok {
		ch = make(chan struct{}, 1)
		l.m[addr] = ch
	}
	l.mu.Unlock()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, context.Cause(ctx)
	}
}

// normalizeHost returns an MX host name in lower case without its
// trailing dot, as it is sent as SNI and matched against the certificate.
func normalizeHost(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, "."))
}

// validEHLOName reports whether s can follow EHLO (RFC 5321 §4.1.1.1): a
// domain name of letters, digits, hyphens and dots, or an address literal
// in brackets. Nothing that could end the command line or add to it.
func validEHLOName(s string) bool {
	if len(s) > 255 {
		return false
	}
	if lit, ok := strings.CutPrefix(s, "["); ok {
		lit, ok = strings.CutSuffix(lit, "]")
		return ok && validLiteral(lit)
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' ||
			strings.ContainsFunc(label, func(r rune) bool { return !isLDH(r) }) {
			return false
		}
	}
	return true
}

// validLiteral reports whether s is an IPv4 address or "IPv6:" and an
// IPv6 address (RFC 5321 §4.1.3), without a zone.
func validLiteral(s string) bool {
	v6, isV6 := strings.CutPrefix(s, "IPv6:")
	a, err := netip.ParseAddr(v6)
	return err == nil && a.Zone() == "" && a.Is6() == isV6
}

func isLDH(r rune) bool {
	return r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
}
