package imapsource

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-sasl"
)

// errOverBudget ends a connection whose server sends far more than the
// command asked for, so that memory stays bounded whatever the server
// claims in its literals.
var errOverBudget = errors.New("the server sent more data than the command asked for")

// watchConn is the bottom of the connection: it remembers the first read
// error (a timeout, an EOF) so that the client library's generic
// "connection closed" can be explained, and caps the bytes one command
// may read.
type watchConn struct {
	net.Conn
	mu      sync.Mutex
	readErr error
	budget  int64 // bytes the current command may still read
}

func (w *watchConn) Read(p []byte) (int, error) {
	w.mu.Lock()
	if w.budget <= 0 {
		w.readErr = cmpOr(w.readErr, errOverBudget)
		w.mu.Unlock()
		w.Conn.Close()
		return 0, errOverBudget
	}
	if int64(len(p)) > w.budget {
		p = p[:w.budget]
	}
	w.mu.Unlock()
	n, err := w.Conn.Read(p)
	w.mu.Lock()
	w.budget -= int64(n)
	if err != nil && w.readErr == nil {
		w.readErr = err
	}
	w.mu.Unlock()
	return n, err
}

// setBudget allows the next command to read n more bytes.
func (w *watchConn) setBudget(n int64) {
	w.mu.Lock()
	w.budget = n
	w.mu.Unlock()
}

func (w *watchConn) err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.readErr
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// session is one logged-in connection to the source's server.
type session struct {
	ctx     context.Context
	url     URL
	opts    Options
	raw     *watchConn
	c       *client.Client
	stop    func() bool // stops the context watch that closes raw
	secrets []string
	in      bool // logged in: close says LOGOUT
}

// commandBudget is what a command other than a body fetch may read: far
// more than any SEARCH or metadata answer of one batch.
const commandBudget = 64 << 20

// open connects, secures the connection, and logs in.
func open(ctx context.Context, u URL, o Options) (*session, error) {
	s := &session{ctx: ctx, url: u, opts: o, secrets: []string{o.Password, o.Token}}
	dctx, cancel := context.WithTimeout(ctx, o.Timeouts.Connect)
	defer cancel()
	conn, err := o.Dial(dctx, "tcp", u.addr())
	if err != nil {
		return nil, s.fail("connect", ErrConnect, err)
	}
	s.raw = &watchConn{Conn: conn, budget: commandBudget}
	s.stop = context.AfterFunc(ctx, func() { conn.Close() })
	if err := s.greet(dctx); err != nil {
		s.close()
		return nil, err
	}
	if err := s.login(); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// greet secures the connection (implicit TLS or STARTTLS, never
// plaintext) and reads the greeting, all within the connect timeout.
func (s *session) greet(ctx context.Context) error {
	if err := s.raw.SetDeadline(time.Now().Add(s.opts.Timeouts.Connect)); err != nil {
		return s.fail("connect", ErrConnect, err)
	}
	var conn net.Conn = s.raw
	if s.url.Security == ImplicitTLS {
		tc := tls.Client(s.raw, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return s.fail("TLS handshake", ErrTLS, err)
		}
		conn = tc
	}
	c, err := client.New(conn)
	if err != nil {
		return s.fail("connect", ErrConnect, fmt.Errorf("reading the greeting: %w", err))
	}
	c.ErrorLog = log.New(io.Discard, "", 0) // nothing below cli prints
	c.Timeout = s.opts.Timeouts.Command
	s.c = c
	if s.url.Security == StartTLS {
		if err := s.startTLS(); err != nil {
			return err
		}
	}
	return s.idle()
}

// startTLS upgrades an imap:// session. RFC 3501 §6.2.1: STARTTLS must be
// advertised; a server that does not offer it, or a failed handshake,
// fails the source, never a fallback to plaintext.
func (s *session) startTLS() error {
	ok, err := s.c.SupportStartTLS()
	if err != nil {
		return s.fail("STARTTLS", ErrConnect, err)
	}
	if !ok {
		return s.fail("STARTTLS", ErrTLS, errors.New("the server does not offer STARTTLS, and imap:// never sends credentials in plaintext"))
	}
	if err := s.c.StartTLS(s.tlsConfig()); err != nil {
		return s.fail("STARTTLS", ErrTLS, err)
	}
	return nil
}

// tlsConfig verifies the server's name against the configured roots, TLS
// 1.2 or later (RFC 8314 §4.1 for the name check, RFC 8996 for the
// versions).
func (s *session) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.url.Host, RootCAs: s.opts.Roots, MinVersion: tls.VersionTLS12}
}

// idle clears the connection's deadline between commands: the client
// library sets one at the start of each command, and its reader would
// otherwise fail while the caller handles a batch.
func (s *session) idle() error {
	s.raw.setBudget(commandBudget)
	if err := s.raw.SetDeadline(time.Time{}); err != nil {
		return s.fail("connect", ErrDropped, err)
	}
	return nil
}

