package tlsrpt

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Reasons a window is not clean (DESIGN §1.4 step 6).
const (
	ReasonNoReports    = "no-reports"
	ReasonStreakShort  = "streak-short"
	ReasonReportsStale = "reports-stale"
	ReasonCoverageLow  = "coverage-low"
)

// Why explains one of w.Reasons in words, with the numbers behind it, for
// every place that shows a verdict: the text report, the job summary, the
// gate's finding and the reminder issue.
func (w *Window) Why(reason string) string {
	s := w.Settings
	switch reason {
	case ReasonNoReports:
		return "no TLS-RPT report covers the domain"
	case ReasonStreakShort:
		return fmt.Sprintf("%d clean days in a row, %d needed", w.CleanStreak, s.CleanDays)
	case ReasonReportsStale:
		return fmt.Sprintf("the newest report is for %s, more than %d days before %s", w.LastDay, s.MaxLagDays, s.AsOf)
	case ReasonCoverageLow:
		return fmt.Sprintf("%d of the last %d days have reports, %d needed", w.CoveredDays, s.CleanDays, s.MinReportDays)
	}
	return reason
}

// Day statuses.
const (
	DayClean     = "clean"
	DayDirty     = "dirty"
	DayUncovered = "uncovered"
)

// Window is the clean-window verdict for one domain, in the shape of the
// JSON document of DESIGN §1.7.
type Window struct {
	Domain        string     `json:"-"`
	Clean         bool       `json:"clean"`
	CleanStreak   int        `json:"clean_streak"`
	LastDay       string     `json:"last_day,omitempty"`
	CoveredDays   int        `json:"covered_days"`
	Reasons       []string   `json:"reasons"`
	Days          []Day      `json:"days"`
	Failures      []Failure  `json:"failures"`
	Ignored       []Failure  `json:"ignored"`
	OtherPolicies []Failure  `json:"other_policies,omitempty"`
	Settings      WindowArgs `json:"-"`
}

// WindowArgs are the settings a window was computed with.
type WindowArgs struct {
	CleanDays, MinReportDays, MaxLagDays int
	AsOf                                 string
}

// Day is one UTC utcDay of the window.
type Day struct {
	Date       string `json:"date"`
	Reports    int    `json:"reports"`
	Successful int64  `json:"successful"`
	Failed     int64  `json:"failed"`
	Blocking   int64  `json:"blocking"`
	Status     string `json:"status"`
}

// Failure is a group of failed sessions: one result type from one sender
// to one MX host.
type Failure struct {
	ResultType string `json:"result_type"`
	Org        string `json:"org"`
	SendingIP  string `json:"sending_ip,omitempty"`
	MX         string `json:"mx,omitempty"`
	Sessions   int64  `json:"sessions"`
	Class      string `json:"class"`
	Blocking   bool   `json:"blocking"`
	FirstDay   string `json:"first_day"`
	LastDay    string `json:"last_day"`
	Reason     string `json:"reason,omitempty"` // why it is ignored; for other policies, their mx set
}

// Window computes the clean window of domain (DESIGN §1.4 steps 5 and 6).
func (a *Aggregator) Window(domain string) Window {
	a.mu.Lock()
	defer a.mu.Unlock()
	o := a.opts
	w := Window{Domain: domain, Reasons: []string{}, Failures: []Failure{}, Ignored: []Failure{},
		Settings: WindowArgs{o.CleanDays, o.MinReportDays, o.MaxLagDays, a.asOf.String()}}
	d := a.tally.domains[domain]
	if d == nil {
		d = newDomainAgg(0)
	}
	last, ok := d.lastDay()
	// The days shown: the clean_days + max_report_lag days ending at the
	// as-of date, or, when the evidence is older than that, the
	// clean_days days ending at the newest evidence.
	from, to := a.asOf-utcDay(o.CleanDays+o.MaxLagDays)+1, a.asOf
	if ok && last < from {
		from, to = last-utcDay(o.CleanDays)+1, last
	}
	w.Days = d.dayList(from, to)
	w.Failures = d.failureRows(d.failures, &o, false)
	w.Ignored = d.failureRows(d.ignored, &o, true)
	w.OtherPolicies = otherPolicies(d.otherPolicies)
	if !ok {
		w.Reasons = append(w.Reasons, ReasonNoReports)
		return w
	}
	w.LastDay = last.String()
	w.CleanStreak = d.streak(last)
	w.CoveredDays = d.covered(last-utcDay(o.CleanDays)+1, last)
	if w.CleanStreak < o.CleanDays {
		w.Reasons = append(w.Reasons, ReasonStreakShort)
	}
	if int(a.asOf-last) > o.MaxLagDays {
		w.Reasons = append(w.Reasons, ReasonReportsStale)
	}
	if w.CoveredDays < o.MinReportDays {
		w.Reasons = append(w.Reasons, ReasonCoverageLow)
	}
	w.Clean = len(w.Reasons) == 0
	return w
}

