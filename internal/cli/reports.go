package cli

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

const reportsUsage = `Usage: stsgate reports [--dir D] [--config F] [--domain D --policy F --zone F] [--clean-days N] [--as-of T]
                       [--format text|json|github] [--fail-on error|warning] [SOURCE...]

Reads TLS-RPT reports and computes each domain's clean window: a day-by-day
table, the failures grouped by result type, sender and MX host, and whether
the reports have been clean long enough to move the policy to enforce.

SOURCE is a file, a directory (read recursively), a glob, an https:// URL
or an IMAP mailbox (imaps://user@host/Mailbox, read-only; its secret in the
variable named by imap_password_env or imap_token_env); formats are
recognised by content (JSON, NDJSON, gzip, zip, e-mail, mbox).
Without SOURCE the report sources of the configuration are read. Without
--domain every domain found in the sources is reported.

Exit code 1 when a window is not clean or a report file could not be read;
3 when a report URL or mailbox could not be read and nothing else failed.
`

type reportsFlags struct {
	repoFlags
	cleanDays int
	asOf      string
}

func runReports(ctx context.Context, args []string, env Env) (int, error) {
	var f reportsFlags
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	f.register(fs)
	fs.IntVar(&f.cleanDays, "clean-days", 0, "clean `days` needed (default clean_days of the configuration, 14)")
	fs.StringVar(&f.asOf, "as-of", "", "evaluate at this `time`: RFC 3339 or YYYY-MM-DD (default now)")
	if err := parseFlagsArgs(fs, args, reportsUsage, env); err != nil {
		return 0, err
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	asOf, err := parseAsOf(f.asOf, env.now())
	if err != nil {
		return 0, err
	}
	// 0 means "not given" below (windowOptions); given, it is as wrong as -3.
	if given(fs, "clean-days") && (f.cleanDays < 1 || f.cleanDays > 365) {
		return 0, usagef("--clean-days %d: want 1 to 365", f.cleanDays)
	}
	r, cfgDiags, err := openReportsRepo(&f.repoFlags)
	if err != nil {
		return 0, err
	}
	if cfgDiags.Max() == diag.Error {
		return ExitUsage, f.render(env, report.Result{Verdict: report.Error, Diagnostics: cfgDiags})
	}
	plan := planReports(r, &f, fs.Args())
	agg := tlsrpt.NewAggregator(windowOptions(r.cfg, f.cleanDays, asOf), plan.policies)
	res := report.Result{Diagnostics: append(cfgDiags, plan.diags...), InlineWindow: true}
	agg, read := readReports(ctx, env, r.cfg, f.dir, plan.sources, agg, asOf)
	res.Diagnostics = append(res.Diagnostics, read...)
	for _, d := range agg.Domains() {
		w := agg.Window(d)
		res.Domains = append(res.Domains, report.Domain{Domain: d, Window: &w})
	}
	res.Verdict = reportsVerdict(res, f.failOn)
	return exitFor(res.Verdict), f.render(env, res)
}

// reportsVerdict fails when a window is not clean or a finding reaches
// fail_on; a URL or mailbox that could not be read makes the run one that
// could not evaluate (exit 3), unless what was read fails it anyway.
func reportsVerdict(res report.Result, failOn diag.Severity) report.Verdict {
	unread := res.Diagnostics.Has(diag.ReportFetchFailed) || res.Diagnostics.Has(diag.ReportMailboxNoCredentials)
	var others diag.List
	for _, d := range res.Diagnostics {
		if d.Code != diag.ReportFetchFailed && d.Code != diag.ReportMailboxNoCredentials {
			others = append(others, d)
		}
	}
	v := report.VerdictFor(others, failOn)
	for _, d := range res.Domains {
		if d.Window != nil && !d.Window.Clean {
			v = worse(v, windowVerdict(*d.Window, unread))
		}
	}
	if unread && v == report.Pass {
		return report.Error
	}
	return v
}

// worse returns the verdict that wins: a failure over "could not
// evaluate", and that over a pass (DESIGN §1.7).
func worse(a, b report.Verdict) report.Verdict {
	switch {
	case a == report.Fail || b == report.Fail:
		return report.Fail
	case a == report.Error || b == report.Error:
		return report.Error
	}
	return report.Pass
}

// windowVerdict judges a window that is not clean. When a source could
// not be read (a URL or mailbox that failed or stalled), only a short
// streak is known to fail: the reports not read cannot undo a dirty day,
// but they could make stale or thin evidence enough, so then the run
// could not evaluate (exit 3).
func windowVerdict(w tlsrpt.Window, unread bool) report.Verdict {
	if !unread || slices.Contains(w.Reasons, tlsrpt.ReasonStreakShort) {
		return report.Fail
	}
	return report.Error
}

func exitFor(v report.Verdict) int {
	switch v {
	case report.Fail:
		return ExitFail
	case report.Error:
		return ExitNoVerify
	}
	return ExitPass
}

// openReportsRepo is openRepo without the need for a domain: reports can
// be read for every domain found in them.
func openReportsRepo(f *repoFlags) (*repo, diag.List, error) {
	r, diags, err := openRepo(f)
	if r != nil && err != nil && f.domain == "" && len(r.cfg.Domains) == 0 {
		return r, diags, nil // no domain: every domain found
	}
	return r, diags, err
}

// reportsPlan is what a report run reads and for which domains.
type reportsPlan struct {
	sources  source.Sources
	policies map[string][]string // nil: every domain found
	diags    diag.List
}

func planReports(r *repo, f *reportsFlags, args []string) reportsPlan {
	var p reportsPlan
	specs := args
	if f.domain != "" || (len(args) == 0 && len(r.domains) > 0) {
		p.policies = map[string][]string{}
		for _, d := range r.domains {
			p.policies[d.Name] = r.policyMX(d)
			if len(args) == 0 {
				specs = append(specs, d.Reports...)
			}
		}
	}
	p.sources, p.diags = source.Expand(f.dir, specs)
	return p
}

// policyMX returns the mx patterns of the domain's policy file, against
// which reports' policy-strings are compared (DESIGN §1.4 step 4); nil
// when the file is absent or broken.
func (r *repo) policyMX(d config.Domain) []string {
	b, err := r.read(d.Policy, maxPolicyFile)
	if err != nil {
		return nil
	}
	p, diags := policy.Parse(b)
	if diags.Max() == diag.Error {
		return nil
	}
	return p.MX
}

func windowOptions(cfg config.Config, cleanDays int, asOf time.Time) tlsrpt.Options {
	o := tlsrpt.Options{
		CleanDays:     cfg.CleanDays,
		MinReportDays: cfg.MinReportDays,
		MaxLagDays:    int(cfg.MaxReportLag / (24 * time.Hour)),
		AsOf:          asOf,
		// RFC 8460 §3; the default counts them, with a warning each.
		IgnoreUnsigned: cfg.UnsignedReports == config.UnsignedIgnore,
	}
	if cleanDays > 0 {
		o.CleanDays, o.MinReportDays = cleanDays, (cleanDays+1)/2
	}
	for _, s := range cfg.KnownSenders {
		o.KnownSenders = append(o.KnownSenders, tlsrpt.Sender{Org: s.Org, Prefix: s.Prefix})
	}
	for _, i := range cfg.Ignore {
		o.Ignore = append(o.Ignore, tlsrpt.IgnoreRule{ResultType: i.ResultType, Org: i.Org, MX: i.MX, Domain: i.Domain, Prefix: i.Prefix, Reason: i.Reason})
	}
	return o
}

// parseAsOf parses --as-of: RFC 3339, or a date meaning its midnight UTC.
func parseAsOf(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--as-of %q: want RFC 3339 (2026-11-28T00:00:00Z) or a date (2026-11-28)", s)
}

// conflictDiags warns about reports that share a key but differ (issue
// 12: a forged copy must not hide the failures of the real one).
func conflictDiags(conflicts []tlsrpt.Conflict) diag.List {
	var l diag.List
	for _, c := range conflicts {
		d := diag.New(diag.ReportKeyConflict,
			fmt.Sprintf("%s and %s are both report %s of %s but say different things; the one with more failed sessions (%s, %d against %d) is counted, so that a forged copy cannot hide failures",
				c.Counted, c.Other, diag.Excerpt(c.ReportID), diag.Excerpt(c.Organization), c.Counted, c.CountedFailures, c.OtherFailures),
			"find out which report is genuine (its mail's DKIM signature, the sender's contact) and remove the other")
		d.Subject = c.Other
		l = append(l, d)
	}
	return l
}

// maxSameNotices is how many reports are named for one harmless quirk.
const maxSameNotices = 3

// foldNotices keeps the first limit notices that say the same thing about
// different reports (a sender that leaves out the time zone does so in
// every report) and counts the rest in the last one kept, so that they do
// not crowd out the findings about the policy in annotations and the job
// summary. Warnings and errors are never folded.
func foldNotices(l diag.List, limit int) diag.List {
	type key struct {
		code            diag.Code
		domain, message string
	}
	l = slices.Clone(l)
	l.Sort()
	kept := map[key]int{} // index in out of the last one kept
	seen := map[key]int{}
	out := l[:0]
	for _, d := range l {
		k := key{d.Code, d.Domain, d.Message}
		if d.Severity != diag.Notice || d.Subject == "" {
			out = append(out, d)
			continue
		}
		if seen[k]++; seen[k] <= limit {
			kept[k] = len(out)
			out = append(out, d)
		}
	}
	for k, n := range seen {
		if n > limit {
			more := fmt.Sprintf("%d more reports", n-limit)
			if n-limit == 1 {
				more = "1 more report"
			}
			out[kept[k]].Message += " (and " + more + " like it)"
		}
	}
	return out
}
