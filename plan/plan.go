// Package plan decides what an unattended install of one machine will do:
// from a host profile, the machine's hardware facts and the release it
// computes which disk is root and why, the /home disk, swap, the partition
// layout in real sizes, the install media, network, sets, packages and the
// steps that run after the install. It is pure: no files, disks or network.
//
// A Plan is what `fugu plan` prints and what the later stages (install.conf,
// templates, site set, image) are built from.
package plan

import (
	"fmt"
	"path"
	"strings"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/profiles"
	"github.com/fugu-tool/fugu/release"
)

// Plan is everything an install of one machine will do.
type Plan struct {
	Profile *profiles.Profile `json:"-"`
	Facts   *hardware.Facts   `json:"-"`

	Hostname string          `json:"hostname"`
	Domain   string          `json:"domain,omitempty"`
	Release  release.Release `json:"release"`
	Arch     string          `json:"arch"`
	Machine  string          `json:"machine,omitempty"` // where the facts came from
	PhysMem  int64           `json:"physmem"`           // bytes, from the dmesg
	NCPU     int             `json:"ncpu"`

	Root  *DiskChoice `json:"root"`
	Home  *DiskChoice `json:"home,omitempty"` // nil: /home stays on the root disk
	Media *Media      `json:"media,omitempty"`

	RootLayout *Layout `json:"root_layout,omitempty"`
	HomeLayout *Layout `json:"home_layout,omitempty"`
	Swap       int64   `json:"swap"` // bytes of swap on the root disk

	Network  []Interface `json:"network"`
	Gateway  string      `json:"gateway,omitempty"`
	Gateway6 string      `json:"gateway6,omitempty"`
	DNS      []string    `json:"nameservers,omitempty"`

	Accounts Accounts          `json:"accounts"`
	Services Services          `json:"services"`
	Timezone string            `json:"timezone"`
	Keyboard string            `json:"keyboard,omitempty"`
	Console  *profiles.Console `json:"console,omitempty"`

	Sets     Sets     `json:"sets"`
	Packages []string `json:"packages,omitempty"`
	Firmware []string `json:"firmware,omitempty"` // drivers fw_update will fetch firmware for
	Files    []File   `json:"files,omitempty"`
	Roles    []string `json:"roles,omitempty"`

	// Steps are what happens after the installer's own work, in order.
	Steps []Step `json:"steps"`
	// Notes explain choices; Warnings are things to check before booting.
	Notes    []string `json:"notes,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
}

// DiskChoice is a disk chosen by a rule, and why.
type DiskChoice struct {
	Rule   string        `json:"rule"`
	Disk   hardware.Disk `json:"disk"`
	Table  string        `json:"table"` // "gpt" or "mbr"
	Reason string        `json:"reason"`
	Passed []string      `json:"passed_over,omitempty"` // other disks and why they were not taken
	OnRoot bool          `json:"on_root,omitempty"`     // /home: no second disk, so on the root disk
	Wipe   bool          `json:"wipe,omitempty"`        // /home: relabel even a disk that holds a file system
}

// Media is the USB stick the installer boots from.
type Media struct {
	Device    string `json:"device"`    // "sd2"
	Predicted bool   `json:"predicted"` // not in the dmesg: the name it will most likely get
	Reason    string `json:"reason"`
}

// Interface is one network interface and when it is configured.
type Interface struct {
	Name      string   `json:"name"`
	Driver    string   `json:"driver"`
	MAC       string   `json:"mac,omitempty"`
	Wireless  bool     `json:"wireless"`
	IPv4      string   `json:"ipv4"`
	IPv6      string   `json:"ipv6"`
	SSIDs     []string `json:"ssids,omitempty"`
	Installer bool     `json:"installer"` // configured by the installer; else after the install
	Reason    string   `json:"reason,omitempty"`
}

// Accounts are the root account and the admin user.
type Accounts struct {
	RootPassword string   `json:"-"` // bcrypt hash (or 13 asterisks)
	RootKeys     []string `json:"root_keys,omitempty"`
	User         string   `json:"user,omitempty"`
	UserName     string   `json:"user_name,omitempty"`
	UserPassword string   `json:"-"`
	UserKeys     []string `json:"user_keys,omitempty"`
}

// Services are the installer's yes/no questions, decided.
type Services struct {
	SSHD         bool   `json:"sshd"`
	RootSSHLogin string `json:"root_ssh_login"`
	X11          bool   `json:"x11"`
	Xenodm       bool   `json:"xenodm"`
}

// Sets says where the sets come from and which are installed.
type Sets struct {
	Source   string   `json:"source"` // "media" or a mirror URL
	Server   string   `json:"server,omitempty"`
	Dir      string   `json:"dir,omitempty"`      // server directory, e.g. pub/OpenBSD/7.9/amd64
	Selected []string `json:"selected"`           // in install order
	Dropped  []string `json:"dropped,omitempty"`  // default sets left out
	SiteSet  string   `json:"site_set,omitempty"` // the host's site set
}

// File is an extra file for the new system. Its contents stay in the
// profile: they may be secret, and the plan is printed.
type File struct {
	Path   string `json:"path"`
	Mode   string `json:"mode"`
	Owner  string `json:"owner"`
	Group  string `json:"group"`
	Source string `json:"source,omitempty"` // a local file, else Content
	Bytes  int    `json:"bytes,omitempty"`  // size of Content
	// Content is the profile's inline content; it may be secret, so it
	// is never printed.
	Content string `json:"-"`
}

func planFiles(p *profiles.Profile) []File {
	var fs []File
	for _, f := range p.Files {
		fs = append(fs, File{Path: f.Path, Mode: f.Mode, Owner: f.Owner, Group: f.Group, Source: f.Source, Bytes: len(f.Content), Content: f.Content})
	}
	return fs
}

// Step is one thing done after the installer's own work.
type Step struct {
	What string `json:"what"`
	Why  string `json:"why,omitempty"`
}

// Make computes the plan for a profile. facts may be nil: the plan then
// keeps the disk rules unresolved and leaves out sizes. Mistakes that need
// the hardware to show (a disk rule matching nothing, swap bigger than the
// disk) are profiles.Errors that point at the profile line.
func Make(p *profiles.Profile, facts *hardware.Facts) (*Plan, error) {
	rel, err := release.Lookup(p.Release)
	if err != nil {
		return nil, errAt(p, "release", "%v", err)
	}
	pl := &Plan{
		Profile:  p,
		Facts:    facts,
		Hostname: p.Hostname,
		Domain:   p.Domain,
		Release:  rel,
		Arch:     p.Arch,
		Timezone: p.Timezone,
		Keyboard: p.Keyboard,
		Console:  p.Console,
		Packages: p.Packages,
		Files:    planFiles(p),
		Roles:    p.Roles,
		Gateway:  p.Network.Gateway,
		Gateway6: p.Network.Gateway6,
		DNS:      p.Network.Nameservers,
	}
	b := &builder{p: p, f: facts, pl: pl}
	b.machine()
	b.services()
	b.accounts()
	b.disks()
	b.network()
	b.sets()
	b.steps()
	if len(b.errs) > 0 {
		return nil, b.errs
	}
	return pl, nil
}

type builder struct {
	p    *profiles.Profile
	f    *hardware.Facts
	pl   *Plan
	errs profiles.Errors
}

func (b *builder) errorf(path, format string, args ...any) {
	b.errs = append(b.errs, errAt(b.p, path, format, args...))
}

func errAt(p *profiles.Profile, path, format string, args ...any) *profiles.Error {
	return &profiles.Error{Pos: p.Sources().At(path), Path: path, Msg: fmt.Sprintf(format, args...)}
}

func (b *builder) notef(format string, args ...any) {
	b.pl.Notes = append(b.pl.Notes, fmt.Sprintf(format, args...))
}

func (b *builder) warnf(format string, args ...any) {
	b.pl.Warnings = append(b.pl.Warnings, fmt.Sprintf(format, args...))
}

func (b *builder) machine() {
	f := b.f
	if f == nil {
		b.warnf("no dmesg given: disks, memory and interfaces are not checked; pass --dmesg FILE (the machine's /var/run/dmesg.boot)")
		return
	}
	b.pl.Machine = f.Source
	b.pl.PhysMem = f.PhysMem
	b.pl.NCPU = f.NCPU
	b.pl.Firmware = f.Firmware
	if f.Arch != "" && f.Arch != b.p.Arch {
		b.errorf("arch", "the profile installs %s but the dmesg is from an %s machine", b.p.Arch, f.Arch)
	}
}

func (b *builder) services() {
	s := b.p.Services
	b.pl.Services = Services{
		SSHD:         s.SSHD == nil || *s.SSHD,
		RootSSHLogin: s.RootSSHLogin,
		X11:          s.X11 != nil && *s.X11,
		Xenodm:       s.Xenodm != nil && *s.Xenodm,
	}
	if b.f != nil && b.pl.Services.X11 && b.f.Graphics == "none" {
		b.warnf("x11 is on, but the dmesg shows no display (graphics: none); the installer will not ask about X")
	}
}

func (b *builder) accounts() {
	a := &b.pl.Accounts
	a.RootPassword = b.p.Root.Hash()
	a.RootKeys = b.p.Root.SSHKeys
	if u := b.p.User; u != nil {
		a.User = u.Login
		a.UserName = u.Name
		if a.UserName == "" {
			a.UserName = u.Login
		}
		a.UserPassword = u.Hash()
		a.UserKeys = u.SSHKeys
	}
	// Can anyone log in to the new system?
	sshd := b.pl.Services.SSHD
	rootPW := a.RootPassword != "*************"
	userPW := a.User != "" && a.UserPassword != "*************"
	rootKeys := sshd && len(a.RootKeys) > 0 && b.pl.Services.RootSSHLogin != "no"
	userKeys := sshd && a.User != "" && len(a.UserKeys) > 0
	if !rootPW && !userPW && !rootKeys && !userKeys {
		b.warnf("nobody can log in to the new system: no password is set and no SSH key can be used (root_ssh_login %s, sshd %s)", b.pl.Services.RootSSHLogin, yesno(sshd))
	}
}

// nicByName finds an interface in the facts.
func (b *builder) nicByName(name string) (hardware.NIC, bool) {
	if b.f == nil {
		return hardware.NIC{}, false
	}
	for _, n := range b.f.NICs {
		if n.Name == name {
			return n, true
		}
	}
	return hardware.NIC{}, false
}

func (b *builder) network() {
	var wired, installer int
	for i, ifc := range b.p.Network.Interfaces {
		path := fmt.Sprintf("network.interfaces[%d]", i)
		driver := strings.TrimRight(ifc.Name, "0123456789")
		pi := Interface{Name: ifc.Name, Driver: driver, IPv4: ifc.IPv4, IPv6: ifc.IPv6}
		for _, w := range ifc.WiFi {
			pi.SSIDs = append(pi.SSIDs, w.SSID)
		}
		pi.Wireless = hardware.IsWireless(driver)
		if b.f != nil {
			nic, ok := b.nicByName(ifc.Name)
			switch {
			case !ok && pi.Wireless:
				// The installer never sees wireless interfaces, so the
				// install goes on; only the hostname.if is useless.
				b.warnf("%s is not in the dmesg (this machine has %s): /etc/hostname.%s will be written, but no interface will use it", ifc.Name, nicList(b.f.NICs), ifc.Name)
				pi.Reason = "not in the dmesg"
				b.pl.Network = append(b.pl.Network, pi)
				continue
			case !ok:
				b.errorf(path+".name", "%s is not in the dmesg; this machine has %s", ifc.Name, nicList(b.f.NICs))
				continue
			}
			pi.MAC = nic.MAC
			pi.Wireless = nic.Wireless
		}
		if pi.Wireless {
			pi.Reason = "wireless: configured after the install, once fw_update has loaded its firmware"
		} else {
			pi.Installer = true
			installer++
			wired++
		}
		b.pl.Network = append(b.pl.Network, pi)
	}
	if installer == 0 && len(b.p.Network.Interfaces) > 0 {
		b.notef("no wired interface is configured: the installer sets up no network; wireless interfaces come up after the first boot")
	}
	if wired == 0 && strings.HasPrefix(b.p.Sets.Source, "http") {
		b.errorf("sets.source", "sets come from %s, but no wired interface is configured for the installer to reach it", b.p.Sets.Source)
	}
}

func nicList(nics []hardware.NIC) string {
	if len(nics) == 0 {
		return "no network interfaces"
	}
	var names []string
	for _, n := range nics {
		names = append(names, n.Name)
	}
	return strings.Join(names, ", ")
}

func (b *builder) sets() {
	s := &b.pl.Sets
	s.Source = b.p.Sets.Source
	if strings.HasPrefix(s.Source, "http") {
		rest := strings.TrimPrefix(strings.TrimPrefix(s.Source, "http://"), "https://")
		host, dir, _ := strings.Cut(rest, "/")
		// With the scheme, the installer uses it as given (install_http:
		// http:// means no TLS, https:// requires it); without, it
		// tries https first and falls back after a timeout.
		s.Server = "http://" + host
		if strings.HasPrefix(s.Source, "https://") {
			s.Server = "https://" + host
		}
		s.Dir = strings.Trim(dir, "/")
		if s.Dir != "" {
			s.Dir += "/"
		}
		s.Dir += b.pl.Release.Version + "/" + b.pl.Arch
	}
	// The installer preselects every set but bsd.mp on uniprocessor
	// machines (install.sub: DEFAULTSETS), then applies the answer to
	// "Set name(s)?" in order.
	all := b.pl.Release.Sets()
	selected := map[string]bool{}
	for _, set := range all {
		selected[set] = set != "bsd.mp" || b.f == nil || b.f.NCPU != 1
	}
	for _, pat := range b.p.Sets.Drop {
		for _, set := range all {
			if globMatch(pat, set) {
				selected[set] = false
			}
		}
	}
	for _, pat := range b.p.Sets.Add {
		for _, set := range all {
			if globMatch(pat, set) {
				selected[set] = true
			}
		}
	}
	for _, set := range all {
		if selected[set] {
			s.Selected = append(s.Selected, set)
		} else if set != "bsd.mp" || b.f == nil || b.f.NCPU != 1 {
			s.Dropped = append(s.Dropped, set)
		}
	}
	s.SiteSet = b.pl.Release.SiteSet(b.pl.Hostname)
	s.Selected = append(s.Selected, s.SiteSet)
	if s.Source != "media" {
		// A public mirror has no site set of ours: the installer gets it
		// in a second pass, from the install media or from fugu serve.
		b.notef("the site set %s is not on %s: the installer takes it in a second pass from the install media or from fugu serve", s.SiteSet, s.Source)
	}
}

// globMatch matches a set name against an installer pattern; select_sets
// uses ksh's [[ $_f == $resp ]], a shell glob.
func globMatch(pat, name string) bool {
	ok, err := path.Match(pat, name)
	return err == nil && ok
}

func (b *builder) steps() {
	pl := b.pl
	add := func(what, why string) { pl.Steps = append(pl.Steps, Step{What: what, Why: why}) }
	if h := pl.Home; h != nil && !h.OnRoot {
		what := fmt.Sprintf("/home on %s: keep the OpenBSD file system it holds (a reinstall), else partition it (whole-disk %s) and newfs; move the new home directories over, fstab by DUID", h.Disk.Name, strings.ToUpper(h.Table))
		if h.Wipe {
			what = fmt.Sprintf("/home on %s: partition it afresh (whole-disk %s, disks.home.wipe), newfs, move /home onto it, fstab by DUID", h.Disk.Name, strings.ToUpper(h.Table))
		}
		add(what, "the installer only lays out the root disk unattended; a second disk would drop into the disklabel editor")
	}
	for _, n := range pl.Network {
		switch {
		case n.Wireless && len(n.SSIDs) > 0:
			add(fmt.Sprintf("write /etc/hostname.%s (mode 0640) joining %s", n.Name, strings.Join(n.SSIDs, ", ")),
				"the installer cannot load wireless firmware")
		case n.Wireless:
			add(fmt.Sprintf("write /etc/hostname.%s (mode 0640), no networks to join yet", n.Name),
				"the installer cannot load wireless firmware")
		}
	}
	if len(pl.Firmware) > 0 {
		add("fw_update on first boot: "+strings.Join(pl.Firmware, ", "), "the installer queues it in /etc/rc.firsttime")
	}
	if len(pl.Packages) > 0 {
		add(fmt.Sprintf("pkg_add %d package%s at first boot: %s", len(pl.Packages), plural(len(pl.Packages)), strings.Join(pl.Packages, " ")), "")
	}
	for _, f := range pl.Files {
		add(fmt.Sprintf("write %s (%s:%s, mode %s)", f.Path, f.Owner, f.Group, f.Mode), "")
	}
	if len(pl.Roles) > 0 {
		add("roles: "+strings.Join(pl.Roles, ", "), "declared; this fugu does not deploy roles yet")
	}
}
