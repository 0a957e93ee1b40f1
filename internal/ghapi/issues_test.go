package ghapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/remind"
)

// TestListIssuesPages lists 250 labelled issues over three pages, leaving
// out pull requests and issues without the label.
func TestListIssuesPages(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for i := range 260 {
		is := ghfake.Issue{Title: fmt.Sprintf("issue %d", i+1), Labels: []string{"mta-sts"}, CreatedAt: now.Add(time.Duration(i) * time.Minute)}
		switch {
		case i%26 == 0:
			is.PullRequest = true
		case i%2 == 0:
			is.State, is.StateReason, is.ClosedAt = "closed", "completed", now
		}
		e.repo.AddIssue(is)
	}
	e.repo.AddIssue(ghfake.Issue{Title: "unrelated", Labels: []string{"bug"}})
	got, err := e.c.ListIssues(context.Background(), owner, name, "mta-sts")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 250 {
		t.Fatalf("got %d issues, want 250", len(got))
	}
	for i, is := range got[1:] {
		if is.Number <= got[i].Number {
			t.Fatalf("issues not oldest first: #%d after #%d", is.Number, got[i].Number)
		}
	}
	pages := len(e.srv.Requests())
	if pages != 3 {
		t.Errorf("%d requests, want 3 pages of 100", pages)
	}
}

// TestIssueRoundTrip creates, comments on, edits, closes and reopens an
// issue, reading it back each time.
func TestIssueRoundTrip(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := context.Background()
	created, err := e.c.CreateIssue(ctx, owner, name, remind.NewIssue{Title: "MTA-STS testing since 2026-10-01", Body: "<!-- stsgate:domain=example.com -->\nbody", Labels: []string{"mta-sts"}})
	if err != nil {
		t.Fatal(err)
	}
	want := remind.TrackedIssue{Number: 1, Title: "MTA-STS testing since 2026-10-01", Body: "<!-- stsgate:domain=example.com -->\nbody",
		State: "open", Labels: []string{"mta-sts"}, Author: ghfake.DefaultLogin, CreatedAt: now, UpdatedAt: now}
	if diff := cmp.Diff(want, created, cmp.FilterPath(isURL, cmp.Ignore())); diff != "" {
		t.Errorf("CreateIssue (-want +got):\n%s", diff)
	}
	if err := e.c.CreateComment(ctx, owner, name, 1, "still in testing"); err != nil {
		t.Fatal(err)
	}
	closed, err := e.c.EditIssue(ctx, owner, name, 1, remind.IssueEdit{Body: ptr("new body"), State: ptr("closed"), StateReason: ptr("not_planned")})
	if err != nil {
		t.Fatal(err)
	}
	want.Body, want.State, want.StateReason, want.ClosedBy, want.ClosedAt = "new body", "closed", "not_planned", ghfake.DefaultLogin, now
	if diff := cmp.Diff(want, closed, cmp.FilterPath(isURL, cmp.Ignore())); diff != "" {
		t.Errorf("EditIssue (-want +got):\n%s", diff)
	}
	listed, err := e.c.ListIssues(ctx, owner, name, "mta-sts")
	if err != nil || len(listed) != 1 {
		t.Fatalf("ListIssues = %v, %v", listed, err)
	}
	want.ClosedBy = "" // GitHub's list leaves closed_by out
	if diff := cmp.Diff(want, listed[0], cmp.FilterPath(isURL, cmp.Ignore())); diff != "" {
		t.Errorf("ListIssues (-want +got):\n%s", diff)
	}
	got, err := e.c.GetIssue(ctx, owner, name, 1)
	if err != nil || got.ClosedBy != ghfake.DefaultLogin {
		t.Errorf("GetIssue = %+v, %v; want ClosedBy %s", got, err, ghfake.DefaultLogin)
	}
	reopened, err := e.c.EditIssue(ctx, owner, name, 1, remind.IssueEdit{State: ptr("open")})
	if err != nil || reopened.State != "open" || reopened.StateReason != "reopened" || !reopened.ClosedAt.IsZero() {
		t.Errorf("reopen = %+v, %v", reopened, err)
	}
	if is, _ := e.repo.Issue(1); len(is.Comments) != 1 || is.Comments[0].Body != "still in testing" || is.Comments[0].Author != ghfake.DefaultLogin {
		t.Errorf("comments = %+v", is.Comments)
	}
}

// isURL selects Issue.URL, which holds the fake's random port.
func isURL(p cmp.Path) bool { return p.Last().String() == ".URL" }

func ptr[T any](v T) *T { return &v }

// TestWritesWithoutPermission checks the read-only token of a fork pull
// request: every write is a *PermissionError naming "issues: write".
func TestWritesWithoutPermission(t *testing.T) {
	t.Parallel()
	e := setup(t)
	n := e.repo.AddIssue(ghfake.Issue{Title: "kept", Labels: []string{"mta-sts"}})
	e.srv.SetReadOnly(true)
	ctx := context.Background()
	writes := map[string]func() error{
		"create": func() error { _, err := e.c.CreateIssue(ctx, owner, name, remind.NewIssue{Title: "t"}); return err },
		"edit": func() error {
			_, err := e.c.EditIssue(ctx, owner, name, n, remind.IssueEdit{Title: ptr("x")})
			return err
		},
		"comment": func() error { return e.c.CreateComment(ctx, owner, name, n, "hi") },
		"label":   func() error { _, err := e.c.EnsureLabel(ctx, owner, name, remind.Label{Name: "new"}); return err },
	}
	for op, write := range writes {
		err := write()
		var perm *ghapi.PermissionError
		if !asPermission(err, &perm) || perm.Status != http.StatusForbidden || perm.Permission != "issues: write" {
			t.Errorf("%s: err = %v, want a 403 *PermissionError needing issues: write", op, err)
		}
		noToken(t, err)
	}
	if got := e.srv.Writes(); got != 4 {
		t.Errorf("%d writes, want 4 (one each, no retries)", got)
	}
	if is, _ := e.repo.Issue(n); is.Title != "kept" {
		t.Errorf("issue changed to %q", is.Title)
	}
}

// TestWriteNotFound checks that a 404 on a write is a permission error:
// GitHub answers 404 to writes the token may not make.
func TestWriteNotFound(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, err := e.c.EditIssue(context.Background(), owner, name, 42, remind.IssueEdit{Title: ptr("x")})
	var perm *ghapi.PermissionError
	if !asPermission(err, &perm) || perm.Status != http.StatusNotFound {
		t.Errorf("err = %v, want a 404 *PermissionError", err)
	}
}
