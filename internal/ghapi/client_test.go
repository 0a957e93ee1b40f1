package ghapi_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

func TestBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		wantErr  bool
	}{
		{in: "", want: "https://api.github.com/"},
		{in: "https://api.github.com", want: "https://api.github.com/"},
		{in: "https://api.github.com/", want: "https://api.github.com/"},
		{in: "https://ghe.example/api/v3", want: "https://ghe.example/api/v3/"},
		{in: "https://ghe.example/api/v3/", want: "https://ghe.example/api/v3/"},
		{in: "https://ghe.example", want: "https://ghe.example/api/v3/"},
		{in: "https://api.acme.ghe.com", want: "https://api.acme.ghe.com/"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080/api/v3/"},
		{in: "ghe.example/api/v3", wantErr: true},
		{in: "ftp://ghe.example/api/v3", wantErr: true},
		{in: "http://[::1", wantErr: true},
	}
	for _, tt := range tests {
		c, err := ghapi.New(ghapi.Options{BaseURL: tt.in})
		if (err != nil) != tt.wantErr {
			t.Errorf("New(BaseURL %q) error = %v, want error %t", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && c.BaseURL() != tt.want {
			t.Errorf("New(BaseURL %q).BaseURL() = %q, want %q", tt.in, c.BaseURL(), tt.want)
		}
	}
}

// redirector sends every request to the fake, remembering the URL and
// headers the client meant to use.
type redirector struct {
	to   *url.URL
	mu   sync.Mutex
	seen []*http.Request
}

func (r *redirector) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Clone(req.Context()))
	r.mu.Unlock()
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.to.Scheme, r.to.Host, ""
	return http.DefaultTransport.RoundTrip(out)
}

// TestGHES checks that a GitHub Enterprise Server GITHUB_API_URL keeps its
// /api/v3 prefix, and that the token and user agent go with the request.
func TestGHES(t *testing.T) {
	t.Parallel()
	srv := ghfake.New(t)
	srv.Repo(owner, name).SetFile("abc", "policy.txt", "version: STSv1\n")
	target, _ := url.Parse(srv.URL())
	rd := &redirector{to: target}
	c, err := ghapi.New(ghapi.Options{Token: token, BaseURL: "https://ghe.example/api/v3", HTTPClient: &http.Client{Transport: rd}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.FileAt(context.Background(), owner, name, "abc", "policy.txt")
	if err != nil || string(got) != "version: STSv1\n" {
		t.Fatalf("FileAt = %q, %v", got, err)
	}
	req := rd.seen[0]
	if want := "https://ghe.example/api/v3/repos/octo/mail/contents/policy.txt?ref=abc"; req.URL.String() != want {
		t.Errorf("URL = %s, want %s", req.URL, want)
	}
	if got, want := req.Header.Get("Authorization"), "Bearer "+token; got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
	if got := req.Header.Get("User-Agent"); got != "stsgate" {
		t.Errorf("User-Agent = %q, want stsgate", got)
	}
}

// TestNoToken checks that a client without a token sends no Authorization.
func TestNoToken(t *testing.T) {
	t.Parallel()
	srv := ghfake.New(t)
	srv.Repo(owner, name).AddPullRequest(4, "mta-sts-override")
	c, err := ghapi.New(ghapi.Options{BaseURL: srv.URL(), UserAgent: "stsgate-test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PullRequestLabels(context.Background(), owner, name, 4); err != nil {
		t.Fatal(err)
	}
	var tokens []string
	for _, r := range srv.Requests() {
		tokens = append(tokens, r.Token)
	}
	if diff := cmp.Diff([]string{""}, tokens); diff != "" {
		t.Errorf("tokens seen (-want +got):\n%s", diff)
	}
}

// TestBadCredentials checks that a rejected token is a permission error
// that does not show the token.
func TestBadCredentials(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.RequireToken("another")
	_, err := e.c.FileAt(context.Background(), owner, name, "main", "x")
	var perm *ghapi.PermissionError
	if !asPermission(err, &perm) || perm.Status != http.StatusUnauthorized {
		t.Fatalf("err = %v, want a 401 *PermissionError", err)
	}
	noToken(t, err)
}
