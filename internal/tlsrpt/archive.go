package tlsrpt

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/stsgate/stsgate/internal/diag"
)

// gunzip decodes the gzip stream in br (RFC 8460 §5.2: reports SHOULD be
// gzip-compressed) and whatever it holds. Concatenated gzip members are
// read as one stream. It returns the format found inside, or kindNone.
func (d *Decoder) gunzip(src string, br *bufio.Reader, allowed kind, depth int) kind {
	for len(d.gzips) <= depth {
		d.gzips = append(d.gzips, nil)
	}
	if d.gzips[depth] == nil {
		d.gzips[depth] = new(gzipMembers)
	}
	members := d.gzips[depth]
	var err error
	if members.zr == nil { // a first header, or the last one failed
		members.zr, err = gzip.NewReader(br)
	} else {
		err = members.zr.Reset(br)
	}
	if err != nil {
		d.readError(src, fmt.Errorf("gzip header: %w", err))
		return kindGzip
	}
	members.zr.Multistream(false)
	members.br, members.trailing = br, false
	defer func() { members.br = nil }() // do not keep the caller's reader
	inner := d.reader(depth+1, &meter{r: members, d: d})
	k := d.content(src, inner, allowed, depth+1)
	if k == kindNone {
		d.unknownInside(src, inner, "gzip data")
	}
	if members.trailing {
		d.add(src, diag.New(diag.ReportGzipTrailingData,
			"Data that is not gzip follows the end of the gzip stream; it was ignored (gzip itself warns \"trailing garbage ignored\").",
			"Nothing to do if the report was read; check that the file was not damaged or concatenated with something else."))
	}
	return kindGzip
}

// gzipMembers reads the members of a gzip stream one after the other
// (RFC 1952 §2.2: a gzip file is a series of members), as
// klauspost/compress/gzip's multistream mode does, except that data
// after the last member that does not start a new one ends the stream
// rather than failing it: reports read by then are not lost.
type gzipMembers struct {
	zr       *gzip.Reader // not in multistream mode
	br       *bufio.Reader
	trailing bool // data that is not a gzip member follows the stream
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	for {
		n, err := g.zr.Read(p)
		if err != io.EOF {
			return n, err
		}
		// The end of a member; a new one starts with the magic bytes.
		head, _ := g.br.Peek(2)
		switch {
		case len(head) == 0:
			return n, io.EOF
		case len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b:
			g.trailing = true
			return n, io.EOF
		}
		if err := g.zr.Reset(g.br); err != nil {
			return n, err
		}
		g.zr.Multistream(false)
		if n > 0 {
			return n, nil
		}
	}
}

// unknownInside reports a compressed or encoded layer whose content is
// not a report format.
func (d *Decoder) unknownInside(src string, br *bufio.Reader, layer string) {
	head, err := br.Peek(1)
	switch {
	case err != nil && err != io.EOF:
		d.readError(src, err)
	case len(head) == 0:
		d.add(src, diag.New(diag.ReportNotFound,
			fmt.Sprintf("The %s is empty: it holds no TLS-RPT report.", layer),
			"Remove the empty file from the report sources."))
	default:
		d.add(src, diag.New(diag.ReportFormatUnknown,
			fmt.Sprintf("The %s does not hold a TLS-RPT report: its content is not JSON.", layer),
			"Give reports as the JSON of RFC 8460 §4.4, gzip-compressed or not."))
	}
}

// unzip decodes every member of the zip archive in br. A zip archive has
// its directory at the end, so the (compressed) archive is read into
// memory, within the source budget.
func (d *Decoder) unzip(src string, br *bufio.Reader, depth int) {
	data, err := io.ReadAll(br)
	if err != nil {
		d.readError(src, err)
		return
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		d.readError(src, fmt.Errorf("zip archive: %w", err))
		return
	}
	for _, f := range zr.File {
		if d.stop {
			return
		}
		if skipMember(f.Name) {
			continue
		}
		label := src + "#" + f.Name
		if !d.part(label) {
			return
		}
		d.zipMember(label, f, depth)
	}
}

// skipMember reports whether a zip member is a directory or operating
// system litter rather than content.
func skipMember(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(name, "/") || strings.HasPrefix(name, "__MACOSX/") ||
		strings.HasPrefix(base, "._") || base == ".DS_Store"
}

// zipMember decodes one member of an archive; a member that holds no
// report is skipped with a notice.
func (d *Decoder) zipMember(label string, f *zip.File, depth int) {
	rc, err := f.Open()
	if err != nil {
		d.readError(label, fmt.Errorf("zip member: %w", err))
		return
	}
	defer rc.Close()
	m := d.mark()
	inner := d.reader(depth+1, &meter{r: rc, d: d})
	k := d.content(label, inner, anyKind, depth+1)
	if d.quiet(m) && !d.stop {
		d.skipped(label, k)
	}
}

// skipped notes a member of an archive or mailbox that holds no report.
func (d *Decoder) skipped(label string, k kind) {
	what := "is not a TLS-RPT report"
	if k != kindNone {
		what = fmt.Sprintf("is a %s without a TLS-RPT report", k)
	}
	d.add(label, diag.New(diag.ReportSkipped,
		fmt.Sprintf("This part %s; it was skipped.", what),
		"Nothing to do if the part is not meant to be a report."))
}
