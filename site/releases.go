package site

import "github.com/fugu-tool/fugu/release"

// feature is something the new system's base tools do from some release
// on. The per-release differences the site set cares about live in this
// table, not in conditionals spread over the package.
type feature int

const (
	// join: hostname.if(5) "join <nwid> wpakey <key>" lines, several per
	// file (ifconfig(8) join, added in 2018 for 6.4; before it one
	// "nwid"/"wpakey" pair per interface: facts 11.2; sha256.net,
	// "Dynamic host configuration, please", which dates join to the 2018
	// hackathon. Exact first release UNVERIFIED, 6.4 believed).
	featJoin feature = iota
	// inetAutoconf: "inet autoconf" starts dhcpleased(8), which first
	// appeared in 6.9 (dhcpleased(8) HISTORY). Before it "dhcp" ran
	// dhclient(8) (etc/netstart 1.180, 2017, and 1.202, 2020); netstart
	// 1.229 (2022) still accepts "dhcp" and maps it to inet autoconf.
	featInetAutoconf
	// firmwareFiles: fw_update(8) takes firmware .tgz files as arguments,
	// the way install.sub 1.1288 (install_sets) installs firmware found
	// next to the sets. The shell fw_update that does this replaced the perl
	// one in 7.0 (fw_update.8 AUTHORS: "rewritten to be able to be run from
	// the installer"); the exact release is UNVERIFIED.
	featFirmwareFiles
)

var features = []struct {
	feature feature
	name    string
	from    string // first release that has it
}{
	{featJoin, "hostname.if join lines", "6.4"},
	{featInetAutoconf, "inet autoconf in hostname.if", "6.9"},
	{featFirmwareFiles, "fw_update with firmware files as arguments", "7.0"},
}

// has reports whether release r has feature f.
func has(r release.Release, f feature) bool {
	for _, x := range features {
		if x.feature == f {
			return r.AtLeast(x.from)
		}
	}
	panic("BUG: feature missing from the table")
}

// since names a feature and its first release, for messages.
func since(f feature) (name, from string) {
	for _, x := range features {
		if x.feature == f {
			return x.name, x.from
		}
	}
	panic("BUG: feature missing from the table")
}
