package imapsource

import (
	"strings"

	"github.com/emersion/go-imap"
)

// mayHoldReport reports whether a message's structure can hold a TLS-RPT
// report, so that other mail (DMARC reports, bounces, newsletters) is
// skipped without downloading it. It is generous: the report decoder
// decides by content.
//
// RFC 8460 §5.3: a report mail is multipart/report; report-type="tlsrpt"
// with an application/tlsrpt+json or application/tlsrpt+gzip part. Real
// senders also use application/tlsrpt, +zip, and generic attachments
// (application/json, gzip, zip, octet-stream) named *.json[.gz]
// (mta-sts-and-tlsrpt.md, "Various" quirks).
func mayHoldReport(bs *imap.BodyStructure) bool {
	if bs == nil {
		return true // no structure: let the decoder decide
	}
	found := false
	bs.Walk(func(_ []int, part *imap.BodyStructure) bool {
		found = found || isReportPart(part)
		return !found
	})
	return found
}

func isReportPart(p *imap.BodyStructure) bool {
	typ := strings.ToLower(p.MIMEType + "/" + p.MIMESubType)
	switch {
	case typ == "multipart/report":
		return strings.EqualFold(p.Params["report-type"], "tlsrpt")
	case strings.HasPrefix(typ, "application/tlsrpt"):
		return true
	case typ == "text/plain" || typ == "text/html" || !strings.HasPrefix(typ, "application/"):
		return false
	}
	return hasReportName(partName(p), genericReportType(typ))
}

// genericReportType reports whether typ is one of the generic types real
// senders put reports in.
func genericReportType(typ string) bool {
	switch typ {
	case "application/json", "application/gzip", "application/x-gzip", "application/zip",
		"application/x-zip-compressed", "application/octet-stream":
		return true
	}
	return false
}

// hasReportName reports whether an attachment's file name looks like a
// report's (RFC 8460 §5.1: .json or .json.gz; .gz and .zip when the
// sender shortened the name), and not like a DMARC report's .xml.
func hasReportName(name string, generic bool) bool {
	name = strings.ToLower(name)
	if strings.Contains(name, ".xml") {
		return false
	}
	for _, ext := range []string{".json", ".json.gz", ".gz", ".zip", ".tlsrpt"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return name == "" && generic // an unnamed generic part: let the decoder see it
}

func partName(p *imap.BodyStructure) string {
	if name, err := p.Filename(); err == nil && name != "" {
		return name
	}
	return p.Params["name"]
}
