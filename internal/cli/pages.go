package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
)

// maxCNAMEFile caps a GitHub Pages CNAME file: one host name.
const maxCNAMEFile = 4 << 10

// pagesSite is a GitHub Pages site of the repository that serves the
// policy host mta-sts.<domain>: its CNAME file says so.
type pagesSite struct {
	domain string // the policy domain
	cname  string // the CNAME file that named it
	policy string // the policy file to check
}

// applyTo makes the site's domain and policy those of the run.
func (s pagesSite) applyTo(f *repoFlags) {
	f.domain = s.domain
	if f.policy == "" && s.policy != config.DefaultPolicy {
		f.policy = s.policy
	}
}

// basePagesSite holds a zero-configuration gate to the domain the base
// revision's GitHub Pages CNAME file names, since the base decides what is
// judged (DESIGN §1.11). When the pull request's CNAME file names another
// domain, the base's is judged and a warning says what merging does: Pages
// then serves the policy only at the new host, and the old policy host
// stops answering. A base without a CNAME file is a site the pull request
// sets up: its own CNAME file stands.
func (a *actionRun) basePagesSite(base revision, f *repoFlags) diag.List {
	if a.inferred == nil {
		return nil
	}
	site, err := pagesDomain(revisionFS{base})
	if err != nil || site.domain == a.inferred.domain {
		return nil
	}
	head := *a.inferred
	if f.policy == head.policy {
		f.policy = "" // the head's site chose it, not the policy input
	}
	site.applyTo(f)
	d := diag.New(diag.GatePagesDomainChanged,
		fmt.Sprintf("the pull request changes %s from mta-sts.%s to mta-sts.%s: once merged, GitHub Pages serves the policy only at mta-sts.%s, so https://mta-sts.%s/.well-known/mta-sts.txt stops answering and senders that cached the policy of %s keep it until its max_age ends, then find none; the gate judges %s, the domain the base revision names",
			head.cname, site.domain, head.domain, head.domain, site.domain, site.domain, site.domain),
		fmt.Sprintf("to move MTA-STS to %s, keep serving mta-sts.%s (list both domains in %s), and phase %s out with mode: none first", head.domain, site.domain, defaultConfig, site.domain))
	d.File, d.Domain = head.cname, site.domain
	return diag.List{d}
}

// pagesDirs are the folders GitHub Pages publishes a branch from.
func pagesDirs() []string { return []string{"", "docs"} }

// pagesDomain infers the one policy domain of a repository that has
// neither a configuration nor a domain given, from the CNAME file of its
// GitHub Pages site (at the root or in docs/): "mta-sts.example.com"
// means the policy of example.com (RFC 8461 §3.3: the policy host is
// mta-sts.<domain>). The policy is the .well-known/mta-sts.txt beside that
// CNAME file, else the only one the Pages folders hold. The error says
// what was found when no domain can be known.
func pagesDomain(fsys fs.FS) (pagesSite, error) {
	var sites []pagesSite
	var seen []string
	for _, dir := range pagesDirs() {
		name := path.Join(dir, "CNAME")
		b, err := readRepoFile(fsys, name, maxCNAMEFile)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			seen = append(seen, fmt.Sprintf("%s cannot be read (%v)", name, err))
			continue
		}
		host := cnameHost(b)
		domain, ok := strings.CutPrefix(host, "mta-sts.")
		if !ok || !strings.Contains(domain, ".") || strings.HasPrefix(domain, "*") || policy.CheckMXPattern(domain) != "" {
			seen = append(seen, fmt.Sprintf("%s names %s, not mta-sts.<domain>", name, diag.Excerpt(host)))
			continue
		}
		sites = append(sites, pagesSite{domain: domain, cname: name, policy: path.Join(dir, config.DefaultPolicy)})
	}
	return pickSite(fsys, sites, seen)
}

// pickSite chooses among the sites found: one domain, and its policy.
func pickSite(fsys fs.FS, sites []pagesSite, seen []string) (pagesSite, error) {
	if len(sites) == 0 {
		return pagesSite{}, noDomainError(seen)
	}
	for _, s := range sites[1:] {
		if s.domain != sites[0].domain {
			return pagesSite{}, usagef("no domain to check: %s names mta-sts.%s and %s names mta-sts.%s; set the domain input of the workflow step to the one to check, or list both in %s",
				sites[0].cname, sites[0].domain, s.cname, s.domain, defaultConfig)
		}
	}
	site := sites[0]
	if exists(fsys, site.policy) {
		return site, nil
	}
	var policies []string
	for _, dir := range pagesDirs() {
		if p := path.Join(dir, config.DefaultPolicy); exists(fsys, p) {
			policies = append(policies, p)
		}
	}
	if len(policies) == 1 {
		site.policy = policies[0]
	}
	return site, nil
}

// noDomainError is the Action's usage error when nothing names the
// domain: it names the domain input and what the CNAME files said.
func noDomainError(seen []string) error {
	msg := "no domain to check: set the domain input of the workflow step (with: domain: example.com), or list domains in " + defaultConfig
	if len(seen) > 0 {
		return usagef("%s; a GitHub Pages CNAME file saying mta-sts.<domain> would name it, but %s", msg, strings.Join(seen, ", "))
	}
	return usagef("%s; a GitHub Pages CNAME file saying mta-sts.<domain>, at the repository root or in docs/, would name it too", msg)
}

// cnameHost is the host name a CNAME file holds: its first line,
// trimmed, lower-cased, without a trailing dot.
func cnameHost(b []byte) string {
	line, _, _ := strings.Cut(string(b), "\n")
	return policy.NormalizeHost(strings.TrimSpace(line))
}

// exists reports whether the repository holds the regular file name.
func exists(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && info.Mode().IsRegular()
}
