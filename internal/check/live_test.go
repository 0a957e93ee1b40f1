package check

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

var now = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// fakeDNS answers from maps; names missing from every map are NXDOMAIN.
type fakeDNS struct {
	txt   map[string][]string
	mx    map[string][]*net.MX
	cname map[string][]string
	fail  map[string]error // "TXT name" or "MX name" -> error
}

func nxdomain(name string) error {
	return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}
func servfail(name string) error {
	return &net.DNSError{Err: "server misbehaving", Name: name, IsTemporary: true}
}

func (f fakeDNS) LookupTXT(_ context.Context, name string) ([]string, error) {
	if err := f.fail["TXT "+name]; err != nil {
		return nil, err
	}
	if v, ok := f.txt[name]; ok {
		return v, nil
	}
	return nil, nxdomain(name)
}

func (f fakeDNS) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	if err := f.fail["MX "+name]; err != nil {
		return nil, err
	}
	if v, ok := f.mx[name]; ok {
		return v, nil
	}
	return nil, nxdomain(name)
}

func (f fakeDNS) LookupHost(_ context.Context, name string) ([]netip.Addr, error) {
	return []netip.Addr{netip.MustParseAddr("192.0.2.1")}, nil
}

func (f fakeDNS) LookupCNAME(_ context.Context, name string) ([]string, error) {
	return f.cname[name], nil
}

type fakeFetcher struct {
	f   policy.Fetched
	err error
}

func (f fakeFetcher) Policy(context.Context, string) (policy.Fetched, error) { return f.f, f.err }

const policyURL = "https://mta-sts.example.com/.well-known/mta-sts.txt"

func healthyDNS() fakeDNS {
	return fakeDNS{
		txt: map[string][]string{
			"_mta-sts.example.com":   {"v=STSv1; id=20261101T000000"},
			"_smtp._tls.example.com": {"v=TLSRPTv1; rua=mailto:tlsrpt@example.net"},
		},
		mx: map[string][]*net.MX{"example.com": {{Host: "mx1.example.com.", Pref: 10}, {Host: "mx2.example.com.", Pref: 20}}},
	}
}

func served(body string) policy.Fetched {
	return policy.Fetched{URL: policyURL, Status: 200, ContentType: "text/plain; charset=utf-8", Body: []byte(body), CertExpiry: now.AddDate(0, 3, 0)}
}

// liveRepo is the repository side: the enforce policy and the declared id.
func liveRepo(t *testing.T, policyText string) Static {
	t.Helper()
	return Lint(Repo{Domain: "example.com", PolicyFile: "p.txt", Policy: []byte(policyText), DNS: declare(t, records+twoMX)})
}

