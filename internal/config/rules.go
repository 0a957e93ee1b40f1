package config

import (
	"fmt"
	"net/netip"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/stsgate/stsgate/internal/diag"
)

// resultTypes lists the result types an ignore rule may name: the
// registered values of RFC 8460 §4.3 and the no-policy-found policy type
// (§4.2), which DESIGN.md §1.4 treats as a failure.
func resultTypes() []string {
	return []string{
		"starttls-not-supported", "certificate-host-mismatch", "certificate-expired",
		"certificate-not-trusted", "validation-failure",
		"tlsa-invalid", "dnssec-invalid", "dane-required",
		"sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid",
		"no-policy-found",
	}
}

// senders decodes known_senders: each entry names an organization or a
// network, not both.
func (d *decoder) senders(n *yaml.Node) []Sender {
	var out []Sender
	for _, it := range d.list(n, "known_senders", "entries (- org: \"Name\" or - ip: 198.51.100.0/24)") {
		s := Sender{Pos: d.nodePos(it)}
		given, ok := d.mapping(it, "a known_senders entry", []field{
			{"org", func(v *yaml.Node) {
				if t, ok := d.nonEmpty(v, "org"); ok {
					s.Org = t.Text
				}
			}},
			{"ip", func(v *yaml.Node) { s.Prefix = d.prefix(v, "ip") }},
		})
		switch {
		case !ok:
			continue
		case given["org"] == nil && given["ip"] == nil:
			d.report(diag.ConfigMissing, it, "a known_senders entry names no sender",
				"Give org: (the organization-name of the sender's TLS-RPT reports) or ip: (an address or CIDR block).")
			continue
		case given["org"] != nil && given["ip"] != nil:
			d.report(diag.ConfigValue, given["ip"], "a known_senders entry has both org and ip; it is unclear whether a sender must match one or both",
				"Write two entries, one with org: and one with ip:.")
			continue
		}
		if s.Org != "" || s.Prefix.IsValid() {
			out = append(out, s)
		}
	}
	return out
}

// prefix decodes an IP address or CIDR block.
func (d *decoder) prefix(n *yaml.Node, key string) netip.Prefix {
	v, ok := d.nonEmpty(n, key)
	if !ok {
		return netip.Prefix{}
	}
	p, problem, hint := parsePrefix(v.Text)
	if problem != "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %s is not usable: %s", key, diag.Excerpt(v.Text), problem), hint)
		return netip.Prefix{}
	}
	return p
}

// ignoreRules decodes ignore: every rule needs a reason and a matcher.
func (d *decoder) ignoreRules(n *yaml.Node) []IgnoreRule {
	var out []IgnoreRule
	for _, it := range d.list(n, "ignore", "rules ({result_type: ..., reason: ...})") {
		if r, ok := d.ignoreRule(it); ok {
			out = append(out, r)
		}
	}
	return out
}

func (d *decoder) ignoreRule(n *yaml.Node) (IgnoreRule, bool) {
	r := IgnoreRule{Pos: d.nodePos(n)}
	bad := false
	check := func(ok bool) { bad = bad || !ok }
	given, ok := d.mapping(n, "an ignore rule", []field{
		{"result_type", func(v *yaml.Node) { r.ResultType = d.resultType(v); check(r.ResultType != "") }},
		{"org", func(v *yaml.Node) { t, ok := d.nonEmpty(v, "org"); r.Org = t.Text; check(ok) }},
		{"mx", func(v *yaml.Node) { r.MX, _, _ = d.hostName(v, "mx"); check(r.MX != "") }},
		{"domain", func(v *yaml.Node) { r.Domain, _, _ = d.hostName(v, "domain"); check(r.Domain != "") }},
		{"ip", func(v *yaml.Node) { r.Prefix = d.prefix(v, "ip"); check(r.Prefix.IsValid()) }},
		{"reason", func(v *yaml.Node) { t, ok := d.nonEmpty(v, "reason"); r.Reason = t.Text; check(ok) }},
	})
	if !ok {
		return r, false
	}
	if given["reason"] == nil {
		d.report(diag.ConfigMissing, n, "an ignore rule has no reason; ignored failures are listed with their reason so that reviewers can judge them",
			"Add reason: \"...\" saying why these failures do not count.")
		bad = true
	}
	if len(given) == 0 || len(given) == 1 && given["reason"] != nil {
		d.report(diag.ConfigMissing, n, "an ignore rule has no matcher, so it would ignore every failure and any window would look clean",
			"Add at least one of result_type, org, mx, domain and ip.")
		bad = true
	}
	return r, !bad
}

// resultType decodes a TLS-RPT result type (RFC 8460 §4.3).
func (d *decoder) resultType(n *yaml.Node) string {
	v, ok := d.nonEmpty(n, "result_type")
	if !ok {
		return ""
	}
	known := resultTypes()
	for _, t := range known {
		if v.Text == t {
			return t
		}
	}
	hint := "Use one of " + strings.Join(known, ", ") + "."
	if s := Suggest(v.Text, known); s != "" {
		hint = fmt.Sprintf("Did you mean %q? %s", s, hint)
	}
	d.report(diag.ConfigValue, n, fmt.Sprintf("result_type %s is not a TLS-RPT result type (RFC 8460 §4.3), so the rule would never match", diag.Excerpt(v.Text)), hint)
	return ""
}
