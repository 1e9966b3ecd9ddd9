package site

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/hardware"
	goldenfile "github.com/fugu-tool/fugu/internal/golden"
	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/profiles"
	"github.com/fugu-tool/fugu/release"
)

func mustRelease(t testing.TB, v string) release.Release {
	t.Helper()
	r, err := release.Lookup(v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fakeFirmware stands for an fw_update package; its bytes only need to
// travel through the set unchanged.
var fakeFirmware = Firmware{Name: "iwm-firmware-20240410.tgz", Data: []byte("\x1f\x8b not really firmware\n")}

// laptopPlan is a plan as plan.Make builds it for a laptop with an SSD
// (sd0), a hard disk for /home (sd1), wired re0 and wireless iwm0.
func laptopPlan(t testing.TB) *plan.Plan {
	prof := &profiles.Profile{Hostname: "puffy", Release: "7.9"}
	prof.Network.Interfaces = []profiles.Interface{
		{Name: "re0", IPv4: "autoconf", IPv6: "autoconf"},
		{Name: "iwm0", IPv4: "autoconf", IPv6: "autoconf", WiFi: []profiles.WiFi{
			{SSID: "home", WPAKey: "example wifi passphrase"},
			{SSID: `Café "Zum Löwen" $HOME`, WPAKeyFile: "secrets/cafe.key"},
			{SSID: "two  spaces", WPAKey: "two  spaces  key"},
		}},
	}
	return &plan.Plan{
		Profile:  prof,
		Hostname: "puffy",
		Domain:   "example.org",
		Release:  mustRelease(t, "7.9"),
		Arch:     "amd64",
		Root:     &plan.DiskChoice{Rule: "ssd", Table: "gpt", Disk: hardware.Disk{Name: "sd0", Vendor: "NVMe", Model: "Samsung SSD 970", Sectors: 976773168}},
		Home:     &plan.DiskChoice{Rule: "hdd", Table: "gpt", Disk: hardware.Disk{Name: "sd1", Vendor: "ATA", Model: "WDC WD20EZRZ-00Z", Sectors: 3907029168}},
		Network: []plan.Interface{
			{Name: "re0", Driver: "re", IPv4: "autoconf", IPv6: "autoconf", Installer: true},
			{Name: "iwm0", Driver: "iwm", Wireless: true, IPv4: "autoconf", IPv6: "autoconf", SSIDs: []string{"home", `Café "Zum Löwen" $HOME`, "two  spaces"}},
		},
		Accounts: plan.Accounts{
			RootKeys: []string{"ssh-ed25519 AAAA...root1 admin@workstation", "ssh-ed25519 AAAA...root2 backup@vault"},
			User:     "puffy",
			UserKeys: []string{"ssh-ed25519 AAAA...puffy1 puffy@oldlaptop", "ssh-ed25519 AAAA...puffy2 puffy@phone", "ssh-rsa AAAA...puffy3 puffy@desktop"},
		},
		Packages: []string{"firefox", "git", "rsync--", "vim--gtk3"},
		Firmware: []string{"iwm"},
		Files: []plan.File{
			{Path: "/etc/doas.conf", Mode: "0600", Owner: "root", Group: "wheel", Content: "permit persist :wheel\n"},
			{Path: "/home/puffy/.xsession", Mode: "0644", Owner: "puffy", Group: "puffy", Source: "dotfiles/xsession"},
		},
	}
}

// laptopFiles are the files laptopPlan's profile refers to.
var laptopFiles = map[string]string{
	"secrets/cafe.key":  "  coffee \\ cake & 'pie'  \nsecond line is ignored\n",
	"dotfiles/xsession": "exec cwm\n",
}

func readFrom(files map[string]string) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
}

func laptopOptions() Options {
	return Options{
		ReadFile:    readFrom(laptopFiles),
		RCConfLocal: []string{"apmd_flags=-A", "xenodm_flags="},
		Firmware:    []Firmware{fakeFirmware},
	}
}

// firewallPlan has no /home disk, no wireless and one package.
func firewallPlan(t testing.TB) *plan.Plan {
	return &plan.Plan{
		Profile:  &profiles.Profile{Hostname: "gw", Release: "7.9"},
		Hostname: "gw",
		Domain:   "example.org",
		Release:  mustRelease(t, "7.9"),
		Arch:     "amd64",
		Root:     &plan.DiskChoice{Rule: "ssd", Table: "mbr", Disk: hardware.Disk{Name: "sd0"}},
		Network:  []plan.Interface{{Name: "em0", IPv4: "198.51.100.2/29", Installer: true}},
		Packages: []string{"iperf3"},
	}
}

// oldPlan installs 6.3: no join lines, dhclient's "dhcp", an MBR /home
// disk on wd1.
func oldPlan(t testing.TB) *plan.Plan {
	prof := &profiles.Profile{Hostname: "oldie", Release: "6.3"}
	prof.Network.Interfaces = []profiles.Interface{{Name: "athn0", IPv4: "dhcp", WiFi: []profiles.WiFi{
		{SSID: "first", WPAKey: "first passphrase"}, {SSID: "second", WPAKey: "second passphrase"},
	}}}
	return &plan.Plan{
		Profile:  prof,
		Hostname: "oldie",
		Release:  mustRelease(t, "6.3"),
		Arch:     "i386",
		Root:     &plan.DiskChoice{Rule: "wd0", Table: "mbr", Disk: hardware.Disk{Name: "wd0"}},
		Home:     &plan.DiskChoice{Rule: "wd1", Table: "mbr", Disk: hardware.Disk{Name: "wd1", Model: "ST3500418AS"}},
		Network:  []plan.Interface{{Name: "athn0", Wireless: true, IPv4: "autoconf", IPv6: "none", SSIDs: []string{"first", "second"}}},
	}
}

// golden compares got with testdata/site/golden/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("..", "testdata", "site", "golden", name), got)
}

