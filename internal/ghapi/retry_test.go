package ghapi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/ghapi/ghfake"
	"github.com/stsgate/stsgate/internal/remind"
)

const issuesPath = "/repos/octo/mail/issues"

// TestRetry drives one list (GET) or create (POST) call through injected
// failures and checks the waits, the request count and the error class.
func TestRetry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		method    string // GET lists issues, POST creates one
		fault     ghfake.Fault
		wantWaits []time.Duration
		wantReqs  int
		wantErr   string // "" success, "rate", "secondary", "other"
	}{
		{name: "500 then success", method: "GET", fault: ghfake.ServerError().Repeat(2),
			wantWaits: []time.Duration{time.Second, 2 * time.Second}, wantReqs: 3},
		{name: "500 persists", method: "GET", fault: ghfake.ServerError().Repeat(5),
			wantWaits: []time.Duration{time.Second, 2 * time.Second}, wantReqs: 3, wantErr: "other"},
		{name: "500 on POST is not retried", method: "POST", fault: ghfake.ServerError(), wantReqs: 1, wantErr: "other"},
		{name: "secondary with Retry-After", method: "GET", fault: ghfake.SecondaryLimit(30 * time.Second),
			wantWaits: []time.Duration{30 * time.Second}, wantReqs: 2},
		{name: "secondary on POST is retried", method: "POST", fault: ghfake.SecondaryLimit(5 * time.Second),
			wantWaits: []time.Duration{5 * time.Second}, wantReqs: 2},
		{name: "secondary persists", method: "GET", fault: ghfake.SecondaryLimit(5 * time.Second).Repeat(9),
			wantWaits: []time.Duration{5 * time.Second, 5 * time.Second}, wantReqs: 3, wantErr: "secondary"},
		{name: "secondary beyond MaxWait", method: "GET", fault: ghfake.SecondaryLimit(2 * time.Minute),
			wantReqs: 1, wantErr: "secondary"},
		{name: "secondary without Retry-After", method: "GET", fault: ghfake.SecondaryLimit(0),
			wantWaits: []time.Duration{time.Minute}, wantReqs: 2},
		{name: "429", method: "POST", fault: ghfake.TooManyRequests(10 * time.Second),
			wantWaits: []time.Duration{10 * time.Second}, wantReqs: 2},
		{name: "429 persists", method: "GET", fault: ghfake.TooManyRequests(10 * time.Second).Repeat(3),
			wantWaits: []time.Duration{10 * time.Second, 10 * time.Second}, wantReqs: 3, wantErr: "secondary"},
		{name: "primary resets soon", method: "GET", fault: ghfake.PrimaryLimit(now.Add(20 * time.Second)),
			wantWaits: []time.Duration{21 * time.Second}, wantReqs: 2},
		{name: "primary resets in an hour", method: "GET", fault: ghfake.PrimaryLimit(now.Add(time.Hour)),
			wantReqs: 1, wantErr: "rate"},
		{name: "permission 403 is not retried", method: "GET", fault: ghfake.NotAccessible(), wantReqs: 1, wantErr: "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.srv.Fail(tt.fault.On(tt.method, issuesPath))
			err := issueCall(e, tt.method)
			checkClass(t, err, tt.wantErr)
			noToken(t, err)
			if diff := cmp.Diff(tt.wantWaits, e.sleep.Waits()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if got := len(e.srv.Requests()); got != tt.wantReqs {
				t.Errorf("%d requests, want %d: %v", got, tt.wantReqs, e.requests())
			}
		})
	}
}

// issueCall lists issues (GET) or creates one (POST).
func issueCall(e env, method string) error {
	ctx := context.Background()
	if method == "POST" {
		_, err := e.c.CreateIssue(ctx, owner, name, remind.NewIssue{Title: "t", Labels: []string{"mta-sts"}})
		return err
	}
	_, err := e.c.ListIssues(ctx, owner, name, "mta-sts")
	return err
}

// checkClass checks err against a class: "" (nil), "rate", "secondary" or
// "other" (an error that is neither a rate limit nor not-found).
func checkClass(t *testing.T, err error, class string) {
	t.Helper()
	var rl *ghapi.RateLimitError
	isRate := errors.As(err, &rl)
	var got string
	switch {
	case err == nil:
	case isRate && rl.Secondary:
		got = "secondary"
	case isRate:
		got = "rate"
	default:
		got = "other"
	}
	if got != class {
		t.Errorf("err = %v (class %q), want class %q", err, got, class)
	}
}

