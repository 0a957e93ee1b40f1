package zone

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/stsgate/stsgate/internal/diag"
)

// screen refuses the directives stsgate does not run and returns the
// source with them blanked out: every byte but newlines becomes a space,
// so positions do not move and the parse goes on after them.
//
// $INCLUDE is always refused: it would read other files. $GENERATE is
// refused once the text the directives make would pass maxGenerated.
func (s *source) screen() (diag.List, []byte) {
	var l diag.List
	text, copied := s.src, false
	generated := 0
	for i := range s.entries {
		e := &s.entries[i]
		var d diag.Diagnostic
		switch {
		case s.isDirective(e, "$INCLUDE"):
			d = diag.New(diag.ZoneInclude,
				"the zone file uses $INCLUDE; stsgate does not read other files from a zone file, so records in the included file are not checked",
				"copy the records of the mail domain (_mta-sts, _smtp._tls, MX, mta-sts) into this file instead of including them")
		case s.isDirective(e, "$GENERATE"):
			generated += s.generatedSize(e)
			if generated <= maxGenerated {
				continue
			}
			d = diag.New(diag.ZoneSyntax,
				fmt.Sprintf("the $GENERATE directives of this zone file make more than %d bytes of records; stsgate does not run this one, so the records it makes are not checked", maxGenerated),
				"write the records of the mail domain out in full, or keep them in a declaration file of their own")
		default:
			continue
		}
		if !copied {
			text, copied = append([]byte(nil), s.src...), true
		}
		last := e.tokens[len(e.tokens)-1]
		l.Add(d.At(s.pos(e.start), s.pos(last.end)))
		for j := e.start; j < last.end; j++ {
			if text[j] != '\n' {
				text[j] = ' '
			}
		}
	}
	return l, text
}

// generatedSize estimates the bytes a $GENERATE entry makes: the length of
// its template times the steps of its range "start-stop[/step]". A range
// the parser will reject counts once.
func (s *source) generatedSize(e *entry) int {
	template := string(s.src[e.start:e.tokens[len(e.tokens)-1].end])
	// In each step a '$' becomes the counter (at most 10 digits), or with
	// a modifier "${offset,width,base}" up to 255 bytes.
	size := len(template) + 10*strings.Count(template, "$") + 255*strings.Count(template, "${")
	if len(e.tokens) < 2 {
		return size
	}
	rng, stepText, hasStep := strings.Cut(s.text(e.tokens[1]), "/")
	startText, stopText, _ := strings.Cut(rng, "-")
	start, err1 := strconv.Atoi(startText)
	stop, err2 := strconv.Atoi(stopText)
	step := 1
	var err3 error
	if hasStep {
		step, err3 = strconv.Atoi(stepText)
	}
	if err1 != nil || err2 != nil || err3 != nil || step <= 0 || stop < start {
		return size
	}
	// The parser refuses more than 65536 steps.
	return size * min((stop-start)/step+1, 65536)
}
