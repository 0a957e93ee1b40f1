package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/summary"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Fetcher fetches a report URL; the real one is fetch.Client.
type Fetcher interface {
	Report(ctx context.Context, rawURL, token string) ([]byte, error)
}

// Reader reads report sources (DESIGN §1.1) in parallel into an
// aggregator: one worker per core, each with its own decoder, so memory
// stays bounded by the aggregator's evidence, never by the number of
// reports. Its zero value reads local files.
type Reader struct {
	Dir     string  // sources below it are shown relative to it
	Fetcher Fetcher // nil: URLs cannot be read
	Token   string  // bearer token for report URLs
	// TokenHosts are the hosts (with any port) the token may go to:
	// those of the configured report URLs (DESIGN §1.11).
	TokenHosts map[string]bool
	Base       Base     // nil: every file is read from where it lies
	Progress   Progress // nil: none
	Mailbox    Mailbox  // nil: mailboxes cannot be read
	// Collect, when set, receives every report read instead of the
	// aggregator (which may then be nil), from several goroutines at
	// once, with the Message-ID of the mail it came in ("" for files
	// and URLs); the reports are its to keep.
	Collect func(rep tlsrpt.Report, messageID string)
	// TrustedAuthServIDs are the servers whose Authentication-Results
	// judge a report mail's DKIM signature (tlsrpt.Decoder).
	TrustedAuthServIDs []string
}

// Mailbox reads the report mails of a mailbox (Sources.Mailboxes) and
// passes each on whole. It returns what it has to say about the mailbox
// besides the mails (mails skipped as no report, as too large or as
// known), and an error when the mailbox could not be read to the end.
type Mailbox interface {
	ReadMailbox(ctx context.Context, url string, emit func(Mail)) (diag.List, error)
}

// Mail is one mail of a mailbox.
type Mail struct {
	Name      string // the name its reports are shown by
	MessageID string // without angle brackets; "" when it has none
	Body      []byte // the whole RFC 5322 message
}

// Base gives the gate's evidence (DESIGN §1.5): the files of the base
// revision in place of the working tree's where they differ.
type Base interface {
	// Replace reports whether the file at path must be read from the
	// base revision instead, and returns how: the name its reports are
	// shown by and its bytes.
	Replace(path string) (read func() (name string, data []byte, err error), ok bool)
}

// Progress is told of every source and report read, from several
// goroutines at once.
type Progress interface {
	File()
	Report()
}

// Read reads every source of s into agg and returns what it found wrong
// with them.
func (r Reader) Read(ctx context.Context, s Sources, agg *tlsrpt.Aggregator) diag.List {
	rd := &reader{Reader: r, agg: agg}
	return rd.read(ctx, s)
}

// reader is one Read.
type reader struct {
	Reader
	agg *tlsrpt.Aggregator

	mu    sync.Mutex
	diags diag.List
}

func (r *reader) read(ctx context.Context, s Sources) diag.List {
	batches := make(chan []string, 4)
	go r.produce(ctx, s, batches)
	var wg sync.WaitGroup
	for range Workers(len(s.URLs) + len(s.Mailboxes)) {
		wg.Go(func() {
			w := newReadWorker(r)
			for batch := range batches {
				for _, src := range batch {
					if ctx.Err() == nil {
						w.one(ctx, src)
					}
				}
			}
			if w.shard != nil {
				w.shard.Flush()
			}
			w.file.closeDir()
		})
	}
	wg.Wait()
	return r.diags
}

// sourceBatch is how many files a worker takes at once: a channel
// operation per file would cost as much as opening it.
const sourceBatch = 256

