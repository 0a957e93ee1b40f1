package zone

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/txtfield"
)

// txt builds the TXT of rr, read from rec. miekg/dns keeps the
// character-strings in presentation form (with '\' escapes); they are
// unescaped the way miekg/dns does when it packs them.
func (s *source) txt(rr *dns.TXT, rec record) TXT {
	t := TXT{Strings: make([]string, len(rr.Txt))}
	for i, str := range rr.Txt {
		t.Strings[i] = unescape(str)
	}
	t.Text = strings.Join(t.Strings, "")
	t.Pos, t.Exact = s.txtPos(t.Text, rec)
	return t
}

// txtPos returns the position of the first byte of text in rec, and
// whether offsets in text map to columns from there: the data is a single
// quoted string on one line, without escapes, equal to text.
func (s *source) txtPos(text string, rec record) (diag.Pos, bool) {
	data := rec.rdata()
	if len(data) == 0 {
		return diag.Pos{Line: rec.line}, false
	}
	first := data[0]
	if !first.quoted {
		return s.pos(first.off), false
	}
	pos := s.pos(first.off + 1)
	if len(data) != 1 || !first.closed {
		return pos, false
	}
	inner := string(s.src[first.off+1 : first.end-1])
	exact := inner == text && !strings.ContainsAny(inner, "\\\n")
	return pos, exact
}

// unescape decodes the '\X' and '\DDD' escapes of a presentation-form
// character-string (RFC 1035 §5.1), as miekg/dns packTxtString does.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		if i == len(s) {
			break
		}
		if i+2 < len(s) && isDigit(s[i]) && isDigit(s[i+1]) && isDigit(s[i+2]) {
			// Values over 255 wrap, as in miekg/dns.
			b = append(b, (s[i]-'0')*100+(s[i+1]-'0')*10+(s[i+2]-'0'))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// commentCut reports an unquoted TXT record of rec, owned by name and
// served as text, whose line goes on after a ';' with what looks like a
// field: RFC 1035 §5.1 makes ';' outside quotes start a comment, so
// "_smtp._tls TXT v=TLSRPTv1;rua=mailto:..." publishes "v=TLSRPTv1" only.
func (s *source) commentCut(rec record, name, text string) (diag.Diagnostic, bool) {
	data := rec.rdata()
	if len(data) == 0 || data[len(data)-1].quoted {
		return diag.Diagnostic{}, false
	}
	last := data[len(data)-1]
	end := s.lineEnd(last.end)
	semi := last.end
	for semi < end && isBlank(s.src[semi]) {
		semi++
	}
	if semi == end || s.src[semi] != ';' {
		return diag.Diagnostic{}, false
	}
	n := fieldRun(string(s.src[semi:end]))
	if n == 0 {
		return diag.Diagnostic{}, false
	}
	end = semi + n
	return diag.New(diag.ZoneTXTUnquoted,
		fmt.Sprintf("the TXT record at %s is not in double quotes, and in a zone file ';' starts a comment (RFC 1035 §5.1): DNS serves only %s, and what follows, %s, is not part of the record, so senders do not see those fields", name, diag.Excerpt(text), diag.Excerpt(string(s.src[semi:end]))),
		s.quoteHint(rec, data[0].off, end)).
		At(s.pos(data[0].off), s.pos(end)), true
}

// fieldRun returns the length of the start of comment, a line's text from
// a ';' on, that reads as more fields of a record: ';' and name=value,
// repeated. It ends before a part that is no field, such as a real
// comment after the record; 0 when the first part is none.
func fieldRun(comment string) int {
	n := 0
	for off := 0; off < len(comment) && comment[off] == ';'; {
		part, _, _ := strings.Cut(comment[off+1:], ";")
		name, _, found := strings.Cut(strings.TrimLeft(part, " \t"), "=")
		if !found || !txtfield.ValidName(name) {
			break
		}
		n = off + 1 + len(strings.TrimRight(part, " \t"))
		off += 1 + len(part)
	}
	return n
}

// quoteHint shows the record of rec with its text, the bytes [from, end),
// in double quotes, when that text can be quoted as it is: one line of
// printable ASCII without quotes, escapes or parentheses that fits in one
// character-string (RFC 1035 §3.3: 255 bytes).
func (s *source) quoteHint(rec record, from, end int) string {
	const fix = "put the record's text in double quotes, so that the ';' and what follows belong to it"
	whole := string(s.src[from:end])
	prefix := strings.TrimSpace(string(s.src[rec.e.start:from]))
	if len(whole) > 255 || strings.ContainsAny(whole+prefix, "\"\\()\r\n") || txtfield.FirstNonASCII(whole+prefix) >= 0 {
		return fix
	}
	return fmt.Sprintf("%s: %s \"%s\"", fix, prefix, whole)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }
