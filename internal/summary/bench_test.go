package summary

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// yearOfReports returns what a domain receives in a year from four big
// reporters: one report a day each, a tenth of them with a few failure
// details, shaped as Google's and Microsoft's reports are.
func yearOfReports(domain string, seed uint64) []tlsrpt.Report {
	r := rand.New(rand.NewPCG(seed, 3))
	mx := []string{"mx1." + domain, "mx2." + domain}
	ps := []string{"version: STSv1", "mode: testing", "mx: " + mx[0], "mx: " + mx[1], "max_age: 604800"}
	var out []tlsrpt.Report
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for day := range 365 {
		start := first.AddDate(0, 0, day)
		for _, org := range []string{"Google Inc.", "Microsoft Corporation", "Yahoo Inc.", "Comcast"} {
			id := fmt.Sprintf("%s_%s_%d", start.Format(time.RFC3339), domain, r.Uint32())
			p := tlsrpt.PolicyResult{Type: "sts", Domain: domain, PolicyString: ps, MXHost: mx, Successful: 20 + r.Int64N(2000)}
			if r.IntN(10) == 0 {
				for range 1 + r.IntN(3) {
					n := 1 + r.Int64N(5)
					p.Failed += n
					p.Details = append(p.Details, tlsrpt.FailureDetail{ResultType: "validation-failure",
						SendingIP: netip.AddrFrom4([4]byte{198, 51, 100, byte(r.IntN(250))}), ReceivingMX: mx[r.IntN(2)],
						Sessions: n, ReasonCode: "certificate verify failed"})
				}
			}
			out = append(out, tlsrpt.Report{Organization: org, ReportID: id, Key: idKey(org, id),
				ContactInfo: "smtp-tls-reporting@" + org, Start: start, End: start.AddDate(0, 0, 1),
				Policies: []tlsrpt.PolicyResult{p}})
		}
	}
	return out
}

// writeYear writes the summaries of a year of reports for 50 domains,
// 600 files, and returns their paths.
func writeYear(b *testing.B) []string {
	files, size := writeYearTo(b, b.TempDir())
	b.SetBytes(size)
	return files
}

// TestWriteYear writes the year of writeYear into the directory
// $STSGATE_SUMMARY_YEAR, for scripts/perf-summaries.sh; without it, it
// is skipped.
func TestWriteYear(t *testing.T) {
	dir := os.Getenv("STSGATE_SUMMARY_YEAR")
	if dir == "" {
		t.Skip("STSGATE_SUMMARY_YEAR not set")
	}
	writeYearTo(t, dir)
}

// writeYearTo writes the year into dir and returns the paths and bytes.
func writeYearTo(b testing.TB, dir string) ([]string, int64) {
	var s Set
	for i := range 50 {
		for _, r := range yearOfReports(fmt.Sprintf("domain%02d.example", i), uint64(i)) {
			s.Add(r)
		}
	}
	var files []string
	var size int64
	for _, id := range s.Changed() {
		data := s.Render(id)
		size += int64(len(data))
		if err := WriteFile(dir, id, data); err != nil {
			b.Fatal(err)
		}
		files = append(files, filepath.Join(dir, filepath.FromSlash(id.Path())))
	}
	if len(files) != 600 {
		b.Fatalf("%d files, want 600", len(files))
	}
	return files, size
}

// BenchmarkReadYear reads a year of summaries of 50 domains from disk,
// 600 files, and computes every domain's window: the budget is
// 100 ms for the reading.
func BenchmarkReadYear(b *testing.B) {
	files := writeYear(b)
	b.ReportAllocs()
	asOf := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		agg := tlsrpt.NewAggregator(tlsrpt.Options{AsOf: asOf}, nil)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			if dl := Decode(f, data, tlsrpt.Limits{}, func(r tlsrpt.Report) { agg.Add(r) }); len(dl) > 0 {
				b.Fatal(dl)
			}
		}
		if len(agg.Domains()) != 50 {
			b.Fatal("domains missing")
		}
	}
}

// BenchmarkDecodeYear is BenchmarkReadYear without the aggregation:
// reading the files and decoding them only.
func BenchmarkDecodeYear(b *testing.B) {
	files := writeYear(b)
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		n := 0
		for _, f := range files {
			data := readInto(b, &buf, f)
			Decode(f, data, tlsrpt.Limits{}, func(tlsrpt.Report) { n++ })
		}
		if n != 50*365*4 {
			b.Fatalf("%d reports, want %d", n, 50*365*4)
		}
	}
}

// BenchmarkDecodeYearWorkers is BenchmarkDecodeYear with one worker per
// CPU, as the CLI reads its sources.
func BenchmarkDecodeYearWorkers(b *testing.B) {
	files := writeYear(b)
	b.ReportAllocs()
	for b.Loop() {
		var wg sync.WaitGroup
		var n atomic.Int64
		next := make(chan string)
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				var buf []byte
				for f := range next {
					Decode(f, readInto(b, &buf, f), tlsrpt.Limits{}, func(tlsrpt.Report) { n.Add(1) })
				}
			})
		}
		for _, f := range files {
			next <- f
		}
		close(next)
		wg.Wait()
		if n.Load() != 50*365*4 {
			b.Fatalf("%d reports, want %d", n.Load(), 50*365*4)
		}
	}
}

// readInto reads the file into *buf, reused from file to file as the
// CLI's read workers reuse theirs (internal/source), and returns its
// bytes: Decode keeps nothing of them.
func readInto(b *testing.B, buf *[]byte, name string) []byte {
	f, err := os.Open(name)
	if err != nil {
		b.Error(err)
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		b.Error(err)
		return nil
	}
	if int64(cap(*buf)) < st.Size() {
		*buf = make([]byte, st.Size())
	}
	data := (*buf)[:st.Size()]
	if _, err := io.ReadFull(f, data); err != nil {
		b.Error(err)
	}
	return data
}
