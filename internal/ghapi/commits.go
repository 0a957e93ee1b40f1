package ghapi

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/remind"
)

// PathCommits returns up to q.Limit commits on q.Branch (a branch name or
// commit SHA; empty means the default branch) that changed q.Path, newest
// first, so the caller can walk back through the file's versions with
// FileAt and find since when the policy has been in testing mode (DESIGN
// §1.6). With q.ETag the first page is asked for conditionally: GitHub
// answers 304 Not Modified, free of the rate limit, when the list is
// unchanged. Needs "contents: read".
func (c *Client) PathCommits(ctx context.Context, q remind.CommitQuery) (remind.CommitPage, error) {
	k := call{op: fmt.Sprintf("list commits of %s on %s", cmp.Or(q.Path, "the repository"), branchName(q.Branch)), permission: "contents: read"}
	limit := q.Limit
	if limit < 1 {
		limit = perPage
	}
	var page remind.CommitPage
	etag := q.ETag
	for n := 1; len(page.Commits) < limit; n++ {
		commits, resp, err := c.commitsPage(ctx, q, min(limit, perPage), n, etag)
		if err != nil {
			return remind.CommitPage{}, k.wrap(err)
		}
		if resp.StatusCode == http.StatusNotModified {
			return remind.CommitPage{ETag: q.ETag, NotModified: true}, nil
		}
		if n == 1 {
			page.ETag = resp.Header.Get("ETag")
		}
		page.Commits = append(page.Commits, commits...)
		if resp.NextPage == 0 {
			break
		}
		etag = ""
	}
	page.Commits = page.Commits[:min(len(page.Commits), limit)]
	return page, nil
}

// commitsPage reads page n of the commit list, conditionally on etag. A
// 304 answer is returned as the response, not as an error.
func (c *Client) commitsPage(ctx context.Context, q remind.CommitQuery, per, n int, etag string) ([]remind.Commit, *github.Response, error) {
	gh := c.api()
	v := url.Values{"per_page": {strconv.Itoa(per)}, "page": {strconv.Itoa(n)}}
	if q.Branch != "" {
		v.Set("sha", q.Branch)
	}
	if q.Path != "" {
		v.Set("path", q.Path)
	}
	req, err := gh.NewRequest("GET", fmt.Sprintf("repos/%s/%s/commits?%s", url.PathEscape(q.Owner), url.PathEscape(q.Repo), v.Encode()), nil)
	if err != nil {
		return nil, nil, err
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	var rcs []*github.RepositoryCommit
	resp, err := gh.Do(ctx, req, &rcs)
	if resp != nil && resp.StatusCode == http.StatusNotModified {
		return nil, resp, nil
	}
	if err != nil {
		return nil, nil, err
	}
	commits := make([]remind.Commit, 0, len(rcs))
	for _, rc := range rcs {
		commits = append(commits, remind.Commit{SHA: rc.GetSHA(), Date: committerDate(rc)})
	}
	return commits, resp, nil
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
