package gate

import (
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/policy"
	"github.com/stsgate/stsgate/internal/txtfield"
	"github.com/stsgate/stsgate/internal/zone"
)

// atLine places d on line of the head policy file (the whole file when
// line is 0).
func (c *change) atLine(d diag.Diagnostic, line int) diag.Diagnostic {
	d.File = c.in.Head.Static.PolicyFile
	if line > 0 {
		d.Start = diag.Pos{Line: line, Column: 1}
	}
	return d
}

// atMode places d on the mode line of the head policy file.
func (c *change) atMode(d diag.Diagnostic) diag.Diagnostic {
	line := 0
	if c.head != nil {
		line = c.head.Line("mode")
	}
	return c.atLine(d, line)
}

// atDeclaration places d in the head's DNS declaration file, at pos, or
// names the record as its subject when the declaration has no file.
func (c *change) atDeclaration(d diag.Diagnostic, start, end diag.Pos) diag.Diagnostic {
	dns := c.in.Head.DNS
	if dns.Source == "" || dns.Source == zone.SourceConfig {
		d.Subject = "TXT _mta-sts." + dns.Domain
		return d
	}
	d.File = dns.Source
	return d.At(start, end)
}

// atID places d on the id= field of the head's _mta-sts record, or on the
// record's line when its text does not map column for column.
func (c *change) atID(d diag.Diagnostic) diag.Diagnostic {
	t, ok := recordTXT(c.in.Head.DNS.STS, c.headRec.ID)
	if !ok {
		return c.atDeclaration(d, diag.Pos{}, diag.Pos{})
	}
	if !t.Exact {
		return c.atDeclaration(d, diag.Pos{Line: t.Pos.Line}, diag.Pos{})
	}
	start, end := idSpan(t)
	return c.atDeclaration(d, start, end)
}

// recordTXT returns the TXT record of rrset whose id is id: the one
// senders use.
func recordTXT(rrset []zone.TXT, id string) (zone.TXT, bool) {
	for _, t := range rrset {
		if rec, _, _ := policy.ParseRecord(t.Text); rec != nil && rec.ID == id {
			return t, true
		}
	}
	return zone.TXT{}, false
}

// idSpan returns the file span of the first id= field of t, whose text
// maps column for column (t.Exact); the record's start when it has none.
func idSpan(t zone.TXT) (diag.Pos, diag.Pos) {
	fields, _ := txtfield.Split(t.Text)
	for _, f := range fields {
		if f.Name == "id" && f.HasEquals {
			start := diag.Pos{Line: 1, Column: f.Start + 1}.Offset(t.Pos)
			end := diag.Pos{Line: 1, Column: f.End + 1}.Offset(t.Pos)
			return start, end
		}
	}
	return t.Pos, diag.Pos{}
}
