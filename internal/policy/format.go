package policy

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Format returns the canonical text of the policy: version first, then
// mode, one mx line per pattern, max_age and the extensions, each line
// ended by CRLF as the prose of RFC 8461 §3.2 asks.
func (p *Policy) Format() string {
	var b strings.Builder
	line := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	line(keyVersion, "STSv1")
	line(keyMode, string(p.Mode))
	for _, mx := range p.MX {
		line(keyMX, mx)
	}
	line(keyMaxAge, strconv.FormatInt(p.MaxAge, 10))
	for _, e := range p.Extensions {
		line(e.Name, e.Value)
	}
	return b.String()
}

// Equal reports whether two policies mean the same to senders: the same
// mode, max_age, set of mx patterns (compared case-insensitively, in any
// order) and extensions. A change that Equal does not see needs no new id
// in the _mta-sts record; any change it does see needs one (RFC 8461 §3.1).
func Equal(a, b *Policy) bool {
	return a.Mode == b.Mode &&
		a.MaxAge == b.MaxAge &&
		slices.Equal(mxSet(a.MX), mxSet(b.MX)) &&
		slices.Equal(sortedExtensions(a.Extensions), sortedExtensions(b.Extensions))
}

// MXSet returns the policy's mx patterns lower-cased, sorted and without
// duplicates, the form in which two policies' mx lists are compared.
func (p *Policy) MXSet() []string { return mxSet(p.MX) }

func mxSet(mx []string) []string {
	set := make([]string, len(mx))
	for i, m := range mx {
		set[i] = strings.ToLower(m)
	}
	slices.Sort(set)
	return slices.Compact(set)
}

func sortedExtensions(ext []Extension) []Extension {
	s := slices.Clone(ext)
	slices.SortFunc(s, func(a, b Extension) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Value, b.Value))
	})
	return s
}
