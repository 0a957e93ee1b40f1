package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/summary"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

const collectUsage = `Usage: stsgate collect [--dir D] [--config F] [--domain D --policy F --zone F] [--out DIR] [--dry-run] [--as-of T]
                       [--format text|json|github] [--fail-on error|warning] [SOURCE...]

Reads TLS-RPT reports from any sources (files, directories, globs, https://
URLs, imaps:// mailboxes) and merges what is new into the monthly summary
files under --out (default reports/summary): one file per domain per month,
<domain>/<YYYY-MM>.json, written atomically with stable ordering, so that a
month with nothing new is left as it is and a git diff shows only what was
added. It remembers nothing outside the repository: each report's record
lists the Message-IDs of the mails it came in, so a run over the same
mailbox again downloads only mails the summaries do not hold, and changes
no file. Summaries are read like any report source, so the gate can judge
pull requests from them without a secret.

Without SOURCE the report sources of the configuration are read, but the
--out directory itself. --dry-run says what would be written and writes
nothing. Exit code 3 when a source could not be read (a mailbox or URL
that failed, or a mailbox whose secret is not in the environment): the
summaries may lack its reports.
`

// defaultSummaryDir is where collect writes unless --out says otherwise.
const defaultSummaryDir = "reports/summary"

type collectFlags struct {
	repoFlags
	out    string
	dryRun bool
	asOf   string
}

func runCollect(ctx context.Context, args []string, env Env) (int, error) {
	var f collectFlags
	fset := flag.NewFlagSet("collect", flag.ContinueOnError)
	f.register(fset)
	fset.StringVar(&f.out, "out", defaultSummaryDir, "summary `directory`, relative to --dir")
	fset.BoolVar(&f.dryRun, "dry-run", false, "say what would be written, write nothing")
	fset.StringVar(&f.asOf, "as-of", "", "read mailbox mails for a window as of this `time` (default now)")
	if err := parseFlagsArgs(fset, args, collectUsage, env); err != nil {
		return 0, err
	}
	if err := f.validate(); err != nil {
		return 0, err
	}
	asOf, err := parseAsOf(f.asOf, env.now())
	if err != nil {
		return 0, err
	}
	res, lines, code, err := collectRun(ctx, env, &f, fset.Args(), asOf, nil)
	if err != nil {
		return 0, err
	}
	printLines(env.Stderr, lines)
	return code, f.render(env, res)
}

// collectRun is a collect run of the CLI or the Action (mode: collect):
// configure, when set, adjusts the configuration (the inputs). It returns
// the findings and the lines saying what was written.
func collectRun(ctx context.Context, env Env, f *collectFlags, args []string, asOf time.Time, configure func(*config.Config)) (report.Result, []string, int, error) {
	r, cfgDiags, err := openReportsRepo(&f.repoFlags)
	if err != nil {
		return report.Result{}, nil, 0, err
	}
	if cfgDiags.Max() == diag.Error {
		return report.Result{Verdict: report.Error, Diagnostics: cfgDiags}, nil, ExitUsage, nil
	}
	if configure != nil {
		configure(&r.cfg)
	}
	out := f.out
	if !filepath.IsAbs(out) {
		out = filepath.Join(f.dir, out)
	}
	res, lines := collectReports(ctx, env, r, f, args, out, asOf)
	res.Diagnostics = append(cfgDiags, res.Diagnostics...)
	res.Verdict = collectVerdict(res.Diagnostics, f.failOn)
	return res, lines, exitFor(res.Verdict), nil
}

// printLines prints the lines of collect's log, each one plain line.
func printLines(w io.Writer, lines []string) {
	for _, l := range lines {
		fmt.Fprintln(w, report.PlainLine(l))
	}
}

// collectVerdict is the verdict of a collect run: a source that could
// not be read (a URL or mailbox that failed, or a mailbox without its
// secret) means the summaries may lack its reports, so the run could not
// do its job (exit 3) unless something else fails it; a scheduled
// collect whose secret expired must not pass in silence.
func collectVerdict(diags diag.List, failOn diag.Severity) report.Verdict {
	var others diag.List
	unread := false
	for _, d := range diags {
		if d.Code == diag.ReportFetchFailed || d.Code == diag.ReportMailboxNoCredentials {
			unread = true
			continue
		}
		others = append(others, d)
	}
	v := report.VerdictFor(others, failOn)
	if unread && v == report.Pass {
		return report.Error
	}
	return v
}

