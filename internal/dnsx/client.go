package dnsx

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"
)

// Defaults for the zero fields of Options.
const (
	DefaultResolvConf = "/etc/resolv.conf"
	DefaultTimeout    = 5 * time.Second
	DefaultTries      = 2
	DefaultMaxCNAME   = 8
)

// ednsBufSize is the UDP payload size announced with EDNS0 (RFC 6891
// §6.2.5): 1232 bytes avoids IP fragmentation on every common path (the
// value of DNS Flag Day 2020). Larger answers come back truncated and are
// repeated over TCP.
const ednsBufSize = 1232

// Options configures a Client. The zero value asks the first nameserver of
// /etc/resolv.conf with the defaults above.
type Options struct {
	// Server is the resolver's address: "host:port" with an IP address
	// as host, or a bare IP address (port 53). Empty means the first
	// nameserver of ResolvConf.
	Server string
	// ResolvConf is read when Server is empty; default /etc/resolv.conf.
	ResolvConf string
	// Timeout bounds each try of a query; default 5s.
	Timeout time.Duration
	// Tries is how many times a UDP query is sent before giving up on a
	// server that does not answer; default 2.
	Tries int
	// MaxCNAME is the longest CNAME chain followed; default 8.
	MaxCNAME int
}

// Client looks up records through one recursive resolver. It holds no
// connection between queries and is safe for concurrent use.
type Client struct {
	server   string // "ip:port"
	timeout  time.Duration
	tries    int
	maxCNAME int
	dialer   net.Dialer
}

// New returns a Client for opts. It reads the resolv.conf file when
// opts.Server is empty and fails when no usable nameserver is found there.
func New(opts Options) (*Client, error) {
	if opts.Timeout < 0 || opts.Tries < 0 || opts.MaxCNAME < 0 {
		return nil, errors.New("dnsx: timeout, tries and max CNAME must not be negative")
	}
	c := &Client{
		timeout:  cmp.Or(opts.Timeout, DefaultTimeout),
		tries:    cmp.Or(opts.Tries, DefaultTries),
		maxCNAME: cmp.Or(opts.MaxCNAME, DefaultMaxCNAME),
	}
	var err error
	if opts.Server != "" {
		c.server, err = parseServer(opts.Server)
	} else {
		c.server, err = readResolvConf(cmp.Or(opts.ResolvConf, DefaultResolvConf))
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Server returns the address of the resolver the client asks.
func (c *Client) Server() string { return c.server }

// parseServer normalises a resolver address to "ip:port": a bare IPv4 or
// IPv6 address gets port 53. Host names are refused: the resolver's own
// address must not depend on another resolver.
func parseServer(s string) (string, error) {
	bare := s
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		bare = s[1 : len(s)-1]
	}
	if ip, err := netip.ParseAddr(bare); err == nil && validZone(ip.Zone()) {
		return net.JoinHostPort(ip.String(), "53"), nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", fmt.Errorf("dnsx: resolver %q: want an IP address with an optional port", s)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !validZone(ip.Zone()) {
		return "", fmt.Errorf("dnsx: resolver %q: %q is not an IP address", s, host)
	}
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return "", fmt.Errorf("dnsx: resolver %q: bad port %q", s, port)
	}
	return net.JoinHostPort(ip.String(), port), nil
}

// validZone reports whether an IPv6 zone is an interface name or index
// (netip accepts any text after '%', which breaks "host:port" forms).
func validZone(zone string) bool {
	for _, c := range zone {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-", c)) {
			return false
		}
	}
	return true
}

// readResolvConf returns the first usable nameserver of the file at path.
func readResolvConf(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("dnsx: read resolver configuration: %w", err)
	}
	server, ok := parseResolvConf(data)
	if !ok {
		return "", fmt.Errorf("dnsx: no usable nameserver line in %s; set the resolver explicitly", path)
	}
	return server, nil
}

// parseResolvConf returns the address of the first "nameserver" line
// that holds an IP address, as "ip:53" (resolv.conf(5)). Comments start
// with '#' or ';'. Other options (search, ndots, ...) are ignored: names
// are always absolute and one server is asked. The "[addr]:port" form
// some systems write is accepted too.
func parseResolvConf(data []byte) (string, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64*1024)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line, _, _ = strings.Cut(line, ";")
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "nameserver" {
			continue
		}
		if server, err := parseServer(fields[1]); err == nil {
			return server, true
		}
	}
	return "", false
}
