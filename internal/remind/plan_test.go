package remind

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/policy"
)

// planned is the gist of a write, for comparisons.
type planned struct {
	Action  Action
	Number  int
	Comment string // a fragment the comment must contain; "" for no comment
}

// issueFor returns an existing issue of the domain holding want's content.
func issueFor(n int, want Issue, state, reason, closedBy string, closedAt time.Time) TrackedIssue {
	return TrackedIssue{Number: n, Title: want.Title, Body: want.Body, State: state, StateReason: reason,
		Labels: []string{"mta-sts"}, Author: DefaultBotLogin, ClosedBy: closedBy, ClosedAt: closedAt}
}

// TestPlan covers the transitions of the living issue (DESIGN §1.6).
func TestPlan(t *testing.T) {
	t.Parallel()
	ready := Desired(readyState(), Hidden{})
	readyLater := Desired(with(readyState(), func(s *State) { s.Window.CleanStreak = 22 }), ready.State)
	blocked := Desired(with(readyState(), func(s *State) { s.Window = dirtyWindow() }), Hidden{})
	resolved := Desired(with(readyState(), func(s *State) { s.RepoMode = policy.ModeEnforce }), Hidden{})
	quiet := Desired(with(readyState(), func(s *State) { s.TestingSince = Since{} }), Hidden{})
	unknown := Desired(with(readyState(), func(s *State) { s.Unverified = true }), Hidden{})
	drift := Desired(with(readyState(), func(s *State) { s.LiveID = "" }), Hidden{})
	noTLSRPT := Desired(with(readyState(), func(s *State) { s.TLSRPT = false }), Hidden{})
	noPolicy := Desired(with(readyState(), func(s *State) { s.RepoMode = "" }), Hidden{})
	open := func(n int, is Issue) TrackedIssue { return issueFor(n, is, "open", "", "", time.Time{}) }
	closed := func(n int, is Issue, reason, by string, ago time.Duration) TrackedIssue {
		return issueFor(n, is, "closed", reason, by, now.Add(-ago))
	}
	day := 24 * time.Hour
	tests := []struct {
		name     string
		want     Issue
		existing []TrackedIssue
		writes   []planned
	}{
		{"none, ready: create", ready, nil, []planned{{ActionCreate, 0, ""}}},
		{"same content: nothing", ready, []TrackedIssue{open(1, ready)}, nil},
		{"CRLF body: nothing", ready, []TrackedIssue{func() TrackedIssue {
			is := open(1, ready)
			is.Body = strings.ReplaceAll(is.Body, "\n", "\r\n")
			return is
		}()}, nil},
		{"content changed, same kind: edit, no comment", readyLater, []TrackedIssue{open(1, ready)}, []planned{{ActionEdit, 1, ""}}},
		{"kind changed: edit with a comment", blocked, []TrackedIssue{open(1, ready)},
			[]planned{{ActionEdit, 1, "State changed from **ready** to **blocked**"}}},
		{"hidden state unreadable: edit, no comment", blocked, []TrackedIssue{func() TrackedIssue {
			is := open(1, ready)
			is.Body = Marker(domain) + "\nedited by hand"
			return is
		}()}, []planned{{ActionEdit, 1, ""}}},
		{"resolved: close with a comment", resolved, []TrackedIssue{open(1, ready)}, []planned{{ActionClose, 1, "enforces its policy"}}},
		{"resolved, already closed: nothing", resolved, []TrackedIssue{closed(1, ready, "completed", DefaultBotLogin, day)}, nil},
		{"resolved, no issue: nothing", resolved, nil, nil},
		{"problem returns: reopen", blocked, []TrackedIssue{closed(1, resolved, "completed", DefaultBotLogin, day)},
			[]planned{{ActionReopen, 1, "Reopened by stsgate."}}},
		{"closed as completed by a person: reopen", blocked, []TrackedIssue{closed(1, ready, "completed", "alice", day)},
			[]planned{{ActionReopen, 1, "Reopened"}}},
		{"not planned by a person: snoozed", blocked, []TrackedIssue{closed(1, ready, "not_planned", "alice", 29*day)}, nil},
		{"not planned, closer unknown: snoozed", blocked, []TrackedIssue{closed(1, ready, "not_planned", "", day)}, nil},
		{"snooze over: reopen", blocked, []TrackedIssue{closed(1, ready, "not_planned", "alice", 31*day)},
			[]planned{{ActionReopen, 1, "Reopened"}}},
		{"duplicate by a person: snoozed", blocked, []TrackedIssue{closed(1, ready, "duplicate", "alice", 29*day)}, nil},
		{"duplicate, closer unknown: snoozed", blocked, []TrackedIssue{closed(1, ready, "duplicate", "", day)}, nil},
		{"duplicate, snooze over: reopen", blocked, []TrackedIssue{closed(1, ready, "duplicate", "alice", 31*day)},
			[]planned{{ActionReopen, 1, "Reopened"}}},
		{"not planned by the bot: reopen", blocked, []TrackedIssue{closed(1, ready, "not_planned", DefaultBotLogin, day)},
			[]planned{{ActionReopen, 1, "Reopened"}}},
		{"snoozed issue reopened by a person: update", blocked, []TrackedIssue{open(1, ready), closed(2, ready, "not_planned", "alice", day)},
			[]planned{{ActionEdit, 1, "to **blocked**"}}},
		{"quiet, open reminder: left alone", quiet, []TrackedIssue{open(1, ready)}, nil},
		{"quiet, open drift issue: closed as fixed", quiet, []TrackedIssue{open(1, drift)}, []planned{{ActionClose, 1, "**Fixed:**"}}},
		{"quiet, open TLS-RPT issue: closed as fixed", quiet, []TrackedIssue{open(1, noTLSRPT)}, []planned{{ActionClose, 1, "publishes a TLS-RPT record"}}},
		{"no policy, open drift issue: left alone", noPolicy, []TrackedIssue{open(1, drift)}, nil},
		{"quiet, closed issue: left alone", quiet, []TrackedIssue{closed(1, ready, "completed", DefaultBotLogin, day)}, nil},
		{"quiet, none: nothing", quiet, nil, nil},
		{"unknown: left alone", unknown, []TrackedIssue{open(1, ready)}, nil},
		{"duplicates: close the newer", ready, []TrackedIssue{open(4, ready), open(2, ready), open(7, ready)},
			[]planned{{ActionClose, 4, "duplicate of #2"}, {ActionClose, 7, "duplicate of #2"}}},
		{"open kept over a lower closed one", readyLater, []TrackedIssue{closed(1, ready, "completed", DefaultBotLogin, day), open(3, ready), open(5, ready)},
			[]planned{{ActionClose, 5, "duplicate of #3"}, {ActionEdit, 3, ""}}},
		{"duplicates even when unknown", unknown, []TrackedIssue{open(1, ready), open(2, ready)}, []planned{{ActionClose, 2, "#1"}}},
		{"other domains ignored", ready, []TrackedIssue{func() TrackedIssue {
			is := open(1, ready)
			is.Body = strings.Replace(is.Body, Marker(domain), Marker("other.example"), 1)
			return is
		}()}, []planned{{ActionCreate, 0, ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Plan(tc.want, tc.existing, PlanOptions{Now: now})
			var gist []planned
			for _, w := range got {
				p := planned{Action: w.Action, Number: w.Number}
				if w.Comment != "" {
					p.Comment = w.Comment
				}
				gist = append(gist, p)
			}
			if len(gist) != len(tc.writes) {
				t.Fatalf("Plan = %v, want %v", got, tc.writes)
			}
			for i, w := range tc.writes {
				g := gist[i]
				if g.Action != w.Action || g.Number != w.Number || (w.Comment == "") != (g.Comment == "") || !strings.Contains(g.Comment, w.Comment) {
					t.Errorf("write %d = %s %d comment %q, want %s %d with %q", i, g.Action, g.Number, g.Comment, w.Action, w.Number, w.Comment)
				}
			}
		})
	}
}

// TestPlanCarriesContent checks that creates, edits and reopens carry the
// wanted title and body, and a resolution closes with the final body.
func TestPlanCarriesContent(t *testing.T) {
	t.Parallel()
	ready := Desired(readyState(), Hidden{})
	resolved := Desired(with(readyState(), func(s *State) { s.RepoMode = policy.ModeEnforce }), Hidden{})
	got := Plan(ready, nil, PlanOptions{Now: now})
	want := []Write{{Action: ActionCreate, Domain: domain, Title: ready.Title, Body: ready.Body, Why: "open the ready issue"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Plan create mismatch (-want +got):\n%s", diff)
	}
	got = Plan(resolved, []TrackedIssue{issueFor(3, ready, "open", "", "", time.Time{})}, PlanOptions{Now: now})
	want = []Write{{Action: ActionClose, Domain: domain, Number: 3, Title: resolved.Title, Body: resolved.Body, Comment: resolved.Change, Why: "resolved"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Plan close mismatch (-want +got):\n%s", diff)
	}
	if s := got[0].String(); s != "close #3 for example.com: resolved, with a comment" {
		t.Errorf("Write.String = %q", s)
	}
}

// TestPlanOwnIssuesOnly: Plan adopts only the issues of opts.BotLogin,
// and a close as not planned by a person still snoozes the own issue.
func TestPlanOwnIssuesOnly(t *testing.T) {
	t.Parallel()
	ready := Desired(readyState(), Hidden{})
	blocked := Desired(with(readyState(), func(s *State) { s.Window = dirtyWindow() }), Hidden{})
	by := func(author string, is TrackedIssue) TrackedIssue { is.Author = author; return is }
	open := func(n int) TrackedIssue { return issueFor(n, ready, "open", "", "", time.Time{}) }
	notPlanned := func(n int) TrackedIssue {
		return issueFor(n, ready, "closed", "not_planned", "alice", now.AddDate(0, 0, -1))
	}
	tests := []struct {
		name     string
		want     Issue
		existing []TrackedIssue
		writes   []Action
	}{
		{"forged open: create", blocked, []TrackedIssue{by("mallory", open(1))}, []Action{ActionCreate}},
		{"forged not planned: create", blocked, []TrackedIssue{by("mallory", notPlanned(1))}, []Action{ActionCreate}},
		{"forged older open: no duplicate", ready, []TrackedIssue{by("mallory", open(1)), open(2)}, nil},
		{"own not planned by a triager: snoozed", blocked, []TrackedIssue{notPlanned(1)}, nil},
		{"login compared without case", ready, []TrackedIssue{by("GitHub-Actions[bot]", open(1))}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []Action
			for _, w := range Plan(tc.want, tc.existing, PlanOptions{Now: now}) {
				got = append(got, w.Action)
			}
			if diff := cmp.Diff(tc.writes, got); diff != "" {
				t.Errorf("Plan actions (-want +got):\n%s", diff)
			}
		})
	}
}
