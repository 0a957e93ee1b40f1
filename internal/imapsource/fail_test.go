package imapsource_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/imapsource"
)

const (
	badPassword = "wrong-secret-pw"
	badToken    = "expired-secret-token"
)

// TestReadFailures checks that each failure gives one error of the right
// class that names the source and never holds the secret.
func TestReadFailures(t *testing.T) {
	msgs := fixtures(t, allFixtures...)
	tests := []struct {
		name   string
		kind   serverKind
		scheme string
		edit   func(*imapsource.Options)
		want   error
		text   string
		sent   string // in the traffic, when set
	}{
		{name: "wrong password", edit: func(o *imapsource.Options) { o.Password = badPassword }, want: imapsource.ErrAuth, text: "login"},
		// RFC 7628 §3.2.3: the client answers the error challenge with
		// %x01 (base64 "AQ=="), then the server sends its NO.
		{name: "expired token OAUTHBEARER", edit: func(o *imapsource.Options) { o.Token = badToken }, want: imapsource.ErrAuth, text: "invalid_token", sent: "AQ==\r\n"},
		{name: "expired token XOAUTH2", kind: xoauth2Only, edit: func(o *imapsource.Options) { o.Token = badToken }, want: imapsource.ErrAuth, text: "login"},
		{name: "no credentials", edit: func(o *imapsource.Options) { o.Password = "" }, want: imapsource.ErrAuth, text: "imap_password_env"},
		{name: "missing mailbox", edit: func(o *imapsource.Options) { o.URL = strings.Replace(o.URL, "/INBOX", "/Reports", 1) }, want: imapsource.ErrMailbox, text: "EXAMINE"},
		{name: "certificate for another name", edit: func(o *imapsource.Options) { o.URL = strings.Replace(o.URL, testHost, "other.example.test", 1) }, want: imapsource.ErrTLS, text: "certificate"},
		{name: "untrusted certificate", edit: func(o *imapsource.Options) { o.Roots = fetchtest.Must(fetchtest.NewCA()).Pool }, want: imapsource.ErrTLS, text: "certificate"},
		{name: "untrusted certificate over STARTTLS", kind: startTLS, scheme: "imap", edit: func(o *imapsource.Options) { o.Roots = fetchtest.Must(fetchtest.NewCA()).Pool }, want: imapsource.ErrTLS, text: "STARTTLS"},
		{name: "no STARTTLS offered", kind: plainOnly, scheme: "imap", want: imapsource.ErrTLS, text: "does not offer STARTTLS"},
		{name: "imaps to a plaintext server", kind: plainOnly, want: imapsource.ErrTLS, text: "TLS handshake"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newServer(t, tc.kind, msgs...)
			o := ts.options(cmpOr(tc.scheme, "imaps"))
			if tc.edit != nil {
				tc.edit(&o)
			}
			got, _, err := collect(t, o)
			checkErr(t, err, tc.want, tc.text, o.URL)
			if len(got) != 0 {
				t.Errorf("got messages %q after a failure", got)
			}
			if tc.sent != "" && !strings.Contains(ts.commands(), tc.sent) {
				t.Errorf("the client did not send %q:\n%s", tc.sent, ts.commands())
			}
			if tc.want == imapsource.ErrTLS && (ts.be.logins != 0 || strings.Contains(ts.traffic(), " LOGIN ")) {
				t.Errorf("credentials sent without TLS or to an unverified server:\n%s", ts.traffic())
			}
		})
	}
}

