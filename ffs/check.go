package ffs

import (
	"errors"
	"fmt"
	"io"
)

// Check verifies the file system the way fsck_ffs's passes do, without
// changing anything: the superblock and its copies in every cylinder
// group, each cylinder group header, every inode in use and its block
// pointers (inside the data area, no block claimed twice, di_blocks
// right, nothing past the end of file), symbolic link targets (1 to
// PATH_MAX-1 bytes, no NUL: stricter than fsck_ffs, as strict as
// symlink(2) and the reader), the directory tree (., .. and
// d_type, link counts, no loops, no unreachable inodes), and that the
// inode and fragment bitmaps, cg_cs, cg_frsum, the FFS1 rotational
// tables, the cluster maps (when fs_contigsumsize > 0), the summary
// area and fs_cstotal all agree with what the inodes use. It returns
// nil or an error listing up to 50 problems.
func (f *FS) Check() error {
	c := &checker{f: f, sb: f.sb}
	c.run()
	if len(c.problems) == 0 {
		return nil
	}
	return &CheckError{Problems: c.problems, More: c.more}
}

// CheckError is the list of problems Check found.
type CheckError struct {
	Problems []string
	More     int // problems found beyond those listed
}

func (e *CheckError) Error() string {
	s := fmt.Sprintf("ffs check: %d problem(s)", len(e.Problems)+e.More)
	for _, p := range e.Problems {
		s += "\n  " + p
	}
	if e.More > 0 {
		s += fmt.Sprintf("\n  ... and %d more", e.More)
	}
	return s
}

const maxProblems = 50

type checker struct {
	f        *FS
	sb       *superblock
	problems []string
	more     int
	used     []byte // fragments claimed by metadata or inodes
	inodes   []inodeState
	cgs      [][]byte
	fatal    bool
}

type inodeState struct {
	mode  uint16
	nlink int16
	refs  int32 // directory entries naming it
	seen  bool  // reached as a directory
}

func (c *checker) bad(format string, args ...any) {
	if len(c.problems) >= maxProblems {
		c.more++
		return
	}
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *checker) read(b []byte, off int64) bool {
	if _, err := c.f.r.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		c.bad("read at %d: %v", off, err)
		c.fatal = true
		return false
	}
	return true
}

func (c *checker) run() {
	c.checkSuper()
	if c.fatal {
		return
	}
	c.used = make([]byte, howmany(c.sb.size, 8))
	c.markMetadata()
	c.readCGs()
	if c.fatal {
		return
	}
	c.checkInodes()
	if c.fatal {
		return
	}
	c.checkTree()
	c.checkMaps()
}

