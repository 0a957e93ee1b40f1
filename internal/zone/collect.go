package zone

import (
	"fmt"
	"strings"

	"github.com/miekg/dns"

	"github.com/stsgate/stsgate/internal/diag"
)

// collector sorts the records of a zone file into a Declaration.
type collector struct {
	s        *source
	domain   string
	decl     *Declaration
	diags    diag.List
	seen     bool            // a record at or below domain was read
	cnames   map[string]bool // owners of CNAME records anywhere in the file
	mx       []mxItem
	sts      *record // the first v=STSv1 record at _mta-sts.<domain>, else the first TXT there
	stsLooks bool    // sts looks like an MTA-STS record
}

// collect files every record; records of other domains only count as
// CNAME owners.
func (c *collector) collect(recs []record) {
	c.cnames = make(map[string]bool)
	for _, rec := range recs {
		name := normalize(rec.rr.Header().Name)
		if _, ok := rec.rr.(*dns.CNAME); ok {
			c.cnames[name] = true
		}
		if !atOrBelow(name, c.domain) {
			continue
		}
		c.seen = true
		switch rr := rec.rr.(type) {
		case *dns.TXT:
			c.addTXT(name, rr, rec)
		case *dns.MX:
			if name == c.domain {
				c.addMX(rr, rec)
			}
		case *dns.CNAME:
			c.addCNAME(name, rr, rec)
		case *dns.A, *dns.AAAA:
			if name == "mta-sts."+c.domain {
				// RFC 8461 §3.3: senders fetch the policy from this host.
				c.decl.PolicyHost = true
			}
		}
	}
}

// addCNAME files a CNAME owned by name (at or below the domain).
func (c *collector) addCNAME(name string, rr *dns.CNAME, rec record) {
	switch name {
	case "mta-sts." + c.domain:
		// RFC 8461 §3.3: senders fetch the policy from this host.
		c.decl.PolicyHost = true
	case "_mta-sts." + c.domain:
		// RFC 8461 §3.1 and §8.2: senders follow the alias to the
		// provider's record.
		c.decl.STSAlias = normalize(rr.Target)
		c.decl.STSAliasPos = c.s.start(rec)
	}
}

// addTXT files a TXT record owned by name (at or below the domain).
func (c *collector) addTXT(name string, rr *dns.TXT, rec record) {
	t := c.s.txt(rr, rec)
	switch name {
	case "_mta-sts." + c.domain:
		c.decl.STS = append(c.decl.STS, t)
		if c.sts == nil || !c.stsLooks && looksLikeSTS(t.Text) {
			c.sts, c.stsLooks = &rec, looksLikeSTS(t.Text)
		}
	case "_smtp._tls." + c.domain:
		c.decl.TLSRPT = append(c.decl.TLSRPT, t)
	}
	if looksLikeSTS(t.Text) || looksLikeTLSRPT(t.Text) {
		if d, cut := c.s.commentCut(rec, name, t.Text); cut {
			c.diags.Add(d)
		}
	}
	if strings.HasPrefix(name, "*") {
		// A wildcard also answers for _mta-sts and _smtp._tls when they
		// have no records of their own.
		return
	}
	start, end := c.s.span(rec)
	// RFC 8461 §3.1: senders look for the record at _mta-sts.<domain>
	// only. A record at _mta-sts.<sub> belongs to the subdomain's policy.
	if looksLikeSTS(t.Text) && !strings.HasPrefix(name, "_mta-sts.") {
		c.diags.Add(misplacedSTS(name, c.domain).At(start, end))
	}
	// RFC 8460 §3: the same for _smtp._tls.<domain>.
	if looksLikeTLSRPT(t.Text) && !strings.HasPrefix(name, "_smtp._tls.") {
		c.diags.Add(misplacedTLSRPT(name, c.domain).At(start, end))
	}
}

// addMX files an MX record of the domain.
func (c *collector) addMX(rr *dns.MX, rec record) {
	m := MX{Host: normalize(rr.Mx), Preference: rr.Preference, Pos: c.s.start(rec)}
	item := mxItem{MX: m, raw: rr.Mx}
	item.start, item.end = c.s.span(rec)
	if data := rec.rdata(); len(data) >= 2 {
		// The target as written: a relative "192.0.2.1" has become
		// 192.0.2.1.<origin> in rr.Mx.
		item.raw = c.s.text(data[1])
		item.start, item.end = c.s.pos(data[1].off), c.s.pos(data[1].end)
	}
	c.decl.MX = append(c.decl.MX, m)
	c.mx = append(c.mx, item)
}

