package remind_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	. "github.com/stsgate/stsgate/internal/remind"
)

// TestSyncDuplicateSnoozes: a person's close as duplicate, read through
// GetIssue's closed_by, snoozes the domain like not planned.
func TestSyncDuplicateSnoozes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := Desired(readyState(), Hidden{})
	e.repo.AddIssue(ghfake.Issue{Title: want.Title, Body: want.Body, Labels: []string{DefaultLabel}, State: "closed",
		StateReason: "duplicate", ClosedBy: "alice", ClosedAt: now.Add(-5 * 24 * time.Hour), CreatedAt: now.AddDate(0, -2, 0)})
	e.sync(t, readyState())
	if is := e.only(t); is.State != "closed" || e.srv.Writes() != 0 {
		t.Errorf("state %s after %d writes, want closed and no write", is.State, e.srv.Writes())
	}
}

// TestSyncIssuesDisabled: with issues turned off (410 Gone), the run
// passes with one warning that says so, whatever the number of domains.
func TestSyncIssuesDisabled(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.repo.DisableIssues()
	out, err := Sync(context.Background(), e.client, domainStates("a.example", "b.example", "c.example"), opts(now))
	if err != nil {
		t.Fatalf("Sync error %v, want a warning", err)
	}
	if len(out.Warnings) != 1 || out.Warnings[0].Code != diag.IssuesDisabled || !strings.Contains(out.Warnings[0].Message, "issues are turned off") {
		t.Errorf("warnings = %v, want one %s", out.Warnings, diag.IssuesDisabled)
	}
	if creates := countRequests(e, "POST", "/repos/octo/mail/issues"); creates != 1 {
		t.Errorf("%d creates, want 1 (then stop)", creates)
	}
}

// TestSyncLabelDropped: a token without push access gets its labels
// silently dropped; the run warns, and the next run finds the unlabelled
// issue by its marker instead of opening another one.
func TestSyncLabelDropped(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.SetNoPush(true)
	for run := range 3 {
		out, err := Sync(context.Background(), e.client, []State{readyState()}, opts(now.Add(time.Duration(run)*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Warnings) != 1 || out.Warnings[0].Code != diag.IssueLabelDropped {
			t.Errorf("run %d: warnings = %v, want one %s", run, out.Warnings, diag.IssueLabelDropped)
		}
	}
	if n := len(e.repo.Issues()); n != 1 {
		t.Errorf("%d issues after three runs, want 1:\n%s", n, e.repo.Summary())
	}
}

// TestSyncCommaLabel: a label with a comma could never be listed, so the
// run refuses it before any request.
func TestSyncCommaLabel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := opts(now)
	o.Label = "mta,sts"
	if _, err := Sync(context.Background(), e.client, []State{readyState()}, o); err == nil || !strings.Contains(err.Error(), "comma") {
		t.Errorf("Sync = %v, want an error about the comma", err)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
}

// TestHistoryFindingHints: the hint names the real cause.
func TestHistoryFindingHints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err      error
		want     string
		mustNot  string
		severity diag.Severity
	}{
		{&PermissionError{Op: "list commits", Status: 403, Permission: "contents: read"}, "contents: read", "", diag.Notice},
		{fmt.Errorf("list commits: %w", ErrEmptyRepository), "no commits", "contents: read", diag.Notice},
		{errors.New("ghapi: list commits: 502 Bad Gateway"), "next run", "contents: read", diag.Notice},
	}
	for _, tt := range tests {
		d := HistoryFinding(domain, tt.err)
		if !strings.Contains(d.Hint, tt.want) || tt.mustNot != "" && strings.Contains(d.Hint, tt.mustNot) || d.Severity != tt.severity {
			t.Errorf("HistoryFinding(%v) hint %q, want %q and not %q", tt.err, d.Hint, tt.want, tt.mustNot)
		}
	}
}

// countRequests counts the requests with method and path.
func countRequests(e env, method, path string) int {
	n := 0
	for _, r := range e.srv.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// TestSyncUnlabelledCheckFails: the search for an unlabelled issue is a
// safeguard; when GitHub refuses it (say, a creator it does not know),
// the issue is opened as before and the run does not fail.
func TestSyncUnlabelledCheckFails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Fail(ghfake.Fault{}.On("GET", "/repos/*/*/issues")) // the labelled list passes
	e.srv.Fail(ghfake.Fault{Status: 422, Body: `{"message":"Validation Failed"}`}.On("GET", "/repos/*/*/issues"))
	if _, err := Sync(context.Background(), e.client, []State{readyState()}, opts(now)); err != nil || len(e.repo.Issues()) != 1 {
		t.Errorf("Sync = %v, %d issues; want the issue opened", err, len(e.repo.Issues()))
	}
	if n := countRequests(e, "GET", "/repos/octo/mail/issues"); n < 2 {
		t.Errorf("%d issue lists, want the labelled one and the refused one", n)
	}
}
