package hardware

import "regexp"

// nicDrivers are OpenBSD's network interface drivers (the "Network
// interfaces" and "Wireless network interfaces" lists of intro(4) and the
// man4 pages of the drivers, amd64, arm64, i386 and a few others); true
// marks the wireless ones: IEEE 802.11 adapters and umb(4) mobile broadband.
// Pseudo devices never print attach lines. Storage and Fibre Channel
// adapters (qle, qla, isp) are not network interfaces.
var nicDrivers = map[string]bool{
	// Wired Ethernet, PCI and on-board.
	"age": false, "alc": false, "ale": false, "aq": false, "bce": false,
	"bge": false, "bnx": false, "bnxt": false, "cas": false, "dc": false,
	"de": false, "em": false, "ep": false, "epic": false, "et": false,
	"fxp": false, "gem": false, "hme": false, "iavf": false, "ice": false,
	"igc": false, "ix": false, "ixgb": false, "ixl": false, "ixv": false,
	"jme": false, "lge": false, "lii": false, "mcx": false, "msk": false,
	"mtd": false, "myx": false, "ne": false, "nep": false, "nfe": false,
	"nge": false, "ngbe": false, "oce": false, "pcn": false, "re": false,
	"rge": false, "rl": false, "se": false, "sf": false, "sis": false,
	"sk": false, "ste": false, "stge": false, "ti": false, "tl": false,
	"tht": false, "txp": false, "vge": false, "vr": false, "vte": false,
	"wb": false, "xge": false, "xl": false, "ec": false, "ef": false,
	"eg": false, "el": false, "ex": false, "ie": false, "le": false,
	"qe": false, "sm": false, "we": false, "xe": false, "be": false,
	// Wired Ethernet on SoCs (arm64, armv7, riscv64, octeon, sgi, ...).
	"cad": false, "cnmac": false, "cpsw": false, "dwge": false, "dwqe": false,
	"dwxe": false, "fec": false, "mec": false, "mvneta": false, "mvpp": false,
	"ogx": false, "sq": false, "iec": false,
	// Virtual machines.
	"hvn": false, "vic": false, "vio": false, "vmx": false, "vnet": false,
	"xnf": false,
	// USB Ethernet.
	"aue": false, "axe": false, "axen": false, "cdce": false, "cue": false,
	"kue": false, "mos": false, "mue": false, "smsc": false, "uaq": false,
	"udav": false, "ugl": false, "upl": false, "ure": false, "url": false,
	"urndis": false,
	// IEEE 802.11.
	"acx": true, "an": true, "ath": true, "athn": true, "atu": true,
	"atw": true, "bwfm": true, "bwi": true, "ipw": true, "iwi": true,
	"iwm": true, "iwn": true, "iwx": true, "malo": true, "mtw": true,
	"mwx": true, "otus": true, "pgt": true, "qwx": true, "qwz": true,
	"ral": true, "rsu": true, "rtw": true, "rtwn": true, "rum": true,
	"run": true, "uath": true, "upgt": true, "ural": true, "urtw": true,
	"urtwn": true, "wi": true, "wpi": true, "zyd": true,
	// Mobile broadband.
	"umb": true,
}

// macAddr finds a MAC address as drivers print it: "address 00:0d:b9:..."
// on the attach line or a later "drvN: ..., address ..." line. Masked
// addresses ("xx:xx:xx:xx:xx:xx", as dmesg collection sites print them)
// do not match.
var macAddr = regexp.MustCompile(`\baddress ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})\b`)

// nicBus names the bus a NIC hangs off from its parent's driver: "pci",
// "usb" (uhub), "sdmmc", "virtio", "xen", "hyperv", "mainbus", ...
func nicBus(parentDriver string) string {
	if parentDriver == "uhub" || parentDriver == "usb" {
		return "usb"
	}
	return parentDriver
}
