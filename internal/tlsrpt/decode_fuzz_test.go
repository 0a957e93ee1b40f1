package tlsrpt

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
)

// fuzzLimits keep each fuzz input cheap.
// The caps on a report's parts are small, so that inputs hit them.
var fuzzLimits = Limits{MaxReport: 256 << 10, MaxSource: 2 << 20, MaxParts: 200,
	MaxPolicies: 3, MaxDetails: 2, MaxReportDetails: 5, MaxListItems: 2, MaxString: 24}

// FuzzDecode checks, for any input: no panic, no hang; every diagnostic
// is in the catalog, names the source, and a positioned one lies inside
// the document it points into (checked where that document is the input
// or its gunzipped content); every report has End >= Start and
// non-negative counts.
func FuzzDecode(f *testing.F) {
	for _, dir := range []string{filepath.Join("testdata", "reports")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, name := range files {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	for _, name := range sampleFiles(f) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(minimal))
	f.Add([]byte("[" + minimal + "," + minimal + "]"))
	for _, b := range hostileSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<20 {
			return
		}
		done := make(chan diag.List, 1)
		var reports []Report
		go func() {
			done <- Decode("in", bytes.NewReader(src), fuzzLimits, func(r Report) { reports = append(reports, r) })
		}()
		var diags diag.List
		select {
		case diags = <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Decode hangs on %q", src)
		}
		checkReports(t, reports)
		checkDiags(t, src, diags)
	})
}

func checkReports(t *testing.T, reports []Report) {
	t.Helper()
	for _, r := range reports {
		if r.End.Before(r.Start) || r.Start.Location() != time.UTC || r.Key == "" || !strings.HasPrefix(r.Source, "in") {
			t.Fatalf("bad report %+v", r)
		}
		for _, p := range r.Policies {
			if p.Successful < 0 || p.Failed < 0 {
				t.Fatalf("negative counts in %+v", p)
			}
			for _, d := range p.Details {
				// A detail may count more sessions than the total
				// (J10): the total wins, the details classify.
				if d.Sessions < 0 {
					t.Fatalf("bad detail %+v in %+v", d, p)
				}
			}
		}
	}
}

func checkDiags(t *testing.T, src []byte, diags diag.List) {
	t.Helper()
	doc := document(src)
	for _, d := range diags {
		if _, ok := diag.Lookup(d.Code); !ok {
			t.Fatalf("code %q not in the catalog", d.Code)
		}
		if !strings.HasPrefix(d.Subject, "in") || d.File != "" {
			t.Fatalf("%s: subject %q, file %q", d.Code, d.Subject, d.File)
		}
		if d.Start.IsZero() {
			continue
		}
		if d.Start.Line < 1 || d.Start.Column < 1 || !d.End.IsZero() && before(d.End, d.Start) {
			t.Fatalf("%s: span %v-%v", d.Code, d.Start, d.End)
		}
		if doc != nil && d.Subject == "in" {
			inside(t, doc, d, d.Start)
			if !d.End.IsZero() {
				inside(t, doc, d, d.End)
			}
		}
	}
}

// document returns the text that positions of diagnostics about the
// whole input refer to: the input, or its gunzipped content; nil when
// that cannot be told simply.
func document(src []byte) []byte {
	switch sniff(src[:min(len(src), sniffLen)]) {
	case kindJSON:
		return src
	case kindGzip:
		zr, err := gzip.NewReader(bytes.NewReader(src))
		if err != nil {
			return nil
		}
		b, _ := io.ReadAll(io.LimitReader(zr, fuzzLimits.MaxSource))
		if sniff(b[:min(len(b), sniffLen)]) == kindJSON {
			return b
		}
	}
	return nil
}

// inside fails unless p lies in doc: line 1..lines, column
// 1..len(line)+1.
func inside(t *testing.T, doc []byte, d diag.Diagnostic, p diag.Pos) {
	t.Helper()
	lines := bytes.Split(doc, []byte{'\n'})
	if p.Line > len(lines) || p.Column > len(lines[p.Line-1])+1 {
		t.Fatalf("%s at %v is outside the input (%d lines): %v", d.Code, p, len(lines), d)
	}
}

func before(a, b diag.Pos) bool {
	return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
}
