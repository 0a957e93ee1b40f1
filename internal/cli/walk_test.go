package cli

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestWalkDir holds walkDir to walkDirStd (filepath.WalkDir) on a tree
// with nested, empty and hidden directories, hidden files and symbolic
// links.
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
	// A directory named through a symbolic link is walked.
	for _, dir := range []string{root, root + "/", filepath.Join(root, "a"), filepath.Join(root, "linkdir")} {
		var got, want []string
		if err := walkDir(dir, func(p string) { got = append(got, p) }); err != nil {
			t.Fatal(err)
		}
		if err := walkDirStd(dir, func(p string) { want = append(want, p) }); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || len(got) < 2 {
			t.Errorf("walkDir(%s) =\n%q\nwant\n%q", dir, got, want)
		}
	}
	if err := walkDir(filepath.Join(root, "missing"), func(string) {}); !os.IsNotExist(err) {
		t.Errorf("walkDir of a missing directory: %v", err)
	}
}
