package policy

import "time"

// Fetched is a policy response as the policy host served it (RFC 8461
// §3.3). The fetcher enforces the transport rules (HTTPS with a valid
// certificate, no redirects followed, the size cap, the timeouts) and
// reports transport failures as errors; judging the response, such as its
// status and media type, is left to the rules, which turn it into
// diagnostics.
type Fetched struct {
	URL         string    // https://mta-sts.<domain>/.well-known/mta-sts.txt
	Status      int       // HTTP status code
	Location    string    // Location header of a redirect, which is not followed
	ContentType string    // Content-Type header as sent
	Body        []byte    // at most MaxSize bytes
	Truncated   bool      // the body was longer than MaxSize
	CertExpiry  time.Time // NotAfter of the policy host's leaf certificate
}
