// Package check holds the rules that compare what a repository declares
// for a policy domain: its policy file, its DNS declaration and (in later
// stages) live DNS, the live policy and TLS-RPT evidence. Rules return
// diagnostics; the package does no I/O and prints nothing.
package check
