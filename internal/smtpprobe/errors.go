package smtpprobe

import (
	"context"
	"errors"
	"net"
	"syscall"
)

// isTimeout reports whether err comes from a timeout or a deadline.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}

// connectFailure classifies a failed TCP connect. A connect that times
// out is what a port 25 blocked on the way looks like: the SYN is
// dropped. A refused one reached a host that sent a reset.
func connectFailure(err error) ConnectFailure {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return ConnectRefused
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return ConnectUnreachable
	case isTimeout(err):
		return ConnectTimedOut
	}
	return ConnectError
}
