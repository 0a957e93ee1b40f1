package diag

// Gate codes: the pull-request gate's judgement of a change from the base
// to the head revision (DESIGN §1.5; reference §6.7 G1–G14). The override
// label lowers their errors to warnings.
const (
	GateOverride             Code = "gate-override"
	GateIDUnchanged          Code = "gate-id-unchanged"
	GateIDUnverified         Code = "gate-id-unverified"
	GateIDBumpOnly           Code = "gate-id-bump-only"
	GateEnforceUnproven      Code = "gate-enforce-unproven"
	GateReportsUnconfigured  Code = "gate-reports-unconfigured"
	GateTLSRPTMissing        Code = "gate-tlsrpt-missing"
	GateMXNotCovered         Code = "gate-mx-not-covered"
	GateMXDropped            Code = "gate-mx-dropped"
	GateRemovalWithoutNone   Code = "gate-removal-without-none"
	GatePublishOrder         Code = "gate-publish-order"
	GateRollbackCached       Code = "gate-rollback-cached"
	GateUnrecognizedFailures Code = "gate-unrecognized-failures"
	GateReportsUntrusted     Code = "gate-reports-untrusted"
	GateConfigBaseFiles      Code = "gate-config-base-files"
	GatePagesDomainChanged   Code = "gate-pages-domain-changed"
)

var gateCodes = []Info{
	{GateOverride, Warning, "The override label turned the gate's failures into warnings", ""},
	{GateIDUnchanged, Error, "The policy changes but the _mta-sts id does not", "RFC 8461 §3.1"},
	{GateIDUnverified, Warning, "The policy changes but no declared _mta-sts id shows a new one (error when the change flips to enforce)", "RFC 8461 §3.1"},
	{GateIDBumpOnly, Notice, "The _mta-sts id changes but the policy does not", "RFC 8461 §3.1"},
	{GateEnforceUnproven, Error, "The change flips to enforce before the TLS-RPT window is clean", "RFC 8461 §5"},
	{GateReportsUnconfigured, Error, "The change flips to enforce with no TLS-RPT report sources configured", "RFC 8461 §5"},
	{GateTLSRPTMissing, Error, "The change flips to enforce without a valid _smtp._tls record", "RFC 8460 §3"},
	{GateMXNotCovered, Error, "A live MX host matches no mx pattern of the enforce policy", "RFC 8461 §4.1"},
	{GateMXDropped, Error, "An enforce policy drops the mx pattern of a host that is still an MX", "RFC 8461 §4.1"},
	{GateRemovalWithoutNone, Error, "An enforce policy or its _mta-sts record is removed without a mode: none phase", "RFC 8461 §8.3"},
	{GatePublishOrder, Notice, "The policy and the _mta-sts id change together: publish the policy first", "RFC 8461 §8.1"},
	{GateUnrecognizedFailures, Warning, "The flip passes, but senders outside known_senders reported failures that did not count", "RFC 8460 §4.3"},
	{GateReportsUntrusted, Notice, "Report files or sources that the pull request adds or changes are not counted: the evidence is the base revision's", ""},
	{GateConfigBaseFiles, Notice, "The pull request drops a domain from the configuration or names other files for it: the files the base configuration names are judged too", ""},
	{GatePagesDomainChanged, Warning, "The pull request changes the GitHub Pages CNAME to another policy host: the old one stops serving its policy; the base's domain is judged", "RFC 8461 §3.3, §8.3"},
	{GateRollbackCached, Notice, "Leaving enforce: senders keep the cached enforce policy up to its max_age", "RFC 8461 §3.2"},
}
