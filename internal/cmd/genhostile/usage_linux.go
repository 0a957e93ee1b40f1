package main

import (
	"os"
	"syscall"
)

// usage returns the peak RSS in KiB of an ended process and of the
// descendants it waited for, and its exit status, 128+N when signal N
// ended it.
func usage(ps *os.ProcessState) (kib int64, status int) {
	status = ps.ExitCode()
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		status = 128 + int(ws.Signal())
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		kib = ru.Maxrss // KiB on Linux
	}
	return kib, status
}
