package config

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/stsgate/stsgate/internal/diag"
)

// The integer and duration settings of the top level.
var (
	cleanDaysSetting = intSetting{"clean_days", 1, 365, DefaultCleanDays,
		"the number of consecutive clean report days required before mode: enforce"}
	minReportDaysSetting = intSetting{"min_report_days", 1, 365, -1,
		"the number of days with reports required among the last clean_days days"}
	staleDaysSetting = intSetting{"stale_days", 1, 365, DefaultStaleDays,
		"the number of days in testing mode before a reminder issue is opened"}
	snoozeDaysSetting = intSetting{"snooze_days", 1, 365, DefaultSnoozeDays,
		"the number of days a reminder closed as not planned stays closed"}
	parallelSetting = intSetting{"parallel", 1, 256, DefaultParallel,
		"the number of domains checked at once"}
	maxReportLagSetting = durationSetting{"max_report_lag", 365 * day, "3d",
		"how old the newest report may be before the clean window counts as stale"}
	dnsTimeoutSetting = durationSetting{"dns_timeout", 10 * time.Minute, "5s",
		"the time one DNS query may take"}
	fetchTimeoutSetting = durationSetting{"fetch_timeout", 10 * time.Minute, "60s",
		"the time a whole policy fetch may take (RFC 8461 §3.3 suggests one minute)"}
)

// topState carries what the checks across top-level keys need.
type topState struct {
	cleanDaysBad  bool
	minReportDays *yaml.Node // the value, when given and valid
	overrideLabel *yaml.Node
}

// top decodes the root mapping into c.
func (d *decoder) top(root *yaml.Node, c *Config) {
	if root = d.resolve(root); root == nil || isNull(root) {
		return
	}
	var st topState
	if _, ok := d.mapping(root, "the top level of the configuration", d.topFields(c, &st)); !ok {
		return
	}
	d.checkMinReportDays(c, st)
	if st.overrideLabel != nil && strings.EqualFold(c.IssueLabel, c.OverrideLabel) {
		// GitHub's issue list returns pull requests too: a pull request
		// with the override label would look like a reminder issue.
		d.report(diag.ConfigValue, st.overrideLabel,
			fmt.Sprintf("override_label %q is the same as issue_label; reminder issues and overridden pull requests would be mixed up", c.OverrideLabel),
			"Use two different labels.")
	}
}

// topFields is the flat table of top-level keys (DESIGN.md §1.1); it is
// one table so that the allowed keys read in one place.
func (d *decoder) topFields(c *Config, st *topState) []field {
	intKey := func(s intSetting, dst *int, bad *bool) field {
		return field{s.key, func(v *yaml.Node) {
			n, ok := d.integer(v, s)
			if ok {
				*dst = n
			} else if bad != nil {
				*bad = true
			}
		}}
	}
	durationKey := func(s durationSetting, dst *time.Duration) field {
		return field{s.key, func(v *yaml.Node) {
			if t, ok := d.duration(v, s); ok {
				*dst = t
			}
		}}
	}
	return []field{
		{"domains", func(v *yaml.Node) { c.Domains = d.domains(v) }},
		{"reports_token_env", func(v *yaml.Node) { c.ReportsTokenEnv = d.envName(v, "reports_token_env") }},
		intKey(cleanDaysSetting, &c.CleanDays, &st.cleanDaysBad),
		{"min_report_days", func(v *yaml.Node) {
			if n, ok := d.integer(v, minReportDaysSetting); ok {
				c.MinReportDays, st.minReportDays = n, v
			}
		}},
		durationKey(maxReportLagSetting, &c.MaxReportLag),
		intKey(staleDaysSetting, &c.StaleDays, nil),
		intKey(snoozeDaysSetting, &c.SnoozeDays, nil),
		{"known_senders", func(v *yaml.Node) { c.KnownSenders = d.senders(v) }},
		{"ignore", func(v *yaml.Node) { c.Ignore = d.ignoreRules(v) }},
		{"issue_label", func(v *yaml.Node) { d.label(v, "issue_label", &c.IssueLabel) }},
		{"override_label", func(v *yaml.Node) {
			if d.label(v, "override_label", &c.OverrideLabel) {
				st.overrideLabel = v
			}
		}},
		intKey(parallelSetting, &c.Parallel, nil),
		durationKey(dnsTimeoutSetting, &c.DNSTimeout),
		durationKey(fetchTimeoutSetting, &c.FetchTimeout),
		{"imap_password_env", func(v *yaml.Node) { c.IMAPPasswordEnv = d.envName(v, "imap_password_env") }},
		{"imap_token_env", func(v *yaml.Node) { c.IMAPTokenEnv = d.envName(v, "imap_token_env") }},
		{"probe_mx", func(v *yaml.Node) { d.probeMode(v, &c.ProbeMX) }},
		{"probe_ehlo_name", func(v *yaml.Node) { c.ProbeEHLOName = d.ehloName(v) }},
		{"unsigned_reports", func(v *yaml.Node) { d.unsignedReports(v, &c.UnsignedReports) }},
		{"trusted_authserv_ids", func(v *yaml.Node) { c.TrustedAuthServIDs = d.authServIDs(v) }},
	}
}

