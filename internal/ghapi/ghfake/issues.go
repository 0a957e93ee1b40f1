package ghfake

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// listIssues serves GET /repos/{o}/{r}/issues: state (default open),
// labels (all must match), creator, sort and direction, pages. Pull requests are
// included, as GitHub includes them.
func (s *Server) listIssues(w http.ResponseWriter, r *http.Request, st *repoState) {
	q := r.URL.Query()
	state := cmp.Or(q.Get("state"), "open")
	if !slices.Contains(listStates(), state) {
		writeValidation(w, "Issue", "invalid", "state")
		return
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	if sort := q.Get("sort"); sort != "" && !slices.Contains(listSorts(), sort) {
		writeValidation(w, "Issue", "invalid", "sort")
		return
	}
	var out []*Issue
	for _, is := range st.sortedIssues() {
		creator := q.Get("creator")
		if (state == "all" || is.State == state) && hasLabels(is, want) && (is.PullRequest || !st.issuesOff) &&
			(creator == "" || strings.EqualFold(creator, is.Author)) {
			out = append(out, is)
		}
	}
	sortIssues(out, q.Get("sort"), q.Get("direction"))
	writeJSON(w, http.StatusOK, s.issuesJSON(st, page(w, r, out)))
}

// The enums of the issue endpoints, as the fake accepts them; the
// conformance test holds them to GitHub's description.
func listStates() []string   { return []string{"open", "closed", "all"} }
func issueStates() []string  { return []string{"open", "closed"} }
func stateReasons() []string { return []string{"completed", "not_planned", "duplicate", "reopened"} }
func listSorts() []string    { return []string{"created", "updated", "comments"} }

// hasLabels reports whether is carries every label in want (names are
// case-insensitive).
func hasLabels(is *Issue, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(is.Labels, func(l string) bool { return strings.EqualFold(l, strings.TrimSpace(w)) }) {
			return false
		}
	}
	return true
}

// sortIssues orders issues like GitHub: by created (default), updated or
// comments, descending unless direction is "asc".
func sortIssues(issues []*Issue, by, direction string) {
	key := func(is *Issue) int64 {
		switch by {
		case "updated":
			return is.UpdatedAt.UnixNano()
		case "comments":
			return int64(len(is.Comments))
		}
		return is.CreatedAt.UnixNano()
	}
	slices.SortStableFunc(issues, func(a, b *Issue) int {
		c := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.Number, b.Number))
		if direction != "asc" {
			return -c
		}
		return c
	})
}

// issue returns issue {issue_number}, answering 404 when there is none
// and 410 when the repository's issues are off.
func issue(w http.ResponseWriter, r *http.Request, st *repoState) (*Issue, bool) {
	if issuesGone(w, st) {
		return nil, false
	}
	n, ok := number(w, r)
	if !ok {
		return nil, false
	}
	is, ok := st.issues[n]
	if !ok {
		writeError(w, http.StatusNotFound, "Not Found")
	}
	return is, ok
}

// issuesGone answers 410 Gone when the repository's issues are disabled
// (GitHub's description of issues/create) and reports whether it did.
func issuesGone(w http.ResponseWriter, st *repoState) bool {
	if st.issuesOff {
		writeError(w, http.StatusGone, issuesOffText)
	}
	return st.issuesOff
}

// getIssue serves GET /repos/{o}/{r}/issues/{n}.
func (s *Server) getIssue(w http.ResponseWriter, r *http.Request, st *repoState) {
	if is, ok := issue(w, r, st); ok {
		writeJSON(w, http.StatusOK, s.issueJSON(st, is, true))
	}
}

// createIssue serves POST /repos/{o}/{r}/issues. Missing labels are
// created, as GitHub does for a writer; a token without push access has
// its labels silently dropped.
func (s *Server) createIssue(w http.ResponseWriter, r *http.Request, st *repoState) {
	var req github.IssueRequest
	if issuesGone(w, st) || !decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.GetTitle()) == "" {
		writeValidation(w, "Issue", "missing_field", "title")
		return
	}
	is := Issue{Title: req.GetTitle(), Body: req.GetBody(), Author: s.login}
	if req.Labels != nil && !s.noPush {
		is.Labels = *req.Labels
	}
	n := s.addIssue(st, is)
	writeJSON(w, http.StatusCreated, s.issueJSON(st, st.issues[n], true))
}

// editIssue serves PATCH /repos/{o}/{r}/issues/{n}: title, body, state,
// state_reason and labels.
func (s *Server) editIssue(w http.ResponseWriter, r *http.Request, st *repoState) {
	is, ok := issue(w, r, st)
	var req github.IssueRequest
	if !ok || !decode(w, r, &req) {
		return
	}
	if field := invalidEdit(&req); field != "" {
		writeValidation(w, "Issue", "invalid", field)
		return
	}
	now := s.now()
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.Body != nil {
		is.Body = *req.Body
	}
	if req.Labels != nil && !s.noPush {
		s.ensureLabels(st, *req.Labels)
		is.Labels = slices.Clone(*req.Labels)
	}
	s.setState(is, req.GetState(), req.StateReason, now)
	is.UpdatedAt = now
	writeJSON(w, http.StatusOK, s.issueJSON(st, is, true))
}

// invalidEdit names the first invalid field of an edit, or returns "".
func invalidEdit(req *github.IssueRequest) string {
	switch {
	case req.Title != nil && strings.TrimSpace(*req.Title) == "":
		return "title"
	case req.State != nil && !slices.Contains(issueStates(), *req.State):
		return "state"
	case req.StateReason != nil && !slices.Contains(stateReasons(), *req.StateReason):
		return "state_reason"
	}
	return ""
}

// setState applies a state change: closing records when and by whom and
// defaults the reason to completed; reopening sets the reason reopened.
// The description: state_reason is "ignored unless `state` is changed".
func (s *Server) setState(is *Issue, state string, reason *string, now time.Time) {
	switch {
	case state == "closed" && is.State != "closed":
		is.State, is.ClosedAt, is.ClosedBy = "closed", now, s.login
		is.StateReason = cmp.Or(deref(reason), "completed")
	case state == "open" && is.State == "closed":
		is.State, is.ClosedAt, is.ClosedBy, is.StateReason = "open", time.Time{}, "", "reopened"
	}
}

// deref returns *p, or "" for nil.
func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// createComment serves POST /repos/{o}/{r}/issues/{n}/comments.
func (s *Server) createComment(w http.ResponseWriter, r *http.Request, st *repoState) {
	is, ok := issue(w, r, st)
	var req github.IssueComment
	if !ok || !decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.GetBody()) == "" {
		writeValidation(w, "IssueComment", "missing_field", "body")
		return
	}
	c := Comment{ID: s.newID(), Body: req.GetBody(), Author: s.login, CreatedAt: s.now()}
	is.Comments = append(is.Comments, c)
	is.UpdatedAt = c.CreatedAt
	writeJSON(w, http.StatusCreated, s.commentJSON(st, is.Number, c))
}
