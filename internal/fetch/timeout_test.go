package fetch_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/fetch"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

const short = 200 * time.Millisecond

// bound is how long a fetch limited to short may take in the worst case
// under the race detector on a loaded machine: a bound, not a sleep.
const bound = 10 * time.Second

// TestNeverHang: a host that accepts and never answers, answers headers
// never or a body forever, ends within the limit that applies, with an
// error that names that limit and counts as a timeout (RFC 8461 §3.3).
func TestNeverHang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		silent  bool // a TCP listener that never speaks TLS
		handler func(release <-chan struct{}) http.HandlerFunc
		opts    fetch.Options
		limit   string
	}{
		{name: "accepts and never answers", silent: true,
			opts: fetch.Options{ConnectTimeout: short}, limit: "connect timeout of 200ms"},
		{name: "accepts and never answers, whole fetch", silent: true,
			opts: fetch.Options{Timeout: short}, limit: "fetch timeout of 200ms"},
		{name: "no response headers", handler: hang,
			opts: fetch.Options{HeaderTimeout: short}, limit: "header timeout of 200ms"},
		{name: "no response headers, whole fetch", handler: hang,
			opts: fetch.Options{Timeout: short}, limit: "fetch timeout of 200ms"},
		{name: "slow body", handler: dribble,
			opts: fetch.Options{Timeout: short}, limit: "fetch timeout of 200ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPKI(t)
			opts := tc.opts
			opts.Resolver, opts.Roots = fetchtest.Loopback(policyHost), p.ca.Pool
			if tc.silent {
				opts.Port = silentListener(t)
			} else {
				s := startServer(t, p.good, func(release <-chan struct{}) http.Handler { return tc.handler(release) })
				opts.Port = fetchtest.Port(s.Server)
			}
			start := time.Now()
			got, err := fetch.New(opts).Policy(context.Background(), domain)
			if elapsed := time.Since(start); elapsed > bound {
				t.Errorf("Policy took %v", elapsed)
			}
			checkTimeout(t, err, tc.limit)
			if r := fetch.ResultType(err, got); r != fetch.ResultFetchError {
				t.Errorf("ResultType = %q, want %q", r, fetch.ResultFetchError)
			}
		})
	}
}

func checkTimeout(t *testing.T, err error, limit string) {
	t.Helper()
	var netErr net.Error
	switch {
	case err == nil:
		t.Fatal("no error, want a timeout")
	case !strings.Contains(err.Error(), limit):
		t.Errorf("error %q does not name the %s", err, limit)
	case !errors.Is(err, context.DeadlineExceeded):
		t.Errorf("error %q is not context.DeadlineExceeded", err)
	case !errors.As(err, &netErr) || !netErr.Timeout():
		t.Errorf("error %q is not a net.Error timeout", err)
	}
}

// hang never sends response headers.
func hang(release <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { block(release, r) }
}

// dribble sends the headers, then a byte every few milliseconds, forever.
func dribble(release <-chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		rc := http.NewResponseController(w)
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("x")); err != nil || rc.Flush() != nil {
				return
			}
			select {
			case <-release:
				return
			case <-r.Context().Done():
				return
			case <-tick.C:
			}
		}
	}
}

// TestRedirectLoop: a redirect to itself is answered once, not followed.
func TestRedirectLoop(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	var hits counter
	s := startServer(t, p.good, func(<-chan struct{}) http.Handler {
		return hits.wrap(func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, r.URL.Path, 302) })
	})
	got, err := p.client(s, nil).Policy(t.Context(), domain)
	if err != nil || got.Status != 302 {
		t.Fatalf("Policy = %d, %v; want 302", got.Status, err)
	}
	if n := hits.n.Load(); n != 1 {
		t.Errorf("server hit %d times, want 1", n)
	}
}

// TestCallerCancels: the caller's cancellation is not reported as a limit.
func TestCallerCancels(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	ctx, cancel := context.WithCancel(t.Context())
	s := startServer(t, p.good, func(release <-chan struct{}) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cancel()
			block(release, r)
		})
	})
	_, err := p.client(s, nil).Policy(ctx, domain)
	if !errors.Is(err, context.Canceled) || strings.Contains(err.Error(), "timeout") {
		t.Fatalf("Policy error = %v, want context.Canceled without a limit", err)
	}
}
