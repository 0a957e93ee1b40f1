package summary

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

// mailID is the Message-ID the tests give the mail of report i.
func mailID(i int) string { return fmt.Sprintf("r%03d@sender.example", i) }

// foldMails folds reps into a new set, report i from the mail mailID(i).
// Reports filed under no domain (J6) change nothing.
func foldMails(t testing.TB, reps []tlsrpt.Report) (*Set, map[MonthID][]byte) {
	t.Helper()
	s := &Set{}
	for i, r := range reps {
		if s.AddMail(r, mailID(i)) != (len(domains(&r)) > 0) {
			t.Fatalf("AddMail(report %d) changed %v, with domains %q", i, !(len(domains(&r)) > 0), domains(&r))
		}
	}
	docs := map[MonthID][]byte{}
	for _, id := range s.Changed() {
		docs[id] = s.Render(id)
	}
	return s, docs
}

// TestKnownAfterLoad checks that the Message-IDs folded in are written
// and known again once the documents are loaded, so that a second
// collect need not download the mails; and that they are not content:
// folding the same report from another mail adds its Message-ID, and
// Add without one changes nothing.
func TestKnownAfterLoad(t *testing.T) {
	t.Parallel()
	reps := generated(4, 40)
	_, docs := foldMails(t, reps)
	var s Set
	for id, data := range docs {
		if _, dl := s.Load(id.Path(), data, tlsrpt.Limits{}); len(dl) > 0 {
			t.Fatalf("Load(%s): %v", id.Path(), dl)
		}
	}
	for i := range reps {
		if got, want := s.Known(mailID(i)), len(domains(&reps[i])) > 0; got != want {
			t.Errorf("Known(%s) = %v after Load, want %v", mailID(i), got, want)
		}
	}
	if s.Known(mailID(len(reps))) || s.Known("") {
		t.Errorf("Known is true for a mail never folded in, or for no Message-ID")
	}
	for i, r := range reps {
		if s.Add(r) || s.AddMail(r, mailID(i)) {
			t.Fatalf("folding report %d again, from the same mail or none, changed a month", i)
		}
	}
	if !s.AddMail(reps[0], "a-resent@sender.example") || !s.Known("a-resent@sender.example") {
		t.Fatalf("the report from a second mail did not remember it")
	}
	doc := s.Render(s.Changed()[0])
	want := fmt.Sprintf(`"message_ids":["a-resent@sender.example",%q]`, mailID(0))
	if !bytes.Contains(doc, []byte(want)) {
		t.Errorf("the document lacks %s:\n%s", want, doc)
	}
}

// TestMessageIDsNotContent checks that the gate reads the same reports
// from a document with Message-IDs as from one without.
func TestMessageIDsNotContent(t *testing.T) {
	t.Parallel()
	reps := generated(6, 30)
	_, with := foldMails(t, reps)
	without, _ := render(t, reps)
	for id, data := range with {
		if !bytes.Contains(data, []byte(`"message_ids"`)) {
			t.Fatalf("%v has no message_ids", id)
		}
		var a, b []tlsrpt.Report
		Decode("x", data, tlsrpt.Limits{}, func(r tlsrpt.Report) { a = append(a, r) })
		Decode("x", without[id], tlsrpt.Limits{}, func(r tlsrpt.Report) { b = append(b, r) })
		if diff := cmp.Diff(b, a, cmpopts.EquateComparable(netip.Addr{})); diff != "" || len(a) == 0 {
			t.Errorf("%v: the reports differ with Message-IDs (-without +with):\n%s", id, diff)
		}
	}
}

// TestMessageIDsFull checks that a record remembers at most
// maxMessageIDs mails.
func TestMessageIDsFull(t *testing.T) {
	t.Parallel()
	r := generated(7, 1)[0]
	var s Set
	for i := range maxMessageIDs {
		s.AddMail(r, mailID(i))
	}
	if s.AddMail(r, mailID(maxMessageIDs)) || s.Known(mailID(maxMessageIDs)) {
		t.Errorf("a record took a Message-ID beyond %d", maxMessageIDs)
	}
}

// TestMessageIDsInvalid checks the rules for message_ids of a document
// edited by hand: each is one summary-invalid diagnostic.
func TestMessageIDsInvalid(t *testing.T) {
	t.Parallel()
	_, docs := foldMails(t, generated(8, 1))
	var good []byte
	for _, d := range docs {
		good = d
	}
	many := make([]string, maxMessageIDs+1)
	for i := range many {
		many[i] = fmt.Sprintf("%q", mailID(i))
	}
	long := `"` + strings.Repeat("x", tlsrpt.DefaultLimits().MaxString+10) + `"`
	tests := map[string]struct{ ids, says string }{
		"unsorted": {`"b@x","a@x"`, "message_ids[1] is empty, out of order or repeated"},
		"repeated": {`"a@x","a@x"`, "message_ids[1] is empty, out of order or repeated"},
		"empty":    {`""`, "message_ids[0] is empty"},
		"too many": {strings.Join(many, ","), "it lists 9 message_ids, more than 8"},
		"too long": {long, "longer than the limit"},
		"not list": {`"a@x"]`, "wrong type"},
	}
	old := fmt.Sprintf(`"message_ids":[%q]`, mailID(0))
	if !bytes.Contains(good, []byte(old)) {
		t.Fatalf("the document lacks %s:\n%s", old, good)
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ids := "[" + tc.ids + "]"
			if name == "not list" {
				ids = tc.ids[:len(tc.ids)-1]
			}
			data := bytes.Replace(good, []byte(old), []byte(`"message_ids":`+ids), 1)
			var s Set
			_, dl := s.Load("bad.json", data, tlsrpt.Limits{})
			if len(dl) != 1 || dl[0].Code != diag.SummaryInvalid || !strings.Contains(dl[0].Message, tc.says) {
				t.Errorf("Load = %v, want one summary-invalid saying %q", dl, tc.says)
			}
		})
	}
}
