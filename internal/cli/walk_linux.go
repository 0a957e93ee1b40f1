//go:build linux

package cli

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// walkDir calls found with every regular file below the directory p, in
// lexical order, skipping hidden files and directories: what
// walkDirStd does, without an fs.DirEntry per file. It reads the
// directory entries with getdents64 and takes their types from d_type
// (lstat where the file system does not say), which for a directory of
// thousands of reports costs a few percent of reading them.
func walkDir(p string, found func(string)) error {
	names, dirs, err := readDirNames(p)
	if err != nil {
		return err
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	for _, name := range names {
		path := p + name
		if !dirs[name] {
			found(path)
		} else if err := walkDir(path, found); err != nil {
			return err
		}
	}
	return nil
}

// readDirNames returns the names of the regular files and directories
// in dir that are not hidden, sorted, and which of them are
// directories.
func readDirNames(dir string) ([]string, map[string]bool, error) {
	fd, err := openDir(dir)
	if err != nil {
		return nil, nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	defer syscall.Close(fd)
	var names []string
	dirs := map[string]bool{}
	buf := make([]byte, 32<<10)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, nil, &os.PathError{Op: "readdirent", Path: dir, Err: err}
		case n == 0:
			slices.Sort(names)
			return names, dirs, nil
		}
		names = appendDirents(names, dirs, dir, buf[:n])
	}
}

// appendDirents appends the names of the entries in b (linux_dirent64
// records) that walkDir wants to names, noting directories in dirs.
func appendDirents(names []string, dirs map[string]bool, dir string, b []byte) []string {
	const nameOff = 19 // d_ino 8, d_off 8, d_reclen 2, d_type 1
	for len(b) >= nameOff {
		reclen := int(binary.NativeEndian.Uint16(b[16:]))
		if reclen < nameOff || reclen > len(b) {
			break
		}
		rec := b[:reclen]
		b = b[reclen:]
		name := rec[nameOff:]
		if i := slices.Index(name, 0); i >= 0 {
			name = name[:i]
		}
		if len(name) == 0 || name[0] == '.' {
			continue // ".", ".." and hidden files
		}
		switch typ := direntType(rec[18], dir, name); typ {
		case syscall.DT_REG:
			names = append(names, string(name))
		case syscall.DT_DIR:
			names = append(names, string(name))
			dirs[string(name)] = true
		}
	}
	return names
}

// direntType returns t, or where it is DT_UNKNOWN the type lstat gives.
func direntType(t byte, dir string, name []byte) byte {
	if t != syscall.DT_UNKNOWN {
		return t
	}
	info, err := os.Lstat(filepath.Join(dir, string(name)))
	switch {
	case err != nil:
		return syscall.DT_UNKNOWN
	case info.Mode().IsRegular():
		return syscall.DT_REG
	case info.IsDir():
		return syscall.DT_DIR
	}
	return syscall.DT_UNKNOWN
}
