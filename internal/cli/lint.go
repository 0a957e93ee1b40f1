package cli

import (
	"context"
	"flag"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/report"
)

const lintUsage = `Usage: stsgate lint [--dir D] [--config F] [--domain D --policy F --zone F] [--format text|json|github]
                    [--fail-on error|warning]

Checks the repository without network: the configuration, each domain's
policy file, its declared _mta-sts and _smtp._tls records, and that the
policy covers the declared MX hosts.
`

func runLint(_ context.Context, args []string, env Env) (int, error) {
	var f repoFlags
	fs := flag.NewFlagSet("lint", flag.ContinueOnError)
	f.register(fs)
	if err := parseFlags(fs, args, lintUsage, env.Stdout, env.Stderr); err != nil {
		return 0, err
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	r, cfgDiags, err := openRepo(&f)
	if err != nil {
		return 0, err
	}
	if cfgDiags.Max() == diag.Error {
		return ExitUsage, f.render(env, report.Result{Verdict: report.Error, Diagnostics: cfgDiags})
	}
	res := report.Result{Diagnostics: cfgDiags}
	for _, d := range r.domains {
		in, diags := r.load(d)
		s := check.Lint(in)
		res.Diagnostics = append(append(res.Diagnostics, diags...), s.Diags...)
		res.Domains = append(res.Domains, domainState(d.Name, s))
	}
	res.Verdict = report.VerdictFor(res.Diagnostics, f.failOn)
	code := ExitPass
	if res.Verdict == report.Fail {
		code = ExitFail
	}
	return code, f.render(env, res)
}

func domainState(name string, s check.Static) report.Domain {
	d := report.Domain{Domain: name}
	if s.Policy != nil {
		d.Mode = string(s.Policy.Mode)
		d.MX = s.Policy.MX
	}
	if s.Record != nil {
		d.ID = s.Record.ID
	}
	if s.TLSRPT != nil {
		d.TLSRPT = s.TLSRPT.RUA
	}
	return d
}

func render(env Env, format string, r report.Result) error {
	switch format {
	case "json":
		return report.WriteJSON(env.Stdout, r)
	case "github":
		return report.WriteGitHub(env.Stdout, r)
	}
	return report.WriteText(env.Stdout, r)
}
