package config

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stsgate/stsgate/internal/diag"
)

// Parse decodes the configuration file name with contents src. An empty
// file, or one with only comments, yields Default() with File set. Every
// problem is reported, each with its line and column in name; on errors
// the Config holds what could be decoded, with defaults in place of bad
// values, and the caller exits with code 2.
func Parse(name string, src []byte) (Config, diag.List) {
	c := Default()
	c.File = name
	if len(src) > MaxSize {
		dg := diag.New(diag.ConfigTooLarge,
			fmt.Sprintf("the configuration is %d bytes, more than the %d bytes stsgate reads", len(src), MaxSize),
			"Shorten the file; a configuration for hundreds of domains fits in far less.")
		dg.File = name
		return c, diag.List{dg}
	}
	d := &decoder{file: name, src: newSource(string(src)), seen: make(map[diagKey]bool)}
	if dg, ok := d.src.checkBareCR(); ok {
		d.add(dg)
	}
	if root := d.document(); root != nil {
		d.budget = treeCost(root) + maxAliasNodes
		d.top(root, &c)
	}
	d.diags.Sort()
	return c, d.diags
}

// document parses the YAML text and returns the root node of its single
// document, or nil when there is none or it does not parse.
func (d *decoder) document() *yaml.Node {
	if dg, ok := d.src.checkEncoding(); !ok {
		d.add(dg)
		return nil
	}
	dec := yaml.NewDecoder(strings.NewReader(d.src.text))
	var doc, next yaml.Node
	if err := decode(dec, &doc); err != nil {
		if !errors.Is(err, io.EOF) {
			d.syntaxError(err)
		}
		return nil
	}
	switch err := decode(dec, &next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		d.syntaxError(err)
	default:
		d.report(diag.ConfigSyntax, &next, "the configuration holds more than one YAML document; stsgate reads only one",
			"Remove the --- line and merge the documents into one.")
	}
	if len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// decode runs the YAML library, turning a panic into an error so that no
// input can crash the caller.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	return dec.Decode(n)
}

var unknownAnchorRE = regexp.MustCompile(`unknown anchor '(.*)' referenced`)

// syntaxError reports an error of the YAML library. The library's own line
// numbers are unreliable (for parser errors it gives the 0-based line
// where the enclosing block starts, and none on the first line), so the
// line is found by parsing prefixes of the file instead.
func (d *decoder) syntaxError(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
	}
	start, end := diag.Pos{Line: d.firstBadLine()}, diag.Pos{}
	if m := unknownAnchorRE.FindStringSubmatch(msg); m != nil {
		if i := strings.Index(d.src.text, "*"+m[1]); i >= 0 {
			start, end = d.src.pos(i), d.src.pos(i+1+len(m[1]))
		}
	}
	d.add(diag.New(diag.ConfigSyntax, "the configuration is not valid YAML: "+msg+"; stsgate cannot read any setting from it",
		"Fix the YAML syntax on or just before this line (indentation, a missing quote or bracket).").At(start, end))
}

var yamlLineRE = regexp.MustCompile(`^line \d+: `)

// firstBadLine returns the smallest n such that the first n lines of the
// file do not parse, by binary search: about 20 parses for a 1 MiB file.
// A prefix of valid block YAML is valid YAML, so this is the line where
// the error is, or where the flow collection or quoted text that holds it
// begins.
func (d *decoder) firstBadLine() int {
	starts := d.src.lineStarts
	lo, hi := 0, len(starts) // the first lo lines parse, the first hi lines do not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if parses(d.src.text[:starts[mid]]) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// parses reports whether every document of text parses.
func parses(text string) bool {
	dec := yaml.NewDecoder(strings.NewReader(text))
	for {
		var n yaml.Node
		switch err := decode(dec, &n); {
		case errors.Is(err, io.EOF):
			return true
		case err != nil:
			return false
		}
	}
}
