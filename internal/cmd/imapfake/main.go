// Command imapfake serves a mailbox of generated TLS-RPT report mails
// over imaps on loopback, for measuring stsgate collect
// (scripts/perf-collect.sh):
//
//	go run ./internal/cmd/imapfake -n 10000 -ca /tmp/ca.pem
//
// It writes its throwaway CA's certificate to -ca (trust it with
// SSL_CERT_FILE), prints "imaps://username@localhost:PORT/INBOX" once
// it listens, and serves until killed. The password is "password".
// Every mail is a multipart/report with a gzipped report of its own
// (tlsrpttest's corpus) and a distinct Message-ID.
package main

import (
	"bytes"
	"crypto/tls"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/emersion/go-imap/backend/memory"
	"github.com/emersion/go-imap/server"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

func main() {
	n := flag.Int("n", 10000, "number of report mails")
	caFile := flag.String("ca", "ca.pem", "file to write the CA certificate to")
	days := flag.Int("days", 30, "days the reports are spread over, ending yesterday")
	flag.Parse()
	if err := serve(*n, *days, *caFile); err != nil {
		fmt.Fprintln(os.Stderr, "imapfake:", err)
		os.Exit(1)
	}
}

func serve(n, days int, caFile string) error {
	ca, err := fetchtest.NewCA()
	if err != nil {
		return err
	}
	leaf, err := ca.Leaf("localhost")
	if err != nil {
		return err
	}
	if err := os.WriteFile(caFile, ca.PEM(), 0o644); err != nil {
		return err
	}
	mem := memory.New()
	if err := fill(mem, n, days); err != nil {
		return err
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{leaf}})
	if err != nil {
		return err
	}
	s := server.New(mem)
	s.ErrorLog = log.New(io.Discard, "", 0)
	fmt.Printf("imaps://username@localhost:%d/INBOX\n", ln.Addr().(*net.TCPAddr).Port)
	return s.Serve(ln)
}

// fill replaces the INBOX of the memory backend's one user with n mails.
func fill(mem *memory.Backend, n, days int) error {
	user, err := mem.Login(nil, "username", "password")
	if err != nil {
		return err
	}
	mb, err := user.GetMailbox("INBOX")
	if err != nil {
		return err
	}
	inbox := mb.(*memory.Mailbox)
	first := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -days)
	c := tlsrpttest.Corpus{Domain: "example.com", First: first, Days: days, Seed: 13}
	inbox.Messages = make([]*memory.Message, 0, n)
	for i := range n {
		body, err := mail(c, i)
		if err != nil {
			return err
		}
		inbox.Messages = append(inbox.Messages, &memory.Message{Uid: uint32(i + 1), Date: time.Now(), Size: uint32(len(body)), Body: body})
	}
	return nil
}

// mail returns report i of c as an RFC 8460 §5.3 report mail.
func mail(c tlsrpttest.Corpus, i int) ([]byte, error) {
	var gz bytes.Buffer
	if err := c.WriteGzip(&gz, i); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: reports@sender.example\r\nTo: tlsrpt@example.com\r\nSubject: Report Domain: example.com\r\n"+
		"Date: %s\r\nMessage-ID: <report-%d@sender.example>\r\nMIME-Version: 1.0\r\n"+
		"Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"b\"\r\n\r\n"+
		"--b\r\nContent-Type: text/plain\r\n\r\nA TLS report.\r\n"+
		"--b\r\nContent-Type: application/tlsrpt+gzip; name=\"report-%d.json.gz\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		time.Now().UTC().Format(time.RFC1123Z), i, i)
	enc := base64.StdEncoding.EncodeToString(gz.Bytes())
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n--b--\r\n")
	return b.Bytes(), nil
}
