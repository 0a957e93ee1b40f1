package summary

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"slices"
	"time"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// MonthID names one document: a policy domain and a UTC month.
type MonthID struct {
	Domain string
	Month  string // YYYY-MM
}

// Path is the document's path below the summary directory, with forward
// slashes: <domain>/<YYYY-MM>.json.
func (m MonthID) Path() string { return m.Domain + "/" + m.Month + ".json" }

// Set is a set of month documents being folded into: existing ones
// loaded with Load, new reports added with Add. The zero Set is empty
// and ready to use. A Set is not safe for concurrent use.
type Set struct {
	months map[MonthID]*month
	mails  map[string]bool // the Message-IDs of every record
}

type month struct {
	entries map[entryID]entry
	changed bool // an entry was added since the month was loaded
}

// entryID identifies a record: the report's key and a digest of its
// content, so that two different reports under one key are both kept.
type entryID struct {
	key    string
	digest [sha256.Size]byte
}

type entry struct {
	org   string
	start time.Time // of the report
	rec   Record    // without MessageIDs
	mails []string  // the record's MessageIDs
}

// Add folds r into the month of its first UTC day of every domain it has
// a policy entry for, and reports whether that changed a document. The
// same report added again changes nothing (RFC 8460 §4.4; J22). Entries
// without a policy-domain (J6), or with one that is not a plain domain
// name, are kept in the record but file it under no domain.
func (s *Set) Add(r tlsrpt.Report) bool { return s.AddMail(r, "") }

// AddMail is Add for a report that came in the mail with this
// Message-ID (without angle brackets; "" for none): the record
// remembers it, so that Known tells collect not to download the mail
// again. A report already held, seen in a new mail, gains its
// Message-ID, which changes its document.
func (s *Set) AddMail(r tlsrpt.Report, messageID string) bool {
	m := dayStart(r.Start).Format("2006-01")
	if r.Key == "" || !validMonth(m) {
		return false // not from tlsrpt's decoder, which keys every report and reads years 0000-9999
	}
	rec := record(&r)
	id := entryID{key: r.Key, digest: digest(r.Organization, &rec)}
	changed := false
	for _, domain := range domains(&r) {
		mo := s.month(MonthID{domain, m})
		e, ok := mo.entries[id]
		if !ok {
			e = entry{org: r.Organization, start: r.Start, rec: rec}
		}
		mails, added := withMail(e.mails, messageID)
		trusted := ok && dkimRank(rec.DKIM) < dkimRank(e.rec.DKIM)
		if !ok || added || trusted {
			e.mails = mails
			e.rec.DKIM = rec.DKIM
			mo.entries[id] = e
			mo.changed, changed = true, true
		}
	}
	if changed && messageID != "" {
		s.knowMail(messageID)
	}
	return changed
}

// withMail returns the sorted list ids with id in it, and whether it
// was added: not when it is "", already there, or the list is full.
func withMail(ids []string, id string) ([]string, bool) {
	i, found := slices.BinarySearch(ids, id)
	if id == "" || found || len(ids) >= maxMessageIDs {
		return ids, false
	}
	return slices.Insert(slices.Clip(ids), i, id), true
}

// Known reports whether a record of the set came in the mail with this
// Message-ID.
func (s *Set) Known(messageID string) bool { return s.mails[messageID] }

func (s *Set) knowMail(ids ...string) {
	if s.mails == nil {
		s.mails = map[string]bool{}
	}
	for _, id := range ids {
		s.mails[id] = true
	}
}

// Load adds the records of an existing document to its month, without
// marking the month changed. A document that cannot be read gives one
// diagnostic; the caller should then not write its month, which would
// replace what the file held.
func (s *Set) Load(source string, data []byte, lim tlsrpt.Limits) (MonthID, diag.List) {
	id, reps, mails, err := decode(source, data, lim, true)
	if err != nil {
		return id, diag.List{invalid(source, err)}
	}
	mo := s.month(id)
	for i := range reps {
		r := &reps[i]
		rec := record(r)
		mo.entries[entryID{key: r.Key, digest: digest(r.Organization, &rec)}] = entry{org: r.Organization, start: r.Start, rec: rec, mails: mails[i]}
		s.knowMail(mails[i]...)
	}
	return id, nil
}

// Changed returns the months Add changed, sorted: the documents to write.
func (s *Set) Changed() []MonthID {
	var out []MonthID
	for id, mo := range s.months {
		if mo.changed {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b MonthID) int { return cmp.Or(cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.Month, b.Month)) })
	return out
}

func (s *Set) month(id MonthID) *month {
	if s.months == nil {
		s.months = map[MonthID]*month{}
	}
	mo := s.months[id]
	if mo == nil {
		mo = &month{entries: map[entryID]entry{}}
		s.months[id] = mo
	}
	return mo
}

// digest is the SHA-256 of a record's JSON with its organization,
// without its DKIM verdict: a report is the same report whichever mail
// it came in.
func digest(org string, rec *Record) [sha256.Size]byte {
	r := *rec
	r.DKIM = ""
	b, _ := json.Marshal(struct {
		Org string `json:"org"`
		*Record
	}{org, &r}) // cannot fail: strings and numbers only
	return sha256.Sum256(b)
}

// dkimRank orders the DKIM verdicts of a record from the most trusted: a
// report held from a mail that failed and then seen in a signed one
// keeps the better verdict.
func dkimRank(v string) int {
	switch v {
	case "":
		return 0
	case "unverified":
		return 1
	}
	return 2
}

// domains returns the distinct policy domains of r that name a file.
func domains(r *tlsrpt.Report) []string {
	var out []string
	for i := range r.Policies {
		if d := r.Policies[i].Domain; validDomain(d) && !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// validDomain reports whether d is a lower-case domain name that can name
// a directory: letters, digits, '-', '_' and inner dots only, so that a
// policy-domain from a hostile report never leads outside the summary
// directory.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 || d[0] == '.' || d[len(d)-1] == '.' {
		return false
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
		case c == '.' && d[i-1] != '.':
		default:
			return false
		}
	}
	return true
}
