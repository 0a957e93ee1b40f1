package dnsx_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/dnsx"
	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
)

func TestLookupTLSA(t *testing.T) {
	s := dnstest.New(t,
		"example.com. SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300",
		"_25._tcp.mx1.example.com. TLSA 3 1 1 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20",
		"_25._tcp.mx1.example.com. TLSA 2 0 1 A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBFC0",
		// RFC 7672 §2.2.3: the TLSA base domain may be an alias.
		"_25._tcp.mx2.example.com. CNAME _25._tcp.mx1.example.com.",
		"mx3.example.com. A 192.0.2.3",
	)
	s.Secure("_25._tcp.mx1.example.com")
	c := newClient(t, s, dnsx.Options{})
	want := []dnsx.TLSA{
		{3, 1, 1, seq(0x01, 32)},
		{2, 0, 1, seq(0xa1, 32)},
	}
	for _, tc := range []struct {
		name   string
		secure bool
	}{
		{"_25._tcp.mx1.example.com", true},
		// The alias's answer has no AD bit: the chain is not proven.
		{"_25._tcp.mx2.example.com.", false},
	} {
		got, err := c.LookupTLSA(context.Background(), tc.name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := cmp.Diff(dnsx.TLSAAnswer{Records: want, Secure: tc.secure}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	_, err := c.LookupTLSA(context.Background(), "_25._tcp.mx3.example.com")
	if !dnsx.IsNotFound(err) {
		t.Errorf("no TLSA record: got %v, want a not-found error", err)
	}
	s.ServFail("_25._tcp.mx4.example.com")
	if _, err := c.LookupTLSA(context.Background(), "_25._tcp.mx4.example.com"); !dnsx.CouldNotCheck(err) {
		t.Errorf("SERVFAIL: got %v, want a could-not-check error", err)
	}
}

// seq returns n bytes counting up from first.
func seq(first byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = first + byte(i)
	}
	return b
}
