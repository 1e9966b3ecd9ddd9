package disklabel

import "fmt"

// Scheme is the partition table the installer writes on a whole disk.
type Scheme int

const (
	// MBR is "fdisk -iy": one OpenBSD (0xA6) partition.
	MBR Scheme = iota + 1
	// GPT is "fdisk -gy -b N": an EFI System partition and an OpenBSD
	// partition.
	GPT
)

func (s Scheme) String() string {
	switch s {
	case MBR:
		return "MBR"
	case GPT:
		return "GPT"
	}
	return fmt.Sprintf("Scheme(%d)", int(s))
}

// Facts from sbin/fdisk (gpt.c 1.108, mbr.c 1.125, disk.h) and sys/sys/disklabel.h.
const (
	blockAlignment   = 64  // BLOCKALIGNMENT, sbin/fdisk/disk.h: GPT partition starts
	gptEntries       = 128 // NGPTPARTITIONS
	gptEntrySize     = 128 // GPTMINPARTSIZE
	defaultSPT       = 63  // sectors per track the kernel reports for most disks (UNVERIFIED for every driver)
	defaultHeads     = 255 // tracks per cylinder, likewise
	mbrMaxSectors    = 1<<32 - 1
	espSpoofLetter   = 'i' // subr_disk.c spoofgpt()/spoofmbr(): spoofing starts at 'i'
	gptAttrESPFSType = "MSDOS"
)

// Extent is a run of sectors.
type Extent struct {
	Start, Size uint64 // sectors
}

// End is the sector after the extent.
func (e Extent) End() uint64 { return e.Start + e.Size }

// Geometry is a blank disk after the installer's fdisk(8) run, as the kernel
// then presents it to disklabel: the OpenBSD area (boundstart, boundend) and
// the partitions spoofed into the default label.
type Geometry struct {
	Release    string
	Scheme     Scheme
	Sectors    uint64 // whole disk
	SectorSize int
	Area       Extent      // the OpenBSD partition = the label's bounds
	ESP        *Extent     // GPT only: the EFI System partition
	Spoofed    []Partition // what disklabel -A finds in the label ('i' for the ESP)
	Notes      []string    // UNVERIFIED assumptions that apply
}

// Disk turns the geometry into the starting point of an auto-allocation.
func (g *Geometry) Disk() Disk {
	return Disk{SectorSize: g.SectorSize, Start: g.Area.Start, End: g.Area.End(), Existing: append([]Partition(nil), g.Spoofed...)}
}

// WholeDisk computes what the installer's whole-disk choice leaves on a disk
// of the given size (in sectors of sectorSize bytes) for the release:
//
//   - MBR, "fdisk -iy" (mbr.c MBR_init): no boot partition on amd64, the
//     OpenBSD partition starts at the first power-of-two 512-byte block at or
//     after one track (63 sectors per track assumed: sector 64) and runs to
//     the end of the disk, at most 2^32-1 sectors.
//   - GPT, "fdisk -gy -b N" (gpt.c init_gh/init_gp/add_partition): usable
//     LBAs 34 .. size-34 for 512-byte sectors, the EFI System partition at
//     the first 64-sector boundary (LBA 64) with N blocks, and the OpenBSD
//     partition from the next 64-sector boundary to the last usable LBA. The
//     kernel (subr_disk.c spoofgpt) spoofs the ESP into the label as 'i'
//     and takes the OpenBSD partition as the bounds.
//
// Releases up to 7.1 (mbr.c 1.105 and before) build the MBR partition from
// cylinder/head/sector values instead: it starts after the first track (the
// first cylinder on one-head disks), rounded up to a power of two, and ends
// at the last whole cylinder.
func WholeDisk(sectors int64, sectorSize int, scheme Scheme, release string) (*Geometry, error) {
	return WholeDiskCHS(sectors, sectorSize, defaultSPT, defaultHeads, scheme, release)
}

