package tlsrpt

// This file maps the JSON of RFC 8460 §4.4 onto the wire types, the
// way encoding/json does with their field tags (see fastParser): a
// string field takes a string and ignores null; an object field takes
// an object and ignores null; a list takes an array (an empty one gives
// an empty, non-nil slice) and null leaves it nil; count, text and
// stringList take what their UnmarshalJSON methods take. Unknown keys
// are skipped. A value of another type, or a known key given twice in
// one object, makes the parser give up.

// report decodes doc, one report object cut out by jsonScanner, into
// w, which must be zero. pols is a slice whose backing array may be
// reused for w.Policies.
func (p *fastParser) report(doc []byte, w *reportWire, pols []policyWire) bool {
	end, ok := p.object(doc, w, pols, false)
	for ok && end < len(doc) {
		switch doc[end] {
		case ' ', '\t', '\r', '\n':
			end++
		default:
			ok = false
		}
	}
	return ok
}

// prefix decodes the report object at the start of buf, the part of the
// stream read so far, before jsonScanner has cut it out, and returns
// its length. It gives up where the object runs past buf, and where a
// lenient field would keep the text of an object or array: jsonScanner
// changes case variants of field names in that text (checkKey).
func (p *fastParser) prefix(buf []byte, w *reportWire, pols []policyWire) (int, bool) {
	return p.object(buf, w, pols, true)
}

// object decodes the report object at doc[0] and returns where it ends.
func (p *fastParser) object(doc []byte, w *reportWire, pols []policyWire, uncut bool) (int, bool) {
	p.doc, p.i, p.uncut = doc, 0, uncut
	p.detailsLeft = p.caps.reportDetails
	ok := len(doc) > 0 && doc[0] == '{' && p.reportObject(w, pols)
	p.doc = nil // do not keep the caller's buffer
	if cap(p.esc) > maxKeptEscaped {
		p.esc = nil
	}
	if cap(p.list) > maxReused {
		p.list = nil
	}
	return p.i, ok
}

// maxKeptEscaped bounds the buffer for unescaped strings kept between
// reports.
const maxKeptEscaped = 4 << 10

// fields records which known fields an object has had, to give up on a
// duplicate: encoding/json would merge the two values.
type fields uint16

// once marks field f and reports whether it was not seen before.
func (s *fields) once(f uint) bool {
	if *s&(1<<f) != 0 {
		return false
	}
	*s |= 1 << f
	return true
}

func (p *fastParser) reportObject(w *reportWire, pols []policyWire) bool {
	p.i++
	var seen fields
	for first := true; ; {
		key, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		switch string(key) {
		case "organization-name":
			ok = seen.once(0) && p.stringField(&w.Organization)
		case "date-range":
			ok = seen.once(1) && p.objectField(func() bool { return p.dateRange(&w.DateRange) })
		case "contact-info":
			ok = seen.once(2) && p.stringField(&w.ContactInfo)
		case "report-id":
			ok = seen.once(3) && p.uniqueField(&w.ReportID)
		case "policies":
			ok = seen.once(4) && p.policies(w, pols)
		default:
			ok = p.skip(1)
		}
		if !ok {
			return false
		}
	}
}

func (p *fastParser) dateRange(w *dateRangeWire) bool {
	p.i++
	var seen fields
	for first := true; ; {
		key, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		switch string(key) {
		case "start-datetime":
			ok = seen.once(0) && p.stringField(&w.Start)
		case "end-datetime":
			ok = seen.once(1) && p.stringField(&w.End)
		default:
			ok = p.skip(2)
		}
		if !ok {
			return false
		}
	}
}

// policies decodes the policies array into w, reusing the backing
// array of pols and of the failure-details slices of its elements. The
// entries beyond MaxPolicies are read but not kept.
func (p *fastParser) policies(w *reportWire, pols []policyWire) bool {
	switch p.next() {
	case 'n':
		return p.null() // w.Policies is nil already
	case '[':
	default:
		return false
	}
	p.i++
	pols = pols[:0]
	if pols == nil {
		pols = []policyWire{} // "[]" is an empty list, not a missing one
	}
	for first := true; ; {
		done, ok := p.element(&first)
		if !ok {
			return false
		}
		if done {
			w.Policies = pols
			return true
		}
		if len(pols) >= p.caps.policies {
			w.cutPolicies++
			if !p.objectField(p.cutPolicy) {
				return false
			}
			continue
		}
		var details []detailWire
		pols, details = nextPolicy(pols)
		pw := &pols[len(pols)-1]
		if !p.objectField(func() bool { return p.policy(pw, details) }) {
			return false
		}
	}
}

// nextPolicy returns pols with one more, zero, entry, and the backing
// array of the failure details of the entry that was there before.
func nextPolicy(pols []policyWire) ([]policyWire, []detailWire) {
	if len(pols) == cap(pols) {
		return append(pols, policyWire{}), nil
	}
	pols = pols[:len(pols)+1]
	details := reusable(pols[len(pols)-1].Details)
	pols[len(pols)-1] = policyWire{}
	return pols, details
}

