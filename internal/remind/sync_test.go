package remind_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/policy"
	. "github.com/stsgate/stsgate/internal/remind"
)

const (
	owner    = "octo"
	repoName = "mail"
)

// env is a ghapi client talking to a fresh fake.
type env struct {
	srv    *ghfake.Server
	repo   *ghfake.Repo
	client *ghapi.Client
	sleeps *ghfake.Sleeper
}

func newEnv(t *testing.T) env {
	t.Helper()
	srv := ghfake.New(t)
	srv.SetNow(func() time.Time { return now })
	e := env{srv: srv, repo: srv.Repo(owner, repoName), sleeps: &ghfake.Sleeper{}}
	c, err := ghapi.New(ghapi.Options{Token: "ghs_test", BaseURL: srv.URL(), HTTPClient: srv.Client(),
		Retry: ghapi.Retry{Sleep: e.sleeps.Sleep, Now: func() time.Time { return now }}})
	if err != nil {
		t.Fatal(err)
	}
	e.client = c
	return e
}

// opts are the Sync options of a run at t, with writes paced on a clock
// that only sleeps advance.
func opts(t time.Time) Options {
	return Options{Owner: owner, Repo: repoName, Now: t, Clock: &testClock{now: t}}
}

// testClock is a Clock whose time moves only when it sleeps, recording
// the sleeps.
type testClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

// sync runs Sync at the states' time and fails the test on an error.
func (e env) sync(t *testing.T, states ...State) Outcome {
	t.Helper()
	out, err := Sync(context.Background(), e.client, states, opts(states[0].Now))
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	return out
}

// only returns the repository's single issue, failing otherwise.
func (e env) only(t *testing.T) ghfake.Issue {
	t.Helper()
	all := e.repo.Issues()
	if len(all) != 1 {
		t.Fatalf("repository has %d issues, want 1:\n%s", len(all), e.repo.Summary())
	}
	return all[0]
}

// stateOf is the hidden state of an issue body.
func stateOf(t *testing.T, body string) Kind {
	t.Helper()
	h, ok := ParseState(body)
	if !ok {
		t.Fatalf("no hidden state in:\n%s", body)
	}
	return h.State
}

// TestSyncCreate opens a labelled issue with the marker, creating the
// label first.
func TestSyncCreate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	out := e.sync(t, readyState())
	is := e.only(t)
	if is.State != "open" || len(is.Labels) != 1 || is.Labels[0] != DefaultLabel || !HasMarker(is.Body, domain) {
		t.Errorf("created issue: %s", e.repo.Summary())
	}
	if len(out.Applied) != 1 || out.Applied[0].Number != is.Number || out.Domains[0].Number != is.Number || len(out.Warnings) != 0 {
		t.Errorf("outcome = %+v", out)
	}
	if labels := e.repo.Labels(); len(labels) != 1 || labels[0].Color != labelColor {
		t.Errorf("labels = %+v", labels)
	}
	if w := e.srv.Writes(); w != 2 {
		t.Errorf("%d writes, want 2 (label, issue)", w)
	}
}

// TestSyncRerunWritesNothing reruns with nothing changed, also a day
// later: no write at all.
func TestSyncRerunWritesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sync(t, readyState())
	before := e.srv.Writes()
	out := e.sync(t, readyState())
	e.sync(t, with(readyState(), func(s *State) { s.Now = now.Add(25 * time.Hour) }))
	if w := e.srv.Writes() - before; w != 0 || len(out.Planned) != 0 {
		t.Errorf("rerun made %d writes, planned %v; want none", w, out.Planned)
	}
}

// TestSyncUpdate edits on new evidence, with a comment only when the
// kind changes.
func TestSyncUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sync(t, readyState())
	before := e.srv.Writes()
	e.sync(t, with(readyState(), func(s *State) { s.Window.CleanStreak = 22 }))
	if w := e.srv.Writes() - before; w != 1 || len(e.only(t).Comments) != 0 {
		t.Errorf("new evidence: %d writes, %d comments; want 1 edit, no comment", w, len(e.only(t).Comments))
	}
	before = e.srv.Writes()
	e.sync(t, with(readyState(), func(s *State) { s.Window = dirtyWindow() }))
	is := e.only(t)
	if w := e.srv.Writes() - before; w != 2 || len(is.Comments) != 1 || stateOf(t, is.Body) != KindBlocked {
		t.Errorf("kind change: %d writes, %d comments, state %s; want edit and comment", w, len(is.Comments), stateOf(t, is.Body))
	}
	if !strings.Contains(is.Comments[0].Body, "from **ready** to **blocked**") {
		t.Errorf("comment = %q", is.Comments[0].Body)
	}
}

