package plan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/hardware"
	goldenfile "github.com/fugu-tool/fugu/internal/golden"
	"github.com/fugu-tool/fugu/profiles"
)

const dmesgDir = "../testdata/dmesg/"

func facts(t *testing.T, name string) *hardware.Facts {
	t.Helper()
	f, err := hardware.ParseFile(dmesgDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func load(t *testing.T, path string) *profiles.Profile {
	t.Helper()
	p, err := profiles.Load(path, profiles.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLaptopTwoDisks(t *testing.T) {
	tests := []struct {
		dmesg                string
		root, home, rootWhy  string
		physmem              int64
		swapLetter, homeSize string
	}{
		{
			dmesg: "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt", root: "sd1", home: "sd0",
			rootWhy: "the only SSD: sd1, 953.9G ssd, nvme, NVMe WDC PC SN720 SDA", physmem: 34243051520,
		},
		{
			dmesg: "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt", root: "sd0", home: "sd1",
			rootWhy: "the only SSD: sd0, 238.5G ssd, nvme, NVMe SAMSUNG MZVLB256", physmem: 16790142976,
		},
	}
	for _, tt := range tests {
		t.Run(tt.dmesg, func(t *testing.T) {
			pl, err := Make(load(t, "../profiles/examples/laptop.yaml"), facts(t, tt.dmesg))
			if err != nil {
				t.Fatal(err)
			}
			if pl.Root.Disk.Name != tt.root || pl.Root.Reason != tt.rootWhy {
				t.Errorf("root %s (%s), want %s (%s)", pl.Root.Disk.Name, pl.Root.Reason, tt.root, tt.rootWhy)
			}
			if pl.Home == nil || pl.Home.OnRoot || pl.Home.Disk.Name != tt.home || !strings.HasPrefix(pl.Home.Reason, "the only hard disk: "+tt.home) {
				t.Errorf("home %+v, want %s", pl.Home, tt.home)
			}
			if pl.PhysMem != tt.physmem || pl.Swap != 2*tt.physmem {
				t.Errorf("physmem %d swap %d, want swap %d", pl.PhysMem, pl.Swap, 2*tt.physmem)
			}
			// Swap is b, /home is not on the root disk, and the home
			// disk has a single /home partition a.
			var mounts []string
			for _, p := range pl.RootLayout.Label.Partitions {
				if !p.Existing {
					mounts = append(mounts, string(p.Letter)+"="+p.Mount)
				}
			}
			want := "a=/ b=swap d=/tmp e=/var f=/usr g=/usr/X11R6 h=/usr/local j=/usr/src k=/usr/obj"
			if got := strings.Join(mounts, " "); got != want {
				t.Errorf("root partitions %s, want %s", got, want)
			}
			hp := pl.HomeLayout.Label.Partitions
			if len(hp) != 1 || hp[0].Letter != 'a' || hp[0].Mount != "/home" || hp[0].Offset != 64 {
				t.Errorf("home partitions %+v", hp)
			}
			if pl.Media == nil || !pl.Media.Predicted || pl.Media.Device != "sd2" {
				t.Errorf("media %+v", pl.Media)
			}
		})
	}
}

func TestLaptopOneNVMeDisk(t *testing.T) {
	pl, err := Make(load(t, "../profiles/examples/laptop.yaml"), facts(t, "thinkpad-t495-multiboot-6.7beta-amd64.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if pl.Root.Disk.Name != "sd0" || pl.Home == nil || !pl.Home.OnRoot || pl.HomeLayout != nil {
		t.Fatalf("root %s home %+v", pl.Root.Disk.Name, pl.Home)
	}
	wantNote := `/home: rule "hdd" matches no disk besides the root disk sd0, so /home stays on sd0`
	if len(pl.Notes) == 0 || pl.Notes[0] != wantNote {
		t.Errorf("notes %q, want %q", pl.Notes, wantNote)
	}
	var home *struct{ letter byte }
	for _, p := range pl.RootLayout.Label.Partitions {
		if p.Mount == "/home" {
			home = &struct{ letter byte }{p.Letter}
			// /home takes the rest: nothing left but alignment slack.
			if pl.RootLayout.Label.Free > 64 {
				t.Errorf("free %d sectors after /home", pl.RootLayout.Label.Free)
			}
		}
	}
	if home == nil || home.letter != 'l' {
		t.Errorf("/home partition %+v, want l (i is the EFI System partition)", home)
	}
	if pl.Swap != 2*pl.PhysMem {
		t.Errorf("swap %d, want %d", pl.Swap, 2*pl.PhysMem)
	}
}

// The table of bad profiles that need the hardware to show: each
// row edits the laptop example and names the exact message and place.
func TestBadProfilesAgainstHardware(t *testing.T) {
	example, err := os.ReadFile("../profiles/examples/laptop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dmesg string
		edits       []string // old, new, old, new, ...
		want        string
	}{
		{"disk rule matching nothing", "kvm-qemu41-virtio-6.6-amd64.txt", []string{"name: re0", "name: vio0", "disk: ssd ", "disk: nvme "},
			`laptop.yaml:48:11: disks.root.disk: disk rule "nvme" matches no disk (sd0: on virtio, not nvme); name one, e.g. disk: sd0`},
		{"disk rule matching several", "supermicro-epyc-rome-1tb-nvme-6.6current-amd64.txt", []string{"name: re0", "name: em0"},
			`laptop.yaml:48:11: disks.root.disk: disk rule "ssd" matches 3 disks: sd0 (sd0, 223.6G ssd, ahci, ATA INTEL SSDSCKKB24), sd1 (sd1, 3.6T ssd, nvme, NVMe INTEL SSDPE2KX04), sd2 (sd2, 3.6T ssd, nvme, NVMe INTEL SSDPE2KX04); name one, e.g. disk: sd0`},
		{"swap bigger than the disk", "kvm-qemu41-virtio-6.6-amd64.txt", []string{"name: re0", "name: vio0", "disk: ssd ", "disk: largest ", "swap: 2x-ram", "swap: 8G"},
			`laptop.yaml:51:11: disks.root.swap: swap 8G is 8.0G, bigger than the OpenBSD area of sd0 (1.2G)`},
		{"named disk missing", "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt", []string{"disk: hdd ", "disk: sd4 "},
			`laptop.yaml:53:11: disks.home.disk: no disk sd4 in the dmesg; disks: sd0, sd1`},
		{"root on the install stick", "thinkpad-x1c4-efifb-6.1-amd64.txt", []string{"name: re0", "name: em0", "disk: ssd ", "disk: sd1 "},
			`laptop.yaml:48:11: disks.root.disk: sd1 is the install media (sd1, 1.9G unknown, usb, Kingmax USB2.0 FlashDisk); fugu never installs onto the stick it boots from`},
		{"wired interface missing", "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt", []string{"name: re0", "name: em0"},
			`laptop.yaml:20:13: network.interfaces[0].name: em0 is not in the dmesg; this machine has re0`},
		{"layout list that does not fit", "pcengines-apu2-6.7-amd64.txt", []string{"name: re0", "name: em0",
			"    layout: auto       # the installer's layout, less /home\n    swap: 2x-ram       # 64G on a 32 GB machine: room for hibernation",
			"    layout:\n      - {mount: /, size: 4G}\n      - {mount: /usr, size: 12G}"},
			`laptop.yaml:52:9: disks.root.layout[1]: the layout does not fit sd0 (14.9G): the minimums need 16G (33554432 sectors) but the OpenBSD area has 15G (30744655 sectors) free (1.3G (2809777 sectors) short; /usr is the first that does not fit)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := string(example)
			for i := 0; i+1 < len(tt.edits); i += 2 {
				if !strings.Contains(doc, tt.edits[i]) {
					t.Fatalf("%q not in the example", tt.edits[i])
				}
				doc = strings.Replace(doc, tt.edits[i], tt.edits[i+1], 1)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "laptop.yaml")
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			p, err := profiles.Load(path, profiles.Options{})
			if err != nil {
				t.Fatalf("profile: %v", err)
			}
			_, err = Make(p, facts(t, tt.dmesg))
			if err == nil {
				t.Fatal("no error")
			}
			got := strings.ReplaceAll(err.Error(), dir+"/", "")
			if got != tt.want {
				t.Errorf("error:\n got  %s\n want %s", got, tt.want)
			}
		})
	}
}

// golden pairs every example profile with dmesgs of machines it fits.
var golden = []struct{ profile, dmesg string }{
	{"laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt"},
	{"laptop", "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt"},
	{"laptop", "thinkpad-t495-multiboot-6.7beta-amd64.txt"},
	{"vm", "kvm-qemu41-virtio-6.6-amd64.txt"},
	{"vm", "vmm-vmd-6.8-amd64.txt"},
	{"firewall", "pcengines-apu2-6.7-amd64.txt"},
	{"mail-gateway", "dell-r610-perc-bnx-6.5-amd64.txt"},
}

func TestGoldenPlans(t *testing.T) {
	for _, g := range golden {
		name := g.profile + "--" + strings.TrimSuffix(filepath.Base(g.dmesg), ".txt")
		t.Run(name, func(t *testing.T) {
			pl, err := Make(load(t, "../profiles/examples/"+g.profile+".yaml"), facts(t, g.dmesg))
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			if err := pl.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("../testdata/plan", name+".txt"), text.Bytes())
			js, err := json.MarshalIndent(pl, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("../testdata/plan", name+".json"), append(js, '\n'))
			// Secrets never reach the output.
			for _, secret := range []string{"$2b$", "example wifi passphrase"} {
				if bytes.Contains(text.Bytes(), []byte(secret)) || bytes.Contains(js, []byte(secret)) {
					t.Errorf("output shows a secret (%q)", secret)
				}
			}
		})
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	goldenfile.Check(t, path, got)
}

// fugu init writes a profile that plans cleanly on every corpus machine.
func TestStartingProfileForEveryDmesg(t *testing.T) {
	files, _ := filepath.Glob(dmesgDir + "*.txt")
	synth, _ := filepath.Glob(dmesgDir + "synthetic/*.txt")
	files = append(files, synth...)
	if len(files) < 40 {
		t.Fatalf("only %d dmesgs", len(files))
	}
	for _, f := range files {
		fa, err := hardware.ParseFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := StartingProfile(fa)
		p, err := profiles.Parse("init.yaml", []byte(text), profiles.Options{})
		if err != nil {
			t.Errorf("%s: init profile does not parse: %v\n%s", f, err, text)
			continue
		}
		if _, err := Make(p, fa); err != nil {
			t.Errorf("%s: init profile does not plan: %v\n%s", f, err, text)
		}
	}
}

func TestStartingProfileChoices(t *testing.T) {
	tests := []struct{ dmesg, root, home string }{
		{"thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt", "ssd", "hdd"},
		{"synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt", "ssd", "hdd"},
		{"thinkpad-t495-multiboot-6.7beta-amd64.txt", "ssd", ""},
		{"dell-r610-perc-bnx-6.5-amd64.txt", "smallest", "largest"},
		{"freenas-mini-7disks-6.7-amd64.txt", "smallest", ""},
		{"kvm-qemu41-virtio-6.6-amd64.txt", "largest", ""},
		{"raspberrypi3-bwfm-6.7beta-arm64.txt", "", ""},
		{"amd-k6-2wd-6.7-i386.txt", "smallest", "hdd"},
	}
	for _, tt := range tests {
		root, home := initDisks(facts(t, tt.dmesg))
		if root != tt.root || home != tt.home {
			t.Errorf("%s: init picks root %q home %q, want %q %q", tt.dmesg, root, home, tt.root, tt.home)
		}
	}
}
