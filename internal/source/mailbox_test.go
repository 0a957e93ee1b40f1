package source

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/tlsrpt"
	"github.com/stsgate/stsgate/internal/tlsrpt/tlsrpttest"
)

// fakeMailbox passes on mails, each a raw JSON report (a body the
// decoder reads like any file).
type fakeMailbox struct{ mails []Mail }

func (f fakeMailbox) ReadMailbox(_ context.Context, url string, emit func(Mail)) (diag.List, error) {
	for _, m := range f.mails {
		m.Name = url + "#" + m.Name
		emit(m)
	}
	return nil, nil
}

// TestMailboxMessageIDs checks that Collect learns the Message-ID of the
// mail each report came in, and that without Collect the mailbox's
// reports are aggregated like a file's.
func TestMailboxMessageIDs(t *testing.T) {
	t.Parallel()
	c := tlsrpttest.Corpus{Domain: "example.com", First: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Days: 10, Seed: 3}
	var mb fakeMailbox
	var want []string
	for i := range 6 {
		id := fmt.Sprintf("m%d@sender.example", i)
		if i == 5 {
			id = "" // a mail without a Message-ID
		}
		mb.mails = append(mb.mails, Mail{Name: fmt.Sprintf("uid=%d", i+1), MessageID: id, Body: c.Report(i)})
		want = append(want, id)
	}
	src := Sources{Mailboxes: []string{"imaps://r@imap.example/INBOX"}}
	var mu sync.Mutex
	var got []string
	collect := func(_ tlsrpt.Report, id string) { mu.Lock(); got = append(got, id); mu.Unlock() }
	if dl := (Reader{Mailbox: mb, Collect: collect}).Read(context.Background(), src, nil); len(dl) > 0 {
		t.Fatalf("Read: %v", dl)
	}
	sort.Strings(got)
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Message-IDs collected (-want +got):\n%s", diff)
	}
	agg := tlsrpt.NewAggregator(tlsrpt.Options{}, nil)
	if dl := (Reader{Mailbox: mb}).Read(context.Background(), src, agg); len(dl) > 0 {
		t.Fatalf("Read into an aggregator: %v", dl)
	}
	if n, _, _ := agg.Counts(); n != len(mb.mails) {
		t.Errorf("aggregated %d reports, want %d", n, len(mb.mails))
	}
}
