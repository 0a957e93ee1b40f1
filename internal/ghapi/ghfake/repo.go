package ghfake

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultBranch is the ref used when a request names none.
const DefaultBranch = "main"

// Issue is an issue or pull request in a fake repository.
type Issue struct {
	Number      int // 0 when seeding: the next free number
	Title       string
	Body        string
	State       string // "open" (default when seeding) or "closed"
	StateReason string // "completed", "not_planned", "reopened" or ""
	Labels      []string
	Author      string // default: the server's login
	ClosedBy    string
	PullRequest bool // a pull request: listed with the issues, as GitHub does
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time
	Comments    []Comment
}

// Comment is a comment on an issue.
type Comment struct {
	ID        int64
	Body      string
	Author    string
	CreatedAt time.Time
}

// Label is a repository label.
type Label struct {
	Name        string
	Color       string
	Description string
}

// Commit is a commit that changed a path, as the commits API lists it.
type Commit struct {
	SHA     string
	Date    time.Time // committer and author date
	Message string
}

// Repo is a handle on one fake repository; its methods seed and inspect the
// state the endpoints serve.
type Repo struct {
	s  *Server
	st *repoState
}

// repoState is one repository's data; the server's lock guards it.
type repoState struct {
	owner, name string
	files       map[string]map[string]string // ref -> path -> content
	issues      map[int]*Issue
	labels      map[string]*Label   // lower-case name -> label
	commits     map[string][]Commit // branch + "\x00" + path -> commits
	lastNumber  int
	tooLarge    map[string]bool // ref + "\x00" + path of files over 100 MB
	empty       bool            // no commits: the commits API answers 409
	issuesOff   bool            // issues disabled: 410 Gone
}

// Repo returns the repository owner/name, creating it empty on first use.
// Requests for repositories never named here answer 404.
func (s *Server) Repo(owner, name string) *Repo {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(owner + "/" + name)
	st, ok := s.repos[key]
	if !ok {
		st = &repoState{owner: owner, name: name, files: map[string]map[string]string{},
			issues: map[int]*Issue{}, labels: map[string]*Label{}, commits: map[string][]Commit{},
			tooLarge: map[string]bool{}}
		s.repos[key] = st
	}
	return &Repo{s: s, st: st}
}

// SetFile stores content at path for ref (a commit SHA or branch name).
func (r *Repo) SetFile(ref, path, content string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.st.files[ref] == nil {
		r.st.files[ref] = map[string]string{}
	}
	r.st.files[ref][path] = content
}

// SetFiles stores every path -> content of files for ref.
func (r *Repo) SetFiles(ref string, files map[string]string) {
	for path, content := range files {
		r.SetFile(ref, path, content)
	}
}

// AddIssue stores is, numbering it if is.Number is 0, and returns its
// number. Missing labels are created; empty times and author get defaults.
func (r *Repo) AddIssue(is Issue) int {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.s.addIssue(r.st, is)
}

// AddPullRequest stores an open pull request with labels and returns its
// number (the next free one when number is 0).
func (r *Repo) AddPullRequest(number int, labels ...string) int {
	return r.AddIssue(Issue{Number: number, Title: fmt.Sprintf("Pull request %d", number), Labels: labels, PullRequest: true})
}

// AddLabel stores a label, replacing one with the same name.
func (r *Repo) AddLabel(l Label) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.st.labels[strings.ToLower(l.Name)] = &l
}

// AddCommit records that commit c on branch changed path. Store the file's
// content at that commit with SetFile(c.SHA, path, ...).
func (r *Repo) AddCommit(branch, path string, c Commit) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	key := branch + "\x00" + path
	r.st.commits[key] = append(r.st.commits[key], c)
}

// Issue returns a copy of issue number.
func (r *Repo) Issue(number int) (Issue, bool) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	is, ok := r.st.issues[number]
	if !ok {
		return Issue{}, false
	}
	return is.clone(), true
}

// Issues returns copies of all issues and pull requests by number.
func (r *Repo) Issues() []Issue {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	out := make([]Issue, 0, len(r.st.issues))
	for _, is := range r.st.sortedIssues() {
		out = append(out, is.clone())
	}
	return out
}

