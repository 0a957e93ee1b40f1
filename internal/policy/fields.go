package policy

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/diag"
)

func (f field) keySpan() (pos, pos) {
	return pos{f.line, f.keyCol}, pos{f.line, f.keyCol + len(f.key)}
}

func (f field) valueSpan() (pos, pos) {
	return pos{f.line, f.valueCol}, pos{f.line, f.valueCol + len(f.value)}
}

func (f field) lineSpan() (pos, pos) {
	return pos{f.line, f.keyCol}, pos{f.line, f.valueCol + len(f.value)}
}

func (p *parser) field(f field) {
	p.policy.Fields = append(p.policy.Fields, Field{Key: f.key, Value: f.value, Line: f.line})
	if _, again := p.seen[keyVersion]; f.key == keyVersion && p.first && !again {
		s, e := f.lineSpan()
		p.add(diag.PolicyVersionNotFirst, s, e,
			"version is not the first line; the RFC allows any order, but some providers' documentation and validators expect it first",
			"move \"version: STSv1\" to the top")
	}
	p.first = true
	switch f.key {
	case keyVersion, keyMode, keyMaxAge:
		if p.duplicate(f) {
			return
		}
	}
	switch f.key {
	case keyVersion:
		p.version(f)
	case keyMode:
		p.mode(f)
	case keyMaxAge:
		p.maxAgeField(f)
	case keyMX:
		p.mxField(f)
	default:
		p.unknown = append(p.unknown, f)
	}
}

var duplicateCodes = map[string]diag.Code{
	keyVersion: diag.PolicyVersionDuplicate,
	keyMode:    diag.PolicyModeDuplicate,
	keyMaxAge:  diag.PolicyMaxAgeDuplicate,
}

// duplicate reports a repeated version, mode or max_age. RFC 8461 §3.2
// says duplicates after the first are ignored, but senders disagree: mox
// and postfix-tlspol use the first, postfix-mta-sts-resolver and
// go-mtasts the last. Two senders can thus apply two different policies.
func (p *parser) duplicate(f field) bool {
	first, dup := p.seen[f.key]
	if !dup {
		p.seen[f.key] = f.line
		return false
	}
	s, e := f.lineSpan()
	p.add(duplicateCodes[f.key], s, e,
		fmt.Sprintf("%s is given again (first on line %d); some senders use the first value and others the last, so they apply different policies", f.key, first),
		fmt.Sprintf("keep one %s line", f.key))
	return true
}

// version enforces RFC 8461 §3.2: sts-policy-version-value = %s"STSv1".
func (p *parser) version(f field) {
	if f.value == "STSv1" {
		return
	}
	s, e := f.valueSpan()
	p.add(diag.PolicyVersionInvalid, s, e,
		fmt.Sprintf("version is %s; senders only accept STSv1 (case-sensitive) and reject the policy", diag.Excerpt(f.value)),
		"write \"version: STSv1\"")
}

// mode enforces RFC 8461 §3.2: the mode is "enforce", "testing" or "none",
// case-sensitive.
func (p *parser) mode(f field) {
	switch m := Mode(f.value); m {
	case ModeEnforce, ModeTesting, ModeNone:
		p.policy.Mode = m
		return
	}
	hint := "use enforce, testing or none"
	switch {
	case strings.EqualFold(f.value, "enforce") || strings.EqualFold(f.value, "testing") || strings.EqualFold(f.value, "none"):
		hint = fmt.Sprintf("modes are case-sensitive: write %q", strings.ToLower(f.value))
	case f.value == "report":
		hint = "\"report\" comes from a pre-RFC draft; use testing"
	}
	s, e := f.valueSpan()
	p.add(diag.PolicyModeInvalid, s, e,
		fmt.Sprintf("mode %s is not a valid mode; senders reject the policy", diag.Excerpt(f.value)), hint)
}

