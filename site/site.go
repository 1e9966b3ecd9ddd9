// Package site builds a host's site set, site<NN>-<hostname>.tgz (or the
// generic site<NN>.tgz), from its install plan: the install.site script the
// installer runs chrooted in the new system at the end of the install, and
// the files that script installs. The script partitions the /home disk the
// installer cannot label unattended, writes hostname.if files for wireless
// interfaces, installs the profile's files with their owners and modes
// (checking a doas.conf with doas -C first), adds rc.conf.local lines,
// installs bundled firmware and queues the packages for the first boot.
// It logs everything to /var/log/fugu-install.site.log.
//
// The set is a reproducible tar.gz: entries sorted, fixed owners, modes and
// mtimes, nothing taken from the machine that builds it; the same plan and
// options give the same bytes (with the same Go compress/flate).
//
// The /home disk: install.site labels it whole even if it holds an old
// OpenBSD label (the plan chose it and the install is a fresh one; the old
// label goes to the log). It refuses, stopping the install before touching
// the disk, when the disk is the root disk (by /etc/fstab and
// hw.disknames), when a partition of it is in /etc/fstab or mounted, or
// when its sector count differs from the dmesg the plan was made from
// (the kernel numbered the disks differently).
//
// Deliberate limits:
//   - Files travel inside the set under /var/fugu and are installed by the
//     script, because tar extracts with the installer's passwd, not the new
//     system's: owners such as the admin user only resolve in the chroot.
//   - Packages are not installed during the install (the network may be
//     down, wireless needs firmware): /etc/rc.firsttime runs pkg_add -l on
//     the first boot.
//   - A static address on a wireless interface gets no default route from
//     the set; /etc/mygate is the installer's, from the wired interfaces.
//   - If a generic and a per-host set are both installed, the host set,
//     extracted last (install.sub ALLSETS order), replaces /install.site:
//     use one of the two per host.
//
// Build is pure apart from reading secret and source files through
// Options.ReadFile; Write does no I/O but to its writer.
package site

import (
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/profiles"
)

// Options adjust a site set beyond what the plan says. Roles add their
// files and lines here.
type Options struct {
	// Generic names the set site<NN>.tgz, for all hosts that add it
	// ("+site*"), instead of site<NN>-<hostname>.tgz, which the installer
	// preselects for the host of that name (install.site(5)). A generic
	// set leaves out /etc/myname, which names one host.
	Generic bool
	// ModTime is every entry's modification time; zero means the first
	// day of the release's month, UTC.
	ModTime time.Time
	// ReadFile reads wpakey_file and files[].source, already resolved
	// against the profile's directory; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// Files are more files to install, after the profile's.
	Files []File
	// RCConfLocal are lines to add to /etc/rc.conf.local
	// ("name_flags=..."), skipped when the file has them already.
	RCConfLocal []string
	// FirstBoot are shell lines for /etc/rc.firsttime, after the packages.
	FirstBoot []string
	// Firmware are fw_update(8) packages (e.g. "iwm-firmware-20240410.tgz"
	// from a cache, see FirmwareFromDir) the script installs so that
	// wireless works on the first boot.
	Firmware []Firmware
}

// File is a file the set installs.
type File struct {
	Path    string // absolute path on the new system
	Mode    uint32 // permission bits, e.g. 0o640
	Owner   string // user name in the new system's passwd
	Group   string
	Content []byte
	Why     string // shown as a comment in install.site
}

// Firmware is one fw_update(8) firmware package.
type Firmware struct {
	Name string // file name, "<driver>-firmware-<version>.tgz"
	Data []byte
}

// Set is a site set ready to write.
type Set struct {
	Name     string  // "site79-puffy.tgz"
	Entries  []Entry // in archive order
	ModTime  time.Time
	Warnings []string // things the set could not do as asked
}

// Entry is one member of the set's archive.
type Entry struct {
	Name  string // path in the archive, relative; directories end in "/"
	Mode  uint32 // permission bits
	Uid   int
	Gid   int
	Uname string
	Gname string
	Data  []byte // nil for directories
}

// Dir reports whether the entry is a directory.
func (e Entry) Dir() bool { return strings.HasSuffix(e.Name, "/") }

// Script returns the set's install.site.
func (s *Set) Script() []byte {
	for _, e := range s.Entries {
		if e.Name == "install.site" {
			return e.Data
		}
	}
	return nil
}