// checkSuper checks the derived superblock fields and the copies.
func (c *checker) checkSuper() {
	s := c.sb
	fsize := int64(s.fsize)
	if s.sbsize <= 0 || s.sbsize > sbSize {
		c.bad("superblock: fs_sbsize %d", s.sbsize)
	}
	if want := roundup(int64(s.ncg)*sizeofCsum, fsize); int64(s.cssize) != want {
		c.bad("superblock: fs_cssize %d, want %d", s.cssize, want)
	}
	if s.csaddr != s.cgdmin(0) {
		c.bad("superblock: fs_csaddr %d, want cgdmin(0) = %d", s.csaddr, s.cgdmin(0))
	}
	if s.sblkno%s.frag != 0 || s.cblkno%s.frag != 0 || s.iblkno%s.frag != 0 || s.dblkno%s.frag != 0 {
		c.bad("superblock: cylinder group offsets %d/%d/%d/%d not block aligned", s.sblkno, s.cblkno, s.iblkno, s.dblkno)
	}
	if int64(s.sblkno)*fsize < s.sblkloc+sbSize {
		c.bad("superblock: cg superblock copy at fragment %d overlaps the superblock at byte %d", s.sblkno, s.sblkloc)
	}
	csfrags := howmany(int64(s.cssize), fsize)
	if want := s.size - int64(s.sblkno) - int64(s.ncg)*int64(s.dblkno-s.sblkno) - csfrags; s.dsize != want {
		c.bad("superblock: fs_dsize %d, want %d", s.dsize, want)
	}
	if want := maxFileSize(int64(s.bsize), int64(s.nindir)); s.maxfile != want {
		c.bad("superblock: fs_maxfilesize %d, want %d", s.maxfile, want)
	}
	want := int32(maxSymlink1)
	if s.format == FFS2 {
		want = maxSymlink2
	}
	if s.maxsym != want {
		c.bad("superblock: fs_maxsymlinklen %d, want %d", s.maxsym, want)
	}
	if s.inodefmt != fs44InodeFmt {
		c.bad("superblock: fs_inodefmt %d, want %d", s.inodefmt, fs44InodeFmt)
	}
	if s.clean != fsIsClean {
		c.bad("superblock: fs_clean %d (not clean)", s.clean)
	}
	if int64(s.cgsize) < cgMapEnd(s) {
		c.bad("superblock: fs_cgsize %d too small for the maps", s.cgsize)
	}
	b := make([]byte, sbSize)
	for cg := int64(0); cg < int64(s.ncg); cg++ {
		if !c.read(b, s.cgsblock(cg)*fsize) {
			return
		}
		alt, err := unmarshalSuperblock(b, s.cgsblock(cg)*fsize)
		if err != nil {
			c.bad("cg %d: superblock copy: %v", cg, err)
			continue
		}
		type pair struct {
			name string
			a, b int64
		}
		for _, p := range []pair{
			{"fs_magic", int64(alt.magic), int64(s.magic)}, {"fs_sblkno", int64(alt.sblkno), int64(s.sblkno)},
			{"fs_cblkno", int64(alt.cblkno), int64(s.cblkno)}, {"fs_iblkno", int64(alt.iblkno), int64(s.iblkno)},
			{"fs_dblkno", int64(alt.dblkno), int64(s.dblkno)}, {"fs_ncg", int64(alt.ncg), int64(s.ncg)},
			{"fs_bsize", int64(alt.bsize), int64(s.bsize)}, {"fs_fsize", int64(alt.fsize), int64(s.fsize)},
			{"fs_frag", int64(alt.frag), int64(s.frag)}, {"fs_fpg", int64(alt.fpg), int64(s.fpg)},
			{"fs_ipg", int64(alt.ipg), int64(s.ipg)}, {"fs_cssize", int64(alt.cssize), int64(s.cssize)},
			{"fs_nindir", int64(alt.nindir), int64(s.nindir)}, {"fs_inopb", int64(alt.inopb), int64(s.inopb)},
			{"fs_size", alt.size, s.size}, {"fs_sbsize", int64(alt.sbsize), int64(s.sbsize)},
		} {
			if p.a != p.b {
				c.bad("cg %d: superblock copy has %s %d, primary %d", cg, p.name, p.a, p.b)
			}
		}
	}
}

// cgMapEnd is where the cylinder group maps end for the image's format.
func cgMapEnd(s *superblock) int64 {
	n := int64(sizeofCg)
	if s.format == FFS1 {
		n += int64(s.cpg)*4 + int64(s.cpg)*int64(s.nrpos)*2
	}
	n += howmany(int64(s.ipg), 8) + howmany(int64(s.fpg), 8)
	if s.contig > 0 {
		n += int64(s.contig)*4 + howmany(int64(s.fpg)/int64(s.frag), 8)
	}
	return n
}

func (c *checker) isUsed(a int64) bool { return c.used[a>>3]&(1<<(a&7)) != 0 }
func (c *checker) setUsed(a int64)     { c.used[a>>3] |= 1 << (a & 7) }

// markMetadata marks the boot area, superblock copies, cg blocks, inode
// tables and the summary area as used.
func (c *checker) markMetadata() {
	s := c.sb
	csfrags := howmany(int64(s.cssize), int64(s.fsize))
	for cg := int64(0); cg < int64(s.ncg); cg++ {
		from := s.cgsblock(cg)
		if cg == 0 {
			from = 0
		}
		to := s.cgdmin(cg)
		if cg == 0 {
			to += csfrags
		}
		for a := from; a < to && a < s.size; a++ {
			c.setUsed(a)
		}
	}
}

// cgHeader is the part of struct cg the checker reads.
type cgHeader struct {
	b                                    []byte
	cs                                   csum
	frsum                                [maxFrag]int64
	btotoff, boff, iusedoff, freeoff     int64
	nextfreeoff, clsumoff, clusteroff    int64
	nclusterblks, initediblk, ndblk, cgx int64
}

