package ffs

import (
	"encoding/binary"
	"fmt"
	"math"
)

// On-disk constants. Unless noted, they come from OpenBSD's
// sys/ufs/ffs/fs.h rev 1.45 (2024-02-03).
const (
	devBSize   = 512    // DEV_BSIZE, sys/sys/param.h
	sbSize     = 8192   // SBSIZE and SBLOCKSIZE
	sblockUFS1 = 8192   // SBLOCK_UFS1: byte offset of the FFS1 superblock
	sblockUFS2 = 65536  // SBLOCK_UFS2: byte offset of the FFS2 superblock
	sblockPig  = 262144 // SBLOCK_PIGGY
	minBSize   = 4096   // MINBSIZE
	maxBSize   = 65536  // MAXBSIZE, sys/sys/param.h
	maxFrag    = 8      // MAXFRAG
	maxMntLen  = 468    // MAXMNTLEN

	magicUFS1 = 0x011954   // FS_UFS1_MAGIC
	magicUFS2 = 0x19540119 // FS_UFS2_MAGIC
	cgMagic   = 0x090255   // CG_MAGIC

	fs44InodeFmt       = 2    // FS_44INODEFMT
	fsDynamicPostblFmt = 1    // FS_DYNAMICPOSTBLFMT
	fsOptTime          = 0    // FS_OPTTIME
	fsOptSpace         = 1    // FS_OPTSPACE
	fsIsClean          = 1    // FS_ISCLEAN
	fsFlagsUpdated     = 0x80 // FS_FLAGS_UPDATED, in fs_ffs1_flags

	defaultMinFree = 5     // MINFREE
	avFileSiz      = 16384 // AVFILESIZ
	afpDir         = 64    // AFPDIR

	// sizeofFs is sizeof(struct fs) on amd64 (fs_magic at 1372, then
	// fs_space[1], padded to 8); sizeofCg is sizeof(struct cg) (the map
	// area starts right after it); sizeofCsum is sizeof(struct csum).
	sizeofFs   = 1384
	sizeofCg   = 168
	sizeofCsum = 16

	// sys/ufs/ufs/dinode.h rev 1.19.
	rootIno     = 2 // ROOTINO
	nDAddr      = 12
	nIAddr      = 3
	inodeSize1  = 128                   // sizeof(struct ufs1_dinode)
	inodeSize2  = 256                   // sizeof(struct ufs2_dinode)
	maxSymlink1 = (nDAddr + nIAddr) * 4 // MAXSYMLINKLEN_UFS1
	maxSymlink2 = (nDAddr + nIAddr) * 8 // MAXSYMLINKLEN_UFS2

	// sbin/newfs/mkfs.c rev 1.102.
	minCylGrps = 4 // MINCYLGRPS
)

// Format is the on-disk format version.
type Format int

const (
	// FFS1 is the 4.4BSD fast file system (UFS1): 32-bit block pointers,
	// 128-byte inodes, superblock at 8192. OpenBSD's install media use it.
	FFS1 Format = 1
	// FFS2 is UFS2: 64-bit block pointers, 256-byte inodes, superblock at
	// 65536 (where OpenBSD's newfs puts it). newfs's default since
	// newfs.c 1.120 (Oflag = 2).
	FFS2 Format = 2
)

