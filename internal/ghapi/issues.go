package ghapi

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v62/github"
)

// Issue is an issue as the reminder logic sees it.
type Issue struct {
	Number      int
	Title       string
	Body        string
	State       string // "open" or "closed"
	StateReason string // "completed", "not_planned", "reopened" or ""
	Labels      []string
	Author      string // login of the user who opened it
	ClosedBy    string // who closed it: only from GetIssue, lists leave it empty
	URL         string // the issue's page, for links in comments
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ClosedAt    time.Time // zero while open
}

// NewIssue is the content of an issue to open.
type NewIssue struct {
	Title  string
	Body   string
	Labels []string
}

// IssueEdit changes an issue; nil fields stay as they are. Close with
// State "closed" and StateReason "completed" or "not_planned"; reopen with
// State "open".
type IssueEdit struct {
	Title       *string
	Body        *string
	State       *string
	StateReason *string
	Labels      *[]string // replaces all labels
}

// Comment is a comment on an issue.
type Comment struct {
	ID        int64
	Body      string
	Author    string
	URL       string
	CreatedAt time.Time
}

// ListIssues returns every issue in owner/repo that carries label, open and
// closed (state=all), oldest first, reading all pages through the issue
// list API: never the search API, which lags behind writes and does not
// index the hidden marker (github-actions.md §0.6). Pull requests are left
// out. GitHub's list omits closed_by (it is only in the single-issue
// answer), so ClosedBy is empty here: use GetIssue where it matters, such
// as telling a human "closed as not planned" from stsgate's own close.
// Needs "issues: read".
func (c *Client) ListIssues(ctx context.Context, owner, repo, label string) ([]Issue, error) {
	k := call{op: fmt.Sprintf("list issues labelled %q", label), permission: "issues: read"}
	opts := &github.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc"}
	if label != "" {
		opts.Labels = []string{label}
	}
	all, err := paginate(&opts.ListOptions, func() ([]*github.Issue, *github.Response, error) {
		return c.api().Issues.ListByRepo(ctx, owner, repo, opts)
	})
	if err != nil {
		return nil, k.wrap(err)
	}
	var issues []Issue
	for _, is := range all {
		if !is.IsPullRequest() {
			issues = append(issues, issueOf(is))
		}
	}
	return issues, nil
}

// GetIssue returns issue number, with ClosedBy filled in. Needs
// "issues: read".
func (c *Client) GetIssue(ctx context.Context, owner, repo string, number int) (Issue, error) {
	k := call{op: fmt.Sprintf("read issue #%d", number), permission: "issues: read"}
	is, _, err := c.api().Issues.Get(ctx, owner, repo, number)
	if err != nil {
		return Issue{}, k.wrap(err)
	}
	return issueOf(is), nil
}

// CreateIssue opens an issue and returns it as created. Needs
// "issues: write"; labels that do not exist yet may be dropped or refused
// by GitHub, so ensure them first with EnsureLabel.
func (c *Client) CreateIssue(ctx context.Context, owner, repo string, in NewIssue) (Issue, error) {
	k := call{op: fmt.Sprintf("create issue %q", in.Title), permission: "issues: write", write: true}
	req := &github.IssueRequest{Title: &in.Title, Body: &in.Body}
	if in.Labels != nil {
		req.Labels = &in.Labels
	}
	is, _, err := c.api().Issues.Create(ctx, owner, repo, req)
	if err != nil {
		return Issue{}, k.wrap(err)
	}
	return issueOf(is), nil
}

// EditIssue changes issue number and returns it as edited. Needs
// "issues: write".
func (c *Client) EditIssue(ctx context.Context, owner, repo string, number int, e IssueEdit) (Issue, error) {
	k := call{op: fmt.Sprintf("edit issue #%d", number), permission: "issues: write", write: true}
	req := &github.IssueRequest{Title: e.Title, Body: e.Body, State: e.State, StateReason: e.StateReason, Labels: e.Labels}
	is, _, err := c.api().Issues.Edit(ctx, owner, repo, number, req)
	if err != nil {
		return Issue{}, k.wrap(err)
	}
	return issueOf(is), nil
}

// CreateComment adds a comment to issue number. Needs "issues: write".
func (c *Client) CreateComment(ctx context.Context, owner, repo string, number int, body string) (Comment, error) {
	k := call{op: fmt.Sprintf("comment on issue #%d", number), permission: "issues: write", write: true}
	cm, _, err := c.api().Issues.CreateComment(ctx, owner, repo, number, &github.IssueComment{Body: &body})
	if err != nil {
		return Comment{}, k.wrap(err)
	}
	return commentOf(cm), nil
}

// ListComments returns the comments on issue number, oldest first, all
// pages. Needs "issues: read".
func (c *Client) ListComments(ctx context.Context, owner, repo string, number int) ([]Comment, error) {
	k := call{op: fmt.Sprintf("list comments of issue #%d", number), permission: "issues: read"}
	opts := &github.IssueListCommentsOptions{}
	all, err := paginate(&opts.ListOptions, func() ([]*github.IssueComment, *github.Response, error) {
		return c.api().Issues.ListComments(ctx, owner, repo, number, opts)
	})
	if err != nil {
		return nil, k.wrap(err)
	}
	comments := make([]Comment, 0, len(all))
	for _, cm := range all {
		comments = append(comments, commentOf(cm))
	}
	return comments, nil
}

// issueOf converts go-github's issue.
func issueOf(is *github.Issue) Issue {
	return Issue{
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

// commentOf converts go-github's issue comment.
func commentOf(cm *github.IssueComment) Comment {
	return Comment{
		ID:        cm.GetID(),
		Body:      cm.GetBody(),
		Author:    cm.GetUser().GetLogin(),
		URL:       cm.GetHTMLURL(),
		CreatedAt: timeOf(cm.CreatedAt),
	}
}
