package ghapi

import (
	"net/http"
	"testing"
)

// recordTransport remembers the Authorization header of each request.
type recordTransport struct{ auth []string }

func (r *recordTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.auth = append(r.auth, req.Header.Get("Authorization"))
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
}

// TestAuthOnlyForAPIHost checks that the token never leaves for another
// host, such as a redirect target.
func TestAuthOnlyForAPIHost(t *testing.T) {
	t.Parallel()
	rec := &recordTransport{}
	tr := &authTransport{next: rec, token: "secret", host: "api.github.com"}
	for _, u := range []string{"https://api.github.com/repos/o/r", "https://API.github.com/x", "https://raw.githubusercontent.com/o/r/main/f"} {
		req, _ := http.NewRequest("GET", u, nil)
		if _, err := tr.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if req.Header.Get("Authorization") != "" {
			t.Errorf("the caller's request was modified")
		}
	}
	want := []string{"Bearer secret", "Bearer secret", ""}
	for i := range want {
		if rec.auth[i] != want[i] {
			t.Errorf("request %d: Authorization %q, want %q", i, rec.auth[i], want[i])
		}
	}
}
