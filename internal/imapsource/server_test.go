package imapsource_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend"
	"github.com/emersion/go-imap/backend/memory"
	"github.com/emersion/go-imap/server"
	"github.com/emersion/go-sasl"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

// The memory backend's only account.
const (
	testUser     = "username"
	testPassword = "password"
	testToken    = "ya29.secret-token"
	testHost     = "imap.example.test"
)

// serverKind says how the test server secures its connections.
type serverKind int

const (
	implicitTLS serverKind = iota // imaps
	startTLS                      // imap with STARTTLS offered
	plainOnly                     // imap without STARTTLS
	xoauth2Only                   // imaps offering XOAUTH2 but not OAUTHBEARER
)

// testServer is an in-process IMAP server on loopback backed by go-imap's
// memory backend, recording what clients asked for.
type testServer struct {
	t     testing.TB
	ln    net.Listener
	ca    *fetchtest.CA
	be    *recBackend
	mbox  *memory.Mailbox
	debug *lockedBuffer // the server's log of both directions
	sent  *lockedBuffer // what clients sent (in plaintext only above implicit TLS)
	conns *connList
}

// newServer starts a server holding msgs in INBOX (UIDs from 1).
func newServer(t testing.TB, kind serverKind, msgs ...[]byte) *testServer {
	t.Helper()
	ca := fetchtest.Must(fetchtest.NewCA())
	cert := fetchtest.Must(ca.Leaf(testHost))
	mem := memory.New()
	user := fetchtest.Must(mem.Login(nil, testUser, testPassword))
	mbox := fetchtest.Must(user.GetMailbox("INBOX")).(*memory.Mailbox)
	mbox.Messages = nil
	for i, body := range msgs {
		mbox.Messages = append(mbox.Messages, &memory.Message{
			Uid: uint32(i + 1), Date: time.Now(), Size: uint32(len(body)), Body: body,
		})
	}
	ts := &testServer{t: t, ca: ca, mbox: mbox, debug: &lockedBuffer{}, sent: &lockedBuffer{}, conns: &connList{}}
	ts.be = &recBackend{Backend: mem, hold: make(chan struct{})}
	t.Cleanup(ts.be.release)
	ts.serve(kind, &tls.Config{Certificates: []tls.Certificate{cert}})
	return ts
}

func (ts *testServer) serve(kind serverKind, cfg *tls.Config) {
	s := server.New(ts.be)
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.Debug = ts.debug
	s.EnableAuth("XOAUTH2", func(conn server.Conn) sasl.Server { return &xoauth2Server{conn: conn, be: ts.be} })
	if kind != xoauth2Only {
		ts.enableOAuthBearer(s)
	}
	var ln net.Listener = fetchtest.Must(net.Listen("tcp", "127.0.0.1:0"))
	switch kind {
	case implicitTLS, xoauth2Only:
		ln = tls.NewListener(ln, cfg)
		s.AllowInsecureAuth = true // it is TLS, but recConn hides the *tls.Conn from the server
	case startTLS:
		s.TLSConfig = cfg
	case plainOnly:
		s.AllowInsecureAuth = true
	}
	ts.ln = &trackListener{Listener: ln, conns: ts.conns, sent: ts.sent}
	go s.Serve(ts.ln)
	ts.t.Cleanup(func() { s.Close() })
}

func (ts *testServer) enableOAuthBearer(s *server.Server) {
	s.EnableAuth(sasl.OAuthBearer, func(conn server.Conn) sasl.Server {
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if o.Token != testToken || ts.be.tokenLogin(conn, o.Username) != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		})
	})
}

// dial connects every name to the server.
func (ts *testServer) dial(ctx context.Context, network, _ string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, network, ts.ln.Addr().String())
}

// traffic returns the server's log of both directions.
func (ts *testServer) traffic() string { return ts.debug.String() }

// commands returns what clients sent; readable for implicit TLS only.
func (ts *testServer) commands() string { return ts.sent.String() }

// recBackend wraps the memory backend and records what the mailbox was
// asked to do. hold, while open, blocks body fetches (a stalled server);
// dropOn, when set, is called on the body fetch with that number.
type recBackend struct {
	backend.Backend
	mu          sync.Mutex
	logins      int
	metaFetches int
	bodyFetches int
	bodyUIDs    []uint32
	nonPeek     int
	changes     int // flag updates, copies, expunges
	stallBodies bool
	dropOn      int
	drop        func()
	hold        chan struct{}
	releaseOnce sync.Once
}

func (be *recBackend) release() { be.releaseOnce.Do(func() { close(be.hold) }) }

func (be *recBackend) Login(info *imap.ConnInfo, user, pass string) (backend.User, error) {
	be.mu.Lock()
	be.logins++
	be.mu.Unlock()
	u, err := be.Backend.Login(info, user, pass)
	if err != nil {
		return nil, err
	}
	return &recUser{User: u, be: be}, nil
}

// tokenLogin logs conn in as user after a good token.
func (be *recBackend) tokenLogin(conn server.Conn, user string) error {
	if user != testUser {
		return errors.New("unknown user")
	}
	u, err := be.Login(conn.Info(), testUser, testPassword)
	if err != nil {
		return err
	}
	ctx := conn.Context()
	ctx.State, ctx.User = imap.AuthenticatedState, u
	return nil
}

type recUser struct {
	backend.User
	be *recBackend
}

func (u *recUser) GetMailbox(name string) (backend.Mailbox, error) {
	m, err := u.User.GetMailbox(name)
	if err != nil {
		return nil, err
	}
	return &recMailbox{Mailbox: m, be: u.be}, nil
}

