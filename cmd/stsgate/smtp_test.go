package main

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/stsgate/stsgate/internal/fetch/fetchtest"
)

// startSMTP starts the in-process SMTP servers (go-smtp) of live/smtp, one
// per line, all on one port of different loopback addresses:
//
//	ADDR tls NAME...        STARTTLS with a certificate from the script's CA for NAMEs
//	ADDR chain NAME...      the same, sent with the CA's certificate (for DANE-TA)
//	ADDR expired NAME...    the same, expired an hour ago (the CA is a day old)
//	ADDR untrusted NAME...  a certificate from another CA, which nothing trusts
//	ADDR plain              no STARTTLS
//
// It exports STSGATE_TEST_SMTP_PORT for testNetwork, and returns what the
// zone's TLSA records can name: "{spki ADDR}" is the SHA-256 of the public
// key of ADDR's certificate, "{ca}" that of the CA's certificate, in hex.
func startSMTP(env *testscript.Env, ca *fetchtest.CA) (map[string]string, error) {
	hashes := map[string]string{"{ca}": sha256Hex(ca.Cert.Raw)}
	lines, err := readLines(filepath.Join(env.WorkDir, "live", "smtp"))
	if err != nil || len(lines) == 0 {
		return hashes, err
	}
	other, err := fetchtest.NewCA()
	if err != nil {
		return nil, err
	}
	port := "0"
	for _, line := range lines {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("live/smtp: %q: want ADDR KIND NAME...", line)
		}
		cert, err := smtpCert(ca, other, fields[1], fields[2:])
		if err != nil {
			return nil, fmt.Errorf("live/smtp: %q: %w", line, err)
		}
		if cert != nil {
			hashes["{spki "+fields[0]+"}"] = sha256Hex(cert.Leaf.RawSubjectPublicKeyInfo)
		}
		l, err := net.Listen("tcp", net.JoinHostPort(fields[0], port))
		if err != nil {
			return nil, err
		}
		_, port, _ = net.SplitHostPort(l.Addr().String())
		serveSMTP(env, l, cert)
	}
	env.Setenv("STSGATE_TEST_SMTP_PORT", port)
	return hashes, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// smtpCert returns the certificate of a kind of server, nil for plain.
func smtpCert(ca, other *fetchtest.CA, kind string, names []string) (*tls.Certificate, error) {
	now := time.Now()
	var c tls.Certificate
	var err error
	switch kind {
	case "plain":
		return nil, nil
	case "tls":
		c, err = ca.Leaf(names...)
	case "chain":
		c, err = ca.Leaf(names...)
		c.Certificate = append(c.Certificate, ca.Cert.Raw)
	case "expired":
		c, err = ca.Issue(now.Add(-23*time.Hour), now.Add(-time.Hour), names...)
	case "untrusted":
		c, err = other.Leaf(names...)
	default:
		err = fmt.Errorf("unknown kind %q", kind)
	}
	return &c, err
}

// serveSMTP serves l with go-smtp until the script ends: STARTTLS with
// cert, or none when cert is nil; no message is ever accepted.
func serveSMTP(env *testscript.Env, l net.Listener, cert *tls.Certificate) {
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return refuser{}, nil }))
	srv.Domain = "mx.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	go srv.Serve(l)
	env.Defer(func() { srv.Close() })
}

// refuser is a go-smtp session that takes no mail.
type refuser struct{}

func (refuser) Reset()                               {}
func (refuser) Logout() error                        { return nil }
func (refuser) Mail(string, *smtp.MailOptions) error { return errors.New("no mail here") }
func (refuser) Rcpt(string, *smtp.RcptOptions) error { return errors.New("no mail here") }
func (refuser) Data(io.Reader) error                 { return errors.New("no mail here") }

// readLines returns the non-blank lines of a file that are not comments,
// or nothing when it does not exist.
func readLines(name string) ([]string, error) {
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			lines = append(lines, line)
		}
	}
	return lines, sc.Err()
}

// smtpPort is the port of the script's SMTP servers; 0 = the standard one.
func smtpPort() int {
	p, _ := strconv.Atoi(os.Getenv("STSGATE_TEST_SMTP_PORT"))
	return p
}
