package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/ghapi"
)

// gitRepo makes a git repository in a temporary directory with files
// (and symbolic links, for values starting with "->"), commits them and
// returns the directory and the commit.
func gitRepo(t *testing.T, files map[string]string) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if target, ok := cutPrefix(content, "->"); ok {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		write(t, p, content)
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	git("init", "-q")
	git("add", "-A")
	git("commit", "-qm", "base")
	return dir, git("rev-parse", "HEAD")[:40]
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return s, false
}

// TestGitRevision reads a revision through git: regular files within the
// cap, no link followed, directories listed recursively.
func TestGitRevision(t *testing.T) {
	t.Parallel()
	dir, sha := gitRepo(t, map[string]string{
		"policy.txt": "version: STSv1\n", "big": "0123456789",
		"reports/a.json": "{}", "reports/sub/b.json": "[]", "reports/.hidden": "x",
		"link": "->/proc/self/environ", "reports/link.json": "->a.json",
	})
	rev := gitRevision{ctx: context.Background(), dir: dir, rev: sha}
	if b, err := rev.readFile("policy.txt", 100); err != nil || string(b) != "version: STSv1\n" {
		t.Errorf("readFile(policy.txt) = %q, %v", b, err)
	}
	for name, want := range map[string]error{
		"link": errNotRegular, "big": tooLargeError{5}, "missing": fs.ErrNotExist, "reports": errNotRegular,
	} {
		if _, err := rev.readFile(name, 5); !errors.Is(err, want) {
			t.Errorf("readFile(%s) error = %v, want %v", name, err, want)
		}
	}
	files, err := rev.files("reports")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.path)
		if b, err := rev.blob(f); err != nil || int64(len(b)) != f.size || !sameAsBase(filepath.Join(dir, f.path), f) {
			t.Errorf("blob(%s) = %q, %v; size %d", f.path, b, err, f.size)
		}
	}
	if diff := cmp.Diff([]string{"reports/.hidden", "reports/a.json", "reports/sub/b.json"}, paths); diff != "" {
		t.Errorf("files(reports) (-want +got):\n%s", diff)
	}
}

// fakeRevision is a revision held in memory.
type fakeRevision []treeFile

func (r fakeRevision) readFile(string, int64) ([]byte, error) { return nil, fs.ErrNotExist }
func (r fakeRevision) files(dir string) ([]treeFile, error)   { return filesBelow(r, dir), nil }
func (r fakeRevision) blob(f treeFile) ([]byte, error)        { return []byte(f.oid), nil }

func TestBaseFiles(t *testing.T) {
	t.Parallel()
	var rev fakeRevision
	for _, p := range []string{"reports/a.json", "reports/b/c.json.gz", "reports/.git/x", "reports/b/.keep", "reportsx/d.json", "top.json", "other/2026-11/e.json"} {
		rev = append(rev, treeFile{path: p})
	}
	for spec, want := range map[string][]string{
		"reports":         {"reports/a.json", "reports/b/c.json.gz"},
		"reports/":        {"reports/a.json", "reports/b/c.json.gz"},
		"./reports/b":     {"reports/b/c.json.gz"},
		"top.json":        {"top.json"},
		"reports/*.json":  {"reports/a.json"},
		"reports/*":       {"reports/a.json", "reports/b/c.json.gz"},
		"*/2026-*/*.json": {"other/2026-11/e.json"},
		"*.json":          {"top.json"},
		"missing":         nil,
	} {
		files, err := baseFiles(rev, spec)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range files {
			got = append(got, f.path)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("baseFiles(%q) (-want +got):\n%s", spec, diff)
		}
	}
}

// TestSameAsBase: a working-tree file counts as the base's only when it
// is a regular file with the same bytes; a link to /dev/zero costs
// nothing.
func TestSameAsBase(t *testing.T) {
	t.Parallel()
	dir, sha := gitRepo(t, map[string]string{"r/a.json": `{"a":1}`, "r/b.json": `{"b":2}`, "r/c.json": `{"c":3}`})
	files, err := gitRevision{ctx: context.Background(), dir: dir, rev: sha}.files("r")
	if err != nil || len(files) != 3 {
		t.Fatalf("files = %v, %v", files, err)
	}
	write(t, filepath.Join(dir, "r/b.json"), `{"b":3}`)
	if err := os.Remove(filepath.Join(dir, "r/c.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "r/c.json")); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"r/a.json": true, "r/b.json": false, "r/c.json": false}
	for _, f := range files {
		if got := sameAsBase(filepath.Join(dir, f.path), f); got != want[f.path] {
			t.Errorf("sameAsBase(%s) = %v", f.path, got)
		}
	}
}

// TestReportHosts: the report token may go to the hosts, with their
// ports, of the configuration's https:// report URLs, compared without
// case (DESIGN §1.11).
func TestReportHosts(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.Domains = []config.Domain{
		{Name: "example.com", Reports: []string{"https://Reports.example.net/a.json", "reports/", "https://r.example.org:8443/x"}},
		{Name: "example.org", Reports: []string{"http://plain.example/x", "imaps://u@mail.example/INBOX"}},
	}
	want := map[string]bool{"reports.example.net": true, "r.example.org:8443": true}
	if diff := cmp.Diff(want, reportHosts(cfg)); diff != "" {
		t.Errorf("reportHosts (-want +got):\n%s", diff)
	}
}

// TestBaseListHint checks that the fix for a base revision that cannot be
// listed names the token's permission only when GitHub refused it.
func TestBaseListHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		says string
	}{
		{&ghapi.PermissionError{}, "contents: read"},
		{&ghapi.RateLimitError{}, "rate limit"},
		{fmt.Errorf("tree: %w", ghapi.ErrNotFound), "base revision exists"},
		{errors.New("ghapi: list tree: 502 Bad Gateway"), "run the gate again"},
	} {
		if got := baseListHint(tc.err); !strings.Contains(got, tc.says) {
			t.Errorf("baseListHint(%v) = %q, want it to say %q", tc.err, got, tc.says)
		}
	}
}
