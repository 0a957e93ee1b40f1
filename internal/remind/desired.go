package remind

import (
	"fmt"
	"time"

	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/policy"
)

// Issue is the issue wanted for one domain.
type Issue struct {
	Domain string
	Kind   Kind
	// Title and Body are the issue's content; both are empty for
	// KindQuiet and KindUnknown, which open nothing.
	Title string
	Body  string
	// State is the machine state written into Body.
	State Hidden
	// Change announces the kind in a comment when the issue enters it:
	// on a change of kind, a reopening or a closing.
	Change string
}

// Desired returns the issue wanted for s. prior is the hidden state of the
// domain's existing issue (the zero Hidden when there is none): while the
// kind stays the same, its since time and suggested id are kept, so that a
// rerun renders the same body. Desired is pure.
func Desired(s State, prior Hidden) Issue {
	s = s.withDefaults()
	kind := classify(s)
	want := Issue{Domain: s.Domain, Kind: kind}
	switch kind {
	case KindUnknown:
		return want
	case KindQuiet:
		want.Change = quietChange(s)
		return want
	}
	want.State = hiddenFor(s, kind, prior)
	r := renderer{s: s, kind: kind, h: want.State}
	want.Title = fitTitle(r.title())
	want.Body = fit(r.body(), maxBody)
	want.Change = fit(r.change(), maxBody)
	return want
}

// hiddenFor is the machine state for kind: the time the kind was entered
// and, where the steps need one, a suggested new id, both kept from prior
// while the kind is unchanged and the id unused.
func hiddenFor(s State, kind Kind, prior Hidden) Hidden {
	h := Hidden{Version: stateVersion, State: kind, Since: s.Now.Truncate(time.Second), History: s.history}
	same := prior.State == kind
	if same && !prior.Since.IsZero() {
		h.Since = prior.Since
	}
	if !needsNewID(s, kind) {
		return h
	}
	h.NewID = newIDAt(s.Now)
	if same && unusedID(s, prior.NewID) {
		h.NewID = prior.NewID
	}
	return h
}

// needsNewID reports whether the steps for kind suggest a new id: the
// switch to enforce, and drift where the id must change once more.
func needsNewID(s State, kind Kind) bool {
	switch kind {
	case KindReady, KindBlocked:
		return true
	case KindDrift:
		return idBeforePolicy(s) || !s.LivePolicyMatches && s.DNS.ID == ""
	}
	return false
}

// unusedID reports a valid id that is neither declared nor published, so
// it still works as the next id (RFC 8461 §3.1: a new id for every change).
func unusedID(s State, id string) bool {
	return validID(id) && id != s.DNS.ID && id != s.LiveID
}

// renderer writes the title, body and comment of one wanted issue.
type renderer struct {
	s    State
	kind Kind
	h    Hidden
}

// title is the issue title. It names the domain and the situation, never
// a count that changes daily, so that it stays the same across reruns.
func (r renderer) title() string {
	d := r.s.Domain
	switch r.kind {
	case KindReady:
		return fmt.Sprintf("MTA-STS: %s is ready to switch to enforce mode", d)
	case KindBlocked:
		if reportsStopped(r.s) {
			return fmt.Sprintf("MTA-STS: %s cannot leave testing mode: %s", d, stoppedTitle(r.s))
		}
		return fmt.Sprintf("MTA-STS: %s has been in testing mode for over %d days", d, r.s.StaleDays)
	case KindDrift:
		return "MTA-STS: " + d + " " + r.driftTitle()
	case KindTLSRPTMissing:
		return fmt.Sprintf("MTA-STS: %s publishes no TLS-RPT record", d)
	case KindResolved:
		return fmt.Sprintf("MTA-STS: %s enforces its policy", d)
	}
	return "MTA-STS: " + d
}

// driftTitle completes the title of a drift issue.
func (r renderer) driftTitle() string {
	switch {
	case idBeforePolicy(r.s):
		return "published its new id before its new policy"
	case !r.s.LivePolicyMatches:
		return "serves a policy that differs from the repository"
	case r.s.LiveID == "":
		return "publishes no _mta-sts record"
	}
	return "publishes an id that differs from the repository"
}

// change is the comment announcing the kind: the headline and the lead.
func (r renderer) change() string {
	return "**" + markdown.Text(r.title()) + "**\n\n" + r.lead()
}

// quietChange is the comment that closes a drift or TLS-RPT issue whose
// problem is gone while nothing else needs doing yet; "" without a policy,
// when nothing can be said to be fixed.
func quietChange(s State) string {
	if s.RepoMode == "" {
		return ""
	}
	r := renderer{s: s}
	fixed := "the policy host serves the repository's policy"
	if s.DNS.ID != "" {
		fixed += " and " + markdown.Code(r.stsName()) + " publishes the declared id"
	}
	if s.TLSRPT {
		fixed += "; " + markdown.Code(r.tlsrptName()) + " publishes a TLS-RPT record"
	}
	next := "stsgate opens an issue again when something needs doing."
	if s.RepoMode == policy.ModeTesting && s.TestingSince.Known() {
		next = fmt.Sprintf("The policy has been in `mode: testing` since %s; stsgate reminds you again if it still is on %s.",
			sinceText(s.TestingSince), day(staleAt(s)))
	}
	return "**Fixed:** " + fixed + ". Nothing else needs doing for now, so stsgate closes this issue. " + next
}
