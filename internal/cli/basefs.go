package cli

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"
)

// readFileFunc reads a repository-relative file of one revision; it
// returns an error wrapping fs.ErrNotExist when the revision has no such
// file.
type readFileFunc func(name string) ([]byte, error)

// revisionFS is a read-only fs.FS of the files of one revision (the base
// of a pull request), read one at a time through a readFileFunc. It
// offers only what repo needs: Open and ReadFile of files.
type revisionFS struct {
	read readFileFunc
}

func (r revisionFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	b, err := r.read(name)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

func (r revisionFS) Open(name string) (fs.File, error) {
	b, err := r.ReadFile(name)
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

// gitRevision reads files of a revision of the git repository in dir
// with "git show REV:PATH" (the CLI twin of the gate, DESIGN §1.9).
func gitRevision(ctx context.Context, dir, rev string) readFileFunc {
	return func(name string) ([]byte, error) {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "git", "-C", dir, "show", rev+":./"+name)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			msg := strings.TrimSpace(stderr.String())
			if strings.Contains(msg, "does not exist") || strings.Contains(msg, "exists on disk, but not in") {
				return nil, fs.ErrNotExist
			}
			return nil, fmt.Errorf("git show %s:%s: %v: %s", rev, name, err, msg)
		}
		return stdout.Bytes(), nil
	}
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