// manifest describes a set's entries and the contents of its data files,
// for golden files.
func manifest(s *Set) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "set %s, mtime %s\n", s.Name, s.ModTime.Format(time.RFC3339))
	for _, w := range s.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	for _, e := range s.Entries {
		fmt.Fprintf(&b, "%04o %d/%d %s/%s %6d %s\n", e.Mode, e.Uid, e.Gid, e.Uname, e.Gname, len(e.Data), e.Name)
	}
	for _, e := range s.Entries {
		if e.Dir() || e.Name == "install.site" {
			continue
		}
		fmt.Fprintf(&b, "\n==> %s\n", e.Name)
		if strings.HasPrefix(e.Name, "var/fugu/firmware/") {
			fmt.Fprintf(&b, "sha256 %x\n", sha256.Sum256(e.Data))
			continue
		}
		b.Write(e.Data)
	}
	return b.Bytes()
}

func TestBuildGolden(t *testing.T) {
	generic := laptopOptions()
	generic.Generic = true
	tests := []struct {
		name string
		plan *plan.Plan
		opts Options
		set  string
	}{
		{"laptop", laptopPlan(t), laptopOptions(), "site79-puffy.tgz"},
		{"firewall", firewallPlan(t), Options{}, "site79-gw.tgz"},
		{"old-6.3", oldPlan(t), Options{}, "site63-oldie.tgz"},
		{"laptop-generic", laptopPlan(t), generic, "site79.tgz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Build(tt.plan, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != tt.set {
				t.Errorf("set name %q, want %q", s.Name, tt.set)
			}
			golden(t, tt.name+".install.site", s.Script())
			golden(t, tt.name+".manifest", manifest(s))
		})
	}
}

