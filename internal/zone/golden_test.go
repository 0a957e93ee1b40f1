package zone

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// zoneFiles returns the zone files under testdata. The policy domain is
// the file name without ".zone".
func zoneFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.zone"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no zone files in testdata (%v)", err)
	}
	return files
}

func TestGolden(t *testing.T) {
	t.Parallel()
	for _, file := range zoneFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			domain := strings.TrimSuffix(filepath.Base(file), ".zone")
			decl, l := ParseFile(filepath.ToSlash(file), src, domain)
			var b strings.Builder
			fmt.Fprintf(&b, "domain %s source %s policy-host %t\n", decl.Domain, decl.Source, decl.PolicyHost)
			for _, r := range decl.STS {
				fmt.Fprintf(&b, "sts %d:%d exact=%t %q %q\n", r.Pos.Line, r.Pos.Column, r.Exact, r.Text, r.Strings)
			}
			for _, r := range decl.TLSRPT {
				fmt.Fprintf(&b, "tlsrpt %d:%d exact=%t %q %q\n", r.Pos.Line, r.Pos.Column, r.Exact, r.Text, r.Strings)
			}
			for _, m := range decl.MX {
				fmt.Fprintf(&b, "mx %d:%d %d %q\n", m.Pos.Line, m.Pos.Column, m.Preference, m.Host)
			}
			for _, d := range l {
				fmt.Fprintf(&b, "%s-%d:%d\n  hint: %s\n", d, d.End.Line, d.End.Column, d.Hint)
			}
			golden := strings.TrimSuffix(file, ".zone") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("ParseFile(%s) mismatch with %s (-want +got):\n%s", file, golden, diff)
			}
		})
	}
}
