package ghfake

import (
	"encoding/json"
	"net/http"
	"path"
	"strconv"
	"time"
)

// GitHub's messages and documentation links, as real answers carry them.
const (
	notAccessible  = "Resource not accessible by integration"
	secondaryDoc   = "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
	primaryDoc     = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"
	secondaryText  = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
	primaryText    = "API rate limit exceeded for installation ID 1."
	restDocs       = "https://docs.github.com/rest"
	redirectDocs   = "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects"
	issuesOffText  = "Issues are disabled for this repo"
	emptyRepoText  = "Git Repository is empty."
	tooLargeText   = "This API returns blobs up to 100 MB in size. The requested blob is too large to fetch via the API."
	validationText = "Validation Failed"
)

// Fault makes the next Times requests that match Method and Path answer
// Status with Header and Body instead of being served. Build one with a
// constructor such as ServerError, narrow it with On and Repeat, and
// register it with Server.Fail.
type Fault struct {
	Method string      // "" matches any method
	Path   string      // path.Match pattern on the API path (/repos/*/*/issues); "" matches any
	Times  int         // how many requests; < 1 means 1
	Status int         // 0 serves the request normally but adds Header
	Header http.Header // added to the answer
	Body   string      // JSON body; "" means {"message": the status text}
}

// On returns f restricted to method and the API path pattern.
func (f Fault) On(method, pattern string) Fault {
	f.Method, f.Path = method, pattern
	return f
}

// Repeat returns f applied to n requests.
func (f Fault) Repeat(n int) Fault {
	f.Times = n
	return f
}

// ServerError is a 500 answer.
func ServerError() Fault {
	return Fault{Status: http.StatusInternalServerError, Body: errorBody("Server Error", restDocs)}
}

// NotAccessible is the 403 a token without the permission gets.
func NotAccessible() Fault {
	return Fault{Status: http.StatusForbidden, Body: errorBody(notAccessible, restDocs)}
}

// SecondaryLimit is a 403 secondary rate limit; retryAfter > 0 adds a
// Retry-After header in whole seconds.
func SecondaryLimit(retryAfter time.Duration) Fault {
	return Fault{Status: http.StatusForbidden, Header: retryAfterHeader(retryAfter), Body: errorBody(secondaryText, secondaryDoc)}
}

// TooManyRequests is a 429; retryAfter > 0 adds a Retry-After header.
func TooManyRequests(retryAfter time.Duration) Fault {
	return Fault{Status: http.StatusTooManyRequests, Header: retryAfterHeader(retryAfter), Body: errorBody(secondaryText, secondaryDoc)}
}

// PrimaryLimit is a 403 for an exhausted hourly quota that resets at reset.
func PrimaryLimit(reset time.Time) Fault {
	return Fault{Status: http.StatusForbidden, Header: QuotaHeader(0, reset), Body: errorBody(primaryText, primaryDoc)}
}

// QuotaHeader returns the X-RateLimit-* headers of a 1,000-request quota
// with remaining requests left until reset. With Fault{Header: ...} and
// no Status it decorates a successful answer, such as the last request
// allowed before the limit.
func QuotaHeader(remaining int, reset time.Time) http.Header {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "1000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(1000-remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	return h
}

// retryAfterHeader returns a Retry-After header for d, or none.
func retryAfterHeader(d time.Duration) http.Header {
	h := http.Header{}
	if d > 0 {
		h.Set("Retry-After", strconv.Itoa(int(d/time.Second)))
	}
	return h
}

// Fail registers f; faults apply in the order registered.
func (s *Server) Fail(f Fault) {
	if f.Times < 1 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// applyFault answers req with the first matching fault and reports whether
// it did; a fault without a status only adds its headers. The lock is held.
func (s *Server) applyFault(w http.ResponseWriter, req Request) bool {
	for i, f := range s.faults {
		if f.Method != "" && f.Method != req.Method || !pathMatches(f.Path, req.Path) {
			continue
		}
		if f.Times--; f.Times == 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		for k, v := range f.Header {
			w.Header()[k] = v
		}
		if f.Status == 0 {
			return false
		}
		body := f.Body
		if body == "" {
			body = errorBody(http.StatusText(f.Status), restDocs)
		}
		writeRaw(w, f.Status, []byte(body))
		return true
	}
	return false
}

// pathMatches reports whether the API path matches pattern.
func pathMatches(pattern, p string) bool {
	if pattern == "" {
		return true
	}
	ok, err := path.Match(pattern, p)
	return err == nil && ok
}

// errorBody is GitHub's error JSON.
func errorBody(message, doc string) string {
	b, _ := json.Marshal(map[string]string{"message": message, "documentation_url": doc})
	return string(b)
}

// writeError answers status with GitHub's error JSON.
func writeError(w http.ResponseWriter, status int, message string) {
	writeRaw(w, status, []byte(errorBody(message, restDocs)))
}

// fieldError is one entry of a 422's errors list.
type fieldError struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
}

// writeValidation answers 422 "Validation Failed" for one field.
func writeValidation(w http.ResponseWriter, resource, code, field string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message": validationText, "errors": []fieldError{{resource, code, field}}, "documentation_url": restDocs,
	})
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "ghfake: "+err.Error())
		return
	}
	writeRaw(w, status, b)
}

// writeRaw answers status with a JSON body.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
