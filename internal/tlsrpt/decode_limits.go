package tlsrpt

import (
	"fmt"

	"github.com/stsgate/stsgate/internal/diag"
)

// Limits bound the work done for one input. Fields that are zero or
// negative take their default.
type Limits struct {
	// MaxReport bounds the decompressed bytes of one report (J23). mox
	// accepts 20 MB; RFC 8460 §5.2 notes that receivers commonly limit
	// mail to 10 MB.
	MaxReport int64
	// MaxSource bounds the bytes read and decompressed for one source
	// (a file or a URL) in total.
	MaxSource int64
	// MaxParts bounds the archive members, mbox messages and MIME parts
	// of one source, together.
	MaxParts int
	// MaxDepth bounds how deep archives, compression, messages and MIME
	// parts may nest; default 12. A report mail is three levels deep
	// (message, multipart, gzip).
	MaxDepth int
	// MaxHeaderBytes bounds the header block of a mail, forwarded or in
	// an mbox; default 1 MiB, as net/http's. Mail servers refuse far
	// smaller ones (Postfix: 100 KiB), so a larger one is not a report
	// mail; it is not read.
	MaxHeaderBytes int
}

// Default limits.
const (
	DefaultMaxReport = 20 << 20
	DefaultMaxSource = 200 << 20
	DefaultMaxParts  = 100000
	DefaultMaxDepth  = 12

	DefaultMaxHeaderBytes = 1 << 20
)

// DefaultLimits returns the default limits (see the Default constants).
func DefaultLimits() Limits {
	return Limits{}.withDefaults()
}

// withDefaults returns l with its unset fields set to the defaults.
func (l Limits) withDefaults() Limits {
	if l.MaxReport <= 0 {
		l.MaxReport = DefaultMaxReport
	}
	if l.MaxSource <= 0 {
		l.MaxSource = DefaultMaxSource
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	return l
}

// limitKind is a limit that can cut what a source gives, or a count
// held at its maximum. Whatever the number of reports, parts or fields
// it cuts, each says so once per source (see Decoder.limit).
type limitKind uint8

const (
	limitSaturated limitKind = iota
	limitDepth
	limitHeader
	numLimits
)

// limitHit is what a Decode call recorded about one limitKind: the
// times it was hit, and where its diagnostic is in the list (index+1;
// 0 when it was not listed).
type limitHit struct{ n, at int }

// limit records that limit k cut something in src (or held a count).
// The first time, it adds the limit's diagnostic; later times only
// count, and end rewrites the message with the count.
func (d *Decoder) limit(src string, k limitKind) {
	h := &d.hits[k]
	h.n++
	dg := d.limitDiag(k, h.n)
	if h.n > 1 {
		if dg.Severity >= diag.Error {
			d.errs++
		}
		return
	}
	before := len(d.diags)
	d.add(src, dg)
	if len(d.diags) > before {
		h.at = len(d.diags)
	}
}

// countLimits rewrites the message of every limit hit more than once
// with its count.
func (d *Decoder) countLimits() {
	for k := range d.hits {
		if h := &d.hits[k]; h.n > 1 && h.at > 0 {
			d.diags[h.at-1].Message = d.limitDiag(limitKind(k), h.n).Message
		}
	}
}

// limitDiag is the diagnostic of limit k hit n times.
func (d *Decoder) limitDiag(k limitKind, n int) diag.Diagnostic {
	switch k {
	case limitSaturated:
		return diag.New(diag.ReportCountSaturated,
			fmt.Sprintf("In %s, failed-session-counts add up to more than 2^63-1, the largest count there is; the sum is held there rather than wrapped around to a negative number. No mail server sends that many sessions: the report is not genuine.",
				times(n, "one policy entry", "policy entries")),
			"Check where the report comes from, and remove it from the report sources if it is not genuine.")
	case limitDepth:
		return diag.New(diag.ReportUnreadable,
			fmt.Sprintf("The source has %s nested more than %d levels deep in archives, compression and messages; they are not read, and any report in them is lost.",
				times(n, "one input", "inputs"), d.lim.MaxDepth),
			"Unpack the report so that it is at most a message with a gzip attachment.")
	case limitHeader:
		return diag.New(diag.ReportHeaderTooLarge,
			fmt.Sprintf("The source has %s with a header block larger than %d bytes; such a mail is not read (no mail server passes it on), and any report in it is lost.",
				times(n, "a mail", "mails"), d.lim.MaxHeaderBytes),
			"Check where the mail comes from; give the report itself (JSON or .json.gz) if it is genuine.")
	}
	panic(fmt.Sprintf("tlsrpt: unknown limit %d", k))
}

// times says "one" for n == 1, else "<n> many".
func times(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf("%d %s", n, many)
}
