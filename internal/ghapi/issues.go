package ghapi

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/remind"
)

// Client implements the reminder issues' tracker and policy history.
var (
	_ remind.IssueTracker = (*Client)(nil)
	_ remind.History      = (*Client)(nil)
)

// ListIssues returns every issue in owner/repo that carries label, open and
// closed (state=all), oldest first, reading all pages through the issue
// list API: never the search API, which lags behind writes and does not
// index the hidden marker (github-actions.md §0.6). Pull requests are left
// out. GitHub's list omits closed_by (it is only in the single-issue
// answer), so ClosedBy is empty here: use GetIssue where it matters, such
// as telling a human "closed as not planned" from stsgate's own close.
// Needs "issues: read".
func (c *Client) ListIssues(ctx context.Context, owner, repo, label string) ([]remind.TrackedIssue, error) {
	k := call{op: fmt.Sprintf("list issues labelled %q", label), permission: "issues: read"}
	if strings.Contains(label, ",") {
		// The labels parameter is "a list of comma separated label names".
		return nil, fmt.Errorf("ghapi: %s: the label has a comma, which the issue list API reads as two labels", k.op)
	}
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc"}
	if label != "" {
		opts.Labels = []string{label}
	}
	return c.listIssues(ctx, k, owner, repo, opts)
}

// ListIssuesByCreator returns every issue in owner/repo that login
// opened, open and closed, oldest first, all pages; pull requests are
// left out. Needs "issues: read".
func (c *Client) ListIssuesByCreator(ctx context.Context, owner, repo, login string) ([]remind.TrackedIssue, error) {
	k := call{op: fmt.Sprintf("list issues opened by %s", login), permission: "issues: read"}
	opts := &github.IssueListByRepoOptions{State: "all", Creator: login, Sort: "created", Direction: "asc"}
	return c.listIssues(ctx, k, owner, repo, opts)
}

// listIssues reads every page of the issue list that opts selects and
// leaves out pull requests.
func (c *Client) listIssues(ctx context.Context, k call, owner, repo string, opts *github.IssueListByRepoOptions) ([]remind.TrackedIssue, error) {
	all, err := paginate(&opts.ListOptions, func() ([]*github.Issue, *github.Response, error) {
		return c.api().Issues.ListByRepo(ctx, owner, repo, opts)
	})
	if err != nil {
		return nil, k.wrap(err)
	}
	var issues []remind.TrackedIssue
	for _, is := range all {
		if !is.IsPullRequest() {
			issues = append(issues, issueOf(is))
		}
	}
	return issues, nil
}

// GetIssue returns issue number, with ClosedBy filled in. Needs
// "issues: read".
func (c *Client) GetIssue(ctx context.Context, owner, repo string, number int) (remind.TrackedIssue, error) {
	k := call{op: fmt.Sprintf("read issue #%d", number), permission: "issues: read"}
	is, _, err := c.api().Issues.Get(ctx, owner, repo, number)
	if err != nil {
		return remind.TrackedIssue{}, k.wrap(err)
	}
	return issueOf(is), nil
}

// CreateIssue opens an issue and returns it as created. Needs
// "issues: write"; labels that do not exist yet may be dropped or refused
// by GitHub, so ensure them first with EnsureLabel.
func (c *Client) CreateIssue(ctx context.Context, owner, repo string, in remind.NewIssue) (remind.TrackedIssue, error) {
	k := call{op: fmt.Sprintf("create issue %q", in.Title), permission: "issues: write", write: true}
	req := &github.IssueRequest{Title: &in.Title, Body: &in.Body}
	if in.Labels != nil {
		req.Labels = &in.Labels
	}
	is, _, err := c.api().Issues.Create(ctx, owner, repo, req)
	if err != nil {
		return remind.TrackedIssue{}, k.wrap(err)
	}
	return issueOf(is), nil
}

// EditIssue changes issue number and returns it as edited. Needs
// "issues: write".
func (c *Client) EditIssue(ctx context.Context, owner, repo string, number int, e remind.IssueEdit) (remind.TrackedIssue, error) {
	k := call{op: fmt.Sprintf("edit issue #%d", number), permission: "issues: write", write: true}
	req := &github.IssueRequest{Title: e.Title, Body: e.Body, State: e.State, StateReason: e.StateReason, Labels: e.Labels}
	is, _, err := c.api().Issues.Edit(ctx, owner, repo, number, req)
	if err != nil {
		return remind.TrackedIssue{}, k.wrap(err)
	}
	return issueOf(is), nil
}

// CreateComment adds a comment to issue number. Needs "issues: write".
func (c *Client) CreateComment(ctx context.Context, owner, repo string, number int, body string) error {
	k := call{op: fmt.Sprintf("comment on issue #%d", number), permission: "issues: write", write: true}
	_, _, err := c.api().Issues.CreateComment(ctx, owner, repo, number, &github.IssueComment{Body: &body})
	return k.wrap(err)
}

// issueOf converts go-github's issue.
func issueOf(is *github.Issue) remind.TrackedIssue {
	return remind.TrackedIssue{
		Number:      is.GetNumber(),
		Title:       is.GetTitle(),
		Body:        is.GetBody(),
		State:       is.GetState(),
		StateReason: is.GetStateReason(),
		Labels:      labelNames(is.Labels),
		Author:      is.GetUser().GetLogin(),
		ClosedBy:    is.GetClosedBy().GetLogin(),
		URL:         is.GetHTMLURL(),
		CreatedAt:   timeOf(is.CreatedAt),
		UpdatedAt:   timeOf(is.UpdatedAt),
		ClosedAt:    timeOf(is.ClosedAt),
	}
}
