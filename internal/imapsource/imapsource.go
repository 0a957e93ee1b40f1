// Package imapsource reads TLS-RPT report mails (RFC 8460 §5.3) from an
// IMAP mailbox: imaps://user@host[:port]/Mailbox, or imap:// with
// mandatory STARTTLS, never plaintext.
//
// It only reads: the mailbox is opened with EXAMINE (RFC 3501 §6.3.2) and
// bodies are fetched with BODY.PEEK[] (§6.4.5), so no flag changes and
// nothing is deleted or moved. SEARCH SINCE limits the window; metadata
// (size, envelope, body structure) comes first, in batches, so that
// messages the caller already holds (by Message-ID), messages without a
// report part and oversize messages are skipped without downloading their
// bodies. Bodies are then fetched in batches bounded in count and bytes.
//
// Content detection stays with the report decoder: this package passes
// whole messages on. It does not check DKIM (RFC 8460 §3), which needs
// the DNS; the caller may.
package imapsource

import (
	"context"
	"crypto/x509"
	"net"
	"time"
)

// Options configure one read of a mailbox.
type Options struct {
	// URL is imaps://user@host[:port]/Mailbox or imap://... (STARTTLS).
	URL string
	// Password and Token are the secrets, already read from the
	// environment by the caller; Token (an OAuth2 access token) wins when
	// both are set. Neither ever appears in an error.
	Password, Token string
	// Since limits the search to messages received on or after its date
	// (SEARCH SINCE, RFC 3501 §6.4.4: the time of day is ignored). Zero
	// reads the whole mailbox.
	Since time.Time
	// Roots verifies the server's certificate; nil means the system roots.
	Roots *x509.CertPool
	// Dial opens the TCP connection; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Timeouts bound the connection, each command and the whole read.
	Timeouts Timeouts
	// MaxMessage is the largest message downloaded (RFC822.SIZE); larger
	// ones are listed in Stats.Oversize. Zero means DefaultMaxMessage.
	MaxMessage int64
	// Skip reports whether the message with this Message-ID (without
	// angle brackets) is already known; its body is not downloaded.
	// Messages without a Message-ID are always read.
	Skip func(messageID string) bool
}

// Timeouts bound a read; zero fields take the defaults.
type Timeouts struct {
	Connect time.Duration // dial, TLS handshake, greeting; default 30s
	Command time.Duration // each command, a batch fetch included; default 2m
	Run     time.Duration // the whole read; default 10m
}

// DefaultMaxMessage is the default cap on one message, the report
// decoder's cap on one report.
const DefaultMaxMessage = 20 << 20

func (o Options) withDefaults() Options {
	if o.Dial == nil {
		o.Dial = (&net.Dialer{}).DialContext
	}
	o.Timeouts.Connect = orDefault(o.Timeouts.Connect, 30*time.Second)
	o.Timeouts.Command = orDefault(o.Timeouts.Command, 2*time.Minute)
	o.Timeouts.Run = orDefault(o.Timeouts.Run, 10*time.Minute)
	if o.MaxMessage <= 0 {
		o.MaxMessage = DefaultMaxMessage
	}
	return o
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Message is one downloaded mail.
type Message struct {
	// Name identifies the message in diagnostics: the source URL and the
	// UID, "imaps://user@host/INBOX#uid=123".
	Name string
	// MessageID is the Message-ID without angle brackets, or "".
	MessageID string
	// Body is the whole RFC 5322 message.
	Body []byte
}

// Stats counts what a read found. Found = Read + Known + NotReport +
// len(Oversize) after a read without error.
type Stats struct {
	Found     int        // messages the search returned
	Read      int        // messages downloaded and passed on
	Known     int        // skipped: Skip knew the Message-ID
	NotReport int        // skipped: no part that can hold a TLS-RPT report
	Oversize  []Oversize // skipped: larger than MaxMessage
	Bytes     int64      // bytes of the messages passed on
}

// Oversize is a message skipped for its size; each deserves a diagnostic.
type Oversize struct {
	Name string
	Size int64
}
