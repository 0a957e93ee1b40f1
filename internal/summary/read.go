package summary

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// sniffLen is how far into a file Is looks for the kind.
const sniffLen = 512

// Is reports whether data looks like a summary document: a JSON object
// whose "kind" is Kind near its start, as Render writes it. The caller
// then gives it to Decode rather than to the report decoder (summaries
// are recognised by content, like every report format). A report that
// merely mentions Kind in a string is not taken for one: inside a JSON
// string the quotes around "kind" would be escaped.
func Is(data []byte) bool {
	head := bytes.TrimLeft(data[:min(len(data), sniffLen)], " \t\r\n")
	if len(head) == 0 || head[0] != '{' {
		return false
	}
	for rest := head; ; {
		i := bytes.Index(rest, []byte(`"kind"`))
		if i < 0 {
			return false
		}
		rest = bytes.TrimLeft(rest[i+len(`"kind"`):], " \t\r\n")
		if v, ok := bytes.CutPrefix(rest, []byte(":")); ok &&
			bytes.HasPrefix(bytes.TrimLeft(v, " \t\r\n"), []byte(`"`+Kind+`"`)) {
			return true
		}
	}
}

// Decode reads one summary document and calls emit with each report it
// holds, as tlsrpt.Decode would have emitted it from the raw report,
// except Source: source plus "#<date>/<n>". A document that is not valid
// JSON, has an unknown schema_version or breaks the format in any field
// gives one diagnostic naming source and no report at all: a file edited
// by hand is not half trusted. Limits bound the strings, entries and
// details it accepts, as for raw reports (RFC 8460 §7: a pull request's
// files are hostile input).
func Decode(source string, data []byte, lim tlsrpt.Limits, emit func(tlsrpt.Report)) diag.List {
	_, reps, _, err := decode(source, data, lim, false)
	if err != nil {
		return diag.List{invalid(source, err)}
	}
	for _, r := range reps {
		emit(r)
	}
	return unsigned(source, reps)
}

// unsigned notes, once per verdict, the reports of a summary that came in
// mails without a DKIM pass, as reading the mails did (RFC 8460 §3).
func unsigned(source string, reps []tlsrpt.Report) diag.List {
	var out diag.List
	for _, v := range []struct {
		auth tlsrpt.Auth
		code diag.Code
		what string
	}{
		{tlsrpt.AuthFail, diag.ReportDKIMFailed, "without a DKIM pass for their submitter recorded by the receiving server; they may be forged"},
		{tlsrpt.AuthUnverified, diag.ReportDKIMUnverified, "without an Authentication-Results header, so whether they were signed is unknown"},
	} {
		var first *tlsrpt.Report
		n := 0
		for i := range reps {
			if reps[i].Auth == v.auth {
				n++
				first = cmp.Or(first, &reps[i])
			}
		}
		if n == 0 {
			continue
		}
		d := diag.New(v.code,
			fmt.Sprintf("%d report(s) in this summary, such as %s's of %s, were collected from mails %s; RFC 8460 says such reports must be ignored, and they count unless unsigned_reports is ignore",
				n, diag.Excerpt(first.Organization), first.Start.Format(time.DateOnly), v.what),
			"check those reports with their senders, and remove the records you do not trust (stsgate collect writes them again only from their mails)")
		d.Subject = source
		out.Add(d)
	}
	return out
}

// errVersion marks a document of a schema_version not read here.
var errVersion = errors.New("unknown schema_version")

// decode returns the month data holds and its reports, and with
// withMail the Message-IDs of each report's record.
func decode(source string, data []byte, lim tlsrpt.Limits, withMail bool) (MonthID, []tlsrpt.Report, [][]string, error) {
	doc, err := readDocument(data)
	if err != nil {
		return MonthID{}, nil, nil, err
	}
	c := checker{lim: withDefaults(lim), source: source, withMail: withMail}
	reps, err := c.document(&doc)
	return MonthID{doc.Domain, doc.Month}, reps, c.mails, err
}

