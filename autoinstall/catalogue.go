package autoinstall

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fugu-tool/fugu/release"
)

// QID names a question of the installer, the same across releases.
type QID string

// The questions of an amd64 install, in the order do_install asks them.
const (
	QTerm          QID = "term"
	QKeyboard      QID = "keyboard"
	QHostname      QID = "hostname"
	QIface         QID = "interface"
	QVlan          QID = "vlan"
	QAccessPoint   QID = "access-point"
	QSecurity      QID = "security"
	QWEPKey        QID = "wep-key"
	QWPAKey        QID = "wpa-key"
	QSymName       QID = "symbolic-name"
	QIPv4          QID = "ipv4"
	QNetmask       QID = "netmask"
	QIPv6          QID = "ipv6"
	QPrefixLen     QID = "ipv6-prefixlen"
	QRoute4        QID = "default-route"
	QRouter6       QID = "ipv6-router"
	QDomain        QID = "dns-domain"
	QNameservers   QID = "dns-nameservers"
	QRootPassword  QID = "root-password"
	QRootKey       QID = "root-key"
	QSSHD          QID = "sshd"
	QX11           QID = "x11"
	QXenodm        QID = "xenodm"
	QConsole       QID = "console"
	QSpeed         QID = "console-speed"
	QUser          QID = "user"
	QUserAgain     QID = "user-again"
	QFullName      QID = "user-fullname"
	QUserPassword  QID = "user-password"
	QUserKey       QID = "user-key"
	QRootSSH       QID = "root-ssh"
	QTimezone      QID = "timezone"
	QSubTimezone   QID = "sub-timezone"
	QRootDisk      QID = "root-disk"
	QEncrypt       QID = "encrypt"
	QPassphrase    QID = "passphrase"
	QKeyDisk       QID = "keydisk"
	QKeyDiskPart   QID = "keydisk-partition"
	QFdisk         QID = "fdisk"
	QGPTProceed    QID = "gpt-proceed"
	QTemplate      QID = "template"
	QLayout        QID = "layout"
	QInitDisk      QID = "initialize-disk"
	QLocation      QID = "location"
	QProxy         QID = "http-proxy"
	QServer        QID = "http-server"
	QServerDir     QID = "server-directory"
	QHTTPFallback  QID = "https-fallback"
	QMounted       QID = "partition-mounted"
	QMediaDisk     QID = "media-disk"
	QMediaPart     QID = "media-partition"
	QSetsPath      QID = "sets-pathname"
	QNFSServer     QID = "nfs-server"
	QNFSPath       QID = "nfs-path"
	QNFSTCP        QID = "nfs-tcp"
	QInstallDoc    QID = "install-doc-missing"
	QSets          QID = "set-names"
	QChecksum      QID = "checksum-failed"
	QFetchFailed   QID = "fetch-failed"
	QInstallFailed QID = "install-failed"
	QUnverified    QID = "unverified"
	QSure          QID = "sure-without"
	QTimeWrong     QID = "time-wrong"
)

// Question is one question as a release's installer prints it.
type Question struct {
	ID QID `json:"id"`
	// Text is what _autorespond compares keys with, exactly as the
	// installer builds it; {if}, {user}, {disk}, ... stand for the values
	// filled in at run time (see Fills for the fixed variants).
	Text string `json:"text"`
	// Suffix is printed after Text but not matched: ask_which prints
	// "Which <name> <query>? (or 'done')" and matches without the
	// "(or 'done')".
	Suffix string `json:"suffix,omitempty"`
	// Fills lists the values a placeholder takes when they come from a
	// fixed set (the "(O)penBSD area" variant of the fdisk question).
	Fills map[string][]string `json:"fills,omitempty"`
	// Default is the answer the installer takes when no line matches.
	Default string `json:"default"`
	// When says when the question is asked.
	When string `json:"when"`
	// Mandatory says when the question has no default in autoinstall, so
	// that a missing answer stops the install; "" when it always has one.
	Mandatory string `json:"mandatory,omitempty"`
	// Valid says which answers are accepted, and what happens to others.
	Valid string `json:"valid"`
	// Source is the function of install.sub or install.md that asks it.
	Source string `json:"source"`
}

