package tlsrpt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/stsgate/stsgate/internal/diag"
)

// Decode reads every report in src and calls emit for each, in input
// order. It recognises the format by content, not by name (J17): a JSON
// report, a JSON array of reports, NDJSON, gzip of any of those, zip
// (members decoded recursively), an RFC 5322 message (.eml) with a
// multipart/report; report-type=tlsrpt body and application/tlsrpt+json
// or application/tlsrpt+gzip parts, the mislabelled variants real
// reporters send (J16-J20), and mbox (messages separated by "From "
// lines). source names src in diagnostics and in Report.Source.
//
// The returned diagnostics say what could not be read; their Subject is
// the source (plus "#<part>"), and JSON errors carry the line and column
// inside that JSON document. One bad report never stops the others, and
// Decode never panics on bad input.
//
// Decode allocates its buffers for this one call; a caller that decodes
// many sources should keep a Decoder per goroutine instead.
func Decode(source string, src io.Reader, lim Limits, emit func(Report)) diag.List {
	return NewDecoder(lim).Decode(source, src, emit)
}

// Decoder decodes report sources like Decode, reusing its buffers (and
// gzip state) from one call to the next. A Decoder is not safe for
// concurrent use.
type Decoder struct {
	lim Limits

	// State of the current Decode call.
	emit    func(Report)
	diags   diag.List
	errs    int   // diagnostics of severity error in diags
	emitted int   // reports emitted
	budget  int64 // bytes the source may still produce (MaxSource)
	parts   int   // archive members, mbox messages and MIME parts seen
	stop    bool  // a source-wide limit was hit: read no further
	perCode map[diag.Code]int
	auth    Auth // of the report mail being read
	hits    [numLimits]limitHit
	cuts    [numLimits]bool // caps that cut something of the current report

	// ReuseReports lets the decoder hand the slices of one Report
	// (Policies and their Details) to emit again, overwritten, for the
	// next: emit must not keep them after it returns, as the Aggregator
	// and its Shards do not. Reading many reports then allocates less.
	ReuseReports bool

	// TrustedAuthServIDs are the servers (authserv-ids, lower case)
	// whose Authentication-Results say whether a report mail's DKIM
	// signature passed (RFC 8601 §7.1); empty = the server that wrote the
	// topmost Authentication-Results header.
	TrustedAuthServIDs []string

	// Buffers kept between calls.
	policies []PolicyResult  // with ReuseReports, of the last report
	details  []FailureDetail // with ReuseReports, of the last report
	readers  []*bufio.Reader // by nesting depth
	header   mailHeader
	gzips    []*gzipMembers // by nesting depth
	whole    wholeGzip      // DecodeBytes's shortcut for gzip
	scan     jsonScanner
	std      stdDecoder
	wire     reportWire
}

// NewDecoder returns a Decoder with the given limits; zero fields of lim
// take their defaults.
func NewDecoder(lim Limits) *Decoder {
	d := &Decoder{lim: lim.withDefaults()}
	d.scan.fast.caps = d.lim.caps()
	d.std.caps = d.lim.caps()
	return d
}

// Decode reads every report in src; see the package function Decode.
func (d *Decoder) Decode(source string, src io.Reader, emit func(Report)) diag.List {
	d.begin(emit)
	br := d.reader(0, &meter{r: src, d: d})
	m := d.mark()
	k := d.content(source, br, anyKind, 0)
	if d.quiet(m) {
		d.nothingFound(source, br, k)
	}
	return d.end()
}

// begin readies d for a Decode call.
func (d *Decoder) begin(emit func(Report)) {
	if emit == nil {
		emit = func(Report) {}
	}
	d.emit, d.diags, d.errs, d.emitted = emit, nil, 0, 0
	d.budget, d.parts, d.stop, d.perCode = d.lim.MaxSource, 0, false, nil
	d.auth = AuthNone
	d.hits = [numLimits]limitHit{}
}