// cutPolicy reads a policy entry beyond MaxPolicies into the scratch
// entry, keeping none of its details or lists.
func (p *fastParser) cutPolicy() bool {
	left, discard := p.detailsLeft, p.discard
	p.detailsLeft, p.discard = 0, true
	p.scratchPolicy = policyWire{}
	ok := p.policy(&p.scratchPolicy, nil)
	p.detailsLeft, p.discard = left, discard
	if p.spare == nil {
		p.spare = reusable(p.scratchPolicy.Details) // details took it
	}
	return ok
}

func (p *fastParser) policy(w *policyWire, details []detailWire) bool {
	p.i++
	var seen fields
	for first := true; ; {
		key, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		switch string(key) {
		case "policy":
			ok = seen.once(0) && p.objectField(func() bool { return p.policyDesc(&w.Policy) })
		case "summary":
			ok = seen.once(1) && p.objectField(func() bool { return p.summary(&w.Summary) })
		case "failure-details":
			ok = seen.once(2) && p.details(w, details)
		default:
			ok = p.skip(3)
		}
		if !ok {
			return false
		}
	}
}

func (p *fastParser) policyDesc(w *policyDescWire) bool {
	p.i++
	var seen fields
	for first := true; ; {
		key, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		switch string(key) {
		case "policy-type":
			ok = seen.once(0) && p.stringField(&w.Type)
		case "policy-string":
			ok = seen.once(1) && p.listField(&w.String)
		case "policy-domain":
			ok = seen.once(2) && p.stringField(&w.Domain)
		case "mx-host":
			ok = seen.once(3) && p.listField(&w.MXHost)
		case "mx-host-pattern":
			ok = seen.once(4) && p.listField(&w.MXHostPattern)
		default:
			ok = p.skip(4)
		}
		if !ok {
			return false
		}
	}
}

func (p *fastParser) summary(w *summaryWire) bool {
	p.i++
	var seen fields
	for first := true; ; {
		key, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		switch string(key) {
		case "total-successful-session-count":
			ok = seen.once(0) && p.countField(&w.Successful, 4)
		case "total-failure-session-count":
			ok = seen.once(1) && p.countField(&w.Failed, 4)
		default:
			ok = p.skip(4)
		}
		if !ok {
			return false
		}
	}
}

// details decodes a failure-details array into w, in the backing array
// of buf. The details beyond MaxDetails, or beyond MaxReportDetails for
// the report, are read and summed up in w.cut.
func (p *fastParser) details(w *policyWire, buf []detailWire) bool {
	if buf == nil {
		buf, p.spare = p.spare, nil
	}
	switch p.next() {
	case 'n':
		p.spare = buf // null leaves w.Details nil: keep buf for the next list
		return p.null()
	case '[':
	default:
		return false
	}
	p.i++
	buf = buf[:0]
	if buf == nil {
		buf = []detailWire{}
	}
	for first := true; ; {
		done, ok := p.element(&first)
		if !ok {
			return false
		}
		if done {
			w.Details = buf
			return true
		}
		if len(buf) >= p.caps.details || p.detailsLeft <= 0 {
			if !p.cutDetail(&w.cut) {
				return false
			}
			continue
		}
		p.detailsLeft--
		buf = append(buf, detailWire{})
		d := &buf[len(buf)-1]
		if !p.objectField(func() bool { return p.detail(d) }) {
			return false
		}
	}
}

// cutDetail reads a failure detail beyond the caps and sums it up in
// cut.
func (p *fastParser) cutDetail(cut *cutDetails) bool {
	d := &p.scratchDetail
	*d = detailWire{}
	if !p.objectField(func() bool { return p.detail(d) }) {
		return false
	}
	cut.add(d)
	return true
}

func (p *fastParser) detail(w *detailWire) bool {
	p.i++
	var seen fields
	for first := true; ; {
		key, done, ok := p.member(&first)
		if !ok || done {
			return ok
		}
		switch string(key) {
		case "result-type":
			ok = seen.once(0) && p.stringField(&w.ResultType)
		case "sending-mta-ip":
			ok = seen.once(1) && p.stringField(&w.SendingIP)
		case "receiving-mx-hostname":
			ok = seen.once(2) && p.stringField(&w.ReceivingMX)
		case "receiving-mx-helo":
			ok = seen.once(3) && p.textField(&w.ReceivingHELO, 5)
		case "receiving-ip":
			ok = seen.once(4) && p.stringField(&w.ReceivingIP)
		case "failed-session-count":
			ok = seen.once(5) && p.countField(&w.Sessions, 5)
		case "additional-information":
			ok = seen.once(6) && p.uniqueTextField(&w.AdditionalInfo, 5)
		case "additional-info-uri":
			ok = seen.once(7) && p.uniqueTextField(&w.AdditionalURI, 5)
		case "failure-reason-code":
			ok = seen.once(8) && p.textField(&w.ReasonCode, 5)
		default:
			ok = p.skip(5)
		}
		if !ok {
			return false
		}
	}
}
