// Package zone reads the DNS a repository declares for a policy domain
// (DESIGN.md §1.1): a BIND master file (RFC 1035 §5) read with the
// miekg/dns zone parser, or inline records from the configuration.
//
// It collects what MTA-STS and TLS-RPT depend on: the TXT RRsets at
// _mta-sts.<domain> (RFC 8461 §3.1) and _smtp._tls.<domain> (RFC 8460 §3),
// the domain's MX RRset, and whether the policy host mta-sts.<domain>
// (RFC 8461 §3.3) is declared. It keeps the position of every record, so
// that the record parsers of packages policy and tlsrpt can point into the
// file, and reports records that senders would not find or could not use:
// MTA-STS and TLS-RPT records at the wrong name, MX hosts that are not
// host names or are CNAMEs, $INCLUDE, syntax errors.
//
// It does not judge the content of the TXT records; policy and tlsrpt do.
package zone

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/diag"
)

// Declaration is the DNS a repository declares for one policy domain.
type Declaration struct {
	Domain     string // lower-case, no trailing dot
	Source     string // the zone file's name, or "config"
	STS        []TXT  // the TXT RRset at _mta-sts.<domain>
	TLSRPT     []TXT  // the TXT RRset at _smtp._tls.<domain>
	MX         []MX   // the MX RRset at <domain>
	PolicyHost bool   // mta-sts.<domain> has an A, AAAA or CNAME record
	// STSAlias is the target of a CNAME at _mta-sts.<domain>, which
	// delegates the record to a provider (RFC 8461 §3.1, §8.2); "" when
	// there is none.
	STSAlias string
	// STSAliasPos is the position of that CNAME record.
	STSAliasPos diag.Pos
}

// TXT is one TXT record.
type TXT struct {
	Text    string   // character-strings joined without spaces (RFC 8461 §3.1, RFC 8460 §3)
	Strings []string // the character-strings, unescaped
	Pos     diag.Pos // file position of the first byte of Text (just after the opening quote)
	// Exact is true when a byte offset inside Text maps to Pos by adding
	// columns: the record's data is one quoted string on one line without
	// escapes, and Text appears verbatim at Pos.
	Exact bool
}

// MX is one MX record.
type MX struct {
	Host       string   // lower-case, no trailing dot; "" for the null MX "0 ." (RFC 7505)
	Preference uint16   // lower is preferred
	Pos        diag.Pos // start of the record's line (column of its owner name or 1)
}

// SourceConfig is the Source of a declaration made of inline records.
const SourceConfig = "config"

// ParseFile reads the zone file name with contents src and returns the
// records it declares for domain. Names in the file are relative to
// domain until a $ORIGIN directive says otherwise. Every diagnostic has
// File set to name and Domain set to domain.
func ParseFile(name string, src []byte, domain string) (Declaration, diag.List) {
	domain = normalize(domain)
	decl := Declaration{Domain: domain, Source: name}
	var l diag.List
	switch {
	case len(src) > MaxFileSize:
		l.Add(diag.New(diag.ZoneSyntax,
			fmt.Sprintf("the zone file is %d bytes, more than the %d that stsgate reads, so the DNS records declared in it are not checked", len(src), MaxFileSize),
			"keep only the records of the mail domains in the declaration file").
			At(wholeFile(), diag.Pos{}))
	case !isDomain(domain):
		l.Add(diag.New(diag.ZoneDomainOutside,
			fmt.Sprintf("the policy domain %q is not a domain name, so the zone file cannot be read for it", domain),
			"give the policy domain as a fully qualified name such as example.com in the configuration").
			At(wholeFile(), diag.Pos{}))
	default:
		s := newSource(src)
		recs, parseDiags := s.read(domain)
		l = parseDiags
		c := &collector{s: s, domain: domain, decl: &decl}
		c.collect(recs)
		l = append(l, c.finish(parseDiags.Has(diag.ZoneSyntax) || parseDiags.Has(diag.ZoneInclude))...)
	}
	l.Sort()
	return decl, l.InFile(name, diag.Pos{}).ForDomain(domain)
}

// FromInline builds the declaration of domain from records given in the
// configuration: the _mta-sts and _smtp._tls TXT records (nil when not
// given) and the MX hosts. Positions are the caller's (the configuration
// file's) and are kept as given; MX hosts are lower-cased and lose a
// trailing dot, "." is the null MX. A TXT with only Text or only Strings
// gets the other filled in. Diagnostics have Domain set; the caller sets
// File with diag.List.InFile.
func FromInline(domain string, sts, tlsrpt *TXT, mx []MX) (Declaration, diag.List) {
	domain = normalize(domain)
	decl := Declaration{Domain: domain, Source: SourceConfig}
	var l diag.List
	if sts != nil {
		t := completeTXT(*sts)
		decl.STS = []TXT{t}
		if looksLikeTLSRPT(t.Text) {
			l.Add(misplacedTLSRPT("_mta-sts."+domain, domain).At(t.Pos, diag.Pos{}))
		}
	}
	if tlsrpt != nil {
		t := completeTXT(*tlsrpt)
		decl.TLSRPT = []TXT{t}
		if looksLikeSTS(t.Text) {
			l.Add(misplacedSTS("_smtp._tls."+domain, domain).At(t.Pos, diag.Pos{}))
		}
	}
	items := make([]mxItem, len(mx))
	for i, m := range mx {
		raw := m.Host
		m.Host = normalize(m.Host)
		items[i] = mxItem{MX: m, raw: raw, start: m.Pos}
		decl.MX = append(decl.MX, m)
	}
	l = append(l, checkMX(items, domain)...)
	return decl, l.ForDomain(domain)
}

// completeTXT fills in Text from Strings or Strings from Text.
func completeTXT(t TXT) TXT {
	switch {
	case t.Strings == nil:
		t.Strings = []string{t.Text}
	case t.Text == "":
		t.Text = strings.Join(t.Strings, "")
	}
	return t
}

// normalize lower-cases a domain name and removes its trailing dot.
func normalize(name string) string {
	return strings.ToLower(strings.TrimSuffix(name, "."))
}

// isDomain reports whether name (normalized) is a non-root domain name.
func isDomain(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") {
		return false
	}
	_, ok := dns.IsDomainName(name + ".")
	return ok
}

// atOrBelow reports whether name is domain or a name below it.
func atOrBelow(name, domain string) bool {
	return name == domain || strings.HasSuffix(name, "."+domain)
}
