package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

func TestReadWhole(t *testing.T) {
	t.Parallel()
	data := bytes.Repeat([]byte("0123456789"), 100)
	fail := errors.New("disk on fire")
	for _, tc := range []struct {
		name     string
		r        io.Reader
		limit    int
		n        int
		complete bool
		err      error
	}{
		{"empty", bytes.NewReader(nil), 64, 0, true, nil},
		{"fits", bytes.NewReader(data[:10]), 64, 10, true, nil},
		{"one byte at a time", iotest.OneByteReader(bytes.NewReader(data[:100])), 1000, 100, true, nil},
		{"grows", bytes.NewReader(data), 4096, 1000, true, nil},
		{"exactly the limit", bytes.NewReader(data[:512]), 512, 512, false, nil}, // the end is not seen
		{"over the limit", bytes.NewReader(data), 512, 512, false, nil},
		{"error", io.MultiReader(bytes.NewReader(data[:30]), iotest.ErrReader(fail)), 64, 30, false, fail},
		{"data and EOF together", iotest.DataErrReader(bytes.NewReader(data[:70])), 128, 70, true, nil},
	} {
		buf := make([]byte, 16)
		n, complete, err := readWhole(tc.r, &buf, tc.limit)
		if n != tc.n || complete != tc.complete || !errors.Is(err, tc.err) {
			t.Errorf("%s: got %d, %v, %v; want %d, %v, %v", tc.name, n, complete, err, tc.n, tc.complete, tc.err)
		}
		if !bytes.Equal(buf[:n], data[:n]) || len(buf) > max(tc.limit, 16) {
			t.Errorf("%s: read %q into a buffer of %d bytes", tc.name, buf[:n], len(buf))
		}
	}
}

// TestSourceFile opens files of several directories in turn, by
// absolute and relative names, and checks that errors are those of
// os.Open.
func TestSourceFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"a/1", "a/2", "b/1", "top"} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte("file "+name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var f sourceFile
	defer f.closeDir()
	for _, name := range []string{"a/1", filepath.Join(dir, "a/2"), "b/1", "a/2", "top", "./top", filepath.Join(dir, "b", "..", "a", "1"), "a/1"} {
		if err := f.openFile(name); err != nil {
			t.Fatalf("open %s: %v", name, err)
		}
		got, err := io.ReadAll(&f)
		f.close()
		want, _ := os.ReadFile(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("read %s: %q, %v; want %q", name, got, err, want)
		}
	}
	for _, name := range []string{"missing", "a/missing", "missing/x", "a/1/x", filepath.Join(dir, "nothing", "x"), "a/"} {
		err := f.openFile(name)
		if err == nil {
			f.close()
		}
		_, want := os.Open(name)
		if fmt.Sprint(err) != fmt.Sprint(want) {
			t.Errorf("open %s: error %v, want %v", name, err, want)
		}
	}
}

func TestDisplay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ dir, src, want string }{
		{"", "/tmp/r.json", "/tmp/r.json"},
		{".", "/tmp/r.json", "/tmp/r.json"},
		{".", "reports/r.json", "reports/r.json"},
		{"/repo", "/repo/reports/r.json", "reports/r.json"},
		{"/repo", "/elsewhere/r.json", "/elsewhere/r.json"},
		{"/repo", "reports/r.json", "reports/r.json"},
		{"/repo", "https://r.example/x.json", "https://r.example/x.json"},
		{".", "imaps://u@mail.example/INBOX", "imaps://u@mail.example/INBOX"},
		{"/repo", "imap://u@mail.example/Reports", "imap://u@mail.example/Reports"},
	} {
		if got := (&reader{Reader: Reader{Dir: tc.dir}}).display(tc.src); got != tc.want {
			t.Errorf("display(%q) in %q = %q, want %q", tc.src, tc.dir, got, tc.want)
		}
	}
}

