package tlsrpt

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// The wire types mirror the JSON of RFC 8460 §4.4, with the field names
// of its schema. Fields that real reporters get wrong have lenient types
// (count, stringList) that record what they saw instead of failing, so
// that normalise can keep the rest of the report.
type reportWire struct {
	Organization string        `json:"organization-name"`
	DateRange    dateRangeWire `json:"date-range"`
	ContactInfo  string        `json:"contact-info"`
	ReportID     string        `json:"report-id"`
	Policies     []policyWire  `json:"policies"`

	cutPolicies int // entries beyond MaxPolicies, not read
}

type dateRangeWire struct {
	Start string `json:"start-datetime"`
	End   string `json:"end-datetime"`
}

type policyWire struct {
	Policy  policyDescWire `json:"policy"`
	Summary summaryWire    `json:"summary"`
	Details []detailWire   `json:"failure-details"`

	cut cutDetails // the details beyond MaxDetails or MaxReportDetails
}

type policyDescWire struct {
	Type   string     `json:"policy-type"`
	String stringList `json:"policy-string"`
	Domain string     `json:"policy-domain"`
	MXHost stringList `json:"mx-host"`
	// MXHostPattern is the name RFC 8460 §4.4's prose uses for mx-host;
	// parsedmarc reads it, so some report writer may use it.
	MXHostPattern stringList `json:"mx-host-pattern"`
}

type summaryWire struct {
	Successful count `json:"total-successful-session-count"`
	Failed     count `json:"total-failure-session-count"`
}

type detailWire struct {
	ResultType     string `json:"result-type"`
	SendingIP      string `json:"sending-mta-ip"`
	ReceivingMX    string `json:"receiving-mx-hostname"`
	ReceivingHELO  text   `json:"receiving-mx-helo"`
	ReceivingIP    string `json:"receiving-ip"`
	Sessions       count  `json:"failed-session-count"`
	AdditionalInfo text   `json:"additional-information"`
	AdditionalURI  text   `json:"additional-info-uri"` // the prose name of additional-information
	ReasonCode     text   `json:"failure-reason-code"`
}

// knownField reports whether name is a field name of the wire types.
func knownField(name string) bool {
	switch name {
	case "organization-name", "date-range", "contact-info", "report-id", "policies",
		"start-datetime", "end-datetime",
		"policy", "summary", "failure-details",
		"policy-type", "policy-string", "policy-domain", "mx-host", "mx-host-pattern",
		"total-successful-session-count", "total-failure-session-count",
		"result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip",
		"failed-session-count", "additional-information", "additional-info-uri", "failure-reason-code":
		return true
	}
	return false
}

// count is a session count: a JSON integer from 0 to 2^63-1 (RFC 8460
// §4.4). Anything else (a string, a fraction, a negative number) is kept
// as given, for normalise to reject the policy entry (J13).
type count struct {
	n       int64
	present bool
	invalid string // the value as given, when it is not a valid count
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (c *count) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	c.present = true
	if n, ok := parseCount(b); ok {
		c.n = n
		return nil
	}
	c.invalid = string(b[:min(len(b), 40)])
	return nil
}

// parseCount parses an unsigned decimal integer that fits in int64,
// without allocating.
func parseCount(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if n < 0 { // 19 digits can overflow
		return 0, false
	}
	return n, true
}

// describeCount says what is wrong with an invalid count.
func describeCount(raw string) string {
	switch {
	case raw != "" && raw[0] == '"':
		return raw + " is a string, not a number"
	case raw != "" && raw[0] == '-':
		return raw + " is negative"
	}
	if _, err := strconv.ParseFloat(raw, 64); err == nil {
		return raw + " is not a whole number that fits in 64 bits"
	}
	return raw + " is not a number"
}

// text is an optional free-text field of a failure detail. A reporter
// that writes an SMTP reply code as a number (421) instead of a string
// should not lose its whole report for that: a value that is not a
// string is kept as its JSON text.
type text string

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (t *text) UnmarshalJSON(b []byte) error {
	switch {
	case string(b) == "null":
	case b[0] != '"':
		*t = text(b[:min(len(b), 200)])
	default:
		var s string
		_ = json.Unmarshal(b, &s) // b is a valid JSON string
		*t = text(s)
	}
	return nil
}

// stringList is a list of strings (policy-string, mx-host). A plain
// string is taken as a one-element list: RFC 8460 Appendix B showed
// mx-host that way before errata 6241, and tools copied it (J1).
type stringList struct {
	v          []string
	fromString bool
	invalid    bool // neither a string nor an array of strings
	cut        bool // items beyond max were dropped
	max        int  // items to keep, for UnmarshalJSON; 0: all
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (l *stringList) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case 'n':
	case '"':
		var s string
		l.invalid = json.Unmarshal(b, &s) != nil
		l.v, l.fromString = []string{s}, true
	case '[':
		valid := true
		if end, ok := afterItems(b, l.max); ok {
			l.cut, valid = true, stringItems(b[end:])
			b = append(b[:end:end], ']') // the first max items
		}
		if v, ok := plainStrings(b); ok {
			l.v = v
		} else if json.Unmarshal(b, &l.v) != nil {
			valid = false
		}
		if !valid {
			l.v, l.invalid = nil, true
		}
	default:
		l.invalid = true
	}
	return nil
}

// afterItems returns the index in b, a valid JSON array, just after its
// first n items; false when it has no more than n, or n is 0.
func afterItems(b []byte, n int) (int, bool) {
	if n <= 0 {
		return 0, false
	}
	p := fastParser{doc: b, i: 1}
	for first, i := true, 0; ; i++ {
		done, ok := p.element(&first)
		if done || !ok {
			return 0, false
		}
		if i == n {
			return p.i - 1, true // at the ',' before item n+1
		}
		p.skip(5)
	}
}

// stringItems reports whether the rest of a valid JSON array, from the
// ',' before an item, holds only strings and nulls.
func stringItems(rest []byte) bool {
	p := fastParser{doc: rest}
	for first := false; ; {
		done, ok := p.element(&first)
		if done || !ok {
			return ok
		}
		switch p.next() {
		case '"':
			p.skipStr()
		case 'n':
			p.null()
		default:
			return false
		}
	}
}

// plainStrings decodes b, a valid JSON array, when it holds only strings
// without escapes or non-ASCII bytes: the common case, decoded without
// a second pass of encoding/json. ok is false for anything else.
func plainStrings(b []byte) (v []string, ok bool) {
	v = make([]string, 0, 4)
	for i := 1; ; {
		i = skipJSONSpace(b, i)
		switch {
		case i >= len(b):
			return nil, false
		case b[i] == ']' && len(v) == 0:
			return v, true
		case b[i] != '"':
			return nil, false
		}
		j := i + 1
		for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] < utf8.RuneSelf {
			j++
		}
		if j >= len(b) || b[j] != '"' {
			return nil, false
		}
		v = append(v, string(b[i+1:j]))
		i = skipJSONSpace(b, j+1)
		switch {
		case i >= len(b):
			return nil, false
		case b[i] == ']':
			return v, true
		case b[i] != ',':
			return nil, false
		}
		i++
	}
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
