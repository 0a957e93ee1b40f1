package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// indenter writes compact JSON, as json.Marshal makes it, indented by
// two spaces per level exactly as json.Indent(dst, src, "", "  ")
// would: a newline and the indentation after every opening bracket and
// comma and before every closing bracket, a space after every colon,
// and empty objects and arrays kept as {} and []. Only strings need
// care in compact JSON.
//
// json.Indent runs its full validating scanner over every byte, which
// for the 10 MB document of 30,000 failure groups took eight times as
// long as marshalling it, and makes a whole indented copy; this writes
// through a small buffer. It also writes the failure lists of a
// document where the document holds their placeholders (see
// listPlaceholder), row by row, so that they are never marshalled into
// one buffer of many megabytes.
type indenter struct {
	w     io.Writer
	buf   []byte
	depth int
	err   error
	lists [][]tlsrpt.Failure // the lists of the placeholders, by number
}

const indentFlushAt = 32 << 10

func newIndenter(w io.Writer) *indenter {
	return &indenter{w: w, buf: make([]byte, 0, indentFlushAt+4<<10)}
}

// writeIndented writes the compact JSON value src to w, indented.
func writeIndented(w io.Writer, src []byte) error {
	x := newIndenter(w)
	x.value(src)
	return x.flush()
}

// value writes the compact JSON src at the current depth.
func (x *indenter) value(src []byte) {
	for i := 0; i < len(src) && x.err == nil; i++ {
		if len(x.buf) >= indentFlushAt {
			x.flush()
		}
		switch c := src[i]; c {
		case '"':
			end := stringEnd(src, i)
			x.buf = appendSafeJSON(x.buf, src[i:end])
			i = end - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				x.buf = append(x.buf, c, src[i+1])
				i++
				continue
			}
			x.depth++
			x.buf = appendNewline(append(x.buf, c), x.depth)
		case '}', ']':
			x.depth--
			x.buf = append(appendNewline(x.buf, x.depth), c)
		case ',':
			x.buf = appendNewline(append(x.buf, c), x.depth)
		case ':':
			x.buf = append(x.buf, c, ' ')
		case '-':
			i += x.placeholder(src[i:])
		default:
			x.buf = append(x.buf, c)
		}
	}
}

// placeholderPrefix starts every placeholder: a number json.Marshal
// never writes for the integers of a document.
const placeholderPrefix = "-0e-1"

// listPlaceholder stands in the document for list n of the indenter:
// "-0e-1" and n in nine digits.
func listPlaceholder(n int) json.RawMessage {
	return json.RawMessage(placeholderPrefix + strconv.Itoa(1e9 + n)[1:])
}

// list returns what stands for rows in the document: a placeholder, or
// for no rows what encoding/json writes for them, [] or null, or nothing
// when the field is omitted if empty.
func (x *indenter) list(rows []tlsrpt.Failure, omitEmpty bool) json.RawMessage {
	switch {
	case len(rows) > 0:
		x.lists = append(x.lists, rows)
		return listPlaceholder(len(x.lists) - 1)
	case omitEmpty:
		return nil
	case rows == nil:
		return json.RawMessage("null")
	}
	return json.RawMessage("[]")
}

// placeholder writes the list whose placeholder starts src, or the '-'
// that does when it is none; it returns the bytes taken after the '-'.
func (x *indenter) placeholder(src []byte) int {
	const n = len(placeholderPrefix) + 9
	if len(src) < n || !bytes.HasPrefix(src, []byte(placeholderPrefix)) {
		x.buf = append(x.buf, '-')
		return 0
	}
	i, err := strconv.Atoi(string(src[len(placeholderPrefix):n]))
	if err != nil || i >= len(x.lists) {
		x.buf = append(x.buf, '-')
		return 0
	}
	x.rows(x.lists[i])
	return n - 1
}

// rows writes a non-empty list of failures, one row at a time.
func (x *indenter) rows(rows []tlsrpt.Failure) {
	x.depth++
	x.buf = appendNewline(append(x.buf, '['), x.depth)
	for i := range rows {
		if i > 0 {
			x.buf = appendNewline(append(x.buf, ','), x.depth)
		}
		x.buf = appendFailure(x.buf, &rows[i], x.depth)
		if len(x.buf) >= indentFlushAt && x.flush() != nil {
			return
		}
	}
	x.depth--
	x.buf = append(appendNewline(x.buf, x.depth), ']')
}

// appendFailure appends f as encoding/json writes a tlsrpt.Failure,
// indented at depth: the fields in order, without the empty ones
// tagged omitempty. Without reflection it takes a fifth of the time.
func appendFailure(dst []byte, f *tlsrpt.Failure, depth int) []byte {
	dst = append(dst, '{')
	field := func(name string) {
		if dst[len(dst)-1] != '{' {
			dst = append(dst, ',')
		}
		dst = append(append(append(appendNewline(dst, depth+1), '"'), name...), `": `...)
	}
	str := func(name, v string, omitEmpty bool) {
		if v != "" || !omitEmpty {
			field(name)
			dst = appendJSONString(dst, v)
		}
	}
	str("result_type", f.ResultType, false)
	str("org", f.Org, false)
	str("sending_ip", f.SendingIP, true)
	str("mx", f.MX, true)
	field("sessions")
	dst = strconv.AppendInt(dst, f.Sessions, 10)
	str("class", f.Class, false)
	field("blocking")
	dst = strconv.AppendBool(dst, f.Blocking)
	str("first_day", f.FirstDay, false)
	str("last_day", f.LastDay, false)
	str("reason", f.Reason, true)
	return append(appendNewline(dst, depth), '}')
}

// appendJSONString appends s as encoding/json writes it, then made safe
// by appendSafeJSON: a string of printable ASCII other than the
// characters it escapes (the quote, the backslash, and <, > and & for
// HTML) and without "##[" as it is, any other through encoding/json.
func appendJSONString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '[' && legacyCommand(s, i) {
			b, _ := json.Marshal(s) // a string always marshals
			return appendSafeJSON(dst, b)
		}
	}
	return append(append(append(dst, '"'), s...), '"')
}

// appendSafeJSON appends the JSON string quoted, as encoding/json writes
// it, with the characters it leaves as they are but a log or a page
// should not show raw escaped too: DEL, the C1 controls and the
// bidirectional controls (markdown.Hidden; encoding/json escapes the
// C0 controls and U+2028 and U+2029 itself), and the "[" of "##[",
// which the Actions runner reads as a workflow command anywhere in a
// line of a step's output. The escapes are JSON's own, so the document
// holds the same strings.
func appendSafeJSON(dst, quoted []byte) []byte {
	for i := 0; i < len(quoted); {
		c := quoted[i]
		if c < 0x7f && !(c == '[' && legacyCommand(quoted, i)) {
			dst = append(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(quoted[i:])
		if r == '[' || markdown.Hidden(r) {
			dst = fmt.Appendf(dst, `\u%04x`, r)
		} else {
			dst = append(dst, quoted[i:i+n]...)
		}
		i += n
	}
	return dst
}

// legacyCommand reports whether the '[' at s[i] ends "##[".
func legacyCommand[T string | []byte](s T, i int) bool {
	return i >= 2 && s[i-1] == '#' && s[i-2] == '#'
}

func (x *indenter) flush() error {
	if x.err == nil {
		_, x.err = x.w.Write(x.buf)
	}
	x.buf = x.buf[:0]
	return x.err
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
