package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
)

// errHelp is returned when --help was asked for; the usage is printed.
var errHelp = errors.New("help requested")

// repoFlags are the flags every command that reads a repository shares.
type repoFlags struct {
	dir, config, domain, policy, zone string
	format                            string
	failOn                            diag.Severity
	// inputs says the paths are the Action's inputs, relative to the
	// workspace (dir) and confined to it (checkInputs), rather than the
	// command line's (resolvePaths).
	inputs bool
}

func (f *repoFlags) register(fs *flag.FlagSet) {
	f.failOn = diag.Error
	fs.StringVar(&f.dir, "dir", "", "repository `directory`, which the paths in its configuration are relative to (default: the nearest directory at or above the current one holding .github/stsgate.yml or .git, else the current one)")
	fs.StringVar(&f.config, "config", "", "configuration `file`, relative to the current directory (default .github/stsgate.yml in --dir when present)")
	fs.StringVar(&f.domain, "domain", "", "policy `domain` to check (with a config: only this one)")
	fs.StringVar(&f.policy, "policy", "", "policy `file` for --domain, relative to the current directory (default .well-known/mta-sts.txt in --dir)")
	fs.StringVar(&f.zone, "zone", "", "BIND zone `file` declaring the DNS of --domain, relative to the current directory")
	fs.StringVar(&f.format, "format", "text", "output `format`: text, json or github (workflow-command annotations)")
	fs.TextVar(&f.failOn, "fail-on", diag.Error, "lowest `severity` that fails the run: error or warning")
}

// validate checks the flags, then gives their paths the meaning they
// have on a command line (resolvePaths): --config, --policy and --zone
// are relative to the current directory, not to --dir.
func (f *repoFlags) validate() error {
	switch f.format {
	case "text", "json", "github":
	default:
		return usagef("--format %q: want text, json or github", f.format)
	}
	if f.failOn != diag.Error && f.failOn != diag.Warning {
		return usagef("--fail-on %s: want error or warning", f.failOn)
	}
	if f.domain == "" && (f.policy != "" || f.zone != "") {
		return usagef("--policy and --zone need --domain")
	}
	cwd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("the current directory: %w", err)
	}
	f.resolvePaths(cwd)
	return nil
}

// parseFlags parses args with fs and refuses positional arguments. Errors
// are usage errors; --help prints the usage to stdout and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) error {
	if err := parseFlagsArgs(fs, args, usage, Env{Stdout: stdout, Stderr: stderr}); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// parseFlagsArgs is parseFlags for commands that take positional
// arguments. Flags may follow them ("reports dir/ --format json").
func parseFlagsArgs(fs *flag.FlagSet, args []string, usage string, env Env) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	positional, err := parseInterspersed(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(env.Stdout, fs, usage)
		return errHelp
	case err != nil:
		return usagef("%s: %s", fs.Name(), flagError(fs, err))
	}
	// Leave the positional arguments where fs.Args finds them.
	return fs.Parse(append([]string{"--"}, positional...))
}

// parseInterspersed parses flags wherever they appear among args and
// returns the positional arguments in order.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// given reports whether the flag name was on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// flagError rewords an error of the flag package the way the README
// spells flags (--name), and suggests the flag a mistyped one was
// probably meant to be.
func flagError(fs *flag.FlagSet, err error) string {
	const undefined = "flag provided but not defined: -"
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, undefined)
	if !ok {
		msg = strings.Replace(msg, " flag -", " flag --", 1)
		return strings.Replace(msg, "argument: -", "argument: --", 1)
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	msg = "unknown flag --" + name
	if s := config.Suggest(name, names); s != "" {
		msg += "; did you mean --" + s + "?"
	}
	return msg
}

// printUsage prints usage and then the flags, as --name with their
// argument, meaning and default.
func printUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprint(w, usage)
	fmt.Fprintln(w, "\nFlags:")
	fs.VisitAll(func(f *flag.Flag) {
		arg, meaning := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		if d := f.DefValue; d != "" && d != "0" && d != "false" {
			meaning += fmt.Sprintf(" (default %s)", d)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(meaning, "\n", "\n    \t"))
	})
}
