package hardware

import (
	"regexp"
	"strings"
)

// How fw_update(8) decides which firmware a machine needs
// (usr.sbin/fw_update/fw_update.sh rev 1.65, 2025-05-12, devices_in_dmesg):
//
//   - It reads only the last boot of /var/run/dmesg.boot: everything from the
//     last line that starts with "OpenBSD" on.
//   - /usr/share/misc/firmware_patterns, the output of
//     usr.sbin/fw_update/patterns.c (rev 1.19, 2025-05-20), has lines
//     "package [pattern]". Without a pattern the package is wanted when a line
//     starts with the package name, one digit and " at " (a driver attached).
//   - A pattern starting with "^" must match at the start of a line; other
//     patterns match anywhere. "*" separates up to three parts that must
//     appear in that order within one line.
//   - patterns.c also prints one line per PCI device in the kernel's
//     inteldrm, radeondrm and amdgpu device lists: the package and the quoted
//     "Vendor Product" name from pcidevs, so a GPU the running kernel has no
//     driver for (a RAMDISK kernel, an older release) still gets firmware.
//
// fwPatterns carries the driver names and the literal patterns of
// patterns.c rev 1.19. The generated GPU name lines are approximated by
// gpuFirmware below.
var fwPatterns = []fwPattern{
	dev("acx"),
	plat("amd"), plat("amd", "^cpu0:* AMD"),
	dev("amdgpu"),
	dev("amdgpu", `^vga*vendor "ATI", unknown product`),
	dev("amdgpu", `^vendor "ATI", unknown product*class display`),
	plat("amdsev", `^"AMD*Crypto"`), plat("amdsev", `^"AMD*PSP"`),
	plat("amdsev", "^ccp0"), plat("amdsev", "^psp0"),
	plat("apple-boot", "^cpu0*Apple"),
	plat("arm64-qcom-dtb", "^qcgpio0"),
	dev("athn"), dev("bwfm"), dev("bwi"), dev("ice"),
	plat("intel"), plat("intel", "^cpu0:*Intel"),
	dev("inteldrm"),
	dev("ipw"), dev("iwi"), dev("iwm"), dev("iwn"), dev("iwx"),
	dev("malo"), dev("mtw"), dev("mwx"), dev("ogx"), dev("otus"), dev("pgt"),
	dev("qcpas"), dev("qcpas", `^ppb0*"Qualcomm`), dev("qcpas", `^cpu0*"Qualcomm`),
	dev("qwx"), dev("qwz"),
	dev("radeondrm"),
	dev("rsu"), dev("uath"), dev("upgt"), dev("uvideo"),
	plat("vmm"),
	dev("wpi"),
}

// fwDrivers and fwSpecial split fwPatterns for speed: driver patterns are
// looked up when a driver attaches, the others are tried on every line.
var fwDrivers, fwSpecial = splitPatterns(fwPatterns)

func splitPatterns(ps []fwPattern) (map[string]fwPattern, []fwPattern) {
	drivers := map[string]fwPattern{}
	var special []fwPattern
	for _, p := range ps {
		if p.driver {
			drivers[p.pkg] = p
		} else {
			special = append(special, p)
		}
	}
	return drivers, special
}

// fwPattern is one line of firmware_patterns.
type fwPattern struct {
	pkg      string
	platform bool     // CPU microcode, vmm, boot firmware: Facts.PlatformFirmware
	driver   bool     // no pattern: "<pkg><digit> at " at the start of a line
	anchored bool     // the pattern started with "^"
	parts    []string // literal parts between the "*"s
}

func dev(pkg string, pattern ...string) fwPattern  { return newPattern(pkg, false, pattern) }
func plat(pkg string, pattern ...string) fwPattern { return newPattern(pkg, true, pattern) }

func newPattern(pkg string, platform bool, pattern []string) fwPattern {
	p := fwPattern{pkg: pkg, platform: platform}
	if len(pattern) == 0 {
		p.driver = true
		return p
	}
	m := pattern[0]
	if strings.HasPrefix(m, "^") {
		p.anchored = true
		m = m[1:]
	}
	p.parts = strings.Split(m, "*")
	if len(p.parts) > 3 {
		panic("BUG: fw_update allows at most three parts in a pattern: " + pattern[0])
	}
	return p
}

