package fetch_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/fetch"
	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

const token = "tok-SECRET-1234"

// reportURL is the URL of path on s under the report host's name.
func reportURL(s *server, path string) string {
	return "https://" + reportHost + ":" + strconv.Itoa(fetchtest.Port(s.Server)) + path
}

// TestReport fetches a report with a bearer token, dialling the URL's port.
func TestReport(t *testing.T) {
	t.Parallel()
	p := newPKI(t)
	var auth string
	s := startServer(t, p.good, func(<-chan struct{}) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			auth = r.Header.Get("Authorization")
			fmt.Fprint(w, `{"report-id":"1"}`)
		})
	})
	c := fetch.New(fetch.Options{Resolver: fetchtest.Loopback(reportHost), Roots: p.ca.Pool}) // Port 443: the URL's wins
	got, err := c.Report(t.Context(), reportURL(s, "/r.json"), token)
	if err != nil {
		t.Fatalf("Report: %v", err)
	}
	if diff := cmp.Diff(`{"report-id":"1"}`, string(got)); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	if auth != "Bearer "+token {
		t.Errorf("Authorization = %q, want the bearer token", auth)
	}
}

// TestReportRefused: each refusal is an error that names its reason and
// never contains the token.
func TestReportRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		path    string // on the test server
		url     string // instead of path: a URL refused before any I/O
		handler func(release <-chan struct{}) http.HandlerFunc
		opts    fetch.Options
		want    string
	}{
		{name: "http URL", url: "http://" + reportHost + "/r.json", want: "only https:// report URLs"},
		{name: "no host", url: "https:///r.json", want: "names no host"},
		{name: "credentials", url: "https://user:" + token + "@" + reportHost + "/r.json", want: "carries credentials"},
		{name: "redirect", path: "/r.json", handler: static(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/moved.json?sig="+token, http.StatusFound)
		}), want: "redirect refused: the server answered 302 Found"},
		{name: "404", path: "/r.json", handler: static(serve(404, "text/plain", "no "+token)), want: "the server answered 404 Not Found"},
		{name: "403", path: "/r.json", handler: static(serve(403, "text/plain", token)), want: "403 Forbidden"},
		{name: "oversize declared", path: "/r.json", handler: static(serve(200, "application/json", strings.Repeat("x", 2000))),
			opts: fetch.Options{MaxReport: 1024}, want: "report larger than 1024 bytes"},
		{name: "oversize chunked", path: "/r.json", handler: static(chunked(2048)),
			opts: fetch.Options{MaxReport: 1024}, want: "report larger than 1024 bytes"},
		{name: "signed URL", path: "/r.json?sig=" + token, handler: static(serve(500, "text/plain", "")), want: "500"},
		{name: "timeout", path: "/r.json", handler: hang, opts: fetch.Options{Timeout: short}, want: "fetch timeout"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newPKI(t)
			var moved counter
			s := startServer(t, p.good, func(release <-chan struct{}) http.Handler {
				mux := http.NewServeMux()
				if tc.handler != nil {
					mux.Handle("/r.json", tc.handler(release))
				}
				mux.HandleFunc("/moved.json", moved.wrap(serve(200, "application/json", "{}")))
				return mux
			})
			res := &countingResolver{Resolver: fetchtest.Loopback(reportHost)}
			opts := tc.opts
			opts.Resolver, opts.Roots = res, p.ca.Pool
			url := tc.url
			if url == "" {
				url = reportURL(s, tc.path)
			}
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			got, err := fetch.New(opts).Report(ctx, url, token)
			switch {
			case err == nil:
				t.Fatalf("Report = %q, want an error", got)
			case !strings.Contains(err.Error(), tc.want):
				t.Errorf("Report error %q does not say %q", err, tc.want)
			case strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "SECRET"):
				t.Errorf("Report error %q contains the token", err)
			}
			if tc.url != "" && res.n.Load() != 0 {
				t.Errorf("resolver called for a refused URL")
			}
			if moved.n.Load() != 0 {
				t.Errorf("redirect followed")
			}
		})
	}
}

// chunked sends n bytes without a Content-Length.
func chunked(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for range n / 256 {
			fmt.Fprint(w, strings.Repeat("x", 256))
			http.NewResponseController(w).Flush()
		}
	}
}

// static adapts a handler that does not block.
func static(h http.HandlerFunc) func(<-chan struct{}) http.HandlerFunc {
	return func(<-chan struct{}) http.HandlerFunc { return h }
}
