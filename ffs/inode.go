package ffs

import (
	"io/fs"
	"time"
)

// File type and permission bits of di_mode (sys/ufs/ufs/dinode.h 1.19).
const (
	ifmt   = 0o170000
	ififo  = 0o010000
	ifchr  = 0o020000
	ifdir  = 0o040000
	ifblk  = 0o060000
	ifreg  = 0o100000
	iflnk  = 0o120000
	ifsock = 0o140000
	isuid  = 0o4000
	isgid  = 0o2000
	isvtx  = 0o1000
)

// Directory entry types (sys/ufs/ufs/dir.h 1.13, DT_* of sys/dirent.h).
const (
	dtUnknown = 0
	dtFifo    = 1
	dtChr     = 2
	dtDir     = 4
	dtBlk     = 6
	dtReg     = 8
	dtLnk     = 10
	dtSock    = 12
)

// dinode is an on-disk inode of either format, in host form. Times are
// seconds and nanoseconds since the epoch.
type dinode struct {
	mode       uint16
	nlink      int16
	uid, gid   uint32
	size       uint64
	blocks     uint64 // in DEV_BSIZE units, for both formats
	atime      int64
	mtime      int64
	ctime      int64
	birthtime  int64 // FFS2 only
	atimensec  int32
	mtimensec  int32
	ctimensec  int32
	birthnsec  int32
	gen        uint32
	flags      uint32
	db         [nDAddr]int64
	ib         [nIAddr]int64
	shortlink  []byte // inline symlink target (overlays db/ib)
	rdev       uint32 // device number (overlays db[0])
	hasOverlay bool   // shortlink or rdev is in use
}

// FFS1 struct ufs1_dinode offsets (dinode.h 1.19).
const (
	d1Mode      = 0
	d1Nlink     = 2
	d1Size      = 8
	d1Atime     = 16
	d1Atimensec = 20
	d1Mtime     = 24
	d1Mtimensec = 28
	d1Ctime     = 32
	d1Ctimensec = 36
	d1Db        = 40
	d1Ib        = 88
	d1Flags     = 100
	d1Blocks    = 104
	d1Gen       = 108
	d1UID       = 112
	d1GID       = 116
)

// FFS2 struct ufs2_dinode offsets (dinode.h 1.19).
const (
	d2Mode      = 0
	d2Nlink     = 2
	d2UID       = 4
	d2GID       = 8
	d2Size      = 16
	d2Blocks    = 24
	d2Atime     = 32
	d2Mtime     = 40
	d2Ctime     = 48
	d2Birthtime = 56
	d2Mtimensec = 64
	d2Atimensec = 68
	d2Ctimensec = 72
	d2Birthnsec = 76
	d2Gen       = 80
	d2Flags     = 88
	d2Db        = 112
	d2Ib        = 208
)

// put encodes the inode into b (inodeSize1 or inodeSize2 bytes, zeroed
// by the caller).
func (d *dinode) put(b []byte, f Format) {
	if f == FFS1 {
		le.PutUint16(b[d1Mode:], d.mode)
		le.PutUint16(b[d1Nlink:], uint16(d.nlink))
		le.PutUint64(b[d1Size:], d.size)
		le.PutUint32(b[d1Atime:], uint32(d.atime))
		le.PutUint32(b[d1Atimensec:], uint32(d.atimensec))
		le.PutUint32(b[d1Mtime:], uint32(d.mtime))
		le.PutUint32(b[d1Mtimensec:], uint32(d.mtimensec))
		le.PutUint32(b[d1Ctime:], uint32(d.ctime))
		le.PutUint32(b[d1Ctimensec:], uint32(d.ctimensec))
		for i, a := range d.db {
			le.PutUint32(b[d1Db+4*i:], uint32(a))
		}
		for i, a := range d.ib {
			le.PutUint32(b[d1Ib+4*i:], uint32(a))
		}
		le.PutUint32(b[d1Flags:], d.flags)
		le.PutUint32(b[d1Blocks:], uint32(d.blocks))
		le.PutUint32(b[d1Gen:], d.gen)
		le.PutUint32(b[d1UID:], d.uid)
		le.PutUint32(b[d1GID:], d.gid)
		d.putOverlay(b[d1Db : d1Ib+4*nIAddr])
		return
	}
	le.PutUint16(b[d2Mode:], d.mode)
	le.PutUint16(b[d2Nlink:], uint16(d.nlink))
	le.PutUint32(b[d2UID:], d.uid)
	le.PutUint32(b[d2GID:], d.gid)
	le.PutUint64(b[d2Size:], d.size)
	le.PutUint64(b[d2Blocks:], d.blocks)
	le.PutUint64(b[d2Atime:], uint64(d.atime))
	le.PutUint64(b[d2Mtime:], uint64(d.mtime))
	le.PutUint64(b[d2Ctime:], uint64(d.ctime))
	le.PutUint64(b[d2Birthtime:], uint64(d.birthtime))
	le.PutUint32(b[d2Mtimensec:], uint32(d.mtimensec))
	le.PutUint32(b[d2Atimensec:], uint32(d.atimensec))
	le.PutUint32(b[d2Ctimensec:], uint32(d.ctimensec))
	le.PutUint32(b[d2Birthnsec:], uint32(d.birthnsec))
	le.PutUint32(b[d2Gen:], d.gen)
	le.PutUint32(b[d2Flags:], d.flags)
	for i, a := range d.db {
		le.PutUint64(b[d2Db+8*i:], uint64(a))
	}
	for i, a := range d.ib {
		le.PutUint64(b[d2Ib+8*i:], uint64(a))
	}
	d.putOverlay(b[d2Db : d2Ib+8*nIAddr])
}

