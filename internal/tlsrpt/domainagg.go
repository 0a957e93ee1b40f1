package tlsrpt

import (
	"net/netip"
	"slices"
	"strings"
)

// domainAgg is the evidence for one policy domain.
type domainAgg struct {
	days          map[utcDay]*dayAgg
	names         nameTable // of the keys of failures and ignored
	failures      failureSet
	ignored       failureSet
	otherPolicies map[string]*failureAgg // by mx set, entries not counted (J27)
	policyMX      lastMXSet
	saturated     bool // a sum was held at the int64 maximum (see sum)
	maxGroups     int  // MaxFailureGroups
	unlisted      int  // failures not listed for want of a group (see room)
}

// lastMXSet is policyStringMX of the last policy-string it was asked
// about: reporters send the same policy-string report after report.
type lastMXSet struct {
	lines, mx []string
	ok        bool
}

func (c *lastMXSet) of(lines []string) []string {
	if !c.ok || !slices.Equal(lines, c.lines) {
		// A copy: the caller owns lines.
		c.lines, c.mx, c.ok = append(c.lines[:0], lines...), policyStringMX(lines), true
	}
	return c.mx
}

type dayAgg struct {
	reports            int
	successful, failed int64
	blocking           int64
	covered, dirty     bool
}

type failureAgg struct {
	sessions    int64
	first, last utcDay
	class       failureClass
	rule        int32 // index+1 in Options.Ignore of the rule that removes it; 0: none
}

func newDomainAgg(maxGroups int) *domainAgg {
	return &domainAgg{
		maxGroups:     maxGroups,
		days:          map[utcDay]*dayAgg{},
		names:         newNameTable(),
		failures:      failureSet{},
		ignored:       failureSet{},
		otherPolicies: map[string]*failureAgg{},
	}
}

func (d *domainAgg) day(n utcDay) *dayAgg {
	a := d.days[n]
	if a == nil {
		a = &dayAgg{}
		d.days[n] = a
	}
	return a
}

// add folds in one policy entry and reports whether it counted for the
// window (DESIGN §1.4 steps 2–4).
func (d *domainAgg) add(o *Options, want []string, org string, p *PolicyResult, s dayRange, asOf utcDay) bool {
	switch p.Type {
	case "sts":
		if want != nil {
			if got := d.policyMX.of(p.PolicyString); got != nil && !slices.Equal(got, want) {
				d.other(strings.Join(got, " "), p, s)
				return false
			}
		}
		d.sessions(p, s, asOf)
		d.details(o, org, p, s, asOf, false)
		return true
	case "no-policy-found":
		// J8 and DESIGN §1.8: the sender did not see the policy, so its
		// sessions are no evidence for it; the utcDay is dirty.
		n := d.sum(p.Successful, p.Failed)
		if d.fail(o, failureKey{resultType: "no-policy-found", org: org}, classNoPolicy, n, s, asOf, p.Domain) {
			d.block(n, s, asOf)
		}
		return true
	case "tlsa":
		d.details(o, org, p, s, asOf, true) // DANE evidence only
	}
	return false
}

// sessions adds an sts entry's counts, spread over the days it covers.
func (d *domainAgg) sessions(p *PolicyResult, s dayRange, asOf utcDay) {
	n := int64(s.days())
	for i := s.first; i < s.end && i <= asOf; i++ {
		a := d.day(i)
		a.successful = d.sum(a.successful, share(p.Successful, n, int64(i-s.first)))
		a.failed = d.sum(a.failed, share(p.Failed, n, int64(i-s.first)))
		if p.Successful > 0 || p.Failed > 0 {
			a.covered = true
		}
	}
}

// share splits total over n days; the remainder goes to the first days.
func share(total, n, i int64) int64 {
	v := total / n
	if i < total%n {
		v++
	}
	return v
}

// details classifies an entry's failure details, and the failures its
// details do not explain (J11). The entry's blocking sessions are those
// of its blocking details, but never more than it failed: details may
// add up to more than the total (J10).
func (d *domainAgg) details(o *Options, org string, p *PolicyResult, s dayRange, asOf utcDay, dane bool) {
	var explained, blocking int64
	blocks := false
	for _, f := range p.Details {
		explained = d.sum(explained, f.Sessions)
		k := failureKey{resultType: f.ResultType, org: org, sendingIP: f.SendingIP, mx: f.ReceivingMX}
		class := o.classify(f.ResultType, org, f.SendingIP)
		if dane {
			class = classDANE
		}
		if d.fail(o, k, class, f.Sessions, s, asOf, p.Domain) {
			blocks, blocking = true, d.sum(blocking, f.Sessions)
		}
	}
	if rest := p.Failed - explained; rest > 0 && !dane {
		class := o.classify("", org, netip.Addr{})
		if d.fail(o, failureKey{org: org}, class, rest, s, asOf, p.Domain) {
			blocks, blocking = true, d.sum(blocking, rest)
		}
	}
	if blocks {
		d.block(min(blocking, p.Failed), s, asOf)
	}
}

