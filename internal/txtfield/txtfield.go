// Package txtfield splits the semicolon-separated TXT records of MTA-STS
// (RFC 8461 §3.1) and SMTP TLS Reporting (RFC 8460 §3) into fields. Both
// grammars share the shape
//
//	record = version 1*(delim field) [delim]
//	delim  = *WSP ";" *WSP
//	field  = name "=" value
//
// and the extension-field rules, so both record parsers use this package
// and keep only their own field semantics.
package txtfield

import "strings"

// Field is one name=value pair. Offsets are 0-based byte offsets into the
// record text; End is exclusive.
type Field struct {
	Name       string
	Value      string
	HasEquals  bool
	Start      int // first byte of the name
	ValueStart int // first byte of the value (== End when there is no '=')
	End        int
}

// ProblemKind names a deviation from the delimiter grammar.
type ProblemKind int

const (
	// EmptyField is a ';' with nothing but whitespace before the next ';'
	// (or a leading ';'), as in "v=STSv1; id=a;;".
	EmptyField ProblemKind = iota + 1
	// SpaceBeforeFirstDelim is whitespace between the version field and
	// the first ';'. The ABNF allows it, but the discard rule of RFC 8461
	// §3.1 (records not beginning with "v=STSv1;") and its equivalent in
	// RFC 8460 §3 make strict senders drop the record (RFC 8461 Errata
	// 6285).
	SpaceBeforeFirstDelim
	// TrailingSpace is whitespace after the last field without a closing
	// ';': the ABNF only allows whitespace as part of a delimiter.
	TrailingSpace
	// LeadingSpace is whitespace before the first field.
	LeadingSpace
)

// Problem is a deviation from the delimiter grammar at [Start, End).
type Problem struct {
	Kind       ProblemKind
	Start, End int
}

// Split splits record into fields and reports problems of the delimiter
// grammar. It never fails: a field without '=' is returned with HasEquals
// false for the caller to judge.
func Split(record string) ([]Field, []Problem) {
	var fields []Field
	var problems []Problem
	if n := len(record) - len(trimWSPLeft(record)); n > 0 {
		problems = append(problems, Problem{LeadingSpace, 0, n})
	}
	pos := 0
	for i := 0; pos <= len(record); i++ {
		end := strings.IndexByte(record[pos:], ';')
		last := end < 0
		if last {
			end = len(record)
		} else {
			end += pos
		}
		seg := record[pos:end]
		f, segProblems := splitSegment(seg, pos, i, last)
		problems = append(problems, segProblems...)
		if f != nil {
			fields = append(fields, *f)
		}
		if last {
			break
		}
		pos = end + 1
	}
	return fields, problems
}

// splitSegment parses the text between two delimiters. index is the
// segment's number (0 for the version field) and last says whether no ';'
// follows.
func splitSegment(seg string, offset, index int, last bool) (*Field, []Problem) {
	trimmedLeft := trimWSPLeft(seg)
	lead := len(seg) - len(trimmedLeft)
	body := trimWSPRight(trimmedLeft)
	tail := len(trimmedLeft) - len(body)
	start := offset + lead
	end := start + len(body)
	var problems []Problem
	if body == "" {
		// A trailing delimiter ("...; ") is allowed once, at the end.
		if !last || index == 0 {
			problems = append(problems, Problem{EmptyField, offset, offset + len(seg)})
		}
		return nil, problems
	}
	if tail > 0 && index == 0 && !last {
		problems = append(problems, Problem{SpaceBeforeFirstDelim, end, end + tail})
	}
	if tail > 0 && last {
		problems = append(problems, Problem{TrailingSpace, end, end + tail})
	}
	name, value, eq := strings.Cut(body, "=")
	f := &Field{Name: name, Value: value, HasEquals: eq, Start: start, ValueStart: end, End: end}
	if eq {
		f.ValueStart = start + len(name) + 1
	}
	return f, problems
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' }

func trimWSPLeft(s string) string {
	for len(s) > 0 && isWSP(s[0]) {
		s = s[1:]
	}
	return s
}

func trimWSPRight(s string) string {
	for len(s) > 0 && isWSP(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// ValidName reports whether name matches the extension-name rule shared by
// RFC 8461 §3.1 and RFC 8460 §3:
// (ALPHA / DIGIT) 0*31(ALPHA / DIGIT / "_" / "-" / ".").
func ValidName(name string) bool {
	if name == "" || len(name) > 32 || !isAlnum(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !isAlnum(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// ValidValue reports whether value matches the extension-value rule:
// 1*(%x21-3A / %x3C / %x3E-7E), that is printable US-ASCII without space,
// ';' and '='.
func ValidValue(value string) bool {
	if value == "" {
		return false
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if c < 0x21 || c > 0x7e || c == ';' || c == '=' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// IsAlnum reports whether s is non-empty and only ASCII letters and digits.
func IsAlnum(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// FirstNonASCII returns the offset of the first byte outside printable
// US-ASCII and tab, or -1.
func FirstNonASCII(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c > 0x7e {
			return i
		}
	}
	return -1
}
