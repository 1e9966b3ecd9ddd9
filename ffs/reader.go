package ffs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// FS is an FFS1 or FFS2 image opened for reading. It implements fs.FS,
// fs.StatFS, fs.ReadDirFS, fs.ReadFileFS and fs.ReadLinkFS; Open and
// Stat follow symbolic links (absolute targets resolve from the image
// root), Lstat and ReadLink do not. It is safe for concurrent use if the
// underlying io.ReaderAt is.
//
// FFS names are bytes (anything but '/' and NUL), but io/fs paths must
// be UTF-8 (fs.ValidPath). So FS's ReadDir leaves out names that are
// not UTF-8 and says so with an error wrapping ErrNameNotUTF8, after
// the entries it lists (fs.WalkDir passes it to its function and, if
// that returns nil, goes on). RawNames gives a view that takes and
// lists every name as it is.
type FS struct {
	*volume
	raw bool // byte paths (RawNames)
}

// ErrNameNotUTF8 is wrapped by the error ReadDir returns when it leaves
// out names that are not UTF-8.
var ErrNameNotUTF8 = errors.New("names that are not UTF-8 left out (FS.RawNames lists them)")

// RawNames returns a view of the same image whose methods (Open, Stat,
// Lstat, ReadDir, ReadFile, ReadLink, Walk) take paths made of any
// bytes but NUL, with no empty, "." or ".." elements (fs.ValidPath
// without its UTF-8 rule), and whose ReadDir lists every name. It still
// satisfies the io/fs interfaces, so fs.WalkDir over it visits every
// file, but it accepts names io/fs says an FS should reject.
func (f *FS) RawNames() *FS { return &FS{volume: f.volume, raw: true} }

// volume is the image an FS and its RawNames view share.
type volume struct {
	r      io.ReaderAt
	closer io.Closer
	size   int64
	sb     *superblock
	ninode uint32 // ncg * ipg

	mu      sync.Mutex
	dirs    map[uint32][]dirent // decoded directories
	dirEnts int
}

// Inode is the FileInfo.Sys of files in an FS: the on-disk inode.
type Inode struct {
	Ino      uint32
	Mode     uint16 // di_mode: type and permission bits
	Nlink    int
	UID, GID uint32
	Size     int64
	Blocks   int64 // 512-byte units held
	Atime    time.Time
	Mtime    time.Time
	Ctime    time.Time
	Flags    uint32
	Gen      uint32
	Rdev     uint32 // device nodes: OpenBSD dev_t (see Major, Minor)
}

// Open reads the superblock of the image held in r, whose size is size
// bytes; for a file system inside a disk image pass an
// io.NewSectionReader of its partition. It tries the superblock
// locations the kernel does (fs.h SBLOCKSEARCH: 65536, 8192, 262144;
// an FFS1 superblock at 65536 is skipped, ffs_vfsops.c) and checks the
// geometry, so a corrupt image fails here or with an error later, never
// with a panic.
func Open(r io.ReaderAt, size int64) (*FS, error) {
	var firstErr error
	for _, loc := range []int64{sblockUFS2, sblockUFS1, sblockPig} {
		if loc+sbSize > size {
			if firstErr == nil {
				firstErr = fmt.Errorf("image of %d bytes is too small for a superblock at %d", size, loc)
			}
			continue
		}
		b := make([]byte, sbSize)
		if _, err := r.ReadAt(b, loc); err != nil {
			return nil, fmt.Errorf("reading superblock at %d: %w", loc, err)
		}
		sb, err := unmarshalSuperblock(b, loc)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if sb.format == FFS1 && loc == sblockUFS2 {
			continue
		}
		if err := sb.validate(size); err != nil {
			return nil, fmt.Errorf("superblock at %d: %w", loc, err)
		}
		return &FS{volume: &volume{r: r, size: size, sb: sb, ninode: sb.ncg * sb.ipg, dirs: map[uint32][]dirent{}}}, nil
	}
	return nil, fmt.Errorf("no FFS superblock found: %w", firstErr)
}

