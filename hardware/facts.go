// Package hardware reads an OpenBSD machine's hardware from its dmesg:
// release, memory, disks, network interfaces and the drivers that need
// firmware from fw_update(8).
//
// The facts come from the last boot in the input (the last line that starts
// "OpenBSD <digit>"), the way fw_update(8) reads /var/run/dmesg.boot. Text
// around it is tolerated: boot banners before it, shell prompts, hw.sensors
// output and suspend/resume detach and re-attach lines after it, CRLF line
// ends, syslog prefixes ("Oct 12 10:45:56 host /bsd: ") and HTML entities
// left over from web pages.
//
// Deliberate limits:
//   - It reads text only; it never runs dmesg or sysctl. A dmesg says what
//     attached at boot, not what is plugged in now.
//   - Disk type (ssd, hdd) is inferred from what the kernel prints: "thin"
//     (TRIM/UNMAP), NVMe, "SSD" in the model, or a small table of rotating
//     disk model families (disks.go). Anything else is Unknown, never a guess.
//   - fw_update(8) matches GPU product names generated at build time from the
//     kernel's device tables; this package carries no such table and
//     recognises Intel, AMD and ATI graphics by their naming instead
//     (firmware.go). Its driver list is that of fw_update in 2025.
//   - Input is limited to 32 MiB and lines to 16 KiB (longer lines are cut,
//     with a warning); memory stays bounded because only the boot being read
//     is kept.
package hardware

import (
	"encoding/json"
	"io"
	"math"
	"strings"
)

// Facts is what fugu knows about one machine, taken from the last boot in a
// dmesg. Sizes are in bytes.
type Facts struct {
	Source   string `json:"source,omitempty"`   // file the dmesg came from ("<stdin>" for standard input)
	Release  string `json:"release"`            // release token as printed, e.g. "6.7", "6.5-current"
	Kernel   string `json:"kernel"`             // kernel config name, e.g. "GENERIC.MP", "RAMDISK_CD"
	Arch     string `json:"arch"`               // machine architecture, e.g. "amd64", "i386", "arm64"; "" when not found
	PhysMem  int64  `json:"physmem"`            // "real mem" in bytes (hw.physmem); 0 when not printed
	AvailMem int64  `json:"availmem,omitempty"` // "avail mem" in bytes
	Machine  string `json:"machine,omitempty"`  // maker and product from bios0 or "mainbus0 at root: ...", e.g. "Dell Inc. PowerEdge R610"

	CPUVendor  string `json:"cpu_vendor,omitempty"` // "intel", "amd" or "" when the cpu0 model line names neither
	CPUModel   string `json:"cpu_model,omitempty"`  // cpu0's model, e.g. "Intel(R) Xeon(R) E-2278G CPU @ 3.40GHz"
	NCPU       int    `json:"ncpu"`                 // cpuN attach lines seen ("cpu at mainbus0: not configured" does not count)
	VMM        bool   `json:"vmm"`                  // vmm(4) attached ("vmm0 at mainbus0")
	Hypervisor string `json:"hypervisor,omitempty"` // the host this machine runs under, from pvbus(4): "KVM", "VMware", "Hyper-V", "Xen", "OpenBSD" (vmd)
	// EFI is true when the boot loader handed the kernel EFI information:
	// "efi0 at bios0" (amd64 efi_machdep.c rev 1.2: efi(4) matches only with
	// an EFI system table from the loader) or "efi0 at mainbus0" (arm64)
	// attached, or efifb(4) was offered ("efifb0 at mainbus0" or
	// "efifb at mainbus0 not configured"; amd64 mainbus.c rev 1.32 offers it
	// only when bios_efiinfo is set, later revisions also for a coreboot
	// framebuffer, so not when bios0's vendor is coreboot). False also for
	// releases without efifb(4) (5.7 and older; mainbus.c has it since
	// 2015-08) that booted through EFI: their dmesg does not say. The SMBIOS address and ACPI "UEFI" tables are not used:
	// neither tells how the machine booted.
	EFI     bool   `json:"efi"`
	Serial  bool   `json:"serial"`            // the console is a serial port ("com0: console")
	Console string `json:"console,omitempty"` // the serial console device, e.g. "com0", "pluart0"; "" for a display console

	// Disks are the sd(4) and wd(4) disks in order of first attachment;
	// cd(4) is left out, and so is a disk that detached and did not
	// attach again (with a warning).
	Disks []Disk `json:"disks"`
	NICs  []NIC  `json:"nics"` // network interfaces in order of attachment, less those that detached for good
	// Firmware lists the fw_update(8) packages for devices: the driver names
	// of usr.sbin/fw_update/patterns.c rev 1.19 (acx, amdgpu, athn, bwfm,
	// bwi, ice, inteldrm, ipw, iwi, iwm, iwn, iwx, malo, mtw, mwx, ogx, otus,
	// pgt, qcpas, qwx, qwz, radeondrm, rsu, uath, upgt, uvideo, wpi) that
	// match the boot (firmware.go). Sorted, unique.
	Firmware []string `json:"firmware"`
	// PlatformFirmware lists the other packages fw_update(8) would install:
	// CPU microcode ("intel", "amd"), "amdsev", "vmm", "apple-boot",
	// "arm64-qcom-dtb". Sorted, unique.
	PlatformFirmware []string `json:"platform_firmware"`
	Graphics         string   `json:"graphics"` // DRM driver ("inteldrm", "amdgpu", "radeondrm", "rkdrm", ...), else the console framebuffer ("efifb", "simplefb", "vga"), else "none"

	Boots    int    `json:"boots"`              // number of boots found in the input
	BootLine int    `json:"boot_line"`          // line number of the header of the boot the facts come from
	RootDev  string `json:"root_dev,omitempty"` // from "root on sd0a ...", e.g. "sd0a", "rd0a"; "" when the dmesg has no such line
	// Warnings are things a person should know about the input, such as lines
	// that were cut or disks that went away. They never stop parsing.
	Warnings []string `json:"warnings,omitempty"`
}

