package hardware

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		is    error
		line  int
		msg   string
	}{
		{"empty", "", ErrEmpty, 0, "d.txt: empty input, not a dmesg"},
		{"blank lines", "\n \r\n\t\n", ErrEmpty, 0, "d.txt: empty input, not a dmesg"},
		{"no header", "hello\nworld\n", ErrNoHeader, 0,
			`d.txt: no boot header: a dmesg starts each boot with a line like "OpenBSD 7.6 (GENERIC.MP) #338: ..." (in 2 lines)`},
		{"OpenBSD without a release", "OpenBSD is nice\n$ uname -a\nOpenBSD host 7.6 GENERIC.MP#338 amd64\n", ErrNoHeader, 0,
			`d.txt: no boot header: a dmesg starts each boot with a line like "OpenBSD 7.6 (GENERIC.MP) #338: ..." (in 3 lines)`},
		{"NUL byte", "OpenBSD 7.4 (GENERIC.MP) #1: Sun Oct  1 00:22:20 MDT 2023\nreal mem = 1\x00\n", ErrBinary, 2,
			"d.txt:2: binary data, not a dmesg (NUL byte at column 13)"},
		{"UTF-16", "\xff\xfeO\x00p\x00", ErrBinary, 1,
			"d.txt:1: binary data, not a dmesg: UTF-16 text; convert it first (iconv -f UTF-16 -t UTF-8)"},
		{"control characters", "OpenBSD 7.4 (GENERIC.MP) #1\n\x01\x02\x03\x04\x05\x06abcdefghij\n", ErrBinary, 2,
			"d.txt:2: binary data, not a dmesg (6 of 16 bytes are control characters or not UTF-8)"},
		{"invalid UTF-8", "\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc\xf0\x90\x28\xbc\xff\xfe\xfd\n", ErrBinary, 1,
			"d.txt:1: binary data, not a dmesg (14 of 18 bytes are control characters or not UTF-8)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("d.txt", strings.NewReader(tt.input))
			if err == nil {
				t.Fatalf("no error; facts %+v", f)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "d.txt" || pe.Line != tt.line {
				t.Errorf("error %#v: want *ParseError for d.txt line %d", err, tt.line)
			}
			if err.Error() != tt.msg {
				t.Errorf("error:\n got %s\nwant %s", err, tt.msg)
			}
		})
	}
}

func TestParseFileMissing(t *testing.T) {
	_, err := ParseFile("testdata/does-not-exist.txt")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "testdata/does-not-exist.txt") {
		t.Errorf("got %v, want a not-exist error naming the file", err)
	}
}

// endless is an input that never ends.
type endless struct{ b byte }

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	return len(p), nil
}

