package ghfake

import (
	"hash/fnv"
	"net/http"
	"strings"

	"github.com/google/go-github/v62/github"
)

// graphQLPath is the GraphQL endpoint, beside the REST root as on GitHub
// Enterprise Server (https://HOST/api/graphql next to /api/v3).
const graphQLPath = "/api/graphql"

// GitHub's documentation links of the answers about the token's account.
const (
	userDocs    = "https://docs.github.com/rest/users/users#get-the-authenticated-user"
	graphQLDocs = "https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql"
)

// actionsBotID is the user id of github-actions[bot] on github.com.
const actionsBotID = 41898282

// isBot reports a GitHub App's login, such as github-actions[bot]: only
// apps have one, since "[" is not allowed in a person's login.
func isBot(login string) bool { return strings.HasSuffix(login, "[bot]") }

// userID is a stable id for login: github-actions[bot]'s real one, a hash
// for any other.
func userID(login string) int64 {
	if login == DefaultLogin {
		return actionsBotID
	}
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(login)))
	return 100000000 + int64(h.Sum32()%100000000)
}

// getUser serves GET /user. A person's login stands for a personal access
// token: the answer is the account. A bot login stands for an
// installation token, the Actions GITHUB_TOKEN's kind, which GitHub
// refuses with 403 "Resource not accessible by integration".
func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	switch {
	case bearer(r.Header.Get("Authorization")) == "":
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Requires authentication", "documentation_url": userDocs})
	case isBot(s.login):
		writeJSON(w, http.StatusForbidden, map[string]string{"message": notAccessible, "documentation_url": userDocs, "status": "403"})
	default:
		u := userJSON(s.login)
		u.NodeID = github.String("U_fake" + strings.ToLower(s.login))
		u.URL = github.String(s.URL() + "/users/" + s.login)
		u.HTMLURL = github.String(s.srv.URL + "/" + s.login)
		writeJSON(w, http.StatusOK, u)
	}
}

// graphQL serves POST /api/graphql for the one query the fake knows,
// { viewer { login } }, which names the token's account for every kind of
// token, installation tokens included. Any other query is recorded as not
// implemented and answered with a GraphQL error.
func (s *Server) graphQL(w http.ResponseWriter, r *http.Request) {
	if bearer(r.Header.Get("Authorization")) == "" {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "This endpoint requires you to be authenticated.", "documentation_url": graphQLDocs})
		return
	}
	var req struct {
		Query string `json:"query"`
	}
	if !decode(w, r, &req) {
		return
	}
	if !isViewerLogin(req.Query) {
		s.unhandled = append(s.unhandled, r.Method+" "+r.URL.Path)
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]string{{"message": "ghfake: query not implemented"}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"viewer": map[string]string{"login": s.login}}})
}

// isViewerLogin reports the query { viewer { login } }, with or without
// the query keyword, in any layout.
func isViewerLogin(q string) bool {
	compact := strings.Join(strings.Fields(q), "")
	compact = strings.TrimPrefix(compact, "query")
	return compact == "{viewer{login}}"
}

// isQuery reports a request that reads although its method is POST: a
// GraphQL query (the fake answers no mutation).
func isQuery(r *http.Request) bool {
	return r.Method == http.MethodPost && r.URL.Path == graphQLPath
}
