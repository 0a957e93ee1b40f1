// Package stsgate_test holds repository-wide tests: the import rules of
// DESIGN §2 and the dependency allowlist.
package stsgate_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/stsgate/stsgate/"

// External modules and who may import them (DESIGN §2).
const (
	miekgDNS      = "github.com/miekg/dns"
	goGitHub      = "github.com/google/go-github/v62"
	githubActions = "github.com/sethvargo/go-githubactions"
	yaml          = "go.yaml.in/yaml/v3"
	klauspostGzip = "github.com/klauspost/compress"
	goIMAP        = "github.com/emersion/go-imap"
	goSASL        = "github.com/emersion/go-sasl"
	goSMTP        = "github.com/emersion/go-smtp" // tests only: an in-process SMTP server
)

var pure = []string{"internal/diag", "internal/txtfield"}

// allowed lists, for every package, the module packages and external
// modules it may import besides the standard library. A package missing
// from this table fails the test: decide its place before adding it.
var allowed = map[string][]string{
	"internal/diag":              nil,
	"internal/txtfield":          {"internal/diag"},
	"internal/policy":            pure,
	"internal/tlsrpt":            append(slices.Clone(pure), klauspostGzip),
	"internal/tlsrpt/tlsrpttest": nil,
	"internal/summary":           {"internal/diag", "internal/tlsrpt"},
	"internal/cmd/gencorpus":     {"internal/tlsrpt/tlsrpttest"},
	"internal/cmd/genhostile":    {"internal/tlsrpt", "internal/summary", klauspostGzip},
	"internal/cmd/imapfake":      {"internal/tlsrpt/tlsrpttest", "internal/fetch/fetchtest", goIMAP},
	"internal/zone":              append(slices.Clone(pure), "internal/policy", miekgDNS),
	"internal/dnsx":              append(slices.Clone(pure), miekgDNS),
	"internal/dnsx/dnstest":      append(slices.Clone(pure), miekgDNS, "internal/dnsx"),
	"internal/config":            append(slices.Clone(pure), yaml),
	"internal/check":             append(slices.Clone(pure), "internal/policy", "internal/tlsrpt", "internal/zone"),
	"internal/fetch":             append(slices.Clone(pure), "internal/policy"),
	"internal/fetch/fetchtest":   pure,
	"internal/source":            append(slices.Clone(pure), "internal/tlsrpt", "internal/summary"),
	"internal/imapsource":        {goIMAP, goSASL},
	"internal/smtpprobe":         nil, // Net layer: the standard library only, no core package
	"internal/dane":              nil, // pure DANE TLSA verification: the standard library only
	"internal/markdown":          append(slices.Clone(pure), "internal/tlsrpt"),
	"internal/report":            append(slices.Clone(pure), "internal/tlsrpt", "internal/markdown", githubActions),
	"internal/cli": append(slices.Clone(pure), "internal/policy", "internal/tlsrpt", "internal/zone",
		"internal/config", "internal/check", "internal/report", "internal/dnsx", "internal/fetch", githubActions,
		"internal/gate", "internal/ghapi", "internal/remind", "internal/source", "internal/imapsource", "internal/summary",
		"internal/smtpprobe", "internal/dane"),
	"internal/gate":         append(slices.Clone(pure), "internal/policy", "internal/tlsrpt", "internal/zone", "internal/check"),
	"internal/ghapi":        append(slices.Clone(pure), goGitHub, "internal/remind"), // implements remind's interfaces
	"internal/ghapi/ghfake": append(slices.Clone(pure), goGitHub),
	"internal/remind":       append(slices.Clone(pure), "internal/policy", "internal/tlsrpt", "internal/markdown"), // never ghapi
	"cmd/stsgate":           {"internal/cli"},
}

// TestImportRules enforces DESIGN §2: pure packages at the bottom; only
// zone and dnsx import miekg/dns, only ghapi go-github, only cli and report
// the Actions toolkit; the core never imports the edges.
func TestImportRules(t *testing.T) {
	for _, dir := range packageDirs(t) {
		rules, ok := allowed[dir]
		if !ok {
			t.Errorf("package %s has no entry in the import rules of all_test.go", dir)
			continue
		}
		for imp, file := range imports(t, dir) {
			if !isModuleOrExternal(imp) {
				continue // standard library
			}
			name := strings.TrimPrefix(imp, module)
			if !slices.ContainsFunc(rules, func(r string) bool { return name == r || strings.HasPrefix(name, r+"/") }) {
				t.Errorf("%s imports %s, which DESIGN §2 does not allow", file, imp)
			}
		}
	}
}

// TestDependencies keeps go.mod to a short, deliberate list.
func TestDependencies(t *testing.T) {
	allowList := []string{
		miekgDNS, goGitHub, githubActions, yaml, klauspostGzip,
		"github.com/google/go-cmp", "github.com/rogpeppe/go-internal",
		"github.com/google/go-querystring",                                                     // go-github's own dependency
		goIMAP, goSASL, "github.com/emersion/go-message", "github.com/emersion/go-textwrapper", // go-imap's own
		goSMTP,
		"golang.org/x/text", // go-imap's charset decoding
		"golang.org/x/net", "golang.org/x/sys", "golang.org/x/mod", "golang.org/x/sync", "golang.org/x/tools",
	}
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require"))
		if len(fields) < 2 || !strings.Contains(fields[0], ".") || strings.HasPrefix(fields[0], "module") {
			continue
		}
		if !slices.Contains(allowList, fields[0]) {
			t.Errorf("go.mod requires %s, which is not on the dependency allowlist in all_test.go", fields[0])
		}
	}
}

func isModuleOrExternal(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return strings.Contains(first, ".")
}

// packageDirs returns the module's package directories with Go files
// other than tests, relative to the module root.
func packageDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	for _, root := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if files, _ := filepath.Glob(filepath.Join(path, "*.go")); slices.ContainsFunc(files, isSource) {
				dirs = append(dirs, filepath.ToSlash(path))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dirs
}

func isSource(name string) bool { return !strings.HasSuffix(name, "_test.go") }

// imports returns the imports of dir's non-test files, each with a file
// that imports it.
func imports(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, name := range files {
		if !isSource(name) {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			out[p] = name
		}
	}
	return out
}