// login authenticates with the OAuth2 token if there is one (OAUTHBEARER,
// RFC 7628, or XOAUTH2, whichever the server offers), else the password.
func (s *session) login() error {
	var err error
	switch {
	case s.opts.Token != "":
		err = s.loginToken()
	case s.opts.Password != "":
		err = s.loginPassword()
	default:
		err = errors.New("no password and no token: set the environment variable named by imap_password_env or imap_token_env")
	}
	if err != nil {
		return s.fail("login", ErrAuth, err)
	}
	s.in = true
	return s.idle()
}

func (s *session) loginToken() error {
	if ok, err := s.c.SupportAuth(sasl.OAuthBearer); err != nil {
		return err
	} else if ok {
		c := &oauthBearer{Client: sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{
			Username: s.url.User, Token: s.opts.Token, Host: s.url.Host, Port: s.url.Port,
		})}
		if err := s.c.Authenticate(c); err != nil && c.status != nil {
			return c.status // says why, where the NO may not
		} else {
			return err
		}
	}
	if ok, err := s.c.SupportAuth("XOAUTH2"); err != nil {
		return err
	} else if ok {
		return s.c.Authenticate(&xoauth2{user: s.url.User, token: s.opts.Token})
	}
	return errors.New("the server offers neither AUTH=OAUTHBEARER nor AUTH=XOAUTH2, so a token cannot be used; use a password")
}

func (s *session) loginPassword() error {
	caps, err := s.c.Capability()
	if err != nil {
		return err
	}
	if caps["LOGINDISABLED"] && caps["AUTH=PLAIN"] {
		return s.c.Authenticate(sasl.NewPlainClient("", s.url.User, s.opts.Password))
	}
	return s.c.Login(s.url.User, s.opts.Password)
}

// close logs out politely when the connection still works, then closes it.
func (s *session) close() {
	if s.in && s.raw.err() == nil && s.ctx.Err() == nil {
		_ = s.c.Logout()
	}
	if s.stop != nil {
		s.stop()
	}
	if s.raw != nil {
		s.raw.Close()
	}
}

// fail builds the source's error for a failed operation, explaining a
// timeout or a dropped connection by what the connection saw.
func (s *session) fail(op string, kind, err error) error {
	e := &Error{Source: s.url.String(), Op: op, Kind: kind, Detail: capText(redact(err.Error(), s.secrets...))}
	var ne net.Error
	switch readErr := s.readErr(); {
	case s.ctx.Err() != nil:
		e.Kind, e.cause = ErrTimeout, s.ctx.Err()
		e.Detail = fmt.Sprintf("stopped after the limit of %v for reading the mailbox (%v)", s.opts.Timeouts.Run, s.ctx.Err())
	case errors.As(cmpOr(readErr, err), &ne) && ne.Timeout(), errors.Is(err, context.DeadlineExceeded):
		e.Kind = ErrTimeout
		e.Detail = fmt.Sprintf("the server did not answer within %v", s.timeoutFor(op))
	case readErr != nil && kind != ErrTLS:
		e.Kind = ErrDropped
		e.Detail = redact(fmt.Sprintf("the connection ended: %v", readErr), s.secrets...)
	}
	e.Hint = hint(e.Kind, s.url.Host, s.opts.Token != "")
	return e
}

// maxDetail caps the text a server can put into an error.
const maxDetail = 300

// capText shortens s to maxDetail bytes, on a rune boundary.
func capText(s string) string {
	if len(s) <= maxDetail {
		return s
	}
	cut := maxDetail
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (s *session) readErr() error {
	if s.raw == nil {
		return nil
	}
	return s.raw.err()
}

func (s *session) timeoutFor(op string) time.Duration {
	if op == "connect" || op == "TLS handshake" {
		return s.opts.Timeouts.Connect
	}
	return s.opts.Timeouts.Command
}

// hint says what to do about a failure of class kind.
func hint(kind error, host string, token bool) string {
	switch kind {
	case ErrConnect:
		return "check the host and port in the URL and that the network allows the connection"
	case ErrTLS:
		return "the server must present a certificate for " + host + " that verifies, over TLS 1.2 or later"
	case ErrAuth:
		if token {
			return "renew the OAuth2 access token in the environment variable named by imap_token_env (access tokens expire, typically after an hour) and check it grants IMAP access to this user"
		}
		return "check the user in the URL and the password in the environment variable named by imap_password_env"
	case ErrMailbox:
		return "check the mailbox name in the URL (case and hierarchy separator as the server shows them)"
	case ErrTimeout:
		return "the server stalled; the reports of this source are read on the next run"
	case ErrDropped:
		return "the reports read before the connection ended are kept; the rest are read on the next run"
	}
	return ""
}