// end finishes a Decode call and returns its diagnostics.
func (d *Decoder) end() diag.List {
	d.countLimits()
	diags := d.diags
	d.emit, d.diags = nil, nil
	for _, r := range d.readers {
		if r != nil {
			r.Reset(nil) // do not keep the caller's readers alive
		}
	}
	d.scan.r = nil
	return diags
}

// kind is an input format recognised by its first bytes.
type kind uint8

const (
	kindNone kind = 0
	kindJSON kind = 1 << iota
	kindGzip
	kindZip
	kindMessage
	kindMbox
)

const (
	anyKind   = kindJSON | kindGzip | kindZip | kindMessage | kindMbox
	partKinds = kindJSON | kindGzip | kindZip // inside a MIME part
	sniffLen  = 512
)

func (k kind) String() string {
	switch k {
	case kindJSON:
		return "JSON"
	case kindGzip:
		return "gzip data"
	case kindZip:
		return "zip archive"
	case kindMessage:
		return "mail message"
	case kindMbox:
		return "mbox"
	}
	return "unknown data"
}

const utf8BOM = "\xEF\xBB\xBF"

// sniff recognises a format from the first bytes of an input (RFC 8460
// §5.3: reports arrive as gzip or JSON whatever their label says).
func sniff(b []byte) kind {
	switch {
	case len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b:
		return kindGzip
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")):
		return kindZip
	case bytes.HasPrefix(b, []byte("From ")):
		return kindMbox
	}
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte(utf8BOM)), " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return kindJSON
	}
	if looksLikeHeader(b) {
		return kindMessage
	}
	return kindNone
}

// looksLikeHeader reports whether b starts with an RFC 5322 header field:
// a field name of printable characters other than ':' followed by ':'.
func looksLikeHeader(b []byte) bool {
	for i, c := range b {
		switch {
		case c == ':':
			return i > 0
		case c < 33 || c > 126:
			return false
		}
	}
	return false
}

// content decodes br, whose format must be one of allowed, and returns
// the format it recognised (kindNone when none: br is left unread and the
// caller decides what that means).
func (d *Decoder) content(src string, br *bufio.Reader, allowed kind, depth int) kind {
	head, err := br.Peek(sniffLen)
	if len(head) == 0 && err != nil && err != io.EOF {
		d.readError(src, err)
		return kindNone
	}
	k := sniff(head)
	if k&allowed == 0 {
		return kindNone
	}
	if depth >= d.lim.MaxDepth {
		d.limit(src, limitDepth)
		return k
	}
	switch k {
	case kindJSON:
		d.jsonStream(src, br)
	case kindGzip:
		return d.gunzip(src, br, allowed, depth)
	case kindZip:
		d.unzip(src, br, depth)
	case kindMessage:
		d.message(src, br, depth)
	case kindMbox:
		d.mbox(src, br, depth)
	}
	return k
}

// nothingFound explains why a whole source gave no report.
func (d *Decoder) nothingFound(src string, br *bufio.Reader, k kind) {
	if d.stop {
		return
	}
	if k != kindNone {
		d.add(src, diag.New(diag.ReportNotFound,
			fmt.Sprintf("The %s holds no TLS-RPT report, so it gives no evidence about TLS delivery.", k),
			"Remove it from the report sources, or give the report itself (JSON or .json.gz)."))
		return
	}
	if head, _ := br.Peek(1); len(head) == 0 {
		d.add(src, diag.New(diag.ReportNotFound, "The input is empty: it holds no TLS-RPT report.",
			"Remove the empty file from the report sources."))
		return
	}
	d.add(src, diag.New(diag.ReportFormatUnknown,
		"The input is not a TLS-RPT report: it is neither JSON nor gzip, zip, a mail message or an mbox.",
		"Give reports as the JSON of RFC 8460 §4.4, gzip-compressed or not, or as the report mails."))
}

// mark is the state of the diagnostics and reports at some point.
type mark struct{ emitted, errs int }

func (d *Decoder) mark() mark { return mark{d.emitted, d.errs} }

