package profiles

import (
	"bufio"
	_ "embed"
	"fmt"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/internal/suggest"
	"github.com/fugu-tool/fugu/release"
)

// zones is the tz database's zone and link names (tzdata.zi, 2025b), the
// names OpenBSD installs under /usr/share/zoneinfo and the installer's
// "What timezone are you in?" accepts. Regenerate with go generate.
//
//go:generate sh -c "awk '/^[ZL] /{print ($1==\"Z\")?$2:$3}' /usr/share/zoneinfo/tzdata.zi | sort -u > zones.txt"
//go:embed zones.txt
var zonesTxt string

var zoneSet = func() map[string]bool {
	m := map[string]bool{}
	for _, z := range strings.Fields(zonesTxt) {
		m[z] = true
	}
	return m
}()

// keyboards are the wscons keyboard encodings kbd(8) lists (sys/dev/wscons/
// wsksymdef.h KB_ENCTAB); variants follow a dot (e.g. "us.swapctrlcaps").
var keyboards = []string{
	"be", "br", "cf", "de", "dk", "ee", "es", "fr", "gr", "hu", "is", "it", "jp",
	"la", "lt", "lv", "nl", "no", "pl", "pt", "ru", "sf", "sg", "si", "sv", "tr",
	"ua", "uk", "us",
}

var keyboardVariants = []string{
	"apple", "colemak", "declk", "dvorak", "iopener", "metaesc", "nodead", "swapctrlcaps",
}

// Roles fugu knows how to deploy.
var knownRoles = []string{"mail-edge"}

