package diag

import (
	"cmp"
	"slices"
)

// Code is a stable, kebab-case identifier of a kind of finding. Codes are
// part of the interface: users filter on them and docs/diagnostics.md lists
// them. Never rename one; add a new code instead.
type Code string

// Info describes a code in the catalog.
type Info struct {
	Code     Code
	Severity Severity // default severity; a rule may raise or lower it
	Title    string
	Ref      string
}

// catalog indexes every code. It is built once from the per-area tables
// (codes_*.go) and never modified.
var catalog = index(
	generalCodes,
	policyCodes,
	stsRecordCodes,
	tlsrptRecordCodes,
	zoneCodes,
	configCodes,
	consistencyCodes,
	reportCodes,
	sourceCodes,
	summaryCodes,
	liveCodes,
	gateCodes,
	remindCodes,
	probeCodes,
)

func index(tables ...[]Info) map[Code]Info {
	m := make(map[Code]Info)
	for _, t := range tables {
		for _, info := range t {
			m[info.Code] = info
		}
	}
	return m
}

// Lookup returns the catalog entry for c.
func Lookup(c Code) (Info, bool) {
	info, ok := catalog[c]
	return info, ok
}

// Catalog returns every catalog entry, sorted by code.
func Catalog() []Info {
	all := make([]Info, 0, len(catalog))
	for _, info := range catalog {
		all = append(all, info)
	}
	slices.SortFunc(all, func(a, b Info) int { return cmp.Compare(a.Code, b.Code) })
	return all
}

// General codes.
const (
	FileUnreadable Code = "file-unreadable"
	FileRefused    Code = "file-refused"
)

var generalCodes = []Info{
	{FileUnreadable, Error, "A file named by the configuration cannot be read", ""},
	{FileRefused, Error, "A file the repository names leads outside it, is not a regular file, or is over its size cap, so it is not read", ""},
}
