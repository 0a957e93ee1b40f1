package ghapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/remind"
)

// EnsureLabel makes sure label exists in owner/repo: it reads it and creates
// it when missing. created reports whether this call created it. A token
// that may not create labels gives a *PermissionError, which the caller
// turns into a warning (github-actions.md §3.3: creating labels with
// GITHUB_TOKEN fails in some repositories). Needs "issues: write" to
// create.
func (c *Client) EnsureLabel(ctx context.Context, owner, repo string, label remind.Label) (created bool, err error) {
	get := call{op: fmt.Sprintf("read label %q", label.Name), permission: "issues: read"}
	_, _, err = c.api().Issues.GetLabel(ctx, owner, repo, label.Name)
	switch err = get.wrap(err); {
	case err == nil:
		return false, nil
	case !errors.Is(err, ErrNotFound):
		return false, err
	}
	create := call{op: fmt.Sprintf("create label %q", label.Name), permission: "issues: write", write: true}
	_, _, err = c.api().Issues.CreateLabel(ctx, owner, repo, labelRequest(label))
	if alreadyExists(err) {
		return false, nil // created meanwhile by a concurrent run
	}
	if err != nil {
		return false, create.wrap(err)
	}
	return true, nil
}

// labelRequest converts label for go-github, leaving empty fields out.
func labelRequest(label remind.Label) *github.Label {
	l := &github.Label{Name: &label.Name}
	if label.Color != "" {
		l.Color = &label.Color
	}
	if label.Description != "" {
		l.Description = &label.Description
	}
	return l
}

// alreadyExists reports a 422 "already_exists" validation error.
func alreadyExists(err error) bool {
	var resp *github.ErrorResponse
	if !errors.As(err, &resp) || resp.Response == nil || resp.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range resp.Errors {
		if e.Code == "already_exists" {
			return true
		}
	}
	return false
}
