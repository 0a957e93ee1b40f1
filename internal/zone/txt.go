package zone

import (
	"strings"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/diag"
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
