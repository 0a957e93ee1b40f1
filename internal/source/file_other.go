//go:build !linux

package source

import "os"

// sourceFile is a local report source opened for reading: an *os.File
// wherever the Linux shortcut (read_linux.go) does not apply.
type sourceFile struct{ f *os.File }

// openFile opens name for reading.
func (f *sourceFile) openFile(name string) error {
	file, err := os.Open(name)
	if err != nil {
		return err
	}
	f.f = file
	return nil
}

func (f *sourceFile) Read(p []byte) (int, error) { return f.f.Read(p) }

// close closes the file, if it is open.
func (f *sourceFile) close() {
	if f.f != nil {
		f.f.Close()
		f.f = nil
	}
}

// closeDir does nothing: only the Linux sourceFile keeps a directory
// open.
func (f *sourceFile) closeDir() {}
