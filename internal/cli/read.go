package cli

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// readReports reads every source into agg, and returns the aggregator
// that holds the evidence: agg, or the one it was read again into (see
// readInto).
func readReports(ctx context.Context, env Env, cfg config.Config, dir string, s source.Sources, agg *tlsrpt.Aggregator, asOf time.Time) (*tlsrpt.Aggregator, diag.List) {
	return readInto(ctx, env, newReader(env, cfg, dir, s, asOf), s, agg)
}

// newReader returns a reader for s, for a window as of asOf. The report
// token of cfg goes only to the hosts of the https:// report URLs that
// cfg names, its mailbox credentials only to its mailboxes (DESIGN
// §1.11).
func newReader(env Env, cfg config.Config, dir string, s source.Sources, asOf time.Time) source.Reader {
	r := source.Reader{Dir: dir, TrustedAuthServIDs: cfg.TrustedAuthServIDs}
	if len(s.Mailboxes) > 0 {
		r.Mailbox = newMailbox(env, cfg, mailboxSince(cfg, asOf))
	}
	if len(s.URLs) > 0 {
		if f := env.reportFetcher(cfg); f != nil {
			r.Fetcher = f
		}
	}
	if cfg.ReportsTokenEnv != "" {
		r.Token = env.getenv(cfg.ReportsTokenEnv)
		r.TokenHosts = reportHosts(cfg)
	}
	return r
}

// readInto reads s into agg with r. When reports that share a key but
// differ were read in an order that counted the one with fewer failures,
// the sources are read once more into a recount, which counts the other
// (tlsrpt.Aggregator.Recount); the aggregator returned holds the
// evidence. Each such pair is a warning, as is a sum held at its maximum
// or a failure list cut short.
func readInto(ctx context.Context, env Env, r source.Reader, s source.Sources, agg *tlsrpt.Aggregator) (*tlsrpt.Aggregator, diag.List) {
	p := newProgress(env)
	r.Progress = p
	diags := r.Read(ctx, s, agg)
	p.done()
	first := agg
	if next := agg.Recount(); next != nil {
		r.Progress = nil
		r.Read(ctx, s, next) // the same diagnostics again
		agg = next
	}
	diags = append(diags, conflictDiags(first.Conflicts())...)
	diags = append(diags, agg.Diagnostics()...) // sums held at their maximum, unlisted failure groups
	return agg, foldNotices(diags, maxSameNotices)
}

// reportHosts returns the hosts (with any port) of the https:// report
// URLs of cfg.
func reportHosts(cfg config.Config) map[string]bool {
	hosts := map[string]bool{}
	for _, d := range cfg.Domains {
		for _, spec := range d.Reports {
			if u, err := url.Parse(spec); err == nil && source.IsURL(spec) && u.Host != "" {
				hosts[strings.ToLower(u.Host)] = true
			}
		}
	}
	return hosts
}
