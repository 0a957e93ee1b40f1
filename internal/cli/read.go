package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// reportFetcher fetches a report URL; the real one is fetch.Client.
type reportFetcher interface {
	Report(ctx context.Context, rawURL, token string) ([]byte, error)
}

// reader reads report sources in parallel into an aggregator: one worker
// per core, each with its own decoder, so memory stays bounded by the
// aggregator's evidence, never by the number of reports.
type reader struct {
	dir      string // sources below it are shown relative to it
	agg      *tlsrpt.Aggregator
	fetcher  reportFetcher // nil: URLs cannot be read
	token    string
	progress *progress

	mu    sync.Mutex
	diags diag.List
}

func (r *reader) read(ctx context.Context, s reportSources) diag.List {
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range readWorkers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dec := tlsrpt.NewDecoder(tlsrpt.DefaultLimits())
			for src := range jobs {
				r.one(ctx, dec, src)
			}
		}()
	}
	for _, src := range append(append([]string{}, s.files...), s.urls...) {
		select {
		case jobs <- src:
		case <-ctx.Done():
		}
	}
	close(jobs)
	wg.Wait()
	r.progress.done()
	return r.diags
}

// one decodes one file or URL.
func (r *reader) one(ctx context.Context, dec *tlsrpt.Decoder, src string) {
	if ctx.Err() != nil {
		return
	}
	in, closeIn, err := r.open(ctx, src)
	if err != nil {
		r.add(diag.List{fetchDiag(r.display(src), err)})
		return
	}
	defer closeIn()
	diags := dec.Decode(r.display(src), in, func(rep tlsrpt.Report) {
		r.agg.Add(rep)
		r.progress.report()
	})
	r.progress.file()
	r.add(diags)
}

func (r *reader) open(ctx context.Context, src string) (io.Reader, func(), error) {
	if !isURL(src) {
		f, err := os.Open(src)
		if err != nil {
			return nil, nil, err
		}
		return f, func() { f.Close() }, nil
	}
	if r.fetcher == nil {
		return nil, nil, fmt.Errorf("no fetcher for %s", src)
	}
	b, err := r.fetcher.Report(ctx, src, r.token)
	if err != nil {
		return nil, nil, err
	}
	return bytes.NewReader(b), func() {}, nil
}

// display is the name a source is shown by: repository-relative for
// files inside the repository.
func (r *reader) display(src string) string {
	if isURL(src) || r.dir == "" {
		return src
	}
	rel, err := filepath.Rel(r.dir, src)
	if err != nil || strings.HasPrefix(rel, "..") {
		return src
	}
	return filepath.ToSlash(rel)
}

func (r *reader) add(l diag.List) {
	if len(l) == 0 {
		return
	}
	r.mu.Lock()
	r.diags = append(r.diags, l...)
	r.mu.Unlock()
}

func isURL(src string) bool { return len(src) > 8 && src[:8] == "https://" }

func fetchDiag(src string, err error) diag.Diagnostic {
	code, hint := diag.ReportSourceUnreadable, "check that the file exists and is readable"
	if isURL(src) {
		code, hint = diag.ReportFetchFailed, "check the URL, the token variable named by reports_token_env, and that the server answers 200"
	}
	d := diag.New(code, fmt.Sprintf("%s could not be read (%v), so its reports are not counted in the clean window", src, err), hint)
	d.Subject = src
	return d
}

// progress prints counts of files and reports to a terminal, at most a
// few times a second and only once reading has taken more than a moment;
// in CI logs (not a terminal) it prints nothing.
type progress struct {
	w              io.Writer // nil: silent
	start          time.Time
	files, reports atomic.Int64
	last           atomic.Int64 // unix nanoseconds of the last print
	printed        atomic.Bool
}

func newProgress(env Env) *progress {
	p := &progress{start: time.Now()}
	if env.IsTerminal != nil && env.IsTerminal() {
		p.w = env.Stderr
	}
	return p
}

func (p *progress) file()   { p.files.Add(1); p.tick() }
func (p *progress) report() { p.reports.Add(1); p.tick() }

func (p *progress) tick() {
	if p.w == nil {
		return
	}
	now := time.Now()
	last := p.last.Load()
	if now.Sub(p.start) < time.Second || now.UnixNano()-last < int64(250*time.Millisecond) || !p.last.CompareAndSwap(last, now.UnixNano()) {
		return
	}
	p.printed.Store(true)
	fmt.Fprintf(p.w, "\rreading reports: %d files, %d reports", p.files.Load(), p.reports.Load())
}

func (p *progress) done() {
	if p.w != nil && p.printed.Load() {
		fmt.Fprintf(p.w, "\rreading reports: %d files, %d reports, done\n", p.files.Load(), p.reports.Load())
	}
}

// readWorkers is the number of files read at once: two per core, so that
// one worker's system calls (open, read, close of small files) overlap
// another's decoding.
func readWorkers() int { return 2 * max(runtime.GOMAXPROCS(0), 1) }