func (c *checker) readCGs() {
	s := c.sb
	c.cgs = make([][]byte, s.ncg)
	for cg := int64(0); cg < int64(s.ncg); cg++ {
		b := make([]byte, s.cgsize)
		if !c.read(b, s.cgtod(cg)*int64(s.fsize)) {
			return
		}
		c.cgs[cg] = b
		h := parseCG(b)
		if le.Uint32(b[cgOffMagic:]) != cgMagic {
			c.bad("cg %d: bad magic %#x", cg, le.Uint32(b[cgOffMagic:]))
			c.fatal = true
			return
		}
		if h.cgx != cg {
			c.bad("cg %d: cg_cgx %d", cg, h.cgx)
		}
		if h.ndblk != s.cgNdblk(cg) {
			c.bad("cg %d: cg_ndblk %d, want %d", cg, h.ndblk, s.cgNdblk(cg))
		}
		size := int64(s.cgsize)
		inRange := func(name string, off, n int64) bool {
			if off < sizeofCg || off+n > size {
				c.bad("cg %d: %s %d (+%d) outside the %d-byte cg block", cg, name, off, n, size)
				c.fatal = true
				return false
			}
			return true
		}
		if !inRange("cg_iusedoff", h.iusedoff, howmany(int64(s.ipg), 8)) ||
			!inRange("cg_freeoff", h.freeoff, howmany(int64(s.fpg), 8)) {
			return
		}
		if h.freeoff != h.iusedoff+howmany(int64(s.ipg), 8) {
			c.bad("cg %d: cg_freeoff %d, want %d", cg, h.freeoff, h.iusedoff+howmany(int64(s.ipg), 8))
		}
		if s.format == FFS1 {
			if int64(int16(le.Uint16(b[cgOffNiblk:]))) != int64(int16(s.ipg)) {
				c.bad("cg %d: cg_niblk %d, want %d", cg, int16(le.Uint16(b[cgOffNiblk:])), s.ipg)
			}
			if !inRange("cg_btotoff", h.btotoff, int64(s.cpg)*4) || !inRange("cg_boff", h.boff, int64(s.cpg)*int64(max(s.nrpos, 1))*2) {
				return
			}
		} else {
			if n := int64(le.Uint32(b[cgOffFfs2Niblk:])); n != int64(s.ipg) {
				c.bad("cg %d: cg_niblk %d, want %d", cg, n, s.ipg)
			}
			if h.initediblk > int64(s.ipg) || h.initediblk%int64(s.inopb) != 0 && h.initediblk != int64(s.ipg) {
				c.bad("cg %d: cg_initediblk %d (ipg %d)", cg, h.initediblk, s.ipg)
				c.fatal = true
				return
			}
		}
		if s.contig > 0 {
			if !inRange("cg_clustersumoff", h.clsumoff, int64(s.contig+1)*4) ||
				!inRange("cg_clusteroff", h.clusteroff, howmany(h.nclusterblks, 8)) {
				return
			}
			if h.nclusterblks != h.ndblk/int64(s.frag) {
				c.bad("cg %d: cg_nclusterblks %d, want %d", cg, h.nclusterblks, h.ndblk/int64(s.frag))
			}
		}
	}
}

func parseCG(b []byte) cgHeader {
	u := func(off int) int64 { return int64(le.Uint32(b[off:])) }
	h := cgHeader{b: b, cgx: u(cgOffCgx), ndblk: u(cgOffNdblk),
		cs:      csum{u(cgOffCs), u(cgOffCs + 4), u(cgOffCs + 8), u(cgOffCs + 12)},
		btotoff: u(cgOffBtotoff), boff: u(cgOffBoff), iusedoff: u(cgOffIusedoff), freeoff: u(cgOffFreeoff),
		nextfreeoff: u(cgOffNextfreeoff), clsumoff: u(cgOffClustersum), clusteroff: u(cgOffClusteroff),
		nclusterblks: u(cgOffNclusterblks), initediblk: u(cgOffInitediblk)}
	for i := range h.frsum {
		h.frsum[i] = u(cgOffFrsum + 4*i)
	}
	return h
}

