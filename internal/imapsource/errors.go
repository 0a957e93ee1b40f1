package imapsource

import (
	"errors"
	"strings"
)

// Classes of source failure, for errors.Is. Every error Read returns for
// the mailbox is an *Error wrapping one of them; an error returned by the
// caller's emit function is passed through unchanged.
var (
	ErrConnect = errors.New("imapsource: could not connect")
	ErrTLS     = errors.New("imapsource: TLS failed")
	ErrAuth    = errors.New("imapsource: authentication failed")
	ErrMailbox = errors.New("imapsource: mailbox not available")
	ErrTimeout = errors.New("imapsource: server did not answer in time")
	ErrDropped = errors.New("imapsource: connection lost")
)

// Error is a failure of one IMAP source. Its text names the source (the
// URL, which never holds a secret), what failed and the fix; the secret
// is removed from anything the server or the network said.
type Error struct {
	Source string // the source URL
	Op     string // connect, TLS handshake, STARTTLS, login, EXAMINE, SEARCH, FETCH
	Kind   error  // one of the Err* classes
	Detail string // what went wrong, secrets removed
	Hint   string // what to do about it
	cause  error  // the context's error when the run was stopped
}

func (e *Error) Error() string {
	s := e.Source + ": " + e.Op + ": " + e.Detail
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// What is the error without its source and hint: the operation and
// what went wrong.
func (e *Error) What() string { return e.Op + ": " + e.Detail }

// Fix is what to do about the error, or "".
func (e *Error) Fix() string { return e.Hint }

// Unwrap returns the class, so errors.Is(err, ErrAuth) works, and the
// context's error when the run was stopped. Other causes are kept only as
// text, with secrets removed.
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Kind, e.cause}
	}
	return []error{e.Kind}
}

// redact removes every secret from s.
func redact(s string, secrets ...string) string {
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
