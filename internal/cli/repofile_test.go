package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestReadRepoFile holds readRepoFile to DESIGN §1.11: only regular files
// inside the repository, links included, within the cap; the error says
// why and never holds the content.
func TestReadRepoFile(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	write(t, secret, "TOKEN=hunter2")
	dir := t.TempDir()
	write(t, filepath.Join(dir, "policy.txt"), "version: STSv1\n")
	write(t, filepath.Join(dir, "big.txt"), strings.Repeat("x", 101))
	write(t, filepath.Join(dir, "sub/zone"), "example.com. MX 10 mx\n")
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"environ": "/proc/self/environ", "zero": "/dev/zero", "secret": secret,
		"up": "../" + filepath.Base(outside) + "/secret", "rel": "sub/zone",
		"abs": filepath.Join(dir, "sub/zone"), "linkdir": outside,
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := openRootFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		want    string // content, when read
		wantErr error  // else the reason
	}{
		{"policy.txt", "version: STSv1\n", nil},
		{"./sub/zone", "example.com. MX 10 mx\n", nil},
		{"rel", "example.com. MX 10 mx\n", nil},
		{"environ", "", errOutsideRepo},
		{"zero", "", errOutsideRepo},
		{"secret", "", errOutsideRepo},
		{"up", "", errOutsideRepo},
		{"linkdir/secret", "", errOutsideRepo},
		{"../secret", "", errPathOutside},
		{secret, "", errPathOutside},
		{"abs", "", errAbsoluteLink},
		{"fifo", "", errNotRegular},
		{"adir", "", errNotRegular},
		{"big.txt", "", tooLargeError{100}},
		{"missing", "", fs.ErrNotExist},
	}
	for _, tt := range tests {
		got, err := readRepoFile(fsys, tt.name, 100) // a named pipe must not block
		switch {
		case tt.wantErr == nil && (err != nil || string(got) != tt.want):
			t.Errorf("readRepoFile(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
		case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
			t.Errorf("readRepoFile(%q) error = %v, want %v", tt.name, err, tt.wantErr)
		case err != nil && strings.Contains(err.Error(), "hunter2"):
			t.Errorf("readRepoFile(%q) error shows the content: %v", tt.name, err)
		}
		if tt.wantErr != nil && tt.wantErr != fs.ErrNotExist && !refused(err) {
			t.Errorf("refused(%v) = false", err)
		}
	}
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
