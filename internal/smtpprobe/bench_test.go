package smtpprobe_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// BenchmarkProbe200Hosts probes 200 MX hosts, each on its own loopback
// address, each server answering every step (greeting, EHLO, STARTTLS,
// handshake, QUIT) after 50 ms: at least 250 ms a host. The target is at
// most 3 s for all of them with the caller's concurrency (the parallel
// setting: 32 by default, 64 in the live-check benchmark). The floor is
// ceil(200/concurrency) hosts in turn at 250 ms: 1.75 s at 32, 1 s at 64.
func BenchmarkProbe200Hosts(b *testing.B) {
	ca := fetchtest.Must(fetchtest.NewCA())
	cert := fetchtest.Must(ca.Leaf("*.example.com"))
	listeners, addrs, port := listenMany(b, 2, 200)
	fake(b, slowTLS(&tls.Config{Certificates: []tls.Certificate{cert}}, 50*time.Millisecond), listeners...)
	hosts := make([]smtpprobe.Host, len(addrs))
	for i, a := range addrs {
		hosts[i] = smtpprobe.Host{Name: fmt.Sprintf("mx%d.example.com", i), Addrs: []netip.Addr{a}}
	}
	for _, concurrency := range []int{32, 64} {
		b.Run(fmt.Sprintf("concurrency=%d", concurrency), func(b *testing.B) {
			p := newProber(b, port, ca.Pool, func(o *smtpprobe.Options) { o.Concurrency = concurrency })
			for b.Loop() {
				for _, hr := range p.Probe(context.Background(), hosts) {
					if len(hr.Results) != 1 || hr.Results[0].Stage != smtpprobe.StageDone || len(hr.Results[0].Problems) > 0 {
						b.Fatalf("%s: %+v", hr.Host, hr)
					}
				}
			}
		})
	}
}

// slowTLS is a server with STARTTLS and cfg that waits delay before each
// answer, as a distant or busy MX does. The wait stands for latency; it
// synchronises nothing.
func slowTLS(cfg *tls.Config, delay time.Duration) script {
	return func(c *fakeConn) error {
		for _, step := range []struct{ command, reply string }{
			{"", "220 mx.example.com ESMTP slow"},
			{"EHLO ", "250-mx.example.com\r\n250 STARTTLS"},
			{"STARTTLS", "220 2.0.0 Ready to start TLS"},
		} {
			if step.command != "" {
				if err := c.expect(step.command); err != nil {
					return err
				}
			}
			time.Sleep(delay)
			if err := c.send(step.reply); err != nil {
				return err
			}
		}
		time.Sleep(delay)
		tc := tls.Server(c.Conn, cfg)
		if err := tc.Handshake(); err != nil {
			return err
		}
		tlsConn := &fakeConn{Conn: tc, r: bufio.NewReader(tc)}
		if err := tlsConn.expect("QUIT"); err != nil {
			return err
		}
		time.Sleep(delay)
		return tlsConn.send("221 2.0.0 Bye")
	}
}
