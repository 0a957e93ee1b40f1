package ghapi_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/remind"
)

// TestRequestsDescribed holds the client to GitHub's REST description:
// every request it sends is a described operation, with described query
// parameters only (the extract in ghfake/testdata).
func TestRequestsDescribed(t *testing.T) {
	t.Parallel()
	d, err := ghfake.LoadDescription("ghfake/testdata/rest-api-extract.json")
	if err != nil {
		t.Fatal(err)
	}
	e := setup(t)
	sha := seedDescribed(e)
	ctx := context.Background()
	calls := []func() error{
		func() error { _, err := e.c.ListIssues(ctx, owner, name, "mta-sts"); return err },
		func() error { _, err := e.c.ListIssuesByCreator(ctx, owner, name, "github-actions[bot]"); return err },
		func() error { _, err := e.c.GetIssue(ctx, owner, name, 1); return err },
		func() error {
			_, err := e.c.CreateIssue(ctx, owner, name, remind.NewIssue{Title: "t", Labels: []string{"mta-sts"}})
			return err
		},
		func() error {
			_, err := e.c.EditIssue(ctx, owner, name, 1, remind.IssueEdit{State: ptr("closed"), StateReason: ptr("duplicate")})
			return err
		},
		func() error { return e.c.CreateComment(ctx, owner, name, 1, "b") },
		func() error {
			_, err := e.c.EnsureLabel(ctx, owner, name, remind.Label{Name: "new", Color: "ededed"})
			return err
		},
		func() error {
			_, err := e.c.PathCommits(ctx, remind.CommitQuery{Owner: owner, Repo: name, Branch: "main", Path: "p.txt", Limit: 11})
			return err
		},
		func() error { _, err := e.c.FileAt(ctx, owner, name, sha, "p.txt"); return err },
		func() error { _, err := e.c.TreeFiles(ctx, owner, name, sha); return err },
		func() error { _, err := e.c.PullRequestLabels(ctx, owner, name, 2); return err },
	}
	for i, call := range calls {
		if err := call(); err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	for _, r := range e.srv.Requests() {
		checkDescribed(t, d, r)
	}
}

// seedDescribed fills the repository the described calls read and
// returns the commit of the policy file.
func seedDescribed(e env) string {
	sha := strings.Repeat("a", 40)
	e.repo.AddIssue(ghfake.Issue{Title: "one", Labels: []string{"mta-sts"}})
	e.repo.AddPullRequest(2, "mta-sts-override")
	e.repo.AddCommit("main", "p.txt", ghfake.Commit{SHA: sha, Date: now})
	e.repo.SetFile(sha, "p.txt", "version: STSv1\n")
	return sha
}

// checkDescribed fails the test for a request the description does not
// have, or a query parameter it does not list.
func checkDescribed(t *testing.T, d *ghfake.Description, r ghfake.Request) {
	t.Helper()
	if r.Path == "/user" || strings.HasSuffix(r.Path, "/graphql") {
		return // outside the repository operations of the extract
	}
	op, tmpl, ok := d.Match(r.Method, r.Path)
	if !ok {
		t.Errorf("%s %s is not a described operation", r.Method, r.Path)
		return
	}
	q, _ := url.ParseQuery(r.Query)
	for key := range q {
		if p, ok := op.Parameters[key]; !ok || p.In != "query" {
			t.Errorf("%s %s: query parameter %q is not described for %s", r.Method, r.Path, key, tmpl)
		}
	}
}