// checkInodes reads every initialized inode, checks the allocated ones
// and claims their blocks.
func (c *checker) checkInodes() {
	s := c.sb
	isz := int64(s.inodeSize())
	c.inodes = make([]inodeState, int64(s.ncg)*int64(s.ipg))
	buf := make([]byte, s.bsize)
	for cg := int64(0); cg < int64(s.ncg); cg++ {
		h := parseCG(c.cgs[cg])
		limit := int64(s.ipg)
		if s.format == FFS2 {
			limit = h.initediblk
		}
		for i := int64(0); i < limit; i += int64(s.inopb) {
			if !c.read(buf, (s.cgimin(cg)+(i/int64(s.inopb))*int64(s.frag))*int64(s.fsize)) {
				return
			}
			for j := int64(0); j < int64(s.inopb) && i+j < limit; j++ {
				ino := uint32(cg*int64(s.ipg) + i + j)
				d := getDinode(buf[j*isz:(j+1)*isz], s.format)
				if d.mode == 0 || ino < rootIno {
					continue
				}
				c.inodes[ino] = inodeState{mode: d.mode, nlink: d.nlink}
				c.checkInode(ino, &d)
			}
		}
	}
}

func (c *checker) checkInode(ino uint32, d *dinode) {
	if d.mode&ifmt == iflnk {
		// Once its blocks are sound, the target must be one the reader
		// takes (see linkTarget).
		before := len(c.problems) + c.more
		defer func() {
			if len(c.problems)+c.more == before && !c.fatal {
				if _, err := c.f.linkTarget(d, fmt.Sprintf("inode %d", ino)); err != nil {
					c.bad("%v", err)
				}
			}
		}()
	}
	c.checkInodeBlocks(ino, d)
}

// checkInodeBlocks checks an inode's type, size and block pointers and
// claims its blocks.
func (c *checker) checkInodeBlocks(ino uint32, d *dinode) {
	s := c.sb
	if _, ok := goMode(d.mode); !ok {
		c.bad("inode %d: unknown type %#o", ino, d.mode&ifmt)
		return
	}
	if d.nlink <= 0 {
		c.bad("inode %d: link count %d", ino, d.nlink)
	}
	if d.size > s.maxfile {
		c.bad("inode %d: size %d beyond fs_maxfilesize %d", ino, d.size, s.maxfile)
		return
	}
	t := d.mode & ifmt
	switch {
	case t == ifchr || t == ifblk || t == ififo || t == ifsock:
		if d.size != 0 || d.blocks != 0 {
			c.bad("inode %d: %#o with size %d, blocks %d", ino, t, d.size, d.blocks)
		}
		if t == ififo || t == ifsock {
			c.checkNoPointers(ino, d, 0)
		} else {
			c.checkNoPointers(ino, d, 1)
		}
		return
	case t == iflnk && int64(d.size) < int64(s.maxsym):
		if d.blocks != 0 {
			c.bad("inode %d: short symlink with %d blocks", ino, d.blocks)
		}
		return
	case t == ifdir && (d.size == 0 || d.size%dirBlkSiz != 0):
		c.bad("inode %d: directory size %d not a positive multiple of %d", ino, d.size, dirBlkSiz)
	}
	bsize, fsize, frag := int64(s.bsize), int64(s.fsize), int64(s.frag)
	size := int64(d.size)
	nblk := howmany(size, bsize)
	var frags int64
	claim := func(a, n int64, what string) bool {
		if a < 0 || a+n > s.size {
			c.bad("inode %d: %s: block pointer %d past the end", ino, what, a)
			return false
		}
		if a%frag+n > frag {
			c.bad("inode %d: %s: %d fragments at %d cross a block boundary", ino, what, n, a)
			return false
		}
		for k := a; k < a+n; k++ {
			if c.isUsed(k) {
				c.bad("inode %d: %s: fragment %d already in use (duplicate or metadata)", ino, what, k)
				return false
			}
			c.setUsed(k)
		}
		frags += n
		return true
	}
	dataFrags := func(lbn int64) int64 {
		if lbn >= nDAddr || size >= (lbn+1)*bsize {
			return frag
		}
		return howmany(size%bsize, fsize)
	}
	for lbn := int64(0); lbn < nDAddr; lbn++ {
		a := d.db[lbn]
		switch {
		case lbn >= nblk && a != 0:
			c.bad("inode %d: direct pointer %d set past the end of file", ino, lbn)
		case a == 0 && lbn < nblk && t == ifdir:
			c.bad("inode %d: hole in directory at block %d", ino, lbn)
		case a != 0:
			claim(a, dataFrags(lbn), fmt.Sprintf("block %d", lbn))
		}
	}
	n := int64(s.nindir)
	spans := []int64{n, n * n, n * n * n}
	first := int64(nDAddr)
	for lvl := 0; lvl < nIAddr; lvl++ {
		a := d.ib[lvl]
		if first >= nblk {
			if a != 0 {
				c.bad("inode %d: indirect pointer %d set past the end of file", ino, lvl)
			}
		} else if a != 0 {
			c.walkIndirect(ino, a, lvl+1, first, nblk, t == ifdir, claim)
		} else if t == ifdir {
			c.bad("inode %d: hole in directory at block %d", ino, first)
		}
		first += spans[lvl]
		if c.fatal {
			return
		}
	}
	if want := uint64(frags * fsize / devBSize); d.blocks != want {
		c.bad("inode %d: di_blocks %d, blocks held %d", ino, d.blocks, want)
	}
}

