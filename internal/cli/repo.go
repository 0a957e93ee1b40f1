package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/stsgate/stsgate/internal/check"
	"github.com/stsgate/stsgate/internal/config"
	"github.com/stsgate/stsgate/internal/diag"
	"github.com/stsgate/stsgate/internal/zone"
)

// defaultConfig is where the configuration lives unless --config says
// otherwise (DESIGN §1.1).
const defaultConfig = ".github/stsgate.yml"

// repo is a repository opened for checking: its configuration and the
// domains selected by the flags.
type repo struct {
	fsys    fs.FS
	cfg     config.Config
	domains []config.Domain
	// given are the paths the command line or the Action's inputs gave,
	// for the messages about them. The absolute ones of the command line
	// lie outside the repository and are read as given (readGivenFile);
	// the Action's inputs name none (checkInputs).
	given map[string]namedPath
}

// openRepo reads the configuration and applies the one-domain flags. The
// returned diagnostics are configuration problems; when they hold an error
// the run is a usage error.
func openRepo(f *repoFlags) (*repo, diag.List, error) {
	if f.inputs {
		if err := f.checkInputs(); err != nil {
			return nil, nil, err
		}
	}
	if _, err := os.Stat(f.dir); err != nil {
		return nil, nil, usagef("--dir: %v", err)
	}
	fsys, err := openRootFS(f.dir)
	if err != nil {
		return nil, nil, usagef("--dir: %v", err)
	}
	return openRepoFS(fsys, f)
}

// openRepoFS is openRepo on the files of fsys: the working tree, or a
// revision of it (the base of a pull request).
func openRepoFS(fsys fs.FS, f *repoFlags) (*repo, diag.List, error) {
	r := &repo{fsys: fsys, cfg: config.Default(), given: map[string]namedPath{}}
	for _, g := range f.givenPaths() {
		if g.path != "" {
			r.given[g.path] = g
		}
	}
	name := f.config
	if name == "" {
		if _, err := fs.Stat(r.fsys, defaultConfig); err == nil {
			name = defaultConfig
		}
	}
	var diags diag.List
	if name != "" {
		src, err := r.read(name, maxConfigFile)
		if err != nil {
			return nil, nil, r.configError(name, err)
		}
		r.cfg, diags = config.Parse(name, src)
	}
	domains, err := selectDomains(r.cfg, f)
	r.domains = domains
	return r, diags, err
}

// configError is the usage error of a configuration file that cannot be
// read: which file, why, and the fix.
func (r *repo) configError(name string, err error) error {
	what, fix := "configuration "+name, "make it a regular file of the repository, or remove it"
	if g, ok := r.given[name]; ok {
		what, fix = g.label()+" "+name, g.fix()
	}
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usagef("%s does not exist: %s", what, fix)
	case refused(err):
		fix = refusedFix(err)
		if errors.As(err, &pe) {
			err = pe.Err
		}
	case errors.As(err, &pe):
		err = pe.Err
	}
	return usagef("%s cannot be read (%v): %s", what, err, fix)
}

// selectDomains applies --domain, --policy and --zone to the configured
// domains (DESIGN §1.9: with a config, --domain selects one; without, it
// defines one with the defaults of §1.1).
func selectDomains(cfg config.Config, f *repoFlags) ([]config.Domain, error) {
	if f.domain == "" {
		if len(cfg.Domains) == 0 {
			file := cmp.Or(cfg.File, defaultConfig)
			if f.inputs {
				return nil, usagef("no domain to check: set the domain input of the workflow step (with: domain: example.com), or list domains in %s", file)
			}
			return nil, usagef("no domain to check in %s: give --domain, or list domains in %s", f.dir, file)
		}
		return cfg.Domains, nil
	}
	name := strings.ToLower(strings.TrimSuffix(f.domain, "."))
	d, ok := cfg.Domain(name)
	if !ok {
		if len(cfg.Domains) > 0 {
			return nil, usagef("--domain %s is not in %s", name, cfg.File)
		}
		d = config.Domain{Name: name, Policy: config.DefaultPolicy}
	}
	if f.policy != "" {
		d.Policy = f.policy
	}
	if f.zone != "" {
		d.Zone, d.Records = f.zone, nil
	}
	return []config.Domain{d}, nil
}

