package tlsrpt

// The values of the wire types' fields, decoded the way encoding/json
// decodes them (see fastParser).

// objectField decodes an object with decode, which starts at the '{';
// null leaves the field as it is.
func (p *fastParser) objectField(decode func() bool) bool {
	switch p.next() {
	case '{':
		return decode()
	case 'n':
		return p.null()
	}
	return false
}

// stringField decodes a string; null leaves it as it is.
func (p *fastParser) stringField(dst *string) bool {
	switch p.next() {
	case '"':
		b, ok := p.str()
		*dst = p.strs.get(b)
		return ok
	case 'n':
		return p.null()
	}
	return false
}

// uniqueField is stringField for a value that is seldom seen twice
// (report-id): it is not interned.
func (p *fastParser) uniqueField(dst *string) bool {
	switch p.next() {
	case '"':
		b, ok := p.str()
		*dst = string(b)
		return ok
	case 'n':
		return p.null()
	}
	return false
}

// raw moves past the value at the next non-space byte and returns it;
// depth is its nesting.
func (p *fastParser) raw(depth int) ([]byte, bool) {
	p.next()
	start := p.i
	ok := p.skip(depth)
	return p.doc[start:p.i], ok
}

// countField decodes a session count like count.UnmarshalJSON.
func (p *fastParser) countField(c *count, depth int) bool {
	b, ok := p.raw(depth)
	if !ok || string(b) == "null" {
		return ok
	}
	if p.uncut && (b[0] == '{' || b[0] == '[') {
		return false
	}
	c.present = true
	if n, ok := parseCount(b); ok {
		c.n = n
	} else {
		c.invalid = string(b[:min(len(b), 40)])
	}
	return true
}

// textField decodes free text like text.UnmarshalJSON.
func (p *fastParser) textField(t *text, depth int) bool {
	return p.textFieldAs(t, depth, p.strs.get)
}

// uniqueTextField is textField for text that is seldom seen twice
// (additional-information, a URL per failure): it is not interned,
// where it would only push out the strings that do come back.
func (p *fastParser) uniqueTextField(t *text, depth int) bool {
	return p.textFieldAs(t, depth, func(b []byte) string { return string(b) })
}

// textFieldAs is textField with str making a string of a JSON string's
// content.
func (p *fastParser) textFieldAs(t *text, depth int, str func([]byte) string) bool {
	if p.next() == '"' {
		b, ok := p.str()
		*t = text(str(b))
		return ok
	}
	b, ok := p.raw(depth)
	switch {
	case !ok || string(b) == "null":
	case p.uncut && (b[0] == '{' || b[0] == '['):
		return false
	default:
		*t = text(b[:min(len(b), 200)])
	}
	return ok
}

// listField decodes a list of strings like stringList.UnmarshalJSON.
func (p *fastParser) listField(l *stringList) bool {
	switch p.next() {
	case '"':
		b, ok := p.str()
		l.v, l.fromString = []string{p.strs.get(b)}, true
		return ok
	case '[':
	default:
		b, ok := p.raw(4)
		l.invalid = ok && string(b) != "null"
		return ok
	}
	p.i++
	list, valid := p.list[:0], true
	for first := true; ; {
		done, ok := p.element(&first)
		switch {
		case !ok:
			return false
		case done:
			p.endList(l, list, valid)
			return true
		}
		s, isString, ok := p.listString()
		if !ok {
			return false
		}
		valid = valid && isString
		if len(list) == p.caps.listItems {
			l.cut = true // RFC 8460 §7: read, not kept
			continue
		}
		list = append(list, s)
	}
}

// endList sets l to the items read, list, unless they are not all
// strings; list's backing array is kept for the next list.
func (p *fastParser) endList(l *stringList, list []string, valid bool) {
	p.list = list
	switch {
	case !valid:
		l.invalid = true
	case !p.discard:
		l.v = append(make([]string, 0, len(list)), list...)
	}
}

// listString reads an element of a list: a string, or null for "" (as
// encoding/json leaves a new element of a []string); isString is false
// for any other value, which makes the list invalid.
func (p *fastParser) listString() (s string, isString, ok bool) {
	switch p.next() {
	case '"':
		b, ok := p.str()
		return p.strs.get(b), true, ok
	case 'n':
		return "", true, p.null()
	}
	return "", false, p.skip(5)
}
