package remind_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	. "github.com/stsgate/stsgate/internal/remind"
)

// budgetDomains is the size of the API budget test: a repository keeping
// 1,000 domains, each with its own policy file.
const budgetDomains = 1000

// budgetStates are the domains in testing mode since their policy file's
// only commit, 60 days ago, with nothing else known: the history is read
// through the API.
func budgetStates(e env, lastCommit time.Time) []State {
	states := make([]State, 0, budgetDomains)
	for i := range budgetDomains {
		path := fmt.Sprintf("policies/d%04d.txt", i)
		states = append(states, with(readyState(), func(s *State) {
			s.Domain, s.PolicyFile = fmt.Sprintf("d%04d.example", i), path
			s.TestingSince, s.LastRepoCommit = Since{}, lastCommit
		}))
	}
	return states
}

// seedBudget stores each policy file's commit and content.
func seedBudget(e env, committed time.Time) {
	for i := range budgetDomains {
		path, sha := fmt.Sprintf("policies/d%04d.txt", i), fmt.Sprintf("%040d", i+1)
		e.repo.AddCommit(ghfake.DefaultBranch, path, ghfake.Commit{SHA: sha, Date: committed})
		e.repo.SetFile(sha, path, testingPolicy)
	}
}

// budgetRun syncs states with the history read through the API and
// returns the requests made, the requests GitHub counts against the rate
// limit (all but 304 Not Modified) and the writes.
func budgetRun(t *testing.T, e env, states []State, at time.Time, maxWrites int) (requests, counted, writes int) {
	t.Helper()
	before, writesBefore := len(e.srv.Requests()), e.srv.Writes()
	o := opts(at)
	o.History, o.MaxWrites = e.client, maxWrites
	if _, err := Sync(context.Background(), e.client, states, o); err != nil {
		t.Fatal(err)
	}
	reqs := e.srv.Requests()[before:]
	for _, r := range reqs {
		if r.Status != 304 {
			counted++
		}
	}
	return len(reqs), counted, e.srv.Writes() - writesBefore
}

// TestBudget1000Domains counts the requests of scheduled runs over 1,000
// domains (docs/performance.md, "GitHub API budget"): a run in which
// nothing changed stays within 100 requests; one after an unrelated
// commit revalidates each history with a conditional request that GitHub
// answers 304 and does not count; a run where every domain changed is
// bounded by max_writes.
func TestBudget1000Domains(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("1,000 domains")
	}
	e := newEnv(t)
	committed := now.AddDate(0, 0, -60)
	seedBudget(e, committed)
	states := budgetStates(e, committed)
	first, _, created := budgetRun(t, e, states, now, 5000)
	t.Logf("first run: %d requests, %d writes", first, created)

	req, counted, writes := budgetRun(t, e, states, now.Add(24*time.Hour), 0)
	t.Logf("nothing changed: %d requests, %d counted, %d writes", req, counted, writes)
	if req > 100 || writes != 0 {
		t.Errorf("nothing changed: %d requests and %d writes, want at most 100 and none", req, writes)
	}

	later := budgetStates(e, now.Add(25*time.Hour)) // a commit to another file
	req, counted, writes = budgetRun(t, e, later, now.Add(48*time.Hour), 0)
	t.Logf("unrelated commit: %d requests, %d counted, %d writes", req, counted, writes)
	if counted > 100 || writes != 0 {
		t.Errorf("unrelated commit: %d counted requests and %d writes, want at most 100 and none", counted, writes)
	}

	for i := range later {
		later[i].Window = dirtyWindow()
	}
	req, counted, writes = budgetRun(t, e, later, now.Add(72*time.Hour), 0)
	t.Logf("every domain changed: %d requests, %d counted, %d writes", req, counted, writes)
	if counted > 100 || writes != DefaultMaxWrites {
		t.Errorf("every domain changed: %d counted requests and %d writes, want at most 100 and %d", counted, writes, DefaultMaxWrites)
	}
}
