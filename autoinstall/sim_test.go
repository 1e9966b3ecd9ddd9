package autoinstall

import (
	"fmt"
	"strings"
	"testing"
)

const hash = "$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a"

// base answers the questions without defaults on the default machine;
// cases add lines from line 4 on.
const base = "System hostname = puffy\nPassword for root account = " + hash + "\nWhat timezone are you in = UTC\n"

// TestSimulate runs small response files on variations of the default
// machine and checks each behaviour of the installer the simulator copies
// (install.sub 1.1288 for 7.9, 1.1013 for 6.1; the function named in
// each case).
func TestSimulate(t *testing.T) {
	siteSets := func(sc *Scenario) {
		sc.MediaSets = ReleaseSets("7.9", "amd64", "7.9/amd64", true, "site79.tgz", "site79-puffy.tgz")
	}
	tests := []struct {
		name     string
		release  string
		machine  func(*Scenario)
		file     string
		stop     string // substring of Report.Stopped; "" when it completes
		findings []want
		check    func(t *testing.T, r *Report)
	}{
		{
			name: "clean", release: "7.9", file: base,
			check: func(t *testing.T, r *Report) {
				if len(r.Steps) != 27 || r.Steps[26].ID != QLocation || r.Steps[26].How != HowDefault {
					t.Errorf("%d steps, last %+v", len(r.Steps), r.Steps[len(r.Steps)-1])
				}
			},
		},
		{
			// install_files: two site sets fail their checksum; the one
			// "Continue anyway" line answers the first, the second takes
			// "no" and the install stops.
			name: "stolen continue anyway", release: "7.9", machine: siteSets,
			file:     base + "Location of sets = disk\nSet name(s) = +site* done\nContinue anyway = yes\nContinue without verification = yes\n",
			stop:     "site79-puffy.tgz fails its checksum test",
			findings: []want{{Error, "stolen", 6}, {Info, "not-reached", 7}, {Error, "not-verified", 0}},
		},
		{
			// The key is a literal string: "site*" never matches the
			// question's "site79.tgz".
			name: "literal glob in key", release: "7.9", machine: siteSets,
			file:     base + "Location of sets = disk\nSet name(s) = +site* done\nChecksum test for site*.tgz failed. Continue anyway = yes\n",
			stop:     "site79.tgz fails its checksum test",
			findings: []want{{Warning, "literal-glob", 6}, {Warning, "unused-line", 6}, {Error, "not-verified", 0}},
		},
		{
			// user_setup: "no # ..." is not no and not a login name:
			// asked again, default no.
			name: "inline comment", release: "7.9",
			file:     base + "Setup a user = no # nobody\n",
			findings: []want{{Warning, "inline-comment", 4}, {Error, "rejected", 4}},
		},
		{
			// A CRLF file: the hostname ends in a CR, which the hostname
			// test ([[:cntrl:]]) rejects.
			name: "crlf", release: "7.9",
			file:     "System hostname = puffy\r\nPassword for root account = x\r\n",
			stop:     `"puffy\r" rejected`,
			findings: []want{{Warning, "crlf", 1}, {Error, "rejected", 1}, {Warning, "crlf", 2}, {Info, "not-reached", 2}},
		},
		{
			// read(1) never returns a last line without a newline.
			name: "no final newline", release: "7.9",
			file:     "System hostname = puffy\nPassword for root account = " + hash,
			stop:     "Question has no answer",
			findings: []want{{Warning, "no-newline", 2}, {Error, "no-answer", 0}},
		},
		{
			// md_prep_fdisk without MDEFI: gpt needs "Proceed?" = yes,
			// else the question comes back and the default (whole) wins.
			name: "gpt not confirmed", release: "7.9",
			file:     base + "Use (W)hole disk = gpt\n",
			findings: []want{{Error, "gpt-not-confirmed", 4}},
			check: func(t *testing.T, r *Report) {
				var fd []string
				for _, s := range r.Steps {
					if s.ID == QFdisk || s.ID == QGPTProceed {
						fd = append(fd, s.How+" "+s.Answer)
					}
				}
				if got := strings.Join(fd, ", "); got != "answered gpt, default no, default whole" {
					t.Errorf("fdisk steps: %s", got)
				}
			},
		},
		{
			name: "gpt confirmed", release: "7.9",
			file: base + "Use (W)hole disk = gpt\nAn EFI/GPT disk may not boot. Proceed = yes\n",
		},
		{
			// "Use (W)hole disk MBR" never matches: MBR is followed by ','.
			name: "mbr comma", release: "7.9",
			file:     base + "Use (W)hole disk MBR = gpt\n",
			findings: []want{{Warning, "mbr-comma", 4}},
		},
		{
			// 1.1013 v4_config: no DHCP default once an interface uses
			// DHCP, so the second interface's address is mandatory.
			name: "6.1 second interface", release: "6.1",
			machine: func(sc *Scenario) {
				sc.Interfaces = []Interface{{Name: "em0"}, {Name: "em1"}}
			},
			file: base + "Which network interface do you wish to configure = em0\nIPv4 address for em0 = dhcp\n" +
				"Which network interface do you wish to configure = em1\n",
			stop:     `"ipv4 address for em1? (or 'dhcp' or 'none')"`,
			findings: []want{{Info, "not-reached", 2}, {Info, "not-reached", 3}, {Error, "no-answer", 0}},
		},
		{
			// 1.1013 takes 'autoconf' as an address; ifconfig fails and
			// the interface stays unconfigured (no exit).
			name: "6.1 autoconf", release: "6.1",
			file:     base + "IPv4 address = autoconf\n",
			findings: []want{{Error, "rejected", 4}},
		},
		{
			name: "7.9 bad address exits", release: "7.9",
			file:     base + "IPv4 address = 192.0.2.300/24\n",
			stop:     "ifconfig fails",
			findings: []want{{Info, "not-reached", 2}, {Info, "not-reached", 3}, {Error, "rejected", 4}},
		},
		{
			// encrypt_root with a passphrase: the chunk sd0 gets the
			// fdisk question, then the volume sd2 (the next sd unit)
			// gets it again and the template question.
			name: "encrypt passphrase", release: "7.9",
			file: base + "Encrypt the root disk = p\nNew passphrase = secret words\nUse (W)hole disk = whole\n",
			check: func(t *testing.T, r *Report) {
				var ids []string
				for _, s := range r.Steps {
					switch s.ID {
					case QEncrypt, QPassphrase, QFdisk, QTemplate:
						ids = append(ids, fmt.Sprintf("%s:%s", s.ID, s.How))
					}
				}
				want := "encrypt:answered passphrase:answered fdisk:answered fdisk:default template:default"
				if got := strings.Join(ids, " "); got != want {
					t.Errorf("steps %s, want %s", got, want)
				}
			},
		},
		{
			name: "encrypt passphrase missing", release: "7.9",
			file:     base + "Encrypt the root disk = p\n",
			stop:     `"new passphrase?"`,
			findings: []want{{Error, "no-answer", 0}},
		},
		{
			// pick_keydisk: sd1 has no RAID partition: back to the
			// encryption question, whose default is no.
			name: "keydisk without RAID", release: "7.9",
			file:     base + "Encrypt the root disk = k\nWhich disk contains the key disk = sd1\n",
			findings: []want{{Error, "rejected", 5}},
		},
		{
			name: "softraid assembled: no encryption question", release: "7.9",
			machine:  func(sc *Scenario) { sc.Softraid = true },
			file:     base + "Encrypt the root disk = no\n",
			findings: []want{{Warning, "unused-line", 4}},
		},
		{
			name: "initialize the media", release: "7.9",
			file:     base + "Which disk do you wish to initialize = sd1\n",
			findings: []want{{Error, "initialize-media", 4}, {Error, "interactive", 4}},
		},
		{
			name: "root disk is the media", release: "7.9",
			file:     base + "Which disk is the root disk = sd1\n",
			findings: []want{{Error, "root-is-media", 4}},
		},
		{
			// get_dkdev_name (1.1288) strips the partition letter; 1.1013
			// compares the name as given.
			name: "root disk partition name 7.9", release: "7.9",
			file: base + "Which disk is the root disk = /dev/sd0a\n",
		},
		{
			name: "root disk partition name 6.1", release: "6.1",
			file:     base + "Which disk is the root disk = sd0a\n",
			stop:     `"sd0a" rejected`,
			findings: []want{{Error, "rejected", 4}},
		},
		{
			name: "nfs", release: "7.9",
			file:     base + "Location of sets = nfs\n",
			stop:     "without bsd",
			findings: []want{{Error, "rejected", 4}, {Error, "not-sane", 0}},
		},
		{
			// The login pattern gained '-' after 1.1013.
			name: "login with dash 7.9", release: "7.9",
			file: base + "Setup a user = a-b\nPassword for user = " + hash + "\n",
		},
		{
			name: "login with dash 6.1", release: "6.1",
			file:     base + "Setup a user = a-b\nPassword for user = " + hash + "\n",
			findings: []want{{Error, "rejected", 4}, {Warning, "unused-line", 5}},
		},
		{
			// ieee80211_config: a 6-character WPA passphrase is refused
			// by ifconfig; the security question comes back, default O.
			name: "wpa too short", release: "7.9",
			machine: func(sc *Scenario) {
				sc.Interfaces = []Interface{{Name: "iwm0", Wireless: true}}
			},
			file:     base + "Network interface to configure = iwm0\nAccess point = home\nSecurity protocol = P\nWPA passphrase = abcdef\n",
			findings: []want{{Error, "rejected", 7}},
		},
		{
			name: "vlan", release: "7.9",
			file: base + "Network interface to configure = vlan0\nWhich interface:tag should vlan0 be on = em0:5\nIPv4 address for vlan0 = 192.0.2.5/24\n" +
				"IPv6 address for vlan0 = none\nNetwork interface to configure = done\nDefault IPv4 route = 192.0.2.1\nDNS domain name = example.org\nDNS nameservers = 192.0.2.53\n",
		},
		{
			// set_timezone: a zone directory brings the sub-timezone
			// question.
			name: "sub-timezone", release: "7.9",
			file: "System hostname = puffy\nPassword for root account = " + hash + "\nWhat timezone are you in = Europe\nWhat sub-timezone of 'Europe' are you in = Berlin\n",
		},
		{
			// No mirror list: the server question has no default; a
			// list number is asked again.
			name: "no mirror list", release: "7.9",
			machine:  func(sc *Scenario) { sc.MirrorList = false },
			file:     base + "HTTP Server = 1\n",
			stop:     `"http server? (hostname or 'done')"`,
			findings: []want{{Error, "no-answer", 0}},
		},
		{
			// encr_pwd keeps "$2?$NN$..." when its length compares above
			// "40" as a string: "8" does.
			name: "short fake hash", release: "7.9",
			file:     "System hostname = puffy\nPassword for root account = $2b$10$x\nWhat timezone are you in = UTC\n",
			findings: []want{{Error, "password", 2}},
		},
		{
			name: "root password star", release: "7.9",
			file:     "System hostname = puffy\nPassword for root account = *\nWhat timezone are you in = UTC\n",
			findings: []want{{Warning, "password", 2}},
		},
		{
			// sane_install: done without bsd and base asks twice; no.
			name: "without base", release: "7.9",
			file:     base + "Set name(s) = -bsd* -base* done\n",
			stop:     "without bsd",
			findings: []want{{Error, "not-sane", 0}},
		},
		{
			name: "https only server fails", release: "7.9",
			machine:  func(sc *Scenario) { sc.HTTPSFails = true },
			file:     base + "HTTP Server = https://cdn.openbsd.org\n",
			stop:     "https to https://cdn.openbsd.org fails",
			findings: []want{{Error, "unreachable", 0}},
		},
		{
			// No interface configured: both DNS questions are asked, and
			// 'none' is no answer to the domain.
			name: "domain none", release: "7.9",
			file:     base + "Network interface to configure = done\nDNS domain name = none\n",
			findings: []want{{Warning, "domain", 5}},
		},
		{
			name: "keyboard unknown", release: "7.9",
			file:     base + "Choose your keyboard layout = german\n",
			findings: []want{{Warning, "rejected", 4}},
		},
		{
			name: "6.1 https fallback asked", release: "6.1",
			machine:  func(sc *Scenario) { sc.HTTPSFails = true },
			file:     base + "Unable to connect using https. Use http instead = yes\n",
			findings: nil,
		},
		{
			name: "other release directory", release: "7.9",
			file:     base + "Server directory = pub/OpenBSD/7.8/amd64\n",
			stop:     "holds the 7.8 sets",
			findings: []want{{Error, "other-release", 4}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := NewScenario(tt.release)
			if err != nil {
				t.Fatal(err)
			}
			if tt.machine != nil {
				tt.machine(&sc)
			}
			r, err := Lint("t.conf", []byte(tt.file), sc)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.stop == "" && !r.Completed:
				t.Errorf("stops: %s", r.Stopped)
			case tt.stop != "" && (r.Completed || !strings.Contains(r.Stopped, tt.stop)):
				t.Errorf("stopped %v %q, want %q", !r.Completed, r.Stopped, tt.stop)
			}
			var got []want
			for _, f := range r.Findings {
				got = append(got, want{f.Severity, f.Code, f.Line})
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.findings) {
				t.Errorf("findings:\n got %v\nwant %v", got, tt.findings)
				for _, f := range r.Findings {
					t.Logf("  %d: %s", f.Line, f.Msg)
				}
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

// TestCatalogues checks the data: every release maps to a catalogue,
// texts are unique per catalogue, the differences the sources show.
func TestCatalogues(t *testing.T) {
	rcs := ReleaseCatalogues()
	if len(rcs) != 19 {
		t.Errorf("%d releases", len(rcs))
	}
	for _, rc := range rcs {
		c, _, err := CatalogueFor(rc.Release)
		if err != nil || c.Name != rc.Catalogue {
			t.Errorf("%s: %v %v", rc.Release, c, err)
		}
		if rc.Exact != (rc.Release == "6.1" || rc.Release == "7.9") {
			t.Errorf("%s exact %v", rc.Release, rc.Exact)
		}
	}
	if _, _, err := CatalogueFor("6.0"); err == nil {
		t.Error("6.0 has a catalogue")
	}
	for name, c := range Catalogues() {
		seen := map[string]QID{}
		for _, q := range c.Questions {
			if q.Text == "" || q.Source == "" || q.When == "" || q.Valid == "" {
				t.Errorf("%s %s: incomplete %+v", name, q.ID, q)
			}
			if id, dup := seen[q.Text]; dup {
				t.Errorf("%s: %s and %s share %q", name, id, q.ID, q.Text)
			}
			seen[q.Text] = q.ID
		}
	}
	c61, c79 := catalogues["6.1"], catalogues["7.9"]
	for id, want := range map[QID][2]string{
		QIface:  {"Which network interface do you wish to configure?", "Network interface to configure? (name, lladdr, '?', or 'done')"},
		QIPv4:   {"IPv4 address for em0? (or 'dhcp' or 'none')", "IPv4 address for em0? (or 'autoconf' or 'none')"},
		QRoute4: {"Default IPv4 route? (IPv4 address or none)", "Default IPv4 route? (IPv4 address or 'none')"},
		QDomain: {"DNS domain name? (e.g. 'bar.com')", "DNS domain name? (e.g. 'example.com')"},
		QWPAKey: {"WPA passphrase? (will echo)", "WPA passphrase?"},
	} {
		if got := c61.Text(id, "if", "em0"); got != want[0] {
			t.Errorf("6.1 %s = %q", id, got)
		}
		if got := c79.Text(id, "if", "em0"); got != want[1] {
			t.Errorf("7.9 %s = %q", id, got)
		}
	}
	if c61.Q(QEncrypt) != nil || c79.Q(QHTTPFallback) != nil || c61.Q(QHTTPFallback) == nil {
		t.Error("encryption is 7.9 only, the https fallback question 6.1 only")
	}
}
