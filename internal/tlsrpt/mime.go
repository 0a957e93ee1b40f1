package tlsrpt

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// message decodes an RFC 5322 message: RFC 8460 §5.3 sends reports as
// multipart/report; report-type=tlsrpt with an application/tlsrpt+json
// or application/tlsrpt+gzip part. Real reporters deviate (J16-J20), so
// the report-type and the labels are not trusted: every part that may
// hold a report is sniffed. The subject and file names are never read for
// data: the JSON is authoritative (RFC 8460 §5.6, J21).
func (d *Decoder) message(src string, br *bufio.Reader, depth int) {
	block, err := d.header.read(br, d.lim.MaxHeaderBytes)
	if err == errHeaderTooLarge {
		d.limit(src, limitHeader)
		return
	}
	msg, perr := mail.ReadMessage(d.header.reader(block))
	if perr == io.EOF && err == nil {
		return // an empty message: no report, nothing broken
	}
	if err = cmp.Or(err, perr); err != nil {
		d.readError(src, fmt.Errorf("mail header: %w", err))
		return
	}
	if depth == 0 || msg.Header.Get("TLS-Report-Submitter") != "" {
		outer := d.auth
		d.auth = d.checkAuthentication(src, msg.Header)
		defer func() { d.auth = outer }()
	}
	d.entity(src, "", textproto.MIMEHeader(msg.Header), br, depth)
}

// mailHeader reads the header block of a mail into a buffer kept from
// one mail to the next, never more than MaxHeaderBytes of it:
// net/mail reads a header block whole, however large, into a map.
type mailHeader struct {
	buf []byte
	in  bytes.Reader
	br  *bufio.Reader
}

// errHeaderTooLarge is returned by mailHeader.read for a header block
// over the limit.
var errHeaderTooLarge = errors.New("mail header too large")

// read reads the lines of br up to and with the first empty one (RFC
// 5322 §2.1), or to the end of br, and returns them.
func (h *mailHeader) read(br *bufio.Reader, limit int) ([]byte, error) {
	if cap(h.buf) > 64<<10 {
		h.buf = nil // from an unusually large header
	}
	h.buf = h.buf[:0]
	for bol := true; ; {
		line, err := br.ReadSlice('\n')
		if len(h.buf)+len(line) > limit {
			return nil, errHeaderTooLarge
		}
		h.buf = append(h.buf, line...)
		switch {
		case err == bufio.ErrBufferFull:
			bol = false
			continue
		case err == io.EOF:
			return h.buf, nil
		case err != nil:
			return h.buf, err
		case bol && (len(line) == 1 || len(line) == 2 && line[0] == '\r'):
			return h.buf, nil
		}
		bol = true
	}
}

// reader returns a reader of block for net/mail, which reads it
// through this buffered reader rather than a new one.
func (h *mailHeader) reader(block []byte) *bufio.Reader {
	h.in.Reset(block)
	if h.br == nil {
		h.br = bufio.NewReaderSize(nil, 4<<10)
	}
	h.br.Reset(&h.in)
	return h.br
}

// entity decodes one MIME entity: the message body (section "") or a
// part (section "2", "1.2", numbered as in IMAP).
func (d *Decoder) entity(src, section string, h textproto.MIMEHeader, body io.Reader, depth int) {
	mt, params := mediaType(h.Get("Content-Type"))
	switch {
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		d.multipart(src, section, params["boundary"], body, depth)
	case mt == "message/rfc822" || mt == "message/global":
		label := partLabel(src, section, h)
		if depth+1 >= d.lim.MaxDepth {
			d.limit(label, limitDepth)
			return
		}
		d.message(label, d.reader(depth+1, transferDecoder(h, body)), depth+1)
	default:
		d.leaf(src, section, mt, h, body, depth)
	}
}

// multipart decodes the parts of a multipart body.
func (d *Decoder) multipart(src, section, boundary string, body io.Reader, depth int) {
	if depth+1 >= d.lim.MaxDepth {
		d.limit(src, limitDepth)
		return
	}
	mr := multipart.NewReader(body, boundary)
	for i := 1; !d.stop; i++ {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return
		}
		sub := strconv.Itoa(i)
		if section != "" {
			sub = section + "." + sub
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			d.unterminated(src, boundary)
			return
		}
		if err != nil {
			d.readError(src, fmt.Errorf("MIME part %s: %w", sub, err))
			return
		}
		if !d.part(src + "#" + sub) {
			return
		}
		d.entity(src, sub, p.Header, &partBody{r: p}, depth+1)
	}
}