// DNSRule says when donetconfig skips "DNS domain name?".
type DNSRule string

const (
	// DomainSkipDHCPSingleNoSearch (install.sub 1.1288): skipped when a
	// DHCP interface exists, exactly one interface was configured and
	// resolv.conf has no domain or search line; the lease's domain-name
	// (or the hostname's domain, or my.domain) is used.
	DomainSkipDHCPSingleNoSearch DNSRule = "dhcp-single-no-search"
	// DomainSkipDHCPSingleWithDomain (1.1013): skipped when a DHCP
	// interface exists, exactly one interface was configured and dhclient
	// wrote a domain (search) line.
	DomainSkipDHCPSingleWithDomain DNSRule = "dhcp-single-with-domain"
	// NameserversSkipResolvd (1.1288): skipped when resolvd(8) put
	// nameservers into resolv.conf, or a single DHCP interface supplied
	// them.
	NameserversSkipResolvd DNSRule = "resolvd-or-dhcp-single"
	// NameserversSkipDHCPSingle (1.1013): skipped when a single DHCP
	// interface supplied nameservers.
	NameserversSkipDHCPSingle DNSRule = "dhcp-single"
)

// Behaviour is what changed in the installer's logic between releases. The
// simulator's control flow is shared; every difference is a field here.
type Behaviour struct {
	// IfaceAskWhich: the interface loop is ask_which "network interface"
	// over get_ifs, vlanN included (1.1013); otherwise ask_until, which
	// also accepts unique lladdrs and is skipped without interfaces
	// (1.1288 configure_ifs).
	IfaceAskWhich bool `json:"iface_ask_which"`
	// V4DHCPWords are the answers to "IPv4 address" that mean DHCP.
	V4DHCPWords []string `json:"v4_dhcp_words"`
	// V4DefaultBeforeDHCPOnly: the IPv4 default is the DHCP word only
	// while no interface uses DHCP; later interfaces have no default
	// (1.1013 v4_config: "Don't make 'dhcp' the default if dhcp was
	// already used").
	V4DefaultBeforeDHCPOnly bool `json:"v4_default_before_dhcp_only"`
	// V4CIDR: addr/len is accepted and the netmask question skipped.
	V4CIDR bool `json:"v4_cidr"`
	// V4FailExits: an address that does not configure stops the install
	// (1.1288); 1.1013 leaves the interface without an address.
	V4FailExits bool `json:"v4_fail_exits"`
	// DefRouteOnInetLine: "Default IPv4 route?" is considered when some
	// hostname.if has an "inet " line, "inet autoconf" included (1.1288
	// v4_defroute); otherwise when some interface has an IPv4 address
	// (1.1013: ifconfig shows "inet ... broadcast").
	DefRouteOnInetLine bool `json:"defroute_on_inet_line"`
	// V6AutoconfWords are the answers to "IPv6 address" meaning SLAAC.
	V6AutoconfWords []string `json:"v6_autoconf_words"`
	// V6CIDR: addr/len accepted, prefix length question skipped.
	V6CIDR bool `json:"v6_cidr"`
	// V6FailExits as V4FailExits.
	V6FailExits bool `json:"v6_fail_exits"`
	// V6RouterPerInterface: "IPv6 default router?" follows each static
	// IPv6 address, until one router is set, with no default (1.1013
	// v6_defroute); otherwise it is asked once after all interfaces,
	// default none (1.1288).
	V6RouterPerInterface bool `json:"v6_router_per_interface"`
	// SecurityWEPAlways: "(W)EP" is offered for every wireless interface
	// (1.1013); 1.1288 offers it only if the driver supports WEP.
	SecurityWEPAlways bool `json:"security_wep_always"`
	// VlanTagNone: the vlan tag may be 'none' and vlan0 defaults to it.
	VlanTagNone bool `json:"vlan_tag_none"`
	// DomainSkip and NameserversSkip: when the DNS questions are skipped.
	DomainSkip      DNSRule `json:"domain_skip"`
	NameserversSkip DNSRule `json:"nameservers_skip"`
	// LoginPattern is the ksh pattern user_setup accepts, as a regexp.
	LoginPattern string `json:"login_pattern"`
	// RootDiskSmallLast: disks under 1 GB move to the end of the root
	// disk candidates, so the default is a big disk (1.1288).
	RootDiskSmallLast bool `json:"root_disk_small_last"`
	// RootDiskNames: the root disk answer may be a DUID, /dev/ path or
	// partition name (get_dkdev_name, 1.1288); otherwise only a disk name.
	RootDiskNames bool `json:"root_disk_names"`
	// EncryptRoot: "Encrypt the root disk..." is asked (MDBOOTSR=y on
	// amd64, bioctl present, no softraid volume assembled).
	EncryptRoot bool `json:"encrypt_root"`
	// MediaDiskDefaultUninitialized: "Which disk contains the install
	// media?" defaults to the first disk not initialized during the
	// install (1.1288); otherwise to the first disk that is not the root
	// disk (1.1013).
	MediaDiskDefaultUninitialized bool `json:"media_disk_default_uninitialized"`
	// HTTPNeedsInterface: "http" is offered as a set location only when
	// the machine has a network interface (1.1288); 1.1013 always offers
	// it.
	HTTPNeedsInterface bool `json:"http_needs_interface"`
	// LocationDefaults is the order install_sets picks its default
	// location in: "netboot" (http if netbooted), "ifs" (http if any
	// interface), "cd" (the first CD drive), "http", "disk".
	LocationDefaults []string `json:"location_defaults"`
	// HTTPSFallbackAsks: when https fails for a server given without a
	// scheme, ask "Unable to connect using https. Use http instead?"
	// (1.1013); 1.1288 falls back silently.
	HTTPSFallbackAsks bool `json:"https_fallback_asks"`
	// HTTPServerPattern is the ksh pattern a server answer must match, as
	// a regexp.
	HTTPServerPattern string `json:"http_server_pattern"`
	// MediaSigned: the install image's set directory has SHA256.sig, so
	// sets from the stick are verified and an unsigned site set triggers
	// the checksum and "Unverified sets" questions. Without it every set
	// is unverified and the single question is "Directory does not
	// contain SHA256.sig. Continue without verification?".
	MediaSigned bool `json:"media_signed"`
	// ExcludeSoftraidChunks: disks that are softraid chunks are not
	// offered by "Which disk do you wish to initialize?" (1.1288).
	ExcludeSoftraidChunks bool `json:"exclude_softraid_chunks"`
	// Xenodm (MDXDM=y): the xenodm question exists.
	Xenodm bool `json:"xenodm"`
	// Keyboard: the ramdisk has kbd(8), so a non-serial console gets the
	// keyboard question.
	Keyboard bool `json:"keyboard"`
	// GPTDefault describes when md_prep_fdisk defaults to GPT (MDEFI=y);
	// the Scenario says whether it holds (Scenario.PreferGPT).
	GPTDefault string `json:"gpt_default"`
}