// TestLaptopSet checks the laptop set's parts by value, independently of
// the golden files.
func TestLaptopSet(t *testing.T) {
	s, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC); !s.ModTime.Equal(want) {
		t.Errorf("mtime %v, want the release month %v", s.ModTime, want)
	}
	var names []string
	data := map[string]Entry{}
	for _, e := range s.Entries {
		names = append(names, e.Name)
		data[e.Name] = e
		if e.Uid != 0 || e.Gid != 0 || e.Uname != "root" || e.Gname != "wheel" {
			t.Errorf("%s owned by %d/%d %s/%s", e.Name, e.Uid, e.Gid, e.Uname, e.Gname)
		}
	}
	wantNames := []string{
		"install.site",
		"var/fugu/",
		"var/fugu/files/",
		"var/fugu/files/etc/",
		"var/fugu/files/etc/doas.conf",
		"var/fugu/files/etc/hostname.iwm0",
		"var/fugu/files/etc/myname",
		"var/fugu/files/home/",
		"var/fugu/files/home/puffy/",
		"var/fugu/files/home/puffy/.xsession",
		"var/fugu/firmware/",
		"var/fugu/firmware/iwm-firmware-20240410.tgz",
		"var/fugu/home.template",
		"var/fugu/keys.puffy",
		"var/fugu/keys.root",
		"var/fugu/packages",
		"var/fugu/rc.conf.local",
		"var/fugu/rc.firsttime",
	}
	if strings.Join(names, "\n") != strings.Join(wantNames, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(wantNames, "\n"))
	}
	modes := map[string]uint32{"install.site": 0o755, "var/fugu/": 0o700, "var/fugu/files/etc/hostname.iwm0": 0o600, "var/fugu/packages": 0o644}
	for n, m := range modes {
		if data[n].Mode != m {
			t.Errorf("%s mode %04o, want %04o", n, data[n].Mode, m)
		}
	}
	// The cafe key file's first line, trimmed, is the passphrase; it and
	// its SSID are single-quoted, their backslashes doubled for read. Two
	// spaces in a row survive neither: the SSID goes in hex, the key as
	// its PSK.
	hn := string(data["var/fugu/files/etc/hostname.iwm0"].Data)
	spacesPSK := fmt.Sprintf("%x", PSK("two  spaces  key", "two  spaces"))
	wantHN := "join home wpakey 'example wifi passphrase'\n" +
		`join 'Café "Zum Löwen" $HOME' wpakey 'coffee \\ cake & '\\''pie'\\'''` + "\n" +
		"join 0x74776f2020737061636573 wpakey 0x" + spacesPSK + "\n" +
		"inet autoconf\ninet6 autoconf\n"
	if hn != wantHN {
		t.Errorf("hostname.iwm0:\n%s\nwant:\n%s", hn, wantHN)
	}
	if got := string(data["var/fugu/keys.root"].Data); got != "ssh-ed25519 AAAA...root2 backup@vault\n" {
		t.Errorf("root's extra keys %q", got)
	}
	if got := string(data["var/fugu/keys.puffy"].Data); got != "ssh-ed25519 AAAA...puffy2 puffy@phone\nssh-rsa AAAA...puffy3 puffy@desktop\n" {
		t.Errorf("puffy's extra keys %q", got)
	}
	if got := string(data["var/fugu/files/etc/myname"].Data); got != "puffy.example.org\n" {
		t.Errorf("myname %q", got)
	}
	if got := string(data["var/fugu/packages"].Data); got != "firefox\ngit\nrsync--\nvim--gtk3\n" {
		t.Errorf("packages %q", got)
	}
	if got := string(data["var/fugu/files/home/puffy/.xsession"].Data); got != "exec cwm\n" {
		t.Errorf(".xsession %q", got)
	}
	if !bytes.Equal(data["var/fugu/firmware/iwm-firmware-20240410.tgz"].Data, fakeFirmware.Data) {
		t.Errorf("firmware bytes changed in the set")
	}
	script := string(s.Script())
	for _, line := range []string{
		"home_disk sd1 gpt 3907029168 keep\n",
		"put_file /etc/hostname.iwm0 root wheel 0640\n",
		"put_doas /etc/doas.conf root wheel 0600\n",
		"put_file /home/puffy/.xsession puffy puffy 0644\n",
		"put_file /etc/myname root wheel 0644\n",
		"add_keys /root/.ssh/authorized_keys root wheel keys.root\n",
		"add_keys /home/puffy/.ssh/authorized_keys puffy puffy keys.puffy\n",
		"add_lines /etc/rc.conf.local rc.conf.local root wheel 0644\n",
		"firmware iwm-firmware-20240410.tgz\n",
		"first_boot\n",
	} {
		if !strings.Contains(script, "\n"+line) {
			t.Errorf("install.site lacks the line %q", line)
		}
	}
	// Order: /home first (files for /home land on the new disk), the
	// first boot last.
	if i, j := strings.Index(script, "\nhome_disk "), strings.Index(script, "\nput_file /home/puffy"); i < 0 || j < i {
		t.Errorf("home_disk must come before the files")
	}
	// No secret in the script itself.
	for _, secret := range []string{"example wifi passphrase", "coffee", "spaces  key", spacesPSK} {
		if strings.Contains(script, secret) {
			t.Errorf("install.site contains the secret %q", secret)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *plan.Plan, o *Options)
		want string
	}{
		{"unresolved home", func(p *plan.Plan, o *Options) { p.Home.Disk = hardware.Disk{} },
			`the /home disk (rule hdd) is not resolved: plan with the machine's dmesg`},
		{"home is root", func(p *plan.Plan, o *Options) { p.Home.Disk.Name = "sd0" },
			"the /home disk sd0 is the root disk"},
		{"odd table", func(p *plan.Plan, o *Options) { p.Home.Table = "apm" },
			`/home disk sd1: partition table "apm" is not gpt or mbr`},
		{"missing key file", func(p *plan.Plan, o *Options) { o.ReadFile = readFrom(nil) },
			"network.interfaces[1].wifi[1].wpakey_file: open secrets/cafe.key: file does not exist"},
		{"short key", func(p *plan.Plan, o *Options) { p.Profile.Network.Interfaces[1].WiFi[0].WPAKey = "short" },
			`iwm0: network "home": a WPA passphrase is 8 to 63 characters, this one is 5`},
		{"long ssid", func(p *plan.Plan, o *Options) {
			p.Profile.Network.Interfaces[1].WiFi[0].SSID = strings.Repeat("x", 33)
		}, "iwm0: SSID \"" + strings.Repeat("x", 33) + "\" is 33 bytes; at most 32"},
		{"no profile", func(p *plan.Plan, o *Options) { p.Profile = nil },
			"iwm0: the plan has no profile to take the WPA keys from"},
		{"file twice", func(p *plan.Plan, o *Options) {
			o.Files = []File{{Path: "/etc/doas.conf", Mode: 0o600, Owner: "root", Group: "wheel"}}
		}, "a role: /etc/doas.conf is also written by files[0]"},
		{"file over hostname.if", func(p *plan.Plan, o *Options) {
			p.Files = append(p.Files, plan.File{Path: "/etc/hostname.iwm0", Content: "x"})
		}, "files[2]: /etc/hostname.iwm0 is also written by the wifi networks of iwm0"},
		{"file in carry dir", func(p *plan.Plan, o *Options) {
			o.Files = []File{{Path: "/var/fugu/x", Mode: 0o600, Owner: "root", Group: "wheel"}}
		}, "a role: /var/fugu/x is where the site set carries its own files"},
		{"unclean path", func(p *plan.Plan, o *Options) {
			o.Files = []File{{Path: "/etc/../x", Mode: 0o600, Owner: "root", Group: "wheel"}}
		}, `a role: "/etc/../x" is not a clean absolute path`},
		{"key with a line break", func(p *plan.Plan, o *Options) { p.Accounts.UserKeys[2] += "\nssh-rsa x" },
			"an ssh key of puffy is empty or has a line break"},
		{"myname twice", func(p *plan.Plan, o *Options) {
			p.Files = append(p.Files, plan.File{Path: "/etc/myname", Content: "puffy.example.net\n"})
		}, ""},
		{"bad owner", func(p *plan.Plan, o *Options) {
			o.Files = []File{{Path: "/etc/x", Mode: 0o600, Owner: "root; reboot", Group: "wheel"}}
		}, `a role: "root; reboot" is not a user name`},
		{"missing source", func(p *plan.Plan, o *Options) { delete(laptopFilesCopy(o), "dotfiles/xsession") },
			"files[1].source: open dotfiles/xsession: file does not exist"},
		{"bad rc line", func(p *plan.Plan, o *Options) { o.RCConfLocal = []string{"pkg_scripts=a\nreboot"} },
			`rc.conf.local line "pkg_scripts=a\nreboot" is not one name=value line`},
		{"package with blank", func(p *plan.Plan, o *Options) { p.Packages = []string{"vim gtk3"} },
			`package name "vim gtk3" is empty or has blanks`},
		{"firmware name", func(p *plan.Plan, o *Options) { o.Firmware = []Firmware{{Name: "../x.tgz"}} },
			`firmware "../x.tgz" is not named <driver>-firmware-<version>.tgz`},
		{"firmware too old", func(p *plan.Plan, o *Options) { p.Release = mustRelease(t, "6.9") },
			"bundled firmware needs fw_update with firmware files as arguments (OpenBSD 7.0 and newer); this is 6.9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, o := laptopPlan(t), laptopOptions()
			tt.edit(p, &o)
			s, err := Build(p, o)
			if tt.want == "" {
				// The profile's /etc/myname wins over the domain's.
				if err != nil || string(entryData(s, "var/fugu/files/etc/myname")) != "puffy.example.net\n" {
					t.Errorf("err %v, myname %q", err, entryData(s, "var/fugu/files/etc/myname"))
				}
				return
			}
			want := "site set for puffy: " + tt.want
			if err == nil || err.Error() != want {
				t.Errorf("error %v\nwant      %s", err, want)
			}
		})
	}
}

