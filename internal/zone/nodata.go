package zone

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/diag"
)

// A record whose line ends after its type, such as "mta-sts IN CNAME",
// lacks its data. RFC 1035 §5.1 requires the RDATA, and name servers
// refuse to load such a file, but miekg/dns reads the record three ways:
// at the end of the file as an empty record of a dynamic update (RFC 2136
// §2.5), followed by a comment as an empty TXT, and otherwise as an error
// it places on the next line. stsgate therefore finds the first such
// record itself and ends the parse before it, as at any syntax error.

// noData returns the first record entry of s that ends after its type,
// and the index of its type token; nil when there is none.
func (s *source) noData() (*entry, int) {
	for i := range s.entries {
		e := &s.entries[i]
		if typ := s.typeOnly(e); typ >= 0 {
			return e, typ
		}
	}
	return nil, -1
}

// typeOnly returns the index of the last token of e when it is the
// record's type and nothing follows it, else -1. A record is an owner
// (unless the line starts with a blank), then TTL and class in any order,
// then the type; miekg/dns recognises types and classes in any case.
func (s *source) typeOnly(e *entry) int {
	first := 1
	if e.blankOwner {
		first = 0
	} else if strings.HasPrefix(s.text(e.tokens[0]), "$") {
		return -1 // a directive
	}
	for i := first; i < len(e.tokens); i++ {
		if e.tokens[i].quoted {
			return -1
		}
		text := strings.ToUpper(s.text(e.tokens[i]))
		switch {
		case isType(text):
			if i == len(e.tokens)-1 {
				return i
			}
			return -1
		case !isClass(text) && !isTTL(text):
			return -1
		}
	}
	return -1
}

func isType(upper string) bool {
	_, known := dns.StringToType[upper]
	return known || isNumbered(upper, "TYPE")
}

func isClass(upper string) bool {
	_, known := dns.StringToClass[upper]
	return known || isNumbered(upper, "CLASS")
}

// isNumbered reports whether s is prefix followed by a 16-bit number, the
// generic type and class syntax of RFC 3597 §5.
func isNumbered(s, prefix string) bool {
	n, found := strings.CutPrefix(s, prefix)
	_, err := strconv.ParseUint(n, 10, 16)
	return found && err == nil
}

// isTTL reports whether upper is a TTL as miekg/dns reads one: digits,
// each group optionally followed by a unit S, M, H, D or W.
func isTTL(upper string) bool {
	return upper != "" && upper[0] >= '0' && upper[0] <= '9' &&
		strings.Trim(upper, "0123456789SMHDW") == ""
}

// noDataDiag reports the record of e whose type, the token at typ, is
// not followed by its data.
func (s *source) noDataDiag(e *entry, typ int) diag.Diagnostic {
	upper := strings.ToUpper(s.text(e.tokens[typ]))
	msg := fmt.Sprintf("the %s record on this line has no data: nothing follows its type. RFC 1035 §5.1 requires the data after the type, and name servers refuse to load a zone file with such a record", upper)
	if e != &s.entries[len(s.entries)-1] {
		msg += ". The zone parser stops at it, so stsgate does not see the records after it and cannot check them"
	}
	return diag.New(diag.ZoneSyntax, msg,
		fmt.Sprintf("write the record's data after %s (%s), or delete the line", upper, dataExample(upper))).
		At(s.pos(e.tokens[0].off), s.pos(e.tokens[typ].end))
}

// dataExample describes the data a record of type upper needs.
func dataExample(upper string) string {
	switch upper {
	case "CNAME":
		return "the target name with a final dot, such as <owner>.github.io. for GitHub Pages"
	case "TXT":
		return `the text in double quotes, such as "v=STSv1; id=20261128T103000"`
	case "MX":
		return "a preference and a host name, such as 10 mail.example.com."
	case "A", "AAAA":
		return "an address"
	}
	return "see the record type's definition"
}
