package config

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stsgate/stsgate/internal/diag"
)

// decoder walks a YAML node tree and collects diagnostics.
type decoder struct {
	file   string
	src    *source
	diags  diag.List
	seen   map[diagKey]bool // a node reached through several aliases is reported once
	budget int              // node visits left; see resolve
}

type diagKey struct {
	code       diag.Code
	start, end diag.Pos
	message    string
}

// field is a key of a mapping and what to do with its non-null value.
type field struct {
	key string
	set func(value *yaml.Node)
}

type pair struct{ key, value *yaml.Node }

func (d *decoder) add(dg diag.Diagnostic) {
	dg.File = d.file
	k := diagKey{dg.Code, dg.Start, dg.End, dg.Message}
	if d.seen[k] {
		return
	}
	d.seen[k] = true
	d.diags.Add(dg)
}

// report adds a diagnostic spanning n.
func (d *decoder) report(code diag.Code, n *yaml.Node, msg, hint string) {
	start, end := d.span(n)
	d.add(diag.New(code, msg, hint).At(start, end))
}

// span returns the text of a scalar when it maps exactly to the file, else
// the start of the node.
func (d *decoder) span(n *yaml.Node) (diag.Pos, diag.Pos) {
	if n.Kind == yaml.ScalarNode {
		v := d.value(n)
		return v.Pos, endOf(v)
	}
	return d.nodePos(n), diag.Pos{}
}

func (d *decoder) nodePos(n *yaml.Node) diag.Pos {
	return d.src.pos(d.src.offset(n.Line, n.Column))
}

// value returns the scalar n with the position of its text.
func (d *decoder) value(n *yaml.Node) Value {
	t := d.src.text
	off := d.src.offset(n.Line, n.Column)
	if n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		off = skipProperties(t, off)
	}
	exact := false
	switch {
	case n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		q := byte('"')
		if n.Style&yaml.SingleQuotedStyle != 0 {
			q = '\''
		}
		if off < len(t) && t[off] == q {
			off++
			exact = quotedExact(t[off:], n.Value, q)
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// Block scalars start on the next line; Pos is the indicator.
	default:
		exact = strings.HasPrefix(t[off:], n.Value) && !strings.ContainsAny(n.Value, "\r\n")
	}
	return Value{Text: n.Value, Pos: d.src.pos(off), Exact: exact}
}

