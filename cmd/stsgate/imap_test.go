package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/emersion/go-imap/backend/memory"
	"github.com/emersion/go-imap/server"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/stsgate/stsgate/internal/cli"
)

// startIMAP starts an imaps server on loopback when a script has
// live/<host>/inbox/: go-imap's memory backend, whose one account is
// "username" with the password "password", holding the mails of that
// directory in INBOX, with the certificate of the script's live hosts. It
// exports STSGATE_TEST_IMAP_ADDR for testEnv.
func startIMAP(env *testscript.Env, leaf tls.Certificate) error {
	dirs, _ := filepath.Glob(filepath.Join(env.WorkDir, "live", "*", "inbox"))
	if len(dirs) == 0 {
		return nil
	}
	mem := memory.New()
	user, err := mem.Login(nil, "username", "password")
	if err != nil {
		return err
	}
	mb, err := user.GetMailbox("INBOX")
	if err != nil {
		return err
	}
	inbox := mb.(*memory.Mailbox)
	inbox.Messages = nil
	mails, _ := filepath.Glob(filepath.Join(dirs[0], "*.eml"))
	for i, name := range mails {
		body, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		inbox.Messages = append(inbox.Messages, &memory.Message{Uid: uint32(i + 1), Date: time.Now(), Size: uint32(len(body)), Body: body})
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{leaf}})
	if err != nil {
		return err
	}
	s := server.New(mem)
	s.ErrorLog = log.New(io.Discard, "", 0)
	go s.Serve(ln)
	env.Defer(func() { s.Close() })
	env.Setenv("STSGATE_TEST_IMAP_ADDR", ln.Addr().String())
	return nil
}

// testIMAP returns the hooks that send mailbox sources to the script's
// server, or nil.
func testIMAP() *cli.IMAPHooks {
	addr := os.Getenv("STSGATE_TEST_IMAP_ADDR")
	if addr == "" {
		return nil
	}
	pem, err := os.ReadFile(os.Getenv("STSGATE_TEST_ROOTS"))
	if err != nil {
		panic(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	return &cli.IMAPHooks{Roots: roots, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}
