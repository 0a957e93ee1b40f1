package tlsrpt

import (
	"bufio"
	"bytes"
	"io"
	"strconv"
)

// mbox decodes a mailbox of messages, each introduced by a "From " line
// (RFC 4155). Messages are streamed one at a time; a message without a
// report (a DMARC report in the same mailbox, say) is skipped with a
// notice.
func (d *Decoder) mbox(src string, br *bufio.Reader, depth int) {
	for n := 1; !d.stop; n++ {
		if !skipLine(br) {
			return
		}
		label := src + "#" + strconv.Itoa(n)
		if !d.part(label) {
			return
		}
		msg := &mboxMessage{br: br, bol: true}
		m := d.mark()
		d.message(label, d.reader(depth+1, msg), depth+1)
		if _, err := io.Copy(io.Discard, msg); err != nil {
			d.readError(label, err)
			return
		}
		if d.quiet(m) && !d.stop {
			d.skipped(label, kindMessage)
		}
	}
}

// skipLine consumes one line; it returns false at the end of the input.
func skipLine(br *bufio.Reader) bool {
	for {
		line, err := br.ReadSlice('\n')
		if err != bufio.ErrBufferFull {
			return len(line) > 0 || err == nil
		}
	}
}

// mboxMessage reads one message of an mbox: the lines up to the next
// "From " line, with the mboxrd quoting (">From " for a body line that
// starts with "From ") undone.
type mboxMessage struct {
	br  *bufio.Reader
	bol bool // at the beginning of a line
	eof bool
}

const fromLine = "From "

func (m *mboxMessage) Read(p []byte) (int, error) {
	if m.eof || len(p) == 0 {
		if m.eof {
			return 0, io.EOF
		}
		return 0, nil
	}
	if m.bol {
		m.bol = false
		if m.startOfLine() {
			m.eof = true
			return 0, io.EOF
		}
	}
	if _, err := m.br.Peek(1); err != nil {
		m.eof = err == io.EOF
		return 0, err
	}
	data, _ := m.br.Peek(min(len(p), m.br.Buffered()))
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i+1]
	}
	n := copy(p, data)
	_, _ = m.br.Discard(n)
	m.bol = p[n-1] == '\n'
	return n, nil
}

// startOfLine looks at the line ahead: it reports whether the line
// starts the next message, and drops one '>' from a quoted ">From "
// line.
func (m *mboxMessage) startOfLine() bool {
	head, _ := m.br.Peek(len(fromLine))
	if string(head) == fromLine {
		return true
	}
	if len(head) == 0 || head[0] != '>' {
		return false
	}
	head, _ = m.br.Peek(64)
	quoted := bytes.TrimLeft(head, ">")
	if len(quoted) < len(head) && bytes.HasPrefix(quoted, []byte(fromLine)) {
		_, _ = m.br.Discard(1)
	}
	return false
}
