package diag

// Configuration codes (.github/stsgate.yml). Every error among them is a
// usage error: the run exits with code 2.
const (
	ConfigSyntax     Code = "config-syntax"
	ConfigUnknownKey Code = "config-unknown-key"
	ConfigType       Code = "config-type"
	ConfigValue      Code = "config-value"
	ConfigMissing    Code = "config-missing"
	// ConfigDuplicateKey is a key given twice in one mapping, which YAML
	// forbids and which would silently drop one of the values.
	ConfigDuplicateKey Code = "config-duplicate-key"
	// ConfigTooLarge is a file over 1 MiB or aliases that expand to too
	// many values.
	ConfigTooLarge Code = "config-too-large"
	// ConfigBareCR is a carriage return not followed by a line feed: YAML
	// ends a line there, git and grep -n do not.
	ConfigBareCR Code = "config-bare-cr"
)

var configCodes = []Info{
	{ConfigSyntax, Error, "Configuration is not valid YAML", ""},
	{ConfigUnknownKey, Error, "Unknown key in the configuration", ""},
	{ConfigType, Error, "Configuration value has the wrong type", ""},
	{ConfigValue, Error, "Configuration value is out of range or malformed", ""},
	{ConfigMissing, Error, "A required configuration value is missing", ""},
	{ConfigDuplicateKey, Error, "The same key is given twice in one mapping", ""},
	{ConfigTooLarge, Error, "Configuration file, or its alias expansion, is too large", ""},
	{ConfigBareCR, Warning, "Carriage return not followed by a line feed", ""},
}
