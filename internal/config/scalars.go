package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/stsgate/stsgate/internal/diag"
)

// typeError reports that what (a key name or a description) holds
// something other than want.
func (d *decoder) typeError(n *yaml.Node, what, want, hint string) {
	d.report(diag.ConfigType, n, fmt.Sprintf("%s must be %s, not %s", what, want, describe(n)), hint)
}

// describe names the YAML value n for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		v := n.Value
		if len(v) > 40 {
			cut := 37
			for cut > 0 && !utf8.RuneStart(v[cut]) {
				cut--
			}
			v = v[:cut] + "..."
		}
		switch n.Tag {
		case "!!int", "!!float":
			return "the number " + v
		case "!!bool":
			return "the boolean " + v
		case "!!null":
			return "an empty value"
		}
		return fmt.Sprintf("the text %s", diag.Excerpt(v))
	}
	return "a YAML node"
}

// text returns the scalar n as a Value; key names n in messages.
func (d *decoder) text(n *yaml.Node, key string) (Value, bool) {
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, key, "a single value", fmt.Sprintf("Write %s: followed by one value on the same line.", key))
		return Value{}, false
	}
	return d.value(n), true
}

// nonEmpty is text that must not be blank or hold control characters
// (which double-quoted escapes can produce).
func (d *decoder) nonEmpty(n *yaml.Node, key string) (Value, bool) {
	v, ok := d.text(n, key)
	if !ok {
		return v, false
	}
	if strings.TrimSpace(v.Text) == "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s is blank", key),
			fmt.Sprintf("Give %s a value, or remove the key.", key))
		return v, false
	}
	if i := strings.IndexFunc(v.Text, func(r rune) bool { return r < 0x20 || r == 0x7f }); i >= 0 {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s contains the control character %U", key, v.Text[i]),
			"Remove the escape sequence that produces it.")
		return v, false
	}
	return v, true
}

// list returns the resolved, non-null items of the sequence n. A scalar or
// mapping in its place is a type error: want describes the items.
func (d *decoder) list(n *yaml.Node, key, want string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		d.typeError(n, key, "a list of "+want,
			"Write each item on its own line starting with \"- \", or as [item, item]; even a single item goes in a list.")
		return nil
	}
	var items []*yaml.Node
	for _, it := range n.Content {
		r := d.resolve(it)
		switch {
		case r == nil:
		case isNull(r):
			d.report(diag.ConfigValue, it, fmt.Sprintf("%s has an empty item", key), "Remove the empty item or fill it in.")
		default:
			items = append(items, r)
		}
	}
	return items
}

// texts decodes a list of single values.
func (d *decoder) texts(n *yaml.Node, key string) []Value {
	var out []Value
	for _, it := range d.list(n, key, "values") {
		if v, ok := d.nonEmpty(it, "each item of "+key); ok {
			out = append(out, v)
		}
	}
	return out
}

// intSetting describes an integer key.
type intSetting struct {
	key     string
	lo, hi  int
	def     int    // -1: computed from clean_days
	meaning string // what the number controls, for messages
}

// integer decodes a whole number within s's range.
func (d *decoder) integer(n *yaml.Node, s intSetting) (int, bool) {
	def := strconv.Itoa(s.def)
	if s.def < 0 {
		def = "(half of clean_days, rounded up)"
	}
	hint := fmt.Sprintf("Set %s to a whole number from %d to %d, or remove it to use the default %s.", s.key, s.lo, s.hi, def)
	// A plain number too large for 64 bits is resolved as a float.
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" && !(n.Tag == "!!float" && isDecimal(n.Value)) {
		d.typeError(n, s.key, "a whole number", hint)
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimPrefix(n.Value, "+"))
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			i = s.hi + 1 // reported as out of range below
		} else {
			d.typeError(n, s.key, "a decimal whole number", hint)
			return 0, false
		}
	}
	if i < s.lo || i > s.hi {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s is %s, outside %d..%d: it is %s",
			s.key, n.Value, s.lo, s.hi, s.meaning), hint)
		return 0, false
	}
	return i, true
}

// durationSetting describes a duration key.
type durationSetting struct {
	key     string
	max     time.Duration
	def     string
	meaning string
}

// duration decodes a duration greater than zero and at most s.max.
func (d *decoder) duration(n *yaml.Node, s durationSetting) (time.Duration, bool) {
	hint := fmt.Sprintf("Write a number with a unit, such as 3d, 36h, 90m, 5s or 1m30s (at most %s), or remove %s to use the default %s.",
		formatDuration(s.max), s.key, s.def)
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, s.key, "a duration", hint)
		return 0, false
	}
	t, err := parseDuration(n.Value)
	if err != nil {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %s is not a duration: %v", s.key, diag.Excerpt(n.Value), err), hint)
		return 0, false
	}
	if t <= 0 || t > s.max {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s is %s, outside the range above zero up to %s: it is %s",
			s.key, n.Value, formatDuration(s.max), s.meaning), hint)
		return 0, false
	}
	return t, true
}

// isDecimal reports whether s is a decimal integer with an optional sign.
func isDecimal(s string) bool {
	return allDigits(strings.TrimLeft(s, "+-")) && len(strings.TrimLeft(s, "+-")) >= len(s)-1
}
