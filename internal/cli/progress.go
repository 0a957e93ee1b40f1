package cli

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// progress prints counts of files and reports to a terminal, at most a
// few times a second and only once reading has taken more than a moment;
// in CI logs (not a terminal) it prints nothing. It is a
// source.Progress.
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

func (p *progress) File()   { p.files.Add(1); p.tick() }
func (p *progress) Report() { p.reports.Add(1); p.tick() }

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
