package dnsx

import (
	"context"
	"errors"
	"net"
	"time"
)

// IsNotFound reports whether err says that the name has no record of the
// requested type: NXDOMAIN or NODATA. Such a result is an answer ("no
// record"), not a failure to get one.
func IsNotFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// CouldNotCheck reports whether err is a lookup failure that leaves the
// live state unknown: SERVFAIL, REFUSED, a malformed answer, a timeout, a
// CNAME loop, a cancelled context. Every non-nil error that is not "no
// record" is in this class; rules must treat it as neither valid nor
// invalid (reference T20) and say the check should be retried.
func CouldNotCheck(err error) bool {
	return err != nil && !IsNotFound(err)
}

// lookupErr is an error found while answering a query, before it is
// turned into a *net.DNSError naming the queried name and the server.
type lookupErr struct {
	msg       string
	notFound  bool
	timeout   bool
	permanent bool  // a bad request (an invalid name): retrying cannot help
	ctxErr    error // the context's error when the context ended the lookup
}

func (e *lookupErr) Error() string { return e.msg }

func errNotFound(msg string) *lookupErr  { return &lookupErr{msg: msg, notFound: true} }
func errTemporary(msg string) *lookupErr { return &lookupErr{msg: msg} }

// errContext describes a lookup ended by ctx. Like the standard resolver,
// a deadline counts as a timeout and the context error stays reachable
// with errors.Is.
func errContext(ctx context.Context) *lookupErr {
	err := ctxErr(ctx)
	return &lookupErr{
		msg:     err.Error(),
		timeout: errors.Is(err, context.DeadlineExceeded),
		ctxErr:  err,
	}
}

// dnsError converts e to the *net.DNSError callers see. A context
// cancellation is neither temporary nor a timeout, as in package net, and
// neither is an invalid name; every other failure is temporary.
func (c *Client) dnsError(name string, e *lookupErr) *net.DNSError {
	cancelled := e.ctxErr != nil && !e.timeout
	return &net.DNSError{
		Err:         e.msg,
		Name:        name,
		Server:      c.server,
		IsNotFound:  e.notFound,
		IsTimeout:   e.timeout,
		IsTemporary: !e.notFound && !cancelled && !e.permanent,
		UnwrapErr:   e.ctxErr,
	}
}

// ctxErr returns ctx's error, or context.DeadlineExceeded once its
// deadline has passed even if its timer has not fired yet: a connection
// deadline taken from the context can expire first.
func ctxErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return context.DeadlineExceeded
	}
	return nil
}