var (
	diskRE    = regexp.MustCompile(`^(sd|wd)[0-9]+$`)
	nameRE    = regexp.MustCompile(`^[a-z_][a-z0-9_.-]*$`)
	rcLineRE  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
	fwNameRE  = regexp.MustCompile(`^[a-z][a-z0-9]*-firmware-[A-Za-z0-9._p-]+\.tgz$`)
	errNoPlan = errors.New("site: no plan")
)

// Build makes the site set for a plan.
func Build(p *plan.Plan, opts Options) (*Set, error) {
	if p == nil {
		return nil, errNoPlan
	}
	b := &builder{p: p, opts: opts, files: map[string]int{}}
	if b.opts.ReadFile == nil {
		b.opts.ReadFile = os.ReadFile
	}
	s, err := b.build()
	if err != nil {
		return nil, fmt.Errorf("site set for %s: %w", p.Hostname, err)
	}
	return s, nil
}

type builder struct {
	p       *plan.Plan
	opts    Options
	steps   []step
	entries []Entry
	files   map[string]int // path -> index in put, to catch doubles
	put     []File
	from    []string // where each of put came from, for messages
	warns   []string
}

func (b *builder) build() (*Set, error) {
	p := b.p
	name := p.Release.SiteSet(p.Hostname)
	if b.opts.Generic {
		name = p.Release.SiteSet("")
	}
	mtime := b.opts.ModTime
	if mtime.IsZero() {
		t, err := time.Parse("2006-01", p.Release.Date)
		if err != nil {
			return nil, fmt.Errorf("BUG: release %s has date %q", p.Release.Version, p.Release.Date)
		}
		mtime = t
	}
	mtime = mtime.UTC().Truncate(time.Second)

	if err := b.home(); err != nil {
		return nil, err
	}
	if err := b.wireless(); err != nil {
		return nil, err
	}
	if err := b.profileFiles(); err != nil {
		return nil, err
	}
	for _, f := range b.opts.Files {
		if err := b.addFile(f, "a role"); err != nil {
			return nil, err
		}
	}
	if err := b.myname(); err != nil {
		return nil, err
	}
	b.fileSteps()
	if err := b.keys(); err != nil {
		return nil, err
	}
	if err := b.rcConfLocal(); err != nil {
		return nil, err
	}
	if err := b.firmware(); err != nil {
		return nil, err
	}
	if err := b.firstBoot(); err != nil {
		return nil, err
	}

	host := p.Hostname
	if p.Domain != "" {
		host += "." + p.Domain
	}
	b.entries = append(b.entries, Entry{Name: "install.site", Mode: 0o755, Data: script(host, p.Release.Version, p.Arch, name, b.steps)})
	b.entries = append(b.entries, Entry{Name: "var/fugu/", Mode: 0o700})
	entries, err := withDirs(b.entries)
	if err != nil {
		return nil, err
	}
	return &Set{Name: name, Entries: entries, ModTime: mtime, Warnings: b.warns}, nil
}

// home adds the /home disk step.
func (b *builder) home() error {
	h := b.p.Home
	if h == nil || h.OnRoot {
		return nil
	}
	if h.Disk.Name == "" {
		return fmt.Errorf("the /home disk (rule %s) is not resolved: plan with the machine's dmesg", h.Rule)
	}
	if !diskRE.MatchString(h.Disk.Name) {
		return fmt.Errorf("/home disk %q is not an sd or wd disk", h.Disk.Name)
	}
	if b.p.Root != nil && b.p.Root.Disk.Name == h.Disk.Name {
		return fmt.Errorf("the /home disk %s is the root disk", h.Disk.Name)
	}
	table := h.Table
	if table == "" {
		table = "gpt"
	}
	if table != "gpt" && table != "mbr" {
		return fmt.Errorf("/home disk %s: partition table %q is not gpt or mbr", h.Disk.Name, table)
	}
	b.entries = append(b.entries, Entry{Name: "var/fugu/home.template", Mode: 0o600, Data: []byte("/home *\n")})
	what := h.Disk.Name
	if m := strings.TrimSpace(h.Disk.Vendor + " " + h.Disk.Model); m != "" {
		what += " (" + m + ")"
	}
	b.steps = append(b.steps, step{
		comment: fmt.Sprintf("/home: %s, chosen by rule %q. The installer lays out\nonly the root disk unattended: a second disk would open the disklabel editor.", what, h.Rule),
		args:    []string{"home_disk", h.Disk.Name, table, fmt.Sprint(h.Disk.Sectors), map[bool]string{true: "wipe", false: "keep"}[h.Wipe]},
	})
	return nil
}

