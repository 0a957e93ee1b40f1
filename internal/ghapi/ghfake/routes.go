package ghfake

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// handler serves one endpoint of one repository; the lock is held.
type handler func(w http.ResponseWriter, r *http.Request, st *repoState)

// endpoint is one REST operation the fake serves, its path spelled as in
// GitHub's REST description (testdata/rest-api-extract.json), with "..."
// marking the multi-segment parameter.
type endpoint struct {
	method, path string
	h            handler
}

// repoPath is the prefix of every repository endpoint.
const repoPath = "/repos/{owner}/{repo}"

// endpoints lists the repository operations the fake serves: those
// stsgate calls, each described in testdata/rest-api-extract.json.
func (s *Server) endpoints() []endpoint {
	return []endpoint{
		{"GET", repoPath + "/contents/{path...}", s.getContents},
		{"GET", repoPath + "/pulls/{pull_number}", s.getPullRequest},
		{"GET", repoPath + "/issues", s.listIssues},
		{"POST", repoPath + "/issues", s.createIssue},
		{"GET", repoPath + "/issues/{issue_number}", s.getIssue},
		{"PATCH", repoPath + "/issues/{issue_number}", s.editIssue},
		{"POST", repoPath + "/issues/{issue_number}/comments", s.createComment},
		{"POST", repoPath + "/labels", s.createLabel},
		{"GET", repoPath + "/labels/{name}", s.getLabel},
		{"GET", repoPath + "/commits", s.listCommits},
		{"GET", repoPath + "/git/trees/{tree_sha}", s.getTree},
		{"GET", repoPath + "/git/blobs/{file_sha}", s.getBlob},
	}
}

// routes returns the endpoints, mounted under /api/v3.
func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	for _, e := range s.endpoints() {
		m.HandleFunc(e.method+" "+prefix+e.path, s.inRepo(e.h))
	}
	m.HandleFunc("GET "+prefix+"/user", s.getUser)
	m.HandleFunc("POST "+graphQLPath, s.graphQL)
	m.HandleFunc("/", s.notImplemented)
	return m
}

// inRepo resolves the {owner}/{repo} of the path, answering 404 for a
// repository never seeded.
func (s *Server) inRepo(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := strings.ToLower(r.PathValue("owner") + "/" + r.PathValue("repo"))
		if to, ok := s.moved[key]; ok {
			s.redirect(w, r, to)
			return
		}
		st, ok := s.repos[key]
		if !ok {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		h(w, r, st)
	}
}

// redirect answers 301 for a renamed repository, pointing at the same
// resource under its new name, query kept, with GitHub's body.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to string) {
	old := prefix + "/repos/" + r.PathValue("owner") + "/" + r.PathValue("repo")
	u := url.URL{Scheme: "http", Host: r.Host, Path: prefix + "/repos/" + to + strings.TrimPrefix(r.URL.Path, old), RawQuery: r.URL.RawQuery}
	w.Header().Set("Location", u.String())
	writeJSON(w, http.StatusMovedPermanently, map[string]string{"message": "Moved Permanently", "url": u.String(), "documentation_url": redirectDocs})
}

// notImplemented answers requests outside the fake's endpoints, including
// any that lost the /api/v3 prefix, and remembers them.
func (s *Server) notImplemented(w http.ResponseWriter, r *http.Request) {
	s.unhandled = append(s.unhandled, r.Method+" "+r.URL.Path)
	writeError(w, http.StatusNotFound, "Not Found (ghfake: endpoint not implemented)")
}

// number parses the {issue_number} or {pull_number} path value, answering
// 404 when it is not one.
func number(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(cmp.Or(r.PathValue("issue_number"), r.PathValue("pull_number")))
	if err != nil || n < 1 {
		writeError(w, http.StatusNotFound, "Not Found")
		return 0, false
	}
	return n, true
}

// decode reads the JSON request body into v, answering 400 on failure.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

// GitHub's page sizes.
const (
	defaultPerPage = 30
	maxPerPage     = 100
)

// page returns the page of items that the per_page and page query
// parameters select, and sets the Link header the way GitHub does.
func page[T any](w http.ResponseWriter, r *http.Request, items []T) []T {
	q := r.URL.Query()
	per := intParam(q.Get("per_page"), defaultPerPage)
	per = min(per, maxPerPage)
	n := intParam(q.Get("page"), 1)
	last := max(1, (len(items)+per-1)/per)
	var links []string
	link := func(p int, rel string) {
		links = append(links, "<"+pageURL(r, p, per)+`>; rel="`+rel+`"`)
	}
	if n < last {
		link(n+1, "next")
		link(last, "last")
	}
	if n > 1 {
		link(1, "first")
		link(min(n-1, last), "prev")
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	start := min((n-1)*per, len(items))
	return items[start:min(start+per, len(items))]
}

// intParam parses a positive query parameter, else returns def.
func intParam(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return def
	}
	return n
}

// pageURL is the absolute URL of page p of the request's list.
func pageURL(r *http.Request, p, per int) string {
	q := r.URL.Query()
	q.Set("page", strconv.Itoa(p))
	q.Set("per_page", strconv.Itoa(per))
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}
