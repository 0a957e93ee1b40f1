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

// reportSources are the inputs of a report run: local files (directories
// and globs already expanded) and https:// URLs.
type reportSources struct {
	files []string // paths as the OS opens them
	urls  []string
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
			files, d := expandPath(dir, spec)
			s.files = append(s.files, files...)
			diags = append(diags, d...)
		}
	}
	slices.Sort(s.files)
	s.files = slices.Compact(s.files)
	return s, diags
}

func expandPath(dir, spec string) ([]string, diag.List) {
	p := spec
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if strings.ContainsAny(spec, "*?[") {
		matches, err := filepath.Glob(p)
		if err != nil || len(matches) == 0 {
			return nil, diag.List{sourceDiag(spec, "matches no file", "check the pattern; it is relative to the repository")}
		}
		var files []string
		for _, m := range matches {
			f, _ := walk(m)
			files = append(files, f...)
		}
		return files, nil
	}
	files, err := walk(p)
	if err != nil {
		why := "cannot be read: " + err.Error()
		if errors.Is(err, fs.ErrNotExist) {
			why = "does not exist"
		}
		return nil, diag.List{sourceDiag(spec, why, "fix the path; it is relative to the repository")}
	}
	return files, nil
}

// walk returns p if it is a file, or every regular file below it if it is
// a directory. Hidden files and directories (.git, .gitkeep) are skipped.
func walk(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case path != p && strings.HasPrefix(d.Name(), "."):
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		case d.Type().IsRegular():
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

func sourceDiag(spec, why, hint string) diag.Diagnostic {
	d := diag.New(diag.ReportSourceUnreadable,
		fmt.Sprintf("report source %s %s, so its reports are not counted in the clean window", spec, why), hint)
	d.Subject = spec
	return d
}
