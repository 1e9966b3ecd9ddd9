package plan

import (
	"fmt"
	"strings"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/profiles"
	"github.com/fugu-tool/fugu/release"
)

// StartingProfile writes a profile for the machine a dmesg comes from: its
// first wired interface by DHCP, a disk rule that picks the disk an admin
// would pick (the SSD, else the only or largest disk) and a /home disk when
// there is a second internal one, X when it has a display, a serial console
// when it runs on one. Passwords are left disabled (13 asterisks) for the
// admin to replace with fugu passwd hashes. The result is a valid profile:
// Make accepts it with the same facts.
func StartingProfile(f *hardware.Facts) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Starting profile written by fugu init from %s\n", orUnknown(f.Source))
	w("# (OpenBSD %s %s %s, %s memory). Edit the host name and the\n", f.Release, f.Kernel, f.Arch, profiles.FormatBytes(f.PhysMem))
	w("# passwords, then check it with: fugu plan THIS-FILE --dmesg %s\n", orUnknown(f.Source))
	w("version: 1\n")
	w("hostname: openbsd        # the short name, e.g. puffy\n")
	w("domain: example.org\n")
	w("release: %q\n", release.Newest().Version)
	arch := f.Arch
	switch arch {
	case "amd64", "i386", "arm64":
	default:
		arch = "amd64"
	}
	w("arch: %s\n", arch)
	w("timezone: UTC            # e.g. Europe/Amsterdam\n")
	// The amd64 and i386 installers offer com0 as the console; other
	// consoles (com1, arm64's pluart0) are left to the admin.
	switch {
	case f.Serial && f.Console == "com0" && (arch == "amd64" || arch == "i386"):
		w("console:\n  device: com0\n  speed: 115200\n")
	case f.Serial:
		w("# console: on %s in this dmesg, which the installer does not offer\n", orUnknown(f.Console))
	}

	w("\nnetwork:\n  interfaces:\n")
	wired, wireless := 0, 0
	for _, n := range f.NICs {
		switch {
		case n.Wireless && hardware.IsNetDriver(n.Driver):
			wireless++
			w("    - name: %s                # %s\n      ipv4: autoconf\n      ipv6: autoconf\n", n.Name, wirelessDesc(n))
			w("      wifi: []                # e.g. [{ssid: home, wpakey_file: home.wpakey}]\n")
		case !n.Wireless && hardware.IsNetDriver(n.Driver) && wired == 0:
			wired++
			w("    - name: %s                # %s\n      ipv4: autoconf\n      ipv6: autoconf\n", n.Name, orUnknown(n.Desc))
		case !n.Wireless:
			w("    # - name: %s              # %s\n", n.Name, orUnknown(n.Desc))
		}
	}
	if wired == 0 && wireless == 0 {
		b.WriteString("    []\n")
	}

	w("\nroot:\n  password: \"*************\"   # no password: replace with the output of fugu passwd\n")
	w("\nservices:\n  sshd: true\n  root_ssh_login: \"no\"\n")
	// X only with a DRM driver (or its firmware seen): a console
	// framebuffer alone is a server's or a VM's VGA.
	x := drm[f.Graphics]
	for _, fw := range f.Firmware {
		x = x || drm[fw]
	}
	w("  x11: %t\n  xenodm: %t\n", x, x)

	table := "gpt"
	if arch != "amd64" {
		table = "mbr"
	}
	root, home := initDisks(f)
	if root == "" {
		root = "sd0"
		for _, d := range f.Disks {
			if !d.Softraid && d.Bytes() > 0 {
				root = d.Name
				break
			}
		}
		w("\n# The dmesg shows no internal disk; %s may be a USB disk or removable\n# medium: make sure it is the one to install on.\n", root)
	}
	w("\ndisks:\n  root:\n    disk: %s\n    table: %s\n    layout: auto\n", root, table)
	if home != "" {
		w("  home:\n    disk: %s\n    table: gpt\n", home)
	}
	w("\nsets:\n  source: media\n")
	return b.String()
}

// drm are the kernel display drivers X runs on.
var drm = map[string]bool{"inteldrm": true, "amdgpu": true, "radeondrm": true, "rkdrm": true, "apldrm": true}

// initDisks picks disk rules for a starting profile: the first rule of
// ssd, nvme, smallest, largest that matches exactly one disk (else the first
// usable disk by name), and for /home a second internal disk (the hard disk,
// else the largest other one): on a server with two disks the system goes on
// the smaller and /home gets the larger.
func initDisks(f *hardware.Facts) (root, home string) {
	probe := func(rule string, exclude *hardware.Disk) (*DiskChoice, bool) {
		b := &builder{p: dummyProfile(), f: f, pl: &Plan{}}
		b.media()
		c, ok := b.choose("disks.root.disk", rule, "root", exclude)
		return c, ok && len(b.errs) == 0
	}
	var rootDisk *hardware.Disk
	rules := []string{"ssd", "nvme", "smallest", "largest"}
	if eligibleCount(f) == 1 {
		rules = []string{"ssd", "nvme", "largest"}
	}
	for _, rule := range rules {
		if c, ok := probe(rule, nil); ok {
			root, rootDisk = rule, &c.Disk
			break
		}
	}
	if rootDisk == nil {
		b := &builder{p: dummyProfile(), f: f, pl: &Plan{}}
		b.media()
		for i := range f.Disks {
			if ok, _ := b.eligible(f.Disks[i]); ok {
				root, rootDisk = f.Disks[i].Name, &f.Disks[i]
				break
			}
		}
	}
	if rootDisk == nil {
		return "", ""
	}
	for _, rule := range []string{"hdd", "largest"} {
		if c, ok := probe(rule, rootDisk); ok && !c.OnRoot {
			return root, rule
		}
	}
	return root, ""
}

func dummyProfile() *profiles.Profile { return &profiles.Profile{} }

// eligibleCount is how many disks a rule could pick.
func eligibleCount(f *hardware.Facts) int {
	b := &builder{p: dummyProfile(), f: f, pl: &Plan{}}
	b.media()
	n := 0
	for _, d := range f.Disks {
		if ok, _ := b.eligible(d); ok {
			n++
		}
	}
	return n
}

func wirelessDesc(n hardware.NIC) string {
	if n.Desc != "" {
		return n.Desc + "; joined after the install"
	}
	return "wireless; joined after the install"
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