// Catalogue is one release's questions and behaviour.
type Catalogue struct {
	Name       string     `json:"name"`
	InstallSub string     `json:"install_sub"`
	InstallMD  string     `json:"install_md"`
	Note       string     `json:"note"`
	Questions  []Question `json:"questions"`
	Behaviour  Behaviour  `json:"behaviour"`
	byID       map[QID]*Question
}

// Q returns the question with the given id, or nil when this release's
// installer does not have it.
func (c *Catalogue) Q(id QID) *Question { return c.byID[id] }

// index returns the position of a question in do_install order, -1 when
// the catalogue lacks it.
func (c *Catalogue) index(id QID) int {
	for i, q := range c.Questions {
		if q.ID == id {
			return i
		}
	}
	return -1
}

func (c *Catalogue) indexed() *Catalogue {
	c.byID = map[QID]*Question{}
	for i := range c.Questions {
		c.byID[c.Questions[i].ID] = &c.Questions[i]
	}
	return c
}

// Text returns a question's text with its placeholders filled, e.g.
// c.Text(QIPv4, "if", "em0").
func (c *Catalogue) Text(id QID, kv ...string) string {
	q := c.Q(id)
	if q == nil {
		return ""
	}
	return fill(q.Text, kv...)
}

func fill(text string, kv ...string) string {
	if len(kv) == 0 {
		return text
	}
	var pairs []string
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// ReleaseCatalogue says which catalogue describes a release's installer.
type ReleaseCatalogue struct {
	Release   string `json:"release"`
	Catalogue string `json:"catalogue"`
	// Exact is true when the catalogue was taken from that release's own
	// installer era; false when it is the nearest one available.
	Exact bool   `json:"exact"`
	Basis string `json:"basis"`
}

// catalogueRanges assigns releases to catalogues: a release takes the
// catalogue of the last range whose first release is not newer than it.
// Adding a catalogue for releases in between (say one built from
// install.sub 1.1150 for 6.7) is one more line here and one more entry in
// catalogues. The boundary between the two catalogues is the middle in
// time; the evidence: a 6.5-beta autoinstall transcript and install.sub
// 1.1150 (2020-04, the 6.7 era, read in HamBSD/src) still ask 1.1013's
// interface and IPv4 questions, and a 7.8 response file
// (testdata/installconf) uses 1.1288's wording.
var catalogueRanges = []struct{ first, catalogue string }{
	{"6.1", "6.1"},
	{"7.0", "7.9"},
}

// ReleaseCatalogues maps every release fugu installs to a catalogue, and
// says whether that catalogue was taken from the release's own installer.
func ReleaseCatalogues() []ReleaseCatalogue {
	var out []ReleaseCatalogue
	for _, r := range release.All() {
		name := ""
		for _, cr := range catalogueRanges {
			if r.AtLeast(cr.first) {
				name = cr.catalogue
			}
		}
		c := catalogues[name]
		rc := ReleaseCatalogue{Release: r.Version, Catalogue: name, Exact: r.Version == name, Basis: c.InstallSub}
		if !rc.Exact {
			rc.Basis = "nearest catalogue (" + name + ": " + c.InstallSub + "); UNVERIFIED for " + r.Version
		}
		out = append(out, rc)
	}
	return out
}

// CatalogueFor returns the catalogue for a release ("7.9").
func CatalogueFor(version string) (*Catalogue, ReleaseCatalogue, error) {
	for _, rc := range ReleaseCatalogues() {
		if rc.Release == version {
			return catalogues[rc.Catalogue], rc, nil
		}
	}
	_, err := release.Lookup(version)
	if err == nil {
		err = fmt.Errorf("no catalogue for release %s", version)
	}
	return nil, ReleaseCatalogue{}, fmt.Errorf("autoinstall: %w", err)
}

// Catalogues returns the catalogues by name ("6.1", "7.9").
func Catalogues() map[string]*Catalogue {
	out := map[string]*Catalogue{}
	for k, v := range catalogues {
		out[k] = v
	}
	return out
}

var catalogues = map[string]*Catalogue{
	"6.1": cat61.indexed(),
	"7.9": cat79.indexed(),
}

// compiled patterns of the behaviours.
var (
	loginRE79  = regexp.MustCompile(`^[a-z][-a-z0-9_]*$`)
	loginRE61  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	serverRE79 = regexp.MustCompile(`^(https?://)?[A-Za-z0-9:.\[\]%_-]+$`)
	serverRE61 = regexp.MustCompile(`^(https?://)?[A-Za-z0-9:.\[\]_-]+$`)
)

func (b *Behaviour) loginRE() *regexp.Regexp {
	if b.LoginPattern == loginRE61.String() {
		return loginRE61
	}
	return loginRE79
}

func (b *Behaviour) serverRE() *regexp.Regexp {
	if b.HTTPServerPattern == serverRE61.String() {
		return serverRE61
	}
	return serverRE79
}
