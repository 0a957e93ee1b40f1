package ghfake

import (
	"context"
	"sync"
	"time"
)

// Sleeper stands in for the client's wait between retries (ghapi's
// Retry.Sleep): it records every wait asked for and returns at once, or
// with ctx's error, so that tests of Retry-After and rate-limit resets
// take no time. It is safe for concurrent use.
type Sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

// Sleep records d.
func (s *Sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waits = append(s.waits, d)
	return ctx.Err()
}

// Waits returns the waits recorded so far, in order.
func (s *Sleeper) Waits() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}