// match reports whether one dmesg line matches the pattern.
func (p fwPattern) match(line string) bool {
	if p.driver {
		n := len(p.pkg)
		return strings.HasPrefix(line, p.pkg) && len(line) > n+4 &&
			line[n] >= '0' && line[n] <= '9' && strings.HasPrefix(line[n+1:], " at ")
	}
	rest := line
	for i, part := range p.parts {
		if i == 0 && p.anchored {
			if !strings.HasPrefix(rest, part) {
				return false
			}
			rest = rest[len(part):]
			continue
		}
		j := strings.Index(rest, part)
		if j < 0 {
			return false
		}
		rest = rest[j+len(part):]
	}
	return true
}

// PCI device names as the kernel prints them: quoted in attach lines
// ("inteldrm0 at pci0 dev 2 function 0 "Intel HD Graphics 520" rev 0x07")
// and in "not configured" lines; unquoted before OpenBSD 5.1
// ("vga1 at pci0 dev 2 function 0 Intel Mobile HD graphics rev 0x02").
var (
	pciAttachName = regexp.MustCompile(`^[a-z][a-z0-9]*\d+ at pci\d+ dev \d+ function \d+ (?:"([^"]*)"|([^"]+?) rev 0x)`)
	pciUnconfName = regexp.MustCompile(`^(?:"([^"]*)"|([^"]+?)) rev 0x[0-9a-f]+ at pci\d+ dev \d+ function \d+ not configured`)
)

// pciDeviceName returns the PCI product name a line prints, or "".
func pciDeviceName(line string) string {
	if !strings.Contains(line, " at pci") || !strings.Contains(line, " rev 0x") {
		return "" // cheap test first: this runs on every line
	}
	m := pciAttachName.FindStringSubmatch(line)
	if m == nil && strings.HasSuffix(line, " not configured") {
		m = pciUnconfName.FindStringSubmatch(line)
	}
	if m == nil {
		return ""
	}
	if m[1] != "" {
		return m[1]
	}
	if strings.HasPrefix(m[2], "vendor ") {
		return "" // 'vendor "Intel", unknown product 0x...': no product name
	}
	return m[2]
}

// GPU naming in pcidevs. All Intel graphics products that i915 drives are
// named "... Graphics ..." or "... Video" ("HD Graphics 520", "UHD Graphics
// 630", "Iris Graphics 6100", "82945GME Video", "Pineview Video"); ATI/AMD
// ones "Radeon ...", "FirePro ...", "FireGL ...", "Mobility Radeon ..." or,
// for the newer amdgpu chips, a code name ("Picasso", "Polaris 12",
// "Radeon Vega"). Audio functions of the same cards ("Radeon HD 6400 Audio")
// are not GPUs.
var (
	intelGPUName = regexp.MustCompile(`^Intel .*\b(?i:graphics|video)\b`)
	atiGPUName   = regexp.MustCompile(`^(?:ATI|AMD) .*\b(?:Radeon|FirePro|FireGL|FireMV|Mobility)\b`)
	// amdgpuFamily are code names and product lines of chips only amdgpu
	// drives (GCN 3 and later). The rest of the Radeon names are radeondrm's.
	amdgpuFamily = regexp.MustCompile(`\b(?:Vega|Navi|Polaris|Picasso|Raven|Renoir|Cezanne|Lucienne|Barcelo|Rembrandt|Raphael|Phoenix|Mendocino|Van Gogh|Strix|Hawk Point|Carrizo|Stoney|Fiji|Tonga|Topaz|Iceland|Ellesmere|Baffin|Lexa|Arcturus|Aldebaran|Radeon RX|Radeon Pro W|Radeon Instinct)\b`)
	gpuNotGPU    = regexp.MustCompile(`\b(?:Audio|HDMI)\b`)
)

// gpuFirmware returns the fw_update package a PCI product name would match
// in the generated part of firmware_patterns, or "".
func gpuFirmware(name string) string {
	if name == "" || gpuNotGPU.MatchString(name) {
		return ""
	}
	switch {
	case intelGPUName.MatchString(name):
		return "inteldrm"
	case strings.HasPrefix(name, "ATI ") || strings.HasPrefix(name, "AMD "):
		if amdgpuFamily.MatchString(name) {
			return "amdgpu"
		}
		if atiGPUName.MatchString(name) {
			return "radeondrm"
		}
	}
	return ""
}
