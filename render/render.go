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
}

// File is one file of the output, relative to the output directory.
type File struct {
	Name string      `json:"name"`
	Mode fs.FileMode `json:"mode"`
	Data []byte      `json:"-"`
	What string      `json:"what"`
}

// Output is what a render writes.
type Output struct {
	Files []File   `json:"files"`
	Notes []string `json:"notes,omitempty"`
	// SetDir is the directory, relative to the output, holding the site
	// set and index.txt: "<version>/<arch>".
	SetDir string `json:"set_dir"`
}

var macRE = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2}){5}$`)

// Compute renders everything for a plan, in memory.
func Compute(pl *plan.Plan, opts Options) (*Output, error) {
	out := &Output{SetDir: pl.Release.Version + "/" + pl.Arch}
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
	what := "answers for " + pl.Hostname
	for _, m := range macList {
		out.Files = append(out.Files, File{Name: m + "-install.conf", Mode: 0o600, Data: conf, What: what + " by MAC"})
	}
	out.Files = append(out.Files,
		File{Name: pl.Hostname + "-install.conf", Mode: 0o600, Data: conf, What: what + " by host name"},
		File{Name: "install.conf", Mode: 0o600, Data: conf, What: what + " for machines without a file of their own"})
	if template != "" {
		out.Files = append(out.Files, File{Name: template, Mode: 0o644, Data: []byte(pl.RootLayout.TemplateText), What: "disklabel template for " + pl.Root.Disk.Name})
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
	return out, nil
}

// Write puts the output into dir, creating it (and the set directory) as
// needed, each file atomically, then rewrites the set directory's
// index.txt so that it lists what is there. Files already in dir that the
// output does not name are left alone.
func (o *Output) Write(dir string) ([]string, error) {
	if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(o.SetDir)), 0o755); err != nil {
		return nil, err
	}
	var written []string
	for _, f := range o.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := atomicfile.WriteFile(p, f.Data, f.Mode, atomicfile.Options{}); err != nil {
			return written, err
		}
		written = append(written, f.Name)
	}
	setDir := filepath.Join(dir, filepath.FromSlash(o.SetDir))
	entries, err := site.IndexDir(setDir)
	if err != nil {
		return written, err
	}
	var idx bytes.Buffer
	if err := site.WriteIndex(&idx, entries); err != nil {
		return written, err
	}
	if err := atomicfile.WriteFile(filepath.Join(setDir, "index.txt"), idx.Bytes(), 0o644, atomicfile.Options{}); err != nil {
		return written, err
	}
	return append(written, path.Join(o.SetDir, "index.txt")), nil
}
