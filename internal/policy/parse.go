package policy

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// The keys RFC 8461 §3.2 defines.
const (
	keyVersion = "version"
	keyMode    = "mode"
	keyMaxAge  = "max_age"
	keyMX      = "mx"
)

// Parse parses a policy file body (RFC 8461 §3.2) and reports every
// problem with its line and column. The returned policy is what a sender
// that uses the first occurrence of each field would read; it is never
// nil, but it is only meaningful when diags holds no error.
func Parse(body []byte) (*Policy, diag.List) {
	p := &parser{seen: map[string]int{}, mx: map[string]int{}}
	p.whole(body)
	text, start := string(body), 1
	if t, bom := strings.CutPrefix(text, "\ufeff"); bom {
		text, start = t, 1+len("\ufeff")
	}
	lines, bareCR := splitLines(text, start)
	if len(bareCR) > 0 {
		p.bareCR(bareCR)
	}
	for i, l := range lines {
		p.line(l, i == len(lines)-1)
	}
	p.finish()
	return &p.policy, p.diags
}

type parser struct {
	policy  Policy
	diags   diag.List
	seen    map[string]int // known key -> line of its first occurrence
	mx      map[string]int // lower-cased mx pattern -> line
	unknown []field        // keys that are not defined, judged in finish
	first   bool           // the first field has been read
	maxAge  *field         // the max_age field senders use, once valid
}

// field is a key: value line with the positions of its parts.
type field struct {
	key, value string
	line       int
	keyCol     int // column of the key
	valueCol   int // column of the value
}

func (p *parser) add(code diag.Code, start, end pos, msg, hint string) {
	p.diags.Add(diag.New(code, msg, hint).At(diag.Pos{Line: start.line, Column: start.col}, diag.Pos{Line: end.line, Column: end.col}))
}

// whole checks properties of the body as a whole.
func (p *parser) whole(body []byte) {
	if len(body) > MaxSize {
		// RFC 8461 §3.3: senders may refuse bodies over 64 KiB.
		p.add(diag.PolicyTooLarge, pos{1, 0}, pos{1, 0},
			fmt.Sprintf("the policy is %d bytes; senders stop reading at 64 KiB and treat the policy as unavailable", len(body)),
			"a policy needs a few hundred bytes: remove everything but version, mode, mx and max_age")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		p.add(diag.PolicyEmpty, pos{1, 0}, pos{1, 0},
			"the policy file is empty; senders treat the domain as having no valid policy",
			"write version, mode, mx and max_age lines")
	}
	if strings.HasPrefix(string(body), "\ufeff") {
		p.add(diag.PolicyBOM, pos{1, 1}, pos{1, 4},
			"the file starts with a UTF-8 byte order mark, so its first key is not \"version\" to strict senders, which reject the policy",
			"save the file as UTF-8 without BOM")
	}
}

func (p *parser) bareCR(at []pos) {
	msg := "a carriage return not followed by a line feed is not a line terminator; senders read the text before and after it as one line and reject the policy"
	if len(at) > 1 {
		msg = fmt.Sprintf("%d carriage returns are not followed by a line feed; they are not line terminators, so senders read run-together lines and reject the policy", len(at))
	}
	p.add(diag.PolicyBareCR, at[0], pos{at[0].line, at[0].col + 1}, msg,
		"end lines with LF or CRLF")
}

// line parses one line. RFC 8461 §3.2: every line is a field; there are no
// blank lines, comments or leading whitespace.
func (p *parser) line(l line, last bool) {
	text := l.text
	if strings.TrimLeft(text, " \t") == "" {
		p.add(diag.PolicyBlankLine, pos{l.num, l.col}, pos{l.num, l.col + len(text)},
			"blank line; the policy grammar has none, and strict senders (mox, postfix-tlspol) reject the whole policy",
			"delete the empty line (a single line break after the last line is fine)")
		return
	}
	indent := len(text) - len(strings.TrimLeft(text, " \t"))
	if indent > 0 {
		p.add(diag.PolicyLeadingSpace, pos{l.num, l.col}, pos{l.num, l.col + indent},
			"whitespace before the key; strict senders reject the policy",
			"start the line with the key")
	}
	f, ok := p.split(l, indent)
	if !ok {
		return
	}
	p.field(f)
}

// split separates key and value: key ":" *WSP value *WSP.
func (p *parser) split(l line, indent int) (field, bool) {
	rest := l.text[indent:]
	key, value, found := strings.Cut(rest, ":")
	keyCol := l.col + indent
	// A '#' starts no key: the line is a comment, or a field commented out.
	if !found || key == "" || strings.ContainsAny(key, " \t") || key[0] == '#' {
		p.lineSyntax(l, indent, key, found)
		return field{}, false
	}
	trimmed := strings.TrimLeft(value, " \t")
	valueCol := keyCol + len(key) + 1 + len(value) - len(trimmed)
	value = strings.TrimRight(trimmed, " \t")
	return field{key: key, value: value, line: l.num, keyCol: keyCol, valueCol: valueCol}, true
}

func (p *parser) lineSyntax(l line, indent int, key string, colon bool) {
	start, end := pos{l.num, l.col + indent}, pos{l.num, l.col + len(l.text)}
	switch {
	case strings.HasPrefix(l.text[indent:], "#"):
		p.add(diag.PolicyLineSyntax, start, end,
			"comments are not part of the policy grammar; senders reject the policy",
			"delete the comment line, or remove the '#' if the line is a field that should count; keep notes in the repository")
	case colon && strings.TrimRight(key, " \t") != "" && !strings.ContainsAny(strings.TrimRight(key, " \t"), " \t"):
		p.add(diag.PolicyLineSyntax, start, end,
			fmt.Sprintf("whitespace between %s and ':'; the key must be followed directly by the colon, so senders reject the policy", diag.Excerpt(strings.TrimRight(key, " \t"))),
			"remove the space before the colon")
	default:
		p.add(diag.PolicyLineSyntax, start, end,
			"this line is not a \"key: value\" field; senders reject the policy",
			"write each line as key: value")
	}
}
