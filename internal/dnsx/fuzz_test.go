package dnsx_test

import (
	"encoding/binary"
	"net"
	"net/netip"
	"testing"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/dnsx"
)

// FuzzParseResolvConf: any file either yields no server or an "ip:port"
// that New accepts unchanged.
func FuzzParseResolvConf(f *testing.F) {
	for _, tc := range resolvConfCases {
		f.Add([]byte(tc.conf))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		server, ok := dnsx.ParseResolvConf(data)
		if !ok {
			return
		}
		host, _, err := net.SplitHostPort(server)
		if err != nil {
			t.Fatalf("server %q: %v", server, err)
		}
		if _, err := netip.ParseAddr(host); err != nil {
			t.Fatalf("server %q: host is not an IP address: %v", server, err)
		}
		c, err := dnsx.New(dnsx.Options{Server: server})
		if err != nil || c.Server() != server {
			t.Fatalf("New(Server: %q) does not keep it: %v", server, err)
		}
	})
}

// FuzzTXTBytes: the bytes of a TXT record on the wire come out of the
// lookup unchanged, whatever miekg/dns escapes in between.
func FuzzTXTBytes(f *testing.F) {
	for _, seed := range []string{"v=STSv1; id=1", "say \"hi\"", `back\slash`, "caf\xc3\xa9", "\x00\x01\t\n\x7f\xff", `\065`, "", "a\\"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4000 {
			return
		}
		var rdata []byte
		for rest := data; ; {
			n := min(len(rest), 255)
			rdata = append(append(rdata, byte(n)), rest[:n]...)
			if rest = rest[n:]; len(rest) == 0 {
				break
			}
		}
		msg := []byte{0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0} // a response with one answer
		msg = append(msg, 0, 0, 16, 0, 1, 0, 0, 0, 60)       // root, TXT, IN, TTL 60
		msg = binary.BigEndian.AppendUint16(msg, uint16(len(rdata)))
		msg = append(msg, rdata...)
		m := new(dns.Msg)
		if err := m.Unpack(msg); err != nil {
			t.Fatalf("unpack: %v", err)
		}
		if got := dnsx.JoinTXT(m.Answer[0].(*dns.TXT).Txt); got != string(data) {
			t.Fatalf("JoinTXT = %q, want %q", got, data)
		}
	})
}

// FuzzAnswer: no answer from a server, however broken, makes the
// checks or the CNAME walk panic or return records of another type.
func FuzzAnswer(f *testing.F) {
	for _, m := range answerSeeds() {
		wire, err := m.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(wire)
	}
	f.Add([]byte{0xde, 0xad, 0xbe, 0xef})
	f.Add([]byte{0, 7, 0x80, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, raw []byte) {
		rrs, err := dnsx.Answer(raw, 7, "a.example.", dns.TypeTXT)
		if err != nil {
			return
		}
		for _, rr := range rrs {
			if rr.Header().Rrtype != dns.TypeTXT {
				t.Fatalf("record %v is not a TXT record", rr)
			}
		}
	})
}

// answerSeeds are answers to a TXT query for a.example. with id 7.
func answerSeeds() []*dns.Msg {
	reply := func(rcode int, rrs ...string) *dns.Msg {
		req := new(dns.Msg)
		req.SetQuestion("a.example.", dns.TypeTXT)
		req.Id = 7
		m := new(dns.Msg)
		m.SetRcode(req, rcode)
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				panic(err)
			}
			m.Answer = append(m.Answer, rr)
		}
		return m
	}
	return []*dns.Msg{
		reply(dns.RcodeSuccess, `a.example. TXT "v=STSv1; id=1"`),
		reply(dns.RcodeSuccess, "a.example. CNAME b.example.", `b.example. TXT "x" "y"`),
		reply(dns.RcodeSuccess, "a.example. CNAME b.example.", "b.example. CNAME a.example."),
		reply(dns.RcodeNameError, "a.example. CNAME b.example."),
		reply(dns.RcodeSuccess),
		reply(dns.RcodeServerFailure),
	}
}
