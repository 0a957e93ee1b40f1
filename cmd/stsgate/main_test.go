package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/stsgate/stsgate/internal/cli"
)

var update = flag.Bool("update", false, "update testscript files in place")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"stsgate": func() {
			os.Exit(cli.Run(context.Background(), os.Args[1:], testEnv()))
		},
	})
}

// TestScript runs the binary end to end on the scenarios in
// testdata/script. $DEMO is the bundled demo repository, $ROOT the
// repository of stsgate itself.
func TestScript(t *testing.T) {
	demo, err := filepath.Abs("../../testdata/demo")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Cmds:          scriptCmds(),
		Setup: func(env *testscript.Env) error {
			env.Setenv("DEMO", demo)
			env.Setenv("ROOT", filepath.Dir(filepath.Dir(demo)))
			if err := startGitHub(env, demo); err != nil {
				return err
			}
			return startLive(t, env)
		},
	})
}

func scriptCmds() map[string]func(*testscript.TestScript, bool, []string) {
	cmds := map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits, "readme": cmdReadme}
	for name, cmd := range githubCmds {
		cmds[name] = cmd
	}
	return cmds
}

// cmdExits runs a command and checks its exit code:
//
//	exits 2 stsgate lint --bad-flag
//
// Its output is then available to stdout and stderr as after exec.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}
