package smtpprobe_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

// fakeConn is the server side of one connection to a raw fake server.
type fakeConn struct {
	net.Conn
	r *bufio.Reader
}

// send writes lines, each ended with CRLF.
func (c *fakeConn) send(lines ...string) error {
	_, err := io.WriteString(c, strings.Join(lines, "\r\n")+"\r\n")
	return err
}

// expect reads a command line and checks that it starts with prefix.
func (c *fakeConn) expect(prefix string) error {
	line, err := c.r.ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, prefix) {
		return fmt.Errorf("got command %q, want %s", line, prefix)
	}
	return nil
}

// drain reads until the client closes the connection: a server that
// stalls.
func (c *fakeConn) drain() { io.Copy(io.Discard, c) }

// script is a fake server's side of a conversation. It returns when it
// is done or the client went away; errors it returns fail the test.
type script func(c *fakeConn) error

// fake serves every connection to each listener with s; it stops when the
// test ends, once every conversation has returned.
func fake(t testing.TB, s script, listeners ...net.Listener) {
	t.Helper()
	var wg sync.WaitGroup
	for _, l := range listeners {
		wg.Go(func() {
			for {
				conn, err := l.Accept()
				if err != nil {
					return
				}
				wg.Go(func() {
					defer conn.Close()
					if err := s(&fakeConn{Conn: conn, r: bufio.NewReader(conn)}); err != nil && err != io.EOF {
						t.Errorf("fake server: %v", err)
					}
				})
			}
		})
	}
	t.Cleanup(func() {
		for _, l := range listeners {
			l.Close()
		}
		wg.Wait()
	})
}

// fakeServer starts one fake server on 127.0.0.1.
func fakeServer(t *testing.T, s script) netip.AddrPort {
	t.Helper()
	l := listen(t, "127.0.0.1:0")
	fake(t, s, l)
	return netip.MustParseAddrPort(l.Addr().String())
}

// listenMany listens on n loopback addresses 127.0.<block>.1 onwards, all
// on one port, and returns the listeners, the addresses and the port.
func listenMany(t testing.TB, block, n int) ([]net.Listener, []netip.Addr, uint16) {
	t.Helper()
	for try := 0; ; try++ {
		ls, addrs, err := tryListenMany(block, n)
		if err == nil {
			return ls, addrs, uint16(ls[0].Addr().(*net.TCPAddr).Port)
		}
		if try == 5 {
			t.Fatal(err)
		}
	}
}

// tryListenMany takes a free port on the first address and the same port
// on the others, where it may be in use.
func tryListenMany(block, n int) ([]net.Listener, []netip.Addr, error) {
	var ls []net.Listener
	var addrs []netip.Addr
	port := 0
	for i := range n {
		a := netip.AddrFrom4([4]byte{127, 0, byte(block + i/250), byte(1 + i%250)})
		l, err := net.Listen("tcp", netip.AddrPortFrom(a, uint16(port)).String())
		if err != nil {
			for _, l := range ls {
				l.Close()
			}
			return nil, nil, err
		}
		port = l.Addr().(*net.TCPAddr).Port
		ls, addrs = append(ls, l), append(addrs, a)
	}
	return ls, addrs, nil
}

// Scripts shared by the tests: a greeting and an EHLO reply.
func greetAndEHLO(c *fakeConn, ehlo ...string) error {
	if err := c.send("220 mx.example.com ESMTP fake"); err != nil {
		return err
	}
	if err := c.expect("EHLO "); err != nil {
		return err
	}
	return c.send(ehlo...)
}

// quit answers the probe's QUIT.
func quit(c *fakeConn) error {
	if err := c.expect("QUIT"); err != nil {
		return err
	}
	return c.send("221 2.0.0 Bye")
}
