package diag

// Configuration codes (.github/stsgate.yml). Every one of them is a usage
// error: the run exits with code 2.
const (
	ConfigSyntax     Code = "config-syntax"
	ConfigUnknownKey Code = "config-unknown-key"
	ConfigType       Code = "config-type"
	ConfigValue      Code = "config-value"
	ConfigMissing    Code = "config-missing"
)

var configCodes = []Info{
	{ConfigSyntax, Error, "Configuration is not valid YAML", ""},
	{ConfigUnknownKey, Error, "Unknown key in the configuration", ""},
	{ConfigType, Error, "Configuration value has the wrong type", ""},
	{ConfigValue, Error, "Configuration value is out of range or malformed", ""},
	{ConfigMissing, Error, "A required configuration value is missing", ""},
}
