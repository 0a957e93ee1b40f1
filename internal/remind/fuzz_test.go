package remind

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParseState reads hidden states from any body: it never panics, and
// what it accepts is a valid state that renders and parses back the same.
func FuzzParseState(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		`<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","new_id":"20261128T103000"} -->`,
		`<!-- stsgate:state {"v":1,"state":"drift","since":"2026-11-28T11:30:00.9+01:00","new_id":"x y"} -->`,
		`<!-- stsgate:state {"v":1,"state":"ready","since":"9999-12-31T23:59:59-23:59"} -->`,
		"<!-- stsgate:state {\"v\":1,\"state\":\"quiet\",\"since\":null} -->\r\n",
		`<!-- stsgate:state null -->`,
		`<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","history":{"since":"2026-10-01T09:00:00.5+02:00","at_least":true,"etag":"W/\"0a1b\"","read":"2026-11-28T10:30:00Z"}} -->`,
		`<!-- stsgate:state {"v":1,"state":"blocked","since":"2026-11-28T10:30:00Z","history":{"since":"2026-10-01T09:00:00Z","read":null}} -->`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		h, ok := ParseState(body)
		if !ok {
			return
		}
		if !h.State.valid() || h.NewID != "" && !validID(h.NewID) || h.Version != stateVersion {
			t.Fatalf("ParseState accepted an invalid state %+v", h)
		}
		again, ok := ParseState(stateLine(h))
		if !ok {
			t.Fatalf("stateLine(%+v) = %q does not parse", h, stateLine(h))
		}
		if h.Since.Year() <= 9999 && !cmp.Equal(h, again) {
			t.Fatalf("round trip changed the state (-first +again):\n%s", cmp.Diff(h, again))
		}
	})
}
