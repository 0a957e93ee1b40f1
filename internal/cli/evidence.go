package cli

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// evidence is what the gate counts from the repository's report files
// (DESIGN §1.5, §1.11): the files of the base revision below the trusted
// sources, never what the pull request brings. A file that the working
// tree holds unchanged is read from there; one that the pull request
// changed or removed is read from the base revision.
type evidence struct {
	rev    revision
	dir    string              // the working tree
	expect map[string]treeFile // by the path the OS opens

	mu      sync.Mutex
	changed map[string]bool // repository paths the pull request changed or removed, read from the base
}

// maxBaseReads bounds the files read from the base revision: through the
// API each is a request, and the workflow token has 1,000 an hour.
const maxBaseReads = 100

// baseFiles lists the files of the base revision that the repository-
// relative source spec names: the file, the files below the directory,
// or those matching the glob (and below matching directories), hidden
// ones left out as the walk of the working tree leaves them out.
func baseFiles(rev revision, spec string) ([]treeFile, error) {
	clean := path.Clean(filepath.ToSlash(spec))
	glob := strings.ContainsAny(clean, "*?[")
	dir := clean
	if glob {
		dir = staticPrefix(clean)
	}
	all, err := rev.files(dir)
	if err != nil {
		return nil, err
	}
	var out []treeFile
	for _, f := range all {
		if hiddenBelow(f.path, dir) || glob && !globMatches(clean, f.path) {
			continue
		}
		out = append(out, f)
	}
	return out, nil
}

// staticPrefix is the directory of a glob above its first pattern
// character ("." when the first component has one).
func staticPrefix(glob string) string {
	i := strings.IndexAny(glob, "*?[")
	j := strings.LastIndexByte(glob[:i], '/')
	if j < 0 {
		return "."
	}
	return glob[:j]
}

// globMatches reports whether p, or a directory above it, matches glob:
// as with filepath.Glob on the working tree, a matching directory is
// walked.
func globMatches(glob, p string) bool {
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			if ok, _ := path.Match(glob, p[:i]); ok {
				return true
			}
		}
	}
	return false
}

// hiddenBelow reports whether a component of p below dir starts with a
// dot.
func hiddenBelow(p, dir string) bool {
	rest := p
	if dir != "." {
		rest = strings.TrimPrefix(p, dir)
	}
	return strings.Contains("/"+rest, "/.")
}

// add records the base files of a source; it returns the paths the
// reader opens.
func (e *evidence) add(files []treeFile) []string {
	var paths []string
	for _, f := range files {
		p := filepath.Join(e.dir, filepath.FromSlash(f.path))
		e.expect[p] = f
		paths = append(paths, p)
	}
	return paths
}

// sameAsBase reports whether the working tree holds f unchanged at p: a
// regular file (not a link) of f's size whose git blob id is f's. At
// most f.size+1 bytes are read, so a link to /dev/zero or a named pipe
// costs nothing and shows nothing.
func sameAsBase(p string, f treeFile) bool {
	info, err := os.Lstat(p)
	if err != nil || !info.Mode().IsRegular() || info.Size() != f.size {
		return false
	}
	file, err := os.Open(p)
	if err != nil {
		return false
	}
	defer file.Close()
	if info, err := file.Stat(); err != nil || !info.Mode().IsRegular() {
		return false
	}
	h := sha1.New() // git's blob id, not a security boundary: the bytes are compared by size and id
	fmt.Fprintf(h, "blob %d\x00", f.size)
	n, err := io.Copy(h, io.LimitReader(file, f.size+1))
	return err == nil && n == f.size && hex.EncodeToString(h.Sum(nil)) == f.oid
}

// Replace makes evidence a source.Base: a file the base revision lists
// that the working tree does not hold unchanged is read from the base.
func (e *evidence) Replace(p string) (func() (string, []byte, error), bool) {
	f, ok := e.expect[p]
	if !ok || sameAsBase(p, f) {
		return nil, false
	}
	return func() (string, []byte, error) {
		b, err := e.fromBase(f, tlsrpt.DefaultMaxSource)
		return f.path, b, err
	}, true
}

// fromBase reads f from the base revision, within maxBaseReads distinct
// files.
func (e *evidence) fromBase(f treeFile, limit int64) ([]byte, error) {
	e.mu.Lock()
	if e.changed == nil {
		e.changed = map[string]bool{}
	}
	e.changed[f.path] = true
	n := len(e.changed)
	e.mu.Unlock()
	if n > maxBaseReads {
		return nil, fmt.Errorf("the pull request changes or removes more than %d committed report files; the gate reads at most %d from the base revision, so this one is not counted", maxBaseReads, maxBaseReads)
	}
	if f.size > limit {
		return nil, fmt.Errorf("it is %d bytes in the base revision, more than the %d read", f.size, limit)
	}
	return e.rev.blob(f)
}

// changedFiles returns the repository paths read from the base revision.
func (e *evidence) changedFiles() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Sorted(maps.Keys(e.changed))
}

// untrusted is the notice that lists what the pull request brings that is
// not counted: report sources its configuration adds, files it adds below
// the sources, and files it changes or removes (whose base version is
// counted instead).
func untrusted(sources, added, changed []string) diag.List {
	if len(sources)+len(added)+len(changed) == 0 {
		return nil
	}
	var parts []string
	if len(sources) > 0 {
		parts = append(parts, "report sources it adds to the configuration ("+listSome(sources)+")")
	}
	if len(added) > 0 {
		parts = append(parts, fmt.Sprintf("%s it adds (%s)", plural(len(added), "report file"), listSome(added)))
	}
	if len(changed) > 0 {
		parts = append(parts, fmt.Sprintf("%s it changes or removes (%s), whose base version is counted instead", plural(len(changed), "committed report file"), listSome(changed)))
	}
	return diag.List{diag.New(diag.GateReportsUntrusted,
		"the pull request's own evidence is not counted: "+strings.Join(parts, "; ")+". The gate judges a change by the reports of the base revision, so that a pull request cannot bring the reports that let it pass",
		"commit new reports (or their summaries) in a pull request of their own, without a policy change; once merged they count for the next one")}
}

// listSome names at most five items of l, sorted, and counts the rest.
func listSome(l []string) string {
	l = slices.Sorted(slices.Values(l))
	if len(l) <= 5 {
		return strings.Join(l, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(l[:5], ", "), len(l)-5)
}

// addedFiles returns the repository paths of the working tree's files
// below the local sources that the base revision does not hold there.
func (e *evidence) addedFiles(specs []string) []string {
	var added []string
	for _, spec := range specs {
		files, dirs, _ := source.ExpandPath(e.dir, spec)
		for _, d := range dirs {
			more, _ := source.Walk(d.Path)
			files = append(files, more...)
		}
		for _, p := range files {
			if _, ok := e.expect[p]; !ok {
				added = append(added, e.rel(p))
			}
		}
	}
	return slices.Compact(slices.Sorted(slices.Values(added)))
}

// rel is the repository path of the OS path p.
func (e *evidence) rel(p string) string {
	if r, err := filepath.Rel(e.dir, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// plural is "1 file" or "n files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
