package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// tempDir is t.TempDir with its links resolved, so that the paths the
// functions under test return can be compared with it.
func tempDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// mkdirs makes the directories dirs below top.
func mkdirs(t *testing.T, top string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(top, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFindRepo: the repository holding a directory is the nearest one
// above with a configuration or .git, a directory or a file; the top of
// the git work tree is the nearest one with .git.
func TestFindRepo(t *testing.T) {
	t.Parallel()
	top := tempDir(t)
	mkdirs(t, top, "repo/.git", "repo/a/b", "repo/sub/.git", "repo/sub/c", "plain/d", "repo/proj/e")
	write(t, filepath.Join(top, "linked/.git"), "gitdir: /elsewhere/.git/worktrees/linked\n")
	write(t, filepath.Join(top, "linked/e/x"), "")
	write(t, filepath.Join(top, "repo/proj/.github/stsgate.yml"), "domains: []\n")
	tests := []struct {
		dir, repo, git string // "" for none
	}{
		{"repo", "repo", "repo"},
		{"repo/a/b", "repo", "repo"},
		{"repo/sub/c", "repo/sub", "repo/sub"},
		{"linked/e", "linked", "linked"},
		{"repo/proj/e", "repo/proj", "repo"},
		{"plain/d", "", ""},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			name string
			find func(string) (string, bool)
			want string
		}{{"findRepo", findRepo, tt.repo}, {"gitTop", gitTop, tt.git}} {
			got, ok := c.find(filepath.Join(top, tt.dir))
			want := ""
			if c.want != "" {
				want = filepath.Join(top, c.want)
			}
			if got != want || ok != (c.want != "") {
				t.Errorf("%s(%s) = %q, %v; want %q", c.name, tt.dir, got, ok, want)
			}
		}
	}
}

// TestShowFiles: diagnostics name files relative to the repository root,
// not to --dir; files outside the root with ../; positions and findings
// without a file stay as they are.
func TestShowFiles(t *testing.T) {
	t.Parallel()
	top := tempDir(t)
	mkdirs(t, top, "mono/sub/repo", "mono/other")
	if err := os.Symlink(filepath.Join(top, "mono"), filepath.Join(top, "alias")); err != nil {
		t.Fatal(err)
	}
	in := func(file string) diag.Diagnostic {
		return diag.Diagnostic{Code: diag.PolicyModeTesting, File: file, Start: diag.Pos{Line: 2, Column: 1}}
	}
	l := diag.List{in(".well-known/mta-sts.txt"), in(filepath.Join(top, "alias/other/p.txt")),
		in(filepath.Join(top, "x.zone")), {Code: diag.DNSUndeclared, Domain: "example.com"}}
	tests := []struct {
		root string
		want []string
	}{
		{"mono", []string{"sub/repo/.well-known/mta-sts.txt", "other/p.txt", "../x.zone", ""}},
		{"mono/sub/repo", []string{".well-known/mta-sts.txt", "../../other/p.txt", "../../../x.zone", ""}},
	}
	for _, tt := range tests {
		got := showFiles(l, filepath.Join(top, "mono/sub/repo"), filepath.Join(top, tt.root))
		var files []string
		for i, d := range got {
			files = append(files, d.File)
			if d.Start != l[i].Start || d.Code != l[i].Code {
				t.Errorf("root %s: diagnostic %d changed beyond its file: %+v", tt.root, i, d)
			}
		}
		if diff := cmp.Diff(tt.want, files); diff != "" {
			t.Errorf("root %s: files (-want +got):\n%s", tt.root, diff)
		}
	}
	if l[0].File != ".well-known/mta-sts.txt" {
		t.Errorf("showFiles changed its argument: %q", l[0].File)
	}
}

// TestDisplayRoot: the workspace of a workflow, else the git work tree
// holding the repository, else the current directory.
func TestDisplayRoot(t *testing.T) {
	t.Parallel()
	top := tempDir(t)
	mkdirs(t, top, "mono/.git", "mono/sub/repo", "plain/repo")
	env := func(ws string) func(string) string {
		return func(k string) string {
			if k == "GITHUB_WORKSPACE" {
				return ws
			}
			return ""
		}
	}
	at := func(p string) string { return filepath.Join(top, p) }
	tests := []struct {
		name, ws, cwd, dir, want string
	}{
		{"workspace", at("mono/sub"), at("plain"), "repo", at("mono/sub")},
		{"git work tree of --dir", "", at("plain"), at("mono/sub/repo"), at("mono")},
		{"git work tree, --dir relative to cwd", "", at("mono"), "sub/repo", at("mono")},
		{"current directory", "", at("plain"), "repo", at("plain")},
	}
	for _, tt := range tests {
		if got := displayRoot(env(tt.ws), tt.cwd, tt.dir); got != tt.want {
			t.Errorf("%s: displayRoot = %q, want %q", tt.name, got, tt.want)
		}
	}
}