// wireless adds hostname.if files for the wireless interfaces.
func (b *builder) wireless() error {
	for _, ifc := range b.p.Network {
		if !ifc.Wireless || len(ifc.SSIDs) == 0 {
			continue
		}
		nets, err := b.networks(ifc.Name)
		if err != nil {
			return err
		}
		text, warns, err := HostnameIf(b.p.Release, ifc, nets)
		if err != nil {
			return err
		}
		b.warns = append(b.warns, warns...)
		f := File{
			Path: "/etc/hostname." + ifc.Name, Mode: 0o640, Owner: "root", Group: "wheel", Content: text,
			Why: fmt.Sprintf("%s joins %s;\nmode 0640 root:wheel: it holds WPA keys (hostname.if(5)).", ifc.Name, quoteList(ifc.SSIDs)),
		}
		if err := b.addFile(f, fmt.Sprintf("the wifi networks of %s", ifc.Name)); err != nil {
			return err
		}
	}
	return nil
}

// networks reads an interface's networks and keys from the profile.
func (b *builder) networks(ifname string) ([]WiFi, error) {
	prof := b.p.Profile
	if prof == nil {
		return nil, fmt.Errorf("%s: the plan has no profile to take the WPA keys from", ifname)
	}
	for i, ifc := range prof.Network.Interfaces {
		if ifc.Name != ifname {
			continue
		}
		var nets []WiFi
		for j, w := range ifc.WiFi {
			key := w.WPAKey
			if w.WPAKeyFile != "" {
				data, err := b.opts.ReadFile(prof.Resolve(w.WPAKeyFile))
				if err != nil {
					return nil, fmt.Errorf("network.interfaces[%d].wifi[%d].wpakey_file: %w", i, j, err)
				}
				// The first line, trimmed, as profiles.secretFile reads it.
				line, _, _ := strings.Cut(string(data), "\n")
				key = strings.TrimSpace(line)
				if key == "" {
					return nil, fmt.Errorf("network.interfaces[%d].wifi[%d].wpakey_file: %s is empty", i, j, w.WPAKeyFile)
				}
			}
			nets = append(nets, WiFi{SSID: w.SSID, Key: key})
		}
		return nets, nil
	}
	return nil, fmt.Errorf("%s is in the plan but not in the profile's network.interfaces", ifname)
}

// profileFiles adds the profile's files.
func (b *builder) profileFiles() error {
	for i, f := range b.p.Files {
		where := fmt.Sprintf("files[%d]", i)
		mode, err := profiles.ParseMode(defaultString(f.Mode, "0644"))
		if err != nil {
			return fmt.Errorf("%s.mode: %w", where, err)
		}
		content := []byte(f.Content)
		if f.Source != "" {
			name := f.Source
			if b.p.Profile != nil {
				name = b.p.Profile.Resolve(f.Source)
			}
			content, err = b.opts.ReadFile(name)
			if err != nil {
				return fmt.Errorf("%s.source: %w", where, err)
			}
		}
		nf := File{Path: f.Path, Mode: mode, Owner: defaultString(f.Owner, "root"), Group: defaultString(f.Group, "wheel"), Content: content}
		if err := b.addFile(nf, where); err != nil {
			return err
		}
	}
	return nil
}

// quoteList quotes names for a comment, whatever bytes they hold.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// addFile checks a file and queues it.
func (b *builder) addFile(f File, from string) error {
	switch {
	case !strings.HasPrefix(f.Path, "/") || path.Clean(f.Path) != f.Path || f.Path == "/":
		return fmt.Errorf("%s: %q is not a clean absolute path", from, f.Path)
	case strings.ContainsAny(f.Path, "\n\x00"):
		return fmt.Errorf("%s: path %q has a newline or NUL", from, f.Path)
	case f.Path == carry || strings.HasPrefix(f.Path, carry+"/"):
		return fmt.Errorf("%s: %s is where the site set carries its own files", from, f.Path)
	case f.Path == "/install.site":
		return fmt.Errorf("%s: /install.site is the site set's own script", from)
	case !nameRE.MatchString(f.Owner):
		return fmt.Errorf("%s: %q is not a user name", from, f.Owner)
	case !nameRE.MatchString(f.Group):
		return fmt.Errorf("%s: %q is not a group name", from, f.Group)
	case f.Mode > 0o7777:
		return fmt.Errorf("%s: mode %o is larger than 07777", from, f.Mode)
	}
	if i, dup := b.files[f.Path]; dup {
		return fmt.Errorf("%s: %s is also written by %s", from, f.Path, b.from[i])
	}
	b.files[f.Path] = len(b.put)
	b.put = append(b.put, f)
	b.from = append(b.from, from)
	return nil
}

