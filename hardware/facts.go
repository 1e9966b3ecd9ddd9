// Package hardware reads an OpenBSD machine's hardware from its dmesg:
// release, memory, disks, network interfaces and the drivers that need
// firmware from fw_update(8).
package hardware

// Facts is what fugu knows about one machine, taken from the last boot in a
// dmesg. Sizes are in bytes.
type Facts struct {
	Source   string `json:"source,omitempty"`   // file the dmesg came from
	Release  string `json:"release"`            // release token as printed, e.g. "6.7", "6.5-current"
	Kernel   string `json:"kernel"`             // kernel config name, e.g. "GENERIC.MP", "RAMDISK_CD"
	Arch     string `json:"arch"`               // machine architecture, e.g. "amd64", "i386", "arm64"
	PhysMem  int64  `json:"physmem"`            // "real mem" in bytes (hw.physmem)
	AvailMem int64  `json:"availmem,omitempty"` // "avail mem" in bytes

	CPUVendor string `json:"cpu_vendor,omitempty"` // "intel", "amd" or "" when cpu0 names neither
	CPUModel  string `json:"cpu_model,omitempty"`
	NCPU      int    `json:"ncpu"`   // cpuN attach lines seen
	VMM       bool   `json:"vmm"`    // vmm(4) attached
	EFI       bool   `json:"efi"`    // booted through EFI (efifb or "bios0 at mainbus0: ... EFI" seen)
	Serial    bool   `json:"serial"` // console on a serial port (com0 is the console)

	Disks    []Disk   `json:"disks"`
	NICs     []NIC    `json:"nics"`
	Firmware []string `json:"firmware"` // fw_update driver names, sorted, unique
	Graphics string   `json:"graphics"` // DRM driver, else console framebuffer, else "none"

	Boots   int    `json:"boots"`              // number of boots found in the input
	RootDev string `json:"root_dev,omitempty"` // from "root on sd0a ...", e.g. "sd0a", "rd0a"
	// Warnings are things a person should know about the input, such as lines
	// that could not be understood. They never stop parsing.
	Warnings []string `json:"warnings,omitempty"`
}

// DiskType is what the medium is: solid state, rotating, or not known.
type DiskType string

const (
	SSD     DiskType = "ssd"
	HDD     DiskType = "hdd"
	Unknown DiskType = "unknown"
)

// Disk is one sd(4) or wd(4) disk.
type Disk struct {
	Name       string   `json:"name"`             // "sd0", "wd1"
	Vendor     string   `json:"vendor,omitempty"` // SCSI vendor field, e.g. "ATA", "NVMe", "OPENBSD"
	Model      string   `json:"model,omitempty"`  // e.g. "Samsung SSD 970", "WDC WD30EFRX-68A"
	Rev        string   `json:"rev,omitempty"`
	SizeMB     int64    `json:"size_mb"`     // as printed; 0 when there is no size line (empty card reader)
	Sectors    int64    `json:"sectors"`     // 0 when unknown
	SectorSize int      `json:"sector_size"` // bytes per sector, 512 when not printed (wd)
	Type       DiskType `json:"type"`
	Bus        string   `json:"bus"`                  // "nvme", "ahci", "usb", "sdmmc", "softraid", "virtio", "raid" (hardware RAID), "ide", "scsi", "xen", ...
	Controller string   `json:"controller,omitempty"` // the attachment chain's controller, e.g. "nvme0", "ahci0", "umass0"
	Removable  bool     `json:"removable"`
	USB        bool     `json:"usb"`  // attached through umass(4)
	Thin       bool     `json:"thin"` // the size line says "thin" (TRIM/UNMAP)
	ReadOnly   bool     `json:"readonly"`
	Softraid   bool     `json:"softraid"`             // a softraid(4) volume, not a physical disk
	RAIDLevel  string   `json:"raid_level,omitempty"` // for softraid volumes: "CRYPTO", "RAID1", "RAID5", ...
	Virtual    bool     `json:"virtual"`              // a hypervisor's disk (VirtIO, Xen, QEMU, VBOX, VMware, Hyper-V)
}

// Bytes is the disk's size in bytes: sectors times sector size, or the
// printed megabytes when there is no sector count.
func (d Disk) Bytes() int64 {
	if d.Sectors > 0 {
		ss := d.SectorSize
		if ss == 0 {
			ss = 512
		}
		return d.Sectors * int64(ss)
	}
	return d.SizeMB << 20
}

// NIC is one network interface that attached.
type NIC struct {
	Name     string `json:"name"`          // "em0"
	Driver   string `json:"driver"`        // "em"
	MAC      string `json:"mac,omitempty"` // lower case, colon separated; empty when masked or not printed
	Wireless bool   `json:"wireless"`
	Bus      string `json:"bus,omitempty"`  // "pci", "usb", "sdmmc", ...
	Desc     string `json:"desc,omitempty"` // the quoted device name from the attach line
}
