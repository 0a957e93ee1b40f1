package summary

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unicode/utf8"
)

// parser reads the documents Render writes, and any JSON with the same
// fields, several times faster than encoding/json: a year of summaries
// for 50 domains is 600 files and 70,000 records, read by every run of
// the gate. It gives up (ok false) at anything it does not expect, and
// decode then asks encoding/json, which is the authority on what a
// document holds and words the errors; the fuzz test checks that the two
// agree on what both read.
type parser struct {
	b      []byte
	i      int
	ok     bool
	intern map[string]string   // policy strings, MX hosts, orgs recur from record to record
	lists  map[string][]string // by their JSON text
	// scratch is reused by strings.
	scratch []string
	// Orgs, records, policies and failures are cut from these: a few
	// allocations a document rather than three a record.
	orgs     []Org
	records  []Record
	policies []Policy
	failures []Failure
}

// parseDocument parses data into a Document, or reports false. A key
// given twice whose value is a list of objects makes it give up:
// encoding/json decodes the second list into the objects of the first.
func parseDocument(data []byte) (Document, bool) {
	p := parser{b: data, ok: true, intern: map[string]string{}, lists: map[string][]string{}}
	// Render writes a record in about 450 bytes: room for a few more
	// than that spares most of the copying as the lists grow.
	p.records = make([]Record, 0, len(data)/400+4)
	p.orgs = make([]Org, 0, len(data)/400+4)
	p.policies = make([]Policy, 0, len(data)/400+4)
	var doc Document
	p.object(func(key []byte) {
		switch string(key) {
		case "schema_version":
			doc.SchemaVersion = int(p.int())
		case "kind":
			doc.Kind = p.str()
		case "domain":
			doc.Domain = p.str()
		case "month":
			doc.Month = p.str()
		case "days":
			p.ok = p.ok && doc.Days == nil // a repeated key: see parseDocument
			p.array(func() { doc.Days = append(doc.Days, p.day()) })
		default:
			p.ok = false
		}
	})
	p.space()
	return doc, p.ok && p.i == len(p.b)
}

func (p *parser) day() Day {
	var d Day
	p.object(func(key []byte) {
		switch string(key) {
		case "date":
			d.Date = p.str()
		case "orgs":
			p.ok = p.ok && d.Orgs == nil // a repeated key: see parseDocument
			d.Orgs = collect(p, &p.orgs, func() Org {
				var o Org
				p.object(func(key []byte) {
					switch string(key) {
					case "org":
						o.Org = p.interned()
					case "reports":
						p.ok = p.ok && o.Reports == nil // a repeated key: see parseDocument
						o.Reports = collect(p, &p.records, p.record)
					default:
						p.ok = false
					}
				})
				return o
			})
		default:
			p.ok = false
		}
	})
	return d
}

func (p *parser) record() Record {
	var r Record
	p.object(func(key []byte) {
		switch string(key) {
		case "id":
			r.ID = p.str()
		case "key":
			r.Key = p.str()
		case "start":
			r.Start = p.interned()
		case "end":
			r.End = p.interned()
		case "contact":
			r.Contact = p.interned()
		case "dkim":
			r.DKIM = p.interned()
		case "policies":
			p.ok = p.ok && r.Policies == nil // a repeated key: see parseDocument
			r.Policies = collect(p, &p.policies, p.policy)
		case "message_ids":
			// Unique to each record: read, not interned or shared.
			p.ok = p.ok && r.MessageIDs == nil // a repeated key: see parseDocument
			p.array(func() { r.MessageIDs = append(r.MessageIDs, p.str()) })
		default:
			p.ok = false
		}
	})
	return r
}

func (p *parser) policy() Policy {
	var pol Policy
	p.object(func(key []byte) {
		switch string(key) {
		case "type":
			pol.Type = p.interned()
		case "domain":
			pol.Domain = p.interned()
		case "policy_string":
			p.ok = p.ok && pol.PolicyString == nil
			pol.PolicyString = p.strings()
		case "mx_host":
			p.ok = p.ok && pol.MXHost == nil
			pol.MXHost = p.strings()
		case "successful":
			pol.Successful = p.int()
		case "failed":
			pol.Failed = p.int()
		case "failures":
			p.ok = p.ok && pol.Failures == nil // a repeated key: see parseDocument
			pol.Failures = collect(p, &p.failures, p.failure)
		default:
			p.ok = false
		}
	})
	return pol
}

func (p *parser) failure() Failure {
	var f Failure
	p.object(func(key []byte) {
		switch string(key) {
		case "result_type":
			f.ResultType = p.interned()
		case "sending_ip":
			f.SendingIP = p.str()
		case "receiving_mx":
			f.ReceivingMX = p.interned()
		case "receiving_ip":
			f.ReceivingIP = p.str()
		case "receiving_helo":
			f.ReceivingHELO = p.interned()
		case "sessions":
			f.Sessions = p.int()
		case "reason_code":
			f.ReasonCode = p.interned()
		case "additional_info":
			f.AdditionalInfo = p.str()
		default:
			p.ok = false
		}
	})
	return f
}

