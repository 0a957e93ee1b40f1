package check

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"net"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

// certWarning is how long before expiry the policy host's certificate is
// reported.
const certWarning = 14 * 24 * time.Hour

// policy checks the policy the policy host serves (RFC 8461 §3.3;
// reference §6.4 H1-H11).
func (c *comparer) policy() {
	f := c.live.Fetched
	url := f.URL
	if url == "" {
		url = "https://mta-sts." + c.domain + "/.well-known/mta-sts.txt"
	}
	if err := c.live.FetchErr; err != nil {
		c.fetchError(url, err)
		return
	}
	if !c.response(url, f) {
		return
	}
	c.res.PolicyText = f.Body
	p, diags := policy.Parse(f.Body)
	for _, d := range diags {
		c.add(d, url)
	}
	if diags.Max() < diag.Error {
		c.res.Policy = p
	}
	if !f.CertExpiry.IsZero() && f.CertExpiry.Sub(c.now) < certWarning {
		c.add(diag.New(diag.LivePolicyCertExpiring,
			fmt.Sprintf("the certificate of mta-sts.%s expires on %s; after that senders cannot fetch the policy (they report sts-webpki-invalid)", c.domain, f.CertExpiry.UTC().Format(time.DateOnly)),
			"renew the certificate, or check that automatic renewal works"), url)
	}
}

// fetchError classifies a transport failure as a sender would report it
// (RFC 8460 §4.3.2).
func (c *comparer) fetchError(url string, err error) {
	host := "mta-sts." + c.domain
	switch {
	case notFound(err):
		c.add(diag.New(diag.LivePolicyHostMissing,
			fmt.Sprintf("%s does not resolve, so senders cannot fetch the policy and apply none (they report sts-policy-fetch-error)", host),
			fmt.Sprintf("publish an address or CNAME record for %s (for GitHub Pages, a CNAME to <owner>.github.io)", host)), url)
	case isTemporary(err):
		c.unverified(url, "the policy", err)
	case isCertificateError(err):
		c.add(diag.New(diag.LivePolicyWebPKI,
			fmt.Sprintf("the certificate of %s is not valid for it (%v); senders refuse the policy (they report sts-webpki-invalid)", host, err),
			fmt.Sprintf("serve a certificate for %s from a public CA; on GitHub Pages, add the custom domain and enforce HTTPS", host)), url)
	default:
		c.add(diag.New(diag.LivePolicyFetchFailed,
			fmt.Sprintf("the policy could not be fetched: %v; senders apply no policy (they report sts-policy-fetch-error)", err),
			fmt.Sprintf("serve the policy over HTTPS on %s port 443", host)), url)
	}
}

// isTemporary reports a DNS failure or a timeout: "could not check"
// (DESIGN §1.8: a fetch timeout is not a verdict).
func isTemporary(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return !dnsErr.IsNotFound // SERVFAIL, REFUSED, timeout, a broken answer
	}
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}

func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &hostErr) || errors.As(err, &authErr) || errors.As(err, &invalid)
}

// response judges the status, media type and size (RFC 8461 §3.3). It
// reports whether the body is worth parsing.
func (c *comparer) response(url string, f policy.Fetched) bool {
	switch {
	case f.Status >= 300 && f.Status < 400:
		c.add(diag.New(diag.LivePolicyRedirect,
			fmt.Sprintf("the policy host answers %d, redirecting to %q; senders must not follow redirects, so they apply no policy (they report sts-policy-fetch-error)", f.Status, f.Location),
			"serve the file itself at /.well-known/mta-sts.txt on the mta-sts host, with status 200"), url)
		return false
	case f.Status != 200:
		hint := "serve the policy file at /.well-known/mta-sts.txt with status 200"
		if f.Status == 404 {
			hint += "; on GitHub Pages, add an empty .nojekyll file so that the .well-known directory is published"
		}
		c.add(diag.New(diag.LivePolicyStatus,
			fmt.Sprintf("the policy host answers %d; only 200 makes a policy, so senders apply none (they report sts-policy-fetch-error)", f.Status), hint), url)
		return false
	case f.Truncated:
		c.add(diag.New(diag.LivePolicyTooLarge,
			"the served policy is larger than 64 KiB; senders stop reading and apply no policy (they report sts-policy-fetch-error)",
			"serve only the policy lines"), url)
		return false
	}
	return c.mediaType(url, f.ContentType)
}

