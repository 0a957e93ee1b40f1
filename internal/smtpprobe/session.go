package smtpprobe

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"
)

// session is the SMTP conversation with one address.
type session struct {
	p    *Prober
	ctx  context.Context // ends with the host's deadline
	host string
	conn net.Conn // the TCP connection, then the TLS one
	r    *bufio.Reader
	res  *Result
}

// errNoSTARTTLS ends a conversation whose server does not offer STARTTLS.
var errNoSTARTTLS = errors.New("no STARTTLS")

// converse connects to addr and talks to it as an MTA-STS sender would,
// up to the TLS handshake, then says QUIT.
func (p *Prober) converse(ctx context.Context, host string, addr netip.Addr) Result {
	res := Result{Host: host, Addr: addr, Stage: StageConnect}
	d := net.Dialer{Timeout: p.opts.ConnectTimeout}
	conn, err := d.DialContext(ctx, "tcp", netip.AddrPortFrom(addr, uint16(p.opts.Port)).String())
	if err != nil {
		res.Connect = connectFailure(err)
		res.Err = fmt.Errorf("connect to %s port %d: %w", addr, p.opts.Port, err)
		return res
	}
	// The host's deadline or a cancellation interrupts any step at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	s := &session{p: p, ctx: ctx, host: host, conn: conn, r: newReader(conn), res: &res}
	defer func() { s.conn.Close() }()
	s.run()
	return res
}

// run goes through the steps and records where and why it ended.
func (s *session) run() {
	steps := []struct {
		stage Stage
		do    func() error
	}{
		{StageGreeting, s.greeting},
		{StageEHLO, s.ehlo},
		{StageSTARTTLS, s.starttls},
		{StageHandshake, s.handshake},
	}
	for _, step := range steps {
		s.res.Stage = step.stage
		err := step.do()
		var refused *refusal
		switch {
		case errors.Is(err, errNoSTARTTLS) || errors.As(err, &refused) && refused.problem:
			s.quit()
			s.res.Stage = StageDone
			return
		case errors.As(err, &refused):
			s.quit()
			s.res.Err = err
			return
		case err != nil:
			s.res.Err = err
			return
		}
	}
	s.quit()
	s.res.Stage = StageDone
}

// greeting reads the server's greeting (RFC 5321 §4.3.1: 220, or 554 for
// a server that refuses service).
func (s *session) greeting() error {
	reply, err := s.exchange("")
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	if len(reply.Lines) > 0 {
		s.res.Greeting = reply.Lines[0]
	}
	if reply.Code != 220 {
		return &refusal{what: "greeting", reply: reply}
	}
	return nil
}

// ehlo sends EHLO and looks for STARTTLS among the extensions.
//
// RFC 5321 §3.2: a server that rejects EHLO gets HELO from the client,
// and a HELO session has no extensions, so no STARTTLS (RFC 3207 §4):
// a permanent rejection is starttls-not-supported. A temporary one is a
// transient failure that senders need not report (RFC 8460 §4.3.4).
func (s *session) ehlo() error {
	reply, err := s.exchange("EHLO " + s.ehloName())
	if err != nil {
		return fmt.Errorf("EHLO: %w", err)
	}
	if reply.Code != 250 {
		return s.refused("EHLO", reply, reply.Code >= 500)
	}
	// RFC 3207 §4: the extension keyword is STARTTLS, one per line after
	// the first (ehlo-line, RFC 5321 §4.1.1.1), in any case.
	for _, line := range reply.Lines[1:] {
		keyword, _, _ := strings.Cut(line, " ")
		if strings.EqualFold(keyword, "STARTTLS") {
			s.res.STARTTLS = true
			return nil
		}
	}
	s.problem(StartTLSNotSupported, "the EHLO reply does not offer STARTTLS")
	return errNoSTARTTLS
}

// starttls asks to start TLS (RFC 3207 §4: 220 to go ahead; 454 when TLS
// is not available now). A sender in enforce mode defers mail on any
// other answer: starttls-not-supported.
func (s *session) starttls() error {
	reply, err := s.exchange("STARTTLS")
	if err != nil {
		return fmt.Errorf("STARTTLS: %w", err)
	}
	if reply.Code != 220 {
		return s.refused("STARTTLS", reply, true)
	}
	// RFC 3207 §5 warns of text inserted before TLS starts: anything the
	// server sent after its reply would be read as if it came over TLS.
	if s.r.Buffered() > 0 {
		return errors.New("STARTTLS: the server sent data after its 220 reply, before the TLS handshake")
	}
	return nil
}