// OpenFile opens the image file (or device) name; Close closes it.
func OpenFile(name string) (*FS, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	// Seeking to the end also gives a block device's size, where Stat
	// says 0.
	size, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		f.Close()
		return nil, err
	}
	fsys, err := Open(f, size)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	fsys.closer = f
	return fsys, nil
}

// Close closes the image file if OpenFile opened it.
func (f *FS) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// Format reports FFS1 or FFS2.
func (f *FS) Format() Format { return f.sb.format }

// Info returns the layout figures of the file system.
func (f *FS) Info() Info {
	s := f.sb
	return Info{
		Format: s.format, Size: s.size * int64(s.fsize), BlockSize: int(s.bsize), FragSize: int(s.fsize),
		CylinderGroups: int(s.ncg), FragsPerGroup: int(s.fpg), InodesPerGroup: int(s.ipg), MinFree: int(s.minfree),
		Inodes: int64(s.ncg)*int64(s.ipg) - s.cstotal.nifree, Directories: s.cstotal.ndir,
		FreeFrags: s.cstotal.nbfree*int64(s.frag) + s.cstotal.nffree, DataFrags: s.dsize, SuperblockOffset: s.sblkloc,
	}
}

// maxFile is the largest file size the reader takes: fs_maxfilesize,
// and no more than the block size and pointers allow if the field is
// damaged.
func (f *FS) maxFile() uint64 {
	return min(f.sb.maxfile, maxFileSize(int64(f.sb.bsize), int64(f.sb.nindir)))
}

// validate checks the superblock fields the reader relies on, so that
// every address computed from them stays inside the image.
func (s *superblock) validate(imgSize int64) error {
	bad := func(format string, args ...any) error { return fmt.Errorf(format, args...) }
	switch {
	case !isPow2(int64(s.bsize)) || s.bsize < minBSize || s.bsize > maxBSize:
		return bad("bad block size %d", s.bsize)
	case !isPow2(int64(s.fsize)) || s.fsize < devBSize || s.fsize > s.bsize:
		return bad("bad fragment size %d for block size %d", s.fsize, s.bsize)
	case s.bsize/s.fsize > maxFrag || s.frag != s.bsize/s.fsize:
		return bad("bad fragments per block %d (block %d, fragment %d)", s.frag, s.bsize, s.fsize)
	case s.bshift != ilog2(int64(s.bsize)) || s.fshift != ilog2(int64(s.fsize)) || s.fragsh != ilog2(int64(s.frag)):
		return bad("block, fragment or fragment-per-block shifts %d/%d/%d disagree with sizes", s.bshift, s.fshift, s.fragsh)
	case s.fsbtodb != ilog2(int64(s.fsize/devBSize)):
		return bad("bad fsbtodb %d", s.fsbtodb)
	case s.ncg == 0:
		return bad("no cylinder groups")
	case s.fpg <= 0 || s.fpg%s.frag != 0:
		return bad("bad fragments per group %d", s.fpg)
	case s.inopb != uint32(int(s.bsize)/s.inodeSize()):
		return bad("bad inodes per block %d", s.inopb)
	case s.ipg == 0 || s.ipg%s.inopb != 0:
		return bad("bad inodes per group %d", s.ipg)
	case uint64(s.ipg)*uint64(s.ncg) > 1<<32-1:
		return bad("more than 2^32 inodes")
	}
	ptr := int32(4)
	if s.format == FFS2 {
		ptr = 8
	}
	if s.nindir != s.bsize/ptr {
		return bad("bad pointers per indirect block %d", s.nindir)
	}
	inoFrags := int64(s.ipg) / s.inopf()
	switch {
	case s.sblkno < 0 || s.cblkno <= s.sblkno || s.iblkno <= s.cblkno || int64(s.dblkno) != int64(s.iblkno)+inoFrags:
		return bad("bad cylinder group layout (sblkno %d, cblkno %d, iblkno %d, dblkno %d)", s.sblkno, s.cblkno, s.iblkno, s.dblkno)
	case s.dblkno > s.fpg:
		return bad("inodes (up to fragment %d) do not fit a cylinder group of %d fragments", s.dblkno, s.fpg)
	case s.cgoffset != 0 && s.cgmask != 0xffffffff:
		return bad("cylinder group offset %d (rotational layout) is not supported", s.cgoffset)
	case s.size <= int64(s.ncg-1)*int64(s.fpg) || s.size > int64(s.ncg)*int64(s.fpg):
		return bad("size of %d fragments disagrees with %d cylinder groups of %d", s.size, s.ncg, s.fpg)
	case s.size-s.cgbase(int64(s.ncg)-1) < int64(s.dblkno):
		return bad("last cylinder group too small for its inodes")
	case s.cgsize <= 0 || s.cgsize > s.bsize:
		return bad("bad cylinder group size %d", s.cgsize)
	case s.maxsym <= 0 || s.maxsym > int32((nDAddr+nIAddr)*ptr):
		return bad("bad maximum short symlink length %d", s.maxsym)
	case s.csaddr < 0 || s.cssize < 0 || s.csaddr+howmany(int64(s.cssize), int64(s.fsize)) > s.size:
		return bad("summary area outside the file system")
	}
	if need := s.size * int64(s.fsize); need > imgSize {
		return fmt.Errorf("truncated image: the file system needs %d bytes, the image has %d", need, imgSize)
	}
	return nil
}