// fileSteps carries the queued files and adds their install steps.
func (b *builder) fileSteps() {
	for _, f := range b.put {
		b.entries = append(b.entries, Entry{Name: "var/fugu/files" + f.Path, Mode: 0o600, Data: f.Content})
		fn := "put_file"
		comment := f.Why
		if f.Path == "/etc/doas.conf" {
			fn = "put_doas"
			comment = strings.TrimSpace(comment + "\nChecked with doas -C before it replaces the old one.")
		}
		b.steps = append(b.steps, step{comment: comment, args: []string{fn, f.Path, f.Owner, f.Group, fmt.Sprintf("%04o", f.Mode)}})
	}
}

// myname writes /etc/myname with the domain: when the installer takes
// its answers from DHCP it does not ask for the domain and names the
// machine after the lease's domain-name, else my.domain (install.sub
// 1.1288 donetconfig).
func (b *builder) myname() error {
	p := b.p
	if p.Domain == "" || b.opts.Generic {
		return nil // a generic set is for hosts of other names too
	}
	if _, dup := b.files["/etc/myname"]; dup {
		return nil // the profile or a role writes it
	}
	fqdn := p.Hostname + "." + p.Domain
	if strings.ContainsAny(fqdn, " \t\n\r\x00/") {
		return fmt.Errorf("host name %q is not one word", fqdn)
	}
	return b.addFile(File{Path: "/etc/myname", Mode: 0o644, Owner: "root", Group: "wheel", Content: []byte(fqdn + "\n"),
		Why: "The host name with its domain (myname(5)): the installer may have taken\nthe domain from DHCP, or none."}, "the domain")
}

// keys carries the ssh keys the installer does not take: it writes the
// first key of root and of the admin user only (autoinstall(8): one
// "Public ssh key" answer each).
func (b *builder) keys() error {
	a := b.p.Accounts
	add := func(who, path, owner, group string, keys []string) error {
		if len(keys) < 2 {
			return nil
		}
		var text strings.Builder
		for _, k := range keys[1:] {
			if k == "" || strings.ContainsAny(k, "\n\r\x00") {
				return fmt.Errorf("an ssh key of %s is empty or has a line break", who)
			}
			text.WriteString(k + "\n")
		}
		list := "keys." + owner
		b.entries = append(b.entries, Entry{Name: "var/fugu/" + list, Mode: 0o600, Data: []byte(text.String())})
		b.steps = append(b.steps, step{
			comment: fmt.Sprintf("The ssh keys of %s after the first, which the installer wrote.", who),
			args:    []string{"add_keys", path, owner, group, list},
		})
		return nil
	}
	if err := add("root", "/root/.ssh/authorized_keys", "root", "wheel", a.RootKeys); err != nil {
		return err
	}
	if a.User != "" {
		if !nameRE.MatchString(a.User) || a.User == "root" || a.User == "wheel" {
			return fmt.Errorf("user %q is not a login name", a.User)
		}
		return add(a.User, "/home/"+a.User+"/.ssh/authorized_keys", a.User, a.User, a.UserKeys)
	}
	return nil
}

// rcConfLocal carries the rc.conf.local lines.
func (b *builder) rcConfLocal() error {
	if len(b.opts.RCConfLocal) == 0 {
		return nil
	}
	var text strings.Builder
	for _, l := range b.opts.RCConfLocal {
		if strings.ContainsAny(l, "\n\r\x00") || !rcLineRE.MatchString(l) {
			return fmt.Errorf("rc.conf.local line %q is not one name=value line", l)
		}
		text.WriteString(l + "\n")
	}
	b.entries = append(b.entries, Entry{Name: "var/fugu/rc.conf.local", Mode: 0o600, Data: []byte(text.String())})
	b.steps = append(b.steps, step{comment: "Lines for /etc/rc.conf.local, each added once.", args: []string{"add_lines", "/etc/rc.conf.local", "rc.conf.local", "root", "wheel", "0644"}})
	return nil
}

