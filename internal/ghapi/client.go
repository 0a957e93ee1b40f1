// Package ghapi is stsgate's GitHub REST client and the only package that
// imports go-github (DESIGN §2). It offers the few calls the gate and the
// reminder issues need, returns stsgate's own types, pages through lists
// itself, retries 5xx answers and rate limits with a bounded backoff, and
// classifies failures as ErrNotFound, *PermissionError or *RateLimitError.
// One GraphQL query, Viewer, goes through the same transports: it is the
// only way an installation token can learn its own login.
//
// The core packages define the small interfaces they need; *Client
// satisfies them and cli wires the two together.
package ghapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// DefaultBaseURL is the REST API root of github.com, used when
// Options.BaseURL is empty.
const DefaultBaseURL = "https://api.github.com/"

// Options configures a Client. The zero value talks to github.com without
// a token.
type Options struct {
	// Token authenticates every request to the API host (GITHUB_TOKEN or
	// the action's token input). It is never logged or put in errors.
	Token string
	// BaseURL is the REST API root, as in GITHUB_API_URL:
	// https://api.github.com, or https://ghe.example/api/v3 on GitHub
	// Enterprise Server. A trailing slash is optional; a host not named
	// api.* gets /api/v3/ appended, as go-github does.
	BaseURL string
	// HTTPClient sends the requests; nil means a client with
	// http.DefaultTransport. Its Timeout, if any, covers retries too.
	HTTPClient *http.Client
	// UserAgent defaults to "stsgate".
	UserAgent string
	// Retry bounds the retries of failed requests.
	Retry Retry
}

// Client calls the GitHub REST API. It is safe for concurrent use.
type Client struct {
	http      *http.Client // auth and retry transports installed
	base      *url.URL     // always ends in a slash
	graphql   *url.URL     // the GraphQL endpoint that goes with base
	userAgent string
}

// New returns a Client for opts. It fails only for an unusable base URL.
func New(opts Options) (*Client, error) {
	base, err := baseURL(opts.BaseURL)
	if err != nil {
		return nil, err
	}
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		copied := *opts.HTTPClient
		hc = &copied
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.CheckRedirect = readsOnly(hc.CheckRedirect)
	retry := &retryTransport{next: next, policy: opts.Retry.withDefaults()}
	hc.Transport = &authTransport{next: retry, token: opts.Token, host: base.Host}
	ua := opts.UserAgent
	if ua == "" {
		ua = "stsgate"
	}
	return &Client{http: hc, base: base, graphql: graphQLURL(base), userAgent: ua}, nil
}

// BaseURL returns the API root the client sends requests to, with its
// trailing slash.
func (c *Client) BaseURL() string { return c.base.String() }

// baseURL normalises GITHUB_API_URL the way go-github's WithEnterpriseURLs
// does, so that github.com, GHES (…/api/v3) and ghe.com (api.*) all work.
func baseURL(raw string) (*url.URL, error) {
	if strings.TrimSpace(raw) == "" {
		raw = DefaultBaseURL
	}
	gh, err := github.NewClient(nil).WithEnterpriseURLs(raw, raw)
	if err != nil {
		return nil, fmt.Errorf("ghapi: API base URL %q: %w", raw, err)
	}
	u := gh.BaseURL
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("ghapi: API base URL %q: want an http or https URL with a host", raw)
	}
	return u, nil
}

// api returns a fresh go-github client for one request. go-github remembers
// rate limits per client and then refuses requests locally, on its own
// clock, until the reset (github-actions.md §2.3); that would bypass the
// retry transport's bounded waits and its injected clock. A client per
// request keeps every decision in the transport. Construction is cheap.
func (c *Client) api() *github.Client {
	gh := github.NewClient(c.http)
	gh.BaseURL = c.base // read-only after New, so sharing it is safe
	gh.UserAgent = c.userAgent
	return gh
}

// maxRedirects is how many redirects a read follows, as net/http does.
const maxRedirects = 10

// readsOnly returns a redirect policy that follows redirects of GET and
// HEAD requests (GitHub answers 301 for a renamed repository) and hands
// any other redirect back to the caller as the answer: net/http would
// resend a redirected PATCH or POST as a bodiless GET, which "succeeds"
// without writing. next, if any, is consulted for reads.
func readsOnly(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		switch m := via[0].Method; {
		case m != http.MethodGet && m != http.MethodHead:
			return http.ErrUseLastResponse
		case next != nil:
			return next(req, via)
		case len(via) >= maxRedirects:
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// authTransport adds the bearer token to requests for the API host only,
// so that a redirect to another host never carries it.
type authTransport struct {
	next  http.RoundTripper
	token string
	host  string
}

// RoundTrip implements http.RoundTripper.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.token == "" || !strings.EqualFold(req.URL.Host, t.host) {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(req)
}

// pageLimit is the number of pages a list call reads at most, so that a
// runaway repository cannot turn one run into thousands of requests.
const pageLimit = 50

// perPage is GitHub's largest page size.
const perPage = 100

// errTooManyPages reports a list longer than pageLimit pages.
var errTooManyPages = fmt.Errorf("more than %d pages of results", pageLimit)

// paginate calls fetch for every page, 100 items a page, following
// Response.NextPage (github-actions.md §2.2), and returns all items. fetch
// reads the page to get from opts.
func paginate[T any](opts *github.ListOptions, fetch func() ([]T, *github.Response, error)) ([]T, error) {
	opts.PerPage = perPage
	var all []T
	for range pageLimit {
		items, resp, err := fetch()
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		if resp.NextPage == 0 {
			return all, nil
		}
		opts.Page = resp.NextPage
	}
	return nil, errTooManyPages
}

// timeOf returns the time in ts, or the zero time.
func timeOf(ts *github.Timestamp) time.Time {
	if ts == nil {
		return time.Time{}
	}
	return ts.Time
}
