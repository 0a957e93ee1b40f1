package check

import (
	"context"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Resolver is what the live checks need from DNS. The real one is
// dnsx.Client: absolute names, one configured resolver, and errors that
// are *net.DNSError with IsNotFound set for NXDOMAIN and NODATA ("no
// record"); every other error means "could not check".
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupHost(ctx context.Context, name string) ([]netip.Addr, error)
	LookupCNAME(ctx context.Context, name string) ([]string, error)
}

// PolicyFetcher fetches the policy of a domain as RFC 8461 §3.3 says
// senders do. The real one is fetch.Client. Transport failures are errors
// of the standard library's types (*net.DNSError, x509 and TLS
// verification errors, timeouts); what the host answered is returned.
type PolicyFetcher interface {
	Policy(ctx context.Context, domain string) (policy.Fetched, error)
}

// Live is what the world serves for one domain.
type Live struct {
	STSTexts    []string // the TXT records at _mta-sts
	STSErr      error
	TLSRPTTexts []string
	TLSRPTErr   error
	MX          []*net.MX
	MXErr       error
	MXAliases   map[string][]string // MX host -> its CNAME chain, when it has one
	Fetched     policy.Fetched
	FetchErr    error
}

// Observe looks up everything the live checks need for domain, all at
// once (DESIGN §1.3: the lookups of a domain run concurrently).
func Observe(ctx context.Context, r Resolver, f PolicyFetcher, domain string) Live {
	var l Live
	var wg sync.WaitGroup
	wg.Go(func() { l.STSTexts, l.STSErr = r.LookupTXT(ctx, "_mta-sts."+domain) })
	wg.Go(func() { l.TLSRPTTexts, l.TLSRPTErr = r.LookupTXT(ctx, "_smtp._tls."+domain) })
	wg.Go(func() { l.Fetched, l.FetchErr = f.Policy(ctx, domain) })
	wg.Go(func() {
		l.MX, l.MXErr = r.LookupMX(ctx, domain)
		l.MXAliases = aliases(ctx, r, l.MX)
	})
	wg.Wait()
	return l
}

// aliases looks up, concurrently, which MX targets are CNAMEs (RFC 5321
// §5.1 forbids it; reference §6.5 M9).
func aliases(ctx context.Context, r Resolver, mxs []*net.MX) map[string][]string {
	out := map[string][]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, mx := range mxs {
		if mx.Host == "." || mx.Host == "" {
			continue
		}
		wg.Go(func() {
			chain, err := r.LookupCNAME(ctx, mx.Host)
			if err == nil && len(chain) > 0 {
				mu.Lock()
				out[policy.NormalizeHost(mx.Host)] = chain
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// LiveResult is the outcome of the live checks of one domain.
type LiveResult struct {
	Policy *policy.Policy // the served policy, when it parsed without errors
	// PolicyText is the served policy as it came, when the host served
	// one (status 200, text/plain), parsed or not.
	PolicyText []byte
	Record     *policy.Record // the published _mta-sts record senders use
	TLSRPT     *tlsrpt.Record
	Diags      diag.List
	// Unverified is set when something could not be checked (SERVFAIL,
	// timeout): the run must not pass as if all was well.
	Unverified bool
}

// Compare judges what the world serves against what the repository
// declares (DESIGN §1.3; reference §6.4 and §6.5). repo is the outcome of
// Lint on the repository; now is the time certificates are judged at.
func Compare(domain string, repo Static, l Live, now time.Time) LiveResult {
	c := comparer{domain: domain, repo: repo, live: l, now: now}
	c.records()
	c.policy()
	c.mx()
	c.drift()
	c.res.Diags = c.res.Diags.ForDomain(domain)
	return c.res
}

type comparer struct {
	domain string
	repo   Static
	live   Live
	now    time.Time
	res    LiveResult
}

func (c *comparer) add(d diag.Diagnostic, subject string) {
	if d.Subject == "" && d.File == "" {
		d.Subject = subject
	}
	c.res.Diags.Add(d)
}
