package cli

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func TestPagesDomain(t *testing.T) {
	t.Parallel()
	policy := &fstest.MapFile{Data: []byte("version: STSv1\n")}
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		fsys    fstest.MapFS
		want    pagesSite
		wantErr string
	}{
		{name: "root", fsys: fstest.MapFS{"CNAME": file("mta-sts.example.com\n"), ".well-known/mta-sts.txt": policy},
			want: pagesSite{domain: "example.com", cname: "CNAME", policy: ".well-known/mta-sts.txt"}},
		{name: "docs, upper case, trailing dot", fsys: fstest.MapFS{"docs/CNAME": file(" MTA-STS.Example.COM.\r\n"), "docs/.well-known/mta-sts.txt": policy},
			want: pagesSite{domain: "example.com", cname: "docs/CNAME", policy: "docs/.well-known/mta-sts.txt"}},
		{name: "lone policy elsewhere", fsys: fstest.MapFS{"CNAME": file("mta-sts.example.com"), "docs/.well-known/mta-sts.txt": policy},
			want: pagesSite{domain: "example.com", cname: "CNAME", policy: "docs/.well-known/mta-sts.txt"}},
		{name: "no policy", fsys: fstest.MapFS{"CNAME": file("mta-sts.example.com")},
			want: pagesSite{domain: "example.com", cname: "CNAME", policy: ".well-known/mta-sts.txt"}},
		{name: "same domain twice", fsys: fstest.MapFS{"CNAME": file("mta-sts.example.com"), "docs/CNAME": file("mta-sts.example.com"), "docs/.well-known/mta-sts.txt": policy},
			want: pagesSite{domain: "example.com", cname: "CNAME", policy: "docs/.well-known/mta-sts.txt"}},
		{name: "nothing", fsys: fstest.MapFS{".well-known/mta-sts.txt": policy},
			wantErr: "no domain to check: set the domain input of the workflow step (with: domain: example.com), or list domains in .github/stsgate.yml; a GitHub Pages CNAME file saying mta-sts.<domain>, at the repository root or in docs/, would name it too"},
		{name: "other host", fsys: fstest.MapFS{"CNAME": file("www.example.com")},
			wantErr: `no domain to check: set the domain input of the workflow step (with: domain: example.com), or list domains in .github/stsgate.yml; a GitHub Pages CNAME file saying mta-sts.<domain> would name it, but CNAME names "www.example.com", not mta-sts.<domain>`},
		{name: "bad name", fsys: fstest.MapFS{"CNAME": file("mta-sts.exa mple.com")},
			wantErr: `CNAME names "mta-sts.exa mple.com", not mta-sts.<domain>`},
		{name: "top-level domain", fsys: fstest.MapFS{"CNAME": file("mta-sts.com")},
			wantErr: `CNAME names "mta-sts.com", not mta-sts.<domain>`},
		{name: "wildcard", fsys: fstest.MapFS{"CNAME": file("mta-sts.*.example.com")},
			wantErr: `CNAME names "mta-sts.*.example.com", not mta-sts.<domain>`},
		{name: "a directory", fsys: fstest.MapFS{"CNAME/x": file("")},
			wantErr: `CNAME cannot be read`},
		{name: "two domains", fsys: fstest.MapFS{"CNAME": file("mta-sts.example.org"), "docs/CNAME": file("mta-sts.example.com")},
			wantErr: "no domain to check: CNAME names mta-sts.example.org and docs/CNAME names mta-sts.example.com; set the domain input of the workflow step to the one to check, or list both in .github/stsgate.yml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := pagesDomain(tc.fsys)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("pagesDomain() error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(pagesSite{})); diff != "" {
				t.Errorf("pagesDomain() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
