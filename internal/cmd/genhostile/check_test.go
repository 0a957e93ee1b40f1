package main

import (
	"strings"
	"testing"
)

func TestCheckJSON(t *testing.T) {
	tests := []struct {
		name, in string
		wantErr  string // "" for no error
	}{
		{"object", `{"schema_version": 1, "domains": [{"days": [{"successful": 0}]}]}`, ""},
		{"large count", `{"successful": 9223372036854775807}`, ""},
		{"trailing space", "{}\n", ""},
		{"negative count", `{"days": [{"successful": -2}]}`, "negative number -2"},
		{"negative float", `[1, -0.5]`, "negative number -0.5"},
		{"two documents", `{} {}`, "more than one JSON value"},
		{"truncated", `{"domains": [`, "not valid JSON"},
		{"truncated string", `{"organization": "Big`, "not valid JSON"},
		{"not JSON", `verdict: pass`, "not valid JSON"},
		{"empty", ``, "no JSON value"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := checkJSON(strings.NewReader(tc.in))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("checkJSON(%q) = %v, want no error", tc.in, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("checkJSON(%q) = %v, want an error containing %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
