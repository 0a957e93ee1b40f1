package smtpprobe_test

import (
	"context"
	"crypto/x509"
	"io"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// TestProbeMisbehavingServers: raw servers that break the conversation
// somewhere. What a sender would report is kept apart from a probe that
// could not finish; a timeout is never a result type (RFC 8460 §4.3.4).
func TestProbeMisbehavingServers(t *testing.T) {
	t.Parallel()
	withSTARTTLS := []string{"250-mx.example.com", "250-PIPELINING", "250 STARTTLS"}
	tests := []struct {
		name    string
		script  script
		want    outcome
		wantErr string
	}{
		{"stalls after the greeting", func(c *fakeConn) error {
			c.send("220 mx.example.com ESMTP")
			c.drain()
			return nil
		}, outcome{Stage: smtpprobe.StageEHLO, Failed: true, TimedOut: true}, "i/o timeout"},
		{"drops the connection after STARTTLS", func(c *fakeConn) error {
			if err := greetAndEHLO(c, withSTARTTLS...); err != nil {
				return err
			}
			if err := c.expect("STARTTLS"); err != nil {
				return err
			}
			return c.send("220 2.0.0 Ready to start TLS")
		}, outcome{Stage: smtpprobe.StageHandshake, STARTTLS: true, Failed: true,
			Types: []smtpprobe.ResultType{smtpprobe.ValidationFailure}}, "TLS handshake: EOF"},
		{"stalls in the handshake", func(c *fakeConn) error {
			if err := greetAndEHLO(c, withSTARTTLS...); err != nil {
				return err
			}
			if err := c.expect("STARTTLS"); err != nil {
				return err
			}
			c.send("220 2.0.0 Ready to start TLS")
			c.drain()
			return nil
		}, outcome{Stage: smtpprobe.StageHandshake, STARTTLS: true, Failed: true, TimedOut: true}, "i/o timeout"},
		{"endless multi-line EHLO reply", func(c *fakeConn) error {
			if err := greetAndEHLO(c, "250-mx.example.com"); err != nil {
				return err
			}
			for c.send("250-X-FILLER") == nil {
			}
			return nil
		}, outcome{Stage: smtpprobe.StageEHLO, Failed: true}, "EHLO: reply too long: more than 64 lines"},
		{"endless greeting line", func(c *fakeConn) error {
			line := "220 " + strings.Repeat("x", 200)
			for _, err := io.WriteString(c, line); err == nil; _, err = io.WriteString(c, line[4:]) {
			}
			return nil
		}, outcome{Stage: smtpprobe.StageGreeting, Failed: true}, "reply too long"},
		{"closes without a greeting", func(c *fakeConn) error { return nil },
			outcome{Stage: smtpprobe.StageGreeting, Failed: true}, "the server closed the connection: EOF"},
		{"refuses service in the greeting", func(c *fakeConn) error {
			if err := c.send("554 5.7.1 No SMTP service here"); err != nil {
				return err
			}
			return quit(c)
		}, outcome{Stage: smtpprobe.StageGreeting, Failed: true}, "greeting: the server answered 554 5.7.1 No SMTP service here"},
		{"no ESMTP: EHLO refused", func(c *fakeConn) error {
			if err := greetAndEHLO(c, "502 5.5.2 Command not recognized"); err != nil {
				return err
			}
			return quit(c)
		}, outcome{Stage: smtpprobe.StageDone, Types: []smtpprobe.ResultType{smtpprobe.StartTLSNotSupported}}, ""},
		{"EHLO refused for now", func(c *fakeConn) error {
			if err := greetAndEHLO(c, "421 4.7.0 Try again later"); err != nil {
				return err
			}
			return quit(c)
		}, outcome{Stage: smtpprobe.StageEHLO, Failed: true}, "EHLO: the server answered 421 4.7.0 Try again later"},
		{"STARTTLS refused", func(c *fakeConn) error {
			if err := greetAndEHLO(c, "250-mx.example.com", "250 starttls"); err != nil {
				return err
			}
			if err := c.expect("STARTTLS"); err != nil {
				return err
			}
			if err := c.send("454 4.7.0 TLS not available due to local problem"); err != nil {
				return err
			}
			return quit(c)
		}, outcome{Stage: smtpprobe.StageDone, STARTTLS: true, Types: []smtpprobe.ResultType{smtpprobe.StartTLSNotSupported}}, ""},
		{"text after the STARTTLS reply", func(c *fakeConn) error {
			if err := greetAndEHLO(c, withSTARTTLS...); err != nil {
				return err
			}
			if err := c.expect("STARTTLS"); err != nil {
				return err
			}
			c.send("220 2.0.0 Ready to start TLS", "250 injected")
			c.drain()
			return nil
		}, outcome{Stage: smtpprobe.StageSTARTTLS, STARTTLS: true, Failed: true}, "after its 220 reply"},
		{"reply of another protocol", func(c *fakeConn) error { return c.send("SSH-2.0-OpenSSH_9.6") },
			outcome{Stage: smtpprobe.StageGreeting, Failed: true}, "malformed reply line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addr := fakeServer(t, tc.script)
			p := newProber(t, addr.Port(), x509.NewCertPool(), func(o *smtpprobe.Options) { o.StepTimeout = 200 * time.Millisecond })
			res := probeOne(t, p, mxHost, addr.Addr())
			if diff := cmp.Diff(tc.want, outcomeOf(res)); diff != "" {
				t.Errorf("probe mismatch (-want +got):\n%s\nresult: %+v", diff, res)
			}
			if tc.wantErr != "" && (res.Err == nil || !strings.Contains(res.Err.Error(), tc.wantErr)) {
				t.Errorf("Err = %v, want it to say %q", res.Err, tc.wantErr)
			}
		})
	}
}

