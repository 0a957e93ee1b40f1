// Command gencorpus writes a deterministic corpus of gzipped TLS-RPT
// reports for performance measurements (scripts/perf-reports.sh):
//
//	go run ./internal/cmd/gencorpus -n 100000 -out /tmp/corpus
//
// Reports are spread over -days days from -first, one file per report,
// in one directory per day.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

func main() {
	n := flag.Int("n", 100000, "number of reports")
	out := flag.String("out", "corpus", "output directory")
	days := flag.Int("days", 60, "days the reports are spread over")
	first := flag.String("first", "2026-09-29", "first day (YYYY-MM-DD)")
	domain := flag.String("domain", "example.com", "policy domain")
	flag.Parse()
	start, err := time.Parse(time.DateOnly, *first)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(2)
	}
	c := tlsrpttest.Corpus{Domain: *domain, First: start, Days: *days, Seed: 1}
	if err := write(c, *n, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func write(c tlsrpttest.Corpus, n int, out string) error {
	for i := range n {
		dir := filepath.Join(out, c.First.AddDate(0, 0, i%c.Days).Format(time.DateOnly))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("report-%06d.json.gz", i)))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		err = c.WriteGzip(w, i)
		if err == nil {
			err = w.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}
