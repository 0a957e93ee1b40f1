package cli

import (
	"os"
	"path/filepath"
	"slices"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/report"
	"github.com/stsgate/stsgate/internal/source"
)

// Where paths are relative to (DESIGN §1.9, §1.11): a path given on the
// command line to the current directory, as in any command-line tool; a
// path in the configuration or in an input of the Action to the
// repository, which it may not leave. Diagnostics name files relative to
// the repository root, where annotations need them.

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

// repoName names the file at the absolute path p as the repository in
// the absolute directory dir does: relative to dir, with forward
// slashes, when p lies inside it, also when either is spelt through a
// symbolic link. Otherwise it returns p and false. The last element of p
// is not resolved: a link inside the repository is the repository's, and
// read under its rules.
func repoName(dir, p string) (string, bool) {
	if rel, ok := relInside(dir, p); ok {
		return rel, true
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return p, false
	}
	parent, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return p, false
	}
	if rel, ok := relInside(realDir, filepath.Join(parent, filepath.Base(p))); ok {
		return rel, true
	}
	return p, false
}

// relInside returns the clean absolute path p relative to dir, with
// forward slashes, when it lies inside dir.
func relInside(dir, p string) (string, bool) {
	if !source.Within(p, dir) {
		return "", false
	}
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// resolvePaths gives the paths of the command line the meaning they
// have in any command-line tool, cwd being the absolute current
// directory. --dir, when not given, is the repository holding cwd
// (findRepo), else cwd. --config, --policy and --zone are relative to
// cwd; each becomes the repository's name for its file when it lies
// inside --dir, so that it is read under the repository's rules and
// found again in the base revision, and stays absolute otherwise: a file
// of the user's own, read as given (readGivenFile).
func (f *repoFlags) resolvePaths(cwd string) {
	if f.dir == "" {
		f.dir = cwd
		if root, ok := findRepo(cwd); ok {
			f.dir = root
		}
	}
	dir := absFrom(cwd, f.dir)
	for _, p := range []*string{&f.config, &f.policy, &f.zone} {
		if *p != "" {
			*p, _ = repoName(dir, absFrom(cwd, *p))
		}
	}
}

// inWorkspace returns the path input p of the Action as the repository
// names it: an absolute path inside the workspace becomes relative to
// it. Anything else is returned as it is: relative paths already are the
// repository's, and checkInputs refuses those that leave it.
func inWorkspace(workspace, p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	ws, err := filepath.Abs(workspace)
	if err != nil {
		return p
	}
	name, _ := repoName(ws, p)
	return name
}

// namedPath is a file path with the flag, or the input of the Action,
// that gave it.
type namedPath struct {
	name, path string // name: "--zone", or "zone_file" for an input
	input      bool
}

// label names the flag or input in messages.
func (g namedPath) label() string {
	if g.input {
		return "input " + g.name
	}
	return g.name
}

// fix says what to do when the file cannot be read.
func (g namedPath) fix() string {
	if g.input {
		return "fix the " + g.name + " input of the workflow step; it is relative to the repository root"
	}
	return "fix the path given to " + g.name + "; it is relative to the current directory"
}

// givenPaths lists the file paths of f with the flags, or the inputs of
// the Action, that gave them; the configuration first.
func (f *repoFlags) givenPaths() []namedPath {
	if f.inputs {
		return []namedPath{{"config", f.config, true}, {"policy_file", f.policy, true}, {"zone_file", f.zone, true}}
	}
	return []namedPath{{"--config", f.config, false}, {"--policy", f.policy, false}, {"--zone", f.zone, false}}
}

// checkInputs refuses path inputs of the Action that lead outside the
// workspace (DESIGN §1.11): the workspace is the repository, and the
// Action reads nothing else, whatever the file there holds.
func (f *repoFlags) checkInputs() error {
	for _, g := range f.givenPaths() {
		if _, ok := repoRelative(g.path); g.path != "" && !ok {
			return usagef("%s %s is outside the workspace %s: the Action reads only the repository checked out there; give a path relative to it, or an absolute path inside it", g.label(), g.path, f.dir)
		}
	}
	return nil
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
