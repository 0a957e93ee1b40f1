package check

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/zone"
)

// Repo is what a repository holds for one policy domain.
type Repo struct {
	Domain     string
	PolicyFile string // repository-relative path of the policy file
	Policy     []byte // its contents; nil when it could not be read
	// PolicyRefused and DNSRefused say the policy file or the zone file
	// was refused as unsafe to read (DESIGN §1.11), which the caller has
	// reported already.
	PolicyRefused, DNSRefused bool
	DNS                       *zone.Declaration // nil when the repository declares no DNS
}

// Static is the outcome of the static checks of one domain.
type Static struct {
	PolicyFile string         // repository path of the policy file
	PolicyText []byte         // its contents; nil when it could not be read
	Policy     *policy.Policy // nil when the policy file has errors or is absent
	Record     *policy.Record // the _mta-sts record senders would use, if any
	TLSRPT     *tlsrpt.Record // the _smtp._tls record senders would use, if any
	Diags      diag.List
}

// Lint runs the static checks of DESIGN §1.2 for one domain: the policy
// file, the declared _mta-sts and _smtp._tls records, and the consistency
// of the policy with the declared MX hosts. It needs no network.
func Lint(r Repo) Static {
	s := Static{PolicyFile: r.PolicyFile, PolicyText: r.Policy}
	parsed := s.lintPolicy(r)
	if r.DNS == nil && r.DNSRefused {
		s.Diags = s.Diags.ForDomain(r.Domain)
		return s
	}
	if r.DNS == nil {
		s.Diags.Add(diag.New(diag.DNSUndeclared,
			"the repository declares no DNS for this domain, so stsgate cannot check that the _mta-sts id changes with the policy or that the policy covers the MX hosts",
			"add a zone file or inline records to the domain in .github/stsgate.yml"))
	} else {
		s.lintRecords(r.DNS)
		if parsed != nil {
			s.Diags = append(s.Diags, declaredCoverage(parsed, r.DNS).InFile(r.PolicyFile, diag.Pos{})...)
			s.Diags = append(s.Diags, reportingDomain(r.Domain, parsed, s.TLSRPT, r.DNS)...)
		}
	}
	s.Diags = s.Diags.ForDomain(r.Domain)
	return s
}

// lintPolicy parses the policy file and returns it when it parsed at all,
// even with errors, so that consistency checks can still run.
func (s *Static) lintPolicy(r Repo) *policy.Policy {
	if r.Policy == nil && r.PolicyRefused {
		return nil
	}
	if r.Policy == nil {
		s.Diags.Add(inFile(diag.New(diag.FileUnreadable,
			fmt.Sprintf("the policy file %s does not exist or cannot be read; without it there is no policy to serve", r.PolicyFile),
			"commit the policy file, or set the domain's policy: path in .github/stsgate.yml"), r.PolicyFile, diag.Pos{}))
		return nil
	}
	p, diags := policy.Parse(r.Policy)
	s.Diags = append(s.Diags, diags.InFile(r.PolicyFile, diag.Pos{})...)
	if diags.Max() < diag.Error {
		s.Policy = p
	}
	if p.Mode == policy.ModeTesting {
		s.Diags.Add(inFile(diag.New(diag.PolicyModeTesting,
			"the policy is in testing mode: senders deliver even when TLS fails and only report the failures",
			"move to mode: enforce once TLS-RPT reports have been clean for two weeks, and change the _mta-sts id"),
			r.PolicyFile, diag.Pos{Line: p.Line("mode"), Column: 1}))
	}
	return p
}

// lintRecords checks the declared TXT RRsets.
func (s *Static) lintRecords(dns *zone.Declaration) {
	if len(dns.STS) == 0 && dns.STSAlias != "" {
		// RFC 8461 §8.2: the record is delegated; senders follow the
		// CNAME, and the provider publishes the id.
		s.Diags.Add(inFile(diag.New(diag.STSRecordDelegated,
			fmt.Sprintf("_mta-sts.%s is a CNAME to %s; the id lives there, so stsgate cannot check that it changes with the policy", dns.Domain, dns.STSAlias),
			"make sure the provider changes the id whenever this repository changes the policy"), dns.Source, dns.STSAliasPos))
	} else {
		sts := policy.ParseRecordSet(texts(dns.STS))
		s.Record = sts.Record
		s.Diags = append(s.Diags, placeRecords(dns, dns.STS, sts.Records, sts.Set)...)
	}
	rpt := tlsrpt.ParseRecordSet(texts(dns.TLSRPT))
	s.TLSRPT = rpt.Record
	s.Diags = append(s.Diags, placeRecords(dns, dns.TLSRPT, rpt.Records, rpt.Set)...)
}

func texts(rrset []zone.TXT) []string {
	out := make([]string, len(rrset))
	for i, t := range rrset {
		out[i] = t.Text
	}
	return out
}

// placeRecords maps diagnostics positioned inside each record's text to
// the declaration file. Where the text does not map column for column
// (several strings, escapes), the diagnostic covers the record's line.
func placeRecords(dns *zone.Declaration, rrset []zone.TXT, perRecord []diag.List, set diag.List) diag.List {
	var out diag.List
	for i, l := range perRecord {
		t := rrset[i]
		for _, d := range l {
			if t.Exact {
				d.Start, d.End = d.Start.Offset(t.Pos), d.End.Offset(t.Pos)
			} else {
				d.Start, d.End = diag.Pos{Line: t.Pos.Line}, diag.Pos{}
			}
			d.File = dns.Source
			out.Add(d)
		}
	}
	for _, d := range set {
		d.File = dns.Source
		out.Add(d)
	}
	return out
}
