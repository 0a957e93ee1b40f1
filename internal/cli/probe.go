package cli

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/gate"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/smtpprobe"
)

// probeFlag is --probe-mx: on when given alone, or auto, on or off. Unset,
// probe_mx of the configuration decides.
type probeFlag struct{ mode config.ProbeMode }

func (f *probeFlag) String() string   { return string(f.mode) }
func (f *probeFlag) IsBoolFlag() bool { return true }

func (f *probeFlag) Set(v string) error {
	switch strings.ToLower(v) {
	case "true", "on", "1":
		f.mode = config.ProbeOn
	case "false", "off", "0":
		f.mode = config.ProbeOff
	case "auto":
		f.mode = config.ProbeAuto
	default:
		return fmt.Errorf("want on, off or auto, not %q", v)
	}
	return nil
}

// probeEnabled decides whether the MX hosts are probed: the flag over the
// configuration; auto is on except on GitHub-hosted runners, whose
// outbound port 25 is blocked (DESIGN §1.12).
func probeEnabled(flagMode, cfgMode config.ProbeMode, runnerEnv string) bool {
	mode := cmp.Or(flagMode, cfgMode, config.DefaultProbeMX)
	return mode == config.ProbeOn || mode == config.ProbeAuto && runnerEnv != "github-hosted"
}

// probeTarget is one domain's MX hosts to probe and the stake of a failure.
type probeTarget struct {
	domain string
	hosts  []string
	// mode is the policy mode senders would apply: enforce for a domain in
	// enforce or a change that flips to it.
	mode policy.Mode
	flip bool // the change flips the policy to enforce (gate)
}

// probeFindings is what the probe found for each target, in order: the
// diagnostics, and the one-line reasons of the MX hosts that would fail
// under enforce (for the reminder issue).
type probeFindings struct {
	diags    []diag.List
	failures [][]string
	blocked  diag.List // the one notice that port 25 is blocked, if so
}

// probeMX probes the MX hosts of every target with one Prober, at most
// cfg.Parallel hosts at once, each host once however many domains name
// it. It returns nothing when the probe is off or there is no network.
//
// The probe is an observation of the servers as they are: certificates
// are judged by the real clock, as the TLS stack judges the policy host's,
// not by Env.Now (a test's fixed clock) or --as-of.
func probeMX(ctx context.Context, env Env, cfg config.Config, mode config.ProbeMode, net *Network, targets []probeTarget) (probeFindings, error) {
	var out probeFindings
	if net == nil || !probeEnabled(mode, cfg.ProbeMX, env.getenv("RUNNER_ENVIRONMENT")) {
		return out, nil
	}
	p, err := smtpprobe.New(smtpprobe.Options{Resolver: net.Resolver, Roots: net.Roots, Port: net.SMTPPort,
		EHLOName: cfg.ProbeEHLOName, Concurrency: cfg.Parallel})
	if err != nil {
		return out, fmt.Errorf("mx probe: %w", err)
	}
	var hosts []smtpprobe.Host
	for _, t := range targets {
		for _, h := range t.hosts {
			if !slices.ContainsFunc(hosts, func(x smtpprobe.Host) bool { return x.Name == h }) {
				hosts = append(hosts, smtpprobe.Host{Name: h})
			}
		}
	}
	results := p.Probe(ctx, hosts)
	byHost := map[string]smtpprobe.HostResult{}
	for _, r := range results {
		byHost[r.Host] = r
	}
	tlsa := lookupTLSA(ctx, net.Resolver, results, cfg.Parallel)
	return judgeProbes(targets, byHost, tlsa, time.Now()), nil
}

// probeHosts returns the MX hosts to probe for a domain: the live ones, or
// when they could not be looked up the declared ones, or else the policy's
// mx patterns that are not wildcards. The null MX is no host.
func probeHosts(live, declared []string, p *policy.Policy) []string {
	hosts := live
	if hosts == nil {
		hosts = declared
	}
	if hosts == nil && p != nil {
		for _, m := range p.MX {
			if !strings.HasPrefix(m, "*.") {
				hosts = append(hosts, m)
			}
		}
	}
	var out []string
	for _, h := range hosts {
		if h = policy.NormalizeHost(h); h != "" && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// probeChecked probes the MX hosts of the checked domains and adds the
// findings to each; it returns the run's own notices (port 25 blocked).
func probeChecked(ctx context.Context, env Env, cfg config.Config, f *checkFlags, net *Network, results []domainResult) (diag.List, error) {
	targets := make([]probeTarget, len(results))
	for i, dr := range results {
		targets[i] = probeTarget{domain: dr.name, hosts: probeHosts(dr.liveMX, declaredMX(dr.repo), dr.static.Policy)}
		if p := dr.static.Policy; p != nil {
			targets[i].mode = p.Mode
		}
	}
	pf, err := probeMX(ctx, env, cfg, f.probeMX.mode, net, targets)
	if err != nil || pf.diags == nil {
		return nil, err
	}
	for i := range results {
		results[i].diags = append(results[i].diags, pf.diags[i]...)
		results[i].mxFailures = pf.failures[i]
	}
	return pf.blocked, nil
}

// declaredMX returns the MX hosts the repository declares, nil when it
// declares none.
func declaredMX(r check.Repo) []string {
	if r.DNS == nil {
		return nil
	}
	var hosts []string
	for _, m := range r.DNS.MX {
		hosts = append(hosts, m.Host)
	}
	return hosts
}

// gateProbeTarget is what the gate probes for a domain: the live MX hosts
// (or the head's declared ones, or its policy's), judged by the head's
// mode; a change to enforce is a flip.
func gateProbeTarget(in gate.Input, head check.Repo) probeTarget {
	t := probeTarget{domain: in.Domain, hosts: probeHosts(in.LiveMX, declaredMX(head), in.Head.Static.Policy)}
	if p := in.Head.Static.Policy; p != nil {
		t.mode = p.Mode
	}
	base := in.Base.Static.Policy
	t.flip = t.mode == policy.ModeEnforce && (base == nil || base.Mode != policy.ModeEnforce)
	return t
}

// probeGated probes the MX hosts of the gated domains. The override label
// lowers the probe's errors to warnings, as it does the gate's.
func probeGated(ctx context.Context, env Env, cfg config.Config, mode config.ProbeMode, net *Network, targets []probeTarget, override bool) (diag.List, error) {
	pf, err := probeMX(ctx, env, cfg, mode, net, targets)
	if err != nil {
		return nil, err
	}
	var out diag.List
	for _, l := range pf.diags {
		for _, d := range l {
			if override && d.Severity == diag.Error {
				d = d.As(diag.Warning)
			}
			out.Add(d)
		}
	}
	return append(out, pf.blocked...), nil
}
