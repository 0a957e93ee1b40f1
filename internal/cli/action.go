package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/sethvargo/go-githubactions"

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
	in, err := readInputs(gha.GetInput)
	if err != nil {
		return 0, err
	}
	ev, err := readEvent(env.getenv)
	if err != nil {
		return 0, err
	}
	mode, err := actionMode(in.mode, ev)
	if err != nil {
		return 0, err
	}
	run := &actionRun{env: env, gha: gha, in: in, ev: ev, mode: mode, workspace: workspace(env)}
	return run.run(ctx)
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
			return "", usagef("input mode gate needs a pull_request or merge_group event, not %q", ev.Name)
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
}

func (a *actionRun) run(ctx context.Context) (int, error) {
	f := a.in.flags(a.workspace)
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
		// Still say so where the runner looks: an error annotation, the
		// summary's "could not evaluate" and verdict=error.
		a.gha.Errorf("stsgate: %v", err)
		a.stopped = err
		a.publish(report.Result{Verdict: report.Error})
		return 0, err
	}
	a.publish(res)
	return code, nil
}

// owner splits GITHUB_REPOSITORY.
func (a *actionRun) owner() (owner, name string, err error) {
	owner, name, ok := strings.Cut(a.ev.Repository, "/")
	if !ok || owner == "" || name == "" {
		return "", "", fmt.Errorf("GITHUB_REPOSITORY %q: want owner/name", a.ev.Repository)
	}
	return owner, name, nil
}
