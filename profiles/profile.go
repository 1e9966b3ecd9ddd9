// Package profiles reads fugu host profiles: versioned YAML documents that
// describe one OpenBSD machine (name, network, accounts, services, disks,
// sets, packages, files, roles).
//
// Decoding is strict: an unknown key, a value of the wrong type or a bad
// value is an error that names the file, line, column and field path, with a
// suggestion for a misspelt key. Every decoded field remembers where it came
// from, so that later stages (the plan, the rendered install.conf) can point
// a problem back at the profile line that caused it.
//
// The schema lives in the Go types below; the JSON Schema published for
// editors (profiles/profile.schema.json) is generated from them.
package profiles

// SchemaVersion is the profile format this package reads.
const SchemaVersion = 1

// Profile is one host profile. The yaml tags are the keys; the doc tags are
// the descriptions published in the JSON Schema.
type Profile struct {
	Version  int    `yaml:"version" doc:"Profile format version; must be 1." required:"true" enum:"1"`
	Hostname string `yaml:"hostname" doc:"Short host name, as the installer asks for it (e.g. 'puffy', not 'puffy.example.org')." required:"true"`
	Domain   string `yaml:"domain" doc:"DNS domain name (e.g. 'example.org')."`
	Release  string `yaml:"release" doc:"OpenBSD release to install, 6.1 up to the newest (e.g. '7.9'). Quote it: 7.10 is not 7.1." required:"true"`
	Arch     string `yaml:"arch" doc:"Machine architecture; default amd64." enum:"amd64,i386,arm64"`
	Keyboard string `yaml:"keyboard" doc:"Console keyboard layout (wsconsctl keyboard.encoding), e.g. 'us', 'de', 'fr'. Default: the installer's default."`
	Timezone string `yaml:"timezone" doc:"Time zone name from the tz database, e.g. 'Europe/Amsterdam' or 'UTC'." required:"true"`

	Console  *Console `yaml:"console" doc:"Serial console; leave out to keep the console on the screen."`
	Network  Network  `yaml:"network" doc:"Network interfaces, routes and name servers."`
	Root     Root     `yaml:"root" doc:"The root account." required:"true"`
	User     *User    `yaml:"user" doc:"One admin user, put in group wheel."`
	Services Services `yaml:"services" doc:"Services the installer asks about."`
	Disks    Disks    `yaml:"disks" doc:"Which disk is root, how it is laid out, and an optional /home disk." required:"true"`
	Sets     Sets     `yaml:"sets" doc:"Where the release sets come from, and which to add or drop."`
	Packages []string `yaml:"packages" doc:"Packages to install after the install, as pkg_add(1) names (e.g. 'vim--no_x11', 'python--%3.12')."`
	Files    []File   `yaml:"files" doc:"Extra files to put on the new system."`
	Roles    []string `yaml:"roles" doc:"Roles this host takes (e.g. 'mail-edge'); declared here, deployed by fugu deploy."`

	// src maps field paths ("disks.root.disk") to where they were written.
	src *Sources
	// dir is the directory of the profile file, for relative paths.
	dir string
}

// Console is a serial console.
type Console struct {
	Device string `yaml:"device" doc:"Serial port to use as the console; only com0 is offered by the installer." enum:"com0"`
	Speed  int    `yaml:"speed" doc:"Baud rate; default 115200." enum:"9600,19200,38400,57600,115200"`
}

// Network is the machine's network configuration.
type Network struct {
	Interfaces  []Interface `yaml:"interfaces" doc:"Interfaces to configure, in order; the first is configured by the installer."`
	Gateway     string      `yaml:"gateway" doc:"Default IPv4 route, needed when an interface has a static IPv4 address."`
	Gateway6    string      `yaml:"gateway6" doc:"Default IPv6 router, for static IPv6 addresses."`
	Nameservers []string    `yaml:"nameservers" doc:"DNS servers, for static configurations (DHCP supplies its own)."`
}

// Interface is one network interface.
type Interface struct {
	Name string `yaml:"name" doc:"Interface name as OpenBSD calls it: driver and unit, e.g. 'em0', 're0', 'iwm0'." required:"true"`
	IPv4 string `yaml:"ipv4" doc:"'autoconf' (DHCP; 'dhcp' is accepted), 'none', or a static address with prefix length, e.g. '192.0.2.10/24'. Default autoconf."`
	IPv6 string `yaml:"ipv6" doc:"'autoconf' (SLAAC), 'none', or a static address with prefix length, e.g. '2001:db8::10/64'. Default none."`
	// WiFi networks are written to hostname.if as join lines after the
	// install: the installer cannot load iwm/iwn/iwx firmware.
	WiFi []WiFi `yaml:"wifi" doc:"Wireless networks to join, written to hostname.if after the install (the installer cannot load the firmware most wifi chips need)."`
}

// WiFi is one wireless network to join.
type WiFi struct {
	SSID       string `yaml:"ssid" doc:"Network name (ESSID)." required:"true"`
	WPAKey     string `yaml:"wpakey" doc:"WPA passphrase. It ends up in hostname.if in clear text (mode 0640); prefer wpakey_file."`
	WPAKeyFile string `yaml:"wpakey_file" doc:"File holding the WPA passphrase, relative to the profile."`
}