// TestProbeConnectFailures: failures to connect are told apart from
// protocol failures, so that a caller can say port 25 is blocked.
func TestProbeConnectFailures(t *testing.T) {
	t.Parallel()
	closed := listen(t, "127.0.0.1:0")
	refusedAt := netip.MustParseAddrPort(closed.Addr().String())
	closed.Close()
	tests := []struct {
		name   string
		port   uint16
		adjust func(*smtpprobe.Options)
		want   outcome
	}{
		{"refused", refusedAt.Port(), nil,
			outcome{Stage: smtpprobe.StageConnect, Connect: smtpprobe.ConnectRefused, Failed: true}},
		{"timed out", refusedAt.Port(), func(o *smtpprobe.Options) { o.ConnectTimeout = time.Nanosecond },
			outcome{Stage: smtpprobe.StageConnect, Connect: smtpprobe.ConnectTimedOut, Failed: true, TimedOut: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newProber(t, tc.port, x509.NewCertPool(), tc.adjust)
			res := probeOne(t, p, mxHost, refusedAt.Addr())
			if diff := cmp.Diff(tc.want, outcomeOf(res)); diff != "" {
				t.Errorf("probe mismatch (-want +got):\n%s\nresult: %+v", diff, res)
			}
		})
	}
}

// TestProbeHostDeadline: the host's deadline ends a step that its own
// timeout would let go on.
func TestProbeHostDeadline(t *testing.T) {
	t.Parallel()
	addr := fakeServer(t, func(c *fakeConn) error {
		c.send("220 mx.example.com ESMTP")
		c.drain()
		return nil
	})
	p := newProber(t, addr.Port(), x509.NewCertPool(), func(o *smtpprobe.Options) {
		o.StepTimeout, o.HostTimeout = time.Hour, 200*time.Millisecond
	})
	res := probeOne(t, p, mxHost, addr.Addr())
	want := outcome{Stage: smtpprobe.StageEHLO, Failed: true, TimedOut: true}
	if diff := cmp.Diff(want, outcomeOf(res)); diff != "" {
		t.Errorf("probe mismatch (-want +got):\n%s\nresult: %+v", diff, res)
	}
}

// TestProbeCancelled: a cancellation ends the conversation in progress,
// and addresses not yet probed are not tried.
func TestProbeCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr := fakeServer(t, func(c *fakeConn) error {
		c.send("220 mx.example.com ESMTP")
		c.expect("EHLO")
		cancel()
		c.drain()
		return nil
	})
	p := newProber(t, addr.Port(), x509.NewCertPool(), func(o *smtpprobe.Options) { o.StepTimeout = time.Hour })
	hr := p.ProbeHost(ctx, smtpprobe.Host{Name: mxHost, Addrs: []netip.Addr{addr.Addr(), netip.MustParseAddr("127.0.0.2")}})
	var got []outcome
	for _, r := range hr.Results {
		got = append(got, outcomeOf(r))
	}
	want := []outcome{
		{Stage: smtpprobe.StageEHLO, Failed: true},
		{Stage: smtpprobe.StageConnect, Connect: smtpprobe.ConnectNotTried, Failed: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("probe mismatch (-want +got):\n%s\nresults: %+v", diff, hr.Results)
	}
	if hr := p.ProbeHost(ctx, smtpprobe.Host{Name: mxHost, Addrs: []netip.Addr{addr.Addr()}}); hr.Err == nil {
		t.Errorf("ProbeHost with a cancelled context = %+v, want Err", hr)
	}
}
