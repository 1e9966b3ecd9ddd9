package autoinstall

// The question catalogues. Texts are quoted exactly from the installer
// sources named in each Source field:
//
//	7.9: distrib/miniroot/install.sub rev 1.1288 (2026-08-10, read in the
//	     movq/openbsd mirror), taken as 7.9's installer; amd64 questions
//	     from distrib/amd64/common/install.md rev 1.66 (2025-03-29) and
//	     1.67 (2026-09-19, IABSD-fr/src), whose questions are identical.
//	6.1: install.sub rev 1.1013 (2017-05-31, netzbasis/openbsd-src). The
//	     2017 amd64 install.md was not found: its questions (fdisk, GPT)
//	     are those of 1.66, which a 6.5-beta transcript confirms for
//	     2019, and are UNVERIFIED for 6.1.

// questions79 are the 7.9 questions in do_install order.
var questions79 = []Question{
	{ID: QTerm, Text: "Terminal type?", Default: "$TERM, else vt220", When: "the installer runs on a serial console", Valid: "any terminal name", Source: "set_term"},
	{ID: QKeyboard, Text: "Choose your keyboard layout ('?' or 'L' for list)", Default: "default", When: "console is not serial and kbd(8) is on the ramdisk", Valid: "a layout kbd -q accepts, or 'default'; anything else is asked again (and falls back to the default)", Source: "set_term"},
	{ID: QHostname, Text: "System hostname? (short form, e.g. 'foo')", Default: "the current hostname (from the DHCP host-name option when netbooted)", When: "always", Mandatory: "when no hostname is known", Valid: "no blanks or control characters; anything else stops the install", Source: "do_install"},
	{ID: QIface, Text: "Network interface to configure? (name, lladdr, '?', or 'done')", Default: "the netboot or first interface, then 'done'", When: "once per interface, until 'done'; skipped without interfaces", Valid: "an interface name, a unique lladdr, the offered vlanN or 'done'; anything else stops the install", Source: "configure_ifs"},
	{ID: QVlan, Text: "Which interface:tag should {if} be on?", Default: "<first non-vlan interface>:<vlan unit, or none for vlan0>", When: "a vlan interface was chosen", Valid: "parent:tag with tag 1-4095 or none; else the interface question comes back", Source: "vlan_config"},
	{ID: QAccessPoint, Text: "Access point? (ESSID, 'any', list# or '?')", Default: "any", When: "a wireless interface was chosen", Valid: "an ESSID, 'any', or a number from the scan list", Source: "ieee80211_config"},
	{ID: QSecurity, Text: "Security protocol? (O)pen{wep}{wpa}", Fills: map[string][]string{"wep": {"", ", (W)EP"}, "wpa": {"", ", WPA-(P)SK"}}, Default: "O", When: "an ESSID other than 'any' was given", Valid: "O, or W/P when offered; anything else is asked again", Source: "ieee80211_config"},
	{ID: QWEPKey, Text: "WEP key?", Default: "none", When: "W was chosen", Mandatory: "always", Valid: "a key ifconfig nwkey accepts", Source: "ieee80211_config (ask_passphrase)"},
	{ID: QWPAKey, Text: "WPA passphrase?", Default: "none", When: "P was chosen", Mandatory: "always", Valid: "8 to 63 characters or 64 hex digits; else the security question comes back", Source: "ieee80211_config (ask_passphrase)"},
	{ID: QSymName, Text: "Symbolic (host) name for {if}?", Default: "the hostname", When: "second and later configured interfaces", Valid: "any", Source: "configure_ifs"},
	{ID: QIPv4, Text: "IPv4 address for {if}? (or 'autoconf' or 'none')", Default: "autoconf", When: "every chosen interface", Valid: "autoconf (a, dhcp), none, addr or addr/len; an address ifconfig rejects stops the install", Source: "v4_config"},
	{ID: QNetmask, Text: "Netmask for {if}?", Default: "255.255.255.0", When: "a static IPv4 address without /len", Valid: "a netmask", Source: "v4_config"},
	{ID: QIPv6, Text: "IPv6 address for {if}? (or 'autoconf' or 'none')", Default: "autoconf", When: "every chosen interface", Valid: "autoconf (a), none, addr or addr/len; an address ifconfig rejects stops the install", Source: "v6_config"},
	{ID: QPrefixLen, Text: "IPv6 prefix length for {if}?", Default: "64", When: "a static IPv6 address without /len", Valid: "0-128", Source: "v6_config"},
	{ID: QRoute4, Text: "Default IPv4 route? (IPv4 address or 'none')", Default: "the existing default route", When: "an inet line was written and no DHCP interface set the default route", Mandatory: "when there is no default route yet (static addresses only)", Valid: "an IPv4 address or none; a route that fails is asked again", Source: "v4_defroute"},
	{ID: QRouter6, Text: "IPv6 default router? (IPv6 address or 'none')", Default: "none", When: "some interface has a static IPv6 address", Valid: "an IPv6 address or none", Source: "v6_defroute (autoinstall branch)"},
	{ID: QDomain, Text: "DNS domain name? (e.g. 'example.com')", Default: "the domain from resolv.conf, else the hostname's, else my.domain", When: "unless one DHCP interface is the only one configured", Valid: "any", Source: "donetconfig"},
	{ID: QNameservers, Text: "DNS nameservers? (IP address list or 'none')", Default: "the nameservers known, else none", When: "unless resolvd or a single DHCP interface supplied nameservers", Valid: "addresses or none", Source: "donetconfig"},
	{ID: QRootPassword, Text: "Password for root account?", Default: "none", When: "always", Mandatory: "always", Valid: "plaintext (hashed by encrypt -b a), a bcrypt hash, or 13 asterisks", Source: "do_install (ask_password)"},
	{ID: QRootKey, Text: "Public ssh key for root account?", Default: "none", When: "always in autoinstall", Valid: "an authorized_keys line or none", Source: "do_install"},
	{ID: QSSHD, Text: "Start sshd(8) by default?", Default: "yes", When: "always", Valid: "y, yes, n, no (any case); anything else stops the install", Source: "questions"},
	{ID: QX11, Text: "Do you expect to run the X Window System?", Default: "yes", When: "a wsdisplay attached and the ramdisk kernel printed 'aperture needed'", Valid: "yes/no; else the install stops", Source: "questions"},
	{ID: QXenodm, Text: "Do you want the X Window System to be started by xenodm(1)?", Default: "no", When: "a wsdisplay attached and the X question was not answered no (MDXDM=y)", Valid: "yes/no; else the install stops", Source: "questions"},
	{ID: QConsole, Text: "Change the default console to {cons}?", Default: "yes on a serial console, else no", When: "a com port attached (md_consoleinfo)", Valid: "yes/no; else the install stops", Source: "questions"},
	{ID: QSpeed, Text: "Which speed should {cons} use?", Suffix: " (or 'done')", Default: "the console's speed, else 9600", When: "the console is changed", Valid: "9600 19200 38400 57600 115200 or done; else the install stops", Source: "questions (ask_which)"},
	{ID: QUser, Text: "Setup a user? (enter a lower-case loginname, or 'no')", Default: "no", When: "always", Valid: "no, or a login [a-z][-a-z0-9_]* of at most 31 characters that is not reserved; anything else is asked again (and falls back to no)", Source: "user_setup"},
	{ID: QUserAgain, Text: "No really, what is the lower-case loginname, or 'no'?", Default: "no", When: "the user question was answered y or yes", Valid: "as the user question", Source: "user_setup"},
	{ID: QFullName, Text: "Full name for user {user}?", Default: "the login name", When: "a user is set up", Valid: "no ':', '&' or ',', at most 100 characters; else asked again", Source: "user_setup"},
	{ID: QUserPassword, Text: "Password for user {user}?", Default: "none", When: "a user is set up", Mandatory: "always", Valid: "as the root password", Source: "user_setup (ask_password)"},
	{ID: QUserKey, Text: "Public ssh key for user {user}", Default: "none", When: "a user is set up, in autoinstall", Valid: "an authorized_keys line or none", Source: "user_setup"},
	{ID: QRootSSH, Text: "Allow root ssh login? (yes, no, prohibit-password)", Default: "no", When: "sshd is started", Valid: "y, yes, n, no, w, p, without-password, prohibit-password (any case); else the install stops", Source: "ask_root_sshd"},
	{ID: QTimezone, Text: "What timezone are you in? ('?' for list)", Default: "the ftplist.cgi hint", When: "early if ftplist.cgi gave a hint, else after the sets are installed", Mandatory: "when asked after the sets (no hint)", Valid: "a zone or zone directory; an unknown zone is asked again", Source: "set_timezone"},
	{ID: QSubTimezone, Text: "What sub-timezone of '{zone}' are you in? ('?' for list)", Default: "none", When: "the timezone answer is a directory such as Europe", Mandatory: "always", Valid: "a zone in that directory", Source: "set_timezone"},
	{ID: QRootDisk, Text: "Which disk is the root disk? ('?' for details)", Default: "the first disk, disks under 1 GB last", When: "always", Valid: "a disk name, DUID or /dev path; else the install stops", Source: "get_rootinfo"},
	{ID: QEncrypt, Text: "Encrypt the root disk with a (p)assphrase or (k)eydisk?", Default: "no", When: "bioctl is present and no softraid volume is assembled (MDBOOTSR=y)", Valid: "p..., k..., n...; anything else is asked again (and falls back to no)", Source: "encrypt_root"},
	{ID: QPassphrase, Text: "New passphrase?", Default: "none", When: "p was chosen", Mandatory: "always", Valid: "any", Source: "encrypt_root (ask_passphrase)"},
	{ID: QKeyDisk, Text: "Which disk contains the key disk?", Suffix: " (or 'done')", Default: "the first disk other than the root disk", When: "k was chosen", Valid: "a disk or done; else the install stops", Source: "pick_keydisk"},
	{ID: QKeyDiskPart, Text: "Which {disk} partition is the key disk?", Suffix: " (or 'done')", Default: "the first RAID partition", When: "the key disk has RAID partitions", Valid: "a RAID partition or done", Source: "pick_keydisk"},
	{ID: QFdisk, Text: "Use (W)hole disk MBR, whole disk (G)PT{obsd} or (E)dit?", Fills: map[string][]string{"obsd": {"", ", (O)penBSD area"}}, Default: "gpt when MDEFI, OpenBSD when the disk has an OpenBSD partition, else whole", When: "each disk being initialized (twice for an encrypted root: chunk, then volume)", Valid: "w..., g..., e... (interactive fdisk), o... (only in the OpenBSD-area variant); anything else is asked again", Source: "install.md md_prep_fdisk"},
	{ID: QGPTProceed, Text: "An EFI/GPT disk may not boot. Proceed?", Default: "no", When: "GPT chosen on a machine without MDEFI", Valid: "yes/no; no asks the fdisk question again", Source: "install.md md_prep_fdisk"},
	{ID: QTemplate, Text: "URL to autopartitioning template for disklabel?", Default: "none", When: "the root disk, in autoinstall", Valid: "none, or a URL ftp(1) fetches; a failed fetch or a template disklabel -A cannot allocate stops the install", Source: "disklabel_autolayout"},
	{ID: QLayout, Text: "Use (A)uto layout, (E)dit auto layout, or create (C)ustom layout?", Default: "a", When: "the root disk when no template was given", Valid: "a...; e... and c... start the interactive disklabel editor; anything else is asked again", Source: "disklabel_autolayout"},
	{ID: QInitDisk, Text: "Which disk do you wish to initialize?", Suffix: " (or 'done')", Default: "done", When: "after the root disk, while uninitialized disks remain", Valid: "done; any disk starts fdisk and the interactive disklabel editor (disklabel -E), which an unattended install cannot answer", Source: "do_install (ask_which)"},
	{ID: QLocation, Text: "Location of sets? ({locs} or 'done')", Default: "http with a network interface, else the first CD, else disk; 'done' after a location was used", When: "until 'done'", Valid: "c..., d..., h..., n... or done; anything else stops the install", Source: "install_sets"},
	{ID: QProxy, Text: "HTTP proxy URL? (e.g. 'http://proxy:8080', or 'none')", Default: "none", When: "location http", Valid: "a URL or none", Source: "install_http"},
	{ID: QServer, Text: "HTTP Server? ({choices})", Fills: map[string][]string{"choices": {"hostname, list#, 'done' or '?'", "hostname or 'done'"}}, Default: "the server ftplist.cgi suggests", When: "location http", Mandatory: "when ftplist.cgi could not be reached", Valid: "[http[s]://]host; a number picks from the mirror list", Source: "install_http"},
	{ID: QServerDir, Text: "Server directory?", Default: "pub/OpenBSD/<version>/<arch>", When: "location http", Valid: "any", Source: "install_http"},
	{ID: QMounted, Text: "Is the disk partition already mounted?", Default: "no", When: "location disk", Valid: "yes/no", Source: "install_disk"},
	{ID: QMediaDisk, Text: "Which disk contains the {mode} media?", Suffix: " (or 'done')", Default: "the first disk not initialized in this install", When: "location disk, not mounted", Valid: "a disk or done; else the install stops", Source: "install_disk (ask_which)"},
	{ID: QMediaPart, Text: "Which {disk} partition has the {mode} sets?", Suffix: " (or 'done')", Default: "the first partition with a file system", When: "the media disk has several file systems and none on c", Valid: "a partition or done", Source: "mount_mnt2 (ask_which)"},
	{ID: QSetsPath, Text: "Pathname to the sets? (or 'done')", Default: "<version>/<arch>", When: "location disk or cd", Valid: "a directory; a missing one stops the install", Source: "install_mounted_fs"},
	{ID: QNFSServer, Text: "Server IP address or hostname?", Default: "none", When: "location nfs", Mandatory: "always", Valid: "any", Source: "install_nfs"},
	{ID: QNFSPath, Text: "Filesystem on server to mount?", Default: "none", When: "location nfs", Mandatory: "always", Valid: "any", Source: "install_nfs"},
	{ID: QNFSTCP, Text: "Use TCP transport? (requires TCP-capable NFS server)", Default: "no", When: "location nfs", Valid: "yes/no", Source: "install_nfs"},
	{ID: QInstallDoc, Text: "INSTALL.{arch} not found. Use sets found here anyway?", Default: "no", When: "the set directory lacks INSTALL.<arch>", Valid: "yes/no", Source: "install_files"},
	{ID: QSets, Text: "Set name(s)? (or 'abort' or 'done')", Default: "done", When: "each location, until an answer holds done or abort", Valid: "set names or patterns, -pattern, all, done, abort", Source: "select_sets"},
	{ID: QChecksum, Text: "Checksum test for {set} failed. Continue anyway?", Default: "no", When: "a selected set is not in the signed SHA256 (a site set)", Valid: "yes/no; no stops the install", Source: "install_files"},
	{ID: QFetchFailed, Text: "Fetching of {set} failed. Continue anyway?", Default: "no", When: "a download failed", Valid: "yes/no; no stops the install", Source: "install_files"},
	{ID: QInstallFailed, Text: "Installation of {set} failed. Continue anyway?", Default: "no", When: "extracting a set failed", Valid: "yes/no; no stops the install", Source: "install_files"},
	{ID: QUnverified, Text: "{reason}. Continue without verification?", Default: "no", When: "some set could not be verified: 'Unverified sets: <list>', 'Directory does not contain SHA256.sig', ...", Valid: "yes/no; no stops the install", Source: "install_files"},
	{ID: QSure, Text: "Are you *SURE* your {mode} is complete without '{set}'?", Default: "no", When: "'done' while bsd, bsd.mp (NCPU>1) or base is not installed", Valid: "yes/no; no stops the install", Source: "sane_install"},
	{ID: QTimeWrong, Text: "Time appears wrong.  Set to '{date}'?", Default: "yes", When: "ftplist.cgi's time differs by more than 120 s", Valid: "yes/no", Source: "do_install"},
}

