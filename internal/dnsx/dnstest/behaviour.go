package dnstest

import (
	"time"

	"github.com/miekg/dns"
)

// action is what the server does with a query after any delay.
type action int

const (
	answer   action = iota // answer from the records
	servFail               // SERVFAIL
	refused                // REFUSED
	garbage                // bytes that are not a DNS message
	drop                   // nothing, ever
	wrongID                // a correct answer with another message id
)

// rule is the behaviour set for a name.
type rule struct {
	delay    time.Duration
	action   action
	truncate bool // UDP answers carry TC and no records
	dropTCP  bool // TCP queries are never answered
	oversize bool // UDP answers are never cut to the client's size
	noChase  bool // answers stop at the first CNAME
	secure   bool // answers carry the AD bit, as from a validating resolver
}

// Secure makes answers for name carry the AD bit, as a validating
// resolver's do when DNSSEC proves them (RFC 4035 §3.2.3).
func (s *Server) Secure(name string) { s.setRule(name, func(r *rule) { r.secure = true }) }

// count is the number of queries for a name, by transport.
type count struct{ udp, tcp int }

// garbage is what Garbage sends: shorter than a DNS header, so no parser
// can take it for a message.
const garbageText = "\xde\xad\xbe\xef"

// Delay makes the server answer queries for name after d. The name ""
// stands for every name; a rule for a name overrides it.
func (s *Server) Delay(name string, d time.Duration) {
	s.setRule(name, func(r *rule) { r.delay = d })
}

// Truncate makes UDP answers for name carry the TC bit and no records;
// TCP answers are complete. Answers too large for the client's UDP size
// are truncated anyway, as a real server does.
func (s *Server) Truncate(name string) { s.setRule(name, func(r *rule) { r.truncate = true }) }

// Oversize makes UDP answers for name go out whole, however large,
// ignoring the UDP size the client announced, as a broken server does.
func (s *Server) Oversize(name string) { s.setRule(name, func(r *rule) { r.oversize = true }) }

// ServFail makes the server answer queries for name with SERVFAIL.
func (s *Server) ServFail(name string) { s.setAction(name, servFail) }

// Refused makes the server answer queries for name with REFUSED.
func (s *Server) Refused(name string) { s.setAction(name, refused) }

// Garbage makes the server answer queries for name with bytes that are
// not a DNS message.
func (s *Server) Garbage(name string) { s.setAction(name, garbage) }

// Drop makes the server read queries for name and never answer.
func (s *Server) Drop(name string) { s.setAction(name, drop) }

// DropTCP makes the server read TCP queries for name and never answer;
// UDP queries are answered.
func (s *Server) DropTCP(name string) { s.setRule(name, func(r *rule) { r.dropTCP = true }) }

// WrongID makes the server answer queries for name correctly but with a
// message id that does not match the query's.
func (s *Server) WrongID(name string) { s.setAction(name, wrongID) }

// NoChase makes answers for name stop at its CNAME record, as from a
// server that is not authoritative for the target: the client must ask
// for the target itself.
func (s *Server) NoChase(name string) { s.setRule(name, func(r *rule) { r.noChase = true }) }

// Count returns how many queries for name arrived, over UDP and TCP; ""
// counts every query.
func (s *Server) Count(name string) int {
	c := s.count(name)
	return c.udp + c.tcp
}

// CountTCP returns how many queries for name arrived over TCP; "" counts
// every TCP query.
func (s *Server) CountTCP(name string) int { return s.count(name).tcp }

// Arrived returns a channel that is closed once a query for name has
// arrived (at once if one already has), before any delay: a test can act
// while the server holds the query, without sleeping.
func (s *Server) Arrived(name string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(name)
	ch := s.arrived[k]
	if ch == nil {
		ch = make(chan struct{})
		s.arrived[k] = ch
		if s.counts[k] != nil {
			close(ch)
		}
	}
	return ch
}

func (s *Server) count(name string) count {
	s.mu.Lock()
	defer s.mu.Unlock()
	if name != "" {
		if c := s.counts[key(name)]; c != nil {
			return *c
		}
		return count{}
	}
	var total count
	for _, c := range s.counts {
		total.udp += c.udp
		total.tcp += c.tcp
	}
	return total
}

func (s *Server) setAction(name string, a action) {
	s.setRule(name, func(r *rule) { r.action = a })
}

func (s *Server) setRule(name string, set func(*rule)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.rules[key(name)]
	set(&r)
	s.rules[key(name)] = r
}

// arrive counts a query for name and returns the rule that applies: the
// name's own settings over those for every name.
func (s *Server) arrive(name string, tcp bool) rule {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key(name)
	c := s.counts[k]
	if c == nil {
		c = &count{}
		s.counts[k] = c
	}
	if tcp {
		c.tcp++
	} else {
		c.udp++
	}
	if ch := s.arrived[k]; ch != nil && c.udp+c.tcp == 1 {
		close(ch)
	}
	own, all := s.rules[k], s.rules[""]
	if own.delay == 0 {
		own.delay = all.delay
	}
	if own.action == answer {
		own.action = all.action
	}
	own.truncate = own.truncate || all.truncate
	own.noChase = own.noChase || all.noChase
	own.secure = own.secure || all.secure
	own.dropTCP = own.dropTCP || all.dropTCP
	own.oversize = own.oversize || all.oversize
	if tcp && own.dropTCP {
		own.action = drop
	}
	return own
}

// key is the canonical form of a name: lower case, fully qualified.
func key(name string) string {
	if name == "" {
		return ""
	}
	return dns.CanonicalName(name)
}

// wait waits for d and reports whether the server is still running.
func (s *Server) wait(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-s.done:
		return false
	}
}