// firmware carries firmware packages.
func (b *builder) firmware() error {
	if len(b.opts.Firmware) == 0 {
		return nil
	}
	if !has(b.p.Release, featFirmwareFiles) {
		name, from := since(featFirmwareFiles)
		return fmt.Errorf("bundled firmware needs %s (OpenBSD %s and newer); this is %s", name, from, b.p.Release.Version)
	}
	args := []string{"firmware"}
	seen := map[string]bool{}
	for _, fw := range b.opts.Firmware {
		if !fwNameRE.MatchString(fw.Name) {
			return fmt.Errorf("firmware %q is not named <driver>-firmware-<version>.tgz", fw.Name)
		}
		if seen[fw.Name] {
			return fmt.Errorf("firmware %s is given twice", fw.Name)
		}
		seen[fw.Name] = true
		b.entries = append(b.entries, Entry{Name: "var/fugu/firmware/" + fw.Name, Mode: 0o600, Data: fw.Data})
		args = append(args, fw.Name)
	}
	b.steps = append(b.steps, step{comment: "Firmware bundled from the cache, so that wireless works on the first boot.", args: args})
	return nil
}

// firstBoot writes the rc.firsttime lines: wireless interfaces started
// again once the installer's fw_update has run, then the packages.
func (b *builder) firstBoot() error {
	p := b.p
	var text strings.Builder
	var wifi []string
	for _, ifc := range p.Network {
		if ifc.Wireless && len(ifc.SSIDs) > 0 {
			wifi = append(wifi, ifc.Name)
		}
	}
	for _, pkg := range p.Packages {
		if pkg == "" || strings.ContainsAny(pkg, " \t\n\r\x00") {
			return fmt.Errorf("package name %q is empty or has blanks", pkg)
		}
	}
	for _, l := range b.opts.FirstBoot {
		if strings.ContainsAny(l, "\n\r\x00") {
			return fmt.Errorf("first-boot line %q has a line break", l)
		}
	}
	if len(wifi) == 0 && len(p.Packages) == 0 && len(b.opts.FirstBoot) == 0 {
		return nil
	}
	fmt.Fprintf(&text, "# Added by fugu's install.site for %s. Output goes to %s.\n", p.Hostname, LogFile)
	fmt.Fprintf(&text, "echo \"== first boot $(date)\" >>%s\n", LogFile)
	if len(wifi) > 0 {
		// The installer appended fw_update to rc.firsttime before
		// install.site ran (finish_up), so the firmware is there now;
		// netstart ran before it without.
		text.WriteString("# Wireless interfaces again, now that fw_update above has loaded their firmware.\n")
		fmt.Fprintf(&text, "/bin/sh /etc/netstart %s >>%s 2>&1\n", strings.Join(wifi, " "), LogFile)
	}
	if len(p.Packages) > 0 {
		var list strings.Builder
		for _, pkg := range p.Packages {
			list.WriteString(pkg + "\n")
		}
		b.entries = append(b.entries, Entry{Name: "var/fugu/packages", Mode: 0o644, Data: []byte(list.String())})
		text.WriteString("# Packages from the profile. Not installed by install.site: the network may\n")
		text.WriteString("# not be up during the install (wireless needs firmware first).\n")
		if len(wifi) > 0 {
			text.WriteString("_i=0\n")
			text.WriteString("while [ $_i -lt 30 ] && ! route -n show -inet 2>/dev/null | grep -q '^default'; do sleep 1; _i=$((_i + 1)); done\n")
		}
		fmt.Fprintf(&text, "/usr/sbin/pkg_add -I -l %s/packages >>%s 2>&1\n", carry, LogFile)
	}
	for _, l := range b.opts.FirstBoot {
		text.WriteString(l + "\n")
	}
	b.entries = append(b.entries, Entry{Name: "var/fugu/rc.firsttime", Mode: 0o600, Data: []byte(text.String())})
	b.steps = append(b.steps, step{comment: "Queue the first boot's work.", args: []string{"first_boot"}})
	return nil
}

// withDirs completes the entries with their parent directories (mode 0700
// under var/fugu; none for var/ itself, which the new system has and whose
// owner and mode extraction must not change), owned by root:wheel, and
// sorts them. Two entries with one name are a bug.
func withDirs(in []Entry) ([]Entry, error) {
	byName := map[string]Entry{}
	for _, e := range in {
		if _, dup := byName[e.Name]; dup {
			return nil, fmt.Errorf("BUG: %s twice in the set", e.Name)
		}
		byName[e.Name] = e
	}
	for _, e := range in {
		for dir := path.Dir(strings.TrimSuffix(e.Name, "/")); strings.HasPrefix(dir, "var/fugu"); dir = path.Dir(dir) {
			if _, ok := byName[dir+"/"]; !ok {
				byName[dir+"/"] = Entry{Name: dir + "/", Mode: 0o700}
			}
		}
	}
	out := make([]Entry, 0, len(byName))
	for _, e := range byName {
		e.Uid, e.Gid, e.Uname, e.Gname = 0, 0, "root", "wheel"
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
