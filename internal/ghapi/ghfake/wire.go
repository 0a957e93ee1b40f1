package ghfake

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// LargeFile is the size above which the contents API leaves a file's JSON
// content empty (encoding "none") and only the raw media type returns it.
const LargeFile = 1 << 20

// apiURL is the API URL of a repository resource.
func (s *Server) apiURL(st *repoState, suffix string) string {
	return fmt.Sprintf("%s/repos/%s/%s%s", s.URL(), st.owner, st.name, suffix)
}

// htmlURL is the web URL of a repository resource.
func (s *Server) htmlURL(st *repoState, suffix string) string {
	return fmt.Sprintf("%s/%s/%s%s", s.srv.URL, st.owner, st.name, suffix)
}

// userJSON is a user or, for a "[bot]" login, a bot, with the fields of
// GitHub's simple-user that stsgate reads: login, id, type, site_admin.
func userJSON(login string) *github.User {
	if login == "" {
		return nil
	}
	kind := "User"
	if isBot(login) {
		kind = "Bot"
	}
	return &github.User{Login: github.String(login), ID: github.Int64(userID(login)), Type: github.String(kind),
		SiteAdmin: github.Bool(false)}
}

// timestamp returns t for JSON, nil when zero.
func timestamp(t time.Time) *github.Timestamp {
	if t.IsZero() {
		return nil
	}
	return &github.Timestamp{Time: t}
}

// optional returns s for JSON, nil when empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// issueJSON converts is; single adds closed_by, which GitHub sends only
// for a single issue, never in lists.
func (s *Server) issueJSON(st *repoState, is *Issue, single bool) *github.Issue {
	suffix := fmt.Sprintf("/issues/%d", is.Number)
	out := &github.Issue{
		ID: github.Int64(int64(is.Number) + 500000), Number: github.Int(is.Number),
		State: github.String(is.State), StateReason: optional(is.StateReason),
		Title: github.String(is.Title), Body: github.String(is.Body), User: userJSON(is.Author),
		Labels: s.labelsJSON(st, is.Labels), Comments: github.Int(len(is.Comments)),
		CreatedAt: timestamp(is.CreatedAt), UpdatedAt: timestamp(is.UpdatedAt), ClosedAt: timestamp(is.ClosedAt),
		URL: github.String(s.apiURL(st, suffix)), HTMLURL: github.String(s.htmlURL(st, suffix)),
		Locked: github.Bool(false),
	}
	if single {
		out.ClosedBy = userJSON(is.ClosedBy)
	}
	if is.PullRequest {
		out.PullRequestLinks = &github.PullRequestLinks{URL: github.String(s.apiURL(st, fmt.Sprintf("/pulls/%d", is.Number)))}
	}
	return out
}

// issuesJSON converts a page of issues.
func (s *Server) issuesJSON(st *repoState, issues []*Issue) []*github.Issue {
	out := make([]*github.Issue, 0, len(issues))
	for _, is := range issues {
		out = append(out, s.issueJSON(st, is, false))
	}
	return out
}

// labelsJSON converts label names, using the repository's label objects.
func (s *Server) labelsJSON(st *repoState, names []string) []*github.Label {
	out := make([]*github.Label, 0, len(names))
	for _, n := range names {
		l, ok := st.labels[strings.ToLower(n)]
		if !ok {
			l = &Label{Name: n, Color: "ededed"}
		}
		out = append(out, s.labelJSON(st, l))
	}
	return out
}

// labelJSON converts one label.
func (s *Server) labelJSON(st *repoState, l *Label) *github.Label {
	return &github.Label{Name: github.String(l.Name), Color: github.String(l.Color),
		Description: optional(l.Description), Default: github.Bool(false),
		URL: github.String(s.apiURL(st, "/labels/"+l.Name))}
}

// commentJSON converts a comment on issue n.
func (s *Server) commentJSON(st *repoState, n int, c Comment) *github.IssueComment {
	return &github.IssueComment{ID: github.Int64(c.ID), Body: github.String(c.Body), User: userJSON(c.Author),
		CreatedAt: timestamp(c.CreatedAt), UpdatedAt: timestamp(c.CreatedAt),
		HTMLURL:  github.String(s.htmlURL(st, fmt.Sprintf("/issues/%d#issuecomment-%d", n, c.ID))),
		IssueURL: github.String(s.apiURL(st, fmt.Sprintf("/issues/%d", n))),
		URL:      github.String(s.apiURL(st, fmt.Sprintf("/issues/comments/%d", c.ID)))}
}

// pullRequestJSON converts a pull request.
func (s *Server) pullRequestJSON(st *repoState, is *Issue) *github.PullRequest {
	suffix := fmt.Sprintf("/pull/%d", is.Number)
	return &github.PullRequest{Number: github.Int(is.Number), State: github.String(is.State),
		Title: github.String(is.Title), Body: github.String(is.Body), User: userJSON(is.Author),
		Labels: s.labelsJSON(st, is.Labels), CreatedAt: timestamp(is.CreatedAt), UpdatedAt: timestamp(is.UpdatedAt),
		URL:     github.String(s.apiURL(st, fmt.Sprintf("/pulls/%d", is.Number))),
		HTMLURL: github.String(s.htmlURL(st, suffix))}
}

// fileJSON converts a file; content above LargeFile is left out with
// encoding "none", as GitHub does. GitHub wraps base64 at 60 columns.
func (s *Server) fileJSON(st *repoState, ref, p, content string) *github.RepositoryContent {
	out := s.entryJSON(st, ref, p, "file", blobSHA(content))
	out.Size = github.Int(len(content))
	out.Encoding = github.String("none")
	out.Content = github.String("")
	if len(content) <= LargeFile {
		out.Encoding = github.String("base64")
		out.Content = github.String(wrap(base64.StdEncoding.EncodeToString([]byte(content)), 60))
	}
	return out
}

// entryJSON converts a file or directory entry without content.
func (s *Server) entryJSON(st *repoState, ref, p, kind, sha string) *github.RepositoryContent {
	return &github.RepositoryContent{Type: github.String(kind), Name: github.String(path.Base(p)),
		Path: github.String(p), SHA: github.String(sha), Size: github.Int(0),
		URL:         github.String(s.apiURL(st, "/contents/"+p+"?ref="+ref)),
		HTMLURL:     github.String(s.htmlURL(st, "/blob/"+ref+"/"+p)),
		DownloadURL: github.String(s.htmlURL(st, "/raw/"+ref+"/"+p))}
}

// commitJSON converts a commit.
func (s *Server) commitJSON(st *repoState, c Commit) *github.RepositoryCommit {
	who := &github.CommitAuthor{Name: github.String("Mail Admin"), Email: github.String("admin@example.com"), Date: timestamp(c.Date)}
	return &github.RepositoryCommit{SHA: github.String(c.SHA),
		Commit:  &github.Commit{Message: github.String(c.Message), Author: who, Committer: who},
		HTMLURL: github.String(s.htmlURL(st, "/commit/"+c.SHA)),
		URL:     github.String(s.apiURL(st, "/commits/"+c.SHA))}
}

// blobSHA is git's object name for a blob with content.
func blobSHA(content string) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00%s", len(content), content)
	return hex.EncodeToString(h.Sum(nil))
}

// wrap breaks s into lines of width characters, each ending in a newline.
func wrap(s string, width int) string {
	var b strings.Builder
	for len(s) > width {
		b.WriteString(s[:width] + "\n")
		s = s[width:]
	}
	if s != "" {
		b.WriteString(s + "\n")
	}
	return b.String()
}
