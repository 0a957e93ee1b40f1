package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/remind"
	"github.com/stsgate/stsgate/internal/report"
)

const actionUsage = `Usage: stsgate action

The entrypoint of the GitHub Action's container. It reads its inputs from
INPUT_* variables and the event from GITHUB_EVENT_NAME and
GITHUB_EVENT_PATH, then runs the pull-request gate (pull_request,
merge_group) or the live check (push, schedule, workflow_dispatch), and
writes annotations, the job summary and the step outputs. Without a
command, stsgate runs this when GITHUB_ACTIONS is "true".

Without a domain input and a configuration file, the domain is the one the
GitHub Pages CNAME file (at the repository root or in docs/) names as
mta-sts.<domain>. A run that stops early says why in an error annotation
and the job summary, and exits 2.
`

// runAction runs the Action (DESIGN §1.5–1.7).
func runAction(ctx context.Context, args []string, env Env) (int, error) {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			fmt.Fprint(env.Stdout, actionUsage)
			return ExitPass, nil
		}
		return 0, usagef("action takes no arguments; it reads INPUT_* variables")
	}
	gha := githubactions.New(githubactions.WithWriter(env.Stdout), githubactions.WithGetenv(env.getenv))
	a := &actionRun{env: env, gha: gha, workspace: workspace(env)}
	if err := a.setup(); err != nil {
		return 0, a.stop(err)
	}
	return a.run(ctx)
}

// setup reads the inputs and the event and picks the mode.
func (a *actionRun) setup() error {
	var err error
	if a.in, err = readInputs(a.gha.GetInput); err != nil {
		return err
	}
	if a.ev, err = readEvent(a.env.getenv); err != nil {
		return err
	}
	a.mode, err = actionMode(a.in.mode, a.ev)
	return err
}

// stop says why the run stopped where the runner looks, then returns err:
// an error annotation, the job summary's "Stopped:" with the reason and
// its fix, and verdict=error. The log alone is not enough.
func (a *actionRun) stop(err error) error {
	a.gha.Errorf("stsgate: %v", err)
	a.stopped = err
	a.publish(report.Result{Verdict: report.Error})
	return err
}

// workspace is the directory the repository is checked out in.
func workspace(env Env) string {
	if w := env.getenv("GITHUB_WORKSPACE"); w != "" {
		return w
	}
	return "."
}

// actionMode decides what the run does: the mode input, else the event
// (DESIGN §1.5, §1.6).
func actionMode(input string, ev event) (string, error) {
	switch input {
	case "gate":
		if !ev.isGateEvent() {
			return "", usagef("input mode gate needs a pull_request or merge_group event, not %q: run the gate from a workflow on pull_request and merge_group, or remove mode to let the event choose", ev.Name)
		}
		return "gate", nil
	case "remind", "collect":
		if ev.isGateEvent() {
			// The working tree is the pull request's: its configuration
			// must not steer issue writes (DESIGN §1.11).
			return "", usagef("input mode %s cannot run on a %s event: it would act on the pull request's files with the workflow's secrets; run it on schedule or workflow_dispatch", input, ev.Name)
		}
		return input, nil
	case "check":
		return input, nil
	}
	switch {
	case ev.isGateEvent():
		return "gate", nil
	case ev.Name == "schedule" || ev.Name == "workflow_dispatch":
		return "remind", nil
	}
	return "check", nil
}

// actionRun is one run of the Action.
type actionRun struct {
	env       Env
	gha       *githubactions.Action
	in        inputs
	ev        event
	mode      string
	workspace string
	// overrideLabel is the label the gate looked for on the pull request.
	overrideLabel string
	// reminders is what the reminder run did; nil in other modes.
	reminders *remind.Outcome
	// stopped is the error that stopped the run, for the job summary.
	stopped error
	// collected is what a collect run wrote, for the job summary.
	collected []string
	// inferred is the GitHub Pages site that named the domain of a run
	// with zero configuration; nil otherwise.
	inferred *pagesSite
}

func (a *actionRun) run(ctx context.Context) (int, error) {
	f := a.in.flags(a.workspace)
	if err := a.inferDomain(&f.repoFlags); err != nil {
		return 0, a.stop(err)
	}
	var (
		res  report.Result
		code int
		err  error
	)
	switch {
	case a.mode == "gate":
		res, code, err = a.gate(ctx, &f)
	case a.mode == "remind":
		res, code, err = a.remind(ctx, &f)
	case a.mode == "collect":
		res, code, err = a.collect(ctx, &f)
	case a.ev.Name == "push":
		res, code, err = a.push(ctx, &f)
	default:
		res, code, err = a.check(ctx, &f)
	}
	if err != nil {
		return 0, a.stop(err)
	}
	a.publish(res)
	return code, nil
}

// inferDomain gives a run with zero configuration (no domain input, no
// config input, no .github/stsgate.yml) the domain its GitHub Pages site
// names (pagesDomain), and says so in a notice.
func (a *actionRun) inferDomain(f *repoFlags) error {
	if f.domain != "" || f.config != "" {
		return nil
	}
	fsys, err := openRootFS(f.dir)
	if err != nil {
		return nil // openRepo says why
	}
	defer fsys.Close()
	if _, err := fs.Stat(fsys, defaultConfig); !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	site, err := pagesDomain(fsys)
	if err != nil {
		return err
	}
	a.inferred = &site
	site.applyTo(f)
	a.gha.Noticef("stsgate: no domain input and no %s: checking %s, the domain %s names (mta-sts.%s), with the policy %s; set the domain input to check another",
		defaultConfig, site.domain, site.cname, site.domain, cmp.Or(f.policy, config.DefaultPolicy))
	return nil
}

// owner splits GITHUB_REPOSITORY.
func (a *actionRun) owner() (owner, name string, err error) {
	owner, name, ok := strings.Cut(a.ev.Repository, "/")
	if !ok || owner == "" || name == "" {
		return "", "", fmt.Errorf("GITHUB_REPOSITORY %q: want owner/name", a.ev.Repository)
	}
	return owner, name, nil
}
