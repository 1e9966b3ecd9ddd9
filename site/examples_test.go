package site

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/fixture"
	"github.com/fugu-tool/fugu/internal/testenv"
	"github.com/fugu-tool/fugu/plan"
)

// examples pairs the example profiles with dmesgs of machines they fit,
// as plan's golden plans do.
var examples = []struct{ profile, dmesg string }{
	{"laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt"},
	{"laptop", "thinkpad-t495-multiboot-6.7beta-amd64.txt"},
	{"vm", "vmm-vmd-6.8-amd64.txt"},
	{"firewall", "pcengines-apu2-6.7-amd64.txt"},
	{"mail-gateway", "dell-r610-perc-bnx-6.5-amd64.txt"},
}

func examplePlan(t *testing.T, profile, dmesg string) *plan.Plan {
	t.Helper()
	return fixture.Plan(t, profile, dmesg)
}

// TestExampleGoldens builds the site set of every example profile planned
// against a matching dmesg.
func TestExampleGoldens(t *testing.T) {
	for _, ex := range examples {
		name := "example-" + ex.profile + "--" + strings.TrimSuffix(filepath.Base(ex.dmesg), ".txt")
		t.Run(name, func(t *testing.T) {
			s, err := Build(examplePlan(t, ex.profile, ex.dmesg), Options{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".install.site", s.Script())
			golden(t, name+".manifest", manifest(s))
		})
	}
}

// TestRunExampleLaptop runs the example laptop's install.site (planned
// for the synthetic two-disk laptop: the hard disk sd0 is /home, the NVMe
// sd1 root) against the stand-ins.
func TestRunExampleLaptop(t *testing.T) {
	testenv.Tool(t, "doas", "doas")
	pl := examplePlan(t, "laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt")
	if pl.Home == nil || pl.Home.OnRoot || pl.Root == nil {
		t.Fatalf("the example laptop plan has no second disk for /home: %+v", pl.Home)
	}
	home, root := pl.Home.Disk.Name, pl.Root.Disk.Name
	s, err := Build(pl, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, s)
	r.env["DISKS"] = root + " " + home
	r.env["DISKNAMES"] = fmt.Sprintf("%s:,%s:%s", home, root, rootDUID)
	r.env["SECTORS"] = fmt.Sprint(pl.Home.Disk.Sectors)
	code, out := r.run()
	if code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, out, r.read("var/log/fugu-install.site.log"))
	}
	calls := r.recorded()
	want := []string{
		"fdisk -gy " + home,
		"disklabel -w -A -T ROOT/var/fugu/home.template " + home,
		"newfs -q -O2 " + newDUID + ".a",
	}
	var got []string
	for _, c := range calls {
		if strings.HasPrefix(c, "fdisk") || strings.HasPrefix(c, "disklabel -w") || strings.HasPrefix(c, "newfs") {
			got = append(got, c)
		}
	}
	sameLines(t, "disk calls", got, want)
	if calls[len(calls)-1] != "umount ROOT/home" {
		t.Errorf("last call %q, want umount ROOT/home", calls[len(calls)-1])
	}
	if got := r.read("etc/doas.conf"); got != "permit persist :wheel\n" {
		t.Errorf("doas.conf %q", got)
	}
	if got := r.read("etc/hostname.iwm0"); got != "join home wpakey 'example wifi passphrase'\ninet autoconf\ninet6 autoconf\n" {
		t.Errorf("hostname.iwm0 %q", got)
	}
}