type recMailbox struct {
	backend.Mailbox
	be *recBackend
}

func (m *recMailbox) ListMessages(uid bool, set *imap.SeqSet, items []imap.FetchItem, ch chan<- *imap.Message) error {
	if !m.be.recordFetch(set, items) {
		return m.Mailbox.ListMessages(uid, set, items, ch)
	}
	if m.be.stallBodies {
		<-m.be.hold
		close(ch)
		return errors.New("released")
	}
	if m.be.bodyCount() == m.be.dropOn && m.be.drop != nil {
		m.be.drop()
		close(ch)
		return errors.New("dropped")
	}
	return m.Mailbox.ListMessages(uid, set, items, ch)
}

// recordFetch records a FETCH and reports whether it asks for bodies.
func (be *recBackend) recordFetch(set *imap.SeqSet, items []imap.FetchItem) bool {
	be.mu.Lock()
	defer be.mu.Unlock()
	body := false
	for _, it := range items {
		if sec, err := imap.ParseBodySectionName(it); err == nil {
			body = true
			if !sec.Peek {
				be.nonPeek++
			}
		}
	}
	if !body {
		be.metaFetches++
		return false
	}
	be.bodyFetches++
	for _, sq := range set.Set {
		for n := sq.Start; n <= sq.Stop; n++ {
			be.bodyUIDs = append(be.bodyUIDs, n)
		}
	}
	return true
}

func (be *recBackend) bodyCount() int {
	be.mu.Lock()
	defer be.mu.Unlock()
	return be.bodyFetches
}

// SearchMessages answers a search by date alone from the messages'
// internal dates, as a real server answers from its index: the memory
// backend parses every message for every search, which would make the
// benchmark measure the test server rather than the client.
func (m *recMailbox) SearchMessages(uid bool, c *imap.SearchCriteria) ([]uint32, error) {
	mem, ok := m.Mailbox.(*memory.Mailbox)
	if !ok || !uid || !sinceOnly(c) {
		return m.Mailbox.SearchMessages(uid, c)
	}
	since := c.Since.Truncate(24 * time.Hour)
	var uids []uint32
	for _, msg := range mem.Messages {
		if !msg.Date.Before(since) {
			uids = append(uids, msg.Uid)
		}
	}
	return uids, nil
}

func sinceOnly(c *imap.SearchCriteria) bool {
	rest := *c
	rest.Since = time.Time{}
	return rest.SeqNum == nil && rest.Uid == nil && rest.Before.IsZero() && rest.SentSince.IsZero() &&
		rest.SentBefore.IsZero() && len(rest.Header) == 0 && len(rest.Body) == 0 && len(rest.Text) == 0 &&
		len(rest.WithFlags) == 0 && len(rest.WithoutFlags) == 0 && rest.Larger == 0 && rest.Smaller == 0 &&
		len(rest.Not) == 0 && len(rest.Or) == 0
}

func (m *recMailbox) UpdateMessagesFlags(uid bool, set *imap.SeqSet, op imap.FlagsOp, flags []string) error {
	m.be.changed()
	return m.Mailbox.UpdateMessagesFlags(uid, set, op, flags)
}

func (m *recMailbox) CopyMessages(uid bool, set *imap.SeqSet, dest string) error {
	m.be.changed()
	return m.Mailbox.CopyMessages(uid, set, dest)
}

func (m *recMailbox) Expunge() error {
	m.be.changed()
	return m.Mailbox.Expunge()
}

func (be *recBackend) changed() {
	be.mu.Lock()
	be.changes++
	be.mu.Unlock()
}

// xoauth2Server is the server side of XOAUTH2, which go-sasl lacks.
type xoauth2Server struct {
	conn   server.Conn
	be     *recBackend
	failed bool
}

func (x *xoauth2Server) Next(resp []byte) ([]byte, bool, error) {
	if x.failed {
		return nil, true, errors.New("invalid credentials")
	}
	if resp == nil {
		return []byte{}, false, nil
	}
	user, token, ok := parseXOAUTH2(string(resp))
	if !ok || token != testToken || x.be.tokenLogin(x.conn, user) != nil {
		x.failed = true
		return []byte(`{"status":"401","schemes":"bearer"}`), false, nil
	}
	return nil, true, nil
}

func parseXOAUTH2(s string) (user, token string, ok bool) {
	fields := strings.Split(s, "\x01")
	if len(fields) != 4 || fields[2] != "" || fields[3] != "" {
		return "", "", false
	}
	user, ok1 := strings.CutPrefix(fields[0], "user=")
	token, ok2 := strings.CutPrefix(fields[1], "auth=Bearer ")
	return user, token, ok1 && ok2
}

// trackListener remembers its connections so a test can drop them.
type trackListener struct {
	net.Listener
	conns *connList
	sent  *lockedBuffer
}

func (l *trackListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.conns.add(c)
	return &recConn{Conn: c, sent: l.sent}, nil
}

// recConn records what the client sent.
type recConn struct {
	net.Conn
	sent *lockedBuffer
}

func (c *recConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.sent.Write(p[:n])
	return n, err
}

type connList struct {
	mu    sync.Mutex
	conns []net.Conn
}

func (cl *connList) add(c net.Conn) {
	cl.mu.Lock()
	cl.conns = append(cl.conns, c)
	cl.mu.Unlock()
}

// closeAll drops every connection the server accepted.
func (cl *connList) closeAll() {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	for _, c := range cl.conns {
		c.Close()
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixtures returns the testdata mails in name order.
func fixtures(t testing.TB, names ...string) [][]byte {
	t.Helper()
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}
