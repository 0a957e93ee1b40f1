package config

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/diag"
)

// valueCases are valid inputs and how they change Default().
var valueCases = []struct {
	name string
	src  string
	want func(c *Config)
}{
	{"min_report_days from clean_days", "clean_days: 5\n", func(c *Config) { c.CleanDays, c.MinReportDays = 5, 3 }},
	{"min_report_days from even clean_days", "clean_days: 10\n", func(c *Config) { c.CleanDays, c.MinReportDays = 10, 5 }},
	{"min_report_days after clean_days", "min_report_days: 2\nclean_days: 3\n", func(c *Config) { c.CleanDays, c.MinReportDays = 3, 2 }},
	{"min_report_days equal", "clean_days: 1\nmin_report_days: 1\n", func(c *Config) { c.CleanDays, c.MinReportDays = 1, 1 }},
	{"plus sign", "parallel: +4\n", func(c *Config) { c.Parallel = 4 }},
	{"bounds", "clean_days: 365\nparallel: 256\nstale_days: 1\n", func(c *Config) {
		c.CleanDays, c.MinReportDays, c.Parallel, c.StaleDays = 365, 183, 256, 1
	}},
	{"days", "max_report_lag: 3d\n", func(c *Config) { c.MaxReportLag = 72 * time.Hour }},
	{"hours", "max_report_lag: 36h\n", func(c *Config) { c.MaxReportLag = 36 * time.Hour }},
	{"minutes", "max_report_lag: 90m\n", func(c *Config) { c.MaxReportLag = 90 * time.Minute }},
	{"go durations", "dns_timeout: 1m30s\nfetch_timeout: 10m\n", func(c *Config) {
		c.DNSTimeout, c.FetchTimeout = 90*time.Second, 10*time.Minute
	}},
	{"days and hours", "max_report_lag: 1d12h\n", func(c *Config) { c.MaxReportLag = 36 * time.Hour }},
	{"null values keep defaults", "clean_days:\nparallel: ~\ndomains:\nknown_senders: null\n", func(*Config) {}},
	{"empty lists", "domains: []\nignore: []\n", func(*Config) {}},
	{"labels", "issue_label: 'stsgate: reminder'\noverride_label: \"ok to enforce\"\n", func(c *Config) {
		c.IssueLabel, c.OverrideLabel = "stsgate: reminder", "ok to enforce"
	}},
	{"IPv4-mapped address", "known_senders: [{ip: '::ffff:192.0.2.1'}]\n", func(c *Config) {
		c.KnownSenders = []Sender{{Prefix: netip.MustParsePrefix("192.0.2.1/32"), Pos: diag.Pos{Line: 1, Column: 17}}}
	}},
	{"every ignore matcher", "ignore:\n  - {result_type: no-policy-found, org: O, mx: MX.Example.com., domain: example.com, ip: 2001:db8::/32, reason: r}\n",
		func(c *Config) {
			c.Ignore = []IgnoreRule{{ResultType: "no-policy-found", Org: "O", MX: "mx.example.com", Domain: "example.com",
				Prefix: netip.MustParsePrefix("2001:db8::/32"), Reason: "r", Pos: diag.Pos{Line: 2, Column: 5}}}
		}},
	{"reports sources", "domains:\n  - domain: example.com\n    reports: [r/, 'r/*.json.gz', ./x/../y, 'HTTPS://r.example.net/a?b=c']\n", func(c *Config) {
		c.Domains = []Domain{{Name: "example.com", Pos: diag.Pos{Line: 2, Column: 13}, Policy: DefaultPolicy,
			Reports: []string{"r/", "r/*.json.gz", "./x/../y", "HTTPS://r.example.net/a?b=c"}}}
	}},
	{"paths cleaned", "domains:\n  - domain: example.com\n    policy: ./site//p.txt\n    zone: dns/../z.zone\n", func(c *Config) {
		c.Domains = []Domain{{Name: "example.com", Pos: diag.Pos{Line: 2, Column: 13}, Policy: "site/p.txt", Zone: "z.zone"}}
	}},
	{"empty records", "domains:\n  - domain: example.com\n    records: {}\n", func(c *Config) {
		c.Domains = []Domain{{Name: "example.com", Pos: diag.Pos{Line: 2, Column: 13}, Policy: DefaultPolicy, Records: &Records{}}}
	}},
	{"merge key", "domains:\n  - &base {domain: example.com, policy: p.txt}\n  - <<: *base\n    domain: example.org\n", func(c *Config) {
		c.Domains = []Domain{
			{Name: "example.com", Pos: diag.Pos{Line: 2, Column: 20}, Policy: "p.txt"},
			{Name: "example.org", Pos: diag.Pos{Line: 4, Column: 13}, Policy: "p.txt"},
		}
	}},
	{"merge list", "<<: [{clean_days: 3}, {clean_days: 4, parallel: 2}]\n", func(c *Config) {
		c.CleanDays, c.MinReportDays, c.Parallel = 3, 2, 2
	}},
	{"alias to scalar", "clean_days: &n 9\nstale_days: *n\n", func(c *Config) { c.CleanDays, c.MinReportDays, c.StaleDays = 9, 5, 9 }},
}