// readInode reads inode ino.
func (f *FS) readInode(ino uint32) (*dinode, error) {
	if ino == 0 || ino >= f.ninode {
		return nil, fmt.Errorf("inode %d out of range (file system has %d)", ino, f.ninode)
	}
	sb := f.sb
	isz := sb.inodeSize()
	off := sb.inoToFsba(ino)*int64(sb.fsize) + int64(sb.inoToFsbo(ino)*isz)
	b := make([]byte, isz)
	if _, err := f.r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("reading inode %d: %w", ino, err)
	}
	d := getDinode(b, sb.format)
	return &d, nil
}

// checkAddr checks a block pointer: a run of frags fragments at addr
// must lie inside the file system.
func (f *FS) checkAddr(addr, frags int64, what string) error {
	if addr < 0 || addr+frags > f.sb.size {
		return fmt.Errorf("%s: block pointer %d past the end of the file system (%d fragments)", what, addr, f.sb.size)
	}
	return nil
}

// blockMap translates logical blocks of an inode to fragment addresses,
// caching the indirect blocks it last read.
type blockMap struct {
	f     *FS
	d     *dinode
	what  string
	cache [nIAddr + 1]struct {
		addr int64
		ptrs []int64
	}
	blk    []byte // the data block last read for small reads
	blkLbn int64
}

func (f *FS) newBlockMap(d *dinode, what string) *blockMap {
	return &blockMap{f: f, d: d, what: what}
}

// indir returns the pointers of the indirect block at addr (level is
// the cache slot).
func (m *blockMap) indir(addr int64, level int) ([]int64, error) {
	c := &m.cache[level]
	if c.ptrs != nil && c.addr == addr {
		return c.ptrs, nil
	}
	sb := m.f.sb
	if err := m.f.checkAddr(addr, int64(sb.frag), m.what); err != nil {
		return nil, err
	}
	b := make([]byte, sb.bsize)
	if _, err := m.f.r.ReadAt(b, addr*int64(sb.fsize)); err != nil {
		return nil, fmt.Errorf("%s: reading indirect block %d: %w", m.what, addr, err)
	}
	ptrs := make([]int64, sb.nindir)
	for i := range ptrs {
		if sb.format == FFS1 {
			ptrs[i] = int64(int32(le.Uint32(b[4*i:])))
		} else {
			ptrs[i] = int64(le.Uint64(b[8*i:]))
		}
	}
	c.addr, c.ptrs = addr, ptrs
	return ptrs, nil
}

// addr returns the fragment address of logical block lbn (0: a hole).
func (m *blockMap) addr(lbn int64) (int64, error) {
	if lbn < nDAddr {
		return m.d.db[lbn], nil
	}
	n := int64(m.f.sb.nindir)
	lbn -= nDAddr
	var root int64
	var levels int
	switch {
	case lbn < n:
		root, levels = m.d.ib[0], 1
	case lbn-n < n*n:
		root, levels, lbn = m.d.ib[1], 2, lbn-n
	default:
		lbn -= n + n*n
		if lbn >= n*n*n {
			return 0, fmt.Errorf("%s: block %d beyond triple indirect", m.what, lbn)
		}
		root, levels = m.d.ib[2], 3
	}
	a := root
	for l := levels; l >= 1; l-- {
		if a == 0 {
			return 0, nil
		}
		ptrs, err := m.indir(a, l)
		if err != nil {
			return 0, err
		}
		div := int64(1)
		for i := 1; i < l; i++ {
			div *= n
		}
		a = ptrs[lbn/div%n]
	}
	return a, nil
}

