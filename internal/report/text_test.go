package report

import "testing"

func TestPlainLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"example.com: mode testing", "example.com: mode testing"},
		{"x\n::error::pwned", `x\n::error::pwned`},
		{"x\r::add-mask::y", `x\r::add-mask::y`},
		{"\u2028::warning::z", `\u2028::warning::z`},
		{"::error::at the start", `\x3a:error::at the start`},
		{"  \u00a0\u3000::notice::after spaces", "  \u00a0\u3000" + `\x3a:notice::after spaces`},
		{"\ufeff\u200b::error::zero width", "\ufeff\u200b" + `\x3a:error::zero width`},
		{"a ##[add-mask]b ##[error]c", `a ##[\add-mask]b ##[\error]c`},
		{"\x1b[31mred\u202e", `\x1b[31mred\u202e`},
		{"a: b:: c", "a: b:: c"},
	} {
		if got := PlainLine(tc.in); got != tc.want {
			t.Errorf("PlainLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
