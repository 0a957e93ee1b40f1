package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// htmlNode is an element of the HTML cmark-gfm renders, or a text node
// (empty name).
type htmlNode struct {
	name     string
	attrs    map[string]string
	children []*htmlNode
	text     string
}

// all returns n and every element below it named name, in order.
func (n *htmlNode) all(name string) []*htmlNode {
	var out []*htmlNode
	if n.name == name {
		out = append(out, n)
	}
	for _, c := range n.children {
		out = append(out, c.all(name)...)
	}
	return out
}

// child returns the direct children of n named name.
func (n *htmlNode) child(name string) []*htmlNode {
	var out []*htmlNode
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

// textContent is the text of n and below.
func (n *htmlNode) textContent() string {
	var b strings.Builder
	b.WriteString(n.text)
	for _, c := range n.children {
		b.WriteString(c.textContent())
	}
	return b.String()
}

// elements lists the element children of n, without the text nodes.
func (n *htmlNode) elements() []*htmlNode {
	var out []*htmlNode
	for _, c := range n.children {
		if c.name != "" {
			out = append(out, c)
		}
	}
	return out
}

// renderGFM renders markdown as GitHub's markdown engine does
// (cmark-gfm with its table, autolink and strikethrough extensions) and
// parses the HTML. Raw HTML is kept (--unsafe): GitHub keeps what its
// sanitizer allows, which checkElements holds the summary to. It skips
// the test when cmark-gfm is not installed; .ci/run installs it.
func renderGFM(t *testing.T, markdown string) *htmlNode {
	t.Helper()
	bin, err := exec.LookPath("cmark-gfm")
	if err != nil {
		t.Skip("cmark-gfm is not installed (Debian package cmark-gfm)")
	}
	cmd := exec.Command(bin, "--unsafe", "-e", "table", "-e", "autolink", "-e", "strikethrough")
	cmd.Stdin = strings.NewReader(markdown)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cmark-gfm: %v", err)
	}
	return parseHTML(t, out)
}

// parseHTML reads the HTML fragment cmark-gfm writes, which is
// well-formed but for its void elements.
func parseHTML(t *testing.T, data []byte) *htmlNode {
	t.Helper()
	dec := xml.NewDecoder(io.MultiReader(strings.NewReader("<root>"), bytes.NewReader(data), strings.NewReader("</root>")))
	dec.Strict, dec.AutoClose, dec.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	stack := []*htmlNode{{}}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the HTML of the summary does not parse: %v\n%s", err, data)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &htmlNode{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.children = append(top.children, &htmlNode{text: string(tok)})
		}
	}
	return stack[0].children[0]
}

// allowedHTML is what the summary may render to, element by element with
// the attributes each may carry: a subset of what GitHub's sanitizer
// keeps (html-pipeline's SanitizationFilter: no <span>, no style, no
// event handlers). Text from input must never add an element or an
// attribute.
var allowedHTML = map[string][]string{
	"root": nil, "h2": nil, "h3": nil, "p": nil, "strong": nil, "em": nil, "code": nil, "br": nil,
	"ul": nil, "li": nil, "blockquote": nil, "details": nil, "summary": nil,
	"a": {"href", "title"}, "table": nil, "thead": nil, "tbody": nil, "tr": nil, "th": {"align"}, "td": {"align"},
}

