package disklabel

import "fmt"

// DataDisk computes what "fdisk -gy sdN" (GPT) or "fdisk -iy sdN" (MBR)
// leaves on a disk that will not boot, such as a /home disk that fugu's
// install.site partitions: like WholeDisk, but a GPT gets no EFI System
// partition, so the OpenBSD partition starts at the first 64-sector
// boundary after the partition entries (gpt.c add_partition with no -b)
// and runs to the last usable LBA.
func DataDisk(sectors int64, sectorSize int, scheme Scheme, release string) (*Geometry, error) {
	if scheme != GPT {
		return WholeDisk(sectors, sectorSize, scheme, release)
	}
	rel, data, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	if sectorSize < blockSize || sectorSize%blockSize != 0 {
		return nil, fmt.Errorf("disklabel: sector size %d is not a multiple of %d", sectorSize, blockSize)
	}
	n := uint64(sectors)
	needed := uint64(gptEntries*gptEntrySize)/uint64(sectorSize) + 2
	if sectors <= 0 || n <= 2*needed+blockAlignment {
		return nil, fmt.Errorf("disklabel: disk of %d sectors is too small for a GPT", sectors)
	}
	lbaStart, lbaEnd := needed, n-needed
	start := roundUp(lbaStart, blockAlignment)
	g := &Geometry{Release: rel, Scheme: GPT, Sectors: n, SectorSize: sectorSize, Area: Extent{start, lbaEnd + 1 - start}}
	if data.unverified != "" {
		g.Notes = append(g.Notes, data.unverified)
	}
	return g, nil
}

// MBRWithBoot computes what "fdisk -iy -b SIZE@START:TYPE" leaves on a blank
// disk: a boot partition (FAT, spoofed into the label as 'i' the way the
// kernel spoofs MSDOS partitions) of size sectors at start, and the OpenBSD
// partition right after it to the end of the disk, at most 2^32-1 sectors
// (mbr.c MBR_init with a -b partition). The arm64 installer uses
// 32768@32768:C (install.md md_prep_fdisk).
func MBRWithBoot(sectors int64, sectorSize int, bootStart, bootSize uint64, release string) (*Geometry, error) {
	rel, data, err := lookupRelease(release)
	if err != nil {
		return nil, err
	}
	if sectorSize < blockSize || sectorSize%blockSize != 0 {
		return nil, fmt.Errorf("disklabel: sector size %d is not a multiple of %d", sectorSize, blockSize)
	}
	n := uint64(sectors)
	start := bootStart + bootSize
	if sectors <= 0 || start >= n {
		return nil, fmt.Errorf("disklabel: disk of %d sectors has no room after a boot partition ending at %d", sectors, start)
	}
	size := n - start
	g := &Geometry{Release: rel, Scheme: MBR, Sectors: n, SectorSize: sectorSize, Area: Extent{start, size}}
	if size > mbrMaxSectors {
		g.Area.Size = mbrMaxSectors
		g.Notes = append(g.Notes, "MBR partitions hold at most 2^32-1 sectors; the rest of the disk is outside the OpenBSD area")
	}
	boot := Extent{bootStart, bootSize}
	g.ESP = &boot
	g.Spoofed = []Partition{{Letter: espSpoofLetter, FSType: gptAttrESPFSType, Offset: bootStart, Size: bootSize, Existing: true}}
	if data.unverified != "" {
		g.Notes = append(g.Notes, data.unverified)
	}
	return g, nil
}
