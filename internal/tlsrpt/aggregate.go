package tlsrpt

import (
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
)

// Options configure the clean window of DESIGN §1.4.
type Options struct {
	CleanDays     int       // N: clean days needed; default 14
	MinReportDays int       // covered days needed among the N; default ceil(N/2)
	MaxLagDays    int       // L: whole days the newest report may lag behind AsOf; 0 means the default 3
	AsOf          time.Time // T: the time the window is evaluated at
	KnownSenders  []Sender
	Ignore        []IgnoreRule
	// Limits bound the evidence kept; the aggregation uses
	// MaxFailureGroups. Zero fields take their defaults.
	Limits Limits
	// IgnoreUnsigned leaves out reports from mails without a DKIM pass
	// (Report.Auth AuthFail or AuthUnverified), as RFC 8460 §3 tells
	// receivers to; Diagnostics counts them.
	IgnoreUnsigned bool
}

func (o Options) withDefaults() Options {
	if o.CleanDays <= 0 {
		o.CleanDays = 14
	}
	if o.MinReportDays <= 0 {
		o.MinReportDays = (o.CleanDays + 1) / 2
	}
	if o.MaxLagDays <= 0 {
		o.MaxLagDays = 3
	}
	o.Limits = o.Limits.withDefaults()
	return o
}

// Aggregator folds reports into per-domain, per-utcDay evidence. Its memory
// is bounded by days × senders × failure kinds plus a 16-byte key per
// report for deduplication; it never keeps a report. It is safe for
// concurrent use; goroutines that add many reports each should add them
// through their own Shard, which does not take the aggregator's lock
// but to flush.
type Aggregator struct {
	opts     Options
	asOf     utcDay
	policies map[string][]string // domain -> mx set of the evaluated policy (nil: do not compare)
	all      bool                // aggregate every domain found

	keySeeds [2]maphash.Seed // of dedupKey, and of contentHash
	seen     seenKeys
	sources  sourceNames
	// prefer holds, on a recount, the content of the report to count
	// for each key that had conflicting reports (see Recount).
	prefer map[dedupKey]uint64

	mu    sync.Mutex
	tally tally // the reports added, and the shards flushed
	// unsigned counts the reports left out for IgnoreUnsigned.
	unsigned atomic.Int64
}

// tally is the evidence of some reports: the aggregator's, or a shard's
// until it is flushed.
type tally struct {
	domains    map[string]*domainAgg
	reports    int // distinct reports folded in
	unassigned int // policy entries without policy-domain (J6)
}

func newTally() tally { return tally{domains: map[string]*domainAgg{}} }

// NewAggregator returns an aggregator for the given domains, each mapped
// to the mx patterns of the policy being evaluated (nil or empty: entries
// are not compared by mx set). A nil map aggregates every domain found.
func NewAggregator(opts Options, domains map[string][]string) *Aggregator {
	opts = opts.withDefaults()
	a := &Aggregator{
		opts:     opts,
		asOf:     dayOf(opts.AsOf),
		policies: map[string][]string{},
		all:      domains == nil,
		keySeeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		tally:    newTally(),
	}
	for d, mx := range domains {
		a.policies[strings.ToLower(d)] = mxSet(mx)
	}
	return a
}

