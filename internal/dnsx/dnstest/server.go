// Package dnstest runs an in-process DNS server on a loopback port, UDP
// and TCP on the same port, for the tests of dnsx and of everything that
// resolves through it. The server is authoritative for the records added
// to it (NXDOMAIN for unknown names, NODATA for a known name without the
// type, in-zone CNAMEs chased), and can misbehave per name: answer late,
// truncate, fail, refuse, send garbage or never answer.
//
// Every query is handled in its own goroutine, so delays do not add up
// under concurrent load. The server stops when the test ends; Close waits
// for every handler.
package dnstest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// udpBuffer is the receive buffer asked for the UDP socket.
const udpBuffer = 8 << 20

// Server is a running test DNS server.
type Server struct {
	// Addr is "127.0.0.1:port", served over UDP and TCP.
	Addr string

	t    testing.TB // for reporting answers that cannot be packed
	udp  net.PacketConn
	tcp  net.Listener
	done chan struct{} // closed by Close: delayed handlers give up
	wg   sync.WaitGroup
	once sync.Once

	mu      sync.Mutex
	closed  bool
	conns   map[net.Conn]bool
	records map[string][]dns.RR // by canonical owner name
	names   map[string]bool     // owners and their ancestors: names that exist
	rules   map[string]rule     // by canonical name; "" applies to every name
	counts  map[string]*count   // queries by canonical name
	arrived map[string]chan struct{}
}

// New starts a server answering with records, each in zone-file text as
// dns.NewRR reads it ("_mta-sts.example.com. TXT \"v=STSv1; id=1\"").
// The server is closed when the test ends.
func New(t testing.TB, records ...string) *Server {
	t.Helper()
	s, err := start(t)
	if err != nil {
		t.Fatalf("dnstest: %v", err)
	}
	t.Cleanup(s.Close)
	s.Add(t, records...)
	return s
}

// start binds TCP on a free loopback port, then UDP on the same port,
// trying again when another process holds that UDP port.
func start(t testing.TB) (*Server, error) {
	var lastErr error
	for range 10 {
		tcp, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		port := tcp.Addr().(*net.TCPAddr).Port
		udp, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			tcp.Close()
			lastErr = err
			continue
		}
		// A burst of queries (the live-check benchmark sends 500 at
		// once) must not overflow the socket buffer: the kernel caps the
		// request at net.core.rmem_max.
		_ = udp.(*net.UDPConn).SetReadBuffer(udpBuffer)
		s := &Server{
			Addr: tcp.Addr().String(), t: t, udp: udp, tcp: tcp, done: make(chan struct{}),
			conns: map[net.Conn]bool{}, records: map[string][]dns.RR{}, names: map[string]bool{},
			rules: map[string]rule{}, counts: map[string]*count{}, arrived: map[string]chan struct{}{},
		}
		s.wg.Go(s.serveUDP)
		s.wg.Go(s.serveTCP)
		return s, nil
	}
	return nil, fmt.Errorf("no free UDP and TCP port pair: %w", lastErr)
}

// Close stops the server and waits for every handler to return. Queries
// still being delayed are not answered. Close may be called more than once.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.udp.Close()
		s.tcp.Close()
		s.mu.Lock()
		s.closed = true
		for conn := range s.conns {
			conn.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// serveUDP reads datagrams and handles each in its own goroutine.
func (s *Server) serveUDP() {
	buf := make([]byte, dns.MaxMsgSize)
	for {
		n, addr, err := s.udp.ReadFrom(buf)
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		query := slices.Clone(buf[:n])
		s.wg.Go(func() {
			s.handle(query, false, func(b []byte) { _, _ = s.udp.WriteTo(b, addr) })
		})
	}
}

// serveTCP accepts connections and serves each in its own goroutine.
func (s *Server) serveTCP() {
	for {
		conn, err := s.tcp.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			continue
		}
		if !s.track(conn) {
			conn.Close()
			return
		}
		s.wg.Go(func() { s.serveConn(conn) })
	}
}

// serveConn reads length-prefixed queries (RFC 1035 §4.2.2) until the
// client or Close ends the connection; each query is handled in its own
// goroutine and answers are written whole, one at a time.
func (s *Server) serveConn(conn net.Conn) {
	var handlers sync.WaitGroup
	var writeMu sync.Mutex
	defer s.untrack(conn)
	defer handlers.Wait()
	write := func(b []byte) {
		frame := binary.BigEndian.AppendUint16(make([]byte, 0, 2+len(b)), uint16(len(b)))
		writeMu.Lock()
		defer writeMu.Unlock()
		_, _ = conn.Write(append(frame, b...))
	}
	for {
		var prefix [2]byte
		if _, err := io.ReadFull(conn, prefix[:]); err != nil {
			return
		}
		query := make([]byte, binary.BigEndian.Uint16(prefix[:]))
		if _, err := io.ReadFull(conn, query); err != nil {
			return
		}
		handlers.Go(func() { s.handle(query, true, write) })
	}
}

func (s *Server) track(conn net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[conn] = true
	return true
}

func (s *Server) untrack(conn net.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	conn.Close()
}
