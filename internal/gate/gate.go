// Package gate judges a change to one MTA-STS domain the way the
// pull-request gate does (DESIGN §1.5; reference §6.7 G1–G14): from the
// base and head revisions' static checks, the clean TLS-RPT window of the
// base policy and what is known of the live state, it decides whether the
// change is safe to merge.
//
// It enforces the operational rules of RFC 8461 that no single revision
// shows: a policy change needs a new _mta-sts id (§3.1), enforce needs
// evidence from testing mode (§5) and must cover the MX hosts (§4.1),
// publishing goes policy first (§8.1), and leaving MTA-STS goes through
// mode none (§8.3), because senders cache a policy for up to its max_age
// (§3.2). The head's own file errors are check.Lint's, not the gate's.
package gate

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/zone"
)

// Side is one revision of the repository for one domain.
type Side struct {
	// Static is check.Lint of that revision: Policy is nil when the policy
	// file is absent or invalid, Record is its _mta-sts record and TLSRPT
	// its _smtp._tls record.
	Static check.Static
	DNS    *zone.Declaration // nil when the repository declares no DNS
}

// Input is what the gate judges for one domain.
type Input struct {
	Domain     string
	Base, Head Side
	// Window is the clean window of the base policy; nil when no report
	// sources are configured.
	Window *tlsrpt.Window
	// LiveMX are the live MX hosts; nil when unknown (the head's declared
	// MX hosts are used then).
	LiveMX []string
	// LiveMode is the mode of the live policy; "" when unknown.
	LiveMode policy.Mode
	// Override is true when the override label is present.
	Override bool
}

// Result is the gate's verdict on one domain.
type Result struct {
	// Diags are the gate's findings, gate-override first when the label
	// lowered errors to warnings. They do not repeat the head's static
	// diagnostics.
	Diags diag.List
	// Overridden is true when the override label lowered at least one
	// error.
	Overridden bool
	// PolicyChanged is true when the policy changed in a way senders see
	// (mode, max_age, mx set, extensions), appeared or disappeared.
	PolicyChanged bool
	// IDChanged is true when both revisions declare an _mta-sts id and
	// the ids differ.
	IDChanged bool
	// Flip is true when the head enforces and the base did not.
	Flip bool
}

// Evaluate applies the gate's rules to one domain. A change that touches
// neither the policy, the _mta-sts record nor the declared MX hosts gets
// no findings.
func Evaluate(in Input) Result {
	c := newChange(in)
	res := Result{PolicyChanged: c.policyChanged, IDChanged: c.idChanged, Flip: c.flip}
	if !c.any() {
		return res
	}
	l := c.idRules()
	l = append(l, c.flipRules()...)
	l = append(l, c.coverageRules()...)
	l = append(l, c.removalRules()...)
	l = append(l, c.rollbackRules()...)
	if in.Override {
		l, res.Overridden = override(l)
	}
	res.Diags = l.ForDomain(in.Domain)
	return res
}

// override lowers the errors in l to warnings and, when there were any,
// puts a gate-override warning first (DESIGN §1.5: the summary says so
// first).
func override(l diag.List) (diag.List, bool) {
	n := 0
	for i := range l {
		if l[i].Severity == diag.Error {
			l[i].Severity = diag.Warning
			n++
		}
	}
	if n == 0 {
		return l, false
	}
	d := diag.New(diag.GateOverride,
		fmt.Sprintf("the override label is on the pull request, so %d gate failure(s) below are reported as warnings and do not fail the check; the mail-delivery risks they describe remain", n),
		"remove the label unless the risk is understood and accepted; it applies to every later push to the pull request")
	return append(diag.List{d}, l...), true
}
