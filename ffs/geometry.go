package ffs

import (
	"fmt"
	"math"
)

// Optimization is newfs's -o: the allocation preference the kernel uses
// later. It does not change the layout fugu writes.
type Optimization int

const (
	OptDefault Optimization = iota // time, or space when MinFree < 5 (newfs.c 1.120)
	OptTime                        // FS_OPTTIME
	OptSpace                       // FS_OPTSPACE
)

// Defaults from sbin/newfs/newfs.c rev 1.120.
const (
	dflFragSize = 2048  // DFL_FRAGSIZE
	dflBlkSize  = 16384 // DFL_BLKSIZE
	nfpi        = 4     // NFPI: one inode per 4 fragments
)

// geomParams are the inputs of newfs's mkfs() that shape the layout.
type geomParams struct {
	format        Format
	size          int64 // bytes
	bsize, fsize  int64 // 0: default
	density       int64 // bytes per inode; 0: default
	minfree       int64 // -1: default
	opt           Optimization
	maxFragsPerCG int64 // 0: no limit
	maxbpg        int64 // 0: default
	// keepFpg and keepIpg, when set, are the fragments and inodes per
	// cylinder group to use as they are (Rebuild keeps the old image's),
	// instead of what the density and packing loops would choose.
	keepFpg, keepIpg int64
}

// labelFragSize is the fragment size disklabel's set_fragblock gives a
// 4.2BSD partition of the given size (editor.c 1.422, see
// openbsd-facts.md 3.4): 2048, doubled above 128 GiB and again above
// 512 GiB. newfs takes its default fragment size from the label.
func labelFragSize(size int64) int64 {
	f := int64(dflFragSize)
	if size > 128<<30 {
		f *= 2
	}
	if size > 512<<30 {
		f *= 2
	}
	return f
}

// checkParams checks block and fragment size, density and minfree as
// mkfs.c and newfs.c do, with their messages.
func checkParams(bsize, fsize, density, minfree int64) error {
	switch {
	case !isPow2(bsize):
		return fmt.Errorf("block size must be a power of 2, not %d", bsize)
	case !isPow2(fsize):
		return fmt.Errorf("fragment size must be a power of 2, not %d", fsize)
	case fsize < devBSize:
		return fmt.Errorf("fragment size %d is too small, minimum is %d", fsize, devBSize)
	case bsize < minBSize:
		return fmt.Errorf("block size %d is too small, minimum is %d", bsize, minBSize)
	case bsize > maxBSize:
		return fmt.Errorf("block size %d is too large, maximum is %d", bsize, maxBSize)
	case bsize < fsize:
		return fmt.Errorf("block size (%d) cannot be smaller than fragment size (%d)", bsize, fsize)
	case bsize/fsize > maxFrag:
		return fmt.Errorf("fragment size %d is too small, minimum with block size %d is %d", fsize, bsize, bsize/maxFrag)
	case density < 0:
		return fmt.Errorf("bytes per inode must be positive, not %d", density)
	case minfree > 99:
		return fmt.Errorf("free space %% must be 0..99, not %d", minfree)
	}
	return nil
}