// putOverlay writes a short symlink target or a device number over the
// block pointer area ("di_shortlink", "di_rdev" in dinode.h).
func (d *dinode) putOverlay(area []byte) {
	if !d.hasOverlay {
		return
	}
	if d.shortlink != nil {
		copy(area, d.shortlink)
		return
	}
	le.PutUint32(area, d.rdev)
}

// getDinode decodes an inode of format f from b.
func getDinode(b []byte, f Format) dinode {
	var d dinode
	if f == FFS1 {
		d.mode = le.Uint16(b[d1Mode:])
		d.nlink = int16(le.Uint16(b[d1Nlink:]))
		d.size = le.Uint64(b[d1Size:])
		d.atime = int64(int32(le.Uint32(b[d1Atime:])))
		d.atimensec = int32(le.Uint32(b[d1Atimensec:]))
		d.mtime = int64(int32(le.Uint32(b[d1Mtime:])))
		d.mtimensec = int32(le.Uint32(b[d1Mtimensec:]))
		d.ctime = int64(int32(le.Uint32(b[d1Ctime:])))
		d.ctimensec = int32(le.Uint32(b[d1Ctimensec:]))
		for i := range d.db {
			d.db[i] = int64(int32(le.Uint32(b[d1Db+4*i:])))
		}
		for i := range d.ib {
			d.ib[i] = int64(int32(le.Uint32(b[d1Ib+4*i:])))
		}
		d.flags = le.Uint32(b[d1Flags:])
		d.blocks = uint64(le.Uint32(b[d1Blocks:]))
		d.gen = le.Uint32(b[d1Gen:])
		d.uid = le.Uint32(b[d1UID:])
		d.gid = le.Uint32(b[d1GID:])
		d.getOverlay(b[d1Db : d1Ib+4*nIAddr])
		return d
	}
	d.mode = le.Uint16(b[d2Mode:])
	d.nlink = int16(le.Uint16(b[d2Nlink:]))
	d.uid = le.Uint32(b[d2UID:])
	d.gid = le.Uint32(b[d2GID:])
	d.size = le.Uint64(b[d2Size:])
	d.blocks = le.Uint64(b[d2Blocks:])
	d.atime = int64(le.Uint64(b[d2Atime:]))
	d.mtime = int64(le.Uint64(b[d2Mtime:]))
	d.ctime = int64(le.Uint64(b[d2Ctime:]))
	d.birthtime = int64(le.Uint64(b[d2Birthtime:]))
	d.mtimensec = int32(le.Uint32(b[d2Mtimensec:]))
	d.atimensec = int32(le.Uint32(b[d2Atimensec:]))
	d.ctimensec = int32(le.Uint32(b[d2Ctimensec:]))
	d.birthnsec = int32(le.Uint32(b[d2Birthnsec:]))
	d.gen = le.Uint32(b[d2Gen:])
	d.flags = le.Uint32(b[d2Flags:])
	for i := range d.db {
		d.db[i] = int64(le.Uint64(b[d2Db+8*i:]))
	}
	for i := range d.ib {
		d.ib[i] = int64(le.Uint64(b[d2Ib+8*i:]))
	}
	d.getOverlay(b[d2Db : d2Ib+8*nIAddr])
	return d
}

// getOverlay keeps a copy of the block pointer area for short symlinks
// and devices, whose meaning depends on the mode.
func (d *dinode) getOverlay(area []byte) {
	switch d.mode & ifmt {
	case iflnk:
		d.shortlink = append([]byte(nil), area...)
	case ifchr, ifblk:
		d.rdev = le.Uint32(area)
	}
}

// unixMode converts an fs.FileMode to di_mode bits.
func unixMode(m fs.FileMode) uint16 {
	u := uint16(m.Perm())
	if m&fs.ModeSetuid != 0 {
		u |= isuid
	}
	if m&fs.ModeSetgid != 0 {
		u |= isgid
	}
	if m&fs.ModeSticky != 0 {
		u |= isvtx
	}
	switch {
	case m&fs.ModeDir != 0:
		u |= ifdir
	case m&fs.ModeSymlink != 0:
		u |= iflnk
	case m&fs.ModeNamedPipe != 0:
		u |= ififo
	case m&fs.ModeSocket != 0:
		u |= ifsock
	case m&fs.ModeDevice != 0 && m&fs.ModeCharDevice != 0:
		u |= ifchr
	case m&fs.ModeDevice != 0:
		u |= ifblk
	default:
		u |= ifreg
	}
	return u
}

// goMode converts di_mode bits to an fs.FileMode. It returns false for a
// type that is not one of the seven FFS knows.
func goMode(u uint16) (fs.FileMode, bool) {
	m := fs.FileMode(u & 0o777)
	if u&isuid != 0 {
		m |= fs.ModeSetuid
	}
	if u&isgid != 0 {
		m |= fs.ModeSetgid
	}
	if u&isvtx != 0 {
		m |= fs.ModeSticky
	}
	switch u & ifmt {
	case ifreg:
	case ifdir:
		m |= fs.ModeDir
	case iflnk:
		m |= fs.ModeSymlink
	case ififo:
		m |= fs.ModeNamedPipe
	case ifsock:
		m |= fs.ModeSocket
	case ifchr:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case ifblk:
		m |= fs.ModeDevice
	default:
		return m, false
	}
	return m, true
}

// dirType is the d_type for a di_mode (IFTODT).
func dirType(mode uint16) uint8 { return uint8((mode & ifmt) >> 12) }

// splitTime returns seconds and nanoseconds of t; the zero Time is 0.
func splitTime(t time.Time) (int64, int32) {
	if t.IsZero() {
		return 0, 0
	}
	return t.Unix(), int32(t.Nanosecond())
}
