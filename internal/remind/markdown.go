package remind

import (
	"strings"
	"unicode/utf8"

	"github.com/stsgate/stsgate/internal/markdown"
)

// GitHub refuses issue and comment bodies over 65,536 characters ("body is
// too long (maximum is 65536 characters)", REST API "Create an issue",
// https://docs.github.com/en/rest/issues/issues#create-an-issue). Bodies are
// kept under maxBody bytes, which is never more characters than bytes.
const (
	maxBody     = 60000
	maxTitle    = 256 // GitHub's limit on issue titles, in characters
	maxCell     = 200 // bytes of one table cell taken from a report
	maxRows     = 20  // failure groups shown per table
	maxStrip    = 62  // days shown in the strip
	cutNotice   = "\n\n_… cut here: the rest did not fit in an issue body. The job summary and `--format json` have it all._\n"
	ellipsis    = "…"
	fenceMarker = "```"
)

// mdCell is mdText of s cut to maxCell bytes, or a dash when empty.
func mdCell(s string) string {
	if s == "" {
		return "—"
	}
	return markdown.Text(markdown.Truncate(s, maxCell))
}

// fenced returns content in a fenced code block whose fence is longer
// than any run of backticks in content (CommonMark §4.5).
func fenced(lang, content string) string {
	fence := fenceMarker
	for strings.Contains(content, fence) {
		fence += "`"
	}
	if !strings.HasSuffix(content, "\n") {
		content += "\n"
	}
	return fence + lang + "\n" + content + fence + "\n"
}

// fitTitle keeps a title within GitHub's limit.
func fitTitle(s string) string {
	if utf8.RuneCountInString(s) <= maxTitle {
		return s
	}
	return string([]rune(s)[:maxTitle-1]) + ellipsis
}

// fit keeps body under limit bytes: it cuts at a line boundary, closes a
// code block left open and says so. The hidden lines come first in every
// body, so they survive the cut.
func fit(body string, limit int) string {
	if len(body) <= limit {
		return body
	}
	room := limit - len(cutNotice) - len(fenceMarker) - 16
	cut := strings.LastIndexByte(body[:max(room, 0)], '\n') + 1
	kept := body[:cut]
	if open := openFence(kept); open != "" {
		kept += open + "\n"
	}
	return kept + cutNotice
}

// openFence returns the fence of a code block that text leaves open, or "".
func openFence(text string) string {
	open := ""
	for line := range strings.Lines(text) {
		line = strings.TrimLeft(strings.TrimRight(line, "\n"), " ") // list items indent their blocks
		if !strings.HasPrefix(line, fenceMarker) {
			continue
		}
		n := len(line) - len(strings.TrimLeft(line, "`"))
		switch {
		case open == "":
			open = line[:n]
		case n >= len(open) && strings.TrimLeft(line, "`") == "":
			open = ""
		}
	}
	return open
}
