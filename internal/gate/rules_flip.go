package gate

import (
	"fmt"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// flipRules applies the rules for a flip to enforce (reference §6.7
// G4–G9). RFC 8461 §5: under enforce, senders refuse MX hosts that fail
// validation; testing mode exists to show, through TLS-RPT, that none do.
func (c *change) flipRules() diag.List {
	if !c.flip {
		return nil
	}
	var l diag.List
	switch w := c.in.Window; {
	case w == nil:
		l.Add(c.atMode(diag.New(diag.GateReportsUnconfigured,
			"the policy flips to enforce, but no TLS-RPT report sources are configured, so nothing shows that senders reach your MX hosts over valid TLS; under enforce every such failure becomes undelivered mail",
			"list the domain's TLS-RPT reports (paths, globs or https:// URLs) under reports: in .github/stsgate.yml, and keep mode: testing until they are clean")))
	case !w.Clean:
		l.Add(c.atMode(unprovenFinding(w)))
	default:
		if d, ok := unrecognizedFinding(w); ok {
			l.Add(c.atMode(d))
		}
	}
	// RFC 8460 §3: without an _smtp._tls record senders send no reports,
	// so no window could ever be clean. Unknown without a DNS declaration;
	// the id finding asks for one.
	if c.in.Head.DNS != nil && c.in.Head.Static.TLSRPT == nil {
		l.Add(c.atMode(diag.New(diag.GateTLSRPTMissing,
			fmt.Sprintf("the policy flips to enforce, but the head declares no valid _smtp._tls.%s record; without it senders send no TLS-RPT reports, so failures under enforce go unseen", c.in.Head.DNS.Domain),
			`declare a TXT record "v=TLSRPTv1; rua=mailto:tlsrpt@<a domain you read>" at _smtp._tls, and keep mode: testing until its reports are clean`)))
	}
	return l
}

// unprovenFinding is G4–G8: the base policy's window is not clean.
func unprovenFinding(w *tlsrpt.Window) diag.Diagnostic {
	return diag.New(diag.GateEnforceUnproven,
		fmt.Sprintf("the policy flips to enforce, but the TLS-RPT reports for the testing policy are not clean (clean_streak %d of clean_days %d): %s; under enforce, senders refuse MX hosts that fail TLS checks, so failures that were only reported become undelivered mail",
			w.CleanStreak, w.Settings.CleanDays, windowReasons(w)),
		fmt.Sprintf("keep mode: testing until the reports show %d clean days in a row, fixing the failures they name; the override label accepts the risk", w.Settings.CleanDays))
}

// unrecognizedFinding is G6: the window is clean, but senders outside
// known_senders reported failures that did not count (DESIGN §1.4 step
// 3). They are usually the sender's own TLS stack; the flip passes with a
// warning that names them, and listing the sender in known_senders makes
// its failures block.
func unrecognizedFinding(w *tlsrpt.Window) (diag.Diagnostic, bool) {
	var groups []string
	var sessions int64
	for _, f := range w.Failures {
		if f.Blocking || f.Class != tlsrpt.ClassUnrecognized {
			continue
		}
		sessions += f.Sessions
		if len(groups) < 3 {
			groups = append(groups, fmt.Sprintf("%s from %s to %s", f.ResultType, orUnknown(f.Org, "an unnamed sender"), orUnknown(f.MX, "an unnamed MX host")))
		}
	}
	if sessions == 0 {
		return diag.Diagnostic{}, false
	}
	return diag.New(diag.GateUnrecognizedFailures,
		fmt.Sprintf("the window is clean, but senders not in known_senders reported %s that did not count (%s); under enforce such a sender defers its mail to you instead of delivering it without TLS", failedSessions(sessions), strings.Join(groups, "; ")),
		"check that the failures are the sender's own (an old TLS stack, a missing root); add the sender to known_senders to make its failures block, or an ignore rule with a reason to accept them"), true
}

// windowReasons explains the window's reasons, and names the first
// blocking failure as evidence.
func windowReasons(w *tlsrpt.Window) string {
	var parts []string
	for _, r := range w.Reasons {
		parts = append(parts, reasonText(r, w))
	}
	for _, f := range w.Failures {
		if f.Blocking {
			parts = append(parts, fmt.Sprintf("blocking failures such as %s reported by %s for %s on %s", f.ResultType, orUnknown(f.Org, "an unnamed sender"), orUnknown(f.MX, "an unnamed MX host"), f.LastDay))
			break
		}
	}
	if len(parts) == 0 {
		return "the window is not clean"
	}
	return strings.Join(parts, "; ")
}

func reasonText(reason string, w *tlsrpt.Window) string {
	return reason + ": " + w.Why(reason)
}

func orUnknown(s, unknown string) string {
	if s == "" {
		return unknown
	}
	return s
}

// failedSessions says "1 failed session" or "N failed sessions".
func failedSessions(n int64) string {
	if n == 1 {
		return "1 failed session"
	}
	return fmt.Sprintf("%d failed sessions", n)
}
