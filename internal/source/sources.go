// Package source reads TLS-RPT report sources (DESIGN §1.1): local
// files, directories and globs inside the repository, and https:// URLs,
// decoded by parallel workers into a tlsrpt.Aggregator.
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// Sources are the inputs of a report run: local files (globs
// already expanded), directories, whose files the reader reads as the
// walk finds them, and https:// URLs.
type Sources struct {
	Files []string // paths as the OS opens them
	Dirs  []Dir
	URLs  []string
	// Mailboxes are imaps:// (or imap://, with STARTTLS) mailboxes of
	// report mails, read through Reader.Mailbox.
	Mailboxes []string
	Local     []string // the gate's repository-relative sources, read from the base revision
}

// Dir is a directory named by a source specification.
type Dir struct{ Spec, Path string }

// overlap reports whether a directory of s is, or is inside, another
// one, or holds one of its files: whether the same path can come up
// twice.
func (s Sources) overlap() bool {
	for i, d := range s.Dirs {
		for j, o := range s.Dirs {
			if i != j && Within(d.Path, o.Path) {
				return true
			}
		}
		for _, f := range s.Files {
			if Within(f, d.Path) {
				return true
			}
		}
	}
	return false
}

// Within reports whether the clean path p is dir or inside it.
func Within(p, dir string) bool {
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return p+string(filepath.Separator) == dir || strings.HasPrefix(p, dir)
}

// Expand turns source specifications into files and URLs (DESIGN
// §1.1): a directory is walked recursively, a glob is expanded, an
// https:// URL is kept. Relative paths are relative to dir. Specifications
// that match nothing are diagnostics; the run goes on with the others.
func Expand(dir string, specs []string) (Sources, diag.List) {
	var s Sources
	var diags diag.List
	for _, spec := range specs {
		switch {
		case strings.HasPrefix(spec, "https://"):
			s.URLs = append(s.URLs, spec)
		case IsMailbox(spec):
			s.Mailboxes = append(s.Mailboxes, spec)
		case strings.HasPrefix(spec, "http://"):
			diags.Add(Diag(spec, "is a plain http:// URL; reports are only fetched over https", "use an https:// URL"))
		default:
			files, dirs, d := ExpandPath(dir, spec)
			s.Files = append(s.Files, files...)
			s.Dirs = append(s.Dirs, dirs...)
			diags = append(diags, d...)
		}
	}
	slices.Sort(s.Files)
	s.Files = slices.Compact(s.Files)
	return s, diags
}

// ExpandPath expands one local source. A relative one names a part of
// the repository and may not lead out of it through a symbolic link
// (DESIGN §1.11); an absolute one, given on the command line, is used as
// it is.
func ExpandPath(dir, spec string) ([]string, []Dir, diag.List) {
	p := spec
	var inside func(string) bool
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
		inside = insideOf(dir)
	}
	if strings.ContainsAny(spec, "*?[") {
		return expandGlob(spec, p, inside)
	}
	info, err := os.Stat(p)
	switch {
	case err != nil:
		return nil, nil, diag.List{unreadableSource(spec, err)}
	case inside != nil && !inside(p):
		return nil, nil, diag.List{outsideSource(spec)}
	case info.IsDir():
		return nil, []Dir{{Spec: spec, Path: p}}, nil
	case !info.Mode().IsRegular():
		return nil, nil, diag.List{Diag(spec, "is not a regular file", "name a report file or a directory of them")}
	}
	return []string{p}, nil, nil
}

// expandGlob expands the glob spec, p joined to the repository; matches
// that lead outside (when inside is set) are left out with one
// diagnostic.
func expandGlob(spec, p string, inside func(string) bool) ([]string, []Dir, diag.List) {
	matches, err := filepath.Glob(p)
	if err != nil || len(matches) == 0 {
		return nil, nil, diag.List{Diag(spec, "matches no file", "check the pattern; it is relative to the repository")}
	}
	var files []string
	var diags diag.List
	for _, m := range matches {
		if inside != nil && !inside(m) {
			if len(diags) == 0 {
				diags.Add(outsideSource(spec))
			}
			continue
		}
		f, _ := Walk(m)
		files = append(files, f...)
	}
	return files, nil, diags
}

// insideOf returns a test of whether a path, symbolic links resolved,
// lies inside dir. Paths whose directory was found inside before cost one
// Lstat: a regular file there cannot lead out.
func insideOf(dir string) func(string) bool {
	root, err := filepath.Abs(dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	checked := map[string]bool{}
	resolve := func(p string) bool {
		real, err := filepath.EvalSymlinks(p)
		if err == nil && !filepath.IsAbs(real) {
			real, err = filepath.Abs(real)
		}
		return err == nil && Within(real, root)
	}
	return func(p string) bool {
		if err != nil {
			return false
		}
		parent := filepath.Dir(p)
		if _, ok := checked[parent]; !ok {
			checked[parent] = resolve(parent)
		}
		if info, err := os.Lstat(p); err == nil && info.Mode().IsRegular() {
			return checked[parent]
		}
		return resolve(p)
	}
}

// outsideSource is the diagnostic of a source that leads out of the
// repository.
func outsideSource(spec string) diag.Diagnostic {
	return Diag(spec, "leads outside the repository through a symbolic link, which is not followed",
		"commit the reports inside the repository, or give an absolute path on the command line")
}

// unreadableSource is the diagnostic of a source that cannot be read.
func unreadableSource(spec string, err error) diag.Diagnostic {
	why := "cannot be read: " + err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		why = "does not exist"
	}
	return Diag(spec, why, "fix the path; it is relative to the repository")
}

// walk returns p if it is a file, or every regular file below it if it is
// a directory.
func Walk(p string) ([]string, error) {
	var files []string
	err := walkFiles(p, func(path string) { files = append(files, path) })
	return files, err
}

// walkFiles calls found with p if it is a file, or with every regular
// file below it, in lexical order, if it is a directory. Hidden files and
// directories (.git, .gitkeep) are skipped.
func walkFiles(p string, found func(string)) error {
	info, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		found(p)
		return nil
	}
	return walkDir(p, found)
}

// walkDir calls found with every regular file below the directory p, in
// lexical order, skipping hidden files and directories; symbolic links
// below p are not followed. The root is given with a trailing separator,
// so that a directory named through a symbolic link is walked. (A walk of
// raw getdents64 records was 2% faster on 100,000 files: not worth a
// second implementation.)
func walkDir(p string, found func(string)) error {
	root := p
	if !strings.HasSuffix(root, string(filepath.Separator)) {
		root += string(filepath.Separator)
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case path != root && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		case d.Type().IsRegular():
			found(path)
		}
		return nil
	})
}

func Diag(spec, why, hint string) diag.Diagnostic {
	d := diag.New(diag.ReportSourceUnreadable,
		fmt.Sprintf("report source %s %s, so its reports are not counted in the clean window", spec, why), hint)
	d.Subject = spec
	return d
}

// emptySource is the notice of a directory that holds no report.
func emptySource(spec string) diag.Diagnostic {
	d := diag.New(diag.ReportSourceEmpty,
		fmt.Sprintf("no reports found in %s, so it adds nothing to the clean window", spec),
		"commit reports there, or remove the source")
	d.Subject = spec
	return d
}

// IsMailbox reports whether src is an IMAP mailbox URL.
func IsMailbox(src string) bool {
	return strings.HasPrefix(src, "imaps://") || strings.HasPrefix(src, "imap://")
}