// handshake does the TLS handshake with the MX host name as SNI and
// judges the session. Verification is left to judge, so that the
// certificate of a server that fails it can still be described.
//
// RFC 8461 §7.1: the client MUST send SNI. TLS 1.0 and 1.1 are allowed
// here only to name them: judge reports them (RFC 8461 §7.2).
func (s *session) handshake() error {
	tc := tls.Client(s.conn, &tls.Config{
		ServerName:         s.host,
		InsecureSkipVerify: true, // verified by judge, as an MTA-STS sender does
		MinVersion:         tls.VersionTLS10,
	})
	if err := s.arm(); err != nil {
		return err
	}
	if err := s.explain(tc.HandshakeContext(s.ctx)); err != nil {
		if !isTimeout(err) && !errors.Is(err, context.Canceled) {
			s.problem(ValidationFailure, "TLS handshake failed: "+err.Error())
		}
		return fmt.Errorf("TLS handshake: %w", err)
	}
	s.conn, s.r = tc, newReader(tc)
	state := tc.ConnectionState()
	s.res.TLS = describe(state)
	s.res.Problems = append(s.res.Problems, judge(s.host, state, s.p.opts.Roots, s.p.opts.Now())...)
	return nil
}

// quit ends the session politely (RFC 5321 §4.1.1.10). Its answer changes
// nothing that was found, so errors are ignored.
func (s *session) quit() {
	_, _ = s.exchange("QUIT")
}

// exchange sends cmd (none for the greeting) and reads the reply, within
// one step's time.
func (s *session) exchange(cmd string) (Reply, error) {
	if err := s.arm(); err != nil {
		return Reply{}, err
	}
	if cmd != "" {
		if _, err := s.conn.Write([]byte(cmd + "\r\n")); err != nil {
			return Reply{}, err
		}
	}
	reply, err := readReply(s.r)
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("the server closed the connection: %w", err)
	}
	return reply, s.explain(err)
}

// explain names the limit or the cancellation that interrupted a step.
// The host's deadline and a cancellation show as the connection's
// deadline error (converse's AfterFunc), so the context is asked first.
func (s *session) explain(err error) error {
	switch {
	case err == nil:
		return nil
	case s.ctx.Err() != nil:
		return fmt.Errorf("%w (%v)", context.Cause(s.ctx), err)
	case isTimeout(err):
		return fmt.Errorf("no answer within the step timeout of %s: %w", s.p.opts.StepTimeout, err)
	}
	return err
}

// arm gives the next step StepTimeout, within the host's deadline.
func (s *session) arm() error {
	if err := s.ctx.Err(); err != nil {
		return context.Cause(s.ctx)
	}
	deadline := time.Now().Add(s.p.opts.StepTimeout)
	if d, ok := s.ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	s.conn.SetDeadline(deadline)
	if s.ctx.Err() != nil {
		// The AfterFunc in converse may have run before SetDeadline.
		s.conn.SetDeadline(time.Unix(1, 0))
	}
	return nil
}

func (s *session) ehloName() string {
	if s.p.opts.EHLOName != "" {
		return s.p.opts.EHLOName
	}
	return addressLiteral(s.conn.LocalAddr())
}

// addressLiteral returns the RFC 5321 §4.1.3 address literal of a.
func addressLiteral(a net.Addr) string {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return "[127.0.0.1]"
	}
	if ip := ap.Addr().Unmap(); ip.Is4() {
		return "[" + ip.String() + "]"
	}
	return "[IPv6:" + ap.Addr().WithZone("").String() + "]"
}

func (s *session) problem(t ResultType, reason string) {
	s.res.Problems = append(s.res.Problems, Problem{t, reason})
}

// refused records a reply other than the one a step needs. As a problem,
// it is what a sender would report; otherwise it ends the probe without
// telling whether a sender would deliver.
func (s *session) refused(cmd string, reply Reply, problem bool) error {
	r := &refusal{what: cmd, reply: reply, problem: problem}
	if problem {
		s.problem(StartTLSNotSupported, r.Error())
	}
	return r
}

// refusal is a well-formed reply that was not the one a step needs.
type refusal struct {
	what    string
	reply   Reply
	problem bool // recorded as a Problem
}

func (e *refusal) Error() string { return fmt.Sprintf("%s: the server answered %s", e.what, e.reply) }