// newGeometry computes the superblock newfs's mkfs() would write for a
// file system of p.size bytes. It follows sbin/newfs/mkfs.c rev 1.102
// step by step: the fixed offsets, the inode density loop, packing
// blocks into cylinder groups until the cg map would overflow a block or
// fewer than MINCYLGRPS groups remain, and shrinking the groups until
// the last one is big enough.
func newGeometry(p geomParams) (*superblock, error) {
	s := &superblock{format: p.format}
	if p.format != FFS1 && p.format != FFS2 {
		return nil, fmt.Errorf("unknown format %d", p.format)
	}
	fsize, bsize := p.fsize, p.bsize
	if fsize == 0 {
		fsize = labelFragSize(p.size)
		if bsize == 0 {
			bsize = 8 * fsize
		}
	}
	if bsize == 0 {
		bsize = min(dflBlkSize, 8*fsize)
	}
	density := p.density
	if density <= 0 {
		density = nfpi * fsize
	}
	minfree := p.minfree
	if minfree < 0 {
		minfree = defaultMinFree
	}
	if err := checkParams(bsize, fsize, density, minfree); err != nil {
		return nil, err
	}
	if p.size <= 0 {
		return nil, fmt.Errorf("file system size must be positive, not %d", p.size)
	}
	fssize := p.size / devBSize // 512-byte sectors
	if p.format == FFS1 && fssize > math.MaxInt32 {
		return nil, fmt.Errorf("size %d bytes is too large for FFS1 (max %d sectors); use FFS2", p.size, math.MaxInt32)
	}

	s.bsize, s.fsize = int32(bsize), int32(fsize)
	s.bshift, s.fshift = ilog2(bsize), ilog2(fsize)
	s.frag = int32(bsize / fsize)
	s.fragsh = ilog2(int64(s.frag))
	s.fsbtodb = ilog2(fsize / devBSize)
	s.size = fssize >> s.fsbtodb
	s.nspf = int32(fsize / devBSize)
	s.maxcont = 1
	s.nrpos = 1
	s.cpg = 1
	s.postblfm = fsDynamicPostblFmt
	s.avgfsize = avFileSiz
	s.avgfpdir = afpDir
	s.inodefmt = fs44InodeFmt
	if p.format == FFS1 {
		s.sblkloc = sblockUFS1
		s.nindir = int32(bsize / 4)
		s.inopb = uint32(bsize / inodeSize1)
		s.maxsym = maxSymlink1
		s.cgmask = 0xffffffff
		s.rps = 60
		s.interlv = 1
		s.magic = magicUFS1
	} else {
		s.sblkloc = sblockUFS2
		s.nindir = int32(bsize / 8)
		s.inopb = uint32(bsize / inodeSize2)
		s.maxsym = maxSymlink2
		s.magic = int32(uint32(magicUFS2))
	}
	frag := int64(s.frag)
	s.sblkno = int32(roundup(howmany(s.sblkloc+sbSize, fsize), frag))
	s.cblkno = s.sblkno + int32(roundup(howmany(sbSize, fsize), frag))
	s.iblkno = s.cblkno + s.frag
	s.maxfile = maxFileSize(bsize, int64(s.nindir))

	inopb := int64(s.inopb)
	inopf := s.inopf()
	iblkno := int64(s.iblkno)
	size := s.size

	var fpg, ipg, ncg int64
	if p.keepFpg > 0 {
		fpg, ipg = p.keepFpg, p.keepIpg
		ncg = howmany(size, fpg)
		lastminfpg := roundup(iblkno+ipg/inopf, frag)
		switch {
		case fpg%frag != 0 || ipg <= 0 || ipg%inopb != 0:
			return nil, fmt.Errorf("cylinder groups of %d fragments and %d inodes do not suit %d-byte blocks", fpg, ipg, bsize)
		case cgsizeFor(ipg, fpg) > bsize:
			return nil, fmt.Errorf("the map of a cylinder group of %d fragments and %d inodes does not fit a %d-byte block", fpg, ipg, bsize)
		case lastminfpg > fpg || size%fpg != 0 && size%fpg < lastminfpg:
			return nil, fmt.Errorf("cylinder groups of %d fragments cannot hold %d inodes after a superblock at %d", fpg, ipg, s.sblkloc)
		}
	} else {
		var err error
		if fpg, ipg, ncg, err = s.chooseGroups(p, density, size); err != nil {
			return nil, err
		}
	}
	if ipg*ncg > math.MaxUint32 {
		return nil, fmt.Errorf("more than 2^32 inodes, increase density, block or fragment size")
	}
	s.fpg = int32(fpg)
	s.ipg = uint32(ipg)
	s.ncg = uint32(ncg)
	if p.format == FFS1 {
		s.spc = s.fpg * s.nspf
		s.nsect = s.spc
		s.npsect = s.spc
		s.ncyl = int32(ncg)
	}
	s.cgsize = int32(roundup(cgsizeFor(ipg, fpg), fsize))
	s.dblkno = s.iblkno + int32(ipg/inopf)
	s.csaddr = s.cgdmin(0)
	s.cssize = int32(roundup(ncg*sizeofCsum, fsize))
	s.sbsize = int32(min(roundup(sizeofFs, fsize), sbSize))
	s.minfree = int32(minfree)
	switch {
	case p.opt == OptSpace, p.opt == OptDefault && minfree < defaultMinFree:
		s.optim = fsOptSpace
	default:
		s.optim = fsOptTime
	}
	s.maxbpg = int32(p.maxbpg)
	if s.maxbpg == 0 {
		// MAXBLKPG_FFS1/2: one indirect block's worth of data blocks.
		s.maxbpg = s.nindir
	}
	s.clean = fsIsClean
	csfrags := howmany(int64(s.cssize), fsize)
	if s.cgNdblk(0) < roundup(int64(s.dblkno)+csfrags, frag)+frag {
		// initcg's errx(42): no free block left in cg 0.
		return nil, fmt.Errorf("file system size %d bytes: cg 0: summary info is too large to fit", p.size)
	}
	s.dsize = size - int64(s.sblkno) - ncg*int64(s.dblkno-s.sblkno) - csfrags
	if s.dsize <= 0 {
		return nil, fmt.Errorf("file system size %d bytes leaves no room for data", p.size)
	}
	return s, nil
}

