package ghapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/stsgate/stsgate/internal/remind"
)

// ErrNotFound reports that what a read asked for does not exist (HTTP 404
// on a GET): a file absent at a commit, an unknown label or pull request.
// It is remind's class, which the gate's readers test for too. Test for it
// with errors.Is.
var ErrNotFound = remind.ErrNotFound

// ErrTooLarge reports that a file is larger than the caller's cap; none of
// it was read. Test for it with errors.Is.
var ErrTooLarge = errors.New("larger than the cap")

// PermissionError reports that the token may not do an operation; it is
// remind's class (the consumer owns it), returned for every caller. Test
// with errors.As.
type PermissionError = remind.PermissionError

// RateLimitError reports a rate limit that did not lift within the retry
// budget (Retry.MaxAttempts, Retry.MaxWait). Test with errors.As.
type RateLimitError struct {
	Op         string
	Secondary  bool          // a secondary (abuse) limit or HTTP 429, not the hourly quota
	Reset      time.Time     // when the hourly quota resets; zero if unknown
	RetryAfter time.Duration // the wait GitHub asked for; zero if unknown
	Message    string        // GitHub's message
}

// Error implements error.
func (e *RateLimitError) Error() string {
	switch {
	case !e.Reset.IsZero():
		return fmt.Sprintf("ghapi: %s: GitHub API rate limit exceeded until %s: %s",
			e.Op, e.Reset.UTC().Format(time.RFC3339), e.Message)
	case e.RetryAfter > 0:
		return fmt.Sprintf("ghapi: %s: GitHub secondary rate limit, retry after %s: %s", e.Op, e.RetryAfter, e.Message)
	}
	return fmt.Sprintf("ghapi: %s: GitHub rate limit exceeded: %s", e.Op, e.Message)
}

// call describes one operation for error messages.
type call struct {
	op         string // "create issue #3"
	permission string // "issues: write"
	write      bool   // a 404 means no permission rather than not found
}

// wrap turns an error from go-github into ghapi's error classes; nil stays
// nil.
func (c call) wrap(err error) error {
	if err == nil {
		return nil
	}
	var primary *github.RateLimitError
	if errors.As(err, &primary) {
		return &RateLimitError{Op: c.op, Reset: primary.Rate.Reset.Time, Message: primary.Message}
	}
	var secondary *github.AbuseRateLimitError
	if errors.As(err, &secondary) {
		return &RateLimitError{Op: c.op, Secondary: true, RetryAfter: secondary.GetRetryAfter(), Message: secondary.Message}
	}
	var resp *github.ErrorResponse
	if errors.As(err, &resp) && resp.Response != nil {
		if e := c.status(resp); e != nil {
			return e
		}
	}
	return fmt.Errorf("ghapi: %s: %w", c.op, err)
}

// status classifies an error answer by its HTTP status; nil means no class.
func (c call) status(resp *github.ErrorResponse) error {
	code := resp.Response.StatusCode
	switch {
	case code == http.StatusTooManyRequests:
		// v62 does not type 429 (github-actions.md §2.3).
		e := &RateLimitError{Op: c.op, Secondary: true, Message: resp.Message}
		if d, ok := retryAfter(resp.Response.Header); ok {
			e.RetryAfter = d
		}
		if resp.Response.Header.Get("X-RateLimit-Remaining") == "0" {
			e.Secondary = false
			e.Reset, _ = resetTime(resp.Response.Header)
		}
		return e
	case code == http.StatusForbidden && hasErrorCode(resp, "too_large"):
		// GitHub's contents API refuses files over 100 MB with 403 and the
		// error code too_large: a size, not a permission.
		return fmt.Errorf("ghapi: %s: %s: %w", c.op, resp.Message, ErrTooLarge)
	case code == http.StatusGone && strings.Contains(resp.Message, "disabled"):
		// 410 "Issues are disabled for this repo" (issues/create).
		return fmt.Errorf("ghapi: %s: %w", c.op, remind.ErrIssuesDisabled)
	case code == http.StatusConflict && strings.Contains(resp.Message, "empty"):
		// 409 "Git Repository is empty." (repos/list-commits).
		return fmt.Errorf("ghapi: %s: %w", c.op, remind.ErrEmptyRepository)
	case code >= 300 && code < 400:
		return c.moved(resp)
	case code == http.StatusUnauthorized || code == http.StatusForbidden,
		code == http.StatusNotFound && c.write:
		return &PermissionError{Op: c.op, Permission: c.permission, Status: code, Message: resp.Message}
	case code == http.StatusNotFound:
		return fmt.Errorf("ghapi: %s: %w", c.op, ErrNotFound)
	}
	return nil
}

// hasErrorCode reports whether resp lists an error with code.
func hasErrorCode(resp *github.ErrorResponse, code string) bool {
	for _, e := range resp.Errors {
		if e.Code == code {
			return true
		}
	}
	return false
}

// moved describes a redirect the client did not follow: a write to a
// repository that was renamed or transferred (GitHub answers 301). Reads
// follow redirects; a write is never replayed, since Go's client would
// resend a redirected PATCH or POST as a GET.
func (c call) moved(resp *github.ErrorResponse) error {
	to := resp.Response.Header.Get("Location")
	return fmt.Errorf("ghapi: %s: the repository was renamed or moved (HTTP %d to %s), so nothing was written; run the workflow in the repository under its new name",
		c.op, resp.Response.StatusCode, to)
}