// Bounds on one document, checked before it is parsed: a month of one
// domain holds far fewer, and each JSON object or array element costs
// far more memory parsed than its few bytes of text, so a hostile file
// (DESIGN §1.11) could otherwise take gigabytes (a 60 MB list of empty
// failures took 9 GB).
const (
	MaxDocument    = 64 << 20 // bytes
	maxDocObjects  = 1 << 19  // records, policy entries, failures, days and orgs
	maxDocElements = 1 << 21  // array elements of any kind
	// Below this size neither bound can be reached: each object takes
	// at least two bytes and a separator, each element a separator.
	boundsFree = 1 << 20
)

// checkBounds refuses a document over the bounds, counting every '{' and
// ',' (those inside strings too, so it errs on the side of refusing
// only for documents far larger than real ones).
func checkBounds(data []byte) error {
	switch {
	case len(data) > MaxDocument:
		return fmt.Errorf("it is %d bytes, more than the %d a month's summary may take", len(data), MaxDocument)
	case len(data) < boundsFree:
		return nil
	case bytes.Count(data, []byte("{")) > maxDocObjects:
		return fmt.Errorf("it holds more than %d JSON objects, far more than a month's summary", maxDocObjects)
	case bytes.Count(data, []byte(",")) > maxDocElements:
		return fmt.Errorf("it holds more than %d values, far more than a month's summary", maxDocElements)
	}
	return nil
}

// readDocument parses data: with parseDocument when it can, else with
// encoding/json, which says what is wrong.
func readDocument(data []byte) (Document, error) {
	if err := checkBounds(data); err != nil {
		return Document{}, err
	}
	if doc, ok := parseDocument(data); ok && doc.Kind == Kind && doc.SchemaVersion == SchemaVersion {
		return doc, nil
	}
	var doc Document
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(&doc)
	if err == nil && dec.InputOffset() < int64(len(bytes.TrimRight(data, " \t\r\n"))) {
		err = errors.New("it has data after the document")
	}
	// Parsed a second time: an unknown version is the error, not the
	// fields a newer version has.
	if herr := checkHead(data); herr != nil {
		return doc, herr
	}
	if err != nil {
		return doc, jsonError(data, err)
	}
	return doc, nil
}

