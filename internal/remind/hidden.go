package remind

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// The hidden lines of an issue body. GitHub does not render HTML comments,
// and the issue list API returns the body verbatim, so stsgate finds its
// issue by label and marker, never by title or search (github-actions.md
// §0.6: the search API lags and does not index HTML comments).
const (
	markerPrefix = "<!-- stsgate:domain="
	statePrefix  = "<!-- stsgate:state "
	commentEnd   = " -->"
)

// stateVersion is the version of the hidden state's JSON.
const stateVersion = 1

// maxStateJSON bounds the hidden JSON that ParseState reads.
const maxStateJSON = 1024

// Hidden is the machine-readable state kept in a second hidden comment of
// the issue body, so that reruns keep what was fixed when the state was
// first entered.
type Hidden struct {
	Version int       `json:"v"`
	State   Kind      `json:"state"`
	Since   time.Time `json:"since"`            // when the domain entered State
	NewID   string    `json:"new_id,omitempty"` // the suggested new _mta-sts id
	// History caches the testing-since read from the policy's commit
	// history, so that a later run need not read it again (see
	// applier.testingSince).
	History *HistoryCache `json:"history,omitempty"`
}

// HistoryCache is what one run learnt from a policy's commit history.
type HistoryCache struct {
	Since   time.Time `json:"since"`              // the testing-since it gave
	AtLeast bool      `json:"at_least,omitempty"` // the history was cut at its bound
	ETag    string    `json:"etag,omitempty"`     // of the commit list, for a conditional request
	Read    time.Time `json:"read"`               // when it was read
}

// maxETag bounds a cached ETag; GitHub's are W/"<64 hex>".
const maxETag = 100

// valid reports a usable cache.
func (c *HistoryCache) valid() bool {
	return c != nil && !c.Since.IsZero() && !c.Read.IsZero() && len(c.ETag) <= maxETag
}

// since is the cached answer.
func (c *HistoryCache) since() Since {
	return Since{Time: c.Since.UTC(), Source: SinceCommits, AtLeast: c.AtLeast}
}

// Marker returns the hidden line that identifies the issue of domain:
// <!-- stsgate:domain=example.com -->. Bytes outside [a-z0-9._-] are
// percent-escaped so that no domain can end the comment early.
func Marker(domain string) string {
	var b strings.Builder
	b.WriteString(markerPrefix)
	for _, c := range []byte(normalizeDomain(domain)) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	b.WriteString(commentEnd)
	return b.String()
}

// HasMarker reports whether body has domain's marker on a line of its own.
func HasMarker(body, domain string) bool {
	m := Marker(domain)
	for line := range strings.Lines(body) {
		if strings.TrimRight(line, "\r\n") == m {
			return true
		}
	}
	return false
}

// stateLine renders h as the hidden state line.
func stateLine(h Hidden) string {
	h.Version = stateVersion
	h.Since = h.Since.UTC().Truncate(time.Second)
	// json.Marshal escapes <, > and &, so the JSON cannot close the
	// comment.
	b, err := json.Marshal(h)
	if err != nil { // only a year outside 0..9999 fails
		h.Since = time.Time{}
		b, _ = json.Marshal(h)
	}
	return statePrefix + string(b) + commentEnd
}

// ParseState reads the hidden state of an issue body. It reports false
// when there is none or it is not stsgate's version-1 JSON with a known
// state; an invalid suggested id is dropped.
func ParseState(body string) (Hidden, bool) {
	for line := range strings.Lines(body) {
		line = strings.TrimRight(line, "\r\n")
		rest, ok := strings.CutPrefix(line, statePrefix)
		if !ok {
			continue
		}
		raw, ok := strings.CutSuffix(rest, commentEnd)
		if !ok || len(raw) > maxStateJSON {
			return Hidden{}, false
		}
		return decodeState(raw)
	}
	return Hidden{}, false
}

// decodeState decodes and validates the hidden JSON.
func decodeState(raw string) (Hidden, bool) {
	var h Hidden
	if err := json.Unmarshal([]byte(raw), &h); err != nil {
		return Hidden{}, false
	}
	if h.Version != stateVersion || !h.State.valid() {
		return Hidden{}, false
	}
	h.Since = h.Since.UTC().Truncate(time.Second)
	if !validID(h.NewID) {
		h.NewID = ""
	}
	if !h.History.valid() {
		h.History = nil
	} else {
		h.History.Since = h.History.Since.UTC().Truncate(time.Second)
		h.History.Read = h.History.Read.UTC().Truncate(time.Second)
	}
	return h, true
}

// validID reports an _mta-sts id: 1 to 32 alphanumerics (RFC 8461 §3.1).
func validID(id string) bool {
	if id == "" || len(id) > 32 {
		return false
	}
	for _, c := range []byte(id) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// idLayout formats a suggested id from a time, such as 20261128T103000:
// valid (alphanumerics only) and sortable, as the guides recommend.
const idLayout = "20060102T150405"

// newIDAt returns the id suggested at now.
func newIDAt(now time.Time) string { return now.UTC().Format(idLayout) }
