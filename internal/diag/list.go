package diag

import (
	"cmp"
	"slices"
)

// List is an ordered collection of diagnostics.
type List []Diagnostic

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Max returns the highest severity in l, or 0 when l is empty.
func (l List) Max() Severity {
	var m Severity
	for _, d := range l {
		m = max(m, d.Severity)
	}
	return m
}

// Count returns how many diagnostics have exactly severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Has reports whether l contains a diagnostic with code c.
func (l List) Has(c Code) bool {
	return slices.ContainsFunc(l, func(d Diagnostic) bool { return d.Code == c })
}

// Codes returns the codes in l, in order, for tests and summaries.
func (l List) Codes() []Code {
	codes := make([]Code, len(l))
	for i, d := range l {
		codes[i] = d.Code
	}
	return codes
}

// InFile sets the file of every diagnostic in l that has none, offsetting
// positions by base (the position where the parsed text starts in file; the
// zero Pos when the text is the whole file).
func (l List) InFile(file string, base Pos) List {
	for i := range l {
		if l[i].File != "" {
			continue
		}
		l[i].File = file
		if !base.IsZero() {
			l[i].Start = l[i].Start.Offset(base)
			if !l[i].End.IsZero() {
				l[i].End = l[i].End.Offset(base)
			}
		}
	}
	return l
}

// About sets the subject of every diagnostic in l that has none and no file.
func (l List) About(subject string) List {
	for i := range l {
		if l[i].File == "" && l[i].Subject == "" {
			l[i].Subject = subject
		}
	}
	return l
}

// ForDomain sets the domain of every diagnostic in l that has none.
func (l List) ForDomain(domain string) List {
	for i := range l {
		if l[i].Domain == "" {
			l[i].Domain = domain
		}
	}
	return l
}

// Sort orders l by domain, file, position, severity (highest first) and
// code, so that output is stable.
func (l List) Sort() {
	slices.SortStableFunc(l, compare)
}

func compare(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Domain, b.Domain),
		cmp.Compare(a.File, b.File),
		a.Start.compare(b.Start),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Code, b.Code),
		cmp.Compare(a.Subject, b.Subject),
		cmp.Compare(a.Message, b.Message),
	)
}

// ByImportance returns a copy of l ordered most important first: highest
// severity, then findings on a line of a file the user edits (the policy,
// the zone) before those about other inputs (a report, a live record),
// then position. Annotations use it to pick the first few.
func (l List) ByImportance() List {
	c := slices.Clone(l)
	slices.SortStableFunc(c, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(b.onLine(), a.onLine()), compare(a, b))
	})
	return c
}

// onLine is 1 when d points at a line of a file, else 0.
func (d Diagnostic) onLine() int {
	if d.File != "" && d.Start.Line > 0 {
		return 1
	}
	return 0
}