// TestReaderRead reads a directory of report files the way stsgate
// reports does and checks that the result is that of decoding the files
// one after the other: the same window and diagnostics, whether a file
// is read whole, streamed (larger than maxWholeFile) or missing.
func TestReaderRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := tlsrpttest.Corpus{Domain: "example.com", First: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Days: 60, Seed: 1}
	var files []string
	write := func(name string, b []byte) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	for i := range 300 {
		var b bytes.Buffer
		if err := c.WriteGzip(&b, i); err != nil {
			t.Fatal(err)
		}
		write(fmt.Sprintf("d%d/r%03d.json.gz", i%3, i), b.Bytes())
	}
	write("plain.json", c.Report(1000))
	write("broken.json.gz", []byte("\x1f\x8bnot gzip"))
	var ndjson []byte
	for i := 2000; len(ndjson) <= maxWholeFile; i++ {
		ndjson = append(append(ndjson, c.Report(i)...), '\n')
	}
	var big bytes.Buffer
	zw := gzip.NewWriter(&big)
	zw.Write(ndjson)
	zw.Close()
	write("big.ndjson", ndjson)
	write("big.ndjson.gz", big.Bytes())
	files = append(files, filepath.Join(dir, "missing.json"))
	slices.Sort(files)

	opts := tlsrpt.Options{AsOf: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	want := tlsrpt.NewAggregator(opts, nil)
	var wantDiags diag.List
	for _, f := range files {
		name, _ := filepath.Rel(dir, f)
		in, err := os.Open(f)
		if err != nil {
			wantDiags = append(wantDiags, fetchDiag(name, err))
			continue
		}
		wantDiags = append(wantDiags, tlsrpt.Decode(name, in, tlsrpt.DefaultLimits(), func(r tlsrpt.Report) { want.Add(r) })...)
		in.Close()
	}
	got := tlsrpt.NewAggregator(opts, nil)
	r := &reader{Reader: Reader{Dir: dir}, agg: got}
	gotDiags := r.read(context.Background(), Sources{Files: files})

	bySubject := func(l diag.List) diag.List {
		return slices.SortedFunc(slices.Values(l), func(a, b diag.Diagnostic) int { return strings.Compare(a.Subject+a.Message, b.Subject+b.Message) })
	}
	if diff := cmp.Diff(bySubject(wantDiags), bySubject(gotDiags)); diff != "" || len(gotDiags) < 2 {
		t.Errorf("diagnostics (-one by one +reader):\n%s", diff)
	}
	if diff := cmp.Diff(want.Window("example.com"), got.Window("example.com")); diff != "" {
		t.Errorf("window (-one by one +reader):\n%s", diff)
	}
	lines := bytes.Count(ndjson, []byte("\n")) // the same reports in big.ndjson and big.ndjson.gz
	if n, dups, _ := got.Counts(); n != 300+1+lines || dups != lines {
		t.Errorf("%d reports and %d duplicates, want %d and %d", n, dups, 300+1+lines, lines)
	}

	// The directory walked by the reader while it reads, with one file
	// and one subdirectory also named on their own: the same reports,
	// each file read once.
	walked := tlsrpt.NewAggregator(opts, nil)
	r = &reader{Reader: Reader{Dir: dir}, agg: walked}
	r.read(context.Background(), Sources{Files: files[:1], Dirs: []Dir{{Spec: ".", Path: dir}, {Spec: "d1", Path: filepath.Join(dir, "d1")}}})
	if diff := cmp.Diff(got.Window("example.com"), walked.Window("example.com")); diff != "" {
		t.Errorf("window (-files +walked directory):\n%s", diff)
	}
	n1, d1, _ := got.Counts()
	if n2, d2, _ := walked.Counts(); n1 != n2 || d1 != d2 {
		t.Errorf("walked directory: %d reports and %d duplicates, want %d and %d", n2, d2, n1, d1)
	}

	// Collect receives every report, its own to keep: added to an
	// aggregator afterwards, the same window.
	var mu sync.Mutex
	var kept []tlsrpt.Report
	collect := func(r tlsrpt.Report, _ string) { mu.Lock(); kept = append(kept, r); mu.Unlock() }
	Reader{Dir: dir, Collect: collect}.Read(context.Background(), Sources{Files: files}, nil)
	collected := tlsrpt.NewAggregator(opts, nil)
	for _, r := range kept {
		collected.Add(r)
	}
	if diff := cmp.Diff(got.Window("example.com"), collected.Window("example.com")); diff != "" {
		t.Errorf("window (-aggregated +collected):\n%s", diff)
	}
}

func TestSourcesOverlap(t *testing.T) {
	t.Parallel()
	dirs := func(paths ...string) []Dir {
		var d []Dir
		for _, p := range paths {
			d = append(d, Dir{Spec: p, Path: p})
		}
		return d
	}
	for _, tc := range []struct {
		s    Sources
		want bool
	}{
		{Sources{Dirs: dirs("reports")}, false},
		{Sources{Dirs: dirs("reports", "reports-old"), Files: []string{"reportsx/a.json", "a.json"}}, false},
		{Sources{Dirs: dirs("reports", "reports")}, true},
		{Sources{Dirs: dirs("reports", "reports/2026")}, true},
		{Sources{Dirs: dirs("reports/2026", "reports")}, true},
		{Sources{Dirs: dirs("reports"), Files: []string{"reports/2026/a.json"}}, true},
		{Sources{Dirs: dirs("/"), Files: []string{"/a.json"}}, true},
		{Sources{Files: []string{"a.json", "a.json"}}, false}, // Expand compacts files
	} {
		if got := tc.s.overlap(); got != tc.want {
			t.Errorf("%+v: overlap() = %v, want %v", tc.s, got, tc.want)
		}
	}
}
