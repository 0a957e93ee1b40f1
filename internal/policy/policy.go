// Package policy implements the MTA-STS policy file and the _mta-sts TXT
// record of RFC 8461: parsing with positions (every problem, not only the
// first), canonical formatting, semantic comparison, and matching MX host
// names against the policy's mx patterns.
//
// The parsers accept exactly what the RFC grammars accept and additionally
// flag what real senders read differently (duplicate fields, blank lines,
// typo-like keys), following the verdict table in
// reference/mta-sts-and-tlsrpt.md §5 and §6. They do no I/O: fetching the
// live policy lives in package fetch, looking up the record in package dnsx.
package policy

import "fmt"

// Mode is the policy mode of RFC 8461 §5.
type Mode string

// The modes. They are case-sensitive on the wire.
const (
	ModeEnforce Mode = "enforce"
	ModeTesting Mode = "testing"
	ModeNone    Mode = "none"
)

// MaxMaxAge is the largest max_age RFC 8461 §3.2 allows: 31557600 seconds,
// about one year.
const MaxMaxAge = 31557600

// MaxSize is the largest policy body senders are expected to read
// (RFC 8461 §3.3 suggests 64 KiB).
const MaxSize = 64 * 1024

// Policy is a parsed policy file.
type Policy struct {
	Mode       Mode
	MaxAge     int64    // seconds
	MX         []string // patterns in file order, as written
	Extensions []Extension
	Fields     []Field // every key: value line, in file order, for annotations
}

// Field is one key: value line of a policy file.
type Field struct {
	Key   string
	Value string
	Line  int
}

// Line returns the line of the first field with the given key, or 0.
func (p *Policy) Line(key string) int {
	for _, f := range p.Fields {
		if f.Key == key {
			return f.Line
		}
	}
	return 0
}

// String returns a one-line summary such as "enforce, max_age 1209600, mx
// [mail.example.com]".
func (p *Policy) String() string {
	return fmt.Sprintf("%s, max_age %d, mx %v", p.Mode, p.MaxAge, p.MX)
}
