package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"

	"github.com/klauspost/compress/gzip"
)

// boundary returns the MIME boundary of nesting level n: all of one
// length, so that none is a prefix of another.
func boundary(n int64) string { return fmt.Sprintf("hostile-%07d", n) }

// mailHead writes the header fields of a report mail (RFC 8460 §5.3)
// whose body is multipart/report with boundary(0), and the blank line
// that ends them.
func mailHead(w *bufio.Writer, id string) {
	w.WriteString("From: reports@sender.example\r\nTo: tlsrpt@example.com\r\n")
	fmt.Fprintf(w, "Subject: Report Domain: example.com Submitter: sender.example Report-ID: <%s@sender.example>\r\n", id)
	fmt.Fprintf(w, "Date: Mon, 02 Nov 2026 06:00:00 +0000\r\nMessage-ID: <%s@sender.example>\r\nMIME-Version: 1.0\r\n", id)
	fmt.Fprintf(w, "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=%q\r\n\r\n", boundary(0))
}

// reportPart writes a delimiter of boundary(0) and a part holding a
// small valid report as application/tlsrpt+gzip in base64 (RFC 8460
// §5.3).
func reportPart(w *bufio.Writer, org, id string) {
	fmt.Fprintf(w, "--%s\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n", boundary(0))
	fmt.Fprintf(w, "Content-Disposition: attachment; filename=\"%s.json.gz\"\r\n\r\n", id)
	enc := base64.StdEncoding.EncodeToString(gzipReport(org, id))
	for len(enc) > 76 {
		w.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	w.WriteString(enc + "\r\n")
}

// gzipReport returns a small valid report, gzip-compressed.
func gzipReport(org, id string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	bw := bufio.NewWriter(zw)
	smallReport(bw, org, id)
	// Writing to a bytes.Buffer does not fail.
	_ = bw.Flush()
	_ = zw.Close()
	return buf.Bytes()
}

// reportBody writes the body of a report mail: a text part, the report
// part, and the close delimiter.
func reportBody(w *bufio.Writer, org, id string) {
	fmt.Fprintf(w, "--%s\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate TLS report.\r\n", boundary(0))
	reportPart(w, org, id)
	fmt.Fprintf(w, "--%s--\r\n", boundary(0))
}

// headerBytes is the size of the header bombs: as large as still lets
// the report after them be read within MaxSource.
const headerBytes = maxSource - 10<<20

// headerBomb writes a mail whose header starts with headerBytes of
// Received lines of 1 KiB each.
func headerBomb(w *bufio.Writer, s sizes) {
	const line = 1 << 10
	for i := range s.of(headerBytes) / line {
		n, _ := fmt.Fprintf(w, "Received: from relay%08d.sender.example by mx.example.com id ", i)
		fill(w, line-int64(n)-2)
		w.WriteString("\r\n")
	}
	mailHead(w, "header-bomb")
	reportBody(w, "Header Bomb Inc.", "header-bomb-1")
}

// headerFolded writes a mail whose header starts with one field of
// headerBytes, folded into lines of 1 KiB (RFC 5322 §2.2.3).
func headerFolded(w *bufio.Writer, s sizes) {
	const line = 1 << 10
	w.WriteString("Received: from relay.sender.example by mx.example.com")
	for i := range s.of(headerBytes) / line {
		n, _ := fmt.Fprintf(w, "\r\n\tvia hop%08d ", i)
		fill(w, line-int64(n))
	}
	w.WriteString("\r\n")
	mailHead(w, "header-folded")
	reportBody(w, "Header Folded Inc.", "header-folded-1")
}

// deepMIME writes a report mail whose second part is multipart nested
// 100,000 levels deep, with a report at the bottom; the first part holds
// a report that a reader giving up at some depth still finds.
func deepMIME(w *bufio.Writer, s sizes) {
	levels := s.of(100_000)
	mailHead(w, "deep-mime")
	reportPart(w, "Deep MIME Top Inc.", "deep-mime-top")
	fmt.Fprintf(w, "--%s\r\n", boundary(0))
	for l := int64(1); l <= levels; l++ {
		b := boundary(l)
		fmt.Fprintf(w, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n--%s\r\n", b, b)
	}
	w.WriteString("Content-Type: application/tlsrpt+json\r\n\r\n")
	smallReport(w, "Deep MIME Bottom Inc.", "deep-mime-bottom")
	w.WriteString("\r\n")
	for l := levels; l >= 0; l-- {
		fmt.Fprintf(w, "--%s--\r\n", boundary(l))
	}
}

// manyParts writes a report mail with a report part, then ten times
// MaxParts parts that a reader must look into to know they hold no
// report.
func manyParts(w *bufio.Writer, s sizes) {
	mailHead(w, "many-parts")
	reportPart(w, "Many Parts Inc.", "many-parts-1")
	for range s.of(10 * maxParts) {
		fmt.Fprintf(w, "--%s\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n", boundary(0))
	}
	fmt.Fprintf(w, "--%s--\r\n", boundary(0))
}
