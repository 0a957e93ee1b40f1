package ghfake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/google/go-github/v62/github"
)

// getTree serves GET /repos/{o}/{r}/git/trees/{sha}?recursive=1 for the
// files seeded at ref sha: every file as a blob entry with its git blob
// id, and every directory as a tree entry; without recursive, the top
// level only. A symbolic link is seeded as a file whose path ends in
// SymlinkSuffix and listed with mode 120000 under the path without it.
func (s *Server) getTree(w http.ResponseWriter, r *http.Request, st *repoState) {
	ref := r.PathValue("tree_sha")
	files, ok := st.files[ref]
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	recursive := r.URL.Query().Get("recursive") != ""
	var entries []*github.TreeEntry
	dirs := map[string]bool{}
	for _, p := range sortedKeys(files) {
		if !recursive && strings.Contains(p, "/") {
			continue
		}
		for d := p; strings.Contains(d, "/"); {
			d = d[:strings.LastIndexByte(d, '/')]
			dirs[d] = true
		}
		entries = append(entries, blobEntry(p, files[p]))
	}
	for d := range dirs {
		entries = append(entries, &github.TreeEntry{Path: github.String(d), Mode: github.String("040000"), Type: github.String("tree"), SHA: github.String(blobSHA(d))})
	}
	slices.SortFunc(entries, func(a, b *github.TreeEntry) int { return strings.Compare(a.GetPath(), b.GetPath()) })
	writeJSON(w, http.StatusOK, &github.Tree{SHA: github.String(ref), Entries: entries, Truncated: github.Bool(false)})
}

// SymlinkSuffix marks a seeded file as a symbolic link whose target is
// its content.
const SymlinkSuffix = "@symlink"

// blobEntry is the tree entry of the seeded file p.
func blobEntry(p, content string) *github.TreeEntry {
	mode := "100644"
	if name, ok := strings.CutSuffix(p, SymlinkSuffix); ok {
		p, mode = name, "120000"
	}
	return &github.TreeEntry{Path: github.String(p), Mode: github.String(mode), Type: github.String("blob"),
		SHA: github.String(blobSHA(content)), Size: github.Int(len(content))}
}

// getBlob serves GET /repos/{o}/{r}/git/blobs/{sha} in the raw media
// type: the content of any seeded file with that blob id.
func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, st *repoState) {
	want := r.PathValue("file_sha")
	for _, files := range st.files {
		for _, content := range files {
			if blobSHA(content) == want {
				w.Header().Set("Content-Type", "application/vnd.github.raw")
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write([]byte(content))
				return
			}
		}
	}
	writeError(w, http.StatusNotFound, "Not Found")
}

// ResetFiles forgets every file stored for ref.
func (r *Repo) ResetFiles(ref string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	delete(r.st.files, ref)
}
