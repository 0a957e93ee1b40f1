package fetch_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/fetch"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/policy"
)

// serve answers with status, Content-Type (none when ct is "-") and body.
func serve(status int, ct, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ct == "-" {
			w.Header()["Content-Type"] = nil // no sniffing: send none
		} else {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// TestPolicy runs the responses of reference §6.4 H1-H11 through Policy:
// what the host answers comes back as served, transport failures are
// errors, and each outcome maps to the result type a sender reports.
func TestPolicy(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", policy.MaxSize+100)
	tests := []struct {
		name    string
		cert    func(pki) tls.Certificate
		handler http.HandlerFunc
		want    policy.Fetched // URL and CertExpiry are filled in
		wantErr func(error) bool
		result  string
	}{
		{name: "H1 valid", handler: serve(200, "text/plain; charset=utf-8", goodPolicy),
			want: policy.Fetched{Status: 200, ContentType: "text/plain; charset=utf-8", Body: []byte(goodPolicy)}},
		{name: "H2 media type parameters", handler: serve(200, "TEXT/PLAIN; charset=US-ASCII; x=y", goodPolicy),
			want: policy.Fetched{Status: 200, ContentType: "TEXT/PLAIN; charset=US-ASCII; x=y", Body: []byte(goodPolicy)}},
		{name: "H3 no Content-Type", handler: serve(200, "-", goodPolicy),
			want: policy.Fetched{Status: 200, Body: []byte(goodPolicy)}, result: fetch.ResultPolicyInvalid},
		{name: "H4 text/html", handler: serve(200, "text/html", goodPolicy),
			want: policy.Fetched{Status: 200, ContentType: "text/html", Body: []byte(goodPolicy)}, result: fetch.ResultPolicyInvalid},
		{name: "H4 S3 default", handler: serve(200, "application/octet-stream", goodPolicy),
			want: policy.Fetched{Status: 200, ContentType: "application/octet-stream", Body: []byte(goodPolicy)}, result: fetch.ResultPolicyInvalid},
		{name: "H5 latin-1 passed on", handler: serve(200, "text/plain; charset=iso-8859-1", goodPolicy),
			want: policy.Fetched{Status: 200, ContentType: "text/plain; charset=iso-8859-1", Body: []byte(goodPolicy)}},
		{name: "unparsable body", handler: serve(200, "text/plain", "hello\n"),
			want: policy.Fetched{Status: 200, ContentType: "text/plain", Body: []byte("hello\n")}, result: fetch.ResultPolicyInvalid},
		{name: "H7 404 with body", handler: serve(404, "text/html", "<h1>404</h1>"),
			want: policy.Fetched{Status: 404, ContentType: "text/html", Body: []byte("<h1>404</h1>")}, result: fetch.ResultFetchError},
		{name: "H8 500", handler: serve(500, "text/plain", "oops"),
			want: policy.Fetched{Status: 500, ContentType: "text/plain", Body: []byte("oops")}, result: fetch.ResultFetchError},
		{name: "H8 body over 64 KiB", handler: serve(200, "text/plain", big),
			want: policy.Fetched{Status: 200, ContentType: "text/plain", Body: []byte(big[:policy.MaxSize]), Truncated: true}, result: fetch.ResultFetchError},
		{name: "H9 expired", cert: func(p pki) tls.Certificate { return p.expired }, wantErr: isVerifyError, result: fetch.ResultWebPKIInvalid},
		{name: "H9 self-signed", cert: func(p pki) tls.Certificate { return p.selfie }, wantErr: isVerifyError, result: fetch.ResultWebPKIInvalid},
		{name: "H9 *.github.io", cert: func(p pki) tls.Certificate { return p.wrongName }, wantErr: isVerifyError, result: fetch.ResultWebPKIInvalid},
		{name: "H10 wildcard", cert: func(p pki) tls.Certificate { return p.wildcard }, handler: serve(200, "text/plain", goodPolicy),
			want: policy.Fetched{Status: 200, ContentType: "text/plain", Body: []byte(goodPolicy)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPKI(t)
			cert := p.good
			if tc.cert != nil {
				cert = tc.cert(p)
			}
			s := startServer(t, cert, func(<-chan struct{}) http.Handler { return tc.handler })
			got, err := p.client(s, nil).Policy(t.Context(), domain)
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("Policy error = %v, want a certificate verification error", err)
				}
			} else if err != nil {
				t.Fatalf("Policy: %v", err)
			} else {
				tc.want.CertExpiry = cert.Leaf.NotAfter
			}
			tc.want.URL = policyURL
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Policy mismatch (-want +got):\n%s", diff)
			}
			if r := fetch.ResultType(err, got); r != tc.result {
				t.Errorf("ResultType = %q, want %q", r, tc.result)
			}
		})
	}
}

func isVerifyError(err error) bool {
	var v *tls.CertificateVerificationError
	return errors.As(err, &v)
}

