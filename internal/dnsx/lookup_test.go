package dnsx_test

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
)

// testZone serves the records most tests share.
func testZone(t testing.TB) *dnstest.Server {
	t.Helper()
	s := dnstest.New(t,
		"example.com. SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300",
		// RFC 8461 §3.1: a record split into strings is read joined.
		`_mta-sts.example.com. TXT "v=STSv1; id=" "20240101T000000;"`,
		`_smtp._tls.example.com. TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.net"`,
		`multi.example.com. TXT "v=STSv1; id=1"`,
		`multi.example.com. TXT "google-site-verification=abc"`,
		`escaped.example.com. TXT "say \"hi\" back\\slash caf\195\169" "\009tab"`,
		"example.com. MX 20 MX2.example.com.",
		"example.com. MX 10 mx1.example.com.",
		"example.com. MX 10 mx0.example.com.",
		"null.example. MX 0 .",
		// Reference T17: _mta-sts delegated to a provider.
		"_mta-sts.delegated.example. CNAME _mta-sts.provider.example.",
		`_mta-sts.provider.example. TXT "v=STSv1; id=provider1"`,
		"delegated.example. MX 10 mail.delegated.example.",
		"mta-sts.example.com. CNAME pages.example.net.",
		"pages.example.net. A 192.0.2.10",
		"pages.example.net. AAAA 2001:db8::10",
		"v4only.example. A 192.0.2.1",
		"v6only.example. AAAA 2001:db8::1",
		"loop-a.example. CNAME loop-b.example.",
		"loop-b.example. CNAME loop-a.example.",
		"self.example. CNAME SELF.example.",
		"dangling.example. CNAME missing.example.",
	)
	// chain0 -> chain1 -> ... -> chain20, which has the records.
	for i := range 20 {
		s.Add(t, fmt.Sprintf("chain%d.example. CNAME chain%d.example.", i, i+1))
	}
	s.Add(t, `chain20.example. TXT "end"`)
	return s
}

