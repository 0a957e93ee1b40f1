package remind

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestMarker checks the marker's form, its escaping and that it must stand
// on a line of its own.
func TestMarker(t *testing.T) {
	t.Parallel()
	if got, want := Marker("Example.COM."), "<!-- stsgate:domain=example.com -->"; got != want {
		t.Errorf("Marker = %q, want %q", got, want)
	}
	if got := Marker("a-->b"); strings.Contains(got[len(markerPrefix):len(got)-len(commentEnd)], "-->") {
		t.Errorf("Marker(%q) = %q lets the domain end the comment", "a-->b", got)
	}
	tests := []struct {
		body string
		want bool
	}{
		{"<!-- stsgate:domain=example.com -->\nbody", true},
		{"intro\r\n<!-- stsgate:domain=example.com -->\r\n", true},
		{"<!-- stsgate:domain=example.com.evil -->", false},
		{"<!-- stsgate:domain=sub.example.com -->", false},
		{"quoted: <!-- stsgate:domain=example.com -->", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := HasMarker(tc.body, "example.com"); got != tc.want {
			t.Errorf("HasMarker(%q) = %v, want %v", tc.body, got, tc.want)
		}
	}
}

// TestParseState covers valid, invalid and hostile hidden states.
func TestParseState(t *testing.T) {
	t.Parallel()
	since := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		body string
		want Hidden
		ok   bool
	}{
		{"valid", `<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","new_id":"20261128T103000"} -->`,
			Hidden{Version: 1, State: KindReady, Since: since, NewID: "20261128T103000"}, true},
		{"offset normalised", `<!-- stsgate:state {"v":1,"state":"drift","since":"2026-11-28T11:30:00.9+01:00"} -->`,
			Hidden{Version: 1, State: KindDrift, Since: since, NewID: ""}, true},
		{"CRLF", "x\r\n<!-- stsgate:state {\"v\":1,\"state\":\"blocked\",\"since\":\"2026-11-28T10:30:00Z\"} -->\r\n",
			Hidden{Version: 1, State: KindBlocked, Since: since, NewID: ""}, true},
		{"bad id dropped", `<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","new_id":"a b"} -->`,
			Hidden{Version: 1, State: KindReady, Since: since, NewID: ""}, true},
		{"unknown fields ignored", `<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","x":[1]} -->`,
			Hidden{Version: 1, State: KindReady, Since: since, NewID: ""}, true},
		{"history kept", `<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","history":{"since":"2026-10-01T09:00:00Z","etag":"W/\"ab\"","read":"2026-11-28T10:30:00Z"}} -->`,
			Hidden{Version: 1, State: KindReady, Since: since, History: &HistoryCache{Since: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC), ETag: `W/"ab"`, Read: since}}, true},
		{"history without a read time dropped", `<!-- stsgate:state {"v":1,"state":"ready","since":"2026-11-28T10:30:00Z","history":{"since":"2026-10-01T09:00:00Z"}} -->`,
			Hidden{Version: 1, State: KindReady, Since: since}, true},
		{"unknown state", `<!-- stsgate:state {"v":1,"state":"happy","since":"2026-11-28T10:30:00Z"} -->`, Hidden{}, false},
		{"other version", `<!-- stsgate:state {"v":2,"state":"ready","since":"2026-11-28T10:30:00Z"} -->`, Hidden{}, false},
		{"not JSON", `<!-- stsgate:state ready -->`, Hidden{}, false},
		{"unterminated", `<!-- stsgate:state {"v":1,"state":"ready"}`, Hidden{}, false},
		{"too long", `<!-- stsgate:state {"v":1,"state":"ready","pad":"` + strings.Repeat("x", 2000) + `"} -->`, Hidden{}, false},
		{"none", "just a body", Hidden{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseState(tc.body)
			if ok != tc.ok {
				t.Fatalf("ParseState ok = %v, want %v", ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseState(%q) mismatch (-want +got):\n%s", tc.body, diff)
			}
		})
	}
}

// TestStateLineRoundTrip renders and parses back a state.
func TestStateLineRoundTrip(t *testing.T) {
	t.Parallel()
	h := Hidden{State: KindBlocked, Since: now.Add(500 * time.Millisecond), NewID: "20261128T103000"}
	got, ok := ParseState("intro\n" + stateLine(h) + "\n")
	want := Hidden{Version: 1, State: KindBlocked, Since: now, NewID: "20261128T103000"}
	if !ok || !cmp.Equal(want, got) {
		t.Errorf("round trip = %+v, %v; want %+v", got, ok, want)
	}
	if line := stateLine(Hidden{State: KindReady, Since: time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}); !strings.HasPrefix(line, statePrefix) {
		t.Errorf("stateLine with an unencodable time = %q", line)
	}
}
