package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// The gate judges the workspace as the pull request's tree (DESIGN §1.5).
// With pull_request_target, actions/checkout checks out the base branch
// unless told otherwise, and a gate that judged it would pass every pull
// request; so the Action checks which commit the workspace holds before
// it judges anything.

// checkout is the commit the workspace holds and where that was read.
type checkout struct {
	sha  string // lower-case hex; "" when unknown
	from string // ".git/HEAD" or "GITHUB_SHA"
}

// workspaceCommit returns the commit checked out in the git work tree
// that holds dir, read from its .git as git reads it (the Action's image
// has no git), else GITHUB_SHA.
func workspaceCommit(dir string, getenv func(string) string) checkout {
	if sha, ok := gitHead(dir); ok {
		return checkout{sha: sha, from: ".git/HEAD"}
	}
	return checkout{sha: strings.ToLower(strings.TrimSpace(getenv("GITHUB_SHA"))), from: "GITHUB_SHA"}
}

// gitHead resolves HEAD of the work tree holding dir: a detached HEAD (as
// actions/checkout leaves it) or a branch, loose or packed.
func gitHead(dir string) (string, bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	top, ok := gitTop(abs)
	if !ok {
		return "", false
	}
	dirs := gitDirs(filepath.Join(top, ".git"))
	text, err := readSmall(filepath.Join(dirs[0], "HEAD"))
	if err != nil {
		return "", false
	}
	return resolveRef(dirs, text)
}

// gitDirs returns where the refs of a work tree are: its git directory,
// and for a linked work tree (.git a file naming the directory) also the
// common directory of the repository.
func gitDirs(dotGit string) []string {
	text, err := readSmall(dotGit)
	if err != nil {
		return []string{dotGit} // a directory, or nothing
	}
	gitDir, ok := strings.CutPrefix(strings.TrimSpace(text), "gitdir: ")
	if !ok {
		return []string{dotGit}
	}
	gitDir = absFrom(filepath.Dir(dotGit), gitDir)
	dirs := []string{gitDir}
	if common, err := readSmall(filepath.Join(gitDir, "commondir")); err == nil {
		dirs = append(dirs, absFrom(gitDir, strings.TrimSpace(common)))
	}
	return dirs
}

// maxRefDepth bounds the symbolic references followed from HEAD.
const maxRefDepth = 5

// resolveRef follows text, the content of HEAD or of a loose reference,
// to a commit id: a reference below refs/, loose in one of dirs or in
// their packed-refs.
func resolveRef(dirs []string, text string) (string, bool) {
	for range maxRefDepth {
		text = strings.TrimSpace(text)
		if isCommitID(text) {
			return strings.ToLower(text), true
		}
		name, ok := strings.CutPrefix(text, "ref: ")
		if !ok || !strings.HasPrefix(name, "refs/") || slices.Contains(strings.Split(name, "/"), "..") {
			return "", false
		}
		if text, ok = lookupRef(dirs, name); !ok {
			return "", false
		}
	}
	return "", false
}

// lookupRef returns the content of the reference name: its loose file,
// else its line of packed-refs.
func lookupRef(dirs []string, name string) (string, bool) {
	for _, d := range dirs {
		if text, err := readSmall(filepath.Join(d, filepath.FromSlash(name))); err == nil {
			return text, true
		}
	}
	for _, d := range dirs {
		if id, ok := packedRef(filepath.Join(d, "packed-refs"), name); ok {
			return id, true
		}
	}
	return "", false
}

// packedRef finds name in a packed-refs file: lines of "<id> <name>",
// with "#" headers and "^<id>" lines for peeled tags.
func packedRef(file, name string) (string, bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if id, ref, ok := strings.Cut(s.Text(), " "); ok && ref == name {
			return id, true
		}
	}
	return "", false
}

// maxRefFile bounds what is read of HEAD, a loose reference or .git.
const maxRefFile = 4096