// WholeDiskCHS is WholeDisk with the geometry the disk driver reports:
// sectors per track and tracks per cylinder ("disklabel wd0" prints both;
// vnd(4) reports 100 and 1, which puts the MBR OpenBSD partition at 128).
func WholeDiskCHS(sectors int64, sectorSize, sectorsPerTrack, heads int, scheme Scheme, release string) (*Geometry, error) {
	rel, data, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	if sectorSize < blockSize || sectorSize%blockSize != 0 {
		return nil, fmt.Errorf("disklabel: sector size %d is not a multiple of %d", sectorSize, blockSize)
	}
	if sectors <= 0 {
		return nil, fmt.Errorf("disklabel: disk of %d sectors", sectors)
	}
	if sectorsPerTrack <= 0 || heads <= 0 || sectorsPerTrack > 1<<20 || heads > 1<<20 {
		return nil, fmt.Errorf("disklabel: geometry of %d sectors per track and %d tracks per cylinder", sectorsPerTrack, heads)
	}
	g := &Geometry{Release: rel, Scheme: scheme, Sectors: uint64(sectors), SectorSize: sectorSize}
	if data.unverified != "" {
		g.Notes = append(g.Notes, data.unverified)
	}
	if sectorSize != blockSize {
		g.Notes = append(g.Notes, "UNVERIFIED: disks with sectors larger than 512 bytes are computed from the code, not checked against a real disk")
	}
	bps := uint64(sectorSize / blockSize)
	n := uint64(sectors)
	switch scheme {
	case MBR:
		spt, secpercyl := uint64(sectorsPerTrack), uint64(sectorsPerTrack)*uint64(heads)
		cyls := n / secpercyl
		// The first sector the partition may use before rounding.
		first, end := uint64(0), n
		switch {
		case data.mbrCHS:
			// mbr.c 1.105: head 1 of cylinder 0, or cylinder 1 on
			// one-head disks; the end is the last whole cylinder.
			if heads > 1 {
				first = spt
			} else if cyls > 1 {
				first = secpercyl
			}
			end = cyls * secpercyl
		case heads > 1 || cyls > 1:
			// mbr.c 1.125: after the first track.
			first = spt
		default:
			first = 1
		}
		// Start on a power-of-two 512-byte block (DL_SECTOBLK/DL_BLKTOSEC).
		daddr := uint64(1)
		for daddr < first*bps {
			daddr *= 2
		}
		start := daddr / bps
		if data.mbrCHS && start == 0 {
			start = 1
		}
		if start >= end {
			return nil, fmt.Errorf("disklabel: disk of %d sectors has no room for an OpenBSD MBR partition at %d", n, start)
		}
		size := end - start
		if size > mbrMaxSectors {
			size = mbrMaxSectors
			g.Notes = append(g.Notes, "MBR partitions hold at most 2^32-1 sectors; the rest of the disk is outside the OpenBSD area (size capping UNVERIFIED in fdisk)")
		}
		g.Area = Extent{start, size}
	case GPT:
		// gpt.c init_gh: needed = entries*size/secsize + 2 (the rounding
		// to BLOCKALIGNMENT there adds 0 for both 512 and 4096).
		needed := uint64(gptEntries*gptEntrySize)/uint64(sectorSize) + 2
		lbaStart, lbaEnd := needed, n-needed
		if n <= 2*needed {
			return nil, fmt.Errorf("disklabel: disk of %d sectors is too small for a GPT", n)
		}
		// add_partition: the largest free run, start rounded up to 64.
		espStart := roundUp(lbaStart, blockAlignment)
		espSize := data.espBlock / bps // UNVERIFIED for sectors > 512 bytes: -b counted in blocks
		if espSize == 0 || espStart+espSize-1 > lbaEnd {
			return nil, fmt.Errorf("disklabel: disk of %d sectors is too small for a %d-block EFI System partition", n, data.espBlock)
		}
		obsdStart := roundUp(espStart+espSize, blockAlignment)
		if obsdStart > lbaEnd {
			return nil, fmt.Errorf("disklabel: disk of %d sectors leaves no room for the OpenBSD GPT partition", n)
		}
		g.ESP = &Extent{espStart, espSize}
		// spoofgpt: bounds = [start, end+1) of the OpenBSD partition.
		g.Area = Extent{obsdStart, lbaEnd + 1 - obsdStart}
		g.Spoofed = []Partition{{Letter: espSpoofLetter, FSType: gptAttrESPFSType, Offset: espStart, Size: espSize, Existing: true}}
		if data.espBlock != espCurrent {
			g.Notes = append(g.Notes, fmt.Sprintf("UNVERIFIED: EFI System partition of %d blocks assumed for %s", data.espBlock, rel))
		}
	default:
		return nil, fmt.Errorf("disklabel: unknown partitioning scheme %v", scheme)
	}
	return g, nil
}
