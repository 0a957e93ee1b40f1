package txtfield

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		fields   []Field
		problems []Problem
	}{
		{"v=STSv1; id=a", []Field{{"v", "STSv1", true, 0, 2, 7}, {"id", "a", true, 9, 12, 13}}, nil},
		{"v=STSv1;", []Field{{"v", "STSv1", true, 0, 2, 7}}, nil},
		{"v=STSv1; id=a; ", []Field{{"v", "STSv1", true, 0, 2, 7}, {"id", "a", true, 9, 12, 13}}, nil},
		{"v=STSv1 ;id=a", []Field{{"v", "STSv1", true, 0, 2, 7}, {"id", "a", true, 9, 12, 13}}, []Problem{{SpaceBeforeFirstDelim, 7, 8}}},
		{"v=STSv1; id=a;;", []Field{{"v", "STSv1", true, 0, 2, 7}, {"id", "a", true, 9, 12, 13}}, []Problem{{EmptyField, 14, 14}}},
		{"v=STSv1; id=a ", []Field{{"v", "STSv1", true, 0, 2, 7}, {"id", "a", true, 9, 12, 13}}, []Problem{{TrailingSpace, 13, 14}}},
		{" v=STSv1", []Field{{"v", "STSv1", true, 1, 3, 8}}, []Problem{{LeadingSpace, 0, 1}}},
		{";", nil, []Problem{{EmptyField, 0, 0}}},
		{"junk", []Field{{"junk", "", false, 0, 4, 4}}, nil},
		{"", nil, []Problem{{EmptyField, 0, 0}}},
	}
	for _, tc := range tests {
		fields, problems := Split(tc.in)
		if diff := cmp.Diff(tc.fields, fields); diff != "" {
			t.Errorf("Split(%q) fields mismatch (-want +got):\n%s", tc.in, diff)
		}
		if diff := cmp.Diff(tc.problems, problems); diff != "" {
			t.Errorf("Split(%q) problems mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestValidNameValue(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{"ext": true, "a.b-c_d": true, "_x": false, "-x": false, "": false, "k2345678901234567890123456789012": true, "k23456789012345678901234567890123": false, "é": false} {
		if got := ValidName(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
	for value, want := range map[string]bool{"1": true, "a b": false, "a=b": false, "a;b": false, "": false, "~!": true, "é": false} {
		if got := ValidValue(value); got != want {
			t.Errorf("ValidValue(%q) = %v, want %v", value, got, want)
		}
	}
}
