package remind

import (
	"context"
	"time"
)

// DefaultWriteInterval is the least time between two writes. GitHub's
// best practices for the REST API: "If you are making a large number of
// POST, PATCH, PUT, or DELETE requests for a single user or client ID,
// wait at least one second between each request", to stay under the
// secondary rate limit for content creation.
const DefaultWriteInterval = time.Second

// Clock is the time the writes are paced by. Tests inject one whose time
// moves only when it sleeps.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, returning ctx's error then.
	Sleep(ctx context.Context, d time.Duration) error
}

// systemClock is the real clock.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// pacedTracker is an IssueTracker whose writes start at least interval
// apart; reads pass straight through.
type pacedTracker struct {
	IssueTracker
	clock    Clock
	interval time.Duration
	last     time.Time // when the previous write started; zero before the first
}

// paced wraps api so that its writes keep to opts' interval.
func paced(api IssueTracker, opts Options) IssueTracker {
	if opts.WriteInterval < 0 {
		return api
	}
	return &pacedTracker{IssueTracker: api, clock: opts.Clock, interval: opts.WriteInterval}
}

// wait sleeps until interval has passed since the previous write.
func (p *pacedTracker) wait(ctx context.Context) error {
	if !p.last.IsZero() {
		if d := p.interval - p.clock.Now().Sub(p.last); d > 0 {
			if err := p.clock.Sleep(ctx, d); err != nil {
				return err
			}
		}
	}
	p.last = p.clock.Now()
	return nil
}

func (p *pacedTracker) CreateIssue(ctx context.Context, owner, repo string, in NewIssue) (TrackedIssue, error) {
	if err := p.wait(ctx); err != nil {
		return TrackedIssue{}, err
	}
	return p.IssueTracker.CreateIssue(ctx, owner, repo, in)
}

func (p *pacedTracker) EditIssue(ctx context.Context, owner, repo string, number int, e IssueEdit) (TrackedIssue, error) {
	if err := p.wait(ctx); err != nil {
		return TrackedIssue{}, err
	}
	return p.IssueTracker.EditIssue(ctx, owner, repo, number, e)
}

func (p *pacedTracker) CreateComment(ctx context.Context, owner, repo string, number int, body string) error {
	if err := p.wait(ctx); err != nil {
		return err
	}
	return p.IssueTracker.CreateComment(ctx, owner, repo, number, body)
}

// EnsureLabel is paced as a write: it creates the label when missing.
func (p *pacedTracker) EnsureLabel(ctx context.Context, owner, repo string, label Label) (bool, error) {
	if err := p.wait(ctx); err != nil {
		return false, err
	}
	return p.IssueTracker.EnsureLabel(ctx, owner, repo, label)
}
