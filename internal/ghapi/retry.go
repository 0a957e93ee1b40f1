package ghapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry bounds how failed requests are retried. Zero fields take the
// defaults: 3 attempts, 1 s base backoff, 60 s longest wait (the bounded
// retry of github-actions.md §2.3: fail with a clear error rather than
// block a CI job for an hour).
type Retry struct {
	// MaxAttempts is the number of tries per request, the first included.
	// 1 disables retries.
	MaxAttempts int
	// BaseBackoff is the wait after the first 5xx answer or transport
	// error; it doubles with every further attempt.
	BaseBackoff time.Duration
	// MaxWait is the longest single wait. A rate limit that resets later
	// than this fails at once instead of being retried.
	MaxWait time.Duration
	// Sleep waits for d or until ctx is done, returning ctx's error then.
	// Tests inject one that records d and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock used to turn X-RateLimit-Reset into a wait.
	Now func() time.Time
}

// Default retry settings.
const (
	defaultAttempts  = 3
	defaultBackoff   = time.Second
	defaultMaxWait   = time.Minute
	secondaryDefault = time.Minute // GitHub: "wait at least one minute"
	resetSlack       = time.Second // X-RateLimit-Reset has 1 s resolution
	maxRetryAfter    = 24 * time.Hour
)

func (r Retry) withDefaults() Retry {
	if r.MaxAttempts < 1 {
		r.MaxAttempts = defaultAttempts
	}
	if r.BaseBackoff <= 0 {
		r.BaseBackoff = defaultBackoff
	}
	if r.MaxWait <= 0 {
		r.MaxWait = defaultMaxWait
	}
	if r.Sleep == nil {
		r.Sleep = sleep
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	return r
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryTransport resends requests that failed transiently: 5xx answers and
// transport errors (not for POST: a POST that failed this way may still
// have created the issue or comment, and a retry would duplicate it),
// primary and secondary rate limits, and 429 (any method: GitHub refused
// the request before acting on it). go-github sees only the final answer.
type retryTransport struct {
	next   http.RoundTripper
	policy Retry
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		try, err := attemptRequest(req, attempt)
		if err != nil {
			return nil, err
		}
		resp, err := t.next.RoundTrip(try)
		if ctx.Err() != nil {
			return resp, err // the caller gave up; report what happened
		}
		wait, again := t.plan(req, resp, err, attempt)
		if !again || attempt >= t.policy.MaxAttempts || !replayable(req) {
			return resp, err
		}
		discard(resp)
		if err := t.policy.Sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// attemptRequest returns the request to send on the given attempt, with a
// fresh body from GetBody after the first.
func attemptRequest(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 1 || req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	try := req.Clone(req.Context())
	try.Body = body
	return try, nil
}

// replayable reports whether req's body can be sent again.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// discard drains a little of resp's body, so that the connection can be
// reused, and closes it.
func discard(resp *http.Response) {
	if resp == nil || resp.Body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// plan decides whether to retry after one attempt, and after how long.
func (t *retryTransport) plan(req *http.Request, resp *http.Response, err error, attempt int) (time.Duration, bool) {
	idempotent := req.Method != http.MethodPost
	switch {
	case err != nil:
		return t.backoff(attempt), idempotent
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return t.backoff(attempt), idempotent
	case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests:
		wait, limited := t.limitWait(resp, attempt)
		return wait, limited && wait <= t.policy.MaxWait
	}
	return 0, false
}

// backoff is the exponential wait before attempt+1, capped at MaxWait.
func (t *retryTransport) backoff(attempt int) time.Duration {
	d := t.policy.BaseBackoff << (attempt - 1)
	if d <= 0 || d > t.policy.MaxWait {
		return t.policy.MaxWait
	}
	return d
}

// limitWait reports whether a 403 or 429 answer is a rate limit and how
// long to wait before trying again (GitHub docs, "Rate limits for the REST
// API": honour Retry-After, else X-RateLimit-Reset when remaining is 0,
// else wait at least a minute).
func (t *retryTransport) limitWait(resp *http.Response, attempt int) (time.Duration, bool) {
	if d, ok := retryAfter(resp.Header); ok {
		return d, true
	}
	if resp.Header.Get("X-RateLimit-Remaining") == "0" {
		if reset, ok := resetTime(resp.Header); ok {
			return max(reset.Add(resetSlack).Sub(t.policy.Now()), resetSlack), true
		}
		return t.backoff(attempt), true
	}
	if resp.StatusCode == http.StatusTooManyRequests || isSecondaryLimit(resp) {
		return max(secondaryDefault, t.backoff(attempt)), true
	}
	return 0, false
}

// retryAfter parses a Retry-After header given in seconds; absurd values
// are capped at a day rather than overflowing.
func retryAfter(h http.Header) (time.Duration, bool) {
	s, err := strconv.ParseInt(strings.TrimSpace(h.Get("Retry-After")), 10, 64)
	if err != nil || s < 0 {
		return 0, false
	}
	return time.Duration(min(s, int64(maxRetryAfter/time.Second))) * time.Second, true
}

// resetTime parses X-RateLimit-Reset (Unix seconds).
func resetTime(h http.Header) (time.Time, bool) {
	s, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64)
	if err != nil || s <= 0 {
		return time.Time{}, false
	}
	return time.Unix(s, 0), true
}

// isSecondaryLimit recognises a 403 secondary-rate-limit answer by its
// body, the same test go-github applies (documentation_url suffix), plus
// the message GitHub sends. The body is put back for go-github to read.
func isSecondaryLimit(resp *http.Response) bool {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	var body struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	if json.Unmarshal(data, &body) != nil {
		return false
	}
	return strings.HasSuffix(body.DocumentationURL, "secondary-rate-limits") ||
		strings.HasSuffix(body.DocumentationURL, "#abuse-rate-limits") ||
		strings.Contains(strings.ToLower(body.Message), "secondary rate limit")
}
