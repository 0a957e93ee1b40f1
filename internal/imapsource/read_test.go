package imapsource_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/imapsource"
)

var allFixtures = []string{"report-gzip.eml", "not-report.eml", "report-json.eml", "dmarc.eml"}

// options returns Options for ts with the password, short timeouts and
// the test CA.
func (ts *testServer) options(scheme string) imapsource.Options {
	return imapsource.Options{
		URL:      scheme + "://" + testUser + "@" + testHost + "/INBOX",
		Password: testPassword,
		Roots:    ts.ca.Pool,
		Dial:     ts.dial,
		Timeouts: imapsource.Timeouts{Connect: 5 * time.Second, Command: 5 * time.Second, Run: 30 * time.Second},
	}
}

// collect reads with o and returns the names and Message-IDs emitted.
func collect(t *testing.T, o imapsource.Options) ([]string, imapsource.Stats, error) {
	t.Helper()
	var got []string
	st, err := imapsource.Read(context.Background(), o, func(m imapsource.Message) error {
		got = append(got, fmt.Sprintf("%s %s %d", m.Name, m.MessageID, len(m.Body)))
		return nil
	})
	return got, st, err
}

func TestReadMechanisms(t *testing.T) {
	msgs := fixtures(t, allFixtures...)
	want := []string{
		fmt.Sprintf("imaps://username@%s/INBOX#uid=1 r1@sender.example %d", testHost, len(msgs[0])),
		fmt.Sprintf("imaps://username@%s/INBOX#uid=3 r2@other.example %d", testHost, len(msgs[2])),
	}
	tests := []struct {
		name     string
		kind     serverKind
		scheme   string
		password string
		token    string
		noMech   string // capability to hide
	}{
		{name: "password over imaps", kind: implicitTLS, scheme: "imaps", password: testPassword},
		{name: "password over STARTTLS", kind: startTLS, scheme: "imap", password: testPassword},
		{name: "OAUTHBEARER token", kind: implicitTLS, scheme: "imaps", token: testToken},
		{name: "token wins over password", kind: implicitTLS, scheme: "imaps", token: testToken, password: "wrong"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newServer(t, tc.kind, msgs...)
			o := ts.options(tc.scheme)
			o.Password, o.Token = tc.password, tc.token
			got, st, err := collect(t, o)
			if err != nil {
				t.Fatal(err)
			}
			w := want
			if tc.scheme == "imap" {
				w = []string{strings.Replace(want[0], "imaps:", "imap:", 1), strings.Replace(want[1], "imaps:", "imap:", 1)}
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("messages mismatch (-want +got):\n%s", diff)
			}
			wantSt := imapsource.Stats{Found: 4, Read: 2, NotReport: 2, Bytes: int64(len(msgs[0]) + len(msgs[2]))}
			if diff := cmp.Diff(wantSt, st); diff != "" {
				t.Errorf("stats mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadXOAUTH2 uses XOAUTH2 when the server offers only it (Microsoft
// 365).
func TestReadXOAUTH2(t *testing.T) {
	ts := newServer(t, xoauth2Only, fixtures(t, "report-gzip.eml")...)
	o := ts.options("imaps")
	o.Password, o.Token = "", testToken
	got, _, err := collect(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || !strings.Contains(ts.traffic(), "AUTHENTICATE XOAUTH2") {
		t.Errorf("got %q, traffic without AUTHENTICATE XOAUTH2:\n%s", got, ts.traffic())
	}
}

// TestReadOnly checks RFC 3501 read-only access: EXAMINE, BODY.PEEK[],
// no STORE, COPY, MOVE or EXPUNGE, and no flag changed on the server.
func TestReadOnly(t *testing.T) {
	ts := newServer(t, implicitTLS, fixtures(t, allFixtures...)...)
	if _, _, err := collect(t, ts.options("imaps")); err != nil {
		t.Fatal(err)
	}
	traffic := ts.commands()
	for _, cmd := range []string{" SELECT ", " STORE ", " COPY ", " MOVE ", " EXPUNGE", " BODY[]", " RFC822 ", " RFC822.TEXT", "BODY[TEXT]"} {
		if strings.Contains(traffic, cmd) {
			t.Errorf("client sent %q:\n%s", cmd, traffic)
		}
	}
	if !strings.Contains(traffic, "EXAMINE INBOX") || !strings.Contains(traffic, "BODY.PEEK[]") {
		t.Errorf("no EXAMINE or BODY.PEEK[] in:\n%s", traffic)
	}
	if ts.be.nonPeek != 0 || ts.be.changes != 0 {
		t.Errorf("non-peek body fetches %d, mailbox changes %d; want 0, 0", ts.be.nonPeek, ts.be.changes)
	}
	for _, m := range ts.mbox.Messages {
		if len(m.Flags) != 0 {
			t.Errorf("message %d has flags %q after the read", m.Uid, m.Flags)
		}
	}
}

// TestReadSkip fetches no body for messages whose Message-ID is known,
// and none for messages without a report part.
func TestReadSkip(t *testing.T) {
	ts := newServer(t, implicitTLS, fixtures(t, allFixtures...)...)
	o := ts.options("imaps")
	var asked []string
	o.Skip = func(id string) bool {
		asked = append(asked, id)
		return id == "r1@sender.example"
	}
	got, st, err := collect(t, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || st.Known != 1 || st.Read != 1 {
		t.Errorf("got %q, stats %+v; want only uid 3, one known", got, st)
	}
	if diff := cmp.Diff([]uint32{3}, ts.be.bodyUIDs); diff != "" {
		t.Errorf("bodies fetched mismatch (-want +got):\n%s", diff)
	}
	wantAsked := []string{"r1@sender.example", "n1@news.example", "r2@other.example", "d1@google.example"}
	if diff := cmp.Diff(wantAsked, asked, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("Skip calls mismatch (-want +got):\n%s", diff)
	}

	o.Skip = func(string) bool { return true }
	before, structures := ts.be.bodyCount(), strings.Count(ts.commands(), "BODYSTRUCTURE")
	if got, _, err := collect(t, o); err != nil || len(got) != 0 || ts.be.bodyCount() != before {
		t.Errorf("all known: got %q, err %v, %d body fetches; want none", got, err, ts.be.bodyCount()-before)
	}
	if n := strings.Count(ts.commands(), "BODYSTRUCTURE"); n != structures {
		t.Errorf("all known: %d BODYSTRUCTURE fetches; want none", n-structures)
	}
}

// TestReadOversize skips a message larger than MaxMessage without
// downloading it, and reads the rest.
func TestReadOversize(t *testing.T) {
	msgs := fixtures(t, "report-gzip.eml", "report-json.eml")
	big := append([]byte(nil), msgs[1]...)
	big = append(big, []byte(strings.Repeat("x", 4000)+"\r\n")...)
	ts := newServer(t, implicitTLS, msgs[0], big)
	o := ts.options("imaps")
	o.MaxMessage = 3000
	got, st, err := collect(t, o)
	if err != nil {
		t.Fatal(err)
	}
	want := []imapsource.Oversize{{Name: "imaps://username@" + testHost + "/INBOX#uid=2", Size: int64(len(big))}}
	if diff := cmp.Diff(want, st.Oversize); diff != "" || len(got) != 1 {
		t.Errorf("got %q; oversize mismatch (-want +got):\n%s", got, diff)
	}
	if diff := cmp.Diff([]uint32{1}, ts.be.bodyUIDs); diff != "" {
		t.Errorf("bodies fetched mismatch (-want +got):\n%s", diff)
	}
}

// TestReadLyingSize ends the read when the server sends far more than the
// size it announced, instead of holding it all in memory.
func TestReadLyingSize(t *testing.T) {
	huge := append(fixtures(t, "report-gzip.eml")[0], []byte(strings.Repeat("y", 3<<20))...)
	ts := newServer(t, implicitTLS, huge)
	ts.mbox.Messages[0].Size = 1000
	_, _, err := collect(t, ts.options("imaps"))
	if !errors.Is(err, imapsource.ErrDropped) || !strings.Contains(err.Error(), "more data") {
		t.Errorf("err = %v; want ErrDropped for more data than announced", err)
	}
}

func TestReadSince(t *testing.T) {
	ts := newServer(t, implicitTLS, fixtures(t, "report-gzip.eml", "report-json.eml")...)
	ts.mbox.Messages[0].Date = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	o := ts.options("imaps")
	o.Since = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	got, st, err := collect(t, o)
	if err != nil || st.Found != 1 || len(got) != 1 || !strings.Contains(got[0], "uid=2") {
		t.Errorf("got %q, stats %+v, err %v; want only uid 2", got, st, err)
	}
	if !strings.Contains(ts.commands(), "SINCE \"1-Nov-2026\"") {
		t.Errorf("no SEARCH SINCE in:\n%s", ts.commands())
	}
}
