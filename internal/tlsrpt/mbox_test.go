package tlsrpt

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMboxMessages checks the splitting of an mbox into messages and the
// undoing of mboxrd ">From " quoting (RFC 4155).
func TestMboxMessages(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"two messages", "From a\nA: 1\n\nbody\nFrom b\nB: 2\n\nbody 2\n", []string{"A: 1\n\nbody\n", "B: 2\n\nbody 2\n"}},
		{"quoted From", "From a\nA: 1\n\n>From here\n>>From there\n> From not\nFromage\n",
			[]string{"A: 1\n\nFrom here\n>From there\n> From not\nFromage\n"}},
		{"CRLF and no final newline", "From a\r\nA: 1\r\n\r\nbody", []string{"A: 1\r\n\r\nbody"}},
		{"empty message", "From a\nFrom b\nB: 2\n", []string{"", "B: 2\n"}},
		{"long line", "From a\n" + strings.Repeat("x", 10000) + "\nFrom b\n", []string{strings.Repeat("x", 10000) + "\n", ""}},
	} {
		br := bufio.NewReaderSize(strings.NewReader(tc.in), 16)
		var got []string
		for skipLine(br) {
			b, err := io.ReadAll(&mboxMessage{br: br, bol: true})
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(b))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: messages (-want +got):\n%s", tc.name, diff)
		}
	}
}
