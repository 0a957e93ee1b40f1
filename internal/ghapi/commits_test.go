package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/remind"
)

func TestPathCommits(t *testing.T) {
	t.Parallel()
	const path = ".well-known/mta-sts.txt"
	e := setup(t)
	for i := range 150 {
		sha := fmt.Sprintf("%040d", i)
		e.repo.AddCommit("main", path, ghfake.Commit{SHA: sha, Date: now.Add(time.Duration(i) * time.Hour)})
		e.repo.SetFile(sha, path, fmt.Sprintf("version: STSv1\nid: %d\n", i))
	}
	e.repo.AddCommit("main", "README.md", ghfake.Commit{SHA: "readme", Date: now.Add(1000 * time.Hour)})
	tests := []struct {
		limit, want int
	}{{limit: 0, want: 100}, {limit: 3, want: 3}, {limit: 120, want: 120}, {limit: 500, want: 150}}
	for _, tt := range tests {
		page, err := e.c.PathCommits(context.Background(), remind.CommitQuery{Owner: owner, Repo: name, Branch: "main", Path: path, Limit: tt.limit})
		if err != nil {
			t.Fatal(err)
		}
		got := page.Commits
		if len(got) != tt.want {
			t.Fatalf("limit %d: %d commits, want %d", tt.limit, len(got), tt.want)
		}
		want := remind.Commit{SHA: fmt.Sprintf("%040d", 149), Date: now.Add(149 * time.Hour)}
		if diff := cmp.Diff(want, got[0]); diff != "" {
			t.Errorf("limit %d: newest commit (-want +got):\n%s", tt.limit, diff)
		}
	}
	// The caller reads the file at a commit it found.
	data, err := e.c.FileAt(context.Background(), owner, name, fmt.Sprintf("%040d", 7), path)
	if err != nil || string(data) != "version: STSv1\nid: 7\n" {
		t.Errorf("FileAt = %q, %v", data, err)
	}
	if _, err := e.c.PathCommits(context.Background(), remind.CommitQuery{Owner: owner, Repo: name, Branch: "gone", Path: path}); !errors.Is(err, ghapi.ErrNotFound) {
		t.Errorf("unknown branch: err = %v, want ErrNotFound", err)
	}
	none, err := e.c.PathCommits(context.Background(), remind.CommitQuery{Owner: owner, Repo: name, Path: "never.txt"})
	if err != nil || len(none.Commits) != 0 {
		t.Errorf("untouched path = %v, %v; want none", none, err)
	}
}

// TestPathCommitsConditional: with the ETag of an earlier answer the list
// is asked for conditionally; GitHub's 304 means no commit changed it.
func TestPathCommitsConditional(t *testing.T) {
	t.Parallel()
	e := setup(t)
	const path = "p.txt"
	e.repo.AddCommit("main", path, ghfake.Commit{SHA: strings.Repeat("1", 40), Date: now})
	q := remind.CommitQuery{Owner: owner, Repo: name, Path: path, Limit: 11}
	first, err := e.c.PathCommits(context.Background(), q)
	if err != nil || first.ETag == "" || first.NotModified || len(first.Commits) != 1 {
		t.Fatalf("first = %+v, %v; want one commit and an ETag", first, err)
	}
	q.ETag = first.ETag
	again, err := e.c.PathCommits(context.Background(), q)
	if err != nil || !again.NotModified || again.ETag != first.ETag || len(again.Commits) != 0 {
		t.Errorf("unchanged = %+v, %v; want not modified", again, err)
	}
	e.repo.AddCommit("main", path, ghfake.Commit{SHA: strings.Repeat("2", 40), Date: now.Add(time.Hour)})
	changed, err := e.c.PathCommits(context.Background(), q)
	if err != nil || changed.NotModified || len(changed.Commits) != 2 || changed.ETag == first.ETag {
		t.Errorf("changed = %+v, %v; want two commits and a new ETag", changed, err)
	}
	if got := e.requests(); got[1] != "GET /repos/octo/mail/commits 304" {
		t.Errorf("requests = %v", got)
	}
}
