package ghfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
)

// post sends a JSON POST with a token to url and returns status and body.
func post(t *testing.T, s *ghfake.Server, url, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// graphQLURL is the fake's GraphQL endpoint, beside /api/v3 as on GitHub
// Enterprise Server.
func graphQLURL(s *ghfake.Server) string { return strings.TrimSuffix(s.URL(), "/v3") + "/graphql" }

// TestAuthenticatedUser: GET /user names a person's account (a personal
// access token) and refuses an installation token (a bot login) with
// GitHub's 403, as the Actions GITHUB_TOKEN gets.
func TestAuthenticatedUser(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	gh := client(t, s)
	ctx := context.Background()
	s.SetLogin("alice")
	u, _, err := gh.Users.Get(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if u.GetLogin() != "alice" || u.GetType() != "User" || u.GetID() == 0 || u.GetSiteAdmin() {
		t.Errorf("GET /user as alice = %+v", u)
	}
	s.SetLogin(ghfake.DefaultLogin)
	_, resp, err := gh.Users.Get(ctx, "")
	var e *github.ErrorResponse
	if !errors.As(err, &e) || resp.StatusCode != http.StatusForbidden || e.Message != "Resource not accessible by integration" ||
		!strings.HasSuffix(e.DocumentationURL, "#get-the-authenticated-user") {
		t.Errorf("GET /user with an installation token: %v", err)
	}
	status, _, body := get(t, s, "/user")
	if status != http.StatusUnauthorized || !strings.Contains(body, "Requires authentication") {
		t.Errorf("GET /user without a token: %d %s", status, body)
	}
}

// TestGraphQLViewer answers the viewer query for every kind of token, is
// not a write, and records any other query as not implemented.
func TestGraphQLViewer(t *testing.T) {
	t.Parallel()
	s := ghfake.Start()
	defer s.Close()
	s.SetReadOnly(true)
	for _, login := range []string{ghfake.DefaultLogin, "alice"} {
		s.SetLogin(login)
		status, body := post(t, s, graphQLURL(s), "tok", `{"query":"query {\n  viewer {\n    login\n  }\n}"}`)
		var got struct {
			Data struct{ Viewer struct{ Login string } }
		}
		if err := json.Unmarshal([]byte(body), &got); err != nil || status != http.StatusOK || got.Data.Viewer.Login != login {
			t.Errorf("viewer as %s: %d %s", login, status, body)
		}
	}
	if status, body := post(t, s, graphQLURL(s), "", `{"query":"{ viewer { login } }"}`); status != http.StatusUnauthorized {
		t.Errorf("viewer without a token: %d %s", status, body)
	}
	if s.Writes() != 0 || len(s.Unhandled()) != 0 {
		t.Errorf("viewer queries: %d writes, unhandled %v; want none", s.Writes(), s.Unhandled())
	}
	post(t, s, graphQLURL(s), "tok", `{"query":"{ repository(owner: \"o\", name: \"r\") { id } }"}`)
	if diff := cmp.Diff([]string{"POST /api/graphql"}, s.Unhandled()); diff != "" {
		t.Errorf("unhandled (-want +got):\n%s", diff)
	}
}

// TestAuthorIsLogin: issues and comments created through the fake are the
// token's, whatever login is set; seeded ones may name anyone.
func TestAuthorIsLogin(t *testing.T) {
	t.Parallel()
	s := ghfake.New(t)
	r := s.Repo("o", "r")
	r.AddIssue(ghfake.Issue{Title: "forged", Author: "mallory"})
	s.SetLogin("stsgate-app[bot]")
	gh := client(t, s)
	ctx := context.Background()
	is, _, err := gh.Issues.Create(ctx, "o", "r", &github.IssueRequest{Title: github.String("mine")})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gh.Issues.CreateComment(ctx, "o", "r", 1, &github.IssueComment{Body: github.String("c")}); err != nil {
		t.Fatal(err)
	}
	forged, _ := r.Issue(1)
	mine, _ := r.Issue(is.GetNumber())
	got := []string{forged.Author, mine.Author, forged.Comments[0].Author, is.GetUser().GetLogin(), is.GetUser().GetType()}
	if diff := cmp.Diff([]string{"mallory", "stsgate-app[bot]", "stsgate-app[bot]", "stsgate-app[bot]", "Bot"}, got); diff != "" {
		t.Errorf("authors (-want +got):\n%s", diff)
	}
}