// fail records a failure, unless an ignore rule removes it first, and
// reports whether it blocks.
func (d *domainAgg) fail(o *Options, k failureKey, class failureClass, sessions int64, s dayRange, asOf utcDay, domain string) bool {
	target := d.failures
	rule := o.ignoredBy(domain, k)
	if rule != 0 {
		target = d.ignored
	}
	f := failureAgg{sessions: sessions, first: s.first, last: min(s.end-1, asOf), class: class, rule: int32(rule)}
	blocks := rule == 0 && class.blocks()
	if d.full() {
		// Only groups listed already grow; a new one is not numbered,
		// so that its names take no memory either.
		if id, ok := d.names.known(k); ok && hasGroup(target, id) {
			target[id] = d.plus(target[id], &f)
		} else {
			d.unlisted++
		}
		return blocks
	}
	id := d.names.failureID(k)
	if old, ok := target[id]; ok {
		f = d.plus(old, &f)
	}
	target[id] = f
	return blocks
}

func hasGroup(set failureSet, id failureID) bool {
	_, ok := set[id]
	return ok
}

// full reports whether the domain lists MaxFailureGroups groups (RFC
// 8460 §7: hostile reports must not grow the evidence without bound).
// Failures of new groups are then counted in their days, as always,
// but not listed.
func (d *domainAgg) full() bool {
	return len(d.failures)+len(d.ignored)+len(d.otherPolicies) >= d.maxGroups
}

// room reports whether a new group may be listed, counting the failure
// as unlisted when not.
func (d *domainAgg) room() bool {
	if d.full() {
		d.unlisted++
		return false
	}
	return true
}

// block makes the days of s dirty, spreading sessions blocking failed
// sessions over them.
func (d *domainAgg) block(sessions int64, s dayRange, asOf utcDay) {
	n := int64(s.days())
	for i := s.first; i < s.end && i <= asOf; i++ {
		a := d.day(i)
		a.dirty = true
		a.blocking = d.sum(a.blocking, share(sessions, n, int64(i-s.first)))
	}
}

// other records an sts entry evaluated against a different policy.
func (d *domainAgg) other(mx string, p *PolicyResult, s dayRange) {
	f := d.otherPolicies[mx]
	if f == nil {
		if !d.room() {
			return
		}
		f = &failureAgg{first: s.first, last: s.end - 1}
		d.otherPolicies[mx] = f
	}
	f.sessions = d.sum(f.sessions, d.sum(p.Successful, p.Failed))
	f.first, f.last = min(f.first, s.first), max(f.last, s.end-1)
}

// countReport counts a report once on every utcDay it covers.
func (d *domainAgg) countReport(s dayRange, asOf utcDay) {
	for i := s.first; i < s.end && i <= asOf; i++ {
		d.day(i).reports++
	}
}

// merge adds the evidence of o, a domain's evidence from other reports.
// Sums add up and ranges widen; a failure's class is the weightier of
// the two (see plus), as when adding reports one by one.
func (d *domainAgg) merge(o *domainAgg) {
	for n, oa := range o.days {
		a := d.day(n)
		a.reports += oa.reports
		a.successful = d.sum(a.successful, oa.successful)
		a.failed = d.sum(a.failed, oa.failed)
		a.blocking = d.sum(a.blocking, oa.blocking)
		a.covered = a.covered || oa.covered
		a.dirty = a.dirty || oa.dirty
	}
	d.saturated = d.saturated || o.saturated
	d.unlisted += o.unlisted
	d.mergeFailures(d.failures, o, o.failures)
	d.mergeFailures(d.ignored, o, o.ignored)
	for mx, of := range o.otherPolicies {
		if f := d.otherPolicies[mx]; f != nil {
			*f = d.plus(*f, of)
		} else if d.room() {
			d.otherPolicies[mx] = of
		}
	}
}

// mergeFailures adds the failures from, numbered by o.names, to into.
func (d *domainAgg) mergeFailures(into failureSet, o *domainAgg, from failureSet) {
	names := d.names.renumber(&o.names)
	for id, f := range from {
		id.names = names[id.names]
		if old, ok := into[id]; ok {
			into[id] = d.plus(old, &f)
		} else if d.room() {
			into[id] = f
		}
	}
}

// plus returns f with the sessions and days of o added. Its class is
// the weightier of the two, whatever order they came in: one group can
// be reported under an sts and a tlsa entry, or as a no-policy-found
// entry and an sts detail of that result type, and sources are read in
// parallel. Its rule is the same for both (ignoredBy sees only the key
// and the domain).
func (d *domainAgg) plus(f failureAgg, o *failureAgg) failureAgg {
	f.sessions = d.sum(f.sessions, o.sessions)
	f.first, f.last = min(f.first, o.first), max(f.last, o.last)
	if o.class.outranks(f.class) {
		f.class = o.class
	}
	return f
}

// sum adds two session counts. RFC 8460 §4.4 allows counts up to
// 2^63-1, so two of them can overflow int64: the sum is then held at
// the maximum, never wrapped around to a negative count, and the
// domain remembers it for a warning.
func (d *domainAgg) sum(a, b int64) int64 {
	s, saturated := addSat(a, b)
	d.saturated = d.saturated || saturated
	return s
}