// TestRateLimitErrorDetails checks what a final rate limit error carries.
func TestRateLimitErrorDetails(t *testing.T) {
	t.Parallel()
	e := setup(t)
	reset := now.Add(time.Hour)
	e.srv.Fail(ghfake.PrimaryLimit(reset).On("GET", issuesPath))
	_, err := e.c.ListIssues(context.Background(), owner, name, "mta-sts")
	var rl *ghapi.RateLimitError
	if !errors.As(err, &rl) || !rl.Reset.Equal(reset) || rl.Secondary {
		t.Fatalf("err = %#v, want a primary *RateLimitError resetting at %s", err, reset)
	}
	e.srv.Fail(ghfake.SecondaryLimit(5*time.Minute).On("GET", issuesPath))
	_, err = e.c.ListIssues(context.Background(), owner, name, "mta-sts")
	if !errors.As(err, &rl) || rl.RetryAfter != 5*time.Minute || !rl.Secondary {
		t.Fatalf("err = %#v, want a secondary *RateLimitError with RetryAfter 5m", err)
	}
}

// TestExhaustedQuotaNextRequestGoesOut is the go-github v62 pitfall
// (github-actions.md §2.3): after an answer with X-RateLimit-Remaining 0
// and a reset in the future (by the real clock), a reused go-github client
// refuses the next request locally. ghapi must still send it, so that the
// retry transport, on the injected clock, decides.
func TestExhaustedQuotaNextRequestGoesOut(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for i := range 150 {
		e.repo.AddIssue(ghfake.Issue{Title: fmt.Sprint(i), Labels: []string{"mta-sts"}})
	}
	e.srv.Fail(ghfake.Fault{Method: "GET", Path: issuesPath, Header: ghfake.QuotaHeader(0, time.Now().Add(time.Hour))})
	got, err := e.c.ListIssues(context.Background(), owner, name, "mta-sts")
	if err != nil || len(got) != 150 {
		t.Fatalf("ListIssues = %d issues, %v; want 150", len(got), err)
	}
	if reqs := len(e.srv.Requests()); reqs != 2 {
		t.Errorf("%d requests, want 2 pages", reqs)
	}
}

// flaky fails the first n round trips with a transport error.
type flaky struct {
	n    int
	next http.RoundTripper
}

func (f *flaky) RoundTrip(req *http.Request) (*http.Response, error) {
	if f.n > 0 {
		f.n--
		return nil, errors.New("connection reset by peer")
	}
	return f.next.RoundTrip(req)
}

// TestTransportErrorRetried checks that a GET survives a dropped
// connection and that transport errors are wrapped.
func TestTransportErrorRetried(t *testing.T) {
	t.Parallel()
	srv := ghfake.New(t)
	srv.Repo(owner, name).SetFile("main", "a", "b")
	for _, fails := range []int{1, 3} {
		sl := &ghfake.Sleeper{}
		hc := &http.Client{Transport: &flaky{n: fails, next: srv.Client().Transport}}
		c, err := ghapi.New(ghapi.Options{BaseURL: srv.URL(), HTTPClient: hc, Retry: ghapi.Retry{Sleep: sl.Sleep}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.FileAt(context.Background(), owner, name, "main", "a")
		if wantErr := fails >= 3; (err != nil) != wantErr {
			t.Errorf("%d failures: err = %v, want error %t", fails, err, wantErr)
		}
		if len(sl.Waits()) != min(fails, 2) {
			t.Errorf("%d failures: waits %v", fails, sl.Waits())
		}
	}
}

// TestCancelStopsRetries cancels the context during the first wait: no
// further request goes out and the error is the context's.
func TestCancelStopsRetries(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.srv.Fail(ghfake.ServerError().Repeat(5))
	ctx, cancel := context.WithCancel(context.Background())
	c, err := ghapi.New(ghapi.Options{Token: token, BaseURL: e.srv.URL(), Retry: ghapi.Retry{
		Sleep: func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() },
	}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListIssues(ctx, owner, name, "mta-sts")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := len(e.srv.Requests()); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
	if _, err := c.ListIssues(ctx, owner, name, "mta-sts"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	if got := len(e.srv.Requests()); got != 1 {
		t.Errorf("a cancelled context still sent a request")
	}
}