// mediaType enforces RFC 8461 §3.2: the policy is text/plain; parameters
// other than charset are ignored; a charset other than utf-8 or us-ascii
// is doubtful (reference §6.4 H2-H5).
func (c *comparer) mediaType(url, contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if contentType == "" || err != nil || mt != "text/plain" {
		got := fmt.Sprintf("%q", contentType)
		if contentType == "" {
			got = "no Content-Type"
		}
		c.add(diag.New(diag.LivePolicyContentType,
			fmt.Sprintf("the policy is served with %s; senders such as Postfix's resolvers require text/plain and apply no policy (they report sts-policy-invalid)", got),
			"serve .well-known/mta-sts.txt as text/plain (object storage often defaults to application/octet-stream)"), url)
		return false
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		c.add(diag.New(diag.LivePolicyCharset,
			fmt.Sprintf("the policy is served with charset %s; a policy is ASCII, and senders only expect utf-8 or us-ascii", cs),
			"serve it as text/plain; charset=utf-8"), url)
	}
	return true
}

// drift compares the served policy and id with the repository's (DESIGN
// §1.3): a different policy, and the ordering trap of RFC 8461 §8.1.
func (c *comparer) drift() {
	live, repo := c.res.Policy, c.repo.Policy
	if live != nil && repo != nil {
		switch {
		case !policy.Equal(live, repo):
			c.add(diag.New(diag.LivePolicyDrift,
				fmt.Sprintf("the policy host serves %s, but the repository has %s; senders apply the served one", live, repo),
				"deploy the repository's policy file to the policy host"), c.live.Fetched.URL)
		case !sameText(c.live.Fetched.Body, c.repo.PolicyText):
			c.add(diag.New(diag.LivePolicyBytesDrift,
				"the served policy means the same as the repository's but its text differs; a deploy may be stale or rewritten on the way",
				"deploy the repository's policy file unchanged"), c.live.Fetched.URL)
		}
	}
	c.idDrift(live, repo)
}

// idDrift compares the published id with the declared one.
func (c *comparer) idDrift(live, repo *policy.Policy) {
	pub, decl := c.res.Record, c.repo.Record
	if pub == nil || decl == nil {
		return
	}
	subject := "TXT _mta-sts." + c.domain
	switch {
	case pub.ID != decl.ID:
		c.add(diag.New(diag.LiveIDDrift,
			fmt.Sprintf("the published id is %s but the repository declares %s; until they match, senders keep the policy they cached under %s", pub.ID, decl.ID, pub.ID),
			fmt.Sprintf("once the policy host serves the repository's policy, publish _mta-sts.%s TXT \"v=STSv1; id=%s\"", c.domain, decl.ID)), subject)
	case live != nil && repo != nil && !policy.Equal(live, repo):
		// RFC 8461 §8.1: publish the policy first, the id second. With
		// the new id already out, senders that fetched meanwhile cached
		// the old policy under it and will not fetch again.
		c.add(diag.New(diag.LiveIDBeforePolicy,
			fmt.Sprintf("the new id %s is already published while the policy host still serves the old policy; senders that fetched since cached the old policy under the new id and will not fetch it again", pub.ID),
			"deploy the policy, then change the id once more so that every sender fetches it"), subject)
	}
}

// sameText compares two policy texts, ignoring CRLF versus LF and a final
// line break.
func sameText(a, b []byte) bool {
	norm := func(x []byte) []byte {
		return bytes.TrimRight(bytes.ReplaceAll(x, []byte("\r\n"), []byte("\n")), "\n")
	}
	return bytes.Equal(norm(a), norm(b))
}
