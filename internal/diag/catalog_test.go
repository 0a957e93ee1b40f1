package diag

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/diagnostics.md from the catalog")

const docPath = "../../docs/diagnostics.md"

const docIntro = `# Diagnostics

Every finding stsgate reports has a stable code. Codes never change meaning
and are never reused; filter on them in scripts and in the JSON output
(` + "`diagnostics[].code`" + `). The severity is the default: some rules raise or
lower it (for example ` + "`mx-not-covered`" + ` is an error in enforce mode and a
warning in testing mode). Configuration codes (` + "`config-*`" + `) make the run exit
with code 2.

This file is generated from ` + "`internal/diag`" + `; ` + "`go test ./internal/diag -update`" + `
rewrites it, and a test fails when the two disagree.

| Code | Severity | Meaning | Reference |
|---|---|---|---|
`

func renderDoc() string {
	var b strings.Builder
	b.WriteString(docIntro)
	for _, info := range Catalog() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", info.Code, info.Severity, info.Title, info.Ref)
	}
	return b.String()
}

// TestDocumentMatchesCatalog keeps docs/diagnostics.md and the catalog in
// step.
func TestDocumentMatchesCatalog(t *testing.T) {
	want := renderDoc()
	if *update {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s does not match the catalog; run go test ./internal/diag -update", docPath)
	}
}

// TestCatalogEntries checks that every entry is complete and kebab-case.
func TestCatalogEntries(t *testing.T) {
	for _, info := range Catalog() {
		if info.Title == "" || info.Severity < Notice || info.Severity > Error {
			t.Errorf("catalog entry %q is incomplete: %+v", info.Code, info)
		}
		for _, r := range info.Code {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Errorf("code %q is not kebab-case", info.Code)
				break
			}
		}
	}
}

// TestCodesUsedAreCataloged parses every Go file of the module and checks
// that each code handed to diag.New, or set as a Diagnostic's Code, is a
// constant of this package with a catalog entry.
func TestCodesUsedAreCataloged(t *testing.T) {
	consts := codeConstants(t)
	for name, code := range consts {
		if _, ok := Lookup(code); !ok {
			t.Errorf("constant %s = %q has no catalog entry", name, code)
		}
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inDiag := f.Name.Name == "diag"
		ast.Inspect(f, func(n ast.Node) bool {
			for _, expr := range codeExprs(n, inDiag) {
				if !isCatalogConst(expr, consts, inDiag) {
					t.Errorf("%s: code %s is not a cataloged diag constant", fset.Position(expr.Pos()), types(expr))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// codeExprs returns the expressions n uses as a diagnostic code: the first
// argument of diag.New and the value of a Code field in a Diagnostic
// literal.
func codeExprs(n ast.Node, inDiag bool) []ast.Expr {
	switch n := n.(type) {
	case *ast.CallExpr:
		if isName(n.Fun, "New", inDiag) && len(n.Args) > 0 {
			return []ast.Expr{n.Args[0]}
		}
	case *ast.CompositeLit:
		if !isName(n.Type, "Diagnostic", inDiag) {
			return nil
		}
		var out []ast.Expr
		for _, el := range n.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Code") {
				out = append(out, kv.Value)
			}
		}
		return out
	}
	return nil
}

func isName(e ast.Expr, name string, inDiag bool) bool {
	if sel, ok := e.(*ast.SelectorExpr); ok {
		return isIdent(sel.X, "diag") && sel.Sel.Name == name
	}
	return inDiag && isIdent(e, name)
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// isCatalogConst accepts diag.<Const> (or <Const> inside package diag) and
// a parameter passed through (an identifier that is not a constant name
// is a variable; its origin is checked where it is set).
func isCatalogConst(e ast.Expr, consts map[string]Code, inDiag bool) bool {
	switch e := e.(type) {
	case *ast.SelectorExpr:
		if isIdent(e.X, "diag") {
			_, ok := consts[e.Sel.Name]
			return ok
		}
		return true // a field such as info.Code or m.code
	case *ast.Ident:
		if inDiag {
			_, ok := consts[e.Name]
			return ok || !startsUpper(e.Name)
		}
		return true
	case *ast.IndexExpr:
		return true // a lookup in a table of constants
	}
	return false
}

func startsUpper(s string) bool { return s != "" && s[0] >= 'A' && s[0] <= 'Z' }

func types(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Value
	case *ast.CallExpr:
		return "a conversion"
	}
	return fmt.Sprintf("%T", e)
}

// codeConstants returns the constants of type Code declared in this
// package, by name.
func codeConstants(t *testing.T) map[string]Code {
	t.Helper()
	fset := token.NewFileSet()
	consts := map[string]Code{}
	files, _ := filepath.Glob("codes*.go")
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if !isIdent(vs.Type, "Code") {
					continue
				}
				for i, n := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s: constant %s is not a string literal", name, n.Name)
					}
					s, _ := strconv.Unquote(lit.Value)
					consts[n.Name] = Code(s)
				}
			}
		}
	}
	return consts
}
