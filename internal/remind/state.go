package remind

import (
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Kind is the situation of a domain; it decides whether an issue is wanted
// and what it says.
type Kind string

// The kinds, in the order classify tries them.
const (
	// KindUnknown: the live state could not be checked; nothing changes.
	KindUnknown Kind = "unknown"
	// KindDrift: the served policy or the published id differs from the
	// repository (DESIGN §1.3), including the ordering trap of RFC 8461
	// §8.1.
	KindDrift Kind = "drift"
	// KindTLSRPTMissing: no TLS-RPT record is published, so no reports
	// arrive and testing mode can never prove itself (RFC 8460 §3).
	KindTLSRPTMissing Kind = "tlsrpt-missing"
	// KindResolved: enforce mode, the live state equals the repository,
	// TLS-RPT published. An open issue is closed.
	KindResolved Kind = "resolved"
	// KindReady: testing for at least stale_days and the clean window is
	// clean: time to switch to enforce.
	KindReady Kind = "ready"
	// KindBlocked: testing for at least stale_days but the window is not
	// clean, or an MX host would fail under enforce: the failures need
	// triage.
	KindBlocked Kind = "blocked"
	// KindQuiet: nothing to do yet. No issue is opened; an existing one is
	// left as it is.
	KindQuiet Kind = "quiet"
)

// Wanted reports whether the kind wants an open issue.
func (k Kind) Wanted() bool {
	switch k {
	case KindDrift, KindTLSRPTMissing, KindReady, KindBlocked:
		return true
	}
	return false
}

// valid reports whether k is one of the kinds.
func (k Kind) valid() bool {
	switch k {
	case KindUnknown, KindDrift, KindTLSRPTMissing, KindResolved, KindReady, KindBlocked, KindQuiet:
		return true
	}
	return false
}

// Defaults of the settings in State (DESIGN §1.1).
const (
	DefaultStaleDays  = 30
	DefaultCleanDays  = 14
	DefaultSnoozeDays = 30
)

// State is what the checks found for one policy domain: plain data, so
// that the CLI can fill it from its own checks.
type State struct {
	Domain string

	// PolicyFile is the repository-relative path of the policy file.
	PolicyFile string
	// PolicyText is the policy file on the default branch, for the diff
	// of the switch to enforce; nil when there is none.
	PolicyText []byte
	// RepoMode is the mode of that policy; "" when there is no valid one.
	RepoMode policy.Mode
	// DNS is where the repository declares the _mta-sts record.
	DNS Declared

	// Unverified is set when a live lookup or fetch failed temporarily
	// (SERVFAIL, timeout): the live fields below are not to be trusted.
	Unverified bool
	// LivePolicyMatches reports that the policy host serves a policy equal
	// to the repository's (policy.Equal).
	LivePolicyMatches bool
	// LiveMode is the mode of the served policy; "" when none was served
	// or it did not parse.
	LiveMode policy.Mode
	// LivePolicyText is the policy the policy host serves, for the diff
	// of a drift; nil when none was served.
	LivePolicyText []byte
	// LiveID is the id of the published _mta-sts record; "" when none.
	LiveID string
	// TLSRPT reports that a valid _smtp._tls record is published.
	TLSRPT bool
	// MXFailures are the MX hosts that an SMTP probe found would fail
	// under enforce (RFC 8461 §4.2, §5.1), one line each, such as
	// "mx2.example.com: its certificate is for mail.other.example
	// (certificate-host-mismatch)"; nil when none failed or none were
	// probed.
	MXFailures []string

	// Window is the clean window of the domain; nil when no reports were
	// read.
	Window *tlsrpt.Window
	// TestingSince is when the repository's policy entered testing mode
	// (see TestingSince). When it is unknown and Options.History is set,
	// Sync reads it from the history, or from what an earlier run kept in
	// the issue.
	TestingSince Since
	// ReportDay is the oldest UTC day of a report that saw the testing
	// policy: testing-since when the history cannot be read; zero when
	// unknown.
	ReportDay time.Time
	// LastRepoCommit is the date of the newest commit on the default
	// branch; zero when unknown.
	LastRepoCommit time.Time
	// Public reports a public repository, whose scheduled workflows GitHub
	// disables after 60 days without activity.
	Public bool
	// history is what Sync learnt of TestingSince, kept in the issue.
	history *HistoryCache

	// Now is the time of the run.
	Now time.Time
	// StaleDays, CleanDays and SnoozeDays are the settings of the same
	// names; zero means the default. Sync sets SnoozeDays from Options.
	StaleDays, CleanDays, SnoozeDays int
}

// Declared is the _mta-sts record the repository declares (DESIGN §1.1).
type Declared struct {
	// File is the zone file or configuration file that declares the
	// record, repository-relative; "" when the repository declares no DNS.
	File string
	// Line is the record's 1-based line in File; 0 when unknown.
	Line int
	// LineText is that line as written, for an exact diff; "" shows the
	// record alone.
	LineText string
	// ID is the declared id.
	ID string
}

// SinceSource says where a testing-since date comes from.
type SinceSource string

// The sources of a testing-since date.
const (
	SinceCommits SinceSource = "commits" // the policy file's commit history
	SinceReports SinceSource = "reports" // the oldest report that saw the testing policy
)

// Since is when the repository's policy entered its current streak of
// testing mode.
type Since struct {
	Time   time.Time // zero when unknown
	Source SinceSource
	// AtLeast is set when the commit history was cut at its bound: the
	// policy has been in testing mode since Time or earlier.
	AtLeast bool
}

// Known reports whether the date is known.
func (s Since) Known() bool { return !s.Time.IsZero() }

// withDefaults fills in the settings left zero and normalises the domain.
func (s State) withDefaults() State {
	s.Domain = normalizeDomain(s.Domain)
	if s.StaleDays <= 0 {
		s.StaleDays = DefaultStaleDays
	}
	if s.CleanDays <= 0 {
		s.CleanDays = DefaultCleanDays
	}
	if s.SnoozeDays <= 0 {
		s.SnoozeDays = DefaultSnoozeDays
	}
	s.Now = s.Now.UTC()
	return s
}

// normalizeDomain lower-cases a domain and drops a final dot.
func normalizeDomain(d string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
}

// classify decides the kind of a domain. Drift comes first: until senders
// see what the repository says, no other advice holds. Mode none only
// cares about drift (the none policy must stay served for max_age, RFC
// 8461 §8.3).
func classify(s State) Kind {
	switch {
	case s.Unverified:
		return KindUnknown
	case s.RepoMode == "":
		return KindQuiet
	case drifted(s):
		return KindDrift
	case s.RepoMode == policy.ModeNone:
		return KindQuiet
	case !s.TLSRPT:
		return KindTLSRPTMissing
	case s.RepoMode == policy.ModeEnforce:
		return KindResolved
	case s.RepoMode == policy.ModeTesting && stale(s) && clean(s) && len(s.MXFailures) == 0:
		return KindReady
	case s.RepoMode == policy.ModeTesting && stale(s):
		return KindBlocked
	}
	return KindQuiet
}

// drifted reports a served policy or a published id that differs from the
// repository's.
func drifted(s State) bool {
	return !s.LivePolicyMatches || idDrift(s)
}

// idDrift reports a published id other than the declared one.
func idDrift(s State) bool {
	return s.DNS.ID != "" && s.LiveID != s.DNS.ID
}

// idBeforePolicy is the ordering trap (RFC 8461 §8.1): the declared id is
// published while the old policy is still served, so senders cache the
// old policy under the new id and never fetch again.
func idBeforePolicy(s State) bool {
	return !s.LivePolicyMatches && s.LiveID != "" && s.LiveID == s.DNS.ID
}

// stale reports testing mode for at least StaleDays.
func stale(s State) bool {
	return s.TestingSince.Known() && !s.Now.Before(staleAt(s))
}

// staleAt is when testing mode becomes stale.
func staleAt(s State) time.Time {
	return s.TestingSince.Time.UTC().Add(time.Duration(s.StaleDays) * 24 * time.Hour)
}

// clean reports a clean window (DESIGN §1.4 step 6).
func clean(s State) bool {
	return s.Window != nil && s.Window.Clean
}