var cat79 = &Catalogue{
	Name:       "7.9",
	InstallSub: "distrib/miniroot/install.sub 1.1288 (2026-08-10), movq/openbsd; treated as the installer of OpenBSD 7.9 (May 2026)",
	InstallMD:  "distrib/amd64/common/install.md 1.66 (2025-03-29) / 1.67 (2026-09-19), IABSD-fr/src",
	Note:       "install.md 1.66 sets MDEFI (GPT default) when the dmesg has 'efifb0 at mainbus0' or ACPI 5 or later; 1.67, five months after 7.9, tests 'efi0 at bios0' instead",
	Questions:  questions79,
	Behaviour: Behaviour{
		V4DHCPWords:                   []string{"a", "autoconf", "dhcp"},
		V4CIDR:                        true,
		V4FailExits:                   true,
		DefRouteOnInetLine:            true,
		V6AutoconfWords:               []string{"a", "autoconf"},
		V6CIDR:                        true,
		V6FailExits:                   true,
		VlanTagNone:                   true,
		DomainSkip:                    DomainSkipDHCPSingleNoSearch,
		NameserversSkip:               NameserversSkipResolvd,
		LoginPattern:                  loginRE79.String(),
		RootDiskSmallLast:             true,
		RootDiskNames:                 true,
		EncryptRoot:                   true,
		MediaDiskDefaultUninitialized: true,
		HTTPNeedsInterface:            true,
		LocationDefaults:              []string{"ifs", "cd", "disk"},
		HTTPServerPattern:             serverRE79.String(),
		MediaSigned:                   true,
		ExcludeSoftraidChunks:         true,
		Xenodm:                        true,
		Keyboard:                      true,
		GPTDefault:                    "install.md 1.66: 'efifb0 at mainbus0' or 'acpi0 at bios0: ACPI 5.x' or later; 1.67: 'efi0 at bios0'",
	},
}