// newClient returns a client for s with short timeouts.
func newClient(t testing.TB, s *dnstest.Server, opts dnsx.Options) *dnsx.Client {
	t.Helper()
	opts.Server = s.Addr
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	c, err := dnsx.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestLookupTXT(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	c := newClient(t, s, dnsx.Options{})
	tests := []struct {
		name string
		want []string
	}{
		{"_mta-sts.example.com", []string{"v=STSv1; id=20240101T000000;"}},
		{"_mta-sts.example.com.", []string{"v=STSv1; id=20240101T000000;"}},
		{"_MTA-STS.Example.COM", []string{"v=STSv1; id=20240101T000000;"}},
		{"_smtp._tls.example.com", []string{"v=TLSRPTv1; rua=mailto:tlsrpt@example.net"}},
		{"multi.example.com", []string{"v=STSv1; id=1", "google-site-verification=abc"}},
		{"escaped.example.com", []string{"say \"hi\" back\\slash café\ttab"}},
		{"_mta-sts.delegated.example", []string{"v=STSv1; id=provider1"}},
		{"chain13.example", []string{"end"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.LookupTXT(t.Context(), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("LookupTXT(%q) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

// TestLookupTXTNoChase: a server that answers with the alias only makes
// the client ask for the target (reference T17 through a resolver that
// does not chase).
func TestLookupTXTNoChase(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	s.NoChase("")
	c := newClient(t, s, dnsx.Options{})
	got, err := c.LookupTXT(t.Context(), "_mta-sts.delegated.example")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v=STSv1; id=provider1"}, got); diff != "" {
		t.Errorf("LookupTXT mismatch (-want +got):\n%s", diff)
	}
	got, err = c.LookupTXT(t.Context(), "chain13.example") // 7 links
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"end"}, got); diff != "" {
		t.Errorf("LookupTXT mismatch (-want +got):\n%s", diff)
	}
	for _, name := range []string{"_mta-sts.provider.example", "chain14.example", "chain20.example"} {
		if n := s.Count(name); n != 1 {
			t.Errorf("server saw %d queries for %s, want 1", n, name)
		}
	}
}

// TestLookupTXTLarge: an RRset of about 64 KiB comes back truncated over
// UDP and whole over TCP.
func TestLookupTXTLarge(t *testing.T) {
	t.Parallel()
	s := dnstest.New(t)
	strs := make([]string, 255) // 255 strings of 255 bytes: the largest TXT rdata
	for i := range strs {
		strs[i] = strings.Repeat(string(rune('a'+i%26)), 255)
	}
	s.AddRR(&dns.TXT{Hdr: dns.RR_Header{Name: "big.example.", Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 300}, Txt: strs})
	c := newClient(t, s, dnsx.Options{})
	got, err := c.LookupTXT(t.Context(), "big.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != strings.Join(strs, "") {
		t.Errorf("LookupTXT: got %d records, lengths %v; want one of %d bytes", len(got), lengths(got), 255*255)
	}
	if n := s.CountTCP("big.example"); n != 1 {
		t.Errorf("server saw %d TCP queries, want 1", n)
	}
}

func lengths(ss []string) []int {
	var n []int
	for _, s := range ss {
		n = append(n, len(s))
	}
	return n
}

// TestOversizeUDPRetriesOverTCP: a UDP answer larger than the client's
// read buffer (from a server ignoring the EDNS0 size) is cut by the read
// and asked again over TCP rather than taken as malformed.
func TestOversizeUDPRetriesOverTCP(t *testing.T) {
	t.Parallel()
	s := dnstest.New(t)
	strs := make([]string, 24) // about 6 KB: one datagram, over the 4 KiB buffer
	for i := range strs {
		strs[i] = strings.Repeat(string(rune('a'+i)), 255)
	}
	want := strings.Join(strs, "")
	s.AddRR(&dns.TXT{Hdr: dns.RR_Header{Name: "big.example.", Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 300}, Txt: strs})
	s.Oversize("")
	c := newClient(t, s, dnsx.Options{})
	got, err := c.LookupTXT(t.Context(), "big.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("LookupTXT: got records of lengths %v, want one of %d bytes", lengths(got), len(want))
	}
	if n := s.CountTCP("big.example"); n != 1 {
		t.Errorf("server saw %d TCP queries, want 1", n)
	}
}

// TestTruncatedRetriesOverTCP: an answer with the TC bit is asked again
// over TCP, once.
func TestTruncatedRetriesOverTCP(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	s.Truncate("multi.example.com")
	c := newClient(t, s, dnsx.Options{})
	got, err := c.LookupTXT(t.Context(), "multi.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"v=STSv1; id=1", "google-site-verification=abc"}, got); diff != "" {
		t.Errorf("LookupTXT mismatch (-want +got):\n%s", diff)
	}
	if udp, tcp := s.Count("multi.example.com")-s.CountTCP("multi.example.com"), s.CountTCP("multi.example.com"); udp != 1 || tcp != 1 {
		t.Errorf("server saw %d UDP and %d TCP queries, want 1 and 1", udp, tcp)
	}
}

func TestLookupMX(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	c := newClient(t, s, dnsx.Options{})
	tests := []struct {
		name string
		want []*net.MX
	}{
		{"example.com", []*net.MX{{Host: "mx0.example.com.", Pref: 10}, {Host: "mx1.example.com.", Pref: 10}, {Host: "MX2.example.com.", Pref: 20}}},
		{"null.example", []*net.MX{{Host: ".", Pref: 0}}}, // RFC 7505 null MX
		{"delegated.example.", []*net.MX{{Host: "mail.delegated.example.", Pref: 10}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.LookupMX(t.Context(), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("LookupMX(%q) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func TestLookupHost(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	c := newClient(t, s, dnsx.Options{})
	tests := []struct {
		name string
		want []netip.Addr
	}{
		{"mta-sts.example.com", addrs("192.0.2.10", "2001:db8::10")}, // through a CNAME
		{"pages.example.net", addrs("192.0.2.10", "2001:db8::10")},
		{"v4only.example", addrs("192.0.2.1")},
		{"v6only.example", addrs("2001:db8::1")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.LookupHost(t.Context(), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("LookupHost(%q) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}

func addrs(ss ...string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		out = append(out, netip.MustParseAddr(s))
	}
	return out
}

func TestLookupCNAME(t *testing.T) {
	t.Parallel()
	s := testZone(t)
	c := newClient(t, s, dnsx.Options{})
	tests := []struct {
		name string
		want []string
	}{
		{"_mta-sts.delegated.example", []string{"_mta-sts.provider.example."}},
		{"_mta-sts.example.com", nil},                      // not an alias
		{"example.com", nil},                               // not an alias
		{"dangling.example", []string{"missing.example."}}, // the target does not exist
		{"chain15.example", []string{"chain16.example.", "chain17.example.", "chain18.example.", "chain19.example.", "chain20.example."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := c.LookupCNAME(t.Context(), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("LookupCNAME(%q) mismatch (-want +got):\n%s", tc.name, diff)
			}
		})
	}
}
