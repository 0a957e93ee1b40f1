package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/ghapi"
	"github.com/stsgate/stsgate/internal/report"
)

// check runs the live check (push, schedule, workflow_dispatch). On a
// pull request (mode: check) the configuration is the pull request's, so
// the report token is not used: the pull request could name the URL it
// goes to (DESIGN §1.11).
func (a *actionRun) check(ctx context.Context, f *checkFlags) (report.Result, int, error) {
	configure := a.in.applyTo
	if a.ev.isGateEvent() {
		configure = func(c *config.Config) {
			a.in.applyTo(c)
			if c.ReportsTokenEnv != "" || c.IMAPPasswordEnv != "" || c.IMAPTokenEnv != "" {
				a.gha.Warningf("mode check on a %s event reads the pull request's configuration, so the report token and mailbox credentials it names are not sent; the gate mode reads the base configuration and uses them", a.ev.Name)
				c.ReportsTokenEnv, c.IMAPPasswordEnv, c.IMAPTokenEnv = "", "", ""
			}
		}
	}
	return evaluateCheck(ctx, a.env, f, configure)
}

// gate runs the pull-request gate on a workspace that holds the pull
// request (checkCheckout): the base files come from the contents API at
// the base commit of the event (the checkout is usually shallow),
// read-only, so that it works with a fork's read-only token.
func (a *actionRun) gate(ctx context.Context, f *checkFlags) (report.Result, int, error) {
	if a.ev.BaseSHA == "" {
		return report.Result{}, 0, usagef("the %s event payload names no base commit", a.ev.Name)
	}
	if err := a.checkCheckout(f.dir); err != nil {
		return report.Result{}, 0, err
	}
	owner, name, err := a.owner()
	if err != nil {
		return report.Result{}, 0, usagef("%v", err)
	}
	api, err := a.api()
	if err != nil {
		return report.Result{}, 0, err
	}
	base := &apiBase{ctx: ctx, api: api, owner: owner, repo: name, sha: a.ev.BaseSHA}
	run := gateRun{flags: f, base: base, configure: a.in.applyTo, changes: newBaseChanges(a.in.filterMode, base, f.dir),
		findings: a.basePagesSite(base, &f.repoFlags),
		override: func(cfg config.Config) bool {
			a.overrideLabel = cfg.OverrideLabel
			return a.overridden(ctx, api, owner, name, cfg.OverrideLabel)
		}}
	res, code, err := run.evaluate(ctx, a.env)
	if err == nil && base.failed() != nil {
		// A base that could not be read is not a base without files.
		return report.Result{}, 0, fmt.Errorf("reading the base revision %s: %w", a.ev.BaseSHA, base.failed())
	}
	return res, code, err
}

// collect merges new reports into the summary files (mode: collect); the
// workflow commits them (docs/workflows/collect.yml).
func (a *actionRun) collect(ctx context.Context, f *checkFlags) (report.Result, int, error) {
	cf := collectFlags{repoFlags: f.repoFlags, out: defaultSummaryDir, dryRun: a.in.dryRun}
	res, lines, code, err := collectRun(ctx, a.env, &cf, f.reports, a.env.now(), a.in.applyTo)
	printLines(a.env.Stdout, lines)
	a.collected = lines
	return res, code, err
}

// collectSection is the job summary's account of a collect run: the
// files written and what was new, for the workflow's commit to match.
func (a *actionRun) collectSection() string {
	if a.collected == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n### Summaries collected\n\n")
	for _, l := range a.collected {
		b.WriteString("- " + report.MarkdownText(strings.TrimPrefix(l, "collect: ")) + "\n")
	}
	return b.String()
}

// api returns a GitHub API client for the run's token and API URL.
func (a *actionRun) api() (*ghapi.Client, error) {
	token := a.in.token
	if token == "" {
		token = a.env.getenv("GITHUB_TOKEN")
	}
	return ghapi.New(ghapi.Options{Token: token, BaseURL: a.env.getenv("GITHUB_API_URL")})
}

// overridden reports whether the override label is on the pull request:
// from the payload, or for a merge queue entry from the API (DESIGN §1.5).
func (a *actionRun) overridden(ctx context.Context, api *ghapi.Client, owner, name, label string) bool {
	labels := a.ev.Labels
	if !a.ev.LabelsKnown && a.ev.Number > 0 {
		var err error
		if labels, err = api.PullRequestLabels(ctx, owner, name, a.ev.Number); err != nil {
			a.gha.Warningf("could not read the labels of pull request #%d, so the %s label is not honoured: %v", a.ev.Number, label, err)
			return false
		}
	}
	// Label names compare without case, as GitHub's do.
	return slices.ContainsFunc(labels, func(l string) bool { return strings.EqualFold(l, label) })
}

// apiBase reads the base revision through the contents and git APIs and
// keeps the first error other than "no such file" or a refused file.
type apiBase struct {
	ctx              context.Context
	api              *ghapi.Client
	owner, repo, sha string
	tree             []treeFile // listed once, on first use
	listed           bool

	mu  sync.Mutex // the read workers fetch blobs at once
	err error
}

func (b *apiBase) readFile(name string, limit int64) ([]byte, error) {
	data, err := b.api.FileAtMost(b.ctx, b.owner, b.repo, b.sha, name, limit)
	switch {
	case errors.Is(err, ghapi.ErrNotFound):
		return nil, fs.ErrNotExist
	case errors.Is(err, ghapi.ErrTooLarge):
		return nil, tooLargeError{limit}
	case err != nil:
		b.fail(err)
	}
	return data, err
}

func (b *apiBase) files(dir string) ([]treeFile, error) {
	if !b.listed {
		files, err := b.api.TreeFiles(b.ctx, b.owner, b.repo, b.sha)
		if err != nil {
			b.fail(err)
			return nil, err
		}
		for _, f := range files {
			b.tree = append(b.tree, treeFile{path: f.Path, oid: f.SHA, size: f.Size})
		}
		b.listed = true
	}
	return filesBelow(b.tree, dir), nil
}

func (b *apiBase) blob(f treeFile) ([]byte, error) {
	data, err := b.api.Blob(b.ctx, b.owner, b.repo, f.oid)
	if err != nil {
		b.fail(err)
	}
	return data, err
}

func (b *apiBase) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err == nil {
		b.err = err
	}
}

// failed returns the first error kept.
func (b *apiBase) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}