// questions61 are the 6.1 questions: the 7.9 list with the 1.1013 texts
// and defaults, without the disk encryption questions (encrypt_root does
// not exist in 1.1013) and with the https fallback question.
var questions61 = func() []Question {
	changed := map[QID]Question{
		QIface:       {ID: QIface, Text: "Which network interface do you wish to configure?", Suffix: " (or 'done')", Default: "the netboot or first interface, then 'done'", When: "once per interface, until 'done'", Valid: "an interface of get_ifs (vlanN included) or done; else the install stops", Source: "configure_ifs (ask_which)"},
		QVlan:        {ID: QVlan, Text: "Which interface:tag should {if} be on?", Default: "<first non-vlan interface>:<first free tag>", When: "a vlan interface was chosen", Valid: "parent:tag with tag 1-4095; else the interface question comes back", Source: "configure_ifs"},
		QSecurity:    {ID: QSecurity, Text: "Security protocol? (O)pen, (W)EP{wpa}", Fills: map[string][]string{"wpa": {"", ", WPA-(P)SK"}}, Default: "O", When: "an ESSID other than 'any' was given", Valid: "O, W, or P when offered; anything else is asked again", Source: "ieee80211_config"},
		QWEPKey:      {ID: QWEPKey, Text: "WEP key? (will echo)", Default: "none", When: "W was chosen", Mandatory: "always", Valid: "a key ifconfig nwkey accepts", Source: "ieee80211_config (ask_until)"},
		QWPAKey:      {ID: QWPAKey, Text: "WPA passphrase? (will echo)", Default: "none", When: "P was chosen", Mandatory: "always", Valid: "8 to 63 characters or 64 hex digits; else the security question comes back", Source: "ieee80211_config (ask_until)"},
		QIPv4:        {ID: QIPv4, Text: "IPv4 address for {if}? (or 'dhcp' or 'none')", Default: "dhcp while no interface uses DHCP yet, else none", When: "every chosen interface", Mandatory: "after an earlier interface took DHCP", Valid: "dhcp, none or an address; 'autoconf' or an address ifconfig rejects leaves the interface unconfigured", Source: "v4_config"},
		QNetmask:     {ID: QNetmask, Text: "Netmask for {if}?", Default: "255.255.255.0", When: "every static IPv4 address", Valid: "a netmask", Source: "v4_config"},
		QIPv6:        {ID: QIPv6, Text: "IPv6 address for {if}? (or 'autoconf' or 'none')", Default: "none", When: "every chosen interface", Valid: "autoconf, none or an address", Source: "v6_config"},
		QPrefixLen:   {ID: QPrefixLen, Text: "IPv6 prefix length for {if}?", Default: "64", When: "every static IPv6 address", Valid: "0-128", Source: "v6_config"},
		QRoute4:      {ID: QRoute4, Text: "Default IPv4 route? (IPv4 address or none)", Default: "the existing default route", When: "an IPv4 address is configured and dhclient did not set the default route", Mandatory: "when there is no default route yet (static addresses only)", Valid: "an IPv4 address or none; a route that fails is asked again", Source: "v4_defroute"},
		QRouter6:     {ID: QRouter6, Text: "IPv6 default router?", Default: "none", When: "after a static IPv6 address while there is no IPv6 default route", Mandatory: "always", Valid: "an IPv6 address or none", Source: "v6_defroute"},
		QDomain:      {ID: QDomain, Text: "DNS domain name? (e.g. 'bar.com')", Default: "the domain dhclient learnt, else the hostname's, else my.domain", When: "unless a single DHCP interface supplied the domain", Valid: "any", Source: "donetconfig"},
		QNameservers: {ID: QNameservers, Text: "DNS nameservers? (IP address list or 'none')", Default: "the nameservers dhclient learnt, else none", When: "unless a single DHCP interface supplied nameservers", Valid: "addresses or none", Source: "donetconfig"},
		QUser:        {ID: QUser, Text: "Setup a user? (enter a lower-case loginname, or 'no')", Default: "no", When: "always", Valid: "no, or a login [a-z][a-z0-9_]* of at most 31 characters that is not reserved; anything else is asked again (and falls back to no)", Source: "user_setup"},
		QRootDisk:    {ID: QRootDisk, Text: "Which disk is the root disk? ('?' for details)", Default: "the first disk", When: "always", Valid: "a disk name; else the install stops", Source: "get_rootinfo"},
		QMediaDisk:   {ID: QMediaDisk, Text: "Which disk contains the {mode} media?", Suffix: " (or 'done')", Default: "the first disk that is not the root disk", When: "location disk, not mounted", Valid: "a disk or done; else the install stops", Source: "install_disk (ask_which)"},
		QLocation:    {ID: QLocation, Text: "Location of sets? ({locs} or 'done')", Default: "http when netbooted, else the first CD, else http; 'done' after a location was used", When: "until 'done'", Valid: "c..., d..., h..., n... or done; anything else stops the install", Source: "install_sets"},
	}
	dropped := map[QID]bool{QEncrypt: true, QPassphrase: true, QKeyDisk: true, QKeyDiskPart: true}
	var out []Question
	for _, q := range questions79 {
		if dropped[q.ID] {
			continue
		}
		if c, ok := changed[q.ID]; ok {
			q = c
		}
		out = append(out, q)
		if q.ID == QServerDir {
			out = append(out, Question{ID: QHTTPFallback, Text: "Unable to connect using https. Use http instead?", Default: "no", When: "https failed for a server given without a scheme", Valid: "yes/no; no gives up on this location", Source: "install_http"})
		}
	}
	return out
}()

