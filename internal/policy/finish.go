package policy

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/txtfield"
)

const (
	day = 24 * 60 * 60
	// minEnforceMaxAge is the threshold under which an enforce policy is
	// too short-lived to protect anything: UK NCSC Mail Check warns under
	// two weeks, RFC 8461 §10.2 asks for "as long as practical".
	minEnforceMaxAge = 14 * day
)

// finish checks what can only be judged after the last line.
func (p *parser) finish() {
	for _, f := range p.unknown {
		p.unknownKey(f)
	}
	p.missing()
	p.maxAgeAdvice()
}

// missing enforces RFC 8461 §3.2: version, mode and max_age are required;
// mx is required unless the mode is none.
func (p *parser) missing() {
	whole := pos{1, 0}
	for _, m := range []struct {
		key  string
		code diag.Code
		hint string
	}{
		{keyVersion, diag.PolicyVersionMissing, `add "version: STSv1" as the first line`},
		{keyMode, diag.PolicyModeMissing, `add "mode: testing" (or enforce once reports are clean)`},
		{keyMaxAge, diag.PolicyMaxAgeMissing, `add "max_age: 1209600" (14 days) or longer`},
	} {
		if _, ok := p.seen[m.key]; !ok {
			p.add(m.code, whole, whole,
				fmt.Sprintf("the policy has no %s line; senders reject the policy", m.key), m.hint)
		}
	}
	mode := p.policy.Mode
	if (mode == ModeEnforce || mode == ModeTesting) && len(p.policy.MX) == 0 {
		p.add(diag.PolicyMXMissing, whole, whole,
			fmt.Sprintf("mode %s needs at least one valid mx line; without one no MX host is valid, so senders reject the policy or, in enforce mode, may defer all mail", mode),
			"add one \"mx: <host>\" line per MX host")
	}
}

// maxAgeAdvice applies DESIGN §1.8: under a day is an error in enforce
// mode and a warning in testing; under 14 days in enforce is a warning.
func (p *parser) maxAgeAdvice() {
	if p.maxAge == nil {
		return
	}
	s, e := p.maxAge.valueSpan()
	n, mode := p.policy.MaxAge, p.policy.Mode
	switch {
	case n < day && (mode == ModeEnforce || mode == ModeTesting):
		d := diag.New(diag.PolicyMaxAgeUnderDay,
			fmt.Sprintf("max_age %d is under one day; senders forget the policy almost at once, so an attacker who blocks the policy host briefly removes the protection", n),
			"use at least 86400; 1209600 (14 days) or more in enforce mode")
		if mode == ModeTesting {
			d = d.As(diag.Warning)
		}
		p.diags.Add(d.At(diag.Pos{Line: s.line, Column: s.col}, diag.Pos{Line: e.line, Column: e.col}))
	case n < minEnforceMaxAge && mode == ModeEnforce:
		p.add(diag.PolicyMaxAgeShort, s, e,
			fmt.Sprintf("max_age %d is under 14 days; an attacker who blocks the policy host for that long removes the protection", n),
			"use 1209600 (14 days) or more; many domains use 31557600")
	}
}

// unknownKey judges a key the specification does not define. RFC 8461
// §3.2: any other key must be an sts-policy-ext-name, so a key outside
// that grammar is an error even when it looks like a known key ("m;",
// "-mx"): the line is no field and senders reject the whole policy. A
// valid name that looks like a misspelling of a known key is a warning (a
// policy with "nmx:" instead of "mx:" has no MX hosts), anything else an
// extension.
func (p *parser) unknownKey(f field) {
	known := typoOf(f.key)
	if known != "" && p.has(known) && !fitsKey(known, f.value) {
		known = ""
	}
	s, e := f.keySpan()
	switch {
	case !txtfield.ValidName(f.key):
		hint := "fix or remove the line"
		if known != "" {
			hint = fmt.Sprintf("did you mean %q? Rename the key to %q", known, known)
		}
		s, e = f.lineSpan()
		p.add(diag.PolicyExtensionInvalid, s, e,
			fmt.Sprintf("%s is not a valid key (letters, digits, '_', '-', '.', starting with a letter or digit, at most 32), so the line is not a field; strict senders (mox) reject the whole policy", diag.Excerpt(f.key)),
			hint)
	case known != "":
		p.add(diag.PolicyKeyTypo, s, e,
			fmt.Sprintf("unknown key %s looks like %s; senders ignore the line (keys are case-sensitive)", diag.Excerpt(f.key), diag.Excerpt(known)),
			fmt.Sprintf("rename the key to %q", known))
	default:
		p.extension(f)
	}
}

func (p *parser) has(key string) bool {
	if key == keyMX {
		return len(p.policy.MX) > 0
	}
	_, ok := p.seen[key]
	return ok
}

// fitsKey reports whether value would be valid for the known key.
func fitsKey(key, value string) bool {
	switch key {
	case keyVersion:
		return strings.EqualFold(value, "STSv1")
	case keyMode:
		m := Mode(strings.ToLower(value))
		return m == ModeEnforce || m == ModeTesting || m == ModeNone
	case keyMaxAge:
		return isNumeric(value)
	case keyMX:
		return CheckMXPattern(value) == ""
	}
	return false
}

// typoOf returns the defined key that key looks like a misspelling of, or
// "": a case variant ("Mode"), a separator variant ("maxage", "mx_host"),
// or a key within edit distance 2 (1 for the two-letter "mx").
func typoOf(key string) string {
	k := strings.ToLower(key)
	squash := strings.NewReplacer("_", "", "-", "", ".", "")
	for _, known := range []string{keyVersion, keyMode, keyMaxAge, keyMX} {
		if rest, ok := strings.CutPrefix(k, known); ok && (rest == "" || strings.ContainsAny(rest[:1], "_-.")) {
			return known
		}
		if squash.Replace(k) == squash.Replace(known) {
			return known
		}
		limit := 2
		if len(known) <= 2 {
			limit = 1
		}
		if editDistance(k, known) <= limit {
			return known
		}
	}
	return ""
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
