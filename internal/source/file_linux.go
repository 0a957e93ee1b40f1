//go:build linux

package source

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// sourceFile is a local report source opened for reading; a worker
// reuses one for every file it reads. On Linux it is a bare file
// descriptor rather than an *os.File: os.Open also registers every file
// with the runtime's network poller (four fcntl calls and an epoll_ctl
// that fails for a regular file), five system calls more than the open,
// the reads and the close, which for 100,000 small reports cost more
// than inflating them. Reads block the thread, as reads of regular files
// through an *os.File do too. Errors are those of os.Open and
// (*os.File).Read.
//
// It also keeps the directory of the last file open and opens the next
// file of the same directory relative to it (openat), so that the kernel
// looks up one name rather than every directory of the path again:
// sources are sorted, so a worker's files mostly share a directory.
//
// Files are opened with O_NOATIME where the system allows it (the
// process owns them, as a CI job owns its checkout): checking whether a
// read must update the access time is a measurable part of reading a
// small file, and nothing here needs the access time.
type sourceFile struct {
	fd   int
	name string
	open bool

	dir   string // directory dirFD is open on; "" for none
	dirFD int

	atime bool // O_NOATIME was refused: open without it
}

// openFile opens name for reading.
func (f *sourceFile) openFile(name string) error {
	dirFD, base := f.dirOf(name)
	for {
		flags := syscall.O_RDONLY | syscall.O_CLOEXEC
		if !f.atime {
			flags |= syscall.O_NOATIME
		}
		fd, err := syscall.Openat(dirFD, base, flags, 0)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EPERM && !f.atime:
			f.atime = true // not the owner of the file
			continue
		case err != nil:
			return &os.PathError{Op: "open", Path: name, Err: err}
		}
		f.fd, f.name, f.open = fd, name, true
		return nil
	}
}

// dirOf returns the directory descriptor and the name to open name
// with: name's directory and base name where the directory can be
// opened, else AT_FDCWD and name itself.
func (f *sourceFile) dirOf(name string) (int, string) {
	dir, base := filepath.Split(name)
	if dir == "" || base == "" {
		return atFDCWD, name
	}
	if dir != f.dir {
		f.closeDir()
		fd, err := openDir(dir)
		if err != nil {
			return atFDCWD, name // the open of name says what is wrong
		}
		f.dir, f.dirFD = dir, fd
	}
	return f.dirFD, base
}

// openDir opens the directory dir for openat and getdents64, retrying
// when a signal interrupts the open, as os.Open does.
func openDir(dir string) (int, error) {
	for {
		fd, err := syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// atFDCWD makes openat resolve a relative name against the working
// directory, as open does.
const atFDCWD = -0x64

func (f *sourceFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &os.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// close closes the file, if it is open.
func (f *sourceFile) close() {
	if f.open {
		syscall.Close(f.fd)
		f.open = false
	}
}

// closeDir closes the directory kept open, if any; a worker calls it
// once it is done.
func (f *sourceFile) closeDir() {
	if f.dir != "" {
		syscall.Close(f.dirFD)
		f.dir = ""
	}
}
