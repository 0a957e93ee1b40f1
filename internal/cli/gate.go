package cli

import (
	"context"
	"errors"
	"flag"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/gate"
	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

const gateUsage = `Usage: stsgate gate --base REF [--dir D] [--config F | --domain D --policy F --zone F]
                    [--reports SOURCE]... [--dns-resolver ADDR] [--offline] [--override]
                    [--probe-mx[=on|off|auto]] [--as-of T] [--filter-mode changed|all]
                    [--format text|json|github] [--fail-on error|warning]

Judges the change from the merge base of REF and HEAD to the working tree
the way the pull-request gate of the Action does: it fails a flip to
enforce without a clean TLS-RPT window, a policy change without a new
_mta-sts id, an enforce policy that does not cover the MX hosts, and the
removal of an enforce policy without a "mode: none" phase. The gate's
settings (clean_days, known senders, ignore rules) come from the base
configuration, so a change cannot relax the rules that judge it.

--override acts as the override label: gate failures become warnings.

--filter-mode changed (the default) counts the findings in the files the
change touches and the ones it brings; a finding the base has too, in a
file the change does not touch, is listed as a pre-existing notice.
--filter-mode all counts every finding.

--probe-mx probes the MX hosts as check does; on a change that flips to
enforce, an MX host senders would defer mail to is an error.
`

type gateFlags struct {
	checkFlags
	base     string
	override bool
	filter   string
}

func runGate(ctx context.Context, args []string, env Env) (int, error) {
	var f gateFlags
	fs := flag.NewFlagSet("gate", flag.ContinueOnError)
	f.registerCheck(fs)
	fs.StringVar(&f.base, "base", "", "the `ref` the change is judged against (its merge base with HEAD)")
	fs.BoolVar(&f.override, "override", false, "act as if the override label were on the pull request")
	fs.StringVar(&f.filter, "filter-mode", string(filterChanged), "which findings fail the gate: `changed` (those in files the change touches, and new ones) or all")
	if err := parseFlags(fs, args, gateUsage, env.Stdout, env.Stderr); err != nil {
		return 0, err
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	if f.base == "" {
		return 0, usagef("gate needs --base REF (for example --base origin/main)")
	}
	filter, ok := parseFilterMode(f.filter)
	if !ok {
		return 0, usagef("--filter-mode %q: want changed or all", f.filter)
	}
	sha, err := mergeBase(ctx, f.dir, f.base)
	if err != nil {
		return 0, err
	}
	base := gitRevision{ctx: ctx, dir: f.dir, rev: sha}
	run := gateRun{flags: &f.checkFlags, base: base, override: func(config.Config) bool { return f.override },
		changes: newBaseChanges(filter, base, f.dir)}
	res, code, err := run.evaluate(ctx, env)
	if err != nil {
		return 0, err
	}
	return code, f.render(env, res)
}

// gateRun is one evaluation of the pull-request gate (DESIGN §1.5).
type gateRun struct {
	flags *checkFlags
	base  revision // the files of the base revision
	// override reports, given the base configuration, whether the
	// override label is on the pull request.
	override func(config.Config) bool
	// configure, when not nil, adjusts both configurations (inputs).
	configure func(*config.Config)
	// changes tells the files the pull request changes, for the
	// findings it does not bring; nil counts every finding (filterAll).
	changes *baseChanges
	// findings are the run's own findings from before the domains were
	// judged (the Action's zero-configuration domain).
	findings diag.List
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
	base, baseCfgDiags := g.openBase(head)
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
	res := report.Result{Diagnostics: append(slices.Clone(g.findings), g.changes.preexisting(cfgDiags, baseCfgDiags)...)}
	unverified := false
	var probes []probeTarget
	for _, d := range head.domains {
		dr := g.domain(ctx, env, head, base, net, d, asOf, override)
		res.Diagnostics = append(res.Diagnostics, dr.diags...)
		res.Domains = append(res.Domains, dr.state)
		unverified = unverified || dr.unverified
		probes = append(probes, dr.probe)
	}
	for _, bf := range g.baseFiles(head, base) {
		dr := g.domain(ctx, env, head, base, net, bf.domain, asOf, override)
		res.Diagnostics = append(append(res.Diagnostics, bf.notice), dr.diags...)
		if bf.dropped {
			res.Domains = append(res.Domains, dr.state)
			probes = append(probes, dr.probe)
		}
		unverified = unverified || dr.unverified
	}
	probed, err := probeGated(ctx, env, base.cfg, f.probeMX.mode, net, probes, override)
	if err != nil {
		return report.Result{}, 0, err
	}
	res.Diagnostics = append(res.Diagnostics, probed...)
	return finish(res, f.failOn, unverified)
}

// openBase opens the base revision with the configuration file the head
// uses. Its settings judge the change; without a configuration at the
// base, the defaults do. The diagnostics are those of the base
// configuration.
func (g gateRun) openBase(head *repo) (*repo, diag.List) {
	name := g.flags.config
	if name == "" && head.cfg.File != "" {
		name = head.cfg.File
	}
	base := &repo{fsys: revisionFS{g.base}, cfg: config.Default()}
	if name == "" {
		return base, nil
	}
	src, err := base.read(name, maxConfigFile)
	if err != nil {
		return base, nil
	}
	cfg, diags := config.Parse(name, src)
	if diags.Max() < diag.Error {
		base.cfg = cfg
	}
	return base, diags
}

type gateDomainResult struct {
	state      report.Domain
	diags      diag.List
	unverified bool
	probe      probeTarget // the MX hosts to probe
}

// domain judges one domain: the head's static checks, then the gate's
// rules on the base and head states, the base policy's clean window and
// the live MX hosts.
func (g gateRun) domain(ctx context.Context, env Env, head, base *repo, net *Network, d config.Domain, asOf time.Time, override bool) gateDomainResult {
	headIn, diags := head.load(d)
	hs := check.Lint(headIn)
	bd, ok := base.cfg.Domain(d.Name)
	if !ok {
		// A domain the pull request adds: its files are judged, but it
		// has no trusted report sources (DESIGN §1.11).
		bd = d
		bd.Reports = nil
	}
	baseIn, baseDiags := base.load(bd)
	bs := check.Lint(baseIn)
	in := gate.Input{
		Domain:   d.Name,
		Base:     gate.Side{Static: bs, DNS: baseIn.DNS},
		Head:     gate.Side{Static: hs, DNS: headIn.DNS},
		Override: override,
	}
	var r gateDomainResult
	// What the base revision already had wrong, in a file the pull
	// request does not change, does not fail it (filter mode changed).
	r.diags = g.changes.preexisting(append(diags, hs.Diags...), append(baseDiags, bs.Diags...))
	var evidence diag.List
	in.Window, evidence = g.window(ctx, env, base, bd, d, bs, asOf, nil)
	if net != nil {
		live := check.Observe(ctx, net.Resolver, net.Fetcher, d.Name)
		in.LiveMX, in.LiveMode = liveFacts(live)
	}
	out := gate.Evaluate(in)
	if !out.Flip {
		evidence = notNeeded(evidence)
	}
	r.diags = append(append(r.diags, evidence...), out.Diags...)
	r.probe = gateProbeTarget(in, headIn)
	r.state = domainState(d.Name, hs)
	r.state.Window = in.Window
	return r
}

// notNeeded lowers the errors found reading the reports (a report URL or
// mailbox that could not be read, a corrupt report file) to warnings for
// a change that does not flip to enforce: its verdict does not depend on
// the clean window (reference §6.7), so evidence that could not be read
// must not fail it. A flip keeps them as errors: what could not be read
// might hold the failures that make enforce unsafe.
func notNeeded(l diag.List) diag.List {
	out := make(diag.List, len(l))
	for i, d := range l {
		if d.Severity == diag.Error {
			d = d.As(diag.Warning)
			d.Message += "; the change does not flip to enforce, so its verdict does not depend on the reports"
		}
		out[i] = d
	}
	return out
}

// window computes the clean window of the base policy from the gate's
// evidence (DESIGN §1.5, §1.11): the report sources of the base
// configuration (or --reports), and of the local ones the files of the
// base revision. What the pull request adds is listed, not counted. nil
// when there are no sources.
func (g gateRun) window(ctx context.Context, env Env, base *repo, bd, hd config.Domain, bs check.Static, asOf time.Time, diags diag.List) (*tlsrpt.Window, diag.List) {
	specs := g.flags.reports
	var added []string
	if len(specs) == 0 {
		specs = bd.Reports
		added = addedSources(bd.Reports, hd.Reports)
	}
	if len(specs) == 0 {
		return nil, append(diags, untrusted(added, nil, nil).ForDomain(hd.Name)...)
	}
	var mx []string
	if bs.Policy != nil {
		mx = bs.Policy.MX
	}
	agg := tlsrpt.NewAggregator(windowOptions(base.cfg, 0, asOf), map[string][]string{hd.Name: mx})
	ev := &evidence{rev: g.base, dir: g.flags.dir, expect: map[string]treeFile{}}
	sources, more := g.evidenceSources(ev, specs)
	r := newReader(env, base.cfg, g.flags.dir, sources, asOf)
	r.Base = ev
	agg, read := readInto(ctx, env, r, sources, agg)
	more = append(more, read...)
	more = append(more, untrusted(added, ev.addedFiles(sources.Local), ev.changedFiles())...)
	w := agg.Window(hd.Name)
	return &w, append(diags, more.ForDomain(hd.Name)...)
}

// addedSources returns the report sources of head that base does not
// name: a pull request's own sources are not read (DESIGN §1.5).
func addedSources(base, head []string) []string {
	var added []string
	for _, s := range head {
		if !slices.Contains(base, s) {
			added = append(added, s)
		}
	}
	return added
}

// evidenceSources lists what the gate reads for specs: the base
// revision's files for repository paths, and URLs and absolute paths
// (given on the command line) as they are.
func (g gateRun) evidenceSources(ev *evidence, specs []string) (source.Sources, diag.List) {
	var given []string
	var s source.Sources
	var diags diag.List
	for _, spec := range specs {
		if source.IsURL(spec) || source.IsMailbox(spec) || strings.HasPrefix(spec, "http://") || filepath.IsAbs(spec) {
			given = append(given, spec)
			continue
		}
		files, err := baseFiles(g.base, spec)
		switch {
		case err != nil:
			diags.Add(source.Diag(spec, "cannot be listed in the base revision: "+err.Error(), baseListHint(err)))
		case len(files) == 0:
			diags.Add(source.Diag(spec, "names no report file in the base revision", "commit reports under it in a pull request of their own; the gate counts only what the base revision holds"))
		}
		s.Files = append(s.Files, ev.add(files)...)
		s.Local = append(s.Local, spec)
	}
	more, d := source.Expand(g.flags.dir, given)
	s.Files = append(s.Files, more.Files...)
	s.Dirs, s.URLs, s.Mailboxes = more.Dirs, more.URLs, more.Mailboxes
	slices.Sort(s.Files)
	s.Files = slices.Compact(s.Files)
	return s, append(diags, d...)
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

// baseListHint is the fix for a base revision that could not be listed:
// the token's permission only when GitHub refused it, else the cause.
func baseListHint(err error) string {
	var perm *ghapi.PermissionError
	var limit *ghapi.RateLimitError
	switch {
	case errors.As(err, &perm):
		return "give the workflow's token contents: read permission"
	case errors.As(err, &limit):
		return "the GitHub API rate limit was reached; run the gate again once it resets"
	case errors.Is(err, ghapi.ErrNotFound):
		return "check that the base revision exists (in a local clone, fetch it: git fetch origin, or actions/checkout with fetch-depth: 0)"
	}
	return "GitHub, git or the network failed as the error says; run the gate again"
}
