package report

import (
	"fmt"
	"html"
	"path"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/markdown"
)

// The notices group lists at most maxNoticeItems notices of one code and
// names at most maxNoticeCodes codes in its one-line summary.
const (
	maxNoticeItems = 20
	maxNoticeCodes = 4
)

// todoBlocks renders one list item per finding to act on, stopping once
// the items exceed limit bytes: no more could be shown.
func todoBlocks(todo diag.List, linkBase string, limit int) []string {
	var blocks []string
	n := 0
	for _, d := range todo {
		b := todoBlock(d, linkBase)
		blocks = append(blocks, b)
		if n += len(b); n > limit {
			break
		}
	}
	return blocks
}

// todoBlock is one finding as a list item: its severity, domain, place
// and code on one line, its message on the next, then the fix and the
// reference. The pane of a job summary is too narrow for a table of
// prose (the fix ends up out of sight), and a list item wraps. Each line
// of the markdown starts with stsgate's own text, never with text from
// input; the message follows a <br> on the first.
func todoBlock(d diag.Diagnostic, linkBase string) string {
	s := "- " + severityIcon(levelOf(d.Severity)) + " " + head(d, linkBase) + markdown.Code(string(d.Code)) +
		"<br>" + markdown.Text(sentence(d.Message))
	if fix := fixText(d); fix != "" {
		s += "<br>\n  " + fix
	}
	return s + "\n\n"
}

// head is the domain and the place of d, each followed by " · ".
func head(d diag.Diagnostic, linkBase string) string {
	s := ""
	if d.Domain != "" {
		s += "**" + markdown.Text(d.Domain) + "** · "
	}
	if p := place(d, linkBase); p != "" {
		s += p + " · "
	}
	return s
}

// fixText is the fix of d and its reference.
func fixText(d diag.Diagnostic) string {
	s := ""
	if d.Hint != "" {
		s = "**Fix:** " + markdown.Text(sentence(d.Hint))
	}
	if d.Ref != "" {
		s = strings.TrimSpace(s + " (" + markdown.Text(d.Ref) + ")")
	}
	return s
}

// severityIcon is a level's icon.
func severityIcon(level string) string {
	switch level {
	case "error":
		return "❌"
	case "warning":
		return "⚠️"
	}
	return "ℹ️"
}

// writeTodo adds the findings to act on, as many as fit under limit.
func writeTodo(b *budget, total int, blocks []string, limit int) {
	if total == 0 {
		return
	}
	fmt.Fprintf(b, "### To do (%d)\n\n", total)
	restore := b.lower(limit)
	shown := b.addEach(blocks)
	restore()
	if shown < total {
		fmt.Fprintf(b, "_… %s not shown: the summary is kept under 1 MiB. The JSON report (`--format json`, output `report_json`) lists them all._\n\n", plural(total-shown, "more finding"))
	}
}

// noticeGroup is the notices of one code.
type noticeGroup struct {
	code  diag.Code
	items diag.List
}

// groupNotices groups notices by code, in the order of their first
// notice.
func groupNotices(notices diag.List) []noticeGroup {
	var groups []noticeGroup
	index := map[diag.Code]int{}
	for _, d := range notices {
		i, ok := index[d.Code]
		if !ok {
			i = len(groups)
			index[d.Code] = i
			groups = append(groups, noticeGroup{code: d.Code})
		}
		groups[i].items = append(groups[i].items, d)
	}
	return groups
}

// noticeLines renders the notices as a list by code, each code with its
// count and title, then its notices; it stops once the lines exceed
// limit bytes.
func noticeLines(notices diag.List, linkBase string, limit int) []string {
	var lines []string
	n := 0
	for _, g := range groupNotices(notices) {
		for _, line := range groupLines(g, linkBase) {
			lines = append(lines, line)
			if n += len(line); n > limit {
				return lines
			}
		}
	}
	return lines
}

// groupLines is a code's list item and its notices as a nested list.
func groupLines(g noticeGroup, linkBase string) []string {
	title := ""
	if info, ok := diag.Lookup(g.code); ok {
		title = ": " + markdown.Text(sentence(info.Title))
	}
	lines := []string{fmt.Sprintf("- %s × %d%s\n", markdown.Code(string(g.code)), len(g.items), title)}
	for i, d := range g.items {
		if i == maxNoticeItems {
			lines = append(lines, fmt.Sprintf("  - _… and %d more; the JSON report lists them all._\n", len(g.items)-i))
			break
		}
		lines = append(lines, "  - "+noticeItem(d, linkBase)+"\n")
	}
	return lines
}

