package tlsrpt

import (
	"crypto/sha256"
	"slices"
	"strings"
	"sync"
	"time"
)

// Options configure the clean window of DESIGN §1.4.
type Options struct {
	CleanDays     int       // N: clean days needed; default 14
	MinReportDays int       // covered days needed among the N; default ceil(N/2)
	MaxLagDays    int       // L: whole days the newest report may lag behind AsOf; 0 means the default 3
	AsOf          time.Time // T: the time the window is evaluated at
	KnownSenders  []Sender
	Ignore        []IgnoreRule
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
	return o
}

// Aggregator folds reports into per-domain, per-utcDay evidence. Its memory
// is bounded by days × senders × failure kinds plus a 16-byte key per
// report for deduplication; it never keeps a report. It is safe for
// concurrent use.
type Aggregator struct {
	opts     Options
	asOf     utcDay
	policies map[string][]string // domain -> mx set of the evaluated policy (nil: do not compare)
	all      bool                // aggregate every domain found

	mu         sync.Mutex
	seen       map[[16]byte]struct{}
	domains    map[string]*domainAgg
	reports    int // distinct reports added
	duplicates int
	unassigned int // policy entries without policy-domain (J6)
}

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
		seen:     map[[16]byte]struct{}{},
		domains:  map[string]*domainAgg{},
	}
	for d, mx := range domains {
		a.policies[strings.ToLower(d)] = mxSet(mx)
	}
	return a
}

// Add folds one report in. It reports false for a duplicate (RFC 8460
// §4.4: organization-name and report-id identify a report; J22).
func (a *Aggregator) Add(r Report) bool {
	key := sha256.Sum256([]byte(r.Key))
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, dup := a.seen[[16]byte(key[:16])]; dup {
		a.duplicates++
		return false
	}
	a.seen[[16]byte(key[:16])] = struct{}{}
	a.reports++
	if r.Start.After(a.opts.AsOf) {
		return true // DESIGN §1.4: entries starting after T are ignored
	}
	dayRange := spanOf(r.Start, r.End)
	counted := map[string]bool{}
	for i := range r.Policies {
		p := &r.Policies[i]
		if p.Domain == "" {
			a.unassigned++
			continue
		}
		if !a.wants(p.Domain) {
			continue
		}
		if a.domain(p.Domain).add(&a.opts, a.policies[p.Domain], r.Organization, p, dayRange, a.asOf) {
			counted[p.Domain] = true
		}
	}
	for d := range counted {
		a.domains[d].countReport(dayRange, a.asOf)
	}
	return true
}

func (a *Aggregator) wants(domain string) bool {
	_, ok := a.policies[domain]
	return ok || a.all
}

func (a *Aggregator) domain(name string) *domainAgg {
	d := a.domains[name]
	if d == nil {
		d = newDomainAgg()
		a.domains[name] = d
	}
	return d
}

// Domains returns the domains that have evidence, sorted; with a fixed
// domain list, those domains whether or not they have any.
func (a *Aggregator) Domains() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for d := range a.domains {
		out = append(out, d)
	}
	for d := range a.policies {
		if a.domains[d] == nil {
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
	return a.reports, a.duplicates, a.unassigned
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