// readAt reads len(p) bytes of an inode's data at off (within its size).
// Holes read as zeros; contiguous blocks are read in one call.
func (m *blockMap) readAt(p []byte, off int64) error {
	if int64(len(p)) < int64(m.f.sb.bsize)/4 {
		return m.readSmall(p, off)
	}
	return m.readDirect(p, off)
}

func (m *blockMap) readDirect(p []byte, off int64) error {
	sb := m.f.sb
	bsize, fsize := int64(sb.bsize), int64(sb.fsize)
	for len(p) > 0 {
		lbn, boff := off/bsize, off%bsize
		a, err := m.addr(lbn)
		if err != nil {
			return err
		}
		// Extend over following blocks that are contiguous on disk.
		k := min(int64(len(p)), bsize-boff)
		for a != 0 && k < int64(len(p)) {
			b, err := m.addr(lbn + 1)
			if err != nil || b != a+int64(sb.frag)*(lbn+1-off/bsize) {
				break
			}
			lbn++
			k = min(int64(len(p)), k+bsize)
		}
		if a == 0 {
			clear(p[:k])
		} else {
			frags := howmany(boff+k, fsize)
			if err := m.f.checkAddr(a, frags, m.what); err != nil {
				return err
			}
			if _, err := m.f.r.ReadAt(p[:k], a*fsize+boff); err != nil {
				return fmt.Errorf("%s: reading block %d: %w", m.what, a, err)
			}
		}
		p = p[k:]
		off += k
	}
	return nil
}

// readSmall serves small reads from a one-block cache, so reading a
// file a few bytes at a time does not cost a system call per read.
func (m *blockMap) readSmall(p []byte, off int64) error {
	sb := m.f.sb
	bsize := int64(sb.bsize)
	for len(p) > 0 {
		lbn, boff := off/bsize, off%bsize
		if m.blk == nil || m.blkLbn != lbn {
			if m.blk == nil {
				m.blk = make([]byte, bsize)
			}
			// Only the bytes inside the file: the last block may be a
			// run of fragments at the very end of the file system.
			n := min(bsize, int64(m.d.size)-lbn*bsize)
			m.blkLbn = -1
			if err := m.readDirect(m.blk[:n], lbn*bsize); err != nil {
				return err
			}
			m.blkLbn = lbn
		}
		k := copy(p, m.blk[boff:min(bsize, int64(m.d.size)-lbn*bsize)])
		if k == 0 {
			return fmt.Errorf("%s: read past the end of file", m.what)
		}
		p = p[k:]
		off += int64(k)
	}
	return nil
}

// readAll reads an inode's whole data, for directories and symlinks.
// Holes are errors here: neither may have them.
func (f *FS) readAll(d *dinode, what string) ([]byte, error) {
	if d.size > uint64(f.sb.size)*uint64(f.sb.fsize) {
		return nil, fmt.Errorf("%s: size %d larger than the file system", what, d.size)
	}
	b := make([]byte, d.size)
	m := f.newBlockMap(d, what)
	bsize := int64(f.sb.bsize)
	for lbn := int64(0); lbn*bsize < int64(d.size); lbn++ {
		a, err := m.addr(lbn)
		if err != nil {
			return nil, err
		}
		if a == 0 {
			return nil, fmt.Errorf("%s: hole at block %d", what, lbn)
		}
	}
	if err := m.readAt(b, 0); err != nil {
		return nil, err
	}
	return b, nil
}