// chooseGroups is mkfs's choice of cylinder group size: the smallest
// group that meets the inode density, grown until its map fills a block
// or too few groups remain, then shrunk until the last group is viable.
func (s *superblock) chooseGroups(p geomParams, density, size int64) (fpg, ipg, ncg int64, err error) {
	fsize, bsize, frag := int64(s.fsize), int64(s.bsize), int64(s.frag)
	inopb, inopf, iblkno := int64(s.inopb), s.inopf(), int64(s.iblkno)
	// The smallest cylinder group that meets the density; lower the
	// density until its map fits in a block.
	var fragsPerInode int64
	origDensity := density
	for {
		fragsPerInode = max(density>>s.fshift, 1)
		minfpg := min(fragsPerInode*inopb, size)
		ipg = inopb
		fpg = max(roundup(iblkno+ipg/inopf, frag), minfpg)
		ipg = roundup(howmany(fpg, fragsPerInode), inopb)
		fpg = max(roundup(iblkno+ipg/inopf, frag), minfpg)
		ipg = roundup(howmany(fpg, fragsPerInode), inopb)
		if cgsizeFor(ipg, fpg) < bsize {
			break
		}
		density -= fsize
		if density <= 0 {
			return 0, 0, 0, fmt.Errorf("no inode density makes a cylinder group fit in a %d-byte block", bsize)
		}
	}

	if density != origDensity {
		s.warnings = append(s.warnings, fmt.Sprintf("density reduced from %d to %d bytes per inode", origDensity, density))
	}
	mincg := int64(minCylGrps)
	maxfpg := int64(math.MaxInt32)
	if p.maxFragsPerCG > 0 {
		maxfpg = p.maxFragsPerCG
		if i := size / maxfpg; i < minCylGrps {
			mincg = max(i, 1)
		}
	}
	// Pack more blocks into each group until it cannot grow.
	for {
		fpg += frag
		ipg = roundup(howmany(fpg, fragsPerInode), inopb)
		if fpg > maxfpg || size/fpg < mincg || cgsizeFor(ipg, fpg) > bsize {
			break
		}
	}
	fpg -= frag
	ipg = roundup(howmany(fpg, fragsPerInode), inopb)
	if fpg > maxfpg {
		s.warnings = append(s.warnings, fmt.Sprintf("can't honour -c: minimum is %d", fpg))
	}

	// Make sure the last group is viable.
	optimal := fpg
	for {
		ncg = howmany(size, fpg)
		lastminfpg := roundup(iblkno+ipg/inopf, frag)
		if size < lastminfpg {
			return 0, 0, 0, fmt.Errorf("file system size %d bytes (%d fragments) < minimum size of %d fragments", p.size, size, lastminfpg)
		}
		if size%fpg >= lastminfpg || size%fpg == 0 {
			break
		}
		fpg -= frag
		ipg = roundup(howmany(fpg, fragsPerInode), inopb)
		if fpg < lastminfpg {
			return 0, 0, 0, fmt.Errorf("file system size %d bytes: no cylinder group size leaves a viable last group", p.size)
		}
	}
	if fpg != optimal {
		s.warnings = append(s.warnings, fmt.Sprintf("reduced number of fragments per cylinder group from %d to %d to enlarge last cylinder group", optimal, fpg))
	}
	return fpg, ipg, ncg, nil
}
