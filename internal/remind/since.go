package remind

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

// DefaultMaxCommits is how many versions of the policy file TestingSince
// reads at most: one list call and at most this many file reads.
const DefaultMaxCommits = 10

// SinceQuery says whose policy history to read.
type SinceQuery struct {
	Owner, Repo string
	Branch      string // "" means the default branch
	Path        string // the policy file
	// MaxCommits bounds the versions read; zero means DefaultMaxCommits.
	MaxCommits int
	// ReportDay is the fallback: the oldest UTC day of a report that saw
	// the testing policy; zero when unknown.
	ReportDay time.Time
}

// TestingSince finds when the branch's policy entered its current streak
// of mode testing (DESIGN §1.6). It lists the newest MaxCommits+1 commits
// that changed the file and reads the file at each, newest first, while
// it says testing: the oldest of that run is when testing began. When
// every version read is testing and older commits exist, the answer is a
// lower bound (AtLeast). With no usable history it falls back to
// ReportDay, else returns an unknown Since. The bound keeps a run to at
// most MaxCommits+1 calls per domain.
//
// The error reports why the history could not be read; the Since returned
// with it is still the best answer (the fallback), so a caller may turn the
// error into a notice (HistoryFinding) rather than fail.
func TestingSince(ctx context.Context, h History, q SinceQuery) (Since, error) {
	since, _, err := testingSinceIf(ctx, h, q, "", Since{})
	return since, err
}

// testingSinceIf is TestingSince with a conditional list: when the
// history's ETag is still etag (304), cached is the answer without any
// file read. It also returns the list's ETag.
func testingSinceIf(ctx context.Context, h History, q SinceQuery, etag string, cached Since) (Since, string, error) {
	limit := q.MaxCommits
	if limit <= 0 {
		limit = DefaultMaxCommits
	}
	page, err := h.PathCommits(ctx, CommitQuery{Owner: q.Owner, Repo: q.Repo, Branch: q.Branch, Path: q.Path, Limit: limit + 1, ETag: etag})
	switch {
	case err != nil:
		return fallback(q), "", fmt.Errorf("remind: testing-since of %s: %w", q.Path, err)
	case page.NotModified:
		return cached, etag, nil
	}
	since, err := walk(ctx, h, q, page.Commits, limit)
	if !since.Known() {
		since = fallback(q)
	}
	return since, page.ETag, err
}

// walk reads versions newest first while they are in testing mode.
func walk(ctx context.Context, h History, q SinceQuery, commits []Commit, limit int) (Since, error) {
	var since Since
	for i, c := range commits {
		if i == limit {
			since.AtLeast = true // older versions exist that were not read
			break
		}
		testing, err := testingAt(ctx, h, q, c.SHA)
		if err != nil {
			since.AtLeast = since.Known()
			return since, fmt.Errorf("remind: testing-since of %s: %w", q.Path, err)
		}
		if !testing {
			break
		}
		since = Since{Time: c.Date.UTC(), Source: SinceCommits}
	}
	return since, nil
}

// testingAt reports whether the policy file says mode testing at commit
// sha. A file absent there is not in testing mode.
func testingAt(ctx context.Context, h History, q SinceQuery, sha string) (bool, error) {
	body, err := h.FileAt(ctx, q.Owner, q.Repo, sha, q.Path)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	p, _ := policy.Parse(body)
	return p.Mode == policy.ModeTesting, nil
}

// fallback is the date from the reports, or unknown.
func fallback(q SinceQuery) Since {
	if q.ReportDay.IsZero() {
		return Since{}
	}
	return Since{Time: q.ReportDay.UTC(), Source: SinceReports}
}

// HistoryFinding is the notice for an error of TestingSince; its hint
// names the cause: a missing permission, an empty repository, or GitHub
// not answering.
func HistoryFinding(domain string, err error) diag.Diagnostic {
	var perm *PermissionError
	hint := "nothing to change: GitHub did not answer this time, and the next run reads the history again"
	switch {
	case errors.As(err, &perm):
		hint = "give the workflow `permissions: contents: read`"
	case errors.Is(err, ErrEmptyRepository):
		hint = "nothing to change: the repository has no commits yet, so the policy has no history to read"
	}
	d := diag.New(diag.HistoryUnavailable,
		fmt.Sprintf("the policy's commit history could not be read (%v), so the testing-since date comes from the reports, if any", err),
		hint)
	d.Domain = domain
	return d
}
