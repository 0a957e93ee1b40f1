// Command genhostile writes hostile TLS-RPT report inputs for
// scripts/hostile-inputs.sh, which runs stsgate reports on each of them
// under a memory limit (issue 12):
//
//	go run ./internal/cmd/genhostile -out /tmp/hostile [-scale 0.01]
//
// Each input is one file in -out, named after it; MANIFEST.tsv lists
// them with their size on disk, their size after decompression and the
// code path they aim at (described at -scale 1). Sizes follow the decoder's default limits
// (tlsrpt.DefaultLimits): some inputs fit inside them, to be read whole,
// and some exceed them. -scale multiplies every size, for a quick run.
// The content is deterministic, and written as a stream.
//
// Two more modes serve the script:
//
//	genhostile -check FILE
//
// exits 1 unless FILE holds one JSON document without a negative number
// (stsgate's counts can never be negative: one is an overflow), and
//
//	genhostile -measure RESULT -- COMMAND [ARG...]
//
// runs COMMAND and writes its wall time in seconds, its peak RSS in KiB
// (of it and its waited-for descendants) and its exit status to RESULT.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("out", "", "output `directory` for the inputs")
	scale := flag.Float64("scale", 1, "multiply every size by this `factor` (0 < factor <= 1 for a quick run)")
	check := flag.String("check", "", "check that `file` is one JSON document without negative numbers")
	measure := flag.String("measure", "", "run the command after --, and write its time, peak RSS and status to `file`")
	flag.Parse()
	var err error
	switch {
	case *check != "":
		err = checkFile(*check)
	case *measure != "":
		err = run(*measure, flag.Args())
	case *out != "" && *scale > 0:
		err = writeAll(*out, *scale)
	default:
		flag.Usage()
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genhostile:", err)
		os.Exit(1)
	}
}
