package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

// BenchmarkReadReports reads a corpus of gzipped ~2 KB reports the way
// stsgate reports does (one file per report, parallel workers, the
// aggregator); the reported ns/op is per report. scripts/perf-reports.sh
// measures the 100,000-report run of the real binary.
func BenchmarkReadReports(b *testing.B) {
	const n = 2000
	dir := b.TempDir()
	c := tlsrpttest.Corpus{Domain: "example.com", First: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Days: 60, Seed: 1}
	var files []string
	for i := range n {
		name := filepath.Join(dir, fmt.Sprintf("r%05d.json.gz", i))
		f, err := os.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.WriteGzip(f, i); err != nil {
			b.Fatal(err)
		}
		f.Close()
		files = append(files, name)
	}
	b.ResetTimer()
	for range b.N {
		agg := tlsrpt.NewAggregator(tlsrpt.Options{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}, nil)
		r := &reader{agg: agg}
		if diags := r.read(context.Background(), Sources{Files: files}); len(diags) > 0 {
			b.Fatal(diags)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/report")
}
