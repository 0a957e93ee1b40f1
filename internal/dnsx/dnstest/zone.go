package dnstest

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// maxChase bounds the CNAME chain the server follows within one answer.
const maxChase = 16

// Add adds records in zone-file text, as dns.NewRR reads them; relative
// names are taken as absolute. It fails the test on a record it cannot
// read.
func (s *Server) Add(t testing.TB, records ...string) {
	t.Helper()
	for _, text := range records {
		rr, err := dns.NewRR(text)
		if err != nil {
			t.Fatalf("dnstest: record %q: %v", text, err)
		}
		if rr == nil {
			t.Fatalf("dnstest: no record in %q", text)
		}
		s.AddRR(rr)
	}
}

// AddRR adds records. They must not be changed afterwards.
func (s *Server) AddRR(rrs ...dns.RR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rr := range rrs {
		owner := key(rr.Header().Name)
		s.records[owner] = append(s.records[owner], rr)
		// The owner's ancestors exist too, as empty non-terminals
		// (RFC 8020): NODATA there, not NXDOMAIN.
		for name := owner; !s.names[name]; name = parent(name) {
			s.names[name] = true
		}
	}
}

func parent(name string) string {
	if name == "." {
		return "."
	}
	_, rest, _ := strings.Cut(name, ".")
	if rest == "" {
		return "."
	}
	return rest
}

// handle answers one query according to the rule for its name.
func (s *Server) handle(raw []byte, tcp bool, write func([]byte)) {
	req := new(dns.Msg)
	if err := req.Unpack(raw); err != nil || req.Response || len(req.Question) != 1 {
		return // not a query: ignored
	}
	r := s.arrive(req.Question[0].Name, tcp)
	if !s.wait(r.delay) {
		return
	}
	switch r.action {
	case drop:
		return
	case garbage:
		write([]byte(garbageText))
		return
	}
	resp := s.respond(req, r, tcp)
	wire, err := resp.Pack()
	if err != nil {
		// A record the test added cannot be sent: say so, and fail the
		// query rather than let the client wait for a timeout.
		s.t.Errorf("dnstest: cannot pack the answer to %v: %v", req.Question[0], err)
		resp = new(dns.Msg).SetRcode(req, dns.RcodeServerFailure)
		if wire, err = resp.Pack(); err != nil {
			return
		}
	}
	write(wire)
}

// respond builds the answer to req: an error code, or the records, cut to
// fit the client's UDP size.
func (s *Server) respond(req *dns.Msg, r rule, tcp bool) *dns.Msg {
	resp := new(dns.Msg)
	resp.SetReply(req)
	resp.Authoritative = true
	resp.AuthenticatedData = r.secure
	switch r.action {
	case servFail:
		resp.Rcode = dns.RcodeServerFailure
	case refused:
		resp.Rcode = dns.RcodeRefused
		resp.Authoritative = false
	default:
		s.answer(resp, req.Question[0], r.noChase)
	}
	if r.action == wrongID {
		resp.Id++
	}
	size := dns.MinMsgSize
	if opt := req.IsEdns0(); opt != nil {
		size = max(size, int(opt.UDPSize()))
		resp.SetEdns0(opt.UDPSize(), false)
	}
	switch {
	case tcp, r.oversize:
	case r.truncate:
		resp.Truncated = true
		resp.Answer, resp.Ns = nil, nil
	case resp.Len() > size:
		resp.Truncate(size)
	}
	return resp
}

// answer fills resp for q as an authoritative server does: the records
// of the type, or the CNAME chain towards them, chased within the zone
// (RFC 1034 §4.3.2); NXDOMAIN when the last name does not exist (RFC 6604
// §3), NODATA when it has no record of the type, with the SOA of the
// enclosing zone, if any, in the authority section.
func (s *Server) answer(resp *dns.Msg, q dns.Question, noChase bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := key(q.Name)
	seen := map[string]bool{}
	for range maxChase {
		seen[name] = true
		if !s.names[name] {
			resp.Rcode = dns.RcodeNameError
			break
		}
		if rrs := ofType(s.records[name], q.Qtype); len(rrs) > 0 {
			resp.Answer = append(resp.Answer, rrs...)
			return
		}
		cnames := ofType(s.records[name], dns.TypeCNAME)
		if len(cnames) == 0 {
			break
		}
		resp.Answer = append(resp.Answer, cnames[0])
		target := key(cnames[0].(*dns.CNAME).Target)
		if noChase || seen[target] {
			return
		}
		name = target
	}
	if soa := s.soaAbove(name); soa != nil {
		resp.Ns = append(resp.Ns, soa)
	}
}

// soaAbove returns the SOA record of the zone enclosing name, if one was
// added.
func (s *Server) soaAbove(name string) dns.RR {
	for ; ; name = parent(name) {
		if soa := ofType(s.records[name], dns.TypeSOA); len(soa) > 0 {
			return soa[0]
		}
		if name == "." {
			return nil
		}
	}
}

func ofType(rrs []dns.RR, rrtype uint16) []dns.RR {
	var out []dns.RR
	for _, rr := range rrs {
		if rr.Header().Rrtype == rrtype {
			out = append(out, rr)
		}
	}
	return out
}