func TestCompare(t *testing.T) {
	t.Parallel()
	type tc struct {
		name       string
		dns        func(*fakeDNS)
		fetch      fakeFetcher
		repo       string // policy text of the repository; default enforcePolicy
		want       []string
		unverified bool
	}
	ok := fakeFetcher{f: served(enforcePolicy)}
	with := func(mod func(*policy.Fetched)) fakeFetcher {
		f := served(enforcePolicy)
		mod(&f)
		return fakeFetcher{f: f}
	}
	tests := []tc{
		{name: "H1 healthy", fetch: ok},
		{name: "H2 media type with parameters", fetch: with(func(f *policy.Fetched) { f.ContentType = "TEXT/PLAIN; charset=US-ASCII; x=y" })},
		{name: "H3 no Content-Type", fetch: with(func(f *policy.Fetched) { f.ContentType = "" }),
			want: []string{policyURL + " error live-policy-content-type"}},
		{name: "H4 text/html", fetch: with(func(f *policy.Fetched) { f.ContentType = "text/html" }),
			want: []string{policyURL + " error live-policy-content-type"}},
		{name: "H4 S3 default", fetch: with(func(f *policy.Fetched) { f.ContentType = "application/octet-stream" }),
			want: []string{policyURL + " error live-policy-content-type"}},
		{name: "H5 latin-1", fetch: with(func(f *policy.Fetched) { f.ContentType = "text/plain; charset=iso-8859-1" }),
			want: []string{policyURL + " warning live-policy-charset"}},
		{name: "H6 301", fetch: fakeFetcher{f: policy.Fetched{URL: policyURL, Status: 301, Location: "https://example.com/mta-sts.txt"}},
			want: []string{policyURL + " error live-policy-redirect"}},
		{name: "H6 308", fetch: fakeFetcher{f: policy.Fetched{URL: policyURL, Status: 308, Location: policyURL}},
			want: []string{policyURL + " error live-policy-redirect"}},
		{name: "H7 404", fetch: fakeFetcher{f: policy.Fetched{URL: policyURL, Status: 404, ContentType: "text/html", Body: []byte("<h1>404</h1>")}},
			want: []string{policyURL + " error live-policy-status"}},
		{name: "H8 500", fetch: fakeFetcher{f: policy.Fetched{URL: policyURL, Status: 500}},
			want: []string{policyURL + " error live-policy-status"}},
		{name: "H8 timeout is could not check", fetch: fakeFetcher{err: fmt.Errorf("fetch: %w", context.DeadlineExceeded)},
			want: []string{policyURL + " warning live-unverified"}, unverified: true},
		{name: "H8 body over 64 KiB", fetch: with(func(f *policy.Fetched) { f.Truncated = true }),
			want: []string{policyURL + " error live-policy-too-large"}},
		{name: "H9 certificate for another name", fetch: fakeFetcher{err: fmt.Errorf("fetch: %w", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "mta-sts.example.com"})},
			want: []string{policyURL + " error live-policy-webpki-invalid"}},
		{name: "H9 unknown authority", fetch: fakeFetcher{err: fmt.Errorf("fetch: %w", x509.UnknownAuthorityError{})},
			want: []string{policyURL + " error live-policy-webpki-invalid"}},
		{name: "H11 policy host NXDOMAIN", fetch: fakeFetcher{err: fmt.Errorf("fetch: %w", nxdomain("mta-sts.example.com"))},
			want: []string{policyURL + " error live-policy-host-missing"}},
		{name: "connection refused", fetch: fakeFetcher{err: fmt.Errorf("fetch: %w", &net.OpError{Op: "dial", Err: errors.New("connection refused")})},
			want: []string{policyURL + " error live-policy-fetch-failed"}},
		{name: "served policy is broken", fetch: with(func(f *policy.Fetched) { f.Body = []byte("version: STSv1\nmode: enforce\n") }),
			want: []string{policyURL + " error policy-max-age-missing", policyURL + " error policy-mx-missing"}},
		{name: "H12 drift", fetch: ok, repo: strings.Replace(enforcePolicy, "1209600", "2419200", 1),
			want: []string{"TXT _mta-sts.example.com error live-id-before-policy", policyURL + " error live-policy-drift"}},
		{name: "H12 same policy, other text", fetch: with(func(f *policy.Fetched) {
			f.Body = []byte("mode: enforce\r\nversion: STSv1\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 1209600\r\n")
		}),
			want: []string{policyURL + " warning live-policy-bytes-drift", policyURL + " warning policy-version-not-first"}},
		{name: "CRLF versus LF is no drift", fetch: with(func(f *policy.Fetched) { f.Body = []byte(strings.ReplaceAll(enforcePolicy, "\n", "\r\n")) })},
		{name: "certificate expiring", fetch: with(func(f *policy.Fetched) { f.CertExpiry = now.AddDate(0, 0, 10) }),
			want: []string{policyURL + " warning live-policy-cert-expiring"}},
		{name: "id drift", fetch: ok, dns: func(d *fakeDNS) { d.txt["_mta-sts.example.com"] = []string{"v=STSv1; id=20250101T000000"} },
			want: []string{"TXT _mta-sts.example.com warning live-id-drift"}},
		{name: "T14 two published records", fetch: ok, dns: func(d *fakeDNS) { d.txt["_mta-sts.example.com"] = []string{"v=STSv1; id=1", "v=STSv1; id=2"} },
			want: []string{"TXT _mta-sts.example.com error sts-record-multiple"}},
		{name: "no published record", fetch: ok, dns: func(d *fakeDNS) { delete(d.txt, "_mta-sts.example.com") },
			want: []string{"TXT _mta-sts.example.com error live-sts-record-missing"}},
		{name: "T20 SERVFAIL is could not check", fetch: ok, dns: func(d *fakeDNS) {
			d.fail = map[string]error{"TXT _mta-sts.example.com": servfail("_mta-sts.example.com")}
		},
			want: []string{"TXT _mta-sts.example.com warning live-unverified"}, unverified: true},
		{name: "no TLS-RPT record", fetch: ok, dns: func(d *fakeDNS) { delete(d.txt, "_smtp._tls.example.com") },
			want: []string{"TXT _smtp._tls.example.com error live-tlsrpt-record-missing"}},
		{name: "M3 apex MX not covered by wildcard", fetch: fakeFetcher{f: served(wildcardPolicy)}, repo: wildcardPolicy, dns: func(d *fakeDNS) { d.mx["example.com"] = []*net.MX{{Host: "example.com.", Pref: 10}} },
			want: []string{"MX example.com error mx-not-covered", "p.txt warning mx-pattern-stale"}},
		{name: "M5 look-alike MX", fetch: ok, dns: func(d *fakeDNS) {
			d.mx["example.com"] = []*net.MX{{Host: "mx1.example.com.evil.net.", Pref: 10}, {Host: "mx2.example.com.", Pref: 20}}
		}, want: []string{"MX example.com error mx-not-covered", "p.txt warning mx-pattern-stale"}},
		{name: "M6 stale pattern", fetch: ok, dns: func(d *fakeDNS) { d.mx["example.com"] = []*net.MX{{Host: "mx1.example.com.", Pref: 10}} },
			want: []string{"p.txt warning mx-pattern-stale"}},
		{name: "M7 null MX", fetch: ok, dns: func(d *fakeDNS) { d.mx["example.com"] = []*net.MX{{Host: ".", Pref: 0}} },
			want: []string{"MX example.com error mx-null", "p.txt warning mx-pattern-stale", "p.txt warning mx-pattern-stale"}},
		{name: "M8 backup MX not covered", fetch: ok, dns: func(d *fakeDNS) {
			d.mx["example.com"] = append(d.mx["example.com"], &net.MX{Host: "backup.example.net.", Pref: 90})
		}, want: []string{"MX example.com error mx-not-covered"}},
		{name: "M9 MX target is a CNAME", fetch: ok, dns: func(d *fakeDNS) { d.cname = map[string][]string{"mx2.example.com.": {"mail.provider.example."}} },
			want: []string{"MX example.com warning live-mx-target-alias"}},
		{name: "MX lookup fails", fetch: ok, dns: func(d *fakeDNS) { d.fail = map[string]error{"MX example.com": servfail("example.com")} },
			want: []string{"MX example.com warning live-unverified"}, unverified: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dns := healthyDNS()
			if tc.dns != nil {
				tc.dns(&dns)
			}
			repoText := enforcePolicy
			if tc.repo != "" {
				repoText = tc.repo
			}
			live := Observe(context.Background(), dns, tc.fetch, "example.com")
			res := Compare("example.com", liveRepo(t, repoText), live, now)
			if diff := cmp.Diff(tc.want, where(res.Diags)); diff != "" {
				t.Errorf("Compare mismatch (-want +got):\n%s\n%v", diff, res.Diags)
			}
			if res.Unverified != tc.unverified {
				t.Errorf("Unverified = %v, want %v", res.Unverified, tc.unverified)
			}
		})
	}
}

