package smtpprobe

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/replies/*.golden")

func TestReadReply(t *testing.T) {
	t.Parallel()
	atLimit := "220 " + strings.Repeat("x", maxReplyLine-6) + "\r\n" // 1024 bytes with CRLF
	tests := []struct {
		name, in string
		want     Reply
		wantErr  string
	}{
		{"one line", "220 mx.example.com ESMTP\r\n", Reply{220, []string{"mx.example.com ESMTP"}}, ""},
		{"multi-line", "250-mx\r\n250-STARTTLS\r\n250 8BITMIME\r\n", Reply{250, []string{"mx", "STARTTLS", "8BITMIME"}}, ""},
		{"LF only", "250-mx\n250 STARTTLS\n", Reply{250, []string{"mx", "STARTTLS"}}, ""},
		{"code alone", "250\r\n", Reply{250, []string{""}}, ""},
		{"empty text", "221 \r\n", Reply{221, []string{""}}, ""},
		{"line at the limit", atLimit, Reply{220, []string{strings.Repeat("x", maxReplyLine-6)}}, ""},
		{"line over the limit", "2" + atLimit, Reply{}, "reply too long: a line of more than 1024 bytes"},
		{"only the first reply", "220 a\r\n250 b\r\n", Reply{220, []string{"a"}}, ""},
		{"mixed codes", "250-a\r\n251 b\r\n", Reply{}, "reply line with code 251 continues a reply with code 250"},
		{"too many lines", strings.Repeat("250-x\r\n", maxReplyLines) + "250 x\r\n", Reply{}, "reply too long: more than 64 lines"},
		{"bad separator", "250:x\r\n", Reply{}, `malformed reply line "250:x"`},
		{"short", "25\r\n", Reply{}, `malformed reply line "25"`},
		{"code out of range", "199 x\r\n", Reply{}, `malformed reply line "199 x"`},
		{"second digit out of range", "260 x\r\n", Reply{}, `malformed reply line "260 x"`},
		{"not SMTP", "SSH-2.0-OpenSSH_9.6\r\n", Reply{}, `malformed reply line "SSH-2.0-OpenSSH_9.6"`},
		{"closed at once", "", Reply{}, "EOF"},
		{"closed mid-reply", "250-a\r\n", Reply{}, "EOF"},
		{"closed mid-line", "250-a\r\n250 b", Reply{}, "unexpected EOF"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := readReply(newReader(strings.NewReader(tc.in)))
			if gotErr := errString(err); gotErr != tc.wantErr {
				t.Fatalf("readReply(%.60q) error = %q, want %q", tc.in, gotErr, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("readReply(%.60q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// TestReadReplyEndless: a reply that never ends costs one buffer, not
// memory in proportion to what the server sends.
func TestReadReplyEndless(t *testing.T) {
	t.Parallel()
	for _, line := range []string{"250-PIPELINING\r\n", "250-" + strings.Repeat("A", 100)} {
		r := &repeater{line: line}
		_, err := readReply(newReader(r))
		if !errors.Is(err, errReplyTooLong) {
			t.Fatalf("readReply(endless %.20q...) error = %v, want errReplyTooLong", line, err)
		}
		if r.n > (maxReplyLines+1)*maxReplyLine+len(line) {
			t.Errorf("readReply(endless %.20q...) read %d bytes before giving up", line, r.n)
		}
	}
}

// repeater is an endless reader of line, again and again.
type repeater struct {
	line string
	n    int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		n += copy(p[n:], r.line[(r.n+n)%len(r.line):])
	}
	r.n += n
	return n, nil
}

// TestReplyFiles reads every reply in testdata/replies and compares the
// result with its golden file (-update rewrites them).
func TestReplyFiles(t *testing.T) {
	t.Parallel()
	for _, file := range replyFiles(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			reply, err := readReply(newReader(strings.NewReader(string(src))))
			got := fmt.Sprintf("code %d\nlines %q\nerror %s\n", reply.Code, reply.Lines, errString(err))
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("readReply(%s) mismatch with %s (-want +got):\n%s", file, golden, diff)
			}
		})
	}
}

func replyFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "replies", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no replies in testdata/replies (%v)", err)
	}
	return files
}

// FuzzReadReply: whatever a server sends, the reader stays within its
// bounds, and a reply it accepts reads back the same when written out.
func FuzzReadReply(f *testing.F) {
	for _, file := range replyFiles(f) {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		reply, err := readReply(newReader(strings.NewReader(string(data))))
		if err != nil {
			return
		}
		if reply.Code < 200 || reply.Code > 559 || len(reply.Lines) == 0 || len(reply.Lines) > maxReplyLines {
			t.Fatalf("readReply(%q) = %+v: out of bounds", data, reply)
		}
		again, err := readReply(newReader(strings.NewReader(format(reply))))
		if err != nil {
			t.Fatalf("readReply(format(%+v)): %v", reply, err)
		}
		if diff := cmp.Diff(reply, again); diff != "" {
			t.Fatalf("reply of %q changes when written out and read again (-first +again):\n%s", data, diff)
		}
	})
}

// format writes a reply as a server sends it.
func format(r Reply) string {
	var b strings.Builder
	for i, line := range r.Lines {
		sep := "-"
		if i == len(r.Lines)-1 {
			sep = " "
		}
		fmt.Fprintf(&b, "%d%s%s\r\n", r.Code, sep, line)
	}
	return b.String()
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
