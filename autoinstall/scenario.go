package autoinstall

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/fugu-tool/fugu/release"
)

// Scenario is what the installer will see on one machine: the facts its
// questions and defaults depend on, and the assumptions about what happens
// outside the dialogue (leases, downloads).
type Scenario struct {
	Release string `json:"release"` // "7.9"
	Arch    string `json:"arch"`    // "amd64"

	// SerialConsole: the installer runs on a serial console (the ramdisk
	// kernel printed "com0: console"), so it asks for the terminal type
	// instead of the keyboard layout.
	SerialConsole bool `json:"serial_console"`
	// ConsoleSpeed is the serial console's speed (stty speed), the
	// default of "Which speed should com0 use?"; 0 when not serial.
	ConsoleSpeed int `json:"console_speed,omitempty"`
	// ComPorts are the com(4) ports that attached, in dmesg order;
	// md_consoleinfo offers the console one, else the first.
	ComPorts []string `json:"com_ports,omitempty"`
	// Display: a wsdisplay attached. ApertureNeeded: the ramdisk kernel
	// printed "<dev>0: aperture needed" (vga_pci, RAMDISK_HOOKS; devices
	// without a DRM driver), which brings the X question.
	Display        bool `json:"display"`
	ApertureNeeded bool `json:"aperture_needed"`

	// Hostname is the hostname known before the questions (the DHCP
	// host-name option when the response file came over the network).
	Hostname string `json:"hostname,omitempty"`

	Interfaces []Interface `json:"interfaces,omitempty"` // in ifconfig order
	Netboot    string      `json:"netboot,omitempty"`    // the interface the machine netbooted from
	DHCP       DHCPLease   `json:"dhcp"`                 // what every DHCP request gets

	Disks []Disk   `json:"disks"`         // sd and wd disks
	CDs   []string `json:"cds,omitempty"` // cd drives
	// Media is the disk holding the install media ("" for a CD or netboot);
	// MediaPartitions are its partitions with a file system, as
	// mount_mnt2 lists them (an install image: a, the sets; i, EFI).
	Media           string   `json:"media,omitempty"`
	MediaPartitions []string `json:"media_partitions,omitempty"`
	// PreferGPT: MDEFI is set, GPT is the fdisk default and choosing it
	// brings no "may not boot" question (see Behaviour.GPTDefault).
	PreferGPT bool `json:"prefer_gpt"`
	NCPU      int  `json:"ncpu"`
	// Softraid: a softraid volume is already assembled (no encryption
	// question then).
	Softraid bool `json:"softraid,omitempty"`

	// MirrorList: ftplist.cgi answered, giving the mirror list (and the
	// "list#" form of the HTTP Server question); MirrorDefault is the
	// server it suggests; TimezoneHint the zone it suggests, which moves
	// the timezone question before the disks and gives it a default.
	MirrorList    bool   `json:"mirror_list,omitempty"`
	MirrorDefault string `json:"mirror_default,omitempty"`
	TimezoneHint  string `json:"timezone_hint,omitempty"`

	// MediaSets is the set directory on the install media (disk or CD),
	// nil when it has none. Servers holds what named HTTP servers offer
	// (keyed by the host as answered, lower case, without scheme);
	// HTTPSets what any other server offers, nil when none is reachable.
	MediaSets *SetDir            `json:"media_sets,omitempty"`
	Servers   map[string]*SetDir `json:"servers,omitempty"`
	HTTPSets  *SetDir            `json:"http_sets,omitempty"`
	// HTTPSFails: https connections fail (6.1 then asks whether to use
	// http).
	HTTPSFails bool `json:"https_fails,omitempty"`
}

// Interface is a network interface the installer lists.
type Interface struct {
	Name     string `json:"name"`
	MAC      string `json:"mac,omitempty"`
	Wireless bool   `json:"wireless,omitempty"`
	NoWEP    bool   `json:"no_wep,omitempty"` // the driver refuses -nwkey
	NoWPA    bool   `json:"no_wpa,omitempty"` // the driver refuses -wpa
}

// DHCPLease is what the DHCP server hands out.
type DHCPLease struct {
	Fails  bool   `json:"fails,omitempty"`  // no lease arrives
	Router bool   `json:"router"`           // a default route
	DNS    bool   `json:"dns"`              // nameservers
	Domain string `json:"domain,omitempty"` // the domain-name option
	// RA: IPv6 router advertisements arrive, so an interface on IPv6
	// autoconf gets a default route (1.1013 then skips "IPv6 default
	// router?").
	RA bool `json:"ra,omitempty"`
}

