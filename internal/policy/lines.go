package policy

import "strings"

// line is one line of a policy file without its terminator, or the part
// of a line that follows a bare CR.
type line struct {
	text string
	num  int // 1-based, counted at LF
	col  int // 1-based byte column of text's first byte
}

// splitLines splits a policy body at the terminators of RFC 8461 §3.2,
// LF and CRLF (RFC 8461 Errata 6253: the ABNF allows both). A final
// terminator does not start a new line. start is the column of the
// body's first byte (4 after a byte order mark).
//
// A bare CR is not a terminator: it is returned in bareCR as a position,
// and line numbers do not count it, so that positions agree with git and
// grep -n. The text after it is returned as a line of its own on the same
// line number, so that a file saved with old Mac line endings yields one
// error rather than a cascade.
func splitLines(body string, start int) (lines []line, bareCR []pos) {
	num, col := 1, start
	for len(body) > 0 {
		i := strings.IndexAny(body, "\r\n")
		if i < 0 {
			lines = append(lines, line{body, num, col})
			break
		}
		lines = append(lines, line{body[:i], num, col})
		switch {
		case body[i] == '\n':
			body, num, col = body[i+1:], num+1, 1
		case i+1 < len(body) && body[i+1] == '\n':
			body, num, col = body[i+2:], num+1, 1
		default:
			bareCR = append(bareCR, pos{num, col + i})
			body, col = body[i+1:], col+i+1
		}
	}
	return lines, bareCR
}

// pos is a 1-based line and byte column.
type pos struct{ line, col int }