// readDir returns the entries of directory inode ino, cached.
func (f *FS) readDir(ino uint32, d *dinode, what string) ([]dirent, error) {
	f.mu.Lock()
	ents, ok := f.dirs[ino]
	f.mu.Unlock()
	if ok {
		return ents, nil
	}
	b, err := f.readAll(d, what)
	if err != nil {
		return nil, err
	}
	ents, err = decodeDir(b, f.ninode-1)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	f.mu.Lock()
	if f.dirEnts+len(ents) > 1<<20 {
		clear(f.dirs)
		f.dirEnts = 0
	}
	f.dirs[ino] = ents
	f.dirEnts += len(ents)
	f.mu.Unlock()
	return ents, nil
}

// linkTarget returns a symlink's target.
// It refuses what OpenBSD's symlink(2) could not have made: an empty
// target (ENOENT), one of PATH_MAX bytes or more (ENAMETOOLONG; namei
// could not follow it either), or one with a NUL, which ends a path.
// Check reports the same.
func (f *FS) linkTarget(d *dinode, what string) (string, error) {
	if d.size == 0 || d.size >= maxPathLen {
		return "", fmt.Errorf("%s: symbolic link of %d bytes (OpenBSD's are 1 to %d)", what, d.size, maxPathLen-1)
	}
	var t string
	if int64(d.size) < int64(f.sb.maxsym) {
		// Stored in the inode (ufs_readlink: the length is below
		// fs_maxsymlinklen).
		t = string(d.shortlink[:d.size])
	} else {
		b, err := f.readAll(d, what)
		if err != nil {
			return "", err
		}
		t = string(b)
	}
	if strings.IndexByte(t, 0) >= 0 {
		return "", fmt.Errorf("%s: symbolic link target %q has a NUL byte", what, t)
	}
	return t, nil
}

const (
	maxSymlinkHops = 32   // SYMLOOP_MAX, sys/sys/syslimits.h
	maxPathLen     = 1024 // PATH_MAX, sys/sys/syslimits.h
)

// resolved is the result of a path lookup.
type resolved struct {
	ino  uint32
	d    *dinode
	name string // base name, "." for the root
}

// validPath reports whether name is a path the FS takes: an
// fs.ValidPath, or for the RawNames view the same without the UTF-8
// rule.
func (f *FS) validPath(name string) bool {
	if !f.raw {
		return fs.ValidPath(name)
	}
	if name == "." {
		return true
	}
	for _, el := range strings.Split(name, "/") {
		if el == "" || el == "." || el == ".." || strings.IndexByte(el, 0) >= 0 {
			return false
		}
	}
	return true
}

