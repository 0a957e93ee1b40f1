package smtpprobe_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// gauge counts the conversations in progress and remembers the most.
type gauge struct {
	mu        sync.Mutex
	now, most int
}

func (g *gauge) add(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now += n
	g.most = max(g.most, g.now)
}

func (g *gauge) max() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.most
}

// counted is a server without STARTTLS that counts itself in g from the
// connection until its answer to QUIT, after which the client hangs up.
func counted(g *gauge) script {
	return func(c *fakeConn) error {
		g.add(1)
		if err := greetAndEHLO(c, "250-mx.example.com", "250 8BITMIME"); err != nil {
			g.add(-1)
			return err
		}
		err := c.expect("QUIT")
		g.add(-1) // before the answer: the client may connect again right after it
		if err != nil {
			return err
		}
		return c.send("221 2.0.0 Bye")
	}
}

// TestProbeOneConnectionPerAddress: hosts that share an address are
// probed there one after another, however many may run at once.
func TestProbeOneConnectionPerAddress(t *testing.T) {
	t.Parallel()
	var g gauge
	addr := fakeServer(t, counted(&g))
	p := newProber(t, addr.Port(), x509.NewCertPool(), func(o *smtpprobe.Options) { o.Concurrency = 20 })
	var hosts []smtpprobe.Host
	for i := range 20 {
		hosts = append(hosts, smtpprobe.Host{Name: fmt.Sprintf("mx%d.example.com", i), Addrs: []netip.Addr{addr.Addr()}})
	}
	for _, hr := range p.Probe(context.Background(), hosts) {
		if len(hr.Results) != 1 || hr.Results[0].ResultType() != smtpprobe.StartTLSNotSupported {
			t.Errorf("%s: %+v, want one result, starttls-not-supported", hr.Host, hr)
		}
	}
	if g.max() != 1 {
		t.Errorf("the server saw %d conversations at once, want 1", g.max())
	}
}

// TestProbeConcurrency: no more hosts at once than the caller allows, and
// the results in the order of the hosts.
func TestProbeConcurrency(t *testing.T) {
	t.Parallel()
	var g gauge
	listeners, addrs, port := listenMany(t, 1, 12)
	fake(t, counted(&g), listeners...)
	p := newProber(t, port, x509.NewCertPool(), func(o *smtpprobe.Options) { o.Concurrency = 3 })
	var hosts []smtpprobe.Host
	var want []string
	for i, a := range addrs {
		name := fmt.Sprintf("mx%d.example.com", i)
		hosts, want = append(hosts, smtpprobe.Host{Name: name, Addrs: []netip.Addr{a}}), append(want, name)
	}
	var got []string
	for _, hr := range p.Probe(context.Background(), hosts) {
		got = append(got, hr.Host)
		if len(hr.Results) != 1 || hr.Results[0].Stage != smtpprobe.StageDone {
			t.Errorf("%s: %+v, want one result that got to QUIT", hr.Host, hr)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hosts of the results (-want +got):\n%s", diff)
	}
	if g.max() > 3 {
		t.Errorf("the servers saw %d conversations at once, want at most 3", g.max())
	}
}

// mapResolver answers from a map; names it does not know fail.
type mapResolver map[string][]netip.Addr

func (m mapResolver) LookupHost(_ context.Context, name string) ([]netip.Addr, error) {
	addrs, ok := m[name]
	if !ok {
		return nil, errors.New("no such host " + name)
	}
	return addrs, nil
}

// TestProbeResolves: hosts without addresses are looked up by their
// normalized name; lookup failures are the host's Err.
func TestProbeResolves(t *testing.T) {
	t.Parallel()
	var g gauge
	addr := fakeServer(t, counted(&g))
	r := mapResolver{mxHost: {addr.Addr()}, "empty.example.com": {}}
	p := newProber(t, addr.Port(), x509.NewCertPool(), func(o *smtpprobe.Options) { o.Resolver = r })
	hosts := []smtpprobe.Host{{Name: "MX.example.com."}, {Name: "empty.example.com"}, {Name: "gone.example.com"}}
	type summary struct {
		Host    string
		Err     string
		Results int
	}
	var got []summary
	for _, hr := range p.Probe(context.Background(), hosts) {
		got = append(got, summary{hr.Host, fmt.Sprint(hr.Err), len(hr.Results)})
	}
	want := []summary{
		{mxHost, "<nil>", 1},
		{"empty.example.com", "smtpprobe: no addresses for empty.example.com", 0},
		{"gone.example.com", "no such host gone.example.com", 0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Probe mismatch (-want +got):\n%s", diff)
	}
	noResolver := newProber(t, addr.Port(), x509.NewCertPool(), nil)
	if hr := noResolver.ProbeHost(context.Background(), smtpprobe.Host{Name: mxHost}); hr.Err == nil {
		t.Errorf("ProbeHost without addresses or resolver = %+v, want Err", hr)
	}
}
