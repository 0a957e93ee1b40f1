package cli

import (
	"context"
	"flag"
	"sync"
	"time"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

const checkUsage = `Usage: stsgate check [--dir D] [--config F | --domain D --policy F --zone F] [--dns-resolver ADDR]
                     [--reports SOURCE]... [--as-of T] [--offline] [--probe-mx[=on|off|auto]]
                     [--format text|json|github] [--fail-on error|warning]

Checks each domain the way senders see it: everything lint checks, then the
published _mta-sts, _smtp._tls and MX records and the policy served at
https://mta-sts.<domain>/.well-known/mta-sts.txt, compared with the
repository (drift, id changes, MX coverage), and the TLS-RPT clean window
when reports are configured or given with --reports.

--offline skips the network and checks the declared DNS only.
--probe-mx connects to port 25 of every MX host (EHLO, STARTTLS, the TLS
handshake, QUIT) and says which ones senders would defer mail to under
enforce, with the TLS-RPT result type they would report. probe_mx: auto
(the default) probes except on GitHub-hosted runners, which block port 25;
where every connection times out, one notice says so.
Exit code 3 when something could not be checked (SERVFAIL, timeout) and
nothing else failed.
`

type checkFlags struct {
	repoFlags
	resolver string
	reports  multiFlag
	asOf     string
	offline  bool
	probeMX  probeFlag
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return "" }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runCheck(ctx context.Context, args []string, env Env) (int, error) {
	var f checkFlags
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	f.registerCheck(fs)
	if err := parseFlags(fs, args, checkUsage, env.Stdout, env.Stderr); err != nil {
		return 0, err
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	res, code, err := evaluateCheck(ctx, env, &f, nil)
	if err != nil {
		return 0, err
	}
	return code, f.render(env, res)
}

// validate checks the flags of check and gate: those of every command,
// then that --probe-mx has the network it needs.
func (f *checkFlags) validate() error {
	if f.offline && f.probeMX.mode == config.ProbeOn {
		return usagef("--probe-mx needs the network: drop --offline, or --probe-mx")
	}
	return f.repoFlags.validate()
}

// registerCheck registers the flags of check, which gate shares.
func (f *checkFlags) registerCheck(fs *flag.FlagSet) {
	f.register(fs)
	fs.StringVar(&f.resolver, "dns-resolver", "", "DNS resolver `host:port` (default: the first nameserver of /etc/resolv.conf)")
	fs.Var(&f.reports, "reports", "TLS-RPT report `source` (file, directory, glob, https:// URL or imaps:// mailbox); repeatable")
	fs.StringVar(&f.asOf, "as-of", "", "evaluate the clean window at this `time`: RFC 3339 or YYYY-MM-DD")
	fs.BoolVar(&f.offline, "offline", false, "do not use the network: check the declared DNS only")
	fs.Var(&f.probeMX, "probe-mx", "probe the MX hosts over SMTP on port 25 as MTA-STS senders see them: on (alone), off or auto (default: probe_mx of the configuration, auto = on except on GitHub-hosted runners)")
}

// evaluateCheck runs lint, the live checks and the report windows of the
// selected domains; configure, when not nil, adjusts the configuration
// (action inputs). It returns the result and its exit code.
func evaluateCheck(ctx context.Context, env Env, f *checkFlags, configure func(*config.Config)) (report.Result, int, error) {
	c, err := runChecks(ctx, env, f, checkHooks{configure: configure})
	if err != nil {
		return report.Result{}, 0, err
	}
	return c.res, c.code, nil
}

// checked is the outcome of runChecks: the result with its exit code, and
// what each domain's checks found, for the reminder issues.
type checked struct {
	res     report.Result
	code    int
	cfg     config.Config
	domains []domainResult
}

// checkHooks let the Action adjust a check; nil fields do nothing.
type checkHooks struct {
	// configure adjusts the configuration (the Action's inputs).
	configure func(*config.Config)
	// adjust rewrites the domains' findings before the verdict (the
	// post-merge checks of a push).
	adjust func([]domainResult)
}

// runChecks is evaluateCheck keeping the details of every domain.
func runChecks(ctx context.Context, env Env, f *checkFlags, hooks checkHooks) (checked, error) {
	asOf, err := parseAsOf(f.asOf, env.now())
	if err != nil {
		return checked{}, err
	}
	r, cfgDiags, err := openRepo(&f.repoFlags)
	if err != nil {
		return checked{}, err
	}
	if cfgDiags.Max() == diag.Error {
		return checked{res: report.Result{Verdict: report.Error, Diagnostics: cfgDiags}, code: ExitUsage, cfg: r.cfg}, nil
	}
	if hooks.configure != nil {
		hooks.configure(&r.cfg)
	}
	var net *Network
	if !f.offline {
		if net, err = env.network(r.cfg, f.resolver); err != nil {
			return checked{}, err
		}
	}
	results := checkDomains(ctx, env, r, net, f, asOf)
	blocked, err := probeChecked(ctx, env, r.cfg, f, net, results)
	if err != nil {
		return checked{}, err
	}
	if hooks.adjust != nil {
		hooks.adjust(results)
	}
	res, unverified := collect(results)
	res.Diagnostics = append(append(cfgDiags, res.Diagnostics...), blocked...)
	res, code, _ := finish(res, f.failOn, unverified)
	return checked{res: res, code: code, cfg: r.cfg, domains: results}, nil
}

// finish sets the verdict of a result and returns its exit code: a pass
// with something that could not be checked is "could not evaluate".
func finish(res report.Result, failOn diag.Severity, unverified bool) (report.Result, int, error) {
	res.Verdict = report.VerdictFor(res.Diagnostics, failOn)
	code := exitFor(res.Verdict)
	if res.Verdict == report.Pass && unverified {
		res.Verdict, code = report.Error, ExitNoVerify
	}
	return res, code, nil
}

// checkDomains checks every selected domain, at most cfg.Parallel at once.
func checkDomains(ctx context.Context, env Env, r *repo, net *Network, f *checkFlags, asOf time.Time) []domainResult {
	results := make([]domainResult, len(r.domains))
	sem := make(chan struct{}, max(r.cfg.Parallel, 1))
	var wg sync.WaitGroup
	for i, d := range r.domains {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = checkDomain(ctx, env, r, net, d)
		})
	}
	wg.Wait()
	reportWindows(ctx, env, r, results, f, asOf)
	return results
}