// strings reads a list of strings. Reporters send the same
// policy-string and mx-host lists report after report, so equal lists
// share one slice, which no reader of a Report modifies.
func (p *parser) strings() []string {
	p.space()
	start := p.i
	if end := listEnd(p.b, p.i); end > 0 {
		if l, ok := p.lists[string(p.b[start:end])]; ok {
			p.i = end
			return l
		}
	}
	p.scratch = p.scratch[:0]
	p.array(func() { p.scratch = append(p.scratch, p.interned()) })
	if !p.ok || len(p.scratch) == 0 {
		return nil
	}
	if l, ok := p.lists[string(p.b[start:p.i])]; ok {
		return l
	}
	l := append([]string(nil), p.scratch...)
	p.lists[string(p.b[start:p.i])] = l
	return l
}

// listEnd returns the offset after the list of strings at b[i:], found
// without reading the strings, or 0 for anything else (escapes too).
func listEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '[' {
		return 0
	}
	// Most lists: the first ']' ends them, after an even number of
	// quotes and no escape or nesting, found with the vectorised scans.
	if j := bytes.IndexByte(b[i:], ']'); j > 0 {
		in := b[i+1 : i+j]
		if bytes.Count(in, []byte{'"'})%2 == 0 && bytes.IndexByte(in, '\\') < 0 &&
			bytes.IndexByte(in, '{') < 0 && bytes.IndexByte(in, '[') < 0 {
			return i + j + 1
		}
	}
	in := false
	for i++; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			in = !in
		case c == '\\':
			return 0
		case c == ']' && !in:
			return i + 1
		case !in && c == '{', !in && c == '[':
			return 0
		}
	}
	return 0
}

func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// next skips white space and consumes c, or fails.
func (p *parser) next(c byte) bool {
	p.space()
	if p.ok && p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// object calls member for each key of a JSON object; member must read
// the value.
func (p *parser) object(member func(key []byte)) {
	if !p.next('{') {
		p.ok = false
		return
	}
	if p.next('}') {
		return
	}
	for p.ok {
		key := p.raw()
		if !p.next(':') {
			p.ok = false
			return
		}
		member(key)
		if p.next('}') {
			return
		}
		if !p.next(',') {
			p.ok = false
		}
	}
}

// array calls elem for each element of a JSON array.
func (p *parser) array(elem func()) {
	if !p.next('[') {
		p.ok = false
		return
	}
	if p.next(']') {
		return
	}
	for p.ok {
		elem()
		if p.next(']') {
			return
		}
		if !p.next(',') {
			p.ok = false
		}
	}
}

// raw returns the bytes of a JSON string without escapes, quotes
// removed, or fails.
func (p *parser) raw() []byte {
	if !p.next('"') {
		p.ok = false
		return nil
	}
	n := bytes.IndexByte(p.b[p.i:], '"')
	if n < 0 {
		p.ok = false
		return nil
	}
	s := p.b[p.i : p.i+n]
	p.i += n + 1
	// Escapes, and bytes encoding/json might replace: let it.
	if !plainASCII(s) && (!utf8.Valid(s) || bytes.IndexByte(s, '\\') >= 0 || hasControl(s)) {
		p.ok = false
	}
	return s
}

// plainASCII reports whether s holds only ASCII from the space up and no
// backslash, looking at eight bytes at a time: in each word, a byte
// under 0x20 borrows into its high bit when 0x20 is taken from it, a
// byte from 0x80 up has it set, and a backslash is a zero byte of the
// word XOR backslashes.
func plainASCII(s []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; len(s) >= 8; s = s[8:] {
		w := binary.LittleEndian.Uint64(s)
		bs := w ^ (ones * '\\')
		if ((w-ones*0x20)|w|((bs-ones)&^bs))&highs != 0 {
			return false
		}
	}
	for _, c := range s {
		if c < 0x20 || c >= utf8.RuneSelf || c == '\\' {
			return false
		}
	}
	return true
}

func hasControl(s []byte) bool {
	for _, c := range s {
		if c < 0x20 {
			return true
		}
	}
	return false
}

func (p *parser) str() string { return string(p.raw()) }

// interned returns a string that recurs, shared with its earlier copies.
func (p *parser) interned() string {
	b := p.raw()
	if s, ok := p.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	p.intern[s] = s
	return s
}

// int reads a JSON integer that fits int64, as encoding/json does.
func (p *parser) int() int64 {
	p.space()
	start := p.i
	if p.i < len(p.b) && p.b[p.i] == '-' {
		p.i++
	}
	digits := p.i
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		p.i++
	}
	if p.i == digits || (p.b[digits] == '0' && p.i > digits+1) {
		p.ok = false
		return 0
	}
	// What follows must be ',', '}' or ']', which object and array
	// check: "1.5" and "1e3" fail there.
	n, err := strconv.ParseInt(string(p.b[start:p.i]), 10, 64)
	if err != nil {
		p.ok = false
	}
	return n
}
