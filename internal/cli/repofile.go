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

// Reasons a repository file is refused; each wraps into a *fs.PathError.
var (
	errOutsideRepo  = errors.New("leads outside the repository (a symbolic link to a file elsewhere is not followed)")
	errAbsoluteLink = errors.New("is reached through a symbolic link with an absolute target, which is not followed")
	errNotRegular   = errors.New("is not a regular file")
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
	clean := path.Clean(strings.TrimPrefix(name, "./"))
	if !fs.ValidPath(clean) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errOutsideRepo}
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
		errors.Is(err, errNotRegular) || errors.As(err, &big)
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
		"commit the file itself inside the repository (or a relative link to one), as a regular file under the size cap")
	d.File = file
	return d
}