// Firmware, above, lists the fw_update(8) packages for devices: the driver
// names of usr.sbin/fw_update/patterns.c rev 1.19 (acx, amdgpu, athn, bwfm,
// bwi, ice, inteldrm, ipw, iwi, iwm, iwn, iwx, malo, mtw, mwx, ogx, otus, pgt,
// qcpas, qwx, qwz, radeondrm, rsu, uath, upgt, uvideo, wpi) that match the
// boot. Sorted, unique.

// RootDisk is the disk that holds the root file system ("sd0" for root on
// "sd0a"), or "" when root is not on an sd or wd disk (a ramdisk, NFS) or
// the dmesg does not say.
func (f *Facts) RootDisk() string {
	d := strings.TrimRight(f.RootDev, "abcdefghijklmnop")
	if !strings.HasPrefix(d, "sd") && !strings.HasPrefix(d, "wd") || len(d) < 3 {
		return ""
	}
	for _, c := range d[2:] {
		if c < '0' || c > '9' {
			return ""
		}
	}
	return d
}

// DiskType is what the medium is: solid state, rotating, or not known.
type DiskType string

const (
	SSD     DiskType = "ssd"
	HDD     DiskType = "hdd"
	Unknown DiskType = "unknown"
)

// Disk is one sd(4) or wd(4) disk. A disk that attached more than once in
// the boot (a softraid volume re-assembled, a USB disk re-plugged) carries
// what its last attachment printed.
type Disk struct {
	Name   string `json:"name"`             // "sd0", "wd1"
	Vendor string `json:"vendor,omitempty"` // SCSI vendor field, e.g. "ATA", "NVMe", "OPENBSD"; "" for wd(4)
	Model  string `json:"model,omitempty"`  // SCSI product field (16 characters at most) or the wd(4) model, e.g. "Samsung SSD 970", "WDC WD30EFRX-68A"
	Rev    string `json:"rev,omitempty"`
	SizeMB int64  `json:"size_mb"` // as printed (MiB); 0 when there is no size line (an empty card reader)
	// Sectors is the sector count as printed; 0 when unknown.
	Sectors    int64 `json:"sectors"`
	SectorSize int   `json:"sector_size"` // bytes per sector, 512 when not printed (wd)
	// Type: SSD when the disk is on nvme, its model contains "SSD", or (for a
	// model that is not a known rotating family) its size line says "thin";
	// HDD when the model belongs to a known rotating family (disks.go), even
	// if it says "thin" (SMR disks do); Unknown for virtual disks, hardware
	// RAID and softraid volumes, and everything not recognised (USB sticks,
	// card readers, eMMC).
	Type DiskType `json:"type"`
	// Bus is how the disk is reached: "nvme", "ahci", "sata" (sili), "usb",
	// "sdmmc", "softraid", "virtio", "xen", "hyperv", "raid" (hardware RAID:
	// mfi, mfii, ami, arc, ciss, ...), "ide" (wd on pciide/wdc), "atapi",
	// "scsi" (other SCSI, SAS and FC adapters), "mpath", "vscsi", "ufs";
	// "" when the dmesg lacks the attachment chain.
	Bus        string `json:"bus"`
	Controller string `json:"controller,omitempty"` // the device the disk's bus hangs off, e.g. "nvme0", "ahci0", "umass0", "softraid0", "pciide0"
	Removable  bool   `json:"removable"`            // the attach line says "removable"
	USB        bool   `json:"usb"`                  // attached through umass(4)
	Thin       bool   `json:"thin"`                 // the size line says "thin" (TRIM/UNMAP)
	ReadOnly   bool   `json:"readonly"`             // the size line says "readonly"
	Softraid   bool   `json:"softraid"`             // a softraid(4) volume, not a physical disk
	RAIDLevel  string `json:"raid_level,omitempty"` // for softraid volumes: "CRYPTO", "RAID0", "RAID1", "RAID5", "RAID1C", "CONCAT"
	Virtual    bool   `json:"virtual"`              // a hypervisor's disk (VirtIO, Xen, Hyper-V, or a QEMU, VBOX, VMware, Msft, BHYVE model)
	Line       int    `json:"line"`                 // input line of the disk's (last) attach line
}

