package cli

import (
	"context"
	"flag"
	"io/fs"
	"time"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/gate"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

const gateUsage = `Usage: stsgate gate --base REF [--dir D] [--config F | --domain D --policy F --zone F]
                    [--reports SOURCE]... [--dns-resolver ADDR] [--offline] [--override]
                    [--as-of T] [--format text|json|github]

Judges the change from the merge base of REF and HEAD to the working tree
the way the pull-request gate of the Action does: it fails a flip to
enforce without a clean TLS-RPT window, a policy change without a new
_mta-sts id, an enforce policy that does not cover the MX hosts, and the
removal of an enforce policy without a "mode: none" phase. The gate's
settings (clean_days, known senders, ignore rules) come from the base
configuration, so a change cannot relax the rules that judge it.

--override acts as the override label: gate failures become warnings.
`

type gateFlags struct {
	checkFlags
	base     string
	override bool
}

func runGate(ctx context.Context, args []string, env Env) (int, error) {
	var f gateFlags
	fs := flag.NewFlagSet("gate", flag.ContinueOnError)
	f.registerCheck(fs)
	fs.StringVar(&f.base, "base", "", "the `ref` the change is judged against (its merge base with HEAD)")
	fs.BoolVar(&f.override, "override", false, "act as if the override label were on the pull request")
	if err := parseFlags(fs, args, gateUsage, env.Stdout, env.Stderr); err != nil {
		return 0, err
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	if f.base == "" {
		return 0, usagef("gate needs --base REF (for example --base origin/main)")
	}
	sha, err := mergeBase(ctx, f.dir, f.base)
	if err != nil {
		return 0, err
	}
	run := gateRun{flags: &f.checkFlags, base: revisionFS{gitRevision(ctx, f.dir, sha)}, override: func(config.Config) bool { return f.override }}
	res, code, err := run.evaluate(ctx, env)
	if err != nil {
		return 0, err
	}
	return code, render(env, f.format, res)
}

// gateRun is one evaluation of the pull-request gate (DESIGN §1.5).
type gateRun struct {
	flags *checkFlags
	base  fs.FS // the files of the base revision
	// override reports, given the base configuration, whether the
	// override label is on the pull request.
	override func(config.Config) bool
	// configure, when not nil, adjusts both configurations (inputs).
	configure func(*config.Config)
}

// evaluate judges every selected domain of the head against the base.
func (g gateRun) evaluate(ctx context.Context, env Env) (report.Result, int, error) {
	f := g.flags
	asOf, err := parseAsOf(f.asOf, env.now())
	if err != nil {
		return report.Result{}, 0, err
	}
	head, cfgDiags, err := openRepo(&f.repoFlags)
	if err != nil {
		return report.Result{}, 0, err
	}
	if cfgDiags.Max() == diag.Error {
		return report.Result{Verdict: report.Error, Diagnostics: cfgDiags}, ExitUsage, nil
	}
	base := g.openBase(head)
	if g.configure != nil {
		g.configure(&head.cfg)
		g.configure(&base.cfg)
	}
	var net *Network
	if !f.offline {
		if net, err = env.network(base.cfg, f.resolver); err != nil {
			return report.Result{}, 0, err
		}
	}
	override := g.override != nil && g.override(base.cfg)
	res := report.Result{Diagnostics: cfgDiags}
	unverified := false
	for _, d := range head.domains {
		dr := g.domain(ctx, env, head, base, net, d, asOf, override)
		res.Diagnostics = append(res.Diagnostics, dr.diags...)
		res.Domains = append(res.Domains, dr.state)
		unverified = unverified || dr.unverified
	}
	return finish(res, f.failOn, unverified)
}

// openBase opens the base revision with the configuration file the head
// uses. Its settings judge the change; without a configuration at the
// base, the defaults do.
func (g gateRun) openBase(head *repo) *repo {
	name := g.flags.config
	if name == "" && head.cfg.File != "" {
		name = head.cfg.File
	}
	base := &repo{fsys: g.base, cfg: config.Default()}
	if name == "" {
		return base
	}
	src, err := base.read(name)
	if err != nil {
		return base
	}
	if cfg, diags := config.Parse(name, src); diags.Max() < diag.Error {
		base.cfg = cfg
	}
	return base
}

type gateDomainResult struct {
	state      report.Domain
	diags      diag.List
	unverified bool
}

// domain judges one domain: the head's static checks, then the gate's
// rules on the base and head states, the base policy's clean window and
// the live MX hosts.
func (g gateRun) domain(ctx context.Context, env Env, head, base *repo, net *Network, d config.Domain, asOf time.Time, override bool) gateDomainResult {
	headIn, diags := head.load(d)
	hs := check.Lint(headIn)
	bd, ok := base.cfg.Domain(d.Name)
	if !ok {
		bd = d
	}
	baseIn, _ := base.load(bd)
	bs := check.Lint(baseIn)
	in := gate.Input{
		Domain:   d.Name,
		Base:     gate.Side{Static: bs, DNS: baseIn.DNS},
		Head:     gate.Side{Static: hs, DNS: headIn.DNS},
		Override: override,
	}
	var r gateDomainResult
	r.diags = append(diags, hs.Diags...)
	in.Window, r.diags = g.window(ctx, env, base, bd, d, bs, asOf, r.diags)
	if net != nil {
		live := check.Observe(ctx, net.Resolver, net.Fetcher, d.Name)
		in.LiveMX, in.LiveMode = liveFacts(live)
	}
	out := gate.Evaluate(in)
	r.diags = append(r.diags, out.Diags...)
	r.state = domainState(d.Name, hs)
	r.state.Window = in.Window
	return r
}

// window computes the clean window of the base policy from the report
// sources the base configuration names (else the head's, or --reports),
// read from the working tree; nil when there are none.
func (g gateRun) window(ctx context.Context, env Env, base *repo, bd, hd config.Domain, bs check.Static, asOf time.Time, diags diag.List) (*tlsrpt.Window, diag.List) {
	specs := bd.Reports
	if len(specs) == 0 {
		specs = hd.Reports
	}
	if len(g.flags.reports) > 0 {
		specs = g.flags.reports
	}
	if len(specs) == 0 {
		return nil, diags
	}
	var mx []string
	if bs.Policy != nil {
		mx = bs.Policy.MX
	}
	agg := tlsrpt.NewAggregator(windowOptions(base.cfg, 0, asOf), map[string][]string{hd.Name: mx})
	sources, more := expandSources(g.flags.dir, specs)
	more = append(more, readReports(ctx, env, base.cfg, g.flags.dir, sources, agg)...)
	w := agg.Window(hd.Name)
	return &w, append(diags, more.ForDomain(hd.Name)...)
}

// liveFacts returns what the gate uses of the live state: the MX hosts
// (nil when the lookup failed; the declared ones are used then) and the
// mode of the served policy ("" when it could not be read).
func liveFacts(l check.Live) ([]string, policy.Mode) {
	var mx []string
	if l.MXErr == nil {
		for _, m := range l.MX {
			mx = append(mx, policy.NormalizeHost(m.Host))
		}
	}
	var mode policy.Mode
	if l.FetchErr == nil && l.Fetched.Status == 200 {
		if p, diags := policy.Parse(l.Fetched.Body); diags.Max() < diag.Error {
			mode = p.Mode
		}
	}
	return mx, mode
}
