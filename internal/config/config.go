// Package config reads and validates stsgate's configuration file,
// .github/stsgate.yml (DESIGN.md §1.1).
//
// Parse walks the YAML node tree itself instead of decoding into structs,
// so that every problem carries a line and column and parsing goes on
// after a bad value: one run reports every unknown key, wrong type and bad
// value. Anchors, aliases and merge keys (<<) are resolved with a bound on
// the work they may cause.
//
// The package checks the configuration's own rules only. The inline DNS
// records of a domain (records:) are returned as positioned text for
// package zone, which applies RFC 8461 §3.1 and RFC 8460 §3 to them.
package config

import (
	"net/netip"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
)

// Defaults of DESIGN.md §1.1.
const (
	DefaultPolicy        = ".well-known/mta-sts.txt"
	DefaultCleanDays     = 14
	DefaultMaxReportLag  = 72 * time.Hour
	DefaultStaleDays     = 30
	DefaultSnoozeDays    = 30
	DefaultIssueLabel    = "mta-sts"
	DefaultOverrideLabel = "mta-sts-override"
	DefaultParallel      = 32
	DefaultDNSTimeout    = 5 * time.Second
	// DefaultFetchTimeout is the one minute RFC 8461 §3.3 suggests for a
	// whole policy fetch.
	DefaultFetchTimeout = 60 * time.Second
	// DefaultProbeMX probes the MX hosts except on GitHub-hosted runners,
	// which block port 25.
	DefaultProbeMX = ProbeAuto
	// The values of unsigned_reports.
	UnsignedCount  = "count"
	UnsignedIgnore = "ignore"
)

// ProbeMode is the setting probe_mx: whether check and gate probe the MX
// hosts over SMTP (DESIGN §1.12).
type ProbeMode string

// The values of probe_mx.
const (
	ProbeAuto ProbeMode = "auto" // on, except where RUNNER_ENVIRONMENT is github-hosted
	ProbeOn   ProbeMode = "on"
	ProbeOff  ProbeMode = "off"
)

// Limits on the input.
const (
	// MaxSize is the largest configuration file Parse reads.
	MaxSize = 1 << 20
	// maxAliasNodes bounds the nodes visited through aliases and merge
	// keys beyond the nodes of the file itself (alias expansion bombs).
	maxAliasNodes = 100_000
)

// Config is the decoded configuration.
type Config struct {
	File            string // the config file's name; "" when built from defaults
	Domains         []Domain
	ReportsTokenEnv string        // environment variable holding a bearer token for https report URLs
	IMAPPasswordEnv string        // environment variable holding the password of imaps:// report sources
	IMAPTokenEnv    string        // environment variable holding an OAuth2 access token for them
	CleanDays       int           // default 14, 1..365
	MinReportDays   int           // default ceil(CleanDays/2), 1..CleanDays
	MaxReportLag    time.Duration // default 72h, up to 365 days
	StaleDays       int           // default 30, 1..365
	SnoozeDays      int           // default 30, 1..365
	KnownSenders    []Sender
	Ignore          []IgnoreRule
	IssueLabel      string        // default "mta-sts"
	OverrideLabel   string        // default "mta-sts-override"
	Parallel        int           // default 32, 1..256
	DNSTimeout      time.Duration // default 5s, up to 10m
	FetchTimeout    time.Duration // default 60s, up to 10m
	ProbeMX         ProbeMode     // default auto
	ProbeEHLOName   string        // the name the MX probe sends in EHLO; "" = its address literal
	// UnsignedReports says what a report mail without a DKIM pass does
	// to the window: "count" (the default, with a warning) or "ignore"
	// (RFC 8460 §3).
	UnsignedReports string
	// TrustedAuthServIDs are the servers whose Authentication-Results
	// headers say whether a report mail's DKIM signature passed; empty =
	// the topmost header's, which the receiving server wrote.
	TrustedAuthServIDs []string
}

// Domain is one entry of domains:.
type Domain struct {
	Name    string   // lower-case A-label, no trailing dot
	Pos     diag.Pos // of the domain value
	Policy  string   // repository path of the policy file; default ".well-known/mta-sts.txt"
	Zone    string   // repository path of a BIND zone file; "" when not given
	Records *Records // nil when not given
	Reports []string // local paths, globs, https:// URLs and imaps:// (or imap://) mailboxes
}

// Records is an inline DNS declaration. package zone validates the texts.
type Records struct {
	MTASTS *Value // text of the _mta-sts TXT record; nil when the key is absent
	TLSRPT *Value // text of the _smtp._tls TXT record; nil when the key is absent
	MX     []Value
}

// Value is a scalar with its position.
type Value struct {
	Text string
	// Pos is the position of the first byte of Text in the file: after the
	// quote of a quoted scalar, at the indicator of a block scalar.
	Pos diag.Pos
	// Exact is true when byte offsets inside Text map to columns from Pos:
	// a single-line scalar, plain or quoted without escapes.
	Exact bool
}

// Sender is an entry of known_senders: an organization name or a network.
// An IP address is stored as a /32 or /128 prefix.
type Sender struct {
	Org    string
	Prefix netip.Prefix
	Pos    diag.Pos
}

// IgnoreRule is an entry of ignore:. A failure matches when it matches
// every matcher given (ResultType, Org, MX, Domain, Prefix); Reason is
// mandatory and shown in the summary.
type IgnoreRule struct {
	ResultType string
	Org        string
	MX         string // receiving MX host name, lower-case, no trailing dot
	Domain     string // policy domain, lower-case, no trailing dot
	Prefix     netip.Prefix
	Reason     string
	Pos        diag.Pos
}

// Default returns the configuration that applies when there is no file.
func Default() Config {
	return Config{
		CleanDays:       DefaultCleanDays,
		MinReportDays:   minReportDays(DefaultCleanDays),
		MaxReportLag:    DefaultMaxReportLag,
		StaleDays:       DefaultStaleDays,
		SnoozeDays:      DefaultSnoozeDays,
		IssueLabel:      DefaultIssueLabel,
		OverrideLabel:   DefaultOverrideLabel,
		Parallel:        DefaultParallel,
		DNSTimeout:      DefaultDNSTimeout,
		FetchTimeout:    DefaultFetchTimeout,
		ProbeMX:         DefaultProbeMX,
		UnsignedReports: UnsignedCount,
	}
}

// minReportDays is the default min_report_days: ceil(cleanDays/2).
func minReportDays(cleanDays int) int { return (cleanDays + 1) / 2 }

// Domain returns the entry for name (case-insensitive, trailing dot
// ignored) or false.
func (c Config) Domain(name string) (Domain, bool) {
	name = strings.TrimSuffix(name, ".")
	for _, d := range c.Domains {
		if strings.EqualFold(d.Name, name) {
			return d, true
		}
	}
	return Domain{}, false
}
