package dnsx_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/dnsx"
)

// resolvConfCases are resolv.conf files and the server taken from them
// ("" = New fails). The fuzz test uses them as seeds.
var resolvConfCases = []struct {
	name, conf, want string
}{
	{"ipv4", "nameserver 192.0.2.53\n", "192.0.2.53:53"},
	{"first of several", "nameserver 192.0.2.1\nnameserver 192.0.2.2\n", "192.0.2.1:53"},
	{"ipv6", "# generated\nsearch example.com corp.example\noptions ndots:5\nnameserver 2001:db8::53\nnameserver 192.0.2.1\n", "[2001:db8::53]:53"},
	{"ipv6 loopback", "nameserver ::1", "[::1]:53"},
	{"ipv6 with zone", "nameserver fe80::1%eth0\n", "[fe80::1%eth0]:53"},
	{"ipv4-mapped ipv6", "nameserver ::ffff:192.0.2.7\n", "[::ffff:192.0.2.7]:53"},
	{"bracketed with port", "nameserver [2001:db8::1]:5353\n", "[2001:db8::1]:5353"},
	{"comments", "; comment\n# nameserver 192.0.2.9\nnameserver 192.0.2.3 # trailing\n", "192.0.2.3:53"},
	{"semicolon comment", "nameserver 192.0.2.4;comment\n", "192.0.2.4:53"},
	{"tabs and spaces", "\t nameserver\t192.0.2.5  \r\n", "192.0.2.5:53"},
	{"bad entries skipped", "nameserver dns.example\nnameserver\nnameserver 999.1.1.1\nnameserver 192.0.2.6\n", "192.0.2.6:53"},
	{"keyword case", "NAMESERVER 192.0.2.8\nnameserver 192.0.2.9\n", "192.0.2.9:53"},
	{"empty", "", ""},
	{"no nameserver", "search example.com\noptions edns0\n", ""},
	{"only bad entries", "nameserver localhost\n", ""},
}

func TestResolvConf(t *testing.T) {
	t.Parallel()
	for _, tc := range resolvConfCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "resolv.conf")
			if err := os.WriteFile(path, []byte(tc.conf), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := dnsx.New(dnsx.Options{ResolvConf: path})
			if tc.want == "" {
				if err == nil {
					t.Fatalf("New with %q: server %q, want an error", tc.conf, c.Server())
				}
				if !strings.Contains(err.Error(), path) {
					t.Errorf("New: error %q does not name %s", err, path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Server(); got != tc.want {
				t.Errorf("New with %q: server %q, want %q", tc.conf, got, tc.want)
			}
		})
	}
}

func TestResolvConfMissing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nonexistent")
	if c, err := dnsx.New(dnsx.Options{ResolvConf: path}); err == nil {
		t.Errorf("New: server %q, want an error for a missing %s", c.Server(), path)
	}
}

func TestServerOption(t *testing.T) {
	t.Parallel()
	tests := []struct{ server, want string }{
		{"192.0.2.1", "192.0.2.1:53"},
		{"192.0.2.1:5353", "192.0.2.1:5353"},
		{"::1", "[::1]:53"},
		{"[::1]", "[::1]:53"},
		{"[2001:db8::1]:53", "[2001:db8::1]:53"},
		{"[2001:DB8:0::1]:53", "[2001:db8::1]:53"},
		{"dns.example:53", ""},
		{"dns.example", ""},
		{"192.0.2.1:0", ""},
		{"192.0.2.1:port", ""},
		{"192.0.2.1:70000", ""},
		{"2001:db8::1:53:x", ""},
		{"[192.0.2.1", ""},
	}
	for _, tc := range tests {
		c, err := dnsx.New(dnsx.Options{Server: tc.server, ResolvConf: "/nonexistent"})
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("New(Server: %q): server %q, want an error", tc.server, c.Server())
		case tc.want != "" && err != nil:
			t.Errorf("New(Server: %q): %v", tc.server, err)
		case tc.want != "" && c.Server() != tc.want:
			t.Errorf("New(Server: %q): server %q, want %q", tc.server, c.Server(), tc.want)
		}
	}
}

func TestNegativeOptions(t *testing.T) {
	t.Parallel()
	for _, opts := range []dnsx.Options{
		{Server: "192.0.2.1", Timeout: -time.Second},
		{Server: "192.0.2.1", Tries: -1},
		{Server: "192.0.2.1", MaxCNAME: -1},
	} {
		if _, err := dnsx.New(opts); err == nil {
			t.Errorf("New(%+v): no error", opts)
		}
	}
}