// checkErr checks err's class, that its text has text and the source
// URL, and no secret.
func checkErr(t *testing.T, err, want error, text, url string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v; want %v", err, want)
	}
	msg := err.Error()
	if !strings.Contains(msg, text) || !strings.HasPrefix(msg, url) {
		t.Errorf("err = %q; want it to start with %q and hold %q", msg, url, text)
	}
	// testPassword is the memory backend's "password", a word the hints use.
	for _, secret := range []string{testToken, badPassword, badToken} {
		if strings.Contains(msg, secret) {
			t.Errorf("err = %q holds the secret %q", msg, secret)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestReadGreetingStall: a server that accepts and never answers fails
// within the connect timeout, with implicit TLS and with STARTTLS.
func TestReadGreetingStall(t *testing.T) {
	ln := fetchtest.Must(net.Listen("tcp", "127.0.0.1:0"))
	held := &connList{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held.add(c) // held open, never answered
		}
	}()
	t.Cleanup(func() { ln.Close(); held.closeAll() })
	for _, scheme := range []string{"imaps", "imap"} {
		o := imapsource.Options{
			URL: scheme + "://u@" + testHost + "/INBOX", Password: testPassword,
			Dial: func(ctx context.Context, n, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, n, ln.Addr().String())
			},
			Timeouts: imapsource.Timeouts{Connect: 100 * time.Millisecond},
		}
		_, _, err := collect(t, o)
		checkErr(t, err, imapsource.ErrTimeout, "did not answer within 100ms", o.URL)
	}
}

// TestReadCommandStall: a FETCH that never completes fails within the
// command timeout, and the run limit stops a server that stalls longer
// than it.
func TestReadCommandStall(t *testing.T) {
	tests := []struct {
		name     string
		timeouts imapsource.Timeouts
		text     string
		ctxErr   error
	}{
		{name: "command", timeouts: imapsource.Timeouts{Command: 200 * time.Millisecond}, text: "did not answer within 200ms"},
		{name: "run", timeouts: imapsource.Timeouts{Command: time.Hour, Run: 200 * time.Millisecond}, text: "limit of 200ms", ctxErr: context.DeadlineExceeded},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newServer(t, implicitTLS, fixtures(t, allFixtures...)...)
			ts.be.stallBodies = true
			o := ts.options("imaps")
			o.Timeouts = tc.timeouts
			got, _, err := collect(t, o)
			checkErr(t, err, imapsource.ErrTimeout, tc.text, o.URL)
			if tc.ctxErr != nil && !errors.Is(err, tc.ctxErr) {
				t.Errorf("err = %v; want it to wrap %v", err, tc.ctxErr)
			}
			if len(got) != 0 {
				t.Errorf("got %q from a stalled fetch", got)
			}
		})
	}
}

// copies returns n report mails with distinct Message-IDs.
func copies(t testing.TB, n int) [][]byte {
	t.Helper()
	tmpl := fixtures(t, "report-gzip.eml")[0]
	out := make([][]byte, n)
	for i := range out {
		out[i] = bytes.Replace(tmpl, []byte("<r1@sender.example>"), fmt.Appendf(nil, "<r%d@sender.example>", i+1), 1)
	}
	return out
}

// TestReadDropped: a connection dropped in the second body batch keeps
// the first batch's messages and gives one error.
func TestReadDropped(t *testing.T) {
	ts := newServer(t, implicitTLS, copies(t, 150)...)
	ts.be.dropOn, ts.be.drop = 2, ts.conns.closeAll
	o := ts.options("imaps")
	got, st, err := collect(t, o)
	checkErr(t, err, imapsource.ErrDropped, "FETCH", o.URL)
	if len(got) != 100 || st.Read != 100 {
		t.Errorf("got %d messages, stats %+v; want the first batch of 100", len(got), st)
	}
}

func TestReadConnectRefused(t *testing.T) {
	ln := fetchtest.Must(net.Listen("tcp", "127.0.0.1:0"))
	addr := ln.Addr().String()
	ln.Close()
	o := imapsource.Options{
		URL: "imaps://u@" + testHost + "/INBOX", Password: testPassword,
		Dial: func(ctx context.Context, n, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, n, addr)
		},
	}
	_, _, err := collect(t, o)
	checkErr(t, err, imapsource.ErrConnect, "connect", o.URL)
}

// TestReadEmitError stops at the caller's error and returns it as is.
func TestReadEmitError(t *testing.T) {
	ts := newServer(t, implicitTLS, fixtures(t, allFixtures...)...)
	stop := errors.New("stop")
	_, err := imapsource.Read(context.Background(), ts.options("imaps"), func(imapsource.Message) error { return stop })
	if err != stop {
		t.Errorf("err = %v; want the emit error", err)
	}
}
