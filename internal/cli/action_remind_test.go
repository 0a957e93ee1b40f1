package cli

import (
	"errors"
	"strings"
	"testing"
)

// TestMaxWritesInput: max_writes bounds one run's issue writes, like
// actions/stale's operations-per-run; empty keeps remind's default.
func TestMaxWritesInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value string
		want  int
		usage bool
	}{
		{"", 0, false},
		{"5", 5, false},
		{"1000", 1000, false},
		{"0", 0, true},
		{"-3", 0, true},
		{"many", 0, true},
	}
	for _, tt := range tests {
		got, err := maxWritesInput(func(name string) string {
			if name == "max_writes" {
				return tt.value
			}
			return ""
		})
		var u *usageError
		if got != tt.want || (err != nil) != tt.usage || err != nil && !errors.As(err, &u) {
			t.Errorf("max_writes %q = %d, %v; want %d, usage error %v", tt.value, got, err, tt.want, tt.usage)
		}
	}
}

// TestLabelInputsWithComma: a label name with a comma is refused for
// every input, as in the configuration file: the issue list API reads
// commas as separators, so such a label could never be found.
func TestLabelInputsWithComma(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"issue_label", "override_label"} {
		_, err := readInputs(func(n string) string {
			if n == name {
				return "mta,sts"
			}
			return ""
		})
		var u *usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "comma") {
			t.Errorf("%s with a comma: err = %v, want a usage error naming the input and the comma", name, err)
		}
	}
}
