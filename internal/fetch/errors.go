package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"
)

// limitError says which configured limit ended a fetch. It is a net.Error
// whose Timeout is true and it matches context.DeadlineExceeded under
// errors.Is, so callers that branch on timeouts need not know it.
type limitError struct {
	limit string        // "connect timeout", "header timeout" or "fetch timeout"
	d     time.Duration // its configured value
	err   error         // what it interrupted, if known
}

func (e *limitError) Error() string {
	s := fmt.Sprintf("%s of %s reached", e.limit, e.d)
	if e.err != nil {
		s += ": " + e.err.Error()
	}
	return s
}

func (e *limitError) Unwrap() error { return e.err }

// Is makes every limit a deadline.
func (e *limitError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout implements net.Error.
func (e *limitError) Timeout() bool { return true }

// Temporary implements net.Error.
func (e *limitError) Temporary() bool { return true }

// explain names the limit behind err when one ended the fetch: the whole
// fetch's deadline (cause, the cause of ctx) or the transport's header
// timeout. Errors that already name a limit, and other errors, pass as is.
func (c *Client) explain(ctx context.Context, cause *limitError, err error) error {
	var limit *limitError
	if errors.As(err, &limit) {
		return err
	}
	if context.Cause(ctx) == cause {
		return &limitError{limit: cause.limit, d: cause.d, err: err}
	}
	return err
}

// headerTimeout names the header timeout in an error of RoundTrip: the
// transport's only timeout is ResponseHeaderTimeout, as the connect and
// whole-fetch limits come back as limitErrors.
func (c *Client) headerTimeout(err error) error {
	var limit *limitError
	var netErr net.Error
	if !errors.As(err, &limit) && errors.As(err, &netErr) && netErr.Timeout() {
		return &limitError{limit: "header timeout", d: c.opts.HeaderTimeout, err: err}
	}
	return err
}