// namei looks up name (see validPath). With follow, a symbolic link in
// the last element is followed too. A directory that appears twice on
// the way (a hard-linked directory loop) is an error.
func (f *FS) namei(op, name string, follow bool) (*resolved, error) {
	if !f.validPath(name) {
		return nil, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	perr := func(err error) error { return &fs.PathError{Op: op, Path: name, Err: err} }
	root, err := f.readInode(rootIno)
	if err != nil {
		return nil, perr(err)
	}
	if root.mode&ifmt != ifdir {
		return nil, perr(fmt.Errorf("root inode is not a directory"))
	}
	type step struct {
		ino uint32
		d   *dinode
	}
	stack := []step{{rootIno, root}}
	var todo []string
	if name != "." {
		todo = strings.Split(name, "/")
	}
	hops := 0
	base := "."
	for len(todo) > 0 {
		el := todo[0]
		todo = todo[1:]
		switch el {
		case "", ".":
			continue
		case "..":
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		dir := stack[len(stack)-1]
		if dir.d.mode&ifmt != ifdir {
			return nil, perr(errors.New("not a directory"))
		}
		ents, err := f.readDir(dir.ino, dir.d, fmt.Sprintf("directory inode %d", dir.ino))
		if err != nil {
			return nil, perr(err)
		}
		var ino uint32
		for _, e := range ents {
			if e.name == el {
				ino = e.ino
				break
			}
		}
		if ino == 0 {
			return nil, perr(fs.ErrNotExist)
		}
		d, err := f.readInode(ino)
		if err != nil {
			return nil, perr(err)
		}
		if d.mode&ifmt == iflnk && (len(todo) > 0 || follow) {
			hops++
			if hops > maxSymlinkHops {
				return nil, perr(errors.New("too many levels of symbolic links"))
			}
			target, err := f.linkTarget(d, fmt.Sprintf("symlink inode %d", ino))
			if err != nil {
				return nil, perr(err)
			}
			if strings.HasPrefix(target, "/") {
				stack = stack[:1]
			}
			todo = append(strings.Split(target, "/"), todo...)
			continue
		}
		if d.mode&ifmt == ifdir {
			for _, s := range stack {
				if s.ino == ino {
					return nil, perr(fmt.Errorf("directory loop: inode %d is its own ancestor", ino))
				}
			}
			// A directory has exactly one name, in the directory its
			// ".." names; anything else is a hard-linked directory,
			// which would let a walk loop or explode.
			kids, err := f.readDir(ino, d, fmt.Sprintf("directory inode %d", ino))
			if err != nil {
				return nil, perr(err)
			}
			if len(kids) < 2 || kids[0].name != "." || kids[0].ino != ino || kids[1].name != ".." || kids[1].ino != dir.ino {
				return nil, perr(fmt.Errorf("directory inode %d does not start with . and .. naming itself and its parent %d", ino, dir.ino))
			}
		}
		stack = append(stack, step{ino, d})
		base = el
	}
	top := stack[len(stack)-1]
	if len(stack) == 1 {
		base = "."
	}
	return &resolved{ino: top.ino, d: top.d, name: base}, nil
}

// fileInfo implements fs.FileInfo and fs.DirEntry.
type fileInfo struct {
	name string
	in   *Inode
	mode fs.FileMode
}

func (fi *fileInfo) Name() string               { return fi.name }
func (fi *fileInfo) Size() int64                { return fi.in.Size }
func (fi *fileInfo) Mode() fs.FileMode          { return fi.mode }
func (fi *fileInfo) ModTime() time.Time         { return fi.in.Mtime }
func (fi *fileInfo) IsDir() bool                { return fi.mode.IsDir() }
func (fi *fileInfo) Sys() any                   { return fi.in }
func (fi *fileInfo) Type() fs.FileMode          { return fi.mode.Type() }
func (fi *fileInfo) Info() (fs.FileInfo, error) { return fi, nil }
func (fi *fileInfo) String() string             { return fs.FormatFileInfo(fi) }

func (f *FS) info(name string, ino uint32, d *dinode) (*fileInfo, error) {
	mode, ok := goMode(d.mode)
	if !ok {
		return nil, fmt.Errorf("inode %d: unknown file type %#o", ino, d.mode&ifmt)
	}
	if d.mode == 0 {
		return nil, fmt.Errorf("inode %d: not in use", ino)
	}
	if d.size > f.maxFile() {
		// Check reports it too; reading it would yield zeros for ever.
		return nil, fmt.Errorf("inode %d: size %d beyond fs_maxfilesize %d", ino, d.size, f.maxFile())
	}
	size := int64(d.size)
	t := func(s int64, ns int32) time.Time {
		if ns < 0 || ns >= 1e9 {
			ns = 0
		}
		return time.Unix(s, int64(ns))
	}
	in := &Inode{Ino: ino, Mode: d.mode, Nlink: int(d.nlink), UID: d.uid, GID: d.gid, Size: size,
		Blocks: int64(d.blocks), Atime: t(d.atime, d.atimensec), Mtime: t(d.mtime, d.mtimensec),
		Ctime: t(d.ctime, d.ctimensec), Flags: d.flags, Gen: d.gen, Rdev: d.rdev}
	return &fileInfo{name: name, in: in, mode: mode}, nil
}

// Stat returns information about the named file, following symlinks.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	r, err := f.namei("stat", name, true)
	if err != nil {
		return nil, err
	}
	fi, err := f.info(r.name, r.ino, r.d)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	return fi, nil
}

// Lstat returns information about the named file without following a
// symlink in the last element.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	r, err := f.namei("lstat", name, false)
	if err != nil {
		return nil, err
	}
	fi, err := f.info(r.name, r.ino, r.d)
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	return fi, nil
}

