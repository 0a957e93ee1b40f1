package imapsource

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Security is how a source protects its connection. Plaintext is not one
// of the choices: credentials never cross the network unencrypted.
type Security int

const (
	// ImplicitTLS is imaps://: TLS from the first byte (RFC 8314 §3.3).
	ImplicitTLS Security = iota
	// StartTLS is imap://: the session must be upgraded with STARTTLS
	// before anything else is sent (RFC 3501 §6.2.1); a server that does
	// not offer it is refused.
	StartTLS
)

// Default ports (RFC 8314 §7.3 for imaps, RFC 3501 §2.1 for imap).
const (
	defaultTLSPort      = 993
	defaultStartTLSPort = 143
)

// URL is a parsed IMAP report source: imaps://user@host[:port]/Mailbox.
type URL struct {
	Security Security
	User     string
	Host     string
	Port     int
	Mailbox  string
}

// String returns the URL in the form ParseURL accepts, with the port only
// when it is not the default. It never holds a secret: URLs have none.
func (u URL) String() string {
	scheme, port := "imaps", defaultTLSPort
	if u.Security == StartTLS {
		scheme, port = "imap", defaultStartTLSPort
	}
	host := u.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if u.Port != port {
		host += ":" + strconv.Itoa(u.Port)
	}
	user := (&url.URL{User: url.User(u.User)}).User.String()
	return scheme + "://" + user + "@" + host + "/" + (&url.URL{Path: u.Mailbox}).EscapedPath()
}

// addr returns host:port for dialling.
func (u URL) addr() string { return net.JoinHostPort(u.Host, strconv.Itoa(u.Port)) }

// ParseURL parses an IMAP report source. The user is required, the
// mailbox defaults to INBOX, the port to 993 (imaps) or 143 (imap, which
// means STARTTLS is required). A password in the URL, a query or a
// fragment is refused: secrets come from the environment, never from the
// configuration.
func ParseURL(s string) (URL, error) {
	p, err := url.Parse(s)
	if err != nil {
		return URL{}, fmt.Errorf("imap source %q: %w", redactURL(s), errors.Unwrap(err))
	}
	u := URL{Mailbox: "INBOX"}
	switch strings.ToLower(p.Scheme) {
	case "imaps":
		u.Security, u.Port = ImplicitTLS, defaultTLSPort
	case "imap":
		u.Security, u.Port = StartTLS, defaultStartTLSPort
	default:
		return URL{}, fmt.Errorf("imap source %q: scheme %q is not imaps:// or imap:// (with STARTTLS): write imaps://user@host/Mailbox", redactURL(s), p.Scheme)
	}
	if err := checkParts(p); err != nil {
		return URL{}, fmt.Errorf("imap source %q: %w", redactURL(s), err)
	}
	u.User, u.Host = p.User.Username(), p.Hostname()
	if !validHost(u.Host) {
		return URL{}, fmt.Errorf("imap source %q: host %q is not a host name or an IP address", redactURL(s), u.Host)
	}
	if port := p.Port(); port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return URL{}, fmt.Errorf("imap source %q: port %q is not a number from 1 to 65535", redactURL(s), port)
		}
		u.Port = n
	}
	if mbox := strings.TrimPrefix(p.Path, "/"); mbox != "" {
		u.Mailbox = mbox
	}
	return u, nil
}

// checkParts refuses what an IMAP source URL must not have, and requires
// the user and the host.
func checkParts(p *url.URL) error {
	switch {
	case p.Opaque != "":
		return errors.New("write the host after //: imaps://user@host/Mailbox")
	case p.User == nil || p.User.Username() == "":
		return errors.New("no user: write imaps://user@host/Mailbox")
	case hasPassword(p):
		return errors.New("a password in the URL is refused: put it in the environment variable named by imap_password_env")
	case p.Hostname() == "":
		return errors.New("no host: write imaps://user@host/Mailbox")
	case p.RawQuery != "" || p.ForceQuery:
		return errors.New("a query (?...) is not part of an IMAP source; name the mailbox in the path")
	case p.Fragment != "":
		return errors.New("a fragment (#...) is not part of an IMAP source")
	}
	return nil
}

// validHost accepts an IP address or a name of letters, digits, '-' and
// '.' (RFC 1123 §2.1; IDNs in their A-label form).
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || strings.HasPrefix(h, ".") || strings.HasPrefix(h, "-") {
		return false
	}
	return strings.Trim(strings.ToLower(h), "abcdefghijklmnopqrstuvwxyz0123456789-.") == ""
}

func hasPassword(p *url.URL) bool {
	_, ok := p.User.Password()
	return ok
}

// redactURL shortens s so that an error can quote it without a password:
// whatever comes before the last "@" (the user info, where a password
// could be) is left out.
func redactURL(s string) string {
	j := strings.LastIndex(s, "@")
	if j < 0 {
		return s
	}
	prefix := ""
	if i := strings.Index(s, "://"); i >= 0 && i < strings.Index(s, "@") {
		prefix = s[:i+3]
	}
	return prefix + "…" + s[j:]
}
