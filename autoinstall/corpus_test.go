package autoinstall

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const corpusDir = "../testdata/installconf/"

// want is one expected finding: severity, code and line.
type want struct {
	sev  Severity
	code string
	line int
}

func (w want) String() string { return fmt.Sprintf("%s %s line %d", w.sev, w.code, w.line) }

// corpusCases states, for every response file of testdata/installconf,
// the release and machine it is linted against and the findings, each
// checked by hand against install.sub (1.1013 for the 6.x files, 1.1288
// for 7.x) as the comments say.
var corpusCases = []struct {
	file     string
	release  string
	machine  func(sc *Scenario)
	stops    bool
	findings []want
}{
	{
		// A 7.5 file with keys the installer never asks and shell
		// commands: lines 3, 7, 17 match no question, line 9 is 6.x
		// wording, "Use (W)hole disk MBR" is followed by a comma in the
		// question, the '!' lines are skipped (no '='), "Install sets"
		// matches only the media partition question, not asked with
		// http. No timezone line: ftplist.cgi's guess is taken.
		file: "7.5-nonstandard-keys-bang-commands.auto_install.conf", release: "7.5",
		machine: func(sc *Scenario) {},
		findings: []want{
			{Info, "password", 2}, {Warning, "unused-line", 3}, {Info, "password", 6}, {Warning, "unused-line", 7},
			{Warning, "unused-line", 9}, {Warning, "mbr-comma", 13}, {Warning, "unused-line", 17}, {Warning, "unused-line", 18},
			{Warning, "bang-command", 20}, {Warning, "bang-command", 21}, {Warning, "bang-command", 22},
			{Warning, "timezone-guess", 0},
		},
	},
	{
		// Xen HVM: wd0 holds the install image, wd1 is blank, so the
		// fdisk question has no "(O)penBSD area" and line 7 is never
		// read (the default whole applies). "-all bsd* base* etc* man*
		// site* comp* x*": no etc or site set on the 6.1 image.
		file: "ami-builder-xen-wd1.auto_install.conf", release: "6.1",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "xnf0", MAC: "00:00:5e:00:53:01"}}
			sc.Disks = []Disk{{Name: "wd0", Bytes: 1 << 30}, {Name: "wd1", Bytes: 8 << 30}}
			sc.Media = "wd0"
		},
		findings: []want{{Warning, "unused-line", 7}, {Warning, "set-pattern", 11}, {Warning, "set-pattern", 11}},
	},
	{
		// The template comes from the ramdisk (file:, upobsd-style).
		file: "autopart-file-url-root-key.auto_install.conf", release: "7.9",
		machine: func(sc *Scenario) {},
	},
	{
		// A 6.0 file on the 6.1 installer: the mirror directory is the
		// 6.0 one, where no base61.tgz is found (install_files: "found
		// no OpenBSD sets", exit 1). Trailing blanks after the 13
		// asterisks are trimmed by read: no finding.
		file: "aws-6.0-http-mirror-trailing-spaces.auto_install.conf", release: "6.1",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "xnf0", MAC: "00:00:5e:00:53:01"}}
			sc.Disks = []Disk{{Name: "wd0", Bytes: 1 << 30}, {Name: "wd1", Bytes: 8 << 30}}
			sc.Media = "wd0"
		},
		stops:    true,
		findings: []want{{Error, "other-release", 9}, {Info, "not-reached", 10}, {Warning, "timezone-guess", 0}},
	},
	{
		// "*" is hashed as a password; the empty interface answer is
		// skipped; %%MIRROR%% fails 1.1013's hostname pattern (no '%'),
		// so the installer asks again and takes ftplist.cgi's mirror;
		// the directory with %%RELEASE%% holds nothing: exit.
		file: "aws-template-placeholders.auto_install.conf", release: "6.1",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "xnf0", MAC: "00:00:5e:00:53:01"}}
		},
		stops: true,
		findings: []want{
			{Warning, "password", 2}, {Warning, "empty-answer", 3}, {Warning, "unused-line", 14},
			{Error, "placeholder", 18}, {Error, "rejected", 18}, {Error, "placeholder", 19}, {Error, "placeholder", 19},
			{Info, "not-reached", 20}, {Info, "not-reached", 21}, {Info, "not-reached", 22}, {Info, "not-reached", 23},
		},
	},
	{
		// qemu with UEFI firmware: GPT is the default, no "may not boot"
		// question. {{ }} markers: the password is hashed as text, the
		// user name fails the login pattern and the user question falls
		// back to no, so "Password for user" is never asked. The http
		// mirror is signed: the SHA256.sig line is never read.
		file: "ci-builder-templated-gpt.install.conf", release: "7.9",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.PreferGPT = true
		},
		findings: []want{
			{Error, "placeholder", 3}, {Info, "password", 3}, {Error, "placeholder", 5}, {Error, "rejected", 5},
			{Error, "placeholder", 6}, {Warning, "unused-line", 6}, {Warning, "unused-line", 12},
		},
	},
	{
		// A custom 7.8 ISO in cd0 with the sets and site78.tgz but no
		// SHA256.sig; no network interface configured, so both DNS
		// questions are asked (and answered).
		file: "cloud-7.8-cd0-site78.auto_install.conf", release: "7.8",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.SerialConsole, sc.ConsoleSpeed = true, 115200
			sc.Disks = []Disk{{Name: "sd0", Bytes: 10 << 30}}
			sc.Media, sc.CDs = "", []string{"cd0"}
			sc.MediaSets = ReleaseSets("7.8", "amd64", "7.8/amd64", false, "site78.tgz")
			sc.TimezoneHint = ""
		},
	},
	{
		// 6.1 with the install CD (no SHA256.sig then): cd0 is the
		// default location, and the one unverified question is
		// answered by the key with the question's own '?'.
		file: "gce-sets-inline-done.install.conf", release: "6.1",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.Media, sc.CDs = "", []string{"cd0"}
			sc.Disks = []Disk{{Name: "sd0", Bytes: 10 << 30}}
		},
	},
	{
		// Comments only and a hostname: the root password has no
		// default.
		file: "hostname-only-with-comments.auto_install.conf", release: "7.8",
		machine:  func(sc *Scenario) {},
		stops:    true,
		findings: []want{{Error, "no-answer", 0}},
	},
	{
		// 6.7 (1.1013 catalogue): a second disk sd1 answered to "Which
		// disk do you wish to initialize?" goes to fdisk and the
		// interactive disklabel editor: the install hangs there. The
		// rest is never reached.
		file: "image-builder-site-then-http.auto_install.conf", release: "6.7",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.Disks = []Disk{{Name: "sd0", Bytes: 20 << 30}, {Name: "sd1", Bytes: 1 << 30}, {Name: "sd2", Bytes: 1 << 30}}
			sc.Media = "sd2"
		},
		stops: true,
		findings: []want{
			// sd1 loses its partition table and the install goes on
			// without it (editor.c: end of input is 'q'); 6.7's
			// installer then offers sd1, not the stick, as the media.
			{Error, "interactive", 5}, {Info, "not-reached", 12}, {Info, "not-reached", 13},
			{Info, "not-reached", 14}, {Info, "not-reached", 15}, {Info, "not-reached", 16}, {Info, "not-reached", 17},
			{Warning, "unused-line", 18}, {Info, "not-reached", 19}, {Info, "not-reached", 20}, {Info, "not-reached", 21},
			{Error, "rejected", 0},
		},
	},
	{
		// The first line starts with a TAB before '#': still a comment.
		// The author's own http server has no https, so 1.1013 asks
		// whether to fall back to http (answered). "Default IPv4 route
		// =" is empty and skipped.
		file: "leading-tab-comment-keyboard-es-http-template.install.conf", release: "6.8",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.HTTPSFails = true
			sc.HTTPSets = ReleaseSets("6.8", "amd64", "pub/OpenBSD/6.8/amd64", true)
		},
		findings: []want{{Warning, "empty-answer", 9}, {Info, "password", 11}, {Info, "password", 17}},
	},
	{
		// __X__ markers everywhere: the hostname is taken as is, the
		// user fails the login pattern, the timezone is not a zone
		// (asked again, ftplist.cgi's guess taken), the template URL
		// cannot be fetched: exit. One DHCP interface: no DNS domain
		// question. "Network interfaces" and "Password authentication
		// for ssh" match nothing.
		file: "mailstack-7.8-placeholders-site78.install.conf", release: "7.8",
		machine: func(sc *Scenario) {},
		stops:   true,
		findings: []want{
			{Error, "placeholder", 1}, {Error, "placeholder", 2}, {Warning, "unused-line", 2}, {Error, "placeholder", 3},
			{Info, "password", 3}, {Error, "placeholder", 4}, {Error, "rejected", 4}, {Warning, "unused-line", 5},
			{Error, "placeholder", 6}, {Warning, "unused-line", 6}, {Warning, "unused-line", 8}, {Error, "placeholder", 11},
			{Error, "rejected", 11}, {Error, "placeholder", 12}, {Error, "rejected", 12}, {Info, "not-reached", 13},
			{Info, "not-reached", 14}, {Info, "not-reached", 15}, {Info, "not-reached", 16}, {Error, "placeholder", 17},
			{Warning, "unused-line", 17}, {Error, "placeholder", 18}, {Warning, "unused-line", 18}, {Error, "placeholder", 19},
			{Warning, "unused-line", 19},
		},
	},
	{
		// The official 7.9 CD (signed sets): no http questions, no
		// unverified question; "Disk to use" and "Partitioning" match
		// nothing.
		file: "nonstandard-keys-question-marks.install.conf", release: "7.9",
		machine: func(sc *Scenario) {
			sc.Media, sc.CDs = "", []string{"cd0"}
			sc.Disks = []Disk{{Name: "sd0", Bytes: 20 << 30}}
		},
		findings: []want{{Warning, "unused-line", 11}, {Warning, "unused-line", 12}, {Warning, "unused-line", 13}, {Warning, "unused-line", 15}},
	},
	{
		// "HTTP Server = 1" picks the first mirror and confirms it with
		// the default; "Set name(s) = done" ends the http location; cd0
		// (install61.iso plus site61.tgz, no SHA256.sig) gives site61
		// and the one "Directory does not contain SHA256.sig" question:
		// the first "Continue without verification" takes it, the other
		// four and the checksum and INSTALL.amd64 answers are never read.
		file: "patchrd-repeated-answers-remote-template.auto_install.conf", release: "6.1",
		machine: func(sc *Scenario) {
			sc.Media, sc.CDs = "", []string{"cd0"}
			sc.Disks = []Disk{{Name: "sd0", Bytes: 20 << 30}}
			sc.MediaSets = ReleaseSets("6.1", "amd64", "6.1/amd64", false, "site61.tgz")
		},
		findings: []want{
			{Warning, "unused-line", 10}, {Warning, "unused-line", 12}, {Warning, "unused-line", 13}, {Warning, "unused-line", 14},
			{Warning, "unused-line", 15}, {Warning, "unused-line", 16},
		},
	},
	{
		// An armv7 file simulated on amd64 (fugu has no armv7
		// catalogue): sd0 holds the install media, sd1 is the target,
		// bwfm0 stays unconfigured. Every question is written twice, so
		// the second copies are never read; keys stopping inside a word
		// ("Start sshd", "xenodm", "Auto layout") and the armv7 fdisk
		// wording match nothing; "mounted = yes" during an install
		// leaves nothing on /mnt2 and the pathname "/" has no sets:
		// exit.
		file: "pomera-armv7-every-question-variant.install.conf", release: "7.9",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "bwfm0", MAC: "00:00:5e:00:53:01", Wireless: true}}
			sc.Disks = []Disk{{Name: "sd0", Bytes: 1 << 30}, {Name: "sd1", Bytes: 32 << 30}}
			sc.Media = "sd0"
			sc.TimezoneHint = ""
			sc.MirrorList = false
		},
		stops: true,
		findings: []want{
			{Warning, "unused-line", 2}, {Warning, "unused-line", 4}, {Info, "not-reached", 6}, {Warning, "unused-line", 7},
			{Warning, "unused-line", 8}, {Warning, "unused-line", 9}, {Warning, "unused-line", 10}, {Warning, "domain", 11},
			{Info, "password", 13}, {Warning, "unused-line", 14}, {Warning, "unused-line", 16}, {Warning, "unused-line", 18},
			{Warning, "no-boundary", 19}, {Warning, "unused-line", 21}, {Warning, "unused-line", 23}, {Warning, "unused-line", 25},
			{Info, "password", 26}, {Warning, "unused-line", 27}, {Warning, "unused-line", 29}, {Warning, "unused-line", 31},
			{Warning, "no-boundary", 33}, {Info, "not-reached", 34}, {Info, "not-reached", 35}, {Warning, "unused-line", 37}, {Warning, "unused-line", 39},
			{Warning, "unused-line", 40}, {Warning, "unused-line", 41}, {Warning, "unused-line", 42}, {Warning, "unused-line", 43},
			{Warning, "unused-line", 44}, {Info, "not-reached", 46}, {Warning, "unused-line", 47}, {Warning, "unused-line", 48},
			{Warning, "unused-line", 49}, {Info, "not-reached", 50}, {Warning, "unused-line", 51}, {Warning, "unused-line", 53},
			{Warning, "unused-line", 54}, {Warning, "unused-line", 56}, {Warning, "unused-line", 57}, {Warning, "no-boundary", 58},
			{Info, "not-reached", 60}, {Warning, "unused-line", 62}, {Warning, "unused-line", 63}, {Warning, "unused-line", 64},
			{Warning, "unused-line", 65}, {Warning, "unused-line", 66}, {Error, "rejected", 67}, {Warning, "unused-line", 68},
			{Warning, "unused-line", 69}, {Warning, "unused-line", 70}, {Warning, "unused-line", 71}, {Info, "not-reached", 72},
			{Info, "not-reached", 73}, {Info, "not-reached", 74}, {Info, "not-reached", 75}, {Warning, "unused-line", 76},
			{Warning, "unused-line", 77}, {Info, "not-reached", 78}, {Info, "not-reached", 79}, {Info, "not-reached", 80},
			{Info, "not-reached", 81}, {Info, "not-reached", 82}, {Info, "not-reached", 83}, {Warning, "unused-line", 84},
			{Info, "not-reached", 85}, {Info, "not-reached", 86}, {Info, "not-reached", 87}, {Info, "not-reached", 88},
			{Warning, "unused-line", 89}, {Info, "not-reached", 90}, {Info, "not-reached", 91}, {Info, "not-reached", 92},
			{Info, "not-reached", 93}, {Info, "not-reached", 94}, {Info, "not-reached", 95}, {Info, "not-reached", 96},
			{Info, "not-reached", 97}, {Info, "not-reached", 98}, {Info, "not-reached", 99}, {Warning, "unused-line", 100},
			{Info, "not-reached", 101}, {Info, "not-reached", 102},
		},
	},
	{
		// QEMU user networking: the sets and site66.tgz (in index.txt)
		// come from the host's plain http server, so 1.1013 asks about
		// the https fallback, then the two site set questions: every
		// line is used.
		file: "qemu-usernet-site66.install.conf", release: "6.6",
		machine: func(sc *Scenario) {
			sc.HTTPSFails = true
			sc.HTTPSets = ReleaseSets("6.6", "amd64", "pub/OpenBSD/6.6/amd64", true, "site66.tgz")
		},
	},
	{
		// install61.iso plus site61.tgz in cd0: "+site*" adds it, the
		// CD has no SHA256.sig, one unverified question.
		file: "triton-kvm-image-cd0.auto_install.conf", release: "6.1",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.Media, sc.CDs = "", []string{"cd0"}
			sc.Disks = []Disk{{Name: "sd0", Bytes: 10 << 30}}
			sc.MediaSets = ReleaseSets("6.1", "amd64", "6.1/amd64", false, "site61.tgz")
		},
	},
	{
		// A netbooted qemu guest on a serial console: DHCP gives the
		// host name, so "System hostname?" has a default; the console
		// questions default to yes; sets from the mirror.
		file: "vm-user-fullname-keys.install.conf", release: "7.9",
		machine: func(sc *Scenario) {
			sc.Interfaces = []Interface{{Name: "vio0", MAC: "00:00:5e:00:53:01"}}
			sc.Netboot, sc.Hostname = "vio0", "obsd"
			sc.SerialConsole, sc.ConsoleSpeed = true, 115200
		},
	},
}

// TestCorpus lints every real response file against its stated machine
// and checks the exact findings; the full reports are golden files.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(corpusDir + "*.conf")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(corpusCases) {
		t.Errorf("%d files in %s, %d cases", len(files), corpusDir, len(corpusCases))
	}
	for _, c := range corpusCases {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(corpusDir + c.file)
			if err != nil {
				t.Fatal(err)
			}
			sc, err := NewScenario(c.release)
			if err != nil {
				t.Fatal(err)
			}
			c.machine(&sc)
			rep, err := Lint(c.file, data, sc)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Completed == c.stops {
				t.Errorf("completed %v (%s), want stops %v", rep.Completed, rep.Stopped, c.stops)
			}
			var got []want
			for _, f := range rep.Findings {
				got = append(got, want{f.Severity, f.Code, f.Line})
			}
			if fmt.Sprint(got) != fmt.Sprint(c.findings) {
				t.Errorf("findings:\n got %v\nwant %v", got, c.findings)
			}
			var b bytes.Buffer
			if err := rep.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, "lint/"+strings.TrimSuffix(c.file, ".conf")+".txt", b.Bytes())
		})
	}
}
