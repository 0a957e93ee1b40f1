package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
)

// FuzzParse checks that Parse never panics, that every position it
// returns lies inside the input, and that an exact Value is the file's text
// at its position.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.yml")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, tc := range diagCases {
		f.Add([]byte(tc.src))
	}
	for _, tc := range valueCases {
		f.Add([]byte(tc.src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 16<<10 {
			return // keep each run fast; the size limit itself has its own test
		}
		c, diags := Parse("c.yml", src)
		lines := strings.Split(string(src), "\n")
		for _, d := range diags {
			if !inside(lines, d.Start) || !d.End.IsZero() && (!inside(lines, d.End) || d.End.Line < d.Start.Line) {
				t.Errorf("diagnostic %v at %v-%v lies outside the input %q", d, d.Start, d.End, src)
			}
		}
		for _, v := range values(c) {
			if !inside(lines, v.Pos) || v.Pos.IsZero() && v.Text != "" {
				t.Errorf("value %+v lies outside the input %q", v, src)
				continue
			}
			if v.Exact && !strings.HasPrefix(lines[v.Pos.Line-1][v.Pos.Column-1:], v.Text) {
				t.Errorf("exact value %+v is not the text at its position in %q", v, src)
			}
		}
	})
}

// inside reports whether p is a position in lines: the zero Pos, a whole
// line (column 0), or a byte column up to one past the end of the line.
func inside(lines []string, p diag.Pos) bool {
	if p.IsZero() {
		return p.Column == 0
	}
	return p.Line >= 1 && p.Line <= len(lines) && p.Column >= 0 && p.Column <= len(lines[p.Line-1])+1
}

// values collects every positioned value of c.
func values(c Config) []Value {
	var out []Value
	for _, d := range c.Domains {
		out = append(out, Value{Text: d.Name, Pos: d.Pos})
		if r := d.Records; r != nil {
			for _, v := range []*Value{r.MTASTS, r.TLSRPT} {
				if v != nil {
					out = append(out, *v)
				}
			}
			out = append(out, r.MX...)
		}
	}
	for _, s := range c.KnownSenders {
		out = append(out, Value{Pos: s.Pos})
	}
	for _, r := range c.Ignore {
		out = append(out, Value{Pos: r.Pos})
	}
	return out
}