// unterminated notes a multipart body that ends without its closing
// delimiter (RFC 2046 §5.1.1): a real Mail.ru report does this. Its
// parts were read to the end of the message; a report cut short in them
// is an error of its own.
func (d *Decoder) unterminated(src, boundary string) {
	d.add(src, diag.New(diag.ReportMIMEUnterminated,
		fmt.Sprintf("The message ends without the closing delimiter \"--%s--\" of its multipart body; its last part was read to the end of the message.", clip(boundary)),
		"Nothing to do if the report was read; a mail cut short in transit gives a report error of its own."))
}

// partBody reads the body of a MIME part. mime/multipart reports the
// end of the message before the part's delimiter as
// io.ErrUnexpectedEOF; partBody ends the part there instead, so that
// its content (a gzip stream, say) is judged by what it holds, and the
// missing delimiter is noted once NextRawPart finds it missing.
type partBody struct{ r io.Reader }

func (b *partBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	return n, err
}

// leaf decodes a part that is not multipart, or the body of a
// single-part message (J19), when it may hold a report.
func (d *Decoder) leaf(src, section, mt string, h textproto.MIMEHeader, body io.Reader, depth int) {
	name := fileName(h)
	if section != "" && !mayHoldReport(mt, name) {
		return // the human-readable part, text/plain or text/html (J18)
	}
	label := src
	if section != "" {
		label = partLabel(src, section, h)
	}
	br := d.reader(depth+1, transferDecoder(h, body))
	if head, _ := br.Peek(sniffLen); sniff(head) == kindNone && looksBase64(head) {
		// A report part base64-encoded without saying so.
		br = d.reader(depth+2, base64.NewDecoder(base64.StdEncoding, &spaceDropper{r: br}))
		depth++
	}
	k := d.content(label, br, partKinds, depth+1)
	if k == kindNone && strings.HasPrefix(mt, "application/tlsrpt") {
		d.add(label, diag.New(diag.ReportUnreadable,
			fmt.Sprintf("The part is labelled %s but holds neither JSON nor gzip data; the report in it is lost.", mt),
			"Ask the reporter to send the report as RFC 8460 §5.3 describes."))
	}
}

// mayHoldReport reports whether a part of type mt named name is worth
// sniffing: any application/ type (reports come as tlsrpt+json,
// tlsrpt+gzip, tlsrpt, json, gzip, zip, octet-stream: J16, J20), anything
// called JSON, and any part whose file name looks like a report.
func mayHoldReport(mt, name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(mt, "application/") || strings.Contains(mt, "json") ||
		strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".zip")
}

// mediaType returns the lower-case media type and parameters of a
// Content-Type value, tolerating broken parameters; it defaults to
// text/plain (RFC 2045 §5.2).
func mediaType(v string) (string, map[string]string) {
	if strings.TrimSpace(v) == "" {
		return "text/plain", nil
	}
	mt, params, err := mime.ParseMediaType(v)
	if err != nil && mt == "" {
		mt, _, _ = strings.Cut(v, ";")
		mt = strings.ToLower(strings.TrimSpace(mt))
	}
	return mt, params
}

// fileName returns the part's file name from Content-Disposition or the
// Content-Type name parameter, or "".
func fileName(h textproto.MIMEHeader) string {
	if _, p, _ := mime.ParseMediaType(h.Get("Content-Disposition")); p["filename"] != "" {
		return p["filename"]
	}
	_, p := mediaType(h.Get("Content-Type"))
	return p["name"]
}

// partLabel names a part in Report.Source: the source, "#", and the
// part's file name, or its section number when it has none.
func partLabel(src, section string, h textproto.MIMEHeader) string {
	if name := fileName(h); name != "" {
		return src + "#" + name
	}
	return src + "#" + section
}

// transferDecoder undoes the Content-Transfer-Encoding of a part (RFC
// 2045 §6). Unknown encodings are passed through, for the sniffer to
// judge.
func transferDecoder(h textproto.MIMEHeader, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &spaceDropper{r: body})
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	}
	return body
}

// looksBase64 reports whether b starts with base64 text that decodes to
// a report format: parsedmarc found application/tlsrpt+json parts that
// are base64 without a Content-Transfer-Encoding header.
func looksBase64(b []byte) bool {
	var clean [16]byte
	n := 0
	for _, c := range b {
		if n == len(clean) {
			break
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			continue
		}
		clean[n] = c
		n++
	}
	var out [12]byte
	m, err := base64.StdEncoding.Decode(out[:], clean[:n-n%4])
	return err == nil && m > 0 && sniff(out[:m])&partKinds != 0
}

// spaceDropper drops the white space that base64 text may be broken up
// with; encoding/base64 itself only skips CR and LF.
type spaceDropper struct{ r io.Reader }

func (s *spaceDropper) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil || n == 0 {
			return j, err
		}
	}
}
