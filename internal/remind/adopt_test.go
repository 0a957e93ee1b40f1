package remind_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	. "github.com/stsgate/stsgate/internal/remind"
)

// issueLines describes the repository's issues as "#1 open mallory", one
// each, in order.
func (e env) issueLines() []string {
	var out []string
	for _, is := range e.repo.Issues() {
		state := is.State
		if is.StateReason != "" {
			state += "/" + is.StateReason
		}
		out = append(out, fmt.Sprintf("#%d %s %s", is.Number, state, is.Author))
	}
	return out
}

// TestSyncForeignIssue: an issue with the label and the domain's marker
// that someone else opened is never adopted, edited, closed, counted as a
// snooze or as a duplicate; the run says so once and keeps the domain's
// real issue as if the other did not exist.
func TestSyncForeignIssue(t *testing.T) {
	t.Parallel()
	want := Desired(readyState(), Hidden{})
	issue := func(author string, f func(*ghfake.Issue)) ghfake.Issue {
		is := ghfake.Issue{Title: want.Title, Body: want.Body, Labels: []string{DefaultLabel}, Author: author, CreatedAt: now.AddDate(0, -1, 0)}
		if f != nil {
			f(&is)
		}
		return is
	}
	notPlanned := func(is *ghfake.Issue) {
		is.State, is.StateReason, is.ClosedBy, is.ClosedAt = "closed", "not_planned", "mallory", now.AddDate(0, 0, -1)
	}
	bot := ghfake.DefaultLogin
	tests := []struct {
		name    string
		seed    []ghfake.Issue
		forged  int      // the forged issue's number
		after   []string // the issues after the run
		number  int      // the domain's issue after the run
		plainly bool     // the run makes no write at all
	}{
		{"forged open issue: the real one is created", []ghfake.Issue{issue("mallory", nil)}, 1,
			[]string{"#1 open mallory", "#2 open " + bot}, 2, false},
		{"forged issue closed as not planned: no snooze", []ghfake.Issue{issue("mallory", notPlanned)}, 1,
			[]string{"#1 closed/not_planned mallory", "#2 open " + bot}, 2, false},
		{"forged older open issue: the real one is not closed as its duplicate", []ghfake.Issue{issue("mallory", nil), issue(bot, nil)}, 1,
			[]string{"#1 open mallory", "#2 open " + bot}, 2, true},
		{"forged newer open issue: not closed as a duplicate", []ghfake.Issue{issue(bot, nil), issue("mallory", nil)}, 2,
			[]string{"#1 open " + bot, "#2 open mallory"}, 1, true},
		{"forged issue by another bot", []ghfake.Issue{issue("evil-app[bot]", nil), issue(bot, nil)}, 1,
			[]string{"#1 open evil-app[bot]", "#2 open " + bot}, 2, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			for _, is := range tc.seed {
				e.repo.AddIssue(is)
			}
			forged, _ := e.repo.Issue(tc.forged)
			out := e.sync(t, readyState())
			if diff := cmp.Diff(tc.after, e.issueLines()); diff != "" {
				t.Errorf("issues after the run (-want +got):\n%s", diff)
			}
			if got, _ := e.repo.Issue(tc.forged); !cmp.Equal(forged, got) {
				t.Errorf("the forged issue was changed: %s", cmp.Diff(forged, got))
			}
			if out.Domains[0].Number != tc.number || tc.plainly && e.srv.Writes() != 0 {
				t.Errorf("domain's issue #%d, %d writes; want #%d", out.Domains[0].Number, e.srv.Writes(), tc.number)
			}
			foreignNotice(t, out, tc.forged, forged.Author)
		})
	}
}

// foreignNotice checks that out has one notice, about issue n by author.
func foreignNotice(t *testing.T, out Outcome, n int, author string) {
	t.Helper()
	if len(out.Notices) != 1 || out.Notices[0].Code != diag.IssueForeign || out.Notices[0].Severity != diag.Notice {
		t.Fatalf("notices = %v, want one %s", out.Notices, diag.IssueForeign)
	}
	d := out.Notices[0]
	for _, s := range []string{fmt.Sprintf("#%d", n), author, "left it alone", "copy the marker"} {
		if !strings.Contains(d.Message, s) {
			t.Errorf("notice %q does not say %q", d.Message, s)
		}
	}
	if d.Domain != domain || len(out.Warnings) != 0 {
		t.Errorf("notice domain %q, warnings %v", d.Domain, out.Warnings)
	}
}

