package site

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
	"github.com/fugu-tool/fugu/plan"
)

// TestSyntax checks every golden install.site with sh -n (dash here) and
// mksh -n: OpenBSD's /bin/ksh is a pdksh, and mksh is its closest kin
// outside OpenBSD.
func TestSyntax(t *testing.T) {
	mksh := testenv.Tool(t, "mksh", "mksh")
	scripts, err := filepath.Glob(filepath.Join("..", "testdata", "site", "golden", "*.install.site"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no golden install.site files (%v)", err)
	}
	for _, f := range scripts {
		for _, sh := range []string{"sh", mksh} {
			if out, err := exec.Command(sh, "-n", f).CombinedOutput(); err != nil {
				t.Errorf("%s -n %s: %v\n%s", sh, f, err, out)
			}
		}
	}
}

// standin is one shell script that stands in for the OpenBSD commands
// install.site calls: fdisk, disklabel, newfs, mount, umount, sysctl,
// install, fw_update (and pkg_add, route and netstart for the
// first-boot lines). They exist only on OpenBSD, so the test records each
// call in $CALLS and keeps just enough state to answer later calls the
// way the real command would: disklabel prints a DUID once the disk is
// labelled, mount and umount move files between the mount point and a
// directory standing for the file system ($FAKE/<device>), install copies
// and sets the mode. doas is not stood in for: the Debian doas package
// (OpenDoas, a port of OpenBSD's doas) checks doas.conf files for real.
const standin = `#!/bin/sh
me=${0##*/}
{ printf '%s' "$me"; for a; do printf ' %s' "$a"; done; printf '\n'; } >>"$CALLS"
key() { printf '%s' "$1" | tr / _; }
moveall() { # moveall FROM TO
	for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
		[ -e "$f" ] || continue
		mv "$f" "$2/" || exit 1
	done
}
case $me in
sysctl)
	[ "$*" = "-n hw.disknames" ] && printf '%s\n' "$DISKNAMES" ;;
disklabel)
	if [ $# -eq 1 ]; then
		case " $DISKS " in *" $1 "*) ;; *) echo "disklabel: $1: Device not configured" >&2; exit 1 ;; esac
		printf '# /dev/r%sc:\ntype: SCSI\n' "$1"
		if [ -e "$STATE/labelled.$1" ]; then echo "duid: $NEWDUID"; else echo "duid: 0000000000000000"; fi
		echo "total sectors: $SECTORS"
		if [ -e "$STATE/labelled.$1" ]; then
			echo "#                size           offset  fstype [fsize bsize   cpg]"
			echo "  a:       3907028992               64  4.2BSD   8192 65536     1 # /home"
			echo "  c:       3907029168                0  unused"
		fi
	else
		eval disk=\${$#}
		cp "$4" "$STATE/template.$disk"
		: >"$STATE/labelled.$disk"
	fi ;;
mount)
	if [ $# -eq 0 ]; then printf '%s\n' "$MOUNTS"; exit 0; fi
	eval dev=\${$(($# - 1))} dir=\${$#}
	mkdir -p "$FAKE/$dev"
	moveall "$FAKE/$dev" "$dir"
	echo "$dev" >"$STATE/mnt.$(key "$dir")" ;;
umount)
	dev=$(cat "$STATE/mnt.$(key "$1")") || exit 1
	moveall "$1" "$FAKE/$dev"
	rm "$STATE/mnt.$(key "$1")" ;;
install)
	dir=n mode=
	while getopts do:g:m: o; do
		case $o in d) dir=y ;; m) mode=$OPTARG ;; esac
	done
	shift $((OPTIND - 1))
	if [ $dir = y ]; then
		mkdir -p "$1" && chmod "$mode" "$1"
	else
		cp "$1" "$2" && chmod "$mode" "$2"
	fi ;;
route)
	echo "default            192.0.2.1          UGS        0        0     -     8 re0" ;;
esac
exit 0
`

var standinNames = []string{"fdisk", "disklabel", "newfs", "mount", "umount", "sysctl", "install", "fw_update", "pkg_add", "route", "netstart", "fsck"}

// rig is a scratch root laid out the way the installer leaves /mnt when it
// runs install.site, with the set extracted into it.
type rig struct {
	t                 *testing.T
	root, bin, fake   string
	calls, state, log string
	env               map[string]string
}

const (
	rootDUID = "4f2c0d1e5a6b7c8d"
	newDUID  = "3eb7f9da875cb9ee"
)

// installerFstab is /etc/fstab as the installer writes it for an auto
// layout on sd0 (do_install: DUIDs from disklabel -F, rw,nodev,nosuid but
// for /, /usr and /usr/local, wxallowed on /usr/local).
const installerFstab = rootDUID + `.b none swap sw
` + rootDUID + `.a / ffs rw 1 1
` + rootDUID + `.d /tmp ffs rw,nodev,nosuid 1 2
` + rootDUID + `.f /usr ffs rw,nodev 1 2
` + rootDUID + `.g /usr/X11R6 ffs rw,nodev 1 2
` + rootDUID + `.h /usr/local ffs rw,wxallowed,nodev 1 2
` + rootDUID + `.e /var ffs rw,nodev,nosuid 1 2
`

// installerFirsttime is what finish_up appends to /etc/rc.firsttime before
// it runs install.site (fw_update; the syspatch and mail lines are left
// out).
const installerFirsttime = "/usr/sbin/fw_update\n"

func newRig(t *testing.T, s *Set) *rig {
	tmp := t.TempDir()
	r := &rig{t: t, root: filepath.Join(tmp, "root"), bin: filepath.Join(tmp, "bin"), fake: filepath.Join(tmp, "fake"),
		calls: filepath.Join(tmp, "calls"), state: filepath.Join(tmp, "state")}
	r.log = filepath.Join(r.root, "var/log/fugu-install.site.log")
	for _, d := range []string{r.bin, r.fake, r.state, r.root + "/etc", r.root + "/home/puffy/.ssh", r.root + "/mnt", r.root + "/tmp", r.root + "/var/log"} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	r.write("etc/fstab", installerFstab, 0o644)
	r.write("etc/rc.firsttime", installerFirsttime, 0o644)
	r.write("home/puffy/.profile", "# $OpenBSD: dot.profile,v 1.8 2022/08/10 07:40:37 tb Exp $\n", 0o644)
	r.write("home/puffy/.ssh/authorized_keys", "ssh-ed25519 AAAA...placeholder puffy@oldlaptop\n", 0o600)
	if err := os.WriteFile(filepath.Join(r.bin, "standin"), []byte(standin), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range standinNames {
		if err := os.Symlink("standin", filepath.Join(r.bin, n)); err != nil {
			t.Fatal(err)
		}
	}
	// Extract the set as the installer does.
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	tar := testenv.Tool(t, "tar", "tar")
	cmd := exec.Command(tar, "-zxpf", "-", "-C", r.root)
	cmd.Stdin = strings.NewReader(string(data))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	r.env = map[string]string{
		"ROOT": r.root, "PATH": r.bin + ":/usr/bin:/bin:/usr/sbin:/sbin",
		"CALLS": r.calls, "STATE": r.state, "FAKE": r.fake,
		"DISKS":     "sd0 sd1",
		"DISKNAMES": "sd0:" + rootDUID + ",sd1:,cd0:",
		"SECTORS":   "3907029168",
		"NEWDUID":   newDUID,
		"MOUNTS":    rootDUID + ".a on /mnt type ffs (local)\n" + rootDUID + ".e on /mnt/var type ffs (local, nodev, nosuid)",
	}
	return r
}

func (r *rig) write(name, content string, mode os.FileMode) {
	p := filepath.Join(r.root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) read(name string) string {
	b, err := os.ReadFile(filepath.Join(r.root, name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// run runs install.site with mksh as the installer would (chroot /mnt
// /install.site), returning its exit status and output.
func (r *rig) run() (int, string) {
	mksh := testenv.Tool(r.t, "mksh", "mksh")
	cmd := exec.Command(mksh, filepath.Join(r.root, "install.site"))
	cmd.Dir = r.root
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	return code, strings.ReplaceAll(string(out), r.root, "ROOT")
}

// recorded returns the stand-ins' calls, the scratch root written ROOT.
func (r *rig) recorded() []string {
	b, err := os.ReadFile(r.calls)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		r.t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), r.root, "ROOT"), "\n"), "\n")
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// tree lists the files under dir with their modes, for comparisons.
func tree(t *testing.T, dir string) []string {
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, fmt.Sprintf("%s %s", fi.Mode(), rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func TestRunLaptop(t *testing.T) {
	testenv.Tool(t, "doas", "doas")
	s, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s)
	// The installer wrote xenodm_flags= (xenodm: yes), so only apmd_flags
	// is new.
	r.write("etc/rc.conf.local", "xenodm_flags=\n", 0o644)
	code, out := r.run()
	if code != 0 {
		t.Fatalf("install.site exited %d:\n%s\nlog:\n%s", code, out, r.read("var/log/fugu-install.site.log"))
	}
	sameLines(t, "calls", r.recorded(), []string{
		"sysctl -n hw.disknames", // root_disk: fstab names / by DUID
		"sysctl -n hw.disknames", // in_use: sd1's DUID
		"mount",                  // in_use: mounted file systems
		"disklabel sd1",          // size check
		"disklabel sd1",          // the old label, to the log
		"disklabel sd1",          // a file system to keep? none
		"fdisk -gy sd1",
		"disklabel -w -A -T ROOT/var/fugu/home.template sd1",
		"disklabel sd1", // the new DUID
		"newfs -q -O2 " + newDUID + ".a",
		"mount -t ffs " + newDUID + ".a ROOT/mnt",
		"umount ROOT/mnt",
		"mount -t ffs -o rw,nodev,nosuid " + newDUID + ".a ROOT/home",
		"install -o root -g wheel -m 0640 ROOT/var/fugu/files/etc/hostname.iwm0 ROOT/etc/hostname.iwm0",
		"install -o root -g wheel -m 0600 ROOT/var/fugu/files/etc/doas.conf ROOT/etc/doas.conf",
		"install -o puffy -g puffy -m 0644 ROOT/var/fugu/files/home/puffy/.xsession ROOT/home/puffy/.xsession",
		"install -o root -g wheel -m 0644 ROOT/var/fugu/files/etc/myname ROOT/etc/myname",
		"install -d -o root -g wheel -m 0700 ROOT/root/.ssh",
		"install -o root -g wheel -m 0600 /dev/null ROOT/root/.ssh/authorized_keys",
		"fw_update ROOT/var/fugu/firmware/iwm-firmware-20240410.tgz",
		"umount ROOT/home",
	})
	sameLines(t, "output", strings.Split(strings.TrimSuffix(out, "\n"), "\n"), []string{
		"install.site: /home: labelling sd1 whole (gpt) for /home",
		"install.site: firmware: installing ROOT/var/fugu/firmware/iwm-firmware-20240410.tgz",
		"install.site: first boot: adding to /etc/rc.firsttime",
		"install.site: done",
	})
	if got := r.read("etc/fstab"); got != installerFstab+newDUID+".a /home ffs rw,nodev,nosuid 1 2\n" {
		t.Errorf("fstab:\n%s", got)
	}
	if got, _ := os.ReadFile(filepath.Join(r.state, "template.sd1")); string(got) != "/home *\n" {
		t.Errorf("disklabel template %q", got)
	}
	// What was in /home is on the new file system, with the profile's
	// file; the root file system's /home is empty.
	if got := r.read("root/.ssh/authorized_keys"); got != "ssh-ed25519 AAAA...root2 backup@vault\n" {
		t.Errorf("root's authorized_keys %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(r.fake, newDUID+".a", "puffy/.ssh/authorized_keys")); string(got) !=
		"ssh-ed25519 AAAA...placeholder puffy@oldlaptop\nssh-ed25519 AAAA...puffy2 puffy@phone\nssh-rsa AAAA...puffy3 puffy@desktop\n" {
		t.Errorf("puffy's authorized_keys %q", got)
	}
	sameLines(t, "new /home", tree(t, filepath.Join(r.fake, newDUID+".a")), []string{
		"-rw------- puffy/.ssh/authorized_keys",
		"-rw-r--r-- puffy/.profile",
		"-rw-r--r-- puffy/.xsession",
		"drwxr-xr-x puffy",
		"drwxr-xr-x puffy/.ssh",
	})
	sameLines(t, "root fs /home", tree(t, filepath.Join(r.root, "home")), nil)
	hn := entryData(s, "var/fugu/files/etc/hostname.iwm0")
	for name, want := range map[string]string{
		"etc/hostname.iwm0": string(hn),
		"etc/doas.conf":     "permit persist :wheel\n",
		"etc/rc.conf.local": "xenodm_flags=\napmd_flags=-A\n",
		"etc/rc.firsttime":  installerFirsttime + string(entryData(s, "var/fugu/rc.firsttime")),
		"var/fugu/packages": "firefox\ngit\nrsync--\nvim--gtk3\n",
		"var/fugu/done":     "",
	} {
		if got := r.read(name); got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
		}
	}
	for name, mode := range map[string]os.FileMode{"etc/hostname.iwm0": 0o640, "etc/doas.conf": 0o600, "var/log/fugu-install.site.log": 0o600} {
		fi, err := os.Stat(filepath.Join(r.root, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s mode %04o, want %04o", name, fi.Mode().Perm(), mode)
		}
	}
	// The carried secrets are gone.
	for _, gone := range []string{"var/fugu/files", "var/fugu/firmware"} {
		if _, err := os.Stat(filepath.Join(r.root, gone)); !os.IsNotExist(err) {
			t.Errorf("%s is still there (%v)", gone, err)
		}
	}
	log := r.read("var/log/fugu-install.site.log")
	for _, want := range []string{
		"+ fdisk -gy sd1\n",
		"fstab: " + newDUID + ".a /home ffs rw,nodev,nosuid 1 2\n",
		"+ doas -C " + r.root + "/var/fugu/files/etc/doas.conf\n",
		"/etc/rc.conf.local has already: xenodm_flags=\n",
		"/etc/rc.conf.local: added: apmd_flags=-A\n",
		"== done\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{"example wifi passphrase", "coffee"} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the secret %q", secret)
		}
	}

	// Run again: it has run, so it does nothing.
	before := len(r.recorded())
	code, out = r.run()
	if code != 0 || !strings.Contains(out, "ran before") || len(r.recorded()) != before {
		t.Errorf("second run: exit %d, %d new calls, output %q", code, len(r.recorded())-before, out)
	}

	// The first-boot lines, run the way rc(8) runs rc.firsttime, with
	// absolute paths pointed at the scratch root and the stand-ins.
	first := r.read("etc/rc.firsttime")
	first = strings.NewReplacer("/usr/sbin/", "", "/bin/sh /etc/netstart", "netstart", "/var/", r.root+"/var/").Replace(first)
	sh := exec.Command("sh", "-c", first)
	for k, v := range r.env {
		sh.Env = append(sh.Env, k+"="+v)
	}
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("rc.firsttime: %v\n%s", err, out)
	}
	n := len(r.recorded())
	sameLines(t, "first boot calls", r.recorded()[before:n], []string{
		"fw_update",
		"netstart iwm0",
		"route -n show -inet",
		"pkg_add -I -l ROOT/var/fugu/packages",
	})
	if log := r.read("var/log/fugu-install.site.log"); !strings.Contains(log, "== first boot ") {
		t.Errorf("the first boot did not log: %s", log)
	}
}

// TestRunRefuses: install.site stops, with a message and before touching
// the disk, when the /home disk is the root disk, is in use, or is not the
// size the plan saw.
func TestRunRefuses(t *testing.T) {
	tests := []struct {
		name string
		edit func(r *rig)
		want string
	}{
		{"root by DUID", func(r *rig) { r.env["DISKNAMES"] = "sd0:1111111111111111,sd1:" + rootDUID },
			"install.site: FAILED: sd1 is the root disk; refusing to repartition it for /home"},
		{"root by name", func(r *rig) { r.write("etc/fstab", "/dev/sd1a / ffs rw 1 1\n", 0o644) },
			"install.site: FAILED: sd1 is the root disk; refusing to repartition it for /home"},
		{"no root line", func(r *rig) { r.write("etc/fstab", "# nothing\n", 0o644) },
			"install.site: FAILED: cannot tell the root disk from /etc/fstab; not touching sd1"},
		{"in fstab", func(r *rig) {
			r.write("etc/fstab", installerFstab+"/dev/sd1d /data ffs rw,nodev,nosuid 1 2\n", 0o644)
		}, "install.site: FAILED: sd1 has partitions in /etc/fstab or mounted; refusing to repartition it"},
		{"mounted", func(r *rig) {
			r.env["DISKNAMES"] = "sd0:" + rootDUID + ",sd1:0123456789abcdef"
			r.env["MOUNTS"] = "0123456789abcdef.d on /mnt/data type ffs (local)"
		}, "install.site: FAILED: sd1 has partitions in /etc/fstab or mounted; refusing to repartition it"},
		{"other size", func(r *rig) { r.env["SECTORS"] = "1953525168" },
			"install.site: FAILED: sd1 has 1953525168 sectors, the plan expected 3907029168: the disks are named differently than in the dmesg fugu planned from; not touching sd1"},
		{"no such disk", func(r *rig) { r.env["DISKS"] = "sd0" },
			"install.site: FAILED: sd1: no such disk (disklabel sd1 printed no size)"},
		{"mnt busy", func(r *rig) { r.write("mnt/leftover", "x", 0o644) },
			"install.site: FAILED: /mnt is not empty (ROOT/mnt/leftover); cannot use it to move /home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Build(laptopPlan(t), laptopOptions())
			if err != nil {
				t.Fatal(err)
			}
			r := newRig(t, s)
			tt.edit(r)
			code, out := r.run()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if code != 1 || len(lines) < 2 || lines[len(lines)-2] != tt.want ||
				lines[len(lines)-1] != "install.site: what was done is in /var/log/fugu-install.site.log" {
				t.Errorf("exit %d, output:\n%s\nwant the line %q", code, out, tt.want)
			}
			for _, c := range r.recorded() {
				if strings.HasPrefix(c, "fdisk") || strings.HasPrefix(c, "newfs") || strings.HasPrefix(c, "disklabel -w") {
					t.Errorf("touched the disk: %s", c)
				}
			}
			if log := r.read("var/log/fugu-install.site.log"); !strings.Contains(log, "FAILED: ") {
				t.Errorf("the log does not say it failed:\n%s", log)
			}
		})
	}
}

// TestRunFailedCommand: a command that fails stops the install with its
// name and exit status.
func TestRunFailedCommand(t *testing.T) {
	s, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s)
	// newfs fails.
	if err := os.Remove(filepath.Join(r.bin, "newfs")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.bin, "newfs"), []byte("#!/bin/sh\necho 'newfs: /dev/r3eb7f9da875cb9ee.a: Device busy' >&2\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, out := r.run()
	if code != 1 || !strings.Contains(out, "install.site: FAILED: newfs -q -O2 "+newDUID+".a (exit 3)\n") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
	if log := r.read("var/log/fugu-install.site.log"); !strings.Contains(log, "newfs: /dev/r3eb7f9da875cb9ee.a: Device busy\n") {
		t.Errorf("the command's message is not in the log:\n%s", log)
	}
}

// TestDoasCorpus installs real doas.conf files (testdata/site/doas, from
// public repositories) through install.site: each passes the real doas -C
// and arrives byte for byte; a broken one is kept out with a warning.
func TestDoasCorpus(t *testing.T) {
	testenv.Tool(t, "doas", "doas")
	files, err := filepath.Glob(filepath.Join("..", "testdata", "site", "doas", "*.doas.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no doas corpus (%v)", err)
	}
	type tc struct {
		name, content string
		ok            bool
	}
	var cases []tc
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, tc{filepath.Base(f), string(b), true})
	}
	// 6.0-era "keepenv { VAR }" is a syntax error for doas since 6.1
	// (doas.conf(5), facts 11.3); so is a rule without identity.
	cases = append(cases, tc{"keepenv-list", "permit keepenv { PATH } :wheel\n", false}, tc{"no identity", "permit persist\n", false})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := firewallPlan(t)
			p.Packages = nil
			p.Files = []plan.File{{Path: "/etc/doas.conf", Mode: "0600", Owner: "root", Group: "wheel", Content: c.content}}
			s, err := Build(p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := newRig(t, s)
			code, out := r.run()
			if code != 0 {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			_, err = os.Stat(filepath.Join(r.root, "etc/doas.conf"))
			if c.ok {
				if got := r.read("etc/doas.conf"); got != c.content {
					t.Errorf("installed doas.conf differs")
				}
				sameLines(t, "calls", r.recorded(), []string{
					"install -o root -g wheel -m 0600 ROOT/var/fugu/files/etc/doas.conf ROOT/etc/doas.conf",
					"install -o root -g wheel -m 0644 ROOT/var/fugu/files/etc/myname ROOT/etc/myname",
				})
				return
			}
			if !os.IsNotExist(err) {
				t.Errorf("a doas.conf that fails doas -C was installed")
			}
			if got := r.read("var/fugu/rejected/doas.conf"); got != c.content {
				t.Errorf("the rejected file was not kept")
			}
			want := "install.site: WARNING: /etc/doas.conf from the profile fails doas -C; kept the old one (a fresh install has none); the rejected file is /var/fugu/rejected/doas.conf\n"
			if !strings.Contains(out, want) || !strings.Contains(out, "install.site: done, with warnings:") {
				t.Errorf("output:\n%s\nwant %q", out, want)
			}
		})
	}
}