// checkNoPointers reports block pointers set in an inode without data;
// skip leading pointers are an overlay (di_rdev).
func (c *checker) checkNoPointers(ino uint32, d *dinode, skip int) {
	for i := skip; i < nDAddr; i++ {
		if d.db[i] != 0 {
			c.bad("inode %d: block pointer %d set in an inode without data", ino, i)
			return
		}
	}
	for _, a := range d.ib {
		if a != 0 {
			c.bad("inode %d: indirect pointer set in an inode without data", ino)
			return
		}
	}
}

// walkIndirect claims an indirect block of the given level that maps
// data blocks from lbn first, and everything under it.
func (c *checker) walkIndirect(ino uint32, a int64, level int, first, nblk int64, dir bool, claim func(a, n int64, what string) bool) {
	s := c.sb
	if !claim(a, int64(s.frag), fmt.Sprintf("level %d indirect block", level)) {
		return
	}
	b := make([]byte, s.bsize)
	if !c.read(b, a*int64(s.fsize)) {
		return
	}
	n := int64(s.nindir)
	span := int64(1)
	for i := 1; i < level; i++ {
		span *= n
	}
	for i := int64(0); i < n; i++ {
		var p int64
		if s.format == FFS1 {
			p = int64(int32(le.Uint32(b[4*i:])))
		} else {
			p = int64(le.Uint64(b[8*i:]))
		}
		lbn := first + i*span
		switch {
		case lbn >= nblk && p != 0:
			c.bad("inode %d: indirect block %d entry %d set past the end of file", ino, a, i)
			return
		case p == 0 && lbn < nblk && dir:
			c.bad("inode %d: hole in directory at block %d", ino, lbn)
		case p == 0:
		case level == 1:
			claim(p, int64(s.frag), fmt.Sprintf("block %d", lbn))
		default:
			c.walkIndirect(ino, p, level-1, lbn, nblk, dir, claim)
		}
		if c.fatal {
			return
		}
	}
}

// checkTree walks the directories from the root.
func (c *checker) checkTree() {
	root := &c.inodes[rootIno]
	if root.mode&ifmt != ifdir {
		c.bad("root inode %d is not a directory (mode %#o)", rootIno, root.mode)
		return
	}
	root.seen = true
	type dirRef struct{ ino, parent uint32 }
	queue := []dirRef{{rootIno, rootIno}}
	ndirs := 0
	for len(queue) > 0 {
		dr := queue[0]
		queue = queue[1:]
		ndirs++
		d, err := c.f.readInode(dr.ino)
		if err != nil {
			c.bad("directory inode %d: %v", dr.ino, err)
			continue
		}
		b, err := c.f.readAll(d, fmt.Sprintf("directory inode %d", dr.ino))
		if err != nil {
			c.bad("%v", err)
			continue
		}
		ents, err := decodeDir(b, c.f.ninode-1)
		if err != nil {
			c.bad("directory inode %d: %v", dr.ino, err)
			continue
		}
		if len(ents) < 2 || ents[0].name != "." || ents[0].ino != dr.ino {
			c.bad("directory inode %d: first entry is not \".\" naming itself", dr.ino)
		}
		if len(ents) < 2 || ents[1].name != ".." || ents[1].ino != dr.parent {
			c.bad("directory inode %d: second entry is not \"..\" naming its parent %d", dr.ino, dr.parent)
		}
		names := make(map[string]bool, len(ents))
		for i, e := range ents {
			if names[e.name] {
				c.bad("directory inode %d: name %q twice", dr.ino, e.name)
			}
			names[e.name] = true
			st := &c.inodes[e.ino]
			if st.mode == 0 {
				c.bad("directory inode %d: entry %q names unallocated inode %d", dr.ino, e.name, e.ino)
				continue
			}
			st.refs++
			if e.typ != dirType(st.mode) {
				c.bad("directory inode %d: entry %q has d_type %d, inode %d has type %d", dr.ino, e.name, e.typ, e.ino, dirType(st.mode))
			}
			if i < 2 || (e.name == "." || e.name == "..") {
				continue
			}
			if st.mode&ifmt == ifdir {
				if st.seen {
					c.bad("directory inode %d: entry %q links directory %d a second time (loop or hard-linked directory)", dr.ino, e.name, e.ino)
					continue
				}
				st.seen = true
				queue = append(queue, dirRef{e.ino, dr.ino})
			}
		}
		if ndirs > len(c.inodes) {
			c.bad("directory walk does not end")
			return
		}
	}
	for ino := range c.inodes {
		st := &c.inodes[ino]
		if st.mode == 0 {
			continue
		}
		if st.refs == 0 {
			c.bad("inode %d: allocated but not in any directory", ino)
			continue
		}
		if int32(st.nlink) != st.refs {
			c.bad("inode %d: link count %d, %d directory entries", ino, st.nlink, st.refs)
		}
	}
}