// TestSyncLifecycle closes on resolution, reopens on recurrence, and
// snoozes after a person's "not planned".
func TestSyncLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sync(t, readyState())
	e.sync(t, with(readyState(), func(s *State) { s.RepoMode = policy.ModeEnforce }))
	is := e.only(t)
	if is.State != "closed" || is.StateReason != "completed" || len(is.Comments) != 1 || stateOf(t, is.Body) != KindResolved {
		t.Fatalf("after resolution: %s", e.repo.Summary())
	}
	drift := with(readyState(), func(s *State) { s.RepoMode, s.LiveID = policy.ModeEnforce, "20250101T000000" })
	e.sync(t, drift)
	is = e.only(t)
	if is.State != "open" || len(is.Comments) != 2 || !strings.HasPrefix(is.Comments[1].Body, "Reopened by stsgate.") {
		t.Fatalf("after recurrence: %s", e.repo.Summary())
	}
	if stateOf(t, is.Body) != KindDrift {
		t.Errorf("reopened with state %s, want drift", stateOf(t, is.Body))
	}
}

// TestSyncSnooze: a person's "not planned" silences the domain for
// snooze_days from closed_at, read through GetIssue's closed_by.
func TestSyncSnooze(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		closedBy string
		age      time.Duration
		reopen   bool
	}{
		{"person, 5 days ago", "alice", 5 * 24 * time.Hour, false},
		{"person, 31 days ago", "alice", 31 * 24 * time.Hour, true},
		{"the bot itself", ghfake.DefaultLogin, 5 * 24 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			want := Desired(readyState(), Hidden{})
			e.repo.AddIssue(ghfake.Issue{Title: want.Title, Body: want.Body, Labels: []string{DefaultLabel}, State: "closed",
				StateReason: "not_planned", ClosedBy: tc.closedBy, ClosedAt: now.Add(-tc.age), CreatedAt: now.AddDate(0, -2, 0)})
			e.sync(t, readyState())
			is := e.only(t)
			if (is.State == "open") != tc.reopen {
				t.Errorf("state %s, want reopened = %v", is.State, tc.reopen)
			}
			if !tc.reopen && e.srv.Writes() != 0 {
				t.Errorf("snoozed run made %d writes", e.srv.Writes())
			}
			read := false
			for _, r := range e.srv.Requests() {
				read = read || r.Method == "GET" && r.Path == "/repos/octo/mail/issues/1"
			}
			if tc.age < 30*24*time.Hour && !read {
				t.Error("closed_by was not read with GetIssue")
			}
		})
	}
}

// TestSyncDuplicates closes the newer of two open issues as completed,
// linking the kept one.
func TestSyncDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	want := Desired(readyState(), Hidden{})
	for range 2 {
		e.repo.AddIssue(ghfake.Issue{Title: want.Title, Body: want.Body, Labels: []string{DefaultLabel}})
	}
	e.sync(t, readyState())
	first, _ := e.repo.Issue(1)
	second, _ := e.repo.Issue(2)
	if first.State != "open" || second.State != "closed" || second.StateReason != "completed" {
		t.Fatalf("after merge: %s", e.repo.Summary())
	}
	if len(second.Comments) != 1 || !strings.Contains(second.Comments[0].Body, "duplicate of #1") {
		t.Errorf("duplicate comment = %+v", second.Comments)
	}
}