// quiet reports whether nothing was emitted and no error added since m.
func (d *Decoder) quiet(m mark) bool { return d.emitted == m.emitted && d.errs == m.errs }

// maxPerCode bounds the diagnostics of one code for one source: a
// mailbox of reports from one quirky reporter, or a file of "{}", would
// otherwise repeat the same finding without end. The first findings of
// every code are kept, so the highest severity is never lost.
const maxPerCode = 100

// add records dg about src.
func (d *Decoder) add(src string, dg diag.Diagnostic) {
	dg.Subject = src
	if dg.Severity >= diag.Error {
		d.errs++
	}
	if d.perCode == nil {
		d.perCode = make(map[diag.Code]int)
	}
	d.perCode[dg.Code]++
	switch d.perCode[dg.Code] {
	case maxPerCode + 1:
		capped := diag.New(diag.ReportProblemsCapped,
			fmt.Sprintf("The source has more than %d findings %s; the rest are not listed (its reports are still read).", maxPerCode, dg.Code),
			"Fix or remove the inputs with these findings and run again.")
		capped.Subject = src
		d.diags = append(d.diags, capped)
	default:
		if d.perCode[dg.Code] <= maxPerCode {
			d.diags = append(d.diags, dg)
		}
	}
}

// part counts one more archive member, message or MIME part and reports
// whether it may be read.
func (d *Decoder) part(src string) bool {
	if d.stop {
		return false
	}
	d.parts++
	if d.parts <= d.lim.MaxParts {
		return true
	}
	d.stop = true
	d.add(src, diag.New(diag.ReportTooManyParts,
		fmt.Sprintf("The source has more than %d archive members, messages and MIME parts; the rest is not read.", d.lim.MaxParts),
		"Split the archive or mailbox into smaller ones."))
	return false
}

// errSourceTooLarge is returned by meter once the source's budget is
// spent.
var errSourceTooLarge = errors.New("source too large")

// readError records a failure to read src: the source limit, or corrupt
// data in some layer.
func (d *Decoder) readError(src string, err error) {
	if errors.Is(err, errSourceTooLarge) {
		if !d.stop {
			d.stop = true
			d.add(src, diag.New(diag.ReportTooLarge,
				fmt.Sprintf("The source is larger than %d bytes after decompression; the rest is not read (a compression bomb, or too many reports in one file).", d.lim.MaxSource),
				"Split the reports into several files."))
		}
		return
	}
	if d.stop {
		return
	}
	d.add(src, diag.New(diag.ReportUnreadable,
		fmt.Sprintf("The input cannot be read: %v. Reports in it are lost.", err),
		"Check that the file is complete; fetch or export it again."))
}

// meter counts the bytes a source produces, at every layer that expands
// data (the input itself, gzip, zip members), against the MaxSource
// budget (RFC 8460 §7: reports are untrusted input).
type meter struct {
	r io.Reader
	d *Decoder
}

func (m *meter) Read(p []byte) (int, error) {
	if m.d.budget < 0 {
		return 0, errSourceTooLarge
	}
	if int64(len(p)) > m.d.budget+1 {
		p = p[:m.d.budget+1]
	}
	n, err := m.r.Read(p)
	m.d.budget -= int64(n)
	if m.d.budget < 0 {
		return n, errSourceTooLarge
	}
	return n, err
}

// reader returns the buffered reader of nesting level depth, reset to r.
// Each level of nesting reads through its own buffer, kept between
// calls.
func (d *Decoder) reader(depth int, r io.Reader) *bufio.Reader {
	for len(d.readers) <= depth {
		d.readers = append(d.readers, nil)
	}
	if d.readers[depth] == nil {
		// Not bufio.NewReaderSize(r, …): for an r that is the
		// *bufio.Reader of another level (the body of an e-mail part
		// without a transfer encoding) it returns r itself, and the two
		// levels would share one buffer from then on.
		d.readers[depth] = bufio.NewReaderSize(nil, 4<<10)
	}
	d.readers[depth].Reset(r)
	return d.readers[depth]
}