// maxAge enforces RFC 8461 §3.2: 1*10DIGIT, at most 31557600.
func (p *parser) maxAgeField(f field) {
	s, e := f.valueSpan()
	n, err := strconv.ParseInt(f.value, 10, 64)
	if !isNumeric(f.value) || len(f.value) > 10 || err != nil || n > MaxMaxAge {
		p.add(diag.PolicyMaxAgeInvalid, s, e,
			fmt.Sprintf("max_age %s is not a number of seconds from 0 to 31557600 written in at most 10 digits; senders reject the policy", diag.Excerpt(f.value)),
			"use a plain number of seconds, such as 1209600 (14 days) or 31557600 (one year)")
		return
	}
	if len(f.value) > 1 && f.value[0] == '0' {
		p.add(diag.PolicyMaxAgeLeadingZero, s, e,
			"max_age has leading zeros; the grammar allows them, but some parsers read such numbers as octal or reject them",
			fmt.Sprintf("write %d", n))
	}
	p.policy.MaxAge = n
	p.maxAge = &f
}

// mxField enforces RFC 8461 §3.2: each mx line holds one pattern.
func (p *parser) mxField(f field) {
	s, e := f.valueSpan()
	if why := CheckMXPattern(f.value); why != "" {
		p.add(diag.PolicyMXInvalid, s, e,
			fmt.Sprintf("mx %s is not a valid pattern: %s; senders reject the policy", diag.Excerpt(f.value), why),
			"write a host name such as mail.example.com, or *.example.com for any host one label below")
		return
	}
	key := strings.ToLower(f.value)
	if first, dup := p.mx[key]; dup {
		p.add(diag.PolicyMXDuplicate, s, e,
			fmt.Sprintf("mx %s is already listed on line %d", diag.Excerpt(f.value), first),
			"remove the duplicate line")
		return
	}
	p.mx[key] = f.line
	p.policy.MX = append(p.policy.MX, f.value)
	if why := idnaProblem(strings.TrimPrefix(f.value, "*.")); why != "" {
		p.add(diag.PolicyMXIDNA, s, e,
			fmt.Sprintf("mx %s: %s; senders that check names with IDNA (mox, with golang.org/x/net/idna) reject the pattern or the whole policy, so mail to that host loses MTA-STS protection, and in enforce mode a sender that drops only the pattern defers it", diag.Excerpt(f.value), why),
			"write the host name as an IDNA 2008 converter such as idn2 gives it (its xn-- A-label for a Unicode name); a host whose own name has \"--\" in a label's third and fourth characters needs a new name, in the MX records and here")
	}
	if strings.HasPrefix(f.value, "*.") {
		// RFC 8461 §10.4: a wildcard lets any host with a valid
		// certificate under the zone act as an MX.
		p.add(diag.PolicyMXWildcard, s, e,
			fmt.Sprintf("mx %s lets any host one label under %s with a valid certificate receive your mail", diag.Excerpt(f.value), f.value[2:]),
			"list the MX host names themselves unless they change often")
	}
}

// extension checks the value of an extension field, whose key is a valid
// sts-policy-ext-name (RFC 8461 §3.2): the value is UTF-8 without control
// characters and without leading or trailing space.
func (p *parser) extension(f field) {
	s, e := f.lineSpan()
	if !validExtensionValue(f.value) {
		p.add(diag.PolicyExtensionInvalid, s, e,
			fmt.Sprintf("the value of %s is empty or contains a tab or control character; strict senders reject the policy", diag.Excerpt(f.key)),
			"give it a value of printable characters separated by single spaces, or remove the line")
		return
	}
	p.policy.Extensions = append(p.policy.Extensions, Extension{f.key, f.value})
	p.add(diag.PolicyExtension, s, e,
		fmt.Sprintf("extension %s is ignored by senders", diag.Excerpt(f.key)),
		"remove it unless a tool of yours reads it")
}

// validExtensionValue enforces sts-policy-ext-value. Spec note: the ABNF
// allows HTAB between value characters (WSP); we reject it, following the
// verdict table (P39), because several senders split values on tabs.
func validExtensionValue(v string) bool {
	if v == "" || !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}
