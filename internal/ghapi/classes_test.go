package ghapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/remind"
)

// TestErrorClasses: GitHub's answers for issues turned off (410), an
// empty repository (409) and a file over 100 MB (403 too_large) are
// classified as what they are, never as a missing permission.
func TestErrorClasses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(r *ghfake.Repo)
		call  func(c *ghapi.Client) error
		want  error
	}{
		{"issues off: create", func(r *ghfake.Repo) { r.DisableIssues() }, func(c *ghapi.Client) error {
			_, err := c.CreateIssue(ctx, owner, name, remind.NewIssue{Title: "t"})
			return err
		}, remind.ErrIssuesDisabled},
		{"issues off: comment", func(r *ghfake.Repo) { r.AddIssue(ghfake.Issue{Title: "t"}); r.DisableIssues() }, func(c *ghapi.Client) error {
			return c.CreateComment(ctx, owner, name, 1, "b")
		}, remind.ErrIssuesDisabled},
		{"empty repository", func(r *ghfake.Repo) { r.SetEmpty() }, func(c *ghapi.Client) error {
			_, err := c.PathCommits(ctx, remind.CommitQuery{Owner: owner, Repo: name, Path: ".well-known/mta-sts.txt", Limit: 11})
			return err
		}, remind.ErrEmptyRepository},
		{"file over 100 MB", func(r *ghfake.Repo) { r.SetTooLarge(ghfake.DefaultBranch, "big") }, func(c *ghapi.Client) error {
			_, err := c.FileAt(ctx, owner, name, ghfake.DefaultBranch, "big")
			return err
		}, ghapi.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			tt.setup(e.repo)
			err := tt.call(e.c)
			var perm *ghapi.PermissionError
			if !errors.Is(err, tt.want) || errors.As(err, &perm) {
				t.Errorf("err = %v, want %v and no permission error", err, tt.want)
			}
		})
	}
}

// TestRenamedRepository: reads follow GitHub's 301 to the new name; a
// write gets an error that names the move, and is never replayed as a
// GET (Go's client turns a redirected PATCH or POST into a GET, which
// would "succeed" without writing anything).
func TestRenamedRepository(t *testing.T) {
	t.Parallel()
	e := setup(t)
	moved := e.srv.Repo(owner, "mail-new")
	moved.RenamedFrom(owner, name)
	n := moved.AddIssue(ghfake.Issue{Title: "kept", Labels: []string{"mta-sts"}})
	ctx := context.Background()
	issues, err := e.c.ListIssues(ctx, owner, name, "mta-sts")
	if err != nil || len(issues) != 1 {
		t.Fatalf("ListIssues = %v, %v; want the issue under the new name", issues, err)
	}
	before := len(e.srv.Requests())
	_, err = e.c.EditIssue(ctx, owner, name, n, remind.IssueEdit{Title: ptr("changed")})
	if err == nil || !strings.Contains(err.Error(), "mail-new") {
		t.Errorf("EditIssue = %v, want an error naming the new location", err)
	}
	if reqs := e.requests()[before:]; len(reqs) != 1 {
		t.Errorf("requests after the PATCH = %v, want only the PATCH", reqs)
	}
	if is, _ := moved.Issue(n); is.Title != "kept" {
		t.Errorf("title = %q, want unchanged", is.Title)
	}
}

// TestListIssuesCommaLabel: a label with a comma cannot be filtered on
// (the list API splits labels at commas), so it is refused before any
// request.
func TestListIssuesCommaLabel(t *testing.T) {
	t.Parallel()
	e := setup(t)
	if _, err := e.c.ListIssues(context.Background(), owner, name, "mta,sts"); err == nil || !strings.Contains(err.Error(), "comma") {
		t.Errorf("ListIssues = %v, want an error about the comma", err)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}
