package remind

import (
	"context"

	"github.com/stsgate/stsgate/internal/policy"
)

// sinceRead is a testing-since read this run and what to keep of it.
type sinceRead struct {
	since Since
	cache *HistoryCache
}

// testingSince fills in s.TestingSince when Options.History is set and
// the policy is in testing mode, spending as few requests as it can (the
// API budget of docs/performance.md):
//
//   - none when the issue keeps a history read after the repository's
//     newest commit: nothing can have changed since;
//   - one conditional request otherwise, which GitHub answers 304 Not
//     Modified, free of the rate limit, while the file's commits are the
//     same, and the kept answer stands;
//   - the full walk (TestingSince) only when the file's history changed
//     or was never read, and once per policy path a run.
func (a *applier) testingSince(ctx context.Context, s State, prior Hidden) State {
	if a.opts.History == nil || s.RepoMode != policy.ModeTesting || s.TestingSince.Known() {
		return s
	}
	c := prior.History
	if c != nil && !s.LastRepoCommit.IsZero() && !s.LastRepoCommit.After(c.Read) {
		s.TestingSince, s.history = c.since(), c
		return s
	}
	got, ok := a.byPath[s.PolicyFile]
	if !ok {
		got = a.readSince(ctx, s, c)
		a.byPath[s.PolicyFile] = got
	}
	s.TestingSince, s.history = got.since, got.cache
	return s
}

// readSince reads the history of s's policy, conditionally on what c
// kept; an error becomes a notice and the fallback answer.
func (a *applier) readSince(ctx context.Context, s State, c *HistoryCache) sinceRead {
	q := SinceQuery{Owner: a.opts.Owner, Repo: a.opts.Repo, Path: s.PolicyFile, ReportDay: s.ReportDay}
	etag, cached := "", Since{}
	if c != nil {
		etag, cached = c.ETag, c.since()
	}
	since, tag, err := testingSinceIf(ctx, a.opts.History, q, etag, cached)
	if err != nil {
		a.out.Notices.Add(HistoryFinding(s.Domain, err))
	}
	switch {
	case c != nil && tag == etag && since == cached:
		return sinceRead{since, c} // 304: keep the cache as it was, so the body does not change
	case since.Source != SinceCommits || err != nil:
		return sinceRead{since, nil}
	}
	return sinceRead{since, &HistoryCache{Since: since.Time, AtLeast: since.AtLeast, ETag: tag, Read: a.opts.Now}}
}