// lastDay is the newest utcDay with a counted entry, covered or dirty.
func (d *domainAgg) lastDay() (utcDay, bool) {
	var last utcDay
	found := false
	for n, a := range d.days {
		if (a.covered || a.dirty) && (!found || n > last) {
			last, found = n, true
		}
	}
	return last, found
}

// streak counts the days from the utcDay after the newest dirty utcDay, or
// from the first covered utcDay when none is dirty, through last.
func (d *domainAgg) streak(last utcDay) int {
	var newestDirty, firstCovered utcDay
	var dirty, covered bool
	for n, a := range d.days {
		if n > last {
			continue
		}
		if a.dirty && (!dirty || n > newestDirty) {
			newestDirty, dirty = n, true
		}
		if a.covered && (!covered || n < firstCovered) {
			firstCovered, covered = n, true
		}
	}
	switch {
	case dirty:
		return max(int(last-newestDirty), 0)
	case covered:
		return int(last-firstCovered) + 1
	}
	return 0
}

// covered counts the covered days in [from, to].
func (d *domainAgg) covered(from, to utcDay) int {
	n := 0
	for i := from; i <= to; i++ {
		if a := d.days[i]; a != nil && a.covered {
			n++
		}
	}
	return n
}

// dayList returns the days [from, to] with their status.
func (d *domainAgg) dayList(from, to utcDay) []Day {
	out := make([]Day, 0, max(int(to-from+1), 0))
	for i := from; i <= to; i++ {
		row := Day{Date: i.String(), Status: DayUncovered}
		if a := d.days[i]; a != nil {
			row.Reports, row.Successful, row.Failed, row.Blocking = a.reports, a.successful, a.failed, a.blocking
			switch {
			case a.dirty:
				row.Status = DayDirty
			case a.covered:
				row.Status = DayClean
			}
		}
		out = append(out, row)
	}
	return out
}

// failureRows lists the failures of set, blocking ones first, then by
// sessions.
func (d *domainAgg) failureRows(set failureSet, o *Options, ignored bool) []Failure {
	rows := make([]Failure, 0, len(set))
	var days dayNames
	for id, f := range set {
		k := d.names.key(id)
		row := Failure{
			ResultType: k.resultType, Org: k.org, MX: k.mx, Sessions: f.sessions, Class: f.class.String(),
			Blocking: !ignored && f.class.blocks(), FirstDay: days.name(f.first), LastDay: days.name(f.last),
		}
		if f.rule != 0 {
			row.Reason = o.Ignore[f.rule-1].Reason
		}
		if row.ResultType == "" {
			row.ResultType = "unexplained"
		}
		if k.sendingIP.IsValid() {
			row.SendingIP = k.sendingIP.String()
		}
		rows = append(rows, row)
	}
	// Sorting indices moves 4 bytes where sorting rows would move a
	// whole row; the rows are then moved once each, in place.
	order := make([]int32, len(rows))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return compareFailures(&rows[a], &rows[b]) })
	permute(rows, order)
	return rows
}

// permute puts rows[order[i]] at rows[i], following each cycle of the
// permutation; order is used up.
func permute(rows []Failure, order []int32) {
	for start := range order {
		if order[start] < 0 {
			continue
		}
		first := rows[start]
		i := start
		for int(order[i]) != start {
			next := int(order[i])
			rows[i], order[i] = rows[next], -1
			i = next
		}
		rows[i], order[i] = first, -1
	}
}

// compareFailures orders failures blocking first, then by sessions
// (most first), result type, org, sending IP and MX.
func compareFailures(a, b *Failure) int {
	if c := boolOrder(b.Blocking, a.Blocking); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Sessions, a.Sessions); c != 0 {
		return c
	}
	if c := strings.Compare(a.ResultType, b.ResultType); c != 0 {
		return c
	}
	if c := strings.Compare(a.Org, b.Org); c != 0 {
		return c
	}
	if c := strings.Compare(a.SendingIP, b.SendingIP); c != 0 {
		return c
	}
	return strings.Compare(a.MX, b.MX)
}

// dayNames formats days, each once: a window lists tens of thousands of
// failures, over a few dozen days.
type dayNames map[utcDay]string

func (n *dayNames) name(d utcDay) string {
	if *n == nil {
		*n = dayNames{}
	}
	s, ok := (*n)[d]
	if !ok {
		s = d.String()
		(*n)[d] = s
	}
	return s
}

func otherPolicies(m map[string]*failureAgg) []Failure {
	var out []Failure
	for mx, f := range m {
		out = append(out, Failure{ResultType: "other-policy", Sessions: f.sessions, Class: "other-policy",
			FirstDay: f.first.String(), LastDay: f.last.String(), Reason: "policy-string names mx " + mx})
	}
	slices.SortFunc(out, func(a, b Failure) int { return cmp.Compare(a.Reason, b.Reason) })
	return out
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