func TestParseValues(t *testing.T) {
	t.Parallel()
	for _, tc := range valueCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := Default()
			want.File = "c.yml"
			tc.want(&want)
			got, diags := Parse("c.yml", []byte(tc.src))
			if len(diags) != 0 {
				t.Errorf("Parse(%q) diagnostics: %v", tc.src, diags)
			}
			if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tc.src, diff)
			}
		})
	}
}

// TestValuePositions checks Value.Pos and Value.Exact for each scalar style.
func TestValuePositions(t *testing.T) {
	t.Parallel()
	const id = "v=STSv1; id=1"
	tests := []struct {
		name string
		yaml string // the YAML of the mta_sts value
		want Value
	}{
		{"plain", id, Value{id, diag.Pos{Line: 4, Column: 16}, true}},
		{"plain with comment", id + "  # current", Value{id, diag.Pos{Line: 4, Column: 16}, true}},
		{"double quoted", `"` + id + `"`, Value{id, diag.Pos{Line: 4, Column: 17}, true}},
		{"single quoted", `'` + id + `'`, Value{id, diag.Pos{Line: 4, Column: 17}, true}},
		{"double quoted escape", `"v=STSv1;\x20id=1"`, Value{id, diag.Pos{Line: 4, Column: 17}, false}},
		{"double quoted backslash", `"a\\"`, Value{`a\`, diag.Pos{Line: 4, Column: 17}, false}},
		{"single quoted escape", `'it''s'`, Value{"it's", diag.Pos{Line: 4, Column: 17}, false}},
		{"anchor and tag", `&m !!str "` + id + `"`, Value{id, diag.Pos{Line: 4, Column: 26}, true}},
		{"anchor with a comment", "&m # shared\n        " + id, Value{id, diag.Pos{Line: 5, Column: 9}, true}},
		{"tag on its own line", "!!str\n        " + id, Value{id, diag.Pos{Line: 5, Column: 9}, true}},
		{"multi-byte before", "é " + id, Value{"é " + id, diag.Pos{Line: 4, Column: 16}, true}},
		{"folded plain", "v=STSv1;\n        id=1", Value{id, diag.Pos{Line: 4, Column: 16}, false}},
		{"folded double quoted", "\"v=STSv1;\n        id=1\"", Value{id, diag.Pos{Line: 4, Column: 17}, false}},
		{"literal block", "|\n        " + id, Value{id + "\n", diag.Pos{Line: 4, Column: 16}, false}},
		{"folded block", ">-\n        v=STSv1;\n        id=1", Value{id, diag.Pos{Line: 4, Column: 16}, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := "domains:\n  - domain: example.com\n    records:\n      mta_sts: " + tc.yaml + "\n"
			got, diags := Parse("c.yml", []byte(src))
			if len(diags) != 0 {
				t.Fatalf("Parse(%q) diagnostics: %v", src, diags)
			}
			if diff := cmp.Diff(&tc.want, got.Domains[0].Records.MTASTS); diff != "" {
				t.Errorf("Parse(%q) mta_sts value mismatch (-want +got):\n%s", src, diff)
			}
		})
	}
}
