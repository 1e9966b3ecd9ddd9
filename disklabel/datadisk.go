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
