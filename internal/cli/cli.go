// Package cli is the command line of stsgate: it parses flags and the
// configuration, wires the real dependencies to the core packages, renders
// the result and decides the exit code. cmd/stsgate only calls Run.
package cli

import (
	"cmp"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/report"
)

// Exit codes (DESIGN §1.7). When several apply, usage wins over failure,
// and failure over "could not evaluate".
const (
	ExitPass     = 0 // nothing at or above fail_on
	ExitFail     = 1 // findings at or above fail_on
	ExitUsage    = 2 // bad flag, bad configuration
	ExitNoVerify = 3 // could not evaluate: network, API
)

// Env is the outside world a run sees. Tests build their own.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Now    func() time.Time // nil: time.Now
	// IsTerminal reports whether stderr is a terminal, for progress
	// output; nil: never.
	IsTerminal func() bool
	// NewNetwork builds the resolver and HTTPS client; nil: NewNetwork.
	// Tests inject loopback servers, their roots and ports through it.
	NewNetwork func(NetworkOptions) (*Network, error)
	// IMAP, when set, is how tests reach their mailbox servers.
	IMAP *IMAPHooks
}

// IMAPHooks are the test hooks of mailbox sources: the roots of the
// servers' certificates and the dialer.
type IMAPHooks struct {
	Roots *x509.CertPool
	Dial  func(ctx context.Context, network, addr string) (net.Conn, error)
}

func (e Env) now() time.Time {
	if e.Now == nil {
		return time.Now()
	}
	return e.Now()
}

func (e Env) getenv(key string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(key)
}

// usageError is a problem with the command line or configuration; it maps
// to ExitUsage.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

const mainUsage = `stsgate keeps an MTA-STS deployment honest: it checks the policy file and
DNS declaration kept in a repository (RFC 8461, RFC 8460).

Usage:
  stsgate <command> [flags]

Commands:
  lint     check the repository's policy, DNS declaration and configuration (no network)
  check    lint, then compare with live DNS and the served policy, and the clean window
  reports  read TLS-RPT reports and compute each domain's clean window
  gate     judge a change against its base: flips, id bumps, MX coverage
  collect  merge new TLS-RPT reports into the monthly summaries to commit
  action   the GitHub Action's entrypoint (inputs from INPUT_* variables)

Run "stsgate <command> --help" for the flags of a command, and
"stsgate --version" for the version.

Exit codes: 0 pass, 1 findings at or above --fail-on, 2 usage or configuration
error, 3 could not evaluate.
`

// Run runs the command line args (without the program name) and returns
// the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 && env.getenv("GITHUB_ACTIONS") == "true" {
		args = []string{"action"}
	}
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, mainUsage)
		return ExitUsage
	}
	var code int
	var err error
	switch args[0] {
	case "lint":
		code, err = runLint(ctx, args[1:], env)
	case "reports":
		code, err = runReports(ctx, args[1:], env)
	case "check":
		code, err = runCheck(ctx, args[1:], env)
	case "gate":
		code, err = runGate(ctx, args[1:], env)
	case "collect":
		code, err = runCollect(ctx, args[1:], env)
	case "action":
		code, err = runAction(ctx, args[1:], env)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(env.Stdout, mainUsage)
		return ExitPass
	case "version", "-version", "--version":
		fmt.Fprintln(env.Stdout, versionLine(debug.ReadBuildInfo()))
		return ExitPass
	default:
		err = usagef("unknown command %q", args[0])
	}
	return exitCode(code, err, helpHint(args[0]), env.Stderr)
}

// versionLine names the build: the module version (a tag, a pseudo-version
// or "(devel)") and the commit, its time and whether the tree was
// modified, when the build recorded them.
func versionLine(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "stsgate (unknown version)"
	}
	line := "stsgate " + cmp.Or(info.Main.Version, "(devel)")
	var vcs []string
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" || s.Key == "vcs.time":
			vcs = append(vcs, s.Value)
		case s.Key == "vcs.modified" && s.Value == "true":
			vcs = append(vcs, "modified")
		}
	}
	if len(vcs) > 0 {
		line += " (commit " + strings.Join(vcs, ", ") + ")"
	}
	return line
}

// helpHint says where the usage of command is, for its usage errors. The
// Action's errors name its inputs and reach the job summary instead.
func helpHint(command string) string {
	switch command {
	case "action":
		return ""
	case "lint", "reports", "check", "gate", "collect":
		return fmt.Sprintf("Run \"stsgate %s --help\" for usage.", command)
	}
	return "Run \"stsgate --help\" for usage."
}

// exitCode maps the outcome of a command to the process exit code,
// printing err when there is one, and hint after a usage error.
func exitCode(code int, err error, hint string, stderr io.Writer) int {
	var usage *usageError
	switch {
	case err == nil:
		return code
	case errors.Is(err, errHelp):
		return ExitPass
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, report.PlainLine("stsgate: "+err.Error()))
		if hint != "" {
			fmt.Fprintln(stderr, hint)
		}
		return ExitUsage
	default:
		fmt.Fprintln(stderr, report.PlainLine("stsgate: "+err.Error()))
		return ExitNoVerify
	}
}
