package ghfake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// conditionalWriter holds a GET answer back to give it an ETag, as GitHub
// does, and to answer a conditional request whose If-None-Match names
// that ETag with 304 Not Modified and no body (GitHub's "Use conditional
// requests if appropriate": a 304 does not count against the rate limit).
type conditionalWriter struct {
	http.ResponseWriter
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *conditionalWriter) Header() http.Header { return c.header }

func (c *conditionalWriter) WriteHeader(code int) { c.status = code }

func (c *conditionalWriter) Write(b []byte) (int, error) { return c.body.Write(b) }

// finish sends the answer held back: 200 with its ETag, or 304 when
// ifNoneMatch names that ETag.
func (c *conditionalWriter) finish(ifNoneMatch string) {
	dst := c.ResponseWriter.Header()
	for k, v := range c.header {
		dst[k] = v
	}
	if c.status != http.StatusOK {
		c.ResponseWriter.WriteHeader(c.status)
		_, _ = c.ResponseWriter.Write(c.body.Bytes())
		return
	}
	sum := sha256.Sum256(c.body.Bytes())
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	dst.Set("ETag", etag)
	if matchesETag(ifNoneMatch, etag) {
		dst.Del("Content-Type")
		c.ResponseWriter.WriteHeader(http.StatusNotModified)
		return
	}
	c.ResponseWriter.WriteHeader(http.StatusOK)
	_, _ = c.ResponseWriter.Write(c.body.Bytes())
}

// matchesETag reports whether an If-None-Match header names etag; weak
// and strong forms match, as for GET (RFC 9110 §13.1.2).
func matchesETag(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}
