package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/stsgate/stsgate/internal/diag"
)

// errHelp is returned when --help was asked for; the usage is printed.
var errHelp = errors.New("help requested")

// repoFlags are the flags every command that reads a repository shares.
type repoFlags struct {
	dir, config, domain, policy, zone string
	format                            string
	failOn                            diag.Severity
}

func (f *repoFlags) register(fs *flag.FlagSet) {
	f.failOn = diag.Error
	fs.StringVar(&f.dir, "dir", ".", "repository `directory`; other paths are relative to it")
	fs.StringVar(&f.config, "config", "", "configuration `file` (default .github/stsgate.yml when present)")
	fs.StringVar(&f.domain, "domain", "", "policy `domain` to check (with a config: only this one)")
	fs.StringVar(&f.policy, "policy", "", "policy `file` for --domain (default .well-known/mta-sts.txt)")
	fs.StringVar(&f.zone, "zone", "", "BIND zone `file` declaring the DNS of --domain")
	fs.StringVar(&f.format, "format", "text", "output `format`: text or json")
	fs.TextVar(&f.failOn, "fail-on", diag.Error, "lowest `severity` that fails the run: error or warning")
}

func (f *repoFlags) validate() error {
	switch f.format {
	case "text", "json":
	default:
		return usagef("--format %q: want text or json", f.format)
	}
	if f.failOn != diag.Error && f.failOn != diag.Warning {
		return usagef("--fail-on %s: want error or warning", f.failOn)
	}
	if f.domain == "" && (f.policy != "" || f.zone != "") {
		return usagef("--policy and --zone need --domain")
	}
	return nil
}

// parseFlags parses args with fs. Errors are usage errors; --help prints
// the usage to stdout and returns errHelp.
func parseFlags(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout, fs, usage)
		return errHelp
	case err != nil:
		return usagef("%s: %v", fs.Name(), err)
	case fs.NArg() > 0:
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

func printUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprint(w, usage)
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
