package tlsrpt

import "unicode/utf8"

// This file holds what the caps on a report's parts (Limits) leave of
// them: strings cut short, lists cut, failure details summed up.

// cutDetails sums up the failure details of a policy entry beyond the
// caps (MaxDetails, MaxReportDetails): their sessions still count, and
// the result types that decide a failure's class on their own keep it
// (decisiveTypes); the others become failures without details.
type cutDetails struct {
	n         int
	byType    [len(decisiveTypes)]typeSum
	other     typeSum
	invalid   string // the first failed-session-count that is not a count
	saturated bool   // a sum was held at the int64 maximum
}

// typeSum is the sessions of some cut details.
type typeSum struct {
	seen bool
	n    int64
}

// add sums up a detail.
func (c *cutDetails) add(w *detailWire) {
	c.n++
	if c.invalid == "" {
		c.invalid = w.Sessions.invalid
	}
	s := &c.other
	if i := decisiveType(w.ResultType); i >= 0 {
		s = &c.byType[i]
	}
	var held bool
	s.seen = true
	s.n, held = addSat(s.n, w.Sessions.n)
	c.saturated = c.saturated || held
}

// entries returns the number of failure details fill makes.
func (c *cutDetails) entries() int {
	n := 0
	for _, s := range c.byType {
		if s.seen {
			n++
		}
	}
	if c.other.seen {
		n++
	}
	return n
}

// fill sets out (entries() long) to the summed-up details: one per
// decisive result type, then one without a result type for the others,
// which the aggregation treats as failures its details do not explain.
func (c *cutDetails) fill(out []FailureDetail) {
	i := 0
	for t, s := range c.byType {
		if s.seen {
			out[i] = FailureDetail{ResultType: decisiveTypes[t], Sessions: s.n}
			i++
		}
	}
	if c.other.seen {
		out[i] = FailureDetail{Sessions: c.other.n}
	}
}

// cutMark ends a string that was cut short.
const cutMark = "…"

// cutString returns s, or when it is longer than limit bytes, as much of
// it as fits in limit bytes with cutMark after it, cut before a UTF-8
// sequence.
func cutString(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	i := max(limit-len(cutMark), 0)
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + cutMark
}

// str returns s cut to MaxString, noting a cut for the report.
func (r reportDiags) str(s string) string {
	if len(s) <= r.d.lim.MaxString {
		return s
	}
	r.d.cuts[limitStrings] = true
	return cutString(s, r.d.lim.MaxString)
}

// list returns l's items, each cut to MaxString, noting what was cut.
func (r reportDiags) list(l *stringList) []string {
	if l.cut {
		r.d.cuts[limitLists] = true
	}
	for i, s := range l.v {
		l.v[i] = r.str(s)
	}
	return l.v
}

// policyString returns the policy-string of an entry, or nil when it
// was cut: a part of its mx lines would not be the policy the sender
// saw, and the entry would be compared with the policy by it.
func (r reportDiags) policyString(l *stringList) []string {
	for _, s := range l.v {
		if len(s) > r.d.lim.MaxString {
			r.d.cuts[limitStrings] = true
			return nil
		}
	}
	if l.cut {
		r.d.cuts[limitLists] = true
		return nil
	}
	return l.v
}

// reportCuts says once, for the report just normalised, which caps cut
// something of it.
func (d *Decoder) reportCuts(src string) {
	for k, cut := range d.cuts {
		if cut {
			d.limit(src, limitKind(k))
		}
	}
	d.cuts = [numLimits]bool{}
}
