package ghapi

import (
	"context"
	"fmt"
)

// TreeFile is a regular file of a git tree, as the git trees API lists
// it: its path, blob id and size.
type TreeFile struct {
	Path string
	SHA  string // the git blob id, in hex
	Size int64
}

// TreeFiles lists the regular files (modes 100644 and 100755) of the tree
// of commit sha, recursively, with one request (GET
// /repos/{owner}/{repo}/git/trees/{sha}?recursive=1). Symbolic links and
// submodules are left out. A listing GitHub truncated (more than 100,000
// entries or 7 MB) is an error, since the files left out cannot be known.
// Needs "contents: read".
func (c *Client) TreeFiles(ctx context.Context, owner, repo, sha string) ([]TreeFile, error) {
	k := call{op: fmt.Sprintf("list the files at %s", sha), permission: "contents: read"}
	tree, _, err := c.api().Git.GetTree(ctx, owner, repo, sha, true)
	if err != nil {
		return nil, k.wrap(err)
	}
	if tree.GetTruncated() {
		return nil, fmt.Errorf("ghapi: %s: GitHub truncated the listing (more than 100,000 files)", k.op)
	}
	var files []TreeFile
	for _, e := range tree.Entries {
		if e.GetType() == "blob" && (e.GetMode() == "100644" || e.GetMode() == "100755") {
			files = append(files, TreeFile{Path: e.GetPath(), SHA: e.GetSHA(), Size: int64(e.GetSize())})
		}
	}
	return files, nil
}

// Blob returns the bytes of the git blob sha, whose size the caller knows
// from TreeFiles (GET /repos/{owner}/{repo}/git/blobs/{sha}, raw). Needs
// "contents: read".
func (c *Client) Blob(ctx context.Context, owner, repo, sha string) ([]byte, error) {
	k := call{op: "read blob " + sha, permission: "contents: read"}
	b, _, err := c.api().Git.GetBlobRaw(ctx, owner, repo, sha)
	if err != nil {
		return nil, k.wrap(err)
	}
	return b, nil
}