// quotedExact reports whether rest, the file after an opening quote q, is
// value followed by the closing quote: no escapes, no folded lines.
func quotedExact(rest, value string, q byte) bool {
	n := len(value)
	if !strings.HasPrefix(rest, value) || strings.ContainsAny(value, "\r\n") || n >= len(rest) || rest[n] != q {
		return false
	}
	if q == '"' {
		return !strings.Contains(value, `\`)
	}
	return n+1 >= len(rest) || rest[n+1] != '\''
}

// skipProperties skips an anchor (&a) and a tag (!!str) before a node,
// with the spaces, line breaks and comments after them.
func skipProperties(t string, off int) int {
	for off < len(t) && (t[off] == '&' || t[off] == '!') {
		for off < len(t) && !isSpace(t[off]) {
			off++
		}
		off = skipBlanks(t, off)
	}
	return off
}

// skipBlanks skips spaces, tabs, comments and line breaks, with the breaks
// YAML counts: a comment ends at a bare CR too.
func skipBlanks(t string, off int) int {
	for off < len(t) {
		switch n := yamlBreak(t[off:]); {
		case n > 0:
			off += n
		case t[off] == ' ' || t[off] == '\t':
			off++
		case t[off] == '#':
			for off < len(t) && yamlBreak(t[off:]) == 0 {
				off++
			}
		default:
			return off
		}
	}
	return off
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// resolve follows an alias and charges the visit to the budget. The
// budget starts at the cost of every node of the file plus maxAliasNodes,
// so that a file without aliases never runs out, while aliases that
// expand to a very large tree (a "billion laughs" bomb) stop the walk.
// resolve returns nil when the budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	if n == nil || d.budget <= 0 {
		return nil
	}
	site := n
	if n.Kind == yaml.AliasNode {
		if n = n.Alias; n == nil {
			return nil
		}
	}
	d.budget -= cost(n)
	if d.budget <= 0 {
		d.report(diag.ConfigTooLarge, site,
			"the configuration's aliases expand to too many values; stsgate stops reading it here",
			"Use fewer aliases (*name), or repeat the values you need instead of nesting aliases.")
		return nil
	}
	return n
}

// cost is the work a visit of n may cause: scalars are checked byte by byte.
func cost(n *yaml.Node) int { return 1 + len(n.Value)/64 }

// treeCost sums cost over the nodes of the file, without following aliases.
func treeCost(root *yaml.Node) int {
	total := 0
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		total += cost(n)
		stack = append(stack, n.Content...)
	}
	return total
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// mapping decodes the mapping n (resolved) with fields; where names the
// level in messages ("a domains entry"). Null values count as absent. It
// returns the key nodes of the keys given, and false when n is not a
// mapping.
func (d *decoder) mapping(n *yaml.Node, where string, fields []field) (map[string]*yaml.Node, bool) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, where, "a mapping of keys to values",
			"Write it as key: value lines; the keys allowed here are "+keyList(fields)+".")
		return nil, false
	}
	given := make(map[string]*yaml.Node)
	for _, p := range d.pairs(n, nil) {
		i := fieldIndex(fields, p.key.Value)
		if i < 0 {
			d.unknownKey(p.key, where, fields)
			continue
		}
		v := d.resolve(p.value)
		if v == nil || isNull(v) {
			continue
		}
		given[p.key.Value] = p.key
		fields[i].set(v)
	}
	return given, true
}

func fieldIndex(fields []field, key string) int {
	for i, f := range fields {
		if f.key == key {
			return i
		}
	}
	return -1
}

func fieldKeys(fields []field) []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.key
	}
	return keys
}

func keyList(fields []field) string { return strings.Join(fieldKeys(fields), ", ") }

// unknownKey reports the key k, naming the allowed keys and the closest one.
func (d *decoder) unknownKey(k *yaml.Node, where string, fields []field) {
	hint := "The keys allowed here are " + keyList(fields) + "."
	if s := Suggest(k.Value, fieldKeys(fields)); s != "" {
		hint = fmt.Sprintf("Did you mean %q? %s", s, hint)
	}
	d.report(diag.ConfigUnknownKey, k, fmt.Sprintf(
		"unknown key %q in %s: stsgate does not read it, so the setting you meant would not apply",
		k.Value, where), hint)
}

// pairs returns the key/value pairs of the mapping m with merge keys (<<)
// expanded: keys of m win over merged keys, earlier merged mappings over
// later ones. Keys given twice in m are reported. chain holds the mappings
// being merged, to refuse a mapping merged into itself.
func (d *decoder) pairs(m *yaml.Node, chain []*yaml.Node) []pair {
	var own, merged []pair
	first := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := d.resolve(m.Content[i])
		switch {
		case k == nil:
			continue
		case k.Kind != yaml.ScalarNode:
			d.typeError(k, "a key", "a plain word", "Write keys as plain words such as clean_days.")
		case k.Tag == "!!merge":
			merged = append(merged, d.mergeSources(m.Content[i+1], append(chain, m))...)
		case first[k.Value] != nil:
			d.report(diag.ConfigDuplicateKey, k, fmt.Sprintf(
				"key %q is given twice (first at line %d); YAML does not allow it and one value would be lost",
				k.Value, d.nodePos(first[k.Value]).Line), "Keep one of the two and delete the other.")
		default:
			first[k.Value] = k
			own = append(own, pair{k, m.Content[i+1]})
		}
	}
	for _, p := range merged {
		if first[p.key.Value] == nil {
			first[p.key.Value] = p.key
			own = append(own, p)
		}
	}
	return own
}

// mergeSources returns the pairs a merge key's value brings: a mapping or
// a list of mappings.
func (d *decoder) mergeSources(v *yaml.Node, chain []*yaml.Node) []pair {
	site := v
	if v = d.resolve(v); v == nil {
		return nil
	}
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = items[:0]
		for _, it := range v.Content {
			if it = d.resolve(it); it != nil {
				items = append(items, it)
			}
		}
	}
	var out []pair
	for _, it := range items {
		switch {
		case it.Kind != yaml.MappingNode:
			d.typeError(it, "the value of <<", "a mapping or a list of mappings",
				"Merge a mapping defined elsewhere with an anchor, as in <<: *defaults.")
		case containsNode(chain, it):
			d.report(diag.ConfigValue, site, "<< merges a mapping into itself",
				"Point << at a mapping that does not contain this one.")
		default:
			out = append(out, d.pairs(it, chain)...)
		}
	}
	return out
}

func containsNode(chain []*yaml.Node, n *yaml.Node) bool {
	for _, c := range chain {
		if c == n {
			return true
		}
	}
	return false
}