var cat61 = &Catalogue{
	Name:       "6.1",
	InstallSub: "distrib/miniroot/install.sub 1.1013 (2017-05-31), netzbasis/openbsd-src; -current six weeks after 6.1, exact 6.1 behaviour UNVERIFIED",
	InstallMD:  "UNVERIFIED: the 2017 amd64 install.md was not found; fdisk/GPT questions as in install.md 1.66 (confirmed for 6.5-beta by a transcript)",
	Note:       "the install image of that era had no SHA256.sig in its set directory, so every set from the stick is unverified",
	Questions:  questions61,
	Behaviour: Behaviour{
		IfaceAskWhich:           true,
		V4DHCPWords:             []string{"dhcp"},
		V4DefaultBeforeDHCPOnly: true,
		V6AutoconfWords:         []string{"autoconf"},
		V6RouterPerInterface:    true,
		SecurityWEPAlways:       true,
		DomainSkip:              DomainSkipDHCPSingleWithDomain,
		NameserversSkip:         NameserversSkipDHCPSingle,
		LoginPattern:            loginRE61.String(),
		LocationDefaults:        []string{"netboot", "cd", "http"},
		HTTPSFallbackAsks:       true,
		HTTPServerPattern:       serverRE61.String(),
		Xenodm:                  true,
		Keyboard:                true,
		GPTDefault:              "UNVERIFIED for 6.1 (install.md not found); modelled as 1.66",
	},
}
