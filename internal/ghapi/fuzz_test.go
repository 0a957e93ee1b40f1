package ghapi

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"
)

// FuzzPlan feeds the retry transport's decision arbitrary rate-limit
// headers and error bodies. Properties: no panic; a retry never waits
// less than zero or more than MaxWait; a POST is never retried after a
// 5xx answer.
func FuzzPlan(f *testing.F) {
	f.Add("GET", 403, "30", "", "", []byte(`{"message":"x","documentation_url":"https://docs.github.com/rest#secondary-rate-limits"}`), 1)
	f.Add("GET", 403, "", "0", "1796898600", []byte(`{"message":"API rate limit exceeded"}`), 2)
	f.Add("POST", 429, "", "", "", []byte(``), 1)
	f.Add("POST", 502, "", "", "", []byte(`<html>`), 1)
	f.Add("GET", 403, "99999999999999999999", "0", "-1", []byte(`{"message":"Resource not accessible by integration"}`), 3)
	f.Add("PATCH", 403, "", "0", "9223372036854775807", []byte(`{}`), 60)
	now := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	tr := &retryTransport{policy: Retry{Now: func() time.Time { return now }}.withDefaults()}
	f.Fuzz(func(t *testing.T, method string, status int, after, remaining, reset string, body []byte, attempt int) {
		if attempt < 1 || attempt > 100 {
			return
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		resp.Header.Set("Retry-After", after)
		resp.Header.Set("X-RateLimit-Remaining", remaining)
		resp.Header.Set("X-RateLimit-Reset", reset)
		req := &http.Request{Method: method}
		wait, again := tr.plan(req, resp, nil, attempt)
		if again && (wait < 0 || wait > tr.policy.MaxWait) {
			t.Errorf("retry after %s, outside 0..%s", wait, tr.policy.MaxWait)
		}
		if again && method == http.MethodPost && status >= 500 {
			t.Errorf("POST retried after %d", status)
		}
		if rest, _ := io.ReadAll(resp.Body); !bytes.Equal(rest, body) && len(body) < 64<<10 {
			t.Errorf("body not restored for the caller")
		}
	})
}
