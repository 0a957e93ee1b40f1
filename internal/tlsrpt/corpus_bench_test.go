package tlsrpt

import (
	"bytes"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

// corpusFiles returns n gzipped reports of the corpus that
// scripts/perf-reports.sh measures (internal/cmd/gencorpus).
func corpusFiles(tb testing.TB, n int) [][]byte {
	tb.Helper()
	c := tlsrpttest.Corpus{Domain: "example.com", First: time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC), Days: 60, Seed: 1}
	files := make([][]byte, n)
	for i := range files {
		var b bytes.Buffer
		if err := c.WriteGzip(&b, i); err != nil {
			tb.Fatal(err)
		}
		files[i] = b.Bytes()
	}
	return files
}

// BenchmarkCorpus decodes 8192 gzipped corpus reports into a new
// aggregator per op, one worker per core, the way stsgate reports reads
// a directory once it has the files in memory: each worker with its own
// Decoder and Shard.
func BenchmarkCorpus(b *testing.B) {
	files := corpusFiles(b, 8192)
	opts := Options{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		agg := NewAggregator(opts, nil)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				dec, shard := NewDecoder(DefaultLimits()), agg.Shard()
				emit := func(r Report) { shard.Add(r) }
				for i := next.Add(1) - 1; i < int64(len(files)); i = next.Add(1) - 1 {
					dec.DecodeBytes("report.json.gz", files[i], emit)
				}
				shard.Flush()
			})
		}
		wg.Wait()
		if r, _, _ := agg.Counts(); r != len(files) {
			b.Fatalf("%d reports, want %d", r, len(files))
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/file")
}