// checkMaps compares every cylinder group's maps and counts, the summary
// area and fs_cstotal with what the inodes use.
func (c *checker) checkMaps() {
	s := c.sb
	frag := int64(s.frag)
	var total csum
	sum := make([]byte, s.cssize)
	if !c.read(sum, s.csaddr*int64(s.fsize)) {
		return
	}
	for cg := int64(0); cg < int64(s.ncg); cg++ {
		h := parseCG(c.cgs[cg])
		b := h.b
		base := s.cgbase(cg)
		ndblk := s.cgNdblk(cg)
		// Inodes.
		var want csum
		want.nifree = int64(s.ipg)
		for i := int64(0); i < int64(s.ipg); i++ {
			ino := cg*int64(s.ipg) + i
			inUse := ino < rootIno || c.inodes[ino].mode != 0
			bit := b[h.iusedoff+i>>3]&(1<<(i&7)) != 0
			if inUse != bit {
				c.bad("cg %d: inode %d is %s but its bitmap bit is %v", cg, ino, map[bool]string{true: "in use", false: "free"}[inUse], bit)
			}
			if inUse {
				want.nifree--
				if c.inodes[ino].mode&ifmt == ifdir {
					want.ndir++
				}
			}
		}
		// Fragments.
		free := make([]byte, howmany(int64(s.fpg), 8))
		for i := int64(0); i < ndblk; i++ {
			if !c.isUsed(base + i) {
				free[i>>3] |= 1 << (i & 7)
			}
		}
		disk := b[h.freeoff : h.freeoff+int64(len(free))]
		for i := int64(0); i < int64(s.fpg); i++ {
			w, g := free[i>>3]&(1<<(i&7)) != 0, disk[i>>3]&(1<<(i&7)) != 0
			if w != g {
				c.bad("cg %d: fragment %d is %s but the free map says %s", cg, base+i,
					map[bool]string{true: "free", false: "in use"}[w], map[bool]string{true: "free", false: "in use"}[g])
				break
			}
		}
		var frsum [maxFrag]int64
		countFree(free, ndblk, frag, &want.nbfree, &want.nffree, &frsum)
		if h.cs != want {
			c.bad("cg %d: cg_cs %+v, want %+v", cg, h.cs, want)
		}
		if h.frsum != frsum {
			c.bad("cg %d: cg_frsum %v, want %v", cg, h.frsum, frsum)
		}
		if s.format == FFS1 && uint8(s.flags1)&fsFlagsUpdated == 0 {
			// With FS_FLAGS_UPDATED set (NetBSD's makefs sets it) the
			// rotational tables are not maintained.
			c.checkRotational(cg, h, free, ndblk)
		}
		if s.contig > 0 {
			c.checkClusters(cg, h, free, ndblk)
		}
		p := sum[cg*sizeofCsum:]
		got := csum{int64(le.Uint32(p)), int64(le.Uint32(p[4:])), int64(le.Uint32(p[8:])), int64(le.Uint32(p[12:]))}
		if got != want {
			c.bad("summary area: cg %d has %+v, want %+v", cg, got, want)
		}
		total.add(want)
	}
	if s.cstotal != total {
		c.bad("superblock: fs_cstotal %+v, want %+v", s.cstotal, total)
	}
	if s.format == FFS1 {
		// The kernel takes FFS1 totals from fs_ffs1_cstotal; a stale
		// 64-bit copy is harmless, but newfs keeps them equal.
		b := make([]byte, sbSize)
		if c.read(b, s.sblkloc) {
			g := func(off int) int64 { return int64(le.Uint64(b[off:])) }
			if c64 := (csum{g(offCstotal), g(offCstotal + 8), g(offCstotal + 16), g(offCstotal + 24)}); c64 != total && c64 != (csum{}) {
				c.bad("superblock: 64-bit fs_cstotal %+v, want %+v", c64, total)
			}
		}
	}
}