// laptopFilesCopy gives the options a private copy of laptopFiles that
// the caller may change.
func laptopFilesCopy(o *Options) map[string]string {
	m := map[string]string{}
	for k, v := range laptopFiles {
		m[k] = v
	}
	o.ReadFile = readFrom(m)
	return m
}

func TestOldReleaseWarns(t *testing.T) {
	s, err := Build(oldPlan(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`athn0: OpenBSD 6.3 has no hostname.if join lines (from 6.4): only the first network, "first", is configured`}
	if strings.Join(s.Warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", s.Warnings, want)
	}
}

func TestReproducible(t *testing.T) {
	a, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	ab, err := a.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// A second build, later, from fresh values: the same bytes.
	time.Sleep(1100 * time.Millisecond)
	b, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	bb, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ab, bb) {
		t.Fatal("two builds of one plan differ")
	}
	// Another mtime changes the bytes, and only through the headers.
	o := laptopOptions()
	o.ModTime = time.Date(2026, 6, 2, 3, 4, 5, 0, time.FixedZone("CEST", 2*3600))
	c, err := Build(laptopPlan(t), o)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(ab, cb) {
		t.Fatal("the mtime option changed nothing")
	}
	checkArchive(t, ab, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	checkArchive(t, cb, time.Date(2026, 6, 2, 1, 4, 5, 0, time.UTC))
}

// checkArchive reads the archive back: a plain gzip header, ustar headers
// only, every mtime the one given, no host data.
func checkArchive(t *testing.T, data []byte, mtime time.Time) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || zr.Comment != "" || !zr.ModTime.IsZero() || zr.OS != 255 || len(zr.Extra) != 0 {
		t.Errorf("gzip header carries name %q comment %q time %v OS %d extra %q", zr.Name, zr.Comment, zr.ModTime, zr.OS, zr.Extra)
	}
	tr := tar.NewReader(zr)
	n := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if h.Format != tar.FormatUSTAR {
			t.Errorf("%s: format %v, want ustar", h.Name, h.Format)
		}
		if !h.ModTime.Equal(mtime) {
			t.Errorf("%s: mtime %v, want %v", h.Name, h.ModTime, mtime)
		}
		if len(h.PAXRecords) > 0 || h.Devmajor != 0 || h.Devminor != 0 {
			t.Errorf("%s: extra header data %v %d %d", h.Name, h.PAXRecords, h.Devmajor, h.Devminor)
		}
	}
	if n != 18 {
		t.Errorf("%d entries, want 18", n)
	}
}
