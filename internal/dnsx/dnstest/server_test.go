package dnstest_test

import (
	"encoding/binary"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/dnsx/dnstest"
)

func newServer(t *testing.T) *dnstest.Server {
	t.Helper()
	return dnstest.New(t,
		"example.com. SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300",
		`_mta-sts.example.com. TXT "v=STSv1; id=1"`,
		`_smtp._tls.example.com. TXT "v=TLSRPTv1; rua=mailto:r@example.net"`,
		"example.com. MX 10 mx.example.com.",
		"alias.example.com. CNAME _mta-sts.example.com.",
		"outside.example.com. CNAME target.example.net.",
		"target.example.net. TXT \"far\"",
		"loop.example.com. CNAME loop.example.com.",
	)
}

// exchange sends one query over network ("udp" or "tcp").
func exchange(t *testing.T, s *dnstest.Server, network, name string, qtype uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg).SetQuestion(dns.Fqdn(name), qtype)
	m.SetEdns0(1232, false)
	c := &dns.Client{Net: network, Timeout: 5 * time.Second}
	resp, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		t.Fatalf("%s query for %s: %v", network, name, err)
	}
	return resp
}

// summary is what the tests compare of an answer.
type summary struct {
	Rcode     string
	AA, TC    bool
	Answer    []string
	Authority int
}

func summarise(m *dns.Msg) summary {
	s := summary{Rcode: dns.RcodeToString[m.Rcode], AA: m.Authoritative, TC: m.Truncated, Authority: len(m.Ns)}
	for _, rr := range m.Answer {
		s.Answer = append(s.Answer, strings.ReplaceAll(rr.String(), "\t", " "))
	}
	return s
}

func TestAnswers(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	tests := []struct {
		name  string
		qtype uint16
		want  summary
	}{
		{"_mta-sts.example.com", dns.TypeTXT, summary{"NOERROR", true, false, []string{`_mta-sts.example.com. 3600 IN TXT "v=STSv1; id=1"`}, 0}},
		{"_MTA-STS.EXAMPLE.COM", dns.TypeTXT, summary{"NOERROR", true, false, []string{`_mta-sts.example.com. 3600 IN TXT "v=STSv1; id=1"`}, 0}},
		{"nowhere.example.com", dns.TypeTXT, summary{"NXDOMAIN", true, false, nil, 1}},
		{"example.com", dns.TypeTXT, summary{"NOERROR", true, false, nil, 1}},        // NODATA
		{"_tls.example.com", dns.TypeTXT, summary{"NOERROR", true, false, nil, 1}},   // empty non-terminal
		{"nowhere.example.org", dns.TypeA, summary{"NXDOMAIN", true, false, nil, 0}}, // no SOA above
		{"alias.example.com", dns.TypeTXT, summary{"NOERROR", true, false, []string{
			"alias.example.com. 3600 IN CNAME _mta-sts.example.com.",
			`_mta-sts.example.com. 3600 IN TXT "v=STSv1; id=1"`}, 0}},
		{"alias.example.com", dns.TypeCNAME, summary{"NOERROR", true, false, []string{
			"alias.example.com. 3600 IN CNAME _mta-sts.example.com."}, 0}},
		{"alias.example.com", dns.TypeMX, summary{"NOERROR", true, false, []string{
			"alias.example.com. 3600 IN CNAME _mta-sts.example.com."}, 1}},
		{"loop.example.com", dns.TypeTXT, summary{"NOERROR", true, false, []string{
			"loop.example.com. 3600 IN CNAME loop.example.com."}, 0}},
	}
	for _, tc := range tests {
		for _, network := range []string{"udp", "tcp"} {
			got := summarise(exchange(t, s, network, tc.name, tc.qtype))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s %s over %s mismatch (-want +got):\n%s", tc.name, dns.TypeToString[tc.qtype], network, diff)
			}
		}
	}
}

