package zone

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// at is a diagnostic reduced to what the tables check: code and span.
func at(l diag.List) []string {
	var out []string
	for _, d := range l {
		out = append(out, fmt.Sprintf("%s %d:%d-%d:%d", d.Code, d.Start.Line, d.Start.Column, d.End.Line, d.End.Column))
	}
	return out
}

func pos(line, col int) diag.Pos { return diag.Pos{Line: line, Column: col} }

func exact(text string, line, col int) TXT {
	return TXT{Text: text, Strings: []string{text}, Pos: pos(line, col), Exact: true}
}

// parseFileTest is a case of TestParseFile; FuzzParseFile uses the inputs
// as seeds.
type parseFileTest struct {
	name   string
	domain string
	src    string
	want   Declaration // without Domain and Source
	diags  []string    // see at
}

func parseFileTests() []parseFileTest {
	return []parseFileTest{
		{
			name:   "apex records, relative names and @",
			domain: "example.com",
			src: `$TTL 1h
@          IN MX 10 mail
@          IN MX 20 mx2.example.net.
_mta-sts   IN TXT "v=STSv1; id=abc"
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@example.net"
mta-sts    IN CNAME example.github.io.
mail       IN A 192.0.2.1
`,
			want: Declaration{
				STS:        []TXT{exact("v=STSv1; id=abc", 4, 20)},
				TLSRPT:     []TXT{exact("v=TLSRPTv1; rua=mailto:tls@example.net", 5, 20)},
				MX:         []MX{{"mail.example.com", 10, pos(2, 1)}, {"mx2.example.net", 20, pos(3, 1)}},
				PolicyHost: true,
			},
		},
		{
			name:   "T17 _mta-sts delegated by CNAME",
			domain: "example.com",
			src: `_mta-sts IN CNAME _mta-sts.provider.example.
mta-sts  IN CNAME mta-sts.provider.example.
_smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@example.net"
`,
			want: Declaration{
				TLSRPT:      []TXT{exact("v=TLSRPTv1; rua=mailto:tls@example.net", 3, 20)},
				PolicyHost:  true,
				STSAlias:    "_mta-sts.provider.example",
				STSAliasPos: pos(1, 1),
			},
		},
		{
			name:   "$ORIGIN, absolute names, class and TTL in either order, upper case",
			domain: "Example.COM.",
			src: `$ORIGIN example.com.
_MTA-STS.EXAMPLE.COM. 300 IN TXT "v=STSv1; id=1"
$ORIGIN _tls.example.com.
_smtp IN 300 TXT "v=TLSRPTv1; rua=mailto:a@example.net"
$ORIGIN com.
example MX 5 MAIL.example.com.
mta-sts.example AAAA 2001:db8::1
`,
			want: Declaration{
				STS:        []TXT{exact("v=STSv1; id=1", 2, 35)},
				TLSRPT:     []TXT{exact("v=TLSRPTv1; rua=mailto:a@example.net", 4, 19)},
				MX:         []MX{{"mail.example.com", 5, pos(6, 1)}},
				PolicyHost: true,
			},
		},
		{
			name:   "parentheses, multi-string TXT and a blank owner",
			domain: "example.com",
			src: `_mta-sts IN TXT ( "v=STSv1; "
                   "id=abc" ) ; split for length
         IN TXT "v=STSv1; id=" "two"
mta-sts  IN A 192.0.2.1
`,
			want: Declaration{
				STS: []TXT{
					{Text: "v=STSv1; id=abc", Strings: []string{"v=STSv1; ", "id=abc"}, Pos: pos(1, 20)},
					{Text: "v=STSv1; id=two", Strings: []string{"v=STSv1; id=", "two"}, Pos: pos(3, 18)},
				},
				PolicyHost: true,
			},
		},
		{
			name:   "escapes and unquoted text are not exact",
			domain: "example.com",
			src: `_mta-sts TXT "v=STSv1; id=\097bc"
_mta-sts TXT v=STSv1
mta-sts CNAME x.example.net.
`,
			want: Declaration{
				STS: []TXT{
					{Text: "v=STSv1; id=abc", Strings: []string{"v=STSv1; id=abc"}, Pos: pos(1, 15)},
					{Text: "v=STSv1", Strings: []string{"v=STSv1"}, Pos: pos(2, 14)},
				},
				PolicyHost: true,
			},
		},
		{
			name:   "CRLF line endings",
			domain: "example.com",
			src:    "_mta-sts TXT \"v=STSv1; id=a\"\r\n@ MX 10 mx.example.net.\r\nmta-sts A 192.0.2.1\r\n",
			want: Declaration{
				STS:        []TXT{exact("v=STSv1; id=a", 1, 15)},
				MX:         []MX{{"mx.example.net", 10, pos(2, 1)}},
				PolicyHost: true,
			},
		},
		{
			name:   "several domains: only the parent's records",
			domain: "example.com",
			src:    severalDomains,
			want: Declaration{
				STS:        []TXT{exact("v=STSv1; id=parent", 2, 32)},
				MX:         []MX{{"mx.example.com", 10, pos(1, 1)}},
				PolicyHost: true,
			},
		},
		{
			name:   "several domains: only the subdomain's records",
			domain: "sub.example.com",
			src:    severalDomains,
			want: Declaration{
				STS: []TXT{exact("v=STSv1; id=child", 5, 32)},
				MX:  []MX{{"mx.example.com", 10, pos(4, 1)}},
			},
			diags: []string{"policy-host-undeclared 5:1-5:50"},
		},
		{
			name:   "STS record at the apex (T18)",
			domain: "example.com",
			src:    "@ TXT \"v=STSv1; id=1\"\n@ TXT \"v=spf1 -all\"\n",
			diags:  []string{"sts-record-misplaced 1:1-1:22"},
		},
		{
			name:   "TLS-RPT record at the draft name and the apex (R12)",
			domain: "example.com",
			src: `_smtp-tlsrpt TXT "v=TLSRPTv1; rua=mailto:a@example.net"
example.com. TXT "v=TLSRPTv1; rua=mailto:a@example.net"
_mta-sts TXT "v=TLSRPTv1; rua=mailto:a@example.net"
mta-sts A 192.0.2.1
`,
			want: Declaration{
				STS:        []TXT{exact("v=TLSRPTv1; rua=mailto:a@example.net", 3, 15)},
				PolicyHost: true,
			},
			diags: []string{
				"tlsrpt-record-misplaced 1:1-1:56",
				"tlsrpt-record-misplaced 2:1-2:56",
				"tlsrpt-record-misplaced 3:1-3:52",
			},
		},
		{
			name:   "null MX",
			domain: "example.com",
			src:    "@ MX 0 .\n",
			want:   Declaration{MX: []MX{{"", 0, pos(1, 1)}}},
		},
		{
			name:   "null MX among others and with a preference",
			domain: "example.com",
			src:    "@ MX 10 .\n@ MX 10 mx.example.net.\n",
			want:   Declaration{MX: []MX{{"", 10, pos(1, 1)}, {"mx.example.net", 10, pos(2, 1)}}},
			diags:  []string{"mx-invalid 1:9-1:10", "mx-invalid 1:9-1:10"},
		},
		{
			name:   "IP literals and other non-host names",
			domain: "example.com",
			src: `@ MX 10 192.0.2.1
@ MX 20 192.0.2.2.
@ MX 30 2001:db8::25
@ MX 40 _mx.example.com.
@ MX 50 mx-.example.com.
@ MX 60 mx.123.
`,
			want: Declaration{MX: []MX{
				{"192.0.2.1.example.com", 10, pos(1, 1)},
				{"192.0.2.2", 20, pos(2, 1)},
				{"2001:db8::25.example.com", 30, pos(3, 1)},
				{"_mx.example.com", 40, pos(4, 1)},
				{"mx-.example.com", 50, pos(5, 1)},
				{"mx.123", 60, pos(6, 1)},
			}},
			diags: []string{
				"mx-invalid 1:9-1:18", "mx-invalid 2:9-2:19", "mx-invalid 3:9-3:21",
				"mx-invalid 4:9-4:25", "mx-invalid 5:9-5:25", "mx-invalid 6:9-6:16",
			},
		},
		{
			name:   "MX to a CNAME (M9)",
			domain: "example.com",
			src:    "@ MX 10 mail\nmail CNAME host.example.net.\n",
			want:   Declaration{MX: []MX{{"mail.example.com", 10, pos(1, 1)}}},
			diags:  []string{"mx-target-cname 1:9-1:13"},
		},
		{
			name:   "$INCLUDE is refused and the rest is read",
			domain: "example.com",
			src:    "@ MX 10 mx.example.net.\n$INCLUDE other.zone example.com.\n_mta-sts TXT \"v=STSv1; id=1\"\nmta-sts A 192.0.2.1\n",
			want: Declaration{
				STS:        []TXT{exact("v=STSv1; id=1", 3, 15)},
				MX:         []MX{{"mx.example.net", 10, pos(1, 1)}},
				PolicyHost: true,
			},
			diags: []string{"zone-include 2:1-2:33"},
		},
		{
			name:   "syntax error: line and column of the token, records before it kept",
			domain: "example.com",
			src:    "_mta-sts TXT \"v=STSv1; id=1\"\n@  IN  MX abc mail.example.com.\nmta-sts A 192.0.2.1\n",
			want:   Declaration{STS: []TXT{exact("v=STSv1; id=1", 1, 15)}},
			diags:  []string{"zone-syntax 2:11-2:14"},
		},
		{
			name:   "syntax error at the end of a line",
			domain: "example.com",
			src:    "@ MX 10 mx.example.net.\nmail A 192.0.2.300\n",
			want:   Declaration{MX: []MX{{"mx.example.net", 10, pos(1, 1)}}},
			diags:  []string{"zone-syntax 2:8-2:19"},
		},
		{
			name:   "record without data: on its own line, and the parser stops there",
			domain: "example.com",
			src:    "_mta-sts TXT \"v=STSv1; id=1\"\nmta-sts IN CNAME\n@ MX 10 mx.example.net.\n",
			want:   Declaration{STS: []TXT{exact("v=STSv1; id=1", 1, 15)}},
			diags:  []string{"zone-syntax 2:1-2:17"},
		},
		{
			name:   "record without data on the last line",
			domain: "example.com",
			src:    "_mta-sts TXT \"v=STSv1; id=1\"\nmta-sts IN CNAME\n",
			want:   Declaration{STS: []TXT{exact("v=STSv1; id=1", 1, 15)}},
			diags:  []string{"zone-syntax 2:1-2:17"},
		},
		{
			name:   "record without data on the last line, without a final newline",
			domain: "example.com",
			src:    "@ MX 10 mx.example.net.\n_mta-sts 300 IN TXT",
			want:   Declaration{MX: []MX{{"mx.example.net", 10, pos(1, 1)}}},
			diags:  []string{"zone-syntax 2:1-2:20"},
		},
		{
			name:   "record without data: blank owner, a comment after the type, CRLF",
			domain: "example.com",
			src:    "@ MX 10 mx.example.net.\r\n  IN TXT ; to do\r\n",
			want:   Declaration{MX: []MX{{"mx.example.net", 10, pos(1, 1)}}},
			diags:  []string{"zone-syntax 2:3-2:9"},
		},
		{
			name:   "a type as the data is data",
			domain: "example.com",
			src:    "$TTL 300\ntxt TXT TXT\n",
		},
		{
			name:   "unquoted TLS-RPT record cut short by a ';' comment",
			domain: "example.com",
			src:    "_smtp._tls IN TXT v=TLSRPTv1;rua=mailto:x@example.com\n",
			want: Declaration{
				TLSRPT: []TXT{{Text: "v=TLSRPTv1", Strings: []string{"v=TLSRPTv1"}, Pos: pos(1, 19)}},
			},
			diags: []string{"zone-txt-unquoted 1:19-1:54"},
		},
		{
			name:   "unquoted MTA-STS record cut short by a ';' comment, CRLF",
			domain: "example.com",
			src:    "_mta-sts IN TXT v=STSv1; id=20261101T000000 \r\nmta-sts A 192.0.2.1\r\n",
			want: Declaration{
				STS:        []TXT{{Text: "v=STSv1", Strings: []string{"v=STSv1"}, Pos: pos(1, 17)}},
				PolicyHost: true,
			},
			diags: []string{"zone-txt-unquoted 1:17-1:44"},
		},
		{
			name:   "comments after TXT records that are no cut fields",
			domain: "example.com",
			src: `_mta-sts TXT "v=STSv1; id=1" ; id=2 was the old one
_mta-sts TXT v=STSv1 ; the id is still missing
@ TXT v=spf1 ; mx=no
mta-sts A 192.0.2.1
`,
			want: Declaration{
				STS: []TXT{
					exact("v=STSv1; id=1", 1, 15),
					{Text: "v=STSv1", Strings: []string{"v=STSv1"}, Pos: pos(2, 14)},
				},
				PolicyHost: true,
			},
		},
		{
			name:   "bare CRs: lines end at LF, the first CR is reported",
			domain: "example.com",
			src:    "_mta-sts TXT \"v=STSv1;\rid=1\"\r\nmta-sts A 192.0.2.1\r\r\n",
			want: Declaration{
				STS:        []TXT{exact("v=STSv1;\rid=1", 1, 15)},
				PolicyHost: true,
			},
			diags: []string{"zone-bare-cr 1:23-1:24"},
		},
		{
			name:   "bare CR on the last line without a final newline",
			domain: "example.com",
			src:    "@ MX 10 mx.example.net.\nmta-sts A 192.0.2.1\r",
			want: Declaration{
				MX:         []MX{{"mx.example.net", 10, pos(1, 1)}},
				PolicyHost: true,
			},
			diags: []string{"zone-bare-cr 2:20-2:21"},
		},
		{
			name:   "no record of the domain",
			domain: "example.com",
			src:    "$ORIGIN example.org.\n@ MX 10 mx.example.org.\n",
			diags:  []string{"zone-domain-outside 1:0-0:0"},
		},
		{
			name:   "empty file",
			domain: "example.com",
			src:    "",
			diags:  []string{"zone-domain-outside 1:0-0:0"},
		},
		{
			name:   "invalid domain",
			domain: "exa mple..com",
			src:    "@ MX 10 mx.example.net.\n",
			diags:  []string{"zone-domain-outside 1:0-0:0"},
		},
		{
			name:   "$INCLUDE alone: the domain's records may be in the included file",
			domain: "example.com",
			src:    "$include mail.zone\n",
			diags:  []string{"zone-include 1:1-1:19"},
		},
		{
			name:   "records swapped between _mta-sts and _smtp._tls",
			domain: "example.com",
			src:    "_smtp._tls TXT \"v=STSv1; id=1\"\n_mta-sts TXT \"v=TLSRPTv1; rua=mailto:a@example.net\"\nmta-sts A 192.0.2.1\n",
			want: Declaration{
				STS:        []TXT{exact("v=TLSRPTv1; rua=mailto:a@example.net", 2, 15)},
				TLSRPT:     []TXT{exact("v=STSv1; id=1", 1, 17)},
				PolicyHost: true,
			},
			diags: []string{"sts-record-misplaced 1:1-1:31", "tlsrpt-record-misplaced 2:1-2:52"},
		},
		{
			name:   "a wildcard TXT may answer for _mta-sts",
			domain: "example.com",
			src:    "*.example.com. TXT \"v=STSv1; id=1\"\n",
		},
		{
			name:   "generic record syntax (RFC 3597)",
			domain: "example.com",
			src:    "_mta-sts TYPE16 \\# 4 03616263\nmta-sts A 192.0.2.1\n",
			want: Declaration{
				STS:        []TXT{{Text: "abc", Strings: []string{"abc"}, Pos: pos(1, 17)}},
				PolicyHost: true,
			},
		},
		{
			name:   "owner named like a type",
			domain: "example.com",
			src:    "txt.example.com. TXT \"v=STSv1; id=1\"\n",
			diags:  []string{"sts-record-misplaced 1:1-1:37"},
		},
	}
}

