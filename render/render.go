// Package render turns a plan into the files an unattended install reads,
// laid out in a directory the way fugu serve and the installer expect them:
// the response file under the names autoinstall(8) asks for, the disklabel
// template, and the site set with the index.txt that makes the installer
// offer it. Compute computes everything in memory; Write puts it on disk,
// each file through a temporary file and a rename.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/fugu-tool/fugu/autoinstall"
	"github.com/fugu-tool/fugu/internal/atomicfile"
	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/site"
)

// Options are what a render needs beyond the plan.
type Options struct {
	// URL is where fugu serve will serve the output directory, as the
	// installer reaches it ("http://192.0.2.1/"). The installer fetches
	// the disklabel template from it, and the site set when the sets come
	// from a mirror.
	URL string
	// MACs are extra link-layer addresses to name response files after,
	// for interfaces whose address the dmesg does not show.
	MACs []string
	// Site passes through to the site set builder.
	Site site.Options
	// Default decides about the shared install.conf.
	Default Default
}

// File is one file of the output, relative to the output directory.
type File struct {
	Name string      `json:"name"`
	Mode fs.FileMode `json:"mode"`
	Data []byte      `json:"-"`
	What string      `json:"what"`
	// Shared marks install.conf, which answers for every machine that has
	// no file of its own.
	Shared bool `json:"shared,omitempty"`
}

// Default says when Write makes this host's answers the shared
// install.conf, which every netbooting machine without a file of its own
// installs from.
type Default int

const (
	// DefaultIfFree writes install.conf unless it answers for another host.
	DefaultIfFree Default = iota
	// DefaultAlways makes this host the default, replacing another's.
	DefaultAlways
	// DefaultNever leaves install.conf alone.
	DefaultNever
)

// Output is what a render writes.
type Output struct {
	Hostname string   `json:"hostname"`
	Default  Default  `json:"-"`
	Files    []File   `json:"files"`
	Notes    []string `json:"notes,omitempty"`
	// SetDir is the directory, relative to the output, holding the site
	// set and index.txt: "<version>/<arch>".
	SetDir string `json:"set_dir"`
}