const wildcardPolicy = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 1209600\n"

// where renders diagnostics as "file-or-subject severity code", ignoring
// notices and the repository's own lint findings.
func where(l diag.List) []string {
	l.Sort()
	var out []string
	for _, d := range l {
		if d.Severity == diag.Notice || d.Code == diag.PolicyMXWildcard {
			continue
		}
		loc := d.File
		if loc == "" {
			loc = d.Subject
		}
		out = append(out, loc+" "+d.Severity.String()+" "+string(d.Code))
	}
	return out
}

// TestCompareGitHubPagesHint covers reference §6.4 H14: a GitHub Pages
// site without .nojekyll does not publish /.well-known/, so the policy is
// a 404; the hint says how to fix it.
func TestCompareGitHubPagesHint(t *testing.T) {
	t.Parallel()
	f := fakeFetcher{f: policy.Fetched{URL: policyURL, Status: 404, ContentType: "text/html"}}
	res := Compare("example.com", liveRepo(t, enforcePolicy), Observe(context.Background(), healthyDNS(), f, "example.com"), now)
	for _, d := range res.Diags {
		if d.Code == diag.LivePolicyStatus {
			if !strings.Contains(d.Hint, ".nojekyll") {
				t.Errorf("404 hint %q does not mention .nojekyll", d.Hint)
			}
			return
		}
	}
	t.Fatalf("no %s diagnostic in %v", diag.LivePolicyStatus, res.Diags)
}
