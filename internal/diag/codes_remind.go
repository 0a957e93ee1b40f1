package diag

// Reminder and post-merge codes: the scheduled and push runs (DESIGN §1.6).
const (
	DeployPolicyPending   Code = "deploy-policy-pending"
	DeployPolicyOverdue   Code = "deploy-policy-overdue"
	DeployPublishID       Code = "deploy-publish-id"
	ScheduleInactive      Code = "schedule-inactive"
	HistoryUnavailable    Code = "history-unavailable"
	IssuePermission       Code = "issue-permission"
	IssueLabelUnavailable Code = "issue-label-unavailable"
	IssueWriteLimit       Code = "issue-write-limit"
	IssueForeign          Code = "issue-foreign"
	IssueIdentityAssumed  Code = "issue-identity-assumed"
	IssuesDisabled        Code = "issues-disabled"
	IssueLabelDropped     Code = "issue-label-dropped"
)

var remindCodes = []Info{
	{DeployPolicyPending, Notice, "The new policy is not served yet (deploy in progress)", "RFC 8461 §8.1"},
	{DeployPolicyOverdue, Error, "The policy host still serves another policy after the deploy grace period", "RFC 8461 §8.1"},
	{DeployPublishID, Warning, "The new policy is served: publish its id in the _mta-sts record", "RFC 8461 §3.1"},
	{ScheduleInactive, Warning, "GitHub disables scheduled workflows after 60 days without activity", ""},
	{HistoryUnavailable, Notice, "The policy's commit history could not be read", ""},
	{IssuePermission, Warning, "The token may not read or write the reminder issues", ""},
	{IssueLabelUnavailable, Warning, "The issue label could not be created, so no reminder issue was opened", ""},
	{IssueWriteLimit, Notice, "More issue writes were planned than max_writes allows; the rest is left for the next run", ""},
	{IssueForeign, Notice, "An issue with the reminder marker was opened by another account and left alone", ""},
	{IssueIdentityAssumed, Notice, "The token's own login could not be looked up; github-actions[bot] was assumed", ""},
	{IssuesDisabled, Warning, "Issues are turned off in the repository, so no reminder issue can be kept", ""},
	{IssueLabelDropped, Warning, "GitHub dropped the reminder label from the issue (the token has no push access)", ""},
}
