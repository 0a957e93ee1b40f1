package remind

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// IssueTracker is what Sync needs from the issue tracker. The package
// defines it with its own types, so that it never depends on a GitHub
// client; ghapi implements it over the REST API, as a database/sql driver
// implements database/sql/driver. Rate limits are retried by the
// implementation; a denied permission is a *PermissionError, issues turned
// off in the repository ErrIssuesDisabled.
type IssueTracker interface {
	IdentityAPI
	// ListIssues returns every issue (not pull request) that carries
	// label, open and closed, with all pages read.
	ListIssues(ctx context.Context, owner, repo, label string) ([]TrackedIssue, error)
	// ListIssuesByCreator returns every issue (not pull request) that
	// login opened, open and closed, with all pages read: how issues
	// whose label GitHub dropped are found again.
	ListIssuesByCreator(ctx context.Context, owner, repo, login string) ([]TrackedIssue, error)
	// GetIssue returns one issue, with ClosedBy filled in.
	GetIssue(ctx context.Context, owner, repo string, number int) (TrackedIssue, error)
	CreateIssue(ctx context.Context, owner, repo string, in NewIssue) (TrackedIssue, error)
	EditIssue(ctx context.Context, owner, repo string, number int, e IssueEdit) (TrackedIssue, error)
	CreateComment(ctx context.Context, owner, repo string, number int, body string) error
	// EnsureLabel creates label unless it exists (compared without case).
	EnsureLabel(ctx context.Context, owner, repo string, label Label) (created bool, err error)
}

// IdentityAPI looks up the account the token writes as.
type IdentityAPI interface {
	// AuthenticatedUser is GET /user: a personal access token's account,
	// a *PermissionError (403) for an installation token.
	AuthenticatedUser(ctx context.Context) (User, error)
	// Viewer is GraphQL's viewer, which names installation tokens' bots
	// too.
	Viewer(ctx context.Context) (User, error)
}

// History is what TestingSince needs: the commits that changed a file,
// newest first, and the file at one of them (ErrNotFound when absent).
type History interface {
	PathCommits(ctx context.Context, q CommitQuery) (CommitPage, error)
	FileAt(ctx context.Context, owner, repo, ref, path string) ([]byte, error)
}

// CommitQuery asks for the newest commits of a branch that changed a path.
type CommitQuery struct {
	Owner, Repo string
	Branch      string // "" means the default branch
	Path        string // "" means any path
	Limit       int    // how many commits at most; < 1 means 100
	// ETag, when set, makes the request conditional: an unchanged list is
	// answered 304 Not Modified, which GitHub does not count against the
	// rate limit, and CommitPage.NotModified is set.
	ETag string
}

// CommitPage is the answer to a CommitQuery.
type CommitPage struct {
	Commits     []Commit // newest first; none when NotModified
	ETag        string   // the list's ETag, for the next conditional query
	NotModified bool
}

// TrackedIssue is an issue as the tracker holds it.
type TrackedIssue struct {
	Number      int
	Title       string
	Body        string
	State       string // "open" or "closed"
	StateReason string // "completed", "not_planned", "duplicate", "reopened" or ""
	Labels      []string
	Author      string // login of the account that opened it
	ClosedBy    string // who closed it: only from GetIssue, lists leave it empty
	URL         string // the issue's page
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time // zero while open
}

// NewIssue is the content of an issue to open.
type NewIssue struct {
	Title  string
	Body   string
	Labels []string
}

// IssueEdit changes an issue; nil fields stay as they are. Close with
// State "closed" and a StateReason; reopen with State "open".
type IssueEdit struct {
	Title       *string
	Body        *string
	State       *string
	StateReason *string
	Labels      *[]string // replaces all labels
}

// Label is a repository label to ensure.
type Label struct {
	Name        string
	Color       string // six hex digits without '#'; empty lets the tracker choose
	Description string
}

// Commit is a commit that touched a path.
type Commit struct {
	SHA  string
	Date time.Time // committer date
}

// User is an account: a person's ("User") or an app's bot ("Bot").
type User struct {
	Login string
	ID    int64  // 0 when unknown
	Type  string // "User" or "Bot"; "" when unknown
}

// ErrNotFound reports that what a read asked for does not exist: a file
// absent at a commit, an unknown label. Test with errors.Is.
var ErrNotFound = errors.New("not found")

// ErrIssuesDisabled reports that the repository has issues turned off
// (GitHub answers 410 Gone). Test with errors.Is.
var ErrIssuesDisabled = errors.New("issues are disabled in the repository")

// ErrEmptyRepository reports a repository without commits (GitHub answers
// 409 Conflict to the commits API). Test with errors.Is.
var ErrEmptyRepository = errors.New("the repository is empty")

// PermissionError reports that the token may not do an operation: 403
// ("Resource not accessible by integration", the read-only token of a
// fork pull request), 401 (bad credentials), or 404 on a write, which is
// how GitHub answers a write the token may not make. Test with errors.As.
type PermissionError struct {
	Op         string // what was attempted, such as "create issue"
	Permission string // what the workflow token needs, such as "issues: write"
	Status     int    // HTTP status: 401, 403 or 404
	Message    string // the tracker's message
}

// Error implements error.
func (e *PermissionError) Error() string {
	if e.Status == http.StatusUnauthorized {
		return fmt.Sprintf("%s: GitHub rejected the token (HTTP 401 %s)", e.Op, e.Message)
	}
	return fmt.Sprintf("%s: permission denied (HTTP %d %s); the token needs %q",
		e.Op, e.Status, e.Message, e.Permission)
}