var macRE = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2}){5}$`)

// Compute renders everything for a plan, in memory.
func Compute(pl *plan.Plan, opts Options) (*Output, error) {
	out := &Output{SetDir: pl.Release.Version + "/" + pl.Arch, Hostname: pl.Hostname, Default: opts.Default}
	var ropts autoinstall.RenderOptions
	base := strings.TrimRight(opts.URL, "/")
	if opts.URL != "" {
		u, err := url.Parse(opts.URL)
		if err != nil || u.Scheme != "http" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("--url %q: want http://host[:port][/path], where fugu serve serves the output directory (the installer's ftp(1) fetches it; fugu serve speaks plain http)", opts.URL)
		}
		ropts.ServeURL = base + "/"
	}
	template := ""
	if l := pl.RootLayout; l != nil && l.Template != nil {
		template = pl.Hostname + ".disklabel"
		if base == "" {
			return nil, errors.New("the root disk layout is a template, which the installer fetches over HTTP: pass --url http://ADDRESS/ where fugu serve will serve the output directory")
		}
		ropts.TemplateURL = base + "/" + template
	}
	answers, err := autoinstall.Render(pl, ropts)
	if err != nil {
		return nil, err
	}
	conf := answers.Bytes()
	out.Notes = append(out.Notes, answers.Notes...)

	// The installer asks for <mac>-install.conf, <hostname>-install.conf
	// and install.conf, in that order (install.sub get_responsefile).
	macs := map[string]bool{}
	for _, n := range pl.Network {
		if n.Installer && n.MAC != "" {
			macs[strings.ToLower(n.MAC)] = true
		}
	}
	for _, m := range opts.MACs {
		m = strings.ToLower(strings.ReplaceAll(m, "-", ":"))
		if !macRE.MatchString(m) {
			return nil, fmt.Errorf("--mac %q: not a MAC address like 00:0d:b9:aa:bb:01", m)
		}
		macs[m] = true
	}
	var macList []string
	for m := range macs {
		macList = append(macList, m)
	}
	sort.Strings(macList)
	if len(macList) == 0 {
		out.Notes = append(out.Notes, "no MAC address is known (the dmesg shows none): machines find their answers by host name (DHCP host-name) or as install.conf; give --mac to name a file after the MAC")
	}
	// What the answers point at is written first, the answers last, so
	// that a failure never leaves answers naming missing files.
	if template != "" {
		out.Files = append(out.Files, File{Name: template, Mode: 0o644, Data: []byte(pl.RootLayout.TemplateText), What: "disklabel template for " + pl.Root.Disk.Name})
	}
	if base == "" && !strings.HasPrefix(pl.Sets.Source, "http") {
		out.Notes = append(out.Notes, fmt.Sprintf("the answers take %s from the install stick's %s directory: put it there (without it install.site does not run), or render with --url to fetch it from fugu serve", pl.Sets.SiteSet, out.SetDir))
	}
	set, err := site.Build(pl, opts.Site)
	if err != nil {
		return nil, err
	}
	data, err := set.Bytes()
	if err != nil {
		return nil, err
	}
	out.Notes = append(out.Notes, set.Warnings...)
	// The site set carries secrets (WPA keys, the profile's files).
	out.Files = append(out.Files, File{Name: path.Join(out.SetDir, set.Name), Mode: 0o600, Data: data, What: "site set"})
	what := "answers for " + pl.Hostname
	for _, m := range macList {
		out.Files = append(out.Files, File{Name: m + "-install.conf", Mode: 0o600, Data: conf, What: what + " by MAC"})
	}
	out.Files = append(out.Files,
		File{Name: strings.ToLower(pl.Hostname) + "-install.conf", Mode: 0o600, Data: conf, What: what + " by host name"},
		File{Name: "install.conf", Mode: 0o600, Data: conf, What: what + " for machines without a file of their own", Shared: true})

	return out, nil
}

// Write puts the output into dir, creating it (and the set directory) as
// needed, each file atomically, then rewrites the set directory's
// index.txt so that it lists what is there. Files already in dir that the
// output does not name are left alone. Before writing anything it checks
// every target: no directory or symbolic link in the way, nothing outside
// dir. The shared install.conf follows o.Default; the returned notes say
// what was decided.
func (o *Output) Write(dir string) (written, notes []string, err error) {
	files, notes, err := o.plan(dir)
	if err != nil {
		return nil, notes, err
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(o.SetDir)), 0o755); err != nil {
		return nil, notes, err
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := atomicfile.WriteFile(p, f.Data, f.Mode, atomicfile.Options{}); err != nil {
			return written, notes, err
		}
		written = append(written, f.Name)
	}
	setDir := filepath.Join(dir, filepath.FromSlash(o.SetDir))
	entries, err := site.IndexDir(setDir)
	if err != nil {
		return written, notes, err
	}
	var idx bytes.Buffer
	if err := site.WriteIndex(&idx, entries); err != nil {
		return written, notes, err
	}
	if err := atomicfile.WriteFile(filepath.Join(setDir, "index.txt"), idx.Bytes(), 0o644, atomicfile.Options{}); err != nil {
		return written, notes, err
	}
	return append(written, path.Join(o.SetDir, "index.txt")), notes, nil
}

var hostnameLineRE = regexp.MustCompile(`(?mi)^[ \t]*system hostname[ \t]*=[ \t]*(\S+)`)

// plan checks every target in dir and decides about install.conf. It
// writes nothing.
func (o *Output) plan(dir string) ([]File, []string, error) {
	var notes []string
	check := func(rel string) error {
		// Every component below dir must be a real directory (or
		// absent), and the file itself not a directory or a link.
		p := dir
		parts := strings.Split(rel, "/")
		for i, part := range parts {
			p = filepath.Join(p, part)
			fi, err := os.Lstat(p)
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			last := i == len(parts)-1
			switch {
			case fi.Mode()&fs.ModeSymlink != 0:
				return fmt.Errorf("%s is a symbolic link: fugu render writes only inside %s", p, dir)
			case last && fi.IsDir():
				return fmt.Errorf("%s is a directory", p)
			case !last && !fi.IsDir():
				return fmt.Errorf("%s is not a directory", p)
			}
		}
		return nil
	}
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory", dir)
	}
	var files []File
	for _, f := range o.Files {
		if err := check(f.Name); err != nil {
			return nil, nil, err
		}
		if f.Shared {
			keep, note := o.shared(filepath.Join(dir, f.Name))
			if note != "" {
				notes = append(notes, note)
			}
			if !keep {
				continue
			}
		}
		files = append(files, f)
	}
	if err := check(path.Join(o.SetDir, "index.txt")); err != nil {
		return nil, nil, err
	}
	return files, notes, nil
}

// shared decides whether to write the shared install.conf at p.
func (o *Output) shared(p string) (bool, string) {
	switch o.Default {
	case DefaultNever:
		return false, ""
	case DefaultAlways:
		return true, fmt.Sprintf("install.conf answers for %s: every machine that netboots from this directory without a file of its own installs as %s", o.Hostname, o.Hostname)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return true, fmt.Sprintf("install.conf answers for %s: every machine that netboots from this directory without a file of its own installs as %s (--no-default leaves it out)", o.Hostname, o.Hostname)
	}
	m := hostnameLineRE.FindSubmatch(data)
	if m != nil && !strings.EqualFold(string(m[1]), o.Hostname) {
		return false, fmt.Sprintf("install.conf answers for %s and is left alone: machines without a file of their own install as %s (--default makes %s the default; remove install.conf to have none)", m[1], m[1], o.Hostname)
	}
	return true, ""
}
