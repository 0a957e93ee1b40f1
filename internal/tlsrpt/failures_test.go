package tlsrpt

import (
	"net/netip"
	"testing"
)

func TestNameTableKeys(t *testing.T) {
	t.Parallel()
	names := newNameTable()
	keys := []failureKey{
		{},
		{resultType: "validation-failure", org: "Google Inc.", sendingIP: netip.MustParseAddr("192.0.2.1"), mx: "mx1.example.com"},
		{resultType: "validation-failure", org: "Google Inc.", sendingIP: netip.MustParseAddr("::ffff:192.0.2.1"), mx: "mx1.example.com"},
		{resultType: "starttls-not-supported", org: "Microsoft", sendingIP: netip.MustParseAddr("2001:db8::1"), mx: "mx2.example.com"},
		{resultType: "starttls-not-supported", org: "Microsoft", sendingIP: netip.MustParseAddr("fe80::1%eth0")},
		{resultType: "no-policy-found", org: "Google Inc."},
	}
	// More names than the recent ones it compares first.
	for i := range 20 {
		keys = append(keys, failureKey{resultType: "x", org: string(rune('a' + i))})
	}
	ids := map[failureID]bool{}
	for _, k := range keys {
		id := names.failureID(k)
		if ids[id] {
			t.Errorf("%+v: id %+v given to another key too", k, id)
		}
		ids[id] = true
		if got := names.key(id); got != k {
			t.Errorf("key(failureID(%+v)) = %+v", k, got)
		}
		if again := names.failureID(k); again != id {
			t.Errorf("%+v: id %+v, then %+v", k, id, again)
		}
	}
}

func TestNameTableRenumber(t *testing.T) {
	t.Parallel()
	a, b := newNameTable(), newNameTable()
	k1 := failureKey{resultType: "validation-failure", org: "Google Inc.", mx: "mx1.example.com"}
	k2 := failureKey{resultType: "certificate-expired", org: "Microsoft", sendingIP: netip.MustParseAddr("fe80::1%eth0")}
	a.failureID(k1)
	ids := []failureID{b.failureID(k2), b.failureID(k1)}
	names := a.renumber(&b)
	for _, id := range ids {
		want := b.key(id)
		id.names = names[id.names]
		if got := a.key(id); got != want {
			t.Errorf("renumbered key %+v, want %+v", got, want)
		}
	}
}
