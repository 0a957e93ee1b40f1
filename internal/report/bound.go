package report

import (
	"slices"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// Caps on the strings of a result, in bytes (DESIGN §1.11: strings from
// reports are capped). An organization name or MX host of megabytes
// would otherwise make every output as large; capped, an output grows
// with its rows and findings only. Messages and hints quote input in
// stsgate's own sentences and get more room; a file is a repository
// path, which an annotation needs whole.
const (
	maxFieldBytes   = 256
	maxMessageBytes = 1024
)

// bounded returns r with every string that may come from input cut to
// its cap, on a UTF-8 boundary and ending in "…". Every renderer starts
// with it. Lists are copied only when a string in them is cut, so that
// a window of many short rows costs no copy.
func bounded(r Result) Result {
	r.Diagnostics = boundedDiags(r.Diagnostics)
	r.Domains = slices.Clone(r.Domains)
	for i, d := range r.Domains {
		r.Domains[i] = boundedDomain(d)
	}
	return r
}

func boundedDiags(l diag.List) diag.List {
	return capEach(l, func(d diag.Diagnostic) diag.Diagnostic {
		d.Domain, d.Subject, d.Ref = field(d.Domain), field(d.Subject), field(d.Ref)
		d.File = markdown.Truncate(d.File, maxMessageBytes)
		d.Message = markdown.Truncate(d.Message, maxMessageBytes)
		d.Hint = markdown.Truncate(d.Hint, maxMessageBytes)
		return d
	})
}

func boundedDomain(d Domain) Domain {
	d.Domain, d.Mode, d.ID = field(d.Domain), field(d.Mode), field(d.ID)
	d.TLSRPT, d.MX = capEach(d.TLSRPT, field), capEach(d.MX, field)
	if d.Window != nil {
		w := *d.Window
		w.Reasons = capEach(w.Reasons, field)
		w.Failures = capEach(w.Failures, boundedFailure)
		w.Ignored = capEach(w.Ignored, boundedFailure)
		w.OtherPolicies = capEach(w.OtherPolicies, boundedFailure)
		d.Window = &w
	}
	return d
}

// boundedFailure caps the strings of a failure row: all come from
// reports, or for other policies' rows, the policy-string.
func boundedFailure(f tlsrpt.Failure) tlsrpt.Failure {
	if max(len(f.ResultType), len(f.Org), len(f.SendingIP), len(f.MX), len(f.Class), len(f.FirstDay), len(f.LastDay), len(f.Reason)) <= maxFieldBytes {
		return f // the common case, quickly
	}
	f.ResultType, f.Org, f.SendingIP, f.MX = field(f.ResultType), field(f.Org), field(f.SendingIP), field(f.MX)
	f.Class, f.FirstDay, f.LastDay, f.Reason = field(f.Class), field(f.FirstDay), field(f.LastDay), field(f.Reason)
	return f
}

func field(s string) string { return markdown.Truncate(s, maxFieldBytes) }

// capEach returns list with bound applied to every element, copying list
// only when bound changes an element.
func capEach[S ~[]T, T comparable](list S, bound func(T) T) S {
	for i, v := range list {
		if b := bound(v); b != v {
			out := slices.Clone(list)
			out[i] = b
			for j := i + 1; j < len(out); j++ {
				out[j] = bound(out[j])
			}
			return out
		}
	}
	return list
}
