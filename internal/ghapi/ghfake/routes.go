package ghfake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// handler serves one endpoint of one repository; the lock is held.
type handler func(w http.ResponseWriter, r *http.Request, st *repoState)

// routes returns the endpoints, mounted under /api/v3.
func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	const repo = prefix + "/repos/{owner}/{repo}"
	for pattern, h := range map[string]handler{
		"GET " + repo + "/contents/{path...}":        s.getContents,
		"GET " + repo + "/pulls/{number}":            s.getPullRequest,
		"GET " + repo + "/issues":                    s.listIssues,
		"POST " + repo + "/issues":                   s.createIssue,
		"GET " + repo + "/issues/{number}":           s.getIssue,
		"PATCH " + repo + "/issues/{number}":         s.editIssue,
		"GET " + repo + "/issues/{number}/labels":    s.listIssueLabels,
		"GET " + repo + "/issues/{number}/comments":  s.listComments,
		"POST " + repo + "/issues/{number}/comments": s.createComment,
		"GET " + repo + "/labels":                    s.listLabels,
		"POST " + repo + "/labels":                   s.createLabel,
		"GET " + repo + "/labels/{name}":             s.getLabel,
		"GET " + repo + "/commits":                   s.listCommits,
		"GET " + repo + "/git/trees/{sha}":           s.getTree,
		"GET " + repo + "/git/blobs/{sha}":           s.getBlob,
	} {
		m.HandleFunc(pattern, s.inRepo(h))
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
		st, ok := s.repos[strings.ToLower(r.PathValue("owner")+"/"+r.PathValue("repo"))]
		if !ok {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		h(w, r, st)
	}
}

// notImplemented answers requests outside the fake's endpoints, including
// any that lost the /api/v3 prefix, and remembers them.
func (s *Server) notImplemented(w http.ResponseWriter, r *http.Request) {
	s.unhandled = append(s.unhandled, r.Method+" "+r.URL.Path)
	writeError(w, http.StatusNotFound, "Not Found (ghfake: endpoint not implemented)")
}

// number parses the {number} path value, answering 404 when it is not one.
func number(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("number"))
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