// Add folds one report in. It reports false for a duplicate (RFC 8460
// §4.4: organization-name and report-id identify a report; J22).
func (a *Aggregator) Add(r Report) bool {
	if a.leaveOut(&r) {
		return false
	}
	var sc scratch
	if !a.admit(&sc, a.dedupKey(r.Key), &r) {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fold(&a.tally, &r)
	return true
}

// dedupKey is what the aggregator keeps of a report's Key: two 64-bit
// hashes of it, with seeds drawn for each aggregator and never shown,
// so that reports cannot be made to collide on purpose; by accident,
// two of a million reports collide with a chance of about 10^-27.
type dedupKey [2]uint64

func (a *Aggregator) dedupKey(k string) dedupKey {
	return dedupKey{maphash.String(a.keySeeds[0], k), maphash.String(a.keySeeds[1], k)}
}

// seenKeys is the set of the keys of the reports added, with what was
// counted for each, in stripes with a lock each, so that the workers
// adding reports through their shards seldom wait for one another.
type seenKeys struct {
	stripes [16]struct {
		mu         sync.Mutex
		keys       map[dedupKey]keyInfo
		winners    map[dedupKey]keyInfo   // of the keys with conflicting reports
		losers     map[dedupKey][]keyInfo // the reports that lost to the winner
		conflicts  []Conflict             // made by Conflicts
		duplicates int
	}
}

// first records key with the report it was first seen with and reports
// whether it was new, and if not whether the report differs from it.
func (s *seenKeys) first(key dedupKey, info keyInfo) (first, differs bool) {
	st := &s.stripes[key[0]%uint64(len(s.stripes))]
	st.mu.Lock()
	defer st.mu.Unlock()
	if old, dup := st.keys[key]; dup {
		st.duplicates++
		return false, old.content != info.content
	}
	if st.keys == nil {
		st.keys = map[dedupKey]keyInfo{}
	}
	st.keys[key] = info
	return true, false
}

// dropped counts a report left out on a recount as a duplicate.
func (s *seenKeys) dropped(key dedupKey) {
	st := &s.stripes[key[0]%uint64(len(s.stripes))]
	st.mu.Lock()
	st.duplicates++
	st.mu.Unlock()
}

// duplicates returns the number of keys recorded again.
func (s *seenKeys) duplicates() int {
	n := 0
	for i := range s.stripes {
		st := &s.stripes[i]
		st.mu.Lock()
		n += st.duplicates
		st.mu.Unlock()
	}
	return n
}

// fold adds a new report's evidence to t (DESIGN §1.4). It reads only
// what NewAggregator set, so it needs a.mu only when t is a.tally.
func (a *Aggregator) fold(t *tally, r *Report) {
	t.reports++
	if r.Start.After(a.opts.AsOf) {
		return // DESIGN §1.4: entries starting after T are ignored
	}
	dayRange := spanOf(r.Start, r.End)
	var buf [4]*domainAgg
	counted := buf[:0] // domains the report counts for, each once
	for i := range r.Policies {
		p := &r.Policies[i]
		if p.Domain == "" {
			t.unassigned++
			continue
		}
		if !a.wants(p.Domain) {
			continue
		}
		d := t.domain(p.Domain, a.opts.Limits.MaxFailureGroups)
		if d.add(&a.opts, a.policies[p.Domain], r.Organization, p, dayRange, a.asOf) && !slices.Contains(counted, d) {
			counted = append(counted, d)
		}
	}
	for _, d := range counted {
		d.countReport(dayRange, a.asOf)
	}
}

func (a *Aggregator) wants(domain string) bool {
	_, ok := a.policies[domain]
	return ok || a.all
}

func (t *tally) domain(name string, maxGroups int) *domainAgg {
	d := t.domains[name]
	if d == nil {
		d = newDomainAgg(maxGroups)
		t.domains[name] = d
	}
	return d
}

// merge adds the evidence of o, which it takes over, to t.
func (t *tally) merge(o *tally) {
	t.reports += o.reports
	t.unassigned += o.unassigned
	for name, d := range o.domains {
		if t.domains[name] == nil {
			t.domains[name] = d // o is not used again
			continue
		}
		t.domains[name].merge(d)
	}
}

// Shard is the part of an Aggregator that one goroutine adds reports
// to: it deduplicates against the whole aggregator, but folds the
// evidence into its own tally without the aggregator's lock. Flush moves
// that evidence to the aggregator; Window, Domains and Counts see a
// shard's reports only once it is flushed. A Shard is not safe for
// concurrent use.
type Shard struct {
	a  *Aggregator
	t  tally
	sc scratch
}

// Shard returns a new, empty shard of a.
func (a *Aggregator) Shard() *Shard {
	return &Shard{a: a, t: newTally()}
}

// Add folds one report into the shard, like Aggregator.Add.
func (s *Shard) Add(r Report) bool {
	if s.a.leaveOut(&r) {
		return false
	}
	first := s.a.admit(&s.sc, s.a.dedupKey(r.Key), &r)
	if first {
		s.a.fold(&s.t, &r)
	}
	return first
}

// Flush adds the shard's evidence to its aggregator and empties the
// shard, which can then be used again.
func (s *Shard) Flush() {
	s.a.mu.Lock()
	defer s.a.mu.Unlock()
	s.a.tally.merge(&s.t)
	s.t = newTally()
}

// Domains returns the domains that have evidence, sorted; with a fixed
// domain list, those domains whether or not they have any.
func (a *Aggregator) Domains() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for d := range a.tally.domains {
		out = append(out, d)
	}
	for d := range a.policies {
		if a.tally.domains[d] == nil {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// Counts returns the number of distinct reports added, of duplicates
// dropped, and of policy entries without a policy-domain.
func (a *Aggregator) Counts() (reports, duplicates, unassigned int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tally.reports, a.seen.duplicates(), a.tally.unassigned
}

// mxSet returns the mx patterns lower-cased, sorted, without duplicates.
func mxSet(mx []string) []string {
	if len(mx) == 0 {
		return nil
	}
	set := make([]string, 0, len(mx))
	for _, m := range mx {
		set = append(set, strings.ToLower(strings.TrimSpace(m)))
	}
	slices.Sort(set)
	return slices.Compact(set)
}

// policyStringMX returns the mx set a policy-string names, or nil when it
// names none (an empty policy-string is no evidence against the policy).
func policyStringMX(lines []string) []string {
	var mx []string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "mx:"); ok {
			mx = append(mx, v)
		}
	}
	return mxSet(mx)
}

// Diagnostics returns what the aggregator has to say about the evidence
// it folded in: for each domain, sorted, whether a sum was held at its
// maximum, and whether failure groups beyond MaxFailureGroups went
// unlisted. Shards' evidence counts once they are flushed.
func (a *Aggregator) Diagnostics() diag.List {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out diag.List
	for _, name := range slices.Sorted(maps.Keys(a.tally.domains)) {
		d := a.tally.domains[name]
		if d.saturated {
			out = append(out, domainDiag(name, diag.New(diag.ReportCountSaturated,
				fmt.Sprintf("Session counts for %s add up to more than 2^63-1, the largest count there is; the sums are held there rather than wrapped around to negative numbers. No mail server sends that many sessions: some report is not genuine.", name),
				"Find the report with the huge counts (its day shows 9223372036854775807 sessions) and remove it from the report sources.")))
		}
		if d.unlisted > 0 {
			out = append(out, domainDiag(name, diag.New(diag.ReportGroupsCapped,
				fmt.Sprintf("The reports for %s hold more than %d failure groups (result type, reporter, sending IP, MX host); %d failures of further groups are not listed. Their sessions still count in their days' failed and blocking totals, and still make a day dirty: only the list of failures is incomplete.",
					name, a.opts.Limits.MaxFailureGroups, d.unlisted),
				"Check the reports for junk (many reporters, addresses or MX names that are not real) and remove it from the report sources.")))
		}
	}
	if d, ok := a.unsignedDiag(); ok {
		out = append(out, d)
	}
	return out
}

// leaveOut reports, and counts, a report that IgnoreUnsigned leaves out.
func (a *Aggregator) leaveOut(r *Report) bool {
	if !a.opts.IgnoreUnsigned || r.Auth != AuthFail && r.Auth != AuthUnverified {
		return false
	}
	a.unsigned.Add(1)
	return true
}

// unsignedDiag is the notice on the reports IgnoreUnsigned left out.
func (a *Aggregator) unsignedDiag() (diag.Diagnostic, bool) {
	n := a.unsigned.Load()
	if n == 0 {
		return diag.Diagnostic{}, false
	}
	return diag.New(diag.ReportUnsignedIgnored,
		fmt.Sprintf("%d report(s) from mails without a DKIM pass for their submitter are not counted (unsigned_reports: ignore), as RFC 8460 says; the days they alone cover show no reports", n),
		"If genuine reports are left out, check that your mail server records DKIM results in Authentication-Results, and list it in trusted_authserv_ids."), true
}

// domainDiag returns dg about domain.
func domainDiag(domain string, dg diag.Diagnostic) diag.Diagnostic {
	dg.Domain = domain
	return dg
}