// finish adds the checks that need the whole file. incomplete says that
// part of it was not read (a syntax error, a refused directive), so that
// the absence of a record proves nothing.
func (c *collector) finish(incomplete bool) diag.List {
	if !c.seen && !incomplete {
		c.diags.Add(diag.New(diag.ZoneDomainOutside,
			fmt.Sprintf("the zone file declares no record at or below %s, so it declares none of the domain's MTA-STS, TLS-RPT or MX records", c.domain),
			fmt.Sprintf("check the domain in the configuration and the file's $ORIGIN: relative names are read relative to $ORIGIN, or to %s. when the file has none", c.domain)).
			At(wholeFile(), diag.Pos{}))
	}
	c.diags = append(c.diags, checkMX(c.mx, c.domain)...)
	for _, m := range c.mx {
		// RFC 5321 §5.1: an MX target must not be an alias.
		if m.Host != "" && c.cnames[m.Host] {
			c.diags.Add(diag.New(diag.MXTargetCNAME,
				fmt.Sprintf("the MX record of %s names %s, which this file declares as a CNAME. RFC 5321 §5.1 requires the MX target to be the host's own name; some senders refuse the alias, and MTA-STS matches the policy's mx patterns against the MX name, not the CNAME target", c.domain, m.Host),
				"point the MX record at the canonical host name (the CNAME's target) and list that name in the policy's mx lines").
				At(m.start, m.end))
		}
	}
	if len(c.decl.STS) > 0 && !c.decl.PolicyHost && !incomplete {
		start, end := c.s.span(*c.sts)
		c.diags.Add(diag.New(diag.PolicyHostUndeclared,
			fmt.Sprintf("the zone file declares _mta-sts.%[1]s but no A, AAAA or CNAME record for mta-sts.%[1]s. Senders fetch the policy from https://mta-sts.%[1]s/.well-known/mta-sts.txt; without that host they find no policy", c.domain),
			fmt.Sprintf("add an A/AAAA or CNAME record for mta-sts.%s (for GitHub Pages, a CNAME to <owner>.github.io), unless it is declared in another zone", c.domain)).
			At(start, end))
	}
	return c.diags
}

// looksLikeSTS reports whether text starts like an MTA-STS record. It is
// lenient (case, leading blanks) because it only decides whether a record
// at a wrong name was meant as one.
func looksLikeSTS(text string) bool { return hasVersion(text, "v=stsv1") }

// looksLikeTLSRPT is looksLikeSTS for TLS-RPT records.
func looksLikeTLSRPT(text string) bool { return hasVersion(text, "v=tlsrptv1") }

func hasVersion(text, version string) bool {
	text = strings.TrimLeft(text, " \t")
	return len(text) >= len(version) && strings.EqualFold(text[:len(version)], version)
}

func misplacedSTS(name, domain string) diag.Diagnostic {
	return diag.New(diag.STSRecordMisplaced,
		fmt.Sprintf("a TXT record at %s looks like an MTA-STS record, but senders only look for it at _mta-sts.%s, so they do not see this one", name, domain),
		fmt.Sprintf("publish the record at _mta-sts.%s (the owner name _mta-sts in the zone of %s)", domain, domain))
}

func misplacedTLSRPT(name, domain string) diag.Diagnostic {
	draft := ""
	if strings.HasPrefix(name, "_smtp-tlsrpt.") {
		draft = " (_smtp-tlsrpt was the name in drafts of RFC 8460)"
	}
	return diag.New(diag.TLSRPTRecordMisplaced,
		fmt.Sprintf("a TXT record at %s%s looks like a TLS-RPT record, but senders only look for it at _smtp._tls.%s, so they send no TLS reports to it", name, draft, domain),
		fmt.Sprintf("publish the record at _smtp._tls.%s (the owner name _smtp._tls in the zone of %s)", domain, domain))
}
