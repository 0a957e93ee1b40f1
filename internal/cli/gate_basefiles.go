package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
)

// baseFileDomain is a domain of the base configuration that the gate
// judges in the form the base names it, besides what the head names.
type baseFileDomain struct {
	domain  config.Domain // the base configuration's entry
	dropped bool          // the head's configuration no longer lists the domain
	notice  diag.Diagnostic
}

// baseFiles returns the domains of the base configuration that the head's
// configuration drops, or for which it names other policy or zone files
// while the files the base names are still in the head. The base
// configuration decides what the gate judges (DESIGN §1.11): a pull
// request that flips the policy file the base names to enforce cannot take
// it out of the gate by pointing the configuration at another file, or by
// dropping the domain. A file the head removes is a move (the head's own
// paths are judged), not something to judge again.
//
// Files given on the command line or as the Action's inputs are the
// caller's choice, not the configuration's: then nothing is added.
func (g gateRun) baseFiles(head, base *repo) []baseFileDomain {
	if g.flags.policy != "" || g.flags.zone != "" {
		return nil
	}
	var out []baseFileDomain
	for _, bd := range base.cfg.Domains {
		if g.flags.domain != "" && !strings.EqualFold(strings.TrimSuffix(g.flags.domain, "."), bd.Name) {
			continue // not selected for this run (--domain)
		}
		i := slices.IndexFunc(head.domains, func(d config.Domain) bool { return d.Name == bd.Name })
		if i < 0 {
			out = append(out, baseFileDomain{domain: bd, dropped: true, notice: droppedNotice(head.cfg.File, bd)})
			continue
		}
		if moved := movedFiles(head, bd, head.domains[i]); moved != nil {
			out = append(out, baseFileDomain{domain: bd, notice: movedNotice(head.cfg.File, head.domains[i], moved)})
		}
	}
	return out
}

// movedFiles lists, as "old → new", the files of bd that the head's
// entry hd names otherwise while the head still holds them; nil when none.
func movedFiles(head *repo, bd, hd config.Domain) []string {
	var moved []string
	for _, f := range []struct{ kind, base, head string }{
		{"policy", bd.Policy, hd.Policy},
		{"zone", bd.Zone, hd.Zone},
	} {
		if f.base != "" && f.base != f.head && exists(head.fsys, f.base) {
			moved = append(moved, fmt.Sprintf("%s %s → %s", f.kind, f.base, orNone(f.head)))
		}
	}
	return moved
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func droppedNotice(file string, bd config.Domain) diag.Diagnostic {
	d := diag.New(diag.GateConfigBaseFiles,
		fmt.Sprintf("the pull request drops %s from the configuration, but its files may still be deployed: the gate judges them as the base configuration names them (policy %s)", bd.Name, bd.Policy),
		fmt.Sprintf("to stop publishing MTA-STS for %s, phase it out with mode: none first (RFC 8461 §8.3), then remove its files and its configuration", bd.Name))
	d.File, d.Domain = file, bd.Name
	return d
}

func movedNotice(file string, hd config.Domain, moved []string) diag.Diagnostic {
	d := diag.New(diag.GateConfigBaseFiles,
		fmt.Sprintf("the pull request names other files for %s (%s) while the files the base configuration names are still in the repository and may be what is deployed: the gate judges both", hd.Name, strings.Join(moved, ", ")),
		"remove the old files in the same pull request if the new ones replace them")
	d.File, d.Domain, d.Start = file, hd.Name, hd.Pos
	return d
}
