// Package report renders the outcome of a run: plain text for terminals
// and logs, and the versioned JSON document of DESIGN §1.7 for scripts.
// It is the only place, with package cli, that writes user-facing output.
//
// Much of a result comes from input that anyone may have written:
// reports, served policies, files of a pull request (DESIGN §1.11).
// Every renderer therefore starts from bounded, which caps its strings,
// and escapes what it writes in its own way: text and log lines are
// plainLines, annotations escape as actions/toolkit does, JSON escapes
// with appendSafeJSON and markdown with package markdown. Nothing from
// input can start a line, be read as a workflow command or hide text.
package report

import (
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// SchemaVersion is the version of the JSON document. It changes only when
// a field changes meaning or disappears; new fields do not change it.
const SchemaVersion = 1

// Verdict is the outcome of a run.
type Verdict string

// The verdicts.
const (
	Pass  Verdict = "pass"  // nothing at or above fail_on
	Fail  Verdict = "fail"  // findings at or above fail_on
	Error Verdict = "error" // could not evaluate, or a usage error
)

// Result is everything a command has to say.
type Result struct {
	Verdict     Verdict
	Domains     []Domain
	Diagnostics diag.List
	// InlineWindow puts each domain's window fields directly into its
	// JSON entry, as stsgate reports does (DESIGN §1.7), instead of
	// under "window".
	InlineWindow bool
}

// Domain is the state of one policy domain as far as the command computed
// it. Empty fields are omitted from the JSON document.
type Domain struct {
	Domain string `json:"domain"`
	Mode   string `json:"mode,omitempty"`
	ID     string `json:"id,omitempty"`
	// TLSRPT lists the declared TLS-RPT destinations (rua).
	TLSRPT []string `json:"tls_rpt,omitempty"`
	// MX lists the policy's mx patterns.
	MX []string `json:"mx,omitempty"`
	// Window is the clean window computed from TLS-RPT reports.
	Window *tlsrpt.Window `json:"window,omitempty"`
}

// VerdictFor returns Fail when diags holds a finding at or above failOn,
// else Pass.
func VerdictFor(diags diag.List, failOn diag.Severity) Verdict {
	if diags.Max() >= failOn {
		return Fail
	}
	return Pass
}
