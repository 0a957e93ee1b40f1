package smtpprobe

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// The reply reader's bounds.
//
// Why not net/textproto (which net/smtp uses): its ReadResponse reads a
// line of any length and any number of continuation lines, so a server
// that sends an endless EHLO reply keeps the probe reading, with memory
// growing, until the step timeout ends it; and net/smtp has no per-step
// timeout at all. These bounds end such a reply at once, as a protocol
// error, with memory bounded by maxReplyLine.
const (
	// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets with its
	// CRLF. Some servers send longer banners; twice that is still a bound.
	maxReplyLine = 1024
	// An EHLO reply has one line per extension, about ten in practice.
	maxReplyLines = 64
)

// Reply is an SMTP reply (RFC 5321 §4.2): its code and the text of each
// line after the code and the separator.
type Reply struct {
	Code  int
	Lines []string
}

// String returns the reply's code and first line, as a message quotes it.
func (r Reply) String() string {
	if len(r.Lines) == 0 || r.Lines[0] == "" {
		return fmt.Sprint(r.Code)
	}
	return fmt.Sprintf("%d %s", r.Code, r.Lines[0])
}

// errReplyTooLong ends a reply that breaks the reader's bounds.
var errReplyTooLong = errors.New("reply too long")

// readReply reads one reply from r, whose buffer must hold maxReplyLine
// bytes (newReader). Lines end in CRLF or, leniently, in LF alone.
//
// RFC 5321 §4.2.1: every line of a multi-line reply has the same code and
// a hyphen after it, except the last, which has a space or nothing.
func readReply(r *bufio.Reader) (Reply, error) {
	var reply Reply
	for {
		line, err := readLine(r)
		if err != nil {
			return Reply{}, err
		}
		code, text, last, err := parseReplyLine(line)
		if err != nil {
			return Reply{}, err
		}
		switch {
		case len(reply.Lines) == 0:
			reply.Code = code
		case code != reply.Code:
			return Reply{}, fmt.Errorf("reply line with code %d continues a reply with code %d", code, reply.Code)
		case len(reply.Lines) == maxReplyLines:
			return Reply{}, fmt.Errorf("%w: more than %d lines", errReplyTooLong, maxReplyLines)
		}
		reply.Lines = append(reply.Lines, text)
		if last {
			return reply, nil
		}
	}
}

// newReader returns a reader for readReply: its buffer is the line bound.
func newReader(r io.Reader) *bufio.Reader { return bufio.NewReaderSize(r, maxReplyLine) }

// readLine reads a line without its line ending.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return nil, fmt.Errorf("%w: a line of more than %d bytes", errReplyTooLong, maxReplyLine)
	case err == io.EOF && len(line) > 0:
		return nil, io.ErrUnexpectedEOF
	case err != nil:
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// parseReplyLine splits a reply line into its code, its text and whether
// it is the reply's last line.
//
// RFC 5321 §4.2: Reply-code = %x32-35 %x30-35 %x30-39.
func parseReplyLine(line []byte) (code int, text string, last bool, err error) {
	if len(line) < 3 || !between(line[0], '2', '5') || !between(line[1], '0', '5') || !between(line[2], '0', '9') {
		return 0, "", false, fmt.Errorf("malformed reply line %.40q", line)
	}
	code = int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
	if len(line) == 3 {
		return code, "", true, nil
	}
	switch line[3] {
	case ' ':
		return code, string(line[4:]), true, nil
	case '-':
		return code, string(line[4:]), false, nil
	}
	return 0, "", false, fmt.Errorf("malformed reply line %.40q", line)
}

func between(c, lo, hi byte) bool { return lo <= c && c <= hi }
