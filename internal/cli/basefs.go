package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// revision is the files of one revision of the repository (the base of a
// pull request), which the gate trusts (DESIGN §1.11): read one at a time
// within a size cap, and listed below a path.
type revision interface {
	// readFile reads the regular file name. It returns an error wrapping
	// fs.ErrNotExist when the revision has no such file, errNotRegular
	// for anything else than a regular file, and tooLargeError for a
	// file over limit, of which nothing is read.
	readFile(name string, limit int64) ([]byte, error)
	// files lists the regular files at or below dir ("." for all).
	files(dir string) ([]treeFile, error)
	// blob reads a file that files listed.
	blob(f treeFile) ([]byte, error)
}

// treeFile is a regular file of a revision.
type treeFile struct {
	path string // repository-relative, with forward slashes
	oid  string // its git blob id, in hex
	size int64
}

// revisionFS is the fs.FS of a revision, for the code that reads the
// configuration: every read is capped (limitedFS).
type revisionFS struct{ rev revision }

func (r revisionFS) readFileLimit(name string, limit int64) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	b, err := r.rev.readFile(name, limit)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

func (r revisionFS) Open(name string) (fs.File, error) {
	b, err := r.readFileLimit(name, maxConfigFile)
	if err != nil {
		return nil, err
	}
	return &memFile{name: name, Reader: bytes.NewReader(b), size: int64(len(b))}, nil
}

// memFile is a file held in memory.
type memFile struct {
	*bytes.Reader
	name string
	size int64
}

func (f *memFile) Stat() (fs.FileInfo, error) { return memInfo{f}, nil }
func (f *memFile) Close() error               { return nil }

type memInfo struct{ f *memFile }

func (i memInfo) Name() string       { return i.f.name[strings.LastIndexByte(i.f.name, '/')+1:] }
func (i memInfo) Size() int64        { return i.f.size }
func (i memInfo) Mode() fs.FileMode  { return 0o444 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }

// gitRevision reads a revision of the git repository in dir with git
// ls-tree and git cat-file (the CLI twin of the gate, DESIGN §1.9). Paths
// are relative to dir.
type gitRevision struct {
	ctx      context.Context
	dir, rev string
}

// git runs git in the repository with stdout going to out.
func (g gitRevision) git(out io.Writer, args ...string) error {
	var stderr bytes.Buffer
	cmd := exec.CommandContext(g.ctx, "git", append([]string{"-C", g.dir}, args...)...)
	cmd.Stdout, cmd.Stderr = out, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// entries lists the tree entries of the revision at name, recursively
// when recursive is set.
func (g gitRevision) entries(name string, recursive bool) ([]treeEntry, error) {
	args := []string{"ls-tree", "-z", "--long"}
	if recursive {
		args = append(args, "-r")
	}
	var out bytes.Buffer
	if name != "." {
		name = "./" + name
	}
	if err := g.git(&out, append(args, g.rev, "--", name)...); err != nil {
		return nil, err
	}
	return parseLsTree(out.String())
}

func (g gitRevision) readFile(name string, limit int64) ([]byte, error) {
	es, err := g.entries(name, false)
	if err != nil {
		return nil, err
	}
	if len(es) != 1 || es[0].path != name {
		return nil, fs.ErrNotExist // nothing, or name is a directory
	}
	f, err := es[0].file()
	if err != nil {
		return nil, err
	}
	if f.size > limit {
		return nil, tooLargeError{limit}
	}
	return g.blob(f)
}

func (g gitRevision) blob(f treeFile) ([]byte, error) {
	var out bytes.Buffer
	if err := g.git(&out, "cat-file", "blob", f.oid); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func (g gitRevision) files(dir string) ([]treeFile, error) {
	es, err := g.entries(dir, true)
	if err != nil {
		return nil, err
	}
	return regularFiles(es), nil
}

// treeEntry is one entry of a git tree.
type treeEntry struct {
	mode, typ, oid, path string
	size                 int64 // -1 for trees and submodules
}

// file returns e as a treeFile, or errNotRegular when it is a symbolic
// link, a directory or a submodule: the gate follows no link of the base
// revision.
func (e treeEntry) file() (treeFile, error) {
	if e.typ != "blob" || (e.mode != "100644" && e.mode != "100755") {
		return treeFile{}, errNotRegular
	}
	return treeFile{path: e.path, oid: e.oid, size: e.size}, nil
}

// filesBelow returns the files of tree at or below dir ("." for all).
func filesBelow(tree []treeFile, dir string) []treeFile {
	if dir == "." {
		return tree
	}
	var out []treeFile
	for _, f := range tree {
		if f.path == dir || strings.HasPrefix(f.path, dir+"/") {
			out = append(out, f)
		}
	}
	return out
}

// regularFiles returns the regular files among es.
func regularFiles(es []treeEntry) []treeFile {
	var files []treeFile
	for _, e := range es {
		if f, err := e.file(); err == nil {
			files = append(files, f)
		}
	}
	return files
}

// parseLsTree parses the output of git ls-tree -z --long: entries of
// "<mode> <type> <oid> <size>\t<path>" ended by NUL bytes.
func parseLsTree(out string) ([]treeEntry, error) {
	var es []treeEntry
	for rec := range strings.SplitSeq(out, "\x00") {
		if rec == "" {
			continue
		}
		meta, p, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 4 {
			return nil, fmt.Errorf("git ls-tree: unexpected line %q", rec)
		}
		size, err := strconv.ParseInt(fields[3], 10, 64)
		if err != nil {
			size = -1 // "-" for trees and submodules
		}
		es = append(es, treeEntry{mode: fields[0], typ: fields[1], oid: fields[2], size: size, path: p})
	}
	return es, nil
}

// mergeBase returns the commit where HEAD of the repository in dir forked
// from ref (git merge-base ref HEAD): the base a pull request is judged
// against.
func mergeBase(ctx context.Context, dir, ref string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "merge-base", ref, "HEAD")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", usagef("--base %s: git merge-base failed: %v %s", ref, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
