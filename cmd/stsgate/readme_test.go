package main

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdReadme writes the output the README shows for a command line to a
// file, so that a script can compare it with what the command prints:
//
//	readme 'go run ./cmd/stsgate check --offline' want.txt
//
// The command line must be the first word of a line of a ```sh block of
// README.md (comments after it are allowed); the output is the next
// fenced block.
func cmdReadme(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: readme 'COMMAND LINE' FILE")
	}
	b, err := os.ReadFile(filepath.Join(ts.Getenv("ROOT"), "README.md"))
	ts.Check(err)
	out, ok := readmeOutput(string(b), args[0])
	if !ok {
		ts.Fatalf("README.md shows no output after a line %q", args[0])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644))
}

// readmeOutput finds the line that starts with cmdline inside a fenced
// block and returns the content of the next fenced block.
func readmeOutput(readme, cmdline string) (string, bool) {
	inBlock, found, blocks := false, false, 0
	var out strings.Builder
	for _, l := range strings.SplitAfter(readme, "\n") {
		if strings.HasPrefix(l, "```") {
			inBlock = !inBlock
			if found && !inBlock {
				blocks++ // the end of the command's block, then of the output
			}
			if blocks == 2 {
				return out.String(), true
			}
			continue
		}
		switch {
		case found && inBlock && blocks == 1:
			out.WriteString(l)
		case !found && inBlock && (strings.TrimSpace(l) == cmdline || strings.HasPrefix(l, cmdline+" ")):
			found = true
		}
	}
	return "", false
}
