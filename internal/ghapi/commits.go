package ghapi

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/remind"
)

// PathCommits returns up to limit commits on branch (a branch name or
// commit SHA; empty means the default branch) that changed path, newest
// first, so the caller can walk back through the file's versions with
// FileAt and find since when the policy has been in testing mode (DESIGN
// §1.6). limit < 1 means 100. Needs "contents: read".
func (c *Client) PathCommits(ctx context.Context, owner, repo, branch, path string, limit int) ([]remind.Commit, error) {
	k := call{op: fmt.Sprintf("list commits of %s on %s", path, branchName(branch)), permission: "contents: read"}
	if limit < 1 {
		limit = perPage
	}
	opts := &github.CommitsListOptions{SHA: branch, Path: path, ListOptions: github.ListOptions{PerPage: min(limit, perPage)}}
	var commits []remind.Commit
	for len(commits) < limit {
		page, resp, err := c.api().Repositories.ListCommits(ctx, owner, repo, opts)
		if err != nil {
			return nil, k.wrap(err)
		}
		for _, rc := range page {
			commits = append(commits, remind.Commit{SHA: rc.GetSHA(), Date: committerDate(rc)})
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	return commits[:min(len(commits), limit)], nil
}

// committerDate is the commit's committer date, else its author date.
func committerDate(rc *github.RepositoryCommit) time.Time {
	c := rc.GetCommit()
	if d := timeOf(c.GetCommitter().Date); !d.IsZero() {
		return d
	}
	return timeOf(c.GetAuthor().Date)
}

// branchName names branch in messages.
func branchName(branch string) string {
	if branch == "" {
		return "the default branch"
	}
	return branch
}
