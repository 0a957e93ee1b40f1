package ghapi

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"

	"github.com/google/go-github/v62/github"
)

// rawMediaType asks the contents API for the file's bytes instead of JSON;
// it works for files up to 100 MB, where the JSON form stops at 1 MB.
const rawMediaType = "application/vnd.github.raw+json"

// FileAt returns the contents of the file at path in owner/repo at ref (a
// commit SHA, branch or tag). A file that does not exist there gives an
// error wrapping ErrNotFound. Files over 1 MB, which the JSON form of the
// contents API leaves empty, are fetched again as raw bytes. Needs
// "contents: read".
func (c *Client) FileAt(ctx context.Context, owner, repo, ref, path string) ([]byte, error) {
	return c.FileAtMost(ctx, owner, repo, ref, path, math.MaxInt64)
}

// FileAtMost is FileAt for a file of at most limit bytes: a larger one
// gives an error wrapping ErrTooLarge, and none of its bytes are fetched.
// The contents API follows a symbolic link whose target is a file in the
// repository and describes any other link, which is refused here: it never
// reads outside the repository.
func (c *Client) FileAtMost(ctx context.Context, owner, repo, ref, path string, limit int64) ([]byte, error) {
	k := call{op: fmt.Sprintf("read %s at %s", path, ref), permission: "contents: read"}
	opts := &github.RepositoryContentGetOptions{Ref: ref}
	file, dir, _, err := c.api().Repositories.GetContents(ctx, owner, repo, path, opts)
	if err != nil {
		return nil, k.wrap(err)
	}
	if file == nil || dir != nil {
		return nil, k.wrap(fmt.Errorf("%s is a directory", path))
	}
	if file.GetType() != "file" {
		return nil, k.wrap(fmt.Errorf("%s is a %s, not a file", path, file.GetType()))
	}
	if int64(file.GetSize()) > limit {
		return nil, fmt.Errorf("ghapi: %s: %d bytes: %w", k.op, file.GetSize(), ErrTooLarge)
	}
	if file.GetEncoding() == "none" || file.Content == nil && file.GetSize() > 0 {
		return c.rawFile(ctx, k, owner, repo, ref, path)
	}
	text, err := file.GetContent()
	if err != nil {
		return nil, k.wrap(err)
	}
	return []byte(text), nil
}

// rawFile fetches a file's bytes with the raw media type.
func (c *Client) rawFile(ctx context.Context, k call, owner, repo, ref, path string) ([]byte, error) {
	gh := c.api()
	req, err := gh.NewRequest("GET", contentsPath(owner, repo, path, ref), nil)
	if err != nil {
		return nil, k.wrap(err)
	}
	req.Header.Set("Accept", rawMediaType)
	var buf bytes.Buffer
	if _, err := gh.Do(ctx, req, &buf); err != nil {
		return nil, k.wrap(err)
	}
	return buf.Bytes(), nil
}

// contentsPath builds the contents API path relative to the base URL,
// escaped as go-github's GetContents escapes it.
func contentsPath(owner, repo, path, ref string) string {
	escaped := (&url.URL{Path: strings.TrimSuffix(path, "/")}).String()
	u := fmt.Sprintf("repos/%s/%s/contents/%s", url.PathEscape(owner), url.PathEscape(repo), escaped)
	if ref != "" {
		u += "?" + url.Values{"ref": {ref}}.Encode()
	}
	return u
}

// PullRequestLabels returns the names of the labels on pull request
// number, for merge_group runs where the event payload has none (DESIGN
// §1.5). Needs "pull-requests: read".
func (c *Client) PullRequestLabels(ctx context.Context, owner, repo string, number int) ([]string, error) {
	k := call{op: fmt.Sprintf("read labels of pull request #%d", number), permission: "pull-requests: read"}
	pr, _, err := c.api().PullRequests.Get(ctx, owner, repo, number)
	if err != nil {
		return nil, k.wrap(err)
	}
	return labelNames(pr.Labels), nil
}

// labelNames returns the names of labels, in order.
func labelNames(labels []*github.Label) []string {
	names := make([]string, 0, len(labels))
	for _, l := range labels {
		names = append(names, l.GetName())
	}
	return names
}
