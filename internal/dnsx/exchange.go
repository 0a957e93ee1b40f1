package dnsx

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/miekg/dns"
)

const (
	headerLen = 12     // RFC 1035 §4.1.1
	flagTC    = 1 << 9 // truncation bit of the header flags
	// udpReadSize is the read buffer for a UDP answer: well above the
	// size announced with EDNS0. A datagram that fills it may have been
	// cut by the read and is treated as truncated.
	udpReadSize = 4096
)

// query asks the server one question and returns its answer, checked to
// be a response to the question, with NOERROR or NXDOMAIN. It tries UDP
// up to c.tries times while the server stays silent and repeats the query
// over TCP when the UDP answer is truncated (RFC 7766 §5).
func (c *Client) query(ctx context.Context, name string, qtype uint16) (*dns.Msg, *lookupErr) {
	req := new(dns.Msg)
	req.SetQuestion(name, qtype) // RD set: the server is a recursive resolver
	req.SetEdns0(ednsBufSize, false)
	// RFC 6840 §5.7: the AD bit in a query asks a validating resolver to
	// say whether the answer is DNSSEC-validated; DANE needs to know
	// (RFC 7672 §2.2).
	req.AuthenticatedData = true
	wire, err := req.Pack()
	if err != nil {
		return nil, errTemporary("cannot build the query: " + err.Error())
	}
	raw, lerr := c.queryUDP(ctx, wire)
	if lerr != nil {
		return nil, lerr
	}
	if truncated(raw, req.Id) {
		if raw, lerr = c.roundTrip(ctx, "tcp", wire); lerr != nil {
			lerr.msg = "over TCP after a truncated UDP answer: " + lerr.msg
			return nil, lerr
		}
	}
	return checkResponse(raw, req)
}

// truncated reports whether the UDP answer raw, for the query with id,
// must be asked again over TCP: its TC bit is set (RFC 1035 §4.1.1), or it
// filled the read buffer and may have been cut.
func truncated(raw []byte, id uint16) bool {
	if len(raw) < headerLen || binary.BigEndian.Uint16(raw) != id {
		return false // checkResponse reports it
	}
	return binary.BigEndian.Uint16(raw[2:])&flagTC != 0 || len(raw) == udpReadSize
}

// queryUDP sends wire over UDP, again after each try that times out.
func (c *Client) queryUDP(ctx context.Context, wire []byte) ([]byte, *lookupErr) {
	for try := 1; ; try++ {
		raw, lerr := c.roundTrip(ctx, "udp", wire)
		if lerr == nil || !lerr.timeout || lerr.ctxErr != nil {
			return raw, lerr
		}
		if try >= c.tries {
			lerr.msg = fmt.Sprintf("no answer after %d tries of %s (timeout)", c.tries, c.timeout)
			return nil, lerr
		}
	}
}

// roundTrip sends one query over a fresh connection and reads one
// message back, within c.timeout and ctx. A fresh UDP socket per try
// means a late answer to an earlier try can never be taken for this one.
func (c *Client) roundTrip(ctx context.Context, network string, wire []byte) ([]byte, *lookupErr) {
	tctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, err := c.dialer.DialContext(tctx, network, c.server)
	if err != nil {
		return nil, netError(ctx, network, err)
	}
	defer conn.Close()
	deadline, _ := tctx.Deadline()
	_ = conn.SetDeadline(deadline)
	// Unblock the read as soon as ctx is cancelled, not only at the deadline.
	stop := context.AfterFunc(tctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	var raw []byte
	if network == "tcp" {
		raw, err = exchangeTCP(conn, wire)
	} else {
		raw, err = exchangeUDP(conn, wire)
	}
	if err != nil {
		return nil, netError(ctx, network, err)
	}
	return raw, nil
}

// exchangeUDP writes one datagram and reads one.
func exchangeUDP(conn net.Conn, wire []byte) ([]byte, error) {
	if _, err := conn.Write(wire); err != nil {
		return nil, err
	}
	buf := make([]byte, udpReadSize)
	n, err := conn.Read(buf)
	if err != nil {
		return nil, err
	}
	return buf[:n], nil
}

// exchangeTCP writes one length-prefixed message and reads one (RFC 1035
// §4.2.2). The two-byte prefix caps an answer at 65535 bytes.
func exchangeTCP(conn net.Conn, wire []byte) ([]byte, error) {
	out := make([]byte, 2, 2+len(wire))
	binary.BigEndian.PutUint16(out, uint16(len(wire)))
	if _, err := conn.Write(append(out, wire...)); err != nil {
		return nil, err
	}
	var prefix [2]byte
	if _, err := io.ReadFull(conn, prefix[:]); err != nil {
		return nil, err
	}
	buf := make([]byte, binary.BigEndian.Uint16(prefix[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// netError classifies a dial, read or write error: the caller's context
// first, then timeouts, then anything else (connection refused, reset).
func netError(ctx context.Context, network string, err error) *lookupErr {
	if ctxErr(ctx) != nil {
		return errContext(ctx)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &lookupErr{msg: "timeout over " + network, timeout: true}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errTemporary(network + " connection closed before a complete answer")
	}
	return errTemporary(network + ": " + err.Error())
}

// checkResponse unpacks raw and checks that it answers req: same id, a
// response to a standard query, the same question, and a response code
// that answers it (NOERROR or NXDOMAIN). Everything else is a temporary
// failure: the server could not or would not say.
func checkResponse(raw []byte, req *dns.Msg) (*dns.Msg, *lookupErr) {
	if len(raw) < headerLen {
		return nil, errTemporary(fmt.Sprintf("malformed answer: %d bytes, shorter than a DNS header", len(raw)))
	}
	if id := binary.BigEndian.Uint16(raw); id != req.Id {
		return nil, errTemporary(fmt.Sprintf("answer id %d does not match query id %d", id, req.Id))
	}
	resp := new(dns.Msg)
	if err := resp.Unpack(raw); err != nil {
		return nil, errTemporary("malformed answer: " + err.Error())
	}
	if !resp.Response || resp.Opcode != dns.OpcodeQuery {
		return nil, errTemporary("malformed answer: not a response to a standard query")
	}
	if lerr := rcodeError(resp.Rcode); lerr != nil {
		return nil, lerr
	}
	q := req.Question[0]
	if len(resp.Question) != 1 || !sameName(resp.Question[0].Name, q.Name) ||
		resp.Question[0].Qtype != q.Qtype || resp.Question[0].Qclass != q.Qclass {
		return nil, errTemporary("malformed answer: it is for a different question")
	}
	return resp, nil
}

// rcodeError classifies a response code. NOERROR and NXDOMAIN are
// answers (judged with the answer section); the rest say the server
// could not answer.
func rcodeError(rcode int) *lookupErr {
	switch rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
		return nil
	case dns.RcodeServerFailure:
		return errTemporary("server failure (SERVFAIL)")
	case dns.RcodeRefused:
		return errTemporary("query refused (REFUSED)")
	}
	s, ok := dns.RcodeToString[rcode]
	if !ok {
		s = fmt.Sprintf("RCODE%d", rcode)
	}
	return errTemporary("server answered " + s)
}