// TestSyncPagination finds its issue among 250 labelled ones.
func TestSyncPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 250 {
		e.repo.AddIssue(ghfake.Issue{Title: fmt.Sprintf("other %d", i), Body: Marker(fmt.Sprintf("d%d.example", i)), Labels: []string{DefaultLabel}})
	}
	old := Desired(with(readyState(), func(s *State) { s.Window.CleanStreak = 15 }), Hidden{})
	n := e.repo.AddIssue(ghfake.Issue{Title: old.Title, Body: old.Body, Labels: []string{DefaultLabel}})
	e.sync(t, readyState())
	is, _ := e.repo.Issue(n)
	if len(e.repo.Issues()) != 251 || !strings.Contains(is.Body, "21 clean days") {
		t.Errorf("issue #%d not found and updated across pages", n)
	}
	lists := 0
	for _, r := range e.srv.Requests() {
		if r.Method == "GET" && r.Path == "/repos/octo/mail/issues" {
			lists++
			if !strings.Contains(r.Query, "state=all") || !strings.Contains(r.Query, "labels=mta-sts") {
				t.Errorf("list query %q lacks state=all or the label", r.Query)
			}
		}
	}
	if lists != 3 {
		t.Errorf("%d list pages, want 3", lists)
	}
}

// TestSyncPermission degrades denied permissions to warnings.
func TestSyncPermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(e env)
		code  diag.Code
	}{
		{"create denied", func(e env) { e.srv.Fail(ghfake.NotAccessible().On("POST", "/repos/*/*/issues")) }, diag.IssuePermission},
		{"label denied", func(e env) { e.srv.Fail(ghfake.NotAccessible().On("POST", "/repos/*/*/labels")) }, diag.IssueLabelUnavailable},
		{"list denied", func(e env) { e.srv.Fail(ghfake.NotAccessible().On("GET", "/repos/*/*/issues")) }, diag.IssuePermission},
		{"token rejected", func(e env) { e.srv.RequireToken("another") }, diag.IssuePermission},
		{"read-only token, edit", func(e env) {
			old := Desired(with(readyState(), func(s *State) { s.Window.CleanStreak = 15 }), Hidden{})
			e.repo.AddIssue(ghfake.Issue{Title: old.Title, Body: old.Body, Labels: []string{DefaultLabel}})
			e.srv.SetReadOnly(true)
		}, diag.IssuePermission},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			tc.setup(e)
			out, err := Sync(context.Background(), e.client, []State{readyState()}, opts(now))
			if err != nil {
				t.Fatalf("Sync error %v, want a warning", err)
			}
			if len(out.Warnings) != 1 || out.Warnings[0].Code != tc.code || out.Warnings[0].Severity != diag.Warning {
				t.Errorf("warnings = %v, want one %s", out.Warnings, tc.code)
			}
			for _, is := range e.repo.Issues() {
				if is.Number > 0 && !strings.Contains(is.Body, "15 clean days") {
					t.Errorf("issue written despite the denial: %s", e.repo.Summary())
				}
			}
			if tc.code == diag.IssueLabelUnavailable && len(out.Skipped) != 1 {
				t.Errorf("skipped = %v, want the create", out.Skipped)
			}
		})
	}
}

// TestSyncSecondaryLimit retries a secondary rate limit after Retry-After
// on the fake clock, and gives up after the retry budget.
func TestSyncSecondaryLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.srv.Fail(ghfake.SecondaryLimit(30*time.Second).On("POST", "/repos/*/*/issues"))
	e.sync(t, readyState())
	if e.only(t).State != "open" || fmt.Sprint(e.sleeps.Waits()) != "[30s]" {
		t.Errorf("waits %v, issues %s", e.sleeps.Waits(), e.repo.Summary())
	}

	e = newEnv(t)
	e.srv.Fail(ghfake.SecondaryLimit(30*time.Second).On("POST", "/repos/*/*/issues").Repeat(10))
	_, err := Sync(context.Background(), e.client, []State{readyState()}, opts(now))
	var limit *ghapi.RateLimitError
	if !errors.As(err, &limit) || len(e.repo.Issues()) != 0 {
		t.Errorf("Sync error = %v, want a *ghapi.RateLimitError and no issue", err)
	}
	if n := len(e.sleeps.Waits()); n != 2 {
		t.Errorf("%d waits, want 2 (3 attempts)", n)
	}
}

// listBarrier holds each run after its first list until every run has
// listed, so that racing runs all see no issue and all create one.
type listBarrier struct {
	IssueTracker
	wg   *sync.WaitGroup
	once sync.Once
}

func (b *listBarrier) ListIssues(ctx context.Context, owner, repo, label string) ([]TrackedIssue, error) {
	issues, err := b.IssueTracker.ListIssues(ctx, owner, repo, label)
	b.once.Do(func() {
		b.wg.Done()
		b.wg.Wait()
	})
	return issues, err
}