// Labels returns the repository's labels by name.
func (r *Repo) Labels() []Label {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	out := make([]Label, 0, len(r.st.labels))
	for _, l := range r.st.sortedLabels() {
		out = append(out, *l)
	}
	return out
}

// Summary describes the issues (not pull requests) one per line, for
// golden comparisons in scripts: "#3 closed/completed [mta-sts] Title (2 comments)".
func (r *Repo) Summary() string {
	var b strings.Builder
	for _, is := range r.Issues() {
		if is.PullRequest {
			continue
		}
		state := is.State
		if is.StateReason != "" {
			state += "/" + is.StateReason
		}
		fmt.Fprintf(&b, "#%d %s [%s] %s (%d comments)\n", is.Number, state, strings.Join(is.Labels, ","), is.Title, len(is.Comments))
	}
	return b.String()
}

// addIssue stores is with defaults filled in; the lock is held.
func (s *Server) addIssue(st *repoState, is Issue) int {
	if is.Number == 0 {
		is.Number = st.lastNumber + 1
	}
	st.lastNumber = max(st.lastNumber, is.Number)
	is.State = cmp.Or(is.State, "open")
	is.Author = cmp.Or(is.Author, s.login)
	if is.CreatedAt.IsZero() {
		is.CreatedAt = s.now()
	}
	if is.UpdatedAt.IsZero() {
		is.UpdatedAt = is.CreatedAt
	}
	for i := range is.Comments {
		if is.Comments[i].ID == 0 {
			is.Comments[i].ID = s.newID()
		}
	}
	s.ensureLabels(st, is.Labels)
	is = is.clone()
	st.issues[is.Number] = &is
	return is.Number
}

// ensureLabels creates the missing labels among names with GitHub's
// default colour, as GitHub does for labels set by a writer.
func (s *Server) ensureLabels(st *repoState, names []string) {
	for _, n := range names {
		if _, ok := st.labels[strings.ToLower(n)]; !ok {
			st.labels[strings.ToLower(n)] = &Label{Name: n, Color: "ededed"}
		}
	}
}

// newID returns a fresh object ID; the lock is held.
func (s *Server) newID() int64 {
	s.nextID++
	return 1000 + s.nextID
}

// clone returns a deep copy of is.
func (is *Issue) clone() Issue {
	c := *is
	c.Labels = slices.Clone(is.Labels)
	c.Comments = slices.Clone(is.Comments)
	return c
}

// sortedIssues returns the issues by number.
func (st *repoState) sortedIssues() []*Issue {
	out := make([]*Issue, 0, len(st.issues))
	for _, is := range st.issues {
		out = append(out, is)
	}
	slices.SortFunc(out, func(a, b *Issue) int { return a.Number - b.Number })
	return out
}

// sortedLabels returns the labels by name.
func (st *repoState) sortedLabels() []*Label {
	out := make([]*Label, 0, len(st.labels))
	for _, l := range st.labels {
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b *Label) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}

// SetTooLarge stores a file at path for ref that is larger than the
// 100 MB the contents API serves: it answers 403 with the error code
// too_large, as GitHub does.
func (r *Repo) SetTooLarge(ref, path string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.st.tooLarge[ref+"\x00"+path] = true
}

// SetEmpty makes the repository one without commits: the commits API
// answers 409 "Git Repository is empty.", as GitHub does.
func (r *Repo) SetEmpty() {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.st.empty = true
}

// DisableIssues turns the repository's issues off: creating, reading,
// editing and commenting on issues answer 410 Gone, and the issue list
// holds only pull requests, as GitHub's does.
func (r *Repo) DisableIssues() {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.st.issuesOff = true
}

// RenamedFrom makes owner/name the repository's old name: every request
// for it answers 301 Moved Permanently with the new location, as GitHub
// answers for a renamed or transferred repository.
func (r *Repo) RenamedFrom(owner, name string) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.s.moved[strings.ToLower(owner+"/"+name)] = r.st.owner + "/" + r.st.name
}
