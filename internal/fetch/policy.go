package fetch

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/stsgate/stsgate/internal/policy"
)

// policyPath is where RFC 8461 §3.2 puts the policy on the policy host.
const policyPath = "/.well-known/mta-sts.txt"

// Policy fetches https://mta-sts.<domain>/.well-known/mta-sts.txt as RFC
// 8461 §3.3 says senders do, and returns the response as served.
//
// Whatever the host answers comes back with a nil error: any status
// (a redirect is not followed; Location holds its target), the
// Content-Type as sent, and at most policy.MaxSize bytes of body, with
// Truncated set when the body is longer. Judging them is left to the rules.
// Transport failures are errors that wrap the standard library's: the
// resolver's *net.DNSError, *tls.CertificateVerificationError, and
// timeouts (a net.Error whose Timeout is true, matching
// context.DeadlineExceeded, whose text names the limit). On error the
// Fetched still holds the URL and whatever arrived before the failure.
func (c *Client) Policy(ctx context.Context, domain string) (policy.Fetched, error) {
	host, err := policyHost(domain)
	if err != nil {
		return policy.Fetched{}, fmt.Errorf("policy fetch: %w", err)
	}
	u := &url.URL{Scheme: "https", Host: host, Path: policyPath}
	f := policy.Fetched{URL: u.String()}
	r, err := c.get(ctx, request{url: u, port: c.opts.Port, limit: policy.MaxSize})
	if r != nil {
		f.Status = r.status
		f.Location = r.header.Get("Location")
		f.ContentType = r.header.Get("Content-Type")
		if r.leaf != nil {
			f.CertExpiry = r.leaf.NotAfter
		}
	}
	if err != nil {
		return f, fmt.Errorf("policy fetch %s: %w", f.URL, err)
	}
	f.Body = r.body
	if len(f.Body) > policy.MaxSize {
		// RFC 8461 §3.3: senders read at most 64 KiB.
		f.Body, f.Truncated = f.Body[:policy.MaxSize], true
	}
	return f, nil
}

// policyHost returns mta-sts.<domain> (RFC 8461 §3.3), lower-cased and
// without a trailing dot, after checking that domain is a plain A-label
// host name, so that nothing but a policy host is ever fetched.
func policyHost(domain string) (string, error) {
	d := strings.ToLower(strings.TrimSuffix(domain, "."))
	if d == "" || len(d) > 253-len("mta-sts.") {
		return "", fmt.Errorf("%q is not a domain name", domain)
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return "", fmt.Errorf("%q is not a domain name in A-labels", domain)
		}
	}
	return "mta-sts." + d, nil
}