// TestSyncForeignNoticeOnce: a forged issue marked for two domains gets
// one notice, however many domains and lists see it.
func TestSyncForeignNoticeOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.repo.AddIssue(ghfake.Issue{Title: "forged", Body: Marker("a.example") + "\n" + Marker("b.example"), Labels: []string{DefaultLabel}, Author: "mallory"})
	states := domainStates("a.example", "b.example")
	out := e.sync(t, states...)
	if len(out.Notices) != 1 || !strings.Contains(out.Notices[0].Message, "#1") {
		t.Errorf("notices = %v, want one about #1", out.Notices)
	}
	if got := len(e.repo.Issues()); got != 3 {
		t.Errorf("%d issues, want the forged one and one per domain", got)
	}
}

// identityRequests are the requests that looked up the token's account.
func (e env) identityRequests() []string {
	var out []string
	for _, r := range e.srv.Requests() {
		if r.Path == "/user" || r.Path == "/api/graphql" {
			out = append(out, fmt.Sprintf("%s %s %d", r.Method, r.Path, r.Status))
		}
	}
	return out
}

// TestSyncIdentity adopts the issues of the token's own account, looked up
// through GET /user (a personal access token), else the GraphQL viewer
// (installation tokens: the Actions GITHUB_TOKEN, a GitHub App's), else
// assumed to be github-actions[bot], with a notice.
func TestSyncIdentity(t *testing.T) {
	t.Parallel()
	const (
		user    = "GET /user 200"
		refused = "GET /user 403"
		viewer  = "POST /api/graphql 200"
	)
	tests := []struct {
		name     string
		login    string // the token's account
		setup    func(e env, o *Options)
		author   string // the author whose issue is adopted
		requests []string
		assumed  bool
	}{
		{"personal access token", "alice", nil, "alice", []string{user}, false},
		{"Actions GITHUB_TOKEN", ghfake.DefaultLogin, nil, ghfake.DefaultLogin, []string{refused, viewer}, false},
		{"GitHub App token", "stsgate-app[bot]", nil, "stsgate-app[bot]", []string{refused, viewer}, false},
		{"GraphQL fails: github-actions[bot] assumed", "stsgate-app[bot]", func(e env, _ *Options) {
			e.srv.Fail(ghfake.ServerError().On("POST", "/api/graphql"))
		}, ghfake.DefaultLogin, []string{refused, "POST /api/graphql 500"}, true},
		{"login given: no lookup", "alice", func(_ env, o *Options) { o.BotLogin = "Bob" }, "bob", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.srv.SetLogin(tc.login)
			o := opts(now)
			if tc.setup != nil {
				tc.setup(e, &o)
			}
			old := Desired(with(readyState(), func(s *State) { s.Window.CleanStreak = 15 }), Hidden{})
			for _, author := range []string{"mallory", tc.author} {
				e.repo.AddIssue(ghfake.Issue{Title: old.Title, Body: old.Body, Labels: []string{DefaultLabel}, Author: author})
			}
			out, err := Sync(context.Background(), e.client, []State{readyState()}, o)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.requests, e.identityRequests()); diff != "" {
				t.Errorf("identity requests (-want +got):\n%s", diff)
			}
			adopted, _ := e.repo.Issue(2)
			if len(e.repo.Issues()) != 2 || !strings.Contains(adopted.Body, "21 clean days") || out.Domains[0].Number != 2 {
				t.Errorf("%s's issue #2 not adopted: %v", tc.author, e.issueLines())
			}
			if got := out.Notices.Has(diag.IssueIdentityAssumed); got != tc.assumed {
				t.Errorf("notices %v, want %s: %t", out.Notices, diag.IssueIdentityAssumed, tc.assumed)
			}
		})
	}
}

// TestSyncIdentityOnce looks the identity up once per run, however many
// domains, lists and creates the run makes.
func TestSyncIdentityOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	states := domainStates("a.example", "b.example", "c.example")
	e.sync(t, states...)
	if len(e.repo.Issues()) != 3 {
		t.Fatalf("issues: %v", e.issueLines())
	}
	want := []string{"GET /user 403", "POST /api/graphql 200"}
	if diff := cmp.Diff(want, e.identityRequests()); diff != "" {
		t.Errorf("identity requests (-want +got):\n%s", diff)
	}
}