// Bytes is the disk's size in bytes: sectors times sector size, or the
// printed megabytes when there is no sector count. Sizes beyond 8 EiB (only
// in made-up input) are capped at math.MaxInt64.
func (d Disk) Bytes() int64 {
	n, unit := d.SizeMB, int64(1<<20)
	if d.Sectors > 0 {
		n, unit = d.Sectors, int64(d.SectorSize)
		if unit <= 0 {
			unit = 512
		}
	}
	if n <= 0 {
		return 0
	}
	if n > math.MaxInt64/unit {
		return math.MaxInt64
	}
	return n * unit
}

// NIC is one network interface that attached. Pseudo devices (lo, pflog,
// vlan, ...) never print attach lines and are not listed.
type NIC struct {
	Name   string `json:"name"`          // "em0"
	Driver string `json:"driver"`        // "em"
	MAC    string `json:"mac,omitempty"` // lower case, colon separated; empty when masked ("xx:xx:...") or not printed
	// Wireless is true for IEEE 802.11 drivers (athn, iwm, iwx, bwfm, ...)
	// and for umb(4) mobile broadband; false for wired Ethernet.
	Wireless bool   `json:"wireless"`
	Bus      string `json:"bus,omitempty"`  // "pci", "usb", "sdmmc", "virtio", "xen", "hyperv", or the parent driver, e.g. "mainbus"
	Desc     string `json:"desc,omitempty"` // the device name from the attach line (or its virtio parent's), e.g. "Intel I210"
	Line     int    `json:"line"`           // input line of the attach line
}

// WriteJSON writes the facts as indented JSON, the form "fugu hw --json"
// prints and the golden files hold. HTML characters are not escaped.
func WriteJSON(w io.Writer, f *Facts) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}
