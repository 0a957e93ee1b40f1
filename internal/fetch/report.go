package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Report fetches a TLS-RPT report (or an archive of them) that a collector
// publishes at an https:// URL. token, when not empty, is sent as
// "Authorization: Bearer <token>"; it never appears in an error.
//
// Only https:// URLs are fetched: anything else is refused before any I/O.
// The host is resolved through the Resolver and dialled on the URL's port,
// else Options.Port. A redirect is refused, as is any status other than
// 2xx, each with an error naming the status, and a body larger than
// MaxReport ("report larger than N bytes"). The timeouts are Policy's.
func (c *Client) Report(ctx context.Context, rawURL, token string) ([]byte, error) {
	u, port, err := c.reportURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("report fetch: %w", err)
	}
	shown := displayURL(u)
	if strings.ContainsFunc(token, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, fmt.Errorf("report fetch %s: the bearer token contains control characters", shown)
	}
	r, err := c.get(ctx, request{url: u, port: port, token: token, limit: c.opts.MaxReport, accept: c.acceptReport})
	if err != nil {
		return nil, fmt.Errorf("report fetch %s: %w", shown, err)
	}
	if int64(len(r.body)) > c.opts.MaxReport {
		return nil, fmt.Errorf("report fetch %s: %w", shown, c.tooLarge())
	}
	return r.body, nil
}

// acceptReport refuses redirects, other statuses than 2xx and a declared
// length over the cap, before any of the body is read.
func (c *Client) acceptReport(resp *http.Response) error {
	switch code := resp.StatusCode; {
	case code >= 300 && code < 400:
		to := ""
		if loc, err := resp.Location(); err == nil {
			to = " to " + displayURL(loc)
		}
		return fmt.Errorf("redirect refused: the server answered %s%s", resp.Status, to)
	case code < 200 || code >= 300:
		return fmt.Errorf("the server answered %s", resp.Status)
	case resp.ContentLength > c.opts.MaxReport:
		return c.tooLarge()
	}
	return nil
}

func (c *Client) tooLarge() error {
	return fmt.Errorf("report larger than %d bytes", c.opts.MaxReport)
}

// reportURL parses rawURL and returns it with the port to dial.
func (c *Client) reportURL(rawURL string) (*url.URL, int, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, 0, errors.New("the report URL does not parse")
	}
	switch {
	case u.Scheme != "https":
		return nil, 0, fmt.Errorf("only https:// report URLs are fetched, not %s", displayURL(u))
	case u.Host == "" || u.Hostname() == "":
		return nil, 0, fmt.Errorf("the report URL %s names no host", displayURL(u))
	case u.User != nil:
		return nil, 0, fmt.Errorf("the report URL %s carries credentials; pass a bearer token instead", displayURL(u))
	}
	port := c.opts.Port
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, 0, fmt.Errorf("the report URL %s has an invalid port", displayURL(u))
		}
		port = n
	}
	return u, port, nil
}

// displayURL is u for error messages: without credentials, and with the
// query elided, since signed URLs carry secrets there.
func displayURL(u *url.URL) string {
	v := *u
	v.User = nil
	v.Fragment, v.RawFragment = "", ""
	if v.RawQuery != "" || v.ForceQuery {
		v.RawQuery, v.ForceQuery = "", false
		return v.String() + "?…"
	}
	return v.String()
}
