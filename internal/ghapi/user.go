package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/remind"
)

// AuthenticatedUser returns the token's account (GET /user). A personal
// access token has one. The Actions GITHUB_TOKEN and every other GitHub
// App installation token are refused with 403 "Resource not accessible
// by integration", a *PermissionError: they act as the app's bot, which
// Viewer names. Needs no permission.
func (c *Client) AuthenticatedUser(ctx context.Context) (remind.User, error) {
	k := call{op: "read the token's account", permission: "a personal access token"}
	u, _, err := c.api().Users.Get(ctx, "")
	if err != nil {
		return remind.User{}, k.wrap(err)
	}
	return remind.User{Login: u.GetLogin(), ID: u.GetID(), Type: u.GetType()}, nil
}

// viewerQuery asks GraphQL for the token's login.
const viewerQuery = "query { viewer { login } }"

// maxGraphQLAnswer bounds the GraphQL answer read.
const maxGraphQLAnswer = 1 << 20

// Viewer returns the login of the token's account from the GraphQL API
// ({ viewer { login } }). Unlike GET /user it answers for installation
// tokens: "github-actions[bot]" for the Actions GITHUB_TOKEN,
// "<app-slug>[bot]" for a GitHub App's token. REST has no call that does
// (GET /app needs the app's own JWT, and GET /installation/repositories
// names repositories, not the app). Only Login is set.
func (c *Client) Viewer(ctx context.Context) (remind.User, error) {
	k := call{op: "read the token's account (GraphQL viewer)", permission: "a valid token"}
	var answer struct {
		Data struct {
			Viewer struct {
				Login string `json:"login"`
			} `json:"viewer"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := c.graphQL(ctx, viewerQuery, &answer); err != nil {
		return remind.User{}, k.wrap(err)
	}
	switch {
	case len(answer.Errors) > 0:
		return remind.User{}, fmt.Errorf("ghapi: %s: %s", k.op, answer.Errors[0].Message)
	case answer.Data.Viewer.Login == "":
		return remind.User{}, fmt.Errorf("ghapi: %s: the answer names no login", k.op)
	}
	return remind.User{Login: answer.Data.Viewer.Login}, nil
}

// graphQL posts query to the GraphQL endpoint and decodes the answer into
// v. Error statuses come back as go-github's error types, so that
// call.wrap classifies them as for REST. A POST is not retried after a
// server error, but a query is safe to lose: callers fall back.
func (c *Client) graphQL(ctx context.Context, query string, v any) error {
	body, err := json.Marshal(map[string]string{"query": query})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.graphql.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := github.CheckResponse(resp); err != nil {
		return err
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxGraphQLAnswer)).Decode(v); err != nil {
		return errors.New("the answer is not GraphQL JSON")
	}
	return nil
}

// graphQLURL returns the GraphQL endpoint that goes with the REST root
// base, as GitHub lays them out and as octokit's GraphQL client derives
// it: https://api.github.com/graphql beside https://api.github.com/,
// https://HOST/api/graphql beside GitHub Enterprise Server's
// https://HOST/api/v3/. (Actions also sets GITHUB_GRAPHQL_URL to the same.)
func graphQLURL(base *url.URL) *url.URL {
	u := *base
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	if p, ok := strings.CutSuffix(u.Path, "/api/v3/"); ok {
		u.Path = p + "/api/graphql"
		return &u
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/graphql"
	return &u
}