// unsignedReports decodes unsigned_reports: whether reports from mails
// without a DKIM pass count (RFC 8460 §3 says receivers must ignore them;
// counting them with a warning is the default, since a receiving server
// that records no Authentication-Results would make every report one).
func (d *decoder) unsignedReports(n *yaml.Node, dst *string) {
	hint := "Set unsigned_reports to count (count them, with a warning) or ignore (leave them out of the window)."
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, "unsigned_reports", "count or ignore", hint)
		return
	}
	switch v := strings.ToLower(n.Value); v {
	case UnsignedCount, UnsignedIgnore:
		*dst = v
	default:
		d.report(diag.ConfigValue, n, fmt.Sprintf("unsigned_reports %s is not count or ignore", diag.Excerpt(n.Value)), hint)
	}
}

// authServIDs decodes trusted_authserv_ids: the host names the receiving
// mail servers write as authserv-id in Authentication-Results (RFC 8601
// §2.2), such as mx.google.com or a Microsoft 365 tenant's server.
func (d *decoder) authServIDs(n *yaml.Node) []string {
	var ids []string
	for _, v := range d.texts(n, "trusted_authserv_ids") {
		id := normalizeHost(v.Text)
		if p := hostProblem(id); p != "" {
			d.add(diag.New(diag.ConfigValue, fmt.Sprintf("trusted_authserv_ids entry %s is not a host name: %s", diag.Excerpt(v.Text), p),
				"List the names your mail servers write first in Authentication-Results, such as mx.google.com.").At(v.Pos, endOf(v)))
			continue
		}
		ids = append(ids, id)
	}
	return ids
}

// checkMinReportDays applies the default ceil(clean_days/2), computed from
// the clean_days just read, or checks the given value against it.
func (d *decoder) checkMinReportDays(c *Config, st topState) {
	if st.minReportDays == nil {
		c.MinReportDays = minReportDays(c.CleanDays)
		return
	}
	if !st.cleanDaysBad && c.MinReportDays > c.CleanDays {
		d.report(diag.ConfigValue, st.minReportDays, fmt.Sprintf(
			"min_report_days (%d) is greater than clean_days (%d): no window could ever have enough days with reports, so enforce could never be proven",
			c.MinReportDays, c.CleanDays),
			fmt.Sprintf("Lower min_report_days to at most %d, or raise clean_days.", c.CleanDays))
		c.MinReportDays = minReportDays(c.CleanDays)
	}
}

// envName decodes key, the name of an environment variable that holds a
// secret (reports_token_env, imap_password_env, imap_token_env): the
// secret itself never belongs in the configuration.
func (d *decoder) envName(n *yaml.Node, key string) string {
	v, ok := d.nonEmpty(n, key)
	if !ok {
		return ""
	}
	if p := envNameProblem(v.Text); p != "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %s: %s", key, diag.Excerpt(v.Text), p),
			"Name the environment variable that holds the secret, such as TLSRPT_TOKEN, not the secret itself.")
		return ""
	}
	return v.Text
}

// label decodes a GitHub label name into dst.
func (d *decoder) label(n *yaml.Node, key string, dst *string) bool {
	v, ok := d.nonEmpty(n, key)
	if !ok {
		return false
	}
	if p := labelNameProblem(v.Text); p != "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("%s %s is not a usable GitHub label: %s", key, diag.Excerpt(v.Text), p),
			"Use a short label name without commas, such as mta-sts.")
		return false
	}
	*dst = v.Text
	return true
}

// probeMode decodes probe_mx: auto, on or off. YAML 1.1 reads a bare on
// and off as booleans; they are taken for what they say.
func (d *decoder) probeMode(n *yaml.Node, dst *ProbeMode) {
	hint := "Set probe_mx to auto (probe except on GitHub-hosted runners, which block port 25), on or off."
	if n.Kind != yaml.ScalarNode {
		d.typeError(n, "probe_mx", "auto, on or off", hint)
		return
	}
	switch m := ProbeMode(strings.ToLower(n.Value)); m {
	case ProbeAuto, ProbeOn, ProbeOff:
		*dst = m
	case "true", "yes":
		*dst = ProbeOn
	case "false", "no":
		*dst = ProbeOff
	default:
		d.report(diag.ConfigValue, n, fmt.Sprintf("probe_mx %s is not auto, on or off", diag.Excerpt(n.Value)), hint)
	}
}

// ehloName decodes probe_ehlo_name, the name the MX probe introduces
// itself with (RFC 5321 §4.1.1.1): a host name, such as the runner's.
func (d *decoder) ehloName(n *yaml.Node) string {
	v, ok := d.nonEmpty(n, "probe_ehlo_name")
	if !ok {
		return ""
	}
	name := normalizeHost(v.Text)
	if p := hostProblem(name); p != "" {
		d.report(diag.ConfigValue, n, fmt.Sprintf("probe_ehlo_name %s is not a host name: %s", diag.Excerpt(v.Text), p),
			"Give the fully qualified name of the machine that runs the probe, such as runner1.example.com, or remove the key to send its address.")
		return ""
	}
	return name
}
