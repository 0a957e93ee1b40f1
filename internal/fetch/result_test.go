package fetch_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/stsgate/stsgate/internal/fetch"
	"github.com/stsgate/stsgate/internal/policy"
)

func ok(ct, body string) policy.Fetched {
	return policy.Fetched{URL: policyURL, Status: 200, ContentType: ct, Body: []byte(body)}
}

// TestResultType maps outcomes to RFC 8460 §4.3.2.2 result types.
func TestResultType(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("policy fetch %s: %w", policyURL, err) }
	tests := []struct {
		name string
		err  error
		f    policy.Fetched
		want string
	}{
		{"valid", nil, ok("text/plain; charset=utf-8", goodPolicy), ""},
		{"media type parameters", nil, ok("TEXT/PLAIN; charset=US-ASCII; x=y", goodPolicy), ""},
		{"latin-1 is for the rules", nil, ok("text/plain; charset=iso-8859-1", goodPolicy), ""},
		{"broken parameter", nil, ok("text/plain; charset", goodPolicy), ""},
		{"duplicate mode: first wins", nil, ok("text/plain", goodPolicy+"mode: testing\n"), ""},
		{"short max_age is advice", nil, ok("text/plain", "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 60\n"), ""},
		{"no Content-Type", nil, ok("", goodPolicy), fetch.ResultPolicyInvalid},
		{"text/html", nil, ok("text/html", goodPolicy), fetch.ResultPolicyInvalid},
		{"garbage Content-Type", nil, ok("text/plain/x", goodPolicy), fetch.ResultPolicyInvalid},
		{"no mx", nil, ok("text/plain", "version: STSv1\nmode: enforce\nmax_age: 604800\n"), fetch.ResultPolicyInvalid},
		{"empty", nil, ok("text/plain", ""), fetch.ResultPolicyInvalid},
		{"404", nil, policy.Fetched{Status: 404}, fetch.ResultFetchError},
		{"301", nil, policy.Fetched{Status: 301, Location: "https://example.com/"}, fetch.ResultFetchError},
		{"truncated", nil, policy.Fetched{Status: 200, ContentType: "text/plain", Truncated: true}, fetch.ResultFetchError},
		{"NXDOMAIN", wrap(&net.DNSError{IsNotFound: true}), policy.Fetched{}, fetch.ResultFetchError},
		{"timeout", wrap(context.DeadlineExceeded), policy.Fetched{}, fetch.ResultFetchError},
		{"refused", wrap(errors.New("connection refused")), policy.Fetched{}, fetch.ResultFetchError},
		{"handshake alert", wrap(tls.AlertError(112)), policy.Fetched{}, fetch.ResultFetchError},
		{"verification", wrap(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), policy.Fetched{}, fetch.ResultWebPKIInvalid},
		{"host name", wrap(x509.HostnameError{Host: policyHost}), policy.Fetched{}, fetch.ResultWebPKIInvalid},
		{"expired", wrap(x509.CertificateInvalidError{Reason: x509.Expired}), policy.Fetched{}, fetch.ResultWebPKIInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := fetch.ResultType(tc.err, tc.f); got != tc.want {
				t.Errorf("ResultType(%v, %+v) = %q, want %q", tc.err, tc.f, got, tc.want)
			}
		})
	}
}

// FuzzResultType: any served Content-Type and body map to one of the
// result types, without a panic.
func FuzzResultType(f *testing.F) {
	for _, s := range []struct{ ct, body string }{
		{"text/plain; charset=utf-8", goodPolicy}, {"TEXT/PLAIN; charset=US-ASCII; x=y", goodPolicy},
		{"", ""}, {"text/html", "<h1>"}, {"text/plain; charset", "hello\n"}, {"text/plain;;", "\ufeffversion: STSv1\n"},
	} {
		f.Add(s.ct, []byte(s.body), 200)
	}
	f.Fuzz(func(t *testing.T, ct string, body []byte, status int) {
		switch r := fetch.ResultType(nil, policy.Fetched{Status: status, ContentType: ct, Body: body}); r {
		case "", fetch.ResultFetchError, fetch.ResultPolicyInvalid:
		default:
			t.Fatalf("ResultType = %q", r)
		}
	})
}