// Disk is a disk the installer lists.
type Disk struct {
	Name  string `json:"name"`
	Bytes int64  `json:"bytes"`
	// OpenBSDArea: the disk has an MBR or GPT with an OpenBSD partition,
	// which adds "(O)penBSD area" to the fdisk question; GPT and EFISys
	// describe that table.
	OpenBSDArea bool `json:"openbsd_area,omitempty"`
	GPT         bool `json:"gpt,omitempty"`
	EFISys      bool `json:"efisys,omitempty"`
	// RAIDParts are its RAID partitions (for a key disk).
	RAIDParts []string `json:"raid_parts,omitempty"`
	// SoftraidChunk: a chunk of an assembled softraid volume.
	SoftraidChunk bool `json:"softraid_chunk,omitempty"`
}

// SetDir is a directory of sets.
type SetDir struct {
	Path  string   `json:"path"`  // "7.9/amd64" on media, "pub/OpenBSD/7.9/amd64" on a server
	Files []string `json:"files"` // the files in it
	// Signed: SHA256.sig is there and verifies; then every file but the
	// site sets is in SHA256.
	Signed bool `json:"signed"`
}

func (d *SetDir) has(name string) bool {
	for _, f := range d.Files {
		if f == name {
			return true
		}
	}
	return false
}

// verified reports whether a set's checksum is in the signed SHA256: the
// release's files are, site sets never are.
func (d *SetDir) verified(name string) bool {
	return d.Signed && !strings.HasPrefix(name, "site")
}

// ReleaseSets returns a set directory with a release's sets for an arch,
// as an install image or a mirror has them, plus extra files (site sets).
func ReleaseSets(version, arch, path string, signed bool, extra ...string) *SetDir {
	r := release.Release{Version: version}
	files := append([]string{"BUILDINFO", "INSTALL." + arch, "SHA256"}, r.Sets()...)
	if signed {
		files = append(files, "SHA256.sig")
	}
	files = append(files, extra...)
	sort.Strings(files)
	return &SetDir{Path: path, Files: files, Signed: signed}
}

// NewScenario returns the machine lint assumes when it knows nothing else:
// amd64, a display that needs the X aperture (a VM's standard VGA), com0, one wired interface
// em0 that gets a DHCP lease with router and nameservers, a 64 GB disk
// sd0, the install image on sd1 (partitions a and i) with the release's
// sets, a mirror reachable over HTTP whose ftplist.cgi guesses the zone UTC
// (so the timezone question comes early, with that default), two CPUs.
func NewScenario(version string) (Scenario, error) {
	cat, _, err := CatalogueFor(version)
	if err != nil {
		return Scenario{}, err
	}
	sc := Scenario{
		Release:         version,
		Arch:            "amd64",
		ComPorts:        []string{"com0"},
		Display:         true,
		ApertureNeeded:  true,
		Interfaces:      []Interface{{Name: "em0", MAC: "00:00:5e:00:53:01"}},
		DHCP:            DHCPLease{Router: true, DNS: true},
		Disks:           []Disk{{Name: "sd0", Bytes: 64 << 30}, {Name: "sd1", Bytes: 1 << 30}},
		Media:           "sd1",
		MediaPartitions: []string{"a", "i"},
		NCPU:            2,
		MirrorList:      true,
		MirrorDefault:   "cdn.openbsd.org",
		TimezoneHint:    "UTC",
	}
	sc.MediaSets = ReleaseSets(version, sc.Arch, version+"/"+sc.Arch, cat.Behaviour.MediaSigned)
	sc.HTTPSets = ReleaseSets(version, sc.Arch, "pub/OpenBSD/"+version+"/"+sc.Arch, true)
	return sc, nil
}

// check rejects scenarios the simulator cannot run.
func (sc *Scenario) check() error {
	if sc.Arch != "amd64" {
		return fmt.Errorf("autoinstall: no catalogue for %s: the machine-dependent questions are known for amd64 only", sc.Arch)
	}
	seen := map[string]bool{}
	for _, d := range sc.Disks {
		if seen[d.Name] {
			return fmt.Errorf("autoinstall: scenario lists disk %s twice", d.Name)
		}
		seen[d.Name] = true
	}
	return nil
}

// server returns what an HTTP server offers.
func (sc *Scenario) server(host string) *SetDir {
	if d, ok := sc.Servers[strings.ToLower(host)]; ok {
		return d
	}
	return sc.HTTPSets
}

func (sc *Scenario) disk(name string) *Disk {
	for i := range sc.Disks {
		if sc.Disks[i].Name == name {
			return &sc.Disks[i]
		}
	}
	return nil
}

func (sc *Scenario) iface(name string) *Interface {
	for i := range sc.Interfaces {
		if sc.Interfaces[i].Name == name {
			return &sc.Interfaces[i]
		}
	}
	return nil
}

// diskNames returns the disks sorted as bsort sorts them (string order).
func (sc *Scenario) diskNames() []string {
	var out []string
	for _, d := range sc.Disks {
		out = append(out, d.Name)
	}
	sort.Strings(out)
	return out
}

