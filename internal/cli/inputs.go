package cli

import (
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
)

// actionInputNames lists the inputs of action.yml (DESIGN §1.1), in its
// order. TestActionInputsMatchActionYML holds the two to the same list.
func actionInputNames() []string {
	return []string{
		"github_token", "config", "domain", "policy_file", "zone_file", "reports",
		"clean_days", "stale_days", "dns_resolver", "mode", "fail_on",
		"override_label", "issue_label", "dry_run", "max_writes", "parallel", "filter_mode",
	}
}

// inputs are the action inputs as read from INPUT_* variables. Empty
// means "not given": the configuration file or its defaults apply.
type inputs struct {
	token, config, domain, policyFile, zoneFile string
	reports                                     []string
	cleanDays, staleDays, parallel              int
	resolver, mode, overrideLabel, issueLabel   string
	failOn                                      diag.Severity
	dryRun                                      bool
	filterMode                                  filterMode
}

// inputGetter reads one input by name (githubactions.Action.GetInput).
type inputGetter func(name string) string

// readInputs reads and validates the inputs. Bad values are usage errors
// naming the input, as a bad flag would be.
func readInputs(get inputGetter) (inputs, error) {
	in := inputs{
		token: get("github_token"), config: get("config"), domain: get("domain"),
		policyFile: get("policy_file"), zoneFile: get("zone_file"),
		reports:  splitList(get("reports")),
		resolver: get("dns_resolver"), mode: get("mode"),
		overrideLabel: get("override_label"), issueLabel: get("issue_label"),
		failOn: diag.Error,
	}
	var err error
	for _, n := range []struct {
		name     string
		dst      *int
		min, max int
	}{{"clean_days", &in.cleanDays, 1, 365}, {"stale_days", &in.staleDays, 1, 365}, {"parallel", &in.parallel, 1, 256}} {
		if *n.dst, err = intInput(get, n.name, n.min, n.max); err != nil {
			return in, err
		}
	}
	if in.dryRun, err = boolInput(get, "dry_run"); err != nil {
		return in, err
	}
	if v := get("fail_on"); v != "" {
		if err := in.failOn.UnmarshalText([]byte(v)); err != nil || in.failOn == diag.Notice {
			return in, usagef("input fail_on %q is not error or warning: set fail_on in the step's with: to error or warning", v)
		}
	}
	var ok bool
	if in.filterMode, ok = parseFilterMode(get("filter_mode")); !ok {
		return in, usagef("input filter_mode %q is not changed or all: set filter_mode in the step's with: to changed (the default) or all", get("filter_mode"))
	}
	for _, l := range []struct{ name, value string }{{"issue_label", in.issueLabel}, {"override_label", in.overrideLabel}} {
		if strings.Contains(l.value, ",") {
			// The issue list API takes "a list of comma separated label names".
			return in, usagef("input %s %q: a label name with a comma cannot be found again, since GitHub's issue list reads commas as separators; use a name without commas, such as mta-sts", l.name, l.value)
		}
	}
	switch in.mode {
	case "", "auto", "gate", "check", "remind", "collect":
	default:
		return in, usagef("input mode %q is not auto, gate, check, remind or collect: set mode in the step's with: to one of them, or remove it to let the event choose", in.mode)
	}
	return in, nil
}

// splitList splits a newline- or comma-separated input, dropping empty
// items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func intInput(get inputGetter, name string, lo, hi int) (int, error) {
	v := get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, usagef("input %s %q is not a whole number from %d to %d: set %s in the step's with: to one, or remove it to use the configuration's value", name, v, lo, hi, name)
	}
	return n, nil
}

// boolInput accepts the YAML 1.2 core schema booleans, as the toolkit's
// getBooleanInput does.
func boolInput(get inputGetter, name string) (bool, error) {
	switch v := get(name); v {
	case "", "false", "False", "FALSE":
		return false, nil
	case "true", "True", "TRUE":
		return true, nil
	default:
		return false, usagef("input %s %q is not true or false: set %s in the step's with: to true or false", name, v, name)
	}
}

// applyTo overrides the configuration with the inputs that were given.
func (in inputs) applyTo(cfg *config.Config) {
	if in.cleanDays > 0 {
		// As --clean-days does (windowOptions).
		cfg.CleanDays, cfg.MinReportDays = in.cleanDays, (in.cleanDays+1)/2
	}
	if in.staleDays > 0 {
		cfg.StaleDays = in.staleDays
	}
	if in.parallel > 0 {
		cfg.Parallel = in.parallel
	}
	if in.overrideLabel != "" {
		cfg.OverrideLabel = in.overrideLabel
	}
	if in.issueLabel != "" {
		cfg.IssueLabel = in.issueLabel
	}
}

// flags turns the inputs into the flags of the commands they stand for,
// with paths relative to the workspace: absolute ones inside it are made
// so (inWorkspace), and openRepo refuses the others (checkInputs).
func (in inputs) flags(workspace string) checkFlags {
	ws := func(p string) string { return inWorkspace(workspace, p) }
	f := checkFlags{resolver: in.resolver}
	for _, r := range in.reports {
		f.reports = append(f.reports, ws(r))
	}
	f.repoFlags = repoFlags{dir: workspace, config: ws(in.config), domain: in.domain,
		policy: ws(in.policyFile), zone: ws(in.zoneFile), format: "text", failOn: in.failOn, inputs: true}
	return f
}