func (f Format) String() string {
	switch f {
	case FFS1:
		return "FFS1"
	case FFS2:
		return "FFS2"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// superblock holds the fields of struct fs that fugu writes or reads.
// Sizes and addresses are in fragments unless named otherwise. For FFS1
// the 64-bit fields (size, dsize, csaddr, cstotal, time) are mirrored
// into the fs_ffs1_* fields on disk, as mkfs.c does.
type superblock struct {
	format   Format
	sblkno   int32 // superblock copy, relative to the cg start
	cblkno   int32 // cg block
	iblkno   int32 // first inode block
	dblkno   int32 // first data fragment after the inodes
	cgoffset int32
	cgmask   uint32
	ncg      uint32
	bsize    int32
	fsize    int32
	frag     int32
	minfree  int32
	rps      int32
	bshift   int32
	fshift   int32
	maxcont  int32
	maxbpg   int32
	fragsh   int32
	fsbtodb  int32
	sbsize   int32
	nindir   int32
	inopb    uint32
	nspf     int32
	optim    int32
	npsect   int32
	interlv  int32
	id       [2]uint32
	cssize   int32
	cgsize   int32
	nsect    int32
	spc      int32
	ncyl     int32
	cpg      int32
	ipg      uint32
	fpg      int32
	clean    int8
	flags1   int8 // fs_ffs1_flags
	sblkloc  int64
	cstotal  csumTotal
	time     int64
	size     int64
	dsize    int64
	csaddr   int64
	avgfsize uint32
	avgfpdir uint32
	flags    uint32
	contig   int32 // fs_contigsumsize
	maxsym   int32
	inodefmt int32
	maxfile  uint64
	nrpos    int32
	postblfm int32
	magic    int32

	warnings []string // what newfs would have warned about (not on disk)
}

// csum is struct csum: a cylinder group's counts.
type csum struct {
	ndir, nbfree, nifree, nffree int64
}

type csumTotal = csum

func (c *csum) add(o csum) {
	c.ndir += o.ndir
	c.nbfree += o.nbfree
	c.nifree += o.nifree
	c.nffree += o.nffree
}

// Byte offsets of struct fs members (fs.h 1.45; fs_magic at 1372 agrees
// with the table in openbsd-facts.md section 8 and with makefs output).
const (
	offSblkno    = 8
	offCblkno    = 12
	offIblkno    = 16
	offDblkno    = 20
	offCgoffset  = 24
	offCgmask    = 28
	offTime1     = 32
	offSize1     = 36
	offDsize1    = 40
	offNcg       = 44
	offBsize     = 48
	offFsize     = 52
	offFrag      = 56
	offMinfree   = 60
	offRotdelay  = 64
	offRps       = 68
	offBmask     = 72
	offFmask     = 76
	offBshift    = 80
	offFshift    = 84
	offMaxcontig = 88
	offMaxbpg    = 92
	offFragshift = 96
	offFsbtodb   = 100
	offSbsize    = 104
	offNindir    = 116
	offInopb     = 120
	offNspf      = 124
	offOptim     = 128
	offNpsect    = 132
	offInterlv   = 136
	offTrackskew = 140
	offID        = 144
	offCsaddr1   = 152
	offCssize    = 156
	offCgsize    = 160
	offNtrak     = 164
	offNsect     = 168
	offSpc       = 172
	offNcyl      = 176
	offCpg       = 180
	offIpg       = 184
	offFpg       = 188
	offCstotal1  = 192
	offFmod      = 208
	offClean     = 209
	offRonly     = 210
	offFlags1    = 211
	offFsmnt     = 212
	offVolname   = 680
	offCpc       = 856
	offMaxbsize  = 860
	offSblockloc = 1000
	offCstotal   = 1008
	offTime      = 1072
	offSize      = 1080
	offDsize     = 1088
	offCsaddr    = 1096
	offAvgfsize  = 1196
	offAvgfpdir  = 1200
	offFlags     = 1308
	offContig    = 1316
	offMaxsym    = 1320
	offInodefmt  = 1324
	offMaxfile   = 1328
	offQbmask    = 1336
	offQfmask    = 1344
	offState     = 1352
	offPostblfmt = 1356
	offNrpos     = 1360
	offMagic     = 1372
)

var le = binary.LittleEndian

// marshal returns the superblock as the SBSIZE bytes written to disk.
func (s *superblock) marshal() []byte {
	b := make([]byte, sbSize)
	p32 := func(off int, v int32) { le.PutUint32(b[off:], uint32(v)) }
	u32 := func(off int, v uint32) { le.PutUint32(b[off:], v) }
	p64 := func(off int, v int64) { le.PutUint64(b[off:], uint64(v)) }
	p32(offSblkno, s.sblkno)
	p32(offCblkno, s.cblkno)
	p32(offIblkno, s.iblkno)
	p32(offDblkno, s.dblkno)
	p32(offCgoffset, s.cgoffset)
	u32(offCgmask, s.cgmask)
	u32(offNcg, s.ncg)
	p32(offBsize, s.bsize)
	p32(offFsize, s.fsize)
	p32(offFrag, s.frag)
	p32(offMinfree, s.minfree)
	p32(offRps, s.rps)
	p32(offBmask, ^(s.bsize - 1))
	p32(offFmask, ^(s.fsize - 1))
	p32(offBshift, s.bshift)
	p32(offFshift, s.fshift)
	p32(offMaxcontig, s.maxcont)
	p32(offMaxbpg, s.maxbpg)
	p32(offFragshift, s.fragsh)
	p32(offFsbtodb, s.fsbtodb)
	p32(offSbsize, s.sbsize)
	p32(offNindir, s.nindir)
	u32(offInopb, s.inopb)
	p32(offNspf, s.nspf)
	p32(offOptim, s.optim)
	p32(offNpsect, s.npsect)
	p32(offInterlv, s.interlv)
	u32(offID, s.id[0])
	u32(offID+4, s.id[1])
	p32(offCssize, s.cssize)
	p32(offCgsize, s.cgsize)
	p32(offNsect, s.nsect)
	p32(offSpc, s.spc)
	p32(offNcyl, s.ncyl)
	p32(offCpg, s.cpg)
	u32(offIpg, s.ipg)
	p32(offFpg, s.fpg)
	b[offClean] = byte(s.clean)
	b[offFlags1] = byte(s.flags1)
	p64(offSblockloc, s.sblkloc)
	p64(offCstotal, s.cstotal.ndir)
	p64(offCstotal+8, s.cstotal.nbfree)
	p64(offCstotal+16, s.cstotal.nifree)
	p64(offCstotal+24, s.cstotal.nffree)
	p64(offTime, s.time)
	p64(offSize, s.size)
	p64(offDsize, s.dsize)
	p64(offCsaddr, s.csaddr)
	u32(offAvgfsize, s.avgfsize)
	u32(offAvgfpdir, s.avgfpdir)
	u32(offFlags, s.flags)
	p32(offContig, s.contig)
	p32(offMaxsym, s.maxsym)
	p32(offInodefmt, s.inodefmt)
	le.PutUint64(b[offMaxfile:], s.maxfile)
	p64(offQbmask, int64(s.bsize-1))
	p64(offQfmask, int64(s.fsize-1))
	p32(offPostblfmt, s.postblfm)
	p32(offNrpos, s.nrpos)
	p32(offMagic, s.magic)
	if s.format == FFS1 {
		// mkfs.c 1.102 keeps the 4.4BSD copies of the fields that
		// FFS2 widened; the kernel reads these for FFS1
		// (ffs_vfsops.c ffs1_compat_read).
		p32(offTime1, int32(s.time))
		p32(offSize1, int32(s.size))
		p32(offDsize1, int32(s.dsize))
		p32(offCsaddr1, int32(s.csaddr))
		p32(offCstotal1, int32(s.cstotal.ndir))
		p32(offCstotal1+4, int32(s.cstotal.nbfree))
		p32(offCstotal1+8, int32(s.cstotal.nifree))
		p32(offCstotal1+12, int32(s.cstotal.nffree))
	}
	return b
}

// unmarshalSuperblock decodes a superblock read at byte offset loc. It
// checks only the magic number; validate checks the geometry.
func unmarshalSuperblock(b []byte, loc int64) (*superblock, error) {
	if len(b) < sbSize {
		return nil, fmt.Errorf("superblock at %d: short read (%d bytes)", loc, len(b))
	}
	g32 := func(off int) int32 { return int32(le.Uint32(b[off:])) }
	u32 := func(off int) uint32 { return le.Uint32(b[off:]) }
	g64 := func(off int) int64 { return int64(le.Uint64(b[off:])) }
	s := &superblock{magic: g32(offMagic)}
	switch uint32(s.magic) {
	case magicUFS1:
		s.format = FFS1
	case magicUFS2:
		s.format = FFS2
	default:
		return nil, fmt.Errorf("superblock at %d: bad magic %#x", loc, uint32(s.magic))
	}
	s.sblkno = g32(offSblkno)
	s.cblkno = g32(offCblkno)
	s.iblkno = g32(offIblkno)
	s.dblkno = g32(offDblkno)
	s.cgoffset = g32(offCgoffset)
	s.cgmask = u32(offCgmask)
	s.ncg = u32(offNcg)
	s.bsize = g32(offBsize)
	s.fsize = g32(offFsize)
	s.frag = g32(offFrag)
	s.minfree = g32(offMinfree)
	s.rps = g32(offRps)
	s.bshift = g32(offBshift)
	s.fshift = g32(offFshift)
	s.maxcont = g32(offMaxcontig)
	s.maxbpg = g32(offMaxbpg)
	s.fragsh = g32(offFragshift)
	s.fsbtodb = g32(offFsbtodb)
	s.sbsize = g32(offSbsize)
	s.nindir = g32(offNindir)
	s.inopb = u32(offInopb)
	s.nspf = g32(offNspf)
	s.optim = g32(offOptim)
	s.npsect = g32(offNpsect)
	s.interlv = g32(offInterlv)
	s.id = [2]uint32{u32(offID), u32(offID + 4)}
	s.cssize = g32(offCssize)
	s.cgsize = g32(offCgsize)
	s.nsect = g32(offNsect)
	s.spc = g32(offSpc)
	s.ncyl = g32(offNcyl)
	s.cpg = g32(offCpg)
	s.ipg = u32(offIpg)
	s.fpg = g32(offFpg)
	s.clean = int8(b[offClean])
	s.flags1 = int8(b[offFlags1])
	s.avgfsize = u32(offAvgfsize)
	s.avgfpdir = u32(offAvgfpdir)
	s.contig = g32(offContig)
	s.maxsym = g32(offMaxsym)
	s.inodefmt = g32(offInodefmt)
	s.maxfile = le.Uint64(b[offMaxfile:])
	s.nrpos = g32(offNrpos)
	s.postblfm = g32(offPostblfmt)
	if s.format == FFS1 {
		// As ffs1_compat_read does: the FFS1 fields are authoritative.
		s.flags = uint32(uint8(s.flags1))
		s.sblkloc = loc
		s.time = int64(g32(offTime1))
		s.size = int64(g32(offSize1))
		s.dsize = int64(g32(offDsize1))
		s.csaddr = int64(g32(offCsaddr1))
		s.cstotal = csum{int64(g32(offCstotal1)), int64(g32(offCstotal1 + 4)),
			int64(g32(offCstotal1 + 8)), int64(g32(offCstotal1 + 12))}
	} else {
		s.flags = u32(offFlags)
		s.sblkloc = g64(offSblockloc)
		s.time = g64(offTime)
		s.size = g64(offSize)
		s.dsize = g64(offDsize)
		s.csaddr = g64(offCsaddr)
		s.cstotal = csum{g64(offCstotal), g64(offCstotal + 8), g64(offCstotal + 16), g64(offCstotal + 24)}
	}
	return s, nil
}

// Address arithmetic (the fs.h macros of the same names). cgoffset is 0
// in every file system newfs or makefs writes, so cgstart == cgbase; the
// reader refuses others.

func (s *superblock) cgbase(c int64) int64 { return int64(s.fpg) * c }
func (s *superblock) cgsblock(c int64) int64 {
	return s.cgbase(c) + int64(s.sblkno)
}
func (s *superblock) cgtod(c int64) int64  { return s.cgbase(c) + int64(s.cblkno) }
func (s *superblock) cgimin(c int64) int64 { return s.cgbase(c) + int64(s.iblkno) }
func (s *superblock) cgdmin(c int64) int64 { return s.cgbase(c) + int64(s.dblkno) }

// inodeSize is the size of one on-disk inode.
func (s *superblock) inodeSize() int {
	if s.format == FFS1 {
		return inodeSize1
	}
	return inodeSize2
}

// inopf is INOPF: inodes per fragment.
func (s *superblock) inopf() int64 { return int64(s.inopb) >> s.fragsh }

// inoToFsba is ino_to_fsba: the fragment address of the block holding
// inode ino; inoToFsbo is its index inside that block.
func (s *superblock) inoToFsba(ino uint32) int64 {
	cg := int64(ino / s.ipg)
	return s.cgimin(cg) + int64((ino%s.ipg)/s.inopb)<<s.fragsh
}
func (s *superblock) inoToFsbo(ino uint32) int { return int(ino % s.inopb) }

// cgNdblk is the number of fragments in cylinder group c (the last one
// may be short).
func (s *superblock) cgNdblk(c int64) int64 {
	end := s.cgbase(c) + int64(s.fpg)
	if end > s.size {
		end = s.size
	}
	return end - s.cgbase(c)
}

// cgsizeFor is the CGSIZE macro for fugu's layout (cpg = 1, nrpos = 1,
// no cluster maps).
func cgsizeFor(ipg, fpg int64) int64 {
	// base cg + int32, blktot (cpg int32s), blks (cpg*nrpos int16s),
	// inode map, fragment map.
	return sizeofCg + 4 + 1*4 + 1*1*2 + howmany(ipg, 8) + howmany(fpg, 8)
}

func howmany(x, y int64) int64 { return (x + y - 1) / y }
func roundup(x, y int64) int64 { return howmany(x, y) * y }

func ilog2(v int64) int32 {
	for n := int32(0); n < 63; n++ {
		if int64(1)<<n == v {
			return n
		}
	}
	return -1
}

func isPow2(v int64) bool { return v > 0 && v&(v-1) == 0 }

// maxFileSize is fs_maxfilesize as mkfs.c computes it.
func maxFileSize(bsize, nindir int64) uint64 {
	m := uint64(bsize)*nDAddr - 1
	per := uint64(bsize)
	for i := 0; i < nIAddr; i++ {
		if per > math.MaxUint64/uint64(nindir) {
			return math.MaxUint64
		}
		per *= uint64(nindir)
		m += per
	}
	return m
}
