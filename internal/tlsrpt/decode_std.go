package tlsrpt

import (
	"encoding/json"
	"errors"
)

// stdDecoder decodes a report with encoding/json where fastParser gives
// up: on invalid JSON, a value of the wrong type, or a field given twice.
// It makes what json.Unmarshal into a reportWire makes (the same wire or
// the same error, which jsonError turns into a diagnostic), but keeps
// to the caps: json.Unmarshal would hold every element of the policies
// and failure-details arrays, tens of bytes of wire for each byte of
// "{}," in a hostile report. So it walks the report object, its policy
// entries and those two arrays itself, and hands every other value to
// json.Unmarshal, field by field, fixing up the error's offset and field
// path to what json.Unmarshal would have given for the whole report.
type stdDecoder struct {
	p           fastParser // walks the structure; the document is valid JSON
	caps        wireCaps
	detailsLeft int   // MaxReportDetails less the details kept
	err         error // the first error, in document order

	// What is beyond the caps is decoded into these, and dropped.
	scratchPolicy policyWire
	scratchDetail detailWire
}

// report decodes doc, one report object, into w, which must be zero.
func (d *stdDecoder) report(doc []byte, w *reportWire) error {
	if !json.Valid(doc) {
		// json.Unmarshal checks the syntax before it decodes anything:
		// its syntax error, whatever the target.
		return json.Unmarshal(doc, new(struct{}))
	}
	d.p = fastParser{doc: doc}
	d.detailsLeft, d.err = d.caps.reportDetails, nil
	defer func() { d.p.doc = nil }() // do not keep the caller's buffer
	if doc[0] != '{' {
		d.field(0, "", w)
		return d.err
	}
	d.members(0, func(key string, at int) {
		switch key {
		case "organization-name":
			d.field(at, key, &w.Organization)
		case "date-range":
			d.field(at, key, &w.DateRange)
		case "contact-info":
			d.field(at, key, &w.ContactInfo)
		case "report-id":
			d.field(at, key, &w.ReportID)
		case "policies":
			w.Policies, w.cutPolicies = d.policies(at, w.Policies)
		}
	})
	return d.err
}

// value returns the JSON value at doc[at:] and moves past it. (The
// scanner has checked that the report nests no deeper than maxNesting.)
func (d *stdDecoder) value(at int) []byte {
	d.p.i = at
	d.p.skip(0)
	return d.p.doc[at:d.p.i]
}

// members calls each with the key and the offset of the value of each
// member of the object at doc[at:], until an error is found.
func (d *stdDecoder) members(at int, each func(key string, at int)) {
	d.p.i = at + 1
	for first := true; d.err == nil; {
		key, done, _ := d.p.member(&first)
		if done {
			return
		}
		name := fieldName(key)
		d.p.next()
		start := d.p.i
		end := start + len(d.value(start))
		each(name, start)
		d.p.i = end
	}
}

// elements calls each with the index and offset of each element of the
// array at doc[at:], until an error is found, and returns the number of
// elements.
func (d *stdDecoder) elements(at int, each func(i, at int)) int {
	d.p.i = at + 1
	n := 0
	for first := true; d.err == nil; n++ {
		done, _ := d.p.element(&first)
		if done {
			break
		}
		d.p.next()
		start := d.p.i
		end := start + len(d.value(start))
		each(n, start)
		d.p.i = end
	}
	return n
}

// fieldName returns key if it is a field of the wire types, else "":
// keys are compared exactly (jsonScanner has hidden the keys that differ
// only in case), and a key that names no field is skipped.
func fieldName(key []byte) string {
	if knownField(string(key)) {
		return string(key)
	}
	return ""
}

// field decodes the value at doc[at:] into v with json.Unmarshal, and
// keeps its error, if it is the first, as json.Unmarshal would give it
// for the whole report: path is the value's dotted field path.
func (d *stdDecoder) field(at int, path string, v any) {
	err := json.Unmarshal(d.value(at), v)
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil || d.err != nil:
		return
	case errors.As(err, &typ):
		typ.Offset += int64(at)
		if typ.Field == "" {
			typ.Field = path
		} else if path != "" {
			typ.Field = path + "." + typ.Field
		}
	}
	d.err = err
}

// useElement returns s with element i (the next one) in use, the way
// encoding/json extends a slice: an element beyond the length but within
// the capacity is used as it is, with what an earlier list left there.
func useElement[T any](s []T, i int) []T {
	switch {
	case i < len(s):
		return s
	case i < cap(s):
		return s[:i+1]
	}
	var zero T
	return append(s, zero)
}

// settle ends the decoding of a list into s, of which kept elements were
// decoded out of n, the way encoding/json does: a shorter list truncates
// the slice, and an empty one makes it empty (not nil).
func settle[T any](s []T, kept, n int) []T {
	if n == 0 {
		return []T{}
	}
	return s[:min(len(s), kept)]
}

// policies decodes the policies array at doc[at:] into pols, keeping the
// first MaxPolicies entries; it returns them and the number of entries
// beyond.
func (d *stdDecoder) policies(at int, pols []policyWire) ([]policyWire, int) {
	switch d.p.doc[at] {
	case 'n':
		return nil, 0
	case '[':
	default:
		d.field(at, "policies", new([]policyWire))
		return pols, 0
	}
	n := d.elements(at, func(i, at int) {
		if i >= d.caps.policies {
			left := d.detailsLeft
			d.detailsLeft = 0 // nothing of it is kept
			d.scratchPolicy = policyWire{}
			d.policy(at, &d.scratchPolicy)
			d.detailsLeft = left
			return
		}
		pols = useElement(pols, i)
		d.policy(at, &pols[i])
	})
	kept := min(n, d.caps.policies)
	return settle(pols, kept, n), n - kept
}

// policy decodes the policy entry at doc[at:] into w.
func (d *stdDecoder) policy(at int, w *policyWire) {
	if d.p.doc[at] != '{' {
		d.field(at, "policies", w) // null, or encoding/json's error
		return
	}
	d.members(at, func(key string, at int) {
		switch key {
		case "policy":
			w.Policy.String.max, w.Policy.MXHost.max, w.Policy.MXHostPattern.max = d.caps.listItems, d.caps.listItems, d.caps.listItems
			d.field(at, "policies.policy", &w.Policy)
		case "summary":
			d.field(at, "policies.summary", &w.Summary)
		case "failure-details":
			d.details(at, w)
		}
	})
}

// details decodes the failure-details array at doc[at:] into w, keeping
// the first MaxDetails (while the report has kept fewer than
// MaxReportDetails) and summing up the rest in w.cut.
func (d *stdDecoder) details(at int, w *policyWire) {
	const path = "policies.failure-details"
	switch d.p.doc[at] {
	case 'n':
		w.Details, w.cut = nil, cutDetails{}
		return
	case '[':
	default:
		d.field(at, path, new([]detailWire))
		return
	}
	w.cut = cutDetails{}
	kept := 0
	n := d.elements(at, func(i, at int) {
		if i != kept || i >= d.caps.details || d.detailsLeft <= 0 {
			d.scratchDetail = detailWire{}
			d.field(at, path, &d.scratchDetail)
			w.cut.add(&d.scratchDetail)
			return
		}
		w.Details = useElement(w.Details, i)
		d.field(at, path, &w.Details[i])
		kept++
		d.detailsLeft--
	})
	w.Details = settle(w.Details, kept, n)
}
