package config

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stsgate/stsgate/internal/diag"
)

// domains decodes the domains list; a domain listed twice is reported at
// its second entry and dropped.
func (d *decoder) domains(n *yaml.Node) []Domain {
	var out []Domain
	first := make(map[string]diag.Pos)
	for _, it := range d.list(n, "domains", "domain entries (- domain: example.com)") {
		dom, ok := d.domain(it)
		if !ok {
			continue
		}
		if p, dup := first[dom.Name]; dup {
			d.add(diag.New(diag.ConfigValue, fmt.Sprintf(
				"domain %s is listed twice (first at line %d): its checks would run twice with different settings",
				dom.Name, p.Line), "Merge the two entries into one.").At(dom.Pos, diag.Pos{}))
			continue
		}
		first[dom.Name] = dom.Pos
		out = append(out, dom)
	}
	return out
}

// domain decodes one domains entry. It returns false when the entry has no
// valid domain name.
func (d *decoder) domain(n *yaml.Node) (Domain, bool) {
	dom := Domain{Policy: DefaultPolicy}
	named := false
	given, ok := d.mapping(n, "a domains entry", []field{
		{"domain", func(v *yaml.Node) { dom.Name, dom.Pos, named = d.hostName(v, "domain") }},
		{"policy", func(v *yaml.Node) { d.repoFile(v, "policy", &dom.Policy) }},
		{"zone", func(v *yaml.Node) { d.repoFile(v, "zone", &dom.Zone) }},
		{"records", func(v *yaml.Node) { dom.Records = d.records(v) }},
		{"reports", func(v *yaml.Node) { dom.Reports = d.reports(v) }},
	})
	if !ok {
		return dom, false
	}
	if given["domain"] == nil {
		d.report(diag.ConfigMissing, n, "a domains entry has no domain: key, so stsgate does not know which domain its settings are for",
			"Add domain: example.com (the policy domain, the part after mta-sts.) to the entry.")
	}
	if given["zone"] != nil && given["records"] != nil {
		d.report(diag.ConfigValue, given["records"], fmt.Sprintf(
			"%s declares its DNS twice, with zone and records; stsgate would not know which to compare with live DNS", entryName(dom.Name)),
			"Keep one: zone: for a BIND zone file, or records: for inline records.")
	}
	return dom, named
}

func entryName(name string) string {
	if name == "" {
		return "this domains entry"
	}
	return "domain " + name
}

// hostName decodes a domain name: lower-cased, without a trailing dot.
func (d *decoder) hostName(n *yaml.Node, key string) (string, diag.Pos, bool) {
	v, ok := d.nonEmpty(n, key)
	if !ok {
		return "", v.Pos, false
	}
	name := normalizeHost(v.Text)
	if p := hostProblem(name); p != "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %s is not a valid domain name: %s", key, diag.Excerpt(v.Text), p),
			"Write the domain as an A-label host name, such as example.com or xn--bcher-kva.example.")
		return "", v.Pos, false
	}
	return name, v.Pos, true
}

