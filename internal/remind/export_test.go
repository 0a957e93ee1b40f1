package remind

// The external tests (package remind_test) run Sync and TestingSince
// against ghfake through ghapi, which imports this package, so they cannot
// be internal tests. These are the internal test helpers they use.
var (
	ReadyState   = readyState
	With         = with
	DomainStates = domainStates
	DirtyWindow  = dirtyWindow
	TestNow      = now
	CommitDate   = commitDate
)

const (
	TestDomain        = domain
	LabelColor        = labelColor
	TestingPolicy     = testingPolicy
	EnforcePolicy     = enforcePolicy
	DefaultPolicyFile = defaultPolicyFile
)
