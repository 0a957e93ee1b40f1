//go:build !linux

package cli

// walkDir calls found with every regular file below the directory p, in
// lexical order, skipping hidden files and directories.
func walkDir(p string, found func(string)) error { return walkDirStd(p, found) }
