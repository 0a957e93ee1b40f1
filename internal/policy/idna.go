package policy

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/diag"
)

// idnaProblem says why host, whose labels are already known to be LDH
// (checkHostName), is not a valid IDNA 2008 name, or returns "". RFC 8461
// §3.2 asks for A-labels; senders that convert names with IDNA, as mox
// does with the lookup profile of golang.org/x/net/idna, reject names with
// a reserved "--" label or an xn-- label that is not a valid A-label.
//
// Spec note: the check is done with the standard library alone (DESIGN
// §2), so it finds only what can be judged without the IDNA tables:
// Punycode, hyphens, a leading combining mark, and characters whose
// general category no IDNA profile allows. It does not check NFC, the
// bidi rule or the contextual rules, and accepts symbols, which
// golang.org/x/net/idna accepts too (UTS #46 "valid, NV8").
func idnaProblem(host string) string {
	for _, l := range strings.Split(strings.ToLower(host), ".") {
		if why := idnaLabelProblem(l); why != "" {
			return why
		}
	}
	return ""
}

func idnaLabelProblem(l string) string {
	enc, isA := strings.CutPrefix(l, "xn--")
	if !isA {
		// RFC 5891 §4.2.3.1: "--" in the third and fourth positions is
		// reserved for tagged labels such as the xn-- of A-labels.
		if len(l) >= 4 && l[2:4] == "--" {
			return fmt.Sprintf("the label %s has \"--\" in its third and fourth characters, which IDNA 2008 reserves for encoded labels such as xn--", diag.Excerpt(l))
		}
		return ""
	}
	// RFC 5891 §5.4: an A-label is decoded and the U-label validated.
	u, ok := decodePunycode(enc)
	if !ok {
		return fmt.Sprintf("the label %s starts with xn-- but the rest is not valid Punycode", diag.Excerpt(l))
	}
	if why := uLabelProblem(u); why != "" {
		return fmt.Sprintf("the label %q starts with xn-- but decodes to %+q, %s, so it is not a valid A-label", l, string(u), why)
	}
	return ""
}

// uLabelProblem checks the decoded form of an A-label: RFC 5890 §2.3.2.1
// (a U-label has a non-ASCII character), RFC 5891 §4.2.3.1 (hyphens) and
// §4.2.3.2 (no leading combining mark), and RFC 5892 §2 (characters).
func uLabelProblem(u []rune) string {
	n := len(u)
	switch {
	case !slices.ContainsFunc(u, func(r rune) bool { return r >= utf8.RuneSelf }):
		return "which has no non-ASCII character"
	case unicode.In(u[0], unicode.M):
		return "which starts with a combining mark"
	case n >= 4 && u[2] == '-' && u[3] == '-':
		return "which has \"--\" in its third and fourth characters"
	case u[0] == '-' || u[n-1] == '-':
		return "which starts or ends with '-'"
	}
	for _, r := range u {
		if disallowedRune(r) {
			return fmt.Sprintf("which contains %U, a character IDNA does not allow in names", r)
		}
	}
	return ""
}

// disallowedRune reports whether r can never be part of a U-label:
// ASCII other than lower-case letters, digits and '-'; upper- and
// title-case letters (not stable under case folding, RFC 5892 §2.3);
// spaces, controls, format characters, private use, surrogates and
// unassigned code points. ZWNJ and ZWJ are allowed in some contexts (RFC
// 5892 Appendix A.1, A.2), which are not checked. The Cherokee capitals
// are upper case only since Unicode 8.0 and stay valid: UTS #46 maps the
// newer lower-case letters to them.
func disallowedRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
	case r == '\u200c' || r == '\u200d' || r >= '\u13a0' && r <= '\u13f5':
		return false
	}
	return unicode.In(r, unicode.Lu, unicode.Lt) || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S)
}

// Punycode parameters of IDNA, RFC 3492 §5. Integers beyond punyMax make
// the decoding fail, as with the 32-bit arithmetic of RFC 3492 §6.4.
const (
	punyBase        = 36
	punyTMin        = 1
	punyTMax        = 26
	punySkew        = 38
	punyDamp        = 700
	punyInitialBias = 72
	punyInitialN    = 128
	punyMax         = math.MaxInt32
)

// decodePunycode decodes the part of an A-label after "xn--" (RFC 3492
// §6.2) and reports whether it is valid Punycode.
func decodePunycode(s string) ([]rune, bool) {
	var out []rune
	// The basic code points come before the last delimiter, if anything
	// does; a leading delimiter is not one and fails as a digit below.
	if d := strings.LastIndexByte(s, '-'); d > 0 {
		for _, c := range []byte(s[:d]) {
			if c >= utf8.RuneSelf {
				return nil, false
			}
			out = append(out, rune(c))
		}
		s = s[d+1:]
	}
	n, i, bias := int64(punyInitialN), int64(0), int64(punyInitialBias)
	for s != "" {
		oldI := i
		var ok bool
		if i, s, ok = decodeDelta(s, i, bias); !ok {
			return nil, false
		}
		size := int64(len(out) + 1)
		bias = punyAdapt(i-oldI, size, oldI == 0)
		n += i / size
		i %= size
		if n > unicode.MaxRune {
			return nil, false
		}
		out = slices.Insert(out, int(i), rune(n))
		i++
	}
	return out, true
}

// decodeDelta reads one generalized variable-length integer (RFC 3492
// §3.3) from the front of s, adds it to i and returns the new i and the
// rest of s.
func decodeDelta(s string, i, bias int64) (int64, string, bool) {
	w := int64(1)
	for k := int64(punyBase); ; k += punyBase {
		if s == "" {
			return 0, "", false
		}
		digit, ok := punyDigit(s[0])
		if !ok {
			return 0, "", false
		}
		s = s[1:]
		if i += digit * w; i > punyMax {
			return 0, "", false
		}
		t := min(max(k-bias, punyTMin), punyTMax)
		if digit < t {
			return i, s, true
		}
		if w *= punyBase - t; w > punyMax {
			return 0, "", false
		}
	}
}

// punyDigit is the digit value of a Punycode character (RFC 3492 §5).
func punyDigit(c byte) (int64, bool) {
	switch {
	case c >= 'a' && c <= 'z':
		return int64(c - 'a'), true
	case c >= 'A' && c <= 'Z':
		return int64(c - 'A'), true
	case c >= '0' && c <= '9':
		return int64(c-'0') + 26, true
	}
	return 0, false
}

// punyAdapt is the bias adaptation function of RFC 3492 §6.1.
func punyAdapt(delta, numPoints int64, first bool) int64 {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := int64(0)
	for delta > (punyBase-punyTMin)*punyTMax/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + (punyBase-punyTMin+1)*delta/(delta+punySkew)
}