// readSmall reads a regular file of git's own, within maxRefFile bytes.
func readSmall(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return "", errors.New("not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxRefFile))
	return string(b), err
}

// isCommitID reports whether s is a SHA-1 or SHA-256 object id in hex.
func isCommitID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// headCommits returns the commits the workspace may hold for the gate to
// judge the pull request: its head or merge commit (for a merge queue
// entry, the entry's commit), and GITHUB_SHA on pull_request (the merge
// commit actions/checkout checks out by default) and merge_group (the
// entry). On pull_request_target GITHUB_SHA is the base branch's last
// commit, which holds none of the pull request's changes.
func (ev event) headCommits(githubSHA string) []string {
	var out []string
	for _, s := range []string{ev.HeadSHA, ev.MergeSHA} {
		if s != "" {
			out = append(out, s)
		}
	}
	if githubSHA != "" && ev.Name != "pull_request_target" {
		out = append(out, strings.ToLower(githubSHA))
	}
	return out
}

// checkoutError returns nil when the workspace holds the pull request of
// ev, and otherwise the error that stops the gate (exit 3): it says what
// the workspace holds and which checkout to use.
func checkoutError(ev event, at checkout, githubSHA string) error {
	want := ev.headCommits(githubSHA)
	switch {
	case at.sha != "" && slices.Contains(want, at.sha):
		return nil
	case len(want) == 0:
		return fmt.Errorf("the %s event payload names no head commit, so the gate cannot tell whether the workspace holds the pull request; run it on a pull_request or merge_group event", ev.Name)
	case at.sha == "":
		return fmt.Errorf("the gate cannot tell which commit the workspace holds (no .git and no GITHUB_SHA), so it does not judge it; %s", checkoutFix(ev.Name))
	}
	return fmt.Errorf("the workspace holds %s (%s), not %s, so the gate would judge other files than the pull request's and could pass any change; %s",
		shortSHA(at.sha), at.from, expected(ev), checkoutFix(ev.Name))
}

// expected names the commits the workspace should hold.
func expected(ev event) string {
	if ev.Name == "merge_group" {
		return "the merge queue entry " + shortSHA(ev.HeadSHA)
	}
	s := "the pull request's head " + shortSHA(ev.HeadSHA)
	if ev.MergeSHA != "" {
		s += " or merge commit " + shortSHA(ev.MergeSHA)
	}
	return s
}

// checkoutFix says which checkout makes the workspace hold the pull
// request on the event.
func checkoutFix(name string) string {
	switch name {
	case "pull_request_target":
		return "pull_request_target checks out the base branch by default: give actions/checkout `ref: ${{ github.event.pull_request.head.sha }}`. That puts the pull request's files in a job that has the repository's secrets and a write token, so run no step after it that executes them, or better, use the pull_request event"
	case "merge_group":
		return "use actions/checkout without `ref:`: on merge_group it checks out the queue entry (GITHUB_SHA)"
	}
	return "use actions/checkout without `ref:` (on pull_request it checks out the merge commit, GITHUB_SHA) or with `ref: ${{ github.event.pull_request.head.sha }}`, and run stsgate before any step that moves HEAD"
}

// shortSHA is the first 12 digits of a commit id.
func shortSHA(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// targetRisk is the warning of every gate run on pull_request_target
// (DESIGN §1.11).
const targetRisk = "stsgate runs on pull_request_target: the job has the repository's secrets and a write token while the workspace holds the pull request's files, which may come from a fork. stsgate reads them as untrusted input and reads its settings and evidence from the base, but any other step of the job that runs the pull request's code (a build, a script, a package install) runs it with those secrets. Use the pull_request event unless the job needs more than a read-only token; the gate never writes to GitHub and works on forks with pull_request"

// checkCheckout stops the gate (exit 3) unless the workspace in dir
// holds the pull request, and warns of pull_request_target's risk.
func (a *actionRun) checkCheckout(dir string) error {
	if a.ev.Name == "pull_request_target" {
		a.gha.Warningf("%s", targetRisk)
	}
	return checkoutError(a.ev, workspaceCommit(dir, a.env.getenv), a.env.getenv("GITHUB_SHA"))
}

// filterMode says which findings in the head's files count toward the
// gate's verdict, like reviewdog's filter_mode: a required check must not
// fail every pull request for what the base revision already had wrong.
type filterMode string

const (
	// filterChanged counts what the pull request brings or leaves broken
	// in what it changes: a finding the base revision has too, in a file
	// the pull request does not change, is listed as a pre-existing
	// notice.
	filterChanged filterMode = "changed"
	// filterAll counts every finding.
	filterAll filterMode = "all"
)

// parseFilterMode parses the --filter-mode flag or the filter_mode
// input; empty is the default, changed.
func parseFilterMode(s string) (filterMode, bool) {
	switch m := filterMode(s); m {
	case "":
		return filterChanged, true
	case filterChanged, filterAll:
		return m, true
	}
	return "", false
}

// baseChanges tells which files of the working tree in dir differ from
// the base revision. It is used by one goroutine.
type baseChanges struct {
	rev  revision
	dir  string
	same map[string]bool // by repository path
}

// newBaseChanges returns the changes that filter mode m reads: nil for
// filterAll, which filters nothing.
func newBaseChanges(m filterMode, rev revision, dir string) *baseChanges {
	if m == filterAll {
		return nil
	}
	return &baseChanges{rev: rev, dir: dir, same: map[string]bool{}}
}

// unchanged reports whether the working tree holds the repository file
// name as the base revision does: a regular file with the same git blob
// id (sameAsBase). A file the base lacks, one outside the repository, or
// one that cannot be compared counts as changed.
func (c *baseChanges) unchanged(name string) bool {
	if same, ok := c.same[name]; ok {
		return same
	}
	same := false
	if fs.ValidPath(name) {
		files, err := c.rev.files(name)
		for _, f := range files {
			if err == nil && f.path == name {
				same = sameAsBase(filepath.Join(c.dir, filepath.FromSlash(name)), f)
			}
		}
	}
	c.same[name] = same
	return same
}

// preexisting returns head's findings with those the pull request does
// not bring lowered to notices: a warning or error that base, the same
// check of the base revision, has too, identical (so at the same line), in
// a file the working tree holds unchanged. Findings without a file, new
// ones and those in files the pull request changes are kept: the pull
// request leaves them broken. With c nil (filter mode all) it returns
// head.
func (c *baseChanges) preexisting(head, base diag.List) diag.List {
	if c == nil || len(base) == 0 {
		return head
	}
	inBase := make(map[diag.Diagnostic]bool, len(base))
	for _, d := range base {
		inBase[d] = true
	}
	out := make(diag.List, 0, len(head))
	for _, d := range head {
		if d.Severity > diag.Notice && d.File != "" && inBase[d] && c.unchanged(d.File) {
			d.Message = fmt.Sprintf("pre-existing %s, not counted because the pull request does not change this file; %s", d.Severity, d.Message)
			d = d.As(diag.Notice)
		}
		out = append(out, d)
	}
	return out
}