// collectReports loads the summaries under out, reads the sources into them and
// writes the months that changed. It returns the findings and a line per
// month written.
func collectReports(ctx context.Context, env Env, r *repo, f *collectFlags, args []string, out string, asOf time.Time) (report.Result, []string) {
	var set summary.Set
	diags, broken := loadSummaries(&set, out)
	specs := args
	if len(specs) == 0 {
		for _, d := range r.domains {
			specs = append(specs, withoutDir(d.Reports, f.dir, out)...)
		}
	}
	sources, more := source.Expand(f.dir, specs)
	diags = append(diags, more...)
	var mu sync.Mutex
	added := 0
	rd := newReader(env, r.cfg, f.dir, sources, asOf)
	rd.Collect = func(rep tlsrpt.Report, messageID string) {
		mu.Lock()
		defer mu.Unlock()
		if set.AddMail(rep, messageID) {
			added++
		}
	}
	var known atomic.Int64
	if mb, ok := rd.Mailbox.(imapMailbox); ok {
		// Mails whose reports the summaries hold are not downloaded.
		mb.known = func(id string) bool { mu.Lock(); defer mu.Unlock(); return set.Known(id) }
		mb.skipped = &known
		rd.Mailbox = mb
	}
	diags = append(diags, foldNotices(rd.Read(ctx, sources, nil), maxSameNotices)...)
	lines := writeSummaries(&set, out, shownUnder(env, f.dir), f.dryRun, added, broken, &diags)
	if n := known.Load(); n > 0 {
		lines = append(lines, fmt.Sprintf("collect: %s already in the summaries, not downloaded", plural(int(n), "mail")))
	}
	return report.Result{Diagnostics: diags}, lines
}

// shownUnder returns how collect's log shows a file: relative to the
// directory diagnostics name files from (displayRoot), when it lies
// there, so that it says "wrote reports/summary/example.com/2026-11.json"
// wherever the repository is.
func shownUnder(env Env, dir string) func(string) string {
	cwd, err := os.Getwd()
	if err != nil {
		return func(p string) string { return p }
	}
	root := displayRoot(env.getenv, cwd, dir)
	return func(p string) string {
		if rel, err := filepath.Rel(root, realPath(absFrom(cwd, p))); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
		return p
	}
}

// withoutDir returns the report sources of specs but those that lie in
// dir (relative ones taken from repo): collect loads the summaries it
// writes itself, and on the first run their directory, listed among the
// sources as docs/action.md shows, does not exist yet.
func withoutDir(specs []string, repo, dir string) []string {
	var out []string
	for _, s := range specs {
		p := s
		if !source.IsURL(s) && !source.IsMailbox(s) && !filepath.IsAbs(s) {
			p = filepath.Join(repo, s)
		}
		if rel, err := filepath.Rel(dir, p); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
			continue
		}
		out = append(out, s)
	}
	return out
}

// loadSummaries loads the summary files under out into set. A file that
// cannot be read is a diagnostic, and its month is left alone.
func loadSummaries(set *summary.Set, out string) (diag.List, map[summary.MonthID]bool) {
	var diags diag.List
	broken := map[summary.MonthID]bool{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() || !strings.HasSuffix(p, ".json") {
			return err
		}
		id := summary.MonthID{Domain: filepath.Base(filepath.Dir(p)), Month: strings.TrimSuffix(d.Name(), ".json")}
		data, err := readCapped(p, summary.MaxDocument)
		if err != nil {
			diags.Add(source.Diag(p, "cannot be read: "+err.Error(), "fix or remove the file"))
			broken[id] = true
			return nil
		}
		if _, more := set.Load(p, data, tlsrpt.DefaultLimits()); len(more) > 0 {
			diags = append(diags, more...)
			broken[id] = true
		}
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags.Add(source.Diag(out, "cannot be read: "+err.Error(), "check the --out directory"))
	}
	return diags, broken
}

// readCapped reads the file p if it holds at most limit bytes.
func readCapped(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("larger than %d bytes", limit)
	}
	return b, err
}

// writeSummaries writes the months of set that changed, atomically, each
// but those whose file could not be loaded (writing would lose what it
// held). It returns a line for each month written and one for the total.
func writeSummaries(set *summary.Set, out string, show func(string) string, dryRun bool, added int, broken map[summary.MonthID]bool, diags *diag.List) []string {
	verb := "wrote"
	if dryRun {
		verb = "would write"
	}
	var lines []string
	for _, id := range set.Changed() {
		p := filepath.Join(out, filepath.FromSlash(id.Path()))
		switch {
		case broken[id]:
			diags.Add(source.Diag(p, "could not be read, so the new reports of its month are not written to it", "fix the file (or remove it to start the month afresh) and collect again"))
		case dryRun:
			lines = append(lines, fmt.Sprintf("collect: %s %s", verb, show(p)))
		default:
			if err := summary.WriteFile(out, id, set.Render(id)); err != nil {
				diags.Add(source.Diag(p, "could not be written: "+err.Error(), "check that the summary directory is writable"))
				continue
			}
			lines = append(lines, fmt.Sprintf("collect: %s %s", verb, show(p)))
		}
	}
	return append(lines, fmt.Sprintf("collect: %s new, %s changed", plural(added, "report"), plural(len(set.Changed()), "month")))
}