func TestParseBounded(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    io.Reader
	}{
		{"one endless line", io.MultiReader(strings.NewReader("OpenBSD 7.4 (GENERIC) #0\n"), endless{'x'})},
		{"endless blank lines", endless{'\n'}},
		{"endless lines of y", io.MultiReader(strings.NewReader("OpenBSD 7.4 (GENERIC) #0\n"), endless{'y'})},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("big", tt.r)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("got %v, want ErrTooLarge", err)
			}
			if err.Error() != "big: input larger than 32 MiB, far more than a dmesg" {
				t.Errorf("message %q", err)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestParseManyDevices(t *testing.T) {
	var b strings.Builder
	b.WriteString("OpenBSD 7.4 (GENERIC.MP) #1\n")
	for i := 0; i < maxDevices+5000; i++ {
		fmt.Fprintf(&b, "em%d at pci%d dev 0 function 0 \"Intel I210\" rev 0x03: msi, address 00:00:5e:00:53:%02x\n", i, i, i%256)
	}
	f, err := Parse("many", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.NICs) != maxDevices {
		t.Errorf("%d NICs, want %d (the device limit)", len(f.NICs), maxDevices)
	}
	want := fmt.Sprintf("line %d: more than %d devices; the rest are ignored", maxDevices+2, maxDevices)
	if len(f.Warnings) == 0 || f.Warnings[0] != want {
		t.Errorf("warnings %q, want first %q", f.Warnings, want)
	}
}

func TestParseLongLine(t *testing.T) {
	in := "OpenBSD 7.4 (GENERIC.MP) #1\n" + strings.Repeat("a", 40000) + "\nroot on sd0a swap on sd0b\n"
	f, err := Parse("long", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if f.RootDev != "sd0a" {
		t.Errorf("root %q: the line after the long one was lost", f.RootDev)
	}
	if len(f.Warnings) == 0 || f.Warnings[0] != "line 2: longer than 16 KiB, cut" {
		t.Errorf("warnings %q", f.Warnings)
	}
}

// corpusFacts parses one corpus file.
func corpusFacts(t *testing.T, name string) (*Facts, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(name, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return f, data
}

// TestTextVariants feeds corpus files mangled the ways dmesgs get mangled
// on their way to us; the facts must not change.
func TestTextVariants(t *testing.T) {
	mapLines := func(data []byte, fn func(string) string) []byte {
		lines := strings.Split(string(data), "\n")
		for i, l := range lines {
			if l != "" {
				lines[i] = fn(l)
			}
		}
		return []byte(strings.Join(lines, "\n"))
	}
	variants := map[string]func([]byte) []byte{
		"CRLF":    func(d []byte) []byte { return bytes.ReplaceAll(d, []byte("\n"), []byte("\r\n")) },
		"CR only": func(d []byte) []byte { return bytes.ReplaceAll(d, []byte("\n"), []byte("\r")) },
		"HTML entities": func(d []byte) []byte {
			r := strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")
			return []byte(r.Replace(string(d)))
		},
		"HTML pre": func(d []byte) []byte {
			return append(append([]byte("<pre>"), d...), "</pre>"...)
		},
		"syslog prefix": func(d []byte) []byte {
			return mapLines(d, func(l string) string { return "Oct  1 09:12:44 puffy /bsd: " + l })
		},
		"indented": func(d []byte) []byte {
			return mapLines(d, func(l string) string { return "\t  " + l })
		},
		"byte order mark":  func(d []byte) []byte { return append([]byte("\xef\xbb\xbf"), d...) },
		"no final newline": func(d []byte) []byte { return bytes.TrimRight(d, "\n") },
	}
	for _, name := range []string{
		"xeon-e2278g-softraid-raid5-6.7-amd64.txt",
		"thinkpad-t495-multiboot-6.7beta-amd64.txt",
		"raspberrypi3-bwfm-6.7beta-arm64.txt",
		"dell-r210ii-2disks-5.0-amd64.txt",
		"packardbell-dotse-atom-suspend-7.4-amd64.txt",
	} {
		want, data := corpusFacts(t, name)
		for vname, fn := range variants {
			t.Run(name+"/"+vname, func(t *testing.T) {
				got, err := Parse(name, bytes.NewReader(fn(data)))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("facts differ:\n got %+v\nwant %+v", got, want)
				}
			})
		}
	}
}

// withoutLines zeroes what depends on where a boot sits in the input.
func withoutLines(f *Facts) *Facts {
	c := *f
	c.Boots, c.BootLine, c.Warnings = 0, 0, nil
	c.Disks = append([]Disk(nil), f.Disks...)
	for i := range c.Disks {
		c.Disks[i].Line = 0
	}
	c.NICs = append([]NIC(nil), f.NICs...)
	for i := range c.NICs {
		c.NICs[i].Line = 0
	}
	return &c
}

func TestLastBootWins(t *testing.T) {
	a, adata := corpusFacts(t, "dell-r610-perc-bnx-6.5-amd64.txt")
	b, bdata := corpusFacts(t, "pinebook-pro-rkdrm-bwfm-6.7current-arm64.txt")
	in := append(append(append([]byte("$ cat /var/run/dmesg.boot\n"), adata...), "syncing disks... done\n"...), bdata...)
	got, err := Parse(b.Source, bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got.Boots != 2 {
		t.Errorf("boots %d, want 2", got.Boots)
	}
	if want := bytes.Count(adata, []byte("\n")) + 3; got.BootLine != want {
		t.Errorf("boot line %d, want %d", got.BootLine, want)
	}
	if !reflect.DeepEqual(withoutLines(got), withoutLines(b)) {
		t.Errorf("facts of the last boot differ:\n got %+v\nwant %+v", got, b)
	}
	if got.Disks[0].Line != b.Disks[0].Line+got.BootLine-1 {
		t.Errorf("disk line %d is not the line in the concatenated input", got.Disks[0].Line)
	}
	if reflect.DeepEqual(withoutLines(a), withoutLines(b)) {
		t.Fatal("test needs two different machines")
	}
	want := fmt.Sprintf("2 boots in the input: facts are from the last one, at line %d", got.BootLine)
	if len(got.Warnings) != 1 || got.Warnings[0] != want {
		t.Errorf("warnings %q, want [%q]", got.Warnings, want)
	}
}

// header and tail of a minimal amd64 dmesg for the synthetic tests.
const (
	amd64Head = "OpenBSD 7.4 (GENERIC.MP) #1397: Tue Oct 10 09:02:37 MDT 2023\n" +
		"    deraadt@amd64.openbsd.org:/usr/src/sys/arch/amd64/compile/GENERIC.MP\n" +
		"real mem = 17059287040 (16269MB)\navail mem = 16522752000 (15757MB)\n" +
		"mainbus0 at root\nbios0 at mainbus0: SMBIOS rev. 3.2 @ 0x7a4f3000 (36 entries)\n"
	rootTail = "root on sd0a (0123456789abcdef.a) swap on sd0b dump on sd0b\n"
)

func TestSynthetic(t *testing.T) {
	tests := []struct {
		name  string
		input string
		check func(t *testing.T, f *Facts)
	}{
		{"softraid volume re-assembled takes its final size; a USB disk pulled is left out",
			amd64Head +
				"ahci0 at pci0 dev 23 function 0 \"Intel 300 Series AHCI\" rev 0x10: msi, AHCI 1.3.1\n" +
				"scsibus1 at ahci0: 32 targets\n" +
				"sd0 at scsibus1 targ 0 lun 0: <ATA, Samsung SSD 860, 3B6Q> naa.5002538e4000000\n" +
				"sd0: 476940MB, 512 bytes/sector, 976773168 sectors, thin\n" +
				"umass0 at uhub0 port 1 configuration 1 interface 0 \"SanDisk Cruzer\" rev 2.00/1.00 addr 2\n" +
				"scsibus2 at umass0: 2 targets, initiator 0\n" +
				"sd1 at scsibus2 targ 1 lun 0: <SanDisk, Cruzer, 1.00> removable serial.0781\n" +
				"sd1: 7633MB, 512 bytes/sector, 15633408 sectors\n" +
				"softraid0 at root\nscsibus3 at softraid0: 256 targets\n" +
				"sd2 at scsibus3 targ 1 lun 0: <OPENBSD, SR RAID 1, 006>\n" +
				"sd2: 100MB, 512 bytes/sector, 204800 sectors\n" +
				rootTail +
				"sd2 detached\n" +
				"sd2 at scsibus3 targ 1 lun 0: <OPENBSD, SR RAID 5, 006>\n" +
				"sd2: 200MB, 4096 bytes/sector, 51200 sectors\n" +
				"sd1 detached\numass0 detached\n",
			func(t *testing.T, f *Facts) {
				if len(f.Disks) != 2 {
					t.Fatalf("disks %+v, want sd0 and sd2", f.Disks)
				}
				sd2 := f.Disks[1]
				want := Disk{Name: "sd2", Vendor: "OPENBSD", Model: "SR RAID 5", Rev: "006", SizeMB: 200, Sectors: 51200, SectorSize: 4096,
					Type: Unknown, Bus: "softraid", Controller: "softraid0", Softraid: true, RAIDLevel: "RAID5", Line: 21}
				if sd2 != want {
					t.Errorf("sd2:\n got %+v\nwant %+v", sd2, want)
				}
				if sd2.Bytes() != 200<<20 {
					t.Errorf("sd2 bytes %d", sd2.Bytes())
				}
				w := "sd1 (SanDisk Cruzer) detached at line 23 and did not come back: left out"
				if len(f.Warnings) != 1 || f.Warnings[0] != w {
					t.Errorf("warnings %q, want [%q]", f.Warnings, w)
				}
			}},
		{"MAC on a later line, upper case; masked MAC ignored",
			amd64Head +
				"bwfm0 at sdmmc0 function 1\n" +
				"em0 at pci0 dev 31 function 6 \"Intel I219-V\" rev 0x21: msi, address xx:xx:xx:xx:xx:xx\n" +
				"iwx0 at pci3 dev 0 function 0 \"Intel Wi-Fi 6 AX201\" rev 0x20, msix\n" +
				rootTail +
				"bwfm0: address 00:1A:2B:3C:4D:5E\n" +
				"iwx0: hw rev 0x350, fw 77.f92b5fed.0, pnvm 1, address 00:00:5e:00:53:11\n",
			func(t *testing.T, f *Facts) {
				want := []NIC{
					{Name: "bwfm0", Driver: "bwfm", MAC: "00:1a:2b:3c:4d:5e", Wireless: true, Bus: "sdmmc", Line: 7},
					{Name: "em0", Driver: "em", Wireless: false, Bus: "pci", Desc: "Intel I219-V", Line: 8},
					{Name: "iwx0", Driver: "iwx", MAC: "00:00:5e:00:53:11", Wireless: true, Bus: "pci", Desc: "Intel Wi-Fi 6 AX201", Line: 9},
				}
				if !reflect.DeepEqual(f.NICs, want) {
					t.Errorf("NICs:\n got %+v\nwant %+v", f.NICs, want)
				}
				if got := strings.Join(f.Firmware, ","); got != "bwfm,iwx" {
					t.Errorf("firmware %q", got)
				}
			}},
		{"EFI from efi0; serial console; new AMD GPU by fw_update's unknown-product pattern",
			amd64Head +
				"efi0 at bios0: UEFI 2.7\n" +
				"cpu0 at mainbus0: apid 0 (boot processor)\n" +
				"cpu0: AMD Ryzen 5 5600G with Radeon Graphics, 3893.52 MHz, 19-50-00\n" +
				"vga1 at pci1 dev 0 function 0 vendor \"ATI\", unknown product 0x1681 rev 0xc1\n" +
				"com0 at acpi0 COM1 addr 0x3f8/0x8 irq 4: ns16550a, 16 byte fifo\n" +
				"com0: console\n" + rootTail,
			func(t *testing.T, f *Facts) {
				if !f.EFI || !f.Serial || f.Console != "com0" || f.Graphics != "vga" || f.CPUVendor != "amd" || f.NCPU != 1 {
					t.Errorf("efi %v serial %v console %q graphics %q cpu %q ncpu %d", f.EFI, f.Serial, f.Console, f.Graphics, f.CPUVendor, f.NCPU)
				}
				if f.CPUModel != "AMD Ryzen 5 5600G with Radeon Graphics" {
					t.Errorf("cpu model %q", f.CPUModel)
				}
				if got := strings.Join(f.Firmware, ","); got != "amdgpu" {
					t.Errorf("firmware %q", got)
				}
				if got := strings.Join(f.PlatformFirmware, ","); got != "amd" {
					t.Errorf("platform firmware %q", got)
				}
			}},
		{"coreboot framebuffer is not EFI; Intel GPU named but not attached",
			amd64Head +
				"bios0: vendor coreboot version \"4.12\" date 06/04/2020\n" +
				"bios0: Google Lulu\n" +
				"\"Intel HD Graphics 5500\" rev 0x09 at pci0 dev 2 function 0 not configured\n" +
				"efifb0 at mainbus0: 1366x768, 32bpp\n" +
				"wsdisplay0 at efifb0 mux 1: console (std, vt100 emulation)\n" + rootTail,
			func(t *testing.T, f *Facts) {
				if f.EFI || f.Graphics != "efifb" || f.Machine != "Google Lulu" {
					t.Errorf("efi %v graphics %q machine %q", f.EFI, f.Graphics, f.Machine)
				}
				if got := strings.Join(f.Firmware, ","); got != "inteldrm" {
					t.Errorf("firmware %q", got)
				}
			}},
		{"microcode pattern ^cpu0:*Intel stays on cpu0's line",
			amd64Head +
				"cpu0 at mainbus0: apid 0 (boot processor)\n" +
				"cpu0: Virtual CPU a7769a6388d5, 2400.38 MHz\n" +
				"em0 at pci0 dev 3 function 0 \"Intel 82540EM\" rev 0x02: apic 1 int 19, address 00:00:5e:00:53:01\n" + rootTail,
			func(t *testing.T, f *Facts) {
				if len(f.PlatformFirmware) != 0 || f.CPUVendor != "" || f.CPUModel != "Virtual CPU a7769a6388d5" {
					t.Errorf("platform firmware %q, vendor %q, model %q", f.PlatformFirmware, f.CPUVendor, f.CPUModel)
				}
			}},
		{"no kernel path line: amd64 guessed",
			"OpenBSD 7.4 (GENERIC.MP) #1\nreal mem = 1073741824 (1024MB)\nmainbus0 at root\nbios0 at mainbus0\n" + rootTail,
			func(t *testing.T, f *Facts) {
				w := "no kernel path line (.../arch/ARCH/compile/KERNEL): architecture amd64 guessed from the attach lines"
				if f.Arch != "amd64" || len(f.Warnings) != 1 || f.Warnings[0] != w {
					t.Errorf("arch %q warnings %q", f.Arch, f.Warnings)
				}
			}},
		{"no kernel path line: i386 guessed from two spaces in real mem",
			"OpenBSD 6.7 (GENERIC) #5\nreal mem  = 536297472 (511MB)\nmainbus0 at root\nbios0 at mainbus0: date 01/11/01\n" + rootTail,
			func(t *testing.T, f *Facts) {
				if f.Arch != "i386" || f.PhysMem != 536297472 {
					t.Errorf("arch %q physmem %d", f.Arch, f.PhysMem)
				}
			}},
		{"no kernel path line: arm64 guessed from the core",
			"OpenBSD 7.4 (GENERIC.MP) #1\nreal mem  = 958910464 (914MB)\nmainbus0 at root: Raspberry Pi 4 Model B Rev 1.4\n" +
				"cpu0 at mainbus0 mpidr 0: ARM Cortex-A72 r0p3\n" + rootTail,
			func(t *testing.T, f *Facts) {
				if f.Arch != "arm64" || f.CPUModel != "ARM Cortex-A72 r0p3" || f.Machine != "Raspberry Pi 4 Model B Rev 1.4" {
					t.Errorf("arch %q cpu %q machine %q", f.Arch, f.CPUModel, f.Machine)
				}
			}},
		{"header without kernel name; kernel and arch from the path; nothing else",
			"OpenBSD 7.5\n    root@build:/usr/src/sys/arch/riscv64/compile/GENERIC.MP\n",
			func(t *testing.T, f *Facts) {
				if f.Release != "7.5" || f.Kernel != "GENERIC.MP" || f.Arch != "riscv64" || f.Graphics != "none" || f.Disks == nil || f.NICs == nil {
					t.Errorf("%+v", f)
				}
				want := []string{`no "real mem" line: memory size unknown`, `no "root on" line: the dmesg may be cut short`}
				if !reflect.DeepEqual(f.Warnings, want) {
					t.Errorf("warnings %q", f.Warnings)
				}
			}},
		{"wd disk on wdc, numbers too large",
			amd64Head + "real mem = 99999999999999999999\n" +
				"wdc0 at isa0 port 0x1f0/8 irq 14\n" +
				"wd0 at wdc0 channel 0 drive 0: <TOSHIBA MK3259GSX>\n" +
				"wd0: 16-sector PIO, LBA48, 305245MB, 625142448 sectors\n" + rootTail,
			func(t *testing.T, f *Facts) {
				want := []Disk{{Name: "wd0", Model: "TOSHIBA MK3259GSX", SizeMB: 305245, Sectors: 625142448, SectorSize: 512, Type: HDD, Bus: "ide", Controller: "wdc0", Line: 9}}
				if !reflect.DeepEqual(f.Disks, want) {
					t.Errorf("disks:\n got %+v\nwant %+v", f.Disks, want)
				}
				if f.PhysMem != 17059287040 {
					t.Errorf("physmem %d: the first real mem line counts", f.PhysMem)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("syn", strings.NewReader(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, f)
		})
	}
}

func TestFwPattern(t *testing.T) {
	tests := []struct {
		pkg     string
		pattern []string
		line    string
		want    bool
	}{
		{"iwm", nil, "iwm0 at pci2 dev 0 function 0 \"Intel Dual Band Wireless-AC 8265\" rev 0x78, msi", true},
		{"iwm", nil, "iwm0: hw rev 0x230, fw ver 34.0.1, address 00:00:5e:00:53:01", false},
		{"iwm", nil, "iwm12 at pci2", false}, // fw_update wants exactly one digit
		{"iwm", nil, "xiwm0 at pci2", false},
		{"vmm", nil, "vmm at mainbus0 not configured", false},
		{"vmm", nil, "vmm0 at mainbus0: VMX/EPT", true},
		{"intel", []string{"^cpu0:*Intel"}, "cpu0: Intel(R) Core(TM) i5-9400T CPU @ 1.80GHz, 1696.92 MHz", true},
		{"intel", []string{"^cpu0:*Intel"}, "cpu0 at mainbus0: apid 0 (boot processor)", false},
		{"intel", []string{"^cpu0:*Intel"}, "em0 at pci0: cpu0: Intel", false},
		{"amd", []string{"^cpu0:* AMD"}, "cpu0: AMD EPYC 7502 32-Core Processor, 2500.32 MHz", true},
		{"amd", []string{"^cpu0:* AMD"}, "cpu0: AMD-K6(tm)-III Processor", true},
		{"amd", []string{"^cpu0:* AMD"}, "cpu0:AMD-K6", false},
		{"amdsev", []string{`^"AMD*Crypto"`}, `"AMD 17h Crypto" rev 0x00 at pci3 dev 0 function 2 not configured`, true},
		{"amdsev", []string{`^"AMD*Crypto"`}, `ccp0 at pci3 dev 0 function 2 "AMD 17h Crypto" rev 0x00`, false},
		{"amdsev", []string{"^ccp0"}, `ccp0 at pci3 dev 0 function 2 "AMD 17h Crypto" rev 0x00`, true},
		{"amdgpu", []string{`^vendor "ATI", unknown product*class display`},
			`vendor "ATI", unknown product 0x73ff (class display subclass VGA, rev 0xc7) at pci3 dev 0 function 0 not configured`, true},
		{"amdgpu", []string{`^vga*vendor "ATI", unknown product`}, `vga1 at pci1 dev 0 function 0 vendor "ATI", unknown product 0x1681 rev 0xc1`, true},
		{"qcpas", []string{`^ppb0*"Qualcomm`}, `ppb0 at pci0 dev 0 function 0 "Qualcomm SC8280XP PCIe" rev 0x00`, true},
		{"apple-boot", []string{"^cpu0*Apple"}, "cpu0 at mainbus0 mpidr 0: Apple Icestorm r1p1", true},
	}
	for _, tt := range tests {
		p := newPattern(tt.pkg, false, tt.pattern)
		if got := p.match(tt.line); got != tt.want {
			t.Errorf("%s %q on %q: %v, want %v", tt.pkg, tt.pattern, tt.line, got, tt.want)
		}
	}
}

func TestGPUFirmware(t *testing.T) {
	tests := []struct{ line, want string }{
		{`inteldrm0 at pci0 dev 2 function 0 "Intel UHD Graphics 620" rev 0x07`, "inteldrm"},
		{`"Intel HD Graphics 520" rev 0x07 at pci0 dev 2 function 0 not configured`, "inteldrm"},
		{`vga1 at pci0 dev 2 function 0 Intel Mobile HD graphics rev 0x02`, "inteldrm"},
		{`inteldrm0 at pci0 dev 2 function 0 "Intel Pineview Video" rev 0x00`, "inteldrm"},
		{`radeondrm0 at pci0 dev 1 function 0 "ATI Radeon HD 6290" rev 0x00`, "radeondrm"},
		{`vga1 at pci1 dev 0 function 0 "ATI Mobility Radeon HD 3400" rev 0x00`, "radeondrm"},
		{`amdgpu0 at pci1 dev 0 function 0 "ATI Polaris 12" rev 0xc7`, "amdgpu"},
		{`amdgpu0 at pci4 dev 0 function 0 "ATI Radeon Vega" rev 0xc4`, "amdgpu"},
		{`"ATI Radeon RX 6600" rev 0xc7 at pci3 dev 0 function 0 not configured`, "amdgpu"},
		{`azalia0 at pci6 dev 0 function 1 "ATI Radeon HD 6400 Audio" rev 0x00: msi`, ""},
		{`"Intel 6 Series HD Audio" rev 0x04 at pci0 dev 27 function 0 not configured`, ""},
		{`vga1 at pci0 dev 13 function 0 "NVIDIA GeForce 6100 nForce 430" rev 0xa2`, ""},
		{`ccp0 at pci3 dev 0 function 2 "AMD 17h/1xh Crypto" rev 0x00`, ""},
		{`em0 at pci0 dev 31 function 6 "Intel I219-LM" rev 0x10: msi`, ""},
		{`cpu0: AMD C-60 APU with Radeon(tm) HD Graphics, 998.69 MHz, 14-02-00`, ""},
		{`nvme0 at pci26 dev 0 function 0 vendor "Intel", unknown product 0x0a54 rev 0x00: msix`, ""},
	}
	for _, tt := range tests {
		if got := gpuFirmware(pciDeviceName(tt.line)); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		vendor, model, bus string
		thin, softraid     bool
		want               DiskType
		virtual            bool
	}{
		{"ATA", "WDC WD20EFAX-68F", "ahci", true, false, HDD, false}, // SMR: thin, still rotating
		{"ATA", "WDC WD30EFRX-68A", "ahci", false, false, HDD, false},
		{"ATA", "WDC WDS500G2B0A", "ahci", true, false, SSD, false},  // WD Blue SSD
		{"ATA", "ST240HM000-1G515", "ahci", true, false, SSD, false}, // Seagate 600 SSD
		{"ATA", "ST4000VN008-2DR1", "ahci", false, false, HDD, false},
		{"SEAGATE", "ST4000NM0023", "scsi", false, false, HDD, false},
		{"SEAGATE", "XS800ME70004", "scsi", true, false, SSD, false}, // Nytro SAS SSD
		{"Seagate", "BUP Slim BK", "usb", false, false, HDD, false},
		{"Seagate", "One Touch SSD", "usb", false, false, SSD, false},
		{"ATA", "HGST HUS724040AL", "ahci", false, false, HDD, false},
		{"ATA", "HGST HUSMM1680ASS", "ahci", true, false, SSD, false},
		{"ATA", "TOSHIBA MQ01ABD10", "ahci", false, false, HDD, false},
		{"ATA", "SAMSUNG HD103SJ", "ahci", false, false, HDD, false},
		{"ATA", "Samsung SSD 860", "ahci", true, false, SSD, false},
		{"ATA", "FUJITSU MHV2080B", "ahci", false, false, HDD, false},
		{"", "Maxtor 6Y080L0", "ide", false, false, HDD, false},
		{"", "QEMU HARDDISK", "ide", false, false, Unknown, true},
		{"ATA", "VBOX HARDDISK", "ahci", false, false, Unknown, true},
		{"VirtIO", "Block Device", "virtio", false, false, Unknown, true},
		{"NVMe", "Amazon Elastic B", "nvme", false, false, Unknown, true},
		{"NVMe", "WDC PC SN720 SDA", "nvme", false, false, SSD, false},
		{"OPENBSD", "SR CRYPTO", "softraid", false, true, Unknown, false},
		{"DELL", "PERC H730 Mini", "raid", false, false, Unknown, false},
		{"Generic", "Flash Disk", "usb", false, false, Unknown, false},
		{"Sandisk", "DA4064", "sdmmc", false, false, Unknown, false},
		{"ATA", "Micron_1100_MTFD", "ahci", true, false, SSD, false},
	}
	for _, tt := range tests {
		d := Disk{Vendor: tt.vendor, Model: tt.model, Bus: tt.bus, Thin: tt.thin, Softraid: tt.softraid}
		classify(&d)
		if d.Type != tt.want || d.Virtual != tt.virtual {
			t.Errorf("%s %s on %s (thin %v): %s virtual %v, want %s virtual %v", tt.vendor, tt.model, tt.bus, tt.thin, d.Type, d.Virtual, tt.want, tt.virtual)
		}
	}
}

func TestCPUModel(t *testing.T) {
	tests := []struct{ line, want string }{
		{"Intel(R) Xeon(R) E-2278G CPU @ 3.40GHz, 3393.93 MHz, 06-9e-0d", "Intel(R) Xeon(R) E-2278G CPU @ 3.40GHz"},
		{`AMD-K6(tm)-III Processor ("AuthenticAMD" 586-class) 552 MHz, 05-0d-04`, "AMD-K6(tm)-III Processor"},
		{`Intel(R) Atom(TM) CPU N270 @ 1.60GHz ("GenuineIntel" 686-class) 1.66 GHz, 06-1c-02`, "Intel(R) Atom(TM) CPU N270 @ 1.60GHz"},
		{"Virtual CPU a7769a6388d5, 2400.38 MHz", "Virtual CPU a7769a6388d5"},
		{"ARM Cortex-A53 r0p4", "ARM Cortex-A53 r0p4"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cpuModel(tt.line); got != tt.want {
			t.Errorf("cpuModel(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestRootDisk(t *testing.T) {
	for dev, want := range map[string]string{"sd0a": "sd0", "sd12d": "sd12", "wd1a": "wd1", "rd0a": "", "": "", "nfs": "", "sdxa": ""} {
		f := Facts{RootDev: dev}
		if got := f.RootDisk(); got != want {
			t.Errorf("RootDisk of %q = %q, want %q", dev, got, want)
		}
	}
}

func TestSplitInquiry(t *testing.T) {
	tests := []struct{ in, vendor, product, rev string }{
		{"ATA, WDC WD20EFAX-68F, 82.0", "ATA", "WDC WD20EFAX-68F", "82.0"},
		{"VirtIO, Block Device, ", "VirtIO", "Block Device", ""},
		{"Xen, phy hda 768, 0000", "Xen", "phy hda 768", "0000"},
		{"HP, LOGICAL VOLUME, 1.0, x", "HP", "LOGICAL VOLUME, 1.0", "x"},
		{"lonely", "", "lonely", ""},
		{"A, B", "A", "B", ""},
	}
	for _, tt := range tests {
		v, p, r := splitInquiry(tt.in)
		if v != tt.vendor || p != tt.product || r != tt.rev {
			t.Errorf("splitInquiry(%q) = %q %q %q", tt.in, v, p, r)
		}
	}
}

// TestFirmwareSlowPath checks the fast firmware detection (driver patterns
// looked up on attach) against trying every fw_update pattern on every
// line of the last boot, as fw_update does.
func TestFirmwareSlowPath(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	for _, p := range files {
		f, data := corpusFacts(t, filepath.Base(p))
		lines := strings.Split(string(data), "\n")
		dev, plat := map[string]bool{}, map[string]bool{}
		for _, raw := range lines[f.BootLine-1:] {
			s := cleanLine([]byte(raw))
			for _, pat := range fwPatterns {
				if pat.match(s) {
					if pat.platform {
						plat[pat.pkg] = true
					} else {
						dev[pat.pkg] = true
					}
				}
			}
			if pkg := gpuFirmware(pciDeviceName(s)); pkg != "" {
				dev[pkg] = true
			}
		}
		if got, want := f.Firmware, sortedKeys(dev); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: firmware %q, every pattern on every line gives %q", f.Source, got, want)
		}
		if got, want := f.PlatformFirmware, sortedKeys(plat); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: platform firmware %q, every pattern on every line gives %q", f.Source, got, want)
		}
	}
}

func TestDiskBytes(t *testing.T) {
	tests := []struct {
		d    Disk
		want int64
	}{
		{Disk{SizeMB: 1907729, Sectors: 3907029168, SectorSize: 512}, 3907029168 * 512},
		{Disk{SizeMB: 200, Sectors: 51200, SectorSize: 4096}, 200 << 20},
		{Disk{SizeMB: 10}, 10 << 20},
		{Disk{Sectors: 10}, 5120},
		{Disk{}, 0},
		{Disk{Sectors: 1 << 62, SectorSize: 4096}, 1<<63 - 1},
	}
	for _, tt := range tests {
		if got := tt.d.Bytes(); got != tt.want {
			t.Errorf("%+v: %d bytes, want %d", tt.d, got, tt.want)
		}
	}
	f, err := Parse("ss", strings.NewReader(amd64Head+
		"scsibus1 at ahci0: 32 targets\nsd0 at scsibus1 targ 0 lun 0: <ATA, X, 1>\nsd0: 1MB, 7 bytes/sector, 2048 sectors\n"+rootTail))
	if err != nil {
		t.Fatal(err)
	}
	if d := f.Disks[0]; d.SectorSize != 512 || len(f.Warnings) != 1 || f.Warnings[0] != "line 9: sd0: sector size 7 not believed, 512 used" {
		t.Errorf("disk %+v warnings %q", d, f.Warnings)
	}
}

func TestDriverTables(t *testing.T) {
	for drv, want := range map[string][2]bool{
		"em": {true, false}, "iwm": {true, true}, "bwfm": {true, true}, "umb": {true, true},
		"vio": {true, false}, "eth": {false, false}, "qle": {false, false}, "wlan": {false, false},
	} {
		if got := [2]bool{IsNetDriver(drv), IsWireless(drv)}; got != want {
			t.Errorf("%s: network %v wireless %v, want %v", drv, got[0], got[1], want)
		}
	}
}
