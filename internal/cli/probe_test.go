package cli

import (
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

var probeNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// probed builds the result of one address of host.
func probed(host, addr string, adjust func(*smtpprobe.Result)) smtpprobe.Result {
	r := smtpprobe.Result{Host: host, Addr: netip.MustParseAddr(addr), Stage: smtpprobe.StageDone, STARTTLS: true,
		TLS: &smtpprobe.TLSInfo{Leaf: smtpprobe.Certificate{DNSNames: []string{host}, Issuer: "CN=Test CA",
			NotAfter: probeNow.Add(90 * 24 * time.Hour)}}}
	if adjust != nil {
		adjust(&r)
	}
	return r
}

func mismatch(names ...string) func(*smtpprobe.Result) {
	return func(r *smtpprobe.Result) {
		r.TLS.Leaf.DNSNames = names
		r.Problems = []smtpprobe.Problem{{Type: smtpprobe.CertificateHostMismatch, Reason: "x509: certificate is valid for " + names[0]}}
	}
}

func timedOut(r *smtpprobe.Result) {
	*r = smtpprobe.Result{Host: r.Host, Addr: r.Addr, Stage: smtpprobe.StageConnect, Connect: smtpprobe.ConnectTimedOut,
		Err: errors.New("dial tcp: i/o timeout")}
}

// found is what a test compares of a diagnostic.
type found struct {
	Domain, Subject string
	Code            diag.Code
	Severity        diag.Severity
	Message         string
}

func foundOf(l diag.List) []found {
	var out []found
	for _, d := range l {
		out = append(out, found{d.Domain, d.Subject, d.Code, d.Severity, d.Message})
	}
	return out
}

func TestJudgeProbes(t *testing.T) {
	t.Parallel()
	const mx1, mx2 = "mx1.example.com", "mx2.example.com"
	host := func(name string, results ...smtpprobe.Result) smtpprobe.HostResult {
		return smtpprobe.HostResult{Host: name, Results: results}
	}
	target := func(mode policy.Mode, flip bool, hosts ...string) probeTarget {
		return probeTarget{domain: "example.com", hosts: hosts, mode: mode, flip: flip}
	}
	tests := []struct {
		name     string
		target   probeTarget
		hosts    []smtpprobe.HostResult
		want     []found
		failures []string
		blocked  bool
	}{
		{
			name:   "all pass",
			target: target(policy.ModeEnforce, false, mx1, mx2),
			hosts:  []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", nil)), host(mx2, probed(mx2, "192.0.2.2", nil))},
		},
		{
			name:   "flip with a certificate for another name",
			target: target(policy.ModeEnforce, true, mx1, mx2),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", nil)),
				host(mx2, probed(mx2, "192.0.2.2", mismatch("mail.other.example")))},
			want: []found{{"example.com", "MX " + mx2, diag.ProbeMXWouldFail, diag.Error,
				"enforce would break delivery to mx2.example.com: its certificate is for mail.other.example (senders would report certificate-host-mismatch)"}},
			failures: []string{"mx2.example.com: its certificate is for mail.other.example (certificate-host-mismatch)"},
		},
		{
			name:   "enforce without STARTTLS",
			target: target(policy.ModeEnforce, false, mx1),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", func(r *smtpprobe.Result) {
				r.STARTTLS, r.TLS = false, nil
				r.Problems = []smtpprobe.Problem{{Type: smtpprobe.StartTLSNotSupported, Reason: "the EHLO reply does not offer STARTTLS"}}
			}))},
			want: []found{{"example.com", "MX " + mx1, diag.ProbeMXWouldFail, diag.Error,
				"senders that apply the enforce policy defer mail to mx1.example.com: the EHLO reply does not offer STARTTLS (their TLS-RPT reports show starttls-not-supported)"}},
			failures: []string{"mx1.example.com: the EHLO reply does not offer STARTTLS (starttls-not-supported)"},
		},
		{
			name:   "testing with an expired certificate at one of two addresses",
			target: target(policy.ModeTesting, false, mx1),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", nil), probed(mx1, "2001:db8::1", func(r *smtpprobe.Result) {
				r.Problems = []smtpprobe.Problem{{Type: smtpprobe.CertificateExpired, Reason: "the certificate expired on 2026-11-01 00:00:00 UTC"}}
			}))},
			want: []found{{"example.com", "MX " + mx1, diag.ProbeMXWouldFail, diag.Warning,
				"enforce would break delivery to mx1.example.com at 2001:db8::1: its certificate expired on 2026-11-01 00:00:00 UTC; without enforce senders still deliver, and report certificate-expired in TLS-RPT"}},
			failures: []string{"mx1.example.com at 2001:db8::1: its certificate expired on 2026-11-01 00:00:00 UTC (certificate-expired)"},
		},
		{
			name:   "untrusted, intermediate missing",
			target: target(policy.ModeEnforce, true, mx1),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", func(r *smtpprobe.Result) {
				r.Problems = []smtpprobe.Problem{{Type: smtpprobe.CertificateNotTrusted,
					Reason: "x509: certificate signed by unknown authority (the server sent only its own certificate: is the intermediate missing?)"}}
			}))},
			want: []found{{"example.com", "MX " + mx1, diag.ProbeMXWouldFail, diag.Error,
				`enforce would break delivery to mx1.example.com: its certificate, issued by "CN=Test CA", does not chain to a root CA senders trust (the server sends only its own certificate: is the intermediate missing?) (senders would report certificate-not-trusted)`}},
			failures: []string{`mx1.example.com: its certificate, issued by "CN=Test CA", does not chain to a root CA senders trust (the server sends only its own certificate: is the intermediate missing?) (certificate-not-trusted)`},
		},
		{
			name:   "certificate expiring in 10 days",
			target: target(policy.ModeEnforce, false, mx1),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", func(r *smtpprobe.Result) {
				r.TLS.Leaf.NotAfter = probeNow.Add(10*24*time.Hour + time.Hour)
			}))},
			want: []found{{"example.com", "MX " + mx1, diag.ProbeMXCertExpiring, diag.Warning,
				"the certificate of MX host mx1.example.com expires on 2026-12-08, in 10 days; then senders that apply an enforce policy defer mail to it (certificate-expired)"}},
		},
		{
			name:   "every connect times out: one notice",
			target: target(policy.ModeEnforce, true, mx1, mx2),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", timedOut), probed(mx1, "192.0.2.3", timedOut)),
				host(mx2, probed(mx2, "192.0.2.2", timedOut))},
			blocked: true,
		},
		{
			name:   "IPv4 times out, IPv6 has no route: blocked all the same",
			target: target(policy.ModeEnforce, false, mx1),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", timedOut), probed(mx1, "2001:db8::1", func(r *smtpprobe.Result) {
				timedOut(r)
				r.Connect, r.Err = smtpprobe.ConnectUnreachable, errors.New("connect: network is unreachable")
			}))},
			blocked: true,
		},
		{
			name:   "one address refused",
			target: target(policy.ModeEnforce, false, mx1),
			hosts: []smtpprobe.HostResult{host(mx1, probed(mx1, "192.0.2.1", nil), probed(mx1, "192.0.2.9", func(r *smtpprobe.Result) {
				timedOut(r)
				r.Connect, r.Err = smtpprobe.ConnectRefused, errors.New("connection refused")
			}))},
			want: []found{{"example.com", "MX " + mx1, diag.ProbeMXUnprobed, diag.Notice,
				"could not probe MX host mx1.example.com: the probe of 192.0.2.9 ended early (connection refused); this says nothing about whether enforce would break delivery to it"}},
		},
		{
			name:   "no address",
			target: target(policy.ModeTesting, false, mx1),
			hosts:  []smtpprobe.HostResult{{Host: mx1, Err: errors.New("no such host")}},
			want: []found{{"example.com", "MX " + mx1, diag.ProbeMXUnprobed, diag.Notice,
				"could not probe MX host mx1.example.com: its addresses could not be looked up (no such host); this says nothing about whether enforce would break delivery to it"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			byHost := map[string]smtpprobe.HostResult{}
			for _, h := range tc.hosts {
				byHost[h.Host] = h
			}
			got := judgeProbes([]probeTarget{tc.target}, byHost, nil, probeNow)
			if diff := cmp.Diff(tc.want, foundOf(got.diags[0])); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.failures, got.failures[0]); diff != "" {
				t.Errorf("failures mismatch (-want +got):\n%s", diff)
			}
			if b := len(got.blocked) == 1 && got.blocked[0].Code == diag.ProbePort25Blocked; b != tc.blocked || len(got.blocked) > 1 {
				t.Errorf("blocked = %v; want one notice: %v", got.blocked, tc.blocked)
			}
		})
	}
}

