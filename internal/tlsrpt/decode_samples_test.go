package tlsrpt

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
)

// samplesDir holds real reports collected from public repositories
// (reference/mta-sts-and-tlsrpt.md §4). They are not part of this
// repository; the test is skipped where they are absent.
const samplesDir = "/work/shared/samples"

// sampleFiles returns the report files of the samples folder, or nil.
func sampleFiles(tb testing.TB) []string {
	tb.Helper()
	var files []string
	err := filepath.WalkDir(samplesDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".txt") {
			return err
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return nil
	}
	return files
}

// TestDecodeSamples checks that every real report decodes without an
// error and yields at least one report.
func TestDecodeSamples(t *testing.T) {
	t.Parallel()
	files := sampleFiles(t)
	if len(files) == 0 {
		t.Skipf("no samples in %s", samplesDir)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var reports []Report
			diags := Decode(path, f, DefaultLimits(), func(r Report) { reports = append(reports, r) })
			if diags.Max() >= diag.Error {
				t.Errorf("errors: %v", diags)
			}
			if len(reports) == 0 {
				t.Errorf("no report")
			}
			for _, r := range reports {
				if r.Start.IsZero() || !r.End.After(r.Start) || len(r.Policies) == 0 {
					t.Errorf("report %+v", r)
				}
			}
		})
	}
}