// Root is the root account.
type Root struct {
	Password     string   `yaml:"password" doc:"bcrypt hash as encrypt(1) or 'fugu passwd' makes it ($2b$...), or 13 asterisks to disable password logins. Plaintext is refused."`
	PasswordFile string   `yaml:"password_file" doc:"File holding the bcrypt hash, relative to the profile."`
	SSHKeys      []string `yaml:"ssh_keys" doc:"Public SSH keys for root's authorized_keys."`

	hash string // Password, or the contents of PasswordFile
}

// Hash is root's password hash: the password field, or what password_file
// holds.
func (r Root) Hash() string { return r.hash }

// User is the one admin user the installer creates.
type User struct {
	Login        string   `yaml:"login" doc:"Login name: lower case, starting with a letter, at most 31 characters." required:"true"`
	Name         string   `yaml:"name" doc:"Full name (no ':', '&' or ',')."`
	Password     string   `yaml:"password" doc:"bcrypt hash ($2b$...), or 13 asterisks to disable password logins."`
	PasswordFile string   `yaml:"password_file" doc:"File holding the bcrypt hash, relative to the profile."`
	SSHKeys      []string `yaml:"ssh_keys" doc:"Public SSH keys for the user's authorized_keys."`

	hash string
}

// Hash is the user's password hash: the password field, or what
// password_file holds.
func (u User) Hash() string { return u.hash }

// Services are the yes/no questions the installer asks.
type Services struct {
	SSHD         *bool  `yaml:"sshd" doc:"Start sshd(8) by default; default true."`
	RootSSHLogin string `yaml:"root_ssh_login" doc:"Allow root SSH logins: 'no' (default), 'prohibit-password' or 'yes'." enum:"no,prohibit-password,yes"`
	X11          *bool  `yaml:"x11" doc:"Expect to run the X Window System; default false."`
	Xenodm       *bool  `yaml:"xenodm" doc:"Start X with xenodm(1) at boot; default false."`
}

// Disks says which disk is root and which holds /home.
type Disks struct {
	Root RootDisk  `yaml:"root" doc:"The root disk." required:"true"`
	Home *HomeDisk `yaml:"home" doc:"A second disk used whole for /home; leave out to keep /home on the root disk."`
}

// RootDisk is the disk the system is installed on.
type RootDisk struct {
	Disk   string `yaml:"disk" doc:"Which disk: 'ssd', 'hdd', 'nvme', 'largest', 'smallest', 'model:PATTERN' (shell pattern on the model), or a name such as 'sd1'. A rule matching several disks is an error." required:"true"`
	Table  string `yaml:"table" doc:"Partition table: 'gpt' (whole-disk GPT, default) or 'mbr' (whole-disk MBR)." enum:"gpt,mbr"`
	Layout Layout `yaml:"layout" doc:"'auto' for the installer's automatic layout, or a list of partitions."`
	Swap   string `yaml:"swap" doc:"Swap size with the auto layout: a size such as '8G', '2x-ram' for twice the machine's memory, or 'none'."`
}

// HomeDisk is a second disk used whole for /home.
type HomeDisk struct {
	Disk  string `yaml:"disk" doc:"Which disk: 'hdd', 'ssd', 'nvme', 'largest', 'smallest', 'model:PATTERN' or a name such as 'sd0'." required:"true"`
	Table string `yaml:"table" doc:"Partition table: 'gpt' (default) or 'mbr'." enum:"gpt,mbr"`
	Wipe  bool   `yaml:"wipe" doc:"Start the disk afresh even if it already holds an OpenBSD file system. By default an existing one (a reinstall) is kept and mounted as /home."`
}

// Layout is either the installer's automatic layout or a list of
// partitions. In YAML it is the string "auto" or a sequence.
type Layout struct {
	Auto       bool
	Partitions []Partition
}

// Partition is one line of an autopartitioning template.
type Partition struct {
	Mount   string `yaml:"mount" doc:"Mount point ('/', '/usr', ...), 'swap' or 'raid'." required:"true"`
	Size    string `yaml:"size" doc:"Size with a unit: '2G', a range '2G-8G', '2G-*', '*' for the rest, or 'Nx-ram' (e.g. '2x-ram' for swap)." required:"true"`
	Percent int    `yaml:"percent" doc:"Share (0-100) of the space left after every partition has its minimum."`
}

// Sets says where the release sets come from.
type Sets struct {
	Source string   `yaml:"source" doc:"'media' (the install stick, default) or an HTTP mirror URL such as 'https://cdn.openbsd.org/pub/OpenBSD'."`
	Add    []string `yaml:"add" doc:"Sets to add to the default selection, as installer patterns (e.g. 'site*')."`
	Drop   []string `yaml:"drop" doc:"Sets to drop, as installer patterns (e.g. 'game*', 'x*')."`
}

// File is an extra file for the new system.
type File struct {
	Path    string `yaml:"path" doc:"Absolute path on the new system." required:"true"`
	Mode    string `yaml:"mode" doc:"Octal mode, e.g. '0644' (default), '0600'." pattern:"^0?[0-7]{3,4}$"`
	Owner   string `yaml:"owner" doc:"Owner; default root."`
	Group   string `yaml:"group" doc:"Group; default wheel."`
	Content string `yaml:"content" doc:"The file's contents."`
	Source  string `yaml:"source" doc:"A local file to copy, relative to the profile (instead of content)."`
}