// noticeItem is one notice: where, what, and the fix unless there is
// nothing to do.
func noticeItem(d diag.Diagnostic, linkBase string) string {
	s := strings.TrimSuffix(head(d, linkBase), " · ")
	if s != "" {
		s += ": "
	}
	s += markdown.Text(sentence(d.Message))
	if d.Hint != "" && !strings.HasPrefix(d.Hint, "nothing to do") {
		s += " **Fix:** " + markdown.Text(sentence(d.Hint))
	}
	return s
}

// writeNotices adds the notices, folded: GitHub keeps <details> and
// <summary>. The summary line is raw HTML, where markdown is not read,
// so it is escaped as HTML.
func writeNotices(b *budget, notices diag.List, lines []string) {
	if len(notices) == 0 {
		return
	}
	fmt.Fprintf(b, "<details><summary>ℹ️ %s, nothing to do now: %s</summary>\n\n",
		plural(len(notices), "notice"), html.EscapeString(codeCounts(groupNotices(notices))))
	shown := b.addEach(lines)
	b.WriteString("\n")
	if shown < len(lines) {
		b.WriteString("_… more notices not shown: the summary is kept under 1 MiB. The JSON report (`--format json`, output `report_json`) lists them all._\n\n")
	}
	b.WriteString("</details>\n\n")
}

// codeCounts is "code × n" for the first few codes.
func codeCounts(groups []noticeGroup) string {
	var parts []string
	for i, g := range groups {
		if i == maxNoticeCodes {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%s × %d", g.code, len(g.items)))
	}
	return strings.Join(parts, ", ")
}

// place is where d is, short: a repository file by its name and line,
// linked to that line under linkBase with the whole path as the link's
// title (GitHub keeps the title of a link; it removes <span title>); a
// report by its file name, linked to the file that holds it; else the
// subject, such as a DNS name or a URL. Without linkBase, the whole path.
func place(d diag.Diagnostic, linkBase string) string {
	if file, ok := repoPath(d.File); ok {
		line, _, endLine, _ := span(d.Start, d.End)
		short := path.Base(file)
		if line > 0 {
			short += ":" + strconv.Itoa(line)
		}
		return fileLink(short, location(d), linkBase, fileURL(linkBase, file, line, endLine))
	}
	if file, member, ok := sourcePath(d); ok {
		short := path.Base(file)
		if member != "" {
			short += "#…"
		}
		return fileLink(short, d.Subject, linkBase, fileURL(linkBase, file, 0, 0))
	}
	return markdown.Text(d.Subject)
}

// fileLink links short to url with full as the title, or is full when
// there is no link base.
func fileLink(short, full, linkBase, url string) string {
	if linkBase == "" {
		return markdown.Text(full)
	}
	return "[" + markdown.Text(short) + "](" + linkDest(url) + " \"" + linkTitle(full) + "\")"
}

// linkDest escapes what would end or break a link destination in
// markdown: white space, control characters, parentheses, angle
// brackets, quotes and backslashes.
func linkDest(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		if c <= ' ' || c == 0x7f || strings.IndexByte("()<>\"'\\`", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// linkTitle escapes s for a link title between double quotes: markdown
// escapes and entities are read there, and a quote must not end it.
func linkTitle(s string) string {
	return strings.ReplaceAll(markdown.Text(s), `"`, `\"`)
}

// sourcePath returns the repository file a report finding is about. Its
// subject is the source the report was read from: for a committed report
// a path relative to the repository, with "#" and the part (an archive
// member, an attachment, a message of an mbox) when the report is inside
// another file. URLs, mailboxes and absolute paths are not files of the
// repository.
func sourcePath(d diag.Diagnostic) (file, member string, ok bool) {
	code := string(d.Code)
	if d.File != "" || !strings.HasPrefix(code, "report-") && !strings.HasPrefix(code, "summary-") ||
		strings.Contains(d.Subject, "://") || strings.HasPrefix(d.Subject, "/") {
		return "", "", false
	}
	file, member, _ = strings.Cut(d.Subject, "#")
	file, ok = repoPath(file)
	return file, member, ok
}