func TestParseFile(t *testing.T) {
	t.Parallel()
	for _, tc := range parseFileTests() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, l := ParseFile("dns/example.zone", []byte(tc.src), tc.domain)
			tc.want.Domain = normalize(tc.domain)
			tc.want.Source = "dns/example.zone"
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseFile(%q) mismatch (-want +got):\n%s", tc.src, diff)
			}
			if diff := cmp.Diff(tc.diags, at(l)); diff != "" {
				t.Errorf("ParseFile(%q) diagnostics mismatch (-want +got):\n%s", tc.src, diff)
			}
			for _, d := range l {
				if d.File != "dns/example.zone" || d.Domain != normalize(tc.domain) {
					t.Errorf("diagnostic %v has file %q, domain %q", d, d.File, d.Domain)
				}
				if d.Message == "" || d.Hint == "" {
					t.Errorf("diagnostic %v lacks a message or hint", d)
				}
			}
		})
	}
}

const severalDomains = `example.com.              MX 10 mx.example.com.
_mta-sts.example.com.     TXT "v=STSv1; id=parent"
mta-sts.example.com.      A 192.0.2.1
sub.example.com.          MX 10 mx.example.com.
_mta-sts.sub.example.com. TXT "v=STSv1; id=child"
`

// TestTXTOffsetMapping checks that an offset in Text, shifted by Pos, is
// the column of that byte in the file.
func TestTXTOffsetMapping(t *testing.T) {
	t.Parallel()
	line := `_mta-sts IN TXT "v=STSv1; id=abc"`
	got, _ := ParseFile("z", []byte(line+"\n"), "example.com")
	if len(got.STS) != 1 || !got.STS[0].Exact {
		t.Fatalf("STS = %+v, want one exact record", got.STS)
	}
	rec := got.STS[0]
	i := strings.Index(rec.Text, "id")
	p := diag.Pos{Line: 1, Column: i + 1}.Offset(rec.Pos)
	if want := (diag.Pos{Line: 1, Column: 27}); p != want {
		t.Errorf("offset of id maps to %v, want %v", p, want)
	}
	if c := line[p.Column-1]; c != 'i' {
		t.Errorf("byte at column %d is %q, want 'i'", p.Column, c)
	}
}