// produce sends the sources to the workers in batches: the files, then
// the files of each directory as the walk finds them, so that reading
// starts before a large directory is walked to its end, then each URL on
// its own, so that fetches run side by side. A file named twice is sent
// once.
func (r *reader) produce(ctx context.Context, s Sources, batches chan<- []string) {
	defer close(batches)
	send := func(b []string) bool {
		select {
		case batches <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for i := 0; i < len(s.Files); i += sourceBatch {
		if !send(s.Files[i:min(i+sourceBatch, len(s.Files))]) {
			return
		}
	}
	if !r.walkDirs(s, send) {
		return
	}
	for _, u := range slices.Concat(s.URLs, s.Mailboxes) {
		if !send([]string{u}) {
			return
		}
	}
}

// walkDirs walks the directories of s, sending their files in batches.
// It returns false when the run was cancelled.
func (r *reader) walkDirs(s Sources, send func([]string) bool) bool {
	var seen map[string]bool // only where a file can be found twice
	if s.overlap() {
		seen = make(map[string]bool, len(s.Files))
		for _, f := range s.Files {
			seen[f] = true
		}
	}
	var batch []string
	ok := true
	for _, d := range s.Dirs {
		found := 0
		err := walkFiles(d.Path, func(path string) {
			found++
			if !ok || seen[path] {
				return
			}
			if seen != nil {
				seen[path] = true
			}
			if batch = append(batch, path); len(batch) == sourceBatch {
				ok, batch = send(batch), nil
			}
		})
		switch {
		case err != nil:
			r.add(diag.List{unreadableSource(d.Spec, err)})
		case found == 0:
			r.add(diag.List{emptySource(d.Spec)})
		}
	}
	return ok && (len(batch) == 0 || send(batch))
}

// readWorker is the state one worker keeps from one source to the next:
// its decoder and buffer, and its shard of the aggregator, which it
// flushes at the end (adding to the aggregator itself would take its
// lock for every report).
type readWorker struct {
	r     *reader
	dec   *tlsrpt.Decoder
	shard *tlsrpt.Shard
	file  sourceFile
	buf   []byte              // a whole file, reused
	emit  func(tlsrpt.Report) // made once, not once per source
}

func newReadWorker(r *reader) *readWorker {
	w := &readWorker{r: r, dec: tlsrpt.NewDecoder(tlsrpt.DefaultLimits())}
	w.dec.TrustedAuthServIDs = r.TrustedAuthServIDs
	w.emit = w.emitFrom("")
	return w
}

// emitFrom returns the function that takes the reports of the mail with
// this Message-ID ("" for files and URLs).
func (w *readWorker) emitFrom(messageID string) func(tlsrpt.Report) {
	r := w.r
	add := func(rep tlsrpt.Report) { r.Collect(rep, messageID) }
	if r.Collect == nil {
		if w.shard == nil {
			w.shard = r.agg.Shard()
			w.dec.ReuseReports = true // the shard does not keep them
		}
		add = func(rep tlsrpt.Report) { w.shard.Add(rep) }
	}
	return func(rep tlsrpt.Report) {
		add(rep)
		if r.Progress != nil {
			r.Progress.Report()
		}
	}
}

// one decodes one file or URL.
func (w *readWorker) one(ctx context.Context, src string) {
	r := w.r
	var diags diag.List
	var err error
	switch base, ok := r.replaced(src); {
	case IsURL(src):
		diags, err = w.url(ctx, src)
	case IsMailbox(src):
		diags, err = w.mailbox(ctx, src)
	case ok:
		diags, err = w.base(base)
	default:
		diags, err = w.local(src)
	}
	if err != nil {
		r.add(diag.List{fetchDiag(r.display(src), err)})
		return
	}
	if r.Progress != nil {
		r.Progress.File()
	}
	r.add(diags)
}

// Files up to maxWholeFile bytes, nearly all reports, are read whole
// into the worker's buffer (one read, and one more that finds the end)
// and decoded from memory; larger ones are streamed.
const (
	firstFileBuffer = 64 << 10
	maxWholeFile    = 1 << 20
)

// local decodes a local file.
func (w *readWorker) local(src string) (diag.List, error) {
	if err := w.file.openFile(src); err != nil {
		return nil, err
	}
	defer w.file.close()
	if w.buf == nil {
		w.buf = make([]byte, firstFileBuffer)
	}
	n, complete, err := readWhole(&w.file, &w.buf, maxWholeFile)
	name := w.r.display(src)
	switch {
	case err != nil:
		// As when streaming: what was read is decoded, then the error
		// is reported as the decoder's.
		in := io.MultiReader(bytes.NewReader(w.buf[:n]), failingReader{err})
		return w.dec.Decode(name, in, w.emit), nil
	case complete:
		return w.decodeBytes(name, w.buf[:n], w.emit), nil
	case summary.Is(w.buf[:n]):
		// A summary larger than maxWholeFile is read whole, within
		// the cap on a source.
		b, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(w.buf[:n]), &w.file), summary.MaxDocument+1))
		if err == nil && int64(len(b)) > summary.MaxDocument {
			err = fmt.Errorf("the summary is larger than %d bytes, more than a month of one domain takes", summary.MaxDocument)
		}
		if err != nil {
			return nil, err
		}
		return w.decodeBytes(name, b, w.emit), nil
	}
	rest := io.MultiReader(bytes.NewReader(w.buf[:n]), &w.file)
	return w.dec.Decode(name, rest, w.emit), nil
}

// decodeBytes decodes a source held in memory: a summary document
// (DESIGN §1.10), recognised by content like every report format, or
// reports.
func (w *readWorker) decodeBytes(name string, b []byte, emit func(tlsrpt.Report)) diag.List {
	if summary.Is(b) {
		return summary.Decode(name, b, tlsrpt.DefaultLimits(), emit)
	}
	return w.dec.DecodeBytes(name, b, emit)
}

// failingReader fails every read with err.
type failingReader struct{ err error }

func (f failingReader) Read([]byte) (int, error) { return 0, f.err }

