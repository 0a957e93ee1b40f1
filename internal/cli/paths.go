package cli

import (
	"os"
	"path/filepath"
	"slices"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/report"
)

// Run from a subdirectory, stsgate finds the repository as git finds the
// top of its work tree. Diagnostics name files relative to the repository
// root, where annotations need them (DESIGN §1.7, §1.9).

// findUp returns the nearest directory at or above the absolute
// directory dir that holds one of names, a directory or a file, as git
// finds the top of its work tree (".git": a directory, or a file in a
// linked work tree or a submodule). ok is false when there is none.
func findUp(dir string, names ...string) (found string, ok bool) {
	for {
		for _, name := range names {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return dir, true
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// findRepo returns the repository that holds the absolute directory dir:
// the nearest directory at or above it with a configuration, or else the
// top of the git work tree (a project below the top of a larger one keeps
// its own .github/stsgate.yml, and is checked with --dir as well).
func findRepo(dir string) (string, bool) {
	return findUp(dir, defaultConfig, ".git")
}

// gitTop returns the top of the git work tree that holds the absolute
// directory dir.
func gitTop(dir string) (string, bool) {
	return findUp(dir, ".git")
}

// absFrom returns p, absolute or relative to the absolute directory base,
// as a clean absolute path.
func absFrom(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// resolvePaths gives the paths of the command line their meaning, cwd
// being the absolute current directory: --dir, when not given, is the
// repository holding cwd (findRepo), else cwd.
func (f *repoFlags) resolvePaths(cwd string) {
	if f.dir == "" {
		f.dir = cwd
		if root, ok := findRepo(cwd); ok {
			f.dir = root
		}
	}
}

// render writes res in the format of f, the files of its diagnostics
// named relative to the repository root (showFiles).
func (f *repoFlags) render(env Env, res report.Result) error {
	if cwd, err := os.Getwd(); err == nil {
		res.Diagnostics = showFiles(res.Diagnostics, realPath(absFrom(cwd, f.dir)), displayRoot(env.getenv, cwd, f.dir))
	}
	return render(env, f.format, res)
}

// displayRoot returns the directory that diagnostics name files relative
// to (DESIGN §1.7, §1.9), for the repository dir and the absolute current
// directory cwd: the workflow's workspace, else the git work tree that
// holds dir, else cwd.
func displayRoot(getenv func(string) string, cwd, dir string) string {
	if ws := getenv("GITHUB_WORKSPACE"); ws != "" {
		return realPath(absFrom(cwd, ws))
	}
	if top, ok := gitTop(absFrom(cwd, dir)); ok {
		return realPath(top)
	}
	return realPath(cwd)
}

// showFiles returns l with its files, named relative to the absolute
// directory dir or absolute, named relative to the absolute directory
// root instead, with forward slashes. dir and root have their links
// resolved (realPath). A file outside root is named with "../", which no
// annotation is placed on.
func showFiles(l diag.List, dir, root string) diag.List {
	out := slices.Clone(l)
	for i, d := range out {
		if d.File == "" {
			continue
		}
		p := filepath.FromSlash(d.File)
		if filepath.IsAbs(p) {
			p = filepath.Join(realPath(filepath.Dir(p)), filepath.Base(p))
		} else {
			p = filepath.Join(dir, p)
		}
		if rel, err := filepath.Rel(root, p); err == nil {
			out[i].File = filepath.ToSlash(rel)
		}
	}
	return out
}

// realPath returns the absolute path p with its symbolic links resolved,
// or p when that fails.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}