// checkRotational checks the FFS1 per-cylinder free block counts
// (cg_blktot) and per-position counts (cg_blks), as fsck_ffs pass5
// computes them with cbtocylno and cbtorpos.
func (c *checker) checkRotational(cg int64, h cgHeader, free []byte, ndblk int64) {
	s := c.sb
	frag := int64(s.frag)
	cpg, nrpos := int64(s.cpg), int64(max(s.nrpos, 1))
	btot := make([]int64, cpg)
	blks := make([]int64, cpg*nrpos)
	for d := int64(0); d+frag <= ndblk; d += frag {
		full := true
		for i := d; i < d+frag; i++ {
			if free[i>>3]&(1<<(i&7)) == 0 {
				full = false
				break
			}
		}
		if !full {
			continue
		}
		cyl := int64(0)
		if s.spc > 0 {
			cyl = (d << s.fsbtodb) / int64(s.spc)
		}
		if cyl >= cpg {
			c.bad("cg %d: block %d on cylinder %d of %d", cg, d, cyl, cpg)
			return
		}
		rpos := int64(0)
		if nrpos > 1 && s.nsect > 0 && s.npsect > 0 {
			db := d << s.fsbtodb
			rpos = (db%int64(s.spc)/int64(s.nsect)*0 + db%int64(s.spc)%int64(s.nsect)*int64(s.interlv)) %
				int64(s.nsect) * nrpos / int64(s.npsect)
		}
		btot[cyl]++
		blks[cyl*nrpos+rpos]++
	}
	b := h.b
	for i := int64(0); i < cpg; i++ {
		if got := int64(int32(le.Uint32(b[h.btotoff+4*i:]))); got != btot[i] {
			c.bad("cg %d: cg_blktot[%d] %d, want %d", cg, i, got, btot[i])
		}
	}
	for i := int64(0); i < cpg*nrpos; i++ {
		if got := int64(int16(le.Uint16(b[h.boff+2*i:]))); got != int64(int16(blks[i])) {
			c.bad("cg %d: cg_blks[%d] %d, want %d", cg, i, got, int16(blks[i]))
		}
	}
}

// checkClusters checks the free cluster map and cluster run counts.
func (c *checker) checkClusters(cg int64, h cgHeader, free []byte, ndblk int64) {
	s := c.sb
	frag := int64(s.frag)
	b := h.b
	sum := make([]int64, s.contig+1)
	run := int64(0)
	for blk := int64(0); blk < h.nclusterblks; blk++ {
		full := true
		for i := blk * frag; i < (blk+1)*frag; i++ {
			if i >= ndblk || free[i>>3]&(1<<(i&7)) == 0 {
				full = false
				break
			}
		}
		if got := b[h.clusteroff+blk>>3]&(1<<(blk&7)) != 0; got != full {
			c.bad("cg %d: cluster map bit for block %d is %v, want %v", cg, blk, got, full)
			return
		}
		if full {
			run++
		} else if run > 0 {
			sum[min(run, int64(s.contig))]++
			run = 0
		}
	}
	if run > 0 {
		sum[min(run, int64(s.contig))]++
	}
	for i := int64(1); i <= int64(s.contig); i++ {
		if got := int64(int32(le.Uint32(b[h.clsumoff+4*i:]))); got != sum[i] {
			c.bad("cg %d: cg_clustersum[%d] %d, want %d", cg, i, got, sum[i])
		}
	}
}
