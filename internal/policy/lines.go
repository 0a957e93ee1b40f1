package policy

import "strings"

// line is one line of a policy file without its terminator.
type line struct {
	text string
	num  int // 1-based
}

// splitLines splits a policy body at the terminators of RFC 8461 §3.2,
// LF and CRLF (RFC 8461 Errata 6253: the ABNF allows both). A bare CR is
// not a terminator; it is returned in bareCR as a position and treated as
// one, so that a file saved with old Mac line endings yields one error
// rather than a cascade. A final terminator does not start a new line.
func splitLines(body string) (lines []line, bareCR []pos) {
	num := 1
	for len(body) > 0 {
		i := strings.IndexAny(body, "\r\n")
		if i < 0 {
			lines = append(lines, line{body, num})
			break
		}
		lines = append(lines, line{body[:i], num})
		switch {
		case body[i] == '\n':
			body = body[i+1:]
		case i+1 < len(body) && body[i+1] == '\n':
			body = body[i+2:]
		default:
			bareCR = append(bareCR, pos{num, i + 1})
			body = body[i+1:]
		}
		num++
	}
	return lines, bareCR
}

// pos is a 1-based line and byte column.
type pos struct{ line, col int }
