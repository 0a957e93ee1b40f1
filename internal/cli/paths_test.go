package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

// TestResolvePaths: paths on the command line are relative to the current
// directory; inside the repository they become its names for the files,
// outside they stay absolute; --dir, when not given, is found.
func TestResolvePaths(t *testing.T) {
	t.Parallel()
	top := tempDir(t)
	mkdirs(t, top, "repo/.git", "repo/dns", "other")
	if err := os.Symlink(filepath.Join(top, "repo"), filepath.Join(top, "alias")); err != nil {
		t.Fatal(err)
	}
	at := func(p string) string { return filepath.Join(top, p) }
	tests := []struct {
		name string
		cwd  string
		in   repoFlags
		want repoFlags
	}{
		{"found from a subdirectory", "repo/dns",
			repoFlags{policy: "../p.txt", zone: "x.zone"},
			repoFlags{dir: at("repo"), policy: "p.txt", zone: "dns/x.zone"}},
		{"no repository above", "other",
			repoFlags{config: "c.yml"},
			repoFlags{dir: at("other"), config: "c.yml"}},
		{"relative to the current directory, not --dir", "",
			repoFlags{dir: "repo", config: "repo/c.yml", policy: at("repo/p.txt"), zone: "other/x.zone"},
			repoFlags{dir: "repo", config: "c.yml", policy: "p.txt", zone: at("other/x.zone")}},
		{"outside through ../", "repo",
			repoFlags{dir: ".", policy: "../other/p.txt", zone: "dns/../../x.zone"},
			repoFlags{dir: ".", policy: at("other/p.txt"), zone: at("x.zone")}},
		{"the repository spelt through a link", "",
			repoFlags{dir: "repo", policy: at("alias/dns/p.txt")},
			repoFlags{dir: "repo", policy: "dns/p.txt"}},
	}
	for _, tt := range tests {
		f := tt.in
		f.resolvePaths(at(tt.cwd))
		if diff := cmp.Diff(tt.want, f, cmp.AllowUnexported(repoFlags{})); diff != "" {
			t.Errorf("%s: resolvePaths mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestInputPaths: the Action's path inputs are relative to the workspace;
// an absolute one inside it is made so, and one outside it, absolute or
// through ../, is a usage error that says why.
func TestInputPaths(t *testing.T) {
	t.Parallel()
	ws := tempDir(t)
	in := inputs{domain: "example.com", config: filepath.Join(ws, ".github/stsgate.yml"),
		policyFile: "./.well-known/mta-sts.txt", zoneFile: filepath.Join(ws, "dns/x.zone"),
		reports: []string{filepath.Join(ws, "reports"), "/srv/reports", "https://r.example/a.json"}}
	f := in.flags(ws)
	got := []string{f.config, f.policy, f.zone}
	want := []string{".github/stsgate.yml", "./.well-known/mta-sts.txt", "dns/x.zone"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"reports", "/srv/reports", "https://r.example/a.json"}, []string(f.reports)); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
	if err := f.checkInputs(); err != nil {
		t.Errorf("checkInputs() = %v", err)
	}
	for _, tt := range []struct{ name, policy, zone, config string }{
		{"input policy_file", "/etc/passwd", "", ""},
		{"input zone_file", "", "../x.zone", ""},
		{"input config", "", "", filepath.Join(filepath.Dir(ws), "stsgate.yml")},
	} {
		f := inputs{policyFile: tt.policy, zoneFile: tt.zone, config: tt.config}.flags(ws)
		err := f.checkInputs()
		var usage *usageError
		if !errors.As(err, &usage) || !strings.HasPrefix(err.Error(), tt.name+" ") || !strings.Contains(err.Error(), "is outside the workspace "+ws) {
			t.Errorf("checkInputs() with %s outside = %v, want a usage error naming it and the workspace", tt.name, err)
		}
	}
}

// TestReadGivenFile: a file the command line names outside the
// repository is read through links, but within the caps of
// readRepoFile, and never from /proc, /sys or /dev.
func TestReadGivenFile(t *testing.T) {
	t.Parallel()
	dir := tempDir(t)
	write(t, filepath.Join(dir, "elsewhere/policy.txt"), "version: STSv1\n")
	write(t, filepath.Join(dir, "big.txt"), strings.Repeat("x", 101))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"link": filepath.Join(dir, "elsewhere/policy.txt"), "rel": "elsewhere/policy.txt",
		"environ": "/proc/self/environ", "zero": "/dev/zero", "fifolink": "fifo",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		want    string
		wantErr error
	}{
		{"elsewhere/policy.txt", "version: STSv1\n", nil},
		{"link", "version: STSv1\n", nil},
		{"rel", "version: STSv1\n", nil},
		{"environ", "", errPseudoFile},
		{"zero", "", errPseudoFile},
		{"fifo", "", errNotRegular}, // must not block
		{"fifolink", "", errNotRegular},
		{"elsewhere", "", errNotRegular},
		{"big.txt", "", tooLargeError{100}},
		{"missing", "", fs.ErrNotExist},
	}
	for _, tt := range tests {
		name := filepath.Join(dir, tt.name)
		got, err := readGivenFile(name, 100)
		switch {
		case tt.wantErr == nil && (err != nil || string(got) != tt.want):
			t.Errorf("readGivenFile(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
		case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
			t.Errorf("readGivenFile(%s) error = %v, want %v", tt.name, err, tt.wantErr)
		case tt.wantErr != nil && tt.wantErr != fs.ErrNotExist && !refused(err):
			t.Errorf("refused(%v) = false", err)
		case tt.wantErr != nil && tt.wantErr != fs.ErrNotExist && !strings.Contains(err.Error(), name):
			t.Errorf("readGivenFile(%s) error %q does not name the path given", tt.name, err)
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
