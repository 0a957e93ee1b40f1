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
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