// read reads a repository-relative file of at most limit bytes that
// resolves to a regular file inside the repository (readRepoFile), or a
// file the command line names outside it (readGivenFile).
func (r *repo) read(name string, limit int64) ([]byte, error) {
	if g, ok := r.given[name]; ok && !g.input && filepath.IsAbs(name) {
		return readGivenFile(name, limit)
	}
	return readRepoFile(r.fsys, name, limit)
}

// load reads what the repository holds for d: its policy file and its DNS
// declaration. A policy file that is refused (DESIGN §1.11) is one
// diagnostic here; one that is absent is check.Lint's.
func (r *repo) load(d config.Domain) (check.Repo, diag.List) {
	in := check.Repo{Domain: d.Name, PolicyFile: d.Policy}
	var diags diag.List
	b, err := r.read(d.Policy, maxPolicyFile)
	switch {
	case err == nil:
		in.Policy = b
	case refused(err):
		diags.Add(refusedFile(d.Policy, "the policy in it is not checked", err))
		in.PolicyRefused = true
	}
	dns, more := r.declaration(d)
	in.DNS, in.DNSRefused = dns, more.Has(diag.FileRefused)
	return in, append(diags, more...).ForDomain(d.Name)
}

// declaration reads the domain's DNS declaration from its zone file or
// its inline records; nil when it has neither.
func (r *repo) declaration(d config.Domain) (*zone.Declaration, diag.List) {
	switch {
	case d.Zone != "":
		src, err := r.read(d.Zone, maxZoneFile)
		if refused(err) {
			return nil, diag.List{refusedFile(d.Zone, "the DNS records it declares are not checked", err)}
		}
		if err != nil {
			return nil, diag.List{unreadable(d.Zone, err, r.fixPath(d.Zone, "zone"))}
		}
		decl, diags := zone.ParseFile(d.Zone, src, d.Name)
		return &decl, diags
	case d.Records != nil:
		decl, diags := inline(d.Name, d.Records)
		decl.Source = r.cfg.File
		return &decl, diags.InFile(r.cfg.File, diag.Pos{})
	}
	return nil, nil
}

func inline(domain string, rec *config.Records) (zone.Declaration, diag.List) {
	txt := func(v *config.Value) *zone.TXT {
		if v == nil {
			return nil
		}
		return &zone.TXT{Text: v.Text, Strings: []string{v.Text}, Pos: v.Pos, Exact: v.Exact}
	}
	var mx []zone.MX
	for i, v := range rec.MX {
		mx = append(mx, zone.MX{Host: v.Text, Preference: uint16(10 * (i + 1)), Pos: v.Pos})
	}
	return zone.FromInline(domain, txt(rec.MTASTS), txt(rec.TLSRPT), mx)
}

// fixPath says where to fix the path of a file that cannot be read: the
// flag or input that gave it, else the key of the configuration.
func (r *repo) fixPath(file, key string) string {
	if g, ok := r.given[file]; ok {
		return g.fix()
	}
	return fmt.Sprintf("commit the file, or fix the domain's %s: path in %s", key, cmp.Or(r.cfg.File, defaultConfig))
}

func unreadable(file string, err error, fix string) diag.Diagnostic {
	why := "cannot be read"
	if errors.Is(err, fs.ErrNotExist) {
		why = "does not exist"
	}
	d := diag.New(diag.FileUnreadable,
		fmt.Sprintf("%s %s, so the DNS it should declare cannot be checked", file, why), fix)
	d.File = file
	return d
}