// checkHead checks kind and schema_version, whatever else data holds.
func checkHead(data []byte) error {
	var head struct {
		SchemaVersion *int   `json:"schema_version"`
		Kind          string `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		var typ *json.UnmarshalTypeError
		if !errors.As(err, &typ) {
			return jsonError(data, err)
		}
	}
	switch {
	case head.Kind != Kind:
		return fmt.Errorf("its kind is %s, not %q", diag.Excerpt(head.Kind), Kind)
	case head.SchemaVersion == nil:
		return errors.New("it has no schema_version")
	case *head.SchemaVersion != SchemaVersion:
		return fmt.Errorf("%w %d: this stsgate reads version %d", errVersion, *head.SchemaVersion, SchemaVersion)
	}
	return nil
}

// jsonError says where data breaks JSON or the document's types.
func jsonError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("it is not valid JSON at %s: %v", lineCol(data, syn.Offset), syn)
	case errors.As(err, &typ):
		return fmt.Errorf("%s at %s has the wrong type: want a JSON %s", typ.Field, lineCol(data, typ.Offset), typ.Type)
	}
	return fmt.Errorf("it is not a summary document: %v", err)
}

func lineCol(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// invalid is the one diagnostic about a summary that cannot be read.
func invalid(source string, err error) diag.Diagnostic {
	code := diag.SummaryInvalid
	hint := "Summaries are written by stsgate collect, not by hand: restore the file from git, or delete it and collect the month's reports again."
	if errors.Is(err, errVersion) {
		code = diag.SummaryVersionUnknown
		hint = "Update stsgate to the version that wrote the file, or collect the month again with this one."
	}
	dg := diag.New(code, fmt.Sprintf("The summary file cannot be read: %v. None of its reports count, so the clean window lacks their days and may look staler or less covered than it is.", err), hint)
	dg.Subject = source
	return dg
}

// checker turns a document's records back into reports, checking every
// field on the way.
type checker struct {
	lim    tlsrpt.Limits
	source string
	month  time.Time
	times  map[string]time.Time
	// withMail keeps each report's Message-IDs in mails.
	withMail bool
	mails    [][]string
	// The reports' policy entries and failure details are cut from
	// these, a few allocations a document rather than two a report.
	policies slab[tlsrpt.PolicyResult]
	details  slab[tlsrpt.FailureDetail]
}

// slab hands out slices of one backing array, allocating the next array
// when it is used up. The slices are capped, so appending to one never
// writes into another's elements.
type slab[T any] struct{ free []T }

func (s *slab[T]) take(n int) []T {
	if n > len(s.free) {
		s.free = make([]T, max(n, 2*cap(s.free), 16))
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// collect reads a JSON array with p, each element with elem, appends
// the elements to *all and returns them as one capped slice of it, nil
// for an empty array. Elements of one type do not nest (a record holds
// policies, not records), so the elements of one array lie together.
func collect[T any](p *parser, all *[]T, elem func() T) []T {
	start := len(*all)
	p.array(func() {
		v := elem()
		*all = append(*all, v)
	})
	n := len(*all)
	if n == start || !p.ok {
		*all = (*all)[:start]
		return nil
	}
	return (*all)[start:n:n]
}
func (c *checker) document(doc *Document) ([]tlsrpt.Report, error) {
	if !validDomain(doc.Domain) {
		return nil, fmt.Errorf("domain %s is not a lower-case domain name", diag.Excerpt(doc.Domain))
	}
	m, err := time.Parse("2006-01", doc.Month)
	if err != nil {
		return nil, fmt.Errorf("month %s is not YYYY-MM", diag.Excerpt(doc.Month))
	}
	c.month = m
	n, policies, details := doc.counts()
	out := make([]tlsrpt.Report, 0, n)
	c.policies.free = make([]tlsrpt.PolicyResult, policies)
	c.details.free = make([]tlsrpt.FailureDetail, details)
	for i := range doc.Days {
		var err error
		if out, err = c.day(out, doc.Domain, &doc.Days[i]); err != nil {
			return nil, fmt.Errorf("days[%d]%w", i, err)
		}
	}
	c.name(out)
	return out, nil
}

// counts returns how many records, policy entries and failures doc holds.
func (doc *Document) counts() (records, policies, failures int) {
	for i := range doc.Days {
		for j := range doc.Days[i].Orgs {
			recs := doc.Days[i].Orgs[j].Reports
			records += len(recs)
			for k := range recs {
				policies += len(recs[k].Policies)
				for l := range recs[k].Policies {
					failures += len(recs[k].Policies[l].Failures)
				}
			}
		}
	}
	return records, policies, failures
}

// name gives each report its Source, "<source>#<date>/<n>" for the n-th
// report of its day, and the key tlsrpt derives where the record left
// the key out, all cut from one string: two allocations a document
// rather than two a report (the gate reads tens of thousands).
func (c *checker) name(reps []tlsrpt.Report) {
	type span struct{ src, key [2]int }
	spans := make([]span, len(reps))
	size := 0
	for i := range reps {
		size += len(c.source) + len("#2006-01-02/") + 6
		if reps[i].Key == "" {
			size += len("id:") + len(reps[i].Organization) + 1 + len(reps[i].ReportID)
		}
	}
	var b strings.Builder // String does not copy
	b.Grow(size)
	var day time.Time
	n := 0
	for i := range reps {
		r := &reps[i]
		if d := dayStart(r.Start); i == 0 || !d.Equal(day) {
			day, n = d, 0
		}
		n++
		start := b.Len()
		var tail [len("#2006-01-02/") + 20]byte
		b.WriteString(c.source)
		b.Write(strconv.AppendInt(append(day.AppendFormat(append(tail[:0], '#'), time.DateOnly), '/'), int64(n), 10))
		spans[i].src = [2]int{start, b.Len()}
		if r.Key == "" {
			start = b.Len()
			writeIDKey(&b, r.Organization, r.ReportID)
			spans[i].key = [2]int{start, b.Len()}
		}
	}
	all := b.String()
	for i := range reps {
		sp := spans[i]
		reps[i].Source = all[sp.src[0]:sp.src[1]]
		if sp.key[1] > 0 {
			reps[i].Key = all[sp.key[0]:sp.key[1]]
		}
	}
}

// day appends the reports of d to out.
func (c *checker) day(out []tlsrpt.Report, domain string, d *Day) ([]tlsrpt.Report, error) {
	date, err := time.Parse(time.DateOnly, d.Date)
	if err != nil || date.Year() != c.month.Year() || date.Month() != c.month.Month() {
		return nil, fmt.Errorf(".date %s is not a date of the month", diag.Excerpt(d.Date))
	}
	for i := range d.Orgs {
		o := &d.Orgs[i]
		for j := range o.Reports {
			r, err := c.report(o.Org, date, &o.Reports[j])
			if err == nil && !dayStart(r.Start).Equal(date) {
				err = fmt.Errorf(".start %s is not on the day %s", r.Start.Format(time.RFC3339), d.Date)
			}
			if err == nil && !hasDomain(&r, domain) {
				err = fmt.Errorf(" has no policy entry for the domain %s", domain)
			}
			if err != nil {
				return nil, fmt.Errorf(".orgs[%d].reports[%d]%w", i, j, err)
			}
			out = append(out, r)
			if c.withMail {
				c.mails = append(c.mails, o.Reports[j].MessageIDs)
			}
		}
	}
	return out, nil
}

func dayStart(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

func hasDomain(r *tlsrpt.Report, domain string) bool {
	for i := range r.Policies {
		if r.Policies[i].Domain == domain {
			return true
		}
	}
	return false
}

// time parses an RFC 3339 time in UTC; "" is def. Records of one
// month share a few dozen times, each parsed once.
func (c *checker) time(s string, def time.Time) (time.Time, bool) {
	if s == "" {
		return def, true
	}
	if t, ok := c.times[s]; ok {
		return t, true
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.Location() != time.UTC {
		return t, false
	}
	if c.times == nil {
		c.times = map[string]time.Time{}
	}
	c.times[s] = t
	return t, true
}

// maxRange is the longest date range tlsrpt accepts (RFC 8460 §4.1).
const maxRange = 31 * 24 * time.Hour

func (c *checker) report(org string, day time.Time, rec *Record) (tlsrpt.Report, error) {
	r := tlsrpt.Report{Organization: org, ReportID: rec.ID, ContactInfo: rec.Contact, Key: rec.Key} // an empty Key is set by name
	if err := c.strings(org, rec.ID, rec.Contact); err != nil {
		return r, err
	}
	if err := c.messageIDs(rec.MessageIDs); err != nil {
		return r, err
	}
	auth, ok := tlsrpt.ParseAuth(rec.DKIM)
	if !ok {
		return r, fmt.Errorf(": dkim %s is not \"fail\" or \"unverified\"", diag.Excerpt(rec.DKIM))
	}
	r.Auth = auth
	var ok1, ok2 bool
	r.Start, ok1 = c.time(rec.Start, day)
	r.End, ok2 = c.time(rec.End, r.Start.Add(24*time.Hour))
	switch {
	case !ok1 || !ok2:
		return r, fmt.Errorf(": start %s or end %s is not an RFC 3339 time in UTC", diag.Excerpt(rec.Start), diag.Excerpt(rec.End))
	case r.End.Before(r.Start) || r.End.Sub(r.Start) > maxRange:
		return r, fmt.Errorf(": the range %s to %s is reversed or longer than 31 days", rec.Start, rec.End)
	case rec.ID == "" && rec.Key == "":
		return r, errors.New(": it has neither id nor key")
	case len(rec.Policies) == 0 || len(rec.Policies) > c.lim.MaxPolicies:
		return r, fmt.Errorf(": it has %d policy entries, want 1 to %d", len(rec.Policies), c.lim.MaxPolicies)
	}
	r.Policies = c.policies.take(len(rec.Policies))
	for i := range rec.Policies {
		if err := c.policy(&r.Policies[i], &rec.Policies[i]); err != nil {
			return r, fmt.Errorf(".policies[%d]%w", i, err)
		}
	}
	return r, nil
}