var (
	// A host name label (RFC 1123): what sethostname and DNS accept.
	hostnameRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)
	// An interface name is its driver and a unit number (ifconfig(8)).
	ifnameRE = regexp.MustCompile(`^([a-z]+)([0-9]+)$`)
	// install.sub user_setup: [a-z]*([-a-z0-9_]), at most 31 characters.
	loginRE = regexp.MustCompile(`^[a-z][-a-z0-9_]{0,30}$`)
	// A bcrypt hash as encrypt(1) writes it: $2b$, two-digit cost, 53
	// characters of salt and hash in bcrypt's base64 alphabet.
	// OpenBSD's bcrypt reads the $2a$ and $2b$ minor versions only
	// (lib/libc/crypt/bcrypt.c); $2y$ hashes from other systems fail.
	bcryptRE = regexp.MustCompile(`^\$2[ab]\$([0-9]{2})\$[./A-Za-z0-9]{53}$`)
	// A package name as pkg_add(1) takes it: stem, flavors after --, a
	// branch after %.
	pkgRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*(--[A-Za-z0-9_.+-]*)?(%[A-Za-z0-9._-]+)?$`)
	// A user or group name for a file's owner.
	ownerRE = regexp.MustCompile(`^[a-z_][a-z0-9_-]{0,31}$`)
	// A raw WPA key: 0x and 256 bits in hex (ifconfig(8)).
	hexKeyRE = regexp.MustCompile(`^0x[0-9A-Fa-f]{64}$`)
)

// Reserved login names the installer refuses (install.sub 1.1288
// user_setup), plus the answers it takes as yes/no.
var reservedLogins = []string{"root", "daemon", "operator", "bin", "build", "sshd", "www", "nobody", "ftp", "y", "yes", "n", "no"}

// pseudoIfs are cloned interfaces (ifconfig -C): not hardware, not asked
// about by the installer.
var pseudoIfs = map[string]bool{"lo": true, "vlan": true, "svlan": true, "trunk": true, "aggr": true, "bridge": true, "veb": true,
	"vport": true, "carp": true, "pfsync": true, "pflog": true, "pflow": true, "gif": true, "gre": true, "egre": true, "wg": true,
	"tun": true, "tap": true, "vxlan": true, "enc": true, "mpe": true, "mpw": true, "pppoe": true, "etherip": true, "vether": true}

// linuxIfnames are interface name stems from other systems, for a hint.
var linuxIfnames = map[string]bool{"eth": true, "wlan": true, "enp": true, "ens": true, "eno": true, "wlp": true, "wlo": true}

type checker struct {
	p    *Profile
	opts Options
	errs Errors
}

func (c *checker) errorf(path, format string, args ...any) {
	c.errs = append(c.errs, &Error{Pos: c.p.src.At(path), Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (p *Profile) validate(opts Options) Errors {
	c := &checker{p: p, opts: opts}
	c.top()
	c.network()
	c.accounts()
	c.services()
	c.disks()
	c.sets()
	c.packages()
	c.files()
	c.roles()
	return c.errs
}

// required reports an empty value of a key that must have one.
func (c *checker) required(path, value, what string) bool {
	if strings.TrimSpace(value) == "" && c.p.src.Has(path) {
		c.errorf(path, "empty; give %s", what)
		return false
	}
	return true
}

func (c *checker) top() {
	p := c.p
	if p.Version != SchemaVersion && p.src.Has("version") {
		c.errorf("version", "must be %d", SchemaVersion)
	}
	c.required("hostname", p.Hostname, "the short host name, e.g. puffy")
	c.required("release", p.Release, "a release such as "+release.Newest().Version)
	c.required("timezone", p.Timezone, "a zone such as Europe/Amsterdam or UTC")
	if h := p.Hostname; h != "" {
		switch {
		case strings.Contains(h, ".") && hostnameRE.MatchString(strings.ReplaceAll(h, ".", "x")):
			short, dom, _ := strings.Cut(h, ".")
			c.errorf("hostname", "%q is not a short name; write hostname: %s and domain: %s", h, short, dom)
		case !hostnameRE.MatchString(h):
			c.errorf("hostname", "%q is not a valid host name: use letters, digits and '-', not at either end, at most 63 characters", h)
		}
	}
	if d := p.Domain; d != "" {
		for _, label := range strings.Split(strings.TrimSuffix(d, "."), ".") {
			if !hostnameRE.MatchString(label) {
				c.errorf("domain", "%q is not a valid DNS domain name", d)
				break
			}
		}
	}
	if p.Release != "" {
		if _, err := release.Lookup(p.Release); err != nil {
			c.errorf("release", "%v", err)
		}
	}
	switch p.Arch {
	case "":
		p.Arch = "amd64"
	case "amd64", "i386", "arm64":
	default:
		c.errorf("arch", "unsupported architecture %q: fugu knows amd64, i386 and arm64", p.Arch)
	}
	if k := p.Keyboard; k != "" {
		base, variant, _ := strings.Cut(k, ".")
		if !contains(keyboards, base) {
			c.errorf("keyboard", "unknown keyboard layout %q%s; layouts: %s", k, didYouMean(base, keyboards), strings.Join(keyboards, " "))
		} else if variant != "" && !contains(keyboardVariants, variant) {
			c.errorf("keyboard", "unknown layout variant %q; variants: %s", variant, strings.Join(keyboardVariants, " "))
		}
	}
	if tz := p.Timezone; tz != "" && !zoneSet[tz] {
		c.errorf("timezone", "unknown timezone %q%s; names are like Europe/Amsterdam, America/New_York or UTC", tz, didYouMean(tz, zoneNames()))
	}
	if con := p.Console; con != nil {
		if con.Device == "" {
			con.Device = "com0"
		} else if con.Device != "com0" {
			c.errorf("console.device", "the installer only offers com0 as a serial console, not %q", con.Device)
		}
		switch con.Speed {
		case 0:
			con.Speed = 115200
		case 9600, 19200, 38400, 57600, 115200:
		default:
			c.errorf("console.speed", "%d is not a speed the installer offers: 9600, 19200, 38400, 57600 or 115200", con.Speed)
		}
	}
}

func (c *checker) network() {
	n := &c.p.Network
	seen := map[string]int{}
	static4 := false
	dhcp4 := false
	for i := range n.Interfaces {
		ifc := &n.Interfaces[i]
		base := fmt.Sprintf("network.interfaces[%d]", i)
		c.required(base+".name", ifc.Name, "an interface name such as em0")
		if ifc.Name != "" {
			if prev, dup := seen[ifc.Name]; dup {
				c.errorf(base+".name", "interface %s is configured twice (also network.interfaces[%d])", ifc.Name, prev)
			}
			seen[ifc.Name] = i
			c.ifname(base+".name", ifc.Name)
		}
		switch v := strings.ToLower(ifc.IPv4); v {
		case "", "autoconf", "dhcp":
			ifc.IPv4 = "autoconf"
			dhcp4 = true
		case "none":
			ifc.IPv4 = "none"
		default:
			pfx, err := netip.ParsePrefix(ifc.IPv4)
			if err != nil || !pfx.Addr().Is4() {
				c.errorf(base+".ipv4", "%q is not 'autoconf', 'none' or an IPv4 address with a prefix length such as 192.0.2.10/24", ifc.IPv4)
			} else {
				static4 = true
			}
		}
		switch v := strings.ToLower(ifc.IPv6); v {
		case "", "none":
			ifc.IPv6 = "none"
		case "autoconf":
			ifc.IPv6 = "autoconf"
		default:
			pfx, err := netip.ParsePrefix(ifc.IPv6)
			if err != nil || !pfx.Addr().Is6() || pfx.Addr().Is4In6() {
				c.errorf(base+".ipv6", "%q is not 'autoconf', 'none' or an IPv6 address with a prefix length such as 2001:db8::10/64", ifc.IPv6)
			}
		}
		if len(ifc.WiFi) > 0 {
			if m := ifnameRE.FindStringSubmatch(ifc.Name); m != nil && hardware.IsNetDriver(m[1]) && !hardware.IsWireless(m[1]) {
				c.errorf(base+".wifi", "%s is not a wireless interface; wifi networks need a wireless driver such as iwm, iwx, athn or bwfm", ifc.Name)
			}
		}
		for j, w := range ifc.WiFi {
			wp := fmt.Sprintf("%s.wifi[%d]", base, j)
			switch {
			case w.WPAKey != "" && w.WPAKeyFile != "":
				c.errorf(wp, "give wpakey or wpakey_file, not both")
			case w.WPAKey != "":
				// ifconfig(8) wpakey: a passphrase of 8 to 63 characters,
				// or 0x and 64 hex digits (the key itself).
				if n := len(w.WPAKey); (n < 8 || n > 63) && !hexKeyRE.MatchString(w.WPAKey) {
					c.errorf(wp+".wpakey", "a WPA passphrase is 8 to 63 characters (or 0x and 64 hex digits), this one is %d", n)
				}
			case w.WPAKeyFile != "":
				c.secretFile(wp+".wpakey_file", w.WPAKeyFile)
			}
			if w.SSID == "" {
				c.errorf(wp+".ssid", "empty; give the network's name")
			} else if len(w.SSID) > 32 {
				c.errorf(wp+".ssid", "an ESSID is at most 32 bytes, this one is %d", len(w.SSID))
			}
		}
	}
	if n.Gateway != "" {
		if a, err := netip.ParseAddr(n.Gateway); err != nil || !a.Is4() {
			c.errorf("network.gateway", "%q is not an IPv4 address", n.Gateway)
		}
	} else if static4 && !dhcp4 {
		c.errorf("network.interfaces", "a static IPv4 address needs network.gateway (the installer asks for the default route and has no default)")
	}
	if n.Gateway6 != "" {
		if a, err := netip.ParseAddr(n.Gateway6); err != nil || !a.Is6() {
			c.errorf("network.gateway6", "%q is not an IPv6 address", n.Gateway6)
		}
	}
	for i, ns := range n.Nameservers {
		if _, err := netip.ParseAddr(ns); err != nil {
			c.errorf(fmt.Sprintf("network.nameservers[%d]", i), "%q is not an IP address", ns)
		}
	}
}

// ifname checks an interface name's form and, when the hardware tables are
// available, its driver.
func (c *checker) ifname(path, name string) {
	m := ifnameRE.FindStringSubmatch(name)
	if m == nil {
		stem := strings.TrimRight(name, "0123456789")
		if linuxIfnames[stem] || strings.HasPrefix(name, "enp") || strings.HasPrefix(name, "wlp") {
			c.errorf(path, "%q is a Linux-style name; OpenBSD names interfaces after their driver and unit, e.g. em0, re0, iwm0", name)
			return
		}
		c.errorf(path, "%q is not an interface name: a driver name and a unit number, e.g. em0, re0, iwm0", name)
		return
	}
	if linuxIfnames[m[1]] {
		c.errorf(path, "%q is a Linux-style name; OpenBSD names interfaces after their driver and unit, e.g. em0, re0, iwm0", name)
		return
	}
	if pseudoIfs[m[1]] {
		c.errorf(path, "%s is a pseudo-interface, which the installer does not configure; write /etc/hostname.%s with files:", name, name)
		return
	}
	if !hardware.IsNetDriver(m[1]) {
		c.errorf(path, "%q: OpenBSD has no network driver %q; interfaces are named like em0, re0, iwm0 (see 'fugu hw' for this machine's)", name, m[1])
	}
}

func (c *checker) accounts() {
	p := c.p
	p.Root.hash = c.password("root", p.Root.Password, p.Root.PasswordFile)
	for i, k := range p.Root.SSHKeys {
		c.sshKey(fmt.Sprintf("root.ssh_keys[%d]", i), k)
	}
	u := p.User
	if u == nil {
		return
	}
	c.required("user.login", u.Login, "a login name")
	if u.Login != "" {
		switch {
		case contains(reservedLogins, u.Login):
			c.errorf("user.login", "%q is a name the installer refuses (reserved, or taken as a yes/no answer)", u.Login)
		case !loginRE.MatchString(u.Login):
			c.errorf("user.login", "%q is not a login the installer accepts: a lower-case letter, then lower-case letters, digits, '-' or '_', at most 31 in all", u.Login)
		case strings.Contains(u.Login, "-") && p.Release != "" && !releaseAtLeast(p.Release, "6.2"):
			c.errorf("user.login", "the %s installer does not accept '-' in a login name", p.Release)
		}
	}
	if strings.ContainsAny(u.Name, ":&,") {
		c.errorf("user.name", "the full name may not contain ':', '&' or ','")
	} else if len(u.Name) > 100 {
		c.errorf("user.name", "the full name is at most 100 characters, this one is %d", len(u.Name))
	}
	u.hash = c.password("user", u.Password, u.PasswordFile)
	for i, k := range u.SSHKeys {
		c.sshKey(fmt.Sprintf("user.ssh_keys[%d]", i), k)
	}
}

// password checks one account's password settings. The installer has no
// default for password questions, so one of the two is required.
func (c *checker) password(acct, hash, file string) string {
	switch {
	case hash != "" && file != "":
		c.errorf(acct+".password", "give password or password_file, not both")
	case hash == "" && file == "":
		c.errorf(acct, "missing password: the installer requires one (a bcrypt hash from 'fugu passwd', password_file, or 13 asterisks to disable password logins)")
	case file != "":
		data := c.secretFile(acct+".password_file", file)
		if data != "" && !IsPasswordHash(data) {
			c.errorf(acct+".password_file", "%s does not hold a bcrypt hash ($2b$...) or 13 asterisks", file)
			return ""
		}
		return data
	case !IsPasswordHash(hash) && !c.opts.AllowPlaintext:
		switch {
		case strings.HasPrefix(hash, "$2y$") || strings.HasPrefix(hash, "$2x$"):
			c.errorf(acct+".password", "a %s bcrypt hash (htpasswd, PHP): OpenBSD reads only $2a$ and $2b$; make one with 'fugu passwd'", hash[:4])
		case strings.HasPrefix(hash, "$2"):
			c.errorf(acct+".password", "malformed bcrypt hash: expected $2b$NN$ and 53 characters (quote it in YAML)")
		case regexp.MustCompile(`^\$(1|5|6|md5|sha1|y|gy|7)\$`).MatchString(hash):
			c.errorf(acct+".password", "a crypt(3) hash OpenBSD cannot read (it only reads bcrypt); make one with 'fugu passwd'")
		default:
			c.errorf(acct+".password", "plaintext password refused: store a bcrypt hash made with 'fugu passwd' (or encrypt(1)), or pass --allow-plaintext")
		}
	}
	return hash
}

// IsPasswordHash reports whether s is what the installer stores unchanged:
// a bcrypt hash, or 13 asterisks for "no password login" (install.sub
// 1.1288 encr_pwd).
func IsPasswordHash(s string) bool {
	if s == "*************" {
		return true
	}
	m := bcryptRE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	cost, _ := strconv.Atoi(m[1])
	return cost >= 4 && cost <= 31
}

// sshKey checks one authorized_keys line with OpenSSH's own format rules
// (options such as from="..." allowed), as sshd(8) would read it.
func (c *checker) sshKey(path, key string) {
	if strings.ContainsAny(key, "\n\r") {
		c.errorf(path, "one key per list item, on one line")
		return
	}
	if _, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(key)); err != nil {
		why := ""
		if strings.Contains(err.Error(), "short read") {
			why = " (the key data is cut short)"
		}
		c.errorf(path, "not a public SSH key%s: expected a line like 'ssh-ed25519 AAAA... comment' as in id_ed25519.pub", why)
	} else if len(rest) > 0 {
		c.errorf(path, "more than one key in one item")
	}
}

func (c *checker) services() {
	s := &c.p.Services
	switch s.RootSSHLogin {
	case "":
		s.RootSSHLogin = "no"
	case "no", "yes", "prohibit-password":
	case "without-password":
		s.RootSSHLogin = "prohibit-password"
	default:
		c.errorf("services.root_ssh_login", "%q is not one of no, prohibit-password, yes", s.RootSSHLogin)
	}
	if s.SSHD != nil && !*s.SSHD && s.RootSSHLogin != "no" {
		c.errorf("services.root_ssh_login", "root SSH login is set but sshd is off")
	}
	if s.Xenodm != nil && *s.Xenodm && (s.X11 == nil || !*s.X11) {
		c.errorf("services.xenodm", "xenodm needs x11: true")
	}
}

func (c *checker) disks() {
	d := &c.p.Disks
	r := &d.Root
	c.required("disks.root.disk", r.Disk, "a disk rule such as ssd or a name such as sd0")
	if r.Disk != "" {
		if err := CheckDiskRule(r.Disk); err != nil {
			c.errorf("disks.root.disk", "%v", err)
		}
	}
	c.table("disks.root.table", &r.Table)
	if !r.Layout.Auto && r.Layout.Partitions == nil {
		if c.p.src.Has("disks.root.layout") {
			c.errorf("disks.root.layout", "empty; write layout: auto, or list the partitions")
		}
		r.Layout.Auto = true // layout left out: the installer's auto layout
	} else if !r.Layout.Auto && len(r.Layout.Partitions) == 0 {
		c.errorf("disks.root.layout", "an empty list; write layout: auto, or list the partitions")
	}
	switch {
	case c.p.Arch == "i386" && r.Table == "gpt" && c.p.src.Has("disks.root.table"):
		c.errorf("disks.root.table", "the i386 installer partitions disks with MBR only; use table: mbr")
	case c.p.Arch == "arm64" && r.Table == "gpt" && c.p.src.Has("disks.root.table"):
		c.errorf("disks.root.table", "fugu lays out arm64 disks as the installer does on a blank disk: an MBR with a FAT boot partition; use table: mbr")
	}
	if r.Swap != "" && r.Swap != "none" {
		if !r.Layout.Auto {
			c.errorf("disks.root.swap", "swap: goes with layout: auto; in a layout list give the swap partition its size")
		} else if _, err := ParseSize(r.Swap); err != nil {
			c.errorf("disks.root.swap", "%v", err)
		} else if sz, _ := ParseSize(r.Swap); sz.Max.Unlimited || (sz.Min != sz.Max) {
			c.errorf("disks.root.swap", "swap takes one size, such as 8G or 2x-ram, not a range")
		}
	}
	if !r.Layout.Auto {
		c.layout(r.Layout.Partitions, d.Home != nil)
	}
	if h := d.Home; h != nil {
		if h.Disk != "" {
			if err := CheckDiskRule(h.Disk); err != nil {
				c.errorf("disks.home.disk", "%v", err)
			} else if h.Disk == r.Disk && IsDiskName(h.Disk) {
				c.errorf("disks.home.disk", "%s is already the root disk; leave disks.home out to keep /home on it", h.Disk)
			}
		}
		c.table("disks.home.table", &h.Table)
	}
}

func (c *checker) table(path string, t *string) {
	switch strings.ToLower(*t) {
	case "":
		*t = "gpt"
	case "gpt", "mbr":
		*t = strings.ToLower(*t)
	default:
		c.errorf(path, "%q is not a partition table: gpt or mbr", *t)
	}
}

// maxPartitions is how many partitions a template can place: a..p less c
// (disklabel(8) editor.c, MAXPARTITIONS 16).
const maxPartitions = 15

func (c *checker) layout(parts []Partition, homeDisk bool) {
	if len(parts) > maxPartitions {
		c.errorf(fmt.Sprintf("disks.root.layout[%d]", maxPartitions), "at most %d partitions fit in a disklabel (a to p, less c)", maxPartitions)
	}
	seen := map[string]int{}
	root := false
	pct := 0
	for i, pt := range parts {
		base := fmt.Sprintf("disks.root.layout[%d]", i)
		m := pt.Mount
		c.required(base+".mount", m, "a mount point, swap or raid")
		c.required(base+".size", pt.Size, "a size such as 2G")
		switch {
		case m == "":
		case strings.EqualFold(m, "swap"), strings.EqualFold(m, "raid"):
		case !strings.HasPrefix(m, "/"):
			c.errorf(base+".mount", "%q is not a mount point ('/...'), 'swap' or 'raid'", m)
		case path.Clean(m) != m || strings.ContainsAny(m, " \t"):
			c.errorf(base+".mount", "%q is not a clean absolute path", m)
		}
		if m == "/" {
			root = true
		}
		if m == "/home" && homeDisk {
			c.errorf(base+".mount", "/home is on disks.home; take it out of the root disk's layout")
		}
		if prev, dup := seen[m]; dup && !strings.EqualFold(m, "swap") && m != "" {
			c.errorf(base+".mount", "%s appears twice (also disks.root.layout[%d])", m, prev)
		}
		seen[m] = i
		if pt.Size != "" {
			if _, err := ParseSize(pt.Size); err != nil {
				c.errorf(base+".size", "%v", err)
			}
		}
		if pt.Percent < 0 || pt.Percent > 100 {
			c.errorf(base+".percent", "%d is not a percentage (0-100)", pt.Percent)
		}
		pct += pt.Percent
	}
	if pct > 100 {
		c.errorf("disks.root.layout", "the percentages add up to %d; at most 100", pct)
	}
	if len(parts) > 0 && !root {
		c.errorf("disks.root.layout", "no '/' partition: the installer requires one on the root disk")
	}
	// disklabel gives a '*' entry without a percentage only its minimum
	// unless it is the last line, which takes the rest: a second '*'
	// would silently get nothing.
	for i, pt := range parts {
		if i < len(parts)-1 && pt.Percent == 0 {
			if sz, err := ParseSize(pt.Size); err == nil && sz.Max.Unlimited && sz.Min == (Amount{}) {
				c.errorf(fmt.Sprintf("disks.root.layout[%d].size", i), "'*' on a line other than the last gets no space (only the last line takes what is left); give it a size, a minimum (1G-*) with a percentage, or move it last")
			}
		}
	}
}

func (c *checker) sets() {
	s := &c.p.Sets
	switch {
	case s.Source == "" || s.Source == "media":
		s.Source = "media"
	case strings.HasPrefix(s.Source, "http://") || strings.HasPrefix(s.Source, "https://"):
		host := strings.TrimPrefix(strings.TrimPrefix(s.Source, "http://"), "https://")
		host, _, _ = strings.Cut(host, "/")
		if host == "" || strings.ContainsAny(host, " \t@") {
			c.errorf("sets.source", "%q has no usable host name", s.Source)
		}
	default:
		c.errorf("sets.source", "%q is neither 'media' nor an http:// or https:// mirror URL", s.Source)
	}
	var setNames []string
	if r, err := release.Lookup(c.p.Release); err == nil {
		setNames = append(r.Sets(), r.SiteSet(""), r.SiteSet(c.p.Hostname))
	}
	for i, pat := range s.Add {
		pp := fmt.Sprintf("sets.add[%d]", i)
		c.setPattern(pp, pat)
		matched := setNames == nil
		for _, n := range setNames {
			if ok, _ := path.Match(pat, n); ok {
				matched = true
			}
		}
		if !matched {
			c.errorf(pp, "%q matches no set of %s: %s", pat, c.p.Release, strings.Join(setNames, " "))
		}
	}
	x11 := c.p.Services.X11 != nil && *c.p.Services.X11
	for i, pat := range s.Drop {
		pp := fmt.Sprintf("sets.drop[%d]", i)
		c.setPattern(pp, pat)
		for _, must := range []string{"bsd", "base00.tgz"} {
			if ok, _ := path.Match(pat, must); ok || (must == "base00.tgz" && strings.HasPrefix(pat, "base")) {
				c.errorf(pp, "dropping %q removes a set the system needs; the installer would stop to ask \"Are you *SURE*\"", pat)
				break
			}
		}
		if x11 && (strings.HasPrefix(pat, "x") || pat == "*") {
			c.errorf(pp, "dropping %q removes the X sets, but services.x11 is true", pat)
		}
	}
}

func (c *checker) setPattern(path, pat string) {
	if pat == "" || strings.ContainsAny(pat, " \t") || strings.HasPrefix(pat, "-") || strings.HasPrefix(pat, "+") {
		c.errorf(path, "%q: give a set name or pattern such as 'game*' (add and drop say which way)", pat)
	}
}

func (c *checker) packages() {
	seen := map[string]int{}
	for i, p := range c.p.Packages {
		pp := fmt.Sprintf("packages[%d]", i)
		if !pkgRE.MatchString(p) {
			c.errorf(pp, "%q is not a package name as pkg_add(1) takes it (e.g. 'vim--no_x11', 'python--%%3.12', 'git')", p)
		}
		if prev, dup := seen[p]; dup {
			c.errorf(pp, "%s is listed twice (also packages[%d])", p, prev)
		}
		seen[p] = i
	}
}

func (c *checker) files() {
	seen := map[string]int{}
	for i := range c.p.Files {
		f := &c.p.Files[i]
		base := fmt.Sprintf("files[%d]", i)
		c.required(base+".path", f.Path, "an absolute path on the new system")
		if f.Path != "" {
			switch {
			case !strings.HasPrefix(f.Path, "/") || path.Clean(f.Path) != f.Path || f.Path == "/":
				c.errorf(base+".path", "%q is not a clean absolute file path", f.Path)
			case generatedFiles[f.Path] != "":
				c.errorf(base+".path", "%s is written from %s; change that instead", f.Path, generatedFiles[f.Path])
			case strings.HasPrefix(f.Path, "/etc/hostname.") && c.wireless(strings.TrimPrefix(f.Path, "/etc/hostname.")):
				c.errorf(base+".path", "%s is written from network.interfaces (with the WPA keys, mode 0640); configure the interface there", f.Path)
			default:
				if prev, dup := seen[f.Path]; dup {
					c.errorf(base+".path", "%s is written twice (also files[%d])", f.Path, prev)
				}
				seen[f.Path] = i
			}
		}
		if f.Mode == "" {
			f.Mode = "0644"
		} else if _, err := ParseMode(f.Mode); err != nil {
			c.errorf(base+".mode", "%v", err)
		}
		if f.Owner == "" {
			f.Owner = "root"
		} else if !ownerRE.MatchString(f.Owner) {
			c.errorf(base+".owner", "%q is not a user name", f.Owner)
		}
		if f.Group == "" {
			f.Group = "wheel"
		} else if !ownerRE.MatchString(f.Group) {
			c.errorf(base+".group", "%q is not a group name", f.Group)
		}
		switch {
		case f.Content != "" && f.Source != "":
			c.errorf(base, "give content or source, not both")
		case f.Source != "":
			if fi, err := os.Stat(c.p.Resolve(f.Source)); err != nil {
				c.errorf(base+".source", "cannot read %s: %v", f.Source, unwrapPathError(err))
			} else if !fi.Mode().IsRegular() {
				c.errorf(base+".source", "%s is not a regular file", f.Source)
			}
		case !c.p.src.Has(base + ".content"):
			c.errorf(base, "give content (may be empty: content: \"\") or source")
		}
	}
}

func (c *checker) roles() {
	seen := map[string]bool{}
	for i, r := range c.p.Roles {
		rp := fmt.Sprintf("roles[%d]", i)
		if !contains(knownRoles, r) {
			c.errorf(rp, "unknown role %q%s; roles: %s", r, didYouMean(r, knownRoles), strings.Join(knownRoles, ", "))
		}
		if seen[r] {
			c.errorf(rp, "role %s is listed twice", r)
		}
		seen[r] = true
	}
}

// generatedFiles are written by fugu or the installer from other parts of
// the profile; a files: entry must not fight them.
var generatedFiles = map[string]string{
	"/etc/master.passwd": "root and user (the installer and pwd_mkdb)",
	"/etc/passwd":        "root and user (the installer and pwd_mkdb)",
	"/etc/spwd.db":       "root and user (the installer and pwd_mkdb)",
	"/etc/pwd.db":        "root and user (the installer and pwd_mkdb)",
	"/etc/group":         "user (the installer)",
	"/etc/myname":        "hostname and domain",
	"/etc/fstab":         "disks (the installer and install.site)",
	"/install.site":      "the site set fugu builds",
}

// wireless reports whether the profile configures name as a wireless
// interface.
func (c *checker) wireless(name string) bool {
	for _, ifc := range c.p.Network.Interfaces {
		if ifc.Name == name && (len(ifc.WiFi) > 0 || hardware.IsWireless(strings.TrimRight(name, "0123456789"))) {
			return true
		}
	}
	return false
}

// secretFile reads a file holding a secret and returns its first line. A file
// that others can read is an error: secrets stay mode 0600.
func (c *checker) secretFile(path, name string) string {
	full := c.p.Resolve(name)
	fi, err := os.Stat(full)
	if err != nil {
		c.errorf(path, "cannot read %s: %v", name, unwrapPathError(err))
		return ""
	}
	if fi.IsDir() {
		c.errorf(path, "%s is a directory, not a file", name)
		return ""
	}
	if fi.Mode().Perm()&0o077 != 0 {
		c.errorf(path, "%s can be read by group or others (mode %04o); it holds a secret: chmod 600 %s", name, fi.Mode().Perm(), full)
		return ""
	}
	f, err := os.Open(full)
	if err != nil {
		c.errorf(path, "cannot read %s: %v", name, unwrapPathError(err))
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if sc.Scan() {
		return strings.TrimSpace(sc.Text())
	}
	c.errorf(path, "%s is empty", name)
	return ""
}

// Resolve turns a file reference in the profile into a path, relative to
// the profile's directory.
func (p *Profile) Resolve(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(p.dir, name)
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func didYouMean(s string, candidates []string) string {
	if best := suggest.Closest(s, candidates); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return ""
}

func zoneNames() []string {
	names := make([]string, 0, len(zoneSet))
	for z := range zoneSet {
		names = append(names, z)
	}
	sort.Strings(names)
	return names
}

func releaseAtLeast(have, want string) bool {
	r, err := release.Lookup(have)
	return err == nil && r.AtLeast(want)
}
