package source

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWalkDir walks a tree with nested, empty and hidden directories,
// hidden files and symbolic links: regular files only, in lexical order,
// no link below the root followed, and a root named through a link
// walked.
func TestWalkDir(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for _, f := range []string{
		"a.json", "a0.json", "a/z.json", "a/b/c.json.gz", "a-b/x", "B.json", "b/.gitkeep",
		".hidden.json", ".git/HEAD", "d/.e/f.json", "e/", "f/g/", "zz/1", "zz/10", "zz/2",
	} {
		p := filepath.Join(root, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if f[len(f)-1] != '/' {
			if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for link, target := range map[string]string{"link.json": "a.json", "linkdir": "a"} {
		if err := os.Symlink(filepath.Join(root, target), filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	all := []string{"B.json", "a/b/c.json.gz", "a/z.json", "a-b/x", "a.json", "a0.json", "zz/1", "zz/10", "zz/2"}
	for dir, want := range map[string][]string{
		"": all, "/": all, "a": {"b/c.json.gz", "z.json"}, "linkdir": {"b/c.json.gz", "z.json"},
	} {
		base := filepath.Join(root, dir)
		var got []string
		if err := walkDir(base+strings.TrimPrefix(dir, strings.TrimSuffix(dir, "/")), func(p string) {
			rel, _ := filepath.Rel(base, p)
			got = append(got, filepath.ToSlash(rel))
		}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("walkDir(%q) =\n%q\nwant\n%q", dir, got, want)
		}
	}
	if err := walkDir(filepath.Join(root, "missing"), func(string) {}); !os.IsNotExist(err) {
		t.Errorf("walkDir of a missing directory: %v", err)
	}
}
