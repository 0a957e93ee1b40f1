package remind_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	. "github.com/stsgate/stsgate/internal/remind"
)

// The helpers of the internal tests, under their internal names (see
// export_test.go).
var (
	readyState   = ReadyState
	with         = With
	domainStates = DomainStates
	dirtyWindow  = DirtyWindow
	now          = TestNow
	commitDate   = CommitDate
)

const (
	domain            = TestDomain
	labelColor        = LabelColor
	testingPolicy     = TestingPolicy
	enforcePolicy     = EnforcePolicy
	defaultPolicyFile = DefaultPolicyFile
)

// TestTestingSinceGitHub runs the walk through ghapi against ghfake.
func TestTestingSinceGitHub(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i, content := range []string{testingPolicy, testingPolicy, enforcePolicy} {
		sha := fmt.Sprintf("%040d", i+1)
		e.repo.AddCommit(ghfake.DefaultBranch, defaultPolicyFile, ghfake.Commit{SHA: sha, Date: commitDate(i)})
		e.repo.SetFile(sha, defaultPolicyFile, content)
	}
	got, err := TestingSince(context.Background(), e.client, SinceQuery{Owner: owner, Repo: repoName, Path: defaultPolicyFile})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Since{Time: commitDate(1), Source: SinceCommits}); !cmp.Equal(want, got) {
		t.Errorf("TestingSince = %+v, want %+v", got, want)
	}
	if n := len(e.srv.Requests()); n != 4 {
		t.Errorf("%d requests, want 1 list and 3 reads", n)
	}
}