// TestJudgeProbesBlockedOnce: several domains whose MX hosts all time
// out get one notice for the run and nothing each.
func TestJudgeProbesBlockedOnce(t *testing.T) {
	t.Parallel()
	byHost := map[string]smtpprobe.HostResult{}
	var targets []probeTarget
	for i := range 3 {
		h := fmt.Sprintf("mx.example%d.com", i)
		byHost[h] = smtpprobe.HostResult{Host: h, Results: []smtpprobe.Result{probed(h, fmt.Sprintf("192.0.2.%d", i+1), timedOut)}}
		targets = append(targets, probeTarget{domain: fmt.Sprintf("example%d.com", i), hosts: []string{h}, mode: policy.ModeEnforce})
	}
	got := judgeProbes(targets, byHost, nil, probeNow)
	if len(got.blocked) != 1 {
		t.Fatalf("blocked = %v; want one notice", got.blocked)
	}
	if d := got.blocked[0]; d.Severity != diag.Notice || d.Domain != "" {
		t.Errorf("blocked notice = %+v; want a notice for no domain", d)
	}
	for i, l := range got.diags {
		if len(l) > 0 {
			t.Errorf("target %d diagnostics = %v; want none", i, l)
		}
	}
}

func TestProbeEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flag, cfg config.ProbeMode
		runner    string
		want      bool
	}{
		{"", "", "", true},
		{"", config.ProbeAuto, "self-hosted", true},
		{"", config.ProbeAuto, "github-hosted", false},
		{"", config.ProbeOff, "", false},
		{"", config.ProbeOn, "github-hosted", true},
		{config.ProbeOn, config.ProbeOff, "github-hosted", true},
		{config.ProbeOff, config.ProbeOn, "", false},
		{config.ProbeAuto, config.ProbeOn, "github-hosted", false},
	}
	for _, tc := range tests {
		if got := probeEnabled(tc.flag, tc.cfg, tc.runner); got != tc.want {
			t.Errorf("probeEnabled(%q, %q, %q) = %v; want %v", tc.flag, tc.cfg, tc.runner, got, tc.want)
		}
	}
}

func TestProbeFlag(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]config.ProbeMode{"true": config.ProbeOn, "ON": config.ProbeOn, "false": config.ProbeOff, "off": config.ProbeOff, "auto": config.ProbeAuto} {
		var f probeFlag
		if err := f.Set(in); err != nil || f.mode != want {
			t.Errorf("Set(%q) = %v, mode %q; want %q", in, err, f.mode, want)
		}
	}
	var f probeFlag
	if err := f.Set("sometimes"); err == nil {
		t.Error(`Set("sometimes") succeeded`)
	}
}

func TestProbeHosts(t *testing.T) {
	t.Parallel()
	p := &policy.Policy{MX: []string{"*.example.net", "mail.example.com"}}
	tests := []struct {
		name           string
		live, declared []string
		want           []string
	}{
		{"live first", []string{"MX1.example.com.", "mx1.example.com", "."}, []string{"other.example.com"}, []string{"mx1.example.com"}},
		{"declared when no live", nil, []string{"mx2.example.com", ""}, []string{"mx2.example.com"}},
		{"policy names without wildcards", nil, nil, []string{"mail.example.com"}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, probeHosts(tc.live, tc.declared, p)); diff != "" {
			t.Errorf("%s: probeHosts mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}
