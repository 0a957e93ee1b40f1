package summary

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// Render returns the document of month id: days, organizations and
// records sorted, one record a line, so that an unchanged month renders
// to the same bytes and a new report shows in a diff as one added line.
func (s *Set) Render(id MonthID) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n \"schema_version\": %d,\n \"kind\": %q,\n \"domain\": %s,\n \"month\": %s,\n \"days\": [",
		SchemaVersion, Kind, quote(id.Domain), quote(id.Month))
	days := s.days(id)
	for i, d := range days {
		b.WriteString(sep(i) + "\n  {\"date\": " + quote(d.Date) + ", \"orgs\": [")
		for j, o := range d.Orgs {
			b.WriteString(sep(j) + "\n   {\"org\": " + quote(o.Org) + ", \"reports\": [")
			for k := range o.Reports {
				line, _ := json.Marshal(&o.Reports[k]) // cannot fail: strings and numbers only
				b.WriteString(sep(k) + "\n    ")
				b.Write(line)
			}
			b.WriteString("\n   ]}")
		}
		b.WriteString("\n  ]}")
	}
	if len(days) > 0 {
		b.WriteString("\n ")
	}
	b.WriteString("]\n}\n")
	return b.Bytes()
}

func sep(i int) string {
	if i == 0 {
		return ""
	}
	return ","
}

// quote returns s as a JSON string, as encoding/json writes it.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// days returns the records of month id grouped by day and organization,
// all sorted.
func (s *Set) days(id MonthID) []Day {
	mo := s.months[id]
	if mo == nil {
		return nil
	}
	ids := make([]entryID, 0, len(mo.entries))
	for eid := range mo.entries {
		ids = append(ids, eid)
	}
	slices.SortFunc(ids, func(a, b entryID) int { return compareEntries(mo.entries[a], mo.entries[b], a, b) })
	var days []Day
	for _, eid := range ids {
		e := mo.entries[eid]
		date := e.start.Format(time.DateOnly)
		if len(days) == 0 || days[len(days)-1].Date != date {
			days = append(days, Day{Date: date})
		}
		d := &days[len(days)-1]
		if len(d.Orgs) == 0 || d.Orgs[len(d.Orgs)-1].Org != e.org {
			d.Orgs = append(d.Orgs, Org{Org: e.org})
		}
		o := &d.Orgs[len(d.Orgs)-1]
		rec := e.rec
		rec.MessageIDs = e.mails
		o.Reports = append(o.Reports, rec)
	}
	return days
}

// compareEntries orders records by day, organization, start, end, id,
// key and digest: a total order, whatever order they were added in.
func compareEntries(x, y entry, a, b entryID) int {
	xs, ys := x.start, y.start
	return cmp.Or(dayStart(xs).Compare(dayStart(ys)), cmp.Compare(x.org, y.org), xs.Compare(ys),
		cmp.Compare(x.rec.End, y.rec.End), cmp.Compare(x.rec.ID, y.rec.ID), cmp.Compare(a.key, b.key),
		bytes.Compare(a.digest[:], b.digest[:]))
}

// WriteFile writes data, a rendered document of month id, to
// <dir>/<domain>/<YYYY-MM>.json atomically: to a temporary file in the
// same directory, synced, then renamed over the old file, so that a
// reader or a crash never sees half a document.
func WriteFile(dir string, id MonthID, data []byte) error {
	if !validDomain(id.Domain) || !validMonth(id.Month) {
		return fmt.Errorf("summary: write %s/%s: not a domain and month", strconv.Quote(id.Domain), strconv.Quote(id.Month))
	}
	sub := filepath.Join(dir, id.Domain)
	if err := os.MkdirAll(sub, 0o755); err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	tmp, err := os.CreateTemp(sub, "."+id.Month+".*.tmp")
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(sub, id.Month+".json"))
	}
	if err != nil {
		return fmt.Errorf("summary: write %s: %w", id.Path(), err)
	}
	return nil
}

func validMonth(m string) bool {
	_, err := time.Parse("2006-01", m)
	return err == nil && len(m) == len("2006-01")
}
