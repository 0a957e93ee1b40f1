package zone

import (
	"bytes"
	"os"
	"testing"

	"github.com/stsgate/stsgate/internal/diag"
)

// maxFuzzInput keeps each fuzz run short; the parser's own bounds
// (MaxFileSize, maxRecords) are tested separately.
const maxFuzzInput = 8 << 10

func FuzzParseFile(f *testing.F) {
	for _, tc := range parseFileTests() {
		f.Add([]byte(tc.src), tc.domain)
	}
	for _, file := range zoneFiles(f) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, "example.com")
	}
	f.Add([]byte("$GENERATE 1-5 _mta-sts TXT \"v=STSv1; id=$\"\n"), "example.com")
	f.Fuzz(func(t *testing.T, src []byte, domain string) {
		if len(src) > maxFuzzInput || len(domain) > 300 {
			return
		}
		decl, l := ParseFile("f.zone", src, domain)
		lines := bytes.Split(src, []byte("\n"))
		for _, d := range l {
			if d.Start.IsZero() {
				t.Errorf("diagnostic without a position: %v", d)
			}
			checkPos(t, lines, d.Start, d.String())
			checkPos(t, lines, d.End, d.String())
		}
		for _, r := range append(decl.STS, decl.TLSRPT...) {
			checkPos(t, lines, r.Pos, r.Text)
			if r.Exact {
				line := lines[r.Pos.Line-1]
				at := r.Pos.Column - 1
				if r.Pos.Column == 0 || at+len(r.Text) > len(line) || string(line[at:at+len(r.Text)]) != r.Text {
					t.Errorf("exact TXT %q is not at %v in %q", r.Text, r.Pos, line)
				}
			}
		}
		for _, m := range decl.MX {
			checkPos(t, lines, m.Pos, m.Host)
		}
	})
}

// checkPos fails when p is not a position in lines (the zero Pos is
// allowed for an unknown end).
func checkPos(t *testing.T, lines [][]byte, p diag.Pos, what string) {
	t.Helper()
	if p.IsZero() {
		if p.Column != 0 {
			t.Errorf("%s: position %v has a column but no line", what, p)
		}
		return
	}
	if p.Line < 1 || p.Line > len(lines) || p.Column < 0 || p.Column > len(lines[p.Line-1])+1 {
		t.Errorf("%s: position %v outside the input (%d lines)", what, p, len(lines))
	}
}
