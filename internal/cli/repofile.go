package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/source"
	"github.com/stsgate/stsgate/internal/zone"
)

// Size caps of the files a repository names (DESIGN §1.11). Each is far
// above what a real file of its kind needs and far below what could
// exhaust memory.
const (
	// maxConfigFile is what config.Parse reads.
	maxConfigFile = config.MaxSize
	// maxPolicyFile is what the live policy fetch reads (64 KiB): a
	// larger file could not be served to senders anyway.
	maxPolicyFile = 64 << 10
	// maxZoneFile is what zone.ParseFile reads.
	maxZoneFile = zone.MaxFileSize
)

// Reasons a file is refused; each wraps into a *fs.PathError.
var (
	errOutsideRepo  = errors.New("leads outside the repository (a symbolic link to a file elsewhere is not followed)")
	errAbsoluteLink = errors.New("is reached through a symbolic link with an absolute target, which is not followed")
	errNotRegular   = errors.New("is not a regular file")
	// errPathOutside: the path itself, not a link, leaves the repository.
	errPathOutside = errors.New("is outside the repository: the paths of a repository's files are relative to its root and may not leave it")
	// errPseudoFile: a file named on the command line is in /proc, /sys or
	// /dev (readGivenFile).
	errPseudoFile = errors.New("resolves to a file in /proc, /sys or /dev")
)

// tooLargeError says a file is over its cap.
type tooLargeError struct{ limit int64 }

func (e tooLargeError) Error() string {
	return fmt.Sprintf("is larger than the %d bytes stsgate reads for it", e.limit)
}

// limitedFS is a file system that can read a file within a size cap
// without holding more of it: the revision file systems.
type limitedFS interface {
	readFileLimit(name string, limit int64) ([]byte, error)
}

// readRepoFile reads the repository-relative file name from fsys when it
// resolves, symbolic links included, to a regular file inside the
// repository and holds at most limit bytes (DESIGN §1.11). Otherwise the
// error says why, and nothing of the file is read: a pull request must
// not be able to make the gate read /proc/self/environ through a link, or
// hang on /dev/zero or a named pipe.
func readRepoFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	clean, ok := repoRelative(name)
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errPathOutside}
	}
	if l, ok := fsys.(limitedFS); ok {
		return l.readFileLimit(clean, limit)
	}
	info, err := fs.Stat(fsys, clean)
	switch {
	case err != nil:
		return nil, explainStat(fsys, name, err)
	case !info.Mode().IsRegular():
		return nil, &fs.PathError{Op: "read", Path: name, Err: errNotRegular}
	case info.Size() > limit:
		return nil, &fs.PathError{Op: "read", Path: name, Err: tooLargeError{limit}}
	}
	f, err := fsys.Open(clean)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case err != nil:
		return nil, err
	case int64(len(b)) > limit: // it grew since the Stat
		return nil, &fs.PathError{Op: "read", Path: name, Err: tooLargeError{limit}}
	}
	return b, nil
}

// repoRelative returns name, a path relative to the repository root,
// cleaned; ok is false when it is absolute or leaves the repository.
func repoRelative(name string) (clean string, ok bool) {
	clean = path.Clean(strings.TrimPrefix(name, "./"))
	return clean, fs.ValidPath(clean)
}

// readGivenFile reads a file that the command line names outside the
// repository (DESIGN §1.9): the user's own, so symbolic links are
// followed, but the caps of readRepoFile hold, a regular file within
// limit, and nothing under /proc, /sys or /dev is read, wherever a link
// leads (DESIGN §1.11): /proc/self/environ says it is empty and holds
// the secrets of the environment.
func readGivenFile(name string, limit int64) ([]byte, error) {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		return nil, err
	}
	for _, pseudo := range []string{"/proc", "/sys", "/dev"} {
		if source.Within(real, pseudo) {
			return nil, &fs.PathError{Op: "read", Path: name, Err: errPseudoFile}
		}
	}
	dir, err := openRootFS(filepath.Dir(real))
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	b, err := readRepoFile(dir, filepath.Base(real), limit)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	return b, err
}

// explainStat turns the error of a Stat through an os.Root into one that
// says why the file is refused: os.Root does not export its "path escapes
// from parent" error, so a rootFS tells the two kinds of link apart.
func explainStat(fsys fs.FS, name string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if r, ok := fsys.(rootFS); ok {
		if why := r.escape(name); why != nil {
			return &fs.PathError{Op: "read", Path: name, Err: why}
		}
	}
	return err
}

// rootFS is the working tree of a repository, opened so that no path
// read through it leaves the directory, whatever links it holds (os.Root).
type rootFS struct {
	fs.FS // root.FS()
	root  *os.Root
	dir   string
}

// openRootFS opens dir as a rootFS.
func openRootFS(dir string) (rootFS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return rootFS{}, err
	}
	return rootFS{FS: root.FS(), root: root, dir: dir}, nil
}

// Close closes the directory.
func (r rootFS) Close() error { return r.root.Close() }

// Stat makes rootFS an fs.StatFS, so that fs.Stat does not open the file
// to learn what it is: opening a named pipe blocks.
func (r rootFS) Stat(name string) (fs.FileInfo, error) { return r.root.Stat(name) }

// escape says why name, which the root refused, is refused: it leads
// outside the directory, or through an absolute link, which os.Root does
// not follow even when it stays inside; nil when neither.
func (r rootFS) escape(name string) error {
	dir, err := filepath.Abs(r.dir)
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		return nil
	}
	target, err := filepath.EvalSymlinks(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		return nil
	}
	if !source.Within(target, dir) {
		return errOutsideRepo
	}
	return errAbsoluteLink
}

// refused reports whether err says a file was refused (DESIGN §1.11)
// rather than absent or unreadable.
func refused(err error) bool {
	var big tooLargeError
	return errors.Is(err, errOutsideRepo) || errors.Is(err, errAbsoluteLink) ||
		errors.Is(err, errNotRegular) || errors.Is(err, errPathOutside) ||
		errors.Is(err, errPseudoFile) || errors.As(err, &big)
}

// refusedFile is the diagnostic of a refused file: it names the path and
// the reason, never the content. lost says what goes unchecked.
func refusedFile(file, lost string, err error) diag.Diagnostic {
	why := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		why = pe.Err.Error()
	}
	d := diag.New(diag.FileRefused,
		fmt.Sprintf("%s %s, so stsgate does not read it: %s", file, why, lost),
		refusedFix(err))
	d.File = file
	return d
}

// refusedFix is the fix for a file refused for err.
func refusedFix(err error) string {
	switch {
	case errors.Is(err, errOutsideRepo) || errors.Is(err, errAbsoluteLink):
		return "commit the file itself inside the repository, or a relative link to a file inside it"
	case errors.Is(err, errPathOutside):
		return "give the path relative to the repository root, inside it"
	case errors.Is(err, errPseudoFile) || errors.Is(err, errNotRegular):
		return "name a regular file, not a directory, device, named pipe or file of /proc"
	}
	return "check that this is the right file: a real one is far smaller than the cap"
}
