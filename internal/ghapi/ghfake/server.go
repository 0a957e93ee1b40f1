// Package ghfake is an in-memory fake of the few GitHub REST endpoints
// stsgate uses, served over HTTP on loopback by net/http/httptest. Answers
// are go-github's own structs marshalled to JSON, with GitHub's status codes,
// error bodies and Link pagination. Tests seed repositories through Repo,
// inject failures with Fail, and assert on Requests, Writes and the
// repository state afterwards. The API is mounted under /api/v3, as on
// GitHub Enterprise Server, so that URL() works as GITHUB_API_URL and a
// client that drops the prefix is caught; the one GraphQL query stsgate
// sends, { viewer { login } }, is answered at /api/graphql beside it, as
// on GitHub Enterprise Server. SetLogin chooses the token's account and,
// by its form, the kind of token (personal or installation).
//
// The fake is held to an extract of GitHub's REST description
// (testdata/rest-api-extract.json; conformance_test.go): its paths, enums
// and status codes, and the behaviours described there, such as
// state_reason ignored unless the state changes, 410 Gone when issues are
// disabled, labels silently dropped for a token without push access
// (SetNoPush), 409 for an empty repository, 403 too_large for a file over
// 100 MB and 301 for a renamed repository. Every GET answer has an ETag,
// and a conditional request naming it is answered 304 Not Modified.
package ghfake

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// prefix is where the API is mounted.
const prefix = "/api/v3"

// DefaultLogin is the login of the token's account: the Actions bot, whose
// GITHUB_TOKEN is an installation token.
const DefaultLogin = "github-actions[bot]"

// Server is a fake GitHub REST API. It is safe for concurrent use.
type Server struct {
	srv *httptest.Server
	mux *http.ServeMux

	mu        sync.Mutex // guards everything below; held while a request is served
	repos     map[string]*repoState
	moved     map[string]string // old lower-case owner/name -> new owner/name
	noPush    bool
	requests  []Request
	writes    int
	faults    []*Fault
	readOnly  bool
	token     string // required token; "" accepts any
	login     string
	now       func() time.Time
	nextID    int64
	unhandled []string
}

// Request is one request the server received.
type Request struct {
	Method string
	Path   string // the API path without /api/v3, unescaped: /repos/o/r/issues; /api/graphql for GraphQL
	Query  string // the raw query
	Token  string // from the Authorization header, "" without one
	Accept string
	Body   string
	// IfNoneMatch is the ETag of a conditional request, "" without one.
	IfNoneMatch string
	Status      int // the status answered
}

// New starts a Server that is closed when the test ends; the test fails
// if a request reached an endpoint the fake does not implement.
func New(t testing.TB) *Server {
	t.Helper()
	s := Start()
	t.Cleanup(func() {
		s.Close()
		for _, u := range s.Unhandled() {
			t.Errorf("ghfake: request to an endpoint the fake does not implement: %s", u)
		}
	})
	return s
}

// Start starts a Server; the caller must Close it. For testscript setups,
// which have no testing.TB: start it, put URL() into GITHUB_API_URL and
// defer Close.
func Start() *Server {
	s := &Server{
		repos: make(map[string]*repoState),
		moved: make(map[string]string),
		login: DefaultLogin,
		now:   func() time.Time { return time.Now().UTC().Truncate(time.Second) },
	}
	s.mux = s.routes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// URL is the API root to use as GITHUB_API_URL: http://127.0.0.1:port/api/v3.
func (s *Server) URL() string { return s.srv.URL + prefix }

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// SetReadOnly makes every write answer 403 "Resource not accessible by
// integration", like the read-only token of a fork pull request.
func (s *Server) SetReadOnly(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOnly = on
}

// SetNoPush gives the token write access to issues but no push access to
// the repository: labels sent with a new issue or an edit are silently
// dropped, as GitHub's description says for such tokens.
func (s *Server) SetNoPush(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noPush = on
}

// RequireToken makes requests without this bearer token answer 401 "Bad
// credentials"; "" accepts any token or none.
func (s *Server) RequireToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = token
}

// SetLogin sets the login of the token's account, the author of what the
// client creates (default DefaultLogin). The login also says what kind of
// token the client holds. A bot login ("name[bot]", such as DefaultLogin)
// is an installation token, like the Actions GITHUB_TOKEN: GET /user
// answers 403 "Resource not accessible by integration" and only the
// GraphQL viewer names the account. Any other login is a person's
// personal access token: GET /user returns it.
func (s *Server) SetLogin(login string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.login = login
}

// SetNow sets the clock for created, updated and closed times.
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Writes returns how many POST, PATCH, PUT and DELETE requests arrived,
// including those answered with an error; GraphQL queries are reads.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// Unhandled lists the requests ("METHOD /path") that matched no endpoint.
func (s *Server) Unhandled() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.unhandled)
}

// serve records the request, applies authentication, injected failures and
// read-only mode, then dispatches it, all under the lock.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	req := Request{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, prefix), Query: r.URL.RawQuery,
		Token: bearer(r.Header.Get("Authorization")), Accept: r.Header.Get("Accept"), Body: string(body),
		IfNoneMatch: r.Header.Get("If-None-Match")}
	if isWrite(r) {
		s.writes++
	}
	if r.Method == http.MethodGet {
		cw := &conditionalWriter{ResponseWriter: rec, header: http.Header{}, status: http.StatusOK}
		s.dispatch(cw, r, req)
		cw.finish(req.IfNoneMatch)
	} else {
		s.dispatch(rec, r, req)
	}
	req.Status = rec.status
	if rec.status == http.StatusMethodNotAllowed {
		s.unhandled = append(s.unhandled, r.Method+" "+r.URL.Path)
	}
	s.requests = append(s.requests, req)
}

// dispatch answers one request; the lock is held.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request, req Request) {
	switch {
	case s.token != "" && req.Token != s.token:
		writeError(w, http.StatusUnauthorized, "Bad credentials")
	case s.applyFault(w, req):
	case s.readOnly && isWrite(r):
		writeError(w, http.StatusForbidden, notAccessible)
	default:
		s.mux.ServeHTTP(w, r)
	}
}

// bearer returns the token of an Authorization header ("Bearer t" or
// "token t").
func bearer(h string) string {
	for _, scheme := range []string{"Bearer ", "bearer ", "token "} {
		if t, ok := strings.CutPrefix(h, scheme); ok {
			return t
		}
	}
	return ""
}

// isWrite reports whether r changes state: a POST, PATCH, PUT or DELETE
// other than a GraphQL query.
func isWrite(r *http.Request) bool {
	if isQuery(r) {
		return false
	}
	switch r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// statusRecorder remembers the status written.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader implements http.ResponseWriter.
func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
