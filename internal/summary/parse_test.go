package summary

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// TestPlainASCII checks the word-at-a-time scan against the byte loop it
// replaces: every byte value at every position of strings of 0 to 19
// bytes, and a run of one bad byte after another.
func TestPlainASCII(t *testing.T) {
	t.Parallel()
	slow := func(s []byte) bool {
		for _, c := range s {
			if c < 0x20 || c >= utf8.RuneSelf || c == '\\' {
				return false
			}
		}
		return true
	}
	for n := range 20 {
		for pos := range n {
			for c := range 256 {
				s := bytes.Repeat([]byte("a"), n)
				s[pos] = byte(c)
				if got, want := plainASCII(s), slow(s); got != want {
					t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
				}
				if pos > 0 {
					s[pos-1] = 0x1f // a byte under 0x20 borrows from the next
					if got, want := plainASCII(s), slow(s); got != want {
						t.Fatalf("plainASCII(%q) = %v, want %v", s, got, want)
					}
				}
			}
		}
	}
}

// TestListEnd checks the vectorised path of listEnd against the byte
// loop on lists that defeat it.
func TestListEnd(t *testing.T) {
	t.Parallel()
	for list, want := range map[string]int{
		`["a","b"],`:     9,
		`["a]","b"],`:    10,
		`["a\"]"],`:      0,
		`[{"a":1}],`:     0,
		`["a",["b"]],`:   0,
		`[],`:            2,
		`["unterminated`: 0,
		`["x"`:           0,
		`["]]","[["],`:   11,
	} {
		if got := listEnd([]byte(list), 0); got != want {
			t.Errorf("listEnd(%s) = %d, want %d", list, got, want)
		}
	}
}