// checkElements fails for an element or attribute outside allowedHTML,
// and for a link that leads outside the repository unless its text shows
// where it leads, as an autolink does: GitHub's autolink extension links
// a URL in text from input, as in any comment, but input cannot disguise
// a link.
func checkElements(t *testing.T, root *htmlNode, repo string) {
	t.Helper()
	var walk func(n *htmlNode)
	walk = func(n *htmlNode) {
		if n.name == "" {
			return
		}
		allowed, ok := allowedHTML[n.name]
		if !ok {
			t.Errorf("the summary renders a <%s> element", n.name)
		}
		for name := range n.attrs {
			if !strings.Contains(" "+strings.Join(allowed, " ")+" ", " "+name+" ") {
				t.Errorf("<%s> has an attribute %s", n.name, name)
			}
		}
		if href, ok := n.attrs["href"]; ok && !strings.HasPrefix(href, repo+"/") {
			target, err := url.PathUnescape(href)
			if text := n.textContent(); err != nil || text != target && "http://"+text != target {
				t.Errorf("a link to %q reads %q", href, text)
			}
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(root)
}

// section returns the elements after the h3 whose text starts with
// title, up to the next heading.
func section(root *htmlNode, title string) []*htmlNode {
	var out []*htmlNode
	in := false
	for _, n := range root.elements() {
		switch {
		case n.name == "h3" && strings.HasPrefix(n.textContent(), title):
			in = true
		case n.name == "h2" || n.name == "h3" || n.name == "details":
			in = false
		case in:
			out = append(out, n)
		}
	}
	return out
}

// TestSummaryHTML renders the summary as GitHub does and checks its
// structure: the verdict, then the next step; one list item per finding
// to act on, with its code, a short linked place and the fix, and none of
// them in a table; the notices in one <details> group.
func TestSummaryHTML(t *testing.T) {
	t.Parallel()
	const repo = "https://github.com/o/r"
	r := noticeSample()
	root := renderGFM(t, Summary(r, SummaryOptions{Run: "check", LinkBase: repo + "/blob/abc"}))
	checkElements(t, root, repo)
	top := root.elements()
	if len(top) < 2 || top[0].name != "h2" || !strings.HasPrefix(top[1].textContent(), "Next step for example.com") {
		t.Fatalf("want the verdict, then the next step; got %d elements, first %v", len(top), top)
	}
	todo, notices := splitTodo(r.Diagnostics.ByImportance())
	lists := section(root, "To do")
	if len(lists) != 1 || lists[0].name != "ul" {
		t.Fatalf("the findings to act on are not one list: %d elements", len(lists))
	}
	var got, want []string
	for i, li := range lists[0].child("li") {
		text := li.textContent()
		codes := li.all("code")
		got = append(got, fmt.Sprint(codes[len(codes)-1].textContent(), " ", strings.Contains(text, "Fix:")))
		want = append(want, string(todo[i].Code)+" true")
		for _, a := range li.all("a") {
			if strings.Contains(a.textContent(), "/") || a.attrs["title"] == "" {
				t.Errorf("place %q (title %q): want the file name, the whole path in the title", a.textContent(), a.attrs["title"])
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings to act on (-want +got):\n%s", diff)
	}
	for _, table := range root.all("table") {
		if strings.Contains(table.textContent(), "Fix:") {
			t.Error("a finding is in a table")
		}
	}
	details := root.all("details")
	if len(details) != 1 || len(details[0].child("summary")) != 1 {
		t.Fatalf("want one <details> group with a <summary>, got %d", len(details))
	}
	if n := len(details[0].all("li")) - len(groupNotices(notices)); n != len(notices) {
		t.Errorf("the group lists %d notices, want %d", n, len(notices))
	}
}

// TestSummaryHTMLHostile: text from input adds no element, attribute or
// link to the rendered summary.
func TestSummaryHTMLHostile(t *testing.T) {
	t.Parallel()
	for _, s := range append(injections(), "<script>alert(1)</script>", `x" onmouseover="y`, "[l](https://evil.example)", "<span title=x>t</span>", "</details><img src=x>") {
		r := hostileResult(s, 3)
		r.Diagnostics[0].Subject = "reports/" + s + "#" + s
		issues := []IssueLink{{Domain: s, Number: 1, URL: "https://github.com/o/r/issues/1", Status: s}}
		root := renderGFM(t, Summary(r, SummaryOptions{Run: s, Override: s, LinkBase: "https://github.com/o/r/blob/abc", Issues: issues}))
		checkElements(t, root, "https://github.com/o/r")
		checkElements(t, renderGFM(t, Summary(Result{Verdict: Error}, SummaryOptions{Stopped: s})), "https://github.com/o/r")
	}
}