// collect gathers the findings and states of the domains in order.
func collect(results []domainResult) (res report.Result, unverified bool) {
	for _, dr := range results {
		res.Diagnostics = append(res.Diagnostics, dr.diags...)
		state := domainState(dr.name, dr.static)
		state.Window = dr.window
		res.Domains = append(res.Domains, state)
		unverified = unverified || dr.unverified
	}
	return res, unverified
}

type domainResult struct {
	name       string
	repo       check.Repo // what the repository holds
	static     check.Static
	live       *check.LiveResult // nil when offline
	window     *tlsrpt.Window    // nil without report sources
	diags      diag.List
	unverified bool
	liveMX     []string // the live MX hosts; nil when offline or the lookup failed
	// mxFailures are the MX hosts the probe found would fail under
	// enforce, one line each.
	mxFailures []string
}

// checkDomain lints one domain and, with a network, compares it with the
// live state.
func checkDomain(ctx context.Context, env Env, r *repo, net *Network, d config.Domain) domainResult {
	in, loadDiags := r.load(d)
	s := check.Lint(in)
	dr := domainResult{name: d.Name, repo: in, static: s, diags: append(loadDiags, s.Diags...)}
	if net == nil {
		return dr
	}
	live := check.Observe(ctx, net.Resolver, net.Fetcher, d.Name)
	cmp := check.Compare(d.Name, s, live, env.now())
	dr.live = &cmp
	dr.liveMX, _ = liveFacts(live)
	dr.diags = append(dr.diags, cmp.Diags...)
	dr.unverified = cmp.Unverified
	return dr
}

// reportWindows computes the clean window of the domains that have report
// sources (--reports applies to every selected domain).
func reportWindows(ctx context.Context, env Env, r *repo, results []domainResult, f *checkFlags, asOf time.Time) {
	for i, d := range r.domains {
		specs := d.Reports
		if len(f.reports) > 0 {
			specs = f.reports
		}
		if len(specs) == 0 {
			continue
		}
		var mx []string
		if p := results[i].static.Policy; p != nil {
			mx = p.MX
		}
		agg := tlsrpt.NewAggregator(windowOptions(r.cfg, 0, asOf), map[string][]string{d.Name: mx})
		sources, diags := source.Expand(f.dir, specs)
		agg, read := readReports(ctx, env, r.cfg, f.dir, sources, agg, asOf)
		diags = append(diags, read...)
		results[i].diags = append(results[i].diags, diags.ForDomain(d.Name)...)
		w := agg.Window(d.Name)
		results[i].window = &w
	}
}
