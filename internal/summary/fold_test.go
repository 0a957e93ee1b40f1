package summary

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json")

// render folds reps into a new set and renders every month.
func render(t testing.TB, reps []tlsrpt.Report) (map[MonthID][]byte, *Set) {
	t.Helper()
	s := &Set{}
	for _, r := range reps {
		s.Add(r)
	}
	out := map[MonthID][]byte{}
	for _, id := range s.Changed() {
		out[id] = s.Render(id)
	}
	return out, s
}

// TestFoldIdempotent checks that folding a report twice, in any order,
// or into the documents it was already folded into, changes nothing.
func TestFoldIdempotent(t *testing.T) {
	t.Parallel()
	reps := append(fixtureReports(t), generated(9, 200)...)
	want, _ := render(t, reps)
	if len(want) < 3 {
		t.Fatalf("%d months, want several", len(want))
	}
	shuffled := append([]tlsrpt.Report{}, reps...)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	twice := append(append([]tlsrpt.Report{}, shuffled...), reps...)
	got, _ := render(t, twice)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("folding in another order, and twice, changed the documents (-once +twice):\n%s", diff)
	}
	// A rerun: the documents are loaded, and the same reports folded in
	// again, changing no month.
	var s Set
	for id, data := range want {
		if _, dl := s.Load(id.Path(), data, tlsrpt.Limits{}); len(dl) > 0 {
			t.Fatalf("Load(%s): %v", id.Path(), dl)
		}
	}
	for _, r := range shuffled {
		if s.Add(r) {
			t.Fatalf("Add(%s) after loading its summary changed a month", r.Key)
		}
	}
	if ch := s.Changed(); len(ch) > 0 {
		t.Errorf("Changed() = %v after a rerun, want none", ch)
	}
	for id, data := range want {
		if got := s.Render(id); !bytes.Equal(got, data) {
			t.Errorf("Render(%v) after Load differs from the file loaded", id)
		}
	}
}

// TestFoldNewDay checks that new reports only add lines to a month: a
// git diff of a rerun shows the new reports and nothing else.
func TestFoldNewDay(t *testing.T) {
	t.Parallel()
	reps := generated(3, 60)
	before, _ := render(t, reps[:50])
	var later Set
	for id, data := range before {
		later.Load(id.Path(), data, tlsrpt.Limits{})
	}
	for _, r := range reps[50:] {
		later.Add(r)
	}
	if len(later.Changed()) == 0 {
		t.Fatal("no month changed: the test tests nothing")
	}
	for _, id := range later.Changed() {
		after := later.Render(id)
		for _, l := range bytes.Split(before[id], []byte("\n")) {
			if !bytes.Contains(after, l) {
				t.Errorf("month %v lost or changed the line %q", id, l)
			}
		}
	}
}

// TestRenderGolden pins the bytes of a document.
func TestRenderGolden(t *testing.T) {
	t.Parallel()
	var s Set
	for i, r := range append(fixtureReports(t)[:12], generated(5, 12)...) {
		if i%3 == 0 {
			s.AddMail(r, mailID(i)) // collect's records remember their mails
		} else {
			s.Add(r)
		}
	}
	id := MonthID{"example.com", "2026-11"}
	if !slices.Contains(s.Changed(), id) {
		t.Fatalf("no document for %v among %v", id, s.Changed())
	}
	got := s.Render(id)
	path := filepath.Join("testdata", "example.com-2026-11.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("Render(%v) mismatch (-want +got):\n%s", id, diff)
	}
	if !Is(got) {
		t.Errorf("Is(Render(...)) = false")
	}
}

// TestWriteFile checks the atomic write and its refusal of names that
// would leave the directory.
func TestWriteFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	id := MonthID{"example.com", "2026-11"}
	for _, data := range []string{"first\n", "second\n"} {
		if err := WriteFile(dir, id, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "example.com", "2026-11.json"))
		if err != nil || string(got) != data {
			t.Errorf("file holds %q, %v; want %q", got, err, data)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "example.com"))
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the document (no temporary file left)", len(entries))
	}
	for _, bad := range []MonthID{{"../x", "2026-11"}, {"a/b", "2026-11"}, {"..", "2026-11"}, {"example.com", "../../x"}, {"example.com", "2026-13"}} {
		if err := WriteFile(dir, bad, nil); err == nil {
			t.Errorf("WriteFile(%v) = nil, want an error", bad)
		}
	}
}

// TestFoldDKIM: the DKIM verdict of the mail a report came in is kept,
// warned of on every read, and a signed copy of the report betters it;
// the same report is one record whichever mail it came in.
func TestFoldDKIM(t *testing.T) {
	t.Parallel()
	r := generated(3, 1)[0]
	var s Set
	for _, step := range []struct {
		auth    tlsrpt.Auth
		changed bool
		want    []diag.Code
	}{
		{tlsrpt.AuthFail, true, []diag.Code{diag.ReportDKIMFailed}},
		{tlsrpt.AuthFail, false, []diag.Code{diag.ReportDKIMFailed}},
		{tlsrpt.AuthUnverified, true, []diag.Code{diag.ReportDKIMUnverified}},
		{tlsrpt.AuthPass, true, nil},
		{tlsrpt.AuthFail, false, nil},
	} {
		r.Auth = step.auth
		if got := s.Add(r); got != step.changed {
			t.Errorf("Add(%v) changed = %v, want %v", step.auth, got, step.changed)
		}
		id := MonthID{r.Policies[0].Domain, r.Start.Format("2006-01")}
		n := 0
		dl := Decode(id.Path(), s.Render(id), tlsrpt.Limits{}, func(tlsrpt.Report) { n++ })
		if n != 1 || !slices.Equal(codes(dl), step.want) {
			t.Errorf("after Add(%v): %d reports, diagnostics %v, want 1 and %v", step.auth, n, dl, step.want)
		}
	}
	bad := []byte(strings.Replace(string(s.Render(s.Changed()[0])), `"id":`, `"dkim":"maybe","id":`, 1))
	if dl := Decode("bad.json", bad, tlsrpt.Limits{}, func(tlsrpt.Report) {}); len(dl) != 1 || dl[0].Code != diag.SummaryInvalid {
		t.Errorf("an unknown dkim verdict: got %v, want one %s", dl, diag.SummaryInvalid)
	}
}