// readWhole reads r into *buf, growing it up to limit bytes, and returns
// the bytes read and whether that is all of r: false once limit bytes
// are read, whether or not more follow.
func readWhole(r io.Reader, buf *[]byte, limit int) (int, bool, error) {
	n := 0
	for {
		if n == len(*buf) {
			if n >= limit {
				return n, false, nil
			}
			grown := make([]byte, min(2*len(*buf), limit))
			copy(grown, (*buf)[:n])
			*buf = grown
		}
		m, err := r.Read((*buf)[n:])
		n += m
		switch {
		case err == io.EOF:
			return n, true, nil
		case err != nil:
			return n, false, err
		}
	}
}

// url decodes a report fetched from an https:// URL.
func (w *readWorker) url(ctx context.Context, src string) (diag.List, error) {
	if w.r.Fetcher == nil {
		return nil, fmt.Errorf("no fetcher for %s", src)
	}
	b, err := w.r.Fetcher.Report(ctx, src, w.r.tokenFor(src))
	if err != nil {
		return nil, err
	}
	return w.decodeBytes(src, b, w.emit), nil
}

// mailbox decodes the report mails of a mailbox. Mails read before an
// error count; the error is the mailbox's diagnostic.
func (w *readWorker) mailbox(ctx context.Context, src string) (diag.List, error) {
	if w.r.Mailbox == nil {
		return nil, fmt.Errorf("no mailbox reader for %s", src)
	}
	var diags diag.List
	more, err := w.r.Mailbox.ReadMailbox(ctx, src, func(m Mail) {
		emit := w.emit
		if m.MessageID != "" && w.r.Collect != nil {
			emit = w.emitFrom(m.MessageID)
		}
		diags = append(diags, w.decodeBytes(m.Name, m.Body, emit)...)
	})
	diags = append(diags, more...)
	if err != nil {
		w.r.add(diags)
		return nil, err
	}
	return diags, nil
}

// replaced returns how to read the file src from the base revision, when
// the gate's Base says it must be.
func (r *reader) replaced(src string) (func() (string, []byte, error), bool) {
	if r.Base == nil || IsURL(src) {
		return nil, false
	}
	return r.Base.Replace(src)
}

// base decodes a report file of the base revision that the working tree
// does not hold unchanged.
func (w *readWorker) base(read func() (string, []byte, error)) (diag.List, error) {
	name, b, err := read()
	if err != nil {
		return nil, err
	}
	return w.decodeBytes(name, b, w.emit), nil
}

// tokenFor returns the report token for the URL src: the token when src
// is an https:// URL on a host of a configured report URL, else nothing.
func (r *reader) tokenFor(src string) string {
	if r.Token == "" || !IsURL(src) {
		return ""
	}
	u, err := url.Parse(src)
	if err != nil || !r.TokenHosts[strings.ToLower(u.Host)] {
		return ""
	}
	return r.Token
}

// display is the name a source is shown by: repository-relative for
// files inside the repository.
func (r *reader) display(src string) string {
	if IsURL(src) || IsMailbox(src) || r.Dir == "" {
		return src
	}
	if filepath.Separator == '/' && strings.HasPrefix(src, "/") != strings.HasPrefix(r.Dir, "/") {
		return src // what Rel's error would lead to, without making the error
	}
	rel, err := filepath.Rel(r.Dir, src)
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

func IsURL(src string) bool { return len(src) > 8 && src[:8] == "https://" }

func fetchDiag(src string, err error) diag.Diagnostic {
	code, hint := diag.ReportSourceUnreadable, "check that the file exists and is readable"
	switch {
	case IsURL(src):
		code, hint = diag.ReportFetchFailed, "check the URL, the token variable named by reports_token_env, and that the server answers 200"
	case IsMailbox(src):
		code, hint = diag.ReportFetchFailed, "check the mailbox URL and the secret in the variable named by imap_password_env or imap_token_env"
	}
	what := strings.TrimPrefix(err.Error(), src+": ")
	var explained interface {
		What() string
		Fix() string
	}
	if errors.As(err, &explained) && explained.Fix() != "" {
		what, hint = explained.What(), explained.Fix() // the mailbox reader knows the cause
	}
	d := diag.New(code, fmt.Sprintf("%s could not be read (%s), so its reports are not counted in the clean window", src, what), hint)
	d.Subject = src
	return d
}

// Workers is the number of sources read at once: one per core,
// plus one for each URL up to maxFetches, whose workers mostly wait for
// the network. More workers for files would not overlap one worker's
// system calls with another's decoding (the runtime hands a blocked
// worker's core to another goroutine only after 20µs, longer than the
// open, read or close of a small file takes), and goroutines
// descheduled in the middle of a file only make the run slower.
func Workers(urls int) int { return max(runtime.GOMAXPROCS(0), 1) + min(urls, maxFetches) }

// maxFetches bounds the report URLs fetched at once.
const maxFetches = 8
