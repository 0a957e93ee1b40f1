package ghfake

import (
	"cmp"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/google/go-github/v62/github"
)

// getContents serves GET /repos/{o}/{r}/contents/{path}?ref=: a file as
// JSON (base64 up to LargeFile, encoding "none" above), its bytes for the
// raw media type, or a directory listing.
func (s *Server) getContents(w http.ResponseWriter, r *http.Request, st *repoState) {
	ref := cmp.Or(r.URL.Query().Get("ref"), DefaultBranch)
	p := strings.Trim(r.PathValue("path"), "/")
	files := st.files[ref]
	content, ok := files[p]
	switch {
	case st.tooLarge[ref+"\x00"+p]:
		writeJSON(w, http.StatusForbidden, map[string]any{"message": tooLargeText,
			"errors": []fieldError{{"Blob", "too_large", "data"}}, "documentation_url": restDocs})
	case ok && strings.Contains(r.Header.Get("Accept"), "raw"):
		w.Header().Set("Content-Type", "application/vnd.github.raw")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(content))
	case ok:
		writeJSON(w, http.StatusOK, s.fileJSON(st, ref, p, content))
	default:
		if dir := s.dirJSON(st, ref, p, files); len(dir) > 0 {
			writeJSON(w, http.StatusOK, dir)
			return
		}
		writeError(w, http.StatusNotFound, "Not Found")
	}
}

// dirJSON lists the entries directly under directory p.
func (s *Server) dirJSON(st *repoState, ref, p string, files map[string]string) []*github.RepositoryContent {
	seen := map[string]bool{}
	var out []*github.RepositoryContent
	for _, name := range sortedKeys(files) {
		rest, ok := strings.CutPrefix(name, p+"/")
		if !ok && p != "" {
			continue
		}
		if p == "" {
			rest = name
		}
		entry, _, isDir := strings.Cut(rest, "/")
		full := strings.TrimPrefix(p+"/"+entry, "/")
		switch {
		case seen[entry]:
		case isDir:
			out = append(out, s.entryJSON(st, ref, full, "dir", blobSHA(full)))
		default:
			out = append(out, s.fileJSON(st, ref, full, files[full]))
			out[len(out)-1].Content, out[len(out)-1].Encoding = nil, nil
		}
		seen[entry] = true
	}
	return out
}

// sortedKeys returns m's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// getPullRequest serves GET /repos/{o}/{r}/pulls/{n}; issues answer 404.
func (s *Server) getPullRequest(w http.ResponseWriter, r *http.Request, st *repoState) {
	is, ok := issue(w, r, st)
	switch {
	case !ok:
	case !is.PullRequest:
		writeError(w, http.StatusNotFound, "Not Found")
	default:
		writeJSON(w, http.StatusOK, s.pullRequestJSON(st, is))
	}
}

// getLabel serves GET /repos/{o}/{r}/labels/{name} (case-insensitive).
func (s *Server) getLabel(w http.ResponseWriter, r *http.Request, st *repoState) {
	l, ok := st.labels[strings.ToLower(r.PathValue("name"))]
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	writeJSON(w, http.StatusOK, s.labelJSON(st, l))
}

// hexColor is a label colour: six hex digits, no '#'.
var hexColor = regexp.MustCompile(`^[0-9a-fA-F]{6}$`)

// createLabel serves POST /repos/{o}/{r}/labels.
func (s *Server) createLabel(w http.ResponseWriter, r *http.Request, st *repoState) {
	var req github.Label
	if !decode(w, r, &req) {
		return
	}
	l := Label{Name: strings.TrimSpace(req.GetName()), Color: cmp.Or(req.GetColor(), "ededed"), Description: req.GetDescription()}
	switch _, exists := st.labels[strings.ToLower(l.Name)]; {
	case l.Name == "":
		writeValidation(w, "Label", "missing_field", "name")
	case !hexColor.MatchString(l.Color):
		writeValidation(w, "Label", "invalid", "color")
	case exists:
		writeValidation(w, "Label", "already_exists", "name")
	default:
		st.labels[strings.ToLower(l.Name)] = &l
		writeJSON(w, http.StatusCreated, s.labelJSON(st, &l))
	}
}

// listCommits serves GET /repos/{o}/{r}/commits?sha=&path=: newest first,
// paged. An unknown branch answers 404.
func (s *Server) listCommits(w http.ResponseWriter, r *http.Request, st *repoState) {
	q := r.URL.Query()
	branch := cmp.Or(q.Get("sha"), DefaultBranch)
	if st.empty {
		writeError(w, http.StatusConflict, emptyRepoText)
		return
	}
	if !st.knownRef(branch) {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "No commit found for SHA: " + branch, "documentation_url": restDocs})
		return
	}
	commits := st.commitsOn(branch, q.Get("path"))
	out := make([]*github.RepositoryCommit, 0, len(commits))
	for _, c := range commits {
		out = append(out, s.commitJSON(st, c))
	}
	writeJSON(w, http.StatusOK, page(w, r, out))
}

// knownRef reports whether ref is the default branch, has commits or has
// files.
func (st *repoState) knownRef(ref string) bool {
	if ref == DefaultBranch || st.files[ref] != nil {
		return true
	}
	for key := range st.commits {
		if strings.HasPrefix(key, ref+"\x00") {
			return true
		}
	}
	return false
}

// commitsOn returns the commits on branch that changed path (every path
// when empty), newest first, each once.
func (st *repoState) commitsOn(branch, path string) []Commit {
	var out []Commit
	for key, commits := range st.commits {
		b, p, _ := strings.Cut(key, "\x00")
		if b != branch || path != "" && p != path {
			continue
		}
		for _, c := range commits {
			if !slices.ContainsFunc(out, func(o Commit) bool { return o.SHA == c.SHA }) {
				out = append(out, c)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Commit) int {
		return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.SHA, b.SHA))
	})
	return out
}
