package source

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

func TestExpandSources(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"a/r1.json", "a/b/r2.json.gz", "a/.hidden", "a/.git/x", "c.eml"} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, diags := Expand(dir, []string{"a", "*.eml", "https://r.example/x.json", "http://r.example/y", "missing", "nothing*.json"})
	rel := func(files []string) []string {
		var out []string
		for _, f := range files {
			r, _ := filepath.Rel(dir, f)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	if diff := cmp.Diff([]string{"c.eml"}, rel(s.Files)); diff != "" {
		t.Errorf("files mismatch (-want +got):\n%s", diff)
	}
	if len(s.Dirs) != 1 || s.Dirs[0].Spec != "a" {
		t.Fatalf("dirs = %+v, want the directory a", s.Dirs)
	}
	var walked []string
	if err := walkFiles(s.Dirs[0].Path, func(p string) { walked = append(walked, p) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a/b/r2.json.gz", "a/r1.json"}, rel(walked)); diff != "" {
		t.Errorf("files of a mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"https://r.example/x.json"}, s.URLs); diff != "" {
		t.Errorf("urls mismatch (-want +got):\n%s", diff)
	}
	var subjects []string
	for _, d := range diags {
		if d.Code != diag.ReportSourceUnreadable {
			t.Errorf("unexpected code %s", d.Code)
		}
		subjects = append(subjects, d.Subject)
	}
	if diff := cmp.Diff([]string{"http://r.example/y", "missing", "nothing*.json"}, subjects); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
}

// TestTokenFor: the report token goes only to an https:// URL on the
// host of a configured report URL (DESIGN §1.11).
func TestTokenFor(t *testing.T) {
	t.Parallel()
	r := &reader{Reader: Reader{Token: "s3cret", TokenHosts: map[string]bool{"reports.example.net": true, "r.example.org:8443": true}}}
	for src, want := range map[string]string{
		"https://reports.example.net/b.json":       "s3cret",
		"https://r.example.org:8443/y":             "s3cret",
		"https://r.example.org/y":                  "",
		"https://evil.example/reports.example.net": "",
		"https://reports.example.net.evil/a":       "",
		"http://reports.example.net/a.json":        "",
		"reports/x.json":                           "",
	} {
		if got := r.tokenFor(src); got != want {
			t.Errorf("tokenFor(%s) = %q, want %q", src, got, want)
		}
	}
}

// TestExpandPathConfined: a relative source may not lead out of the
// repository through a link; an absolute one is used as given.
func TestExpandPathConfined(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	write(t, filepath.Join(outside, "r.json"), "{}")
	dir := t.TempDir()
	write(t, filepath.Join(dir, "reports/in.json"), "{}")
	for link, target := range map[string]string{"out": outside, "reports/out.json": filepath.Join(outside, "r.json"), "inlink": "reports"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	for spec, want := range map[string]int{"out": 0, "out/r.json": 0, "reports/*.json": 1, "inlink": 1, "reports/in.json": 1, outside: 1} {
		files, dirs, diags := ExpandPath(dir, spec)
		if got := len(files) + len(dirs); got != want {
			t.Errorf("ExpandPath(%q) = %v %v %v, want %d sources", spec, files, dirs, diags, want)
		}
		if want == 0 && len(diags) != 1 {
			t.Errorf("ExpandPath(%q) diagnostics = %v, want one", spec, diags)
		}
	}
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
