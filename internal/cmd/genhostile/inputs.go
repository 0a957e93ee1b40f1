package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// input is one hostile input: its file name (gzip-compressed when it
// ends in .gz), the code path it aims at, and the writer of its
// uncompressed content. Writers do not check errors: the bufio.Writer
// keeps the first, which Flush returns.
type input struct {
	name  string
	what  string
	write func(w *bufio.Writer, s sizes)
}

// The limits the sizes are derived from.
const (
	maxReport = tlsrpt.DefaultMaxReport
	maxSource = tlsrpt.DefaultMaxSource
	maxParts  = tlsrpt.DefaultMaxParts
)

func inputs() []input {
	return []input{
		{"control.json.gz", "one small valid report: the normal path (in-memory gzip)", control},
		{"header-bomb.eml.gz", "mail whose header block is ~199 MiB of Received lines, then a valid report (within MaxSource)", headerBomb},
		{"header-folded.eml.gz", "mail with one folded header of ~199 MiB, then a valid report (within MaxSource)", headerFolded},
		{"many-reports.json.gz", "JSON array of 7,000,000 tiny valid reports, distinct ids and organizations (~2.8 GB, over MaxSource)", manyReports},
		{"empty-policies.json.gz", "one report of ~7,000,000 empty policies {} (just under MaxReport; in-memory gzip)", emptyPolicies},
		{"long-strings.json.gz", "9 reports just under MaxReport, 20 failure groups each of ~170 KB strings (~189 MiB, within MaxSource)", longStrings},
		{"long-strings-over.json.gz", "one report, 20 failure groups of 2 MiB strings (~242 MiB, over MaxReport and MaxSource)", longStringsOver},
		{"deep-mime.eml", "multipart nested 100,000 levels deep, a valid report at the top and at the bottom", deepMIME},
		{"many-parts.eml", "multipart/report of 1,000,000 parts (10x MaxParts) after a valid report", manyParts},
		{"big-org.json", "one report whose organization-name is 15 MiB, with 50 failure groups (output amplification)", bigOrg},
		{"int64-overflow.json", "two reports of 2^63-1 successful sessions each, on the same day", int64Overflow},
		{"summary-empty-failures.json", "summary: one record of ~22,000,000 empty failures {} (just under MaxDocument, over the bound on objects)", summaryEmptyFailures},
		{"summary-empty-strings.json", "summary: one policy_string of ~22,000,000 empty strings (over the bound on values)", summaryEmptyStrings},
		{"summary-many-records.json", "summary: 230,000 small valid records, within every bound: all decoded", summaryManyRecords},
		{"summary-over.json", "summary: one record padded with white space to just over MaxDocument", summaryOver},
	}
}

// sizes scales the inputs.
type sizes struct{ scale float64 }

// of returns full scaled, and at least 1.
func (s sizes) of(full int64) int64 { return max(1, int64(float64(full)*s.scale)) }

// writeAll writes every input into dir, and MANIFEST.tsv: name, bytes
// on disk, bytes decompressed, what it aims at.
func writeAll(dir string, scale float64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var manifest strings.Builder
	for _, in := range inputs() {
		disk, raw, err := writeInput(filepath.Join(dir, in.name), in, sizes{scale})
		if err != nil {
			return fmt.Errorf("%s: %w", in.name, err)
		}
		fmt.Fprintf(&manifest, "%s\t%d\t%d\t%s\n", in.name, disk, raw, in.what)
	}
	return os.WriteFile(filepath.Join(dir, "MANIFEST.tsv"), []byte(manifest.String()), 0o644)
}

// writeInput writes in to path and returns its size on disk and its
// size decompressed.
func writeInput(path string, in input, s sizes) (disk, raw int64, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	onDisk := &counter{w: f}
	var zw *gzip.Writer
	var dst io.Writer = onDisk
	if strings.HasSuffix(in.name, ".gz") {
		zw = gzip.NewWriter(onDisk) // no name, no time: deterministic
		dst = zw
	}
	content := &counter{w: dst}
	bw := bufio.NewWriterSize(content, 64<<10)
	in.write(bw, s)
	err = bw.Flush()
	if zw != nil && err == nil {
		err = zw.Close()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return onDisk.n, content.n, err
}

// counter counts the bytes written through it.
type counter struct {
	w io.Writer
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
