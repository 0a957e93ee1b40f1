package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// run runs argv with this process's standard input and outputs, and
// writes "SECONDS KIB STATUS" to result: its wall time, the peak RSS of
// it and the descendants it waited for (getrusage RUSAGE_CHILDREN, as
// GNU time reports it), and its exit status, 128+N when signal N ended
// it.
func run(result string, argv []string) error {
	if len(argv) == 0 {
		return errors.New("-measure: no command after --")
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return err // it did not start
	}
	kib, status := usage(cmd.ProcessState)
	return os.WriteFile(result, fmt.Appendf(nil, "%.2f %d %d\n", wall.Seconds(), kib, status), 0o644)
}
