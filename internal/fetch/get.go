package fetch

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// request is one GET.
type request struct {
	url   *url.URL
	port  int
	token string // bearer token, or empty
	limit int64  // body bytes wanted; one more is read to tell a longer body
	// accept, when set, sees the response before its body is read and may
	// refuse it.
	accept func(*http.Response) error
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte            // at most limit+1 bytes
	leaf   *x509.Certificate // the server's certificate
}

// get performs r within the whole-fetch timeout: resolve, connect, send,
// and read at most limit+1 bytes of the body. A non-nil response comes
// back whenever headers arrived, even with an error.
func (c *Client) get(ctx context.Context, r request) (*response, error) {
	cause := &limitError{limit: "fetch timeout", d: c.opts.Timeout}
	ctx, cancel := context.WithTimeoutCause(ctx, c.opts.Timeout, cause)
	defer cancel()
	t, err := c.resolve(ctx, r.url.Hostname(), r.port)
	if err != nil {
		return nil, c.explain(ctx, cause, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.url.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Close = true
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	tr := c.transport(t)
	defer tr.CloseIdleConnections()
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return nil, c.explain(ctx, cause, c.headerTimeout(err))
	}
	defer resp.Body.Close()
	out := &response{status: resp.StatusCode, header: resp.Header}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		out.leaf = resp.TLS.PeerCertificates[0]
	}
	if r.accept != nil {
		if err := r.accept(resp); err != nil {
			return out, err
		}
	}
	out.body, err = readBody(ctx, resp.Body, r.limit+1)
	if err != nil {
		return out, c.explain(ctx, cause, err)
	}
	return out, nil
}

// readBody reads at most n bytes of body, within ctx.
func readBody(ctx context.Context, body io.Reader, n int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(body, n))
	if err == nil && ctx.Err() != nil {
		// Cancelling closes the TLS connection with a close_notify, after
		// which a server may end the body cleanly: the body read by then
		// may be incomplete, so a deadline passed is a failure.
		err = context.Cause(ctx)
	}
	if err != nil {
		return b, fmt.Errorf("read body: %w", err)
	}
	return b, nil
}
