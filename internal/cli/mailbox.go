package cli

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/imapsource"
	"github.com/stsgate/stsgate/internal/source"
)

// imapMailbox reads report mailboxes (imaps://, imap:// with STARTTLS)
// with imapsource: read-only, over TLS only. It is a source.Mailbox.
type imapMailbox struct {
	password, token string // from the variables the configuration names
	since           time.Time
	roots           *x509.CertPool                                                    // nil: the system's
	dial            func(ctx context.Context, network, addr string) (net.Conn, error) // nil: a net.Dialer
	// known, when set, tells the mails whose reports the summaries
	// already hold (by Message-ID): they are not downloaded, only
	// counted in skipped.
	known   func(messageID string) bool
	skipped *atomic.Int64
}

// newMailbox returns the mailbox reader of cfg: the credentials come from
// the environment variables cfg names, and only go to the hosts of its
// mailbox sources (DESIGN §1.11). Mails from since on are read.
func newMailbox(env Env, cfg config.Config, since time.Time) imapMailbox {
	m := imapMailbox{since: since}
	if cfg.IMAPPasswordEnv != "" {
		m.password = env.getenv(cfg.IMAPPasswordEnv)
	}
	if cfg.IMAPTokenEnv != "" {
		m.token = env.getenv(cfg.IMAPTokenEnv)
	}
	if env.IMAP != nil {
		m.roots, m.dial = env.IMAP.Roots, env.IMAP.Dial
	}
	return m
}

// mailboxSince is the day from which a window as of asOf needs report
// mails: its clean days and the lag allowed, and a week for reports that
// arrive late.
func mailboxSince(cfg config.Config, asOf time.Time) time.Time {
	return asOf.Add(-cfg.MaxReportLag).AddDate(0, 0, -cfg.CleanDays-7)
}

func (m imapMailbox) ReadMailbox(ctx context.Context, url string, emit func(source.Mail)) (diag.List, error) {
	if m.password == "" && m.token == "" {
		d := diag.New(diag.ReportMailboxNoCredentials,
			fmt.Sprintf("%s is not read: neither the variable named by imap_password_env nor the one named by imap_token_env holds a secret, so its reports are not counted", url),
			"pass the mailbox's password or OAuth2 token to the step in the variable the configuration names (on pull requests from forks there is none: commit the summaries instead)")
		d.Subject = url
		return diag.List{d}, nil
	}
	st, err := imapsource.Read(ctx, imapsource.Options{URL: url, Password: m.password, Token: m.token,
		Since: m.since, Roots: m.roots, Dial: m.dial, Skip: m.known}, func(msg imapsource.Message) error {
		emit(source.Mail{Name: msg.Name, MessageID: msg.MessageID, Body: msg.Body})
		return nil
	})
	if m.skipped != nil {
		m.skipped.Add(int64(st.Known))
	}
	return mailStats(url, st), err
}

// mailStats says what a read of a mailbox skipped: one notice for the
// mails that hold no report, one warning for each mail too large.
func mailStats(url string, st imapsource.Stats) diag.List {
	var l diag.List
	if st.NotReport > 0 {
		d := diag.New(diag.ReportMailSkipped,
			fmt.Sprintf("%s holds %s without a TLS-RPT report (no multipart/report, no tlsrpt, json or gzip attachment), skipped", url, plural(st.NotReport, "mail")),
			"nothing to do; a mailbox of its own for rua= keeps other mail out")
		d.Subject = url
		l = append(l, d)
	}
	for _, o := range st.Oversize {
		d := diag.New(diag.ReportTooLarge,
			fmt.Sprintf("%s is %d bytes, more than the %d read for a report mail, so it was not downloaded and any report in it is not counted", o.Name, o.Size, imapsource.DefaultMaxMessage),
			"check the mail; a real report mail is far smaller")
		d.Subject = o.Name
		l = append(l, d)
	}
	return l
}