// Summary describes the scenario in one line for reports.
func (sc *Scenario) Summary() string {
	var b []string
	b = append(b, "OpenBSD "+sc.Release+"/"+sc.Arch)
	if sc.SerialConsole {
		b = append(b, "serial console")
	}
	var ifs []string
	for _, i := range sc.Interfaces {
		s := i.Name
		if i.Wireless {
			s += " (wireless)"
		}
		ifs = append(ifs, s)
	}
	if len(ifs) == 0 {
		ifs = []string{"none"}
	}
	b = append(b, "interfaces "+strings.Join(ifs, " "))
	var ds []string
	for _, d := range sc.Disks {
		s := d.Name
		if d.Name == sc.Media {
			s += " (install media)"
		}
		ds = append(ds, s)
	}
	b = append(b, "disks "+strings.Join(ds, " "))
	if len(sc.CDs) > 0 {
		b = append(b, "cds "+strings.Join(sc.CDs, " "))
	}
	if sc.PreferGPT {
		b = append(b, "GPT preferred")
	}
	return strings.Join(b, "; ")
}

var (
	diskNameRE  = regexp.MustCompile(`^(sd|wd)[0-9]+$`)
	ifaceNameRE = regexp.MustCompile(`^[a-z]+[0-9]+$`)
	ifaceKeyRE  = regexp.MustCompile(`(?i)^(?:ipv4 address|ipv6 address|netmask|ipv6 prefix length|symbolic \(host\) name) for ([a-z]+[0-9]+)$`)
)

// ScenarioForFile is NewScenario adapted to the names a response file
// uses, for linting a file without a plan: the disks it names as root
// disk, install media or disk to initialize exist (the install media is
// the one it names, else a disk it does not use as root); the interfaces
// it configures exist (else em0); a CD drive holds the install media when
// it takes its sets from cd0; the installer runs on a serial console when
// it answers the terminal question.
func ScenarioForFile(version string, r *Response) (Scenario, error) {
	sc, err := NewScenario(version)
	if err != nil {
		return sc, err
	}
	answers := func(id QID, kv ...string) []string {
		var out []string
		for _, l := range r.Answers() {
			for _, c := range catalogues {
				if c.Q(id) != nil && Match(l.Key, c.Text(id, kv...)) {
					out = append(out, l.Value)
					break
				}
			}
		}
		return out
	}
	disks := map[string]bool{}
	var root, media string
	for _, v := range answers(QRootDisk) {
		if diskNameRE.MatchString(v) && root == "" {
			root, disks[v] = v, true
		}
	}
	for _, v := range answers(QMediaDisk, "mode", "install") {
		if diskNameRE.MatchString(v) && media == "" {
			media, disks[v] = v, true
		}
	}
	for _, v := range answers(QInitDisk) {
		if diskNameRE.MatchString(v) {
			disks[v] = true
		}
	}
	if media == "" {
		for _, n := range []string{"sd1", "sd2", "sd3"} {
			if n != root && !disks[n] {
				media = n
				break
			}
		}
	}
	sc.Disks = []Disk{{Name: "sd0", Bytes: 64 << 30}}
	for n := range disks {
		if n != "sd0" {
			sc.Disks = append(sc.Disks, Disk{Name: n, Bytes: 64 << 30})
		}
	}
	if sc.disk(media) == nil {
		sc.Disks = append(sc.Disks, Disk{Name: media, Bytes: 1 << 30})
	} else {
		sc.disk(media).Bytes = 1 << 30
	}
	sort.Slice(sc.Disks, func(i, j int) bool { return sc.Disks[i].Name < sc.Disks[j].Name })
	sc.Media = media

	var ifs []string
	addIf := func(n string) {
		if ifaceNameRE.MatchString(n) && !strings.HasPrefix(n, "vlan") && !slices.Contains(ifs, n) {
			ifs = append(ifs, n)
		}
	}
	for _, v := range answers(QIface) {
		addIf(v)
	}
	for _, l := range r.Answers() {
		if m := ifaceKeyRE.FindStringSubmatch(l.Key); m != nil {
			addIf(strings.ToLower(m[1]))
		}
	}
	if len(ifs) > 0 {
		sc.Interfaces = nil
		for i, n := range ifs {
			sc.Interfaces = append(sc.Interfaces, Interface{Name: n, MAC: fmt.Sprintf("00:00:5e:00:53:%02x", i+1)})
		}
	}
	for _, v := range answers(QLocation, "locs", "disk") {
		if len(v) > 0 && (v[0] == 'c' || v[0] == 'C') {
			sc.CDs = []string{"cd0"}
			if len(answers(QMediaDisk, "mode", "install")) == 0 {
				sc.Media = ""
			}
		}
	}
	if len(answers(QTerm)) > 0 {
		sc.SerialConsole = true
		sc.ConsoleSpeed = 115200
	}
	return sc, nil
}
