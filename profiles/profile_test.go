package profiles

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// base is a small valid profile; the error table edits one line of it, so
// the line numbers in the expected messages refer to this text.
const base = `version: 1
hostname: puffy
release: "7.9"
timezone: Europe/Amsterdam
network:
  interfaces:
    - name: em0
root:
  password: "$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a"
disks:
  root:
    disk: ssd
`

func TestBaseIsValid(t *testing.T) {
	p, err := Parse("t.yaml", []byte(base), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Hostname != "puffy" || p.Release != "7.9" || p.Arch != "amd64" || p.Disks.Root.Table != "gpt" || !p.Disks.Root.Layout.Auto {
		t.Errorf("decoded %+v", p)
	}
	if got := p.Network.Interfaces[0].IPv4; got != "autoconf" {
		t.Errorf("default ipv4 = %q, want autoconf", got)
	}
	if got := p.Services.RootSSHLogin; got != "no" {
		t.Errorf("default root_ssh_login = %q, want no", got)
	}
	if got := p.Sources().At("disks.root.disk"); got != (Pos{"t.yaml", 12, 11}) {
		t.Errorf("position of disks.root.disk = %v", got)
	}
	// A field not written points at its nearest written parent.
	if got := p.Sources().At("disks.root.table"); got != (Pos{"t.yaml", 12, 5}) {
		t.Errorf("position of unwritten disks.root.table = %v", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // edit applied to base
		want     string
	}{
		{"unknown key", "timezone: Europe/Amsterdam\n", "timezone: Europe/Amsterdam\ncolour: blue\n",
			`t.yaml:5:1: colour: unknown key "colour"; known keys here: version, hostname, domain, release, arch, keyboard, timezone, console, network, root, user, services, disks, sets, packages, files, roles`},
		{"misspelt key", "hostname: puffy", "hostnmae: puffy",
			`t.yaml:2:1: hostnmae: unknown key "hostnmae"; did you mean "hostname"?`},
		{"misspelt nested key", "    disk: ssd", "    dsik: ssd",
			`t.yaml:12:5: disks.root.dsik: unknown key "dsik"; did you mean "disk"?`},
		{"wrong type, list for string", "disk: ssd", "disk: [ssd]",
			`t.yaml:12:11: disks.root.disk: expected a string, got a list`},
		{"wrong type, string for list", "  interfaces:\n    - name: em0", "  interfaces: em0",
			`t.yaml:6:15: network.interfaces: expected a list, got the string "em0"; write a one-item list as [em0] or as a line starting with '- '`},
		{"wrong type, mapping for string", "hostname: puffy", "hostname: {name: puffy}",
			`t.yaml:2:11: hostname: expected a string, got a mapping`},
		{"bad hostname", "hostname: puffy", "hostname: puffy_fish",
			`t.yaml:2:11: hostname: "puffy_fish" is not a valid host name: use letters, digits and '-', not at either end, at most 63 characters`},
		{"fqdn as hostname", "hostname: puffy", "hostname: puffy.example.org",
			`t.yaml:2:11: hostname: "puffy.example.org" is not a short name; write hostname: puffy and domain: example.org`},
		{"bad interface name", "name: em0", "name: eth0",
			`t.yaml:7:13: network.interfaces[0].name: "eth0" is a Linux-style name; OpenBSD names interfaces after their driver and unit, e.g. em0, re0, iwm0`},
		{"interface without unit", "name: em0", "name: em",
			`t.yaml:7:13: network.interfaces[0].name: "em" is not an interface name: a driver name and a unit number, e.g. em0, re0, iwm0`},
		{"unknown timezone", "Europe/Amsterdam", "Europe/Amsterdm",
			`t.yaml:4:11: timezone: unknown timezone "Europe/Amsterdm" (did you mean "Europe/Amsterdam"?); names are like Europe/Amsterdam, America/New_York or UTC`},
		{"plaintext password", `"$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a"`, "hunter22",
			`t.yaml:9:13: root.password: plaintext password refused: store a bcrypt hash made with 'fugu passwd' (or encrypt(1)), or pass --allow-plaintext`},
		{"truncated hash", `Dp077v8a"`, `"`,
			`t.yaml:9:13: root.password: malformed bcrypt hash: expected $2b$NN$ and 53 characters (quote it in YAML)`},
		{"missing password", "root:\n  password: \"$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a\"", "root:\n  ssh_keys: []",
			`t.yaml:9:3: root: missing password: the installer requires one (a bcrypt hash from 'fugu passwd', password_file, or 13 asterisks to disable password logins)`},
		{"unknown release", `"7.9"`, `"5.9"`,
			`t.yaml:3:10: release: unknown release "5.9": fugu installs 6.1 up to 7.9`},
		{"bad disk rule", "disk: ssd", "disk: sdd",
			`t.yaml:12:11: disks.root.disk: "sdd" is not a disk rule (did you mean "ssd"?): use ssd, hdd, nvme, largest, smallest, model:PATTERN or a disk name such as sd0`},
		{"bad table", "disk: ssd", "disk: ssd\n    table: gtp",
			`t.yaml:13:12: disks.root.table: "gtp" is not a partition table: gpt or mbr`},
		{"size without unit", "disk: ssd", "disk: ssd\n    layout:\n      - {mount: /, size: 2}",
			`t.yaml:14:26: disks.root.layout[0].size: size "2": "2" has no unit; write 2G or 2M (units k, m, g, t)`},
		{"size in GB", "disk: ssd", "disk: ssd\n    layout:\n      - {mount: /, size: 2GB}",
			`t.yaml:14:26: disks.root.layout[0].size: size "2GB": write units as one letter, k, m, g or t ("2G")`},
		{"layout without root", "disk: ssd", "disk: ssd\n    layout:\n      - {mount: /usr, size: 2G}",
			`t.yaml:14:7: disks.root.layout: no '/' partition: the installer requires one on the root disk`},
		{"swap with a layout list", "disk: ssd", "disk: ssd\n    swap: 8G\n    layout:\n      - {mount: /, size: 2G}",
			`t.yaml:13:11: disks.root.swap: swap: goes with layout: auto; in a layout list give the swap partition its size`},
		{"layout is neither", "disk: ssd", "disk: ssd\n    layout: big",
			`t.yaml:13:13: disks.root.layout: expected 'auto' or a list of partitions, got the string "big"`},
		{"newer version", "version: 1", "version: 2",
			`t.yaml:1:10: version: version 2 is newer than this fugu reads (1); upgrade fugu`},
		{"key written twice", "hostname: puffy", "hostname: puffy\nhostname: fish",
			`t.yaml:3:1: hostname: key written twice (first at line 2)`},
		{"yaml syntax", "hostname: puffy", "hostname: puffy: fish",
			`t.yaml:2: YAML syntax: mapping values are not allowed in this context`},
		{"xenodm without x11", "disks:", "services:\n  xenodm: yes\ndisks:",
			`t.yaml:11:11: services.xenodm: xenodm needs x11: true`},
		{"bad mode", "disks:", "files:\n  - {path: /etc/doas.conf, mode: \"0688\", content: \"\"}\ndisks:",
			`t.yaml:11:34: files[0].mode: "0688" is not an octal mode such as 0644 or 0600 (digits 0-7)`},
		{"unknown role", "disks:", "roles: [mail-egde]\ndisks:",
			`t.yaml:10:9: roles[0]: unknown role "mail-egde" (did you mean "mail-edge"?); roles: mail-edge`},
		{"static address without gateway", "    - name: em0", "    - name: em0\n      ipv4: 192.0.2.10/24",
			`t.yaml:7:5: network.interfaces: a static IPv4 address needs network.gateway (the installer asks for the default route and has no default)`},
		{"reserved login", "disks:", "user:\n  login: operator\n  password: \"*************\"\ndisks:",
			`t.yaml:11:10: user.login: "operator" is a name the installer refuses (reserved, or taken as a yes/no answer)`},
		{"empty hostname", "hostname: puffy", "hostname: \"\"",
			`t.yaml:2:11: hostname: empty; give the short host name, e.g. puffy`},
		{"$2y$ hash", `$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a`, `$2y$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a`,
			`t.yaml:9:13: root.password: a $2y$ bcrypt hash (htpasswd, PHP): OpenBSD reads only $2a$ and $2b$; make one with 'fugu passwd'`},
		{"sha512 crypt hash", `"$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a"`, `"$6$salt$abc"`,
			`t.yaml:9:13: root.password: a crypt(3) hash OpenBSD cannot read (it only reads bcrypt); make one with 'fugu passwd'`},
		{"truncated ssh key", "disks:", "user:\n  login: puffy\n  password: \"*************\"\n  ssh_keys: [ssh-ed25519 AAAA]\ndisks:",
			`t.yaml:13:14: user.ssh_keys[0]: not a public SSH key (the key data is cut short): expected a line like 'ssh-ed25519 AAAA... comment' as in id_ed25519.pub`},
		{"pseudo interface", "name: em0", "name: vlan0",
			`t.yaml:7:13: network.interfaces[0].name: vlan0 is a pseudo-interface, which the installer does not configure; write /etc/hostname.vlan0 with files:`},
		{"two stars", "disk: ssd", "disk: ssd\n    layout:\n      - {mount: /, size: 1G}\n      - {mount: /usr, size: \"*\"}\n      - {mount: /var, size: \"*\"}",
			`t.yaml:15:29: disks.root.layout[1].size: '*' on a line other than the last gets no space (only the last line takes what is left); give it a size, a minimum (1G-*) with a percentage, or move it last`},
		{"gpt on i386", "disk: ssd", "disk: ssd\n    table: gpt\narch: i386",
			`t.yaml:13:12: disks.root.table: the i386 installer partitions disks with MBR only; use table: mbr`},
		{"add matching nothing", "disks:", "sets:\n  add: [ports*]\ndisks:",
			`t.yaml:11:9: sets.add[0]: "ports*" matches no set of 7.9: bsd bsd.mp bsd.rd base79.tgz comp79.tgz man79.tgz game79.tgz xbase79.tgz xshare79.tgz xfont79.tgz xserv79.tgz site79.tgz site79-puffy.tgz`},
		{"files over master.passwd", "disks:", "files:\n  - {path: /etc/master.passwd, content: x}\ndisks:",
			`t.yaml:11:12: files[0].path: /etc/master.passwd is written from root and user (the installer and pwd_mkdb); change that instead`},
		{"drop base", "disks:", "sets:\n  drop: [base*]\ndisks:",
			`t.yaml:11:10: sets.drop[0]: dropping "base*" removes a set the system needs; the installer would stop to ask "Are you *SURE*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.old) {
				t.Fatalf("edit %q not found in base", tt.old)
			}
			doc := strings.Replace(base, tt.old, tt.new, 1)
			_, err := Parse("t.yaml", []byte(doc), Options{})
			if err == nil {
				t.Fatalf("no error for:\n%s", doc)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n got  %s\n want %s", got, tt.want)
			}
		})
	}
}

func TestPlaintextAllowed(t *testing.T) {
	doc := strings.Replace(base, `"$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a"`, "hunter22", 1)
	p, err := Parse("t.yaml", []byte(doc), Options{AllowPlaintext: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Root.Password != "hunter22" {
		t.Errorf("password = %q", p.Root.Password)
	}
}

func TestSeveralErrorsAtOnce(t *testing.T) {
	doc := strings.Replace(base, "hostname: puffy", "hostname: -bad-", 1)
	doc = strings.Replace(doc, "Europe/Amsterdam", "Mars/Olympus", 1)
	_, err := Parse("t.yaml", []byte(doc), Options{})
	want := `t.yaml:2:11: hostname: "-bad-" is not a valid host name: use letters, digits and '-', not at either end, at most 63 characters
t.yaml:4:11: timezone: unknown timezone "Mars/Olympus"; names are like Europe/Amsterdam, America/New_York or UTC`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestPasswordFile(t *testing.T) {
	dir := t.TempDir()
	hash := "$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a"
	if err := os.WriteFile(filepath.Join(dir, "root.hash"), []byte(hash+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "open.hash"), []byte(hash+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(base, `password: "`+hash+`"`, "password_file: root.hash", 1)
	if _, err := Parse(filepath.Join(dir, "p.yaml"), []byte(doc), Options{}); err != nil {
		t.Errorf("0600 hash file: %v", err)
	}
	doc = strings.Replace(base, `password: "`+hash+`"`, "password_file: open.hash", 1)
	_, err := Parse(filepath.Join(dir, "p.yaml"), []byte(doc), Options{})
	want := filepath.Join(dir, "p.yaml") + ":9:18: root.password_file: open.hash can be read by group or others (mode 0644); it holds a secret: chmod 600 " + filepath.Join(dir, "open.hash")
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob("examples/*.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		p, err := Load(f, Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if p.Version != 1 || p.Release == "" || p.Hostname == "" {
			t.Errorf("%s: decoded %+v", f, p)
		}
	}
	p, err := Load("examples/laptop.yaml", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Disks.Root.Disk != "ssd" || p.Disks.Home == nil || p.Disks.Home.Disk != "hdd" || p.Disks.Root.Swap != "2x-ram" {
		t.Errorf("laptop disks: %+v home %+v", p.Disks.Root, p.Disks.Home)
	}
	if len(p.Network.Interfaces) != 2 || p.Network.Interfaces[1].WiFi[0].SSID != "home" {
		t.Errorf("laptop network: %+v", p.Network)
	}
	if *p.Services.X11 != true || *p.Services.Xenodm != true || p.Services.RootSSHLogin != "no" {
		t.Errorf("laptop services: %+v", p.Services)
	}
}

func TestParseSize(t *testing.T) {
	tests := []struct {
		in   string
		want Size
		str  string
	}{
		{"2G", Size{Amount{Bytes: 2 << 30}, Amount{Bytes: 2 << 30}}, "2G"},
		{"512m", Size{Amount{Bytes: 512 << 20}, Amount{Bytes: 512 << 20}}, "512M"},
		{"1.5G", Size{Amount{Bytes: 3 << 29}, Amount{Bytes: 3 << 29}}, "1.5G"},
		{"2G-8G", Size{Amount{Bytes: 2 << 30}, Amount{Bytes: 8 << 30}}, "2G-8G"},
		{"20G-*", Size{Amount{Bytes: 20 << 30}, Amount{Unlimited: true}}, "20G-*"},
		{"*", Size{Amount{}, Amount{Unlimited: true}}, "*"},
		{"2x-ram", Size{Amount{RAM: 2}, Amount{RAM: 2}}, "2x-ram"},
		{"1x-ram-4x-ram", Size{Amount{RAM: 1}, Amount{RAM: 4}}, "1x-ram-4x-ram"},
		{"1G-2x-ram", Size{Amount{Bytes: 1 << 30}, Amount{RAM: 2}}, "1G-2x-ram"},
		{"1T", Size{Amount{Bytes: 1 << 40}, Amount{Bytes: 1 << 40}}, "1T"},
		{"300k", Size{Amount{Bytes: 300 << 10}, Amount{Bytes: 300 << 10}}, "300K"},
	}
	for _, tt := range tests {
		got, err := ParseSize(tt.in)
		if err != nil {
			t.Errorf("ParseSize(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSize(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
		if got.String() != tt.str {
			t.Errorf("ParseSize(%q).String() = %q, want %q", tt.in, got.String(), tt.str)
		}
	}
	bad := map[string]string{
		"":      `size is empty: write 2G, 512M, 2G-8G, 2G-*, * or 2x-ram`,
		"8G-2G": `size "8G-2G": the minimum is larger than the maximum`,
		"2–4G":  `size "2–4G" is not a size: write 2G, 512M, 2G-8G, 2G-*, * or 2x-ram`,
		"0G":    `size "0G": "0G" must be more than zero`,
		"-2G":   `size "-2G": an end of the range is empty`,
		"2 G":   `size "2 G" is not a size: write 2G, 512M, 2G-8G, 2G-*, * or 2x-ram`,
	}
	for in, want := range bad {
		if _, err := ParseSize(in); err == nil || err.Error() != want {
			t.Errorf("ParseSize(%q) error = %v, want %s", in, err, want)
		}
	}
}

func TestAmountResolve(t *testing.T) {
	physmem := int64(34242756608)
	if got := (Amount{RAM: 2}).Resolve(physmem); got != 2*physmem {
		t.Errorf("2x-ram = %d", got)
	}
	if got := (Amount{Bytes: 1 << 30}).Resolve(physmem); got != 1<<30 {
		t.Errorf("1G = %d", got)
	}
}

func TestParseMode(t *testing.T) {
	good := map[string]uint32{"0644": 0o644, "644": 0o644, "0600": 0o600, "4755": 0o4755, "0o640": 0o640}
	for in, want := range good {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %o, %v; want %o", in, got, err, want)
		}
	}
	for _, in := range []string{"rw-r--r--", "0688", "12", "077777"} {
		if _, err := ParseMode(in); err == nil {
			t.Errorf("ParseMode(%q) accepted", in)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	tests := map[int64]string{0: "0B", 17: "17B", 1024: "1K", 3 << 29: "1.5G", 64 << 30: "64G", 68485513216: "63.8G", 2000398934016: "1.8T"}
	for in, want := range tests {
		if got := FormatBytes(in); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestHashPassword(t *testing.T) {
	h, err := HashPassword([]byte("correct horse"), 4)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$2b$04$") || len(h) != 60 || !IsPasswordHash(h) {
		t.Errorf("hash %q", h)
	}
	if !CheckPassword(h, []byte("correct horse")) || CheckPassword(h, []byte("wrong horse")) {
		t.Error("CheckPassword disagrees with HashPassword")
	}
	if _, err := HashPassword(bytes.Repeat([]byte("x"), 73), 4); err == nil {
		t.Error("73-byte password accepted")
	}
	// Independent check: libxcrypt's crypt(3), which implements OpenBSD's
	// bcrypt, must reproduce the hash from the password and the salt.
	perl, err := exec.LookPath("perl")
	if err != nil {
		t.Skip("perl not found; skipping the crypt(3) cross-check")
	}
	out, err := exec.Command(perl, "-e", `print crypt($ARGV[0], $ARGV[1])`, "correct horse", h).Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != h {
		if len(out) < 7 || !strings.HasPrefix(string(out), "$2") {
			t.Skipf("this libc's crypt(3) has no bcrypt (got %q)", out)
		}
		t.Errorf("crypt(3) gives %q for our hash %q", out, h)
	}
}

func TestJSONSchemaGolden(t *testing.T) {
	got := JSONSchema()
	const golden = "profile.schema.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./profiles -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("profiles/profile.schema.json is out of date with the Go types; run go test ./profiles -update")
	}
	for _, key := range []string{`"hostname"`, `"wpakey_file"`, `"root_ssh_login"`, `"const": "auto"`, `"additionalProperties": false`} {
		if !bytes.Contains(got, []byte(key)) {
			t.Errorf("schema lacks %s", key)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	files, _ := filepath.Glob("examples/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("version: 1\nhostname: &a x\nroot: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data, Options{})
		if err == nil && p == nil {
			t.Fatal("nil profile without error")
		}
		if err != nil && err.Error() == "" {
			t.Fatal("empty error message")
		}
	})
}