// repoFile decodes a repository-relative file path into dst, cleaned.
func (d *decoder) repoFile(n *yaml.Node, key string, dst *string) {
	v, ok := d.nonEmpty(n, key)
	if !ok {
		return
	}
	p := v.Text
	if strings.Contains(p, `\`) {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %q uses backslashes", key, p),
			"Separate directories with forward slashes, as in dns/example.com.zone.")
		return
	}
	if problem := repoPathProblem(p); problem != "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %q %s", key, p, problem),
			"Give the path relative to the repository root, as in .well-known/mta-sts.txt.")
		return
	}
	*dst = path.Clean(p)
}

// repoPathProblem says why p cannot name a file of the repository, or "".
func repoPathProblem(p string) string {
	if strings.HasPrefix(p, "/") || len(p) >= 2 && p[1] == ':' {
		return "is absolute; paths are relative to the repository root (the --dir directory)"
	}
	if c := path.Clean(p); c == ".." || strings.HasPrefix(c, "../") {
		return "leaves the repository; stsgate reads only files inside it"
	}
	return ""
}

// records decodes an inline DNS declaration. package zone checks the
// record texts and host names.
func (d *decoder) records(n *yaml.Node) *Records {
	r := &Records{}
	_, ok := d.mapping(n, "records", []field{
		{"mta_sts", func(v *yaml.Node) {
			if t, ok := d.text(v, "mta_sts"); ok {
				r.MTASTS = &t
			}
		}},
		{"tls_rpt", func(v *yaml.Node) {
			if t, ok := d.text(v, "tls_rpt"); ok {
				r.TLSRPT = &t
			}
		}},
		{"mx", func(v *yaml.Node) { r.MX = d.texts(v, "mx") }},
	})
	if !ok {
		return nil
	}
	return r
}

// reports decodes the report sources of a domain: local paths, globs and
// https:// URLs.
func (d *decoder) reports(n *yaml.Node) []string {
	var out []string
	for _, v := range d.texts(n, "reports") {
		if problem, hint := reportSourceProblem(v.Text); problem != "" {
			d.add(diag.New(diag.ConfigValue, fmt.Sprintf("report source %s %s", diag.Excerpt(withoutPassword(v.Text)), problem), hint).
				At(v.Pos, endOf(v)))
			continue
		}
		out = append(out, v.Text)
	}
	return out
}

// endOf returns the end of v's text when it maps exactly to the file.
func endOf(v Value) diag.Pos {
	if !v.Exact || v.Text == "" {
		return diag.Pos{}
	}
	return diag.Pos{Line: v.Pos.Line, Column: v.Pos.Column + len(v.Text)}
}

func reportSourceProblem(s string) (problem, hint string) {
	scheme, _, isURL := strings.Cut(s, "://")
	if !isURL {
		if p := repoPathProblem(s); p != "" {
			return p, "Give a path relative to the repository root, a glob such as reports/*.json.gz, or an https:// URL."
		}
		if _, err := path.Match(s, ""); err != nil {
			return "is not a valid glob pattern", "Close every [ with ], or escape a literal [ as \\[."
		}
		return "", ""
	}
	switch strings.ToLower(scheme) {
	case "https":
	case "imaps", "imap":
		return mailboxProblem(s)
	case "http":
		return "uses http://; stsgate fetches reports only over https://, because reports fetched without TLS can be altered on the way and would decide the gate",
			"Serve the reports over https:// and write the https:// URL."
	default:
		return "is neither a repository path nor an https:// or imaps:// URL", "Use a path inside the repository, an https:// URL or an imaps://user@host/Mailbox URL."
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Host == "":
		return "is not a valid https:// URL", "Write the URL as https://host/path."
	case u.User != nil:
		return "holds credentials, which anyone who can read the repository can read",
			"Remove user:password@ from the URL and put a bearer token in the environment variable named by reports_token_env."
	}
	return "", ""
}

// mailboxProblem checks an imaps:// (or imap://, with STARTTLS) mailbox
// URL: a host, a user, and no password, which belongs in the environment
// variable named by imap_password_env.
func mailboxProblem(s string) (problem, hint string) {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Hostname() == "":
		return "is not a valid mailbox URL", "Write it as imaps://user@host/Mailbox."
	case u.User == nil || u.User.Username() == "":
		return "names no user", "Write it as imaps://user@host/Mailbox."
	}
	if _, has := u.User.Password(); has {
		return "holds a password, which anyone who can read the repository can read",
			"Remove :password from the URL and put it in the environment variable named by imap_password_env."
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "has a query or fragment, which a mailbox URL does not take", "Write it as imaps://user@host/Mailbox."
	}
	return "", ""
}

// withoutPassword returns the URL s with the password of its user info,
// if any, replaced by "…": a message must not repeat a secret, even one
// committed by mistake.
func withoutPassword(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); !has {
		return s
	}
	u.User = url.UserPassword(u.User.Username(), "…")
	return u.String()
}