// TestPolicyRedirect: H6, redirects are returned, never followed, even to
// the same file.
func TestPolicyRedirect(t *testing.T) {
	t.Parallel()
	for _, status := range []int{301, 302, 307, 308} {
		for _, target := range []string{"/target", policyURL} {
			t.Run(fmt.Sprintf("%d to %s", status, target), func(t *testing.T) {
				t.Parallel()
				p := newPKI(t)
				var policyHits, targetHits counter
				s := startServer(t, p.good, func(<-chan struct{}) http.Handler {
					mux := http.NewServeMux()
					mux.HandleFunc("/.well-known/mta-sts.txt", policyHits.wrap(func(w http.ResponseWriter, r *http.Request) {
						http.Redirect(w, r, target, status)
					}))
					mux.HandleFunc("/target", targetHits.wrap(serve(200, "text/plain", goodPolicy)))
					return mux
				})
				got, err := p.client(s, nil).Policy(t.Context(), domain)
				if err != nil {
					t.Fatalf("Policy: %v", err)
				}
				if got.Status != status || got.Location != target {
					t.Errorf("Policy = status %d, Location %q; want %d, %q", got.Status, got.Location, status, target)
				}
				if n, m := policyHits.n.Load(), targetHits.n.Load(); n != 1 || m != 0 {
					t.Errorf("policy path hit %d times, redirect target %d times; want 1 and 0", n, m)
				}
				if r := fetch.ResultType(err, got); r != fetch.ResultFetchError {
					t.Errorf("ResultType = %q, want %q", r, fetch.ResultFetchError)
				}
			})
		}
	}
}

// TestPolicyNXDOMAIN: H11, the resolver's *net.DNSError passes through.
func TestPolicyNXDOMAIN(t *testing.T) {
	t.Parallel()
	c := fetch.New(fetch.Options{Resolver: fetchtest.Resolver{}})
	got, err := c.Policy(t.Context(), domain)
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Fatalf("Policy error = %v, want a *net.DNSError with IsNotFound", err)
	}
	if got.URL != policyURL {
		t.Errorf("Fetched.URL = %q, want %q", got.URL, policyURL)
	}
	if r := fetch.ResultType(err, got); r != fetch.ResultFetchError {
		t.Errorf("ResultType = %q, want %q", r, fetch.ResultFetchError)
	}
}

// TestPolicySNI: RFC 8461 §7.1, the client sends mta-sts.<domain> as SNI
// and asks for the policy of the lower-cased domain.
func TestPolicySNI(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	var host string
	s := startServer(t, p.good, func(<-chan struct{}) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			host = r.Host
			serve(200, "text/plain", goodPolicy)(w, r)
		})
	})
	got, err := p.client(s, nil).Policy(t.Context(), "Example.COM.")
	if err != nil {
		t.Fatalf("Policy: %v", err)
	}
	if diff := cmp.Diff([]string{policyHost}, s.names()); diff != "" {
		t.Errorf("SNI mismatch (-want +got):\n%s", diff)
	}
	if host != policyHost || got.URL != policyURL {
		t.Errorf("Host header %q, URL %q; want %q, %q", host, got.URL, policyHost, policyURL)
	}
}

// TestPolicyAddresses: the addresses are tried in turn.
func TestPolicyAddresses(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	s := startServer(t, p.good, func(<-chan struct{}) http.Handler { return serve(200, "text/plain", goodPolicy) })
	refused := netip.MustParseAddr("127.0.0.2") // nothing listens there
	res := fetchtest.Resolver{policyHost: {refused, netip.MustParseAddr("127.0.0.1")}}
	c := p.client(s, func(o *fetch.Options) { o.Resolver = res })
	if got, err := c.Policy(t.Context(), domain); err != nil || got.Status != 200 {
		t.Fatalf("Policy = %d, %v; want 200 through the second address", got.Status, err)
	}
	c = p.client(s, func(o *fetch.Options) { o.Resolver = fetchtest.Resolver{policyHost: {refused}} })
	_, err := c.Policy(t.Context(), domain)
	if err == nil || !strings.Contains(err.Error(), "connect to "+policyHost) {
		t.Fatalf("Policy error = %v, want a connect error", err)
	}
}

// TestPolicyRefusedBeforeIO: what is not a domain name is not looked up.
func TestPolicyRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	res := &countingResolver{Resolver: fetchtest.Loopback(policyHost)}
	c := fetch.New(fetch.Options{Resolver: res})
	for _, d := range []string{"", "example.com/x", "exa mple.com", "example.com:8443", "bücher.example", "a..b"} {
		if _, err := c.Policy(t.Context(), d); err == nil {
			t.Errorf("Policy(%q) succeeded, want an error", d)
		}
	}
	if n := res.n.Load(); n != 0 {
		t.Errorf("resolver called %d times, want 0", n)
	}
	if _, err := fetch.New(fetch.Options{}).Policy(t.Context(), domain); err == nil {
		t.Error("Policy without a resolver succeeded")
	}
}

// TestPolicyHugeBody: a body of 100 MiB is not read beyond the cap: the
// client hangs up and the server's writes fail.
func TestPolicyHugeBody(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	const total = 100 << 20
	written := make(chan int, 1)
	s := startServer(t, p.good, func(<-chan struct{}) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			chunk, n := bytes.Repeat([]byte("x"), 32<<10), 0
			for n < total {
				m, err := w.Write(chunk)
				n += m
				if err != nil {
					break
				}
			}
			written <- n
		})
	})
	got, err := p.client(s, nil).Policy(context.Background(), domain)
	if err != nil || !got.Truncated || len(got.Body) != policy.MaxSize {
		t.Fatalf("Policy = %d bytes, truncated %v, %v; want %d bytes, truncated", len(got.Body), got.Truncated, err, policy.MaxSize)
	}
	if n := <-written; n >= total {
		t.Errorf("server wrote all %d bytes; the client should have hung up", n)
	}
}