func TestParseFileTooLarge(t *testing.T) {
	t.Parallel()
	src := []byte(strings.Repeat("; padding\n", MaxFileSize/10+1))
	_, l := ParseFile("big.zone", src, "example.com")
	if diff := cmp.Diff([]string{"zone-syntax 1:0-0:0"}, at(l)); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
}

func TestParseFileGenerate(t *testing.T) {
	t.Parallel()
	src := "$GENERATE 1-65535 h$ A 192.0.2.1\n$GENERATE 1-65535 g$ A 192.0.2.1\n"
	_, l := ParseFile("gen.zone", []byte(src), "example.com")
	if diff := cmp.Diff([]string{"zone-syntax 2:0-0:0"}, at(l)); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
	src = "$GENERATE 1-3 h$ A 192.0.2.x$\n"
	_, l = ParseFile("gen.zone", []byte(src), "example.com")
	if diff := cmp.Diff([]string{"zone-syntax 1:0-0:0"}, at(l)); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
}

func TestFromInline(t *testing.T) {
	t.Parallel()
	sts := &TXT{Text: "v=STSv1; id=1", Pos: pos(4, 16)}
	tlsrpt := &TXT{Strings: []string{"v=STSv1; ", "id=2"}, Pos: pos(5, 16)}
	mx := []MX{
		{Host: "MAIL.Example.COM.", Pos: pos(6, 12)},
		{Host: "192.0.2.1", Pos: pos(6, 30)},
		{Host: "[192.0.2.2]", Pos: pos(6, 41)},
		{Host: "IPv6:2001:db8::1", Pos: pos(6, 54)},
	}
	got, l := FromInline("Example.com", sts, tlsrpt, mx)
	want := Declaration{
		Domain: "example.com",
		Source: "config",
		STS:    []TXT{{Text: "v=STSv1; id=1", Strings: []string{"v=STSv1; id=1"}, Pos: pos(4, 16)}},
		TLSRPT: []TXT{{Text: "v=STSv1; id=2", Strings: []string{"v=STSv1; ", "id=2"}, Pos: pos(5, 16)}},
		MX: []MX{
			{Host: "mail.example.com", Pos: pos(6, 12)},
			{Host: "192.0.2.1", Pos: pos(6, 30)},
			{Host: "[192.0.2.2]", Pos: pos(6, 41)},
			{Host: "ipv6:2001:db8::1", Pos: pos(6, 54)},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FromInline mismatch (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		"sts-record-misplaced 5:16-0:0",
		"mx-invalid 6:30-0:0", "mx-invalid 6:41-0:0", "mx-invalid 6:54-0:0",
	}
	if diff := cmp.Diff(wantDiags, at(l)); diff != "" {
		t.Errorf("FromInline diagnostics mismatch (-want +got):\n%s", diff)
	}
	for _, d := range l {
		if d.Domain != "example.com" || d.File != "" {
			t.Errorf("diagnostic %v has domain %q, file %q", d, d.Domain, d.File)
		}
	}
}

func TestFromInlineNullMX(t *testing.T) {
	t.Parallel()
	got, l := FromInline("example.com", nil, nil, []MX{{Host: ".", Pos: pos(3, 9)}})
	want := Declaration{Domain: "example.com", Source: "config", MX: []MX{{Pos: pos(3, 9)}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FromInline mismatch (-want +got):\n%s", diff)
	}
	if len(l) != 0 {
		t.Errorf("FromInline diagnostics = %v, want none", l)
	}
}

func TestParseFileGenerateBudget(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 400)
	src := "$GENERATE 1-10 h$ A 192.0.2.1\n" +
		"$GENERATE 0-65535 _mta-sts TXT \"" + long + "\"\n" +
		"_mta-sts TXT \"v=STSv1; id=1\"\nmta-sts A 192.0.2.1\n"
	decl, l := ParseFile("gen.zone", []byte(src), "example.com")
	if diff := cmp.Diff([]string{"zone-syntax 2:1-2:434"}, at(l)); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]TXT{exact("v=STSv1; id=1", 3, 15)}, decl.STS); diff != "" {
		t.Errorf("STS mismatch (-want +got):\n%s", diff)
	}
}

// TestSyntaxErrorExcerpt: a syntax error names the token by a short
// excerpt; a zone file that is really something else (a process
// environment, say) is not echoed.
func TestSyntaxErrorExcerpt(t *testing.T) {
	t.Parallel()
	src := "TOKEN=" + strings.Repeat("s3cret", 1000) + "\x00HOME=/root\n"
	_, diags := ParseFile("dns.zone", []byte(src), "example.com")
	if len(diags) == 0 {
		t.Fatal("no diagnostic")
	}
	for _, d := range diags {
		if strings.Count(d.Message, "s3cret") > 7 || strings.Contains(d.Message, "HOME") {
			t.Errorf("%s quotes the file: %d bytes", d.Code, len(d.Message))
		}
	}
}

func TestFieldRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		comment string
		want    int
	}{
		{";rua=mailto:a@example.com", 25},
		{"; id=1 ; this is the policy id", 6},
		{";a=1;b=2;", 8},
		{"; the id comes later", 0},
		{";;id=1", 0},
		{"; =1", 0},
	}
	var got []int
	var want []int
	for _, tc := range tests {
		got = append(got, fieldRun(tc.comment))
		want = append(want, tc.want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fieldRun mismatch (-want +got):\n%s", diff)
	}
}
