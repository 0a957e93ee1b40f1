package cli

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

// reportSources are the inputs of a report run: local files (globs
// already expanded), directories, whose files the reader reads as the
// walk finds them, and https:// URLs.
type reportSources struct {
	files []string // paths as the OS opens them
	dirs  []dirSource
	urls  []string
}

// dirSource is a directory named by a source specification.
type dirSource struct{ spec, path string }

// overlap reports whether a directory of s is, or is inside, another
// one, or holds one of its files: whether the same path can come up
// twice.
func (s reportSources) overlap() bool {
	for i, d := range s.dirs {
		for j, o := range s.dirs {
			if i != j && within(d.path, o.path) {
				return true
			}
		}
		for _, f := range s.files {
			if within(f, d.path) {
				return true
			}
		}
	}
	return false
}

// within reports whether the clean path p is dir or inside it.
func within(p, dir string) bool {
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return p+string(filepath.Separator) == dir || strings.HasPrefix(p, dir)
}

// expandSources turns source specifications into files and URLs (DESIGN
// §1.1): a directory is walked recursively, a glob is expanded, an
// https:// URL is kept. Relative paths are relative to dir. Specifications
// that match nothing are diagnostics; the run goes on with the others.
func expandSources(dir string, specs []string) (reportSources, diag.List) {
	var s reportSources
	var diags diag.List
	for _, spec := range specs {
		switch {
		case strings.HasPrefix(spec, "https://"):
			s.urls = append(s.urls, spec)
		case strings.HasPrefix(spec, "http://"):
			diags.Add(sourceDiag(spec, "is a plain http:// URL; reports are only fetched over https", "use an https:// URL"))
		default:
			files, dirs, d := expandPath(dir, spec)
			s.files = append(s.files, files...)
			s.dirs = append(s.dirs, dirs...)
			diags = append(diags, d...)
		}
	}
	slices.Sort(s.files)
	s.files = slices.Compact(s.files)
	return s, diags
}

func expandPath(dir, spec string) ([]string, []dirSource, diag.List) {
	p := spec
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if strings.ContainsAny(spec, "*?[") {
		matches, err := filepath.Glob(p)
		if err != nil || len(matches) == 0 {
			return nil, nil, diag.List{sourceDiag(spec, "matches no file", "check the pattern; it is relative to the repository")}
		}
		var files []string
		for _, m := range matches {
			f, _ := walk(m)
			files = append(files, f...)
		}
		return files, nil, nil
	}
	info, err := os.Stat(p)
	switch {
	case err != nil:
		return nil, nil, diag.List{unreadableSource(spec, err)}
	case info.IsDir():
		return nil, []dirSource{{spec: spec, path: p}}, nil
	}
	return []string{p}, nil, nil
}

// unreadableSource is the diagnostic of a source that cannot be read.
func unreadableSource(spec string, err error) diag.Diagnostic {
	why := "cannot be read: " + err.Error()
	if errors.Is(err, fs.ErrNotExist) {
		why = "does not exist"
	}
	return sourceDiag(spec, why, "fix the path; it is relative to the repository")
}

// walk returns p if it is a file, or every regular file below it if it is
// a directory.
func walk(p string) ([]string, error) {
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

// walkDirStd is walkDir with filepath.WalkDir, for every system.
// The root is given with a trailing separator, so that a symbolic link
// to a directory is walked too, as walkDir does.
func walkDirStd(p string, found func(string)) error {
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

func sourceDiag(spec, why, hint string) diag.Diagnostic {
	d := diag.New(diag.ReportSourceUnreadable,
		fmt.Sprintf("report source %s %s, so its reports are not counted in the clean window", spec, why), hint)
	d.Subject = spec
	return d
}