// ReadLink returns the target of the named symbolic link.
func (f *FS) ReadLink(name string) (string, error) {
	r, err := f.namei("readlink", name, false)
	if err != nil {
		return "", err
	}
	if r.d.mode&ifmt != iflnk {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: errors.New("not a symbolic link")}
	}
	t, err := f.linkTarget(r.d, fmt.Sprintf("symlink inode %d", r.ino))
	if err != nil {
		return "", &fs.PathError{Op: "readlink", Path: name, Err: err}
	}
	return t, nil
}

// ReadDir lists the named directory, sorted by name, without . and ..
// An entry whose inode is bad (unreadable, of no known type, its name
// twice, a second name of a directory) is listed with type
// fs.ModeIrregular and an Info method that returns the problem.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	r, err := f.namei("readdir", name, true)
	if err != nil {
		return nil, err
	}
	return f.list(name, r)
}

func (f *FS) list(name string, r *resolved) ([]fs.DirEntry, error) {
	if r.d.mode&ifmt != ifdir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	ents, err := f.readDir(r.ino, r.d, name)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := make([]fs.DirEntry, 0, len(ents))
	seen := make(map[string]bool, len(ents))
	dirs := map[uint32]bool{}
	var notUTF8 []string
	for _, e := range ents {
		if e.name == "." || e.name == ".." {
			continue
		}
		if !f.raw && !utf8.ValidString(e.name) {
			notUTF8 = append(notUTF8, e.name)
			continue
		}
		// A bad entry is listed with the error its Info returns, so a
		// walk reports it and goes on with the rest.
		bad := func(err error) { out = append(out, &badEntry{name: e.name, err: err}) }
		if seen[e.name] {
			bad(fmt.Errorf("name appears twice in directory inode %d", r.ino))
			continue
		}
		seen[e.name] = true
		d, err := f.readInode(e.ino)
		if err != nil {
			bad(err)
			continue
		}
		if d.mode&ifmt == ifdir {
			if dirs[e.ino] {
				bad(fmt.Errorf("directory inode %d has two names", e.ino))
				continue
			}
			dirs[e.ino] = true
		}
		fi, err := f.info(e.name, e.ino, d)
		if err != nil {
			bad(err)
			continue
		}
		out = append(out, fi)
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	if len(notUTF8) > 0 {
		slices.Sort(notUTF8)
		return out, &fs.PathError{Op: "readdir", Path: name, Err: fmt.Errorf("%w: %q", ErrNameNotUTF8, notUTF8)}
	}
	return out, nil
}

// badEntry is a directory entry whose inode cannot be read or is not
// valid: its type is unknown (fs.ModeIrregular) and Info returns why.
type badEntry struct {
	name string
	err  error
}

func (b *badEntry) Name() string               { return b.name }
func (b *badEntry) IsDir() bool                { return false }
func (b *badEntry) Type() fs.FileMode          { return fs.ModeIrregular }
func (b *badEntry) Info() (fs.FileInfo, error) { return nil, b.err }

// ReadFile reads the named file.
func (f *FS) ReadFile(name string) ([]byte, error) {
	file, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	if fi.Size() > f.size && fi.Size() > 1<<30 {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("sparse file of %d bytes is too large to read whole", fi.Size())}
	}
	b := make([]byte, fi.Size())
	if _, err := io.ReadFull(file, b); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// Open opens the named file for reading, following symlinks.
func (f *FS) Open(name string) (fs.File, error) {
	r, err := f.namei("open", name, true)
	if err != nil {
		return nil, err
	}
	fi, err := f.info(r.name, r.ino, r.d)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if fi.IsDir() {
		return &dirFile{f: f, name: name, r: r, fi: fi}, nil
	}
	size := fi.Size()
	if fi.Mode().Type() != 0 {
		size = 0 // devices, FIFOs, sockets have no data
	}
	return &file{fi: fi, name: name, size: size, m: f.newBlockMap(r.d, name)}, nil
}

// file is an open non-directory.
type file struct {
	fi     *fileInfo
	name   string
	size   int64
	off    int64
	m      *blockMap
	closed bool
}

func (fl *file) Stat() (fs.FileInfo, error) { return fl.fi, nil }
func (fl *file) Close() error {
	if fl.closed {
		return &fs.PathError{Op: "close", Path: fl.name, Err: fs.ErrClosed}
	}
	fl.closed = true
	return nil
}

func (fl *file) Read(p []byte) (int, error) {
	n, err := fl.ReadAt(p, fl.off)
	fl.off += int64(n)
	return n, err
}

// ReadAt implements io.ReaderAt.
func (fl *file) ReadAt(p []byte, off int64) (int, error) {
	if fl.closed {
		return 0, &fs.PathError{Op: "read", Path: fl.name, Err: fs.ErrClosed}
	}
	if off < 0 {
		return 0, &fs.PathError{Op: "read", Path: fl.name, Err: fs.ErrInvalid}
	}
	if off >= fl.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), fl.size-off)
	if err := fl.m.readAt(p[:n], off); err != nil {
		return 0, &fs.PathError{Op: "read", Path: fl.name, Err: err}
	}
	if n < int64(len(p)) {
		return int(n), io.EOF
	}
	return int(n), nil
}

