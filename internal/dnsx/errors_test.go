package dnsx_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
)

// class is the outcome class of a lookup error.
type class string

const (
	notFound  class = "no record"
	temporary class = "temporary"
	timeout   class = "timeout"
	cancelled class = "cancelled"
	invalid   class = "invalid name"
)

func classOf(t *testing.T, err error) class {
	t.Helper()
	dnsErr, ok := err.(*net.DNSError)
	if !ok {
		t.Fatalf("error %v (%T) is not a *net.DNSError", err, err)
	}
	if dnsx.IsNotFound(err) == dnsx.CouldNotCheck(err) {
		t.Errorf("IsNotFound and CouldNotCheck agree (%v) on %v", dnsx.IsNotFound(err), err)
	}
	switch {
	case dnsErr.IsNotFound:
		if dnsErr.IsTemporary || dnsErr.IsTimeout {
			t.Errorf("not-found error %+v is also temporary or a timeout", dnsErr)
		}
		return notFound
	case dnsErr.IsTimeout:
		if !dnsErr.IsTemporary {
			t.Errorf("timeout %+v is not temporary", dnsErr)
		}
		return timeout
	case dnsErr.IsTemporary:
		return temporary
	case errors.Is(err, context.Canceled):
		return cancelled
	}
	return invalid
}

// lookup runs the lookup kind ("TXT", "MX", "HOST", "CNAME") for name.
func lookup(ctx context.Context, c *dnsx.Client, kind, name string) error {
	var err error
	switch kind {
	case "TXT":
		_, err = c.LookupTXT(ctx, name)
	case "MX":
		_, err = c.LookupMX(ctx, name)
	case "HOST":
		_, err = c.LookupHost(ctx, name)
	case "CNAME":
		_, err = c.LookupCNAME(ctx, name)
	default:
		panic("unknown lookup " + kind)
	}
	return err
}

func TestErrorClasses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    string
		qname   string
		setup   func(s *dnstest.Server)
		want    class
		msg     string // in the error text
		queries int    // queries for qname the server may see; 0: unchecked
	}{
		// "No record" (reference T20): the domain does not publish it.
		{"nxdomain", "TXT", "nowhere.example.com", nil, notFound, "no such domain (NXDOMAIN)", 1},
		{"nodata", "TXT", "example.com", nil, notFound, "no TXT record (NODATA)", 1},
		{"empty non-terminal", "TXT", "_tls.example.com", nil, notFound, "no TXT record (NODATA)", 1},
		{"dangling cname", "TXT", "dangling.example", nil, notFound, "(NXDOMAIN) (following CNAME chain dangling.example. -> missing.example.)", 1},
		{"mx nxdomain", "MX", "nowhere.example", nil, notFound, "NXDOMAIN", 1},
		{"mx nodata", "MX", "_mta-sts.example.com", nil, notFound, "no MX record (NODATA)", 1},
		{"host nxdomain", "HOST", "nowhere.example", nil, notFound, "NXDOMAIN", 2},
		{"host nodata", "HOST", "example.com", nil, notFound, "no A record (NODATA); no AAAA record (NODATA)", 2},
		{"cname nxdomain", "CNAME", "nowhere.example", nil, notFound, "NXDOMAIN", 1},

		// "Could not check": neither valid nor invalid.
		{"servfail", "TXT", "_mta-sts.example.com", servFail("_mta-sts.example.com"), temporary, "server failure (SERVFAIL)", 1},
		{"servfail mx", "MX", "example.com", servFail("example.com"), temporary, "SERVFAIL", 1},
		{"servfail host", "HOST", "pages.example.net", servFail("pages.example.net"), temporary, "SERVFAIL", 2},
		{"servfail cname", "CNAME", "example.com", servFail("example.com"), temporary, "SERVFAIL", 1},
		{"servfail at cname target", "TXT", "_mta-sts.delegated.example", func(s *dnstest.Server) {
			s.NoChase("")
			s.ServFail("_mta-sts.provider.example")
		}, temporary, "(SERVFAIL) (following CNAME chain _mta-sts.delegated.example. -> _mta-sts.provider.example.)", 1},
		{"refused", "TXT", "_mta-sts.example.com", func(s *dnstest.Server) { s.Refused("") }, temporary, "query refused (REFUSED)", 1},
		{"garbage", "TXT", "_mta-sts.example.com", func(s *dnstest.Server) { s.Garbage("_mta-sts.example.com") }, temporary, "malformed answer", 1},
		{"wrong id", "TXT", "_mta-sts.example.com", func(s *dnstest.Server) { s.WrongID("") }, temporary, "does not match query id", 1},
		{"timeout", "TXT", "_mta-sts.example.com", func(s *dnstest.Server) { s.Drop("") }, timeout, "no answer after 2 tries of 300ms (timeout)", 2},
		{"timeout over tcp", "TXT", "_mta-sts.example.com", func(s *dnstest.Server) {
			s.Truncate("")
			s.DropTCP("")
		}, timeout, "over TCP after a truncated UDP answer: timeout over tcp", 2},
		{"cname loop", "TXT", "loop-a.example", nil, temporary, "CNAME loop: loop-a.example. -> loop-b.example. -> loop-a.example.", 1},
		{"cname self loop", "MX", "self.example", nil, temporary, "CNAME loop: self.example. -> SELF.example.", 1},
		{"cname loop, server does not chase", "TXT", "loop-a.example", noChase, temporary, "CNAME loop", 1},
		{"cname loop, host", "HOST", "loop-b.example", nil, temporary, "CNAME loop", 2},
		{"cname loop, cname", "CNAME", "loop-a.example", nil, temporary, "CNAME loop", 1},
		{"cname chain too long", "TXT", "chain0.example", nil, temporary, "CNAME chain longer than 8: chain0.example. -> chain1.example.", 1},
		{"cname chain too long, server does not chase", "TXT", "chain0.example", noChase, temporary, "-> chain9.example.", 1},
		{"cname chain too long, cname", "CNAME", "chain0.example", nil, temporary, "CNAME chain longer than 8", 1},

		{"invalid name", "TXT", "a..example", nil, invalid, "invalid domain name", 0},
		{"empty name", "HOST", "", nil, invalid, "invalid domain name", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := testZone(t)
			if tc.setup != nil {
				tc.setup(s)
			}
			c := newClient(t, s, dnsx.Options{Timeout: 300 * time.Millisecond})
			err := lookup(t.Context(), c, tc.kind, tc.qname)
			if err == nil {
				t.Fatalf("%s lookup of %q: no error, want %s", tc.kind, tc.qname, tc.want)
			}
			if got := classOf(t, err); got != tc.want {
				t.Errorf("%s lookup of %q: error %q is %s, want %s", tc.kind, tc.qname, err, got, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("%s lookup of %q: error %q does not contain %q", tc.kind, tc.qname, err, tc.msg)
			}
			checkNames(t, err, tc.qname, s.Addr)
			if tc.queries > 0 && s.Count(tc.qname) > tc.queries {
				t.Errorf("server saw %d queries for %q, want at most %d", s.Count(tc.qname), tc.qname, tc.queries)
			}
		})
	}
}

