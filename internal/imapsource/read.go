package imapsource

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-imap"
)

// Batch sizes: metadata for metaBatch messages per FETCH; bodies for at
// most bodyBatch messages and bodyBytes bytes per FETCH (a single message
// up to MaxMessage always fits), so memory stays bounded.
const (
	metaBatch = 500
	bodyBatch = 100
	bodyBytes = 32 << 20
	// bodySlack is what a body FETCH may read beyond the messages' sizes:
	// the response lines and TLS framing.
	bodySlack = 1 << 20
)

// Read reads the report mails of one mailbox and passes each to emit, in
// UID order. It returns what it found and, when the source failed, an
// *Error naming the source; the messages emitted before the failure stay
// valid. An error from emit stops the read and is returned as is.
func Read(ctx context.Context, o Options, emit func(Message) error) (Stats, error) {
	u, err := ParseURL(o.URL)
	if err != nil {
		return Stats{}, err
	}
	o = o.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, o.Timeouts.Run)
	defer cancel()
	s, err := open(ctx, u, o)
	if err != nil {
		return Stats{}, err
	}
	defer s.close()
	uids, err := s.search()
	if err != nil {
		return Stats{}, err
	}
	st := Stats{Found: len(uids)}
	for chunk := range slices.Chunk(uids, metaBatch) {
		todo, err := s.meta(chunk, &st)
		if err != nil {
			return st, err
		}
		if err := s.bodies(todo, &st, emit); err != nil {
			return st, err
		}
	}
	return st, nil
}

// search opens the mailbox read-only and lists the UIDs in the window.
func (s *session) search() ([]uint32, error) {
	// RFC 3501 §6.3.2: EXAMINE selects the mailbox read-only; no
	// \Recent or \Seen changes.
	if _, err := s.c.Select(s.url.Mailbox, true); err != nil {
		return nil, s.fail("EXAMINE", ErrMailbox, err)
	}
	if err := s.idle(); err != nil {
		return nil, err
	}
	crit := imap.NewSearchCriteria()
	crit.Since = s.opts.Since
	uids, err := s.c.UidSearch(crit)
	if err != nil {
		return nil, s.fail("SEARCH", ErrMailbox, err)
	}
	slices.Sort(uids)
	return slices.Compact(uids), s.idle()
}

// wanted is a message whose body is to be downloaded.
type wanted struct {
	uid  uint32
	id   string
	size int64
}

// meta fetches the metadata of uids and decides which bodies to
// download: first size and envelope, so that known messages cost nothing
// more, then the body structure of the rest.
func (s *session) meta(uids []uint32, st *Stats) ([]wanted, error) {
	items := []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size, imap.FetchEnvelope}
	var unknown []wanted
	err := s.fetch(uids, items, commandBudget, func(m *imap.Message) {
		w := wanted{uid: m.Uid, id: messageID(m.Envelope), size: int64(m.Size)}
		switch {
		case w.id != "" && s.opts.Skip != nil && s.opts.Skip(w.id):
			st.Known++
		default:
			unknown = append(unknown, w)
		}
	})
	if err != nil || len(unknown) == 0 {
		return nil, err
	}
	return s.reports(unknown, st)
}

// reports keeps the messages whose body structure may hold a report and
// that are not too large.
func (s *session) reports(ws []wanted, st *Stats) ([]wanted, error) {
	keep := make(map[uint32]bool, len(ws))
	items := []imap.FetchItem{imap.FetchUid, imap.FetchBodyStructure}
	err := s.fetch(uidsOf(ws), items, commandBudget, func(m *imap.Message) {
		keep[m.Uid] = mayHoldReport(m.BodyStructure)
	})
	todo := ws[:0]
	for _, w := range ws {
		switch {
		case !keep[w.uid]:
			st.NotReport++
		case w.size > s.opts.MaxMessage:
			st.Oversize = append(st.Oversize, Oversize{Name: s.name(w.uid), Size: w.size})
		default:
			todo = append(todo, w)
		}
	}
	return todo, err
}

// bodies downloads the wanted messages in bounded batches and emits them.
func (s *session) bodies(todo []wanted, st *Stats, emit func(Message) error) error {
	for len(todo) > 0 {
		n, size := batch(todo)
		got, err := s.fetchBodies(todo[:n], size)
		if err != nil {
			return err
		}
		for _, m := range got {
			st.Read++
			st.Bytes += int64(len(m.Body))
			if err := emit(m); err != nil {
				return err
			}
		}
		todo = todo[n:]
	}
	return nil
}

// batch returns how many of todo the next body FETCH takes, and their
// total size.
func batch(todo []wanted) (int, int64) {
	n, size := 0, int64(0)
	for n < len(todo) && n < bodyBatch && (n == 0 || size+todo[n].size <= bodyBytes) {
		size += todo[n].size
		n++
	}
	return n, size
}

// fetchBodies downloads the bodies of ws with BODY.PEEK[], which does not
// set \Seen (RFC 3501 §6.4.5).
func (s *session) fetchBodies(ws []wanted, size int64) ([]Message, error) {
	section := &imap.BodySectionName{Peek: true}
	items := []imap.FetchItem{imap.FetchUid, section.FetchItem()}
	byUID := make(map[uint32]Message, len(ws))
	var readErr error
	err := s.fetch(uidsOf(ws), items, size+bodySlack*int64(len(ws)), func(m *imap.Message) {
		lit := m.GetBody(section)
		if lit == nil || readErr != nil {
			return
		}
		body := make([]byte, lit.Len())
		_, readErr = io.ReadFull(lit, body)
		byUID[m.Uid] = Message{Name: s.name(m.Uid), Body: body}
	})
	if err == nil && readErr != nil {
		err = s.fail("FETCH", ErrDropped, readErr)
	}
	out := make([]Message, 0, len(ws))
	for _, w := range ws {
		if m, ok := byUID[w.uid]; ok {
			m.MessageID = w.id
			out = append(out, m)
		}
	}
	return out, err
}

// fetch runs one UID FETCH and hands each message to f.
func (s *session) fetch(uids []uint32, items []imap.FetchItem, budget int64, f func(*imap.Message)) error {
	set := new(imap.SeqSet)
	set.AddNum(uids...)
	s.raw.setBudget(budget)
	ch := make(chan *imap.Message, 64)
	done := make(chan error, 1)
	go func() { done <- s.c.UidFetch(set, items, ch) }()
	for m := range ch {
		f(m)
	}
	if err := <-done; err != nil {
		return s.fail("FETCH", ErrDropped, err)
	}
	return s.idle()
}

func uidsOf(ws []wanted) []uint32 {
	uids := make([]uint32, len(ws))
	for i, w := range ws {
		uids[i] = w.uid
	}
	return uids
}

// name is the message's name in diagnostics.
func (s *session) name(uid uint32) string {
	return s.url.String() + "#uid=" + strconv.FormatUint(uint64(uid), 10)
}

// messageID returns the envelope's Message-ID without angle brackets.
func messageID(env *imap.Envelope) string {
	if env == nil {
		return ""
	}
	id := strings.TrimSpace(env.MessageId)
	return strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
}
