package ghapi_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

// TestAuthenticatedUser reads the account of a personal access token, and
// gets a 403 *PermissionError for an installation token.
func TestAuthenticatedUser(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.SetLogin("alice")
	u, err := e.c.AuthenticatedUser(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.Login != "alice" || u.Type != "User" || u.ID == 0 {
		t.Errorf("AuthenticatedUser = %+v", u)
	}
	e.srv.SetLogin(ghfake.DefaultLogin)
	_, err = e.c.AuthenticatedUser(context.Background())
	var perm *ghapi.PermissionError
	if !asPermission(err, &perm) || perm.Status != http.StatusForbidden {
		t.Errorf("AuthenticatedUser with an installation token: err = %v, want a 403 *PermissionError", err)
	}
	noToken(t, err)
	if diff := cmp.Diff([]string{"GET /user 200", "GET /user 403"}, e.requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestViewer reads the token's login through GraphQL, which answers for
// installation tokens too.
func TestViewer(t *testing.T) {
	t.Parallel()
	for _, login := range []string{ghfake.DefaultLogin, "stsgate-app[bot]", "alice"} {
		e := setup(t)
		e.srv.SetLogin(login)
		u, err := e.c.Viewer(context.Background())
		if err != nil || u.Login != login {
			t.Errorf("Viewer as %s = %+v, %v", login, u, err)
		}
		r := e.srv.Requests()[0]
		if r.Method != "POST" || r.Path != "/api/graphql" || r.Token != token || e.srv.Writes() != 0 {
			t.Errorf("request %+v, %d writes", r, e.srv.Writes())
		}
	}
}

// TestViewerFailures: an HTTP error keeps its class, a GraphQL error or an
// answer without a login is an error.
func TestViewerFailures(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.RequireToken("another")
	_, err := e.c.Viewer(context.Background())
	var perm *ghapi.PermissionError
	if !asPermission(err, &perm) || perm.Status != http.StatusUnauthorized {
		t.Errorf("bad token: err = %v, want a 401 *PermissionError", err)
	}
	noToken(t, err)
	for _, body := range []string{`{"errors":[{"message":"Something went wrong"}]}`, `{"data":{"viewer":{}}}`, `<html>`} {
		c := viewerClient(t, "https://api.github.com", body, nil)
		if u, err := c.Viewer(context.Background()); err == nil {
			t.Errorf("answer %s: Viewer = %+v, want an error", body, u)
		}
	}
}

// TestGraphQLURL puts the GraphQL endpoint where GitHub has it for each
// kind of REST root.
func TestGraphQLURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, want string }{
		{"", "https://api.github.com/graphql"},
		{"https://api.github.com/", "https://api.github.com/graphql"},
		{"https://ghe.example/api/v3", "https://ghe.example/api/graphql"},
		{"https://ghe.example/api/v3/", "https://ghe.example/api/graphql"},
		{"https://api.acme.ghe.com", "https://api.acme.ghe.com/graphql"},
	}
	for _, tt := range tests {
		var seen []string
		c := viewerClient(t, tt.base, `{"data":{"viewer":{"login":"x"}}}`, &seen)
		if _, err := c.Viewer(context.Background()); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{tt.want}, seen); diff != "" {
			t.Errorf("base %q: GraphQL URL (-want +got):\n%s", tt.base, diff)
		}
	}
}

// viewerClient is a client whose every request gets answer; the URLs
// requested are appended to seen when it is not nil.
func viewerClient(t *testing.T, base, answer string, seen *[]string) *ghapi.Client {
	t.Helper()
	rt := roundTripper(func(req *http.Request) (*http.Response, error) {
		if seen != nil {
			*seen = append(*seen, req.URL.String())
		}
		return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(answer)), Request: req}, nil
	})
	c, err := ghapi.New(ghapi.Options{Token: token, BaseURL: base, HTTPClient: &http.Client{Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// roundTripper adapts a function to http.RoundTripper.
type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
