package report

import (
	"bytes"
	"io"
)

// writeIndented writes the compact JSON value src to w, indented by two
// spaces per level, exactly as json.Indent(dst, src, "", "  ") would: a
// newline and the indentation after every opening bracket and comma and
// before every closing bracket, a space after every colon, and empty
// objects and arrays kept as {} and []. src must be compact JSON, as
// json.Marshal makes it; then only strings need care.
//
// json.Indent runs its full validating scanner over every byte, which
// for the 10 MB document of 30,000 failure groups took eight times as
// long as marshalling it; and it makes the whole indented copy, where
// this writes through a small buffer.
func writeIndented(w io.Writer, src []byte) error {
	const flushAt = 32 << 10
	buf := make([]byte, 0, flushAt+4<<10)
	depth := 0
	for i := 0; i < len(src); i++ {
		if len(buf) >= flushAt {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
		switch c := src[i]; c {
		case '"':
			end := stringEnd(src, i)
			buf = append(buf, src[i:end]...)
			i = end - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				buf = append(buf, c, src[i+1])
				i++
				continue
			}
			depth++
			buf = appendNewline(append(buf, c), depth)
		case '}', ']':
			depth--
			buf = append(appendNewline(buf, depth), c)
		case ',':
			buf = appendNewline(append(buf, c), depth)
		case ':':
			buf = append(buf, c, ' ')
		default:
			buf = append(buf, c)
		}
	}
	_, err := w.Write(buf)
	return err
}

// stringEnd returns the index just past the string that starts with the
// quote at src[i], or len(src) if it is not closed.
func stringEnd(src []byte, i int) int {
	for j := i + 1; ; {
		q := bytes.IndexByte(src[j:], '"')
		if q < 0 {
			return len(src)
		}
		j += q
		// The quote ends the string unless an odd number of
		// backslashes escapes it.
		k := j
		for k > i+1 && src[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j + 1
		}
		j++
	}
}

func appendNewline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, "  "...)
	}
	return dst
}