// Seek implements io.Seeker.
func (fl *file) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += fl.off
	case io.SeekEnd:
		offset += fl.size
	default:
		return 0, &fs.PathError{Op: "seek", Path: fl.name, Err: fs.ErrInvalid}
	}
	if offset < 0 {
		return 0, &fs.PathError{Op: "seek", Path: fl.name, Err: fs.ErrInvalid}
	}
	fl.off = offset
	return offset, nil
}

// dirFile is an open directory.
type dirFile struct {
	f      *FS
	name   string
	r      *resolved
	fi     *fileInfo
	ents   []fs.DirEntry
	err    error // to return after the entries (names left out)
	read   bool
	pos    int
	closed bool
}

func (d *dirFile) Stat() (fs.FileInfo, error) { return d.fi, nil }
func (d *dirFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}
func (d *dirFile) Close() error {
	if d.closed {
		return &fs.PathError{Op: "close", Path: d.name, Err: fs.ErrClosed}
	}
	d.closed = true
	return nil
}

// ReadDir implements fs.ReadDirFile. An error about names left out
// comes after the entries, in place of io.EOF.
func (d *dirFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if d.closed {
		return nil, &fs.PathError{Op: "readdir", Path: d.name, Err: fs.ErrClosed}
	}
	if !d.read {
		ents, err := d.f.list(d.name, d.r)
		if ents == nil && err != nil {
			return nil, err
		}
		d.ents, d.err, d.read = ents, err, true
	}
	rest := d.ents[d.pos:]
	if n <= 0 {
		d.pos = len(d.ents)
		err := d.err
		d.err = nil
		return rest, err
	}
	if len(rest) == 0 {
		if err := d.err; err != nil {
			d.err = nil
			return nil, err
		}
		return nil, io.EOF
	}
	k := min(n, len(rest))
	d.pos += k
	return rest[:k], nil
}

// Walk calls fn for every file under root, parents first, names in
// order, like fs.WalkDir over f, except that root itself is not
// followed if it is a symbolic link (as lstat(2) sees it; fs.WalkDir
// stats it). A directory loop makes the walk fail with an error.
func (f *FS) Walk(root string, fn fs.WalkDirFunc) error {
	fi, err := f.Lstat(root)
	if err != nil {
		err = fn(root, nil, err)
	} else {
		err = f.walk(root, fi.(*fileInfo), fn)
	}
	if err == fs.SkipDir || err == fs.SkipAll {
		return nil
	}
	return err
}

func (f *FS) walk(p string, d fs.DirEntry, fn fs.WalkDirFunc) error {
	if err := fn(p, d, nil); err != nil || !d.IsDir() {
		if err == fs.SkipDir && d.IsDir() {
			err = nil
		}
		return err
	}
	ents, err := f.ReadDir(p)
	if err != nil {
		// As fs.WalkDir: report it, then walk what was read.
		if err = fn(p, d, err); err != nil {
			if err == fs.SkipDir {
				err = nil
			}
			return err
		}
	}
	for _, e := range ents {
		q := e.Name()
		if p != "." {
			q = p + "/" + q
		}
		if err := f.walk(q, e, fn); err != nil {
			if err == fs.SkipDir {
				break
			}
			return err
		}
	}
	return nil
}
