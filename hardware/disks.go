package hardware

import (
	"regexp"
	"strings"
)

// Disk attach and size lines. sd(4) prints the size line only when the
// medium answered (sys/scsi/sd.c rev 1.339 sdattach: "%s: %lluMB, %u
// bytes/sector, %llu sectors" then ", thin" and ", readonly"; MB is the
// sector count over 1048576/sector size, so MiB); an empty card reader has
// none. wd(4) prints its own (sys/dev/ata/wd.c):
//
//	sd0 at scsibus1 targ 0 lun 0: <ATA, WDC WD20EFAX-68F, 82.0> naa.5000000000000000
//	sd0: 1907729MB, 512 bytes/sector, 3907029168 sectors, thin
//	wd0 at pciide0 channel 0 drive 0: <ST3500418AS>
//	wd0: 16-sector PIO, LBA48, 476940MB, 976773168 sectors
//
// Releases before 4.6 printed "512 bytes/sec" and "sec total"; both forms
// are accepted.
var (
	sdAttach = regexp.MustCompile(`^(sd\d+) at (scsibus\d+) targ \d+ lun \d+: <([^>]*)>(.*)$`)
	wdAttach = regexp.MustCompile(`^(wd\d+) at ([a-z][a-z0-9]*\d+)\b.*?: <([^>]*)>`)
	sdSize   = regexp.MustCompile(`^(sd\d+): (\d+)MB, (\d+) bytes?[/ ]sec(?:tor)?, (\d+) sec(?:tors| total)?(.*)$`)
	wdSize   = regexp.MustCompile(`^(wd\d+): .*?\b(\d+)MB, (\d+) sectors`)
)

// splitInquiry splits "<vendor, product, rev>" as sd(4) prints the SCSI
// INQUIRY strings. The product may itself hold ", ".
func splitInquiry(s string) (vendor, product, rev string) {
	i := strings.Index(s, ", ")
	j := strings.LastIndex(s, ", ")
	switch {
	case i < 0:
		return "", strings.TrimSpace(s), ""
	case i == j:
		if strings.HasSuffix(s, ", ") { // "<VirtIO, Block Device, >" has an empty rev
			return strings.TrimSpace(s[:i]), "", ""
		}
		return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2:]), ""
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+2 : j]), strings.TrimSpace(s[j+2:])
}

// busByDriver maps a driver in a disk's attachment chain (walking up from
// the disk's scsibus) to Disk.Bus. The first driver of the chain that is in
// the table decides. A chain with none of them is "scsi".
var busByDriver = map[string]string{
	"nvme": "nvme", "aplns": "nvme",
	"ahci": "ahci", "sili": "sata",
	"umass":    "usb",
	"sdmmc":    "sdmmc",
	"softraid": "softraid",
	// Hardware RAID: the disk is a volume of the controller.
	"mfi": "raid", "mfii": "raid", "ami": "raid", "arc": "raid", "ciss": "raid",
	"ips": "raid", "twe": "raid", "cac": "raid", "gdt": "raid", "aac": "raid",
	"vioblk": "virtio", "vioscsi": "virtio",
	"xbf":       "xen",
	"hvs":       "hyperv",
	"pciide":    "ide",
	"wdc":       "ide",
	"atapiscsi": "atapi",
	"mpath":     "mpath",
	"vscsi":     "vscsi",
	"ufshci":    "ufs",
}

// virtualModel matches the vendor and model strings of disks that
// hypervisors emulate: QEMU/KVM, VirtualBox, VMware, Hyper-V, Xen, bhyve,
// Google Compute Engine and Amazon EBS (NVMe, product cut to 16 characters:
// "Amazon Elastic B").
var virtualModel = regexp.MustCompile(`VirtIO|QEMU|VBOX|VMware|Virtual HD|Virtual disk|Msft|^Xen |BHYVE|PersistentDisk|Amazon Elastic`)