func TestNoChase(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.NoChase("alias.example.com")
	got := summarise(exchange(t, s, "udp", "alias.example.com", dns.TypeTXT))
	want := summary{"NOERROR", true, false, []string{"alias.example.com. 3600 IN CNAME _mta-sts.example.com."}, 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.ServFail("example.com")
	s.Refused("_smtp._tls.example.com")
	if got := exchange(t, s, "udp", "example.com", dns.TypeMX).Rcode; got != dns.RcodeServerFailure {
		t.Errorf("ServFail: rcode %s", dns.RcodeToString[got])
	}
	if got := exchange(t, s, "tcp", "_smtp._tls.example.com", dns.TypeTXT).Rcode; got != dns.RcodeRefused {
		t.Errorf("Refused: rcode %s", dns.RcodeToString[got])
	}
	if got := exchange(t, s, "udp", "_mta-sts.example.com", dns.TypeTXT).Rcode; got != dns.RcodeSuccess {
		t.Errorf("other name: rcode %s", dns.RcodeToString[got])
	}
	s.Garbage("_mta-sts.example.com")
	m := new(dns.Msg).SetQuestion("_mta-sts.example.com.", dns.TypeTXT)
	c := &dns.Client{Timeout: 5 * time.Second}
	if _, _, err := c.Exchange(m, s.Addr); err == nil {
		t.Error("Garbage: the answer unpacked")
	}
}

func TestTruncate(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.Truncate("_mta-sts.example.com")
	udp := summarise(exchange(t, s, "udp", "_mta-sts.example.com", dns.TypeTXT))
	if diff := cmp.Diff(summary{Rcode: "NOERROR", AA: true, TC: true}, udp); diff != "" {
		t.Errorf("UDP mismatch (-want +got):\n%s", diff)
	}
	if tcp := exchange(t, s, "tcp", "_mta-sts.example.com", dns.TypeTXT); tcp.Truncated || len(tcp.Answer) != 1 {
		t.Errorf("TCP answer: TC %v, %d records; want a complete answer", tcp.Truncated, len(tcp.Answer))
	}
	if n, tcp := s.Count("_mta-sts.example.com"), s.CountTCP("_mta-sts.example.com"); n != 2 || tcp != 1 {
		t.Errorf("Count %d, CountTCP %d; want 2 and 1", n, tcp)
	}
	if n := s.Count(""); n != 2 {
		t.Errorf(`Count("") = %d, want 2`, n)
	}
}

// TestTruncateLarge: an answer larger than the client's EDNS0 size is
// cut over UDP without being asked to.
func TestTruncateLarge(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	for i := range 20 {
		s.Add(t, "big.example.com. TXT \""+strings.Repeat(string(rune('a'+i)), 200)+"\"")
	}
	if m := exchange(t, s, "udp", "big.example.com", dns.TypeTXT); !m.Truncated || m.Len() > 1232 {
		t.Errorf("UDP answer: TC %v, %d bytes; want truncated within 1232", m.Truncated, m.Len())
	}
	if m := exchange(t, s, "tcp", "big.example.com", dns.TypeTXT); m.Truncated || len(m.Answer) != 20 {
		t.Errorf("TCP answer: TC %v, %d records; want 20", m.Truncated, len(m.Answer))
	}
}

// TestDelayConcurrent: delays run side by side, not one after another.
func TestDelayConcurrent(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	const queries, delay = 40, 100 * time.Millisecond
	s.Delay("", delay)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range queries {
		network := []string{"udp", "tcp"}[i%2]
		wg.Go(func() { exchange(t, s, network, "_mta-sts.example.com", dns.TypeTXT) })
	}
	wg.Wait()
	if elapsed := time.Since(start); elapsed < delay || elapsed > queries*delay/4 {
		t.Errorf("%d queries delayed by %s took %s", queries, delay, elapsed)
	}
}

// TestCloseWhileHeld: Close returns while queries are held (dropped or
// delayed, over UDP and TCP), after the handlers have ended, and closes
// the TCP connections.
func TestCloseWhileHeld(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var tcpConns []net.Conn
	for _, network := range []string{"udp", "tcp"} {
		for _, held := range []string{"drop", "delay"} {
			name := held + "-" + network + ".example.com."
			if held == "drop" {
				s.Drop(name)
			} else {
				s.Delay(name, time.Hour)
			}
			conn := send(t, network, s.Addr, name)
			if network == "tcp" {
				tcpConns = append(tcpConns, conn)
			}
			<-s.Arrived(name)
		}
	}
	s.Close()
	s.Close() // idempotent
	for _, conn := range tcpConns {
		if n, err := conn.Read(make([]byte, 512)); err == nil {
			t.Errorf("TCP read after Close: %d bytes, want the connection closed", n)
		}
	}
}

// send sends a TXT query for name and returns the connection, closed when
// the test ends.
func send(t *testing.T, network, addr, name string) net.Conn {
	t.Helper()
	conn, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	wire, err := new(dns.Msg).SetQuestion(name, dns.TypeTXT).Pack()
	if err != nil {
		t.Fatal(err)
	}
	if network == "tcp" {
		wire = append(binary.BigEndian.AppendUint16(nil, uint16(len(wire))), wire...)
	}
	if _, err := conn.Write(wire); err != nil {
		t.Fatal(err)
	}
	return conn
}

func TestArrivedAfterTheFact(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	exchange(t, s, "udp", "example.com", dns.TypeMX)
	select {
	case <-s.Arrived("EXAMPLE.com."):
	default:
		t.Error("Arrived: channel not closed after a query arrived")
	}
}