func servFail(name string) func(*dnstest.Server) {
	return func(s *dnstest.Server) { s.ServFail(name) }
}

func noChase(s *dnstest.Server) { s.NoChase("") }

// checkNames checks that err names the queried name and the server.
func checkNames(t *testing.T, err error, qname, server string) {
	t.Helper()
	dnsErr := err.(*net.DNSError)
	want := dns.Fqdn(qname)
	if _, ok := dns.IsDomainName(want); qname == "" || !ok {
		want = qname
	}
	if dnsErr.Name != want || dnsErr.Server != server {
		t.Errorf("error names %q on %q, want %q on %q", dnsErr.Name, dnsErr.Server, want, server)
	}
}

// TestTimeoutTries: a silent server gets exactly Tries UDP queries.
func TestTimeoutTries(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	s.Drop("")
	c := newClient(t, s, dnsx.Options{Timeout: 100 * time.Millisecond, Tries: 3})
	_, err := c.LookupMX(t.Context(), "example.com")
	if got := classOf(t, err); got != timeout {
		t.Fatalf("LookupMX: %v is %s, want timeout", err, got)
	}
	if n := s.Count("example.com"); n != 3 {
		t.Errorf("server saw %d queries, want 3", n)
	}
}

// TestContextCancel: cancelling the context ends a lookup the server
// holds, long before the per-try timeout.
func TestContextCancel(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"TXT", "MX", "HOST", "CNAME"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			s := testZone(t)
			s.Drop("")
			c := newClient(t, s, dnsx.Options{Timeout: time.Minute})
			ctx, cancel := context.WithCancel(t.Context())
			go func() {
				<-s.Arrived("example.com")
				cancel()
			}()
			err := lookup(ctx, c, kind, "example.com")
			if got := classOf(t, err); got != cancelled {
				t.Errorf("%s lookup: error %v is %s, want cancelled", kind, err, got)
			}
			if !dnsx.CouldNotCheck(err) {
				t.Errorf("%s lookup: CouldNotCheck(%v) = false", kind, err)
			}
		})
	}
}

// TestContextDeadline: the context's deadline is a timeout, reachable
// with errors.Is.
func TestContextDeadline(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	s.Drop("")
	c := newClient(t, s, dnsx.Options{Timeout: time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.LookupTXT(ctx, "_mta-sts.example.com")
	if got := classOf(t, err); got != timeout {
		t.Errorf("LookupTXT: error %v is %s, want timeout", err, got)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("LookupTXT: errors.Is(%v, context.DeadlineExceeded) = false", err)
	}
	if n := s.Count("_mta-sts.example.com"); n != 1 {
		t.Errorf("server saw %d queries, want 1 (no retry after the context ended)", n)
	}
}

// TestContextDone: a context that has already ended sends nothing.
func TestContextDone(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	c := newClient(t, s, dnsx.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.LookupTXT(ctx, "_mta-sts.example.com")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("LookupTXT: %v, want context.Canceled", err)
	}
	if n := s.Count(""); n != 0 {
		t.Errorf("server saw %d queries, want 0", n)
	}
}

// TestServerDown: nothing listening gives a quick "could not check".
func TestServerDown(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	addr := s.Addr
	s.Close()
	c, err := dnsx.New(dnsx.Options{Server: addr, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.LookupTXT(t.Context(), "_mta-sts.example.com")
	if got := classOf(t, err); got != temporary && got != timeout {
		t.Errorf("LookupTXT: %v is %s, want temporary or timeout", err, got)
	}
}
