// Command stsgate checks an MTA-STS deployment kept in a repository. See
// the README for usage; the work is done in package cli.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/stsgate/stsgate/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	env := cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, IsTerminal: stderrIsTerminal}
	code := cli.Run(ctx, os.Args[1:], env)
	stop()
	os.Exit(code)
}

// stderrIsTerminal reports whether stderr is a terminal (progress output
// goes there; CI logs are not terminals).
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