// rotatingModels are model families of rotating (magnetic) disks, matched
// against the disk's model key: the product field for ATA disks (whose
// vendor field is the generic "ATA") and for wd(4), else "vendor product"
// (SAS and USB disks carry the maker in the vendor field). The table is
// deliberately small and certain; a disk it does not know is Unknown.
var rotatingModels = []*regexp.Regexp{
	// Western Digital: "WDC WD20EFAX-68F", "WDC WD2502ABYS-1", SAS "WD WD4001FYYG".
	// Their SSDs are "WDC WDS..." and "WDC PC SN...": no digit after "WD".
	regexp.MustCompile(`^(?:WDC |WD )?WD\d{2}`),
	regexp.MustCompile(`^WDC AC\d`),                                      // 1990s Caviar: "WDC AC33200L"
	regexp.MustCompile(`^WD (?:My Passport|My Book|Elements|easystore)`), // USB enclosures
	// Seagate and Seagate-built Samsung/Maxtor: "ST3500418AS", "ST38410A",
	// "ST1000LM024 HN-M101MBB", "ST320LT020-9YG14"; SAS "SEAGATE ST4000NM0023".
	// Seagate SSDs with ST model numbers are excluded by seagateSSD.
	regexp.MustCompile(`^(?:SEAGATE |Seagate )?ST\d{2,}`),
	// USB enclosures say "Seagate" ("Seagate BUP Slim BK", "Seagate
	// Expansion"); SAS disks say "SEAGATE", and their SSDs (Nytro "XS...")
	// must not match.
	regexp.MustCompile(`^Seagate `),
	// Hitachi and HGST: Travelstar HTS/HTE, Deskstar HDS/HDT/HDN/HDP,
	// Ultrastar HUA/HUH/HUS/HUC followed by a digit (HUSMM, HUSSL are SSDs).
	regexp.MustCompile(`^(?:HGST |HITACHI |Hitachi )?H(?:TS|TE|DS|DT|DN|DP|CS|CP|UA|UH|US|UC)\d`),
	regexp.MustCompile(`^(?:IBM-?)?(?:IC25N|IC35L|DTLA-|DJSA-|DARA-)`), // IBM Travelstar, Deskstar
	// Toshiba: MQ/MK (2.5"), DT/MD/MG/MN (3.5"), HDW (retail), AL/MBF (SAS).
	regexp.MustCompile(`^TOSHIBA (?:MQ\d|MK\d|DT\d|MD\d|MG\d|MN\d|HDW|AL1\d|MBF|External USB)`),
	regexp.MustCompile(`^SAMSUNG (?:HD|HM|HN-M|SP|SV)\d`), // SpinPoint
	regexp.MustCompile(`^(?:Maxtor|MAXTOR) `),
	regexp.MustCompile(`^(?:FUJITSU|Fujitsu) M[A-Z]{2}\d`), // MHV, MHY, MJA (2.5"), MAX, MBA (SAS)
	regexp.MustCompile(`^(?:QUANTUM|Quantum) `),
}

// seagateSSD are Seagate solid state models that carry ST model numbers
// (600/600 Pro/1200 SSD: "ST240HM000", "ST480FN0021", "ST400FM0053").
var seagateSSD = regexp.MustCompile(`^(?:SEAGATE |Seagate )?ST\d+(?:HM|FN|FP|FM|FT)\d`)

// modelKey is what rotatingModels and virtualModel are matched against.
func modelKey(vendor, model string) string {
	if vendor == "" || vendor == "ATA" {
		return model
	}
	return vendor + " " + model
}

// rotating reports whether a model key names a known rotating disk.
func rotating(key string) bool {
	if seagateSSD.MatchString(key) {
		return false
	}
	for _, re := range rotatingModels {
		if re.MatchString(key) {
			return true
		}
	}
	return false
}

// classify sets Type and Virtual from what the dmesg said about the disk.
// The order matters: a volume (softraid, hardware RAID) or a virtual disk
// says nothing about its medium; NVMe and "SSD" in the model are certain;
// a known rotating model beats "thin", which SMR hard disks (WD20EFAX,
// ST8000AS0002) print as well; "thin" alone means solid state.
func classify(d *Disk) {
	key := modelKey(d.Vendor, d.Model)
	d.Virtual = d.Bus == "virtio" || d.Bus == "xen" || d.Bus == "hyperv" || virtualModel.MatchString(key)
	switch {
	case d.Softraid || d.Bus == "raid" || d.Virtual:
		d.Type = Unknown
	case d.Bus == "nvme" || strings.Contains(d.Model, "SSD"):
		d.Type = SSD
	case rotating(key):
		d.Type = HDD
	case d.Thin:
		d.Type = SSD
	default:
		d.Type = Unknown
	}
}

// raidLevel turns a softraid product field ("SR RAID 5", "SR CRYPTO",
// "SR RAID 1C") into Disk.RAIDLevel ("RAID5", "CRYPTO", "RAID1C").
func raidLevel(product string) string {
	return strings.ReplaceAll(strings.TrimPrefix(product, "SR "), " ", "")
}