// TestRunNoHome: a set without a /home disk or wireless touches no disk;
// rc.conf.local is created when the installer wrote none.
func TestRunNoHome(t *testing.T) {
	s, err := Build(firewallPlan(t), Options{RCConfLocal: []string{"pf=YES", "ntpd_flags=-s"}})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s)
	code, out := r.run()
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	sameLines(t, "calls", r.recorded(), []string{
		"install -o root -g wheel -m 0644 ROOT/var/fugu/files/etc/myname ROOT/etc/myname",
		"install -o root -g wheel -m 0644 /dev/null ROOT/etc/rc.conf.local",
	})
	if got := r.read("etc/rc.conf.local"); got != "pf=YES\nntpd_flags=-s\n" {
		t.Errorf("rc.conf.local %q", got)
	}
	if got := r.read("etc/fstab"); got != installerFstab {
		t.Errorf("fstab changed:\n%s", got)
	}
	if got := r.read("home/puffy/.profile"); got == "" {
		t.Errorf("/home was touched")
	}
}

// TestHomeDiskTables: the MBR table and a disk of unknown size.
func TestHomeDiskTables(t *testing.T) {
	p := laptopPlan(t)
	p.Home.Table = "mbr"
	p.Home.Disk.Sectors = 0
	s, err := Build(p, laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s)
	r.env["SECTORS"] = "12345"
	testenv.Tool(t, "doas", "doas")
	if code, out := r.run(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	calls := r.recorded()
	if len(calls) < 7 || calls[6] != "fdisk -iy sd1" {
		t.Errorf("calls %q, want fdisk -iy sd1 seventh", calls)
	}
}

// A reinstall: the /home disk already holds an OpenBSD file system, which
// is kept (checked, mounted) instead of being labelled afresh; the new
// home directory of a user who has one there stays aside.
func TestRunKeepsExistingHome(t *testing.T) {
	r := relabelRig(t)
	r.write("etc/rc.conf.local", "xenodm_flags=\n", 0o644)
	// sd1's /home holds puffy's old files and another user's.
	old := filepath.Join(r.fake, newDUID+".a")
	for _, f := range []string{"puffy/thesis.tex", "alice/.profile"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(old, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(old, f), []byte("old "+f+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out := r.run()
	if code != 0 {
		t.Fatalf("install.site exited %d:\n%s\nlog:\n%s", code, out, r.read("var/log/fugu-install.site.log"))
	}
	calls := strings.Join(r.recorded(), "\n")
	for _, never := range []string{"fdisk", "newfs", "disklabel -w"} {
		if strings.Contains(calls, never) {
			t.Errorf("kept disk was touched with %s:\n%s", never, calls)
		}
	}
	if !strings.Contains(calls, "fsck -p /dev/rsd1a\nmount -t ffs "+newDUID+".a ROOT/mnt\n") {
		t.Errorf("no fsck before mount:\n%s", calls)
	}
	// /home is unmounted at the end: its files are back in the stand-in
	// for the file system.
	for f, want := range map[string]string{"puffy/thesis.tex": "old puffy/thesis.tex\n", "alice/.profile": "old alice/.profile\n"} {
		if got, err := os.ReadFile(filepath.Join(old, f)); err != nil || string(got) != want {
			t.Errorf("%s on the kept /home: %q %v", f, got, err)
		}
	}
	if !strings.HasPrefix(r.read("var/fugu/home.new/puffy/.profile"), "# $OpenBSD: dot.profile") {
		t.Error("the installer's new home for puffy is not kept aside")
	}
	if !strings.Contains(out, "install.site: /home: sd1 already holds a file system in sd1a: keeping it (disks.home.wipe: true starts it afresh)\n") {
		t.Errorf("output:\n%s", out)
	}
	if got := r.read("etc/fstab"); got != installerFstab+newDUID+".a /home ffs rw,nodev,nosuid 1 2\n" {
		t.Errorf("fstab:\n%s", got)
	}
}

// A labelled /home disk whose 'a' is an old root file system is not
// mounted on /home.
func TestRunRefusesOldRootAsHome(t *testing.T) {
	r := relabelRig(t)
	for _, d := range []string{"etc", "bin", "sbin"} {
		if err := os.MkdirAll(filepath.Join(r.fake, newDUID+".a", d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	code, out := r.run()
	want := "sd1a holds an old root file system, not a /home: not mounting it on /home (disks.home.wipe: true reuses the disk)"
	if code == 0 || !strings.Contains(out, want) {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if calls := strings.Join(r.recorded(), "\n"); strings.Contains(calls, "fdisk") || strings.Contains(calls, "newfs") {
		t.Errorf("the disk was written to:\n%s", calls)
	}
}

// relabelRig is the laptop's rig on a reinstall: sd1, the /home disk, is
// labelled from an earlier install, with a 4.2BSD 'a' partition.
func relabelRig(t *testing.T) *rig {
	t.Helper()
	testenv.Tool(t, "doas", "doas")
	s, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s)
	if err := os.WriteFile(filepath.Join(r.state, "labelled.sd1"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}