// TestSyncRace runs two Syncs that both create an issue: afterwards one
// issue is open, the lower-numbered, and the other is closed as a
// duplicate.
func TestSyncRace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var listed, done sync.WaitGroup
	listed.Add(2)
	errs := make([]error, 2)
	for i := range 2 {
		done.Go(func() {
			_, errs[i] = Sync(context.Background(), &listBarrier{IssueTracker: e.client, wg: &listed}, []State{readyState()}, opts(now))
		})
	}
	done.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	all := e.repo.Issues()
	if len(all) != 2 {
		t.Fatalf("want both runs to have created an issue:\n%s", e.repo.Summary())
	}
	if all[0].State != "open" || all[1].State != "closed" || all[1].StateReason != "completed" {
		t.Errorf("after the race:\n%s", e.repo.Summary())
	}
}

// TestSyncDryRun plans without writing.
func TestSyncDryRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := opts(now)
	o.DryRun = true
	out, err := Sync(context.Background(), e.client, []State{readyState()}, o)
	if err != nil {
		t.Fatal(err)
	}
	if e.srv.Writes() != 0 || len(out.Applied) != 0 || len(out.Planned) != 1 || out.Planned[0].Action != ActionCreate {
		t.Errorf("dry run: %d writes, planned %v", e.srv.Writes(), out.Planned)
	}
	if s := out.Planned[0].String(); s != "create a new issue for example.com: open the ready issue" {
		t.Errorf("planned write reads %q", s)
	}
}

// TestSyncMaxWrites stops at the write limit and says so.
func TestSyncMaxWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	states := domainStates("a.example", "b.example", "c.example")
	o := opts(now)
	o.MaxWrites = 2
	out, err := Sync(context.Background(), e.client, states, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.repo.Issues()) != 2 || len(out.Skipped) != 1 || len(out.Warnings) != 0 {
		t.Errorf("issues %d, skipped %v, warnings %v", len(e.repo.Issues()), out.Skipped, out.Warnings)
	}
	if len(out.Notices) != 1 || out.Notices[0].Code != diag.IssueWriteLimit || out.Notices[0].Severity != diag.Notice ||
		!strings.Contains(out.Notices[0].Message, "max_writes") {
		t.Errorf("notices = %v, want one %s notice naming max_writes", out.Notices, diag.IssueWriteLimit)
	}
}

// TestSyncPacesWrites: GitHub asks for about a second between
// content-creating requests; the writes are paced on the run's clock and
// reads are not.
func TestSyncPacesWrites(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := opts(now)
	clock := o.Clock.(*testClock)
	if _, err := Sync(context.Background(), e.client, domainStates("a.example", "b.example", "c.example"), o); err != nil {
		t.Fatal(err)
	}
	writes := e.srv.Writes() // the label, three issues
	if writes != 4 {
		t.Fatalf("%d writes, want 4", writes)
	}
	want := []time.Duration{time.Second, time.Second, time.Second}
	if fmt.Sprint(clock.sleeps) != fmt.Sprint(want) {
		t.Errorf("sleeps %v, want %v: one second before every write but the first", clock.sleeps, want)
	}
}

// TestSyncDriftFixed closes a drift issue once the drift is gone, while
// testing mode is not stale yet.
func TestSyncDriftFixed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	young := with(readyState(), func(s *State) { s.TestingSince.Time = now.AddDate(0, 0, -3) })
	e.sync(t, with(young, func(s *State) { s.LivePolicyMatches, s.LiveMode = false, "" }))
	if is := e.only(t); is.State != "open" || stateOf(t, is.Body) != KindDrift {
		t.Fatalf("drift issue not opened: %s", e.repo.Summary())
	}
	e.sync(t, young)
	is := e.only(t)
	if is.State != "closed" || len(is.Comments) != 1 || !strings.HasPrefix(is.Comments[0].Body, "**Fixed:**") {
		t.Errorf("drift issue not closed as fixed: %s", e.repo.Summary())
	}
	before := e.srv.Writes()
	e.sync(t, young)
	if e.srv.Writes() != before {
		t.Error("a quiet rerun wrote to the closed issue")
	}
}
